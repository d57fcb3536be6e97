"""ClinicalTrials.gov API v2 JSON: one study object, a list of them, or a ``{"studies": [...]}`` page.

Mapped onto the same :class:`StudyParts` as the legacy XML reader, so both formats give the same rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from trial_pipeline.enums import to_enum
from trial_pipeline.models import (
    ArmRecord,
    Document,
    InterventionRecord,
    OutcomeRecord,
    ParsedDocument,
    ResultRecord,
    SourceFormat,
    TrialRecord,
)
from trial_pipeline.parsers.base import ParseError
from trial_pipeline.parsers.common import clean_inline, clean_paragraphs, parse_age_years, parse_date, unique
from trial_pipeline.parsers.registry_records import (
    StudyParts,
    arm_interventions,
    assemble,
    combine,
    masking_value,
    participant_count,
    to_float,
    to_int,
)

# JSON nested deeper than any real study is refused before it can exhaust the stack.
_MAX_DEPTH = 64
_SNIFF_CHARS = 4096

Json = dict[str, Any]


def _get(obj: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(key)
    return obj


def _str(obj: Any, *path: str) -> str | None:
    value = _get(obj, *path)
    return clean_inline(str(value)) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None


def _list(obj: Any, *path: str) -> list[Any]:
    value = _get(obj, *path)
    return value if isinstance(value, list) else []


def _strs(values: list[Any]) -> list[str]:
    return [t for t in (clean_inline(v) for v in values if isinstance(v, str)) if t]


def _depth_ok(text: str) -> bool:
    """Whether brackets never nest deeper than ``_MAX_DEPTH`` (checked before ``json.loads`` recurses)."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > _MAX_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def _studies(payload: Any) -> Iterator[Json]:
    if isinstance(payload, dict) and isinstance(payload.get("protocolSection"), dict):
        yield payload
    elif isinstance(payload, dict) and isinstance(payload.get("studies"), list):
        for item in payload["studies"]:
            yield from _studies(item)
    elif isinstance(payload, list):
        for item in payload:
            if isinstance(item, dict) and isinstance(item.get("protocolSection"), dict):
                yield item


class CtgovJsonReader:
    """Reads API v2 study JSON."""

    source_format = SourceFormat.CTGOV_JSON

    def accepts(self, document: Document) -> bool:
        """JSON text that names a ``protocolSection`` early on."""
        head = document.text.lstrip()[:_SNIFF_CHARS]
        return head[:1] in ("{", "[") and '"protocolSection"' in head

    def parse(self, document: Document) -> ParsedDocument:
        """Parse every study in the file; a study that cannot be read makes the document PARTIAL."""
        if not _depth_ok(document.text):
            raise ParseError(f"JSON nested deeper than {_MAX_DEPTH} levels; refused")
        try:
            payload = json.loads(document.text)
        except ValueError as exc:  # JSONDecodeError, or an integer longer than Python converts (4300 digits)
            raise ParseError(f"malformed JSON: {exc}") from exc
        studies = list(_studies(payload))
        if not studies:
            raise ParseError("JSON holds no API v2 study (no object with a protocolSection)")
        parsed: list[ParsedDocument] = []
        problems: list[str] = []
        for index, study in enumerate(studies):
            try:
                parsed.append(assemble(document.document_id, SourceFormat.CTGOV_JSON, _study_parts(study)))
            except ParseError as exc:
                problems.append(f"study {index}: {exc}")
            except (AttributeError, TypeError, ValueError) as exc:
                # A field of another JSON type than API v2 gives it (a list where text belongs, ...).
                problems.append(f"study {index}: unexpected JSON shape ({type(exc).__name__}: {exc})")
        if not parsed:
            raise ParseError("; ".join(problems))
        return combine(SourceFormat.CTGOV_JSON, parsed, problems)


def _study_parts(study: Json) -> StudyParts:
    protocol = study.get("protocolSection") or {}
    ident = protocol.get("identificationModule") or {}
    status = protocol.get("statusModule") or {}
    design = protocol.get("designModule") or {}
    design_info = design.get("designInfo") or {}
    eligibility = protocol.get("eligibilityModule") or {}
    nct_id = _str(ident, "nctId")
    acronym = _str(ident, "acronym")
    other_ids = unique(
        [
            *([x] if (x := _str(ident, "orgStudyIdInfo", "id")) else []),
            *(x for s in _list(ident, "secondaryIdInfos") if (x := _str(s, "id"))),
            *_strs(_list(ident, "nctIdAliases")),
            *([acronym] if acronym else []),
        ]
    )
    start_raw = _str(status, "startDateStruct", "date")
    primary_raw = _str(status, "primaryCompletionDateStruct", "date")
    completion_raw = _str(status, "completionDateStruct", "date")
    minimum_age_raw = _str(eligibility, "minimumAge")
    maximum_age_raw = _str(eligibility, "maximumAge")
    healthy = eligibility.get("healthyVolunteers")
    locations = _list(protocol, "contactsLocationsModule", "locations")
    trial = TrialRecord(
        document_id="",
        trial_id=nct_id or "",
        nct_id=nct_id,
        other_ids=other_ids,
        acronym=acronym,
        brief_title=_str(ident, "briefTitle"),
        official_title=_str(ident, "officialTitle"),
        phases=unique([p for p in (to_enum("phase", x) for x in _strs(_list(design, "phases"))) if p]),
        overall_status=to_enum("overall_status", _str(status, "overallStatus")),
        study_type=to_enum("study_type", _str(design, "studyType")),
        enrollment_count=to_int(_get(design, "enrollmentInfo", "count")),
        enrollment_type=to_enum("enrollment_type", _str(design, "enrollmentInfo", "type")),
        start_date=parse_date(start_raw),
        start_date_raw=start_raw,
        primary_completion_date=parse_date(primary_raw),
        primary_completion_date_raw=primary_raw,
        completion_date=parse_date(completion_raw),
        completion_date_raw=completion_raw,
        allocation=to_enum("allocation", _str(design_info, "allocation")),
        intervention_model=to_enum(
            "intervention_model", _str(design_info, "interventionModel") or _str(design_info, "observationalModel")
        ),
        masking=masking_value(_str(design_info, "maskingInfo", "masking")),
        primary_purpose=to_enum("primary_purpose", _str(design_info, "primaryPurpose")),
        lead_sponsor=_str(protocol, "sponsorCollaboratorsModule", "leadSponsor", "name"),
        collaborators=unique(
            [x for c in _list(protocol, "sponsorCollaboratorsModule", "collaborators") if (x := _str(c, "name"))]
        ),
        conditions=unique(_strs(_list(protocol, "conditionsModule", "conditions"))),
        sex=to_enum("sex", _str(eligibility, "sex")),
        minimum_age_years=parse_age_years(minimum_age_raw),
        minimum_age_raw=minimum_age_raw,
        maximum_age_years=parse_age_years(maximum_age_raw),
        maximum_age_raw=maximum_age_raw,
        healthy_volunteers=healthy if isinstance(healthy, bool) else None,
        # Sorted, as the legacy XML's location_countries is.
        countries=tuple(sorted(unique([x for loc in locations if (x := _str(loc, "country"))]))),
        brief_summary=clean_paragraphs(_get(protocol, "descriptionModule", "briefSummary")),
    )
    module = protocol.get("armsInterventionsModule") or {}
    arms = [
        ArmRecord(
            document_id="",
            trial_id="",
            arm_seq=seq,
            label=_str(arm, "label") or f"Arm {seq}",
            arm_type=to_enum("arm_type", _str(arm, "type")),
            description=clean_paragraphs(_get(arm, "description")),
        )
        for seq, arm in enumerate((a for a in _list(module, "armGroups") if isinstance(a, dict)), start=1)
    ]
    arm_descriptions = {arm.label: arm.description for arm in arms}
    interventions: list[InterventionRecord] = []
    for node in _list(module, "interventions"):
        if isinstance(node, dict):
            interventions += arm_interventions(
                name=_str(node, "name") or "",
                intervention_type=to_enum("intervention_type", _str(node, "type")),
                other_names=unique(_strs(_list(node, "otherNames"))),
                description=clean_paragraphs(_get(node, "description")),
                arm_labels=unique(_strs(_list(node, "armGroupLabels"))),
                arm_descriptions=arm_descriptions,
                first_seq=len(interventions) + 1,
            )
    outcomes_module = protocol.get("outcomesModule") or {}
    outcomes = [
        OutcomeRecord(
            document_id="",
            trial_id="",
            outcome_seq=seq,
            outcome_type=kind,
            measure=_str(node, "measure") or "",
            time_frame=_str(node, "timeFrame"),
            description=clean_paragraphs(_get(node, "description")),
        )
        for seq, (kind, node) in enumerate(
            [
                (kind, node)
                for kind, key in (
                    ("PRIMARY", "primaryOutcomes"),
                    ("SECONDARY", "secondaryOutcomes"),
                    ("OTHER", "otherOutcomes"),
                )
                for node in _list(outcomes_module, key)
                if isinstance(node, dict)
            ],
            start=1,
        )
    ]
    criteria = eligibility.get("eligibilityCriteria")
    return StudyParts(
        trial=trial,
        arms=arms,
        interventions=interventions,
        outcomes=outcomes,
        criteria_text=criteria if isinstance(criteria, str) else None,
        results=_results(study),
    )


def _results(study: Json) -> list[ResultRecord]:
    """One row per outcome measure x class x category x group value of ``resultsSection``."""
    rows: list[ResultRecord] = []
    for measure in _list(study, "resultsSection", "outcomeMeasuresModule", "outcomeMeasures"):
        if not isinstance(measure, dict):
            continue
        groups = {_str(g, "id"): _str(g, "title") for g in _list(measure, "groups")}
        denominators: dict[str | None, int | None] = {}
        for denom in _list(measure, "denoms"):
            if (_str(denom, "units") or "").lower() != "participants":
                continue
            for count in _list(denom, "counts"):
                denominators[_str(count, "groupId")] = to_int(_get(count, "value"))
        param_type = to_enum("param_type", _str(measure, "paramType"))
        for klass in _list(measure, "classes"):
            for category in _list(klass, "categories"):
                for m in _list(category, "measurements"):
                    group_id = _str(m, "groupId")
                    raw = _str(m, "value")
                    value = to_float(raw)
                    rows.append(
                        ResultRecord(
                            document_id="",
                            trial_id="",
                            result_seq=len(rows) + 1,
                            measure=_str(measure, "title") or "",
                            group_label=groups.get(group_id),
                            outcome_type=to_enum("outcome_type", _str(measure, "type")),
                            class_title=_str(klass, "title"),
                            category_title=_str(category, "title"),
                            param_type=param_type,
                            value=value,
                            value_raw=raw,
                            unit=_str(measure, "unitOfMeasure"),
                            dispersion_type=to_enum("dispersion_type", _str(measure, "dispersionType")),
                            spread=to_float(_str(m, "spread")),
                            lower_limit=to_float(_str(m, "lowerLimit")),
                            upper_limit=to_float(_str(m, "upperLimit")),
                            numerator=participant_count(param_type, value),
                            denominator=denominators.get(group_id),
                            time_frame=_str(measure, "timeFrame"),
                        )
                    )
    return rows
