"""The Dagster code location: the exact asset graph, its checks, and the automation around it."""

from __future__ import annotations

from pathlib import Path

from dagster import AssetKey, SensorResult, SkipReason, build_sensor_context

from trial_pipeline.definitions import build_definitions, defs
from trial_pipeline.defs.automation import raw_files_sensor
from trial_pipeline.settings import PathsResource

TABLES = ["documents", "trials", "arms", "interventions", "outcomes", "criteria", "criterion_constraints", "results"]


def test_the_exact_set_of_asset_keys() -> None:
    graph = defs.resolve_asset_graph()
    keys = {"/".join(k.path) for k in graph.get_all_asset_keys()}
    assert keys == (
        {"raw/documents"} | {f"staging/{t}" for t in TABLES} | {f"warehouse/{t}" for t in [*TABLES, "quarantine"]}
    )


def test_layers_depend_on_each_other_in_order() -> None:
    graph = defs.resolve_asset_graph()
    assert graph.get(AssetKey(["staging", "trials"])).parent_keys == {AssetKey(["raw", "documents"])}
    assert graph.get(AssetKey(["warehouse", "arms"])).parent_keys == {AssetKey(["staging", t]) for t in TABLES}


def test_checks_cover_schema_and_references() -> None:
    names = {key.name for key in defs.resolve_asset_graph().asset_check_keys}
    assert {f"{t}_rows_pass_schema" for t in TABLES} <= names
    assert {
        "arms_reference_known_trials",
        "interventions_reference_known_trials",
        "criterion_constraints_reference_known_criteria",
        "trials_reference_known_documents",
    } <= names


def test_job_schedule_and_sensor() -> None:
    assert defs.resolve_job_def("warehouse_job").name == "warehouse_job"
    assert defs.resolve_schedule_def("daily_warehouse_schedule").cron_schedule == "0 3 * * *"
    assert defs.resolve_sensor_def("raw_files_sensor").name == "raw_files_sensor"


def test_the_sensor_requests_a_run_only_when_raw_files_change(tmp_path: Path) -> None:
    paths = PathsResource(raw_dir=str(tmp_path), warehouse_dir=str(tmp_path / "w"))
    (tmp_path / "a.xml").write_text("x")
    first = raw_files_sensor(build_sensor_context(resources={"paths": paths}))
    assert isinstance(first, SensorResult) and len(first.run_requests or []) == 1
    again = raw_files_sensor(build_sensor_context(cursor=first.cursor, resources={"paths": paths}))
    assert isinstance(again, SkipReason)
    (tmp_path / "b.json").write_text("{}")
    changed = raw_files_sensor(build_sensor_context(cursor=first.cursor, resources={"paths": paths}))
    assert isinstance(changed, SensorResult) and changed.cursor != first.cursor


def test_paths_come_from_the_environment_at_run_time_not_import(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths = PathsResource()
    monkeypatch.setenv("TRIAL_PIPELINE_RAW_DIR", str(tmp_path / "in"))
    monkeypatch.setenv("TRIAL_PIPELINE_WAREHOUSE_DIR", str(tmp_path / "out"))
    assert (paths.raw_path, paths.warehouse_path) == (tmp_path / "in", tmp_path / "out")
    monkeypatch.delenv("TRIAL_PIPELINE_RAW_DIR")
    assert paths.raw_path == Path(__file__).resolve().parents[1] / "raw"
    assert build_definitions(paths).resolve_job_def("warehouse_job") is not None
