"""The one rule both registry readers follow for an intervention's dosing in an arm."""

from __future__ import annotations

import pytest

from trial_pipeline.parsers.dosing import Dosing, dosing_for, find_frequency, find_route


@pytest.mark.parametrize(
    ("intervention_text", "arm_text", "name", "expected"),
    [
        # The intervention's own dose wins over a different one in the arm's text (never reconciled).
        ("Pomalidomide, 2mg/d, d1-21", "pomalidomide 1 mg daily", "Pomalidomide",
         Dosing(2.0, "mg", None, "ONCE_DAILY", "Pomalidomide, 2mg/d, d1-21")),
        # No text of its own: the dose next to the name in the arm's text.
        (None, "NK520: 9×10^7NK/kg", "NK520", Dosing(9e7, "cells/kg", None, None, "NK520: 9×10^7NK/kg")),
        # A route but no dose of its own: the arm's dose is still read.
        ("given orally", "Arm: imatinib 400 mg daily", "imatinib",
         Dosing(400.0, "mg", None, "ONCE_DAILY", "Arm: imatinib 400 mg daily")),
        # The arm states no dose for the name: the intervention's route is kept, not traded for nothing.
        ("given orally", "Arm: imatinib plus best care", "imatinib", Dosing(None, None, "ORAL", None, "given orally")),
        # The arm's dose belongs to another agent named before it.
        ("given orally", "Arm: dasatinib 100 mg, then imatinib", "imatinib",
         Dosing(None, None, "ORAL", None, "given orally")),
        # No arm text (an intervention given to no arm).
        ("Imatinib tablets", None, "imatinib", Dosing()),
    ],
)  # fmt: skip
def test_dosing_for(intervention_text: str | None, arm_text: str | None, name: str, expected: Dosing) -> None:
    assert dosing_for(intervention_text, arm_text, name) == expected


@pytest.mark.parametrize(
    ("text", "route", "frequency"),
    [
        ("200 mg PO BID", "ORAL", "TWICE_DAILY"),  # capitals: an ASCII text is read lower-cased
        ("Given Intravenously Every 3 Weeks", "INTRAVENOUS", "EVERY_3_WEEKS"),
        ("IT injection, weekly", "INTRATHECAL", "WEEKLY"),
        ("orally or IV, daily", None, "ONCE_DAILY"),  # two routes: none
        ("twice daily", None, "TWICE_DAILY"),  # the "daily" of "twice daily" is not read again as ONCE_DAILY
        ("≥ 18 years, oral, once daily", "ORAL", "ONCE_DAILY"),  # not ASCII: read ignoring case
        ("ÖL; SUBCUTANEOUS Q2W", "SUBCUTANEOUS", "EVERY_2_WEEKS"),
        ("placebo tablets", None, None),  # one search for every pattern settles a text that states none
        ("", None, None),
    ],
)
def test_route_and_frequency(text: str, route: str | None, frequency: str | None) -> None:
    assert (find_route(text), find_frequency(text)) == (route, frequency)
