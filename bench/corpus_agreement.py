"""Does the warehouse agree, study by study, with what each ClinicalTrials.gov XML file says?

The expected values are read here independently of the pipeline's reader, with the standard library's
ElementTree (the corpus is public-domain registry data, not untrusted input). Compared per study: phases,
status, enrollment, arm count, arm-intervention pairs, primary and secondary outcome counts, minimum age.

    python -m bench.corpus_agreement [--corpus DIR] [--warehouse DIR]

Without ``--warehouse`` it first runs ``trial-pipeline run`` on the corpus into a temporary directory.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

FIELDS = (
    "phases",
    "overall_status",
    "enrollment_count",
    "arm_count",
    "arm_intervention_pairs",
    "primary_outcomes",
    "secondary_outcomes",
    "minimum_age_years",
)
_AGE_FACTORS = {
    "year": 1.0,
    "month": 1 / 12,
    "week": 7 / 365.25,
    "day": 1 / 365.25,
    "hour": 1 / 8766,
    "minute": 1 / 525960,
}


def default_corpus() -> Path:
    """``../shared/corpus/ctgov-legacy-xml`` beside the repository."""
    return Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ctgov-legacy-xml"


def _t(node: ET.Element, path: str) -> str | None:
    found = node.find(path)
    return " ".join("".join(found.itertext()).split()) or None if found is not None else None


def expected(path: Path) -> tuple[str, dict[str, object]]:
    """``(nct_id, field values)`` as the XML file states them."""
    root = ET.parse(path).getroot()
    phase = _t(root, "phase")
    phases: set[str] = set()
    if phase == "N/A":
        phases = {"NA"}
    elif phase:
        for part in phase.split("/"):
            number = re.search(r"\d", part)
            if number:
                phases.add(("EARLY_PHASE" if part.startswith("Early") else "PHASE") + number.group())
    status = _t(root, "overall_status") or ""
    status = "UNKNOWN" if status == "Unknown status" else re.sub(r"[^A-Z]+", "_", status.upper()).strip("_")
    enrollment = _t(root, "enrollment")
    age = _t(root, "eligibility/minimum_age")
    age_years = None
    if age and (m := re.fullmatch(r"(\d+(?:\.\d+)?) (\w+?)s?", age)):
        age_years = round(float(m.group(1)) * _AGE_FACTORS[m.group(2).lower()], 4)
    pairs: Counter[tuple[str, str | None]] = Counter()
    for node in root.findall("intervention"):
        name = _t(node, "intervention_name") or ""
        labels = list(
            dict.fromkeys(x for x in (" ".join((n.text or "").split()) for n in node.findall("arm_group_label")) if x)
        )
        for label in labels or [None]:
            pairs[(name, label)] += 1
    return _t(root, "id_info/nct_id") or "", {
        "phases": frozenset(phases),
        "overall_status": status or None,
        "enrollment_count": int(float(enrollment)) if enrollment else None,
        "arm_count": len(root.findall("arm_group")),
        "arm_intervention_pairs": pairs,
        "primary_outcomes": len(root.findall("primary_outcome")),
        "secondary_outcomes": len(root.findall("secondary_outcome")),
        "minimum_age_years": age_years,
    }


def actual(con: duckdb.DuckDBPyConnection, nct_id: str) -> dict[str, object]:
    """The same fields as the published warehouse holds them."""
    trial = con.execute(
        "SELECT phases, overall_status, enrollment_count, minimum_age_years FROM trials WHERE trial_id = ?", [nct_id]
    ).fetchone()
    if trial is None:
        return {}
    arms = con.execute("SELECT count(*) FROM arms WHERE trial_id = ?", [nct_id]).fetchone()
    pairs = Counter(
        (name, label)
        for name, label in con.execute(
            "SELECT intervention_name, arm_label FROM interventions WHERE trial_id = ?", [nct_id]
        ).fetchall()
    )
    outcomes = dict(
        con.execute(
            "SELECT outcome_type, count(*) FROM outcomes WHERE trial_id = ? GROUP BY outcome_type", [nct_id]
        ).fetchall()
    )
    return {
        "phases": frozenset(trial[0] or []),
        "overall_status": trial[1],
        "enrollment_count": trial[2],
        "arm_count": arms[0] if arms else 0,
        "arm_intervention_pairs": pairs,
        "primary_outcomes": outcomes.get("PRIMARY", 0),
        "secondary_outcomes": outcomes.get("SECONDARY", 0),
        "minimum_age_years": None if trial[3] is None else round(trial[3], 4),
    }


@dataclass
class Report:
    """Agreement of the warehouse with the corpus."""

    studies: int = 0
    agreeing: int = 0
    by_field: Counter[str] = field(default_factory=Counter)
    disagreements: list[tuple[str, str, object, object]] = field(default_factory=list)

    @property
    def share(self) -> float:
        """Share of studies agreeing on every field."""
        return self.agreeing / self.studies if self.studies else 0.0

    def render(self) -> str:
        """A human-readable summary."""
        lines = [f"studies: {self.studies}; agreeing on every field: {self.agreeing} ({self.share:.2%})"]
        for name in FIELDS:
            lines.append(f"  {name:<24} {self.studies - self.by_field[name]:>5}/{self.studies} agree")
        for nct_id, name, want, got in self.disagreements[:25]:
            lines.append(f"  {nct_id} {name}: file says {want!r}, warehouse has {got!r}")
        return "\n".join(lines)


def compare(corpus: Path, warehouse: Path) -> Report:
    """Compare every XML file under ``corpus`` with the warehouse in ``warehouse``."""
    report = Report()
    con = duckdb.connect(str(warehouse / "trials.duckdb"), read_only=True)
    try:
        for path in sorted(corpus.rglob("*.xml")):
            nct_id, want = expected(path)
            got = actual(con, nct_id)
            report.studies += 1
            wrong = [name for name in FIELDS if got.get(name) != want[name]]
            if not wrong:
                report.agreeing += 1
            for name in wrong:
                report.by_field[name] += 1
                report.disagreements.append((nct_id, name, want[name], got.get(name)))
    finally:
        con.close()
    return report


def main() -> int:
    """Run the pipeline on the corpus (unless given a warehouse) and print the agreement."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--corpus", type=Path, default=default_corpus())
    parser.add_argument("--warehouse", type=Path)
    args = parser.parse_args()
    from trial_pipeline.cli import main as cli_main

    with tempfile.TemporaryDirectory() as tmp:
        warehouse = args.warehouse
        if warehouse is None:
            warehouse = Path(tmp)
            if cli_main(["run", "--raw", str(args.corpus), "--warehouse", str(warehouse), "--log-level", "WARNING"]):
                return 1
        print(compare(args.corpus, warehouse).render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
