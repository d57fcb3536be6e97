"""Issue 2's bar: on all 3,000 corpus records the warehouse agrees, study by study, with each XML file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus_agreement import FIELDS, compare
from trial_pipeline.cli import main


@pytest.mark.corpus
@pytest.mark.slow
def test_warehouse_agrees_with_every_corpus_record(corpus: Path, tmp_path: Path) -> None:
    xml = corpus / "ctgov-legacy-xml"
    assert main(["run", "--raw", str(xml), "--warehouse", str(tmp_path), "--log-level", "ERROR"]) == 0
    report = compare(xml, tmp_path)
    assert report.studies == 3000
    # At least 99.5% of studies agree on every compared field; per field, none falls below that either.
    assert report.share >= 0.995, report.render()
    for name in FIELDS:
        assert report.studies - report.by_field[name] >= 0.995 * report.studies, report.render()
