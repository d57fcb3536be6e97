"""End to end: the real Dagster job materializes a raw folder into a temporary warehouse."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance

from tests.conftest import FIXTURES, RAW, REPO, pipeline_env, raw_with_reversed_dates
from trial_pipeline.cli import main
from trial_pipeline.definitions import build_definitions
from trial_pipeline.parsers.registry import parse_document
from trial_pipeline.settings import PathsResource

GOOD = {
    "registry/NCT00001575.xml": FIXTURES / "ctgov" / "NCT00001575.xml",
    "registry/NCT00490022.xml": FIXTURES / "ctgov" / "NCT00490022.xml",
    "api/NCT03418623 v2.json": FIXTURES / "ctgov" / "NCT03418623.json",
    "pages/pomalidomide page.txt": RAW / "003_f1b628404261852c.txt",
}
BAD = {
    "broken.xml": (FIXTURES / "ctgov" / "NCT00490022.xml").read_bytes()[:900],
    "empty.txt": b"",
    "picture.bin": bytes(range(256)) * 4,
}


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("raw")
    for name, source in GOOD.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, root / name)
    for name, data in BAD.items():
        (root / name).write_bytes(data)
    return root


@pytest.fixture(scope="module")
def warehouse(raw: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("warehouse")
    paths = PathsResource(raw_dir=str(raw), warehouse_dir=str(out), workers=1)
    result = (
        build_definitions(paths)
        .resolve_job_def("warehouse_job")
        .execute_in_process(instance=DagsterInstance.ephemeral())
    )
    assert result.success
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert all(passed for name, passed in checks.items() if "reference" in name), checks
    return out


def query(warehouse: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(warehouse / "trials.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_file_has_a_documents_row_with_status_and_reason(warehouse: Path) -> None:
    rows = query(warehouse, "SELECT source_path, source_format, parse_status, error_message FROM documents ORDER BY 1")
    assert [(p, f, s) for p, f, s, _ in rows] == [
        ("api/NCT03418623 v2.json", "CTGOV_JSON", "PARSED"),
        ("broken.xml", "CTGOV_XML", "FAILED"),
        ("empty.txt", "UNKNOWN", "FAILED"),
        ("pages/pomalidomide page.txt", "REGISTRY_PAGE", "PARSED"),
        ("picture.bin", "UNKNOWN", "FAILED"),
        ("registry/NCT00001575.xml", "CTGOV_XML", "PARSED"),
        ("registry/NCT00490022.xml", "CTGOV_XML", "PARSED"),
    ]
    reasons = {p: m for p, _, _, m in rows}
    assert reasons["broken.xml"].startswith("malformed XML")
    assert reasons["empty.txt"] == "empty file"
    assert reasons["picture.bin"] == "binary content (not text)"


def test_trials_are_linked_to_their_documents(warehouse: Path) -> None:
    rows = query(
        warehouse,
        "SELECT t.trial_id, d.source_path FROM trials t, unnest(t.document_ids) u(id) "
        "JOIN documents d ON d.document_id = u.id ORDER BY 1",
    )
    assert rows == [
        ("NCT00001575", "registry/NCT00001575.xml"),
        ("NCT00490022", "registry/NCT00490022.xml"),
        ("NCT03418623", "api/NCT03418623 v2.json"),
        ("NCT05378971", "pages/pomalidomide page.txt"),
    ]


@pytest.mark.parametrize("table", ["arms", "interventions", "outcomes", "criteria", "criterion_constraints", "results"])
def test_each_table_holds_exactly_what_the_readers_produced(warehouse: Path, table: str) -> None:
    expected = 0
    for name, source in GOOD.items():
        parsed = parse_document(name, source.read_bytes()).parsed
        assert parsed is not None
        expected += len(getattr(parsed, table))
    assert expected > 0
    assert query(warehouse, f'SELECT count(*) FROM "{table}"') == [(expected,)]


def test_exact_rows_of_known_records(warehouse: Path) -> None:
    assert query(warehouse, "SELECT label, arm_type FROM arms WHERE trial_id = 'NCT00490022' ORDER BY arm_seq") == [
        ("1", "ACTIVE_COMPARATOR"),
        ("2", "PLACEBO_COMPARATOR"),
    ]
    assert (
        query(warehouse, "SELECT count(*), count(DISTINCT measure) FROM results WHERE trial_id = 'NCT00001575'")[0][0]
        > 0
    )
    assert query(warehouse, "SELECT phases, enrollment_count FROM trials WHERE trial_id = 'NCT00490022'") == [
        (["PHASE1", "PHASE2"], 31)
    ]
    assert query(warehouse, "SELECT count(*) FROM quarantine") == [(0,)]


def test_parquet_files_for_every_table(warehouse: Path) -> None:
    names = sorted(p.name for p in (warehouse / "parquet").iterdir())
    assert names == sorted(f"{t}.parquet" for t in (
        "documents", "trials", "arms", "interventions", "outcomes", "criteria", "criterion_constraints", "results",
        "quarantine",
    ))  # fmt: skip


def test_cli_runs_headless_and_prints_the_summary(
    raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", "--raw", str(raw), "--warehouse", str(tmp_path), "--workers", "1", "--log-level", "ERROR"]) == 0
    out = capsys.readouterr().out
    assert "  CTGOV_XML          PARSED          2" in out
    assert "  UNKNOWN            FAILED          2" in out
    assert "  trials                        4" in out
    assert "rows quarantined by table:\n  (none)" in out


def test_cli_exit_codes_for_a_run_that_cannot_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--raw", str(tmp_path / "missing"), "--warehouse", str(tmp_path / "w")]) == 2
    assert "raw directory not found" in capsys.readouterr().err


def test_console_script_exits_with_its_code_and_a_clean_stderr(raw: Path, tmp_path: Path) -> None:
    # The console script ends without interpreter finalization: its output must still be complete and its
    # exit code the run's, with nothing on stderr but the run's own lines (no nanobind leak report).
    script = [sys.executable, "-c", "from trial_pipeline.cli import entry; entry()"]
    env = pipeline_env()
    ran = subprocess.run(
        [*script, "run", "--raw", str(raw), "--warehouse", str(tmp_path), "--workers", "1", "--log-level", "ERROR"],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=300,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert ran.stdout.endswith("rows quarantined by table:\n  (none)\n")
    assert ran.stderr.splitlines() == [f"trial-pipeline: {raw} -> {tmp_path}"]
    usage = subprocess.run([*script, "run", "--bogus"], capture_output=True, text=True, env=env, timeout=60)
    assert usage.returncode == 2
    assert usage.stderr.splitlines()[-1] == "trial-pipeline: error: unrecognized arguments: --bogus"
    assert "leaked" not in usage.stderr


def test_console_script_reports_a_failed_run_and_validates_without_hypothesis(tmp_path: Path) -> None:
    # One trial of two states its completion before its start: pandera quarantines it. Above the quarantine
    # limit the run fails and says why, in one line and with exit code 1; with the limit raised it publishes.
    # pandera must do this without the hypothesis package, which the console script marks absent. The run's
    # cyclic collector is on, with the heap of the imports and the Dagster instance (about 400,000 objects) frozen.
    raw = tmp_path / "raw"
    raw_with_reversed_dates(raw)
    script = [
        sys.executable,
        "-c",
        "import gc, os, sys\n"
        "from trial_pipeline.cli import entry\n"
        "end = os._exit\n"
        "def report(code):\n"
        "    print('hypothesis', 'absent' if sys.modules.get('hypothesis') is None else 'loaded', file=sys.stderr)\n"
        "    print('collector', gc.isenabled(), gc.get_freeze_count() > 300_000, file=sys.stderr)\n"
        "    end(code)\n"
        "os._exit = report\n"
        "entry()",
    ]
    env = pipeline_env()
    argv = ["run", "--raw", str(raw), "--workers", "1", "--log-level", "ERROR"]

    failed = subprocess.run([*script, *argv, "--warehouse", str(tmp_path / "strict")],
                            capture_output=True, text=True, env=env, cwd=REPO, timeout=300)  # fmt: skip
    assert failed.returncode == 1
    ours = [line for line in failed.stderr.splitlines() if line.startswith(("trial-pipeline:", "hypothesis", "coll"))]
    assert ours == [
        f"trial-pipeline: {raw} -> {tmp_path / 'strict'}",
        "trial-pipeline: step warehouse_tables failed: trial_pipeline.warehouse.QuarantineLimitExceeded: 1 of 2 "
        "rows of trials failed validation (50%), above the limit of 20% (TRIAL_PIPELINE_MAX_QUARANTINE_SHARE); "
        "nothing was published. Failed checks: row failed dates_in_order",
        "trial-pipeline: run failed; the previously published warehouse is unchanged",
        "hypothesis absent",
        "collector True True",
    ]
    assert "leaked" not in failed.stderr
    assert not (tmp_path / "strict" / "trials.duckdb").exists()

    lenient = tmp_path / "lenient"
    published = subprocess.run(
        [*script, *argv, "--warehouse", str(lenient)],
        capture_output=True, text=True, cwd=REPO, timeout=300,
        env=pipeline_env(TRIAL_PIPELINE_MAX_QUARANTINE_SHARE="1"),
    )  # fmt: skip
    assert published.returncode == 0, published.stderr[-2000:]
    assert published.stderr.splitlines()[-2:] == ["hypothesis absent", "collector True True"]
    assert "  trials                        1\n" in published.stdout
    [(dates_document,)] = query(lenient, "SELECT document_id FROM documents WHERE source_path = 'dates.xml'")
    assert query(lenient, "SELECT table_name, document_id, reason FROM quarantine WHERE table_name = 'trials'") == [
        ("trials", dates_document, "row failed dates_in_order")
    ]


def test_console_script_turns_an_unexpected_error_into_a_traceback_and_exit_code_1() -> None:
    code = "\n".join(
        [
            "from trial_pipeline import cli",
            "def broken():",
            "    raise ZeroDivisionError('a bug')",
            "cli.main = broken",
            "cli.entry()",
        ]
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 1
    assert ran.stderr.startswith("Traceback (most recent call last):")
    assert ran.stderr.splitlines()[-1] == "ZeroDivisionError: a bug"
    assert "leaked" not in ran.stderr
