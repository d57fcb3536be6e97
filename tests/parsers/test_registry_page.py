"""Registry pages saved as text: the two seed pages fact by fact, rendered pages against their source XML."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from bench.registry_page_eval import agreement, corpus_pages, fixture_pages, keyed_values
from tests.conftest import CORPUS, RAW
from tests.fixtures import render_pages
from trial_pipeline.models import Document, ParsedDocument, ParseStatus, SourceFormat
from trial_pipeline.parsers.base import ParseError
from trial_pipeline.parsers.registry_page import RegistryPageReader

ROOT = Path(__file__).resolve().parents[2]
SEEDS = RAW
PAGES = ROOT / "tests" / "fixtures" / "registry_pages"
READER = RegistryPageReader()


RENDER = render_pages


def _doc(text: str, name: str = "page.txt") -> Document:
    return Document(document_id="doc-1", source_path=name, data=text.encode("utf-8"), text=text)


def _seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _strings(parsed: ParsedDocument) -> list[str]:
    """Every string value in every record of a parsed document."""
    found: list[str] = []
    for table in ("trials", "arms", "interventions", "outcomes", "criteria", "criterion_constraints"):
        for record in getattr(parsed, table):
            for value in dataclasses.asdict(record).values():
                values = value if isinstance(value, tuple) else (value,)
                found += [v for v in values if isinstance(v, str)]
    return found


needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed pages not mounted")


@needs_seeds
@pytest.mark.parametrize(
    ("prefix", "accepted"),
    [
        ("000", False),  # a drug explainer with a table of contents ("Study Design" heading) is not a page
        ("001", True),  # MedPath page
        ("002", False),  # news article
        ("003", True),  # ClinicalTrials.gov mirror page
        ("004", False),  # bare trial description textblock
    ],
)
def test_accepts_seeds_by_content(prefix: str, accepted: bool) -> None:
    assert READER.accepts(_doc(_seed(prefix), name="registry_page.txt")) is accepted


@pytest.mark.parametrize(
    "text",
    [
        "<clinical_study><brief_title>Status</brief_title></clinical_study>",  # legacy XML
        '{"protocolSection": {"statusModule": {"overallStatus": "RECRUITING"}}}',  # API v2 JSON
        "Conditions\nStatus\nSex\nStudy Type\nBrief Summary\n",  # a bare list of labels without an ID or table
        "",  # empty file
    ],
)
def test_rejects_other_formats(text: str) -> None:
    assert READER.accepts(_doc(text)) is False


def test_source_format() -> None:
    # The registry dispatches on this value.
    assert READER.source_format is SourceFormat.REGISTRY_PAGE


@pytest.fixture(scope="module")
def medpath() -> ParsedDocument:
    return READER.parse(_doc(_seed("001")))


@pytest.fixture(scope="module")
def mirror() -> ParsedDocument:
    return READER.parse(_doc(_seed("003")))


@needs_seeds
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("trial_id", "NCT06541444"),  # the registration number is the key
        ("nct_id", "NCT06541444"),  # read from "Registration Number"
        ("brief_title", "Safety and Efficacy of NK520 to Treat Relapsed/Refractory Acute Myeloid Leukemia"),
        ("phases", ("EARLY_PHASE1",)),  # header line "Early Phase 1"
        ("overall_status", "RECRUITING"),  # header line and "Status" field agree
        ("study_type", "INTERVENTIONAL"),
        ("intervention_model", "SEQUENTIAL"),  # MedPath prints the model under "Study Design"
        ("enrollment_count", 9),  # "Target Recruitment"
        ("enrollment_type", None),  # the page does not say whether 9 is estimated
        ("sex", "ALL"),
        ("minimum_age_years", None),  # 18..75 is stated only inside a criterion, never as an age field
        ("maximum_age_years", None),
        ("lead_sponsor", "Base Therapeutics (Shanghai) Co., Ltd."),
        ("conditions", ("Relapsed/Refractory Acute Myeloid Leukemia",)),
        ("countries", ("China",)),  # from the site address under the flag
        ("other_ids", ()),
        ("allocation", None),  # not on a MedPath page
    ],
)
def test_medpath_seed_trial(medpath: ParsedDocument, field: str, value: object) -> None:
    assert getattr(medpath.trials[0], field) == value


@needs_seeds
def test_medpath_seed_arms_and_doses(medpath: ParsedDocument) -> None:
    # The flattened "GroupInterventionDescription" rows: label, intervention, description, dose in cells/kg.
    assert medpath.status is ParseStatus.PARSED
    assert [(a.label, a.arm_type, a.description) for a in medpath.arms] == [
        ("Group C(high-dose group)", None, "NK520: 9×10^7NK/kg"),
        ("Group A(low-dose group)", None, "NK520: 3×10^7NK/kg"),
        ("Group B(medium-dose group)", None, "NK520: 6×10^7NK/kg"),
    ]
    assert [
        (i.arm_label, i.intervention_name, i.dose_value, i.dose_unit, i.dosing_text) for i in medpath.interventions
    ] == [
        ("Group C(high-dose group)", "NK520", 9e7, "cells/kg", "NK520: 9×10^7NK/kg"),
        ("Group A(low-dose group)", "NK520", 3e7, "cells/kg", "NK520: 3×10^7NK/kg"),
        ("Group B(medium-dose group)", "NK520", 6e7, "cells/kg", "NK520: 6×10^7NK/kg"),
    ]


@needs_seeds
def test_medpath_seed_outcomes(medpath: ParsedDocument) -> None:
    # "NameTimeMethod" rows: measure and time frame split, the paragraph after the row is the description.
    assert [(o.outcome_type, o.measure, o.time_frame, o.description) for o in medpath.outcomes] == [
        ("PRIMARY", "Dose-Limiting Toxicity",
         "From the first dose of NK520 to 4 weeks after last infusion of NK520",
         "To evaluate the DLT during NK520 treatment"),
        ("PRIMARY", "Complete Response Rate (CRR)",
         "From the date of first infusion of NK520 up to 104 weeks.", "Effectiveness Metrics"),
        ("SECONDARY", "Overall response rate (ORR)",
         "From the date of first infusion of NK520 up to 104 weeks.", "Effectiveness Metrics"),
        ("SECONDARY", "Event-Free Survival (EFS)",
         "From date of enrollment up to 104 weeks, or date of progression, or date of death, whichever came first.",
         "Effectiveness Metrics"),
        ("SECONDARY", "Overall Survival (OS)",
         "From date of enrollment up to 104 weeks or date of death, whichever came first.", "Effectiveness Metrics"),
        ("SECONDARY", "Duration of Response (DOR)",
         "From the date of enrollment up to 104 weeks", "Effectiveness Metrics"),
    ]  # fmt: skip


@needs_seeds
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("trial_id", "NCT05378971"),
        ("nct_id", "NCT05378971"),  # "NCT ID: ..." line
        ("other_ids", ("POMLDYY",)),  # org study ID under "Other Identifiers"
        ("brief_title", "Clinical Research of Pomalidomide Maintenance Therapy for Primary Multiple Myeloma"),
        ("overall_status", "UNKNOWN"),
        ("phases", ("NA",)),
        ("study_type", "INTERVENTIONAL"),
        ("enrollment_count", 15),  # "15 participants"
        ("enrollment_type", None),
        ("start_date", dt.date(2022, 5, 15)),
        ("start_date_raw", "2022-05-15"),
        ("primary_completion_date", None),  # not stated
        ("completion_date", dt.date(2025, 5, 30)),
        ("completion_date_raw", "2025-05-30"),
        ("allocation", "NA"),
        ("intervention_model", "SINGLE_GROUP"),  # its description paragraph runs into the next label
        ("primary_purpose", "TREATMENT"),
        ("masking", "NONE"),  # the blurb under it is boilerplate
        ("lead_sponsor", "LanZhou University"),
        ("collaborators", ("Beijing Health Alliance Charitable Foundation",)),
        ("conditions", ("Multiple Myeloma",)),
        ("sex", "ALL"),
        ("minimum_age_years", 18.0),
        ("minimum_age_raw", "18 Years"),
        ("maximum_age_years", None),
        ("healthy_volunteers", False),
        ("countries", ("China",)),
    ],
)
def test_mirror_seed_trial(mirror: ParsedDocument, field: str, value: object) -> None:
    assert getattr(mirror.trials[0], field) == value


@needs_seeds
def test_mirror_seed_summary_drops_blurb(mirror: ParsedDocument) -> None:
    # The blurb under "Brief Summary" is site boilerplate, not the sponsor's text.
    summary = mirror.trials[0].brief_summary or ""
    assert summary.startswith("The trial is a single-center, single-arm, prospective clinical study")
    assert "Review the sponsor-provided synopsis" not in summary


@needs_seeds
def test_mirror_seed_arm_and_intervention(mirror: ParsedDocument) -> None:
    # The arm says 1 mg daily, the intervention 2mg/d: both kept as stated, never reconciled.
    assert mirror.status is ParseStatus.PARSED
    assert [(a.label, a.arm_type) for a in mirror.arms] == [("experimental group", "EXPERIMENTAL")]
    assert "pomalidomide 1 mg daily" in (mirror.arms[0].description or "")
    assert [
        (i.arm_label, i.intervention_name, i.intervention_type, i.other_names, i.dose_value, i.dose_unit, i.frequency,
         i.dosing_text)
        for i in mirror.interventions
    ] == [
        ("experimental group", "Pomalidomide", "DRUG", ("Pomalyst",), 2.0, "mg", "ONCE_DAILY",
         "Pomalidomide, 2mg/d, d1-21; treatment cycles every 28days"),
    ]  # fmt: skip


@needs_seeds
def test_mirror_seed_outcomes_from_prose(mirror: ParsedDocument) -> None:
    # The page has no outcome section: the endpoints come from the summary's sentence, with their type.
    assert [(o.outcome_type, o.measure, o.time_frame) for o in mirror.outcomes] == [
        ("PRIMARY", "2-year progression-free survival (2y-PFS)", None),
        ("SECONDARY", "2-year overall survival (2y-OS)", None),
        ("SECONDARY", "complete remission rate (CR)", None),
        ("SECONDARY", "very good partial remission rate (VGPR)", None),
        ("SECONDARY", "negative rate of minimal residual disease(MRD)", None),
    ]


@needs_seeds
@pytest.mark.parametrize(
    ("prefix", "inclusion", "exclusion", "total"),
    [
        ("001", 5, 10, 19),  # numbered items plus four lettered/bulleted sub-items
        ("003", 7, 11, 18),  # flat numbered lists
    ],
)
def test_seed_criteria_counts(prefix: str, inclusion: int, exclusion: int, total: int) -> None:
    parsed = READER.parse(_doc(_seed(prefix)))
    top = [c.criterion_kind for c in parsed.criteria if c.parent_seq is None]
    assert (top.count("INCLUSION"), top.count("EXCLUSION"), len(parsed.criteria)) == (inclusion, exclusion, total)


@needs_seeds
@pytest.mark.parametrize(
    ("prefix", "constraint"),
    [
        ("001", ("AGE", "RANGE", 18.0, 75.0, "years")),  # "between 18 and 75 years" stays a criterion fact
        ("001", ("ECOG", "RANGE", 0.0, 2.0, None)),
        ("003", ("AGE", ">=", 18.0, None, "years")),
        ("003", ("PLATELETS", ">", 75.0, None, "10^9/L")),  # the page's "10\^9/L" escape is undone first
    ],
)
def test_seed_constraints(prefix: str, constraint: tuple[object, ...]) -> None:
    parsed = READER.parse(_doc(_seed(prefix)))
    found = {(c.variable, c.operator, c.value_low, c.value_high, c.unit) for c in parsed.criterion_constraints}
    assert constraint in found


@needs_seeds
@pytest.mark.parametrize("prefix", ["001", "003"])
def test_no_contact_details_stored(prefix: str) -> None:
    # Central/Facility Contacts are skipped whole: no phone number, e-mail or contact name in any record.
    strings = _strings(READER.parse(_doc(_seed(prefix))))
    assert not [s for s in strings if re.search(r"\+\d{2} ?\d{6,}|@|13008706320|Bei Liu", s)]


@needs_seeds
@pytest.mark.parametrize(
    ("prefix", "old", "new", "problems"),
    [
        # A status value the reader does not know: the field is named, the rest still read.
        ("001", "Status\nRECRUITING", "Status\nON HOLD", ("unread sections: Status",)),
        # An enrollment that is not a number.
        ("001", "Target Recruitment\n9", "Target Recruitment\nnine", ("unread sections: Target Recruitment",)),
        # Posted results the reader does not read, and an unknown phase value.
        ("003", "Results pending", "Results posted: 12 of 15 responded", ("unread sections: Study Results",)),
        ("003", "Clinical Phase\n\nNA", "Clinical Phase\n\nPILOT", ("unread sections: Clinical Phase",)),
    ],
)
def test_partial_names_unread_sections(prefix: str, old: str, new: str, problems: tuple[str, ...]) -> None:
    text = _seed(prefix)
    assert old in text
    parsed = READER.parse(_doc(text.replace(old, new, 1)))
    assert (parsed.status, parsed.problems) == (ParseStatus.PARTIAL, problems)
    assert parsed.trials[0].nct_id is not None


def test_parse_error_without_title_or_id() -> None:
    # Labels only: nothing identifies a trial, so nothing is returned.
    text = "MedPath\n\nConditions\nInterventions\nRegistration Number\nLead Sponsor\nRecruitment & Eligibility\n"
    text += "Status\nRECRUITING\nStudy & Design\nStudy Type\nINTERVENTIONAL\nArm && Interventions\n"
    text += "GroupInterventionDescription\n"
    with pytest.raises(ParseError):
        READER.parse(_doc(text))


@pytest.mark.parametrize(
    "table",
    [
        # One huge arm row that repeats itself.
        "Arm && Interventions\nGroupInterventionDescription\n" + "ab" * 200_000,
        # Far more long arm rows than any trial has, every offset a possible name.
        "Arm && Interventions\nGroupInterventionDescription\n"
        + "\n".join(f"Arm {i}" + "PlaceboDrugAlphabeta" * 40 for i in range(500)),
        # As many long rows as are compared pairwise for the names they share, each one text repeated.
        "Arm && Interventions\nGroupInterventionDescription\n"
        + "\n".join(f"Arm {i}" + "PlaceboDrugAlphabeta" * 40 for i in range(16)),
        # Thousands of outcome rows glued at every other letter.
        "Primary Outcome Measures\nNameTimeMethod\n" + "\n\n".join("Aa1BxFrom" * 70 for _ in range(2000)),
    ],
)
def test_hostile_row_is_bounded(table: str) -> None:
    # Huge glued tables must not make the splitters quadratic (or worse) in the row length or the row count.
    text = "MedPath\n\nTitle\n\nConditions\nX\nInterventions\nRegistration Number\nNCT01234567\n"
    text += f"Brief Summary\n\nPlacebo drug alpha beta\n\nStudy & Design\nStudy Type\nINTERVENTIONAL\n{table}\n"
    started = time.perf_counter()
    READER.parse(_doc(text))
    assert time.perf_counter() - started < 5.0


# --- flattened MedPath tables and untimed outcome lists -------------------------------------------------------


def _medpath_page(
    arms: Sequence[str] = (),
    outcomes: Sequence[str] = (),
    *,
    study_type: str = "INTERVENTIONAL",
    interventions: Sequence[str] = (),
    summary: str = "A study of a treatment.",
    addresses: Sequence[str] = (),
) -> ParsedDocument:
    """A MedPath page laid out like seed 001, with the given arm rows, primary outcome paragraphs and sites."""
    lines = ["MedPath", "", "A trial of a treatment", "", "Phase 2", "Recruiting", "Conditions", "Leukemia",
             "Interventions", *interventions, "Registration Number", "NCT01234567", "Brief Summary", "", summary, "",
             "Study & Design", "", "Study Type", study_type]  # fmt: skip
    if arms:
        lines += ["Arm && Interventions", "GroupInterventionDescription", *arms]
    if outcomes:
        lines += ["Primary Outcome Measures", "NameTimeMethod"]
        for paragraph in outcomes:
            lines += [paragraph, ""]
    if addresses:
        lines += ["Trial Locations", "", f"Locations ({len(addresses)})", ""]
        for address in addresses:
            lines += ["A hospital", "", "🏳️", "", address, ""]
    lines.append("© Copyright 2025. All Rights Reserved by MedPath")
    return READER.parse(_doc("\n".join(lines)))


@pytest.mark.parametrize(
    ("kwargs", "field", "value"),
    [
        # The copyright footer right under the last field is not part of its value.
        ({"study_type": "OBSERVATIONAL"}, "study_type", "OBSERVATIONAL"),
        # A country whose name holds a comma ends a site address in two parts.
        (
            {"addresses": ["Seoul, Korea, Republic of", "Lyon, Rhône, France"]},
            "countries",
            ("Korea, Republic of", "France"),
        ),
    ],
)
def test_medpath_trial_fields(kwargs: dict[str, Any], field: str, value: object) -> None:
    assert getattr(_medpath_page(**kwargs).trials[0], field) == value


@pytest.mark.parametrize(
    ("paragraphs", "outcomes"),
    [
        # A time frame in lower case glued to a lower-case word.
        (["Door to balloon timeone year"], [("Door to balloon time", "one year", None)]),
        # A sentence glued to a number.
        (["CIN2 detected in both arms.2 years"], [("CIN2 detected in both arms.", "2 years", None)]),
        # A capitalised number word, on a page with a single row.
        (["Response RateOne Year"], [("Response Rate", "One Year", None)]),
        # Never a cut inside a number ("21 and 2|8 days").
        (["Toxicity at 21 and 28 daysDay 28"], [("Toxicity at 21 and 28 days", "Day 28", None)]),
        # An acronym may end a measure; a code such as "T360" is not cut.
        (
            ["Change in PANSS12 weeks", "Change From T0 to T360 MinutesBaseline to 360 minutes"],
            [
                ("Change in PANSS", "12 weeks", None),
                ("Change From T0 to T360 Minutes", "Baseline to 360 minutes", None),
            ],
        ),
        # A brand in camel case inside a description does not make it a row.
        (
            ["Quality of lifeBaseline and 6 months", "Measured with the EuroQol Questionnaire (EQ-5D)."],
            [("Quality of life", "Baseline and 6 months", "Measured with the EuroQol Questionnaire (EQ-5D).")],
        ),
        # No time frames at all: short paragraphs are a list of measures ...
        (["Retention", "Cocaine use"], [("Retention", None, None), ("Cocaine use", None, None)]),
        # ... and a long sentence after a measure is its description.
        (
            ["Event Free Survival", "Time to death from any cause, measured from the start of chemotherapy."],
            [("Event Free Survival", None, "Time to death from any cause, measured from the start of chemotherapy.")],
        ),
        # A time frame that rows share, with no time word, starts at the capital after which they agree.
        (
            ["Overall SurvivalTill withdrawal criteria met", "Failure Free SurvivalTill withdrawal criteria met"],
            [
                ("Overall Survival", "Till withdrawal criteria met", None),
                ("Failure Free Survival", "Till withdrawal criteria met", None),
            ],
        ),
        # A shared time frame glued lower case to lower case starts where the rows stop differing.
        (
            [
                "Leg painshort-term = 12 weeks; long-term = 52 weeks",
                "Bothersomenessshort-term = 12 weeks; long-term = 52 weeks",
            ],
            [
                ("Leg pain", "short-term = 12 weeks; long-term = 52 weeks", None),
                ("Bothersomeness", "short-term = 12 weeks; long-term = 52 weeks", None),
            ],
        ),
        # Rows that end alike inside a word ("SBP", "DBP") are not cut there.
        (
            ["Change in SBP at week 12", "Change in DBP at week 12"],
            [("Change in SBP at week 12", None, None), ("Change in DBP at week 12", None, None)],
        ),
        # A time frame that repeats the end of its own measure.
        (
            ["PSA response on two evaluations at least 4 weeks aparttwo evaluations at least 4 weeks apart"],
            [
                (
                    "PSA response on two evaluations at least 4 weeks apart",
                    "two evaluations at least 4 weeks apart",
                    None,
                )
            ],
        ),
        # A first row glued lower case between two words into no word, before a tail as short as a time frame.
        (
            ["Calcium in the blood, urine, and bonestake one to two weeks"],
            [("Calcium in the blood, urine, and bones", "take one to two weeks", None)],
        ),
        # A number glued to a version number with one decimal.
        (["Toxicity graded by CTC version 2.04 weeks"], [("Toxicity graded by CTC version 2.0", "4 weeks", None)]),
        # A semicolon glued to a word: prose puts a space after it.
        (
            ["FEV1 measured daily by patients;daily and mean each 2-week period"],
            [("FEV1 measured daily by patients;", "daily and mean each 2-week period", None)],
        ),
        # An acronym glued to a lower-case word keeps its last capital when only that leaves a word.
        (["Time to achieve optimal CPAPminutes"], [("Time to achieve optimal CPAP", "minutes", None)]),
        # "q" and a number start a time frame ("q 8 wks").
        (["Response: PSAq 8 wks, at progression"], [("Response: PSA", "q 8 wks, at progression", None)]),
        # A bare number is never cut on its own: the capital before the time frame marks the cut.
        (
            ["Mortality RateAll patients were followed for a 17 month period"],
            [("Mortality Rate", "All patients were followed for a 17 month period", None)],
        ),
        # A date starts a time frame, even after an acronym.
        (["Long-term follow-up of MS12/31/2040"], [("Long-term follow-up of MS", "12/31/2040", None)]),
        # Prose puts a space after "?" and "%": one glued to a number ends the measure.
        (["Does the drug improve sleep?8 weeks"], [("Does the drug improve sleep?", "8 weeks", None)]),
        (["Proportion with HbA1c <7%6 months"], [("Proportion with HbA1c <7%", "6 months", None)]),
        # A quote or a "%" after a space opens a phrase of the measure.
        (
            ['Percentage of "Days Without Symptoms"Up to 12 weeks'],
            [('Percentage of "Days Without Symptoms"', "Up to 12 weeks", None)],
        ),
        (["Sleep stages; %Time in REM sleep8 weeks"], [("Sleep stages; %Time in REM sleep", "8 weeks", None)]),
        # A paragraph that ends with a time frame read off another row, glued on, is a row, not a description.
        (
            ["Pain score6 months", "Serum lipids. HDL, LDL,6 months"],
            [("Pain score", "6 months", None), ("Serum lipids. HDL, LDL,", "6 months", None)],
        ),
        # A word that ends in a time-frame word ("thereafter") is not cut; a sentence glued to a number is.
        (
            ["Recurrence within 30 days and yearly thereafter, up to 3 years.3 years"],
            [("Recurrence within 30 days and yearly thereafter, up to 3 years.", "3 years", None)],
        ),
        # "at" glued to a common word starts a time frame.
        (["Stability in the long termat 3 and 6 months"], [("Stability in the long term", "at 3 and 6 months", None)]),
        # A number written twice: the measure ends with the number its time frame starts with.
        (["Change in weight at Week 1212 weeks"], [("Change in weight at Week 12", "12 weeks", None)]),
        # Lower-case time frames that start with a word of surgery's phases, or are a unit alone.
        (["Complications of surgeryintra-operative"], [("Complications of surgery", "intra-operative", None)]),
        (
            ["Heart rateUp to 1 hour", "Blood flowminutes"],
            [("Heart rate", "Up to 1 hour", None), ("Blood flow", "minutes", None)],
        ),
        # A lower-case time frame glued to a bare number.
        (
            ["Toxicity grade 3assessed at the end of each cycle"],
            [("Toxicity grade 3", "assessed at the end of each cycle", None)],
        ),
        # A letter that starts a token, or an "x" between numbers, belongs to the number after it.
        (
            ["Response to docetaxel q3wks with prednisoneat study start and end"],
            [("Response to docetaxel q3wks with prednisone", "at study start and end", None)],
        ),
        (["Glucose measured 7x24 hours, twice4 weeks"], [("Glucose measured 7x24 hours, twice", "4 weeks", None)]),
        # An abbreviation's full stop glued to a number is no sentence end ("v.2.0").
        (["Toxicity by CTC v.2.0 criteria12 weeks"], [("Toxicity by CTC v.2.0 criteria", "12 weeks", None)]),
        # A month and a year start a time frame; so do "Twice" and "Immediate".
        (["Readiness to quitjune 2012"], [("Readiness to quit", "june 2012", None)]),
        (
            ["Pain at restUp to 24 hours", "Pain after surgeryImmediate postop"],
            [("Pain at rest", "Up to 24 hours", None), ("Pain after surgery", "Immediate postop", None)],
        ),
    ],
)
def test_medpath_outcome_rows(paragraphs: list[str], outcomes: list[tuple[str, str | None, str | None]]) -> None:
    parsed = _medpath_page(outcomes=paragraphs)
    assert [(o.measure, o.time_frame, o.description) for o in parsed.outcomes] == outcomes


@pytest.mark.parametrize(
    ("summary", "paragraphs", "outcomes"),
    [
        # A code glued to the number of its time frame, cut after the code the page writes elsewhere.
        (
            "A study of IL-2 in melanoma.",
            ["Maximum tolerated dose of IL-22 years"],
            [("Maximum tolerated dose of IL-2", "2 years", None)],
        ),
        # The longest code the page writes wins ("CD20", not "CD2").
        (
            "Rituximab binds CD2 and CD20 cells.",
            ["Expression of CD2024 weeks"],
            [("Expression of CD20", "24 weeks", None)],
        ),
        # A lower-case time frame glued to a token the page writes elsewhere.
        (
            "A study of HbA1c control.",
            ["Change in HbA1cafter 12 weeks of treatment"],
            [("Change in HbA1c", "after 12 weeks of treatment", None)],
        ),
        # A code the page writes elsewhere is not cut before its number, even when an acronym ends in it.
        (
            "Antibodies to PIV3 were measured.",
            ["Titers to PIV3 Day 28Day 28 to 34"],
            [("Titers to PIV3 Day 28", "Day 28 to 34", None)],
        ),
    ],
)
def test_medpath_outcome_number_seams(
    summary: str, paragraphs: list[str], outcomes: list[tuple[str, str | None, str | None]]
) -> None:
    parsed = _medpath_page(outcomes=paragraphs, summary=summary)
    assert [(o.measure, o.time_frame, o.description) for o in parsed.outcomes] == outcomes


@pytest.mark.parametrize(
    ("rows", "kwargs", "arms"),
    [
        # Names the summary writes out, glued lower case to the label and capitalised to each other.
        (
            ["InterventioncyclophosphamideCryoablationParticipants receive both."],
            {"summary": "Patients receive cyclophosphamide after cryoablation."},
            [("Intervention", ("cyclophosphamide", "Cryoablation"), "Participants receive both.")],
        ),
        # An arm named after its intervention, the name glued to a copy of itself.
        (["PlaceboPlaceboSaline solution"], {}, [("Placebo", ("Placebo",), "Saline solution")]),
        # A row that is one name twice: an arm and its only intervention ...
        (["cisplatincisplatin"], {}, [("cisplatin", ("cisplatin",), None)]),
        # ... but in an observational study, a group described by its own name.
        (["Healthy AdultsHealthy adults"], {"study_type": "OBSERVATIONAL"}, [("Healthy Adults", (), "Healthy adults")]),
        # A description that repeats the label; a label that is a number.
        (["HPSHPS patients"], {"study_type": "OBSERVATIONAL"}, [("HPS", (), "HPS patients")]),
        (["1patients with PID"], {"study_type": "OBSERVATIONAL"}, [("1", (), "patients with PID")]),
        # Listed names: the label does not end inside "carboplatin/gemcitabine/paclitaxel".
        (
            ["carboplatin/paclitaxelcarboplatinpaclitaxelIV carboplatin on day 1"],
            {"interventions": ["Drug: carboplatin", "Drug: paclitaxel"]},
            [("carboplatin/paclitaxel", ("carboplatin", "paclitaxel"), "IV carboplatin on day 1")],
        ),
        # A row that ends in a second spelling of its name ends in its description.
        (
            ["Arm 1Zoster vaccinezoster vaccine", "Arm 2Placebovaccine placebo"],
            {"summary": "A zoster vaccine or a placebo is given."},
            [("Arm 1", ("Zoster vaccine",), "zoster vaccine"), ("Arm 2", ("Placebo",), "vaccine placebo")],
        ),
        # Two rows that part where their labels end ("Arm I|garlic", "Arm II|garlic") and a glued run that splits
        # into words the table writes apart ("tablets|oxycodone"): names stated nowhere else.
        (
            [
                "Arm Igarlic powder tabletsoxycodoneTwo garlic powder tablet doses, then oxycodone.",
                "Arm IIgarlic powder tabletsoxycodoneOne oxycodone dose.",
            ],
            {},
            [
                ("Arm I", ("garlic powder tablets", "oxycodone"), "Two garlic powder tablet doses, then oxycodone."),
                ("Arm II", ("garlic powder tablets", "oxycodone"), "One oxycodone dose."),
            ],
        ),
        # A row that starts with one text twice has it for label and first name, not a cut inside it.
        (
            ["ObservationObservationStandard care by the ward staff"],
            {},
            [("Observation", ("Observation",), "Standard care by the ward staff")],
        ),
        # The capital that starts a word stays with it ("Usual C|are" is no cut).
        (
            ["Usual CareStandard care by the staff of the ward"],
            {},
            [("Usual Care", (), "Standard care by the staff of the ward")],
        ),
        # A label of the usual shape glued to lower-case names: the ordinal ends the label.
        (
            ["Arm Ibleomycin sulfatePatients receive bleomycin.", "Arm IIcisplatinPatients receive cisplatin."],
            {"summary": "Bleomycin sulfate or cisplatin is given."},
            [
                ("Arm I", ("bleomycin sulfate",), "Patients receive bleomycin."),
                ("Arm II", ("cisplatin",), "Patients receive cisplatin."),
            ],
        ),
        # A Roman numeral may end before its last letter when that letter starts a word of the page.
        (
            ["Arm IVitamin EPatients take vitamin E."],
            {"summary": "Patients take vitamin E daily."},
            [("Arm I", ("Vitamin E",), "Patients take vitamin E.")],
        ),
        # A letter that starts a word is no ordinal ("Treatment A|rm..."): the label ends after the word for an arm.
        (
            ["Treatment Armbevacizumab"],
            {"summary": "Patients receive bevacizumab."},
            [("Treatment Arm", ("bevacizumab",), None)],
        ),
        # Lower-case letters part only where the page's words meet ("irradiation|cyclophosphamide"), never inside a
        # word because a phrase of the page starts there ("ir|radiation").
        (
            ["Total body irradiationcyclophosphamidePatients receive radiation and cyclophosphamide."],
            {"summary": "Total body irradiation and cyclophosphamide are given."},
            [("Total body irradiation", ("cyclophosphamide",), "Patients receive radiation and cyclophosphamide.")],
        ),
        # Labels that count up row by row end at their ordinal, even glued to a number ("Group 1|3D-CRT").
        (
            ["Group 13D-CRTLow dose", "Group 23D-CRTHigh dose"],
            {"summary": "Conformal radiation therapy (3D-CRT) is given."},
            [("Group 1", ("3D-CRT",), "Low dose"), ("Group 2", ("3D-CRT",), "High dose")],
        ),
        (
            ["AHIV-infected adults", "BUninfected adults"],
            {"study_type": "OBSERVATIONAL"},
            [("A", (), "HIV-infected adults"), ("B", (), "Uninfected adults")],
        ),
        # No cut beside a hyphen inside a compound, nor inside a number ("Taxus-|Liberte", "0.0|1%").
        (
            ["Stent ATaxus-Liberte stentTitanium-coated stent"],
            {"summary": "The Taxus-Liberte stent is compared."},
            [("Stent A", ("Taxus-Liberte stent",), "Titanium-coated stent")],
        ),
        (
            ["Cohort 1GS-9191 ointmentGS-9191 0.01% ointment", "Cohort 2GS-9191 ointmentGS-9191 0.03% ointment"],
            {},
            [
                ("Cohort 1", ("GS-9191 ointment",), "GS-9191 0.01% ointment"),
                ("Cohort 2", ("GS-9191 ointment",), "GS-9191 0.03% ointment"),
            ],
        ),
        # A number glued to a capital that starts no word is a code, not a cell boundary ("506|U78").
        (
            ["Arm 1nelarabinePatients receive 506U78 over 2 hours."],
            {"summary": "Patients receive nelarabine."},
            [("Arm 1", ("nelarabine",), "Patients receive 506U78 over 2 hours.")],
        ),
        # No cut inside a word the page writes in the same case ("Osp|A", "PTLD|S"); "deviceS|ubjects" stays a seam.
        (
            ["OspA vaccinepatients who received the OspA vaccine", "PTLDSpresumed PTLDS"],
            {"study_type": "OBSERVATIONAL", "summary": "Patients with presumed PTLDS and OspA vaccine recipients."},
            [("OspA vaccine", (), "patients who received the OspA vaccine"), ("PTLDS", (), "presumed PTLDS")],
        ),
        # Rows that agree on more than whole cells ("Arm A |(paclitaxel)...Patients receive paclitaxel| over") share
        # the cells between the seams inside the common text.
        (
            [
                "Arm A (paclitaxel)paclitaxelquality-of-life assessmentlaboratory biomarker analysisPatients receive "
                "paclitaxel over 3 hours.",
                "Arm B (paclitaxel)paclitaxelquality-of-life assessmentlaboratory biomarker analysisPatients receive "
                "paclitaxel over 1 hour.",
            ],
            {"summary": "Paclitaxel with quality of life assessment and laboratory analysis."},
            [
                (
                    "Arm A (paclitaxel)",
                    ("paclitaxel", "quality-of-life assessment", "laboratory biomarker analysis"),
                    "Patients receive paclitaxel over 3 hours.",
                ),
                (
                    "Arm B (paclitaxel)",
                    ("paclitaxel", "quality-of-life assessment", "laboratory biomarker analysis"),
                    "Patients receive paclitaxel over 1 hour.",
                ),
            ],
        ),
        # A text glued to a copy of itself in another case parts there ("Opiates|opiates").
        (
            ["OpiatesopiatesOpiate-dependent individuals, not seeking treatment"],
            {"summary": "Drug users are studied."},
            [("Opiates", ("opiates",), "Opiate-dependent individuals, not seeking treatment")],
        ),
        # The one cell after a label is its intervention when it reads as a name: short, or sharing a word with the
        # label; a cell with a description's verb stays a description.
        (
            [
                "PatchingEye Patch",
                "72 ug linaclotide acetateLinaclotide Acetate",
                "Usual careEligible patients receive usual care",
            ],
            {"summary": "Constipation."},
            [
                ("Patching", ("Eye Patch",), None),
                ("72 ug linaclotide acetate", ("Linaclotide Acetate",), None),
                ("Usual care", (), "Eligible patients receive usual care"),
            ],
        ),
    ],
)
def test_medpath_arm_rows(
    rows: list[str], kwargs: dict[str, Any], arms: list[tuple[str, tuple[str, ...], str | None]]
) -> None:
    parsed = _medpath_page(rows, **kwargs)
    names = {
        a.label: tuple(i.intervention_name for i in parsed.interventions if i.arm_label == a.label) for a in parsed.arms
    }
    assert [(a.label, names[a.label], a.description) for a in parsed.arms] == arms


def _mirror_outcomes(paragraphs: Sequence[str]) -> list[tuple[str, str, str | None, str | None]]:
    """The outcomes read from a mirror page whose "Primary Outcomes" section holds the given paragraphs."""
    lines = ["A trial of a treatment", "", "NCT ID: NCT01234567", "", "Basic Information", "", "Recruitment Status",
             "", "RECRUITING", "", "Study Type", "", "INTERVENTIONAL", "", "Outcome Measures", "", "Primary Outcomes",
             ""]  # fmt: skip
    for paragraph in paragraphs:
        lines += [paragraph, ""]
    parsed = READER.parse(_doc("\n".join(lines)))
    return [(o.outcome_type, o.measure, o.time_frame, o.description) for o in parsed.outcomes]


@pytest.mark.parametrize(
    ("paragraphs", "outcomes"),
    [
        # Older records state no time frames: a long sentence after a measure is its description.
        (
            ["Event Free Survival", "Time to death from any cause, measured from the start of chemotherapy."],
            [
                (
                    "PRIMARY",
                    "Event Free Survival",
                    None,
                    "Time to death from any cause, measured from the start of chemotherapy.",
                )
            ],
        ),
        # Measures without time frames after one with a time frame are measures, not its description.
        (
            ["Cost per woman screened", "Time frame: 2 years", "HPV type prevalence", "Clearance of HPV infection"],
            [
                ("PRIMARY", "Cost per woman screened", "2 years", None),
                ("PRIMARY", "HPV type prevalence", None, None),
                ("PRIMARY", "Clearance of HPV infection", None, None),
            ],
        ),
    ],
)
def test_mirror_untimed_outcomes(
    paragraphs: list[str], outcomes: list[tuple[str, str, str | None, str | None]]
) -> None:
    assert _mirror_outcomes(paragraphs) == outcomes


# --- rendered pages against their source XML ---------------------------------------------------------------

_PAGES = sorted(PAGES.glob("*.txt"))
_CORPUS_XML = CORPUS / "ctgov-legacy-xml"
# The benchmark's sample: 300 corpus records rendered in both styles (bench/registry_page_eval.py).
_CORPUS_SAMPLE = 300
# Fields that MedPath's flattened tables do not always carry, with their agreement on the corpus sample when last
# measured. Half the pages have no intervention list (like seed 001): there a boundary between two lower-case cells
# ("Interventioncyclophosphamide") or between a last name and a description shows only where the page states a name
# elsewhere or another row parts there. On pages that list their interventions every arm field passes 98% (tested
# below); on those that do not, all 3,000 corpus records give arm labels 97.7%, descriptions 92.3%, pairs 88.7%,
# types 90.0%. Value by value (bench/registry_page_eval.py), 99.0% of all arm labels on all 3,000 pages are read
# right.
# Outcome fields pass on this sample (100%) and on the whole corpus (measures 98.0%, time frames 98.1%, counting as
# wrong the 21 records that state their endpoints only in prose, which the page reader then reads). Strict while
# the corpus is mounted.
_LOSSY = {
    ("medpath", "arm_labels"): (
        "a label glued lower case to an unstated name (98.7%: the corpus sample 99.0%, but 16 of the 17 fixture "
        "pages, one gluing its names in brackets to the label)"
    ),
    ("medpath", "arm_descriptions"): "a description glued to a name the page does not state (97.2%)",
    ("medpath", "intervention_pairs"): "names glued lower case to lower case, stated nowhere else (95.3%)",
    ("medpath", "intervention_types"): "no intervention list, so no types, and names as for the pairs (95.9%)",
}
Comparisons = dict[tuple[str, str], tuple[dict[str, list[str]], int, dict[str, tuple[int, int, int]]]]


@pytest.fixture(scope="module")
def comparisons() -> Comparisons:
    """(page set, style) -> (per field, the pages that disagree with their XML; pages read): the committed
    fixtures and, when the shared corpus is mounted, the benchmark's corpus sample."""
    sets = {"fixtures": list(fixture_pages(RENDER, PAGES))}
    if _CORPUS_XML.is_dir():
        sets["corpus sample"] = list(corpus_pages(RENDER, _CORPUS_XML, _CORPUS_SAMPLE))
    return {
        (name, style): agreement(RENDER, [page for page in pages if page[1] == style])
        for name, pages in sets.items()
        for style in ("medpath", "mirror")
    }


def test_fixture_set_is_varied() -> None:
    # ~30 pages, both styles of every record, each with its public-domain source XML.
    assert len(_PAGES) >= 30
    assert {p.name.split(".")[1] for p in _PAGES} == {"medpath", "mirror"}
    assert all((PAGES / f"{p.name.split('.')[0]}.xml").is_file() for p in _PAGES)


@pytest.mark.parametrize("page", _PAGES, ids=[p.name for p in _PAGES])
def test_rendered_pages_are_accepted(page: Path) -> None:
    # Every fixture page is taken for a registry page (agreement below counts a rejected page as a miss).
    assert READER.accepts(_doc(page.read_text(encoding="utf-8"), name=page.name))


@pytest.mark.parametrize("style", ["medpath", "mirror"])
@pytest.mark.parametrize("field", [*RENDER.TRIAL_FIELDS, *RENDER.LIST_FIELDS])
def test_rendered_pages_agree_with_xml(
    comparisons: Comparisons, style: str, field: str, request: pytest.FixtureRequest
) -> None:
    # Each field of each style agrees with the XML on at least 98% of the fixture pages and of the corpus sample.
    if (style, field) in _LOSSY:
        request.applymarker(pytest.mark.xfail(strict=_CORPUS_XML.is_dir(), reason=_LOSSY[(style, field)]))
    for (name, page_style), (misses, total, _) in comparisons.items():
        if page_style == style:
            assert total - len(misses[field]) >= 0.98 * total, (name, misses[field][:10])


@pytest.fixture(scope="module")
def listed_medpath() -> tuple[dict[str, list[str]], int, dict[str, tuple[int, int, int]]]:
    """Agreement on the MedPath pages of the corpus sample that list their interventions (the renderer's variant
    with "Type: Name" chips), where the arm table's cells can be told apart."""
    if not _CORPUS_XML.is_dir():
        pytest.skip("the shared corpus is not mounted")
    pages = [
        page
        for page in corpus_pages(RENDER, _CORPUS_XML, _CORPUS_SAMPLE)
        if page[1] == "medpath" and RENDER._variant(page[0].split(".")[0], "medpath", 2) == 1
    ]
    return agreement(RENDER, pages)


@pytest.mark.parametrize("field", sorted({field for _, field in _LOSSY}))
def test_medpath_pages_listing_interventions_agree_with_xml(
    listed_medpath: tuple[dict[str, list[str]], int, dict[str, tuple[int, int, int]]], field: str
) -> None:
    # Where a MedPath page lists its interventions, every arm field agrees with the XML on at least 98% of pages.
    misses, total, _ = listed_medpath
    assert total >= 100
    assert total - len(misses[field]) >= 0.98 * total, misses[field][:10]


@pytest.mark.parametrize("page", _PAGES, ids=[p.name for p in _PAGES])
def test_rendered_pages_keep_no_contacts(page: Path) -> None:
    # The placeholder contacts the renderer prints must never reach a record.
    strings = _strings(READER.parse(_doc(page.read_text(encoding="utf-8"), name=page.name)))
    assert not [s for s in strings if RENDER.PLACEHOLDER_PHONE in s or RENDER.PLACEHOLDER_EMAIL in s]


def test_value_counts_key_each_value_by_what_it_belongs_to() -> None:
    # A description counts as found only under its own arm's label: a wrong label loses both values.
    expected = {"arm_labels": ("Arm A", "Arm B"), "arm_descriptions": ("Drug x daily.", None)}
    observed = {"arm_labels": ("Arm A", "Arm Bdrug"), "arm_descriptions": ("Drug x daily.", None)}
    assert keyed_values(expected, "arm_descriptions") == Counter({("Arm A", "Drug x daily."): 1, ("Arm B", None): 1})
    assert (keyed_values(expected, "arm_descriptions") & keyed_values(observed, "arm_descriptions")).total() == 1
    assert keyed_values(observed, "arm_labels") == Counter({"Arm A": 1, "Arm Bdrug": 1})


def test_fixture_mirror_pages_yield_every_listed_value(comparisons: Comparisons) -> None:
    # Value by value, the committed mirror pages give exactly the XML's arms, interventions and outcomes.
    _, _, counts = comparisons[("fixtures", "mirror")]
    assert {field: stated for field, (stated, _, _) in counts.items()} == {
        "arm_labels": 20, "arm_descriptions": 20, "intervention_pairs": 73, "intervention_types": 73,
        "outcome_measures": 36, "outcome_time_frames": 36, "outcome_descriptions": 36,
    }  # fmt: skip
    assert all(stated == read == right for stated, read, right in counts.values())
