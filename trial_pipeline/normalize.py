"""Parse outcomes -> staged rows -> staging frames: one frame per table, every row with its ``document_id``.

A document's records become a :class:`StagedDocument`: plain tuples per table, made in the worker that parsed
the document. Plain tuples cost a fraction of the record objects to send between processes, to keep in the
cache and to load again, and become frames in one step. Staging records faithfully what each document said;
merging trials across documents and validation happen in :mod:`trial_pipeline.warehouse`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple, cast

import pandas as pd

from trial_pipeline.models import RECORD_TABLES, RECORD_TYPES, ParsedDocument, ParseStatus, SourceFormat
from trial_pipeline.parsers.registry import PARSER_VERSION, ParseOutcome

if TYPE_CHECKING:
    from trial_pipeline.ingest import ManifestEntry

#: Staging tables: the documents manifest plus one per record kind.
STAGING_TABLES: tuple[str, ...] = ("documents", *RECORD_TABLES)

#: The columns of each record table: the record's fields, in order.
RECORD_COLUMNS: dict[str, tuple[str, ...]] = {
    table: tuple(f.name for f in dataclasses.fields(kind)) for table, kind in RECORD_TYPES.items()
}
# Positions of the list-valued fields (tuples in the records, lists in the frames).
_LIST_FIELDS: dict[str, tuple[int, ...]] = {
    table: tuple(i for i, f in enumerate(dataclasses.fields(kind)) if str(f.type).startswith("tuple"))
    for table, kind in RECORD_TYPES.items()
}
_GETTERS = {table: attrgetter(*names) for table, names in RECORD_COLUMNS.items()}

Row = tuple[object, ...]


class StagedDocument(NamedTuple):
    """One document as staging holds it: what became of it, and its records as rows (None when unread)."""

    source_format: str
    parse_status: str
    error_message: str | None
    trial_count: int
    rows: dict[str, list[Row]] | None


def _rows(table: str, records: Sequence[object]) -> list[Row]:
    getter, lists = _GETTERS[table], _LIST_FIELDS[table]
    rows: list[Row] = [getter(r) for r in records]
    if lists:
        for n, row in enumerate(rows):
            cells = list(row)
            for i in lists:
                cells[i] = list(cast("tuple[object, ...]", cells[i]))
            rows[n] = tuple(cells)
    return rows


def stage(outcome: ParseOutcome) -> StagedDocument:
    """The staged form of one parse outcome."""
    parsed: ParsedDocument | None = outcome.parsed
    return StagedDocument(
        str(outcome.source_format),
        str(outcome.status),
        outcome.error_message,
        len(parsed.trials) if parsed else 0,
        {table: _rows(table, getattr(parsed, table)) for table in RECORD_TABLES} if parsed else None,
    )


def failed(reason: str) -> StagedDocument:
    """A document that was not read, with the reason."""
    return StagedDocument(str(SourceFormat.UNKNOWN), str(ParseStatus.FAILED), reason, 0, None)


def staging_frames(entries: Sequence[ManifestEntry], staged: Sequence[StagedDocument]) -> dict[str, pd.DataFrame]:
    """One frame per staging table. Records of byte-identical files are taken once (from the first file)."""
    documents = []
    rows: dict[str, list[Row]] = {table: [] for table in RECORD_TABLES}
    first_path: dict[str, str] = {}
    for entry, doc in zip(entries, staged, strict=True):
        message = doc.error_message
        if doc.rows is not None:
            if entry.document_id in first_path:
                note = f"same content as {first_path[entry.document_id]}; its records are listed once"
                message = f"{message}; {note}" if message else note
            else:
                first_path[entry.document_id] = entry.source_path
                for table, table_rows in doc.rows.items():
                    rows[table].extend(table_rows)
        documents.append(
            {
                "document_id": entry.document_id,
                "source_path": entry.source_path,
                "source_format": doc.source_format,
                "content_sha256": entry.content_sha256,
                "size_bytes": entry.size_bytes,
                "parse_status": doc.parse_status,
                "error_message": message,
                "trial_count": doc.trial_count,
                "parser_version": PARSER_VERSION,
            }
        )
    frames = {"documents": pd.DataFrame(documents)}
    for table in RECORD_TABLES:
        frames[table] = (
            pd.DataFrame(rows[table], columns=list(RECORD_COLUMNS[table]), dtype=object)
            if rows[table]
            else pd.DataFrame()
        )
    return frames
