"""Splitting eligibility text into criteria: one case per layout registries produce, plus invariants.

Snippets are real ClinicalTrials.gov text (public domain), trimmed. Registry-page seeds and the corpus live
beside the checkout under ``../shared`` and are read in place; those tests skip when it is absent.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import seed_criteria_section
from trial_pipeline.parsers.criteria import _CATEGORY_RULES, categorize, split_criteria

LEGACY_XML = (
    "\n        Inclusion Criteria:\r\n\r\n"
    "          -  All adult (>18 years old) patients\r\n\r\n"
    "          -  Kt/V > 1.2 for last month and no history of shortened dialysis due to hemodialysis\r\n"
    "             access issues or frequent alarming during dialysis due to poor access will be eligible\r\n"
    "             for the study.\r\n\r\n"
    "        Exclusion Criteria:\r\n\r\n"
    "          -  Acute medical illness in last month\r\n\r\n"
    "          -  Labile glycemic control with hypoglycaemic episodes > 1x/week.\r\n      "
)
LEGACY_NUMBERED = (
    "\n        Inclusion Criteria:\n\n"
    "          1. Histologically demonstrated, metastatic or unresectable sarcomatoid carcinoma of the\n"
    "             kidney.\n\n"
    "          2. Zubrod performance status 2 or better\n\n"
    "        Exclusion Criteria:\n\n"
    "          1. Prior treatment with bevacizumab.\n"
)
PDQ = (
    "\n        DISEASE CHARACTERISTICS:\n\n"
    "          -  Histologically proven stage II, III, or IV low grade non-Hodgkin's lymphoma that is\n"
    "             unlikely to respond to existing therapy\n\n"
    "        PATIENT CHARACTERISTICS:\n\n"
    "        Age:\n\n"
    "          -  18 and over\n\n"
    "        Performance status:\n\n"
    "          -  Karnofsky 60-100%\n"
)
V2_MARKDOWN = (
    "Inclusion Criteria:\n\n"
    "* At least 18 years old at the start of Screening Visit\n"
    "* Active disease at Screening as defined by\n\n"
    "  * Bath Ankylosing Spondylitis Disease Activity Index (BASDAI) score \\>= 4\n"
    "  * Spinal pain \\>= 4 on a 0 to 10 Numerical Rating Scale (NRS)\n"
    "* Inadequate response to at least 2 NSAIDs\n\n"
    "Exclusion Criteria:\n\n"
    "* Diagnosis of AS or any other Inflammatory Arthritis"
)
AACT_TILDE = (
    "Inclusion Criteria:~Participant was enrolled in the LAAOS III trial~Participant has provided written"
    " informed consent~Exclusion Criteria:~Participant did not undergo the index LAAOS III cardiac surgery"
    "~Participant underwent heart transplant"
)
AACT_SUBITEM = (
    "Inclusion Criteria:~Documentation of chronic norovirus infection:~a. Chronic norovirus infections will be"
    " defined as consecutive positive stool tests.~ECOG 0~2"
)
FLATTENED = (
    "Inclusion Criteria: 1. Age 18 to 75 years, male or female. 2. ECOG performance status 0-1. 3. Signed"
    " informed consent. Exclusion Criteria: 1. Pregnant or breastfeeding women. 2. Active hepatitis B infection."
)
LETTERED = (
    "Inclusion Criteria:\n\n"
    "1. Adequate organ function:\n"
    "a) ANC >= 1.5 x 10^9/L\n"
    "b) Platelets >= 100 x 10^9/L\n"
    "2. Signed informed consent\n"
)
COHORTS = (
    "Eligibility criteria:\n\n"
    "For adolescent participants:\n\n"
    "* Enrolled as a student in Grades 9-12\n"
    "* Experiencing difficulties for \\>1 month\n\n"
    "For parent participants:\n\n"
    "* A primary parental caregiver or guardian for the index adolescent\n\n"
    "Exclusion criteria:\n\n"
    "For adolescent participants:\n\n"
    "* Requiring urgent medical attention\n"
)
KEY_CRITERIA = (
    "Key Inclusion Criteria:\n\n"
    "1. Male or female adults ages 18 to 64 years with Chronic AD\n"
    "2. EASI score ≥16 at the screening visit and the baseline visit\n\n"
    "Key Exclusion Criteria:\n\n"
    "1. Prior treatment with dupilumab\n"
)
NO_HEADER = "- Healthy adults under age 60\n- Able to swallow tablets\n- Signed informed consent"
INLINE_BULLETS = (
    "  7. Adequate organ and bone marrow function: • Absolute Neutrophil Count (ANC) >/= 1,500 •\n"
    "     Platelets >/=100,000 • Total bilirubin </= 1.5 mg/dl\n"
    "  8. Signed informed consent\n"
)
WRAPPED_HEADER = (
    "\n        Inclusion Criteria (The following are general criteria; more specific criteria are included\n"
    "        in the study protocol):\n\n"
    "          -  Approved and listed for cardiac transplantation.\n"
)

# Each case: text, expected (text prefix, kind, parent_seq) per row in order.
CASES = [
    # legacy XML: indented "-" bullets; a hard-wrapped bullet is one criterion
    (
        LEGACY_XML,
        [
            ("All adult (>18 years old) patients", "INCLUSION", None),
            ("Kt/V > 1.2 for last month and no history of shortened dialysis due to hemodialysis access issues"
             " or frequent alarming during dialysis due to poor access will be eligible for the study.",
             "INCLUSION", None),
            ("Acute medical illness in last month", "EXCLUSION", None),
            ("Labile glycemic control with hypoglycaemic episodes > 1x/week.", "EXCLUSION", None),
        ],
    ),
    # legacy XML: numbered items with wrapped continuation lines
    (
        LEGACY_NUMBERED,
        [
            ("Histologically demonstrated, metastatic or unresectable sarcomatoid carcinoma of the kidney.",
             "INCLUSION", None),
            ("Zubrod performance status 2 or better", "INCLUSION", None),
            ("Prior treatment with bevacizumab.", "EXCLUSION", None),
        ],
    ),
    # PDQ layout: "DISEASE CHARACTERISTICS:" and "Age:" are sub-headers, not rows and not kinds
    (
        PDQ,
        [
            ("Histologically proven stage II, III, or IV low grade non-Hodgkin's lymphoma that is unlikely to"
             " respond to existing therapy", None, None),
            ("18 and over", None, None),
            ("Karnofsky 60-100%", None, None),
        ],
    ),
    # API v2 markdown: "* " bullets, indented sub-bullets, escaped ">=" unescaped in the text
    (
        V2_MARKDOWN,
        [
            ("At least 18 years old at the start of Screening Visit", "INCLUSION", None),
            ("Active disease at Screening as defined by", "INCLUSION", None),
            ("Bath Ankylosing Spondylitis Disease Activity Index (BASDAI) score >= 4", "INCLUSION", 2),
            ("Spinal pain >= 4 on a 0 to 10 Numerical Rating Scale (NRS)", "INCLUSION", 2),
            ("Inadequate response to at least 2 NSAIDs", "INCLUSION", None),
            ("Diagnosis of AS or any other Inflammatory Arthritis", "EXCLUSION", None),
        ],
    ),
    # AACT: "~" separates lines; every segment is one criterion
    (
        AACT_TILDE,
        [
            ("Participant was enrolled in the LAAOS III trial", "INCLUSION", None),
            ("Participant has provided written informed consent", "INCLUSION", None),
            ("Participant did not undergo the index LAAOS III cardiac surgery", "EXCLUSION", None),
            ("Participant underwent heart transplant", "EXCLUSION", None),
        ],
    ),
    # AACT: a lettered segment nests under the segment before it; "0~2" is a range, not a separator
    (
        AACT_SUBITEM,
        [
            ("Documentation of chronic norovirus infection:", "INCLUSION", None),
            ("Chronic norovirus infections will be defined as consecutive positive stool tests.", "INCLUSION", 1),
            ("ECOG 0~2", "INCLUSION", None),
        ],
    ),
    # flattened web text: headers and 1., 2., 3. all on one line
    (
        FLATTENED,
        [
            ("Age 18 to 75 years, male or female.", "INCLUSION", None),
            ("ECOG performance status 0-1.", "INCLUSION", None),
            ("Signed informed consent.", "INCLUSION", None),
            ("Pregnant or breastfeeding women.", "EXCLUSION", None),
            ("Active hepatitis B infection.", "EXCLUSION", None),
        ],
    ),
    # numbered list with lettered sub-items at the same indentation
    (
        LETTERED,
        [
            ("Adequate organ function:", "INCLUSION", None),
            ("ANC >= 1.5 x 10^9/L", "INCLUSION", 1),
            ("Platelets >= 100 x 10^9/L", "INCLUSION", 1),
            ("Signed informed consent", "INCLUSION", None),
        ],
    ),
    # cohort sub-headers ("For parent participants:") are not rows; items before "Exclusion" are inclusion
    (
        COHORTS,
        [
            ("Enrolled as a student in Grades 9-12", "INCLUSION", None),
            ("Experiencing difficulties for >1 month", "INCLUSION", None),
            ("A primary parental caregiver or guardian for the index adolescent", "INCLUSION", None),
            ("Requiring urgent medical attention", "EXCLUSION", None),
        ],
    ),
    # "Key Inclusion Criteria:" is a kind header
    (
        KEY_CRITERIA,
        [
            ("Male or female adults ages 18 to 64 years with Chronic AD", "INCLUSION", None),
            ("EASI score ≥16 at the screening visit and the baseline visit", "INCLUSION", None),
            ("Prior treatment with dupilumab", "EXCLUSION", None),
        ],
    ),
    # no header at all: kind is unknown
    (
        NO_HEADER,
        [
            ("Healthy adults under age 60", None, None),
            ("Able to swallow tablets", None, None),
            ("Signed informed consent", None, None),
        ],
    ),
    # "•" bullets flattened into a wrapped numbered item become its sub-items, across the wrap
    (
        INLINE_BULLETS,
        [
            ("Adequate organ and bone marrow function:", None, None),
            ("Absolute Neutrophil Count (ANC) >/= 1,500", None, 1),
            ("Platelets >/=100,000", None, 1),
            ("Total bilirubin </= 1.5 mg/dl", None, 1),
            ("Signed informed consent", None, None),
        ],
    ),
    # a kind header whose parenthetical wraps onto the next line is still only a header
    (WRAPPED_HEADER, [("Approved and listed for cardiac transplantation.", "INCLUSION", None)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split_layouts(text: str, expected: list[tuple[str, str | None, int | None]]) -> None:
    rows = split_criteria(text, document_id="doc", trial_id="NCT0")
    assert [(r.text, r.criterion_kind, r.parent_seq) for r in rows] == expected
    assert [r.criterion_seq for r in rows] == list(range(1, len(expected) + 1))
    for r in rows:
        assert r.char_start is not None and r.char_end is not None
        # The source span, whitespace-collapsed and unescaped, is the record's text.
        assert " ".join(text[r.char_start : r.char_end].replace("\\", "").split()) == r.text.replace("\\", "")


@pytest.mark.parametrize(
    "text",
    [
        "",  # empty input
        "   \n\n  ",  # whitespace only
        "Inclusion Criteria:\n\nExclusion Criteria:\n",  # headers only
    ],
)
def test_split_nothing(text: str) -> None:
    assert split_criteria(text, document_id="d", trial_id="t") == ()


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Participants must be between 18 and 75 years;", "age"),  # age range
        ("ECOG performance status of 0-1", "performance_status"),  # performance status
        ("Absolute neutrophil count >= 1.5 x 10^9/L", "organ_function"),  # lab value
        ("Known HIV infection", "infection"),  # infection
        ("Pregnant or breastfeeding women", "pregnancy"),  # pregnancy
        ("Signed informed consent", "consent"),  # consent
        ("Concomitant use of strong CYP3A4 inhibitors", "concomitant_medication"),  # concomitant medication
        ("Prior treatment with bevacizumab", "prior_therapy"),  # prior therapy
        ("Histologically confirmed AML after >= 2 lines of therapy", "diagnosis"),  # first topic wins
        ("History of myocardial infarction", "comorbidity"),  # comorbidity
        ("Able to swallow tablets", "other"),  # nothing matched
        ("KARNOFSKY ≥ 70 %", "performance_status"),  # not ASCII: read ignoring case, not lower-cased
        ("HISTOLOGICALLY CONFIRMED AML", "diagnosis"),  # upper case ASCII: lower-cased first
    ],
)
def test_categorize(text: str, category: str) -> None:
    assert categorize(text) == category


def _top_level_alternatives(pattern: str) -> list[str]:
    """``pattern`` split at each ``|`` outside groups and character sets (a group that opens it: inside it)."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 1
        elif char == "[":
            i = pattern.index("]", i + 2)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*parts, pattern[start:]]


def _first_words(alternative: str) -> list[str]:
    """The alternatives a ``\\b(?:...)`` alternative opens with, else the alternative itself."""
    if not alternative.startswith("\\b(?:"):
        return [alternative]
    depth = 0
    for i, char in enumerate(alternative[2:], start=2):
        depth += {"(": 1, ")": -1}.get(char, 0) if alternative[i - 1] != "\\" else 0
        if depth == 0:
            return _top_level_alternatives(alternative[5:i])
    raise AssertionError(alternative)


@pytest.mark.parametrize(("name", "pattern"), _CATEGORY_RULES)
def test_category_rules_fit_the_ascii_reading(name: str, pattern: str) -> None:
    # ASCII text is lower-cased and matched case-sensitively: a capital in a rule would never match there.
    assert not re.search(r"(?<!\\)[A-Z]", pattern), name
    # And only where a match can start is the rule tried: at the start, a word, a digit or p, b, l, n, c.
    for alternative in _top_level_alternatives(pattern):
        if alternative.startswith("\\b"):
            for word in _first_words(alternative):
                assert re.match(r"(?:\\b)?[a-z]", word), (name, word)
        else:
            assert re.match(r"\^|\\d|[pblnc]", alternative), (name, alternative)


@pytest.mark.parametrize(
    "text",
    [
        "- " + "a" * 50_000,  # one enormous bullet
        "1. " + "1. " * 20_000,  # endless markers
        "Inclusion Criteria: " + "~" * 50_000,  # endless AACT separators
        ("Inclusion criteria " * 3000) + ":",  # repeated header phrase
        " • " * 20_000,  # endless inline bullets
        "x" * 25_000 + "\n" + " " * 25_000 + "y",  # deep indentation
    ],
)
def test_pathological_input_finishes(text: str) -> None:
    rows = split_criteria(text, document_id="d", trial_id="t")
    for r in rows:
        assert r.char_start is not None and r.char_end is not None
        assert 0 <= r.char_start <= r.char_end <= len(text)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1.-*•~:\n \tIE)(")), max_size=300))
def test_offsets_always_index_text(text: str) -> None:
    rows = split_criteria(text, document_id="d", trial_id="t")
    seqs = [r.criterion_seq for r in rows]
    assert seqs == sorted(seqs)
    for r in rows:
        assert r.char_start is not None and r.char_end is not None
        assert 0 <= r.char_start < r.char_end <= len(text)
        assert r.parent_seq is None or r.parent_seq < r.criterion_seq


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("seed", "inclusion", "exclusion", "children"),
    [
        # MedPath page: numbered items, numbered sub-items under item 2, "•" sub-bullets under exclusion item 9
        ("001_98cc620108e3f339.txt", (5, 2), (10, 2), {2: ["Relapsed AML", "Refractory AML"],
                                                         16: ["HBsAg positive", "HCV antibody positive"]}),
        # registry page: flat numbered lists
        ("003_f1b628404261852c.txt", (7, 0), (11, 0), {}),
    ],
)  # fmt: skip
def test_registry_page_seeds(
    seed: str, inclusion: tuple[int, int], exclusion: tuple[int, int], children: dict[int, list[str]]
) -> None:
    text = seed_criteria_section(seed)
    rows = split_criteria(text, document_id="d", trial_id="t")
    for kind, (top, sub) in (("INCLUSION", inclusion), ("EXCLUSION", exclusion)):
        of_kind = [r for r in rows if r.criterion_kind == kind]
        assert sum(r.parent_seq is None for r in of_kind) == top
        assert sum(r.parent_seq is not None for r in of_kind) == sub
    for parent, prefixes in children.items():
        kids = [r.text for r in rows if r.parent_seq == parent]
        assert [k[: len(p)] for k, p in zip(kids, prefixes, strict=True)] == prefixes
    if seed.startswith("001"):
        # The unnumbered paragraph under "2. Diagnostic Criteria:" belongs to item 2.
        assert rows[1].text.startswith("Diagnostic Criteria: Meet the 2016 World Health Organization")
        assert rows[0].text == "Participants must be between 18 and 75 years;"
