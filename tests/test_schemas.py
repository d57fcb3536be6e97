"""The pandera models: a bad frame fails with the expected check; every table's DDL comes from them."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pandera.errors
import pytest

from trial_pipeline.schemas import SCHEMAS, coerce_frame, columns, descriptions, empty_frame, sql_types


def trial(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {c: None for c in columns("trials")}
    row.update(
        trial_id="NCT00000001",
        nct_id="NCT00000001",
        other_ids=[],
        phases=["PHASE2"],
        collaborators=[],
        conditions=["AML"],
        countries=[],
        document_ids=["0123456789abcdef"],
        start_date=dt.date(2020, 1, 1),
    )
    row.update(overrides)
    return row


def failed_checks(table: str, rows: list[dict[str, object]]) -> set[tuple[str | None, str]]:
    frame = coerce_frame(table, pd.DataFrame(rows))
    with pytest.raises(pandera.errors.SchemaErrors) as info:
        SCHEMAS[table].validate(frame, lazy=True)
    cases = info.value.failure_cases
    return {
        (column if context == "Column" else None, str(check))
        for context, column, check in zip(cases["schema_context"], cases["column"], cases["check"], strict=True)
    }


def test_a_good_trial_passes() -> None:
    SCHEMAS["trials"].validate(coerce_frame("trials", pd.DataFrame([trial()])), lazy=True)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        # NCT IDs are NCT + 8 digits.
        ({"nct_id": "NCT123"}, ("nct_id", "str_matches('^NCT\\d{8}$')")),
        # Phases come from the v2 value set.
        ({"phases": ["PHASE 2"]}, ("phases", "phases_in_value_set")),
        ({"overall_status": "Recruiting"}, ("overall_status", "isin")),
        ({"enrollment_count": -1}, ("enrollment_count", "greater_than_or_equal_to(0)")),
        ({"maximum_age_years": 200.0}, ("maximum_age_years", "less_than_or_equal_to(150.0)")),
        # Ages in order.
        ({"minimum_age_years": 65.0, "maximum_age_years": 18.0}, (None, "minimum_age_not_above_maximum")),
        # Dates are dates, not strings.
        ({"start_date": "2020-01"}, ("start_date", "is_date")),
        ({"document_ids": []}, (None, "document_ids_not_empty")),
        # Completion before start.
        ({"completion_date": dt.date(2019, 1, 1)}, (None, "dates_in_order")),
    ],
)
def test_a_bad_trial_fails_with_the_expected_check(
    overrides: dict[str, object], expected: tuple[str | None, str]
) -> None:
    checks = failed_checks("trials", [trial(**overrides)])
    assert any(col == expected[0] and check.startswith(expected[1]) for col, check in checks), checks


def test_constraint_bounds_and_result_fractions() -> None:
    constraint = {
        "trial_id": "NCT00000001", "criterion_seq": 1, "variable": "AGE", "operator": "RANGE", "value_low": 75.0,
        "value_high": 18.0, "unit": "years", "is_negated": False, "document_id": "0123456789abcdef",
    }  # fmt: skip
    assert (None, "low_not_above_high") in failed_checks("criterion_constraints", [constraint])
    result = {
        "trial_id": "NCT00000001", "result_seq": 1, "measure": "CR", "value": 35.0, "numerator": 30,
        "denominator": 20, "document_id": "0123456789abcdef",
    }  # fmt: skip
    assert (None, "numerator_not_above_denominator") in failed_checks("results", [result])


@pytest.mark.parametrize("table", list(SCHEMAS))
def test_every_column_has_a_type_and_a_description(table: str) -> None:
    assert set(sql_types(table).values()) <= {"VARCHAR", "VARCHAR[]", "BIGINT", "DOUBLE", "BOOLEAN", "DATE"}
    assert all(descriptions(table).values())
    assert list(empty_frame(table).columns) == columns(table)


CONTRACT_COLUMNS = {
    "documents": "document_id source_path source_format content_sha256 size_bytes parse_status error_message",
    "trials": "trial_id nct_id other_ids acronym brief_title official_title phases overall_status study_type "
    "enrollment_count enrollment_type start_date primary_completion_date completion_date allocation "
    "intervention_model masking primary_purpose lead_sponsor collaborators conditions sex minimum_age_years "
    "maximum_age_years healthy_volunteers countries document_ids",
    "arms": "trial_id arm_seq label arm_type description document_id",
    "interventions": "trial_id intervention_seq arm_label intervention_name intervention_type other_names description "
    "dose_value dose_unit route frequency document_id",
    "criteria": "trial_id criterion_seq criterion_kind parent_seq text category document_id char_start char_end",
    "criterion_constraints": "trial_id criterion_seq variable operator value_low value_high unit is_negated "
    "document_id",
    "outcomes": "trial_id outcome_seq outcome_type measure time_frame description document_id",
    "results": "trial_id measure group_label param_type value unit numerator denominator document_id",
    "quarantine": "table_name document_id reason record",
}


@pytest.mark.parametrize(("table", "required"), CONTRACT_COLUMNS.items())
def test_contract_columns_are_all_present(table: str, required: str) -> None:
    # ../shared/CONTRACT.md v1: the project may add columns, never drop or rename these.
    assert set(required.split()) <= set(columns(table))
