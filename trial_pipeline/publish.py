"""Write the warehouse: one DuckDB file and one Parquet set, each replaced atomically as a whole.

A run writes everything under ``<warehouse>/.snapshots/<id>/`` first. Then ``<warehouse>/parquet`` (a
symbolic link to the snapshot's Parquet directory) and ``<warehouse>/trials.duckdb`` are swapped in with
``os.replace``, which is atomic on POSIX filesystems: a reader sees the old run or the new one, whole, never
a half-written table. A reader that holds the old DuckDB file open keeps reading the old file undisturbed.
Both outputs come from the same Arrow tables, so they hold the same rows; ``publish_info`` records the
snapshot and a fingerprint of each table.

No SQL is built from data: table and column names come from the schema registry, values travel as Arrow.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from trial_pipeline.schemas import SCHEMAS, sql_types
from trial_pipeline.warehouse import TABLE_KEYS

DUCKDB_NAME = "trials.duckdb"
PARQUET_DIR = "parquet"
SNAPSHOTS_DIR = ".snapshots"
#: Snapshots kept besides the current one, for readers still reading the previous Parquet set.
KEEP_PREVIOUS = 1
SNAPSHOT_METADATA_KEY = b"trial_pipeline.snapshot_id"

_ARROW_TYPES = {
    "VARCHAR": pa.string(),
    "VARCHAR[]": pa.list_(pa.string()),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(),
}


@dataclass(frozen=True)
class PublishResult:
    """What a publish wrote."""

    snapshot_id: str
    duckdb_path: Path
    parquet_dir: Path
    row_counts: dict[str, int]
    fingerprints: dict[str, str]


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of ``table``, from its pandera model."""
    return pa.schema([pa.field(name, _ARROW_TYPES[sql]) for name, sql in sql_types(table).items()])


def _quote(identifier: str) -> str:
    # Identifiers come only from the schema registry; quoting guards against reserved words.
    return '"' + identifier.replace('"', '""') + '"'


def _sorted(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    key = [c for c in TABLE_KEYS.get(table, ()) if c in frame.columns]
    if not key or frame.empty:
        return frame.reset_index(drop=True)
    return frame.sort_values(key, kind="stable", na_position="first").reset_index(drop=True)


def to_arrow(table: str, frame: pd.DataFrame) -> pa.Table:
    """``frame`` as an Arrow table of ``table``'s schema, rows in key order (so output is deterministic)."""
    schema = arrow_schema(table)
    frame = _sorted(table, frame[[f.name for f in schema]])
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)


def fingerprint(table: pa.Table) -> str:
    """SHA-256 of a table's contents (Arrow IPC stream of its rows)."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest()


def _write_duckdb(path: Path, tables: Mapping[str, pa.Table], info: pa.Table) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute("BEGIN TRANSACTION")
        for name, arrow in {**tables, "publish_info": info}.items():
            ddl_types = {f.name: sql_types(name)[f.name] for f in arrow.schema} if name in SCHEMAS else None
            columns = (
                ", ".join(f"{_quote(c)} {t}" for c, t in ddl_types.items())
                if ddl_types
                else "snapshot_id VARCHAR, table_name VARCHAR, row_count BIGINT, fingerprint VARCHAR"
            )
            con.execute(f"CREATE TABLE {_quote(name)} ({columns})")
            con.register("_incoming", arrow)
            con.execute(f"INSERT INTO {_quote(name)} SELECT * FROM _incoming")  # noqa: S608 - name from SCHEMAS
            con.unregister("_incoming")
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap_link(link: Path, target: Path) -> None:
    """Point ``link`` at ``target`` atomically (a real directory in its place is moved aside first)."""
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)
    tmp = link.with_name(f".{link.name}.{uuid.uuid4().hex}.tmp")
    tmp.symlink_to(os.path.relpath(target, link.parent), target_is_directory=True)
    os.replace(tmp, link)


def _prune(snapshots: Path, current: str) -> None:
    live = {current}
    parquet_link = snapshots.parent / PARQUET_DIR
    if parquet_link.is_symlink():
        live.add(Path(os.readlink(parquet_link)).parent.name)
    others = sorted((p for p in snapshots.iterdir() if p.name not in live), key=lambda p: p.stat().st_mtime)
    for stale in others[: max(0, len(others) - KEEP_PREVIOUS)]:
        shutil.rmtree(stale, ignore_errors=True)


def publish(tables: Mapping[str, pd.DataFrame], warehouse: Path) -> PublishResult:
    """Write every schema table (missing ones empty) to a new snapshot, then swap it in atomically."""
    warehouse.mkdir(parents=True, exist_ok=True)
    snapshots = warehouse / SNAPSHOTS_DIR
    snapshot_id = uuid.uuid4().hex
    snapshot = snapshots / snapshot_id
    parquet_dir = snapshot / PARQUET_DIR
    parquet_dir.mkdir(parents=True)

    arrow_tables = {
        name: to_arrow(name, tables[name] if name in tables else pd.DataFrame(columns=list(sql_types(name))))
        for name in SCHEMAS
    }
    fingerprints = {name: fingerprint(t) for name, t in arrow_tables.items()}
    row_counts = {name: t.num_rows for name, t in arrow_tables.items()}
    info = pa.table(
        {
            "snapshot_id": [snapshot_id] * len(arrow_tables),
            "table_name": list(arrow_tables),
            "row_count": pa.array(list(row_counts.values()), pa.int64()),
            "fingerprint": list(fingerprints.values()),
        }
    )
    for name, arrow in arrow_tables.items():
        stamped = arrow.replace_schema_metadata(
            {**(arrow.schema.metadata or {}), SNAPSHOT_METADATA_KEY: snapshot_id.encode()}
        )
        pq.write_table(stamped, parquet_dir / f"{name}.parquet")
    staged_db = snapshot / DUCKDB_NAME
    _write_duckdb(staged_db, arrow_tables, info)
    for path in parquet_dir.iterdir():
        with path.open("rb") as handle:
            os.fsync(handle.fileno())
    _fsync_dir(parquet_dir)

    _swap_link(warehouse / PARQUET_DIR, parquet_dir)
    os.replace(staged_db, warehouse / DUCKDB_NAME)
    _fsync_dir(warehouse)
    _prune(snapshots, snapshot_id)
    return PublishResult(
        snapshot_id=snapshot_id,
        duckdb_path=warehouse / DUCKDB_NAME,
        parquet_dir=warehouse / PARQUET_DIR,
        row_counts=row_counts,
        fingerprints=fingerprints,
    )
