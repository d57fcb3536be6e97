"""Dose, unit, route and frequency stated in free text ("125 mg orally once daily").

Precision first: a value is returned only when the text states it unambiguously. Two different doses in
the same window give no dose; a route or frequency is only read from the window around the dose or the
named intervention. Every regex here is linear (no nested quantifiers) so hostile text cannot make it
backtrack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

# Longest spellings first, so "mg/m2" wins over "mg".
_UNITS: tuple[tuple[str, str], ...] = (
    (r"mg\s*/\s*m\s*(?:\^?2|²)", "mg/m2"),
    (r"mg\s+per\s+(?:square\s+meter|m2|m²)", "mg/m2"),
    (r"(?:mcg|µg|μg|ug)\s*/\s*m\s*(?:\^?2|²)", "mcg/m2"),
    (r"g\s*/\s*m\s*(?:\^?2|²)", "g/m2"),
    (r"mg\s*/\s*kg", "mg/kg"),
    (r"mg\s+per\s+(?:kilogram|kg)", "mg/kg"),
    (r"(?:mcg|µg|μg|ug)\s*/\s*kg", "mcg/kg"),
    (r"(?:IU|U|units?)\s*/\s*kg", "IU/kg"),
    (r"(?:cells|NK|CAR[- ]?T(?:\s+cells)?|T[- ]cells)\s*/\s*kg", "cells/kg"),
    (r"mL\s*/\s*kg", "mL/kg"),
    (r"cGy", "cGy"),
    (r"Gy", "Gy"),
    (r"mCi", "mCi"),
    (r"MBq", "MBq"),
    (r"mg", "mg"),
    (r"(?:mcg|µg|μg|ug)", "mcg"),
    (r"g", "g"),
    (r"mL|ml", "mL"),
    (r"(?:IU|international\s+units)", "IU"),
    (r"cells", "cells"),
)
# Written to start with a digit outside the alternation: a pattern that starts with a character set is scanned
# for it at C speed instead of being tried at every position.
_NUMBER = r"(?P<num>\d(?:\d{0,2}(?:,\d{3})+|\d{0,6}(?:\.\d{1,4})?))"
_SCI = r"(?:\s*(?:x|×|\*)\s*10\s*\\?\^?\s*(?P<exp>\d{1,2}))?"
_DOSE = re.compile(
    _NUMBER + _SCI + r"\s?(?P<unit>" + "|".join(f"(?:{p})" for p, _ in _UNITS) + r")(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_UNIT_PATTERNS = tuple((re.compile(rf"^(?:{p})$", re.IGNORECASE), name) for p, name in _UNITS)
# "2mg/d", "70mg/week": a per-period suffix right after the unit is a frequency, not part of the unit.
_PER_PERIOD = re.compile(r"\s*/\s*(?P<per>d|day|week|wk)\b", re.IGNORECASE)

_ROUTE_RULES: tuple[tuple[str, str], ...] = (
    (r"\b(?:orally|oral|by mouth|p\.o\.|per os)\b|\bPO\b", "ORAL"),
    (r"\b(?:intravenous(?:ly)?|i\.v\.)|\bIV\b", "INTRAVENOUS"),
    (r"\b(?:subcutaneous(?:ly)?|s\.c\.|sub-cutaneous(?:ly)?)|\bSC\b|\bSQ\b", "SUBCUTANEOUS"),
    (r"\b(?:intramuscular(?:ly)?|i\.m\.)|\bIM\b", "INTRAMUSCULAR"),
    (r"\bintrathecal(?:ly)?\b|\bIT\b(?= (?:injection|administration))", "INTRATHECAL"),
    (r"\b(?:inhaled|inhalation|nebuli[sz]ed)\b", "INHALED"),
    (r"\btopical(?:ly)?\b", "TOPICAL"),
    (r"\bintranasal(?:ly)?\b", "INTRANASAL"),
    (r"\btransdermal(?:ly)?\b", "TRANSDERMAL"),
)

_FREQUENCY_RULES: tuple[tuple[str, str], ...] = (
    (r"\b(?:twice|two times)\s+(?:a\s+|per\s+|each\s+)?day\b|\btwice[- ]daily\b|\bb\.?i\.?d\b", "TWICE_DAILY"),
    (r"\b(?:three times)\s+(?:a\s+|per\s+)?day\b|\bthree times daily\b|\bt\.?i\.?d\b", "THREE_TIMES_DAILY"),
    (r"\b(?:four times)\s+(?:a\s+|per\s+)?day\b|\bfour times daily\b|\bq\.?i\.?d\b", "FOUR_TIMES_DAILY"),
    (r"\bevery\s+(?:2|two)\s+weeks\b|\bevery other week\b|\bbiweekly\b|\bq2\s?w(?:ks?)?\b", "EVERY_2_WEEKS"),
    (r"\bevery\s+(?:3|three)\s+weeks\b|\bq3\s?w(?:ks?)?\b", "EVERY_3_WEEKS"),
    (r"\bevery\s+(?:4|four)\s+weeks\b|\bq4\s?w(?:ks?)?\b|\bmonthly\b", "EVERY_4_WEEKS"),
    (r"\b(?:once\s+)?weekly\b|\bonce\s+(?:a|per|every)\s+week\b|\bevery\s+week\b", "WEEKLY"),
    (
        r"\bonce[- ]daily\b|\bonce\s+(?:a|per)\s+day\b|\bdaily\b|\bevery\s+day\b|\bq\.?d\.?\b(?!\w)|\bper\s+day\b",
        "ONCE_DAILY",
    ),
)


class _Rules(NamedTuple):
    """Patterns tried in order (see :func:`_first`), compiled to read any text ignoring case and to read an ASCII
    text lower-cased, with one pattern each that matches where any of them does.

    Lower-cased, an ASCII text matches a pattern written in lower case and compiled without IGNORECASE exactly
    where it matches the pattern ignoring case, at the same offsets, and faster: the regex engine skips an
    alternative on a first character that differs only when it compares characters exactly. Most texts state
    no route or frequency, and one search for all patterns settles that.
    """

    any_case: tuple[tuple[re.Pattern[str], str], ...]
    folded: tuple[tuple[re.Pattern[str], str], ...]
    any_case_gate: re.Pattern[str]
    folded_gate: re.Pattern[str]


def _rules(rules: tuple[tuple[str, str], ...]) -> _Rules:
    if any(re.search(r"\\[A-Z]", p) for p, _ in rules):
        raise ValueError("a route or frequency pattern has an upper-case escape, which lower-casing would change")
    either = "|".join(f"(?:{p})" for p, _ in rules)
    return _Rules(
        any_case=tuple((re.compile(p, re.IGNORECASE), value) for p, value in rules),
        folded=tuple((re.compile(p.lower()), value) for p, value in rules),
        any_case_gate=re.compile(either, re.IGNORECASE),
        folded_gate=re.compile(either.lower()),
    )


_ROUTES = _rules(_ROUTE_RULES)
_FREQUENCIES = _rules(_FREQUENCY_RULES)

_PER_FREQ = {"d": "ONCE_DAILY", "day": "ONCE_DAILY", "week": "WEEKLY", "wk": "WEEKLY"}
_SENTENCE_END = re.compile(r"(?<!\d)\.(?:\s|$)|;|\n\s*\n")
# How far past a named intervention a dose may stand and still be read as that intervention's dose.
_NAME_WINDOW = 80
# Words between a name and a dose that hand the dose to another agent ("X plus Y 125 mg").
_OTHER_AGENT = re.compile(r"\b(?:plus|and|with|or|versus|vs|followed by|combined|combination)\b|[+;/]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Dosing:
    """What a text states about how an intervention is given; ``text`` is the window it was read from."""

    dose_value: float | None = None
    dose_unit: str | None = None
    route: str | None = None
    frequency: str | None = None
    text: str | None = None


def _unit_name(raw: str) -> str:
    for pattern, name in _UNIT_PATTERNS:
        if pattern.match(raw):
            return name
    return raw


def _dose_value(match: re.Match[str]) -> float:
    value = float(match.group("num").replace(",", ""))
    if match.group("exp"):
        value *= 10 ** int(match.group("exp"))
    return value


def _sentence_around(text: str, start: int) -> str:
    """The sentence of ``text`` that contains offset ``start``."""
    begin = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        begin = m.end()
    end_match = _SENTENCE_END.search(text, start)
    end = end_match.start() if end_match else len(text)
    return text[begin:end]


def _first(rules: _Rules, text: str) -> str | None:
    if text.isascii():
        patterns, gate, text = rules.folded, rules.folded_gate, text.lower()
    else:
        patterns, gate = rules.any_case, rules.any_case_gate
    if gate.search(text) is None:
        return None
    found: set[str] = set()
    for pattern, value in patterns:
        if pattern.search(text):
            found.add(value)
            # Blank what a more specific pattern took, so the "daily" of "twice daily" is not read again as
            # ONCE_DAILY (the patterns are ordered specific first).
            text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    if len(found) == 1:
        return found.pop()
    return None


def extract_dosing(text: str | None, name: str | None = None) -> Dosing:
    """Read dose, unit, route and frequency from ``text``.

    With ``name``, only the sentence in which ``name`` is first mentioned counts, and the dose must follow the
    name closely; without it (a description that is about one intervention), the whole text counts and must
    state exactly one distinct dose.
    """
    if not text:
        return Dosing()
    window = text
    doses: list[re.Match[str]]
    if name:
        at = text.lower().find(name.lower())
        if at < 0:
            return Dosing()
        window = _sentence_around(text, at)
        name_end = window.lower().find(name.lower()) + len(name)
        doses = [m for m in _DOSE.finditer(window) if name_end <= m.start() <= name_end + _NAME_WINDOW][:1]
        if doses and _OTHER_AGENT.search(window, name_end, doses[0].start()):
            doses = []
    else:
        doses = list(_DOSE.finditer(window))
    distinct = {(_dose_value(m), _unit_name(m.group("unit"))) for m in doses}
    if len(distinct) != 1:
        # No dose, or several different ones: route/frequency only from a short, unambiguous text.
        if name or len(window) > 300:
            return Dosing()
        route, frequency = _first(_ROUTES, window), _first(_FREQUENCIES, window)
        return Dosing(route=route, frequency=frequency, text=window.strip() if (route or frequency) else None)
    value, unit = distinct.pop()
    dose = doses[0]
    scope = window if not name else _sentence_around(window, dose.start())
    frequency = _first(_FREQUENCIES, scope)
    if per := _PER_PERIOD.match(window, dose.end()):
        frequency = _PER_FREQ[per.group("per").lower()]
    return Dosing(
        dose_value=value,
        dose_unit=unit,
        route=_first(_ROUTES, scope),
        frequency=frequency,
        text=scope.strip(),
    )


def dosing_for(intervention_text: str | None, arm_text: str | None, name: str) -> Dosing:
    """How one intervention is given in one arm.

    The intervention's own text comes first. Only when it states no dose is the arm's text read, next to the
    intervention's ``name``, and that reading is taken only when it finds a dose there: a route or frequency the
    intervention's text states is not traded for nothing.
    """
    dosing = extract_dosing(intervention_text)
    if dosing.dose_value is None and arm_text:
        from_arm = extract_dosing(arm_text, name)
        if from_arm.dose_value is not None:
            return from_arm
    return dosing


@dataclass(frozen=True, slots=True)
class DoseSpan:
    """One dose written in a text: where it stands, its value and its normalised unit."""

    start: int
    end: int
    value: float
    unit: str


def find_doses(text: str) -> list[DoseSpan]:
    """Every dose ("600 mg", "1.5 mg/m2") in ``text``, in order, with its offsets (for callers that must know
    which dose stands next to which name, e.g. "600 mg of ziftomenib")."""
    return [DoseSpan(m.start(), m.end(), _dose_value(m), _unit_name(m.group("unit"))) for m in _DOSE.finditer(text)]


def find_route(text: str) -> str | None:
    """The one route ``text`` states (``ORAL``, ``INTRAVENOUS``, ...); None when it states none or several."""
    return _first(_ROUTES, text)


def find_frequency(text: str) -> str | None:
    """The one frequency ``text`` states (``ONCE_DAILY``, ``TWICE_DAILY``, ...); None when none or several."""
    return _first(_FREQUENCIES, text)
