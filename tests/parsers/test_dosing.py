"""The one rule both registry readers follow for an intervention's dosing in an arm."""

from __future__ import annotations

import pytest

from trial_pipeline.parsers.dosing import Dosing, dosing_for


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
