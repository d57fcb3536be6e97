"""Small pure helpers shared by the readers: dates, ages, phases, identifiers, text clean-up."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re

from trial_pipeline.enums import fold, to_enum

NCT_ID = re.compile(r"\bNCT\d{8}\b")

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
_DATE_TEXT = re.compile(r"^([A-Za-z]{3,9})\.?\s+(?:(\d{1,2}),?\s+)?(\d{4})$")
_DATE_DMY = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})$")


def parse_date(raw: str | None) -> dt.date | None:
    """A registry date as a DATE: ``"August 2015"`` -> 2015-08-01, ``"2022-05-15"``, ``"May 15, 2022"``.

    A month-only date becomes the first of the month (the contract's rule); anything else unreadable is None.
    """
    if not raw:
        return None
    text = raw.strip()
    year = month = None
    day = 1
    if m := _DATE_ISO.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        day = int(m.group(3) or 1)
    elif m := _DATE_TEXT.match(text):
        month = _MONTHS.get(m.group(1).lower())
        year = int(m.group(3))
        day = int(m.group(2) or 1)
    elif m := _DATE_DMY.match(text):
        day, month, year = int(m.group(1)), _MONTHS.get(m.group(2).lower()), int(m.group(3))
    if year is None or month is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$")
_AGE_UNITS = {
    "year": 1.0,
    "years": 1.0,
    "month": 1 / 12,
    "months": 1 / 12,
    "week": 7 / 365.25,
    "weeks": 7 / 365.25,
    "day": 1 / 365.25,
    "days": 1 / 365.25,
    "hour": 1 / (365.25 * 24),
    "hours": 1 / (365.25 * 24),
    "minute": 1 / (365.25 * 24 * 60),
    "minutes": 1 / (365.25 * 24 * 60),
}


def parse_age_years(raw: str | None) -> float | None:
    """An eligibility age in years: ``"6 Months"`` -> 0.5, ``"18 Years"`` -> 18.0, ``"N/A"`` -> None."""
    if not raw:
        return None
    m = _AGE.match(raw)
    if not m:
        return None
    factor = _AGE_UNITS.get(m.group(2).lower())
    if factor is None:
        return None
    return round(float(m.group(1)) * factor, 4)


_PHASE_SPLIT = re.compile(r"\s*(?:/|,|\band\b|&|\|)\s*", re.IGNORECASE)


def parse_phases(raw: str | None) -> tuple[str, ...]:
    """Phases as a list of v2 values: ``"Phase 1/Phase 2"`` -> ``("PHASE1", "PHASE2")``; ``"N/A"`` -> ``("NA",)``."""
    if not raw or not raw.strip():
        return ()
    if fold(raw) in {"N_A", "NA", "NOT_APPLICABLE"}:
        return ("NA",)
    phases: list[str] = []
    for part in _PHASE_SPLIT.split(raw.strip()):
        if not part:
            continue
        value = to_enum("phase", part)
        if value is None and re.fullmatch(r"[1-4]", part.strip()):
            # "Phase 1/2": the second half drops the word.
            value = f"PHASE{part.strip()}"
        if value is not None and value not in phases:
            phases.append(value)
    return tuple(phases)


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


def clean_paragraphs(text: str | None) -> str | None:
    """Prose with hard-wrapped lines joined: one line per paragraph, paragraphs separated by a blank line.

    The legacy XML wraps text blocks at ~80 columns where API v2 does not; joining makes both the same.
    """
    if text is None:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(text)]
    cleaned = "\n\n".join(p for p in paragraphs if p)
    return cleaned or None


def clean_inline(text: str | None) -> str | None:
    """A one-line value: inner whitespace runs collapsed to one space; empty -> None."""
    if text is None:
        return None
    cleaned = " ".join(text.split())
    return cleaned or None


def derived_trial_id(*parts: str | None) -> str:
    """A stable key for a trial that has no registry ID, from the text that identifies it."""
    basis = "|".join(" ".join((p or "").lower().split()) for p in parts)
    return "TP-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:16].upper()


def unique(values: list[str]) -> tuple[str, ...]:
    """The values in first-seen order, without blanks or repeats."""
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in seen:
            seen[value] = None
    return tuple(seen)
