"""Eligibility text -> one :class:`CriterionRecord` per criterion, in document order.

The splitter reads the layouts registries actually produce: legacy XML textblocks (indented ``-`` bullets or
numbers, hard-wrapped at ~100 columns), API v2 markdown (``* `` bullets, nested indentation, ``\\>=`` escapes),
AACT's ``~`` line separators, flattened web-page text ("Inclusion Criteria: 1. ... 2. ...") and registry pages
(numbered items with numbered or ``•`` sub-items). It works on lines: each line is classified as blank, header,
list item (with its marker style and indentation) or plain text; plain text either continues the current item
(wrapped line, indented paragraph) or starts a new one. Nesting follows indentation, and at equal indentation a
"smaller" marker style (``a)`` under ``1.``) nests. Offsets always index the input text.

Every regex is anchored or bounded and has no nested quantifiers, so hostile input cannot backtrack.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass, field

from trial_pipeline.models import CriterionRecord

__all__ = ["categorize", "split_criteria"]

INCLUSION = "INCLUSION"
EXCLUSION = "EXCLUSION"

# Marker styles and their nesting rank: at equal indentation a higher rank nests under a lower one.
_RANK = {"plain": 0, "num": 1, "num2": 2, "num3": 3, "letter": 4, "roman": 5, "bullet": 6}

_BULLET_CHARS = "-*•·‣◦▪▫■□●○➢►➤✓✔–—+§o"
_BULLET = re.compile(rf"[{_BULLET_CHARS}](?=[ \t\u00a0]|$)")
_ASCII_LETTERS = frozenset(string.ascii_letters)
_NUM = re.compile(r"\(?(\d{1,2})((?:\.\d{1,2}){0,2})[.)](?=[ \t\u00a0]|$)")
_ALPHA = re.compile(r"\(?([A-Za-z]|[ivxIVX]{2,5})[.)](?=[ \t\u00a0]|$)")
_ROMAN = re.compile(r"^(?:i{1,3}|iv|vi{0,3}|ix|x)$", re.IGNORECASE)
_MARKER_GAP = re.compile(r"[ \t\u00a0]{0,12}")

# "Key Inclusion Criteria:", "INCLUSION CRITERIA FOR COHORT A", "Exclusion criterion".
_KIND_HEADER = re.compile(
    r"(?:(?:key|main|major|general|additional|specific|other|study|patient|participant|subject)s?\s{1,3}){0,2}"
    r"(inclusion|exclusion)s?\s{1,3}criteri(?:a|on)\b",
    re.IGNORECASE,
)
# The same phrase inside a flattened line ("... Exclusion Criteria: ..."); must carry a colon.
_INLINE_KIND_HEADER = re.compile(
    r"(?<![A-Za-z])(?:key\s{1,3})?(?:inclusion|exclusion)\s{1,3}criteri(?:a|on)\s{0,3}:", re.IGNORECASE
)
_INLINE_BULLET = re.compile(r"[ \t]•(?:[ \t]|$)")
# Pieces cut out of a flattened line sit this much deeper than the line, so they are siblings of each other
# (across wrapped lines too) and children of the item the line belongs to.
_INLINE_INDENT = 50
# Only a line longer than this is searched for an inline 1., 2., 3. run.
_INLINE_MIN = 120
_EMPHASIS = "*_#`> \t\u00a0"
_ESCAPE = re.compile(r"\\(?=[-<>=^\[\]*_()#.+~|!{}`\\])")
_SENTENCE_END = (".", ";", ":", "!", "?")


@dataclass(slots=True)
class _Line:
    start: int  # first non-blank character
    end: int  # one past the last non-blank character
    indent: int
    blank_before: bool
    width: int  # length of the physical line including indentation (for wrap detection)
    # The line's _marker, when _segment already read it (the line is a whole physical line): read it once.
    marker_known: bool = False
    marker: tuple[str, int] | None = None


@dataclass(slots=True)
class _Item:
    seq: int
    kind: str | None
    parent: int | None
    indent: int
    style: str
    start: int
    end: int
    last_width: int
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class _Frame:
    indent: int
    style: str
    seq: int


def split_criteria(text: str, *, document_id: str, trial_id: str) -> tuple[CriterionRecord, ...]:
    """Split an eligibility text into criteria, one record per item a reader sees, in document order.

    ``criterion_seq`` starts at 1; ``parent_seq`` is the enclosing item's seq for sub-items; ``criterion_kind``
    comes from the last inclusion/exclusion header (None before any); headers are not rows. ``char_start`` /
    ``char_end`` index ``text`` (the item's own lines, marker excluded); the record's ``text`` is the span with
    whitespace collapsed and markdown escapes removed.
    """
    if not text or not text.strip():
        return ()
    lines = _segment(text)
    wrap_width = _wrap_width(lines)
    items = _structure(text, lines, wrap_width, aact="\n" not in text and "\r" not in text)
    kinds = [item.kind for item in items]
    if EXCLUSION in kinds and INCLUSION not in kinds:
        # "Eligibility criteria: ... Exclusion criteria: ...": what comes before the exclusions is inclusion.
        first_exclusion = kinds.index(EXCLUSION)
        for item in items[:first_exclusion]:
            item.kind = INCLUSION
    records = []
    unescape = _ESCAPE.sub if "\\" in text else _keep  # most texts hold no markdown escape
    for item in items:
        body = " ".join(" ".join(unescape("", text[s:e]).split()) for s, e in item.spans)
        if not body:
            continue
        records.append(
            CriterionRecord(
                document_id=document_id,
                trial_id=trial_id,
                criterion_seq=item.seq,
                text=body,
                criterion_kind=item.kind,
                parent_seq=item.parent,
                category=categorize(body),
                char_start=item.start,
                char_end=item.end,
            )
        )
    return tuple(records)


def _keep(_: str, text: str) -> str:
    """``text`` as it is: ``_ESCAPE.sub`` for a text that holds no backslash."""
    return text


# --- segmentation ---------------------------------------------------------------------------------


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Blanks around a line: indentation before, trailing blanks after.
_BLANKS = " \t\u00a0\ufeff"


def _physical_lines(text: str) -> list[tuple[int, int]]:
    """Line spans split at CR/LF, or at AACT's ``~`` separators when the text is one line."""
    spans: list[tuple[int, int]] = []
    start = 0
    if "\n" not in text and "\r" not in text:
        i = text.find("~")
        while i != -1:
            # "0~2" is a range, not a separator.
            if not (_digit_before(text, i) and _digit_after(text, i)):
                spans.append((start, i))
                start = i + 1
            i = text.find("~", i + 1)
        spans.append((start, len(text)))
        return spans
    if "\r" not in text:
        # Only LF breaks, the usual case: splitting at them gives the same spans, without a match per line.
        for line in text.split("\n"):
            spans.append((start, start + len(line)))
            start += len(line) + 1
        return spans
    for brk in _LINE_BREAK.finditer(text):
        spans.append((start, brk.start()))
        start = brk.end()
    spans.append((start, len(text)))
    return spans


def _digit_before(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and i - j <= 2 and text[j] == " ":
        j -= 1
    return j >= 0 and text[j].isdigit()


def _digit_after(text: str, i: int) -> bool:
    j = i + 1
    while j < len(text) and j - i <= 2 and text[j] == " ":
        j += 1
    return j < len(text) and text[j].isdigit()


def _segment(text: str) -> list[_Line]:
    """Non-blank lines with indentation, and flattened lines cut at inline headers and inline list markers."""
    out: list[_Line] = []
    blank = True
    base_indent = 0  # indentation of the line the current item started on
    tabs = "\t" in text
    for ls, le in _physical_lines(text):
        line = text[ls:le]
        body = line.strip(_BLANKS)
        if not body:
            blank = True
            continue
        # The first non-blank character occurs first where the body starts: only blanks come before it.
        s = ls + line.find(body[0])
        e = s + len(body)
        indent = s - ls + (3 * text.count("\t", ls, s) if tabs else 0)  # a tab counts as four
        mk = _marker(text, s, e)
        if blank or mk is not None or indent <= base_indent:
            base_indent = indent
        if e - s <= _INLINE_MIN and ":" not in body and "•" not in body:
            # Nothing _inline_pieces cuts at (a header's colon, a bullet, a long line's numbers): one piece.
            out.append(_Line(s, e, indent, blank, le - ls, True, mk))
        else:
            for k, (ps, pe) in enumerate(_inline_pieces(text, s, e)):
                inline = k > 0 or (ps > s)
                indent_k = base_indent + _INLINE_INDENT if inline else indent
                whole = (ps, pe) == (s, e)
                out.append(_Line(ps, pe, indent_k, blank and k == 0, le - ls, whole, mk if whole else None))
        blank = False
    return out


def _inline_pieces(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Cut one physical line where a flattened text hides headers, ``•`` bullets or a 1., 2., 3. sequence."""
    cuts: set[int] = set()
    # Most lines hold neither a colon nor a bullet, which every header and every bullet match holds.
    for m in _INLINE_KIND_HEADER.finditer(text, s, e) if text.find(":", s, e) >= 0 else ():
        if m.start() > s:
            cuts.add(m.start())
    for m in _INLINE_BULLET.finditer(text, s, e) if text.find("•", s, e) >= 0 else ():
        if m.start() + 1 > s:
            cuts.add(m.start() + 1)
    if e - s > _INLINE_MIN:
        # Numbering restarts under each header, so look for a 1., 2., 3. run in each header's stretch.
        bounds = [s, *sorted(c for c in cuts if c > s), e]
        for a, b in itertools.pairwise(bounds):
            cuts.update(_inline_numbers(text, a, b))
    if not cuts:
        return [(s, e)]
    pieces = []
    prev = s
    for c in sorted(cuts):
        piece = _trim(text, prev, c)
        if piece[0] < piece[1]:
            pieces.append(piece)
        prev = c
    last = _trim(text, prev, e)
    if last[0] < last[1]:
        pieces.append(last)
    return pieces


_INLINE_NUM = re.compile(r"(?<=[\s.;:])\(?(\d{1,2})[.)][ \t]")


def _inline_numbers(text: str, s: int, e: int) -> list[int]:
    """Positions of an inline run 1., 2., 3. ... (each number once, in order); needs at least 1 and 2."""
    positions: list[int] = []
    expected = 1
    start_num = _NUM.match(text, s)
    if start_num and start_num.group(1) == "1" and not start_num.group(2):
        expected = 2
    for m in _INLINE_NUM.finditer(text, s, e):
        if int(m.group(1)) == expected:
            positions.append(m.start())
            expected += 1
    if expected <= 2:
        return []
    return positions


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t\u00a0":
        s += 1
    while e > s and text[e - 1] in " \t\u00a0":
        e -= 1
    return s, e


def _wrap_width(lines: Sequence[_Line]) -> int | None:
    """The column a hard-wrapped text was wrapped at (legacy XML wraps near 100), or None if not wrapped."""
    if len(lines) < 3:
        return None
    widest = max(line.width for line in lines)
    long_lines = sum(1 for line in lines if line.width >= 70)
    if widest <= 110 and long_lines >= 1:
        return widest
    return None


# --- structure ------------------------------------------------------------------------------------


def _marker(text: str, pos: int, end: int) -> tuple[str, int] | None:
    """The list marker style at ``pos`` and where the item's content starts, or None for plain text."""
    # Each marker pattern can only start with certain characters: one look at the first skips the patterns
    # that cannot match (most lines start with a letter, which only _ALPHA and the "o" bullet start with).
    if pos >= end:
        return None
    first = text[pos]
    m = _NUM.match(text, pos, end) if first == "(" or first.isdecimal() else None
    if m:
        depth = m.group(2).count(".")
        style = "num" if depth == 0 else f"num{min(depth + 1, 3)}"
        return style, _after_gap(text, m.end(), end)
    m = _ALPHA.match(text, pos, end) if first == "(" or first in _ASCII_LETTERS else None
    if m:
        token = m.group(1)
        style = "roman" if len(token) > 1 and _ROMAN.match(token) else "letter"
        if len(token) > 1 and style != "roman":
            return None
        return style, _after_gap(text, m.end(), end)
    m = _BULLET.match(text, pos, end) if first in _BULLET_CHARS else None
    if m:
        return "bullet", _after_gap(text, m.end(), end)
    return None


def _after_gap(text: str, pos: int, end: int) -> int:
    m = _MARKER_GAP.match(text, pos, end)
    return m.end() if m else pos


def _header(text: str, s: int, e: int, *, aact: bool) -> tuple[str | None, bool, int | None]:
    """Classify a plain line as header: (kind or None, is_header, start of same-line content or None)."""
    hs, he = s, e
    while hs < he and text[hs] in _EMPHASIS:
        hs += 1
    while he > hs and text[he - 1] in _EMPHASIS:
        he -= 1
    line = text[hs:he]
    m = _KIND_HEADER.match(line)
    if m:
        kind: str | None = INCLUSION if m.group(1).lower() == "inclusion" else EXCLUSION
        colon = line.find(":", m.end(), 80)
        if colon >= 0:
            rest = _trim(text, hs + colon + 1, e)
            while rest[0] < rest[1] and text[rest[0]] in _EMPHASIS:
                rest = (rest[0] + 1, rest[1])
            return kind, True, rest[0] if rest[0] < rest[1] else None
        if len(line) <= 80:
            return kind, True, None
        return kind, True, _trim(text, hs + m.end(), e)[0]
    if not line.endswith(":") or len(line) > 120:
        return None, False, None
    words = line.split()
    # AACT keeps no blank lines, so only unmistakable titles count: "Age:", "PATIENT CHARACTERISTICS:", "For ...:".
    if aact and not (len(words) <= 3 or line.isupper() or line.lower().startswith(("for ", "eligib"))):
        return None, False, None
    low = line.lower()
    kind = None
    if "exclu" in low or "not eligible" in low or "ineligible" in low:
        kind = EXCLUSION
    elif "inclu" in low:
        kind = INCLUSION
    return kind, True, None


def _nests(parent_style: str, child_style: str) -> bool:
    return _RANK[child_style] > _RANK[parent_style]


def _structure(text: str, lines: Sequence[_Line], wrap_width: int | None, *, aact: bool) -> list[_Item]:
    items: list[_Item] = []
    stack: list[_Frame] = []
    kind: str | None = None
    cur: _Item | None = None
    prev_line: _Line | None = None
    header_open = False  # a title wrapped onto the next line: "Inclusion Criteria (general criteria;\n ...):"
    pending: tuple[int, str] | None = None  # a bare marker at a line end; its text is on the next line
    for line in lines:
        s, e = line.start, line.end
        mk = line.marker if line.marker_known else _marker(text, s, e)
        if header_open and mk is None and not line.blank_before:
            header_open = not text[s:e].endswith((":", ")"))
            prev_line = line
            continue
        header_open = False
        if pending is not None and mk is None:
            mk = (pending[1], s)
            line = _Line(s, e, pending[0], line.blank_before, line.width)
        pending = None
        if mk is None:
            if cur is not None and not aact and _continues(text, line, prev_line, cur, wrap_width):
                cur.spans.append((s, e))
                cur.end = e
                cur.last_width = line.width
                prev_line = line
                continue
            hkind, is_header, rest = _header(text, s, e, aact=aact)
            if is_header:
                if hkind is not None:
                    kind = hkind
                stack.clear()
                cur = None
                prev_line = line
                if rest is not None and text[rest] == "(" and not text[s:e].endswith((":", ")")):
                    header_open = True
                    continue
                if rest is None:
                    continue
                s = rest
                mk = _marker(text, s, e)
        prev_line = line
        if mk is None:
            style, content = "plain", s
        else:
            style, content = mk
        if content >= e:
            pending = (line.indent, style)  # a bare marker: the item's text starts on the next line
            continue
        parent = _place(stack, line.indent, style)
        seq = len(items) + 1
        cur = _Item(seq, kind, parent, line.indent, style, content, e, line.width, [(content, e)])
        items.append(cur)
        stack.append(_Frame(line.indent, style, seq))
    return items


def _place(stack: list[_Frame], indent: int, style: str) -> int | None:
    """Pop the stack to where an item with this indentation and marker style belongs; return its parent seq."""
    for i in range(len(stack) - 1, -1, -1):
        frame = stack[i]
        if frame.indent < indent:
            break
        if frame.indent == indent and frame.style == style:
            del stack[i:]
            return stack[-1].seq if stack else None
    while stack and stack[-1].indent > indent:
        stack.pop()
    while stack and stack[-1].indent == indent and not _nests(stack[-1].style, style):
        stack.pop()
    return stack[-1].seq if stack else None


def _continues(text: str, line: _Line, prev: _Line | None, cur: _Item, wrap_width: int | None) -> bool:
    """Whether a plain line continues the current item rather than starting a new one."""
    if prev is None:
        return False
    marked = cur.style != "plain"
    if line.blank_before:
        # An indented paragraph under a list item belongs to it; anything else after a blank line is new.
        return marked and line.indent > cur.indent
    if marked and line.indent > cur.indent:
        return True
    if wrap_width is not None:
        space = text.find(" ", line.start, line.end)
        first_word = (line.end if space < 0 else space) - line.start
        # The first word would have fitted on the previous line, so the break was the author's, not a wrap.
        return prev.width + 1 + first_word > wrap_width - 2
    prev_text = text[prev.start : prev.end]
    return not prev_text.endswith(_SENTENCE_END) and text[line.start].islower()


# --- category -------------------------------------------------------------------------------------

# Written in lower case (see categorize).
_CATEGORY_RULES: tuple[tuple[str, str], ...] = (
    ("age", r"^(?:\W{0,3})(?:age[ds]?\b|\d{1,2}\s*(?:-|to)\s*\d{1,2}\s*years)|\baged?\s*(?:[≥>≤<]|\d|between|over)"
     r"|\d\s*years?\s*(?:old|of age|or older|and older)|\b(?:adults?|children)\s*\(?\s*[≥>]"
     r"|\bbetween\s+\d{1,2}\s+and\s+\d{1,3}\s+years"),
    ("performance_status", r"\b(?:ecog|karnofsky|kps|lansky|zubrod|performance\s+status)\b"),
    ("pregnancy", r"pregnan|breast[- ]?feed|lactat|nursing|child[- ]?bearing|contracepti"),
    ("organ_function", r"\b(?:bilirubin|creatinine|alt|ast|sgot|sgpt|transaminase|aminotransferase|neutrophil"
     r"|anc|platelets?|ha?emoglobin|wbc|leukocytes?|uln|upper limit of normal|organ function|marrow function"
     r"|hepatic function|renal function|liver function|lvef|ejection fraction|qtc)\b"),
    ("infection", r"\b(?:hiv|hepatitis|hbv|hcv|hbsag|tuberculosis|syphilis|infections?|covid|sars-cov-2)\b"),
    ("consent", r"\b(?:consent|assent|willing|comply|compliance)\b"),
    ("concomitant_medication", r"\b(?:concomitant|concurrent\s+(?:use|medications?|treatment)|cyp3a4?|"
     r"inhibitors?\s+of|inducers?|anticoagula\w*|corticosteroids?|immunosuppress\w*|vaccines?)\b"),
    ("prior_therapy", r"\b(?:prior|previous(?:ly)?|received|lines?\s+of\s+therapy|regimens?|washout|"
     r"chemotherapy|radiotherapy|radiation\s+therapy|transplant\w*)\b"),
    ("diagnosis", r"\b(?:diagnos\w*|histolog\w*|cytolog\w*|confirmed|measurable|stage|biops\w*|tumou?rs?|"
     r"carcinoma|leuka?emia|lymphoma|myeloma|cancer|sarcoma|aml|mds)\b"),
    ("comorbidity", r"\b(?:heart|cardiac|myocardial|stroke|hypertension|diabetes|diseases?|disorders?|"
     r"malignan\w*|illness|allerg\w*|hypersensitivity|psychiatric|bleeding|neuropathy|thrombosis)\b"),
)  # fmt: skip
# One pass over the text: at the leftmost position where any rule matches, alternation tries the rules in
# order, so the match is the rule whose keyword appears first, ties going to the earlier rule.
_CATEGORY_PATTERN = "|".join(f"(?P<c{i}>{pattern})" for i, (_, pattern) in enumerate(_CATEGORY_RULES))
_CATEGORY = re.compile(_CATEGORY_PATTERN, re.IGNORECASE)
# On an ASCII text lower-cased, matching case-sensitively finds the same, about twice as fast: the engine skips
# an alternative on its first character only when that is not matched ignoring case. And every rule's match
# starts at the start, at a word that starts with a letter, at a digit or at p, b, l, n or c (the pregnancy
# keywords match inside words); testing that first skips most positions (a test holds the rules to it).
_CATEGORY_ASCII = re.compile(rf"(?:^|\b(?=[a-z])|(?=[\dpblnc]))(?:{_CATEGORY_PATTERN})")
_CATEGORY_NAMES = {f"c{i}": name for i, (name, _) in enumerate(_CATEGORY_RULES)}


def categorize(text: str) -> str:
    """Keyword category of one criterion, else ``other``.

    The rule whose keyword appears first wins (ties go to the earlier rule): a criterion names its topic
    early ("Diagnosis of AML after >= 2 lines of therapy" is a diagnosis, not prior therapy).
    """
    head = text[:2000]
    m = _CATEGORY_ASCII.search(head.lower()) if head.isascii() else _CATEGORY.search(head)
    if m is None:
        return "other"
    # The rules have no groups of their own, so the last group closed is the rule's.
    return _CATEGORY_NAMES[m.lastgroup or ""]
