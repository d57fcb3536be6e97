"""The warehouse tables: one pandera ``DataFrameModel`` per table, the single source of truth.

Each field carries its description (the README's table dictionary is generated from it) and its DuckDB
type in ``metadata["sql"]`` (the DDL is generated from it). Column order is field order. Value sets come
from :mod:`trial_pipeline.enums` (the ClinicalTrials.gov API v2 enums).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pyarrow
from pandera.typing import Series

from trial_pipeline import enums
from trial_pipeline.models import ParseStatus, SourceFormat

NCT_PATTERN = r"^NCT\d{8}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
# ClinicalTrials.gov records use ages up to 130 Years to mean "no upper limit"; beyond 150 is an entry error.
MAX_AGE_YEARS = 150.0


def _field(description: str, sql: str, *, nullable: bool = True, **checks: Any) -> Any:
    return pa.Field(description=description, nullable=nullable, metadata={"sql": sql}, **checks)


def varchar(description: str, *, nullable: bool = True, **checks: Any) -> Any:
    """A VARCHAR column."""
    return _field(description, "VARCHAR", nullable=nullable, **checks)


def enum(description: str, values: frozenset[str], *, nullable: bool = True) -> Any:
    """A VARCHAR column restricted to an API v2 value set."""
    return _field(description, "VARCHAR", nullable=nullable, isin=sorted(values))


def text_list(description: str) -> Any:
    """A ``VARCHAR[]`` column (Parquet list); never null, empty when nothing is known."""
    return _field(description, "VARCHAR[]", nullable=False)


def integer(description: str, *, nullable: bool = True, **checks: Any) -> Any:
    """A BIGINT column (pandas nullable ``Int64``)."""
    return _field(description, "BIGINT", nullable=nullable, **checks)


def double(description: str, **checks: Any) -> Any:
    """A DOUBLE column."""
    return _field(description, "DOUBLE", **checks)


def boolean(description: str, *, nullable: bool = True) -> Any:
    """A BOOLEAN column (pandas nullable ``boolean``)."""
    return _field(description, "BOOLEAN", nullable=nullable)


def date(description: str) -> Any:
    """A DATE column (``datetime.date`` objects or null)."""
    return _field(description, "DATE")


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def _is_date(value: object) -> bool:
    return value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime))


class _Base(pa.DataFrameModel):
    class Config:
        strict = True
        ordered = True
        coerce = False


class DocumentSchema(_Base):
    """One row per file found under the raw directory, whether or not it parsed."""

    document_id: Series[str] = varchar(
        "Stable ID of the document: the first 16 hex digits of its content SHA-256.",
        nullable=False,
        str_matches=r"^[0-9a-f]{16}$",
    )
    source_path: Series[str] = varchar(
        "Path of the file relative to the raw directory (POSIX separators).", nullable=False, unique=True
    )
    source_format: Series[str] = enum(
        "Kind of document, detected from its content.", frozenset(SourceFormat), nullable=False
    )
    content_sha256: Series[str] = varchar("SHA-256 of the file's bytes.", nullable=False, str_matches=SHA256_PATTERN)
    size_bytes: Series[pd.Int64Dtype] = integer("Size of the file in bytes.", nullable=False, ge=0)
    parse_status: Series[str] = enum(
        "PARSED, PARTIAL (some sections not understood) or FAILED.", frozenset(ParseStatus), nullable=False
    )
    error_message: Series[str] = varchar(
        "Why the document is PARTIAL or FAILED, or how it was read (e.g. its encoding); null when nothing to note."
    )
    trial_count: Series[pd.Int64Dtype] = integer(
        "Number of trials the document was found to describe.", nullable=False, ge=0
    )
    parser_version: Series[str] = varchar("Version of the reader that read the document.", nullable=False)  # fmt: skip


class TrialSchema(_Base):
    """One row per trial, however many documents mention it."""

    trial_id: Series[str] = varchar(
        "Trial key: the NCT ID when known, else another registry ID, else a stable derived key.",
        nullable=False,
        unique=True,
    )
    nct_id: Series[str] = varchar("ClinicalTrials.gov identifier (NCT + 8 digits).", str_matches=NCT_PATTERN)
    other_ids: Series[object] = text_list(
        "Other identifiers: org study IDs, secondary and other registry IDs, acronyms."
    )
    acronym: Series[str] = varchar("Study acronym, e.g. KOMET-001.")
    brief_title: Series[str] = varchar("Short title.")
    official_title: Series[str] = varchar("Full scientific title.")
    phases: Series[object] = text_list("Phases: EARLY_PHASE1, PHASE1, PHASE2, PHASE3, PHASE4, NA.")
    overall_status: Series[str] = enum("Recruitment status (API v2 Status).", enums.OVERALL_STATUS)
    study_type: Series[str] = enum("INTERVENTIONAL, OBSERVATIONAL or EXPANDED_ACCESS.", enums.STUDY_TYPE)
    enrollment_count: Series[pd.Int64Dtype] = integer("Number of participants, actual or estimated.", ge=0)
    enrollment_type: Series[str] = enum("ACTUAL or ESTIMATED.", enums.ENROLLMENT_TYPE)
    start_date: Series[object] = date("Study start (first of the month when only a month is given).")
    start_date_raw: Series[str] = varchar("Start date as the source wrote it.")
    primary_completion_date: Series[object] = date("Primary completion date.")
    primary_completion_date_raw: Series[str] = varchar("Primary completion date as the source wrote it.")
    completion_date: Series[object] = date("Study completion date.")
    completion_date_raw: Series[str] = varchar("Completion date as the source wrote it.")
    allocation: Series[str] = enum("RANDOMIZED, NON_RANDOMIZED or NA.", enums.ALLOCATION)
    intervention_model: Series[str] = enum(
        "Interventional assignment or observational model (API v2).", enums.INTERVENTION_MODEL
    )
    masking: Series[str] = enum("NONE, SINGLE, DOUBLE, TRIPLE or QUADRUPLE.", enums.MASKING)
    primary_purpose: Series[str] = enum("Primary purpose (API v2 PrimaryPurpose).", enums.PRIMARY_PURPOSE)
    lead_sponsor: Series[str] = varchar("Lead sponsor organisation.")
    collaborators: Series[object] = text_list("Collaborating organisations.")
    conditions: Series[object] = text_list("Conditions studied, as the sources name them.")
    sex: Series[str] = enum("Sexes eligible: ALL, FEMALE or MALE.", enums.SEX)
    minimum_age_years: Series[float] = double(
        "Minimum eligible age in years (6 Months -> 0.5).", ge=0, le=MAX_AGE_YEARS
    )
    minimum_age_raw: Series[str] = varchar("Minimum age as the source wrote it.")
    maximum_age_years: Series[float] = double("Maximum eligible age in years.", ge=0, le=MAX_AGE_YEARS)
    maximum_age_raw: Series[str] = varchar("Maximum age as the source wrote it.")
    healthy_volunteers: Series[pd.BooleanDtype] = boolean("Whether healthy volunteers are accepted.")
    countries: Series[object] = text_list("Countries with at least one site.")
    brief_summary: Series[str] = varchar("Brief summary from the highest-priority source.")
    document_ids: Series[object] = text_list("Every document that describes this trial.")

    @pa.check(
        "other_ids",
        "collaborators",
        "conditions",
        "countries",
        "document_ids",
        element_wise=True,
        name="is_list_of_text",
    )
    def _lists(cls, value: object) -> bool:
        return _is_str_list(value)

    @pa.check("phases", element_wise=True, name="phases_in_value_set")
    def _phases(cls, value: object) -> bool:
        return isinstance(value, list) and _is_str_list(value) and all(v in enums.PHASES for v in value)

    @pa.check("start_date", "primary_completion_date", "completion_date", element_wise=True, name="is_date")
    def _dates(cls, value: object) -> bool:
        return _is_date(value)

    @pa.dataframe_check(name="minimum_age_not_above_maximum")
    def _ages(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["minimum_age_years"] > df["maximum_age_years"]).fillna(False).astype(bool)  # type: ignore[return-value]

    @pa.dataframe_check(name="dates_in_order")
    def _dates_in_order(cls, df: pd.DataFrame) -> Series[bool]:
        # Start, then primary completion, then completion (equal is fine: month-only dates often coincide).
        start, primary, end = (
            pd.to_datetime(df[c], errors="coerce") for c in ("start_date", "primary_completion_date", "completion_date")
        )
        bad = (start > primary).fillna(False) | (start > end).fillna(False) | (primary > end).fillna(False)
        return ~bad  # type: ignore[return-value]

    @pa.dataframe_check(name="document_ids_not_empty")
    def _has_documents(cls, df: pd.DataFrame) -> Series[bool]:
        return df["document_ids"].map(len) > 0  # type: ignore[return-value]


class ArmSchema(_Base):
    """One row per arm, group or cohort, as one document states it."""

    trial_id: Series[str] = varchar("Trial the arm belongs to.", nullable=False)
    arm_seq: Series[pd.Int64Dtype] = integer("Order of the arm within its document (1-based).", nullable=False, ge=1)
    label: Series[str] = varchar("Arm label as the source names it.", nullable=False)
    arm_type: Series[str] = enum("API v2 ArmGroupType, null when not stated.", enums.ARM_TYPE)
    description: Series[str] = varchar("Arm description.")
    document_id: Series[str] = varchar("Document the row came from.", nullable=False)


class InterventionSchema(_Base):
    """One row per intervention as given to one arm (null ``arm_label`` when no arm is known)."""

    trial_id: Series[str] = varchar("Trial the intervention belongs to.", nullable=False)
    intervention_seq: Series[pd.Int64Dtype] = integer("Order within its document (1-based).", nullable=False, ge=1)
    arm_label: Series[str] = varchar("Arm the intervention is given in; null when not known.")
    intervention_name: Series[str] = varchar("Intervention name as the source gives it.", nullable=False)
    intervention_type: Series[str] = enum("API v2 InterventionType.", enums.INTERVENTION_TYPE)
    other_names: Series[object] = text_list("Other names: brand names, code names, synonyms.")
    description: Series[str] = varchar("Intervention description.")
    dose_value: Series[float] = double("Dose as stated (null unless stated unambiguously).", ge=0)
    dose_unit: Series[str] = varchar("Dose unit in normalised spelling: mg, mg/m2, mg/kg, cells/kg, ...")
    route: Series[str] = enum("Route: ORAL, INTRAVENOUS, SUBCUTANEOUS, ...", enums.ROUTE)
    frequency: Series[str] = varchar("ONCE_DAILY, TWICE_DAILY, WEEKLY, ... or the schedule as written.")
    dosing_text: Series[str] = varchar("The source text the dose, route and frequency were read from.")
    document_id: Series[str] = varchar("Document the row came from.", nullable=False)

    @pa.check("other_names", element_wise=True, name="is_list_of_text")
    def _lists(cls, value: object) -> bool:
        return _is_str_list(value)


class OutcomeSchema(_Base):
    """One row per planned outcome measure."""

    trial_id: Series[str] = varchar("Trial the outcome belongs to.", nullable=False)
    outcome_seq: Series[pd.Int64Dtype] = integer("Order within its document (1-based).", nullable=False, ge=1)
    outcome_type: Series[str] = enum("PRIMARY, SECONDARY or OTHER.", enums.OUTCOME_TYPE, nullable=False)
    measure: Series[str] = varchar("What is measured.", nullable=False)
    time_frame: Series[str] = varchar("When it is measured.")
    description: Series[str] = varchar("Description of the measure.")
    document_id: Series[str] = varchar("Document the row came from.", nullable=False)


class CriterionSchema(_Base):
    """One row per eligibility criterion, in document order."""

    trial_id: Series[str] = varchar("Trial the criterion belongs to.", nullable=False)
    criterion_seq: Series[pd.Int64Dtype] = integer("Order within its document (1-based).", nullable=False, ge=1)
    criterion_kind: Series[str] = enum("INCLUSION or EXCLUSION; null when the text does not say.", enums.CRITERION_KIND)
    parent_seq: Series[pd.Int64Dtype] = integer("criterion_seq of the enclosing criterion of a sub-item.", ge=1)
    text: Series[str] = varchar("The criterion's text, wrapped lines joined.", nullable=False)
    category: Series[str] = varchar("Topic: age, performance_status, diagnosis, prior_therapy, organ_function, ...")
    document_id: Series[str] = varchar("Document the row came from.", nullable=False)
    char_start: Series[pd.Int64Dtype] = integer(
        "Start offset of the criterion in the document's eligibility text.", ge=0
    )
    char_end: Series[pd.Int64Dtype] = integer("End offset (exclusive) in the eligibility text.", ge=0)

    @pa.dataframe_check(name="offsets_in_order")
    def _offsets(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["char_start"] > df["char_end"]).fillna(False).astype(bool)  # type: ignore[return-value]


class CriterionConstraintSchema(_Base):
    """One row per numeric or graded condition inside a criterion."""

    trial_id: Series[str] = varchar("Trial the criterion belongs to.", nullable=False)
    criterion_seq: Series[pd.Int64Dtype] = integer("The criterion the condition is in.", nullable=False, ge=1)
    variable: Series[str] = varchar(
        "Upper snake variable name from the package catalogue: AGE, ECOG, ANC, ...",
        nullable=False,
        str_matches=r"^[A-Z][A-Z0-9_]*$",
    )
    operator: Series[str] = enum(
        "Comparison: >=, >, <=, <, = or RANGE.", frozenset({">=", ">", "<=", "<", "=", "RANGE"}), nullable=False
    )
    value_low: Series[float] = double("Lower bound (null when the condition has none).")
    value_high: Series[float] = double("Upper bound (null when the condition has none).")
    unit: Series[str] = varchar("Unit in normalised spelling: years, weeks, 10^9/L, umol/L, g/dL, ULN, ...")
    is_negated: Series[pd.BooleanDtype] = boolean("Whether the text negates the condition.", nullable=False)
    span_text: Series[str] = varchar("The text the condition was read from.")
    char_start: Series[pd.Int64Dtype] = integer("Start offset of the span in the eligibility text.", ge=0)
    char_end: Series[pd.Int64Dtype] = integer("End offset (exclusive) of the span.", ge=0)
    document_id: Series[str] = varchar("Document the row came from.", nullable=False)

    @pa.dataframe_check(name="low_not_above_high")
    def _bounds(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["value_low"] > df["value_high"]).fillna(False).astype(bool)  # type: ignore[return-value]


class ResultSchema(_Base):
    """One row per reported result value (registry results sections, news, abstracts)."""

    trial_id: Series[str] = varchar("Trial the result belongs to.", nullable=False)
    result_seq: Series[pd.Int64Dtype] = integer("Order within its document (1-based).", nullable=False, ge=1)
    outcome_type: Series[str] = enum("PRIMARY, SECONDARY or OTHER, when known.", enums.OUTCOME_TYPE)
    measure: Series[str] = varchar("The measure the value belongs to.", nullable=False)
    time_frame: Series[str] = varchar("When the measure was taken.")
    group_label: Series[str] = varchar("Group (arm, cohort) the value is for.")
    class_title: Series[str] = varchar("Class (row group) within the measure, e.g. a response category.")
    category_title: Series[str] = varchar("Category within the class.")
    param_type: Series[str] = enum(
        "API v2 MeasureParam: NUMBER, MEAN, MEDIAN, COUNT_OF_PARTICIPANTS, ...", enums.PARAM_TYPE
    )
    value: Series[float] = double("The value; null when the source reports none (NA).")
    value_raw: Series[str] = varchar("The value as the source wrote it.")
    unit: Series[str] = varchar("Unit of measure as the source states it.")
    dispersion_type: Series[str] = enum("API v2 MeasureDispersionType.", enums.DISPERSION_TYPE)
    spread: Series[float] = double("Dispersion value (SD, SE, ...).")
    lower_limit: Series[float] = double("Lower limit of the interval or range.")
    upper_limit: Series[float] = double("Upper limit of the interval or range.")
    numerator: Series[pd.Int64Dtype] = integer("Participants with the outcome, for counts and stated fractions.", ge=0)
    denominator: Series[pd.Int64Dtype] = integer("Participants analysed in the group.", ge=0)
    document_id: Series[str] = varchar("Document the row came from.", nullable=False)

    @pa.dataframe_check(name="numerator_not_above_denominator")
    def _fraction(cls, df: pd.DataFrame) -> Series[bool]:
        return ~(df["numerator"] > df["denominator"]).fillna(False).astype(bool)  # type: ignore[return-value]


class QuarantineSchema(_Base):
    """One row per record that failed validation, with why."""

    table_name: Series[str] = varchar("Table the record was meant for.", nullable=False)
    document_id: Series[str] = varchar("Document the record came from.")
    reason: Series[str] = varchar("The failed checks: column, check and offending value.", nullable=False)
    record: Series[str] = varchar("The record as JSON text.", nullable=False)


#: Every published table, in publish order, with its schema.
SCHEMAS: dict[str, type[_Base]] = {
    "documents": DocumentSchema,
    "trials": TrialSchema,
    "arms": ArmSchema,
    "interventions": InterventionSchema,
    "outcomes": OutcomeSchema,
    "criteria": CriterionSchema,
    "criterion_constraints": CriterionConstraintSchema,
    "results": ResultSchema,
    "quarantine": QuarantineSchema,
}


def columns(table: str) -> list[str]:
    """Column names of ``table`` in order."""
    return list(SCHEMAS[table].to_schema().columns)


def sql_types(table: str) -> dict[str, str]:
    """DuckDB type of each column of ``table``, in order."""
    schema = SCHEMAS[table].to_schema()
    return {name: col.metadata["sql"] for name, col in schema.columns.items()}


def descriptions(table: str) -> dict[str, str]:
    """Description of each column of ``table``, in order."""
    schema = SCHEMAS[table].to_schema()
    return {name: col.description or "" for name, col in schema.columns.items()}


def empty_frame(table: str) -> pd.DataFrame:
    """A frame with ``table``'s columns and dtypes and no rows."""
    return coerce_frame(table, pd.DataFrame({c: [] for c in columns(table)}))


_PANDAS_DTYPES = {"BIGINT": "Int64", "DOUBLE": "float64", "BOOLEAN": "boolean", "VARCHAR": "object"}


def coerce_frame(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with exactly ``table``'s columns, in order, each in the dtype its schema expects."""
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for name, sql in sql_types(table).items():
        values = frame[name] if name in frame.columns else pd.Series([None] * len(frame))
        values = values.reset_index(drop=True)
        if sql == "VARCHAR[]":
            out[name] = values.map(lambda v: list(v) if isinstance(v, (list, tuple)) else []).astype(object)
        elif sql in ("VARCHAR", "DATE"):
            out[name] = values.astype(object).where(values.notna(), None)
        else:
            out[name] = values.astype(_PANDAS_DTYPES[sql])  # type: ignore[call-overload]  # dtype chosen at run time
    return out


#: The Arrow type of each DuckDB type the schemas use.
ARROW_TYPES: dict[str, pyarrow.DataType] = {
    "VARCHAR": pyarrow.string(),
    "VARCHAR[]": pyarrow.list_(pyarrow.string()),
    "BIGINT": pyarrow.int64(),
    "DOUBLE": pyarrow.float64(),
    "BOOLEAN": pyarrow.bool_(),
    "DATE": pyarrow.date32(),
}


def arrow_schema(table: str) -> pyarrow.Schema:
    """The Arrow schema of ``table``, from its pandera model."""
    return pyarrow.schema([pyarrow.field(name, ARROW_TYPES[sql]) for name, sql in sql_types(table).items()])


def arrow_to_frame(table: pyarrow.Table) -> pd.DataFrame:
    """``table`` as a pandas frame of Python values: lists stay lists, dates stay dates."""
    frame: pd.DataFrame = table.to_pandas(date_as_object=True)
    for name, kind in zip(table.column_names, table.schema.types, strict=True):
        if pyarrow.types.is_list(kind):
            frame[name] = pd.Series([None if v is None else list(v) for v in frame[name]], dtype=object)
    return frame
