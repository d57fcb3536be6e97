"""``trial-pipeline``: run the materialization headless and print what it produced.

``trial-pipeline run [--raw DIR] [--warehouse DIR] [--workers N]`` materializes every asset in-process
(the same Dagster job the schedule and sensor start), shows progress, and ends with a summary read back
from the published DuckDB file. The exit code is non-zero only when the run itself could not complete;
documents that fail to parse are reported, not fatal.

``trial-pipeline watch [same options] [--interval S] [--max-runs N]`` does the same, then stays up and runs
again whenever files under the raw directory are added, changed or removed, one line per run.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dagster import ExecuteInProcessResult, JobDefinition

    from trial_pipeline.ingest import Listing
    from trial_pipeline.settings import PathsResource

# Dagster, DuckDB, pandas and the pipeline's own modules are imported where they are used, not here: the
# console script first turns the cyclic collector off for the imports (see ``entry``), and ``--help`` needs none.

#: Seconds between two looks at the raw directory in ``trial-pipeline watch``.
DEFAULT_INTERVAL = 1.0


def summary(warehouse: Path) -> str:
    """Documents by format and parse status, rows per table and rows quarantined, from the published file."""
    import duckdb

    from trial_pipeline.publish import DUCKDB_NAME
    from trial_pipeline.schemas import SCHEMAS

    con = duckdb.connect(str(warehouse / DUCKDB_NAME), read_only=True)
    try:
        lines = ["documents by format and parse status:"]
        for fmt, status, count in con.execute(
            "SELECT source_format, parse_status, count(*) FROM documents GROUP BY ALL ORDER BY 1, 2"
        ).fetchall():
            lines.append(f"  {fmt:<18} {status:<8} {count:>8}")
        lines.append("rows per table:")
        counts = dict(con.execute("SELECT table_name, row_count FROM publish_info").fetchall())
        for table in SCHEMAS:
            lines.append(f"  {table:<22} {counts.get(table, 0):>8}")
        lines.append("rows quarantined by table:")
        quarantined = con.execute("SELECT table_name, count(*) FROM quarantine GROUP BY ALL ORDER BY 1").fetchall()
        lines.extend(f"  {table:<22} {count:>8}" for table, count in quarantined)
        if not quarantined:
            lines.append("  (none)")
    finally:
        con.close()
    return "\n".join(lines)


def _start(raw: str | None, warehouse: str | None, workers: int | None) -> tuple[PathsResource, JobDefinition] | None:
    """The run's paths and job, or None (after saying why) when the raw directory does not exist."""
    from trial_pipeline.definitions import build_definitions
    from trial_pipeline.settings import PathsResource

    paths = PathsResource(raw_dir=raw, warehouse_dir=warehouse, workers=workers)
    if not paths.raw_path.is_dir():
        print(f"trial-pipeline: raw directory not found: {paths.raw_path}", file=sys.stderr)
        return None
    print(f"trial-pipeline: {paths.raw_path} -> {paths.warehouse_path}", file=sys.stderr)
    return paths, build_definitions(paths).resolve_job_def("warehouse_job")


def _execute(job: JobDefinition, log_level: str) -> ExecuteInProcessResult:
    """One materialization of everything, in this process, on a fresh in-memory Dagster instance."""
    from dagster import DagsterInstance

    instance = DagsterInstance.ephemeral()
    if not gc.isenabled():  # the console script (see entry): everything made so far lives until exit
        gc.freeze()
        gc.enable()
    return job.execute_in_process(
        instance=instance,
        raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
    )


def _report_failure(result: ExecuteInProcessResult) -> None:
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            while error is not None and error.cause is not None:  # Dagster's wrapper first, our error last
                error = error.cause
            message = error.message.strip() if error else "unknown error"
            print(f"trial-pipeline: step {event.step_key} failed: {message}", file=sys.stderr)
    print("trial-pipeline: run failed; the previously published warehouse is unchanged", file=sys.stderr)


def run(raw: str | None, warehouse: str | None, workers: int | None, log_level: str) -> int:
    """Materialize everything; 0 when the run completed, 1 when it could not, 2 without a raw directory."""
    started = _start(raw, warehouse, workers)
    if started is None:
        return 2
    paths, job = started
    result = _execute(job, log_level)
    if not result.success:
        _report_failure(result)
        return 1
    print(summary(paths.warehouse_path))
    return 0


def _parse_counts(result: ExecuteInProcessResult) -> tuple[int, int]:
    """``(documents parsed, documents reused)`` as the staging step reported them."""
    for materialization in result.asset_materializations_for_node("staging_tables"):
        if materialization.asset_key.path == ["staging", "documents"]:
            metadata = materialization.metadata
            return int(metadata["parsed"].value), int(metadata["cached"].value)  # type: ignore[arg-type]
    return 0, 0


def watch(
    raw: str | None,
    warehouse: str | None,
    workers: int | None,
    log_level: str,
    *,
    interval: float = DEFAULT_INTERVAL,
    max_runs: int | None = None,
) -> int:
    """Keep the warehouse in step with the raw directory: materialize now, then again whenever a file under it
    is added, changed or removed, until interrupted (SIGINT or SIGTERM) or after ``max_runs`` runs.

    The process stays up between runs, so a run pays neither Python's imports nor Dagster's start-up: it does
    only the incremental work (new documents parsed, the snapshot rebuilt and published). A change is noticed
    from the operating system's file events, and by listing the directory every ``interval`` seconds (file
    signatures only, nothing is read; see :func:`_next_listing`). A file still being written when a run lists
    it changes again afterwards, so the next run reads it whole. A failed run is reported and the watch goes
    on; the published warehouse is then the previous one. SIGINT (Ctrl-C) or SIGTERM between runs stops the
    watch; during a run, Dagster takes the signal and interrupts the run, whose snapshot is then not
    published, and the watch stops too. The exit code is the last run's (0, or 1 when it failed), 130 after an
    interrupted run, or 2 without a raw directory.
    """
    from trial_pipeline.ingest import changes, list_raw

    started = _start(raw, warehouse, workers)
    if started is None:
        return 2
    paths, job = started
    stop = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        if stop.is_set():  # a second signal: the published warehouse is whole at every instant, so just go
            os._exit(128 + signum)
        print("trial-pipeline: stopping", file=sys.stderr, flush=True)
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, request_stop)
    # While a run executes, Dagster (and DuckDB) take SIGINT and SIGTERM for themselves; the wakeup pipe still
    # hears of every signal, whoever handles it.
    heard, wakeup = os.pipe()
    for fd in (heard, wakeup):
        os.set_blocking(fd, False)
    signal.set_wakeup_fd(wakeup, warn_on_full_buffer=False)

    def signalled() -> bool:
        try:
            return bool(set(os.read(heard, 512)) & {signal.SIGINT, signal.SIGTERM})
        except BlockingIOError:
            return False

    runs, code, listing = 0, 0, list_raw(paths.raw_path, skip=paths.warehouse_path)
    reason = "start"
    while not stop.is_set():
        runs += 1
        signalled()  # forget signals already acted on
        began = time.perf_counter()
        result = _execute(job, log_level)
        took = time.perf_counter() - began
        interrupted = signalled()
        if result.success:
            code = 0
            parsed, reused = _parse_counts(result)
            print(f"trial-pipeline: run {runs} ({reason}): {parsed} documents parsed, {reused} unchanged; "
                  f"published in {took:.2f} s", flush=True)  # fmt: skip
        elif interrupted:
            print("trial-pipeline: interrupted; the previously published warehouse is unchanged", file=sys.stderr)
            return 130
        else:
            code = 1
            _report_failure(result)
        if interrupted or (max_runs is not None and runs >= max_runs):
            break
        current = _next_listing(paths, listing, stop, interval)
        if current is None:
            break
        added, changed, removed = changes(listing, current)
        reason, listing = f"{added} added, {changed} changed, {removed} removed", current
    return code


def _next_listing(paths: PathsResource, listing: Listing, stop: threading.Event, interval: float) -> Listing | None:
    """The raw directory's listing as soon as it differs from ``listing``; None once ``stop`` is set.

    The operating system's file events (inotify, through ``watchfiles``) wake the watch within a few
    milliseconds of a change; the directory is also listed every ``interval`` seconds whatever the events say
    (and less often when one listing takes more than a twentieth of that), which is all there is where events
    are not available. One watcher serves the whole wait: it is not set up again at each look.
    """
    import watchfiles

    from trial_pipeline.ingest import list_raw

    inside = f"{paths.warehouse_path}{os.sep}"

    def look() -> tuple[Listing, float]:
        began = time.perf_counter()
        current = list_raw(paths.raw_path, skip=paths.warehouse_path)
        return current, max(interval, 20 * (time.perf_counter() - began))

    current, wait = look()
    if stop.is_set():
        return None
    if current != listing:
        return current
    try:
        # One watcher for the whole wait: it yields a burst of changes together (once 50 ms pass without one,
        # 1 s at most), and an empty set every ``wait`` seconds; it ends when ``stop`` is set.
        for _ in watchfiles.watch(
            paths.raw_path, watch_filter=lambda _, path: not path.startswith(inside), debounce=1000, step=50,
            stop_event=stop, rust_timeout=int(wait * 1000), yield_on_timeout=True, raise_interrupt=False,
        ):  # fmt: skip
            current, _ = look()
            if current != listing:
                return None if stop.is_set() else current
        return None
    except (OSError, RuntimeError) as exc:  # e.g. the system's limit of watched directories is reached
        print(f"trial-pipeline: file events unavailable ({exc}); looking every {wait:g} s", file=sys.stderr)
    while not stop.wait(wait):
        current, wait = look()
        if current != listing:
            return current
    return None


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be above 0, not {text}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``trial-pipeline`` console script."""
    parser = argparse.ArgumentParser(prog="trial-pipeline", description=__doc__.split("\n\n")[0] if __doc__ else None)
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="materialize everything from the raw directory into the warehouse")
    watch_parser = commands.add_parser(
        "watch", help="materialize now, then again whenever files under the raw directory change (until Ctrl-C)"
    )
    for sub in (run_parser, watch_parser):
        sub.add_argument("--raw", help="raw documents directory (default: TRIAL_PIPELINE_RAW_DIR or <repo>/raw)")
        sub.add_argument(
            "--warehouse", help="output directory (default: TRIAL_PIPELINE_WAREHOUSE_DIR or <repo>/warehouse)"
        )
        sub.add_argument(
            "--workers", type=int, help="parser and validation processes (default: TRIAL_PIPELINE_WORKERS or cores)"
        )
        sub.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    watch_parser.add_argument(
        "--interval", type=_positive, default=DEFAULT_INTERVAL,
        help=f"seconds between looks at the raw directory (default: {DEFAULT_INTERVAL:g})",
    )  # fmt: skip
    watch_parser.add_argument("--max-runs", type=int, help="stop after this many runs (default: never)")
    args = parser.parse_args(argv)
    if args.command == "watch":
        return watch(
            args.raw, args.warehouse, args.workers, args.log_level, interval=args.interval, max_runs=args.max_runs
        )
    return run(args.raw, args.warehouse, args.workers, args.log_level)


def entry() -> None:
    """The console script: :func:`main` in a process that ends when it returns.

    Nearly every object such a process makes lives until exit, so the cyclic collector only wastes time on them.
    It is off while the modules are imported and the Dagster instance is made (with it on, they trigger about 600
    collections, 4 of them over the whole heap of some 400,000 objects); :func:`run` then freezes that heap out of the
    collector's reach and turns it back on for the run itself (parse workers forked from the frozen heap also
    copy fewer pages). The process ends without interpreter finalization, which would walk that heap once more
    and, for frozen DuckDB objects, print nanobind "leaked instance" warnings. On the 3,000-record benchmark,
    switching the collector off for the imports saved about 0.5 s of a full run and 0.3 s of a rerun (freezing the
    imported heap and skipping finalization had saved about 1 s of each before).

    pandera loads its data-synthesis strategies, and with them ``hypothesis`` when it is installed (the dev
    extra), the first time any process validates: about 0.1 s in every process that validates. The pipeline
    never synthesizes data, so the console script marks ``hypothesis`` absent, which pandera handles as not
    installed.
    """
    sys.modules.setdefault("hypothesis", None)  # type: ignore[arg-type]
    gc.disable()
    try:
        code = main()
    except SystemExit as stop:  # argparse: --help, usage errors
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 2)
        if isinstance(stop.code, str):
            print(stop.code, file=sys.stderr)
    except Exception:  # noqa: BLE001 - a bug of ours: its traceback, then the same clean exit
        traceback.print_exc()
        code = 1
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    entry()
