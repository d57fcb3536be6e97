"""MedPath's flattened outcome tables: made-up rows for each way a row is cut from its time frame and description."""

from __future__ import annotations

import pytest

from trial_pipeline.parsers.medpath_outcomes import read_outcome_tables

Outcome = tuple[str, str, str | None, str | None]

CASES: list[tuple[str, list[str], frozenset[str], list[Outcome]]] = [
    (
        "a time frame that repeats the measure's end, full stop and all",
        ["Sleep quality score on days 1 and 7.on days 1 and 7."],
        frozenset(),
        [("PRIMARY", "Sleep quality score on days 1 and 7.", "on days 1 and 7.", None)],
    ),
    (
        "a time frame that starts with the acronym its measure ends with",
        ["Hemoglobin in range throughout the EEPEEP (Weeks 29 to 36)"],
        frozenset(),
        [("PRIMARY", "Hemoglobin in range throughout the EEP", "EEP (Weeks 29 to 36)", None)],
    ),
    (
        "a number joined to its unit by a hyphen after an acronym",
        ["Event-free survival EFS3-year"],
        frozenset(),
        [("PRIMARY", "Event-free survival EFS", "3-year", None)],
    ),
    (
        "a day written with a sign after a full stop",
        ["Safety by vital signs and adverse events reporting .day-1,5,10"],
        frozenset(),
        [("PRIMARY", "Safety by vital signs and adverse events reporting .", "day-1,5,10", None)],
    ),
    (
        "a time frame that opens with words its measure writes before",
        ["Rise in titre from pre-dose to post-vaccination in serotype 6bpost-vaccination", "Fever15 days after dosing"],
        frozenset(),
        [
            ("PRIMARY", "Rise in titre from pre-dose to post-vaccination in serotype 6b", "post-vaccination", None),
            ("PRIMARY", "Fever", "15 days after dosing", None),
        ],
    ),
    (
        "untimed rows after a timed one",
        ["Depression24 weeks", "Withdrawal symptoms", "Cocaine use"],
        frozenset(),
        [
            ("PRIMARY", "Depression", "24 weeks", None),
            ("PRIMARY", "Withdrawal symptoms", None, None),
            ("PRIMARY", "Cocaine use", None, None),
        ],
    ),
    (
        "a time frame without a word of time that two rows share, glued lower case",
        ["Bleeding eventsinpatient hospitalization", "Graft failureinpatient hospitalization"],
        frozenset({"inpatient"}),
        [
            ("PRIMARY", "Bleeding events", "inpatient hospitalization", None),
            ("PRIMARY", "Graft failure", "inpatient hospitalization", None),
        ],
    ),
    (
        "a time frame that two rows share, glued to an acronym",
        ["Cortisoldaily for 7 days", "LHfrequent sampling for 2 hours", "FSHfrequent sampling for 2 hours"],
        frozenset(),
        [
            ("PRIMARY", "Cortisol", "daily for 7 days", None),
            ("PRIMARY", "LH", "frequent sampling for 2 hours", None),
            ("PRIMARY", "FSH", "frequent sampling for 2 hours", None),
        ],
    ),
    (
        "a row glued at a capital as the table's other rows are",
        ["Overall SurvivalFrom randomization to death", "Time to ProgressionCalculated from randomization on"],
        frozenset(),
        [
            ("PRIMARY", "Overall Survival", "From randomization to death", None),
            ("PRIMARY", "Time to Progression", "Calculated from randomization on", None),
        ],
    ),
    (
        "a row glued at a full stop as the table's other rows are",
        [
            "Pathologic response.At time of surgery.",
            "Benefit of surgery in subgroups.DFS will be compared by subgroup.",
        ],
        frozenset(),
        [
            ("PRIMARY", "Pathologic response.", "At time of surgery.", None),
            ("PRIMARY", "Benefit of surgery in subgroups.", "DFS will be compared by subgroup.", None),
        ],
    ),
]

# Paragraphs that stay descriptions: they repeat their measure, glue a token that other paragraphs write too, or
# come before a paragraph that may be a glued row or their own description.
GUARDS: list[tuple[str, list[str], list[Outcome]]] = [
    (
        "a paragraph before one that glues two words",
        ["Chimerismat day 100", "Number of patients referred to transplant", "Event free survivalto progression"],
        [
            ("PRIMARY", "Chimerism", "at day 100", "Number of patients referred to transplant"),
            ("PRIMARY", "Event free survivalto progression", None, None),
        ],
    ),
    (
        "a paragraph before one that opens with its words again",
        ["Mortality45 days", "Compare outcomes by ethnicity", "Compare outcomes by ethnicity in study arms"],
        [
            ("PRIMARY", "Mortality", "45 days", "Compare outcomes by ethnicity"),
            ("PRIMARY", "Compare outcomes by ethnicity in study arms", None, None),
        ],
    ),
    (
        "a description that repeats its measure",
        ["Tumour genotypes.Drug options ...Baseline", "Tumour genotypes.Drug options in cell lines"],
        [
            (
                "PRIMARY",
                "Tumour genotypes.Drug options ...",
                "Baseline",
                "Tumour genotypes.Drug options in cell lines",
            )
        ],
    ),
    (
        "a description glued inside a token that another paragraph writes",
        [
            "Memory B cellsAt months 30 and 42",
            "As determined by Enzyme-Linked ImmunoSpot assay.",
            "Memory T cellsAt months 30 and 42",
            "As determined by Enzyme-Linked ImmunoSpot assay.",
        ],
        [
            ("PRIMARY", "Memory B cells", "At months 30 and 42", "As determined by Enzyme-Linked ImmunoSpot assay."),
            ("PRIMARY", "Memory T cells", "At months 30 and 42", "As determined by Enzyme-Linked ImmunoSpot assay."),
        ],
    ),
]


@pytest.mark.parametrize(("rows", "words", "expected"), [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_rows_cut(rows: list[str], words: frozenset[str], expected: list[Outcome]) -> None:
    assert read_outcome_tables([("PRIMARY", rows)], words, []) == expected


@pytest.mark.parametrize(("rows", "expected"), [case[1:] for case in GUARDS], ids=[c[0] for c in GUARDS])
def test_descriptions_kept(rows: list[str], expected: list[Outcome]) -> None:
    assert read_outcome_tables([("PRIMARY", rows)], frozenset(), []) == expected
