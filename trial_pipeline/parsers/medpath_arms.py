"""MedPath's flattened "Group / Intervention / Description" table: arms and the interventions given in each.

When a MedPath page is saved as text, each row of its arm table is one paragraph with the cells glued together:
the arm's label, the names of its interventions and its description. The rows are cut where the page's own
text supports a cut: by the intervention names the page lists or writes elsewhere, weighed against how plainly
each glued boundary reads, by the words of the page's free text and by what the table's other rows spell.
:func:`read_arm_table` takes the table's rows and what the rest of the page says and returns plain arm and
intervention tuples.

Every regex is linear (no unbounded nested quantifiers), every scan of a glued row stops after a fixed prefix,
rows are compared pairwise only in tables of a bounded size, the page's phrase index stops after a fixed number
of characters, and every loop is bounded by the page size, because the text is untrusted.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from trial_pipeline.parsers.page_text import MAX_INDEX_CHARS, MAX_NAME_LEN, MAX_ROW_SCAN, page_words, sentence_end
from trial_pipeline.vocab import lexicon

_MAX_NAME_WORDS = 6
# How many intervention names one arm row may glue together: the registry's arms give up to 17, so twice 12 bounds
# the chain with room to spare (the work grows with the row's offsets, not with this bound).
_MAX_CHAIN = 24
# What a reading of an arm row loses when it leaves the arm without a description (13% of arms have none).
_NO_DESCRIPTION = 1.5
# What a reading of an arm row loses when it finds no intervention name in an interventional study whose page lists
# none (5% of the registry's arms have none, most of them in observational studies).
_NO_NAMES = 1.0
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
# Verbs that descriptions use and names do not ("Patients receive ...", "... will be followed"), as words of their own:
# joined by a hyphen they are part of a name ("in vitro-treated peripheral blood stem cell transplantation").
_PROSE_VERB = re.compile(
    r"(?<![\w-])(?:receive[sd]?|receiving|undergo(?:es)?|get|gets|will|are|is|was|were|given|treated|followed)(?![\w-])",
    re.IGNORECASE,
)
_MAX_SHARED_SCAN = 400
# The words a description of an arm most often starts with and an intervention name nearly never does: who is
# treated, or a determiner ("Patients receive ...", "All women ...", "See detailed description."). Of the arm
# descriptions of the public ClinicalTrials.gov sample ~36% start with one of these words and ~0.1% of intervention
# names do; no drug name is among them. A description that starts with one, glued to what comes before it, earns
# _OPENER, and the text before it up to the last boundary may be read as a name (see _names_at).
_OPENING = re.compile(
    r"(?:Patients|Participants|Subjects|Subject|Individuals|Volunteers|Women|Men|Children|Infants|Adults|People|"
    r"The|All|This|These|Each|Eligible|See)(?=[\s,:;.])"
)
_OPENER = 1.0
# What a description earns for starting with its arm's label again (see _relabels), for labels this long or longer.
_RELABEL = 1.0
_MIN_RELABEL = 8
# What a reading loses for each seam inside a glued run of letters ("therapy|microsatellite", "hydrochloride|valspodar")
# that its label or one of its names spans: both are written with spaces, and words glued together are cells glued
# together. (Descriptions are not charged: a long description spans seams that split its own words wrongly.)
_LABEL_SEAM = 1.0
# Punctuation that no description of an arm in the registry starts with (it continues a cell), and that no
# intervention name ends with (it leaves the name open: "60 mg/", "Wilms'").
_CONTINUES = frozenset(" ,;:./)]}'+=%&-\"")
_OPEN_END = frozenset("/+&,-;:'=")
# A short aside in brackets after a name ("cognitive behavioral therapy (CBT)").
_ASIDE = re.compile(r" \([^()\[\]]{1,40}\)")
_NEXT_WORD = re.compile(r" ([A-Za-z][a-z]{2,})(?![a-z])")
# Units written straight after a number ("350mg/m2", "0.3mg/kg"): the number and its unit are one cell.
_UNIT = re.compile(
    r"(?:mg|mcg|µg|ug|g|gm|kg|ml|mL|l|L|iu|IU|U|mm|cm|h|hr|hrs|d|x|%|c?Gy|MBq|mCi)(?![a-z])|[A-Za-z]{1,6}/"
)

# Units that start with a capital, written straight after a number ("2Gy/fx", "370MBq", "10IU"); not a lone "L" or
# "U", which may start a name glued to a label's number ("Group 1|L-asparaginase").
_CAPITAL_UNIT = re.compile(r"(?:c?Gy|MBq|GBq|IU)(?![A-Za-z])")


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

    Only the first ``MAX_INDEX_CHARS`` characters are indexed: a real page is far shorter, and the index must
    not grow without bound on a hostile one.
    """
    phrases: set[str] = set()
    budget = MAX_INDEX_CHARS
    for line in lines:
        budget -= len(line)
        if budget < 0:
            break
        tokens = line.lower().split()
        for a in range(len(tokens)):
            for b in range(a + 1, min(a + _MAX_NAME_WORDS, len(tokens)) + 1):
                phrases.update(p for p in _trimmed(" ".join(tokens[a:b])) if 3 <= len(p) <= MAX_NAME_LEN)
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
    if _inside_token(row, i) or _inside_numeral(row, i):
        return None
    if before.isdigit() and here.isupper() and _CAPITAL_UNIT.match(row, i):
        # A number and its unit are one cell, the unit capitalised too ("2|Gy/fx", "370|MBq").
        return None
    if here.isupper() and before.isdigit() and not row[i + 1 : i + 2].islower():
        # A number glued to a capital that starts no word is a code ("506U78", "131I-cG250"), or at most a label's
        # number before a name in capitals.
        return 1 if row[i + 1 : i + 2].isupper() else 0
    if before in ")]" or (here.isupper() and (before.isdigit() or before in "%'\"" or sentence_end(row, i))):
        return 2
    if here.isupper() and before.islower():
        # "hydrochloridePatients", but not a word written in camel case after a single letter ("iNO", "pH").
        return 2 if row[i - 2 : i - 1].isalpha() else 0
    if before.isdigit() and _UNIT.match(row, i):
        return None
    if before.isdigit() != here.isdigit() and (before.isalnum() and here.isalnum()):
        return 1
    if before.isupper() and here.isupper() and row[i + 1 : i + 2].islower():
        # A capital standing alone glued to a capitalised word reads as plainly as a capital after lower case
        # ("Amphotericin B|Ambisome"), unless the two are a Roman numeral ("Stage IVa") or a symbol ("MGd").
        alone = (i == 1 or row[i - 2].isspace()) and row[i + 2 : i + 3].islower()
        return 2 if alone and not (before in "IVX" and here in "IVX") and not _word_follows(row, i + 1, words) else 1
    if before.isalpha() and here.isalpha() and _word_around(row, i) in words:
        return None
    return 0


def _capitalised_word(row: str, i: int, words: frozenset[str]) -> bool:
    """Whether the capital at offset ``i`` and the lower-case letters after it (three letters or more, a whole word:
    no letter glued after them) are a word of the page or of registry prose. Only a name's length is read."""
    run = _LOWER_RUN.match(row, i + 1, i + 1 + MAX_NAME_LEN)
    if run is None or row[run.end() : run.end() + 1].isalpha():
        return False
    word = row[i : run.end()].lower()
    return len(word) >= 3 and (word in words or word in lexicon.common_words())


def _word_follows(row: str, i: int, words: frozenset[str]) -> bool:
    """Whether the lower-case letters from offset ``i`` start a word of the page of ``_MIN_PIECE`` letters or more:
    the capital before them then ends an acronym rather than starting a word ("Nodal RT|doxorubicin", not
    "Nodal R|Tdoxorubicin"). Only a name's length of letters is read."""
    run = _LOWER_RUN.match(row, i, i + MAX_NAME_LEN)
    text = run.group(0) if run else ""
    return any(text[:k] in words for k in range(_MIN_PIECE, len(text) + 1))


# A run of letters and digits, as the page's words are written.
_ALNUM_RUN = re.compile(r"[^\W_]{3,}")
# A page word shorter than this spans a seam only when it is the whole run ("OspA") or an acronym at the run's start
# ("LOX|Resuscitation"): a short word may match across a real boundary by chance ("abl" in "ABleomycin"), a short
# word written with two capitals or more seldom does.
_MIN_SPANNING_WORD = 5


def _inside_words(row: str, cased: frozenset[str]) -> frozenset[int]:
    """Offsets of a glued row that fall inside a word the page writes on its own, in the same case: "PTLD|Spresumed"
    when the page writes "PTLDS", "Osp|A vaccine" when it writes "OspA", "Transplant|ation" when it writes
    "transplantation" (but "deviceS|ubjects" stays a seam although the page writes "devices").

    Only a word at an edge of a run of letters and digits counts (the run's start, its end, or the whole run), and
    one shorter than ``_MIN_SPANNING_WORD`` only when it is the whole run or, at the run's start, an acronym
    ("LOX|Resuscitation" when the page writes "LOX"). An offset where the run also parts into
    two words of the page stays a seam ("Program|small" although the page writes "programs"). Runs are read within
    the scanned prefix.
    """
    found: set[int] = set()
    for m in _ALNUM_RUN.finditer(row, 0, min(len(row), MAX_ROW_SCAN + MAX_NAME_LEN)):
        start, end = m.span()
        run = row[start].lower() + row[start + 1 : end]
        size = end - start
        spanned: set[int] = set()
        for k in range(3, min(size, MAX_NAME_LEN) + 1):
            # A short word spans a seam only as the whole run, or when it is an acronym, two capitals or more
            # ("LOX|Resuscitation", "r|IL-2"): no word of lower-case letters, it does not match by chance.
            acronym = sum(ch.isupper() for ch in row[start : start + k]) >= 2
            if run[:k] in cased and (k == size or k >= _MIN_SPANNING_WORD or acronym):
                spanned.update(range(1, k))
        for j in range(max(1, size - MAX_NAME_LEN), size - _MIN_SPANNING_WORD + 1):
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


# A Roman numeral standing as a token of its own ("Arm II (no treatment)"): no cell boundary falls inside it.
_NUMERAL_TOKEN = re.compile(r"(?<![A-Za-z])[IVX]{2,5}(?![A-Za-z])")


def _inside_numeral(row: str, i: int) -> bool:
    """Whether offset ``i`` falls inside a Roman numeral that stands apart ("Arm I|I (no treatment)"). Only the few
    characters around ``i`` are read."""
    if row[i - 1] not in "IVX" or row[i] not in "IVX":
        return False
    start = max(0, i - 6)
    return any(m.start() < i < m.end() for m in _NUMERAL_TOKEN.finditer(row, start, min(len(row), i + 6)))


def _word_around(row: str, i: int) -> str:
    """The word offset ``i`` falls in, lower-cased: lower-case letters either side, and one capital that starts it
    ("Partici|pants" -> "participants", but "GSK189075|Participants" -> "participants")."""
    start = i
    while start > 0 and i - start < MAX_NAME_LEN and row[start - 1].islower():
        start -= 1
    if start > 0 and row[start - 1].isupper() and row[start].islower():
        start -= 1
    end = i
    while end < len(row) and end - i < MAX_NAME_LEN and row[end].islower():
        end += 1
    return row[start:end].lower()


@dataclass(frozen=True)
class _Cut:
    """One reading of a glued row: where the label ends, the names glued after it, where the description starts
    (None: the row has none), how well the reading is supported, and how plainly the description's first boundary
    reads (see :func:`_glue`; 0 without a description)."""

    score: float
    label_end: int
    names: tuple[str, ...] = ()
    description_start: int | None = None
    opening: int = 0

    def key(self) -> tuple[float, int, int, int]:
        """Better readings sort higher: more support, then a shorter label, then a description that starts at a
        plainer boundary (a description that starts inside glued names, "surgery|laboratory biomarker
        analysisPatients receive", leaves a plainer boundary inside it), then fewer names."""
        return (self.score, -self.label_end, self.opening, -len(self.names))


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
    hydrochloride", or by an aside in brackets: "cognitive behavioral therapy (CBT)"), that a copy of itself
    stands next to ("PlaceboPlacebo"), or, with little support, that runs between two capitals glued on; a name
    closes the brackets it opens. The label before the names must be balanced, must hold a letter or digit and must
    not end inside an expression ("carboplatin/"); the description after them must not start with a space or
    punctuation. Each name scores its support less ``name_cost``, each boundary as plainly as :func:`_glue` reads
    it, and a reading that leaves the arm without a description loses a little (most arms have one); the best total
    wins (see :meth:`_Cut.key` for ties). A reading without names (a label glued to its description) needs a plain
    boundary.

    The names are chained in one pass over the row's offsets that keeps the best chain reaching each offset, so
    the work grows with the row's length times the names that may start at an offset, never with the chains.
    """
    limit = min(len(row), MAX_ROW_SCAN)
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
    glue = [_glue(row, i, words) for i in range(min(len(row), limit + MAX_NAME_LEN) + 1)]
    signals = signals or _RowSignals()
    for i in signals.inside_words:
        if i < len(glue):
            glue[i] = None
    doubled = _doubled_prefix(row, limit)
    for i in signals.seams:
        if i < len(glue) and glue[i] == 0:
            glue[i] = 1
    for i in _phrase_ends_in_numbers(row, lower, glue, phrases, limit):
        glue[i] = 0
    for i in range(2, len(glue) - 1):
        # An acronym glued to a capitalised word of the page or of registry prose reads as plainly as a capital after
        # lower case ("MRI|Healthy volunteers", "IUD|Copper IUD", "Arm II|Patients receive"), but not to letters
        # that make no word ("NT|proBNP"). Only the reading of the row takes it so: where rows part is read as before.
        if glue[i] == 1 and row[i - 2].isupper() and row[i - 1].isupper() and _capitalised_word(row, i, words):
            glue[i] = 2
    # A row that starts with one text twice has that text for its label and its first name: the second copy ends
    # where the next cell starts, even in lower case ("filgrastimfilgrastim|as prescribed by physician").
    copy_end = 2 * doubled if doubled is not None and 2 * doubled < len(glue) else None
    if copy_end is not None and glue[copy_end] == 0:
        glue[copy_end] = 1
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
        if copy_end is not None:
            marks.add(copy_end)
        for i in signals.label_ends:
            marks.add(i)
            if i < len(glue) and not row[i].isspace():
                glue[i] = 2
        for i in range(1, len(glue)):
            if glue[i] is not None and i not in marks and _word_internal(row, i) and not _copy_follows(lower, i, glue):
                glue[i] = None
    depth = _open_brackets(row, limit)
    # Without a list of names to go by, a reading that finds no name in an interventional study's row loses a
    # little: nearly every arm there gives an intervention.
    bare = _NO_NAMES if not listed and name_cost < _OBSERVATIONAL_NAME_COST else 0.0
    spanned = _glued_seams_before(row, limit, signals)
    # The row read whole as a label spans every glued seam in it too.
    best = _Cut(-bare - _LABEL_SEAM * spanned[limit], len(row))

    def consider(reading: _Cut) -> None:
        nonlocal best
        if reading.key() > best.key():
            best = reading

    # reach[offset]: the best reading whose label and names end at that offset (its description not yet placed).
    reach: dict[int, _Cut] = {}
    # A label holds a letter or a digit (".|Arm IV (chemotherapy)" is no label and name).
    first_alnum = next((k for k, ch in enumerate(row[:limit]) if ch.isalnum()), limit)
    for at in range(1, limit):
        strength = glue[at]
        if strength is None:
            continue
        # A label closes its brackets and does not end inside an expression ("carboplatin/"); a row that starts
        # with one text twice has that text for its label.
        if depth[at] == 0 and row[at - 1] not in "/+&,-;:" and doubled in {None, at} and at > first_alnum:
            start = _BOUNDARY[strength] - _LABEL_SEAM * spanned[at]
            if lower.startswith(lower[:at], at):
                # What follows repeats the label: its intervention ("ApneaLinkApneaLink...") or its description
                # ("HPSHPS patients of any gender").
                start += 1.0
            if (strength or start > _BOUNDARY[strength]) and _description_start(row, at):
                consider(_Cut(start - bare, at, (), at, strength))
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
            total = here.score + support - name_cost - _LABEL_SEAM * _spanned_inside(spanned, at, at + n, limit)
            end, names = at + n, (*here.names, name)
            if end == len(row):
                # A row that ends in a second spelling of a name, or (when the page lists no names to go by) of its
                # label, ends in its description ("vaccinevaccine", "Placebo inhaled...Placebo inhaled").
                again = {x.lower() for x in here.names} | (set() if listed else {row[: here.label_end].lower()})
                if name.lower() not in again:
                    consider(_Cut(total - _NO_DESCRIPTION, here.label_end, names))
                continue
            # The boundary after the name counts once, whether a description or another name follows it.
            reading = _Cut(total + _BOUNDARY[glue[end] or 0], here.label_end, names)
            if _description_start(row, end):
                score = reading.score + _opener(end, signals) + _relabels(lower, here.label_end, end)
                consider(_Cut(score, here.label_end, names, end, glue[end] or 0))
            if end < limit and (end not in reach or reading.key() > reach[end].key()):
                reach[end] = reading
    description = "" if best.description_start is None else row[best.description_start :]
    return row[: best.label_end], best.names, description


def _phrase_ends_in_numbers(
    row: str, lower: str, glue: Sequence[int | None], phrases: _Phrases, limit: int
) -> list[int]:
    """Offsets inside a run of digits where a phrase the page writes, holding a letter, ends: a name that ends in a
    number glued to a description that starts with one ("DIO-902|150mg", "V1512|6 Doses"). The phrase starts where
    the row's token does or at a boundary inside it; only tokens within the scanned prefix are read."""
    found = []
    start = 0
    for i in range(1, limit):
        if row[i - 1].isspace():
            start = i
        if not (row[i - 1].isdigit() and row[i].isdigit()) or i - start > MAX_NAME_LEN:
            continue
        for s in range(start, i - 2):
            if (
                (s == start or glue[s] is not None)
                and i - s in phrases.lengths.get(lower[s : s + 3], ())
                and lower[s:i] in phrases.phrases
                and _HAS_LETTER.search(lower, s, i)
            ):
                found.append(i)
                break
    return found


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
    label ("Linaclotide Acetate" after "72 ug linaclotide acetate"), but not the label itself again. In the registry an
    arm with a single cell after its label and none of this shape nearly always has a description there and no
    intervention."""
    if len(row) - at > MAX_NAME_LEN:
        return False
    label, tail = row[:at], row[at:]
    if tail.endswith(".") or _has_clause(tail) or tail.lower() == label.lower():
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
    first, top = lower[i : i + 1], min(MAX_NAME_LEN, len(lower) - i)
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
    """The names that may start at offset ``i`` of a glued row: (length, support), each ending at a boundary. No name
    starts with punctuation that continues a cell (", continuous infusion ..."), as no description does."""
    if glue[i] is None or row[i] in _CONTINUES:
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
            while (m := _NEXT_WORD.match(row, end)) and m.group(1).lower() in words and end - i < MAX_NAME_LEN:
                end = m.end()
                options.setdefault(end - i, _ATTESTED - 0.5)
            # Or an aside in brackets: "cognitive behavioral therapy (CBT)".
            aside = _ASIDE.match(row, end)
            if aside and aside.end() - i <= MAX_NAME_LEN and not _prose(row[i : aside.end()]):
                options.setdefault(aside.end() - i, _ATTESTED - 0.5)
            # Or words the page does not write, up to a seam: "doxorubicin hydrochloride|topotecan" where the page
            # writes "doxorubicin" alone. The name ends at the first seam, and reads as no prose.
            for _ in range(_MAX_NAME_WORDS):
                m = _NEXT_WORD.match(row, end)
                if m is None or m.end() - i > MAX_NAME_LEN:
                    break
                seam = next((k for k in range(m.start(1) + 1, m.end() + 1) if _seam(k, glue, signals)), None)
                if seam is not None:
                    if not _prose(row[i:seam]):
                        options.setdefault(seam - i, _ATTESTED - 1.0)
                    break
                end = m.end()
        for n in _repeats(lower, i):
            options[n] = options.get(n, 0.0) + _REPEATED
        for n in signals.shared.get(i, ()):
            options[n] = max(options.get(n, 0.0), _SHARED)
        if _seam(i, glue, signals):
            # A run between two seams (capitals glued on, words glued together, or where the row parts from
            # another row): a name the page never writes out ("EtomidateRSI sedation ...").
            top = min(len(glue), i + MAX_NAME_LEN)
            nxt = next((j for j in range(i + 3, top) if _seam(j, glue, signals)), None)
            ends = [] if nxt is None else [nxt]
            # A word seam may cut a word the page does not write ("control part|icipantsThe"): the run may also end at
            # a plain boundary later in the same token.
            plain = next((j for j in range(i + 3, top) if glue[j] == 2), None) if nxt is not None else None
            if nxt is not None and plain is not None and plain > nxt and " " not in row[nxt:plain]:
                ends.append(plain)
            # A run that holds a clause ("NK520: 9×10^7") or reads as prose is a description's text, not a name.
            for end in ends:
                if not _has_clause(row[i:end]) and not _prose(row[i:end]):
                    options.setdefault(end - i, _UNATTESTED)
        # A run up to the next description opening glued on ("BMS-214662|laboratory biomarker analysis|Patients
        # receive"): a name the page never writes out, though no seam starts it.
        nxt_open = next((k for k in signals.openings if k > i + 2), None)
        if nxt_open is not None and nxt_open - i <= MAX_NAME_LEN and row[i].isalnum():
            run = row[i:nxt_open]
            if not _has_clause(run) and not _prose(run) and not _seam_inside(i, nxt_open, glue, signals):
                options.setdefault(nxt_open - i, _UNATTESTED)
    # A name closes the brackets it opens, and does not end in punctuation that leaves it open ("60 mg/|kg").
    return [
        (n, s)
        for n, s in options.items()
        if (i + n == len(row) or (i + n < len(glue) and glue[i + n] is not None))
        and _balanced(row[i : i + n])
        and row[i + n - 1] not in _OPEN_END
    ]


def _glued_seams_before(row: str, limit: int, signals: _RowSignals) -> list[int]:
    """For each offset up to ``limit``, how many seams before it fall between a letter and a lower-case letter
    glued together ("therapy|microsatellite"): word seams or where the row parts from another row, but not the end of
    a label of the usual shape ("Arm I|bevacizumab"), nor a seam inside an ordinary word of registry prose that the
    page's own words happen to split ("Part|icipants")."""
    counts, total = [0], 0
    common = lexicon.common_words()
    for k in range(1, limit + 1):
        counts.append(total)
        if k < len(row) and k in signals.seams and k not in signals.label_ends:
            total += row[k - 1].isalpha() and row[k].islower() and _word_around(row, k) not in common
    return counts


def _spanned_inside(spanned: Sequence[int], start: int, end: int, limit: int) -> int:
    """How many glued seams (see :func:`_glued_seams_before`) fall strictly inside ``row[start:end]``, within the
    scanned prefix."""
    return spanned[min(end, limit)] - spanned[min(start + 1, limit)]


def _openings(row: str) -> tuple[int, ...]:
    """Offsets within the scanned prefix where a description opening (see ``_OPENING``) is glued straight onto a
    lower-case letter, digit or bracket ("analysis|Patients receive"), in order."""
    found = []
    for m in _OPENING.finditer(row, 1, min(len(row), MAX_ROW_SCAN + MAX_NAME_LEN)):
        before = row[m.start() - 1]
        if before.islower() or before.isdigit() or before in ")]":
            found.append(m.start())
    return tuple(found)


def _relabels(lower: str, label_end: int, at: int) -> float:
    """What a description starting at offset ``at`` earns for starting with its label again and going on ("Sodium
    Bicarbonate Group (SOB)|...|Sodium Bicarbonate Group (SOB) Intravenous infusion ..."): in the registry a text of
    that shape after an arm's names is its description twice as often as a name. Labels shorter than
    ``_MIN_RELABEL`` are not counted: a short label is often a name too ("Placebo")."""
    size = label_end
    if size < _MIN_RELABEL or len(lower) - at <= size:
        return 0.0
    return _RELABEL if lower.startswith(lower[:size], at) else 0.0


def _opener(at: int, signals: _RowSignals) -> float:
    """What a description starting at offset ``at`` earns for starting with a glued description opening."""
    return _OPENER if at in signals.openings else 0.0


def _seam_inside(start: int, end: int, glue: Sequence[int | None], signals: _RowSignals) -> bool:
    """Whether a seam (see :func:`_seam`) falls strictly inside ``row[start:end]``: the run is then two cells or
    more, which the seams' own readings cover."""
    return any(_seam(k, glue, signals) for k in range(start + 1, end))


def _seam(k: int, glue: Sequence[int | None], signals: _RowSignals) -> bool:
    """Whether offset ``k`` of a glued row is a seam: a plain boundary (see :func:`_glue`) or one the page's words
    or the table's other rows mark."""
    return k in signals.seams or (k < len(glue) and glue[k] == 2)


def _open_brackets(row: str, limit: int) -> list[int]:
    """For each offset up to ``limit``, how many round or square brackets the text before it leaves open."""
    depth, found = 0, [0]
    for ch in row[:limit]:
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(ch, 0)
        found.append(depth)
    return found


def _description_start(row: str, i: int) -> bool:
    """Whether a description may start at offset ``i``: not with punctuation that continues a cell (no arm's
    description in the registry starts with one: "Wilms|' tumor", "CD34|+ cells"), nor with a lone lower-case letter
    that ends a word ("Patient|s receive")."""
    return row[i] not in _CONTINUES and not (row[i].islower() and row[i + 1 : i + 2] in {"", " "})


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
    openings: tuple[int, ...] = ()


# A label of the usual shape, a word and an ordinal ("Arm I", "Group 2", "Cohort B"), glued to what follows it.
_LABEL_SHAPE = re.compile(
    r"(?i:arm|group|cohort|stratum|part|regimen|level|dose level|step|phase|treatment|schedule|sequence|panel|"
    r"course|block|population)s?(?: ?(\d{1,3})| ([IVX]{1,5})| ([A-Z]))(?![IVX\d])(?=[^\s.,:;()\[\]/+&-])"
)
_LOWER_RUN = re.compile(r"[a-z]+")
_HAS_LETTER = re.compile(r"[a-z]")
# A row's first word, when it is one of letters (lower-cased row).
_FIRST_WORD = re.compile(r"[a-z]{3,}(?![a-z])")


# A glued run of letters: lower case, after at most three capitals ("Ibleomycin", "Treatmentsunitinib").
_LETTER_RUN = re.compile(r"[A-Z]{0,3}[a-z]{4,}")
_MIN_RUN = 7
# The shortest word of registry prose (not of the page) that a glued run is split into.
_MIN_PROSE_PIECE = 6
# What each piece of a glued run's covering costs in letters of known words: a known word of more letters parts from
# an unknown stretch glued to it, a shorter one stays inside it (see _covering_key).
_PIECE_LETTERS = 8
# No word of a page is longer than this; a glued run is split into pieces no longer.
_MAX_PIECE = 40


def _label_shape_ends(row: str, words: frozenset[str]) -> set[int]:
    """Where a label of the usual shape, a word and an ordinal ("Arm I", "Group 2", "Cohort B"), ends in a row
    that glues something straight onto it ("Arm Ibleomycin", "Group 13D-CRT"), at the row's start or, glued to lower
    case, at the end of a longer label ("Induction Arm Icytarabine").

    A letter glued to lower case is no ordinal when the two start a word ("Treatment Armbevacizumab"); a Roman
    numeral glued to lower case may end before its last letter ("Arm IVitamin E": "Arm I" or "Arm IV").
    """
    shape = _LABEL_SHAPE.match(row)
    if shape is None:
        # The shape may also end a longer label ("Post-consolidation therapy arm I|mercaptopurine"), after a space
        # within a name's length of the row's start, when its ordinal is glued to lower case.
        shape = next(
            (
                m
                for m in _LABEL_SHAPE.finditer(row, 1, min(len(row), MAX_NAME_LEN))
                if row[m.start() - 1] == " " and (m.group(2) or m.group(3)) and row[m.end() : m.end() + 1].islower()
            ),
            None,
        )
    if shape is None:
        return set()
    end = shape.end()
    ordinal = shape.group(2) or shape.group(3)
    if ordinal and row[end : end + 1].islower() and _starts_word(row, end - 1, words):
        # The ordinal's last letter starts a word: "Treatment A|rm..." is no label, "Arm I|Vitamin E" may be.
        return {end - 1} if shape.group(2) and len(ordinal) > 1 else set()
    return {end}


# The words for an arm that end a label ("Treatment Arm", "Geodon arm", "Control Group"), as a word of their own with
# lower case glued after them, and a number that starts the row glued to a lower-case word ("1|multidisciplinary").
_ARM_NOUN = re.compile(r"(?<![A-Za-z])(?:[Aa]rm|ARM|[Gg]roup|GROUP|[Cc]ohort|COHORT)(?=[a-z]{3})")
_LEADING_NUMBER = re.compile(r"\d{1,3}(?=[a-z]{4})")


def _arm_noun_ends(row: str, words: frozenset[str]) -> set[int]:
    """Where a label that ends in a word for an arm ("Treatment Arm", "Geodon arm", "Control Group") or that is a
    number ("1", "12") ends, glued to lower case that does not continue the word ("Armbevacizumab", not "Armstrong"
    or "Groups"; "1multidisciplinary", not "5mg"). Only a name's length of the row is searched."""
    found = set()
    common = lexicon.common_words()
    for m in _ARM_NOUN.finditer(row, 0, min(len(row), MAX_NAME_LEN)):
        run = _LOWER_RUN.match(row, m.end(), m.end() + MAX_NAME_LEN)
        glued = (m.group(0) + (run.group(0) if run else "")).lower()
        if not any(glued[:n] in words or glued[:n] in common for n in range(len(m.group(0)) + 1, len(glued) + 1)):
            found.add(m.end())
    number = _LEADING_NUMBER.match(row)
    if number and not _UNIT.match(row, number.end()):
        found.add(number.end())
    return found


def _starts_word(row: str, at: int, words: frozenset[str]) -> bool:
    """Whether the letter at ``at`` and the lower-case letters after it start a word of the page or of registry
    prose ("Treatment A|rm...": "arm"), so that the letter is no ordinal of its own."""
    run = _LOWER_RUN.match(row, at + 1)
    glued = (row[at] + (run.group(0) if run else "")).lower()[:MAX_NAME_LEN]
    common = lexicon.common_words()
    return any(glued[:n] in words or glued[:n] in common for n in range(3, len(glued) + 1))


def _ordinal_ends(rows: Sequence[str], words: frozenset[str]) -> list[int]:
    """Where each row's label ends when the rows' labels are one text and ordinals in order, glued to what
    follows them ("1Dextroamphetamine...", "2Placebo..."; "Group 13D-CRT...", "Group 23D-CRT..."; "AHIV-infected
    ...", "BUninfected ..."; "Amefloquine", "Bplacebo" when no word of the page starts "ame..." or "bpl..."); 0 for
    every row otherwise. A single row, or rows that do not count up from their first, carry no such sign."""
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
            # A letter glued to lower case is an ordinal when three lower-case letters or more follow that the letter
            # does not start a word with ("A|mefloquine", "B|dnaJ peptide", not "O|spA" or "A|spirin").
            glued = _LOWER_RUN.match(row, end)
            word = glued is not None and glued.end() - end >= 3 and not _starts_word(row, end - 1, words)
            glued_word = ordinal.isalpha() and after.islower() and not word
            if not row.startswith(prefix + ordinal) or not after.isalnum() or glued_word:
                break
            ends.append(end)
        else:
            return ends
    return none


def _word_seams(
    row: str,
    words: frozenset[str],
    vocabulary: frozenset[str],
    limit: int,
    label_ends: Iterable[int] = (),
    prose: frozenset[str] = frozenset(),
) -> set[int]:
    """Offsets inside glued runs of letters that split the run into words the page uses ("sodium|cytarabine").

    A run that is itself a word of the page's free text is not split. A run is covered by words of at least
    ``_MIN_PIECE`` letters that the page or the table writes apart, and by longer stretches that it never writes
    (names stated nowhere else), no two in a row and no more than the known words but one; a label's letter or
    numeral in capitals may stand before the first word ("Arm I|bleomycin"), and a run that holds one of
    ``label_ends`` is read from there ("Arm I|paclitaxel|carboplatin"). Of several coverings the one with the fewest
    unknown stretches wins, then the one whose known words hold the most letters less ``_PIECE_LETTERS`` a piece: a
    long known word parts from an unknown stretch glued to it ("sulfate|dacarbazine"), a short one does not
    ("trihydrate", not "trihyd|rate"), then the one with the fewest pieces. A run that the page's words do not cover
    may be covered whole, with no unknown stretch, by them and the ``prose`` words: the ordinary words of registry
    prose ("assessment|laboratory" where the page writes neither), or else by them and stretches of at least
    ``_MIN_RUN`` letters that no word covers ("citrate|adjuvant" where the page writes neither and "citrate" is no
    word of registry prose).
    """
    seams: set[int] = set()
    for m in _LETTER_RUN.finditer(row, 0, limit):
        text, origin = m.group(0), m.start()
        lone = _lone_capital(row, origin, text, vocabulary)
        label_end = next((e for e in label_ends if origin < e < m.end()), None)
        if label_end is not None:
            # A label's ordinal glued to the run ("Arm I|paclitaxelcarboplatin"): the run's words start after it.
            text, origin, lone = row[label_end : m.end()], label_end, False
        elif lone:
            # A capital that stands alone glued to a capitalised word the page does not write split otherwise
            # ("Amphotericin B|Ambisome", not "BAmbi|some"): the word starts at the second capital.
            seams.add(origin + 1)
            text, origin = text[1:], origin + 1
        run = text.lower()
        if len(run) < _MIN_RUN or run in words:
            continue
        lead = len(text) - len(text.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        # Capitals glued before a lower-case word are a piece of their own ("PBSC|doxorubicin"), but not the one
        # capital that starts a word ("H|ydrochloride").
        alone = not lone and (lead >= 2 or row[origin - 1 : origin].isalpha())
        capitals = lead if 1 <= lead <= 3 and alone and text[lead : lead + 1].islower() else 0
        cuts = _covering(run, vocabulary, capitals, unknown=True)
        if cuts is None and prose and run not in prose:
            # A run the page's words do not split may split into long words of registry prose that cover it whole
            # ("assessment|laboratory"), unless it is one itself ("transplantation").
            cuts = _covering(run, vocabulary | prose, capitals, unknown=False)
        if cuts is None and prose and run not in prose:
            # Or into such words and unknown stretches, long ones only: a short stretch glued to a prose word is more
            # often a word the page misspells or does not write ("Immumo|suppression") than a cell of its own.
            cuts = _covering(run, vocabulary | prose, capitals, unknown=True, min_unknown=_MIN_RUN)
        seams.update(origin + cut for cut in cuts or ())
    return seams


def _covering(
    run: str, vocabulary: frozenset[str], capitals: int, *, unknown: bool, min_unknown: int = _MIN_PIECE + 1
) -> list[int] | None:
    """Where the best covering of a glued run (lower-cased) by words of ``vocabulary`` cuts it (see
    :func:`_word_seams`), or None when there is none. ``capitals``: how many capitals start the run as a piece of
    their own; ``unknown``: whether stretches that no word covers may be pieces."""
    size = len(run)
    # best[k]: (unknown stretches, pieces, minus the letters of known words, cut before the last piece, whether
    # the last piece is unknown) of the best covering of run[:k].
    best: list[tuple[int, int, int, int, bool] | None] = [None] * (size + 1)
    best[0] = (0, 0, 0, 0, False)
    if capitals:
        best[capitals] = (0, 1, 0, 0, False)
    for end in range(_MIN_PIECE, size + 1):
        for start in range(max(0, end - _MAX_PIECE), end - _MIN_PIECE + 1):
            done = best[start]
            if done is None or end - start == size:
                continue
            known = run[start:end] in vocabulary
            if not known and (not unknown or done[4] or end - start < min_unknown):
                continue
            option = (done[0] + (not known), done[1] + 1, done[2] - known * (end - start), start, not known)
            current = best[end]
            if current is None or _covering_key(option) < _covering_key(current):
                best[end] = option
    found = best[size]
    # A covering needs a known word, and no more unknown stretches than known words but one: a capital and an
    # unknown stretch ("M|ethotrexate") is one word the page does not write.
    if found is None or found[2] == 0 or found[1] <= 2 * found[0] - 1:
        return None
    cuts = []
    k = size
    while k > 0:
        cut = best[k][3]  # type: ignore[index]
        if cut > 0:
            cuts.append(cut)
        k = cut
    return cuts


@cache
def _long_prose_words() -> frozenset[str]:
    """Words of registry prose at least ``_MIN_PROSE_PIECE`` letters long: a glued run may split into them."""
    return frozenset(w for w in lexicon.common_words() if len(w) >= _MIN_PROSE_PIECE)


def _covering_key(covering: tuple[int, int, int, int, bool]) -> tuple[int, int, int]:
    """How a covering of a glued run ranks, lower first (see :func:`_word_seams`): a short word of the page is often
    the tail of a longer word it does not write ("hydro|chloride"), a long one seldom is."""
    unknown, pieces, minus_known = covering[:3]
    return (unknown, _PIECE_LETTERS * pieces + minus_known, pieces)


def _lone_capital(row: str, start: int, text: str, vocabulary: frozenset[str]) -> bool:
    """Whether a glued run of letters starts with a capital standing alone (after a space, or at the row's start)
    glued to a capitalised word ("Amphotericin B|Ambisome", "Arm A|Bleomycin"), rather than with two capitals glued
    to a lower-case word the page writes ("Arm II|trastuzumab...", "5-FU|fluorouracil")."""
    if len(text) < 3 or not (text[0].isupper() and text[1].isupper() and text[2].islower()):
        return False
    if start > 0 and not row[start - 1].isspace():
        return False
    lower = text[2 : 2 + _MAX_PIECE]
    return not any(lower[:k] in vocabulary for k in range(_MIN_PIECE, len(lower) + 1))


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
    ("No. DC: 10^"), at most twice ``_MAX_NAME_WORDS`` words, no verb of a description's prose ("Patients undergo
    filgrastim (G-CSF)") and no sentence of more than ``_MAX_NAME_WORDS`` words ("The regimen varies according to
    the underlying cause of the anemia."). Rows also share the start of their descriptions."""
    return _balanced(text) and len(text.split()) <= 2 * _MAX_NAME_WORDS and not _has_clause(text) and not _prose(text)


def _prose(text: str) -> bool:
    """Whether text reads as a description's prose rather than a name: it holds a verb of that prose ("Patients
    undergo filgrastim"), or it is a sentence of more than ``_MAX_NAME_WORDS`` words ("The regimen varies according
    to the underlying cause of the anemia.")."""
    return bool(_PROSE_VERB.search(text)) or (text.endswith(".") and len(text.split()) > _MAX_NAME_WORDS)


def _row_signals(rows: Sequence[str], words: frozenset[str], cased: frozenset[str]) -> list[_RowSignals]:
    """The seams and shared runs of each row of a glued table, and the offsets inside words of the page's free text
    (``words`` lower-cased, ``cased`` as written; see :class:`_RowSignals`).

    Glued runs are split into the words of the page's free text and of the table's own descriptions.
    """
    vocabulary = words | page_words(rows)
    enumerated = _ordinal_ends(rows, words)
    label_ends = [
        _label_shape_ends(row, words) | _arm_noun_ends(row, words) | {end} - {0}
        for row, end in zip(rows, enumerated, strict=True)
    ]
    split = [
        _word_seams(row, words, vocabulary, min(len(row), MAX_ROW_SCAN), ends, _long_prose_words()) | ends
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
                        if 3 <= y - x <= MAX_NAME_LEN and _name_like(row[x:y]):
                            runs.setdefault(x, set()).add(y - x)
        signals.append(
            _RowSignals(
                frozenset(seams),
                {k: tuple(sorted(v)) for k, v in runs.items()},
                True,
                frozenset(ends),
                _inside_words(row, cased) - ends,
                _openings(row),
            )
        )
    return signals


def read_arm_table(
    rows: Sequence[str],
    listed: Sequence[tuple[str, str | None]],
    page_lines: Iterable[str],
    words: frozenset[str],
    cased: frozenset[str],
    *,
    observational: bool,
) -> tuple[list[tuple[str, str | None, str | None]], list[tuple[str | None, str, str | None, str | None]]]:
    """Arms and their interventions from the flattened "Group / Intervention / Description" table.

    Rows are read twice: names read off one row on the first pass are known names on the second, so that a
    name glued to its neighbours in one row is still found where the page states it only once.

    ``rows`` are the table's paragraphs (heading and footer dropped), ``listed`` the page's intervention list as
    (name, type), ``page_lines`` the page's text (its phrases name interventions), ``words`` and ``cased`` the
    words of the page's free text lower-cased and as written, ``observational`` whether the study is an
    observational one. Returns the arms as (label, type, description) and the interventions as (arm label, name,
    type, description): those read in the rows, then the listed ones no row names.
    """
    phrases = _phrase_index(page_lines)
    types = dict(listed)
    known = {name: _LISTED for name in types}
    # An observational study seldom assigns interventions: an unlisted name there needs more support.
    name_cost = _OBSERVATIONAL_NAME_COST if observational and not listed else _NAME_COST
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
    arms: list[tuple[str, str | None, str | None]] = []
    interventions: list[tuple[str | None, str, str | None, str | None]] = []
    for label, names, description in cuts:
        label = label.strip()
        arms.append((label, None, description.strip() or None))
        for name in names:
            interventions.append((label, name, types.get(name), None))
    armed = {name for _, name, _, _ in interventions}
    for name, kind in listed:
        if name not in armed:
            interventions.append((None, name, kind, None))
    return arms, interventions
