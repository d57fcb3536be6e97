"""Incremental runs (issue 7): unchanged documents come from the staging store or the parse cache; outputs never
depend on either."""

from __future__ import annotations

import itertools
import shutil
import sqlite3
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from dagster import DagsterInstance

from tests.conftest import FIXTURES, RAW
from trial_pipeline.cache import ParseCache, StagingStore, cache_path
from trial_pipeline.definitions import build_definitions
from trial_pipeline.ingest import _PARALLEL_THRESHOLD, ParseStats, iter_parsed, scan_raw
from trial_pipeline.models import RECORD_TABLES
from trial_pipeline.normalize import StagingBuilder, build_staging, reusable
from trial_pipeline.settings import PathsResource

SOURCES = {
    "a/NCT00001575.xml": FIXTURES / "ctgov" / "NCT00001575.xml",
    "a/NCT00490022.xml": FIXTURES / "ctgov" / "NCT00490022.xml",
    "b/NCT03418623.json": FIXTURES / "ctgov" / "NCT03418623.json",
    "c/page.txt": RAW / "003_f1b628404261852c.txt",
}


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    root = tmp_path / "raw"
    for name, source in SOURCES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, root / name)
    (root / "broken.xml").write_bytes(b"<clinical_study><nct_id>NCT0")
    return root


def parse(raw: Path, cache: ParseCache | None) -> tuple[list[object], ParseStats]:
    stats = ParseStats()
    outcomes = [o for _, o in iter_parsed(scan_raw(raw), raw, max_bytes=1 << 24, cache=cache, stats=stats)]
    if cache is not None:
        cache.close()
    return list(outcomes), stats


def run(raw: Path, warehouse: Path) -> dict[str, int]:
    """Materialize everything; the staging step's parse counts."""
    paths = PathsResource(raw_dir=str(raw), warehouse_dir=str(warehouse), workers=1)
    result = (
        build_definitions(paths)
        .resolve_job_def("warehouse_job")
        .execute_in_process(instance=DagsterInstance.ephemeral())
    )
    assert result.success
    for materialization in result.asset_materializations_for_node("staging_tables"):
        if materialization.asset_key.path == ["staging", "documents"]:
            metadata = materialization.metadata
            return {key: int(metadata[key].value) for key in ("parsed", "cached")}  # type: ignore[arg-type]
    raise AssertionError("no staging/documents materialization")


def fingerprints(warehouse: Path) -> dict[str, str]:
    con = duckdb.connect(str(warehouse / "trials.duckdb"), read_only=True)
    try:
        return dict(con.execute("SELECT table_name, fingerprint FROM publish_info").fetchall())
    finally:
        con.close()


def trial_ids(warehouse: Path) -> set[str]:
    con = duckdb.connect(str(warehouse / "trials.duckdb"), read_only=True)
    try:
        return {row[0] for row in con.execute("SELECT trial_id FROM trials").fetchall()}
    finally:
        con.close()


def test_second_run_on_unchanged_raw_parses_nothing_and_publishes_the_same(raw: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    assert run(raw, warehouse) == {"parsed": 5, "cached": 0}
    first = fingerprints(warehouse)
    assert run(raw, warehouse) == {"parsed": 0, "cached": 5}
    assert fingerprints(warehouse) == first
    assert cache_path(warehouse).is_file()


def test_cached_outputs_are_identical_to_an_uncached_run(raw: Path, tmp_path: Path) -> None:
    cached, uncached = tmp_path / "cached", tmp_path / "uncached"
    run(raw, cached)
    run(raw, cached)  # every outcome now from the cache
    run(raw, uncached)
    assert fingerprints(cached) == fingerprints(uncached)


def test_only_a_changed_file_is_reparsed(raw: Path, tmp_path: Path) -> None:
    store = tmp_path / "cache.sqlite"
    parse(raw, ParseCache(store))
    page = raw / "c" / "page.txt"
    page.write_bytes(page.read_bytes() + b"\nAn added sentence about the trial.\n")
    outcomes, stats = parse(raw, ParseCache(store))
    assert (stats.parsed, stats.cached) == (1, 4)
    assert outcomes == parse(raw, None)[0]


def test_a_new_parser_version_reparses_everything(raw: Path, tmp_path: Path) -> None:
    store = tmp_path / "cache.sqlite"
    parse(raw, ParseCache(store, parser_version="1"))
    _, stats = parse(raw, ParseCache(store, parser_version="2"))
    assert (stats.parsed, stats.cached) == (5, 0)
    # Entries of the old version were pruned: going back reparses too.
    _, stats = parse(raw, ParseCache(store, parser_version="1"))
    assert stats.parsed == 5


def test_removed_files_lose_their_rows_and_cache_entries(raw: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    run(raw, warehouse)
    assert "NCT00490022" in trial_ids(warehouse)
    (raw / "a" / "NCT00490022.xml").unlink()
    assert run(raw, warehouse) == {"parsed": 0, "cached": 4}
    assert "NCT00490022" not in trial_ids(warehouse)
    con = duckdb.connect(str(warehouse / "trials.duckdb"), read_only=True)
    try:
        paths = {row[0] for row in con.execute("SELECT source_path FROM documents").fetchall()}
        orphans = con.execute("SELECT count(*) FROM arms WHERE trial_id = 'NCT00490022'").fetchone()
    finally:
        con.close()
    assert "a/NCT00490022.xml" not in paths and orphans == (0,)
    with sqlite3.connect(cache_path(warehouse)) as con3:
        assert con3.execute("SELECT count(*) FROM parses").fetchone() == (4,)


def test_a_damaged_entry_is_ignored_and_reparsed(raw: Path, tmp_path: Path) -> None:
    store = tmp_path / "cache.sqlite"
    parse(raw, ParseCache(store))
    with sqlite3.connect(store) as con:
        con.execute(
            "UPDATE parses SET outcome = X'00ff' WHERE sha256 IN (SELECT sha256 FROM parses ORDER BY 1 LIMIT 2)"
        )
    outcomes, stats = parse(raw, ParseCache(store))
    assert (stats.parsed, stats.cached) == (2, 3)
    assert outcomes == parse(raw, None)[0]
    _, stats = parse(raw, ParseCache(store))
    assert stats.parsed == 0


@pytest.mark.parametrize("garbage", [b"", b"not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 5000])
def test_a_corrupted_cache_file_is_replaced_not_fatal(raw: Path, tmp_path: Path, garbage: bytes) -> None:
    warehouse = tmp_path / "warehouse"
    run(raw, warehouse)
    expected = fingerprints(warehouse)
    cache_path(warehouse).write_bytes(garbage)
    shutil.rmtree(StagingStore.for_warehouse(warehouse).root)  # so that every document needs the parse cache
    assert run(raw, warehouse)["parsed"] == 5
    assert fingerprints(warehouse) == expected
    assert run(raw, warehouse) == {"parsed": 0, "cached": 5}


def test_unchanged_documents_keep_their_staged_rows_without_the_parse_cache(raw: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    run(raw, warehouse)
    expected = fingerprints(warehouse)
    cache_path(warehouse).unlink()
    # Only the staging store knows the documents now; broken.xml staged no rows, so it alone is read again.
    assert run(raw, warehouse) == {"parsed": 1, "cached": 4}
    assert fingerprints(warehouse) == expected


def test_a_removed_first_copy_leaves_the_other_copy_whole(raw: Path, tmp_path: Path) -> None:
    shutil.copy(raw / "a" / "NCT00001575.xml", raw / "z_copy.xml")
    warehouse, fresh = tmp_path / "warehouse", tmp_path / "fresh"
    run(raw, warehouse)
    (raw / "a" / "NCT00001575.xml").unlink()  # the copy whose rows were staged
    assert run(raw, warehouse) == {"parsed": 0, "cached": 5}
    run(raw, fresh)
    assert fingerprints(warehouse) == fingerprints(fresh)
    assert "NCT00001575" in trial_ids(warehouse)


@pytest.mark.parametrize("damage", ["truncated tables", "unreadable pointer", "other parser version"])
def test_a_damaged_or_outdated_staging_store_is_ignored(raw: Path, tmp_path: Path, damage: str) -> None:
    warehouse = tmp_path / "warehouse"
    run(raw, warehouse)
    expected = fingerprints(warehouse)
    cache_path(warehouse).unlink()
    store = StagingStore.for_warehouse(warehouse)
    if damage == "truncated tables":
        for path in store.root.rglob("*.arrow"):
            path.write_bytes(path.read_bytes()[:100])
    elif damage == "unreadable pointer":
        (store.root / "current.json").write_text("{not json", encoding="utf-8")
    else:
        previous = store.load()
        assert previous is not None
        StagingStore(store.root, parser_version="0").save(*previous)
    assert store.load() is None
    assert run(raw, warehouse) == {"parsed": 5, "cached": 0}
    assert fingerprints(warehouse) == expected


def test_a_settled_unchanged_file_is_not_read_again(raw: Path) -> None:
    first = {e.source_path: e for e in scan_raw(raw, settle_ns=0)}
    assert all(e.signature is not None for e in first.values())
    # A recorded hash is trusted while the signature matches, so a planted one shows the file was not read.
    planted = "f" * 64
    known = {path: (e.signature, planted) for path, e in first.items() if e.signature is not None}
    again = {e.source_path: e for e in scan_raw(raw, known, settle_ns=0)}
    assert {e.content_sha256 for e in again.values()} == {planted}
    page = raw / "c" / "page.txt"
    page.write_bytes(page.read_bytes() + b"\nchanged\n")
    changed = {e.source_path: e for e in scan_raw(raw, known, settle_ns=0)}
    assert changed["c/page.txt"].content_sha256 not in {planted, first["c/page.txt"].content_sha256}
    assert changed["a/NCT00001575.xml"].content_sha256 == planted


def test_a_file_changed_just_now_gets_no_signature(raw: Path) -> None:
    # Within the settle window a later write may keep the same size and times; such a file is always hashed.
    assert {e.signature for e in scan_raw(raw)} == {None}


def test_the_raw_scan_records_signatures_in_the_cache(raw: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    run(raw, warehouse)
    with ParseCache.for_warehouse(warehouse) as cache:
        # Just written, so not settled: nothing is trusted yet, and the next run hashes every file again.
        assert cache.file_digests() == {}
        cache.record_files(scan_raw(raw, settle_ns=0))
        recorded = cache.file_digests()
    assert sorted(recorded) == sorted(e.source_path for e in scan_raw(raw))
    assert run(raw, warehouse) == {"parsed": 0, "cached": 5}


def test_recording_only_the_differences_leaves_the_signatures_a_full_record_would(raw: Path, tmp_path: Path) -> None:
    with ParseCache(tmp_path / "cache.sqlite") as cache:
        cache.record_files(scan_raw(raw, settle_ns=0))
        known = cache.file_digests()
        (raw / "a" / "NCT00490022.xml").unlink()
        page = raw / "c" / "page.txt"
        page.write_bytes(page.read_bytes() + b"\nchanged\n")
        (raw / "new.xml").write_bytes(b"<clinical_study/>")
        entries = scan_raw(raw, known, settle_ns=0)
        cache.record_files(entries, known)
        recorded = cache.file_digests()
    assert recorded == {e.source_path: (e.signature, e.content_sha256) for e in entries}
    assert "a/NCT00490022.xml" not in recorded
    assert recorded["c/page.txt"][1] != known["c/page.txt"][1]
    assert recorded["b/NCT03418623.json"] == known["b/NCT03418623.json"]


def test_windowed_reading_stages_exactly_what_one_pass_does(raw: Path, tmp_path: Path) -> None:
    # A copy in another window, some documents cached and some not: the staged tables are the same.
    shutil.copy(raw / "a" / "NCT00001575.xml", raw / "z_copy.xml")
    entries = scan_raw(raw)
    one_pass = build_staging(entries, [o for _, o in iter_parsed(entries, raw, max_bytes=1 << 24)])
    store = tmp_path / "cache.sqlite"
    with ParseCache(store) as cache:
        list(iter_parsed(entries[:2], raw, max_bytes=1 << 24, cache=cache))
    stats = ParseStats()
    with ParseCache(store) as cache:
        found = list(iter_parsed(entries, raw, max_bytes=1 << 24, cache=cache, stats=stats, window=2))
    assert [entry for entry, _ in found] == entries
    assert build_staging(entries, [o for _, o in found]) == one_pass
    assert (stats.parsed, stats.cached) == (3, 2)
    documents = one_pass["documents"].to_pydict()
    messages = dict(zip(documents["source_path"], documents["error_message"], strict=True))
    # Files in the raw folder's root are listed before its subfolders.
    assert messages["a/NCT00001575.xml"] == "same content as z_copy.xml; its records are listed once"


def test_parse_worker_processes_stage_exactly_what_one_process_does() -> None:
    # The sample raw folder (306 documents of every kind) is above the size at which a pool of workers parses.
    entries = scan_raw(RAW)
    assert len(entries) >= _PARALLEL_THRESHOLD
    stats = ParseStats()
    pooled = list(iter_parsed(entries, RAW, max_bytes=1 << 24, workers=2, stats=stats))
    alone = list(iter_parsed(entries, RAW, max_bytes=1 << 24, workers=1))
    assert [entry for entry, _ in pooled] == entries
    assert build_staging(entries, [o for _, o in pooled]) == build_staging(entries, [o for _, o in alone])
    assert (stats.parsed, stats.cached) == (len({e.content_sha256 for e in entries}), 0)


def test_daily_incremental_staging_keeps_its_batches_few_and_its_rows_exact(raw: Path) -> None:
    # Each run takes the kept documents' rows from the last one and adds a new document's: the staged rows equal
    # a one-pass build, and batches never pile up (each is validated at a fixed cost, so a daily run would slow).
    batch_rows, record = 20, (FIXTURES / "ctgov" / "NCT00490022.xml").read_bytes()

    def staged(previous: tuple[dict[str, pa.Table], pa.Table] | None) -> tuple[dict[str, pa.Table], pa.Table]:
        entries = scan_raw(raw)
        builder = StagingBuilder(batch_rows=batch_rows, previous=previous)
        for entry, outcome in iter_parsed(
            entries, raw, max_bytes=1 << 24, reuse=reusable(*previous) if previous else None
        ):
            builder.add(entry, outcome)
        tables = builder.finish()
        return {table: tables[table] for table in RECORD_TABLES}, builder.outcomes()

    state = staged(None)
    (raw / "zz").mkdir()
    for day in range(5):
        (raw / "zz" / f"day{day}.xml").write_bytes(record.replace(b"NCT00490022", f"NCT0999990{day}".encode()))
        state = staged(state)
    entries = scan_raw(raw)
    one_pass = build_staging(entries, [o for _, o in iter_parsed(entries, raw, max_bytes=1 << 24)])
    for table in RECORD_TABLES:
        assert state[0][table].equals(one_pass[table]), table
        sizes = [batch.num_rows for batch in state[0][table].to_batches()]
        assert all(a + b > batch_rows for a, b in itertools.pairwise(sizes)), (table, sizes)
    assert state[0]["criteria"].num_rows > 3 * batch_rows
