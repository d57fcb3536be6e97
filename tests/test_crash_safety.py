"""Crash safety: ``kill -9`` at any moment of a run leaves the previous run or the new one published, whole.

The CLI runs as a subprocess over a small raw folder and is killed after a random delay (up to a run's
duration), again and again, alternating between two raw folders whose tables differ. After every kill the
DuckDB file must open and hold one run's tables whole (``publish_info`` fingerprints of that run), every
Parquet file must read, and the Parquet set must come from the same snapshot with the same contents. A reader
holds the DuckDB file open throughout. A final clean run gives exactly a clean run's tables.

(That an open reader does not block a publish in-process is ``tests/test_publish.py``.)
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.conftest import FIXTURES, REPO, pipeline_env
from tests.test_hostile import registry_xml
from trial_pipeline.publish import DUCKDB_NAME, PARQUET_DIR, SNAPSHOT_METADATA_KEY, fingerprint
from trial_pipeline.schemas import SCHEMAS

KILLS = 20
MAX_ATTEMPTS = 45

Fingerprints = dict[str, str]


def _command(raw: Path, warehouse: Path) -> list[str]:
    cli = [sys.executable, "-m", "trial_pipeline.cli", "run", "--raw", str(raw), "--warehouse", str(warehouse)]
    return [*cli, "--workers", "1", "--log-level", "WARNING"]


def _clean_run(raw: Path, warehouse: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(_command(raw, warehouse), env=pipeline_env(), cwd=REPO, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return time.perf_counter() - start


def _published(warehouse: Path) -> tuple[str, Fingerprints, Fingerprints, set[str]]:
    """``(duckdb snapshot, duckdb fingerprints, parquet content fingerprints, parquet snapshots)``, checked whole."""
    con = duckdb.connect(str(warehouse / DUCKDB_NAME), read_only=True)
    try:
        info = con.execute("SELECT snapshot_id, table_name, row_count, fingerprint FROM publish_info").fetchall()
        snapshots = {row[0] for row in info}
        assert len(snapshots) == 1, snapshots
        assert {row[1] for row in info} == set(SCHEMAS)
        for _, table, row_count, _ in info:
            assert con.execute(f'SELECT count(*) FROM "{table}"').fetchone() == (row_count,)  # name from SCHEMAS
    finally:
        con.close()
    parquet: Fingerprints = {}
    parquet_snapshots: set[str] = set()
    for table in SCHEMAS:
        read = pq.read_table(warehouse / PARQUET_DIR / f"{table}.parquet")
        parquet_snapshots.add((read.schema.metadata or {}).get(SNAPSHOT_METADATA_KEY, b"").decode())
        parquet[table] = fingerprint(read.replace_schema_metadata(None))
    return snapshots.pop(), {row[1]: row[3] for row in info}, parquet, parquet_snapshots


@pytest.fixture(scope="module")
def raws(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two raw folders: the fixture records (A), and the same with five more trials (B)."""
    a = tmp_path_factory.mktemp("raw_a")
    for path in sorted((FIXTURES / "ctgov").glob("*.xml")):
        shutil.copy(path, a / path.name)
    b = tmp_path_factory.mktemp("raw_b")
    shutil.copytree(a, b, dirs_exist_ok=True)
    for i in range(5):
        nct = f"NCT0999995{i}"
        (b / f"{nct}.xml").write_bytes(registry_xml(nct, f"Variant {i}", f"Generated variant {i} of a record."))
    return a, b


@pytest.mark.slow
def test_kill_9_at_random_moments_never_publishes_a_mix(raws: tuple[Path, Path], tmp_path: Path) -> None:
    raw_a, raw_b = raws
    reference: dict[Path, tuple[Fingerprints, Fingerprints]] = {}
    for raw in (raw_a, raw_b):
        _clean_run(raw, tmp_path / f"reference_{raw.name}")
        _, duck, parquet, _ = _published(tmp_path / f"reference_{raw.name}")
        reference[raw] = (duck, parquet)
    assert reference[raw_a][0] != reference[raw_b][0]
    assert reference[raw_a][0]["trials"] != reference[raw_b][0]["trials"]
    warehouse = tmp_path / "warehouse"
    _clean_run(raw_b, warehouse)
    # The runs to kill find every document in the parse cache: delays are drawn up to such a run's duration.
    duration = _clean_run(raw_a, warehouse)
    rng = random.Random(os.environ.get("CRASH_SEED", "6"))
    kills = completed = attempts = 0
    while kills < KILLS and attempts < MAX_ATTEMPTS:
        attempts += 1
        _, before, _, _ = _published(warehouse)
        raw = raw_b if before == reference[raw_a][0] else raw_a  # always run towards the other tables
        holder = duckdb.connect(str(warehouse / DUCKDB_NAME), read_only=True)
        try:
            process = subprocess.Popen(
                _command(raw, warehouse),
                env=pipeline_env(),
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            time.sleep(rng.uniform(0, duration))
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                kills += 1
            else:
                completed += 1
            process.wait(timeout=60)
            # The reader that held the old file open still reads it, whole.
            assert holder.execute("SELECT count(*) FROM publish_info").fetchone() == (len(SCHEMAS),)
        finally:
            holder.close()

        snapshot, duck, parquet, parquet_snapshots = _published(warehouse)
        assert duck in (before, reference[raw][0]), "DuckDB holds neither the old run nor the new one"
        run = raw if duck == reference[raw][0] else (raw_a if raw is raw_b else raw_b)
        assert parquet == reference[run][1], "Parquet set holds a mix of runs"
        assert parquet_snapshots == {snapshot}, "Parquet and DuckDB come from different runs"
    assert kills >= KILLS, f"only {kills} kills in {attempts} attempts ({completed} runs completed first)"

    _clean_run(raw_b, warehouse)
    _, duck, parquet, _ = _published(warehouse)
    assert (duck, parquet) == reference[raw_b]
    print(f"crash safety: {kills} kills survived, {completed} runs completed first, clean run {duration:.1f}s")
