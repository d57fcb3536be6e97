"""The Dagster assets: raw manifest -> staging tables -> validated, published warehouse tables.

Thin on purpose: each asset calls one function of the pipeline's own modules and reports what it did.
"""

import time
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetIn,
    AssetKey,
    AssetOut,
    AssetSpec,
    MaterializeResult,
    MetadataValue,
    Output,
    asset,
    multi_asset,
)

from trial_pipeline.cache import ParseCache, StagingStore
from trial_pipeline.ingest import ManifestEntry, ParseStats, iter_parsed, scan_raw
from trial_pipeline.models import RECORD_TABLES
from trial_pipeline.normalize import STAGING_TABLES, StagingBuilder, reusable
from trial_pipeline.publish import publish
from trial_pipeline.schemas import SCHEMAS
from trial_pipeline.settings import PathsResource
from trial_pipeline.warehouse import build_warehouse

GROUP = "trial_pipeline"
_PROGRESS_SECONDS = 2.0
RAW_DOCUMENTS = AssetKey(["raw", "documents"])
STAGING_KEYS = {table: AssetKey(["staging", table]) for table in STAGING_TABLES}
WAREHOUSE_KEYS = {table: AssetKey(["warehouse", table]) for table in SCHEMAS}

#: Foreign keys checked after every build: (check name, child table, parent table).
REFERENCE_CHECKS: tuple[tuple[str, str, str], ...] = (
    ("arms_reference_known_trials", "arms", "trials"),
    ("interventions_reference_known_trials", "interventions", "trials"),
    ("outcomes_reference_known_trials", "outcomes", "trials"),
    ("criteria_reference_known_trials", "criteria", "trials"),
    ("criterion_constraints_reference_known_criteria", "criterion_constraints", "criteria"),
    ("results_reference_known_trials", "results", "trials"),
    ("trials_reference_known_documents", "trials", "documents"),
)


@asset(key=RAW_DOCUMENTS, group_name=GROUP)
def raw_documents(context: AssetExecutionContext, paths: PathsResource) -> Output[list[ManifestEntry]]:
    """Every file under the raw directory with its size and content hash (SHA-256).

    Content, not file names, identifies a document. A file whose size, times and inode are unchanged since
    the last run keeps its recorded hash instead of being read again.
    """
    with ParseCache.for_warehouse(paths.warehouse_path) as cache:
        known = cache.file_digests()
        entries = scan_raw(paths.raw_path, known=known, skip=paths.warehouse_path)
        cache.record_files(entries, known)
    context.log.info(f"found {len(entries)} files under {paths.raw_path}")
    return Output(entries, metadata={"files": len(entries), "bytes": sum(e.size_bytes for e in entries)})


@multi_asset(
    outs={
        table: AssetOut(key=key, group_name=GROUP, description=f"Staged `{table}` rows, as each document states them.")
        for table, key in STAGING_KEYS.items()
    },
    ins={"entries": AssetIn(key=RAW_DOCUMENTS)},
)
def staging_tables(
    context: AssetExecutionContext, paths: PathsResource, entries: list[ManifestEntry]
) -> Iterator[Output[pa.Table]]:
    """Each raw document detected by content and parsed into staging rows (Arrow tables).

    A document that cannot be read is recorded with its reason, never raised. A document whose content
    (hash) and parser version are unchanged since an earlier run is taken from the parse cache, not reparsed.
    Documents are staged as they arrive, so memory holds compact columns, not every document's records.
    """
    step, last = max(1, len(entries) // 10), [time.monotonic()]

    def progress(done: int, total: int) -> None:
        # Every tenth, at most one line every two seconds (each is an event in Dagster's log), and the last.
        if done == total or (done % step == 0 and time.monotonic() - last[0] >= _PROGRESS_SECONDS):
            last[0] = time.monotonic()
            context.log.info(f"read {done}/{total} documents")

    stats = ParseStats()
    store = StagingStore.for_warehouse(paths.warehouse_path)
    previous = store.load()
    builder = StagingBuilder(previous=previous)
    with ParseCache.for_warehouse(paths.warehouse_path) as cache:
        for entry, staged in iter_parsed(
            entries,
            paths.raw_path,
            max_bytes=paths.document_byte_limit,
            workers=paths.worker_count,
            progress=progress,
            cache=cache,
            stats=stats,
            reuse=reusable(*previous) if previous else None,
        ):
            builder.add(entry, staged)
    context.log.info(f"parsed {stats.parsed} documents; {stats.cached} unchanged, reused from earlier runs")
    tables = builder.finish()
    del previous
    store.save({table: tables[table] for table in RECORD_TABLES}, builder.outcomes())
    pa.default_memory_pool().release_unused()  # hand the parse phase's freed buffers back before the next step
    for table, frame in tables.items():
        metadata: dict[str, Any] = {"rows": frame.num_rows}
        if table == "documents":
            metadata.update(parsed=stats.parsed, cached=stats.cached)
        yield Output(frame, output_name=table, metadata=metadata)


def _key(table: pa.Table, columns: list[str]) -> pa.ChunkedArray:
    """One string per row joining ``columns`` (a composite key DuckDB-free Arrow can compare)."""
    parts = [pc.cast(table[c], pa.string()) for c in columns]
    return parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, "\x1f")


def _reference_check(tables: dict[str, pa.Table], name: str, child: str, parent: str) -> AssetCheckResult:
    if child == "trials":
        rows, known = pc.list_flatten(tables["trials"]["document_ids"]), tables["documents"]["document_id"]
    else:
        key = ["trial_id", "document_id", "criterion_seq"] if child == "criterion_constraints" else ["trial_id"]
        rows, known = _key(tables[child], key), _key(tables[parent], key)
    unknown = pc.filter(rows, pc.invert(pc.is_in(rows, value_set=pc.unique(known))))
    missing = sorted(set(unknown.to_pylist()))
    return AssetCheckResult(
        asset_key=WAREHOUSE_KEYS[child], check_name=name, passed=not missing,
        metadata={"unknown": len(missing), "examples": MetadataValue.json(missing[:10])},
    )  # fmt: skip


@multi_asset(
    specs=[
        AssetSpec(key, group_name=GROUP, description=SCHEMAS[table].__doc__, deps=list(STAGING_KEYS.values()))
        for table, key in WAREHOUSE_KEYS.items()
    ],
    check_specs=[
        *(
            AssetCheckSpec(
                f"{table}_rows_pass_schema",
                asset=key,
                description=f"Every staged {table} row passes {SCHEMAS[table].__name__}; failures are quarantined.",
            )
            for table, key in WAREHOUSE_KEYS.items()
            if table != "quarantine"
        ),
        *(AssetCheckSpec(name, asset=WAREHOUSE_KEYS[child]) for name, child, _ in REFERENCE_CHECKS),
    ],
    ins={table: AssetIn(key=key) for table, key in STAGING_KEYS.items()},
)
def warehouse_tables(context: AssetExecutionContext, paths: PathsResource, **staging: pa.Table) -> Iterator[Any]:
    """Validated tables (pandera, every failure at once) and quarantine, published atomically.

    Failing rows go to `quarantine` with the failed checks; the DuckDB file and the Parquet set are replaced whole.
    """
    with ParseCache.for_warehouse(paths.warehouse_path) as cache:
        build = build_warehouse(
            staging, max_quarantine_share=paths.quarantine_limit, verdicts=cache.verdicts(), workers=paths.worker_count
        )
        staging.clear()  # the staged rows are not needed past this point: let their memory go before publishing
        checks = [_reference_check(build.tables, name, child, parent) for name, child, parent in REFERENCE_CHECKS]
        result = publish(build.tables, paths.warehouse_path)
        cache.record_verdicts(build.verdicts)
    context.log.info(f"published snapshot {result.snapshot_id} to {result.duckdb_path}")
    for table, key in WAREHOUSE_KEYS.items():
        yield MaterializeResult(
            asset_key=key,
            metadata={
                "rows": result.row_counts[table],
                "quarantined": build.quarantined.get(table, 0),
                "fingerprint": result.fingerprints[table],
                "duckdb": MetadataValue.path(str(result.duckdb_path)),
                "parquet": MetadataValue.path(str(result.parquet_dir / f"{table}.parquet")),
            },
        )
    for table, key in WAREHOUSE_KEYS.items():
        if table == "quarantine":
            continue
        quarantined = build.quarantined.get(table, 0)
        yield AssetCheckResult(
            asset_key=key,
            check_name=f"{table}_rows_pass_schema",
            passed=quarantined == 0,
            severity=AssetCheckSeverity.WARN,
            metadata={
                "quarantined": quarantined,
                "failed_checks": MetadataValue.json(build.failed_checks.get(table, [])),
            },
        )
    yield from checks
