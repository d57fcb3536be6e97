"""Dates, ages, phases and dosing: the small readers every format shares."""

from __future__ import annotations

import datetime as dt

import pytest

from trial_pipeline.enums import to_enum
from trial_pipeline.parsers.common import clean_paragraphs, parse_age_years, parse_date, parse_phases
from trial_pipeline.parsers.dosing import Dosing, extract_dosing


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("August 2015", dt.date(2015, 8, 1)),  # month only: first of the month
        ("June 15, 2006", dt.date(2006, 6, 15)),  # legacy full date
        ("2015-08", dt.date(2015, 8, 1)),  # API v2 month
        ("2022-05-15", dt.date(2022, 5, 15)),  # API v2 / web page full date
        ("15 May 2022", dt.date(2022, 5, 15)),  # day-first prose date
        ("Sept 2015", None),  # not a month name we know: null, not a guess
        ("2022-02-30", None),  # impossible date
        ("", None),
        (None, None),
    ],
)
def test_parse_date(raw: str | None, expected: dt.date | None) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("6 Months", 0.5),
        ("18 Years", 18.0),
        ("1 Year", 1.0),
        ("2 Weeks", round(14 / 365.25, 4)),
        ("N/A", None),
        ("", None),
        ("eighteen", None),
    ],
)
def test_parse_age_years(raw: str, expected: float | None) -> None:
    assert parse_age_years(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Phase 1/Phase 2", ("PHASE1", "PHASE2")),
        ("Phase 2/Phase 3", ("PHASE2", "PHASE3")),
        ("Early Phase 1", ("EARLY_PHASE1",)),
        ("N/A", ("NA",)),
        ("NA", ("NA",)),  # web pages print the v2 value
        ("PHASE1, PHASE2", ("PHASE1", "PHASE2")),
        ("Phase 1/2", ("PHASE1", "PHASE2")),  # the second half drops the word
        ("Phase II", ("PHASE2",)),
        ("", ()),
    ],
)
def test_parse_phases(raw: str, expected: tuple[str, ...]) -> None:
    assert parse_phases(raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("overall_status", "Unknown status", "UNKNOWN"),
        ("overall_status", "Active, not recruiting", "ACTIVE_NOT_RECRUITING"),
        ("overall_status", "RECRUITING", "RECRUITING"),
        ("intervention_model", "Single Group Assignment", "SINGLE_GROUP"),
        ("primary_purpose", "Educational/Counseling/Training", "ECT"),
        ("study_type", "Observational [Patient Registry]", "OBSERVATIONAL"),
        ("dispersion_type", "95% Confidence Interval", "CONFIDENCE_95"),
        ("param_type", "Count of Participants", "COUNT_OF_PARTICIPANTS"),
        ("sex", "Both", "ALL"),
        ("overall_status", "Ongoing-ish", None),  # unknown values are not guessed
    ],
)
def test_to_enum(kind: str, raw: str, expected: str | None) -> None:
    assert to_enum(kind, raw) == expected


def test_clean_paragraphs_joins_wrapped_lines_and_keeps_paragraphs() -> None:
    assert clean_paragraphs("  one two\n  three\n\n  four\n") == "one two three\n\nfour"


DOSING = [
    # Name-scoped: the dose right after the name, route and frequency from its sentence.
    ("Palbociclib at a dose of 125 mg orally once daily, Day 1 to 21.", "Palbociclib",
     Dosing(125.0, "mg", "ORAL", "ONCE_DAILY")),
    # A per-day suffix is a frequency, not part of the unit.
    ("Pomalidomide, 2mg/d, d1-21; treatment cycles every 28days", None, Dosing(2.0, "mg", None, "ONCE_DAILY")),
    # Scientific notation with an escaped caret, and NK cells per kg.
    ("NK520: 9×10\\^7NK/kg", None, Dosing(9e7, "cells/kg", None, None)),
    ("Cisplatin 75 mg/m² via IV over one hour", None, Dosing(75.0, "mg/m2", "INTRAVENOUS", None)),
    ("sorafenib 400 mg twice daily continuously", "sorafenib", Dosing(400.0, "mg", None, "TWICE_DAILY")),
    ("1 mg per kilogram of body weight per day", None, Dosing(1.0, "mg/kg", None, "ONCE_DAILY")),
    # Two different doses in one text: no dose is guessed.
    ("Gemcitabine 1000 mg/m^2 days 1, 8, 15; cisplatin 30 mg/m^2 days 1, 8, 15", None, Dosing()),
    # Named, but the dose belongs to the other drug further on.
    ("Standard endocrine therapy plus palbociclib 125 mg", "Standard endocrine therapy", Dosing()),
]  # fmt: skip


@pytest.mark.parametrize(("text", "name", "expected"), DOSING)
def test_extract_dosing(text: str, name: str | None, expected: Dosing) -> None:
    got = extract_dosing(text, name)
    assert (got.dose_value, got.dose_unit, got.route, got.frequency) == (
        expected.dose_value, expected.dose_unit, expected.route, expected.frequency,
    )  # fmt: skip
    if got.dose_value is not None:
        assert got.text is not None and got.text in text


def test_extract_dosing_is_linear_on_hostile_text() -> None:
    # Long runs of digits, separators and units that a backtracking pattern would choke on.
    hostile = ("1," * 20000) + "mg " + ("10 x 10^" * 5000) + ("mg/m" * 5000)
    extract_dosing(hostile)
    extract_dosing(hostile, "mg")
