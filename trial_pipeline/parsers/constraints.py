"""Numeric and graded conditions inside eligibility criteria -> :class:`ConstraintRecord` rows.

Precision first: a constraint is emitted only when a catalogued variable (``vocab/constraint_variables.py``) is
named and a comparison follows it closely, with a unit the variable accepts and a plausible value. Anything
unsure is left out. Most variables are read as *mention, short filler, comparison* ("ANC ≥ 1.5 x 10^9/L",
"ECOG performance status score of 0 to 2"); a few are read by dedicated patterns because the number comes first
("≥ 2 lines of therapy", "grade ≥ 3 peripheral neuropathy", "18 years or older", "within 4 weeks before the
first dose").

Operators are ``>=``, ``>``, ``<=``, ``<``, ``=`` and ``RANGE``; a lower bound goes to ``value_low``, an upper
bound to ``value_high`` (``=`` sets both). ``is_negated`` means the text itself negates the condition ("no grade
≥ 2 neuropathy"); whether the criterion includes or excludes is the criterion's kind, not a negation.

All regexes are bounded and free of nested quantifiers; every match runs on a window of at most a few hundred
characters, so hostile text cannot make the extractor backtrack.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from trial_pipeline.models import ConstraintRecord, CriterionRecord
from trial_pipeline.vocab.constraint_variables import BY_NAME, VARIABLES

__all__ = ["extract_constraints"]


class _Folding(NamedTuple):
    """A pattern written in lower case, compiled to read any text ignoring case and to read lower-cased ASCII.

    Lower-cased, an ASCII text matches such a pattern compiled without IGNORECASE exactly where it matches it
    ignoring case; and up to several times faster when the pattern has many alternatives, since the regex
    engine skips an alternative on a first character that differs only when it compares characters exactly.
    A match read from the lower-cased text has the same offsets, and its groups differ only in case.
    """

    any_case: re.Pattern[str]
    folded: re.Pattern[str]

    def reading(self, text: str, folded: str | None) -> tuple[re.Pattern[str], str]:
        """The compiled pattern to use and the text it reads: ``folded``, the text lower-cased, if ASCII."""
        return (self.any_case, text) if folded is None else (self.folded, folded)


def _folding(pattern: str) -> _Folding:
    return _Folding(re.compile(pattern, re.IGNORECASE), re.compile(pattern))


# --- operators ------------------------------------------------------------------------------------

_OPERATOR_WORDS: tuple[tuple[str, str], ...] = (
    (r"greater\s+than\s+or\s+equal(?:\s+to)?", ">="),
    (r"more\s+than\s+or\s+equal(?:\s+to)?", ">="),
    (r"equal\s+to\s+or\s+(?:greater|more|higher)\s+than", ">="),
    (r"equal\s+or\s+(?:greater|more|higher)\s+than", ">="),
    (r"less\s+than\s+or\s+equal(?:\s+to)?", "<="),
    (r"lower\s+than\s+or\s+equal(?:\s+to)?", "<="),
    (r"equal\s+to\s+or\s+(?:less|lower)\s+than", "<="),
    (r"equal\s+or\s+(?:less|lower)\s+than", "<="),
    (r"(?:no|not)\s+(?:less|lower|fewer)\s+than", ">="),
    (r"(?:no|not)\s+(?:more|greater|higher)\s+than", "<="),
    (r"(?:does\s+)?not\s+(?:exceeding|exceed|to\s+exceed)", "<="),
    (r"not\s+below", ">="),
    (r"equal\s+(?:to\s+)?or\s+above", ">="),
    (r"equal\s+(?:to\s+)?or\s+below", "<="),
    (r"not\s+above", "<="),
    (r"(?:a\s+)?minimum\s+of", ">="),
    (r"(?:a\s+)?maximum\s+of", "<="),
    (r"at\s+least", ">="),
    (r"at\s+most", "<="),
    (r"up\s+to", "<="),
    (r"older\s+than", ">"),
    (r"younger\s+than", "<"),
    (r"greater\s+than", ">"),
    (r"more\s+than", ">"),
    (r"higher\s+than", ">"),
    (r"in\s+excess\s+of", ">"),
    (r"exceed(?:s|ing)?", ">"),
    (r"above", ">"),
    (r"over", ">"),
    (r"less\s+than", "<"),
    (r"lower\s+than", "<"),
    (r"fewer\s+than", "<"),
    (r"below", "<"),
    (r"under", "<"),
    (r">\s?or\s?=(?:\s?to)?|>\s?/?\s?=|=\s?>|≥|≧|⩾|＞\s?=", ">="),
    (r"<\s?or\s?=(?:\s?to)?|<\s?/?\s?=|=\s?<|≤|≦|⩽|＜\s?=", "<="),
    (r">|＞|˃", ">"),
    (r"<|＜|˂", "<"),
)
_OPS = "|".join(f"(?:{p})" for p, _ in _OPERATOR_WORDS)
_OP_TABLE = tuple((re.compile(rf"^(?:{p})$", re.IGNORECASE), op) for p, op in _OPERATOR_WORDS)

_WORD_NUMBERS = {
    "one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "five": 5.0, "six": 6.0, "seven": 7.0, "eight": 8.0,
    "nine": 9.0, "ten": 10.0, "eleven": 11.0, "twelve": 12.0, "twice": 2.0, "l": 1.0, "i": 1.0,
}  # fmt: skip
_NUMBER = (
    r"(?:\d{1,3}(?:,\d{3}){1,3}(?![\d,])|\d{1,7}(?:\.\d{1,4})?|\.\d{1,4}|[li](?=\s?[x×]\s?10)"
    r"|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twice)\b)"
)
_DIGIT = re.compile(r"\d")
# The initials before the words: the words are tried only where a word starts with one of them.
_NUMBER_WORD = re.compile(
    r"\b(?=[efnost])(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twice)\b", re.I
)
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")

# --- units ----------------------------------------------------------------------------------------

_UNIT_WORDS: tuple[tuple[str, str], ...] = (
    (
        r"(?:[x×X*]|times|-?fold)?\s?(?:the\s+)?(?:institutional\s+|local\s+|laboratory\s+|normal\s+)?"
        r"(?:upper\s+limits?\s+of\s+(?:the\s+)?normal(?:\s+range)?|upper\s+normal\s+limit|ULN|IULN|ULRR)",
        "ULN",
    ),
    (r"(?:cells\s?)?(?:/|per\s)\s?(?:mm3|mm\^3|mm³|mm\s3|cu\.?\s?mm|cubic\s+millimeter)", "/mm3"),
    (r"(?:cells\s?)?(?:/|per\s)\s?(?:µL|μL|uL|mcL|microliter)", "/uL"),
    (r"K\s?/\s?(?:µL|μL|uL|mm3|mm³)", "10^3/uL"),
    # Giga per litre: capital G only, or every "g/L" haemoglobin would read as a cell count.
    (r"(?-i:G)\s?/\s?(?-i:L)", "10^9/L"),
    (r"(?:/|per\s)\s?(?:L|liter|litre)", "/L"),
    (r"(?:µ|μ|u|micro)mol\s?/\s?L", "umol/L"),
    (r"mg\s?/\s?dL|mg\s?%", "mg/dL"),
    (r"(?:g|gm|gr)\s?/\s?dL|g\s?%", "g/dL"),
    (r"g\s?/\s?L", "g/L"),
    (r"mL\s?/\s?min(?:ute)?(?:\s?/\s?1[.,]73\s?m(?:2|²|\^2))?", "mL/min"),
    (r"copies\s?/\s?mL", "copies/mL"),
    (r"IU\s?/\s?mL", "IU/mL"),
    (r"kg\s?/\s?m(?:2|²|\^2)", "kg/m2"),
    (r"years?|yrs?|y\.o\.|y/o", "years"),
    (r"months?|mos?", "months"),
    (r"weeks?|wks?", "weeks"),
    (r"days?", "days"),
    (r"%|percent", "%"),
    (r"msec|ms|milliseconds?", "ms"),
)
_UNITS = "|".join(f"(?:{p})" for p, _ in _UNIT_WORDS)
_UNIT_TABLE = tuple((re.compile(rf"^(?:{p})$", re.IGNORECASE), unit) for p, unit in _UNIT_WORDS)
_SCI = r"(?:\s?[x×X*]\s?10\s?(?:\^|\*\*)?\s?(?P<exp{n}>\d{{1,2}}(?!\d)|[⁰¹²³⁴⁵⁶⁷⁸⁹]{{1,2}}))"

_CMP = re.compile(
    rf"(?P<btw>between\s|from\s)?\s{{0,2}}(?P<op>{_OPS})?\s{{0,2}}:?\s{{0,2}}"
    rf"(?P<v1>{_NUMBER}){_SCI.format(n=1)}?\s{{0,2}}(?P<u1>{_UNITS})?(?![A-Za-z])(?:\s{{1,2}}old|\s{{1,2}}of\s+age)?"
    rf"(?:\s{{0,2}}(?P<sep>-|–|—|~|to|and|or|through)\s{{0,2}}(?P<v2>{_NUMBER}){_SCI.format(n=2)}?"
    rf"\s{{0,2}}(?P<u2>{_UNITS})?(?![A-Za-z]))?"
    r"(?P<post>\s{1,2}(?:or|and)\s{1,2}(?:more|greater|higher|above|over|older|less|lower|below|fewer|younger|under)"
    r"|\s?\+)?",
    re.IGNORECASE,
)
# The first thing in a window that can begin a comparison.
_ANCHOR = _folding(rf"between\s|from\s|{_OPS}|\d|\.\d|[li](?=\s?[x×]\s?10)|\b(?:one|two|three|four|five|six"
                   rf"|seven|eight|nine|ten|eleven|twelve|twice)\b")  # fmt: skip

# --- mentions -------------------------------------------------------------------------------------

# "performance status 0-1" with no scale named: read as ECOG only when the value fits the 0-5 scale.
_PS = "PERFORMANCE_STATUS"
_MENTION_SPECS: tuple[tuple[str, tuple[str, ...]], ...] = (
    *((spec.name, spec.synonyms) for spec in VARIABLES if spec.synonyms),
    (_PS, (r"performance\s+status(?:\s+score)?", r"PS")),
)
# Synonyms in lower case (see _Folding); one that lower-casing would change the meaning of is refused.
_MENTION_SYNONYMS = tuple(tuple(syn.lower() for syn in syns) for _, syns in _MENTION_SPECS)
if any(re.search(r"\\[A-Z]|\(\?[a-zP-]", syn) for _, syns in _MENTION_SPECS for syn in syns):
    raise ValueError("a constraint variable synonym has an upper-case escape, a named group or inline flags")
# Every synonym starts with one of these letters.
_MENTION_INITIALS = "".join(sorted({syn[0] for syns in _MENTION_SYNONYMS for syn in syns}))
if not _MENTION_INITIALS.isalpha():
    raise ValueError(f"a constraint variable synonym does not start with a letter: {_MENTION_INITIALS!r}")
# The word-boundary lookbehind and the initial are tested once per position, before the alternatives. Then one
# alternative per synonym, in catalogue order, each closing an empty group that names it (``lastgroup``): an
# alternative that opens with a plain character is skipped at a glance where the text differs (see _Folding).
_MENTION_PATTERN = (
    f"(?<![A-Za-z0-9])(?=[{_MENTION_INITIALS}])(?:"
    + "|".join(
        rf"(?:{syn})(?![A-Za-z0-9])(?P<g{i}_{j}>)"
        for i, syns in enumerate(_MENTION_SYNONYMS)
        for j, syn in enumerate(syns)
    )
    + ")"
)
_MENTION = _folding(_MENTION_PATTERN)
_MENTION_NAMES = {f"g{i}_{j}": name for i, (name, syns) in enumerate(_MENTION_SPECS) for j in range(len(syns))}

# Filler between a mention and its comparison: words that mean the number is about something else.
_FILLER_STOP = frozenset(
    {
        "within", "since", "ago", "prior", "before", "after", "transfusion", "transfusions", "transfused", "history",
        "previous", "previously", "during", "following", "dose", "doses", "cycle", "cycles", "per", "every",
        "decrease", "increase", "reduction", "change", "drop", "use", "for", "days", "weeks", "months", "years",
        "grade", "stage", "score", "nadir", "last", "than", "unless", "except", "if", "when", "mg", "ratio",
    }
)  # fmt: skip
_FILLER_STOP_SCORE = _FILLER_STOP - {"score"}
_AGE_FILLER = frozenset(
    {
        "is", "of", "at", "be", "must", "should", "between", "from", "range", "the", "time", "signing", "informed",
        "consent", "screening", "enrollment", "enrolment", "entry", "study", "registration", "diagnosis",
        "inclusion", "years", "in", "on", "participants", "patients", "subjects", "are", "and", "group",
    }
)  # fmt: skip
_WORD = re.compile(r"[A-Za-z]+")
_CONNECTOR_WORDS = frozenset({"and", "or", "and/or"})

_NEGATION = re.compile(
    r"(?<![A-Za-z])(?:no|not|without|absence\s+of|free\s+of|none)(?![A-Za-z])(?!\s+(?:more|less|greater|lower"
    r"|higher|fewer|exceed\w*|above|below))",
    re.IGNORECASE,
)
_CLAUSE_BREAKS = ";.,:()"

# --- dedicated patterns ---------------------------------------------------------------------------

# The number and unit of an age ("18 years", "12-24 months"): the part of an _AGE_YEARS match that no
# operator or qualifier is needed for. "\d\d{0,2}" rather than "\d{1,3}": a pattern that starts with a
# character set is scanned for it at C speed.
_AGE_NUMBER = (
    r"(?P<v1>\d\d{0,2}(?:\.\d)?)(?:\s{0,2}(?P<sep>-|–|~|to|and)\s{0,2}(?P<v2>\d{1,3}))?[\s-]{0,2}"
    r"(?P<u>years?|yrs?|months?|y\.o\.|y/o)"
)
_AGE_YEARS = _folding(
    rf"(?P<btw>between\s|from\s)?\s{{0,2}}(?P<op>{_OPS})?\s{{0,2}}{_AGE_NUMBER}"
    r"(?P<q1>[\s-]{1,2}(?:old|of\s+age)\b)?(?P<q2>\s{0,2},?\s{0,2}(?:or|and)\s+(?:older|above|over|more|greater|up"
    r"|younger|less|under|below)\b(?!\s{1,2}(?:than|the\s+age)))?"
)
_AGE_CORE = _folding(_AGE_NUMBER)
# What the unit of an _AGE_NUMBER match (group "u") starts with, in lower case.
_AGE_UNIT_WORDS = re.compile(r"year|yr|month|y\.o\.|y/o")
_AGE_CUE = re.compile(
    r"(?<![A-Za-z])(?:aged?|adults?|patients?|participants?|subjects?|men|women|males?|females?|children|persons?"
    r"|individuals?|volunteers?|be|are|is|between|boys|girls|adolescents?)\W{0,4}$|^\W{0,4}$",
    re.IGNORECASE,
)
# "under the age of 18", "older than the age of 24", "at the age of 18 or older".
_AGE_OF_NUMBER = (
    r"age\s{1,2}(?:of\s{1,2})?(?P<v1>\d{1,3})(?![\d.,])(?:\s{0,2}(?P<u>years?|months?))?"
    r"(?P<q2>\s{0,2},?\s{0,2}(?:or|and)\s+(?:older|above|over|more|greater|younger|less|under|below)\b)?"
)
_AGE_OF = _folding(rf"(?:(?P<op>{_OPS})\s{{1,2}})?(?:the\s{{1,2}})?{_AGE_OF_NUMBER}")
_AGE_OF_CORE = _folding(_AGE_OF_NUMBER)
# "between the ages of 21 and 65", "between age 18 and 75".
_AGE_BETWEEN = re.compile(
    r"between\s{1,2}(?:the\s{1,2})?ages?\s{1,2}(?:of\s{1,2})?(?P<v1>\d{1,3})\s{0,2}(?:years?\s{1,2})?"
    r"(?:and|to|-)\s{1,2}(?P<v2>\d{1,3})(?![\d.,])(?:\s{0,2}(?P<u>years?|months?))?",
    re.IGNORECASE,
)
# A bound written just before an age found by _AGE_YEARS: "≥20 and ≤80 years of age", "<30 or >69 years old".
_AGE_LEFT = re.compile(rf"(?P<op>{_OPS})\s{{0,2}}(?P<v1>\d{{1,3}})\s{{0,2}}(?:,|and|or|&)\s{{0,3}}$", re.IGNORECASE)
# "Minimum age: 18 years", "maximum age of 65".
_AGE_LIMIT = re.compile(
    r"(?P<which>minimum|min\.?|maximum|max\.?|lower|upper)\s{1,2}age(?:\s{1,2}limit)?\s{0,2}(?:is|of|:|=)?\s{0,2}"
    r"(?P<v1>\d{1,3})(?![\d.,])(?:\s{0,2}(?P<u>years?|months?))?",
    re.IGNORECASE,
)
# _AGE_BETWEEN, _AGE_LIMIT and _AGE_OF all read the word "age" (or "ages") and then, past at most "limit" and
# "of", "is", ":" or "=", a number: text without this is not scanned for them.
_AGE_WORD_NUMBER = re.compile(r"age(?:s|\s{1,2}limit)?\s{0,2}(?:is|of|:|=)?\s{0,2}\d", re.IGNORECASE)
_SMALL_NUMBER = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)"
# "2 prior lines", "one or more regimens": a count of therapy lines read from its number, before any operator.
_LINES_NUMBER = (
    rf"(?P<v1>{_SMALL_NUMBER})(?:\s{{0,2}}(?P<sep>-|–|to|or)\s{{0,2}}(?P<v2>{_SMALL_NUMBER}))?"
    r"(?P<post>\s(?:or|and)\s(?:more|greater|fewer|less))?\s{1,2}"
    r"(?:(?:prior|previous|preceding|earlier|different)\s{1,2})?"
    r"(?:(?:systemic|anti-?cancer|anti-?myeloma|chemotherapy|treatment|therapeutic)\s{1,2})?"
    r"(?P<noun>lines?|regimens?)\b"
)
_LINES = _folding(rf"(?<![A-Za-z0-9.])(?:(?P<op>{_OPS})\s{{0,2}})?{_LINES_NUMBER}")
_LINES_CORE = _folding(_LINES_NUMBER)
_GRADE = r"(?P<g1>[0-4])(?:\s{0,2}(?P<gsep>-|to|or)\s{0,2}(?P<g2>[1-5]))?"
_GRADE_POST = r"(?P<post>\s{1,2}or\s+(?:higher|greater|more|worse|above))?"
_NEUROPATHY_AFTER = re.compile(
    rf"peripheral\s+(?:sensory\s+|motor\s+)?neuropathy\s{{0,2}}(?:\(\s{{0,2}})?(?:of\s+)?(?:CTCAE\s+)?"
    rf"(?:(?P<op>{_OPS})\s{{0,2}}grade\s{{0,2}}|grade\s{{0,2}}(?P<op2>{_OPS})?\s{{0,2}}){_GRADE}{_GRADE_POST}",
    re.IGNORECASE,
)
_NEUROPATHY_BEFORE = re.compile(
    rf"(?:CTCAE\s+)?grade\s{{0,2}}(?P<op>{_OPS})?\s{{0,2}}{_GRADE}{_GRADE_POST}\s{{1,2}}(?:\([^()]{{0,30}}\)\s)?"
    r"(?:peripheral\s+)?(?:sensory\s+|motor\s+)?(?:peripheral\s+)?neuropathy",
    re.IGNORECASE,
)
_TIME_UNIT = r"(?P<u>days?|weeks?|wks?|months?)"
# "4 weeks since", "28 days must have elapsed from": a washout read from its number, before the operator.
_WASHOUT_SINCE_NUMBER = (
    rf"(?P<v>{_NUMBER})\s{{0,2}}{_TIME_UNIT}\s{{1,3}}(?:(?:must\s+have\s+|have\s+)?(?:elapsed|passed)\s{{1,3}})?"
    r"(?:since|from|after|following)\s"
)
_WASHOUT_SINCE = _folding(rf"(?P<op>{_OPS})\s{{0,2}}{_WASHOUT_SINCE_NUMBER}")
_WASHOUT_SINCE_CORE = _folding(_WASHOUT_SINCE_NUMBER)
# Every washout match holds one of these words, and a unit of time.
_WASHOUT_WORDS = re.compile(r"since|from|after|following|within")
# Every _WASHOUT_SINCE match holds one of these (every _WASHOUT_WITHIN match holds "within").
_SINCE_WORDS = re.compile(r"since|from|after|following")
_WASHOUT_WITHIN = re.compile(
    rf"within\s{{1,3}}(?:the\s+)?(?:(?P<last>last|past|previous|preceding)\s{{1,3}})?(?P<v>{_NUMBER})\s{{0,2}}"
    rf"{_TIME_UNIT}(?P<anchor>\s{{1,3}}(?:prior\s+to|before|of|preceding)\s{{1,3}}(?:the\s+)?(?:first|start|"
    r"initiation|beginning|study|enrollment|enrolment|registration|randomi[sz]ation|day\s+1|treatment|screening"
    r"|inclusion|baseline|cycle))?",
    re.IGNORECASE,
)
_THERAPY = re.compile(
    r"therap|treat|chemo|radiat|radiotherap|drug|agent|medication|vaccin|surger|transplant|investigational"
    r"|antibod|inhibitor|steroid|regimen|biologic",
    re.IGNORECASE,
)
_UNKNOWN_UNIT = re.compile(r"\s{0,2}[A-Za-zµμ]{1,8}\s?/")
_ESCAPE = re.compile(r"\\(?=[-<>=^\[\]*_()#.+~|!{}`\\])")
_WINDOW = 110


@dataclass(frozen=True, slots=True)
class _Found:
    variable: str
    operator: str
    low: float | None
    high: float | None
    unit: str | None
    start: int
    end: int
    negated: bool


def extract_constraints(
    criteria: Sequence[CriterionRecord], *, source_text: str | None = None
) -> tuple[ConstraintRecord, ...]:
    """Read the numeric and graded conditions of each criterion, in criterion then text order.

    With ``source_text`` (the text the criteria were split from) the criterion's source span is read, a list
    sub-header such as ``Age:`` above it names the variable of a bare value ("18 and over"), and the
    constraints' ``char_start``/``char_end`` index ``source_text``. Without it the criterion's ``text`` is read
    and offsets are None. ``span_text`` is always the exact text the constraint was read from.
    """
    out: list[ConstraintRecord] = []
    for criterion in criteria:
        raw = criterion.text
        base: int | None = None
        s, e = criterion.char_start, criterion.char_end
        if source_text is not None and s is not None and e is not None and 0 <= s <= e <= len(source_text):
            raw = source_text[s:e]
            base = s
        work = _normalise(raw)
        if not (_DIGIT.search(work) or _NUMBER_WORD.search(work)):
            continue  # every reading needs a number, in digits or in words
        context = _context_variable(source_text, base) if source_text is not None and base is not None else None
        for found in _scan(work, context):
            out.append(
                ConstraintRecord(
                    document_id=criterion.document_id,
                    trial_id=criterion.trial_id,
                    criterion_seq=criterion.criterion_seq,
                    variable=found.variable,
                    operator=found.operator,
                    value_low=found.low,
                    value_high=found.high,
                    unit=found.unit,
                    is_negated=found.negated,
                    span_text=raw[found.start : found.end],
                    char_start=None if base is None else base + found.start,
                    char_end=None if base is None else base + found.end,
                )
            )
    return tuple(out)


def _normalise(raw: str) -> str:
    """Same-length clean-up so offsets survive: markdown escapes and line breaks become spaces."""
    text = _ESCAPE.sub(" ", raw) if "\\" in raw else raw
    return text.replace("\n", " ").replace("\r", " ").replace("\t", " ").replace("\xa0", " ")


def _scan(text: str, context: str | None) -> list[_Found]:
    """The readings of ``text``, one that holds a number (extract_constraints skips the others)."""
    # Each dedicated reading runs only when the text holds a word every one of its matches contains: most
    # criteria name none of them, and a substring test costs far less than a regex tried at every position.
    lower = text.lower()
    folded = lower if text.isascii() else None  # see _Folding
    found: list[_Found] = []
    found.extend(_mention_constraints(text, folded, context))
    found.extend(_age_years(text, folded, lower))
    if "line" in lower or "regimen" in lower:
        found.extend(_therapy_lines(text, folded))
    if "neuropath" in lower:
        found.extend(_neuropathy(text))
    if _WASHOUT_WORDS.search(lower) and ("day" in lower or "week" in lower or "wk" in lower or "month" in lower):
        found.extend(_washout(text, folded))
    return _dedupe(found)


def _dedupe(found: list[_Found]) -> list[_Found]:
    """Keep one reading per variable and place: the earliest, then the longest."""
    kept: list[_Found] = []
    for f in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if any(k.variable == f.variable and k.start < f.end and f.start < k.end for k in kept):
            continue
        kept.append(f)
    return kept


# --- mention-based reading ------------------------------------------------------------------------


def _mention_constraints(text: str, folded: str | None, context: str | None) -> Iterator[_Found]:
    mention, subject = _MENTION.reading(text, folded)
    mentions = [(m.start(), m.end(), _MENTION_NAMES[m.lastgroup or ""]) for m in mention.finditer(subject)]
    if context is not None and (not mentions or mentions[0][0] > 0):
        mentions.insert(0, (0, 0, context))
    i = 0
    while i < len(mentions):
        group = [mentions[i]]
        j = i
        while j + 1 < len(mentions) and _is_connector(text[mentions[j][1] : mentions[j + 1][0]]):
            j += 1
            group.append(mentions[j])
        next_start = mentions[j + 1][0] if j + 1 < len(mentions) else len(text)
        names = list(dict.fromkeys(name for _, _, name in group))
        window_end = min(next_start, group[-1][1] + _WINDOW)
        cmp = _comparison(text, folded, group[-1][1], window_end, names[-1])
        start = group[0][0]
        while cmp is not None:
            for name in names:
                f = _validate(name, cmp, start, text)
                if f is not None:
                    yield f
            cmp, start = _chained(text, cmp, window_end, names[-1])
        i = j + 1


_CHAIN = re.compile(rf"\s{{0,2}}(?:,\s{{0,2}}(?:and|or|but)?|and|or|but|&)\s{{0,3}}(?=(?:{_OPS}))", re.IGNORECASE)


def _chained(text: str, prev: _Cmp, end: int, name: str) -> tuple[_Cmp | None, int]:
    """A second bound joined to the first ("≥ 21 and ≤ 60 years"); it must carry its own operator."""
    if prev.operator not in {">=", ">", "<=", "<"}:
        return None, 0
    m = _CHAIN.match(text, prev.end, end)
    if m is None:
        return None, 0
    nxt = _CMP.match(text, m.end(), end)
    if nxt is None or nxt.group("op") is None or nxt.group("v1") is None:
        return None, 0
    cmp = _interpret(nxt, name)
    if cmp is None or cmp.operator == prev.operator or cmp.operator in {"=", "RANGE"}:
        return None, 0
    if cmp.unit is None and prev.unit is not None:
        cmp = _Cmp(cmp.operator, cmp.low, cmp.high, prev.unit, cmp.end)
    return cmp, nxt.start("op")


def _is_connector(gap: str) -> bool:
    """Whether two mentions are joined ("AST/ALT", "ALT (SGPT) and AST", "Eastern ... Group (ECOG)")."""
    if len(gap) > 12:
        return False
    words = re.sub(r"[\s()/,&]", " ", gap).split()
    return all(w.lower() in _CONNECTOR_WORDS for w in words)


@dataclass(frozen=True, slots=True)
class _Cmp:
    operator: str
    low: float | None
    high: float | None
    unit: str | None
    end: int


def _comparison(text: str, folded: str | None, start: int, end: int, name: str) -> _Cmp | None:
    """The comparison that follows a mention within ``text[start:end]``, or None."""
    anchor_pattern, subject = _ANCHOR.reading(text, folded)
    anchor = anchor_pattern.search(subject, start, end)
    if anchor is None:
        return None
    filler = text[start : anchor.start()]
    if not _filler_ok(filler, name):
        return None
    m = _CMP.match(text, anchor.start(), end)
    if m is None or m.group("v1") is None:
        return None
    cmp = _interpret(m, name)
    if cmp is not None and cmp.unit is None and _UNKNOWN_UNIT.match(text, cmp.end):
        return None  # "2 mmol/L", "50 cc/min": a unit we do not know makes the number unreadable
    return cmp


def _filler_ok(filler: str, name: str) -> bool:
    if len(filler) > 60 or ";" in filler or ". " in filler:
        return False
    words = [w.lower() for w in _WORD.findall(filler)]
    if name == "AGE":
        return len(filler) <= 30 and all(w in _AGE_FILLER for w in words)
    stop = _FILLER_STOP_SCORE if name in {"ECOG", "KARNOFSKY", _PS} else _FILLER_STOP
    return not any(w in stop for w in words)


def _number(raw: str | None) -> float | None:
    if raw is None:
        return None
    token = raw.strip().lower()
    if token in _WORD_NUMBERS:
        return _WORD_NUMBERS[token]
    try:
        return float(token.replace(",", ""))
    except ValueError:
        return None


# Operators and units are spelled a few dozen ways, each looked up through a table of patterns: remember them.
@functools.lru_cache(maxsize=4096)
def _operator(raw: str | None) -> str | None:
    if raw is None:
        return None
    token = " ".join(raw.split())
    for pattern, op in _OP_TABLE:
        if pattern.match(token):
            return op
    return None


@functools.lru_cache(maxsize=4096)
def _unit(raw: str | None) -> str | None:
    if raw is None:
        return None
    token = " ".join(raw.split())
    for pattern, unit in _UNIT_TABLE:
        if pattern.match(token):
            return unit
    return None


def _scaled(value: float, exp: str | None, unit: str | None) -> tuple[float, str | None] | None:
    """Apply a ``x 10^n`` factor: ``1.5 x 10^9/L`` keeps 1.5 in ``10^9/L``; ``1 x 10^3 copies/mL`` is 1000."""
    if exp is None:
        return value, unit
    power = int(exp.translate(_SUPERSCRIPTS))
    if unit == "/L" and power == 9:
        return value, "10^9/L"
    if unit in {"/uL", "/mm3"} and power == 3:
        return value, "10^3/uL"
    if unit in {"copies/mL", "IU/mL"}:
        return value * 10**power, unit
    return None


_POST_OP = {
    "more": ">=", "greater": ">=", "higher": ">=", "above": ">=", "over": ">=", "older": ">=",
    "less": "<=", "lower": "<=", "below": "<=", "fewer": "<=", "younger": "<=", "under": "<=",
}  # fmt: skip
_SCALES = {"ECOG", _PS, "PERIPHERAL_NEUROPATHY_GRADE", "PRIOR_THERAPY_LINES"}


def _interpret(m: re.Match[str], name: str) -> _Cmp | None:
    op = _operator(m.group("op"))
    v1 = _number(m.group("v1"))
    if v1 is None:
        return None
    u1 = _unit(m.group("u1"))
    sc1 = _scaled(v1, m.group("exp1"), u1)
    if sc1 is None:
        return None
    v1, u1 = sc1
    end = m.end("u1") if m.group("u1") else m.end("exp1") if m.group("exp1") else m.end("v1")
    post = m.group("post")
    if m.group("v2") is not None:
        sep = m.group("sep").lower()
        v2 = _number(m.group("v2"))
        u2 = _unit(m.group("u2"))
        sc2 = _scaled(v2, m.group("exp2"), u2) if v2 is not None else None
        if sep == "or" and op is not None:
            pass  # "≥ 1500/mm3 or 1.5 x 10^9/L": the first reading is enough.
        elif sep == "or" and name in _SCALES and sc2 is not None and sc2[0] == v1 + 1 and post is None:
            return _Cmp("RANGE", v1, sc2[0], sc2[1] or u1, m.end())
        elif (sep in {"and", "or"} and not m.group("btw")) or op is not None or sc2 is None or post is not None:
            return None
        else:
            v2, u2 = sc2
            if u1 is not None and u2 is not None and u1 != u2:
                return None
            if v2 < v1:
                return None
            return _Cmp("RANGE", v1, v2, u2 or u1, m.end("u2") if m.group("u2") else m.end("v2"))
    elif post is not None:
        word = post.split()[-1].lower() if post.strip() != "+" else "more"
        post_op = _POST_OP.get(word)
        if op is None and post_op is not None:
            op = post_op
            end = m.end()
    if op is None:
        if name not in _SCALES and name != "KARNOFSKY":
            return None
        op = "="
    low = v1 if op in {">=", ">", "="} else None
    high = v1 if op in {"<=", "<", "="} else None
    return _Cmp(op, low, high, u1, end)


def _validate(name: str, cmp: _Cmp, start: int, text: str) -> _Found | None:
    """Check a reading against the catalogue (unit, plausible values) and resolve generic names."""
    unit = cmp.unit
    values = [v for v in (cmp.low, cmp.high) if v is not None]
    if name == _PS:
        if unit is not None or any(v != int(v) or v > 5 for v in values):
            return None
        name = "ECOG"
    spec = BY_NAME[name]
    if unit is None and name == "AGE":
        unit = "years"
    elif unit is None and name == "LVEF" and all(10 <= v <= 100 for v in values):
        unit = "%"
    elif unit is None and name == "QTC" and all(300 <= v <= 700 for v in values):
        unit = "ms"
    if unit not in spec.units:
        return None
    if any(v < spec.min_value or v > spec.max_value for v in values):
        return None
    if name == "ECOG" and any(v != int(v) for v in values):
        return None
    return _Found(name, cmp.operator, cmp.low, cmp.high, unit, start, cmp.end, _negated(text, start))


def _negated(text: str, start: int) -> bool:
    """A "no"/"not"/"without" earlier in the same clause, not part of an operator ("no more than")."""
    lo = max(0, start - 40)
    for i in range(start - 1, lo - 1, -1):
        if text[i] in _CLAUSE_BREAKS:
            lo = i + 1
            break
    return _NEGATION.search(text, lo, start) is not None


def _context_variable(source: str, pos: int) -> str | None:
    """The variable a list sub-header names ("Age:", "Life expectancy:") when it directly heads this item."""
    line_start = source.rfind("\n", 0, pos) + 1
    if source[line_start:pos].strip() not in {"", "-", "*", "•", "o"}:
        return None
    end = line_start - 1
    while end > 0:
        prev_start = source.rfind("\n", 0, end) + 1
        line = source[prev_start:end].strip()
        if line:
            break
        end = prev_start - 1
    else:
        return None
    if not line.endswith(":") or len(line) > 40:
        return None
    label = line[:-1].strip()
    m = _MENTION.any_case.fullmatch(label)
    if m is None:
        return None
    name = _MENTION_NAMES[m.lastgroup or ""]
    return None if name == _PS else name


# --- dedicated readings ---------------------------------------------------------------------------

# Characters that neither "between"/"from", "the" nor any operator holds.
_PREFIX_BARRIER = frozenset("0123456789.,;:()[]")


def _matches_after_prefix(pattern: _Folding, core: _Folding, text: str, folded: str | None) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern made of a prefix ("between", operators) and then ``core``.

    Trying the many spellings of operators at every position is what makes such a pattern slow, and ``core``
    (a number and its unit) is quick to find. A match's prefix holds no :data:`_PREFIX_BARRIER` character, so
    the next match starts after the last one before the next ``core`` match (or at that core match, or later):
    a search from there finds the match a scan from the end of the previous one would.
    """
    compiled, subject = pattern.reading(text, folded)
    compiled_core, _ = core.reading(text, folded)
    pos = 0
    while (next_core := compiled_core.search(subject, pos)) is not None:
        lo = next_core.start()
        while lo > pos and subject[lo - 1] not in _PREFIX_BARRIER:
            lo -= 1
        m = compiled.search(subject, lo)
        if m is None:
            return
        yield m
        pos = m.end()


def _age_years(text: str, folded: str | None, lower: str) -> Iterator[_Found]:
    """Ages read from the number: "18 years or older", "12-24 years old", "≥ 18 years of age".

    A bare "N years" needs an age cue just before it ("patients", "be between", the start of the criterion),
    since durations are written the same way.
    """
    # An ASCII text, lower-cased, holds the unit of every match: most criteria state no age at all.
    units = folded is None or _AGE_UNIT_WORDS.search(folded) is not None
    for m in _matches_after_prefix(_AGE_YEARS, _AGE_CORE, text, folded) if units else ():
        aged = m.group("q1") is not None
        post = (m.group("q2") or "").split()
        before = text[max(0, m.start() - 30) : m.start()]
        if not (aged or post) and not _AGE_CUE.search(before):
            continue
        unit = _unit(m.group("u"))
        if unit == "months" and not (aged or post):
            continue
        op = _operator(m.group("op"))
        post_op = _POST_OP.get(post[-1].lower()) if post else None
        v1 = float(m.group("v1"))
        if m.group("v2"):
            v2 = float(m.group("v2"))
            sep = m.group("sep").lower()
            if op is not None or post_op is not None or v2 < v1 or (sep == "and" and not (m.group("btw") or aged)):
                continue
            found = _Cmp("RANGE", v1, v2, unit, m.end("q1") if aged else m.end("u"))
        else:
            end = m.end("q1") if aged else m.end("u")
            if op is None and post_op is not None:
                op, end = post_op, m.end("q2")
            if op is None:
                continue
            found = _Cmp(op, v1 if op in {">=", ">"} else None, v1 if op in {"<=", "<"} else None, unit, end)
        start = m.start("op") if m.group("op") else m.start("btw") if m.group("btw") else m.start("v1")
        result = _validate("AGE", found, start, text)
        if result is not None:
            yield result
            yield from _age_left(text, start, result)
    if "age" not in lower or not _AGE_WORD_NUMBER.search(text):
        return
    for m in _AGE_BETWEEN.finditer(text):
        v1, v2 = float(m.group("v1")), float(m.group("v2"))
        if v2 >= v1:
            end = m.end("u") if m.group("u") else m.end("v2")
            result = _validate("AGE", _Cmp("RANGE", v1, v2, _unit(m.group("u")), end), m.start(), text)
            if result is not None:
                yield result
    for m in _AGE_LIMIT.finditer(text):
        op = ">=" if m.group("which").lower().startswith(("min", "low")) else "<="
        v1 = float(m.group("v1"))
        end = m.end("u") if m.group("u") else m.end("v1")
        found = _Cmp(op, v1 if op == ">=" else None, v1 if op == "<=" else None, _unit(m.group("u")), end)
        result = _validate("AGE", found, m.start(), text)
        if result is not None:
            yield result
    for m in _matches_after_prefix(_AGE_OF, _AGE_OF_CORE, text, folded):
        op = _operator(m.group("op"))
        post = (m.group("q2") or "").split()
        end = m.end("u") if m.group("u") else m.end("v1")
        if op is None and post:
            op, end = _POST_OP.get(post[-1].lower()), m.end("q2")
        if op is None:
            continue
        v1 = float(m.group("v1"))
        found = _Cmp(op, v1 if op in {">=", ">"} else None, v1 if op in {"<=", "<"} else None, _unit(m.group("u")), end)
        result = _validate("AGE", found, m.start(), text)
        if result is not None:
            yield result


def _age_left(text: str, start: int, right: _Found) -> Iterator[_Found]:
    """The other bound of "≥20 and ≤80 years": an operator and number just left of an age already read."""
    if right.operator not in {">=", ">", "<=", "<"}:
        return
    lo = max(0, start - 25)
    m = _AGE_LEFT.search(text, lo, start)
    op = _operator(m.group("op")) if m else None
    if m is None or op is None or op[0] == right.operator[0]:
        return
    v1 = float(m.group("v1"))
    found = _Cmp(op, v1 if op in {">=", ">"} else None, v1 if op in {"<=", "<"} else None, right.unit, m.end("v1"))
    result = _validate("AGE", found, m.start(), text)
    if result is not None:
        yield result


def _therapy_lines(text: str, folded: str | None) -> Iterator[_Found]:
    """ "≥2 lines of therapy", "at least one prior regimen", "no more than 3 prior lines"."""
    for m in _matches_after_prefix(_LINES, _LINES_CORE, text, folded):
        v1 = _number(m.group("v1"))
        if v1 is None:
            continue
        op = _operator(m.group("op"))
        if m.group("v2"):
            v2 = _number(m.group("v2"))
            if op is not None or v2 is None or v2 < v1:
                continue
            cmp = _Cmp("RANGE", v1, v2, None, m.end())
        else:
            if op is None and m.group("post"):
                op = _POST_OP.get(m.group("post").split()[-1].lower())
            op = op or "="
            cmp = _Cmp(
                op, v1 if op in {">=", ">", "="} else None, v1 if op in {"<=", "<", "="} else None, None, m.end()
            )
        f = _validate("PRIOR_THERAPY_LINES", cmp, m.start(), text)
        if f is not None:
            yield f


def _neuropathy(text: str) -> Iterator[_Found]:
    """ "peripheral neuropathy ≥ grade 3", "grade ≥ 2 peripheral neuropathy", "grade 2 or higher neuropathy"."""
    for pattern in (_NEUROPATHY_AFTER, _NEUROPATHY_BEFORE):
        for m in pattern.finditer(text):
            groups = m.groupdict()
            op = _operator(groups.get("op") or groups.get("op2"))
            g1 = float(m.group("g1"))
            if m.group("g2"):
                g2 = float(m.group("g2"))
                if op is not None or g2 < g1:
                    continue
                cmp = _Cmp("RANGE", g1, g2, None, m.end())
            else:
                if op is None and m.group("post"):
                    op = ">="
                op = op or "="
                cmp = _Cmp(op, g1 if op in {">=", ">", "="} else None, g1 if op in {"<=", "<", "="} else None, None,
                           m.end())  # fmt: skip
            f = _validate("PERIPHERAL_NEUROPATHY_GRADE", cmp, m.start(), text)
            if f is not None:
                yield f


def _washout(text: str, folded: str | None) -> Iterator[_Found]:
    """Time since the last therapy: "at least 4 weeks since chemotherapy", "drug X within 2 weeks before dosing"."""
    # Read lower-cased, an ASCII text holds the words a pattern spells out wherever it matches: without them,
    # the pattern need not be tried (a text that is not ASCII is always read).
    since = folded is None or _SINCE_WORDS.search(folded) is not None
    for m in _matches_after_prefix(_WASHOUT_SINCE, _WASHOUT_SINCE_CORE, text, folded) if since else ():
        after = text[m.end() : m.end() + 60]
        if not _THERAPY.search(after.split(";")[0]):
            continue
        yield from _washout_found(m, _operator(m.group("op")), text)
    for m in _WASHOUT_WITHIN.finditer(text) if folded is None or "within" in folded else ():
        if not (m.group("last") or m.group("anchor")):
            continue
        before = text[max(0, m.start() - 80) : m.start()]
        before = before.rsplit(";", 1)[-1]
        if not _THERAPY.search(before):
            continue
        yield from _washout_found(m, "<=", text)


def _washout_found(m: re.Match[str], op: str | None, text: str) -> Iterator[_Found]:
    value = _number(m.group("v"))
    if value is None or op is None:
        return
    cmp = _Cmp(op, value if op in {">=", ">"} else None, value if op in {"<=", "<"} else None, _unit(m.group("u")),
               m.end("u"))  # fmt: skip
    f = _validate("WASHOUT", cmp, m.start(), text)
    if f is not None:
        yield f
