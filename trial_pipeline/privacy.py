"""Personal contact details never reach the warehouse: e-mail addresses and phone numbers become ``[redacted]``.

:func:`scrub` is pure and runs in time linear in the text: every pattern is anchored by a lookbehind so it is
tried only where a token starts, and every repetition is bounded or cannot overlap its neighbour. It leaves
what the tables are for alone: NCT and EudraCT IDs (``2014-005181-30``), dates, doses, lab values
(``1.5 x 10^9/L``), ranges (``18-75``).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterable
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
# The same as r"\d{3}[-.]\d|\(\d{3}\)" for telling whether a text holds one, but it starts with a character
# set, which the regex engine scans for at C speed instead of trying the pattern at every position.
_NORTH_AMERICAN_DIGITS = re.compile(r"[-.)](?:(?<=\d{3}[-.])\d|(?<=\(\d{3}\)))")
# Cores of _INTERNATIONAL and _NORTH_AMERICAN without their lookarounds: a text holds one wherever it holds a
# match of the pattern. They tell a long text with no contact in it (a whole document's texts joined) from one
# that may hold one much more often than the clues above, so that few texts are read twice. The first starts
# with a literal and the second with a character set, which the regex engine finds at C speed.
_INTERNATIONAL_CORE = re.compile(r"\+\d[\d \u00a0().-]{5,22}\d")
_NORTH_AMERICAN_CORE = re.compile(r"[-.)](?:(?<=\d{3}[-.])\d{3}[-.]\d{4}|(?<=\(\d{3}\))[ ]?\d{3}[-.]\d{4})")
_LABELS = (b"tel", b"phone", b"mobile", b"fax")
_LABEL_STEMS = (b"tel", b"phone", b"mob", b"fax")
# ASCII word characters once letters are lower-cased: what ``\w`` matches before a label in an ASCII text.
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789_")
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
    """Whether ``text`` may hold a phone label; True wherever ``_LABEL_WORD`` finds one.

    Read from the UTF-8 bytes with ASCII letters lower-cased: offsets stay put and ``bytes.find`` runs at C
    speed, several times faster than the regex search, which tries every position. An ASCII text is read
    exactly. In any other text a label's letters are still ASCII (the regex matches no other character for
    them, but for the i of "mobile": "ı" and "İ", so only "mob" is looked for), and a non-ASCII character
    before one is taken for a word boundary: more texts pass, none that holds a label is missed.
    """
    folded = text.encode("utf-8", "surrogatepass").lower()
    return any(_starts_word(folded, label) for label in (_LABELS if text.isascii() else _LABEL_STEMS))


def _starts_word(folded: bytes, word: bytes) -> bool:
    """Whether ``word`` occurs in ``folded`` with no ASCII word character right before it (``\\b`` + word).

    The loop runs once per occurrence ("hotel", "intel"), so it stays linear in the text.
    """
    i = folded.find(word)
    while i >= 0:
        if i == 0 or folded[i - 1] not in _WORD_BYTES:
            return True
        i = folded.find(word, i + 1)
    return False


def _may_hold_contact(text: str) -> bool:
    """Whether ``text`` holds something one of the patterns needs; when not, :func:`scrub` leaves it alone.

    Each test is implied by a match of its pattern, so ``False`` proves that no pattern matches.
    """
    return (
        "@" in text
        or ("+" in text and _INTERNATIONAL_CORE.search(text) is not None)
        or _NORTH_AMERICAN_CORE.search(text) is not None
        or _has_label_word(text)
    )


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


def _joined_texts(groups: Iterable[Iterable[object]]) -> str:
    """Every text in ``groups``, texts in lists too, joined by line breaks: no pattern's clue spans one."""
    return "\n".join(
        [
            v if isinstance(v, str) else "\n".join([t for t in v if isinstance(t, str)])
            for group in groups
            for v in group
            if isinstance(v, (str, tuple))
        ]
    )


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    """The field names of the record dataclass ``kind``, read once per kind."""
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names


def _rows(records: tuple[_R, ...]) -> tuple[tuple[str, ...], list[tuple[object, ...]]]:
    """The field names of ``records`` (all of one kind) and each record's field values, in that order."""
    names = _field_names(type(records[0]))
    values = attrgetter(*names)
    return names, [values(r) for r in records] if len(names) > 1 else [(values(r),) for r in records]


def scrub_records(records: tuple[_R, ...]) -> tuple[_R, ...]:
    """``records`` with every text field and every text in a list field scrubbed."""
    if not records:
        return records
    names, rows = _rows(records)
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


def _distinct_values(tables: Iterable[tuple[Any, ...]]) -> set[object] | None:
    """Every field value of every record, each once; None if one cannot be hashed (then read table by table).

    Records repeat many values (provenance, a measure's title on each of its result rows), so the one look
    over the whole document reads far less text once repeats are dropped.
    """
    distinct: set[object] = set()
    try:
        for records in tables:
            if records:
                names = _field_names(type(records[0]))
                values = map(attrgetter(*names), records)
                distinct.update(itertools.chain.from_iterable(values) if len(names) > 1 else values)
    except TypeError:
        return None
    return distinct


def scrub_parsed(parsed: ParsedDocument) -> ParsedDocument:
    """A parse result with contact details removed from every record and problem message.

    Applied once per document as it is parsed (in the worker), before the result is cached, staged or logged,
    so that nothing downstream ever holds a phone number or an e-mail address.
    """
    problems = tuple(scrub(p) for p in parsed.problems)
    tables = {table: getattr(parsed, table) for table in RECORD_TABLES}
    distinct = _distinct_values(tables.values())
    # Most documents hold nothing any pattern needs in any text: one look over them all settles it.
    if distinct is not None and not _may_hold_contact(_joined_texts([distinct])):
        if all(new is old for new, old in zip(problems, parsed.problems, strict=True)):
            return parsed
        return dataclasses.replace(parsed, problems=problems)
    return dataclasses.replace(
        parsed,
        problems=problems,
        # Every key is a record-table field of ParsedDocument, each a tuple of records.
        **{table: scrub_records(records) for table, records in tables.items()},  # type: ignore[arg-type]
    )
