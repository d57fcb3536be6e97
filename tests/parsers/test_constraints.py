"""Reading numeric and graded constraints out of criteria: one phrase per case, exact values asserted.

Phrases are real criteria text (ClinicalTrials.gov, public domain, and the two registry-page seeds). The
Leaf corpus (CC BY 4.0) is read in place from ``../shared`` by the ``corpus`` test, which skips without it.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import SHARED, seed_criteria_section
from trial_pipeline.models import CriterionRecord
from trial_pipeline.parsers import constraints
from trial_pipeline.parsers.constraints import extract_constraints
from trial_pipeline.parsers.criteria import split_criteria
from trial_pipeline.vocab.constraint_variables import BY_NAME, UNITS, VARIABLES

Row = tuple[str, str, float | None, float | None, str | None, bool]


def _read(text: str) -> list[Row]:
    criterion = CriterionRecord(document_id="d", trial_id="t", criterion_seq=1, text=text)
    return [
        (c.variable, c.operator, c.value_low, c.value_high, c.unit, c.is_negated)
        for c in extract_constraints([criterion])
    ]


CASES: list[tuple[str, list[Row]]] = [
    # age range, no "age" word, with a "be between" cue
    ("Participants must be between 18 and 75 years;", [("AGE", "RANGE", 18, 75, "years", False)]),
    # age with a symbol operator after "aged"
    ("aged ≥ 18 years.", [("AGE", ">=", 18, None, "years", False)]),
    # hyphenated age range after "aged"
    ("Patients aged 18-75", [("AGE", "RANGE", 18, 75, "years", False)]),
    # "N years or older"
    ("Male or female, 18 years or older", [("AGE", ">=", 18, None, "years", False)]),
    # "under the age of N"
    ("Patients who are under the age of 18 at the start of the study", [("AGE", "<", None, 18, "years", False)]),
    # two bounds joined by "and"
    ("Age ≥21 and ≤ 60 years", [("AGE", ">=", 21, None, "years", False), ("AGE", "<=", None, 60, "years", False)]),
    # a bound written left of an age already read
    ("<30 or >69 years old", [("AGE", "<", None, 30, "years", False), ("AGE", ">", 69, None, "years", False)]),
    # "older than ... and younger than ..." are two bounds, not "and younger" swallowed by the first
    ("The participant is older than 14 years and younger than 25 years old",
     [("AGE", ">", 14, None, "years", False), ("AGE", "<", None, 25, "years", False)]),
    # "Minimum age:" names the operator
    ("Minimum age: 18 years old", [("AGE", ">=", 18, None, "years", False)]),
    # "> or =" spelled out
    ("Age > or = 18 years old", [("AGE", ">=", 18, None, "years", False)]),
    # lowercase g/L is haemoglobin in grams, never giga-cells
    ("Anemia (Hb < 100 g/l);", [("HEMOGLOBIN", "<", None, 100, "g/L", False)]),
    # ECOG range spelled "0 to 2" after the full scale name
    ("Eastern Cooperative Oncology Group (ECOG) performance status score of 0 to 2;",
     [("ECOG", "RANGE", 0, 2, None, False)]),
    # ECOG "0 or 1" is the range 0..1
    ("ECOG performance status of 0 or 1", [("ECOG", "RANGE", 0, 1, None, False)]),
    # unnamed performance status on the 0-5 scale reads as ECOG
    ("Performance status 0-1", [("ECOG", "RANGE", 0, 1, None, False)]),
    # Karnofsky with a percent sign
    ("Karnofsky 60-100%", [("KARNOFSKY", "RANGE", 60, 100, "%", False)]),
    # life expectancy in weeks
    ("Expected survival of at least 12 weeks;", [("LIFE_EXPECTANCY", ">=", 12, None, "weeks", False)]),
    # scientific notation with an escaped caret (API v2 markdown)
    ("absolute neutrophil values greater than 1.0 x 10\\^9/L", [("ANC", ">", 1.0, None, "10^9/L", False)]),
    # thousands separator and per-mm3
    ("ANC ≥ 1,500/mm^3", [("ANC", ">=", 1500, None, "/mm3", False)]),
    # per-microlitre with "cells/"
    ("Platelets ≥ 100,000 cells/μL", [("PLATELETS", ">=", 100000, None, "/uL", False)]),
    # hemoglobin in g/dL
    ("Hemoglobin ≥ 9 g/dL", [("HEMOGLOBIN", ">=", 9, None, "g/dL", False)]),
    # "not exceeding" is an upper bound, not a negation
    ("serum total bilirubin levels not exceeding 35 umol/L", [("BILIRUBIN", "<=", None, 35, "umol/L", False)]),
    # creatinine, and creatinine clearance kept apart
    ("serum creatinine levels less than 177 umol/L; creatinine clearance ≥ 60 mL/min",
     [("CREATININE", "<", None, 177, "umol/L", False), ("CREATININE_CLEARANCE", ">=", 60, None, "mL/min", False)]),
    # word number times the upper limit of normal
    ("Serum transaminase levels less than three times the upper limit of normal",
     [("TRANSAMINASES", "<", None, 3, "ULN", False)]),
    # one bound shared by ALT and AST
    ("AST and ALT ≤ 2.5 x ULN", [("AST", "<=", None, 2.5, "ULN", False), ("ALT", "<=", None, 2.5, "ULN", False)]),
    # escaped ">=" from API v2 markdown
    ("LVEF \\>= 50%", [("LVEF", ">=", 50, None, "%", False)]),
    # QTc in msec
    ("QTcF > 470 msec", [("QTC", ">", 470, None, "ms", False)]),
    # BMI range
    ("BMI between 18.5 and 30 kg/m2", [("BMI", "RANGE", 18.5, 30, "kg/m2", False)]),
    # OCR'd "1 × 10^3" and an IU/mL alternative
    ("HBV-DNA ≥ l × 103 copies/mL or HBV-DNA \\> 200 IU/mL",
     [("HBV_DNA", ">=", 1000, None, "copies/mL", False), ("HBV_DNA", ">", 200, None, "IU/mL", False)]),
    # blast percentage
    ("bone marrow blasts ≥ 20%", [("BLASTS", ">=", 20, None, "%", False)]),
    # prior lines of therapy, number before the noun
    ("relapsed/refractory AML after ≥2 lines of therapy", [("PRIOR_THERAPY_LINES", ">=", 2, None, None, False)]),
    # neuropathy grade after the condition
    ("subject with peripheral neuropathy ≥ grade 3.", [("PERIPHERAL_NEUROPATHY_GRADE", ">=", 3, None, None, False)]),
    # negated: "no" before the condition
    ("No grade 2 or higher peripheral neuropathy", [("PERIPHERAL_NEUROPATHY_GRADE", ">=", 2, None, None, True)]),
    # washout expressed as "within N weeks before the first dose"
    ("Use of immunosuppressive drugs within 1 week before the first dose",
     [("WASHOUT", "<=", None, 1, "weeks", False)]),
    # washout expressed as "at least N weeks since"
    ("At least 4 weeks since prior chemotherapy", [("WASHOUT", ">=", 4, None, "weeks", False)]),
    # "within" and no "since"/"from"/"after": only the within-reading is tried on ASCII text
    ("Chemotherapy within 14 days before the first dose of study drug",
     [("WASHOUT", "<=", None, 14, "days", False)]),
    # an age with its unit ("years"), which ASCII text must hold for the age reading to be tried
    ("Patients aged 18 years or older", [("AGE", ">=", 18, None, "years", False)]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_constraint_phrases(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_ascii_and_other_text_read_the_same(text: str, expected: list[Row]) -> None:
    # ASCII text is matched lower-cased (the folded patterns), other text ignoring case: both read the same.
    assert _read(text + " ü") == expected
    assert _read(text.upper()) == _read(text.upper() + " ü")


def test_folded_patterns_are_lower_case() -> None:
    # A capital outside escapes, group names and A-Z ranges would never match lower-cased text.
    for name, value in vars(constraints).items():
        if isinstance(value, constraints._Folding):
            bare = re.sub(r"\\.|\(\?P<\w+>|A-Z", "", value.folded.pattern)
            assert not re.search("[A-Z]", bare), name


@pytest.mark.parametrize(
    "text",
    [
        "Platelet transfusion within 7 days before screening",  # a time about a transfusion, not a count
        "Women of childbearing age must use 2 methods of contraception",  # age word, unrelated number
        "Hemoglobin A1c 7-10%",  # HbA1c is not hemoglobin
        "ANC 1500",  # a lab value with no operator is not a bound
        "Bilirubin ≥ 2 mmol/L",  # unit not allowed for the variable
        "ECOG 7",  # outside the scale
        "History of 3 prior myocardial infarctions",  # a count that is not lines of therapy
        "Normal organ function",  # no number at all
    ],
)
def test_no_false_constraints(text: str) -> None:
    assert _read(text) == []


def test_offsets_index_source_text() -> None:
    text = "Inclusion Criteria:\n\n* Age \\>= 18 years\n* Platelets \\> 75 x 10\\^9/L\n"
    criteria = split_criteria(text, document_id="d", trial_id="t")
    found = extract_constraints(criteria, source_text=text)
    assert [(c.criterion_seq, c.variable, c.span_text) for c in found] == [
        (1, "AGE", "Age \\>= 18 years"),
        (2, "PLATELETS", "Platelets \\> 75 x 10\\^9/L"),
    ]
    for c in found:
        assert c.char_start is not None and c.char_end is not None
        assert text[c.char_start : c.char_end] == c.span_text


def test_subheader_names_the_variable() -> None:
    # PDQ layout: "Age:" above "- 18 and over" says what the bare number is.
    text = "        Age:\n\n          -  18 and over\n\n        Life expectancy:\n\n          -  At least 2 months\n"
    criteria = split_criteria(text, document_id="d", trial_id="t")
    found = extract_constraints(criteria, source_text=text)
    assert [(c.variable, c.operator, c.value_low, c.unit) for c in found] == [
        ("AGE", ">=", 18, "years"),
        ("LIFE_EXPECTANCY", ">=", 2, "months"),
    ]


def test_catalogue_is_consistent() -> None:
    names = [spec.name for spec in VARIABLES]
    assert len(names) == len(set(names)) and set(names) == set(BY_NAME)
    for spec in VARIABLES:
        assert spec.name == spec.name.upper()
        assert {u for u in spec.units if u is not None} <= UNITS


@pytest.mark.parametrize(
    "text",
    [
        "ANC " + "≥ " * 25_000,  # endless operators
        "Age " + "1" * 50_000,  # one enormous number
        "platelets " * 5_000,  # endless mentions
        "within " * 7_000 + "4 weeks before the first dose",  # endless washout prefix
        "grade " * 8_000 + "neuropathy",  # endless grade prefix
        "1 x 10^" * 7_000,  # endless scientific notation
    ],
)
def test_pathological_input_finishes(text: str) -> None:
    for row in _read(text):
        assert row[0] in BY_NAME


def _seed_constraints(name: str) -> set[Row]:
    text = seed_criteria_section(name)
    criteria = split_criteria(text, document_id="d", trial_id="t")
    return {
        (c.variable, c.operator, c.value_low, c.value_high, c.unit, c.is_negated)
        for c in extract_constraints(criteria, source_text=text)
    }


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        # MedPath AML page: age range, ECOG, life expectancy, HBV DNA, prior lines
        ("001_98cc620108e3f339.txt", {
            ("AGE", "RANGE", 18, 75, "years", False),
            ("ECOG", "RANGE", 0, 2, None, False),
            ("LIFE_EXPECTANCY", ">=", 12, None, "weeks", False),
            ("HBV_DNA", ">=", 1000, None, "copies/mL", False),
            ("PRIOR_THERAPY_LINES", ">=", 2, None, None, False),
        }),
        # myeloma page: labs in one criterion, neuropathy grade, HBV DNA in two units
        ("003_f1b628404261852c.txt", {
            ("AGE", ">=", 18, None, "years", False),
            ("ECOG", "RANGE", 0, 3, None, False),
            ("TRANSAMINASES", "<", None, 3, "ULN", False),
            ("BILIRUBIN", "<=", None, 35, "umol/L", False),
            ("CREATININE", "<", None, 177, "umol/L", False),
            ("ANC", ">", 1.0, None, "10^9/L", False),
            ("PLATELETS", ">", 75, None, "10^9/L", False),
            ("PERIPHERAL_NEUROPATHY_GRADE", ">=", 3, None, None, False),
            ("HBV_DNA", ">=", 1000, None, "copies/mL", False),
            ("HBV_DNA", ">", 200, None, "IU/mL", False),
        }),
    ],
)  # fmt: skip
def test_registry_page_seed_constraints(seed: str, expected: set[Row]) -> None:
    assert expected <= _seed_constraints(seed)


@pytest.mark.corpus
def test_lct_age_constraints_overlap_gold() -> None:
    # A slice of the Leaf corpus: every AGE constraint read must overlap a gold Eq-Comparison span.
    nic = SHARED / "corpus" / "lct-eligibility-criteria" / "ner" / "nic" / "batch1"
    if not nic.is_dir():
        pytest.skip(f"LCT corpus not found at {nic}")
    read = matched = 0
    for txt in sorted(nic.glob("*.txt"))[:40]:
        text = txt.read_text(encoding="utf-8")
        gold = []
        for line in txt.with_suffix(".ann").read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if line.startswith("T") and parts[1].startswith("Eq-Comparison ") and ";" not in parts[1]:
                _, s, e = parts[1].split(" ")
                gold.append((int(s), int(e)))
        criteria = split_criteria(text, document_id=txt.stem, trial_id=txt.stem)
        for c in extract_constraints(criteria, source_text=text):
            if c.variable == "AGE" and c.char_start is not None and c.char_end is not None:
                read += 1
                matched += any(s < c.char_end and c.char_start < e for s, e in gold)
    assert read > 10
    assert matched / read >= 0.95
