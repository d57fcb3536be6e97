"""Publishing: what a reader of the DuckDB file or the Parquet set sees, during and after a publish."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from trial_pipeline.publish import SNAPSHOT_METADATA_KEY, publish
from trial_pipeline.schemas import SCHEMAS, coerce_frame, columns


def trials(*ids: str) -> dict[str, pd.DataFrame]:
    rows = [
        {c: None for c in columns("trials")}
        | {
            "trial_id": i,
            "nct_id": i,
            "other_ids": ["X-1"],
            "phases": ["PHASE1", "PHASE2"],
            "collaborators": [],
            "conditions": ["AML"],
            "countries": [],
            "document_ids": ["0123456789abcdef"],
            "start_date": dt.date(2020, 5, 1),
            "enrollment_count": 10,
            "healthy_volunteers": False,
        }
        for i in ids
    ]
    return {"trials": coerce_frame("trials", pd.DataFrame(rows))}


def test_every_table_in_duckdb_and_parquet_with_the_same_rows(tmp_path: Path) -> None:
    result = publish(trials("NCT00000002", "NCT00000001"), tmp_path)
    con = duckdb.connect(str(tmp_path / "trials.duckdb"), read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert tables == set(SCHEMAS) | {"publish_info"}
        for table in SCHEMAS:
            from_duckdb = con.sql(f'SELECT * FROM "{table}"').to_arrow_table()
            from_parquet = pq.read_table(tmp_path / "parquet" / f"{table}.parquet")
            assert from_parquet.schema.metadata[SNAPSHOT_METADATA_KEY] == result.snapshot_id.encode()
            assert from_duckdb.to_pylist() == from_parquet.to_pylist(), table
        # Rows in key order, lists as VARCHAR[], dates as DATE.
        assert con.execute("SELECT trial_id, phases, start_date FROM trials").fetchall() == [
            ("NCT00000001", ["PHASE1", "PHASE2"], dt.date(2020, 5, 1)),
            ("NCT00000002", ["PHASE1", "PHASE2"], dt.date(2020, 5, 1)),
        ]
        types = dict(
            con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'trials'"
            ).fetchall()
        )
        assert (types["phases"], types["start_date"], types["enrollment_count"], types["healthy_volunteers"]) == (
            "VARCHAR[]", "DATE", "BIGINT", "BOOLEAN",
        )  # fmt: skip
        info = dict(con.execute("SELECT table_name, row_count FROM publish_info").fetchall())
        assert info["trials"] == 2 and info["arms"] == 0
    finally:
        con.close()


def test_a_reader_holding_the_file_open_keeps_the_old_run_and_does_not_block_the_publish(tmp_path: Path) -> None:
    publish(trials("NCT00000001"), tmp_path)
    reader = duckdb.connect(str(tmp_path / "trials.duckdb"), read_only=True)
    try:
        publish(trials("NCT00000001", "NCT00000002", "NCT00000003"), tmp_path)
        # The open connection still sees the old run, whole.
        assert reader.execute("SELECT count(*) FROM trials").fetchone() == (1,)
    finally:
        reader.close()
    fresh = duckdb.connect(str(tmp_path / "trials.duckdb"), read_only=True)
    try:
        assert fresh.execute("SELECT count(*) FROM trials").fetchone() == (3,)
    finally:
        fresh.close()
    assert pq.read_table(tmp_path / "parquet" / "trials.parquet").num_rows == 3


def test_old_snapshots_are_pruned_and_parquet_is_a_swapped_link(tmp_path: Path) -> None:
    results = [publish(trials(f"NCT0000000{i}"), tmp_path) for i in range(1, 5)]
    snapshots = sorted(p.name for p in (tmp_path / ".snapshots").iterdir())
    # The current snapshot and one previous are kept for readers still reading them.
    assert snapshots == sorted(r.snapshot_id for r in results[-2:])
    assert (tmp_path / "parquet").is_symlink()
    assert (tmp_path / "parquet").resolve().parent.name == results[-1].snapshot_id


def test_same_tables_give_the_same_fingerprints(tmp_path: Path) -> None:
    first = publish(trials("NCT00000002", "NCT00000001"), tmp_path / "a")
    second = publish(trials("NCT00000001", "NCT00000002"), tmp_path / "b")
    assert first.fingerprints == second.fingerprints
