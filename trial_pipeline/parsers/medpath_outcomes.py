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
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

from trial_pipeline.parsers.common import clean_inline
from trial_pipeline.parsers.page_text import (
    MAX_INDEX_CHARS,
    MAX_NAME_LEN,
    MAX_ROW_SCAN,
    WORD,
    page_words,
    sentence_end,
)
from trial_pipeline.vocab import lexicon

# A time frame is a phrase ("Up to 8 years"); a longer tail cut off a paragraph is a description's sentences.
_MAX_FRAME_LEN = 100
# The shortest tail two rows must share, or a row must repeat, to be taken for a time frame; and how many outcome
# paragraphs of a page are compared pairwise (the corpus's largest tables have ~40 rows).
_MIN_FRAME = 4
_MAX_SHARED_OUTCOMES = 50
# The shortest name written twice at a glued boundary that is read as a measure's end and its time frame's start
# ("EEPEEP"); shorter ones ("CRCR") are as often a code.
_MIN_DOUBLED = 3
# The longest such phrase: a name or an acronym with a qualifier, not a sentence (bounds the scan of a row).
_MAX_DOUBLED = 40
# How much of a time frame's opening its measure must write before for the frame to be cut there ("pH testing"),
# and how much is compared (a phrase, not a sentence).
_MIN_ECHO = 10
_MAX_ECHO = 40
# The registry stores a measure and a time frame in at most 255 characters each: a cut that leaves a longer one
# is inside a description.
_MAX_FIELD_LEN = 255
# The longest number a time frame starts with that a measure may end with too ("Week 1212 weeks").
_MAX_NUMBER_DIGITS = 4
# A run of letters, capitalised or not, that a lower-case time frame may be glued into ("Monthstwo").
_GLUED_LOWER = re.compile(r"[A-Za-z][a-z]{3,}")
# A token that ends in digits glued to more digits or a letter ("IL-22", "CD2024", "2.04"), and a version number
# with one decimal right before the cut ("version 2.0|4 weeks", "v3.0|6 months").
_GLUED_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-]{0,30}\d")
_VERSION = re.compile(r"(?:\bversion |\bv)\d{1,2}\.\d\Z", re.IGNORECASE)
# Marks that go on with a list of times ("2,15 & 30 min", "Baseline,4 hours"): a frame glued after one is part of it.
_LIST_MARKS = ",;&+"
_EDGE_MARKS = "\"'“”‘’.,;:()[]{}"
# Words a time frame usually starts with; used to find where a glued "measure + time frame" cell splits.
_TIME_FRAME_START = re.compile(
    r"(?:From|Up to|Baseline|Day|Days|Week|Weeks|Month|Months|Year|Years|At|Through|Throughout|Time|Within|"
    r"Approximately|Screening|Cycle|Every|During|Pre|Post|End|Until|Change|Hour|Hours|Minute|Minutes|Visit|Once|"
    r"Average|Median|Over|Assessed|Measured|Evaluated|Observed|Each|Entire|Study|Length|Duration|Approx|After|"
    r"Before|Prior|Following|Continuous|Daily|Weekly|Monthly|Yearly|Annual|Annually|Ongoing|Overnight|Upon|"
    r"Participants|Single|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Twelve|First|Last|Immediately|Initial|"
    r"Enrollment|Randomization|Start|On|In|Up|Throught|Twice|Thrice|Immediate|While|Till)\b"
    # Numbers with a unit, alone or in a list: "12 weeks", "3, 6, and 9 months", "15 & 30 min", "72h", "10, 20,
    # ..., 240 and 300 min". The list is matched possessively: a comma may part a list or a decimal, and giving back
    # list items to try the other reading would take time exponential in the list's length.
    r"|\d{1,4}(?:[.,]\d{1,3})?(?:(?:,?\s?(?:and|or|to|&)|\s?[-–,/&])\s?\d{1,4}(?:[.,]\d{1,3})?){0,15}+"
    r"(?:\s|-\s?|(?=(?-i:[a-z])))"
    r"(?:hours?|days?|weeks?|months?|years?|minutes?|mins?|hrs?|h|wks?|mos?|cycles?|times?|doses?|visits?)\b"
    # A calendar year or a span of years: "2009", "1979-2012"; a date: "12/31/2050".
    r"|(?:19|20)\d\d(?:\s?[-–]\s?(?:19|20)\d\d)?\b|\d{1,2}/\d{1,2}/(?:19|20)\d\d\b"
    # A month and a year: "Dec 2009", "September 2010".
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\.? (?:19|20)\d\d\b",
    re.IGNORECASE,
)
# Time frames that start in lower case ("timeone year", "studyongoing", "protocols.up to 4.25 years", "tests
# .day-1,5,10").
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
    r"|(?:at|over|q|weeks?|days?|months?|years?|cycles?) ?-?\d"
    # A unit alone ends the row: "TIMI flowminutes".
    r"|(?:seconds|minutes|hours|days|weeks|months|years)\Z"
)
# Lower-case time frames that start with a unit or a prefix, which may follow a number as part of it ("24hours",
# "12weeks", "8pre-dose"); other ones glued to a number start a time frame ("Step 1assessed at the end of ...").
_UNIT_START = re.compile(r"(?:seconds|minutes|hours?|days?|weeks?|months?|years?|cycles?|q|pre|post)")
# A number joined to its unit by a hyphen ("4-year", "8-month"), which no code ("AUC0-24hr") reads as.
_HYPHEN_UNIT = re.compile(r"\d-[a-z]", re.IGNORECASE)
# How much longer than its measure a description that says the measure again must be.
_MIN_RESTATED_EXTRA = 20
# A description says its measure again within its first words: twice as many as the measure's, and a few more.
_RESTATED_SLACK = 3
# How many words a paragraph must open with again to be read as the description of the one before it.
_MIN_REPEATED_WORDS = 3
# A code of capitals and a number of two digits or more that ends a measure ("SF-36", "SF36"), not a word and a
# number ("Week 12", "Week12") nor a single digit ("FEV1").
_CODE_END = re.compile(r"(?<![A-Za-z])[A-Z]{2,6}-?\d{2,3}\Z")
# A full stop and a space that end a sentence, not an abbreviation's ("i.e. up to 90 days", "e.g. week 4").
_SENTENCE_BREAK = re.compile(r"(?<!\b[A-Za-z])\. ")
# A run of letters and digits: the tokens that a glued boundary may fall inside.
_ALNUM = re.compile(r"[A-Za-z0-9]+")
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
                # "PANSS12 weeks", "SLE12/31/2050", "OS4-year" (a unit that a hyphen joins to its number).
                m = _TIME_FRAME_START.match(cell, i)
                acronym = previous.isupper() and _glued_word(cell, i) not in words
                if (
                    acronym
                    and m is not None
                    and (" " in m.group(0) or "/" in m.group(0) or _HYPHEN_UNIT.search(m.group(0)))
                ):
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


def _acronym_seam(row: str, i: int) -> bool:
    """Whether a lower-case word starts at ``i`` glued to an acronym that stands alone ("LHfrequent sampling",
    "FSHfrequent sampling"), not to a capitalised word ("Frequent") or a mixed token ("HbA1c", "pAkt")."""
    start = i
    while start > 0 and i - start <= MAX_NAME_LEN and row[start - 1].isupper():
        start -= 1
    return i - start >= 2 and row[i].islower() and (start == 0 or not row[start - 1].isalnum())


def _seam(row: str, split: tuple[str, str | None, bool]) -> tuple[str, str] | None:
    """The kind of glued boundary a row is cut at, as the classes of the characters either side: "SurvivalFrom" and
    "failureDocumented" are cut alike."""
    frame = split[1]
    if frame is None or not row.endswith(frame) or not _glued_at(row, len(row) - len(frame)):
        return None
    at = len(row) - len(frame)
    return _char_class(row[at - 1]), _char_class(row[at])


def _glued_row(
    measure: str,
    paragraph: str,
    split: tuple[str, str | None, bool],
    seams: set[tuple[str, str] | None],
    repeated: frozenset[str],
    vocabulary: frozenset[str],
) -> bool:
    """Whether a paragraph after a row that is only cut at a weaker sign is the next row, not its description.

    It is when the table's rows are cut for sure at the same kind of glued boundary ("Overall SurvivalFrom ...",
    then "Failure rateDocumented evidence ..."), what follows starts capitalised as a new cell does, and what comes
    before reads as one measure: a single sentence, its brackets closed, not the measure before it said again or cut
    short (a description that repeats its measure). A boundary inside a token must join two words of the page or
    of common prose ("ProgressionCalculated", not the brand "EuroQol") into a token that no other paragraph writes
    ("Enzyme-Linked ImmunoSpot").
    """
    head, frame, _ = split
    seam = _seam(paragraph, split)
    if frame is None or seam is None or seam not in seams or not frame[:1].isupper():
        return False
    at = len(paragraph) - len(frame)
    return (
        ". " not in head
        and head.count("(") <= head.count(")")
        and not (head.startswith(measure) or measure.startswith(head))
        and (not paragraph[at - 1].isalnum() or _two_cells(paragraph, at, repeated, vocabulary))
    )


def _two_cells(paragraph: str, at: int, repeated: frozenset[str], vocabulary: frozenset[str]) -> bool:
    """Whether a token cut at ``at`` is two words glued ("ProgressionCalculated"), not a word in camel case."""
    left = _glued_word(paragraph[:at], at)
    right = _glued_word(paragraph[at:], 0)
    return left in vocabulary and right in vocabulary and _glued_word(paragraph, at) not in repeated


def _char_class(char: str) -> str:
    """A character's class in :func:`_seam`: "A" upper case, "a" lower case, "0" a digit, else the mark itself."""
    if char.isalpha():
        return "A" if char.isupper() else "a"
    return "0" if char.isdigit() else char


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
        # The copy may end with the closing marks that the frame ends with too ("... 14.on days 7 and 14."), or
        # with up to three more ("(mean of the last 2 weeks).mean of the last 2 weeks").
        for gap in range(4):
            if gap and lower[at - gap : at - gap + 1] not in {")", "]", ".", ";", ","}:
                break
            if lower[at - gap - size : at - gap] == lower[at:]:
                return at
    return None


def _doubled_phrase(row: str, words: frozenset[str]) -> int | None:
    """Where a time frame starts that opens with the name or acronym its measure ends with, written twice with
    nothing between ("... Throughout the EEPEEP (Weeks 29 to 36)", "Duration of CR + CRiCR + CRi duration ..."):
    a phrase of ``_MIN_DOUBLED`` to ``_MAX_DOUBLED`` characters with a capital or a space in it (a word such as
    "tsetse" doubles its own letters), whose first copy starts a token and whose second ends one, glued into a
    token that the page does not write as a word."""
    limit = min(len(row), MAX_ROW_SCAN)
    for at in range(_MIN_DOUBLED, limit - _MIN_DOUBLED + 1):
        if not (_glued_at(row, at) and row[at - 1].isalnum() and row[at].isalnum()):
            continue
        for size in range(_MIN_DOUBLED, min(at, len(row) - at, _MAX_DOUBLED) + 1):
            copy = row[at - size : at]
            if row[at : at + size] != copy or (at > size and row[at - size - 1].isalnum()):
                continue
            if at + size < len(row) and row[at + size].isalnum():
                continue
            if (" " in copy or any(c.isupper() for c in copy)) and _glued_word(row, at) not in words:
                return at
    return None


def _echoed_frame(row: str, words: frozenset[str], vocabulary: frozenset[str]) -> int | None:
    """Where a time frame starts that opens with words its measure writes before ("... from pre-vaccination to
    post-vaccination for serotypes 1 and 6bpost-vaccination", "... 24 hour pH testing resultspH testing at 6-12
    months"): glued inside a token that the page does not write as a word, the frame's first word a word of the
    page and its opening, ``_MIN_ECHO`` characters or more that end a word, written earlier as words of their own."""
    limit = min(len(row), MAX_ROW_SCAN)
    lower = row.lower()
    for at in range(_MIN_ECHO, limit - _MIN_ECHO + 1):
        before, here = row[at - 1], row[at]
        if not (before.isalnum() and here.isalnum()) or (before.isdigit() and here.isdigit()):
            continue
        if lower.find(" " + lower[at : at + _MIN_ECHO], 0, at) < 0:
            continue  # the shortest opening is not written before: no longer one is
        first = _glued_word(row[at:], 0)
        if _glued_word(row, at) in words or not (first in vocabulary or first.isdigit()):
            continue
        end = min(len(row), at + _MAX_ECHO)
        while end - at >= _MIN_ECHO:
            if (end == len(row) or not row[end].isalnum()) and lower.find(" " + lower[at:end], 0, at) >= 0:
                return at
            end -= 1
    return None


def _shared_frames(rows: Sequence[str], words: frozenset[str], vocabulary: frozenset[str]) -> dict[str, int]:
    """Where the time frame starts in rows that end with the same time frame as another row of the page.

    Two rows that end alike and differ before were glued where they start to agree, if a cell boundary can stand
    there: a capital or a digit after a lower-case word in one of them ("Operative timeIntraoperative"), or, before
    a word of the page and a tail no longer than a time frame (it needs no word of time: "inpatient
    hospitalization"), two lower-case words glued into a token that is no word ("Painshort-term = 12 weeks",
    "Bleeding eventsinpatient hospitalization") or an acronym glued to a lower-case word in both rows
    ("LHfrequent sampling", "FSHfrequent sampling"). Where the agreement starts
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
                lower = lower or (_acronym_seam(row_a, i) and _acronym_seam(row_b, j))
                if not (seam or lower) or ". " in row_a[i:]:
                    continue
                if _glued_word(row_a, i) in words or _glued_word(row_b, j) in words:
                    continue
                tail = row_a[i:]
                if seam or (_glued_word(tail, 0) in vocabulary and len(tail) <= _MAX_FRAME_LEN):
                    cuts.setdefault(row_a, i)
                    cuts.setdefault(row_b, j)
                    break
    return cuts


def _known_frame(paragraph: str, frames: Sequence[str], words: frozenset[str]) -> int | None:
    """Where a time frame read off another row of the page starts at the end of a paragraph, glued to what comes
    before it ("... each day after the infusionTwice daily until day 3", "Adverse events, grades 1-5up to one
    year"): the longest such frame, at a glued boundary that is neither inside a number ("12 weeks" does not end
    in the frame "2 weeks"), but for a scale's code of capitals and two digits or more ("SF-36|4 weeks"), nor
    inside a token the page writes as a word."""
    for frame in frames:
        at = len(paragraph) - len(frame)
        if at <= 0 or not paragraph.endswith(frame) or not _glued_at(paragraph, at):
            continue
        before, here = paragraph[at - 1], paragraph[at]
        inside_number = before.isdigit() and here.isdigit() and not _CODE_END.search(paragraph, max(0, at - 12), at)
        if inside_number or (before.isalpha() and _glued_word(paragraph, at) in words):
            continue
        return at
    return None


def _fits_fields(split: tuple[str, str | None, bool]) -> bool:
    """Whether a cut leaves a measure and a time frame that the registry could store (``_MAX_FIELD_LEN`` each): a
    cut deep inside a description ("... for at least four weeks:In patients ...") leaves a longer one."""
    measure, frame, _ = split
    return frame is None or (len(measure) <= _MAX_FIELD_LEN and len(frame) <= _MAX_FIELD_LEN)


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


def _glued_pairs(cell: str, words: frozenset[str], vocabulary: frozenset[str]) -> Iterator[tuple[int, int]]:
    """Where a run of letters that the page never writes parts into two words of ``vocabulary``, the first of
    ``_MIN_FRAME`` letters or more: (offset in ``cell``, letters after it), each run's longest first word first,
    within the first ``MAX_ROW_SCAN`` characters."""
    limit = min(len(cell), MAX_ROW_SCAN)
    for m in _GLUED_LOWER.finditer(cell, 0, limit):
        token = m.group(0).lower()
        if token in words:
            continue
        for k in range(len(token) - 1, _MIN_FRAME - 1, -1):
            if token[:k] in vocabulary and token[k:] in vocabulary:
                yield m.start() + k, len(token) - k


def _word_split(cell: str, words: frozenset[str], vocabulary: frozenset[str]) -> int | None:
    """Where a time frame starts that is glued lower case to the measure's last word ("bonestake one to two weeks",
    "Areaparticipants were followed ..."): inside a token that the page never writes and no word list holds, between
    two words that it does, before a tail as short as a time frame."""
    return next((at for at, _ in _glued_pairs(cell, words, vocabulary) if _frame_sized(cell[at:])), None)


def _glued_cells(paragraph: str, words: frozenset[str], vocabulary: frozenset[str], longest_frame: int) -> int | None:
    """Where a row glues its measure to a time frame that no sign starts, but two words run together that the
    page never writes as one ("over all survivalwhen all treated patients have expired", "Total Sedation
    Timedefined as the time ..."): the first such pair, the second word of two letters or more, after a measure of
    two words or more and before a frame of at most ``longest_frame`` characters. A description glues words too,
    but in sentences ("... lack thereof in ...", "Multivariable analyses will be ..."), and one word glued to
    another is as often a compound the word lists lack ("Timeline")."""
    if "." in paragraph:
        return None
    for at, after in _glued_pairs(paragraph, words, vocabulary):
        head, tail = paragraph[:at].strip(), paragraph[at:]
        if after >= 2 and " " in head and len(head) <= _MAX_FIELD_LEN and len(tail) <= longest_frame:
            return at
    return None


def _two_words_glued(paragraph: str, words: frozenset[str], vocabulary: frozenset[str]) -> bool:
    """Whether a paragraph holds a run of letters that the page never writes and no word list holds, made of two
    words that it does ("survivalto", "Surgeryon"), the second of two letters or more: two cells glued."""
    return any(after >= 2 for _, after in _glued_pairs(paragraph, words, vocabulary))


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


def _code_seam(cell: str, tokens: frozenset[str], words: frozenset[str]) -> int | None:
    """Where a time frame starts with an acronym or a code that the page writes on its own elsewhere, glued to the
    measure's last word ("Stem Cell RescueIL-2 administration to ...", "Screening ResultT4 (four years ...)",
    "magnetic field potentialsMEG"): two capitals, or a capital and a digit, right after a lower-case word of three
    letters or more, in a glued token that the page does not write as a word (not "proBNP" where it writes
    "NT-proBNP")."""
    limit = min(len(cell), MAX_ROW_SCAN)
    for i in range(3, limit - 1):
        if not (cell[i].isupper() and (cell[i + 1].isupper() or cell[i + 1].isdigit())):
            continue
        if not (cell[i - 3 : i].isalpha() and cell[i - 1].islower()):
            continue
        end = cell.find(" ", i, i + MAX_NAME_LEN)
        token = cell[i : end if end >= 0 else i + MAX_NAME_LEN].strip(_EDGE_MARKS)
        if token in tokens and _glued_word(cell, i) not in words:
            return i
    return None


def _frame_sized(tail: str | None) -> bool:
    """Whether a tail cut off a paragraph reads like a time frame: short, with a number or a word of time.

    A description runs on in sentences (an abbreviation's full stop ends none: "(i.e. up to 90 days)"); a brand
    written in camel case leaves a tail with no time in it ("EuroQol Questionnaire").
    """
    if tail is None or len(tail) > _MAX_FRAME_LEN or _SENTENCE_BREAK.search(tail) is not None:
        return False
    return _TIME_WORD.search(tail) is not None


def _describes(measure: str, paragraph: str) -> bool:
    """Whether a paragraph after an untimed measure is its description rather than the next measure.

    A description is a capitalised sentence at least twice as long as a measure that is not a sentence itself,
    or says the measure again at more length; short paragraphs in a row are a list of measures.
    """
    return (
        not measure.endswith((".", ":", ";"))
        and paragraph[:1].isupper()
        and paragraph.endswith(".")
        and len(paragraph) >= 2 * len(measure)
    ) or _restates(measure, paragraph)


def _restates(measure: str, paragraph: str) -> bool:
    """Whether a paragraph opens by saying its measure again at more length: every word of the measure within its
    first words ("Establish a bank of frozen tissue" then "To establish a bank of frozen tissue for use in ...").
    The next measure of a list names something else, says the measure and then a second one ("Hormone response
    (glucagon) Symptom response"), or follows a measure written as a sentence ("Module A: ...." then "Module B:")."""
    if measure.endswith((".", ":", ";")) or len(paragraph) < len(measure) + _MIN_RESTATED_EXTRA:
        return False
    if paragraph.lower().startswith(measure.lower()):
        return False
    wanted = {word.lower() for word in WORD.findall(measure)}
    opening = islice(WORD.finditer(paragraph), 2 * len(wanted) + _RESTATED_SLACK)
    return bool(wanted) and wanted <= {m.group(0).lower() for m in opening}


def _opens_untimed_rows(
    measure: str,
    paragraph: str,
    following: Sequence[str],
    splits: dict[str, tuple[str, str | None, bool]],
    words: frozenset[str],
    vocabulary: frozenset[str],
) -> bool:
    """Whether an uncut paragraph after a timed row is the first of the table's untimed rows, not its description.

    The paragraph after it is uncut too, with no token that glues two words ("survivalto progression": a cell
    glued to a time frame that no sign starts), and no description of it (nor one that opens with its first words
    again), so it is read as an untimed row whichever way this one goes: the table goes on as an untimed list, and
    this paragraph is read as such a list reads it, a row unless it describes the measure before it
    ("Depression24 weeks", "Withdrawal symptoms", "Opioid and cocaine use").
    """
    if splits[paragraph][1] is not None or not following:
        return False
    after = following[0]
    _, next_frame, next_sure = splits[after]
    opening = _common_prefix(paragraph.lower(), after.lower())
    return (
        next_frame is None
        and not next_sure
        and not _two_words_glued(after, words, vocabulary)
        and opening.count(" ") < _MIN_REPEATED_WORDS
        and not _describes(paragraph, after)
        and not _describes(measure, paragraph)
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
    No cut leaves a measure or a time frame longer than the registry stores.
    """
    tokens = _page_tokens(other_lines)
    splits = {p: _split_measure(p, words) for _, rows in tables for p in rows}
    paragraphs = [p for _, rows in tables for p in rows]
    vocabulary = lexicon.common_words() | page_words(paragraphs)
    known = lexicon.common_words() | words
    any_word = vocabulary | words
    for p in paragraphs:
        if splits[p][2]:
            continue
        # A frame that repeats its measure's end, or starts with the name that the measure ends with.
        at = _doubled_frame(p)
        at = _doubled_phrase(p, words) if at is None else at
        if at is not None:
            splits[p] = (p[:at].strip(), p[at:].strip(), True)
    for p in paragraphs:
        measure, _, sure = splits[p]
        at = _number_seam(p, tokens)
        if at is not None and (not sure or (len(measure) < at and " " not in p[len(measure) : at])):
            splits[p] = (p[:at].strip(), p[at:].strip(), True)
    for p, at in _shared_frames(paragraphs, known, any_word).items():
        if not splits[p][2]:
            splits[p] = (p[:at].strip(), p[at:].strip(), True)
    # A paragraph that ends with a time frame read off another row, glued on, is a row with that frame.
    read = {tf for _, tf, sure in splits.values() if sure or _frame_sized(tf)}
    read |= {splits[rows[0]][1] for _, rows in tables if rows}
    longest_first = sorted({tf for tf in read if tf and len(tf) >= _MIN_FRAME}, key=len, reverse=True)
    longest_first = longest_first[:_MAX_SHARED_OUTCOMES]
    for p in paragraphs:
        measure, frame, sure = splits[p]
        if not sure:
            at = _known_frame(p, longest_first, known)
        else:
            # A row cut before words that a time frame may start with ("... visits 1-5.Two years" cut at "at study")
            # may end with a frame read off other rows glued on after them, not after a list's comma: it is that one.
            at = _known_frame(p, [f for f in longest_first if f != frame], known)
            at = at if at is not None and at > len(measure) and p[at - 1] not in _LIST_MARKS else None
        if at is not None:
            splits[p] = (p[:at].strip(), p[at:].strip(), True)
    for _, rows in tables:
        if rows and splits[rows[0]][1] is None and (at := _word_split(rows[0], known, any_word)) is not None:
            splits[rows[0]] = (rows[0][:at].strip(), rows[0][at:].strip(), True)
    # A paragraph left uncut may be glued to a code that the page writes on its own; and a cut that leaves a
    # measure or a time frame longer than the registry stores is inside a description.
    written = tokens | _page_tokens(paragraphs)
    for p in paragraphs:
        if splits[p][1] is None and (at := _code_seam(p, written, known)) is not None:
            splits[p] = (p[:at].strip(), p[at:].strip(), False)
    for p in paragraphs:
        if not _fits_fields(splits[p]):
            splits[p] = (p.strip(), None, False)
    # Time frames are stated when some paragraph is cut before a time-frame word or leaves a frame-sized tail,
    # or when the first row of a table (a row for certain) is cut at all.
    timed = any(sure or _frame_sized(tf) for _, tf, sure in splits.values())
    timed = timed or any(rows and splits[rows[0]][1] is not None for _, rows in tables)
    # The glued tokens of more than one paragraph are words of the page ("ImmunoSpot"), not cells glued.
    counts = Counter(token for p in paragraphs for token in {w.lower() for w in _ALNUM.findall(p[:MAX_ROW_SCAN])})
    repeated = frozenset(token for token, count in counts.items() if count > 1)
    found: list[tuple[str, str, str | None, str | None]] = []
    for kind, rows in tables:
        if not timed:
            found += untimed_outcomes(kind, rows)
            continue
        last_was_description = True
        seams = {_seam(row, splits[row]) for row in rows if splits[row][2]}
        for n, row in enumerate(rows):
            measure, time_frame, sure = splits[row]
            previous = found[-1] if found and not last_was_description else None
            if previous is None and time_frame is None:
                # A paragraph that must be a row may be cut between two words glued into no word, or where a frame
                # starts that opens with words the measure writes before.
                at = _word_split(row, known, any_word)
                at = _echoed_frame(row, known, any_word) if at is None else at
                at = _glued_cells(row, known, any_word, _MAX_FIELD_LEN) if at is None else at
                if at is not None:
                    measure, time_frame, sure = row[:at].strip(), row[at:].strip(), True
            elif previous is not None and previous[2] is not None and time_frame is None:
                # After a timed row, a paragraph that glues two words as cells are glued, in no sentence, is the
                # next row ("over all survivalwhen all treated patients have expired"), its frame as short as one.
                at = _glued_cells(row, known, any_word, _MAX_FRAME_LEN)
                if at is not None:
                    measure, time_frame, sure = row[:at].strip(), row[at:].strip(), True
            # After a row, a paragraph cut before a time-frame word is the next row, and so is one cut at a glued
            # capital when what follows is as short as a time frame (a description runs on in sentences). One
            # without a cut is the row's description, unless the row had no time frame either: then it is read as
            # in an untimed list.
            if (
                previous is None
                or sure
                or _frame_sized(time_frame)
                or _glued_row(previous[1], row, splits[row], seams, repeated, any_word)
                or (previous[2] is None and time_frame is None and not _describes(previous[1], row))
                or _opens_untimed_rows(previous[1], row, rows[n + 1 : n + 2], splits, known, any_word)
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
