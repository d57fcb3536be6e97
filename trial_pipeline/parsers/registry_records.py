"""What the two ClinicalTrials.gov readers (legacy XML, API v2 JSON) share once a record is read.

Each reader maps its own format onto :class:`StudyParts`; :func:`assemble` then stamps provenance on every
record, splits the eligibility text and reads its constraints the same way for both, so the same study
in either format gives the same rows.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, TypeVar

from trial_pipeline.enums import fold
from trial_pipeline.models import (
    RECORD_TABLES,
    ArmRecord,
    ConstraintRecord,
    CriterionRecord,
    InterventionRecord,
    OutcomeRecord,
    ParsedDocument,
    ParseStatus,
    ResultRecord,
    SourceFormat,
    TrialRecord,
)
from trial_pipeline.parsers.base import ParseError
from trial_pipeline.parsers.constraints import extract_constraints
from trial_pipeline.parsers.criteria import split_criteria
from trial_pipeline.parsers.dosing import dosing_for

# "None (Open Label)", "Open Label", "Double Blind (Subject, Investigator)": the first word is the level.
_MASKING_WORDS = {
    "NONE": "NONE",
    "OPEN": "NONE",
    "SINGLE": "SINGLE",
    "DOUBLE": "DOUBLE",
    "TRIPLE": "TRIPLE",
    "QUADRUPLE": "QUADRUPLE",
}
_R = TypeVar("_R", TrialRecord, ArmRecord, InterventionRecord, OutcomeRecord, ResultRecord)


@dataclass(slots=True)
class StudyParts:
    """One study's records before provenance is stamped on (``document_id``/``trial_id`` left blank)."""

    trial: TrialRecord
    arms: list[ArmRecord] = field(default_factory=list)
    interventions: list[InterventionRecord] = field(default_factory=list)
    outcomes: list[OutcomeRecord] = field(default_factory=list)
    criteria_text: str | None = None
    results: list[ResultRecord] = field(default_factory=list)


def to_int(raw: str | int | float | None) -> int | None:
    """An integer count from registry text (``"5796"``, ``"1,200"``); None when it is not a whole number."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    try:
        value = float(str(raw).replace(",", "").strip())
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


def to_float(raw: str | int | float | None) -> float | None:
    """A number from registry text; None for ``"NA"`` and other non-numbers."""
    if raw is None or isinstance(raw, bool):
        return None
    try:
        value = float(str(raw).replace(",", "").strip())
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def masking_value(raw: str | None) -> str | None:
    """Masking level from its first word: ``"Double (Participant, Investigator)"`` -> ``"DOUBLE"``."""
    if not raw:
        return None
    first = fold(raw).split("_", 1)[0]
    return _MASKING_WORDS.get(first)


def participant_count(param_type: str | None, value: float | None) -> int | None:
    """The numerator of a "Count of Participants" value; None for every other kind of measure."""
    if param_type == "COUNT_OF_PARTICIPANTS" and value is not None and value.is_integer():
        return int(value)
    return None


def arm_interventions(
    *,
    name: str,
    intervention_type: str | None,
    other_names: tuple[str, ...],
    description: str | None,
    arm_labels: tuple[str, ...],
    arm_descriptions: dict[str, str | None],
    first_seq: int,
) -> list[InterventionRecord]:
    """One intervention row per arm it is given in (one row with no arm when none is named).

    Dosing follows :func:`~trial_pipeline.parsers.dosing.dosing_for`: the intervention's own description; when
    that states no dose, the arm's description next to the intervention's name.
    """
    rows: list[InterventionRecord] = []
    for label in arm_labels or (None,):
        dosing = dosing_for(description, arm_descriptions.get(label) if label is not None else None, name)
        rows.append(
            InterventionRecord(
                document_id="",
                trial_id="",
                intervention_seq=first_seq + len(rows),
                intervention_name=name,
                arm_label=label,
                intervention_type=intervention_type,
                other_names=other_names,
                description=description,
                dose_value=dosing.dose_value,
                dose_unit=dosing.dose_unit,
                route=dosing.route,
                frequency=dosing.frequency,
                dosing_text=dosing.text,
            )
        )
    return rows


def combine(source_format: SourceFormat, parsed: list[ParsedDocument], problems: list[str]) -> ParsedDocument:
    """One document's result from the studies it holds; PARTIAL when some could not be read."""
    return ParsedDocument(
        source_format=source_format,
        status=ParseStatus.PARTIAL if problems else ParseStatus.PARSED,
        problems=tuple(problems),
        # Every key is a record-table field of ParsedDocument, each a tuple of records.
        **{table: tuple(r for p in parsed for r in getattr(p, table)) for table in RECORD_TABLES},  # type: ignore[arg-type]
    )


_GETTERS: dict[type, attrgetter[Any]] = {}


def _stamp_values(kind: type) -> attrgetter[Any]:
    """A getter of every field of a record ``kind``, which must open with ``document_id`` and ``trial_id``."""
    getter = _GETTERS.get(kind)
    if getter is None:
        names = [f.name for f in dataclasses.fields(kind)]
        if names[:2] != ["document_id", "trial_id"]:
            raise TypeError(f"{kind.__name__} does not open with document_id and trial_id")
        getter = _GETTERS[kind] = attrgetter(*names)
    return getter


def assemble(document_id: str, source_format: SourceFormat, parts: StudyParts) -> ParsedDocument:
    """Stamp ``document_id``/``trial_id`` on every record and add the criteria and their constraints."""
    trial_id = parts.trial.trial_id
    if not trial_id:
        raise ParseError("record has no NCT ID")

    def stamp(records: list[_R]) -> tuple[_R, ...]:
        if not records:
            return ()
        # Every record kind opens with document_id and trial_id: building the records from their other fields
        # costs a fraction of dataclasses.replace.
        kind = type(records[0])
        values = _stamp_values(kind)
        return tuple(kind(document_id, trial_id, *values(r)[2:]) for r in records)

    criteria: tuple[CriterionRecord, ...] = ()
    constraints: tuple[ConstraintRecord, ...] = ()
    if parts.criteria_text and parts.criteria_text.strip():
        criteria = split_criteria(parts.criteria_text, document_id=document_id, trial_id=trial_id)
        constraints = extract_constraints(criteria, source_text=parts.criteria_text)
    return ParsedDocument(
        source_format=source_format,
        status=ParseStatus.PARSED,
        trials=stamp([parts.trial]),
        arms=stamp(parts.arms),
        interventions=stamp(parts.interventions),
        outcomes=stamp(parts.outcomes),
        criteria=criteria,
        criterion_constraints=constraints,
        results=stamp(parts.results),
    )
