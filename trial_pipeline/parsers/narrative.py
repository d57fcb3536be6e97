"""Facts from prose: news articles, press releases, lay summaries, bare study descriptions and abstracts.

Rule- and vocabulary-based (the vocabulary is built from registry data, see ``bench/build_vocab.py``). Precision
first: a fact is emitted only where the text states it; everything else stays null. Every regex here is linear
(bounded repetitions, no quantified groups that contain quantifiers) because the text is untrusted.

The reader finds every trial a document talks about (registry IDs, study acronyms, or one derived trial when the
text names none), attaches the document's facts (interventions, doses, conditions, outcomes, results) to the trial
the document is mainly about, and gives the trials it only mentions their identifiers, phases and conditions from
the sentence that mentions them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from trial_pipeline.models import (
    ArmRecord,
    Document,
    InterventionRecord,
    OutcomeRecord,
    ParsedDocument,
    ParseStatus,
    ResultRecord,
    SourceFormat,
    TrialRecord,
)
from trial_pipeline.parsers.common import derived_trial_id, parse_phases, unique
from trial_pipeline.parsers.dosing import extract_dosing, find_doses, find_frequency, find_route
from trial_pipeline.vocab import lexicon

# --------------------------------------------------------------------------------------------------------------
# Spans, sentences, tokens
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the document: offsets into the (front-matter-stripped) text and the text itself."""

    start: int
    end: int
    text: str


_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'/-]*")
_SENT_BREAK = re.compile(r"[.!?](?=\s)|\n")
# Words after which a full stop does not end a sentence.
_NO_BREAK_BEFORE = frozenset({"dr", "mr", "mrs", "ms", "prof", "vs", "e.g", "i.e", "al", "no", "fig", "approx", "inc"})
_FRONT_MATTER = re.compile(r"\A\s*---\n(.{0,4000}?)\n---\n", re.DOTALL)


def _line_break_ends_sentence(text: str, at: int) -> bool:
    """Whether the line break at ``at`` ends a unit: after a heading, a colon, a full stop or before a bullet or a
    blank line; a break inside a hard-wrapped paragraph does not."""
    line = text[text.rfind("\n", 0, at) + 1 : at].strip()
    nxt_end = text.find("\n", at + 1)
    nxt = text[at + 1 : nxt_end if nxt_end >= 0 else len(text)]
    if not line or not nxt.strip() or _BULLET.match(nxt) or line.endswith((".", ":", "!", "?", ";")):
        return True
    # Short lines are headings or list items; wrapped prose lines are long.
    return len(line) < 60 or (nxt.strip()[:1].isupper() and len(line) < 70)


def _sentences(text: str) -> list[Span]:
    """Sentences of ``text``; headings, bullets and list lines are units of their own."""
    spans: list[Span] = []
    begin = 0
    for m in _SENT_BREAK.finditer(text):
        if m.group(0) == "\n" and not _line_break_ends_sentence(text, m.start()):
            continue
        if m.group(0) == ".":
            prev = text[max(begin, m.start() - 6) : m.start()].split()
            word = prev[-1].lower().lstrip("(") if prev else ""
            # "U.S. between", "Dr. Wang": an abbreviation, not a sentence end.
            if word in _NO_BREAK_BEFORE or (len(word) <= 3 and "." in word) or len(word) == 1:
                continue
        end = m.end() if m.group(0) != "\n" else m.start()
        chunk = text[begin:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append(Span(begin + lead, end, chunk.strip()))
        begin = m.end()
    if text[begin:].strip():
        chunk = text[begin:]
        lead = len(chunk) - len(chunk.lstrip())
        spans.append(Span(begin + lead, len(text), chunk.strip()))
    return spans


def _tokens(text: str) -> list[Span]:
    """Word tokens; trailing hyphens, slashes and apostrophes are not part of a word."""
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group(0).rstrip("'/-")
        out.append(Span(m.start(), m.start() + len(word), word))
    return out


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


# --------------------------------------------------------------------------------------------------------------
# Accepting and classifying
# --------------------------------------------------------------------------------------------------------------

# Field labels of registry web pages (CT.gov mirrors, MedPath, ...): a page with several of them on their own
# line is the registry-page reader's, not ours.
_REGISTRY_LABELS = frozenset(
    [
        "recruitment status",
        "overall status",
        "inclusion criteria",
        "exclusion criteria",
        "study type",
        "study classification",
        "lead sponsor",
        "registration number",
        "target recruitment",
        "total enrollment",
        "clinical phase",
        "study start date",
        "study completion date",
        "primary completion date",
        "nct id",
        "conditions",
        "interventions",
        "eligibility criteria",
        "status",
        "sex",
        "gender",
        "ages eligible for study",
        "accepts healthy volunteers",
        "enrollment",
        "phase",
        "sponsor",
        "study design",
        "allocation",
        "masking",
        "primary purpose",
        "brief summary",
        "detailed description",
        "locations",
        "outcome measures",
        "primary outcome measures",
        "secondary outcome measures",
        "last updated",
        "first posted",
    ]
)

_NEWS_CUES = re.compile(
    r"\b(?:published in|according to|said|says|announced|announces|told|press release|GLOBE NEWSWIRE|"
    r"PR Newswire|Business Wire|Reuters|NASDAQ|NYSE|Inc\.|Ltd\.|shares|investors|CEO|Chief \w+ Officer|"
    r"Chief of|Breakthrough Therapy|today)\b"
)
_LAY_CUES = re.compile(
    r"\b(?:which means|this is a type of|table of contents|plain english|background and study aims|"
    r"who can participate|what does the study involve|what are the possible benefits|side effects|how long|"
    r"how many|how well|being studied|researchers are|you|your|they're|doctors)\b",
    re.IGNORECASE,
)
_DESCRIPTION_CUES = re.compile(
    r"\b(?:will be|will receive|this is an? (?:phase|single|open|randomi[sz]ed|multi)|single[- ]arm|open[- ]label"
    r"(?:ed)?|eligible patients|enrolled patients|will undergo|we will|this study (?:aims|will|is))\b",
    re.IGNORECASE,
)
_ABSTRACT_HEADINGS = re.compile(
    r"^\s{0,4}(?:#{1,4}\s{0,2})?\**(background|methods?|results?|conclusions?|objectives?|purpose|design|"
    r"setting|patients and methods|introduction|trial design|clinical trial information|importance|"
    r"interventions?|main outcome measures?)\**\s{0,2}[:.\n]",
    re.IGNORECASE | re.MULTILINE,
)


def _strip_front_matter(text: str) -> tuple[str, str]:
    """The text without a YAML front matter block, and the front matter itself ('' when there is none)."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return text, ""
    # Blank rather than cut, so offsets still index the original text.
    return " " * m.end() + text[m.end() :], m.group(1)


def classify(text: str) -> SourceFormat:
    """What kind of prose ``text`` is: NEWS_ARTICLE, LAY_SUMMARY, ABSTRACT or TRIAL_DESCRIPTION (the default)."""
    body, front = _strip_front_matter(text)
    headings = {m.group(1).lower().rstrip("s") for m in _ABSTRACT_HEADINGS.finditer(body)}
    if len(headings) >= 2:
        return SourceFormat.ABSTRACT
    scores = {
        SourceFormat.NEWS_ARTICLE: len({m.group(0).lower() for m in _NEWS_CUES.finditer(body)})
        + (3 if re.search(r"^(?:source|date):", front, re.MULTILINE) else 0)
        + (1 if re.search(r"[\"“][^\"”\n]{20,400}[\"”]", body) else 0),
        SourceFormat.LAY_SUMMARY: len({m.group(0).lower() for m in _LAY_CUES.finditer(body)}),
        SourceFormat.TRIAL_DESCRIPTION: len({m.group(0).lower() for m in _DESCRIPTION_CUES.finditer(body)}),
    }
    best = max(scores.values())
    if best < 2:
        return SourceFormat.TRIAL_DESCRIPTION
    for fmt in (SourceFormat.TRIAL_DESCRIPTION, SourceFormat.NEWS_ARTICLE, SourceFormat.LAY_SUMMARY):
        if scores[fmt] == best:
            return fmt
    return SourceFormat.TRIAL_DESCRIPTION  # pragma: no cover - the loop always returns


def _looks_like_registry_page(text: str) -> bool:
    labels = set()
    for line in text.splitlines():
        label = line.strip().rstrip(":").strip().lower()
        if label in _REGISTRY_LABELS:
            labels.add(label)
    return len(labels) >= 3


def _has_prose(text: str) -> bool:
    return any(len(line.split()) >= 12 and re.search(r"[a-z][.!?]", line) for line in text.splitlines())


# --------------------------------------------------------------------------------------------------------------
# Trial references: registry IDs and acronyms
# --------------------------------------------------------------------------------------------------------------

# Registry ID patterns, in the order a trial_id prefers them after NCT.
_REGISTRY_IDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("NCT", re.compile(r"\bNCT\d{8}\b")),
    ("EUCT", re.compile(r"\b20\d{2}-5\d{5}-\d{2}-\d{2}\b")),
    ("EUDRACT", re.compile(r"\b20\d{2}-\d{6}-\d{2}\b(?!-\d)")),
    ("ISRCTN", re.compile(r"\bISRCTN\s?\d{8}\b")),
    ("ACTRN", re.compile(r"\bACTRN\d{14}\b")),
    ("CHICTR", re.compile(r"\bChiCTR-?(?:[A-Z]{2,5}-)?\d{8,10}\b")),
    ("JAPIC", re.compile(r"\bJapicCTI-?\d{6}\b")),
    ("JRCT", re.compile(r"\bjRCT[a-z]?\d{10}\b")),
    ("UMIN", re.compile(r"\bUMIN\d{9}\b")),
    ("CTRI", re.compile(r"\bCTRI/\d{4}/\d{2,3}/\d{6}\b")),
    ("DRKS", re.compile(r"\bDRKS\d{8}\b")),
    ("KCT", re.compile(r"\bKCT\d{7}\b")),
    ("PACTR", re.compile(r"\bPACTR\d{15}\b")),
    ("IRCT", re.compile(r"\bIRCT\d{8,14}N\d{1,3}\b")),
)
_ID_RANK = {kind: i for i, (kind, _) in enumerate(_REGISTRY_IDS)}
_TRIAL_NOUNS = frozenset({"study", "trial", "trials", "studies", "program", "programme"})
# Words that may stand between an acronym and "study"/"trial" ("the KOMET-001 clinical trial").
_TRIAL_FILLERS = frozenset({"clinical", "pivotal", "registrational", "phase", "1", "2", "3", "1/2", "2/3", "ii", "iii"})
# Upper-case words that are organisations, places or generic abbreviations, never study acronyms.
_NOT_ACRONYMS = frozenset(
    [
        "FDA",
        "EMA",
        "NIH",
        "NCI",
        "WHO",
        "USA",
        "US",
        "UK",
        "EU",
        "ASCO",
        "ASH",
        "EHA",
        "ESMO",
        "AACR",
        "RCT",
        "DNA",
        "RNA",
        "CAR",
        "TPS",
        "ECOG",
        "MRD",
        "DLT",
        "MTD",
        "RP2D",
        "ORR",
        "CR",
        "PR",
        "OS",
        "PFS",
        "EFS",
        "DFS",
        "DOR",
        "IV",
        "PK",
        "PD",
        "AE",
        "AES",
        "SAE",
        "CEO",
        "CFO",
        "CMO",
        "PHASE",
        "NDA",
        "BLA",
        "IND",
        "MAA",
        "HSCT",
        "SCT",
        "BM",
        "PB",
        "NGS",
        "ITD",
        "TKD",
    ]
)


@dataclass(slots=True)
class TrialRef:
    """One group of references (IDs, acronyms) that the document uses for one trial."""

    ids: dict[str, list[str]] = field(default_factory=dict)
    acronyms: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)

    def identifiers(self) -> list[str]:
        """Every identifier of this trial, IDs first."""
        out = [i for kind in sorted(self.ids, key=_ID_RANK.__getitem__) for i in self.ids[kind]]
        return out + self.acronyms

    def trial_id(self) -> str:
        """NCT ID, else another registry ID, else ``ACRONYM:<acronym>``."""
        for kind, _ in _REGISTRY_IDS:
            if self.ids.get(kind):
                return self.ids[kind][0]
        return f"ACRONYM:{self.acronyms[0]}"


def _find_ids(text: str) -> list[tuple[str, Span]]:
    found: list[tuple[str, Span]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _REGISTRY_IDS:
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((kind, Span(m.start(), m.end(), m.group(0).replace(" ", ""))))
    return sorted(found, key=lambda f: f[1].start)


def _is_acronym_shape(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    if len(word) < 4 or len(letters) < 3 or word.upper() in _NOT_ACRONYMS or "/" in word:
        return False
    # A drug code ("CBL-514", "KO-539") also stands before "study"; a study's number has a leading zero
    # ("KOMET-001") or a long name part.
    if _CODE.match(word):
        letters_part, _, digits = word.partition("-")
        if not (digits.startswith("0") or len(letters_part) >= 5):
            return False
    upper = sum(c.isupper() for c in letters)
    # Gene names (FLT3, NPM1, KMT2A) end in a digit right after letters and are short: not study names.
    if len(word) <= 6 and "-" not in word and any(c.isdigit() for c in word):
        return False
    return upper == len(letters)


def _find_acronyms(tokens: list[Span], excluded: set[str]) -> list[Span]:
    """Upper-case words used as a study's name: followed by "study"/"trial" (fillers allowed)."""
    names: set[str] = set()
    for i, tok in enumerate(tokens):
        if tok.text in excluded or not _is_acronym_shape(tok.text) or tok.text.startswith(("NCT", "ISRCTN")):
            continue
        for nxt in tokens[i + 1 : i + 4]:
            low = nxt.text.lower()
            if low in _TRIAL_NOUNS:
                names.add(tok.text)
                break
            if low not in _TRIAL_FILLERS:
                break
    return [t for t in tokens if t.text in names]


_MERGE_GAP_WORDS = frozenset(
    {"study", "trial", "clinicaltrials.gov", "identifier", "registration", "number", "no", "nct", "id", "eudract"}
)


def _adjacent(text: str, a: Span, b: Span) -> bool:
    """Whether two references stand together as names of one trial ("KOMET-001 (NCT04067336)")."""
    if a.end > b.start:
        return False
    gap = text[a.end : b.start]
    if len(gap) > 40 or "\n" in gap:
        return False
    words = re.findall(r"[A-Za-z.]+", gap.lower())
    return all(w.strip(".") in _MERGE_GAP_WORDS for w in words)


def _group_refs(text: str, refs: list[tuple[str, Span]]) -> list[TrialRef]:
    """Group references into trials: adjacent ones are one trial; so is everything when each kind occurs once."""
    distinct: dict[str, str] = {}
    for kind, span in refs:
        distinct.setdefault(span.text, kind)
    parent = {key: key for key in distinct}

    def find(key: str) -> str:
        while parent[key] != key:
            key = parent[key]
        return key

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    per_kind = Counter(distinct.values())
    if distinct and all(n == 1 for n in per_kind.values()):
        keys = list(distinct)
        for key in keys[1:]:
            union(keys[0], key)
    ordered = sorted(refs, key=lambda r: r[1].start)
    for (_, a), (_, b) in pairwise(ordered):
        if _adjacent(text, a, b):
            union(a.text, b.text)
    groups: dict[str, TrialRef] = {}
    for kind, span in ordered:
        ref = groups.setdefault(find(span.text), TrialRef())
        if kind == "ACRONYM":
            if span.text not in ref.acronyms:
                ref.acronyms.append(span.text)
        elif span.text not in ref.ids.setdefault(kind, []):
            ref.ids[kind].append(span.text)
        ref.spans.append(span)
    # Two NCT IDs joined by adjacency are two trials after all ("NCT1, NCT2"): keep the grouping conservative.
    return list(groups.values())


# --------------------------------------------------------------------------------------------------------------
# Drugs
# --------------------------------------------------------------------------------------------------------------

# INN stems specific enough that a word ending in one is a drug (WHO INN stem book); short stems like -ine are not.
_INN_STEMS = (
    "mab", "tinib", "fenib", "menib", "ciclib", "lisib", "parib", "zomib", "toclax", "degib", "rafenib", "platin",
    "taxel", "rubicin", "leucel", "citabine", "mustine", "vastatin", "gliflozin", "glutide", "sartan", "prazole",
    "tecan", "dronate", "setron", "oxacin", "cillin", "mycin", "cycline", "lukast", "afil", "navir", "buvir",
    "previr", "asvir", "nib", "tide", "stat", "lintide", "limus", "zumab", "ximab", "cept", "kinra", "ersen",
    "siran", "retinib", "metinib", "sertib", "olol", "prost", "oxetine", "dipine", "azole", "triptan", "gliptin",
    "floxacin", "conazole", "tidine", "profen", "coxib", "steride", "lutamide", "parinux", "xaban", "gatran",
)  # fmt: skip
_NOT_DRUG_WORDS = frozenset(
    [
        "concept",
        "except",
        "accept",
        "intercept",
        "precept",
        "peptide",
        "nucleotide",
        "polypeptide",
        "oligonucleotide",
        "tide",
        "riptide",
        "thermostat",
        "rheostat",
        "statistic",
        "cellular",
        "status",
        "mab",
    ]
)
# A code name: letters, optional hyphen, digits ("KO-539", "NMS-03592088", "AZD1234", "MK-3475").
_CODE = re.compile(r"^[A-Z][A-Za-z]{0,5}-?\d{3,8}[A-Za-z]?$")
_DRUG_CONTEXT = re.compile(
    r"\b(?:drugs?|inhibitors?|antibod(?:y|ies)|compound|agent|dose[sd]?|dosing|administered|given|treated|"
    r"treatment with|therapy|candidate|molecule|oral|intravenous|infus(?:ed|ion)|mg|investigational|"
    r"experimental|combination|combining|plus|injection|tablets?|capsules?)\b",
    re.IGNORECASE,
)
_ALIAS_CUES = re.compile(
    r"^\s{0,2},?\s{0,2}\(?(?:previously|formerly|also)\s(?:known|called|named)\s(?:as\s)?|^\s{0,2},?\s{0,2}\(?"
    r"(?:formerly|previously|also called|aka|a\.k\.a\.)\s",
    re.IGNORECASE,
)
# Clause cues marking a drug mention as prior or failed therapy, or hypothetical, not a study intervention.
_NEGATION_CUES = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bnot\b.{0,30}\b(?:respond|responded|responding|tolerate|tolerated|benefit|eligible|candidates?)\b",
        r"\b(?:refractory|resistant|intolerant|unresponsive|ineligible|intolerance|resistance)\s(?:to|of|for)\b",
        r"\b(?:prior|previous|previously|pretreated|pre-treated|failed|failure|failing|after\sfailure|exposed)\b",
        r"\b(?:relapsed|progressed|progressing|progression)\s(?:on|after|following|during)\b",
        r"\b(?:no|without|excluding|except|history of|contraindicat\w{0,6})\b",
    )
)
# Route adjectives ("oral drug X"); adverbs ("intravenously") describe the drug named before them, not after.
_ROUTE_WORDS = re.compile(
    r"\b(?:oral|intravenous|subcutaneous|intramuscular|intrathecal|inhaled|topical|intranasal|transdermal)\b",
    re.IGNORECASE,
)
_SCHEDULE = re.compile(
    r"\b(?:(?:once|twice)\s)?daily\s(?:on\s)?(?:for|x|×)\s\d{1,3}\s(?:consecutive\s)?days?"
    r"(?:\s(?:every|of\s(?:each|every|a)|per|in\s(?:each|a))\s\d{1,3}[- ]days?(?:\scycles?)?)?"
    r"|\bon\sdays?\s\d{1,2}(?:\s?(?:-|–|to|through)\s?\d{1,2})?\s(?:of\s(?:each|every|a)\s\d{1,3}[- ]day\scycles?|"
    r"every\s\d{1,3}\sdays)",
    re.IGNORECASE,
)
# "given orally", "administered by intravenous infusion": a route stated as how this drug is given.
_ROUTE_VERB = re.compile(
    r"\b(?:given|administered|taken|delivered|dosed|infused|injected|self-administered)\s(?:as\s(?:an?\s)?|by\s|via\s)?"
    r"(?:orally|intravenously|subcutaneously|intramuscularly|by mouth|oral|intravenous|subcutaneous|intramuscular)\b",
    re.IGNORECASE,
)
_CLASS_AFTER = re.compile(
    r"^,?\s(?:is\s)?(?:an?|the)\s((?:[A-Za-z0-9/-]{1,30}\s){0,4}?(?:inhibitor|antagonist|agonist|antibody|"
    r"degrader|modulator|conjugate|blocker|vaccine|bispecific|cell therapy))\b",
)
_TREATMENT_CONTEXT = re.compile(
    r"\b(?:receive[sd]?|receiving|treated|treatment|administered|given|dose[sd]?|dosing|combination|combined|"
    r"combining|plus|study drug|investigational|experimental|evaluat\w{0,4}|being studied|tested|testing|"
    r"arm|randomi[sz]ed|assigned|infused|took|taking|take|versus|vs|compared|medicine|drug|medication|study|"
    r"trial|studies|trials|investigating|investigated)\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Drug:
    """One drug the document mentions, with every spelling it uses and the spans of its mentions."""

    name: str
    spellings: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)


def _inn_like(word: str) -> bool:
    low = word.lower()
    return (
        len(low) >= 6
        and low.isalpha()
        and low not in _NOT_DRUG_WORDS
        and low.endswith(_INN_STEMS)
        and (word.islower() or (word[0].isupper() and word[1:].islower()))
    )


def _vocab_drug(key: str) -> str | None:
    entry = lexicon.drugs().get(key)
    # Vocabulary synonyms of three letters or fewer ("ART", "DEX") are too ambiguous in prose.
    if entry is None or len(key) <= 3:
        return None
    return entry.canonical


def _find_drugs(text: str, tokens: list[Span], sentences: list[Span], excluded: set[str]) -> list[Drug]:
    """Drug mentions: vocabulary n-grams, INN-stem words, code names in drug context, and in-text aliases."""
    raw: list[tuple[Span, str]] = []
    i = 0
    while i < len(tokens):
        hit = None
        for n in range(min(4, len(tokens) - i), 0, -1):
            first, last = tokens[i], tokens[i + n - 1]
            phrase = text[first.start : last.end]
            if n > 1 and any(not text[a.end : b.start].isspace() for a, b in pairwise(tokens[i : i + n])):
                continue
            canonical = _vocab_drug(_fold(phrase))
            if canonical and phrase not in excluded:
                hit = (Span(first.start, last.end, phrase), canonical, n)
                break
        if hit:
            raw.append((hit[0], hit[1]))
            i += hit[2]
            continue
        tok = tokens[i]
        if tok.text not in excluded:
            if tok.text.lower() == "placebo" or tok.text.lower().startswith("placebo-"):
                # A placebo is a registry intervention of its own ("placebo-controlled" implies one).
                raw.append((Span(tok.start, tok.start + 7, tok.text[:7]), "placebo"))
            elif _inn_like(tok.text):
                raw.append((tok, tok.text.lower()))
            elif _CODE.match(tok.text) and not tok.text.startswith(("NCT", "ISRCTN", "UMIN", "DRKS")):
                sentence = next((s for s in sentences if s.start <= tok.start < s.end), None)
                if sentence and _DRUG_CONTEXT.search(sentence.text.replace(tok.text, " ")):
                    raw.append((tok, tok.text))
        i += 1

    # Aliases the text defines: "omacetaxine mepesuccinate (OM)", "ziftomenib, previously known as KO-539".
    alias_of: dict[str, str] = {}
    for span, canonical in raw:
        after = text[span.end : span.end + 60]
        m = re.match(r"^\s{0,12}\(([A-Za-z][A-Za-z0-9-]{1,14})\)", after)
        if not m:
            m2 = _ALIAS_CUES.match(after)
            if m2:
                m = re.match(r"([A-Za-z][A-Za-z0-9-]{1,19})", after[m2.end() :])
        if m:
            alias = m.group(1)
            # An alias is a name: a code, a drug name, or an abbreviation of this spelling ("OM" for omacetaxine
            # mepesuccinate); not a plain word ("(antibiotic)") nor a regimen ("R-CHOP" after prednisone).
            is_code = bool(_CODE.match(alias))
            is_drug = bool(_vocab_drug(_fold(alias)) or _inn_like(alias))
            is_abbr = alias.isupper() and alias[0] == span.text[0].upper() and "-" not in alias
            if (
                (is_code or is_drug or is_abbr)
                and alias.lower() != span.text.lower()
                and alias.upper() not in _NOT_ACRONYMS
            ):
                alias_of[alias] = canonical
    # A code or brand whose alias is a generic: the generic names the drug.
    merged: dict[str, str] = {}
    for alias, canonical in alias_of.items():
        alias_canonical = _vocab_drug(_fold(alias)) or (alias.lower() if _inn_like(alias) else None)
        if alias_canonical and _CODE.match(canonical) and not _CODE.match(alias_canonical):
            merged[canonical] = alias_canonical
    seen_spans = {(s.start, s.end) for s, _ in raw}
    for alias, canonical in alias_of.items():
        for m in re.finditer(r"(?<![A-Za-z0-9-])" + re.escape(alias) + r"(?![A-Za-z0-9-])", text):
            if (m.start(), m.end()) not in seen_spans:
                raw.append((Span(m.start(), m.end(), alias), canonical))
                seen_spans.add((m.start(), m.end()))

    drugs: dict[str, Drug] = {}
    for span, canonical in sorted(raw, key=lambda r: r[0].start):
        canonical = merged.get(canonical, canonical)
        drug = drugs.setdefault(canonical, Drug(canonical))
        drug.mentions.append(span)
        if span.text not in drug.spellings:
            drug.spellings.append(span.text)
    return list(drugs.values())


def _clause_before(text: str, sentence: Span, at: int) -> str:
    """The clause of ``sentence`` that leads up to offset ``at`` (a ';' or a new bullet starts a clause)."""
    before = text[sentence.start : at]
    cut = max(before.rfind(";"), before.rfind(" - "), before.rfind(" but "), before.rfind(" whereas "))
    return before[cut + 1 :] if cut >= 0 else before


# A treatment verb between a prior-therapy cue and a drug ends the cue's scope: "refractory to azacitidine will
# receive venetoclax" negates azacitidine only.
_SCOPE_END = re.compile(
    r"\b(?:receive[sd]?|receiving|given|administered|treated with|plus|combined with|in combination with|"
    r"randomi[sz]ed to|assigned to|will get|take|takes|taking)\b",
    re.IGNORECASE,
)


def _is_negated(text: str, sentence: Span, mention: Span) -> bool:
    clause = _clause_before(text, sentence, mention.start)[-160:]
    for pattern in _NEGATION_CUES:
        for cue in pattern.finditer(clause):
            end = _SCOPE_END.search(clause, cue.end())
            if end and not clause[cue.end() : end.start()].strip():
                # The cue's own verb ("previously treated with", "prior ... given"): still inside its scope.
                end = _SCOPE_END.search(clause, end.end())
            if not end:
                return True
    return False


# --------------------------------------------------------------------------------------------------------------
# Conditions
# --------------------------------------------------------------------------------------------------------------

# Single words too general to be a trial's condition on their own (kept only inside a longer term).
_GENERIC_CONDITIONS = frozenset(
    [
        "leukemia",
        "leukaemia",
        "lymphoma",
        "cancer",
        "cancers",
        "tumor",
        "tumors",
        "tumour",
        "neoplasms",
        "neoplasm",
        "healthy",
        "pain",
        "infection",
        "infections",
        "disease",
        "syndrome",
        "carcinoma",
        "sarcoma",
        "metastases",
        "inflammation",
        "fatigue",
        "anemia",
        "obesity",
        "depression",
        "anxiety",
        "fever",
        "stress",
        "toxicity",
    ]
)
_MARKER = r"[A-Z][A-Z0-9]{1,6}"
_QUALIFIER_BEFORE = re.compile(
    rf"({_MARKER})(?:\s?-\s?|\s)(mutated|mutant|mutation-positive|positive|rearranged|ITD|TKD|amplified|"
    rf"negative|deleted|altered)\s?$"
)
_QUALIFIER_BEFORE_BARE = re.compile(rf"\b({_MARKER}-ITD|{_MARKER}-TKD)\s?$")
_QUALIFIER_AFTER = re.compile(
    rf"^\s(?:patients\s)?(?:with|harboring|harbouring|carrying|bearing)\s(?:an?\s)?({_MARKER})\s"
    rf"(mutations?|rearrangements?|fusions?|amplifications?)(?:\s(?:and|or)\s({_MARKER})\s"
    rf"(mutations?|rearrangements?|fusions?|amplifications?))?"
)
_QUALIFIER_WORDS = {
    "mutated": "mutated", "mutant": "mutated", "mutation-positive": "mutated", "mutation": "mutated",
    "mutations": "mutated", "rearranged": "rearranged", "rearrangement": "rearranged", "rearrangements": "rearranged",
    "positive": "positive", "negative": "negative", "amplified": "amplified", "amplification": "amplified",
    "amplifications": "amplified", "fusion": "fusion-positive", "fusions": "fusion-positive", "deleted": "deleted",
    "altered": "altered",
}  # fmt: skip


@dataclass(slots=True)
class ConditionHit:
    """One condition mention: the display term and the span it was read from."""

    term: str
    span: Span


def _find_conditions(text: str, tokens: list[Span], defined: dict[str, str]) -> list[ConditionHit]:
    """Condition mentions: vocabulary terms (longest first) and abbreviations (vocabulary or defined in text)."""
    vocab = lexicon.conditions()
    abbreviations = {**lexicon.abbreviations(), **defined}
    hits: list[ConditionHit] = []
    i = 0
    while i < len(tokens):
        found = None
        for n in range(min(7, len(tokens) - i), 0, -1):
            first, last = tokens[i], tokens[i + n - 1]
            if n > 1 and any(not text[a.end : b.start].isspace() for a, b in pairwise(tokens[i : i + n])):
                continue
            phrase = text[first.start : last.end]
            key = _fold(phrase)
            if key in vocab and (n > 1 or (len(key) >= 7 and key not in _GENERIC_CONDITIONS)):
                found = (vocab[key], n)
                break
            if n == 1 and phrase in abbreviations and (len(phrase) >= 3 or phrase in defined):
                found = (abbreviations[phrase], 1)
                break
        if found:
            span = Span(
                tokens[i].start, tokens[i + found[1] - 1].end, text[tokens[i].start : tokens[i + found[1] - 1].end]
            )
            hits.append(ConditionHit(found[0], span))
            i += found[1]
        else:
            i += 1
    # Bare generic words ("leukemia") only count when nothing more specific is named.
    return hits


def _qualified(text: str, hit: ConditionHit) -> list[str]:
    """Mutation/subtype-qualified forms of a condition mention ("NPM1-mutated Acute Myeloid Leukemia")."""
    out: list[str] = []
    before = text[max(0, hit.span.start - 40) : hit.span.start]
    if m := _QUALIFIER_BEFORE_BARE.search(before):
        out.append(f"{m.group(1)} {hit.term}")
    elif m := _QUALIFIER_BEFORE.search(before):
        qual = m.group(2)
        if qual in {"ITD", "TKD"}:
            out.append(f"{m.group(1)}-{qual} {hit.term}")
        else:
            out.append(f"{m.group(1)}-{_QUALIFIER_WORDS[qual]} {hit.term}")
    if m := _QUALIFIER_AFTER.match(text[hit.span.end : hit.span.end + 120]):
        out.append(f"{m.group(1)}-{_QUALIFIER_WORDS[m.group(2).lower()]} {hit.term}")
        if m.group(3):
            out.append(f"{m.group(3)}-{_QUALIFIER_WORDS[m.group(4).lower()]} {hit.term}")
    return out


def _condition_list(text: str, hits: Iterable[ConditionHit]) -> tuple[str, ...]:
    """Distinct condition strings in first-seen order; a term whose words all occur in a longer found term is
    dropped (``Acute Leukemia`` under ``Acute Myeloid Leukemia``)."""
    terms: list[str] = []
    for hit in hits:
        terms.append(hit.term)
        terms.extend(_qualified(text, hit))
    terms = list(unique(terms))
    # Qualified forms ("NPM1-mutated ...") never subsume their base term; only plain terms compete.
    plain = [t for t in terms if not re.match(_MARKER + r"-", t)]
    words = {t: set(_fold(t).replace("-", " ").split()) for t in plain}
    return tuple(t for t in terms if t not in words or not any(words[t] < words[o] for o in plain))


# A condition named in a sentence about side effects is an adverse event, not what the trial studies.
_ADVERSE_CONTEXT = re.compile(
    r"\b(?:adverse|side effects?|most common|treatment-emergent|toxicit\w{0,3}|tolerated|discontinu\w{0,6}|"
    r"serious|grade [3-5])\b",
    re.IGNORECASE,
)
_DEFINED_ABBR = re.compile(r"([A-Za-z][A-Za-z' -]{3,80}?)\s?\(([A-Z][A-Za-z0-9]{1,7})\)")


def _defined_condition_abbreviations(text: str) -> dict[str, str]:
    """Abbreviations the text defines for a condition term: "Chronic Myelomonocytic Leukemia (CMML)"."""
    vocab = lexicon.conditions()
    out: dict[str, str] = {}
    for m in _DEFINED_ABBR.finditer(text):
        words = m.group(1).split()
        abbr = m.group(2)
        for n in range(min(len(words), 7), 0, -1):
            key = _fold(" ".join(words[-n:]))
            if key in vocab and (n > 1 or key not in _GENERIC_CONDITIONS):
                out[abbr] = vocab[key]
                break
    return out


# --------------------------------------------------------------------------------------------------------------
# Phases, enrollment, countries
# --------------------------------------------------------------------------------------------------------------

_PHASE = re.compile(
    r"\b(early\s)?phase\s?(0|[1-4]|IV|III|II|I)[ab]?(?:\s?(?:/|-|and|or)\s?(?:phase\s?)?([1-4]|IV|III|II|I)[ab]?)?\b",
    re.IGNORECASE,
)
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}


def _phases(sentence: str) -> tuple[str, ...]:
    out: list[str] = []
    for m in _PHASE.finditer(sentence):
        first = _ROMAN.get(m.group(2).lower(), m.group(2))
        if m.group(1) or first == "0":
            out.append("EARLY_PHASE1")
            continue
        raw = f"Phase {first}"
        if m.group(3):
            raw += f"/Phase {_ROMAN.get(m.group(3).lower(), m.group(3))}"
        out.extend(parse_phases(raw))
    return unique(out)


_PEOPLE = re.compile(r"\b(?:patients|participants|subjects|adults|children|people|individuals|volunteers|women|men)\b")
_ENROLL_VERB = re.compile(
    r"\b(?:enroll(?:ed|ing|s)?|enrol(?:led|ling|s)?|recruit(?:ed|ing|s)?|randomi[sz]ed|accrued|accrue|included)\b",
    re.IGNORECASE,
)
_TOTAL_OF = re.compile(r"\ba total of (\d{1,6})\b", re.IGNORECASE)
_NUMBER = re.compile(r"\b(\d{1,3}(?:,\d{3})?|\d{1,6})\b")
_FUTURE = re.compile(
    r"\b(?:will|plans? to|planned|expected|anticipated|aims? to|target(?:ed|s)?|is to)\b", re.IGNORECASE
)


def _enrollment(sentences: Sequence[Span]) -> tuple[int | None, str | None]:
    """The trial's enrollment as stated ("enrolled 83 patients", "A total of 40 patients will be recruited")."""
    best: dict[int, set[tuple[int, str]]] = {0: set(), 1: set()}
    for s in sentences:
        text = s.text
        for m in _TOTAL_OF.finditer(text):
            if _PEOPLE.search(text[m.end() : m.end() + 40]):
                best[0].add((int(m.group(1)), _enroll_type(text)))
        for m in _ENROLL_VERB.finditer(text):
            # "enrolled 83 patients": verb, number, people noun.
            rest = text[m.end() :].lstrip()
            # "enroll about 120 patients", "up to 60": an approximate planned number is still the stated target.
            for word in ("approximately ", "about ", "around ", "up to ", "nearly ", "over ", "a total of "):
                rest = rest.removeprefix(word)
            n = _NUMBER.match(rest[:12]) if text[m.end() : m.end() + 1].isspace() else None
            if n and _PEOPLE.search(text[m.end() : m.end() + 50]):
                best[1].add((int(n.group(1).replace(",", "")), _enroll_type(text)))
            # "83 patients were enrolled": number, people noun, verb.
            window = text[max(0, m.start() - 60) : m.start()]
            nums = list(
                re.finditer(r"\b(\d{1,6})\s(?:[a-z-]{1,20}\s){0,2}?(?:patients|participants|subjects)\b", window)
            )
            if nums and re.search(r"\b(?:were|was|will be|are|have been|has been)\s$", window):
                best[1].add((int(nums[-1].group(1)), _enroll_type(text)))
    for rank in (0, 1):
        values = {v for v, _ in best[rank]}
        if len(values) == 1:
            value = values.pop()
            kinds = {k for v, k in best[rank] if v == value}
            return value, kinds.pop() if len(kinds) == 1 else None
        if len(values) > 1:
            return None, None
    return None, None


def _enroll_type(sentence: str) -> str:
    return "ESTIMATED" if _FUTURE.search(sentence) else "ACTUAL"


_COUNTRY_ALIASES = {
    "U.S.": "United States", "U.S": "United States", "US": "United States", "USA": "United States",
    "U.S.A.": "United States", "UK": "United Kingdom", "U.K.": "United Kingdom", "Britain": "United Kingdom",
    "England": "United Kingdom", "South Korea": "Korea, Republic of", "Korea": "Korea, Republic of",
    "Russia": "Russian Federation",
}  # fmt: skip
_SITE_CUES = re.compile(
    r"\b(?:conducted|sites?|centers?|centres?|hospitals?|clinics?|enrolled|enrolling|recruit\w{0,3}|across|"
    r"countries|locations?|participating|institutions?)\b",
    re.IGNORECASE,
)
_COUNTRY_TOKEN = re.compile(r"U\.S\.A\.|U\.S\.?|U\.K\.|[A-Z][a-z]{2,}(?:\s[A-Z][a-z]{2,}){0,2}|USA|US|UK")


def _countries(sentences: Sequence[Span]) -> tuple[str, ...]:
    """Countries named in sentences that say where the trial runs (sites, hospitals, "conducted in")."""
    vocab = lexicon.countries()
    out: list[str] = []
    for s in sentences:
        if not _SITE_CUES.search(s.text):
            continue
        for m in _COUNTRY_TOKEN.finditer(s.text):
            word = m.group(0)
            name = _COUNTRY_ALIASES.get(word) or vocab.get(_fold(word))
            if name is None and " " in word:
                # "Spain Italy" never happens, but "United States Food" can: try the leading words.
                parts = word.split()
                for n in range(len(parts) - 1, 0, -1):
                    name = vocab.get(_fold(" ".join(parts[:n])))
                    if name:
                        break
            if name:
                out.append(name)
    return unique(out)


# --------------------------------------------------------------------------------------------------------------
# Outcomes and results
# --------------------------------------------------------------------------------------------------------------

# Outcome measures as prose names them -> the measure name we record (lower case, as measured).
_OUTCOME_TERMS: tuple[tuple[str, str], ...] = (
    (r"overall response rates?", "overall response rate"),
    (r"objective response rates?", "objective response rate"),
    (r"complete remission rates?", "complete remission rate"),
    (r"complete remissions?", "complete remission"),
    (r"complete responses?", "complete response"),
    (r"partial remissions?", "partial remission"),
    (r"partial responses?", "partial response"),
    (r"remission rates?", "remission rate"),
    (r"response rates?", "response rate"),
    (r"overall survival", "overall survival"),
    (r"event[- ]free survival", "event-free survival"),
    (r"progression[- ]free survival", "progression-free survival"),
    (r"disease[- ]free survival", "disease-free survival"),
    (r"relapse[- ]free survival", "relapse-free survival"),
    (r"leuka?emia[- ]free survival", "leukemia-free survival"),
    (r"survival rates?", "survival rate"),
    (r"duration of (?:the )?(?:response|remission)", "duration of response"),
    (r"time to (?:response|progression)", "time to response"),
    (r"transfusion independence", "transfusion independence"),
    (r"(?:minimal|measurable) residual disease|MRD negativity", "measurable residual disease"),
    (r"pharmacokinetics?|pharmacokinetic profile", "pharmacokinetics"),
    (r"maximum (?:plasma |serum )?concentration|Cmax", "maximum concentration"),
    (r"area under the curve|AUC", "area under the curve"),
    (r"half-life", "half-life"),
    (r"dose[- ]limiting toxicit(?:y|ies)|DLTs?", "dose-limiting toxicities"),
    (r"maximum tolerated dose|MTD", "maximum tolerated dose"),
    (r"recommended phase (?:2|II) dose|RP2D", "recommended phase 2 dose"),
    (r"adverse events?|side effects?|treatment-emergent adverse events?", "adverse events"),
    (r"toxicit(?:y|ies)", "toxicity"),
    (r"safety", "safety"),
    (r"tolerability", "tolerability"),
    (r"quality of life", "quality of life"),
    (r"cumulative incidence of relapse|relapse rates?", "relapse rate"),
    (r"major molecular response", "major molecular response"),
    (r"hematologic(?:al)? (?:response|improvement)", "hematologic response"),
    (r"mortality", "mortality"),
)
# A space in a term matches any whitespace: wrapped text breaks lines inside measure names.
_OUTCOME = re.compile(
    r"\b(?:" + "|".join(f"(?:{p.replace(' ', chr(92) + 's')})" for p, _ in _OUTCOME_TERMS) + r")\b", re.IGNORECASE
)
_OUTCOME_NAMES = tuple((re.compile(rf"^(?:{p})$", re.IGNORECASE), name) for p, name in _OUTCOME_TERMS)
_OUTCOME_CUES = re.compile(
    r"\b(?:measur\w{0,4}|end\s?points?|outcomes?|assess\w{0,4}|evaluat\w{0,4}|determin\w{0,4}|monitor\w{0,4}|"
    r"looking at|objectives?|aims?|tracking|checking|studying|investigat\w{0,4}|collected|examin\w{0,4}|"
    r"primary|secondary)\b",
    re.IGNORECASE,
)
_PRIMARY = re.compile(r"\bprimary\s(?:efficacy\s)?(?:end\s?points?|outcomes?|objectives?|measures?)\b", re.IGNORECASE)
_SECONDARY = re.compile(
    r"\bsecondary\s(?:efficacy\s)?(?:end\s?points?|outcomes?|objectives?|measures?)\b", re.IGNORECASE
)
_BULLET = re.compile(r"^\s{0,8}(?:[-*•]|\d{1,2}[.)])\s")


def _outcome_name(raw: str) -> str:
    raw = " ".join(raw.split())
    for pattern, name in _OUTCOME_NAMES:
        if pattern.match(raw):
            return name
    return raw.lower()


def _outcome_sentences(text: str, sentences: Sequence[Span]) -> list[tuple[Span, str]]:
    """Sentences that describe what is measured, each with its outcome type (bullets inherit their intro's)."""
    out: list[tuple[Span, str]] = []
    inherited: str | None = None
    for s in sentences:
        line_start = text.rfind("\n", 0, s.start) + 1
        is_bullet = bool(_BULLET.match(text[line_start : s.end])) and line_start <= s.start
        kind = "PRIMARY" if _PRIMARY.search(s.text) else "SECONDARY" if _SECONDARY.search(s.text) else "OTHER"
        if _OUTCOME_CUES.search(s.text):
            out.append((s, kind))
            if s.text.rstrip().endswith(":"):
                inherited = kind
                continue
        elif is_bullet and inherited:
            out.append((s, inherited))
            continue
        if not is_bullet:
            inherited = "OTHER" if s.text.rstrip().endswith(":") and _OUTCOME_CUES.search(s.text) else None
    return out


_PCT_FRACTION = re.compile(
    r"(\d{1,3}(?:\.\d{1,2})?)\s?%\s?\(\s?(\d{1,5})\s?(?:/|of|out of)\s?(\d{1,5})\s?\)"
    r"|(\d{1,5})\s(?:out\s)?of\s(?:the\s)?(\d{1,5})\s(?:evaluable\s|treated\s)?(?:patients|participants|subjects)"
    r"(?:\s?\((\d{1,3}(?:\.\d{1,2})?)\s?%\))?"
)
_MEDIAN = re.compile(
    r"\bmedian\s(overall survival|event[- ]free survival|progression[- ]free survival|duration of response|"
    r"survival|time to response)\s(?:was|of|is|reached)\s(?:just\s)?(\d{1,3}(?:\.\d{1,2})?)\s"
    r"(months|weeks|days|years)\b",
    re.IGNORECASE,
)
_RATE_VALUE = re.compile(
    r"\b(overall response rate|objective response rate|complete remission rate|response rate|ORR)\s"
    r"(?:was|of|reached|is)\s(\d{1,3}(?:\.\d{1,2})?)\s?%",
    re.IGNORECASE,
)
_RESULT_VERBS = re.compile(
    r"\b(?:achieved|attained|responded|showed|demonstrated|observed|experienced|reported|reached|had)\b",
    re.IGNORECASE,
)
# Background statistics (epidemiology, prognosis in general) are not this trial's results.
_BACKGROUND = re.compile(
    r"\b(?:cases|are present in|occur|occurs|incidence|prevalence|historically|typically|in general|"
    r"have a median|has a median|linked to)\b",
    re.IGNORECASE,
)
_GROUP_AFTER = re.compile(
    rf"^\s?(?:of\s)?(?:the\s)?(?:patients|participants)\s(?:with|harboring|harbouring|carrying)\s(?:an?\s)?"
    rf"({_MARKER})\s(mutations?|rearrangements?|fusions?)"
)
_GROUP_BEFORE = re.compile(rf"\b({_MARKER})-(mutated|mutant|rearranged|positive)\s(?:AML\s)?(?:patients|participants)")


def _group_label(sentence: str, number_end: int) -> str | None:
    if m := _GROUP_AFTER.match(sentence[number_end : number_end + 80]):
        return f"{m.group(1)}-{_QUALIFIER_WORDS[m.group(2).lower()]}"
    if m := _GROUP_BEFORE.search(sentence):
        return f"{m.group(1)}-{_QUALIFIER_WORDS[m.group(2).lower()]}"
    return None


def _nearest_measure(sentence: str, at: int) -> str | None:
    """The outcome measure a number reports: the first named after it, else the last named before it."""
    after = _OUTCOME.search(sentence, at)
    if after:
        return _outcome_name(after.group(0))
    before = list(_OUTCOME.finditer(sentence, 0, at))
    return _outcome_name(before[-1].group(0)) if before else None


@dataclass(frozen=True, slots=True)
class Result:
    """One result value read from a sentence (trial and document ids are added by the caller)."""

    measure: str
    value: float | None
    unit: str | None
    numerator: int | None = None
    denominator: int | None = None
    group_label: str | None = None
    param_type: str | None = None
    value_raw: str | None = None


def _results(sentence: Span, mentions_trial: bool) -> list[Result]:
    """Result values a sentence reports; ``mentions_trial`` when it names the trial or stands in a Results section."""
    text = sentence.text
    if _BACKGROUND.search(text):
        return []
    out: list[Result] = []
    if mentions_trial or _RESULT_VERBS.search(text):
        for m in _PCT_FRACTION.finditer(text):
            measure = _nearest_measure(text, m.end())
            if not measure:
                continue
            value: float | None
            if m.group(1):
                value, num, den = float(m.group(1)), int(m.group(2)), int(m.group(3))
            else:
                num, den = int(m.group(4)), int(m.group(5))
                value = float(m.group(6)) if m.group(6) else None
            if num > den:
                continue
            out.append(
                Result(measure, value, "%" if value is not None else None, num, den, _group_label(text, m.end()),
                       "NUMBER", m.group(0))
            )  # fmt: skip
        for m in _RATE_VALUE.finditer(text):
            if any(r.value_raw and r.value_raw in text[m.start() : m.end() + 20] for r in out):
                continue
            out.append(Result(_outcome_name(m.group(1)) if m.group(1) != "ORR" else "overall response rate",
                              float(m.group(2)), "%", param_type="NUMBER", value_raw=m.group(0)))  # fmt: skip
    if mentions_trial:
        for m in _MEDIAN.finditer(text):
            out.append(Result(_outcome_name(m.group(1)), float(m.group(2)), m.group(3).lower(), param_type="MEDIAN",
                              value_raw=m.group(0)))  # fmt: skip
    return out


# --------------------------------------------------------------------------------------------------------------
# Arms / cohorts
# --------------------------------------------------------------------------------------------------------------

_ARM_LABEL = re.compile(r"\b((?:Arm|Cohort|Group|Part)\s(?:[A-D]|\d{1,2}|IV|III|II|I))\b\s?[:(–-]\s?([^.;\n]{3,200})")
_GROUP_LIST_INTRO = re.compile(r"\b(?:two|three|four|2|3|4)\s(?:groups|cohorts|arms)\b.{0,40}:\s*$", re.IGNORECASE)
_TWO_COHORTS = re.compile(
    r"\b(\d{1,4})\s(?:patients\s|participants\s)?with\s([^,.;]{3,60}?)\sand\s(\d{1,4})\s(?:patients\s|participants\s)?"
    r"with\s([^,.;]{3,60})"
)


def _arms(text: str, sentences: Sequence[Span]) -> list[tuple[str, str | None]]:
    """Arms or cohorts the text names: "Arm A: ...", a list introduced by "two groups:", "20 with X and 20 with Y"."""
    arms: list[tuple[str, str | None]] = []
    for m in _ARM_LABEL.finditer(text):
        arms.append((m.group(1), " ".join(m.group(2).split())))
    for i, s in enumerate(sentences):
        if _GROUP_LIST_INTRO.search(s.text):
            for nxt in sentences[i + 1 : i + 6]:
                line_start = text.rfind("\n", 0, nxt.start) + 1
                if not _BULLET.match(text[line_start : nxt.end]):
                    break
                label = _BULLET.sub("", nxt.text).strip().rstrip(".")
                arms.append((" ".join(label.split()), None))
        for m in _TWO_COHORTS.finditer(s.text):
            arms.append((" ".join(m.group(2).split()), f"{m.group(1)} patients"))
            arms.append((" ".join(m.group(4).split()), f"{m.group(3)} patients"))
    seen: set[str] = set()
    out = []
    for label, desc in arms:
        if label.lower() not in seen:
            seen.add(label.lower())
            out.append((label, desc))
    return out


# --------------------------------------------------------------------------------------------------------------
# The reader
# --------------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Analysis:
    """Everything read from one text before it is turned into records."""

    text: str
    sentences: list[Span]
    refs: list[TrialRef]
    drugs: list[Drug]
    condition_hits: list[ConditionHit]


def _analyse(raw_text: str) -> _Analysis:
    text, _ = _strip_front_matter(raw_text)
    sentences = _sentences(text)
    tokens = _tokens(text)
    ids = _find_ids(text)
    # Drugs first without acronym knowledge would take "KOMET-001" for a code: find acronyms, then drugs.
    vocab_drugs = {t.text for t in tokens if _vocab_drug(_fold(t.text))}
    acronyms = _find_acronyms(tokens, vocab_drugs)
    acronym_names = {a.text for a in acronyms}
    refs = _group_refs(text, [*ids, *(("ACRONYM", a) for a in acronyms)])
    drugs = _find_drugs(text, tokens, sentences, acronym_names)
    defined = _defined_condition_abbreviations(text)
    conditions = _find_conditions(text, tokens, defined)
    return _Analysis(text, sentences, refs, drugs, conditions)


def _sentence_of(sentences: Sequence[Span], at: int) -> Span:
    for s in sentences:
        if s.start <= at < s.end:
            return s
    return Span(at, at, "")


@dataclass(slots=True)
class _DrugFacts:
    name: str
    other_names: tuple[str, ...]
    description: str | None
    dose_value: float | None
    dose_unit: str | None
    route: str | None
    frequency: str | None
    dosing_text: str | None


def _drug_facts(a: _Analysis, drug: Drug, index: list[tuple[int, int, str]]) -> _DrugFacts | None:
    """Dose, route, frequency and class of one drug; None when every mention is prior/negated therapy or the
    drug is only named in passing."""
    text = a.text
    starts = [s for s, _, name in index if name != drug.name]
    live = [m for m in drug.mentions if not _is_negated(text, _sentence_of(a.sentences, m.start), m)]
    if not live:
        return None
    dose_value = dose_unit = route = frequency = dosing_text = description = None
    in_treatment_context = False
    for m in live:
        sentence = _sentence_of(a.sentences, m.start)
        if _TREATMENT_CONTEXT.search(sentence.text):
            in_treatment_context = True
        # The drug's own segment: from this mention to the next mention of another drug (or the sentence end).
        nxt = min((s for s in starts if m.end <= s < sentence.end), default=sentence.end)
        segment = text[m.start : nxt]
        if dose_value is None:
            d = extract_dosing(segment, m.text)
            if d.dose_value is not None:
                dose_value, dose_unit, frequency, dosing_text = d.dose_value, d.dose_unit, d.frequency, d.text
                route = d.route or route
                if sched := _SCHEDULE.search(segment):
                    frequency = " ".join(sched.group(0).split())
            else:
                # "the recommended daily dose of 600 mg of ziftomenib": the dose stands just before the name.
                prev = max((e for _, e, n in index if e <= m.start and n != drug.name), default=sentence.start)
                begin = max(prev, sentence.start)
                window = text[begin : m.end]
                doses = find_doses(window)
                if len(doses) == 1 and re.fullmatch(r"\s?(?:of\s(?:the\s)?)?", window[doses[0].end : m.start - begin]):
                    dose_value, dose_unit = doses[0].value, doses[0].unit
                    frequency = find_frequency(window)
                    route = find_route(window) or route
                    dosing_text = window.strip()
        if route is None:
            # "the experimental oral drug ziftomenib": a route adjective at most two words before the name.
            near = text[max(sentence.start, m.start - 60) : m.start]
            routes = {find_route(r.group(0)) for r in _ROUTE_WORDS.finditer(near) if len(near[r.end() :].split()) <= 2}
            if len(routes) == 1:
                route = routes.pop()
        if description is None and (c := _CLASS_AFTER.match(text[m.end : m.end + 120])):
            description = c.group(1)
    # Route/frequency from a sentence that names this drug alone ("NMS-03592088 is given orally").
    if route is None or (frequency is None and dose_value is None):
        for m in live:
            sentence = _sentence_of(a.sentences, m.start)
            if any(sentence.start <= s < sentence.end for s in starts):
                continue
            if route is None and _ROUTE_VERB.search(sentence.text):
                route = find_route(sentence.text)
            if frequency is None and dose_value is None:
                frequency = find_frequency(sentence.text)
    mentioned_sentences = {_sentence_of(a.sentences, m.start).start for m in live}
    if not (dose_value is not None or in_treatment_context or len(mentioned_sentences) >= 2):
        return None
    other = tuple(s for s in drug.spellings if s.lower() != drug.name.lower())
    return _DrugFacts(drug.name, other, description, dose_value, dose_unit, route, frequency, dosing_text)


def _looks_like_table(text: str) -> bool:
    """Delimited data (CSV/TSV): most of the first lines split into the same number (>= 3) of fields.

    A table row that happens to contain sentences is still a record, not prose about a trial.
    """
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(lines) < 3:
        return False
    for delimiter in (",", "\t", ";", "|"):
        counts = [line.count(delimiter) for line in lines]
        common = max(set(counts), key=counts.count)
        if common >= 3 and counts.count(common) >= 0.8 * len(lines):
            return True
    return False


class NarrativeReader:
    """Reader for prose about trials: news, press releases, lay summaries, study descriptions, abstracts."""

    source_format = SourceFormat.NEWS_ARTICLE

    def accepts(self, document: Document) -> bool:
        """Prose text: not XML/JSON, not a registry page full of field labels, and with real sentences."""
        head = document.text.lstrip()[:1]
        if head in {"<", "{", "["}:
            return False
        body, _ = _strip_front_matter(document.text)
        return not _looks_like_table(body) and not _looks_like_registry_page(body) and _has_prose(body)

    def parse(self, document: Document) -> ParsedDocument:
        """Read every trial the text talks about and the facts it states about them."""
        return parse_text(document.text, document.document_id)


def parse_text(raw_text: str, document_id: str) -> ParsedDocument:
    """Parse prose ``raw_text`` into records carrying ``document_id`` (the reader's ``parse`` without Document)."""
    fmt = classify(raw_text)
    a = _analyse(raw_text)
    text, sentences = a.text, a.sentences
    has_trial_words = re.search(r"\b(?:study|trial|studies|trials)\b", text, re.IGNORECASE)
    if not a.refs and not (has_trial_words and (a.drugs or a.condition_hits)):
        # Readable prose that is about no trial (market news, policy): nothing to record, but not a failure.
        return ParsedDocument(source_format=fmt, status=ParseStatus.PARTIAL, problems=("no trial found in the text",))

    # Which sentences mention which trial; the main trial is the one mentioned most (first on a tie).
    ref_sentences: list[set[int]] = []
    for ref in a.refs:
        ref_sentences.append({_sentence_of(sentences, sp.start).start for sp in ref.spans})
    main = max(range(len(a.refs)), key=lambda i: (len(ref_sentences[i]), -min(ref_sentences[i]))) if a.refs else None
    other_ref_sentences = {s for i, ss in enumerate(ref_sentences) if i != main for s in ss}

    index = sorted((m.start, m.end, d.name) for d in a.drugs for m in d.mentions)
    facts = [f for d in a.drugs if (f := _drug_facts(a, d, index))]

    # Sentences that belong to the main trial: all but those that only talk about another named trial.
    main_sentences = [
        s
        for s in sentences
        if s.start not in other_ref_sentences or (main is not None and s.start in ref_sentences[main])
    ]
    main_text_hits = [
        h
        for h in a.condition_hits
        if _sentence_of(sentences, h.span.start).start not in other_ref_sentences
        and not _ADVERSE_CONTEXT.search(_sentence_of(sentences, h.span.start).text)
    ]
    conditions = _condition_list(text, main_text_hits or a.condition_hits)
    phases = unique([p for s in main_sentences for p in _phases(s.text)])
    enrollment, enrollment_type = _enrollment(main_sentences)
    countries = _countries(main_sentences)

    if main is not None:
        main_ref = a.refs[main]
        trial_id = main_ref.trial_id()
    else:
        main_ref = None
        trial_id = derived_trial_id(
            "narrative", ",".join(sorted(f.name for f in facts)), conditions[0] if conditions else ""
        )

    trials: list[TrialRecord] = []
    for i, ref in enumerate(a.refs):
        if i == main:
            continue
        own = [s for s in sentences if s.start in ref_sentences[i]]
        trials.append(
            TrialRecord(
                document_id=document_id,
                trial_id=ref.trial_id(),
                nct_id=next(iter(ref.ids.get("NCT", [])), None),
                other_ids=tuple(k for k in ref.identifiers() if k != ref.trial_id()),
                acronym=ref.acronyms[0] if ref.acronyms else None,
                phases=unique([p for s in own for p in _phases(s.text)]),
                conditions=_condition_list(
                    text,
                    [h for h in a.condition_hits if _sentence_of(sentences, h.span.start).start in ref_sentences[i]],
                ),
            )
        )
    main_record = TrialRecord(
        document_id=document_id,
        trial_id=trial_id,
        nct_id=next(iter(main_ref.ids.get("NCT", [])), None) if main_ref else None,
        other_ids=tuple(k for k in main_ref.identifiers() if k != trial_id) if main_ref else (),
        acronym=main_ref.acronyms[0] if main_ref and main_ref.acronyms else None,
        phases=phases,
        enrollment_count=enrollment,
        enrollment_type=enrollment_type if enrollment is not None else None,
        conditions=conditions,
        countries=countries,
    )
    trials.insert(0, main_record)

    interventions = tuple(
        InterventionRecord(
            document_id=document_id,
            trial_id=trial_id,
            intervention_seq=seq,
            intervention_name=f.name,
            intervention_type="OTHER" if f.name == "placebo" else "DRUG",
            other_names=f.other_names,
            description=f.description,
            dose_value=f.dose_value,
            dose_unit=f.dose_unit,
            route=f.route,
            frequency=f.frequency,
            dosing_text=" ".join(f.dosing_text.split()) if f.dosing_text else None,
        )
        for seq, f in enumerate(facts, start=1)
    )

    outcomes: list[OutcomeRecord] = []
    seen_outcomes: set[str] = set()
    for s, kind in _outcome_sentences(text, main_sentences):
        cues = [(c.start(), "PRIMARY") for c in _PRIMARY.finditer(s.text)]
        cues += [(c.start(), "SECONDARY") for c in _SECONDARY.finditer(s.text)]
        for m in _OUTCOME.finditer(s.text):
            name = _outcome_name(m.group(0))
            if name in seen_outcomes:
                continue
            seen_outcomes.add(name)
            # The nearest "primary/secondary endpoint" cue before the measure decides ("the primary endpoint is
            # PFS; secondary endpoints include OS"); else the first one after it ("PFS was the primary endpoint").
            before = [k for pos, k in sorted(cues) if pos <= m.start()]
            after = [k for pos, k in sorted(cues) if pos > m.start()]
            outcome_type = before[-1] if before else after[0] if after else kind
            outcomes.append(OutcomeRecord(document_id, trial_id, len(outcomes) + 1, outcome_type, name))

    results: list[ResultRecord] = []
    main_ref_sentences = ref_sentences[main] if main is not None else set()
    headings = [(m.start(), m.group(1).lower()) for m in _ABSTRACT_HEADINGS.finditer(text)]
    for s in main_sentences:
        section = next((name for pos, name in reversed(headings) if pos <= s.start), "")
        for r in _results(s, s.start in main_ref_sentences or section.startswith("result")):
            results.append(
                ResultRecord(
                    document_id=document_id,
                    trial_id=trial_id,
                    result_seq=len(results) + 1,
                    measure=r.measure,
                    group_label=r.group_label,
                    param_type=r.param_type,
                    value=r.value,
                    value_raw=r.value_raw,
                    unit=r.unit,
                    numerator=r.numerator,
                    denominator=r.denominator,
                )
            )

    arms = tuple(
        ArmRecord(document_id, trial_id, seq, label, None, desc)
        for seq, (label, desc) in enumerate(_arms(text, main_sentences), start=1)
    )
    return ParsedDocument(
        source_format=fmt,
        trials=tuple(trials),
        arms=arms,
        interventions=interventions,
        outcomes=tuple(outcomes),
        results=tuple(results),
    )


# --------------------------------------------------------------------------------------------------------------
# Mention tagging (for evaluation against token-level gold such as EBM-NLP)
# --------------------------------------------------------------------------------------------------------------


def intervention_mentions(text: str) -> list[tuple[int, int]]:
    """Character spans of intervention (drug) mentions in ``text`` that are not prior/negated therapy."""
    a = _analyse(text)
    spans = []
    for drug in a.drugs:
        for m in drug.mentions:
            if not _is_negated(a.text, _sentence_of(a.sentences, m.start), m):
                spans.append((m.start, m.end))
    return sorted(spans)
