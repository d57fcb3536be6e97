"""ClinicalTrials.gov legacy public XML (``<clinical_study>``), every contract field at full fidelity.

Parsed with lxml and every dangerous feature off: no DTD loading, no entity resolution, no network; a
document that declares entities at all is refused, since no registry record needs them.
"""

from __future__ import annotations

import re

from lxml import etree

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
from trial_pipeline.parsers.common import (
    clean_inline,
    clean_paragraphs,
    parse_age_years,
    parse_date,
    parse_phases,
    unique,
)
from trial_pipeline.parsers.registry_records import (
    StudyParts,
    arm_interventions,
    assemble,
    masking_value,
    participant_count,
    to_float,
    to_int,
)

_ROOT = re.compile(r"<clinical_study[\s>]")
# What an XML file may open with: a declaration, a comment or the root itself (after a BOM or blanks).
# Both are matched on the decoded text, so a record saved as UTF-16/UTF-32 with a byte-order mark is read too.
_XML_START = re.compile(r"^\ufeff?\s*<(?:\?xml|!--|clinical_study[\s>])")
_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)
# How far into a file the root element may start (past the XML declaration and comments).
_SNIFF_BYTES = 4096


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _all_text(node: etree._Element) -> str:
    """Every text node under ``node`` (not its tail), as one string."""
    if len(node) == 0:
        # No child of any kind (element, entity reference; the parser drops comments and PIs): the node's own
        # text is all there is, read far faster than by serializing the node.
        return node.text or ""
    return str(etree.tostring(node, method="text", encoding="unicode", with_tail=False))


class _Children:
    """A node's child elements by tag, read in one pass: ``find``/``findall`` on the node walk them every time.

    Answers ``find`` and ``findall`` for paths of plain tags ("id_info/nct_id") as the node itself does.
    """

    def __init__(self, node: etree._Element) -> None:
        self._by_tag: dict[object, list[etree._Element]] = {}
        for child in node:
            self._by_tag.setdefault(child.tag, []).append(child)

    def findall(self, path: str) -> list[etree._Element]:
        """The elements at ``path``, in document order."""
        first, *rest = path.split("/")
        nodes = self._by_tag.get(first, [])
        for tag in rest:
            nodes = [child for node in nodes for child in node if child.tag == tag]
        return nodes

    def find(self, path: str) -> etree._Element | None:
        """The first element at ``path``, or None."""
        nodes = self._by_tag.get(path) if "/" not in path else self.findall(path)
        return nodes[0] if nodes else None


_Node = etree._Element | _Children


def _children(node: etree._Element | None) -> _Children | None:
    """:class:`_Children` of ``node``, if there is one."""
    return None if node is None else _Children(node)


def _text(node: _Node | None, path: str) -> str | None:
    if node is None:
        return None
    return _inline(node.find(path))


def _inline(node: etree._Element | None) -> str | None:
    """The text of ``node`` as one line: a new string on every call, so rows never share one object."""
    if node is None:
        return None
    return clean_inline(_all_text(node))


def _block(node: _Node | None, path: str) -> str | None:
    if node is None:
        return None
    found = node.find(path)
    if found is None:
        return None
    return clean_paragraphs(_all_text(found))


def _texts(node: _Node, path: str) -> list[str]:
    return [t for t in (clean_inline(_all_text(n)) for n in node.findall(path)) if t]


class CtgovXmlReader:
    """Reads one ``<clinical_study>`` record."""

    source_format = SourceFormat.CTGOV_XML

    def accepts(self, document: Document) -> bool:
        """An XML file with a ``<clinical_study>`` root near its start."""
        head = document.text[:_SNIFF_BYTES]
        return bool(_XML_START.match(head) and _ROOT.search(head))

    def parse(self, document: Document) -> ParsedDocument:
        """Parse the record; ``ParseError`` for malformed XML or a document declaring entities."""
        # The whole text, not a prefix: "<clinical_study" in a DTD comment must not let a later <!ENTITY> through.
        if _declares_entity(document.text):
            raise ParseError("XML declares entities (<!ENTITY>); refused: registry records never need them")
        try:
            root = etree.fromstring(document.data, parser=_parser())
        except etree.XMLSyntaxError as exc:
            raise ParseError(f"malformed XML: {exc}") from exc
        if root.tag != "clinical_study":
            raise ParseError(f"root element is <{root.tag}>, expected <clinical_study>")
        return assemble(document.document_id, SourceFormat.CTGOV_XML, _study_parts(root))


def _declares_entity(text: str) -> bool:
    """Whether ``text`` holds ``<!ENTITY`` in any case: as ``_ENTITY_DECL.search``, only much faster.

    Every match starts with "<!", which ``str.find`` reaches at C speed; the regex search, which ignores case,
    would be tried at every position of the document.
    """
    i = text.find("<!")
    while i >= 0:
        if _ENTITY_DECL.match(text, i):
            return True
        i = text.find("<!", i + 2)
    return False


def _study_parts(study: etree._Element) -> StudyParts:
    root = _Children(study)
    nct_id = _text(root, "id_info/nct_id")
    acronym = _text(root, "acronym")
    other_ids = unique(
        [
            *(_texts(root, "id_info/org_study_id")),
            *(_texts(root, "id_info/secondary_id")),
            *(_texts(root, "id_info/nct_alias")),
            *([acronym] if acronym else []),
        ]
    )
    design = _children(root.find("study_design_info"))
    eligibility = _children(root.find("eligibility"))
    enrollment = root.find("enrollment")
    enrollment_type = enrollment.get("type") if enrollment is not None else None
    minimum_age_raw = _text(eligibility, "minimum_age")
    maximum_age_raw = _text(eligibility, "maximum_age")
    healthy = _text(eligibility, "healthy_volunteers")
    start_raw = _text(root, "start_date")
    primary_raw = _text(root, "primary_completion_date")
    completion_raw = _text(root, "completion_date")
    trial = TrialRecord(
        document_id="",
        trial_id=nct_id or "",
        nct_id=nct_id,
        other_ids=other_ids,
        acronym=acronym,
        brief_title=_text(root, "brief_title"),
        official_title=_text(root, "official_title"),
        phases=parse_phases(_text(root, "phase")),
        overall_status=to_enum("overall_status", _text(root, "overall_status")),
        study_type=to_enum("study_type", _text(root, "study_type")),
        enrollment_count=to_int(_text(root, "enrollment")),
        enrollment_type=to_enum("enrollment_type", enrollment_type),
        start_date=parse_date(start_raw),
        start_date_raw=start_raw,
        primary_completion_date=parse_date(primary_raw),
        primary_completion_date_raw=primary_raw,
        completion_date=parse_date(completion_raw),
        completion_date_raw=completion_raw,
        allocation=to_enum("allocation", _text(design, "allocation")),
        intervention_model=to_enum(
            "intervention_model", _text(design, "intervention_model") or _text(design, "observational_model")
        ),
        masking=masking_value(_text(design, "masking")),
        primary_purpose=to_enum("primary_purpose", _text(design, "primary_purpose")),
        lead_sponsor=_text(root, "sponsors/lead_sponsor/agency"),
        collaborators=unique(_texts(root, "sponsors/collaborator/agency")),
        conditions=unique(_texts(root, "condition")),
        sex=to_enum("sex", _text(eligibility, "gender")),
        minimum_age_years=parse_age_years(minimum_age_raw),
        minimum_age_raw=minimum_age_raw,
        maximum_age_years=parse_age_years(maximum_age_raw),
        maximum_age_raw=maximum_age_raw,
        healthy_volunteers=None if healthy is None else healthy.lower().startswith(("accepts", "yes")),
        countries=unique(_texts(root, "location_countries/country")),
        brief_summary=_block(root, "brief_summary/textblock"),
    )
    arms = [
        ArmRecord(
            document_id="",
            trial_id="",
            arm_seq=seq,
            label=_text(node, "arm_group_label") or f"Arm {seq}",
            arm_type=to_enum("arm_type", _text(node, "arm_group_type")),
            description=_block(node, "description"),
        )
        for seq, node in enumerate(map(_Children, root.findall("arm_group")), start=1)
    ]
    arm_descriptions = {arm.label: arm.description for arm in arms}
    interventions: list[InterventionRecord] = []
    for node in map(_Children, root.findall("intervention")):
        interventions += arm_interventions(
            name=_text(node, "intervention_name") or "",
            intervention_type=to_enum("intervention_type", _text(node, "intervention_type")),
            other_names=unique(_texts(node, "other_name")),
            description=_block(node, "description"),
            arm_labels=unique(_texts(node, "arm_group_label")),
            arm_descriptions=arm_descriptions,
            first_seq=len(interventions) + 1,
        )
    outcomes = [
        OutcomeRecord(
            document_id="",
            trial_id="",
            outcome_seq=seq,
            outcome_type=kind,
            measure=_text(node, "measure") or "",
            time_frame=_text(node, "time_frame"),
            description=_block(node, "description"),
        )
        for seq, (kind, node) in enumerate(
            [
                (kind, node)
                for kind, tag in (
                    ("PRIMARY", "primary_outcome"),
                    ("SECONDARY", "secondary_outcome"),
                    ("OTHER", "other_outcome"),
                )
                for node in map(_Children, root.findall(tag))
            ],
            start=1,
        )
    ]
    criteria_text = None
    criteria_node = root.find("eligibility/criteria/textblock")
    if criteria_node is not None:
        criteria_text = _all_text(criteria_node)
    return StudyParts(
        trial=trial,
        arms=arms,
        interventions=interventions,
        outcomes=outcomes,
        criteria_text=criteria_text,
        results=_results(root),
    )


def _results(root: _Node) -> list[ResultRecord]:
    """One row per outcome measure x class x category x group value of the results section."""
    rows: list[ResultRecord] = []
    for outcome_node in root.findall("clinical_results/outcome_list/outcome"):
        outcome = _Children(outcome_node)
        groups = {g.get("group_id"): _text(g, "title") for g in outcome.findall("group_list/group")}
        outcome_type_node = outcome.find("type")
        time_frame_node = outcome.find("time_frame")
        measure_node = outcome.find("measure")
        if measure_node is None:
            continue
        measure = _Children(measure_node)
        title = _text(measure, "title") or _text(outcome, "title") or ""
        denominators: dict[str | None, int | None] = {}
        for analyzed in measure.findall("analyzed_list/analyzed"):
            if (_text(analyzed, "units") or "").lower() != "participants":
                continue
            for count in analyzed.findall("count_list/count"):
                denominators[count.get("group_id")] = to_int(count.get("value"))
        param_type = to_enum("param_type", _text(measure, "param"))
        unit = _text(measure, "units")
        dispersion = to_enum("dispersion_type", _text(measure, "dispersion"))
        for klass in measure.findall("class_list/class"):
            class_title = _text(klass, "title")
            for category in klass.findall("category_list/category"):
                category_title = _text(category, "title")
                for m in category.findall("measurement_list/measurement"):
                    group_id = m.get("group_id")
                    raw = m.get("value")
                    value = to_float(raw)
                    denominator = denominators.get(group_id)
                    rows.append(
                        ResultRecord(
                            document_id="",
                            trial_id="",
                            result_seq=len(rows) + 1,
                            measure=title,
                            group_label=groups.get(group_id),
                            outcome_type=to_enum("outcome_type", _inline(outcome_type_node)),
                            class_title=class_title,
                            category_title=category_title,
                            param_type=param_type,
                            value=value,
                            value_raw=raw,
                            unit=unit,
                            dispersion_type=dispersion,
                            spread=to_float(m.get("spread")),
                            lower_limit=to_float(m.get("lower_limit")),
                            upper_limit=to_float(m.get("upper_limit")),
                            numerator=participant_count(param_type, value),
                            denominator=denominator,
                            time_frame=_inline(time_frame_node),
                        )
                    )
    return rows
