"""Speed and scale of ``trial-pipeline run`` (issue 7), measured against a stdlib parsing floor.

``python -m bench.pipeline_bench`` (``make bench``), on ``../shared/corpus/ctgov-legacy-xml`` (3,000 XML records),
in ``--rounds`` rounds (default 3), each measuring all of the following on the same machine state; each ratio is
taken within a round and the median round's is reported, because this machine drifts by a third between runs:

- floor: read and parse every XML file with ``xml.etree.ElementTree`` (nothing else);
- full run: ``trial-pipeline run`` end to end, in a subprocess, into an empty temporary warehouse;
- incremental run: the same warehouse again after one new document (a copy with a new NCT ID) is added, both
  as a new ``trial-pipeline run`` (which pays Python's and Dagster's start-up again) and in a running
  ``trial-pipeline watch`` (from the file's arrival to its published snapshot: the way to keep a warehouse
  current as documents arrive);
- peak memory: the largest resident set of any one of the run's processes (``RUSAGE_CHILDREN``), and the
  peak of the whole run (the run and its workers, proportional set size sampled every 50 ms). Sampling reads
  ``/proc`` 20 times a second, which on two cores slowed the run it watched by about 0.6 s (9%), so the whole
  run's peak comes from one more full run and rerun, not from the timed ones.

``--profile`` runs one full run in this process under cProfile and prints where its wall time goes (the
parse workers' time shows as the main process waiting for them).

``--scale 30000,100000`` instead replicates the corpus to each size (every copy with its own NCT ID) and
prints the full run's time and peak memory (both measures, from the same run, so the time includes the
sampling's cost) at each size, then each size's time against linear growth from the corpus itself, run the
same way before and after the larger sizes (the mean of the two is the baseline). Targets: full run <= 6x
floor (goal 3x), one added document <= 35% of a full run, time at most 1.15x linear in documents, peak memory
under 4 GiB at 100,000 documents.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ctgov-legacy-xml"
_NCT = re.compile(rb"<nct_id>\s*NCT(\d{8})\s*</nct_id>")
TARGET_RATIO, GOAL_RATIO, TARGET_SHARE, TARGET_PEAK_GIB = 6.0, 3.0, 0.35, 4.0


def xml_files(root: Path) -> list[Path]:
    """Every ``.xml`` file under ``root``, sorted."""
    return sorted(p for p in root.rglob("*.xml") if p.is_file())


def floor_seconds(files: list[Path]) -> float:
    """Time to read and parse each file with the standard library's ElementTree, and nothing else."""
    start = time.perf_counter()
    for path in files:
        ET.fromstring(path.read_bytes())
    return time.perf_counter() - start


_WRAPPER = """
import os, resource, subprocess, sys, threading, time

def tree_pss_kib(root):
    # Proportional set size of the run and every descendant: shared (forked) pages are counted once.
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                total += next(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as handle:
                    todo += [int(child) for child in handle.read().split()]
        except (OSError, StopIteration, ValueError):
            pass
    return total

start = time.perf_counter()
process = subprocess.Popen(sys.argv[2:], stdout=subprocess.DEVNULL)
peak_tree = 0
def sample():
    global peak_tree
    while process.poll() is None:
        peak_tree = max(peak_tree, tree_pss_kib(process.pid))
        time.sleep(0.05)
sampler = threading.Thread(target=sample, daemon=True)
if sys.argv[1] == "pss":
    sampler.start()
code = process.wait()
elapsed = time.perf_counter() - start
if sampler.is_alive():
    sampler.join()
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(elapsed, peak, peak_tree, code)
"""


def run_pipeline(raw: Path, warehouse: Path, workers: int | None, *, pss: bool) -> tuple[float, float, float]:
    """``(seconds, peak MiB of the largest process, peak MiB of all the run's processes)`` of one
    ``trial-pipeline run`` in a fresh subprocess; the last is 0 unless ``pss``.

    The largest process's peak is ``ru_maxrss`` over the children waited for so far, so it is taken in a
    wrapper process that runs exactly one pipeline (its own children: the run and its worker processes). The
    whole run's peak is sampled every 50 ms as the proportional set size (``/proc/<pid>/smaps_rollup``) summed
    over the run and its workers, so pages the forked workers share are counted once; the sampling adds a
    little CPU load of its own (one process reading a few /proc files 20 times a second).
    """
    argv = [sys.executable, "-m", "trial_pipeline.cli", "run", "--raw", str(raw), "--warehouse", str(warehouse)]
    argv += ["--log-level", "WARNING"]
    if workers:
        argv += ["--workers", str(workers)]
    sampling = "pss" if pss else "none"
    out = subprocess.run([sys.executable, "-c", _WRAPPER, sampling, *argv], capture_output=True, text=True, check=True)
    elapsed, peak_kib, tree_kib, code = out.stdout.split()
    if code != "0":
        sys.exit(f"pipeline_bench: trial-pipeline run failed (exit {code}): {out.stderr[-2000:]}")
    return float(elapsed), int(peak_kib) / 1024, int(tree_kib) / 1024


def watch_added(raw: Path, warehouse: Path, added: Path, document: bytes, workers: int | None) -> tuple[float, float]:
    """``(seconds from ``document``'s arrival as ``added`` to its published snapshot, seconds of that run)`` in
    ``trial-pipeline watch`` on an already-built warehouse: the process is up, its first run (nothing new) done."""
    argv = [sys.executable, "-m", "trial_pipeline.cli", "watch", "--raw", str(raw), "--warehouse", str(warehouse)]
    argv += ["--log-level", "WARNING", *(["--workers", str(workers)] if workers else [])]
    watcher = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert watcher.stdout is not None
        first = watcher.stdout.readline()
        if " run 1 " not in first:
            sys.exit(f"pipeline_bench: trial-pipeline watch did not start: {first!r}")
        arrived = time.perf_counter()
        added.write_bytes(document)
        line = watcher.stdout.readline()
        published = time.perf_counter()
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(timeout=60)
    found = re.search(r"run 2 \(1 added.*published in ([\d.]+) s", line)
    if not found:
        sys.exit(f"pipeline_bench: unexpected line from trial-pipeline watch: {line!r}")
    return published - arrived, float(found.group(1))


def with_nct_id(data: bytes, number: int) -> bytes:
    """The record with its (first) NCT ID replaced by ``NCT<number>``, zero-padded to eight digits."""
    return _NCT.sub(f"<nct_id>NCT{number:08d}</nct_id>".encode(), data, count=1)


def copy_corpus(files: list[Path], raw: Path, size: int) -> None:
    """``size`` documents under ``raw``: the corpus, then copies of it, every copy with an unused NCT ID."""
    raw.mkdir(parents=True, exist_ok=True)
    for n in range(size):
        source = files[n % len(files)]
        data = source.read_bytes()
        if n >= len(files):
            data = with_nct_id(data, 90_000_000 + n)
        folder = raw / f"{n // 1000:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"{n:06d}_{source.name}").write_bytes(data)


@dataclass
class Round:
    """One round of the quick benchmark, every figure measured on the same machine state."""

    floor: float
    full: float
    rerun: float
    arrival: float
    warm: float
    peak: float
    rerun_peak: float


def one_round(files: list[Path], raw: Path, warehouse: Path, workers: int | None) -> Round:
    """The floor, then at once a full run into an empty ``warehouse``, a rerun after one added document, and one
    more document taken in by a running watch; the added documents are removed again at the end."""
    # The floor reads the very files the run reads, right before it: this machine's kernel pages out files not
    # read for a while (DAMON reclaim), so a cold read of the 75 MB alone can take 1.5 s. One pass warms the page
    # cache and the parser, the second is timed, and the run follows at once.
    copies = xml_files(raw)
    floor_seconds(copies)
    floor = floor_seconds(copies)
    full, peak, _ = run_pipeline(raw, warehouse, workers, pss=False)
    added, watched = raw / "NCT99999999.xml", raw / "NCT99999998.xml"
    added.write_bytes(with_nct_id(files[0].read_bytes(), 99_999_999))
    rerun, rerun_peak, _ = run_pipeline(raw, warehouse, workers, pss=False)
    arrival, warm = watch_added(raw, warehouse, watched, with_nct_id(files[1].read_bytes(), 99_999_998), workers)
    added.unlink()
    watched.unlink()
    return Round(floor, full, rerun, arrival, warm, peak, rerun_peak)


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def quick(files: list[Path], workers: int | None, rounds: int) -> None:
    """Floor, full run, incremental runs and peak memory on the corpus as it is, ``rounds`` times over."""
    print(f"corpus: {CORPUS} ({len(files)} XML files, {os.cpu_count()} cores), {rounds} rounds")
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-") as tmp:
        raw = Path(tmp) / "raw"
        shutil.copytree(CORPUS, raw)
        done: list[Round] = []
        for n in range(rounds):
            done.append(one_round(files, raw, Path(tmp) / f"warehouse{n}", workers))
            r = done[-1]
            print(
                f"  round {n + 1}: floor {r.floor:.2f} s, full run {r.full:.2f} s ({r.full / r.floor:.1f}x), "
                f"rerun {r.rerun:.2f} s ({r.rerun / r.full:.0%}), watch {r.arrival:.2f} s ({r.arrival / r.full:.0%})",
                flush=True,
            )
        # One more pair, into a warehouse of its own, watched for the whole run's memory.
        _, _, tree = run_pipeline(raw, Path(tmp) / "watched", workers, pss=True)
        (raw / "NCT99999999.xml").write_bytes(with_nct_id(files[0].read_bytes(), 99_999_999))
        _, _, rerun_tree = run_pipeline(raw, Path(tmp) / "watched", workers, pss=True)
    # Each ratio from one round (the machine drifts between rounds); the median round's is the figure.
    ratio = statistics.median(r.full / r.floor for r in done)
    share = statistics.median(r.rerun / r.full for r in done)
    watch_share = statistics.median(r.arrival / r.full for r in done)
    print(f"floor (ElementTree read+parse): {statistics.median(r.floor for r in done):8.2f} s (median)")
    print(
        f"full run (trial-pipeline run):  {statistics.median(r.full for r in done):8.2f} s   ratio {ratio:.1f}x floor "
        f"(median of the rounds' ratios; target <= {TARGET_RATIO:.0f}x, goal {GOAL_RATIO:.0f}x): "
        f"{_verdict(ratio <= TARGET_RATIO)}"
    )
    print(
        f"one document added, rerun:      {statistics.median(r.rerun for r in done):8.2f} s   {share:.0%} of the "
        f"full run (target <= {TARGET_SHARE:.0%}): {_verdict(share <= TARGET_SHARE)}"
    )
    print(
        f"one document added, watch:      {statistics.median(r.arrival for r in done):8.2f} s   {watch_share:.0%} "
        f"of the full run, from the file's arrival to its published snapshot in `trial-pipeline watch` (the run "
        f"itself {statistics.median(r.warm for r in done):.2f} s): {_verdict(watch_share <= TARGET_SHARE)}"
    )
    print(
        f"peak memory, largest process: full run {max(r.peak for r in done):.0f} MiB, "
        f"incremental run {max(r.rerun_peak for r in done):.0f} MiB"
    )
    print(
        f"peak memory, whole run (PSS, one more pair of runs): full run {tree:.0f} MiB, "
        f"incremental run {rerun_tree:.0f} MiB"
    )


TARGET_GROWTH = 1.15


def scale(files: list[Path], sizes: list[int], workers: int | None) -> None:
    """Full-run time and peak memory at each corpus size, and the time against linear growth from the corpus itself.

    The corpus (3,000 documents) is run before and after the larger sizes, measured the same way (with the
    memory sampling), and their mean is the baseline: this machine drifts between runs, and a baseline taken at
    one end only would make the ratio depend on when the large runs happened.
    """

    def measure(size: int) -> tuple[float, float, float]:
        with tempfile.TemporaryDirectory(prefix="pipeline-bench-") as tmp:
            raw = Path(tmp) / "raw"
            copy_corpus(files, raw, size)
            return run_pipeline(raw, Path(tmp) / "warehouse", workers, pss=True)

    print(f"corpus: {CORPUS} ({len(files)} XML files replicated, {os.cpu_count()} cores)")
    before = measure(len(files))[0]
    print(f"baseline: {len(files)} documents in {before:.2f} s (before the larger runs)")
    print(f"{'documents':>10} {'seconds':>9} {'ms/doc':>7} {'peak MiB':>9} {'whole run MiB':>14}", flush=True)
    times = {}
    for size in sizes:
        times[size], peak, tree = measure(size)
        flag = "" if size < 100_000 or max(peak, tree) < TARGET_PEAK_GIB * 1024 else "  (over 4 GiB)"
        print(
            f"{size:>10} {times[size]:>9.1f} {1000 * times[size] / size:>7.2f} {peak:>9.0f} {tree:>14.0f}{flag}",
            flush=True,
        )
    after = measure(len(files))[0]
    base = (before + after) / 2
    print(f"baseline: {after:.2f} s after them; mean {base:.2f} s")
    for size, seconds in times.items():
        growth = seconds / (size / len(files) * base)
        verdict = "ok" if growth <= TARGET_GROWTH else "MISSED"
        target = f"target <= {TARGET_GROWTH}x"
        print(f"{size:>10} documents: {growth:.2f}x the baseline's time a document ({target}): {verdict}")


#: The stages of a run, by the function that does each (cumulative wall time in the main process).
STAGES = (
    ("list and hash raw files", "scan_raw"),
    ("parse (workers) and stage", "staging_tables"),
    ("merge and validate", "build_warehouse"),
    ("publish DuckDB + Parquet", "publish"),
    ("summary", "summary"),
)


def profile(workers: int | None) -> None:
    """One full run in-process under cProfile: seconds per stage, and the rest (Dagster's own work)."""
    import cProfile
    import pstats

    with tempfile.TemporaryDirectory(prefix="pipeline-bench-") as tmp:
        argv = ["run", "--raw", str(CORPUS), "--warehouse", str(Path(tmp) / "warehouse"), "--log-level", "WARNING"]
        argv += ["--workers", str(workers)] if workers else []
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        from trial_pipeline import cli

        code = cli.main(argv)
        profiler.disable()
        total = time.perf_counter() - start
    if code != 0:
        sys.exit(f"pipeline_bench: trial-pipeline run failed (exit {code})")
    stats = pstats.Stats(profiler).stats  # the raw table: {(file, line, name): (calls, ..., cumulative, ...)}
    cumulative: dict[str, float] = {}
    for (_, _, name), (_, _, _, cum, _) in stats.items():
        cumulative[name] = max(cumulative.get(name, 0.0), cum)
    print(f"profile of one full run ({total:.2f} s under cProfile):")
    accounted = 0.0
    for label, function in STAGES:
        seconds = cumulative.get(function, 0.0)
        accounted += seconds
        print(f"  {label:<32} {seconds:7.2f} s  {seconds / total:5.0%}")
    rest = total - accounted
    print(f"  {'imports, Dagster, IO manager':<32} {rest:7.2f} s  {rest / total:5.0%}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pipeline_bench", description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--scale", help="comma-separated corpus sizes, e.g. 30000,100000 (long)")
    parser.add_argument("--profile", action="store_true", help="profile one full run in-process")
    parser.add_argument("--workers", type=int, help="parser processes (default: the pipeline's own default)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the quick benchmark (default: 3)")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"pipeline_bench: corpus not found at {CORPUS}; nothing to measure", file=sys.stderr)
        return 2
    # As `make install` does: with PYTHONDONTWRITEBYTECODE set, every run would otherwise compile the package again.
    compileall.compile_dir(Path(__file__).resolve().parents[1] / "trial_pipeline", quiet=1)
    files = xml_files(CORPUS)
    if not files:
        print(f"pipeline_bench: no .xml files under {CORPUS}", file=sys.stderr)
        return 2
    if args.profile:
        profile(args.workers)
    elif args.scale:
        scale(files, [int(s) for s in args.scale.split(",") if s.strip()], args.workers)
    else:
        quick(files, args.workers, max(1, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
