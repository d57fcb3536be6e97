"""Frozen record dataclasses: the contract between the pure parsers and the rest of the pipeline.

Parsers return a :class:`ParsedDocument` holding these records. Nothing here knows about Dagster, pandas
or the filesystem. Field names equal the warehouse column names (see ``schemas.py``), so turning records
into frames is mechanical. Every record carries the ``document_id`` it came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class SourceFormat(StrEnum):
    """What kind of document a raw file is (``documents.source_format``)."""

    CTGOV_XML = "CTGOV_XML"
    CTGOV_JSON = "CTGOV_JSON"
    REGISTRY_PAGE = "REGISTRY_PAGE"
    NEWS_ARTICLE = "NEWS_ARTICLE"
    LAY_SUMMARY = "LAY_SUMMARY"
    TRIAL_DESCRIPTION = "TRIAL_DESCRIPTION"
    ABSTRACT = "ABSTRACT"
    UNKNOWN = "UNKNOWN"


class ParseStatus(StrEnum):
    """How far a document was understood (``documents.parse_status``)."""

    PARSED = "PARSED"
    PARTIAL = "PARTIAL"
    FAILED = "FAILED"


@dataclass(frozen=True, slots=True)
class Document:
    """One raw file as the parsers see it: bytes plus decoded text, never a path to open."""

    document_id: str
    source_path: str
    data: bytes
    text: str


@dataclass(frozen=True, slots=True)
class TrialRecord:
    """What one document states about one trial. Several documents may describe the same trial."""

    document_id: str
    trial_id: str
    nct_id: str | None = None
    other_ids: tuple[str, ...] = ()
    acronym: str | None = None
    brief_title: str | None = None
    official_title: str | None = None
    phases: tuple[str, ...] = ()
    overall_status: str | None = None
    study_type: str | None = None
    enrollment_count: int | None = None
    enrollment_type: str | None = None
    start_date: dt.date | None = None
    start_date_raw: str | None = None
    primary_completion_date: dt.date | None = None
    primary_completion_date_raw: str | None = None
    completion_date: dt.date | None = None
    completion_date_raw: str | None = None
    allocation: str | None = None
    intervention_model: str | None = None
    masking: str | None = None
    primary_purpose: str | None = None
    lead_sponsor: str | None = None
    collaborators: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    sex: str | None = None
    minimum_age_years: float | None = None
    minimum_age_raw: str | None = None
    maximum_age_years: float | None = None
    maximum_age_raw: str | None = None
    healthy_volunteers: bool | None = None
    countries: tuple[str, ...] = ()
    brief_summary: str | None = None


@dataclass(frozen=True, slots=True)
class ArmRecord:
    """One arm, group or cohort of a trial, as one document states it."""

    document_id: str
    trial_id: str
    arm_seq: int
    label: str
    arm_type: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class InterventionRecord:
    """One intervention as given to one arm (``arm_label`` None when no arm is known)."""

    document_id: str
    trial_id: str
    intervention_seq: int
    intervention_name: str
    arm_label: str | None = None
    intervention_type: str | None = None
    other_names: tuple[str, ...] = ()
    description: str | None = None
    dose_value: float | None = None
    dose_unit: str | None = None
    route: str | None = None
    frequency: str | None = None
    # The exact text the dose/route/frequency were read from, so every value can be checked at its source.
    dosing_text: str | None = None


@dataclass(frozen=True, slots=True)
class OutcomeRecord:
    """One planned outcome measure."""

    document_id: str
    trial_id: str
    outcome_seq: int
    outcome_type: str
    measure: str
    time_frame: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class CriterionRecord:
    """One eligibility criterion; offsets index the document's eligibility text."""

    document_id: str
    trial_id: str
    criterion_seq: int
    text: str
    criterion_kind: str | None = None
    parent_seq: int | None = None
    category: str | None = None
    char_start: int | None = None
    char_end: int | None = None


@dataclass(frozen=True, slots=True)
class ConstraintRecord:
    """One numeric or graded condition found inside a criterion."""

    document_id: str
    trial_id: str
    criterion_seq: int
    variable: str
    operator: str
    value_low: float | None = None
    value_high: float | None = None
    unit: str | None = None
    is_negated: bool = False
    span_text: str | None = None
    char_start: int | None = None
    char_end: int | None = None


@dataclass(frozen=True, slots=True)
class ResultRecord:
    """One reported result value: a measure, a group, and the number reported for it."""

    document_id: str
    trial_id: str
    result_seq: int
    measure: str
    group_label: str | None = None
    outcome_type: str | None = None
    class_title: str | None = None
    category_title: str | None = None
    param_type: str | None = None
    value: float | None = None
    value_raw: str | None = None
    unit: str | None = None
    dispersion_type: str | None = None
    spread: float | None = None
    lower_limit: float | None = None
    upper_limit: float | None = None
    numerator: int | None = None
    denominator: int | None = None
    time_frame: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """Everything one reader got out of one document."""

    source_format: SourceFormat
    status: ParseStatus = ParseStatus.PARSED
    # Why the status is not PARSED (sections not understood, values dropped); empty when fully parsed.
    problems: tuple[str, ...] = ()
    trials: tuple[TrialRecord, ...] = ()
    arms: tuple[ArmRecord, ...] = ()
    interventions: tuple[InterventionRecord, ...] = ()
    outcomes: tuple[OutcomeRecord, ...] = ()
    criteria: tuple[CriterionRecord, ...] = ()
    criterion_constraints: tuple[ConstraintRecord, ...] = ()
    results: tuple[ResultRecord, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)


#: The record type of each table a ParsedDocument carries, in the order the tables are published.
RECORD_TYPES: dict[str, type] = {
    "trials": TrialRecord,
    "arms": ArmRecord,
    "interventions": InterventionRecord,
    "outcomes": OutcomeRecord,
    "criteria": CriterionRecord,
    "criterion_constraints": ConstraintRecord,
    "results": ResultRecord,
}
#: The record tables a ParsedDocument carries, in the order they are published.
RECORD_TABLES: tuple[str, ...] = tuple(RECORD_TYPES)
