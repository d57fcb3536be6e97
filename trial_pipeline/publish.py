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

import os
import shutil
import uuid
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from trial_pipeline.schemas import SCHEMAS, arrow_schema, coerce_frame, sql_types
from trial_pipeline.warehouse import TABLE_KEYS, fingerprint

DUCKDB_NAME = "trials.duckdb"
PARQUET_DIR = "parquet"
SNAPSHOTS_DIR = ".snapshots"
#: Snapshots kept besides the current one, for readers still reading the previous Parquet set.
KEEP_PREVIOUS = 1
SNAPSHOT_METADATA_KEY = b"trial_pipeline.snapshot_id"
DUCKDB_MEMORY_LIMIT = "1GB"
#: A table this large is checkpointed on its own (smaller ones together at the end), so DuckDB never holds many.
_CHECKPOINT_BYTES = 64 << 20


@dataclass(frozen=True)
class PublishResult:
    """What a publish wrote."""

    snapshot_id: str
    duckdb_path: Path
    parquet_dir: Path
    row_counts: dict[str, int]
    fingerprints: dict[str, str]


def _quote(identifier: str) -> str:
    # Identifiers come only from the schema registry; quoting guards against reserved words.
    return '"' + identifier.replace('"', '""') + '"'


def to_arrow(table: str, data: pa.Table | pd.DataFrame) -> pa.Table:
    """``data`` as one contiguous Arrow table of ``table``'s schema, rows in key order (deterministic output)."""
    schema = arrow_schema(table)
    if isinstance(data, pd.DataFrame):
        data = pa.Table.from_pandas(coerce_frame(table, data), schema=schema, preserve_index=False)
    data = data.select(schema.names).cast(schema)
    key = [c for c in TABLE_KEYS.get(table, ()) if c in schema.names]
    if key and data.num_rows:
        data = data.take(pc.sort_indices(data, sort_keys=[(c, "ascending", "at_start") for c in key]))
    return data.combine_chunks()


def _insert(con: duckdb.DuckDBPyConnection, name: str, arrow: pa.Table) -> None:
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


def publish(tables: Mapping[str, pa.Table | pd.DataFrame], warehouse: Path) -> PublishResult:
    """Write every schema table (missing ones empty) to a new snapshot, then swap it in atomically."""
    warehouse.mkdir(parents=True, exist_ok=True)
    snapshots = warehouse / SNAPSHOTS_DIR
    snapshot_id = uuid.uuid4().hex
    snapshot = snapshots / snapshot_id
    parquet_dir = snapshot / PARQUET_DIR
    parquet_dir.mkdir(parents=True)

    staged_db = snapshot / DUCKDB_NAME
    fingerprints: dict[str, str] = {}
    row_counts: dict[str, int] = {}
    # DuckDB may use 80% of the machine's memory by default; capped, it spills to the snapshot's own temp dir.
    con = duckdb.connect(str(staged_db), config={"memory_limit": DUCKDB_MEMORY_LIMIT})
    try:
        # One table at a time: only one table's Arrow copy is ever in memory, and Parquet and DuckDB both
        # receive exactly the rows that were fingerprinted. Each table is committed on its own, and a large one
        # checkpointed, so DuckDB does not hold every table until the end: the file is private to this snapshot
        # until it is swapped in, so a run that dies half-way leaves nothing a reader can see. The Parquet file
        # is written by a second thread while DuckDB takes the same rows (both release the GIL).
        with ThreadPoolExecutor(max_workers=1) as parquet_writer:
            for name in SCHEMAS:
                arrow = to_arrow(name, tables[name] if name in tables else arrow_schema(name).empty_table())
                fingerprints[name] = fingerprint(arrow)
                row_counts[name] = arrow.num_rows
                stamped = arrow.replace_schema_metadata(
                    {**(arrow.schema.metadata or {}), SNAPSHOT_METADATA_KEY: snapshot_id.encode()}
                )
                written = parquet_writer.submit(pq.write_table, stamped, parquet_dir / f"{name}.parquet")
                _insert(con, name, arrow)
                if arrow.nbytes > _CHECKPOINT_BYTES:
                    con.execute("CHECKPOINT")
                written.result()
                del arrow, stamped, written
        info = pa.table(
            {
                "snapshot_id": [snapshot_id] * len(SCHEMAS),
                "table_name": list(SCHEMAS),
                "row_count": pa.array([row_counts[name] for name in SCHEMAS], pa.int64()),
                "fingerprint": [fingerprints[name] for name in SCHEMAS],
            }
        )
        _insert(con, "publish_info", info)
        con.execute("CHECKPOINT")
    finally:
        con.close()
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
