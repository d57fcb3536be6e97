"""The Dagster code location: assets, checks, resources, job, schedule and sensor. Nothing is read at import."""

from __future__ import annotations

from dagster import Definitions, in_process_executor

from trial_pipeline.defs.assets import raw_documents, staging_tables, warehouse_tables
from trial_pipeline.defs.automation import daily_warehouse_schedule, raw_files_sensor, warehouse_job
from trial_pipeline.defs.io import StagingIOManager
from trial_pipeline.settings import PathsResource

ASSETS = [raw_documents, staging_tables, warehouse_tables]


def build_definitions(paths: PathsResource | None = None) -> Definitions:
    """Definitions wired to ``paths`` (by default, paths from ``TRIAL_PIPELINE_*`` or the repository)."""
    paths = paths or PathsResource()
    return Definitions(
        assets=ASSETS,
        resources={"paths": paths, "io_manager": StagingIOManager(paths=paths)},
        jobs=[warehouse_job],
        schedules=[daily_warehouse_schedule],
        sensors=[raw_files_sensor],
        # The multiprocess executor re-imports per step (4x slower here) and fights over the DuckDB lock.
        executor=in_process_executor,
    )


defs = build_definitions()
