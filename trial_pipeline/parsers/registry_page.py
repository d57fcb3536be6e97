"""Trial pages of registry web sites saved as text: MedPath pages and ClinicalTrials.gov mirror pages.

A saved page is a run of lines in which the site's labels ("Registration Number", "Recruitment Status",
"Group Type EXPERIMENTAL", ...) stand on their own lines and the values follow them. The reader splits the
page at the labels it knows, then reads each section with a small section-specific routine. Labels must
appear in the site's order, so a label word that turns up inside a free-text block ("Conditions" in a detailed
description) does not start a new section. Flattened tables, whose cells were glued together when the page
was saved, are cut where the page's own text supports a cut: MedPath's "Group / Intervention / Description" rows
by the intervention names the page lists or writes elsewhere, weighed against how plainly each glued boundary
reads; its "Name / Time / Method" rows before the words time frames start with.

Contact sections (names, phone numbers, e-mail addresses) are skipped whole; site boilerplate (section
blurbs, copyright lines) is dropped. Nothing is reconciled: when an arm description and an intervention
description state different doses, each record keeps what its own text says.

Every regex is linear (no unbounded nested quantifiers), every scan of a glued row stops after a fixed prefix,
and every loop is bounded by the page size, because the text is untrusted.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from trial_pipeline.enums import fold, to_enum
from trial_pipeline.models import (
    ArmRecord,
    ConstraintRecord,
    CriterionRecord,
    Document,
    InterventionRecord,
    OutcomeRecord,
    ParsedDocument,
    ParseStatus,
    SourceFormat,
    TrialRecord,
)
from trial_pipeline.parsers.base import ParseError
from trial_pipeline.parsers.common import (
    NCT_ID,
    clean_inline,
    derived_trial_id,
    parse_age_years,
    parse_date,
    parse_phases,
    unique,
)
from trial_pipeline.parsers.constraints import extract_constraints
from trial_pipeline.parsers.criteria import split_criteria
from trial_pipeline.parsers.dosing import dosing_for
from trial_pipeline.vocab import lexicon

# A saved page is a few hundred kB at most; anything far larger is not a page and would only cost time.
_MAX_CHARS = 2_000_000
# Flattened table rows are cut by trying split points; long rows are cut only within this prefix.
_MAX_ROW_SCAN = 600
_MAX_NAME_LEN = 120
_MAX_NAME_WORDS = 6
# How much of a page's text is indexed for the intervention names it writes out.
_MAX_INDEX_CHARS = 300_000
# How many intervention names one arm row may glue together, and how many arm rows a table may have (the
# corpus's largest has 15).
_MAX_CHAIN = 12
_MAX_TABLE_ROWS = 50
# What a reading of an arm row loses when it leaves the arm without a description (13% of arms have none).
_NO_DESCRIPTION = 1.5
# What a reading of an arm row pays for each intervention name it finds (more in an observational study), how
# much a name earns when the page lists it, when another row was read with it, when the page writes it
# elsewhere, when a copy of it is glued on, or when nothing but two glued capitals marks it, and what each
# boundary earns by how plainly it reads (see _glue). Set by measuring on rendered corpus pages.
_NAME_COST = 1.0
_OBSERVATIONAL_NAME_COST = 2.5
_LISTED = 4.0
_READ = 3.0
_ATTESTED = 2.0
_REPEATED = 1.5
_UNATTESTED = 0.5
_BOUNDARY = {2: 1.0, 1: 0.0, 0: -0.5}
# What a name earns when another row of the table spells the same text between the same kind of seams.
_SHARED = 2.0
# The shortest text two rows must share for the rows' divergence to mark a seam, and the shortest word a glued
# run is split into.
_MIN_SHARED = 4
_MIN_PIECE = 4
# Rows are compared pairwise only in tables no longer than this (the corpus's largest has 15 rows), and only
# within this prefix, where the label and the names stand: the comparison costs rows² times prefix².
_MAX_SHARED_ROWS = 16
# The one cell after a label is read as a name (not a description) when it has at most this many words, or
# shares a word of three letters or more with the label, and scores this much over the description reading.
_TAIL_NAME_WORDS = 4
_TAIL_WORD = re.compile(r"[a-z]{3,}")
_TAIL_NAME = 0.1
# Verbs that descriptions use and names do not ("Patients receive ...", "... will be followed").
_PROSE_VERB = re.compile(
    r"\b(?:receive[sd]?|receiving|undergo(?:es)?|get|gets|will|are|is|was|were|given|treated|followed)\b", re.IGNORECASE
)
_MAX_SHARED_SCAN = 400
_NEXT_WORD = re.compile(r" ([A-Za-z][a-z]{2,})(?![a-z])")
# Units written straight after a number ("350mg/m2", "0.3mg/kg"): the number and its unit are one cell.
_UNIT = re.compile(
    r"(?:mg|mcg|µg|ug|g|gm|kg|ml|mL|l|L|iu|IU|U|mm|cm|h|hr|hrs|d|x|%|c?Gy|MBq|mCi)(?![a-z])|[A-Za-z]{1,6}/"
)
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
# How many distinct labels of one site a page must show on their own lines to be taken for that site's page.
_MIN_LABELS = 6

# Markdown escapes the sites leave in saved text ("9×10\^7", "\<5%").
_ESCAPE = re.compile(r"\\([\\^<>*_\[\]~|`#])")
_EMOJI_ONLY = re.compile(r"^[\U0001F1E6-\U0001F1FF\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F\u200D\s]+$")

# Site labels in the order the site prints them: (label, key the section is filed under, enclosing section).
# A label with an enclosing section counts only inside it, so an arm called "Healthy Volunteers" stays an arm.
_MEDPATH_LABELS: tuple[tuple[str, str, str | None], ...] = (
    ("conditions", "conditions", None),
    ("interventions", "intervention_list", None),
    ("registration number", "registration", None),
    ("registry number", "registration", None),
    ("lead sponsor", "lead_sponsor", None),
    ("sponsor", "lead_sponsor", None),
    ("collaborators", "collaborators", None),
    ("brief summary", "brief_summary", None),
    ("detailed description", "detailed_description", None),
    ("recruitment & eligibility", "recruitment", None),
    ("recruitment and eligibility", "recruitment", None),
    ("status", "status", "recruitment"),
    ("recruitment status", "status", "recruitment"),
    ("sex", "sex", "recruitment"),
    ("gender", "sex", "recruitment"),
    ("target recruitment", "enrollment", "recruitment"),
    ("target enrollment", "enrollment", "recruitment"),
    ("enrollment", "enrollment", "recruitment"),
    ("minimum age", "minimum_age", "recruitment"),
    ("maximum age", "maximum_age", "recruitment"),
    ("healthy volunteers", "healthy", "recruitment"),
    ("eligibility criteria", "criteria", "recruitment"),
    ("inclusion criteria", "criteria", "recruitment"),
    ("exclusion criteria", "criteria", "recruitment"),
    ("inclusion criteria:", "criteria", "recruitment"),
    ("exclusion criteria:", "criteria", "recruitment"),
    ("study & design", "design", None),
    ("study and design", "design", None),
    ("study type", "study_type", "design"),
    ("study design", "model", "design"),
    ("arm && interventions", "arm_table", "design"),
    ("arm & interventions", "arm_table", "design"),
    ("arms & interventions", "arm_table", "design"),
    ("primary outcome measures", "primary_outcomes", "design"),
    ("secondary outcome measures", "secondary_outcomes", "design"),
    ("other outcome measures", "other_outcomes", "design"),
    ("trial locations", "locations", None),
)
_MIRROR_LABELS: tuple[tuple[str, str, str | None], ...] = (
    ("study results", "results", None),
    ("basic information", "basic", None),
    ("recruitment status", "status", "basic"),
    ("overall status", "status", "basic"),
    ("clinical phase", "phase", "basic"),
    ("study phase", "phase", "basic"),
    ("phase", "phase", "basic"),
    ("total enrollment", "enrollment", "basic"),
    ("enrollment", "enrollment", "basic"),
    ("estimated enrollment", "enrollment", "basic"),
    ("actual enrollment", "enrollment", "basic"),
    ("study classification", "study_type", "basic"),
    ("study type", "study_type", "basic"),
    ("study start date", "start", "basic"),
    ("start date", "start", "basic"),
    ("primary completion date", "primary_completion", "basic"),
    ("primary completion", "primary_completion", "basic"),
    ("study completion date", "completion", "basic"),
    ("completion date", "completion", "basic"),
    ("brief summary", "brief_summary", None),
    ("detailed description", "detailed_description", None),
    ("conditions", "conditions", None),
    ("keywords", "skip", None),
    ("study design", "design", None),
    ("allocation method", "allocation", "design"),
    ("allocation", "allocation", "design"),
    ("intervention model", "model", "design"),
    ("observational model", "model", "design"),
    ("primary study purpose", "purpose", "design"),
    ("primary purpose", "purpose", "design"),
    ("blinding strategy", "masking", "design"),
    ("masking", "masking", "design"),
    ("time perspective", "time_perspective", "design"),
    ("study groups", "groups", None),
    ("arms and interventions", "groups", None),
    ("interventions", "interventions", None),
    ("other intervention names", "other_names", None),
    ("outcome measures", "outcomes", None),
    ("primary outcomes", "primary_outcomes", "outcomes"),
    ("primary outcome measures", "primary_outcomes", "outcomes"),
    ("secondary outcomes", "secondary_outcomes", "outcomes"),
    ("secondary outcome measures", "secondary_outcomes", "outcomes"),
    ("other outcomes", "other_outcomes", "outcomes"),
    ("other outcome measures", "other_outcomes", "outcomes"),
    ("eligibility criteria", "eligibility", None),
    ("inclusion criteria", "criteria", "eligibility"),
    ("exclusion criteria", "criteria", "eligibility"),
    ("inclusion criteria:", "criteria", "eligibility"),
    ("exclusion criteria:", "criteria", "eligibility"),
    ("minimum eligible age", "minimum_age", "eligibility"),
    ("minimum age", "minimum_age", "eligibility"),
    ("maximum eligible age", "maximum_age", "eligibility"),
    ("maximum age", "maximum_age", "eligibility"),
    ("eligible sex", "sex", "eligibility"),
    ("sex", "sex", "eligibility"),
    ("gender", "sex", "eligibility"),
    ("accepts healthy volunteers", "healthy", "eligibility"),
    ("healthy volunteers", "healthy", "eligibility"),
    ("sponsors", "sponsors", None),
    ("collaborators and investigators", "sponsors", None),
    ("responsible party", "skip", None),
    ("principal investigators", "skip", None),
    ("investigators", "skip", None),
    ("locations", "locations", None),
    ("countries", "countries", None),
    ("central contacts", "skip", None),
    ("facility contacts", "skip", None),
    ("contacts", "skip", None),
    ("references", "skip", None),
    ("publications", "skip", None),
    ("other identifiers", "identifiers", None),
    ("more related trials", "skip", None),
    ("related trials", "skip", None),
)
# Keys whose label may start a section only once, in the order above; sub-labels inside a section share a rank
# with their neighbours so that "Inclusion Criteria" and "Exclusion Criteria" may both occur.
_REPEATABLE = frozenset({"criteria"})

# Section blurbs of the mirror site: boilerplate, never content.
_BLURB_START = re.compile(
    r"^(?:Get a concise snapshot|Review (?:the|each|additional)|See the medical|Understand how|Learn about|"
    r"Discover alternative|Check the participation|Meet the organizations|Identify the individual|Explore (?:where|"
    r"related)|Reach out to|Find local site|Dive into the extended|Additional clinical trials|The study team has not)"
)
_MASKING_BLURB = re.compile(
    r"^(?:Subjects and researchers can know|(?:One|Two|Three|Four) part(?:y|ies) do(?:es)? not)"
)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|Copyright\b)", re.IGNORECASE)

_GROUP_TYPE = re.compile(r"^Group Type\s+([A-Za-z_ ]{1,40})$")
_INTERVENTION_TYPE = re.compile(r"^Intervention Type\s+([A-Za-z_ ]{1,40})$")
_SPONSOR_ROLE = re.compile(r"^Sponsor Role\s+([A-Za-z_ ]{1,40})$")
_IDENTIFIER_SOURCE = re.compile(r"^Identifier Source:\s*([A-Za-z_ -]{0,40})$")
_IDENTIFIER_TYPE = re.compile(r"^Identifier Type:")
_SITE_STATUS = re.compile(r"^Site Status\b")
_TIME_FRAME = re.compile(r"^Time ?frame:\s*(.*)$", re.IGNORECASE)
_NCT_LINE = re.compile(r"^NCT ID:\s*(NCT\d{8})\s*$")
_LOCATIONS_COUNT = re.compile(r"^Locations\s*\(\d{1,6}\)$")
_ENROLLMENT = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d{1,9})\b\s*(?:participants?)?\s*(?:\(\s*([A-Za-z]{1,20})\s*\))?")
_TYPED_NAME = re.compile(r"^([A-Za-z][A-Za-z ]{1,30}):\s*(\S.*)$")
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
_WORD = re.compile(r"[^\W_]+")
_SUBJECT_END = re.compile(
    r"\s+(?:was|were|is|are|will be|would be|served)\s+(?:used\s+as\s+|chosen\s+as\s+|defined\s+as\s+|as\s+)?"
    r"(?:the\s+)?(primary|secondary)\s+(?:study\s+)?(?:end\s?-?points?|outcomes?(?:\s+measures?)?)\b",
    re.IGNORECASE,
)
_ENDPOINT_IS = re.compile(
    r"\b(?:the\s+)?(primary|secondary)\s+(?:study\s+)?(?:end\s?-?points?|outcomes?(?:\s+measures?)?)\s+"
    r"(?:is|are|was|were|will be|include[sd]?|consist(?:s|ed)? of)\s+",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"(?<=[a-z0-9)\]%])\.\s+(?=[A-Z0-9])")


def _normalise(text: str) -> list[str]:
    """The page as right-stripped lines, with line ends unified and markdown escapes removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE.sub(r"\1", text)
    return [line.rstrip() for line in text.split("\n")]


def _key(line: str) -> str:
    # No colon is stripped: "Sex:" inside a criteria text is not the "Sex" label under it.
    return " ".join(line.split()).lower()


def _label_count(lines: Iterable[str], vocabulary: Sequence[tuple[str, str, str | None]]) -> int:
    labels = {label for label, _, _ in vocabulary}
    return len({k for k in (_key(line) for line in lines if len(line) < 60) if k in labels})


@dataclass
class _Section:
    key: str
    label: str
    lines: list[str] = field(default_factory=list)


def _split(
    lines: Sequence[str], vocabulary: Sequence[tuple[str, str, str | None]], *, blurbs: bool = False
) -> list[_Section]:
    """The page cut at its labels.

    A top-level label counts only when it comes later in the site's order than the last one, and a field label
    only inside its enclosing section and after the fields before it: a label word inside a free-text block
    ("Conditions" in a detailed description) does not start a section. With ``blurbs`` (a site that prints a
    blurb under every heading), a top-level label counts only when a blurb follows it.
    """
    following = [""] * len(lines)
    upcoming = ""
    for n in range(len(lines) - 1, -1, -1):
        following[n] = upcoming
        if lines[n].strip():
            upcoming = lines[n].strip()
    entries = {label: (i, key, parent) for i, (label, key, parent) in enumerate(vocabulary)}
    sections = [_Section("head", "")]
    top_rank, top_key, child_rank = -1, "", -1
    for n, line in enumerate(lines):
        entry = entries.get(_key(line)) if len(line) < 60 else None
        if entry is not None:
            rank, key, parent = entry
            blurbed = not blurbs or key == "results" or _BLURB_START.match(following[n]) is not None
            if parent is None and rank > top_rank and blurbed:
                sections.append(_Section(key, line.strip()))
                top_rank, top_key, child_rank = rank, key, -1
                continue
            repeat = key in _REPEATABLE and key == sections[-1].key
            if parent is not None and parent == top_key and (rank > child_rank or repeat):
                sections.append(_Section(key, line.strip()))
                child_rank = max(child_rank, rank)
                continue
        sections[-1].lines.append(line)
    return sections


def _paragraphs(lines: Sequence[str]) -> list[str]:
    """Non-blank lines, stripped."""
    return [line.strip() for line in lines if line.strip()]


def _block(lines: Sequence[str]) -> str | None:
    """A free-text block as written: outer blank lines dropped, inner lines kept."""
    text = "\n".join(lines).strip("\n")
    return text.strip() or None


@dataclass
class _Page:
    """What the section readers collect before records are built."""

    title: str | None = None
    nct_id: str | None = None
    other_ids: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    phases: tuple[str, ...] = ()
    conditions: list[str] = field(default_factory=list)
    lead_sponsor: str | None = None
    collaborators: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    brief_summary: str | None = None
    detailed_description: str | None = None
    criteria_lines: list[str] = field(default_factory=list)
    # (label, arm type, description)
    arms: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    # (arm label, name, type, description)
    interventions: list[tuple[str | None, str, str | None, str | None]] = field(default_factory=list)
    other_names: dict[str, list[str]] = field(default_factory=dict)
    # (type, measure, time frame, description)
    outcomes: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)


def _value(section: _Section) -> str | None:
    """A field's value: its paragraphs as one line, without the copyright footer that follows the page's last field."""
    return clean_inline(" ".join(p for p in _paragraphs(section.lines) if not _COPYRIGHT.match(p)))


def _set_enum(page: _Page, section: _Section, kind: str, raw: str | None) -> None:
    """Store a single enum value, or name the section as unread when its value is not one the reader knows."""
    if raw is None:
        return
    value = to_enum(kind, raw)
    if value is None:
        page.unread.append(section.label)
    else:
        page.values[kind] = value


def _set_enrollment(page: _Page, section: _Section, raw: str | None) -> None:
    if raw is None:
        return
    m = _ENROLLMENT.match(raw)
    if m is None:
        page.unread.append(section.label)
        return
    page.values["enrollment_count"] = m.group(1).replace(",", "")
    kind = m.group(2) or ("ESTIMATED" if "estimated" in section.label.lower() else None)
    kind = kind or ("ACTUAL" if "actual" in section.label.lower() else None)
    if kind and (enrollment_type := to_enum("enrollment_type", kind)):
        page.values["enrollment_type"] = enrollment_type


# --- the time frame glued to its measure --------------------------------------------------------------------


def _page_words(lines: Iterable[str]) -> frozenset[str]:
    """The words of a page's free text, lower-cased: a token found here is a real word, not two cells glued."""
    return frozenset(w.lower() for line in lines for w in _WORD.findall(line))


def _glued_word(text: str, i: int) -> str:
    """The letters and digits around offset ``i`` (at most ``_MAX_NAME_LEN`` each side), lower-cased."""
    start = i
    while start > 0 and i - start < _MAX_NAME_LEN and text[start - 1].isalnum():
        start -= 1
    end = i
    while end < len(text) and end - i < _MAX_NAME_LEN and text[end].isalnum():
        end += 1
    return text[start:end].lower()


def _sentence_end(cell: str, i: int) -> bool:
    """Whether ``cell[i - 1]`` is a full stop that ends a sentence (after a word or a bracket, not "3." or "v.")."""
    return cell[i - 1] == "." and (cell[i - 3 : i - 1].isalpha() or cell[i - 2 : i - 1] in {")", "]"})


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
    limit = min(len(cell), _MAX_ROW_SCAN)
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
            if before == "." and ((_sentence_end(cell, i) and previous.islower()) or previous in {")", "]", "."}):
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
        glued = glued and (cell[i - 3 : i].isalpha() or before.isdigit() or before in ")]%;" or _sentence_end(cell, i))
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
    limit = min(len(row) // 2, _MAX_ROW_SCAN // 2)
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
    limit = min(len(cell), _MAX_ROW_SCAN)
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
    ``_MAX_INDEX_CHARS`` of text: a token found here is one the page writes, not a cell glued to a number."""
    tokens: set[str] = set()
    size = 0
    for line in lines:
        size += len(line)
        if size > _MAX_INDEX_CHARS:
            break
        tokens.update(t.strip(_EDGE_MARKS) for t in line.split())
    return frozenset(tokens)


def _number_seam(cell: str, tokens: frozenset[str]) -> int | None:
    """Where a time frame starts that is glued to a code or a number ending the measure ("IL-22 years", "CD2024 weeks",
    "version 2.04 weeks"): a digit right after a letter or a digit, starting a number with a unit, where the token
    before it is a code that the page writes elsewhere (the longest such; a bare number proves nothing), or a version
    number with one decimal."""
    limit = min(len(cell), _MAX_ROW_SCAN)
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


def _untimed_outcomes(kind: str, paragraphs: Sequence[str]) -> list[tuple[str, str, str | None, str | None]]:
    """Outcomes of a section that states no time frames: measures, each with the description that follows it."""
    found: list[tuple[str, str, str | None, str | None]] = []
    for paragraph in paragraphs:
        if found and found[-1][3] is None and _describes(found[-1][1], paragraph):
            found[-1] = (kind, found[-1][1], None, clean_inline(paragraph))
        else:
            found.append((kind, clean_inline(paragraph) or paragraph, None, None))
    return found


def _medpath_outcomes(page: _Page, sections: Sequence[_Section], words: frozenset[str], tokens: frozenset[str]) -> None:
    """The "Name / Time / Method" tables: each row a measure glued to its time frame, then its description.

    When no row of the page has a time frame to cut, the rows are read like an untimed list. Otherwise a
    paragraph after a row is the next row when it carries a time frame, else that row's description; a time
    frame read off one row then cuts the rows whose time frame starts with no known word ("Throughout study"),
    and a paragraph that ends with it glued on is a row ("Lipids. HDL, LDL,6 months" after "Pain score6 months").
    """
    tables = [
        (section, [p for p in _paragraphs(section.lines) if p != "NameTimeMethod" and not _COPYRIGHT.match(p)])
        for section in sections
    ]
    splits = {p: _split_measure(p, words) for _, rows in tables for p in rows}
    paragraphs = [p for _, rows in tables for p in rows]
    vocabulary = lexicon.common_words() | _page_words(paragraphs)
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
    for section, rows in tables:
        kind = section.key.split("_")[0].upper()
        if not rows:
            page.unread.append(section.label)
        if not timed:
            found += _untimed_outcomes(kind, rows)
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
    page.outcomes.extend(found)


# --- MedPath's flattened "Group / Intervention / Description" table ------------------------------------------


def _balanced(text: str) -> bool:
    return text.count("(") == text.count(")") and text.count("[") == text.count("]")


def _trimmed(span: str) -> list[str]:
    """A phrase of running text as a name could be written: as is, without closing punctuation, and without a
    bracket or quote it does not close ("(3D-CRT)," -> "(3D-CRT)", "3D-CRT")."""
    inner = span.rstrip(".,;:!?").strip("\"'")
    found = [span, inner]
    if inner[:1] in "([" and inner[-1:] in ")]":
        found.append(inner[1:-1])
    if not _balanced(inner):
        found += [inner.lstrip("(["), inner.rstrip(")]")]
    return found


@dataclass(frozen=True)
class _Phrases:
    """Word-bounded phrases of a page's text, lower-cased, and their lengths by first three letters."""

    phrases: frozenset[str]
    lengths: dict[str, tuple[int, ...]]

    def at(self, row: str, lower: str, i: int) -> list[int]:
        """Lengths of the page's phrases that the row spells from offset ``i`` (longest first)."""
        found = [n for n in self.lengths.get(lower[i : i + 3], ()) if lower[i : i + n] in self.phrases]
        return sorted(found, reverse=True)


def _phrase_index(lines: Iterable[str]) -> _Phrases:
    """Every run of up to ``_MAX_NAME_WORDS`` whitespace-separated tokens of the page, as a name could be written.

    Only the first ``_MAX_INDEX_CHARS`` characters are indexed: a real page is far shorter, and the index must
    not grow without bound on a hostile one.
    """
    phrases: set[str] = set()
    budget = _MAX_INDEX_CHARS
    for line in lines:
        budget -= len(line)
        if budget < 0:
            break
        tokens = line.lower().split()
        for a in range(len(tokens)):
            for b in range(a + 1, min(a + _MAX_NAME_WORDS, len(tokens)) + 1):
                phrases.update(p for p in _trimmed(" ".join(tokens[a:b])) if 3 <= len(p) <= _MAX_NAME_LEN)
    lengths: dict[str, set[int]] = {}
    for phrase in phrases:
        lengths.setdefault(phrase[:3], set()).add(len(phrase))
    return _Phrases(frozenset(phrases), {k: tuple(v) for k, v in lengths.items()})


def _glue(row: str, i: int, words: frozenset[str]) -> int | None:
    """How plainly offset ``i`` of a glued row reads as a cell boundary.

    None where it cannot be one: a space on either side, inside a word the page uses ("Patient|s",
    "prednisol|one"), or between a number and its unit ("350|mg"). 2 for a capital after a lower-case letter,
    digit or bracket ("hydrochloridePatients"), 1 for a letter against a digit or the end of an acronym
    ("Group 1Placebo", "Arm ABleomycin"), else 0.
    """
    if i <= 0 or i >= len(row):
        return None
    before, here = row[i - 1], row[i]
    if before.isspace() or here.isspace():
        return None
    if _inside_token(row, i):
        return None
    if here.isupper() and before.isdigit() and not row[i + 1 : i + 2].islower():
        # A number glued to a capital that starts no word is a code ("506U78", "131I-cG250"), or at most a label's
        # number before a name in capitals.
        return 1 if row[i + 1 : i + 2].isupper() else 0
    if before in ")]" or (here.isupper() and (before.isdigit() or before in "%'\"" or _sentence_end(row, i))):
        return 2
    if here.isupper() and before.islower():
        # "hydrochloridePatients", but not a word written in camel case after a single letter ("iNO", "pH").
        return 2 if row[i - 2 : i - 1].isalpha() else 0
    if before.isdigit() and _UNIT.match(row, i):
        return None
    if before.isdigit() != here.isdigit() and (before.isalnum() and here.isalnum()):
        return 1
    if before.isupper() and here.isupper() and row[i + 1 : i + 2].islower():
        return 1
    if before.isalpha() and here.isalpha() and _word_around(row, i) in words:
        return None
    return 0


# A run of letters and digits, as the page's words are written.
_ALNUM_RUN = re.compile(r"[^\W_]{4,}")
# A page word shorter than this spans a seam only when it is the whole run ("OspA"): a short word may match
# across a real boundary by chance ("abl" in "ABleomycin").
_MIN_SPANNING_WORD = 5


def _cased_words(lines: Iterable[str]) -> frozenset[str]:
    """The words of a page's free text as written, but for the case of their first letter ("ospA", "pTLDS")."""
    return frozenset(w[:1].lower() + w[1:] for line in lines for w in _WORD.findall(line))


def _inside_words(row: str, cased: frozenset[str]) -> frozenset[int]:
    """Offsets of a glued row that fall inside a word the page writes on its own, in the same case: "PTLD|Spresumed"
    when the page writes "PTLDS", "Osp|A vaccine" when it writes "OspA", "Transplant|ation" when it writes
    "transplantation" (but "deviceS|ubjects" stays a seam although the page writes "devices").

    Only a word at an edge of a run of letters and digits counts (the run's start, its end, or the whole run), and
    one shorter than ``_MIN_SPANNING_WORD`` only when it is the whole run. An offset where the run also parts into
    two words of the page stays a seam ("Program|small" although the page writes "programs"). Runs are read within
    the scanned prefix.
    """
    found: set[int] = set()
    for m in _ALNUM_RUN.finditer(row, 0, min(len(row), _MAX_ROW_SCAN + _MAX_NAME_LEN)):
        start, end = m.span()
        run = row[start].lower() + row[start + 1 : end]
        size = end - start
        spanned: set[int] = set()
        for k in range(3, min(size, _MAX_NAME_LEN) + 1):
            if run[:k] in cased and (k == size or k >= _MIN_SPANNING_WORD):
                spanned.update(range(1, k))
        for j in range(max(1, size - _MAX_NAME_LEN), size - _MIN_SPANNING_WORD + 1):
            if row[start + j].lower() + run[j + 1 :] in cased:
                spanned.update(range(j + 1, size))
        for x in spanned:
            right = row[start + x].lower() + run[x + 1 : x + _MAX_PIECE]
            two_words = run[:x] in cased and any(right[:k] in cased for k in range(3, len(right) + 1))
            if not two_words:
                found.add(start + x)
    return frozenset(found)


def _word_internal(row: str, i: int) -> bool:
    """Whether offset ``i`` falls between two lower-case letters, or after the capital that starts a word."""
    if not row[i].islower():
        return False
    return row[i - 1].islower() or (row[i - 1].isupper() and not row[i - 2 : i - 1].isalpha())


def _inside_token(row: str, i: int) -> bool:
    """Whether offset ``i`` falls inside a token that no cell boundary splits: a hyphenated compound
    ("Taxus-|Liberte", "Growth|-hormone") or a number ("0.|01", "0.0|1"). Names and labels neither start nor end
    with a hyphen, and a cell never ends inside a number."""
    before, here = row[i - 1], row[i]
    after, earlier = row[i + 1 : i + 2], row[i - 2 : i - 1]
    if here == "-" and before.isalnum() and after.isalnum():
        return True
    if before == "-" and earlier.isalnum() and here.isalnum():
        return True
    # Inside a number; a label's ordinal glued to a number ("Group 1|3D-CRT") is marked apart.
    return here.isdigit() and (before.isdigit() or (before == "." and earlier.isdigit()))


def _word_around(row: str, i: int) -> str:
    """The word offset ``i`` falls in, lower-cased: lower-case letters either side, and one capital that starts it
    ("Partici|pants" -> "participants", but "GSK189075|Participants" -> "participants")."""
    start = i
    while start > 0 and i - start < _MAX_NAME_LEN and row[start - 1].islower():
        start -= 1
    if start > 0 and row[start - 1].isupper() and row[start].islower():
        start -= 1
    end = i
    while end < len(row) and end - i < _MAX_NAME_LEN and row[end].islower():
        end += 1
    return row[start:end].lower()


@dataclass(frozen=True)
class _Cut:
    """One reading of a glued row: where the label ends, the names glued after it, where the description starts
    (None: the row has none), and how well the reading is supported."""

    score: float
    label_end: int
    names: tuple[str, ...] = ()
    description_start: int | None = None

    def key(self) -> tuple[float, int, int]:
        """Better readings sort higher: more support, then a shorter label, then fewer names."""
        return (self.score, -self.label_end, -len(self.names))


def _cuts(
    row: str,
    phrases: _Phrases,
    words: frozenset[str],
    known: dict[str, float],
    *,
    listed: bool,
    name_cost: float,
    signals: _RowSignals | None = None,
) -> tuple[str, tuple[str, ...], str]:
    """The best-supported reading of a flattened "Group / Intervention / Description" row: label, names and
    description.

    A name is a run of the row that a listed or already read name spells, that the page writes elsewhere as a
    phrase of its own (possibly followed by more words of the page: "doxorubicin" for "doxorubicin
    hydrochloride"), that a copy of itself stands next to ("PlaceboPlacebo"), or, with little support, that runs
    between two capitals glued on. The label before the names must be balanced and must not end inside an
    expression ("carboplatin/"); the description after them must not start with a space or punctuation. Each name
    scores its support less ``name_cost``, each boundary as plainly as :func:`_glue` reads it, and a reading that
    leaves the arm without a description loses a little (most arms have one); the best total wins. A reading
    without names (a label glued to its description) needs a plain boundary.

    The names are chained in one pass over the row's offsets that keeps the best chain reaching each offset, so
    the work grows with the row's length times the names that may start at an offset, never with the chains.
    """
    limit = min(len(row), _MAX_ROW_SCAN)
    lower = row.lower()
    half = len(row) // 2
    twice = len(row) % 2 == 0 and lower[:half] == lower[half:] and not row[half - 1].isspace()
    if twice and (not listed or row[half:] in known):
        # A row that is one text twice: an arm named after its only intervention, or (in an observational study,
        # where arms seldom have one) a group described by its own name.
        if name_cost >= _OBSERVATIONAL_NAME_COST:
            return row[:half], (), row[half:]
        return row[:half], (row[half:],), ""
    # Names that start within the scanned prefix may end up to a name's length past it.
    glue = [_glue(row, i, words) for i in range(min(len(row), limit + _MAX_NAME_LEN) + 1)]
    signals = signals or _RowSignals()
    for i in signals.inside_words:
        if i < len(glue):
            glue[i] = None
    doubled = _doubled_prefix(row, limit)
    for i in signals.seams:
        if i < len(glue) and glue[i] == 0:
            glue[i] = 1
    if signals.strict:
        # A capital that starts a word belongs to it ("Usual C|are", "P|roband"), and two lower-case letters glued
        # together part only where the page's words or another row mark a seam ("Total body ir|radiation" is no
        # cell boundary); either may still part where a known name starts or ends, or after a label's ordinal.
        marks = set(signals.seams)
        for name in known:
            at = row.find(name, 0, limit)
            while at >= 0:
                marks.update((at, at + len(name)))
                at = row.find(name, at + 1, limit)
        # Where the row starts its own first word again, a name called like the arm may start ("fat reduction
        # increased fiber|fat reduction with increased fiber").
        first = _FIRST_WORD.match(lower)
        if first:
            at = lower.find(first.group(0), 1, limit)
            while at >= 0:
                marks.add(at)
                at = lower.find(first.group(0), at + 1, limit)
        if doubled is not None:
            marks.add(doubled)
        for i in signals.label_ends:
            marks.add(i)
            if i < len(glue) and not row[i].isspace():
                glue[i] = 2
        for i in range(1, len(glue)):
            if glue[i] is not None and i not in marks and _word_internal(row, i) and not _copy_follows(lower, i, glue):
                glue[i] = None
    depth = _open_brackets(row, limit)
    best = _Cut(0.0, len(row))

    def consider(reading: _Cut) -> None:
        nonlocal best
        if reading.key() > best.key():
            best = reading

    # reach[offset]: the best reading whose label and names end at that offset (its description not yet placed).
    reach: dict[int, _Cut] = {}
    for at in range(1, limit):
        strength = glue[at]
        if strength is None:
            continue
        # A label closes its brackets and does not end inside an expression ("carboplatin/"); a row that starts
        # with one text twice has that text for its label.
        if depth[at] == 0 and row[at - 1] not in "/+&,-;:" and doubled in {None, at}:
            start = _BOUNDARY[strength]
            if lower.startswith(lower[:at], at):
                # What follows repeats the label: its intervention ("ApneaLinkApneaLink...") or its description
                # ("HPSHPS patients of any gender").
                start += 1.0
            if (strength or start > _BOUNDARY[strength]) and _description_start(row, at):
                consider(_Cut(start, at, (), at))
                if not listed and name_cost < _OBSERVATIONAL_NAME_COST and _tail_name(row, at):
                    consider(_Cut(start + _TAIL_NAME, at, (row[at:],)))
            if at not in reach or _Cut(start, at).key() > reach[at].key():
                reach[at] = _Cut(start, at)
        if at not in reach:
            continue
        here = reach[at]
        for n, support in _names_at(row, lower, at, glue, phrases, words, known, listed, signals):
            name = row[at : at + n]
            if name in here.names or len(here.names) >= _MAX_CHAIN:
                continue
            total = here.score + support - name_cost
            end, names = at + n, (*here.names, name)
            if end == len(row):
                # A row that ends in a second spelling of a name ends in its description ("vaccinevaccine").
                if name.lower() not in {x.lower() for x in here.names}:
                    consider(_Cut(total - _NO_DESCRIPTION, here.label_end, names))
                continue
            # The boundary after the name counts once, whether a description or another name follows it.
            reading = _Cut(total + _BOUNDARY[glue[end] or 0], here.label_end, names)
            if _description_start(row, end):
                consider(_Cut(reading.score, here.label_end, names, end))
            if end < limit and (end not in reach or reading.key() > reach[end].key()):
                reach[end] = reading
    description = "" if best.description_start is None else row[best.description_start :]
    return row[: best.label_end], best.names, description


def _copy_follows(lower: str, i: int, glue: Sequence[int | None]) -> bool:
    """Whether the text before offset ``i`` is glued to a copy of itself in any case, from a boundary on
    ("Placebo|placebo", "Lovastatin|lovastatin"): the copy starts a cell of its own. Copies of four letters or
    more, at most ``_MAX_PIECE`` long, are tried, only at offsets holding the letter the copy starts with."""
    at = lower.rfind(lower[i], max(0, i - _MAX_PIECE), i - 3) if i > 3 else -1
    while at >= 0:
        if (at == 0 or glue[at] is not None) and lower.startswith(lower[at:i], i):
            return True
        at = lower.rfind(lower[i], max(0, i - _MAX_PIECE), at)
    return False


def _has_clause(text: str) -> bool:
    """Whether text holds a clause ("NK520: 9x10^7", "Day 1; day 8", "Given once. Then ..."): a description's
    text, not a name."""
    return any(mark in text for mark in (": ", "; ", ". "))


def _tail_name(row: str, at: int) -> bool:
    """Whether the one cell after an arm's label (``row[at:]``) reads as its intervention rather than its
    description: at most ``_MAX_NAME_WORDS`` words, no sentence and no verb of a description's prose in it
    ("Eligible patients receive usual care"), and short ("Eye Patch" after "Patching") or sharing a word with the
    label ("Linaclotide Acetate" after "72 ug linaclotide acetate"). In the registry an arm with a single cell after
    its label and none of this shape nearly always has a description there and no intervention."""
    if len(row) - at > _MAX_NAME_LEN:
        return False
    label, tail = row[:at], row[at:]
    if tail.endswith(".") or _has_clause(tail):
        return False
    size = len(tail.split())
    if size > _MAX_NAME_WORDS or _PROSE_VERB.search(tail):
        return False
    return size <= _TAIL_NAME_WORDS or bool(
        set(_TAIL_WORD.findall(tail.lower())) & set(_TAIL_WORD.findall(label.lower()))
    )


def _doubled_prefix(row: str, limit: int) -> int | None:
    """The length of the longest text of three characters or more that the row starts with twice
    ("ObservationObservationStandard care" -> 11), or None.

    Such a row is an arm named after its first intervention, or (in an observational study) a group whose
    description starts with its name: either way the text is the label. Only the scanned prefix is tried, and
    only lengths at which the row's first character recurs.
    """
    found = None
    at = row.find(row[:1], 3, limit // 2 + 1) if row else -1
    while at >= 0:
        if row.startswith(row[:at], at) and _glue(row, at, frozenset()) is not None:
            found = at
        at = row.find(row[0], at + 1, limit // 2 + 1)
    return found


def _repeats(lower: str, i: int) -> list[int]:
    """Lengths ``n`` for which the text from offset ``i`` is glued to a copy of itself, before or after it."""
    found = set()
    first, top = lower[i : i + 1], min(_MAX_NAME_LEN, len(lower) - i)
    # A copy starts with the same letter: only the offsets holding it are tried.
    at = lower.find(first, i + 3, i + top + 1)
    while at >= 0:
        n = at - i
        if lower.startswith(lower[i:at], at):
            found.add(n)
        at = lower.find(first, at + 1, i + top + 1)
    at = lower.rfind(first, max(0, i - top), i - 2) if i > 2 else -1
    while at >= 0:
        n = i - at
        if n <= top and lower.startswith(lower[at:i], i):
            found.add(n)
        at = lower.rfind(first, max(0, i - top), at)
    return sorted(found)


def _names_at(
    row: str,
    lower: str,
    i: int,
    glue: Sequence[int | None],
    phrases: _Phrases,
    words: frozenset[str],
    known: dict[str, float],
    listed: bool,
    signals: _RowSignals,
) -> list[tuple[int, float]]:
    """The names that may start at offset ``i`` of a glued row: (length, support), each ending at a boundary."""
    if glue[i] is None:
        return []
    options: dict[int, float] = {}
    for name, support in known.items():
        if row.startswith(name, i):
            options[len(name)] = max(options.get(len(name), 0.0), support)
    if not listed:
        # A short word in lower case that the page writes ("the", "one") is no name of its own.
        attested = [n for n in phrases.at(row, lower, i) if n > 3 or not row[i : i + n].islower()]
        for n in attested:
            options[n] = max(options.get(n, 0.0), _ATTESTED)
            # More words of the page may follow the phrase: "doxorubicin hydrochloride".
            end = i + n
            while (m := _NEXT_WORD.match(row, end)) and m.group(1).lower() in words and end - i < _MAX_NAME_LEN:
                end = m.end()
                options.setdefault(end - i, _ATTESTED - 0.5)
        for n in _repeats(lower, i):
            options[n] = options.get(n, 0.0) + _REPEATED
        for n in signals.shared.get(i, ()):
            options[n] = max(options.get(n, 0.0), _SHARED)
        if glue[i] == 2 or i in signals.seams:
            # A run between two seams (capitals glued on, words glued together, or where the row parts from
            # another row): a name the page never writes out ("EtomidateRSI sedation ...").
            nxt = next(
                (j for j in range(i + 3, min(len(glue), i + _MAX_NAME_LEN)) if glue[j] == 2 or j in signals.seams),
                None,
            )
            # A run that holds a clause ("NK520: 9×10^7") is a description's text, not a name.
            if nxt is not None and not _has_clause(row[i:nxt]):
                options.setdefault(nxt - i, _UNATTESTED)
    return [(n, s) for n, s in options.items() if i + n == len(row) or (i + n < len(glue) and glue[i + n] is not None)]


def _open_brackets(row: str, limit: int) -> list[int]:
    """For each offset up to ``limit``, how many round or square brackets the text before it leaves open."""
    depth, found = 0, [0]
    for ch in row[:limit]:
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(ch, 0)
        found.append(depth)
    return found


def _description_start(row: str, i: int) -> bool:
    """Whether a description may start at offset ``i``: not with punctuation that continues a cell, nor with a
    lone lower-case letter that ends a word ("Patient|s receive")."""
    return row[i] not in " ,;:./)]}" and not (row[i].islower() and row[i + 1 : i + 2] in {"", " "})


@dataclass(frozen=True)
class _RowSignals:
    """What the rest of a table and the page's words say about one glued row: offsets that are seams (a glued
    run of letters that splits into words of the page, or where the row stops spelling the same text as another
    row), the runs between seams that another row spells too (start -> lengths), the ends of a label of the usual
    shape, and the offsets inside words the page writes (no cell boundary there, see :func:`_inside_words`)."""

    seams: frozenset[int] = frozenset()
    shared: dict[int, tuple[int, ...]] = field(default_factory=dict)
    strict: bool = False
    label_ends: frozenset[int] = frozenset()
    inside_words: frozenset[int] = frozenset()


# A label of the usual shape, a word and an ordinal ("Arm I", "Group 2", "Cohort B"), glued to what follows it.
_LABEL_SHAPE = re.compile(
    r"(?i:arm|group|cohort|stratum|part|regimen|level|dose level|step|phase|treatment|schedule|sequence|panel|"
    r"course|block|population)s?(?: ?(\d{1,3})| ([IVX]{1,5})| ([A-Z]))(?![IVX\d])(?=[^\s.,:;()\[\]/+&-])"
)
_LOWER_RUN = re.compile(r"[a-z]+")
# A row's first word, when it is one of letters (lower-cased row).
_FIRST_WORD = re.compile(r"[a-z]{3,}(?![a-z])")


# A glued run of letters: lower case, after at most three capitals ("Ibleomycin", "Treatmentsunitinib").
_LETTER_RUN = re.compile(r"[A-Z]{0,3}[a-z]{4,}")
_MIN_RUN = 7
# No word of a page is longer than this; a glued run is split into pieces no longer.
_MAX_PIECE = 40


def _label_shape_ends(row: str, words: frozenset[str]) -> set[int]:
    """Where a label of the usual shape, a word and an ordinal ("Arm I", "Group 2", "Cohort B"), ends in a row
    that glues something straight onto it ("Arm Ibleomycin", "Group 13D-CRT").

    A letter glued to lower case is no ordinal when the two start a word ("Treatment Armbevacizumab"); a Roman
    numeral glued to lower case may end before its last letter ("Arm IVitamin E": "Arm I" or "Arm IV").
    """
    shape = _LABEL_SHAPE.match(row)
    if shape is None:
        return set()
    end = shape.end()
    ordinal = shape.group(2) or shape.group(3)
    if ordinal and row[end : end + 1].islower():
        run = _LOWER_RUN.match(row, end)
        glued = (row[end - 1] + (run.group(0) if run else "")).lower()
        common = lexicon.common_words()
        if any(glued[:n] in words or glued[:n] in common for n in range(3, len(glued) + 1)):
            # The ordinal's last letter starts a word: "Treatment A|rm..." is no label, "Arm I|Vitamin E" may be.
            return {end - 1} if shape.group(2) and len(ordinal) > 1 else set()
    return {end}


def _ordinal_ends(rows: Sequence[str]) -> list[int]:
    """Where each row's label ends when the rows' labels are one text and ordinals in order, glued to what
    follows them ("1Dextroamphetamine...", "2Placebo..."; "Group 13D-CRT...", "Group 23D-CRT..."; "AHIV-infected
    ...", "BUninfected ..."); 0 for every row otherwise. A single row, or rows that do not count up from their
    first, carry no such sign."""
    none = [0] * len(rows)
    if len(rows) < 2:
        return none
    head = rows[0][:40]
    common = next((k for k in range(len(head)) if any(row[k : k + 1] != head[k] for row in rows)), len(head))
    prefix = head[:common].rstrip("0123456789")
    first = rows[0][len(prefix) : len(prefix) + 1]
    if first.isdigit():
        options = [
            [str(int(rows[0][len(prefix) : len(prefix) + n]) + k) for k in range(len(rows))]
            for n in range(1, 4)
            if rows[0][len(prefix) : len(prefix) + n].isdigit()
        ]
    elif first.isupper() and first.isalpha() and (not prefix or prefix.endswith(" ")):
        options = [[chr(ord(first) + k) for k in range(len(rows))]]
    else:
        return none
    for ordinals in options:
        ends = []
        for row, ordinal in zip(rows, ordinals, strict=True):
            end = len(prefix) + len(ordinal)
            after = row[end : end + 1]
            if not row.startswith(prefix + ordinal) or not after.isalnum() or (ordinal.isalpha() and after.islower()):
                break
            ends.append(end)
        else:
            return ends
    return none


def _word_seams(row: str, words: frozenset[str], vocabulary: frozenset[str], limit: int) -> set[int]:
    """Offsets inside glued runs of letters that split the run into words the page uses ("sodium|cytarabine").

    A run that is itself a word of the page's free text is not split. A run is covered by words of at least
    ``_MIN_PIECE`` letters that the page or the table writes apart, and by longer stretches that it never writes
    (names stated nowhere else), no two in a row and no more than the known words but one; a label's letter or
    numeral in capitals may stand before the first word ("Arm I|bleomycin"). Of several coverings the one with the
    fewest unknown stretches, then the fewest pieces, then the most letters in known words wins.
    """
    seams: set[int] = set()
    for m in _LETTER_RUN.finditer(row, 0, limit):
        text = m.group(0)
        run = text.lower()
        if len(run) < _MIN_RUN or run in words:
            continue
        size = len(run)
        # best[k]: (unknown stretches, pieces, minus the letters of known words, cut before the last piece, whether
        # the last piece is unknown) of the best covering of run[:k].
        best: list[tuple[int, int, int, int, bool] | None] = [None] * (size + 1)
        best[0] = (0, 0, 0, 0, False)
        lead = len(text) - len(text.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        # Capitals glued before a lower-case word are a piece of their own ("PBSC|doxorubicin"), but not the one
        # capital that starts a word ("H|ydrochloride").
        alone = lead >= 2 or row[m.start() - 1 : m.start()].isalpha()
        if 1 <= lead <= 3 and alone and text[lead : lead + 1].islower():
            best[lead] = (0, 1, 0, 0, False)
        for end in range(_MIN_PIECE, size + 1):
            for start in range(max(0, end - _MAX_PIECE), end - _MIN_PIECE + 1):
                done = best[start]
                if done is None or end - start == size:
                    continue
                known = run[start:end] in vocabulary
                if not known and (done[4] or end - start < _MIN_PIECE + 1):
                    continue
                option = (done[0] + (not known), done[1] + 1, done[2] - known * (end - start), start, not known)
                current = best[end]
                if current is None or option[:3] < current[:3]:
                    best[end] = option
        found = best[size]
        # A covering needs a known word, and no more unknown stretches than known words but one: a capital and an
        # unknown stretch ("M|ethotrexate") is one word the page does not write.
        if found is None or found[2] == 0 or found[1] <= 2 * found[0] - 1:
            continue
        k = size
        while k > 0:
            cut = best[k][3]  # type: ignore[index]
            if cut > 0:
                seams.add(m.start() + cut)
            k = cut
    return seams


def _snap(row: str, at: int, step: int, seams: set[int], words: frozenset[str]) -> int | None:
    """The seam nearest a shared run's edge ``at``, moving into the run by ``step``: two rows may agree on a letter
    or two before the names they share ("Arm I|garlic", "Arm II|garlic"), so a word seam or a plain boundary within
    two letters is preferred; None when there is no boundary there."""
    for k in (at + step * d for d in range(3)):
        if k in seams:
            return k
    if not 0 < at < len(row) or _glue(row, at, words) is None or _word_internal(row, at):
        return None
    return at


def _inner_seams(row: str, start: int, end: int, seams: set[int], words: frozenset[str]) -> list[int]:
    """The seams strictly inside ``row[start:end]``: word seams and plain boundaries (a capital glued after a
    lower-case letter, digit or bracket, see :func:`_glue`)."""
    return [k for k in range(start + 1, end) if k in seams or _glue(row, k, words) == 2]


def _shared_runs(
    rows: Sequence[str], seams: Sequence[set[int]], words: frozenset[str]
) -> list[tuple[set[int], dict[int, set[int]]]]:
    """For each row, where it starts or stops spelling text that another row spells too, and those spans.

    Rows of one table that list the same interventions spell the same names; where two rows part ("Arm I|garlic
    powder tablets" and "Arm II|garlic powder tablets") is a seam in each. Only a prefix of each row is compared,
    with :class:`difflib.SequenceMatcher`, whose blocks are maximal common runs, and only in a table of at most
    ``_MAX_SHARED_ROWS`` rows.
    """
    found: list[tuple[set[int], dict[int, set[int]]]] = [(set(), {}) for _ in rows]
    if len(rows) > _MAX_SHARED_ROWS:
        return found
    heads = [row[:_MAX_SHARED_SCAN] for row in rows]
    for a in range(len(heads)):
        for b in range(a + 1, len(heads)):
            matcher = difflib.SequenceMatcher(None, heads[a], heads[b], autojunk=False)
            for i, j, n in matcher.get_matching_blocks():
                if n < _MIN_SHARED:
                    continue
                for row, at in ((a, i), (b, j)):
                    text = rows[row]
                    start = _snap(text, at, 1, seams[row], words) if at > 0 else 0
                    end = _snap(text, at + n, -1, seams[row], words) if at + n < len(text) else len(text)
                    inner = _inner_seams(text, at, at + n, seams[row], words)
                    if (start is None or end is None) and inner:
                        # The rows agree on more than whole cells ("Arm A |(paclitaxel)paclitaxel...Patients receive
                        # paclitaxel| IV"): the cells they share lie between the seams inside the common text.
                        start, end = inner[0], inner[-1]
                    if start is None or end is None or end - start < _MIN_SHARED:
                        continue
                    # Every seam inside the common text parts two of the cells it holds.
                    found[row][0].update(k for k in (start, *inner, end) if 0 < k < len(text) and start <= k <= end)
                    found[row][1].setdefault(start, set()).add(end - start)
    return found


def _name_like(text: str) -> bool:
    """Whether shared text may be one cell that names an intervention: its brackets closed, no clause in it
    ("No. DC: 10^"), at most twice ``_MAX_NAME_WORDS`` words. Rows also share the start of their descriptions."""
    return _balanced(text) and len(text.split()) <= 2 * _MAX_NAME_WORDS and not _has_clause(text)


def _row_signals(rows: Sequence[str], words: frozenset[str], cased: frozenset[str]) -> list[_RowSignals]:
    """The seams and shared runs of each row of a glued table, and the offsets inside words of the page's free text
    (``words`` lower-cased, ``cased`` as written; see :class:`_RowSignals`).

    Glued runs are split into the words of the page's free text and of the table's own descriptions.
    """
    vocabulary = words | _page_words(rows)
    enumerated = _ordinal_ends(rows)
    label_ends = [_label_shape_ends(row, words) | {end} - {0} for row, end in zip(rows, enumerated, strict=True)]
    split = [
        _word_seams(row, words, vocabulary, min(len(row), _MAX_ROW_SCAN)) | ends
        for row, ends in zip(rows, label_ends, strict=True)
    ]
    shared = _shared_runs(rows, split, words) if len(rows) > 1 else [(set(), {}) for _ in rows]
    signals = []
    for row, (seams, spans), own, ends in zip(rows, shared, split, label_ends, strict=True):
        seams |= own
        # A shared span counts as a name from any seam inside it to any seam inside it.
        runs: dict[int, set[int]] = {}
        for start, lengths in spans.items():
            for n in lengths:
                points = sorted({start, start + n, *(k for k in seams if start <= k <= start + n)})
                for x in points:
                    for y in points:
                        if 3 <= y - x <= _MAX_NAME_LEN and _name_like(row[x:y]):
                            runs.setdefault(x, set()).add(y - x)
        signals.append(
            _RowSignals(
                frozenset(seams),
                {k: tuple(sorted(v)) for k, v in runs.items()},
                True,
                frozenset(ends),
                _inside_words(row, cased) - ends,
            )
        )
    return signals


def _medpath_arms(
    page: _Page,
    section: _Section,
    listed: list[tuple[str, str | None]],
    phrases: _Phrases,
    words: frozenset[str],
    cased: frozenset[str],
) -> None:
    """Arms and their interventions from the flattened "Group / Intervention / Description" table.

    Rows are read twice: names read off one row on the first pass are known names on the second, so that a
    name glued to its neighbours in one row is still found where the page states it only once.
    """
    rows = [
        p for p in _paragraphs(section.lines) if fold(p) != "GROUPINTERVENTIONDESCRIPTION" and not _COPYRIGHT.match(p)
    ]
    if not rows or len(rows) > _MAX_TABLE_ROWS:
        # A table far longer than any trial's arms is not read past that length: the page is PARTIAL.
        page.unread.append(section.label)
        rows = rows[:_MAX_TABLE_ROWS]
    types = dict(listed)
    known = {name: _LISTED for name in types}
    # An observational study seldom assigns interventions: an unlisted name there needs more support.
    observational = not listed and page.values.get("study_type") == "OBSERVATIONAL"
    name_cost = _OBSERVATIONAL_NAME_COST if observational else _NAME_COST
    signals = _row_signals(rows, words, cased)
    cuts = [
        _cuts(row, phrases, words, known, listed=bool(listed), name_cost=name_cost, signals=signal)
        for row, signal in zip(rows, signals, strict=True)
    ]
    if not listed:
        # Labels are the arms' own: a name read that is another row's label is that label seen in a description.
        labels = {label.strip() for label, _, _ in cuts}
        read = {name: _READ for label, names, _ in cuts for name in names if name == label or name not in labels}
        cuts = [
            _cuts(row, phrases, words, read, listed=False, name_cost=name_cost, signals=signal)
            for row, signal in zip(rows, signals, strict=True)
        ]
    for label, names, description in cuts:
        label = label.strip()
        page.arms.append((label, None, description.strip() or None))
        for name in names:
            page.interventions.append((label, name, types.get(name), None))
    armed = {name for _, name, _, _ in page.interventions}
    for name, kind in listed:
        if name not in armed:
            page.interventions.append((None, name, kind, None))


def _medpath_locations(page: _Page, section: _Section) -> None:
    lines = _paragraphs(section.lines)
    after_flag = False
    for line in lines:
        if _COPYRIGHT.match(line) or _LOCATIONS_COUNT.match(line):
            continue
        if _EMOJI_ONLY.match(line):
            after_flag = True
            continue
        if after_flag and "," in line:
            parts = [part.strip() for part in line.split(",")]
            # A country whose name holds a comma ("Seoul, Korea, Republic of") ends the address in two parts.
            pair = ", ".join(parts[-2:])
            page.countries.append(pair if len(parts) > 2 and pair.lower() in lexicon.countries() else parts[-1])
        after_flag = False


def _read_medpath(lines: list[str], page: _Page) -> None:
    sections = _split(lines, _MEDPATH_LABELS)
    head = _paragraphs(sections[0].lines)
    if head and head[0].lower() == "medpath":
        head = head[1:]
    if head:
        page.title = clean_inline(head[0])
    for line in head[1:]:
        if phases := parse_phases(line):
            page.phases = phases
        elif status := to_enum("overall_status", line):
            page.values.setdefault("overall_status", status)
        else:
            page.unread.append(line[:40])
    listed: list[tuple[str, str | None]] = []
    arm_table: _Section | None = None
    for section in sections[1:]:
        key = section.key
        value = _value(section)
        if key == "conditions":
            page.conditions = _paragraphs(section.lines)
        elif key == "intervention_list":
            for item in _paragraphs(section.lines):
                m = _TYPED_NAME.match(item)
                if m and (kind := to_enum("intervention_type", m.group(1))):
                    listed.append((m.group(2).strip(), kind))
                else:
                    listed.append((item, None))
        elif key == "registration":
            if value and (m := NCT_ID.search(value)):
                page.nct_id = m.group(0)
            elif value:
                page.other_ids.append(value)
        elif key == "lead_sponsor":
            page.lead_sponsor = value
        elif key == "collaborators":
            page.collaborators = _paragraphs(section.lines)
        elif key == "brief_summary":
            page.brief_summary = _block(section.lines)
        elif key == "detailed_description":
            page.detailed_description = _block(section.lines)
        elif key in {"recruitment", "design"}:
            if value:
                page.unread.append(section.label)
        elif key == "status":
            _set_enum(page, section, "overall_status", value)
        elif key == "sex":
            _set_enum(page, section, "sex", value)
        elif key == "enrollment":
            _set_enrollment(page, section, value)
        elif key in {"minimum_age", "maximum_age"}:
            _set_age(page, section, key, value)
        elif key == "healthy":
            _set_healthy(page, section, value)
        elif key == "criteria":
            page.criteria_lines += [section.label, *section.lines]
        elif key == "study_type":
            _set_enum(page, section, "study_type", value)
        elif key == "model":
            _set_enum(page, section, "intervention_model", value)
        elif key == "arm_table":
            arm_table = section
        elif key == "locations":
            _medpath_locations(page, section)
    # The glued tables are read last, with what the rest of the page says: its free text tells real words from
    # cells glued together, its phrases name interventions, its study type weighs them.
    outcome_tables = [s for s in sections if s.key.endswith("_outcomes")]
    free = [line for s in sections if s is not arm_table and s not in outcome_tables for line in s.lines]
    cased = _cased_words(free)
    words = frozenset(w.lower() for w in cased)
    if outcome_tables:
        tokens = _page_tokens(line for s in sections if s not in outcome_tables for line in s.lines)
        _medpath_outcomes(page, outcome_tables, words, tokens)
    if arm_table is not None:
        phrases = _phrase_index(line for s in sections for line in s.lines)
        _medpath_arms(page, arm_table, listed, phrases, words, cased)
    else:
        page.interventions += [(None, name, kind, None) for name, kind in listed]


# --- the ClinicalTrials.gov mirror ------------------------------------------------------------------------------


def _content(section: _Section) -> list[str]:
    """The section's lines without the site's blurb under the heading."""
    return [line for line in section.lines if not (len(line) < 200 and _BLURB_START.match(line.strip()))]


def _set_age(page: _Page, section: _Section, key: str, value: str | None) -> None:
    if value is None:
        return
    years = parse_age_years(value)
    if years is None and fold(value) not in {"N_A", "NA", "NONE"}:
        page.unread.append(section.label)
        return
    page.values[f"{key}_raw"] = value
    if years is not None:
        page.values[key] = str(years)


def _set_healthy(page: _Page, section: _Section, value: str | None) -> None:
    if value is None:
        return
    folded = fold(value)
    if folded in {"NO", "FALSE"}:
        page.values["healthy"] = "no"
    elif folded in {"YES", "TRUE", "ACCEPTS_HEALTHY_VOLUNTEERS"}:
        page.values["healthy"] = "yes"
    else:
        page.unread.append(section.label)


def _blocks(lines: Sequence[str], terminator: re.Pattern[str]) -> list[tuple[list[str], re.Match[str]]]:
    """Paragraph groups that each end with a line matching ``terminator`` ("Sponsor Role lead")."""
    found: list[tuple[list[str], re.Match[str]]] = []
    current: list[str] = []
    for line in _paragraphs(lines):
        if m := terminator.match(line):
            found.append((current, m))
            current = []
        else:
            current.append(line)
    return found


def _mirror_interventions(page: _Page, section: _Section) -> dict[str, tuple[str | None, str | None]]:
    known: dict[str, tuple[str | None, str | None]] = {}
    for lines, m in _blocks(_content(section), _INTERVENTION_TYPE):
        if not lines:
            continue
        name = lines[0]
        known[name] = (to_enum("intervention_type", m.group(1)), clean_inline(" ".join(lines[1:])))
    if not known:
        page.unread.append(section.label)
    return known


def _mirror_groups(
    page: _Page, section: _Section, known: dict[str, tuple[str | None, str | None]]
) -> list[tuple[str, str, str | None, str | None]]:
    """Arms, and the interventions listed under each, from the "Study Groups" section.

    An arm is its label, an optional description paragraph and a "Group Type X" line; each intervention under it
    is a name followed by an "Intervention Type X" line and, when the page gives one, its description (recognised
    because the Interventions section states the same text). Observational groups have no type line: a label and
    at most one description paragraph.
    """
    lines = _paragraphs(_content(section))
    typed = any(_GROUP_TYPE.match(x) for x in lines)
    given: list[tuple[str, str, str | None, str | None]] = []
    pending: list[str] = []

    def close(arm_type: str | None) -> None:
        if pending:
            page.arms.append((pending[0], arm_type, clean_inline(" ".join(pending[1:]))))
            pending.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if m := _GROUP_TYPE.match(line):
            close(to_enum("arm_type", m.group(1)))
            i += 1
            continue
        if m := _INTERVENTION_TYPE.match(nxt):
            close(None)
            name, description = line, None
            i += 2
            if i < len(lines) and lines[i] == known.get(name, (None, None))[1]:
                description = lines[i]
                i += 1
            if page.arms:
                given.append((page.arms[-1][0], name, to_enum("intervention_type", m.group(1)), description))
            continue
        if not typed and pending:
            # Untyped groups alternate label and description; a second short line is still a description.
            if len(pending) == 1:
                pending.append(line)
                close(None)
                i += 1
                continue
            close(None)
        pending.append(line)
        i += 1
    close(None)
    if not page.arms:
        page.unread.append(section.label)
    return given


def _mirror_outcomes(page: _Page, section: _Section, kind: str) -> None:
    """Outcomes as the mirror lists them: measure, optional description, then a "Time frame:" line.

    Paragraphs after the last time frame (all of them in older records, which state none) are read as an
    untimed list.
    """
    found: list[tuple[str, str, str | None, str | None]] = []
    current: list[str] = []
    for line in _paragraphs(_content(section)):
        if m := _TIME_FRAME.match(line):
            if current:
                description = clean_inline(" ".join(current[1:]))
                found.append((kind, current[0], clean_inline(m.group(1)), description))
            current = []
        else:
            current.append(line)
    found += _untimed_outcomes(kind, current)
    if not found:
        page.unread.append(section.label)
    page.outcomes += found


def _mirror_other_names(page: _Page, section: _Section, names: Sequence[str]) -> None:
    for line in _paragraphs(_content(section)):
        owner = next((n for n in names if line.startswith(n + ":")), None)
        if owner is not None:
            page.other_names.setdefault(owner, []).append(line[len(owner) + 1 :].strip())
        elif len(names) == 1:
            page.other_names.setdefault(names[0], []).append(line)
        else:
            # A brand name that cannot be tied to one of several interventions is not guessed onto one.
            page.other_names.setdefault("", []).append(line)


def _read_mirror(lines: list[str], page: _Page) -> None:
    # Most saved mirror pages keep the blurb under each heading; where they do, it tells headings from text.
    blurbs = sum(1 for line in lines if _BLURB_START.match(line.strip())) >= 3
    sections = _split(lines, _MIRROR_LABELS, blurbs=blurbs)
    for line in _paragraphs(sections[0].lines):
        if m := _NCT_LINE.match(line):
            page.nct_id = m.group(1)
        elif page.title is None and not line.lower().startswith(("last updated", "nct id")):
            page.title = clean_inline(line)
    known: dict[str, tuple[str | None, str | None]] = {}
    by_key = {s.key: s for s in sections}
    if "interventions" in by_key:
        known = _mirror_interventions(page, by_key["interventions"])
    for section in sections[1:]:
        key = section.key
        content = _content(section)
        value = clean_inline(_paragraphs(content)[0]) if _paragraphs(content) else None
        if key == "results":
            rest = [p for p in _paragraphs(content) if p.lower() != "results pending"]
            if rest:
                page.unread.append(section.label)
        elif key == "eligibility":
            # Criteria without an "Inclusion Criteria" heading stand straight under the section heading.
            if _paragraphs(content):
                page.criteria_lines += content
        elif key in {"basic", "design", "outcomes", "skip", "interventions", "time_perspective"}:
            if key in {"basic", "design"} and _paragraphs(content):
                page.unread.append(section.label)
        elif key == "status":
            _set_enum(page, section, "overall_status", value)
        elif key == "phase":
            phases = parse_phases(value)
            if value and not phases:
                page.unread.append(section.label)
            page.phases = phases
        elif key == "enrollment":
            _set_enrollment(page, section, value)
        elif key == "study_type":
            _set_enum(page, section, "study_type", value)
        elif key in {"start", "primary_completion", "completion"}:
            if value and parse_date(value) is None:
                page.unread.append(section.label)
            elif value:
                page.values[key] = value
        elif key == "brief_summary":
            page.brief_summary = _block(content)
        elif key == "detailed_description":
            page.detailed_description = _block(content)
        elif key == "conditions":
            page.conditions = _paragraphs(content)
        elif key == "allocation":
            _set_enum(page, section, "allocation", value)
        elif key == "model":
            _set_enum(page, section, "intervention_model", value)
        elif key == "purpose":
            _set_enum(page, section, "primary_purpose", value)
        elif key == "masking":
            _set_enum(page, section, "masking", value)
        elif key == "groups":
            given = _mirror_groups(page, section, known)
            for label, name, kind, description in given:
                page.interventions.append((label, name, kind or known.get(name, (None, None))[0], description))
        elif key == "other_names":
            _mirror_other_names(page, section, list(known))
        elif key.endswith("_outcomes"):
            _mirror_outcomes(page, section, key.split("_")[0].upper())
        elif key == "criteria":
            page.criteria_lines += [section.label, *section.lines]
        elif key in {"minimum_age", "maximum_age"}:
            _set_age(page, section, key, value)
        elif key == "sex":
            _set_enum(page, section, "sex", value)
        elif key == "healthy":
            _set_healthy(page, section, value)
        elif key == "sponsors":
            for block, m in _blocks(content, _SPONSOR_ROLE):
                if not block:
                    continue
                if fold(m.group(1)) == "LEAD":
                    page.lead_sponsor = block[0]
                else:
                    page.collaborators.append(block[0])
        elif key == "locations":
            continue  # sites are not a contract table; countries come from their own section
        elif key == "countries":
            page.countries = _paragraphs(content)
        elif key == "identifiers":
            for block, _ in _blocks([x for x in content if not _IDENTIFIER_TYPE.match(x.strip())], _IDENTIFIER_SOURCE):
                if block:
                    page.other_ids.append(block[0])
    armed = {name for _, name, _, _ in page.interventions}
    for name, (kind, description) in known.items():
        if name not in armed:
            page.interventions.append((None, name, kind, description))
    # An intervention listed under an arm without its own text takes the description the Interventions
    # section gives it.
    page.interventions = [
        (arm, name, kind, description if description is not None else known.get(name, (None, None))[1])
        for arm, name, kind, description in page.interventions
    ]


# --- endpoints stated only in prose ---------------------------------------------------------------------------


def _split_list(text: str) -> list[str]:
    """Items of an English list ("A (x), B, and C"), not splitting inside brackets."""
    items: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    cleaned = []
    for item in items:
        item = item.strip().removeprefix("and ").removeprefix("or ").strip(" .;:")
        for part in _and_split(item) if depth == 0 else [item]:
            if part:
                cleaned.append(part)
    return cleaned


def _and_split(item: str) -> list[str]:
    # "A and B" as the last pair of a list without an Oxford comma.
    if " and " in item and "(" not in item:
        return [p.strip() for p in item.split(" and ")]
    return [item]


def _prose_outcomes(texts: Sequence[str | None]) -> list[tuple[str, str, str | None, str | None]]:
    """Endpoints that a summary states only in running text."""
    found: list[tuple[str, str, str | None, str | None]] = []
    for text in texts:
        if not text:
            continue
        flat = " ".join(text.split())
        for sentence in _SENTENCE.split(flat):
            pos = 0
            for m in _SUBJECT_END.finditer(sentence):
                subject = sentence[pos : m.start()].strip(" ,;")
                subject = subject.removeprefix("and ").strip()
                kind = m.group(1).upper()
                items = _split_list(subject) if kind == "SECONDARY" else [subject]
                found += [(kind, item, None, None) for item in items if 2 < len(item) < 200]
                pos = m.end()
            if pos:
                continue
            if m2 := _ENDPOINT_IS.search(sentence):
                kind = m2.group(1).upper()
                rest = sentence[m2.end() :].strip(" .")
                items = _split_list(rest) if kind == "SECONDARY" else [rest]
                found += [(kind, item, None, None) for item in items if 2 < len(item) < 200]
    seen: set[tuple[str, str]] = set()
    result = []
    for row in found:
        if (row[0], row[1].lower()) not in seen:
            seen.add((row[0], row[1].lower()))
            result.append(row)
    return result


# --- records -------------------------------------------------------------------------------------------------


def _style(lines: Sequence[str]) -> str | None:
    medpath = _label_count(lines, _MEDPATH_LABELS)
    mirror = _label_count(lines, _MIRROR_LABELS)
    first = next((line.strip().lower() for line in lines if line.strip()), "")
    if first.startswith(("<", "{", "[")):
        return None
    if first == "medpath" or any(line.strip() in {"NameTimeMethod", "GroupInterventionDescription"} for line in lines):
        return "medpath" if medpath >= _MIN_LABELS - 2 else None
    if any(_NCT_LINE.match(line.strip()) for line in lines[:20]) and mirror >= _MIN_LABELS - 2:
        return "mirror"
    if max(medpath, mirror) < _MIN_LABELS:
        return None
    return "medpath" if medpath > mirror else "mirror"


def _float(value: str | None) -> float | None:
    return float(value) if value is not None else None


def _build(document: Document, page: _Page) -> ParsedDocument:
    if not page.title and not page.nct_id and not page.other_ids:
        raise ParseError("registry page has neither a title nor a trial ID")
    other_ids = [i for i in unique(page.other_ids) if i != page.nct_id]
    trial_id = page.nct_id or (other_ids[0] if other_ids else derived_trial_id(page.title))
    doc_id = document.document_id
    v = page.values
    count = v.get("enrollment_count")
    trial = TrialRecord(
        document_id=doc_id,
        trial_id=trial_id,
        nct_id=page.nct_id,
        other_ids=tuple(other_ids),
        brief_title=page.title,
        phases=page.phases,
        overall_status=v.get("overall_status"),
        study_type=v.get("study_type"),
        enrollment_count=int(count) if count is not None else None,
        enrollment_type=v.get("enrollment_type"),
        start_date=parse_date(v.get("start")),
        start_date_raw=v.get("start"),
        primary_completion_date=parse_date(v.get("primary_completion")),
        primary_completion_date_raw=v.get("primary_completion"),
        completion_date=parse_date(v.get("completion")),
        completion_date_raw=v.get("completion"),
        allocation=v.get("allocation"),
        intervention_model=v.get("intervention_model"),
        masking=v.get("masking"),
        primary_purpose=v.get("primary_purpose"),
        lead_sponsor=page.lead_sponsor,
        collaborators=unique(page.collaborators),
        conditions=unique(page.conditions),
        sex=v.get("sex"),
        minimum_age_years=_float(v.get("minimum_age")),
        minimum_age_raw=v.get("minimum_age_raw"),
        maximum_age_years=_float(v.get("maximum_age")),
        maximum_age_raw=v.get("maximum_age_raw"),
        healthy_volunteers={"yes": True, "no": False}.get(v.get("healthy", "")),
        countries=unique(page.countries),
        brief_summary=page.brief_summary,
    )
    arms = tuple(
        ArmRecord(doc_id, trial_id, seq, label, arm_type, description)
        for seq, (label, arm_type, description) in enumerate(page.arms, start=1)
    )
    arm_text = {label: description for label, _, description in page.arms}
    interventions = []
    for seq, (arm_label, name, kind, description) in enumerate(page.interventions, start=1):
        dosing = dosing_for(description, arm_text.get(arm_label) if arm_label is not None else None, name)
        interventions.append(
            InterventionRecord(
                document_id=doc_id,
                trial_id=trial_id,
                intervention_seq=seq,
                intervention_name=name,
                arm_label=arm_label,
                intervention_type=kind,
                other_names=tuple(page.other_names.get(name, ())),
                description=description,
                dose_value=dosing.dose_value,
                dose_unit=dosing.dose_unit,
                route=dosing.route,
                frequency=dosing.frequency,
                dosing_text=dosing.text,
            )
        )
    rows = page.outcomes or _prose_outcomes([page.brief_summary, page.detailed_description])
    outcomes = tuple(
        OutcomeRecord(doc_id, trial_id, seq, kind, measure, time_frame, description)
        for seq, (kind, measure, time_frame, description) in enumerate(rows, start=1)
    )
    criteria: tuple[CriterionRecord, ...] = ()
    constraints: tuple[ConstraintRecord, ...] = ()
    criteria_text = "\n".join(page.criteria_lines).strip("\n")
    if criteria_text.strip():
        criteria = split_criteria(criteria_text, document_id=doc_id, trial_id=trial_id)
        constraints = extract_constraints(criteria, source_text=criteria_text)
    unread = list(unique(page.unread))
    problems = (f"unread sections: {', '.join(unread)}",) if unread else ()
    return ParsedDocument(
        source_format=SourceFormat.REGISTRY_PAGE,
        status=ParseStatus.PARTIAL if unread else ParseStatus.PARSED,
        problems=problems,
        trials=(trial,),
        arms=arms,
        interventions=tuple(interventions),
        outcomes=outcomes,
        criteria=criteria,
        criterion_constraints=constraints,
    )


class RegistryPageReader:
    """Trial pages saved as text from registry sites (MedPath, ClinicalTrials.gov mirrors)."""

    source_format = SourceFormat.REGISTRY_PAGE

    def accepts(self, document: Document) -> bool:
        """Whether the text carries enough of one site's labels, each on its own line, to be that site's page."""
        text = document.text
        if not text or len(text) > _MAX_CHARS:
            return False
        return _style(_normalise(text)) is not None

    def parse(self, document: Document) -> ParsedDocument:
        """Read the page into trial, arm, intervention, outcome and eligibility records."""
        if len(document.text) > _MAX_CHARS:
            raise ParseError(f"registry page larger than {_MAX_CHARS} characters")
        lines = _normalise(document.text)
        style = _style(lines)
        if style is None:
            raise ParseError("not a registry page: too few known section labels")
        page = _Page()
        if style == "medpath":
            _read_medpath(lines, page)
        else:
            _read_mirror(lines, page)
        return _build(document, page)
