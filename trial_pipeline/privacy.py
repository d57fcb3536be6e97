"""Personal contact details never reach the warehouse: e-mail addresses and phone numbers become ``[redacted]``.

:func:`scrub` is pure and runs in time linear in the text: every pattern is anchored by a lookbehind so it is
tried only where a token starts, and every repetition is bounded or cannot overlap its neighbour. It leaves
what the tables are for alone: NCT and EudraCT IDs (``2014-005181-30``), dates, doses, lab values
(``1.5 x 10^9/L``), ranges (``18-75``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import Any, TypeVar

from trial_pipeline.models import RECORD_TABLES, ParsedDocument

REDACTED = "[redacted]"

_EMAIL = re.compile(
    r"(?<![\w.%+-])"  # start of the local part only: one attempt per run of address characters
    r"[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"
)
# "+86 13008706320", "+44 (0)20 7946 0958", "+1-617-555-0100": a plus, then digits and separators (bounded).
_INTERNATIONAL = re.compile(r"(?<![\w+])\+\d[\d \u00a0().-]{5,22}\d(?!\w)")
# "(617) 555-0100", "617-555-0100", "617.555.0100", "1-800-555-0100": North American numbers.
_NORTH_AMERICAN = re.compile(
    r"(?<![\w.+/-])(?:1[-. ])?(?:\(\d{3}\)[ ]?\d{3}[-.]\d{4}|\d{3}([-.])\d{3}\1\d{4})(?![\w]|[.-]\d)"
)
# "Tel: 010 1234 5678", "Phone 555-0100", "Fax.: 0044 20 7946 0958": any digits a phone label introduces.
_LABELLED = re.compile(
    r"\b(?i:tel|telephone|phone|mobile|fax)\b\.?[ \t]*(?:(?i:no|number)\.?[ \t]*)?:?[ \t]*"
    r"(\+?\(?\d[\d \u00a0().-]{4,22}\d)(?![\w])"
)
# What each pattern needs: most texts hold none of these. "@" and "+" are found with ``in``.
_LABEL_WORD = re.compile(r"\b(?:tel|phone|mobile|fax)", re.IGNORECASE)
# Lower-cased, an ASCII text matches this exactly where it matches _LABEL_WORD, several times faster: the regex
# engine skips an alternative on a first character that differs only when it compares characters exactly.
_LABEL_WORD_FOLDED = re.compile(r"\b(?:tel|phone|mobile|fax)")
# The same as r"\d{3}[-.]\d|\(\d{3}\)" for telling whether a text holds one, but it starts with a character
# set, which the regex engine scans for at C speed instead of trying the pattern at every position.
_NORTH_AMERICAN_DIGITS = re.compile(r"[-.)](?:(?<=\d{3}[-.])\d|(?<=\(\d{3}\)))")
# Fewer digits than this after a plus is a signed value ("+100 000 cells"), not a phone number.
_MIN_PHONE_DIGITS = 8

_R = TypeVar("_R", bound=Any)


def _international(match: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in match.group(0))
    return REDACTED if digits >= _MIN_PHONE_DIGITS else match.group(0)


def _labelled(match: re.Match[str]) -> str:
    number = match.group(1)
    if sum(ch.isdigit() for ch in number) < 7:
        return match.group(0)
    return match.group(0)[: match.start(1) - match.start(0)] + REDACTED


def _has_label_word(text: str) -> bool:
    # A substring test on the lower-cased text first: far cheaper than the search, and every text the search
    # finds a label in passes it ("mob", since the regex also reads a dotless "ı" as "i").
    lower = text.lower()
    if not ("tel" in lower or "phone" in lower or "mob" in lower or "fax" in lower):
        return False
    return bool(_LABEL_WORD_FOLDED.search(lower) if text.isascii() else _LABEL_WORD.search(text))


def _may_hold_contact(text: str) -> bool:
    """Whether ``text`` holds something one of the patterns needs; when not, :func:`scrub` leaves it alone."""
    return "@" in text or "+" in text or bool(_NORTH_AMERICAN_DIGITS.search(text)) or _has_label_word(text)


def scrub(text: str) -> str:
    """``text`` with every e-mail address and phone number replaced by ``[redacted]``."""
    if "@" in text:
        text = _EMAIL.sub(REDACTED, text)
    if "+" in text:
        text = _INTERNATIONAL.sub(_international, text)
    if _has_label_word(text):
        text = _LABELLED.sub(_labelled, text)
    if _NORTH_AMERICAN_DIGITS.search(text):
        text = _NORTH_AMERICAN.sub(REDACTED, text)
    return text


def contains_contact(text: str) -> bool:
    """Whether ``text`` still holds something :func:`scrub` would redact."""
    return scrub(text) != text


def _scrub_value(value: object) -> object:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, tuple):
        return tuple(scrub(v) if isinstance(v, str) else v for v in value)
    return value


def _joined_texts(groups: Iterable[Sequence[object]]) -> str:
    """Every text in ``groups``, texts in lists too, joined by line breaks: no pattern's clue spans one."""
    return "\n".join(
        [
            v if isinstance(v, str) else "\n".join([t for t in v if isinstance(t, str)])
            for group in groups
            for v in group
            if isinstance(v, (str, tuple))
        ]
    )


def scrub_records(records: tuple[_R, ...]) -> tuple[_R, ...]:
    """``records`` with every text field and every text in a list field scrubbed."""
    if not records:
        return records
    names = [f.name for f in dataclasses.fields(records[0])]
    values = attrgetter(*names)
    rows = [values(r) for r in records] if len(names) > 1 else [(values(r),) for r in records]
    # One look over all the texts settles most tables, and one per field most fields of the rest: nothing
    # there holds what a pattern needs, so nothing can change.
    if not _may_hold_contact(_joined_texts(rows)):
        return records
    changes: dict[int, dict[str, object]] = {}
    for name, column in zip(names, zip(*rows, strict=True), strict=True):
        if not _may_hold_contact(_joined_texts([column])):
            continue
        for i, value in enumerate(column):
            if (cleaned := _scrub_value(value)) is not value and value != cleaned:
                changes.setdefault(i, {})[name] = cleaned
    return tuple(dataclasses.replace(r, **changes[i]) if i in changes else r for i, r in enumerate(records))


def scrub_parsed(parsed: ParsedDocument) -> ParsedDocument:
    """A parse result with contact details removed from every record and problem message.

    Applied once per document as it is parsed (in the worker), before the result is cached, staged or logged,
    so that nothing downstream ever holds a phone number or an e-mail address.
    """
    return dataclasses.replace(
        parsed,
        problems=tuple(scrub(p) for p in parsed.problems),
        **{table: scrub_records(getattr(parsed, table)) for table in RECORD_TABLES},  # type: ignore[arg-type]
    )
