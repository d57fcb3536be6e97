"""MedPath's flattened "Name / Time / Method" outcome tables: measures, time frames and descriptions.

When a MedPath page is saved as text, each row of an outcome table is one paragraph with its cells glued
together, the measure straight onto its time frame ("Dose-Limiting ToxicityFrom the first dose ..."), and a
row's description, when it has one, follows as a paragraph of its own. The rows are cut before the words time
frames start with, at glued boundaries that the page's own text supports (its words and tokens, the time frames
other rows share). :func:`read_outcome_tables` takes the tables' rows and what the rest of the page writes and
returns plain outcome tuples; :func:`untimed_outcomes` reads a section that states no time frames (the mirror
reader uses it too).

Every regex is linear (no unbounded nested quantifiers), every scan of a glued row stops after a fixed prefix,
rows are compared pairwise only up to a fixed number of them, and every loop is bounded by the page size,
because the text is untrusted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from trial_pipeline.parsers.common import clean_inline
from trial_pipeline.parsers.page_text import MAX_INDEX_CHARS, MAX_NAME_LEN, MAX_ROW_SCAN, page_words, sentence_end
from trial_pipeline.vocab import lexicon

# A time frame is a phrase ("Up to 8 years"); a longer tail cut off a paragraph is a description's sentences.
_MAX_FRAME_LEN = 100
# The shortest tail two rows must share, or a row must repeat, to be taken for a time frame; and how many outcome
# paragraphs of a page are compared pairwise (the corpus's largest tables have ~40 rows).
_MIN_FRAME = 4
_MAX_SHARED_OUTCOMES = 50
# The longest number a time frame starts with that a measure may end with too ("Week 1212 weeks").
_MAX_NUMBER_DIGITS = 4
# A run of letters, capitalised or not, that a lower-case time frame may be glued into ("Monthstwo").
_GLUED_LOWER = re.compile(r"[A-Za-z][a-z]{3,}")
# A token that ends in digits glued to more digits or a letter ("IL-22", "CD2024", "2.04"), and a version number
# with one decimal right before the cut ("version 2.0|4 weeks", "v3.0|6 months").
_GLUED_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]{0,30}\d")
_VERSION = re.compile(r"(?:\bversion |\bv)\d{1,2}\.\d\Z", re.IGNORECASE)
_EDGE_MARKS = "\"'“”‘’.,;:()[]{}"
# Words a time frame usually starts with; used to find where a glued "measure + time frame" cell splits.
_TIME_FRAME_START = re.compile(
    r"(?:From|Up to|Baseline|Day|Days|Week|Weeks|Month|Months|Year|Years|At|Through|Throughout|Time|Within|"
    r"Approximately|Screening|Cycle|Every|During|Pre|Post|End|Until|Change|Hour|Hours|Minute|Minutes|Visit|Once|"
    r"Average|Median|Over|Assessed|Measured|Evaluated|Observed|Each|Entire|Study|Length|Duration|Approx|After|"
    r"Before|Prior|Following|Continuous|Daily|Weekly|Monthly|Yearly|Annual|Annually|Ongoing|Overnight|Upon|"
    r"Participants|Single|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Twelve|First|Last|Immediately|Initial|"
    r"Enrollment|Randomization|Start|On|In|Up|Throught|Twice|Thrice|Immediate)\b"
    # Numbers with a unit, alone or in a list: "12 weeks", "3, 6, and 9 months", "15 & 30 min", "72h".
    r"|\d{1,4}(?:[.,]\d{1,3})?(?:(?:,?\s?(?:and|or|to|&)|\s?[-–,/&])\s?\d{1,4}(?:[.,]\d{1,3})?){0,8}"
    r"(?:\s|-\s?|(?=(?-i:[a-z])))"
    r"(?:hours?|days?|weeks?|months?|years?|minutes?|mins?|hrs?|h|wks?|mos?|cycles?|times?|doses?|visits?)\b"
    # A calendar year or a span of years: "2009", "1979-2012"; a date: "12/31/2050".
    r"|(?:19|20)\d\d(?:\s?[-–]\s?(?:19|20)\d\d)?\b|\d{1,2}/\d{1,2}/(?:19|20)\d\d\b"
    # A month and a year: "Dec 2009", "September 2010".
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.? (?:19|20)\d\d\b",
    re.IGNORECASE,
)
# Time frames that start in lower case ("timeone year", "studyongoing", "protocols.up to 4.25 years").
_LOWER_FRAME_START = re.compile(
    r"(?:up to|ongoing|on-going|on going|baseline|throughout|during|until|within|every|end of|prior to|from|after|"
    r"before|pre|post|approx|approximately|annually|yearly|quarterly|monthly|weekly|daily|intermittent(?:ly)?|"
    r"continuous(?:ly)?|lifetime|duration of|length of|conclusion of|no more than|across (?:the )?study|"
    r"time (?:points?|from|of|to)|each (?:study )?visit|(?:assessed|assessments?|measured|observed|evaluated) "
    r"(?:at|every|on|over|during|from|until|through|in|after|before|one|\d)|pre(?:treatment|dose|op|operative|study|entry)|"
    r"post(?:treatment|dose|op|operative|transplant|surgery)|following|through|change from|start of|"
    r"(?:hours?|days?|weeks?|months?|years?) (?:after|before|post|from|of)|"
    r"(?:one|two|three|four|five|six|twelve)(?:[ -](?:days?|weeks?|months?|years?|cycles?)| and)|"
    r"at (?:the|study|each|end|close|baseline|visit|time|any|disease|screen|screening|day|week|month|year)s?|"
    r"study (?:months?|weeks?|days?|end|visits?|duration|entry|completion)|screening|(?:at )?several (?:time ?points|"
    r"points|visits|times)|(?:whole|entire) (?:study|treatment|trial)|(?:intra|peri)-?operative(?:ly)?|perioperation|"
    r"the (?:first|last|entire|whole)|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.? (?:19|20)\d\d)\b"
    r"|(?:at|over|q|weeks?|days?|months?|years?|cycles?) ?\d"
    # A unit alone ends the row: "TIMI flowminutes".
    r"|(?:seconds|minutes|hours|days|weeks|months|years)\Z"
)
# Lower-case time frames that start with a unit or a prefix, which may follow a number as part of it ("24hours",
# "12weeks", "8pre-dose"); other ones glued to a number start a time frame ("Step 1assessed at the end of ...").
_UNIT_START = re.compile(r"(?:seconds|minutes|hours?|days?|weeks?|months?|years?|cycles?|q|pre|post)")
# An acronym that starts a phrase: "PFS assessed 7 days prior to every cycle".
_ACRONYM_WORD = re.compile(r"[A-Z]{2,8} [a-z]")
_TIME_WORD = re.compile(
    r"\b(?:\d+|hours?|days?|weeks?|months?|years?|minutes?|baseline|visits?|discharge|follow-?up|study|treatment|"
    r"therapy|surgery|cycles?|doses?|daily|weekly|monthly|annual(?:ly)?|yearly|ongoing|overnight|end|time|period|"
    r"duration|until|through(?:out)?|during|after|before|prior|post|pre)\b",
    re.IGNORECASE,
)


# --- the time frame glued to its measure --------------------------------------------------------------------


def _glued_word(text: str, i: int) -> str:
    """The letters and digits around offset ``i`` (at most ``MAX_NAME_LEN`` each side), lower-cased."""
    start = i
    while start > 0 and i - start < MAX_NAME_LEN and text[start - 1].isalnum():
        start -= 1
    end = i
    while end < len(text) and end - i < MAX_NAME_LEN and text[end].isalnum():
        end += 1
    return text[start:end].lower()


def _doubled_number(cell: str, i: int) -> bool:
    """Whether offset ``i`` halves a run of digits into the same number twice, each of two digits or more
    ("Week 1212 weeks", "Day +100100 days"): a measure that ends with the number its time frame starts with."""
    start = i
    while start > 0 and i - start <= _MAX_NUMBER_DIGITS and cell[start - 1].isdigit():
        start -= 1
    end = i
    while end < len(cell) and end - i <= _MAX_NUMBER_DIGITS and cell[end].isdigit():
        end += 1
    if cell[start - 1 : start] in {".", ","} or cell[end : end + 1] in {".", ","}:
        return False  # part of a decimal or a grouped number: "0.1212", "1,1212"
    return i - start == end - i >= 2 and cell[start:i] == cell[i:end]


def _split_measure(cell: str, words: frozenset[str]) -> tuple[str, str | None, bool]:
    """Cut a flattened "measure + time frame" cell ("Dose-Limiting ToxicityFrom the first dose ...").

    Returns the measure, the time frame and whether the cut is sure: it stands at a glued boundary before a word,
    number or year that time frames start with ("timeone year", "arms.2 years", "PANSS12 weeks"). Without one, the
    first weaker sign is the cut: a capitalised word glued on ("(HZ)Incidence of ..."), a word glued to a number
    or to a closing bracket, a bracketed tail; else nothing is cut. Never inside a number, a code ("T360") or a
    glued token that the page uses elsewhere as a word ("McGill"), a common word ("thereafter"), a token that a
    letter starts ("q3wks") or a phrase that a quote or a "%" opens ('"Days of Poor Control"'). A number written
    twice is cut in half ("Week 1212 weeks"), and "?", "%" or ";" glued to a number ends the measure ("sleep?8 weeks").
    """
    limit = min(len(cell), MAX_ROW_SCAN)
    common = lexicon.common_words()
    fallback = None
    for i in range(1, limit):
        before, here = cell[i - 1], cell[i]
        previous = cell[i - 2 : i - 1]
        if before.isspace() or before in "(-/[" or here.isspace():
            continue
        if before in "\"'“‘%" and previous in {" ", ""}:
            continue  # a mark that opens a phrase: 'Percentage of "Days of Poor Control"', "Stages; %Time Spent"
        if here.isdigit():
            if before.isdigit() and _doubled_number(cell, i) and _TIME_FRAME_START.match(cell, i):
                return cell[:i].strip(), cell[i:].strip(), True  # "Change at Week 1212 weeks"
            if not (before.isalpha() or before in ").]?%;") or (before == "." and previous.isdigit()):
                continue  # inside a number, or after a sign ("≥60 years"); prose puts a space after "?", "%", ";"
            if before.isalpha() and (previous in {" ", "(", ""} or (before == "x" and previous.isdigit())):
                continue  # a letter and a number are one token: "q3wks", "(up to l8 hrs)", "7x24 hours"
            if before == "." and ((sentence_end(cell, i) and previous.islower()) or previous in {")", "]", "."}):
                # A sentence glued to a number: "... the safety-check arms.2 years", "... human ma...12/31/2029".
                return cell[:i].strip(), cell[i:].strip(), True
            if before.isupper():
                # A code ("T360", "AUC0-24hr", "PIV3" written so on the page) unless an acronym ends the measure:
                # "PANSS12 weeks", "SLE12/31/2050".
                m = _TIME_FRAME_START.match(cell, i)
                acronym = previous.isupper() and _glued_word(cell, i) not in words
                if acronym and m is not None and (" " in m.group(0) or "/" in m.group(0)):
                    return cell[:i].strip(), cell[i:].strip(), True
                continue
            word = cell[i - 4 : i]
            if fallback is None and word.isalpha() and word.islower() and _glued_word(cell, i) not in words:
                fallback = i  # a word glued to a number: "Opiate craving10 test days"
        elif here.isupper():
            if before.isupper() and not cell[i + 1 : i + 2].islower():
                continue  # inside an acronym; "CSFUp to", "IgABaseline" still end one with a capitalised word
        elif here.islower():
            after_number = before.isdigit() and not _UNIT_START.match(cell, i) and _glued_word(cell[:i], i).isdigit()
            if (before.isalpha() or before in ".)]%" or after_number) and (m := _LOWER_FRAME_START.match(cell, i)):
                # Inside a word, only a cut that leaves a word of three letters or more, or a token the page writes
                # ("HbA1cafter 18 weeks", "arm IIbaseline"), before it, in a token that neither the page nor common
                # prose uses ("bonesat 6" but not "reassessed", "thereafter"); "at" ends so many words ("treat the",
                # "that 6") that the word before it must be one the page uses, a common one, or a long one. After a
                # bare number, any such start but a unit ("Step 1assessed at", not "24hours after").
                left = _glued_word(cell[:i], i)
                glued_token = _glued_word(cell, i)
                piece = cell[i - 3 : i].isalpha() or (len(left) >= 2 and left in words)
                inside = piece and glued_token not in words and glued_token not in common
                after_word = not m.group(0).startswith("at") or left in words or left in common or len(left) >= 5
                if not before.isalpha() or (inside and after_word):
                    return cell[:i].strip(), cell[i:].strip(), True
            if fallback is None and before == "." and cell[i - 5 : i - 1].isalpha() and previous.islower():
                fallback = i  # a sentence glued to a lower-case phrase: "... these discoveries.at close of study"
            elif fallback is None and before in ");" and cell[i : i + 2].isalpha():
                # A bracket or a semicolon glued to a word: "(Baseline Cortisol Level)postintubation", "FEV1;daily";
                # prose puts a space after both.
                fallback = i
            continue
        elif here == "(" and before.isalpha() and cell.endswith(")") and cell.find(")", i) == len(cell) - 1:
            if fallback is None:
                fallback = i  # a bracketed time frame: "survival without CLD(measured at 36 weeks after birth)"
            continue
        else:
            continue
        if _TIME_FRAME_START.match(cell, i):
            return cell[:i].strip(), cell[i:].strip(), True
        # A capitalised word glued to a word of three letters or more, a number or a bracket: "interviewDiagnosis",
        # "HATPatients", "1999Evaluated", but not a unit or a brand written in camel case ("15mCi", "pAkt").
        glued = here.isupper() and (cell[i + 1 : i + 2].islower() or _ACRONYM_WORD.match(cell, i) is not None)
        glued = glued and (cell[i - 3 : i].isalpha() or before.isdigit() or before in ")]%;" or sentence_end(cell, i))
        if fallback is None and glued and not (before.isalpha() and _glued_word(cell, i) in words):
            fallback = i
    if fallback is not None:
        pair = cell[fallback - 1 : fallback + 1]
        # An acronym glued to a lower-case word: "HATPatients" cuts before the capital that starts a word,
        # "CPAPminutes" after the acronym when only that leaves a word.
        acronym_word = pair.isalpha() and pair.isupper() and cell[fallback + 1 : fallback + 2].islower()
        if (
            acronym_word
            and _glued_word(cell[fallback:], 0) not in common
            and _glued_word(cell[fallback + 1 :], 0) in common
        ):
            fallback += 1
        return cell[:fallback].strip(), cell[fallback:].strip(), False
    return cell.strip(), None, False


def _glued_at(row: str, i: int) -> bool:
    """Whether ``row[i - 1]`` and ``row[i]`` are two printed characters with nothing between them."""
    return 0 < i < len(row) and not row[i - 1].isspace() and not row[i].isspace() and row[i - 1] not in "(-/["


def _case_seam(row: str, i: int) -> bool:
    """Whether a glued boundary reads as two cells: a capital or a digit after a lower-case word or a closing mark
    ("SurvivalTill", "week26"), not inside a number ("2.04") or a code ("CD8", "6A")."""
    before, here = row[i - 1], row[i]
    return (here.isupper() or here.isdigit()) and (before.islower() or before in ")]%;")


def _doubled_frame(row: str) -> int | None:
    """Where a time frame that repeats the end of its own measure starts ("... at least 4 weeks aparttwo consecutive
    evaluations at least 4 weeks apart", "... (mean of the last 2 weeks).mean of the last 2 weeks"): the longest
    tail that the text right before it spells again, closing marks aside."""
    limit = min(len(row) // 2, MAX_ROW_SCAN // 2)
    lower = row.lower()
    for size in range(limit, _MIN_FRAME - 1, -1):
        at = len(row) - size
        if not (_glued_at(row, at) and row[at].isalnum()):
            continue
        gap = 0
        while gap < 3 and lower[at - gap - 1 : at - gap] in {")", "]", ".", ";", ","}:
            gap += 1
        if lower[at - gap - size : at - gap] == lower[at:]:
            return at
    return None


def _shared_frames(rows: Sequence[str], words: frozenset[str], vocabulary: frozenset[str]) -> dict[str, int]:
    """Where the time frame starts in rows that end with the same time frame as another row of the page.

    Two rows that end alike and differ before were glued where they start to agree, if a cell boundary can stand
    there: a capital or a digit after a lower-case word in one of them ("Operative timeIntraoperative"), or two
    lower-case words glued into a token that is no word ("Painshort-term = 12 weeks"). Where the agreement starts
    after a space or inside a word ("Overall SurvivalTill ...", "Failure Free SurvivalTill ..."), the frame starts
    at the first such capital or digit inside it. Rows that share more than a time frame's length share a sentence,
    not a frame. Rows are compared pairwise only up to ``_MAX_SHARED_OUTCOMES`` of them, and only in their last
    ``_MAX_FRAME_LEN`` characters.
    """
    distinct = list(dict.fromkeys(rows))[:_MAX_SHARED_OUTCOMES]
    tails = [row[-_MAX_FRAME_LEN - 1 :].lower()[::-1] for row in distinct]
    cuts: dict[str, int] = {}
    for a, row_a in enumerate(distinct):
        for b in range(a + 1, len(distinct)):
            row_b = distinct[b]
            size = len(_common_prefix(tails[a], tails[b]))
            if size < _MIN_FRAME or size > _MAX_FRAME_LEN or size >= min(len(row_a), len(row_b)):
                continue
            if ". " in row_a[: len(row_a) - size] or ". " in row_b[: len(row_b) - size]:
                continue  # a sentence before the shared end: descriptions that end alike
            for n in range(size, _MIN_FRAME - 1, -1):
                i, j = len(row_a) - n, len(row_b) - n
                if not (_glued_at(row_a, i) and _glued_at(row_b, j)):
                    continue
                seam = _case_seam(row_a, i) or _case_seam(row_b, j)
                lower = n == size and row_a[i - 1 : i + 1].islower() and row_b[j - 1 : j + 1].islower()
                if not (seam or lower) or ". " in row_a[i:]:
                    continue
                if _glued_word(row_a, i) in words or _glued_word(row_b, j) in words:
                    continue
                tail = row_a[i:]
                if seam or (_glued_word(tail, 0) in vocabulary and _frame_sized(tail)):
                    cuts.setdefault(row_a, i)
                    cuts.setdefault(row_b, j)
                    break
    return cuts


def _known_frame(paragraph: str, frames: Sequence[str], words: frozenset[str]) -> int | None:
    """Where a time frame read off another row of the page starts at the end of a paragraph, glued to what comes
    before it ("... each day after the infusionTwice daily until day 3", "Adverse events, grades 1-5up to one
    year"): the longest such frame, at a glued boundary that is neither inside a number ("12 weeks" does not end
    in the frame "2 weeks") nor inside a token the page writes as a word."""
    for frame in frames:
        at = len(paragraph) - len(frame)
        if at <= 0 or not paragraph.endswith(frame) or not _glued_at(paragraph, at):
            continue
        before, here = paragraph[at - 1], paragraph[at]
        if (before.isdigit() and here.isdigit()) or (before.isalpha() and _glued_word(paragraph, at) in words):
            continue
        return at
    return None


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


def _word_split(cell: str, words: frozenset[str], vocabulary: frozenset[str]) -> int | None:
    """Where a time frame starts that is glued lower case to the measure's last word ("bonestake one to two weeks",
    "Areaparticipants were followed ..."): inside a token that the page never writes and no word list holds, between
    two words that it does, before a tail as short as a time frame."""
    limit = min(len(cell), MAX_ROW_SCAN)
    for m in _GLUED_LOWER.finditer(cell, 0, limit):
        token = m.group(0).lower()
        if token in words:
            continue
        for k in range(len(token) - 1, _MIN_FRAME - 1, -1):
            if token[:k] in vocabulary and token[k:] in vocabulary and _frame_sized(cell[m.start() + k :]):
                return m.start() + k
    return None


def _page_tokens(lines: Iterable[str]) -> frozenset[str]:
    """The page's tokens as written between spaces, outer punctuation stripped ("IL-2", "CD20", "2.0"), from at most
    ``MAX_INDEX_CHARS`` of text: a token found here is one the page writes, not a cell glued to a number."""
    tokens: set[str] = set()
    size = 0
    for line in lines:
        size += len(line)
        if size > MAX_INDEX_CHARS:
            break
        tokens.update(t.strip(_EDGE_MARKS) for t in line.split())
    return frozenset(tokens)


def _number_seam(cell: str, tokens: frozenset[str]) -> int | None:
    """Where a time frame starts that is glued to a code or a number ending the measure ("IL-22 years", "CD2024 weeks",
    "version 2.04 weeks"): a digit right after a letter or a digit, starting a number with a unit, where the token
    before it is a code that the page writes elsewhere (the longest such; a bare number proves nothing), or a version
    number with one decimal."""
    limit = min(len(cell), MAX_ROW_SCAN)
    best = None
    for m in _GLUED_NUMBER.finditer(cell, 0, limit):
        for i in range(m.start() + 1, m.end()):
            if not cell[i].isdigit() or not _TIME_FRAME_START.match(cell, i) or cell[i - 1] == ".":
                continue
            start = cell.rfind(" ", 0, i) + 1
            left = cell[start:i].lstrip(_EDGE_MARKS)
            attested = left in tokens and any(c.isalpha() for c in left)
            if attested or (best is None and _VERSION.search(cell[max(0, start - 9) : i]) is not None):
                best = i
        if best is not None:
            return best
    return None


def _frame_sized(tail: str | None) -> bool:
    """Whether a tail cut off a paragraph reads like a time frame: short, with a number or a word of time.

    A description runs on in sentences; a brand written in camel case leaves a tail with no time in it
    ("EuroQol Questionnaire").
    """
    return tail is not None and len(tail) <= _MAX_FRAME_LEN and ". " not in tail and _TIME_WORD.search(tail) is not None


def _describes(measure: str, paragraph: str) -> bool:
    """Whether a paragraph after an untimed measure is its description rather than the next measure.

    A description is a capitalised sentence at least twice as long as a measure that is not a sentence itself;
    short paragraphs in a row are a list of measures.
    """
    return (
        not measure.endswith((".", ":", ";"))
        and paragraph[:1].isupper()
        and paragraph.endswith(".")
        and len(paragraph) >= 2 * len(measure)
    )


def untimed_outcomes(kind: str, paragraphs: Sequence[str]) -> list[tuple[str, str, str | None, str | None]]:
    """Outcomes of a section that states no time frames: measures, each with the description that follows it."""
    found: list[tuple[str, str, str | None, str | None]] = []
    for paragraph in paragraphs:
        if found and found[-1][3] is None and _describes(found[-1][1], paragraph):
            found[-1] = (kind, found[-1][1], None, clean_inline(paragraph))
        else:
            found.append((kind, clean_inline(paragraph) or paragraph, None, None))
    return found


def read_outcome_tables(
    tables: Sequence[tuple[str, Sequence[str]]], words: frozenset[str], other_lines: Iterable[str]
) -> list[tuple[str, str, str | None, str | None]]:
    """The "Name / Time / Method" tables: each row a measure glued to its time frame, then its description.

    ``tables`` holds each table's kind ("PRIMARY", "SECONDARY", ...) and its paragraphs, heading and footer
    dropped; ``words`` the lower-cased words of the page's free text; ``other_lines`` the page's lines outside the
    tables, whose tokens tell a code the page writes from a cell glued to a number. Returns (kind, measure, time
    frame, description) for each outcome, in the tables' order.

    When no row of the page has a time frame to cut, the rows are read like an untimed list. Otherwise a
    paragraph after a row is the next row when it carries a time frame, else that row's description; a time
    frame read off one row then cuts the rows whose time frame starts with no known word ("Throughout study"),
    and a paragraph that ends with it glued on is a row ("Lipids. HDL, LDL,6 months" after "Pain score6 months").
    """
    tokens = _page_tokens(other_lines)
    splits = {p: _split_measure(p, words) for _, rows in tables for p in rows}
    paragraphs = [p for _, rows in tables for p in rows]
    vocabulary = lexicon.common_words() | page_words(paragraphs)
    for p in paragraphs:
        if not splits[p][2] and (at := _doubled_frame(p)) is not None:
            splits[p] = (p[:at].strip(), p[at:].strip(), True)
    for p in paragraphs:
        measure, _, sure = splits[p]
        at = _number_seam(p, tokens)
        if at is not None and (not sure or (len(measure) < at and " " not in p[len(measure) : at])):
            splits[p] = (p[:at].strip(), p[at:].strip(), True)
    for p, at in _shared_frames(paragraphs, lexicon.common_words() | words, vocabulary | words).items():
        if not splits[p][2]:
            splits[p] = (p[:at].strip(), p[at:].strip(), True)
    known = lexicon.common_words() | words
    # A paragraph that ends with a time frame read off another row, glued on, is a row with that frame.
    read = {tf for _, tf, sure in splits.values() if sure or _frame_sized(tf)}
    read |= {splits[rows[0]][1] for _, rows in tables if rows}
    longest_first = sorted({tf for tf in read if tf and len(tf) >= _MIN_FRAME}, key=len, reverse=True)
    longest_first = longest_first[:_MAX_SHARED_OUTCOMES]
    for p in paragraphs:
        if not splits[p][2] and (at := _known_frame(p, longest_first, known)) is not None:
            splits[p] = (p[:at].strip(), p[at:].strip(), True)
    for _, rows in tables:
        if rows and splits[rows[0]][1] is None and (at := _word_split(rows[0], known, vocabulary | words)) is not None:
            splits[rows[0]] = (rows[0][:at].strip(), rows[0][at:].strip(), True)
    # Time frames are stated when some paragraph is cut before a time-frame word or leaves a frame-sized tail,
    # or when the first row of a table (a row for certain) is cut at all.
    timed = any(sure or _frame_sized(tf) for _, tf, sure in splits.values())
    timed = timed or any(rows and splits[rows[0]][1] is not None for _, rows in tables)
    found: list[tuple[str, str, str | None, str | None]] = []
    for kind, rows in tables:
        if not timed:
            found += untimed_outcomes(kind, rows)
            continue
        last_was_description = True
        for row in rows:
            measure, time_frame, sure = splits[row]
            previous = found[-1] if found and not last_was_description else None
            if (
                previous is None
                and time_frame is None
                and (at := _word_split(row, known, vocabulary | words)) is not None
            ):
                # A paragraph that must be a row may be cut between two words glued into no word.
                measure, time_frame, sure = row[:at].strip(), row[at:].strip(), True
            # After a row, a paragraph cut before a time-frame word is the next row, and so is one cut at a glued
            # capital when what follows is as short as a time frame (a description runs on in sentences). One
            # without a cut is the row's description, unless the row had no time frame either: then it is read as
            # in an untimed list.
            if (
                previous is None
                or sure
                or _frame_sized(time_frame)
                or (previous[2] is None and time_frame is None and not _describes(previous[1], row))
            ):
                found.append((kind, measure, time_frame, None))
                last_was_description = False
            else:
                found[-1] = (*previous[:3], clean_inline(row))
                last_was_description = True
    frames = sorted({tf for _, _, tf, _ in found if tf}, key=len, reverse=True)
    for n, (kind, measure, time_frame, description) in enumerate(found):
        if time_frame is None:
            frame = next((f for f in frames if measure.endswith(f) and len(measure) > len(f)), None)
            if frame is not None:
                found[n] = (kind, measure[: -len(frame)].strip(), frame, description)
    return found
