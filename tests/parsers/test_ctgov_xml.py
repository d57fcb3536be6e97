"""The legacy XML reader on real ClinicalTrials.gov records (public-domain fixtures from the corpus)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import FIXTURES, document
from trial_pipeline.models import Document, ParseStatus, SourceFormat
from trial_pipeline.parsers.base import ParseError
from trial_pipeline.parsers.ctgov_xml import CtgovXmlReader

READER = CtgovXmlReader()


def parse(name: str):  # type: ignore[no-untyped-def]
    return READER.parse(document(FIXTURES / "ctgov" / name))


TRIAL_FIELDS = [
    # Phase 1/Phase 2 becomes a two-element list; masking keeps only its level.
    ("NCT00490022.xml", "phases", ("PHASE1", "PHASE2")),
    ("NCT00490022.xml", "masking", "DOUBLE"),
    ("NCT00490022.xml", "acronym", "DHT-3"),
    ("NCT00490022.xml", "other_ids", ("31866-A", "1K23AG027238-01A1", "DHT-3")),
    ("NCT00490022.xml", "collaborators", ("National Institute on Aging (NIA)", "ASCEND Therapeutics")),
    ("NCT00490022.xml", "lead_sponsor", "University of Washington"),
    ("NCT00490022.xml", "sex", "MALE"),
    ("NCT00490022.xml", "minimum_age_years", 35.0),
    ("NCT00490022.xml", "maximum_age_years", 55.0),
    ("NCT00490022.xml", "healthy_volunteers", True),
    ("NCT00490022.xml", "allocation", "RANDOMIZED"),
    ("NCT00490022.xml", "intervention_model", "PARALLEL"),
    ("NCT00490022.xml", "primary_purpose", "TREATMENT"),
    ("NCT00490022.xml", "start_date", dt.date(2007, 6, 1)),
    ("NCT00490022.xml", "start_date_raw", "June 2007"),
    ("NCT00490022.xml", "enrollment_count", 31),
    ("NCT00490022.xml", "enrollment_type", "ACTUAL"),
    # "Anticipated" is the legacy word for API v2's ESTIMATED; open label is NONE.
    ("NCT00000815.xml", "enrollment_type", "ESTIMATED"),
    ("NCT00000815.xml", "masking", "NONE"),
    # Months become fractions of a year.
    ("NCT00000815.xml", "minimum_age_years", 0.5),
    ("NCT00000815.xml", "maximum_age_years", round(7 / 12, 4)),
    ("NCT00000815.xml", "conditions", ("HIV Infections", "Measles")),
    ("NCT00000815.xml", "countries", ("Puerto Rico", "United States")),
    ("NCT00000815.xml", "start_date", None),
    # Observational: the model goes to intervention_model, N/A ages are null, full dates are kept.
    ("NCT00490126.xml", "study_type", "OBSERVATIONAL"),
    ("NCT00490126.xml", "intervention_model", "OTHER"),
    ("NCT00490126.xml", "phases", ()),
    ("NCT00490126.xml", "overall_status", "TERMINATED"),
    ("NCT00490126.xml", "minimum_age_years", None),
    ("NCT00490126.xml", "start_date", dt.date(2006, 6, 15)),
    ("NCT00490126.xml", "completion_date", dt.date(2018, 9, 18)),
    ("NCT00490126.xml", "healthy_volunteers", False),
    ("NCT02513394.legacy.xml", "overall_status", "ACTIVE_NOT_RECRUITING"),
    ("NCT02513394.legacy.xml", "phases", ("PHASE3",)),
    ("NCT02513394.legacy.xml", "acronym", "PALLAS"),
]


@pytest.mark.parametrize(("fixture", "field", "expected"), TRIAL_FIELDS)
def test_trial_fields(fixture: str, field: str, expected: object) -> None:
    parsed = parse(fixture)
    assert len(parsed.trials) == 1
    assert getattr(parsed.trials[0], field) == expected


def test_arms_and_interventions_pair_up_by_arm_label() -> None:
    parsed = parse("NCT00000815.xml")
    assert [(a.arm_seq, a.label, a.arm_type) for a in parsed.arms] == [
        (1, "1", "EXPERIMENTAL"),
        (2, "2", "EXPERIMENTAL"),
    ]
    # M-M-R-II is given in both arms: two rows.
    assert [(i.intervention_name, i.arm_label, i.intervention_type) for i in parsed.interventions] == [
        ("Attenuvax", "1", "BIOLOGICAL"),
        ("M-M-R-II", "1", "BIOLOGICAL"),
        ("M-M-R-II", "2", "BIOLOGICAL"),
    ]
    assert [i.intervention_seq for i in parsed.interventions] == [1, 2, 3]


def test_dose_route_frequency_from_the_arm_description() -> None:
    parsed = parse("NCT02513394.legacy.xml")
    palbociclib = [i for i in parsed.interventions if i.intervention_name == "Palbociclib"]
    assert len(palbociclib) == 1
    row = palbociclib[0]
    assert (row.arm_label, row.dose_value, row.dose_unit, row.route, row.frequency) == (
        "Arm A", 125.0, "mg", "ORAL", "ONCE_DAILY",
    )  # fmt: skip
    assert row.dosing_text is not None and "125 mg orally once daily" in row.dosing_text
    # The endocrine therapy states no dose anywhere: nothing is guessed.
    other = [i for i in parsed.interventions if i.intervention_name != "Palbociclib"]
    assert [(i.arm_label, i.dose_value, i.route) for i in other] == [("Arm A", None, None), ("Arm B", None, None)]


def test_outcomes_in_order_with_types_and_time_frames() -> None:
    parsed = parse("NCT00000815.xml")
    assert [o.outcome_type for o in parsed.outcomes] == ["PRIMARY"] * 3 + ["SECONDARY"] * 3
    assert [o.outcome_seq for o in parsed.outcomes] == [1, 2, 3, 4, 5, 6]
    assert all(o.measure for o in parsed.outcomes)


def test_results_one_row_per_measure_group_and_value() -> None:
    parsed = parse("NCT00001575.xml")
    first = parsed.results[0]
    assert (first.measure, first.param_type, first.value, first.unit, first.denominator, first.outcome_type) == (
        "Maximum Tolerated Dose (MTD) of 90Y-HAT", "NUMBER", 15.0, "mci", 28, "PRIMARY",
    )  # fmt: skip
    complete = [r for r in parsed.results if r.class_title == "Complete Response"]
    assert [(r.value, r.denominator, r.unit) for r in complete] == [(14.0, 46, "participants")]
    assert [r.result_seq for r in parsed.results] == list(range(1, len(parsed.results) + 1))


def test_criteria_rows_carry_kind_and_offsets_into_the_textblock() -> None:
    parsed = parse("NCT02513394.legacy.xml")
    kinds = [c.criterion_kind for c in parsed.criteria]
    assert kinds.count("INCLUSION") > 10 and kinds.count("EXCLUSION") > 10
    assert kinds.index("EXCLUSION") > kinds.index("INCLUSION")
    first = parsed.criteria[0]
    assert first.text.startswith("Signed informed consent")
    assert all(
        c.char_start is not None and c.char_end is not None and c.char_start < c.char_end for c in parsed.criteria
    )


def test_every_record_carries_its_document_and_trial() -> None:
    parsed = parse("NCT00001575.xml")
    doc_id = document(FIXTURES / "ctgov" / "NCT00001575.xml").document_id
    for table in ("trials", "arms", "interventions", "outcomes", "criteria", "results"):
        rows = getattr(parsed, table)
        assert rows, table
        assert {r.document_id for r in rows} == {doc_id}
        assert {r.trial_id for r in rows} == {"NCT00001575"}
    assert parsed.status == ParseStatus.PARSED
    assert parsed.source_format == SourceFormat.CTGOV_XML


def _doc(data: bytes) -> Document:
    return Document(document_id="0" * 16, source_path="x.xml", data=data, text=data.decode("utf-8", "replace"))


REFUSED = [
    # An external entity pointing at a local file is refused before parsing.
    (b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]><clinical_study>&x;</clinical_study>',
     "declares entities"),
    # Any case, after other declarations and comments: every "<!" is looked at, not only the first.
    (b'<?xml version="1.0"?><!-- c --><!DOCTYPE c [<!ELEMENT c ANY><!entity x "y">]><clinical_study></clinical_study>',
     "declares entities"),
    # Truncated XML is malformed, with the parser's reason.
    (b"<?xml version='1.0'?><clinical_study><id_info><nct_id>NCT00000001</nct_id>", "malformed XML"),
    # A record without an NCT ID cannot be keyed.
    (b"<clinical_study><brief_title>x</brief_title></clinical_study>", "no NCT ID"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "reason"), REFUSED)
def test_unreadable_xml_raises_parse_error_with_reason(data: bytes, reason: str) -> None:
    assert READER.accepts(_doc(data))
    with pytest.raises(ParseError, match=reason):
        READER.parse(_doc(data))


@pytest.mark.parametrize(
    ("data", "accepted"),
    [
        # Prose that merely mentions the tag is not XML.
        (b"The file has a <clinical_study> root.", False),
        (b"<?xml version='1.0'?>\n<clinical_study rank='1'></clinical_study>", True),
        (b'{"protocolSection": {}}', False),
    ],
)
def test_accepts_by_content(data: bytes, accepted: bool) -> None:
    assert READER.accepts(_doc(data)) is accepted
