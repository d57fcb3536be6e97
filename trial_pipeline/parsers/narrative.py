"""Facts from prose: news articles, press releases, lay summaries, bare study descriptions and abstracts.

Rule- and vocabulary-based (the vocabulary is built from registry data, see ``bench/build_vocab.py``). Precision
first: a fact is emitted only where the text states it; everything else stays null. Every regex here is linear
(bounded repetitions, no quantified groups that contain quantifiers) because the text is untrusted.

The reader finds every trial a document talks about (registry IDs, study acronyms, or one derived trial when the
text names none), attaches the document's facts (interventions with their class and targets, doses, conditions,
outcomes with their time frames, results) to the trial the document is mainly about, and gives the trials it only
mentions their identifiers, phases and conditions from the sentence that mentions them. A reference list is not
part of the article; an ISRCTN record (JSON) is read through its plain-English summary.

:func:`intervention_mentions` tags every kind of intervention mention (drugs, placebo and control arms,
procedures, programmes, devices) for token-level evaluation (``bench/ebm_nlp_eval.py``). Curated word lists live
in :mod:`trial_pipeline.vocab.prose_terms`, registry-built ones in the TSV files beside it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
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
from trial_pipeline.vocab import prose_terms as terms

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
            if word in terms.NO_SENTENCE_BREAK_AFTER or (len(word) <= 3 and "." in word) or len(word) == 1:
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
    """Word tokens; trailing hyphens, slashes and apostrophes, and a possessive 's, are not part of a word."""
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group(0).rstrip("'/-")
        if word.endswith("'s") and len(word) > 3:
            word = word[:-2]
        out.append(Span(m.start(), m.start() + len(word), word))
    return out


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


# --------------------------------------------------------------------------------------------------------------
# Accepting and classifying
# --------------------------------------------------------------------------------------------------------------

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
        if label in terms.REGISTRY_PAGE_LABELS:
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
    if len(word) < 4 or len(letters) < 3 or word.upper() in terms.NOT_ACRONYMS or "/" in word:
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
            if low in terms.TRIAL_NOUNS:
                names.add(tok.text)
                break
            if low not in terms.TRIAL_NAME_FILLERS:
                break
    return [t for t in tokens if t.text in names]


def _adjacent(text: str, a: Span, b: Span) -> bool:
    """Whether two references stand together as names of one trial ("KOMET-001 (NCT04067336)")."""
    if a.end > b.start:
        return False
    gap = text[a.end : b.start]
    if len(gap) > 40 or "\n" in gap:
        return False
    words = re.findall(r"[A-Za-z.]+", gap.lower())
    return all(w.strip(".") in terms.ID_JOINING_WORDS for w in words)


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
        r"(?:\bnot|n't)\b.{0,30}\b(?:respond|responded|responding|tolerate|tolerated|benefit|eligible|candidates?)\b",
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
# What a drug is, as the text says it ("ziftomenib, a menin inhibitor", "the MEK inhibitor mirdametinib", "It is
# classified as an inhibitor") and what it targets ("targeting FLT3, KIT, and CSF1R").
# A class noun ends the phrase: "antibody" in "antibody-drug conjugate" does not.
_CLASS_WORD = r"(?:" + "|".join(sorted(terms.DRUG_CLASS_NOUNS)) + r"|bispecific|cell therapy)"
_CLASS = _CLASS_WORD + r"(?![\w-])"
_CLASS_AFTER = re.compile(r"^,?\s(?:is\s)?(?:an?|the)\s((?:[A-Za-z0-9/-]{1,30}\s){0,4}?" + _CLASS + r")")
_CLASS_BEFORE = re.compile(r"\b(?:the|an?)\s((?:[A-Za-z0-9/-]{1,30}\s){0,3}?" + _CLASS + r")\s{1,3}$", re.IGNORECASE)
_CLASS_INCLUDING = re.compile(
    r"\b((?:[A-Za-z0-9/-]{1,30}\s)?" + _CLASS_WORD + r")s?,?\s(?:including|such as|like)\s{1,3}$"
)
_CLASS_STATED = re.compile(r"\b(?:is|as)\s(?:an?|the)\s((?:[A-Za-z0-9/-]{1,30}\s){0,3}?" + _CLASS + r")")
_TARGET_MARKER = r"[A-Z][A-Za-z0-9]{0,2}[A-Z0-9][A-Z0-9]{0,5}(?:-\d{1,2})?"
_TARGETS = re.compile(
    r"\btarget(?:s|ing)\s(?:[A-Za-z]{1,20}\s){0,6}?(?:[A-Za-z]{1,20}:\s)?(" + _TARGET_MARKER + r"(?:,?\s(?:and\s|or\s)?"
    + _TARGET_MARKER + r"){0,7})\b"
)  # fmt: skip
# Subjects that continue the previous sentence's drug ("NMS-03592088 is a new drug ... It is classified as ...").
_PRONOUN_SUBJECT = re.compile(r"^(?:It|This|The)\s(?:drug\s|medicine\s|compound\s|agent\s|molecule\s)?(?:is|was|has)\b")
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
    """A word shaped like a generic drug name: it ends in an INN stem and is no ordinary word of trial prose."""
    low = word.lower()
    return (
        len(low) >= 6
        and low.isalpha()
        and low not in terms.NOT_DRUG_WORDS
        # "tetrapeptide" is no more a drug than "peptide" is.
        and not low.endswith(tuple(w for w in terms.NOT_DRUG_WORDS if len(w) >= 7))
        and low not in lexicon.common_words()
        and any(low.endswith(stem) and len(low) >= len(stem) + 3 for stem in lexicon.drug_stems())
        and (word.islower() or (word[0].isupper() and word[1:].islower()))
    )


def _generic_parts(token: Span) -> list[Span]:
    """Generic drug names inside a hyphenated word: "pioglitazone-treated", "gemcitabine-carboplatin".

    A part counts when it is a generic name itself: "platinum-based" names a class, not the cisplatin the vocabulary
    maps "platinum" to, and "chemo-immunotherapy" no drug at all.
    """
    if "-" not in token.text or not token.text.replace("-", "").isalpha():
        return []
    out = []
    at = token.start
    for part in token.text.split("-"):
        low = part.lower()
        generic = len(low) >= 6 and _vocab_drug(low) == low and low not in lexicon.common_words()
        if generic or _inn_like(part):
            out.append(Span(at, at + len(part), part))
        at += len(part) + 1
    # The first part must be one ("pioglitazone-treated"); a drug only after a word is a word's compound.
    return out if out and out[0].start == token.start else []


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
        parts = _generic_parts(tok)
        if parts:
            raw += [(part, part.text.lower()) for part in parts]
        elif tok.text not in excluded:
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
                and alias.upper() not in terms.NOT_ACRONYMS
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


def _is_negated(text: str, sentence: Span, mention: Span, cues: tuple[re.Pattern[str], ...] = _NEGATION_CUES) -> bool:
    """Whether a prior-therapy or negation cue governs ``mention`` in the clause leading up to it."""
    clause = _clause_before(text, sentence, mention.start)[-160:]
    for pattern in cues:
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
            if key in vocab and (n > 1 or (len(key) >= 7 and key not in terms.GENERIC_CONDITIONS)):
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
            out.append(f"{m.group(1)}-{terms.QUALIFIER_WORDS[qual]} {hit.term}")
    if m := _QUALIFIER_AFTER.match(text[hit.span.end : hit.span.end + 120]):
        out.append(f"{m.group(1)}-{terms.QUALIFIER_WORDS[m.group(2).lower()]} {hit.term}")
        if m.group(3):
            out.append(f"{m.group(3)}-{terms.QUALIFIER_WORDS[m.group(4).lower()]} {hit.term}")
    return out


def _condition_list(text: str, hits: Iterable[ConditionHit]) -> tuple[str, ...]:
    """Distinct condition strings in first-seen order; a term whose words all occur in a longer found term is
    dropped (``Acute Leukemia`` under ``Acute Myeloid Leukemia``)."""
    found: list[str] = []
    for hit in hits:
        found.append(hit.term)
        found.extend(_qualified(text, hit))
    found = list(unique(found))
    # Qualified forms ("NPM1-mutated ...") never subsume their base term; only plain terms compete.
    plain = [t for t in found if not re.match(_MARKER + r"-", t)]
    words = {t: set(_fold(t).replace("-", " ").split()) for t in plain}
    return tuple(t for t in found if t not in words or not any(words[t] < words[o] for o in plain))


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
            if key in vocab and (n > 1 or key not in terms.GENERIC_CONDITIONS):
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
            name = terms.COUNTRY_ALIASES.get(word) or vocab.get(_fold(word))
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

# A space in a term matches any whitespace: wrapped text breaks lines inside measure names.
_OUTCOME = re.compile(
    r"\b(?:" + "|".join(f"(?:{p.replace(' ', chr(92) + 's')})" for p, _ in terms.OUTCOME_TERMS) + r")\b", re.IGNORECASE
)
_OUTCOME_NAMES = tuple((re.compile(rf"^(?:{p})$", re.IGNORECASE), name) for p, name in terms.OUTCOME_TERMS)
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


# A time frame written onto a measure: "2-year overall survival", "28-day mortality", "disease-free survival (DFS)
# at 3 years", "progression-free survival rate at 6 months", "CR rate at Week 48".
_UNIT = r"(?:day|week|month|year)"
_TIME_BEFORE = re.compile(r"\b(\d{1,3})-(" + _UNIT + r")\s$", re.IGNORECASE)
_TIME_AFTER = re.compile(
    r"^(?:\s(?:rates?|\([A-Za-z]{1,8}\)))?\s(at|within|by|through)\s(?:(\d{1,3})\s(" + _UNIT + r")s?|(" + _UNIT
    + r")\s(\d{1,3}))\b",
    re.IGNORECASE,
)  # fmt: skip
# Only measures counted up to a time point take one; "24-week safety lead-in" is a phase, not safety's time frame.
_TIMED_MEASURE = re.compile(r"survival|mortality|response|remission|relapse|independence|rate", re.IGNORECASE)


def _time_frame(sentence: str, start: int, end: int) -> str | None:
    """The time frame a sentence writes onto the measure at ``start:end`` ("2 years", "Week 48"), else None."""
    if not _TIMED_MEASURE.search(sentence, start, end):
        return None
    if m := _TIME_BEFORE.search(sentence, max(0, start - 12), start):
        n = int(m.group(1))
        return f"{n} {m.group(2).lower()}{'s' if n != 1 else ''}"
    if m := _TIME_AFTER.match(sentence[end : end + 40]):
        when = f"{m.group(2)} {m.group(3).lower()}{'s' if m.group(2) != '1' else ''}" if m.group(2) else None
        when = when or f"{m.group(4)} {m.group(5)}"
        return when if m.group(1).lower() == "at" else f"{m.group(1).lower()} {when}"
    return None


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
        return f"{m.group(1)}-{terms.QUALIFIER_WORDS[m.group(2).lower()]}"
    if m := _GROUP_BEFORE.search(sentence):
        return f"{m.group(1)}-{terms.QUALIFIER_WORDS[m.group(2).lower()]}"
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
    tokens: list[Span]
    refs: list[TrialRef]
    drugs: list[Drug]
    condition_hits: list[ConditionHit]


_REFERENCES_HEADING = re.compile(
    r"^\s{0,4}(?:#{1,4}\s{0,2})?\**(?:references|bibliography|citations)\**:?\s{0,4}$", re.IGNORECASE | re.MULTILINE
)


def _without_references(text: str) -> str:
    """The text with its reference list blanked (offsets kept): cited papers name other trials, drugs and doses."""
    m = _REFERENCES_HEADING.search(text)
    if not m:
        return text
    return text[: m.start()] + re.sub(r"[^\n]", " ", text[m.start() :])


def _analyse(raw_text: str) -> _Analysis:
    text = _without_references(_strip_front_matter(raw_text)[0])
    sentences = _sentences(text)
    tokens = _tokens(text)
    ids = _find_ids(text)
    # Drugs first without acronym knowledge would take "KOMET-001" for a code: find acronyms, then drugs.
    vocab_drugs = {t.text for t in tokens if _vocab_drug(_fold(t.text))}
    acronyms = _find_acronyms(tokens, vocab_drugs)
    acronym_names = {a.text for a in acronyms}
    refs = _group_refs(text, [*ids, *(("ACRONYM", a) for a in acronyms)])
    drugs = _find_drugs(text, tokens, sentences, acronym_names)
    drugs += _given_unknown_drugs(text, tokens, sentences, {d.name for d in drugs})
    defined = _defined_condition_abbreviations(text)
    conditions = _find_conditions(text, tokens, defined)
    return _Analysis(text, sentences, tokens, refs, drugs, conditions)


# Arm cues as word sequences: any cue introduces an intervention; a giving cue one that participants receive.
_ARM_CUE_WORDS = tuple(tuple(cue.split()) for cue in terms.ARM_CUES)
_GIVING_CUE_WORDS = tuple(tuple(cue.split()) for cue in terms.GIVING_CUES)


def _given_unknown_drugs(text: str, tokens: list[Span], sentences: list[Span], known: set[str]) -> list[Drug]:
    """Drugs the vocabulary lacks that the text says participants are given ("Those in group 1 receive
    milrinone"): lower-case names shaped like a drug's, the object of an administration cue, named in two
    sentences or with a dose."""
    names = {n for n in _cued_names(text, tokens, _GIVING_CUE_WORDS) if n not in known and _drug_shaped(n)}
    drugs: dict[str, Drug] = {}
    for m in _name_mentions(tokens, names):
        if m.text.islower():
            drug = drugs.setdefault(m.text, Drug(m.text, [m.text]))
            drug.mentions.append(m)
    return [
        d
        for d in drugs.values()
        if len({_sentence_of(sentences, m.start).start for m in d.mentions}) >= 2
        or any(find_doses(text[m.end : m.end + 40]) for m in d.mentions)
    ]


def _drug_shaped(name: str) -> bool:
    """A word that may be a drug's name: long enough, no drug class ("anticancer") or intervention noun, and
    without the endings of English adjectives and abstract nouns ("financial", "simulation", "checkpoint")."""
    return (
        len(name) >= 6
        and name.isalpha()
        and not name.startswith("anti")
        and not name.endswith(terms.NOT_DRUG_ENDINGS)
        and not name.endswith(tuple(w for w in terms.NOT_DRUG_WORDS if len(w) >= 7))
        and _vocab_drug(name) is None
        and _head_type(name) is None
    )


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
    live = [m for m in drug.mentions if _is_live(a, m, drug=True)]
    if not live:
        return None
    dose_value = dose_unit = route = frequency = dosing_text = None
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
    description = _drug_class(a, live, starts)
    mentioned_sentences = {_sentence_of(a.sentences, m.start).start for m in live}
    if not (dose_value is not None or in_treatment_context or len(mentioned_sentences) >= 2):
        return None
    other = tuple(s for s in drug.spellings if s.lower() != drug.name.lower())
    return _DrugFacts(drug.name, other, description, dose_value, dose_unit, route, frequency, dosing_text)


def _drug_class(a: _Analysis, live: list[Span], other_drugs: list[int]) -> str | None:
    """What the text says a drug is and targets ("menin inhibitor", "inhibitor; targets FLT3, KIT, CSF1R"): from
    the words around its name, or a sentence about it alone and a following one that goes on with "It is ..."."""
    text = a.text
    kind: str | None = None
    targets: list[str] = []
    for m in live:
        sentence = _sentence_of(a.sentences, m.start)
        if kind is None and (c := _CLASS_AFTER.match(text[m.end : m.end + 120])):
            kind = c.group(1)
        window = (max(sentence.start, m.start - 60), m.start)
        if kind is None and (c := _CLASS_BEFORE.search(text, *window) or _CLASS_INCLUDING.search(text, *window)):
            kind = c.group(1)
        if any(sentence.start <= s < sentence.end for s in other_drugs):
            continue
        about = [text[m.end : sentence.end]]
        nxt = next((s for s in a.sentences if s.start >= sentence.end), None)
        if nxt and _PRONOUN_SUBJECT.match(nxt.text):
            about.append(nxt.text)
        for part in about:
            if kind is None and (c := _CLASS_STATED.search(part)):
                kind = c.group(1)
            for t in _TARGETS.finditer(part):
                listed = re.split(r",?\s(?:and\s|or\s)?", t.group(1))
                targets += [g for g in listed if g not in lexicon.abbreviations() and g not in terms.NOT_ACRONYMS]
    targets = [t for t in unique(targets) if not kind or t not in kind]
    if targets:
        return f"{kind}; targets {', '.join(targets)}" if kind else f"targets {', '.join(targets)}"
    return kind


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
        """Prose text: not XML/JSON, not a registry page full of field labels, and with real sentences; or an
        ISRCTN record (JSON), whose plain-English summary is prose about its trial."""
        head = document.text.lstrip()[:1]
        if head == "{":
            return _isrctn_lay_summary(document.text) is not None
        if head in {"<", "["}:
            return False
        body, _ = _strip_front_matter(document.text)
        return not _looks_like_table(body) and not _looks_like_registry_page(body) and _has_prose(body)

    def parse(self, document: Document) -> ParsedDocument:
        """Read every trial the text talks about and the facts it states about them."""
        if (lay := _isrctn_lay_summary(document.text)) is not None:
            return replace(parse_text(lay, document.document_id), source_format=SourceFormat.LAY_SUMMARY)
        return parse_text(document.text, document.document_id)


def _isrctn_lay_summary(text: str) -> str | None:
    """The plain-English summary of an ISRCTN record (JSON as the ctrdata package exports it), after the record's
    title and ISRCTN number so that the prose reader finds the trial; None for any other text."""
    if not text.lstrip().startswith("{") or len(text) > 5_000_000:
        return None
    try:
        record = json.loads(text)
    except ValueError:
        return None
    description = record.get("trialDescription") if isinstance(record, dict) else None
    number = str(record.get("isrctn", "")) if isinstance(record, dict) else ""
    if not isinstance(description, dict) or not re.fullmatch(r"\d{8}", number):
        return None
    summary, title = description.get("plainEnglishSummary"), description.get("title")
    if not isinstance(summary, str) or not summary.strip():
        return None
    return f"{title if isinstance(title, str) else ''} (ISRCTN{number})\n\n{summary}"


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
            outcomes.append(
                OutcomeRecord(
                    document_id,
                    trial_id,
                    len(outcomes) + 1,
                    outcome_type,
                    name,
                    _time_frame(s.text, m.start(), m.end()),
                )
            )

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
# Intervention mentions of every kind: drugs, placebo and control arms, procedures, programmes, devices (tagged
# for token-level evaluation against EBM-NLP; the cue rules also find the unknown drug names the reader keeps)
# --------------------------------------------------------------------------------------------------------------


def intervention_mentions(text: str) -> list[tuple[int, int]]:
    """Character spans of intervention mentions in ``text``: drugs, placebo and control arms, procedures,
    programmes and devices; prior, negated and measured-substance mentions left out. Interventions given together
    ("X plus Y", "X followed by Y") are one span."""
    a = _analyse(text)
    return [(m.start, m.end) for m in _joined(a.text, _mentions(a))]


@dataclass(frozen=True, slots=True)
class Mention:
    """One intervention mention: where it is and its intervention type (placebo and control arms are OTHER)."""

    start: int
    end: int
    intervention_type: str


def _word_key(word: str) -> str:
    """A word folded for vocabulary look-up: lower case, US spelling ("programme", "anaesthesia", "randomisation")."""
    low = word.lower()
    low = low.replace("anaes", "anes").replace("haem", "hem").replace("oesoph", "esoph").replace("paed", "ped")
    if low.endswith(("mme", "mmes")):
        low = low.replace("mme", "m")
    return low.replace("isation", "ization")


def _head_type(word: str) -> str | None:
    """The intervention type of a phrase whose last word is ``word`` ("training", "stents", "immunotherapy")."""
    heads = lexicon.intervention_heads()
    key = _word_key(word).rsplit("/", 1)[-1]
    # Plurals, the noun of the verb ("supplementation" of "supplement") and UK doubled l ("counselling").
    forms = (
        key,
        key[:-1] if key.endswith("s") else key,
        key[:-2] if key.endswith("es") else key,
        key[:-5] if key.endswith("ation") else key,
        key.replace("lling", "ling"),
    )
    for form in forms:
        if form in heads:
            return heads[form]
        if form in terms.DRUG_CLASS_NOUNS:
            return "DRUG"
    for head, kind in heads.items():
        if head.startswith("-") and key.endswith((head[1:], head[1:-1] + "ies")):
            return kind
    return None


def _is_word(token: Span) -> bool:
    return any(c.isalpha() for c in token.text)


def _is_content(token: Span) -> bool:
    """A content word: not a function word, an object-taking verb or a number."""
    low = _word_key(token.text)
    return _is_word(token) and low not in terms.FUNCTION_WORDS and low not in terms.OBJECT_VERBS


def _noun_like(token: Span) -> bool:
    """A word that can head a noun phrase: a content word, not a verb's past form, an adverb or a number."""
    low = _word_key(token.text)
    if not _is_content(token) or any(c.isdigit() for c in low) or low.endswith("ly") or low in terms.NUMBER_WORDS:
        return False
    return not low.endswith("ed") or "-" in low or low in terms.PARTICIPLE_MODIFIERS


def _is_modifier(token: Span) -> bool:
    """Whether ``token`` can modify the noun after it inside an intervention's name ("progressive muscle
    relaxation training"): a content word, not a verb, a number, a unit or an abstract's section heading."""
    low = _word_key(token.text)
    if not _is_content(token) or low in terms.NOT_MODIFIERS | terms.NUMBER_WORDS or any(c.isdigit() for c in low):
        return False
    if token.text.isupper() and low in terms.ABSTRACT_HEADING_WORDS:
        return False
    if low.endswith("ed") and "-" not in low:
        return low in terms.PARTICIPLE_MODIFIERS
    return True


def _joined_by_space(text: str, a: Span, b: Span) -> bool:
    return a.end < b.start and text[a.end : b.start].isspace()


def _name_like(token: Span) -> bool:
    """An unknown name ("flosequinan", "Synflorix"): a word that is neither ordinary trial prose nor a function
    word nor a condition."""
    low = _word_key(token.text)
    # A compound with a drug in it ("azacitidine-naive") is the drug finder's to read.
    if "-" in low and any(_vocab_drug(part) or _inn_like(part) for part in low.split("-")):
        return False
    return (
        len(low) >= 4
        and low.replace("-", "").isalpha()
        and not token.text.isupper()
        and low not in lexicon.common_words()
        and low not in terms.FUNCTION_WORDS
        and low not in terms.OBJECT_VERBS
        and low not in lexicon.conditions()
        and not low.endswith(("ed", "ing", "ly"))
    )


def _is_live(a: _Analysis, span: Span, *, drug: bool) -> bool:
    """Whether a mention is of something the trial gives: not prior or negated therapy (``drug`` also counts
    "no"/"without" as negation) and not a substance measured ("serum cholesterol", "insulin resistance")."""
    text = a.text
    sentence = _sentence_of(a.sentences, span.start)
    before = text[max(sentence.start, span.start - 30) : span.start].split()
    after = [w.strip(".,;:()") for w in text[span.end : span.end + 30].lstrip("-").split()]
    if before and _word_key(before[-1]) in terms.ANALYTE_BEFORE:
        return False
    if after and _word_key(after[0]) in terms.ANALYTE_AFTER:
        return False
    if text[span.end : span.end + 1] == "-" and after and after[0].lower() in terms.PRIOR_THERAPY_SUFFIXES:
        return False
    if drug:
        return not _is_negated(text, sentence, span)
    return not _is_negated(text, sentence, span, cues=_NEGATION_CUES[:-1])


def _mentions(a: _Analysis) -> list[Mention]:
    """Every intervention mention of the text, by type, overlapping ones merged."""
    text = a.text
    found: list[Mention] = []
    for drug in a.drugs:
        kind = "OTHER" if drug.name == "placebo" else "DRUG"
        found += [Mention(m.start, m.end, kind) for m in drug.mentions if _is_live(a, m, drug=True)]
    found += _head_phrases(a)
    found += _control_arms(a)
    found += _arm_labels(a, found)
    found += _cued_name_mentions(a)
    found += _cued_phrases(a)
    found = _with_abbreviations(a, _merged(found))
    return [_with_route_and_alone(text, m) for m in _merged(found)]


_ALONE_AFTER = re.compile(r"\s{1,3}alone\b", re.IGNORECASE)
_ROUTE_BEFORE = re.compile(_ROUTE_WORDS.pattern + r"\s{1,3}$", re.IGNORECASE)


def _with_route_and_alone(text: str, m: Mention) -> Mention:
    """A drug mention with its route adjective ("oral dexamethasone") and an arm's "alone" ("placebo alone")."""
    start, end = m.start, m.end
    if m.intervention_type == "DRUG" and (r := _ROUTE_BEFORE.search(text, max(0, start - 20), start)):
        start = r.start()
    if a := _ALONE_AFTER.match(text, end):
        end = a.end()
    return Mention(start, end, m.intervention_type)


def _head_phrases(a: _Analysis) -> list[Mention]:
    """Noun phrases ending in an intervention head ("progressive muscle relaxation training", "sham acupuncture")."""
    text, tokens = a.text, a.tokens
    out = []
    for i, tok in enumerate(tokens):
        kind = _head_type(tok.text)
        if kind is None or (tok.text.isupper() and tok.text.lower() in terms.ABSTRACT_HEADING_WORDS):
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) and _joined_by_space(text, tok, tokens[i + 1]) else None
        # "exercise capacity", "care unit": the head word modifies the noun after it; "exercise group" names an arm.
        if nxt and _noun_like(nxt) and nxt.text.lower() not in terms.GROUP_NOUNS | terms.AFTER_HEAD_NOUNS:
            continue
        first = i
        while first > 0 and i - first < 4 and _joined_by_space(text, tokens[first - 1], tokens[first]):
            modifier = tokens[first - 1]
            # An "-ing" word is a noun modifier right before the head ("walking programme"), else a verb
            # ("targeting preventive therapies").
            if not _is_modifier(modifier) or (modifier.text.endswith("ing") and first != i):
                break
            first -= 1
        span = Span(tokens[first].start, tok.end, text[tokens[first].start : tok.end])
        before = tokens[first - 1].text.lower() if first > 0 else ""
        if kind == "PROCEDURE" and before in terms.SETTING_BEFORE:
            continue
        if _is_live(a, span, drug=False):
            out.append(Mention(span.start, span.end, kind))
    return out


def _control_arms(a: _Analysis) -> list[Mention]:
    """Control arms: "control group", "or control", "(control)", "usual care", "no treatment", "wait-list"."""
    text, tokens = a.text, a.tokens
    out = []
    for i, tok in enumerate(tokens):
        if tok.text.lower() not in terms.CONTROL_WORDS:
            continue
        prev = tokens[i - 1].text.lower() if i > 0 else ""
        nxt = tokens[i + 1].text.lower() if i + 1 < len(tokens) and _joined_by_space(text, tok, tokens[i + 1]) else ""
        in_parens = text[tok.start - 1 : tok.start] == "(" and text[tok.end : tok.end + 1] == ")"
        if nxt in terms.GROUP_NOUNS or in_parens or (prev in terms.CONTROL_BEFORE and not nxt):
            out.append(Mention(tok.start, tok.end, "OTHER"))
    for m in _CONTROL_PHRASE.finditer(text):
        out.append(Mention(m.start(), m.end(), "OTHER"))
    return out


# A space in a control phrase matches a space or a hyphen ("treatment-as-usual").
_CONTROL_PHRASE = re.compile(
    r"\b(?:" + "|".join(re.escape(p).replace(r"\ ", "[ -]") for p in terms.CONTROL_PHRASES) + r")\b", re.IGNORECASE
)


def _arm_labels(a: _Analysis, found: list[Mention]) -> list[Mention]:
    """The label of an arm named after what it got: "the TIVA group", "the sedation arm", "the LGG group"."""
    text, tokens = a.text, a.tokens
    known = {text[m.start : m.end].lower() for m in found}
    out = []
    for i in range(1, len(tokens)):
        if tokens[i].text.lower() not in terms.GROUP_NOUNS or not _joined_by_space(text, tokens[i - 1], tokens[i]):
            continue
        label = tokens[i - 1]
        low = label.text.lower()
        if low in terms.NOT_ARM_LABELS or low in terms.FUNCTION_WORDS or not _is_word(label):
            continue
        if _unknown_abbreviation(label) or low in known or _name_like(label) or low == "intervention":
            out.append(Mention(label.start, label.end, "OTHER"))
    return out


def _cued_names(text: str, tokens: list[Span], cues: tuple[tuple[str, ...], ...]) -> set[str]:
    """Unknown names (folded) that the text uses as an intervention: the object of a cue ("randomized to
    flosequinan or placebo", "receive milrinone", "the effect of lime juice on") or joined to "-treated"."""
    names: set[str] = set()
    lows = [t.text.lower() for t in tokens]
    for cue in cues:
        n = len(cue)
        for i in range(len(tokens) - n):
            if tuple(lows[i : i + n]) != cue:
                continue
            # The cue's object: up to two modifiers, then the name ("received intravenous flosequinan").
            j = i + n
            # "given the rising threat of ...": "given" before an article means "considering".
            if j < len(tokens) and lows[j] in {"either", "a", "an", "the"} and cue != ("given",):
                j += 1
            for k in range(j, min(j + 3, len(tokens))):
                if k > i + n and not _joined_by_space(text, tokens[k - 1], tokens[k]):
                    break
                if _name_like(tokens[k]) or _unknown_abbreviation(tokens[k]):
                    names.add(_word_key(tokens[k].text))
                    break
                if not _is_modifier(tokens[k]):
                    break
    for tok in tokens:
        name = _untreated(tok.text)
        if name != tok.text and _name_like(Span(tok.start, tok.start + len(name), name)):
            names.add(_word_key(name))
    return names


def _untreated(text: str) -> str:
    """``text`` without a "-treated" kind of suffix ("flosequinan-treated" -> "flosequinan"), else as it is."""
    name, _, suffix = text.rpartition("-")
    return name if suffix in terms.NAME_TREATED_SUFFIXES else text


def _name_mentions(tokens: list[Span], names: set[str]) -> list[Span]:
    """Every occurrence of the given names, "-treated" and the like cut off."""
    out = []
    for tok in tokens:
        name = _untreated(tok.text)
        if _word_key(name) in names:
            out.append(Span(tok.start, tok.start + len(name), name))
    return out


def _cued_name_mentions(a: _Analysis) -> list[Mention]:
    """Mentions of the unknown names the text uses as interventions."""
    names = _cued_names(a.text, a.tokens, _ARM_CUE_WORDS)
    return [Mention(m.start, m.end, "OTHER") for m in _name_mentions(a.tokens, names) if _is_live(a, m, drug=True)]


_PHRASE_CUE_WORDS = tuple(tuple(cue.split()) for cue in terms.PHRASE_CUES)


def _cued_phrases(a: _Analysis) -> list[Mention]:
    """The noun phrase an arm cue introduces ("randomized to continuous subcutaneous insulin infusion")."""
    text, tokens = a.text, a.tokens
    lows = [t.text.lower() for t in tokens]
    out = []
    for cue in _PHRASE_CUE_WORDS:
        n = len(cue)
        for i in range(len(tokens) - n):
            if tuple(lows[i : i + n]) != cue:
                continue
            j = i + n
            if j < len(tokens) and lows[j] in {"either", "a", "an", "the"}:
                j += 1
            k = j
            while k < len(tokens) and k - j < 5 and _is_modifier(tokens[k]) and lows[k] not in terms.NOT_IN_PHRASE:
                if k > j and not _joined_by_space(text, tokens[k - 1], tokens[k]):
                    break
                k += 1
            if k > j and (k == len(tokens) or lows[k] not in terms.NOT_IN_PHRASE):
                # One ordinary word ("progression", "day") is no intervention's name.
                if k == j + 1 and not (_name_like(tokens[j]) or _head_type(tokens[j].text)):
                    continue
                span = Span(tokens[j].start, tokens[k - 1].end, "")
                if _is_live(a, span, drug=True):
                    out.append(Mention(span.start, span.end, "OTHER"))
    return out


def _unknown_abbreviation(token: Span) -> bool:
    """An upper-case abbreviation that names no condition, organisation or outcome ("LGG", "TIVA")."""
    word = token.text
    return (
        2 <= len(word) <= 6
        and word.isupper()
        and word.isalnum()
        and word not in lexicon.abbreviations()
        and word not in terms.NOT_ACRONYMS
        and not word.isdigit()
    )


_ABBREVIATION_AFTER = re.compile(r"\s?\(([A-Za-z][A-Za-z0-9-]{1,9})\)")


def _with_abbreviations(a: _Analysis, found: list[Mention]) -> list[Mention]:
    """Mentions extended over the abbreviation the text defines for them ("total intravenous anesthesia (TIVA)"),
    and that abbreviation's other occurrences."""
    text = a.text
    out = []
    abbreviations: dict[str, str] = {}
    for m in found:
        d = _ABBREVIATION_AFTER.match(text, m.end)
        if d and sum(c.isupper() for c in d.group(1)) >= 2:
            abbreviations[d.group(1)] = m.intervention_type
            out.append(Mention(m.start, d.end(), m.intervention_type))
        else:
            out.append(m)
    for abbreviation, kind in abbreviations.items():
        for hit in re.finditer(r"(?<![A-Za-z0-9-])" + re.escape(abbreviation) + r"(?![A-Za-z0-9])", text):
            out.append(Mention(hit.start(), hit.end(), kind))
    return out


def _merged(mentions: list[Mention]) -> list[Mention]:
    """Mentions in text order, overlapping ones merged into one (the first one's type)."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if out and m.start < out[-1].end:
            last = out[-1]
            out[-1] = Mention(last.start, max(last.end, m.end), last.intervention_type)
        else:
            out.append(m)
    return out


_JOINERS = re.compile(
    r"\s{1,3}(?:" + "|".join(re.escape(j).replace(r"\ ", r"\s") for j in terms.COMBINATION_JOINERS) + r")\s{1,3}"
)


def _joined(text: str, mentions: list[Mention]) -> list[Mention]:
    """Mentions of interventions given together ("remifentanil and propofol", "X followed by Y") as one."""
    out: list[Mention] = []
    for m in mentions:
        if out and _JOINERS.fullmatch(text, out[-1].end, m.start):
            out[-1] = Mention(out[-1].start, m.end, out[-1].intervention_type)
        else:
            out.append(m)
    return out
