"""Build the curated vocabulary in ``trial_pipeline/vocab/`` from registry data (not typed from memory).

Sources (public domain): ClinicalTrials.gov legacy XML (``ctgov-legacy-xml``), the AACT fixtures (legacy XML and
API v2 JSON) and, for intervention heads, the AACT sample's intervention table (``ctrialsgov-aact-sample``).
Written files, each with a ``# version:`` header and a ``# source:`` line:

- ``drugs.tsv``: ``synonym<TAB>canonical<TAB>kind<TAB>count``. Each DRUG/BIOLOGICAL intervention's name plus its
  other names form one synonym group; the group's generic (INN-like, not a code, not a brand) name is the canonical
  one. A synonym that maps to different canonicals in different studies keeps only a clear majority (>= 2/3).
- ``conditions.tsv``: ``term<TAB>count`` from ``<condition>`` / ``conditions``, most frequent spelling per folded term.
- ``abbreviations.tsv``: ``abbr<TAB>expansion<TAB>count<TAB>source``: "Long Form (ABBR)" pairs found in condition
  strings, titles and summaries whose long form is a condition term, plus a short curated list (source ``curated``).
- ``countries.tsv``: ``country<TAB>count`` from ``<country>`` / ``locations[].country``.
- ``intervention_heads.tsv``: ``head<TAB>type<TAB>count``: the last words of registry intervention names ("training"
  in "progressive resistance training", "vaccine", "stent") that end at least two distinct names, with the
  intervention type most of those names carry (``OTHER`` when no type has half of them). Rows whose head starts
  with ``-`` are word endings ("-therapy" for "immunotherapy", "-ectomy"). A prose noun phrase ending in a head names
  an intervention. Drug names, salts and words that end names without naming what is given (``analysis``,
  ``dose``, ``questionnaire``) are left out.
- ``drug_stems.tsv``: ``stem<TAB>count``: WHO INN stems (curated below: the stem book is the source, the registry
  is too small and too old to hold every stem's drugs) with the number of distinct registry generic names ending
  in each, as evidence. A word ending in one, and not an ordinary word of registry prose, is taken for a drug name.
- ``common_words.tsv``: ``word<TAB>studies``: words that occur in the titles, summaries and descriptions of at least
  ``COMMON_MIN_STUDIES`` registry records, drug names excepted: the ordinary vocabulary of trial prose, used to
  tell a name ("flosequinan") from a word ("concept").

Usage: ``python bench/build_vocab.py [--corpus ../shared/corpus] [--out trial_pipeline/vocab]``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

VERSION = "1.1.0"

# Salt and ester words dropped to reach the base generic ("sorafenib tosylate" -> "sorafenib"); the salted form
# stays a synonym.
SALTS = frozenset(
    [
        "hydrochloride",
        "dihydrochloride",
        "hcl",
        "tosylate",
        "mesylate",
        "dimesylate",
        "maleate",
        "citrate",
        "sodium",
        "potassium",
        "sulfate",
        "sulphate",
        "phosphate",
        "acetate",
        "malate",
        "besylate",
        "fumarate",
        "tartrate",
        "bitartrate",
        "hydrobromide",
        "monohydrate",
        "calcium",
        "succinate",
        "lactate",
        "hemifumarate",
        "camsylate",
    ]
)
# Common INN stems: a name ending in one of them is very likely a generic drug name (WHO INN stem book).
INN_SUFFIXES = (
    "mab", "nib", "cept", "platin", "taxel", "rubicin", "mycin", "cycline", "stat", "pril", "sartan", "olol",
    "azole", "vir", "tide", "relin", "parib", "lisib", "ciclib", "zomib", "mide", "dine", "fene", "gliptin",
    "flozin", "glutide", "parin", "oxacin", "cillin", "dronate", "tecan", "abine", "citabine", "rabine", "mustine",
    "lukast", "semide", "thiazide", "profen", "setron", "triptan", "caine", "pam", "lam", "zepam", "afil",
    "leucel", "tinib", "rafenib", "degib", "sertib", "metinib", "alisib", "toclax", "menib", "ine", "ide", "one",
    "ol", "ate", "in", "an",
)  # fmt: skip
# Words that make an intervention name a regimen or procedure, not one drug.
NON_DRUG_WORDS = frozenset(
    [
        "placebo",
        "chemotherapy",
        "therapy",
        "regimen",
        "standard",
        "care",
        "control",
        "arm",
        "group",
        "dose",
        "doses",
        "vaccine",
        "vaccines",
        "transplantation",
        "transplant",
        "radiation",
        "radiotherapy",
        "surgery",
        "cells",
        "infusion",
        "combination",
        "and",
        "or",
        "plus",
        "with",
        "followed",
        "by",
        "versus",
        "vs",
        "low",
        "high",
        "treatment",
        "drug",
        "drugs",
        "agent",
        "agents",
        "experimental",
        "investigational",
        "active",
        "product",
        "study",
        "medication",
        "medicine",
        "antibiotic",
        "antibiotics",
        "steroid",
        "steroids",
        "corticosteroid",
        "corticosteroids",
        "analgesic",
        "analgesics",
        "opioid",
        "opioids",
        "antiemetic",
        "antiemetics",
        "anti-vegf",
        "antidepressant",
        "antidepressants",
    ]
)
# Last words of registry intervention names that do not name what participants are given: assessments and
# samples, dosing and schedule words, generic nouns and fragments of product names.
NOT_INTERVENTION_HEADS = frozenset(
    str.split(
        """
    analysis assay assessment collection electrocardiogram evaluation examination hybridization imaging index
    mammography mapping monitoring questionnaire reaction sample sampling scan screening spectroscopy survey swab
    test testing tomography ultrasound algorithm cohort group arm study type unit area level dose daily day cycles
    epoch alone drug drugs medications agents product combination formulation release application protocol method
    technique procedure condition words sequence expectations execution writing disclosure draw draws foot live
    hexa isis beta gamma alfa factor gene disorders copd abmt pbsc tdcs itbs nacl acid acids water oxide glycol
    adsorbed adjuvant aspart intravenous usual comparator prevention management pressure adjustment support
    positioning reminders feedback observation control treatment treatments regimen administration system cells
    lymphocytes protein antigen peptide hormone collagen disodium trihydrate trioleate questionnaires oxygen
    activity
    """
    )
)
# Word endings that make a word an intervention of one kind whatever precedes them.
HEAD_ENDINGS = ("therapy", "ectomy", "plasty", "otomy")
# INN stems specific enough that a word ending in one is a drug (WHO "The use of stems in the selection of INN");
# short stems such as -ine or -ol are not.
INN_STEMS = (
    "mab", "tinib", "fenib", "menib", "ciclib", "lisib", "parib", "zomib", "toclax", "degib", "rafenib", "platin",
    "taxel", "rubicin", "leucel", "citabine", "mustine", "vastatin", "gliflozin", "glutide", "sartan", "prazole",
    "tecan", "dronate", "setron", "oxacin", "cillin", "mycin", "cycline", "lukast", "afil", "navir", "buvir",
    "previr", "asvir", "nib", "tide", "stat", "lintide", "limus", "zumab", "ximab", "cept", "kinra", "ersen",
    "siran", "retinib", "metinib", "sertib", "olol", "prost", "oxetine", "dipine", "azole", "triptan", "gliptin",
    "floxacin", "conazole", "tidine", "profen", "coxib", "steride", "lutamide", "parinux", "xaban", "gatran",
    "pril", "prilat", "azepam", "zolam", "barbital", "caine", "curium", "peridol", "peridone", "apine", "semide",
    "thiazide", "tiazem", "sone", "olone", "nisolone", "terol", "tropium", "fibrate", "gabalin", "glitazone",
    "formin", "parin", "relin", "relix", "tocin", "pressin", "trozole", "estrant", "ifene", "vudine", "ciclovir",
    "amivir", "mivir", "fungin", "mectin", "bendazole", "quine", "penem", "orphan", "morphine", "adol",
    "fentanil", "eridine", "pramine", "triptyline", "faxine", "tiapine", "opride", "vaptan", "dralazine",
)  # fmt: skip
# What each file is built from, as its header says.
SOURCES = {
    "*": "ClinicalTrials.gov legacy XML + AACT fixtures",
    "intervention_heads.tsv": "ClinicalTrials.gov legacy XML + AACT fixtures + AACT sample interventions",
    "drug_stems.tsv": "WHO INN stems; counts from ClinicalTrials.gov legacy XML + AACT fixtures",
}
# A word in at least this many registry records' titles and summaries is ordinary trial prose.
COMMON_MIN_STUDIES = 10
# Words that make a registry "condition" a procedure, population or therapy rather than a disease.
NON_CONDITION_WORDS = frozenset(
    [
        "patients",
        "patient",
        "chemotherapy",
        "transplantation",
        "transplant",
        "therapy",
        "therapies",
        "treatment",
        "healthy",
        "volunteers",
        "volunteer",
        "surgery",
        "vaccine",
        "vaccination",
        "radiotherapy",
        "radiation",
        "procedure",
        "procedures",
        "drug",
        "agent",
        "care",
        "prevention",
        "anesthesia",
        "screening",
        "women",
        "men",
        "children",
        "adults",
        "smoking",
        "cessation",
        "quality",
        "life",
        "follow",
        "adverse",
        "event",
        "events",
        "management",
        "ventilation",
        "pregnancy",
    ]
)
_CODE = re.compile(r"^[A-Za-z]{1,6}[- ]?\d{2,7}[A-Za-z]?$")
_BAD_CHARS = re.compile(r"[;:/()\[\]+=,<>%]")
_PAREN_ABBR = re.compile(r"([A-Za-z][A-Za-z' -]{3,80}?)\s*\(([A-Z][A-Za-z0-9-]{1,9})\)")
_WORD = re.compile(r"[A-Za-z0-9]+")

# Heme/onc abbreviations the corpus rarely spells out as "Long Form (ABBR)"; expansions as used in the corpus's
# condition strings (NCI thesaurus / CT.gov condition names). Source noted per file row as "curated".
CURATED_ABBREVIATIONS: dict[str, str] = {
    "AML": "Acute Myeloid Leukemia",
    "ALL": "Acute Lymphoblastic Leukemia",
    "CLL": "Chronic Lymphocytic Leukemia",
    "CML": "Chronic Myeloid Leukemia",
    "CMML": "Chronic Myelomonocytic Leukemia",
    "MDS": "Myelodysplastic Syndromes",
    "MM": "Multiple Myeloma",
    "DLBCL": "Diffuse Large B-Cell Lymphoma",
    "NHL": "Non-Hodgkin Lymphoma",
    "HL": "Hodgkin Lymphoma",
    "MCL": "Mantle Cell Lymphoma",
    "FL": "Follicular Lymphoma",
    "MPN": "Myeloproliferative Neoplasms",
    "APL": "Acute Promyelocytic Leukemia",
    "NSCLC": "Non-Small Cell Lung Cancer",
    "SCLC": "Small Cell Lung Cancer",
    "HCC": "Hepatocellular Carcinoma",
    "RCC": "Renal Cell Carcinoma",
    "CRC": "Colorectal Cancer",
    "TNBC": "Triple Negative Breast Cancer",
    "GVHD": "Graft-versus-host Disease",
    "COPD": "Chronic Obstructive Pulmonary Disease",
    "SMA": "Spinal Muscular Atrophy",
}
# Words whose presence makes a long form a condition (used to keep only disease abbreviations from free text).
CONDITION_HEADS = frozenset(
    [
        "leukemia",
        "leukaemia",
        "lymphoma",
        "myeloma",
        "syndrome",
        "syndromes",
        "cancer",
        "carcinoma",
        "disease",
        "neoplasm",
        "neoplasms",
        "tumor",
        "tumors",
        "tumour",
        "sarcoma",
        "melanoma",
        "infection",
        "infections",
        "disorder",
        "anemia",
        "failure",
        "hypertension",
        "diabetes",
        "fibrosis",
        "sclerosis",
        "arthritis",
        "hemoglobinuria",
        "atrophy",
    ]
)


def _fold(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _clean(name: str) -> str | None:
    """A usable synonym: short, no dose text or punctuation that marks a regimen; None otherwise."""
    name = " ".join(name.replace("®", "").replace("™", "").split()).strip(" .-")
    if not (2 <= len(name) <= 40) or _BAD_CHARS.search(name):
        return None
    words = name.lower().split()
    if len(words) > 4 or any(w in NON_DRUG_WORDS for w in words):
        return None
    if re.search(r"\d\s*(?:mg|g|ml|mcg|%)\b", name, re.IGNORECASE):
        return None
    if not _CODE.match(name) and not re.search(r"[A-Za-z]{3}", name):
        return None
    return name


def _base(name: str) -> str:
    words = [w for w in name.split() if w.lower() not in SALTS]
    return " ".join(words) if words else name


def _kind(name: str) -> str:
    if _CODE.match(name) or re.search(r"\d", name):
        return "code"
    if name[:1].islower() or name.lower().endswith(INN_SUFFIXES[:40]):
        return "generic"
    if name.isupper():
        return "abbreviation"
    return "brand"


def _canonical_score(name: str) -> tuple[int, int]:
    kind = _kind(name)
    score = {"generic": 3, "brand": 1, "abbreviation": 0, "code": -1}[kind]
    if name.lower().endswith(INN_SUFFIXES[:40]):
        score += 2
    if name[:1].islower():
        score += 1
    return score, -len(name)


def _legacy_xml_studies(paths: list[Path]) -> Iterator[dict[str, list[Any]]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    for path in paths:
        try:
            root = etree.parse(str(path), parser).getroot()
        except etree.XMLSyntaxError:
            continue
        groups = []
        for iv in root.iter("intervention"):
            kind = "_".join((iv.findtext("intervention_type") or "").upper().split())
            names = [iv.findtext("intervention_name") or ""] + [e.text or "" for e in iv.findall("other_name")]
            groups.append((kind, names))
        # MeSH terms the registry assigned to the interventions: drug names by construction, one group each.
        for mesh in root.iterfind("intervention_browse/mesh_term"):
            groups.append(("MESH", [mesh.text or ""]))
        texts = [root.findtext(p) or "" for p in ("brief_title", "official_title", "brief_summary/textblock")]
        yield {
            "interventions": groups,
            "conditions": [e.text or "" for e in root.iter("condition")],
            "countries": [e.text or "" for e in root.iter("country")],
            "texts": texts,
            "prose": [*texts, root.findtext("detailed_description/textblock") or ""],
        }


def _v2_json_studies(paths: list[Path]) -> Iterator[dict[str, list[Any]]]:
    for path in paths:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError):
            continue
        proto = data.get("protocolSection") if isinstance(data, dict) else None
        if not isinstance(proto, dict):
            continue
        arms = proto.get("armsInterventionsModule", {})
        groups = [
            (str(iv.get("type", "")).upper(), [iv.get("name", ""), *iv.get("otherNames", [])])
            for iv in arms.get("interventions", [])
        ]
        ident = proto.get("identificationModule", {})
        desc = proto.get("descriptionModule", {})
        locs = proto.get("contactsLocationsModule", {}).get("locations", [])
        yield {
            "interventions": groups,
            "conditions": list(proto.get("conditionsModule", {}).get("conditions", [])),
            "countries": [loc.get("country", "") for loc in locs],
            "texts": [ident.get("briefTitle", ""), ident.get("officialTitle", ""), desc.get("briefSummary", "")],
            "prose": [
                ident.get("briefTitle", ""),
                ident.get("officialTitle", ""),
                desc.get("briefSummary", ""),
                desc.get("detailedDescription", ""),
            ],
        }


def build(corpus: Path) -> dict[str, list[tuple[str, ...]]]:
    """Read the registry files under ``corpus`` and return the rows of each vocabulary file."""
    xml_paths = sorted((corpus / "ctgov-legacy-xml").rglob("*.xml")) + sorted(
        (corpus / "aact-fixtures" / "xml").glob("*.xml")
    )
    json_paths = sorted((corpus / "aact-fixtures" / "json_v2").glob("*.json"))
    studies = list(_legacy_xml_studies(xml_paths)) + list(_v2_json_studies(json_paths))

    votes: dict[str, Counter[str]] = defaultdict(Counter)
    spelling: dict[str, Counter[str]] = defaultdict(Counter)
    conditions: Counter[str] = Counter()
    cond_spelling: dict[str, Counter[str]] = defaultdict(Counter)
    countries: Counter[str] = Counter()
    abbr_votes: dict[str, Counter[str]] = defaultdict(Counter)
    texts: list[str] = []
    for study in studies:
        for kind, raw_names in study["interventions"]:
            if kind not in {"DRUG", "BIOLOGICAL", "MESH"}:
                continue
            names = [n for n in (_clean(r) for r in raw_names) if n]
            if not names:
                continue
            # Registries put the generic in intervention_name and codes/brands in other_name; fall back to the
            # best-scoring other name only when the intervention name is itself a code or an abbreviation.
            first = _clean(raw_names[0])
            if first and _kind(first) not in {"code", "abbreviation"}:
                canonical = _base(first)
            else:
                canonical = _base(max(names, key=_canonical_score))
            if _kind(canonical) != "code" and not canonical.isupper():
                canonical = canonical.lower()
            for name in {*names, _base(names[0])}:
                votes[name.lower()][canonical.lower()] += 1
                spelling[name.lower()][name] += 1
            spelling[canonical.lower()][canonical] += 1
        for cond in study["conditions"]:
            cond = " ".join(cond.split())
            if 3 <= len(cond) <= 80 and not NON_CONDITION_WORDS & set(_fold(cond).split()):
                conditions[_fold(cond)] += 1
                cond_spelling[_fold(cond)][cond] += 1
        for country in study["countries"]:
            if country.strip():
                countries[" ".join(country.split())] += 1
        texts.extend(study["conditions"])
        texts.extend(study["texts"])

    for text in texts:
        for m in _PAREN_ABBR.finditer(text):
            long_words = m.group(1).split()
            abbr = m.group(2)
            letters = [c for c in abbr if c.isupper()]
            # The long form is the last len(letters) words (Schwartz-Hearst style, simplified).
            candidate = " ".join(long_words[-len(letters) :]) if len(letters) <= len(long_words) else ""
            initials = "".join(w[0].upper() for w in re.split(r"[ -]", candidate) if w)
            if (
                not candidate
                or not initials.startswith(abbr[0])
                or candidate.lower().split()[-1] not in CONDITION_HEADS
            ):
                continue
            abbr_votes[abbr][_fold(candidate)] += 1

    heads = _intervention_heads(studies, list(_aact_sample_interventions(corpus)), votes)
    stems = _drug_stems(votes)
    common = _common_words(studies, votes)

    drug_rows: list[tuple[str, ...]] = []
    for synonym, counter in sorted(votes.items()):
        canonical, n = counter.most_common(1)[0]
        if n * 3 < sum(counter.values()) * 2:
            continue
        shown = spelling[synonym].most_common(1)[0][0]
        canon_shown = spelling[canonical].most_common(1)[0][0] if spelling[canonical] else canonical
        if _kind(canon_shown) not in {"code", "abbreviation"}:
            canon_shown = canonical
        drug_rows.append((shown, canon_shown, _kind(shown), str(sum(counter.values()))))

    cond_rows = [
        (cond_spelling[folded].most_common(1)[0][0], str(count))
        for folded, count in sorted(conditions.items(), key=lambda kv: (-kv[1], kv[0]))
        # A one-word "condition" seen once is too often a stray word; drug names are never conditions.
        if (count >= 2 or " " in folded) and folded not in votes
    ]
    abbr_rows: list[tuple[str, ...]] = []
    for abbr, counter in sorted(abbr_votes.items()):
        folded, n = counter.most_common(1)[0]
        if abbr in CURATED_ABBREVIATIONS or n < 2 or n * 3 < sum(counter.values()) * 2:
            continue
        shown = cond_spelling[folded].most_common(1)[0][0] if folded in cond_spelling else folded.title()
        abbr_rows.append((abbr, shown, str(n), "corpus"))
    for abbr, expansion in CURATED_ABBREVIATIONS.items():
        n = abbr_votes.get(abbr, Counter())[_fold(expansion)]
        abbr_rows.append((abbr, expansion, str(n), "curated"))
    country_rows = [(c, str(n)) for c, n in sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))]
    return {
        "drugs.tsv": [("synonym", "canonical", "kind", "count"), *drug_rows],
        "conditions.tsv": [("term", "count"), *cond_rows],
        "abbreviations.tsv": [("abbr", "expansion", "count", "source"), *sorted(abbr_rows)],
        "countries.tsv": [("country", "count"), *country_rows],
        "intervention_heads.tsv": [("head", "type", "count"), *heads],
        "drug_stems.tsv": [("stem", "count"), *stems],
        "common_words.tsv": [("word", "studies"), *common],
    }


_NON_DRUG_TYPES = ("BEHAVIORAL", "PROCEDURE", "DEVICE", "RADIATION", "DIETARY_SUPPLEMENT", "OTHER")
_INTERVENTION_TYPES = (*_NON_DRUG_TYPES, "DRUG", "BIOLOGICAL", "GENETIC", "DIAGNOSTIC_TEST", "COMBINATION_PRODUCT")


def _aact_sample_interventions(corpus: Path) -> Iterator[tuple[str, list[str]]]:
    """(type, [name]) of the interventions in the AACT sample table (``ctrialsgov-aact-sample``)."""
    path = corpus / "ctrialsgov-aact-sample" / "csv" / "tbl_join_sample.inter.csv"
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            # Names are written "Type: name" there.
            yield "_".join(row["intervention_type"].upper().split()), [row["name"].split(":", 1)[-1]]


def _intervention_heads(
    studies: list[dict[str, list[Any]]], extra: list[tuple[str, list[str]]], drugs: dict[str, Counter[str]]
) -> list[tuple[str, ...]]:
    """Rows of ``intervention_heads.tsv``: last words (and word endings) of registry intervention names."""
    types_by_head: dict[str, Counter[str]] = defaultdict(Counter)
    seen: set[str] = set()
    for groups in [*(study["interventions"] for study in studies), extra]:
        for kind, raw_names in groups:
            if kind not in _INTERVENTION_TYPES:
                continue
            # The name without parentheses ("... therapy (CBT)"), its words; one vote per distinct name.
            name = re.sub(r"\([^)]*\)", " ", raw_names[0]).lower()
            words = re.findall(r"[a-z][a-z-]*[a-z]", name)
            if not words or len(words) > 6 or f"{kind}:{name}" in seen:
                continue
            seen.add(f"{kind}:{name}")
            head = words[-1]
            types_by_head[head][kind] += 1
            for ending in HEAD_ENDINGS:
                if head.endswith(ending):
                    types_by_head["-" + ending][kind] += 1
    rows = []
    for head, types in types_by_head.items():
        count = sum(types.values())
        if (
            count < 2
            or (not head.startswith("-") and (len(head) < 4 or head in drugs or head in SALTS))
            or head in NOT_INTERVENTION_HEADS
        ):
            continue
        kind, n = types.most_common(1)[0]
        rows.append((head, kind if 2 * n >= count else "OTHER", str(count)))
    return sorted(rows, key=lambda r: (-int(r[2]), r[0]))


def _generic_names(drugs: dict[str, Counter[str]]) -> set[str]:
    """Registry generic drug names (one word, lower case, not a code)."""
    return {c for counter in drugs.values() for c in counter if c.isalpha() and c.islower() and len(c) >= 5}


def _drug_stems(drugs: dict[str, Counter[str]]) -> list[tuple[str, ...]]:
    """Rows of ``drug_stems.tsv``: each INN stem with the number of registry generic names that end in it."""
    generics = _generic_names(drugs)
    rows = [(stem, str(sum(1 for g in generics if g.endswith(stem) and g != stem))) for stem in set(INN_STEMS)]
    return sorted(rows, key=lambda r: (-int(r[1]), r[0]))


def _common_words(studies: list[dict[str, list[Any]]], drugs: dict[str, Counter[str]]) -> list[tuple[str, ...]]:
    """Rows of ``common_words.tsv``: words of registry titles, summaries and descriptions found in many records."""
    studies_with: Counter[str] = Counter()
    for study in studies:
        words = {w.lower() for text in study["prose"] for w in re.findall(r"[A-Za-z][a-z]+(?:-[a-z]+)*", text)}
        studies_with.update(words)
    generics = _generic_names(drugs)
    rows = [
        (word, str(n))
        for word, n in studies_with.items()
        if n >= COMMON_MIN_STUDIES and len(word) >= 3 and word not in drugs and word not in generics
    ]
    return sorted(rows, key=lambda r: (-int(r[1]), r[0]))


def write(rows_by_file: dict[str, list[tuple[str, ...]]], out: Path) -> None:
    """Write each vocabulary file with its version header."""
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in rows_by_file.items():
        lines = [
            f"# version: {VERSION} ({dt.date.today().isoformat()})",
            f"# source: {SOURCES.get(name, SOURCES['*'])} (public domain), built by bench/build_vocab.py",
        ]
        lines += ["\t".join(r) for r in rows]
        (out / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{name}: {len(rows) - 1} rows, {(out / name).stat().st_size} bytes")


def main() -> None:
    """Command-line entry point."""
    here = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=here.parent / "shared" / "corpus")
    parser.add_argument("--out", type=Path, default=here / "trial_pipeline" / "vocab")
    args = parser.parse_args()
    write(build(args.corpus), args.out)


if __name__ == "__main__":
    main()
