"""Shared test fixtures: paths to the project's own fixtures and to the shared corpus (skipped when absent)."""

from __future__ import annotations

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


@pytest.fixture
def corpus() -> Path:
    """``../shared/corpus``; the test is skipped with a reason when it is not beside the checkout."""
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return CORPUS
