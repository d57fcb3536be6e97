"""Trial pages of registry web sites saved as text: MedPath pages and ClinicalTrials.gov mirror pages.

A saved page is a run of lines in which the site's labels ("Registration Number", "Recruitment Status",
"Group Type EXPERIMENTAL", ...) stand on their own lines and the values follow them. The reader splits the
page at the labels it knows, then reads each section with a small section-specific routine. Labels must
appear in the site's order, so a label word that turns up inside a free-text block ("Conditions" in a detailed
description) does not start a new section. MedPath's flattened tables, whose cells were glued together when the
page was saved, are cut by their own modules, with what the rest of the page says: the "Group / Intervention /
Description" rows by :mod:`trial_pipeline.parsers.medpath_arms`, the "Name / Time / Method" rows by
:mod:`trial_pipeline.parsers.medpath_outcomes`; the text helpers they share with this module are in
:mod:`trial_pipeline.parsers.page_text`.

Contact sections (names, phone numbers, e-mail addresses) are skipped whole; site boilerplate (section
blurbs, copyright lines) is dropped. Nothing is reconciled: when an arm description and an intervention
description state different doses, each record keeps what its own text says.

Every regex is linear (no unbounded nested quantifiers) and every loop is bounded by the page size, because the
text is untrusted; the table modules keep the same guarantees and stop every scan of a glued row after a fixed
prefix.
"""

from __future__ import annotations

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
from trial_pipeline.parsers.medpath_arms import read_arm_table
from trial_pipeline.parsers.medpath_outcomes import read_outcome_tables, untimed_outcomes
from trial_pipeline.parsers.page_text import cased_words
from trial_pipeline.vocab import lexicon

# A saved page is a few hundred kB at most; anything far larger is not a page and would only cost time.
_MAX_CHARS = 2_000_000
# How many arm rows a MedPath arm table may have (the corpus's largest has 15).
_MAX_TABLE_ROWS = 50
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
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|Copyright\b)", re.IGNORECASE)

_GROUP_TYPE = re.compile(r"^Group Type\s+([A-Za-z_ ]{1,40})$")
_INTERVENTION_TYPE = re.compile(r"^Intervention Type\s+([A-Za-z_ ]{1,40})$")
_SPONSOR_ROLE = re.compile(r"^Sponsor Role\s+([A-Za-z_ ]{1,40})$")
_IDENTIFIER_SOURCE = re.compile(r"^Identifier Source:\s*([A-Za-z_ -]{0,40})$")
_IDENTIFIER_TYPE = re.compile(r"^Identifier Type:")
_TIME_FRAME = re.compile(r"^Time ?frame:\s*(.*)$", re.IGNORECASE)
_NCT_LINE = re.compile(r"^NCT ID:\s*(NCT\d{8})\s*$")
_LOCATIONS_COUNT = re.compile(r"^Locations\s*\(\d{1,6}\)$")
_ENROLLMENT = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d{1,9})\b\s*(?:participants?)?\s*(?:\(\s*([A-Za-z]{1,20})\s*\))?")
_TYPED_NAME = re.compile(r"^([A-Za-z][A-Za-z ]{1,30}):\s*(\S.*)$")
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


# --- MedPath's flattened tables (cut by medpath_outcomes and medpath_arms) ------------------------------------


def _medpath_outcomes(page: _Page, sections: Sequence[_Section], words: frozenset[str], lines: Iterable[str]) -> None:
    """The outcomes of the "Name / Time / Method" tables, as :func:`read_outcome_tables` cuts them with the tokens
    of ``lines`` (the page outside the tables). A table without rows leaves the page PARTIAL."""
    tables = [
        (section, [p for p in _paragraphs(section.lines) if p != "NameTimeMethod" and not _COPYRIGHT.match(p)])
        for section in sections
    ]
    page.unread += [section.label for section, rows in tables if not rows]
    page.outcomes += read_outcome_tables(
        [(section.key.split("_")[0].upper(), rows) for section, rows in tables], words, lines
    )


def _medpath_arms(
    page: _Page,
    section: _Section,
    listed: list[tuple[str, str | None]],
    lines: Iterable[str],
    words: frozenset[str],
    cased: frozenset[str],
) -> None:
    """The arms and interventions of the "Group / Intervention / Description" table, as :func:`read_arm_table`
    cuts them with the phrases of ``lines`` (the whole page) and the page's study type."""
    rows = [
        p for p in _paragraphs(section.lines) if fold(p) != "GROUPINTERVENTIONDESCRIPTION" and not _COPYRIGHT.match(p)
    ]
    if not rows or len(rows) > _MAX_TABLE_ROWS:
        # A table far longer than any trial's arms is not read past that length: the page is PARTIAL.
        page.unread.append(section.label)
        rows = rows[:_MAX_TABLE_ROWS]
    observational = page.values.get("study_type") == "OBSERVATIONAL"
    arms, interventions = read_arm_table(rows, listed, lines, words, cased, observational=observational)
    page.arms += arms
    page.interventions += interventions


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
    cased = cased_words(free)
    words = frozenset(w.lower() for w in cased)
    if outcome_tables:
        _medpath_outcomes(
            page, outcome_tables, words, (line for s in sections if s not in outcome_tables for line in s.lines)
        )
    if arm_table is not None:
        _medpath_arms(page, arm_table, listed, (line for s in sections for line in s.lines), words, cased)
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
    found += untimed_outcomes(kind, current)
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
