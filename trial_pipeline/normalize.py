"""Parse outcomes -> staging frames: one frame per table, every row with its ``document_id``.

Staging records faithfully what each document said; merging trials across documents and validation
happen in :mod:`trial_pipeline.warehouse`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pandas as pd

from trial_pipeline.ingest import ManifestEntry
from trial_pipeline.models import RECORD_TABLES, ParsedDocument
from trial_pipeline.parsers.registry import PARSER_VERSION, ParseOutcome

#: Staging tables: the documents manifest plus one per record kind.
STAGING_TABLES: tuple[str, ...] = ("documents", *RECORD_TABLES)


def _records_frame(records: Sequence[object]) -> pd.DataFrame:
    if not records:
        return pd.DataFrame()
    first = records[0]
    names = [f.name for f in dataclasses.fields(first)]  # type: ignore[arg-type]
    rows = [[getattr(r, n) for n in names] for r in records]
    frame = pd.DataFrame(rows, columns=names, dtype=object)
    for name in names:
        if frame[name].map(lambda v: isinstance(v, tuple)).any():
            frame[name] = frame[name].map(list)
    return frame


def staging_frames(entries: Sequence[ManifestEntry], outcomes: Sequence[ParseOutcome]) -> dict[str, pd.DataFrame]:
    """One frame per staging table. Records of byte-identical files are taken once (from the first file)."""
    documents = []
    parsed_once: dict[str, ParsedDocument] = {}
    first_path: dict[str, str] = {}
    for entry, outcome in zip(entries, outcomes, strict=True):
        message = outcome.error_message
        if outcome.parsed is not None:
            if entry.document_id in parsed_once:
                note = f"same content as {first_path[entry.document_id]}; its records are listed once"
                message = f"{message}; {note}" if message else note
            else:
                parsed_once[entry.document_id] = outcome.parsed
                first_path[entry.document_id] = entry.source_path
        documents.append(
            {
                "document_id": entry.document_id,
                "source_path": entry.source_path,
                "source_format": str(outcome.source_format),
                "content_sha256": entry.content_sha256,
                "size_bytes": entry.size_bytes,
                "parse_status": str(outcome.status),
                "error_message": message,
                "trial_count": len(outcome.parsed.trials) if outcome.parsed else 0,
                "parser_version": PARSER_VERSION,
            }
        )
    frames = {"documents": pd.DataFrame(documents)}
    for table in RECORD_TABLES:
        frames[table] = _records_frame([r for parsed in parsed_once.values() for r in getattr(parsed, table)])
    return frames
