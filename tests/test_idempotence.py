"""Idempotence: the same raw folder gives the same tables, run after run, in the same or a fresh warehouse."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FIXTURES, RAW
from trial_pipeline.cli import main
from trial_pipeline.schemas import SCHEMAS
from trial_pipeline.warehouse import TABLE_KEYS


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("raw")
    for path in sorted((FIXTURES / "ctgov").iterdir()):
        shutil.copy(path, root / path.name)
    for path in sorted(RAW.glob("*.txt")):
        shutil.copy(path, root / path.name)
    (root / "copy of NCT00490022.xml").write_bytes((FIXTURES / "ctgov" / "NCT00490022.xml").read_bytes())
    (root / "empty.txt").write_bytes(b"")
    return root


def _run(raw: Path, warehouse: Path) -> tuple[set[str], dict[str, tuple[int, str]]]:
    assert main(["run", "--raw", str(raw), "--warehouse", str(warehouse), "--workers", "1"]) == 0
    con = duckdb.connect(str(warehouse / "trials.duckdb"), read_only=True)
    try:
        rows = con.execute("SELECT snapshot_id, table_name, row_count, fingerprint FROM publish_info").fetchall()
        for table, key in TABLE_KEYS.items():
            columns = ", ".join(f'"{c}"' for c in key)  # names from the schema registry
            duplicates = con.execute(
                f'SELECT {columns}, count(*) FROM "{table}" GROUP BY ALL HAVING count(*) > 1'
            ).fetchall()
            assert not duplicates, (table, duplicates[:5])
    finally:
        con.close()
    return {r[0] for r in rows}, {r[1]: (r[2], r[3]) for r in rows}


def test_the_same_raw_folder_gives_the_same_tables_every_time(raw: Path, tmp_path: Path) -> None:
    first_snapshot, first = _run(raw, tmp_path / "warehouse")
    second_snapshot, second = _run(raw, tmp_path / "warehouse")
    fresh_snapshot, fresh = _run(raw, tmp_path / "fresh")
    assert set(first) == set(SCHEMAS)
    assert first["trials"][0] > 0 and first["criteria"][0] > 0
    # Every run is a new snapshot, with exactly the same contents.
    assert len(first_snapshot | second_snapshot | fresh_snapshot) == 3
    assert first == second == fresh
