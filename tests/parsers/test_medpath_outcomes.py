"""MedPath's flattened outcome tables: made-up rows for each way a row is cut from its time frame and description."""

from __future__ import annotations

import pytest

from trial_pipeline.parsers.medpath_outcomes import read_outcome_tables

Outcome = tuple[str, str, str | None, str | None]

_LONG_DESCRIPTION = (
    "We will report the overall response rate below. Complete remission requires a normal blood count, a normal "
    "marrow and no sign of disease on imaging for at least four weeks. A partial response requires half of "
    "these. Remission must last for at least four weeks:In patients treated for neutropenia, a count above "
    "1500 is required."
)

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
    (
        "a cut that leaves a measure longer than the registry stores is inside a description",
        ["Overall response rate12 months", _LONG_DESCRIPTION],
        frozenset(),
        [("PRIMARY", "Overall response rate", "12 months", _LONG_DESCRIPTION)],
    ),
    (
        "a time frame that starts with a code the page writes on its own",
        ["Toxicity after Stem Cell RescueIL-2 administration to one month after", "Toxicity during IL-2 therapy"],
        frozenset(),
        [
            (
                "PRIMARY",
                "Toxicity after Stem Cell Rescue",
                "IL-2 administration to one month after",
                "Toxicity during IL-2 therapy",
            )
        ],
    ),
    (
        "a row after a timed row glued lower case to its time frame",
        ["Time to treatment failure6 months", "over all survivalwhen all treated patients have expired"],
        frozenset(),
        [
            ("PRIMARY", "Time to treatment failure", "6 months", None),
            ("PRIMARY", "over all survival", "when all treated patients have expired", None),
        ],
    ),
    (
        "a row that must be a row glued lower case to a long time frame",
        [
            "Total Sedation Timedefined as the time from the first injection of study drug until the patient is fully"
            " recovered with a recovery score of eight or more",
            "Time to Recovery30 minutes",
        ],
        frozenset(),
        [
            (
                "PRIMARY",
                "Total Sedation Time",
                "defined as the time from the first injection of study drug until the patient is fully recovered with a"
                " recovery score of eight or more",
                None,
            ),
            ("PRIMARY", "Time to Recovery", "30 minutes", None),
        ],
    ),
    (
        "a frame read off other rows glued on after a sure cut",
        ["Depression score on the scale (BDI)at study visits 1-5.Two years", "Anxiety scoreTwo years"],
        frozenset(),
        [
            ("PRIMARY", "Depression score on the scale (BDI)at study visits 1-5.", "Two years", None),
            ("PRIMARY", "Anxiety score", "Two years", None),
        ],
    ),
    (
        "a time frame glued to a scale's code and read off another row",
        ["Disability (Functional Scale)4 weeks", "SF-364 weeks"],
        frozenset({"4", "weeks"}),
        [("PRIMARY", "Disability (Functional Scale)", "4 weeks", None), ("PRIMARY", "SF-36", "4 weeks", None)],
    ),
    (
        "a long list of times",
        [
            "Time to maximal concentration (Tmax)10, 20, 30, 45, 60, 90, 120, 150, 180, 210, 240 and 300 min"
            " after dosing"
        ],
        frozenset(),
        [
            (
                "PRIMARY",
                "Time to maximal concentration (Tmax)",
                "10, 20, 30, 45, 60, 90, 120, 150, 180, 210, 240 and 300 min after dosing",
                None,
            )
        ],
    ),
    (
        "a time frame that starts with while",
        ["ToxicityWhile on treatment, assessed weekly, then every 3 months therafter; then yearly"],
        frozenset(),
        [
            (
                "PRIMARY",
                "Toxicity",
                "While on treatment, assessed weekly, then every 3 months therafter; then yearly",
                None,
            )
        ],
    ),
    (
        "a time frame with an abbreviation's full stop",
        [
            "Number of Participants With Adverse Eventsonly assessed during the perioperative period"
            " (i.e. up to 90 days)"
        ],
        frozenset(),
        [
            (
                "PRIMARY",
                "Number of Participants With Adverse Events",
                "only assessed during the perioperative period (i.e. up to 90 days)",
                None,
            )
        ],
    ),
    (
        "untimed rows whose descriptions say the measure again at more length",
        [
            "Establish a bank of frozen tissue",
            "To establish a bank of frozen tissue for use in further molecular studies",
            "Assess immune changes",
        ],
        frozenset(),
        [
            (
                "PRIMARY",
                "Establish a bank of frozen tissue",
                None,
                "To establish a bank of frozen tissue for use in further molecular studies",
            ),
            ("PRIMARY", "Assess immune changes", None, None),
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
            # The row after the description is a row, and the two words glued there start its time frame.
            ("PRIMARY", "Event free survival", "to progression", None),
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
    (
        "a list's next measure that says the one before and a second one",
        ["Hormone response to hypoglycemia (Glucagon)", "Hormone response to hypoglycemia (glucagon) Symptom response"],
        [
            ("PRIMARY", "Hormone response to hypoglycemia (Glucagon)", None, None),
            ("PRIMARY", "Hormone response to hypoglycemia (glucagon) Symptom response", None, None),
        ],
    ),
    (
        "a description that opens with one word glued to another",
        ["Drinks per drinking day3 months", "Timeline follow back data on daily drinking"],
        [("PRIMARY", "Drinks per drinking day", "3 months", "Timeline follow back data on daily drinking")],
    ),
]


@pytest.mark.parametrize(("rows", "words", "expected"), [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_rows_cut(rows: list[str], words: frozenset[str], expected: list[Outcome]) -> None:
    assert read_outcome_tables([("PRIMARY", rows)], words, []) == expected


@pytest.mark.parametrize(("rows", "expected"), [case[1:] for case in GUARDS], ids=[c[0] for c in GUARDS])
def test_descriptions_kept(rows: list[str], expected: list[Outcome]) -> None:
    assert read_outcome_tables([("PRIMARY", rows)], frozenset(), []) == expected
