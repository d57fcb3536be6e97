"""``trial-pipeline watch``: one long-lived process keeps the warehouse in step with the raw directory."""

from __future__ import annotations

import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FIXTURES, REPO, pipeline_env, raw_with_reversed_dates
from trial_pipeline.cli import main
from trial_pipeline.ingest import changes, list_raw

SCRIPT = [sys.executable, "-c", "from trial_pipeline.cli import entry; entry()"]
RECORD = FIXTURES / "ctgov" / "NCT00490022.xml"
#: Generous: a run of a few documents takes about 2 s here, most of it Dagster's.
TIMEOUT = 120


class Watcher:
    """The console script's ``watch`` in a subprocess, its stdout read line by line."""

    def __init__(self, *argv: str, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [*SCRIPT, "watch", *argv, "--workers", "1", "--interval", "0.1", "--log-level", "ERROR"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=env or pipeline_env(),
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        assert self.process.stdout is not None
        threading.Thread(target=lambda: [self.lines.put(line) for line in self.process.stdout], daemon=True).start()  # type: ignore[union-attr]

    def next_line(self) -> str:
        try:
            return self.lines.get(timeout=TIMEOUT).rstrip("\n")
        except queue.Empty:
            self.process.kill()
            pytest.fail(f"no run reported within {TIMEOUT} s; stderr: {self.process.communicate()[1][-2000:]}")

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGTERM)
        _, err = self.process.communicate(timeout=TIMEOUT)
        return self.process.returncode, err


def _run_line(line: str) -> tuple[str, ...]:
    found = re.fullmatch(r"trial-pipeline: run (\d+) \((.*)\): (\d+) documents parsed, (\d+) unchanged; "
                         r"published in \d+\.\d\d s", line)  # fmt: skip
    assert found, line
    return found.groups()


def _trials(warehouse: Path) -> list[str]:
    con = duckdb.connect(str(warehouse / "trials.duckdb"), read_only=True)
    try:
        return [t for (t,) in con.execute("SELECT trial_id FROM trials ORDER BY 1").fetchall()]
    finally:
        con.close()


def test_watch_publishes_each_change_under_raw_until_stopped(tmp_path: Path) -> None:
    # The warehouse is kept inside the raw directory: its own output must neither trigger runs nor be read.
    raw = tmp_path / "raw"
    warehouse = raw / "warehouse"
    (raw / "a").mkdir(parents=True)
    shutil.copy(RECORD, raw / "a")
    shutil.copy(FIXTURES / "ctgov" / "NCT00001575.xml", raw / "a")
    watcher = Watcher("--raw", str(raw), "--warehouse", str(warehouse))
    assert _run_line(watcher.next_line()) == ("1", "start", "2", "0")
    assert _trials(warehouse) == ["NCT00001575", "NCT00490022"]

    (raw / "b.xml").write_bytes(RECORD.read_bytes().replace(b"NCT00490022", b"NCT09999901"))
    assert _run_line(watcher.next_line()) == ("2", "1 added, 0 changed, 0 removed", "1", "2")
    assert _trials(warehouse) == ["NCT00001575", "NCT00490022", "NCT09999901"]

    (raw / "a" / "NCT00001575.xml").unlink()
    assert _run_line(watcher.next_line()) == ("3", "0 added, 0 changed, 1 removed", "0", "2")
    assert _trials(warehouse) == ["NCT00490022", "NCT09999901"]

    code, err = watcher.stop()
    assert code == 0
    assert err.splitlines() == [
        f"trial-pipeline: {raw} -> {warehouse}",
        "trial-pipeline: stopping",
    ]
    con = duckdb.connect(str(warehouse / "trials.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT source_path FROM documents ORDER BY 1").fetchall() == [
            ("a/NCT00490022.xml",),
            ("b.xml",),
        ]
    finally:
        con.close()


def test_a_failed_run_is_reported_and_the_watch_goes_on(tmp_path: Path) -> None:
    # One trial of two ends before it starts: above the quarantine limit its run fails and publishes nothing.
    # Once the file is fixed, the next run publishes, and --max-runs ends the watch with that run's exit code.
    raw = tmp_path / "raw"
    source = raw_with_reversed_dates(raw)
    warehouse = tmp_path / "warehouse"
    watcher = Watcher("--raw", str(raw), "--warehouse", str(warehouse), "--max-runs", "2")
    while not (warehouse / ".cache" / "staging" / "current.json").exists():  # run 1 has staged, and will fail
        assert watcher.process.poll() is None
        threading.Event().wait(0.1)
    (raw / "dates.xml").write_text(source)
    assert _run_line(watcher.next_line())[:2] == ("2", "0 added, 1 changed, 0 removed")
    assert watcher.process.wait(timeout=TIMEOUT) == 0
    err = watcher.process.stderr.read()  # type: ignore[union-attr]
    assert [line for line in err.splitlines() if line.startswith("trial-pipeline:")] == [
        f"trial-pipeline: {raw} -> {warehouse}",
        "trial-pipeline: step warehouse_tables failed: trial_pipeline.warehouse.QuarantineLimitExceeded: 1 of 2 "
        "rows of trials failed validation (50%), above the limit of 20% (TRIAL_PIPELINE_MAX_QUARANTINE_SHARE); "
        "nothing was published. Failed checks: row failed dates_in_order",
        "trial-pipeline: run failed; the previously published warehouse is unchanged",
    ]
    assert _trials(warehouse) == ["NCT00000815", "NCT00001575"]


def test_listing_and_changes_read_no_file(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / "sub" / "b.txt").write_text("two")
    (tmp_path / "sub" / "c.txt").write_text("three")
    before = list_raw(tmp_path, skip=tmp_path / "sub" / "c.txt")
    assert sorted(before) == ["a.txt", "sub/b.txt", "sub/c.txt"]  # only a directory is skipped
    assert list_raw(tmp_path, skip=tmp_path / "sub") == {"a.txt": before["a.txt"]}
    (tmp_path / "a.txt").write_text("changed, longer")
    (tmp_path / "sub" / "b.txt").unlink()
    (tmp_path / "d.txt").write_text("four")
    assert changes(before, list_raw(tmp_path)) == (1, 1, 1)
    assert list_raw(tmp_path / "missing") == {}


def test_watch_refuses_a_non_positive_interval(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["watch", "--interval", "0"])
    assert stop.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "trial-pipeline watch: error: argument --interval: must be above 0, not 0"
    )
