"""Property tests: any bytes give an outcome with a status; criteria and constraint offsets stay in the text."""

from __future__ import annotations

import json
import re
from typing import Any
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES
from trial_pipeline.models import ParseStatus
from trial_pipeline.parsers.constraints import extract_constraints
from trial_pipeline.parsers.criteria import split_criteria
from trial_pipeline.parsers.registry import parse_document
from trial_pipeline.privacy import REDACTED, scrub

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# What makes each reader accept a document: the fuzzed rest then reaches its parse.
PREFIXES = {
    "ctgov_xml": '<?xml version="1.0"?>\n<clinical_study><id_info><nct_id>NCT01234567</nct_id></id_info>',
    "ctgov_json": '{"protocolSection": {"identificationModule": {"nctId": "NCT01234567"}, ',
    "registry_page": (
        "MedPath\n\nOverview\n\nStudy Details\n\nConditions\n\nInterventions\n\nEligibility Criteria\n\n"
        "Inclusion Criteria\n\nSponsor\n\nNCT01234567\n\n"
    ),
    "narrative": "A phase 3 trial (NCT01234567) of pembrolizumab in patients with melanoma started. ",
}

TOKENS = [
    "Inclusion Criteria:",
    "Exclusion Criteria:",
    "\n",
    "\r\n",
    "\n\n",
    "  ",
    "\t",
    "\u00a0",
    "- ",
    "* ",
    "• ",
    "1. ",
    "2) ",
    "a) ",
    "ii. ",
    "\\-",
    "Age",
    "age ≥ 18 years",
    ">=",
    "<",
    "≤",
    "18",
    "75",
    "1.5",
    "x 10^9/L",
    "ANC",
    "platelets",
    "ECOG 0-1",
    "bilirubin ≤ 1.5 x ULN",
    "creatinine",
    "mg/dL",
    "not",
    "no",
    "and",
    "or",
    "<clinical_study>",
    "</textblock>",
    "&amp;",
    '"',
    "{",
    "]",
    ":",
    ";",
    ",",
]

criteria_text = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=12)), max_size=40).map("".join)


GOOD_XML = (FIXTURES / "ctgov" / "NCT00490022.xml").read_text(encoding="utf-8")
GOOD_JSON = json.loads((FIXTURES / "ctgov" / "NCT03418623.json").read_text(encoding="utf-8"))
XML_TAGS = sorted(set(re.findall(r"<([a-z_]+)>[^<]", GOOD_XML)))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | criteria_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _leaf_paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [path, *(p for k, v in node.items() for p in _leaf_paths(v, (*path, k)))]
    if isinstance(node, list):
        return [path, *(p for i, v in enumerate(node) for p in _leaf_paths(v, (*path, i)))]
    return [path]


JSON_PATHS = [p for p in _leaf_paths(GOOD_JSON) if p]


def _check_outcome(source_path: str, data: bytes) -> None:
    outcome = parse_document(source_path, data)
    assert isinstance(outcome.status, ParseStatus)
    # A reader may refuse a document, but never by tripping over its own bug.
    assert "internal error" not in (outcome.error_message or ""), outcome.error_message
    if outcome.status is ParseStatus.FAILED:
        assert outcome.error_message
        assert outcome.parsed is None
    else:
        assert outcome.parsed is not None


@SETTINGS
@given(st.binary(max_size=2000))
def test_any_bytes_give_an_outcome_with_a_status(data: bytes) -> None:
    _check_outcome("random.bin", data)


@SETTINGS
@given(st.sampled_from(sorted(PREFIXES)), criteria_text, st.sampled_from(["utf-8", "utf-16", "latin-1"]))
def test_any_text_behind_each_readers_signature_gives_an_outcome(reader: str, rest: str, encoding: str) -> None:
    data = (PREFIXES[reader] + rest).encode(encoding, errors="replace")
    _check_outcome(f"fuzz.{reader}", data)


@SETTINGS
@given(st.sampled_from(sorted(PREFIXES)), st.binary(max_size=500))
def test_any_bytes_behind_each_readers_signature_give_an_outcome(reader: str, rest: bytes) -> None:
    _check_outcome(f"fuzz.{reader}", PREFIXES[reader].encode() + rest)


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(JSON_PATHS), json_values), min_size=1, max_size=4))
def test_api_v2_records_with_any_field_values_give_an_outcome(changes: list[tuple[tuple[Any, ...], Any]]) -> None:
    record = json.loads(json.dumps(GOOD_JSON))
    for path, value in changes:
        node = record
        try:
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change replaced a parent of this path
    _check_outcome("fuzz.json", json.dumps(record).encode())


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(XML_TAGS), criteria_text), min_size=1, max_size=4))
def test_legacy_records_with_any_element_text_give_an_outcome(changes: list[tuple[str, str]]) -> None:
    record = GOOD_XML
    for tag, text in changes:
        found = re.search(f"<{tag}>[^<]*</{tag}>", record)
        if found:
            record = record[: found.start()] + f"<{tag}>{escape(text)}</{tag}>" + record[found.end() :]
    _check_outcome("fuzz.xml", record.encode())


@SETTINGS
@given(criteria_text)
def test_criteria_offsets_are_inside_the_text_and_never_empty(text: str) -> None:
    criteria = split_criteria(text, document_id="d", trial_id="t")
    seqs = [c.criterion_seq for c in criteria]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    for criterion in criteria:
        assert criterion.char_start is not None and criterion.char_end is not None
        assert 0 <= criterion.char_start < criterion.char_end <= len(text)
        assert text[criterion.char_start : criterion.char_end].strip()
        assert criterion.text.strip()
        assert criterion.parent_seq is None or criterion.parent_seq in seqs


@SETTINGS
@given(criteria_text)
def test_constraint_offsets_are_inside_the_text_and_give_their_span(text: str) -> None:
    criteria = split_criteria(text, document_id="d", trial_id="t")
    for constraint in extract_constraints(criteria, source_text=text):
        assert constraint.char_start is not None and constraint.char_end is not None
        assert 0 <= constraint.char_start < constraint.char_end <= len(text)
        assert text[constraint.char_start : constraint.char_end] == constraint.span_text
        assert constraint.span_text and constraint.span_text.strip()
    for constraint in extract_constraints(criteria):
        assert constraint.span_text and constraint.span_text.strip()


@SETTINGS
@given(criteria_text)
def test_scrub_is_idempotent_and_keeps_text_without_contacts(text: str) -> None:
    once = scrub(text)
    assert scrub(once) == once
    if "@" not in text and REDACTED not in once:
        assert once == text
