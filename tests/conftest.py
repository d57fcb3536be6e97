"""Shared test fixtures: paths to the project's own fixtures and to the shared corpus (skipped when absent)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from trial_pipeline.models import Document
from trial_pipeline.parsers.registry import document_id_for

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
RAW = REPO / "raw"


def document(path: Path) -> Document:
    """A fixture file as a parser sees it."""
    data = path.read_bytes()
    return Document(document_id=document_id_for(data)[0], source_path=path.name, data=data, text=data.decode("utf-8"))


def pipeline_env(**settings: str) -> dict[str, str]:
    """An environment for running the pipeline in a subprocess: this one without any ``TRIAL_PIPELINE_*``
    setting (so the run sees its defaults and ``settings`` only), with the checkout importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAL_PIPELINE_")}
    return {**env, "PYTHONPATH": str(REPO), **settings}


def raw_with_reversed_dates(raw: Path) -> str:
    """A raw folder at ``raw``: a good record, and ``dates.xml``, a record whose completion date comes before its
    start (a trial that fails ``dates_in_order``, one of two: above the default quarantine limit). Returns the
    record as it was, to put back."""
    raw.mkdir()
    shutil.copy(FIXTURES / "ctgov" / "NCT00001575.xml", raw)
    source = (FIXTURES / "ctgov" / "NCT00000815.xml").read_text(encoding="utf-8")
    completion = '<completion_date type="Actual">August 2001</completion_date>'
    assert source.count(completion) == 1 and "<start_date>" not in source
    (raw / "dates.xml").write_text(source.replace(completion, f"<start_date>March 2005</start_date>{completion}"))
    return source


def seed_criteria_section(name: str) -> str:
    """The eligibility section of a registry-page seed in ``raw/``, from "Inclusion Criteria" to the next section."""
    path = RAW / name
    if not path.is_file():
        pytest.fail(f"seed not found at {path}")
    page = path.read_text(encoding="utf-8")
    start = page.index("Inclusion Criteria\n")
    end = min(i for i in (page.find("Study & Design", start), page.find("Minimum Eligible Age", start)) if i > 0)
    return page[start:end]


@pytest.fixture
def corpus() -> Path:
    """``../shared/corpus``; the test is skipped with a reason when it is not beside the checkout."""
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return CORPUS
