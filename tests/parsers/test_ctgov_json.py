"""The API v2 JSON reader, and its agreement with the legacy XML reader on the same study."""

from __future__ import annotations

import dataclasses
import json

import pytest

from tests.conftest import FIXTURES, document
from trial_pipeline.models import Document, ParseStatus
from trial_pipeline.parsers.base import ParseError
from trial_pipeline.parsers.ctgov_json import CtgovJsonReader
from trial_pipeline.parsers.ctgov_xml import CtgovXmlReader

READER = CtgovJsonReader()
V2 = FIXTURES / "ctgov" / "NCT02513394.v2.json"
LEGACY = FIXTURES / "ctgov" / "NCT02513394.legacy.xml"

# The JSON is a 2023 snapshot, the XML a 2020 one: these changed in the registry in between.
CHANGED_BETWEEN_SNAPSHOTS = {"primary_completion_date", "countries"}
# Raw text differs by format ("August 2015" vs "2015-08"; XML writes N/A, v2 omits the field).
FORMAT_SPELLING = {
    "document_id",
    "start_date_raw",
    "primary_completion_date_raw",
    "completion_date_raw",
    "maximum_age_raw",
}


def _doc(payload: object) -> Document:
    text = json.dumps(payload)
    return Document(document_id="0" * 16, source_path="x.json", data=text.encode(), text=text)


def test_same_study_in_both_formats_gives_the_same_trial_row() -> None:
    xml = CtgovXmlReader().parse(document(LEGACY)).trials[0]
    v2 = READER.parse(document(V2)).trials[0]
    differing = {f.name for f in dataclasses.fields(xml) if getattr(xml, f.name) != getattr(v2, f.name)}
    assert differing == CHANGED_BETWEEN_SNAPSHOTS | FORMAT_SPELLING


def test_same_study_in_both_formats_gives_the_same_arms_interventions_and_criteria() -> None:
    xml = CtgovXmlReader().parse(document(LEGACY))
    v2 = READER.parse(document(V2))

    def strip(rows: tuple[object, ...]) -> list[dict[str, object]]:
        return [{k: v for k, v in dataclasses.asdict(r).items() if k != "document_id"} for r in rows]  # type: ignore[call-overload]

    assert strip(xml.arms) == strip(v2.arms)
    assert strip(xml.interventions) == strip(v2.interventions)
    assert [(c.criterion_kind, c.parent_seq, c.text) for c in xml.criteria] == [
        (c.criterion_kind, c.parent_seq, c.text) for c in v2.criteria
    ]


def test_v2_enums_results_and_outcomes() -> None:
    parsed = READER.parse(document(V2))
    trial = parsed.trials[0]
    assert (trial.overall_status, trial.phases, trial.allocation, trial.masking, trial.sex) == (
        "ACTIVE_NOT_RECRUITING", ("PHASE3",), "RANDOMIZED", "NONE", "ALL",
    )  # fmt: skip
    assert trial.other_ids == ("AFT-05", "ABCSG 42", "BIG 14-03", "2014-005181-30", "PALLAS")
    assert [o.outcome_type for o in parsed.outcomes] == ["PRIMARY"] + ["SECONDARY"] * 4
    primary = [r for r in parsed.results if r.outcome_type == "PRIMARY"]
    assert next((r.group_label, r.param_type, r.unit) for r in primary) == (
        "Palbociclib Plus Endocrine Therapy (Arm A)", "NUMBER", "percentage of participants",
    )  # fmt: skip
    assert all(r.denominator is not None for r in primary)


def test_aact_fixture_study() -> None:
    parsed = READER.parse(document(FIXTURES / "ctgov" / "NCT03418623.json"))
    trial = parsed.trials[0]
    assert (trial.nct_id, trial.phases, len(parsed.arms)) == ("NCT03418623", ("PHASE2",), 2)


def test_a_studies_page_with_one_broken_study_is_partial() -> None:
    study = json.loads(V2.read_text())
    broken = {"protocolSection": {"identificationModule": {}}}
    parsed = READER.parse(_doc({"studies": [study, broken]}))
    assert parsed.status == ParseStatus.PARTIAL
    assert parsed.problems == ("study 1: record has no NCT ID",)
    assert [t.nct_id for t in parsed.trials] == ["NCT02513394"]


def test_a_bare_list_of_studies() -> None:
    study = json.loads(V2.read_text())
    parsed = READER.parse(_doc([study, study]))
    assert [t.nct_id for t in parsed.trials] == ["NCT02513394", "NCT02513394"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # Truncated JSON.
        ('{"protocolSection": {"identificationModule": ', "malformed JSON"),
        # Nesting deeper than any study is refused before json.loads recurses.
        ('{"protocolSection": ' + "[" * 5000 + "]" * 5000 + "}", "nested deeper"),
        # JSON without any study.
        ('{"protocolSection": 3}', "no API v2 study"),
    ],
)
def test_unreadable_json_raises_parse_error(text: str, reason: str) -> None:
    doc = Document(document_id="0" * 16, source_path="x.json", data=text.encode(), text=text)
    assert READER.accepts(doc)
    with pytest.raises(ParseError, match=reason):
        READER.parse(doc)


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        # A bare array of numbers is JSON but not a study.
        ("[1, 2, 3]", False),
        ('{"name": "not a study"}', False),
        ('  {"protocolSection": {}}', True),
    ],
)
def test_accepts_by_content(text: str, accepted: bool) -> None:
    doc = Document(document_id="0" * 16, source_path="x", data=text.encode(), text=text)
    assert READER.accepts(doc) is accepted
