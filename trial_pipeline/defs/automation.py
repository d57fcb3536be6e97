"""When the warehouse is rebuilt: a daily schedule, and a sensor that reacts to changes under the raw directory."""

import hashlib

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    define_asset_job,
    schedule,
    sensor,
)

from trial_pipeline.ingest import list_raw
from trial_pipeline.settings import PathsResource

warehouse_job = define_asset_job(
    "warehouse_job", selection=AssetSelection.all(), description="Materialize everything from raw/ into the warehouse."
)


@schedule(job=warehouse_job, cron_schedule="0 3 * * *", default_status=DefaultScheduleStatus.STOPPED)
def daily_warehouse_schedule() -> RunRequest:
    """Rebuild the warehouse every day at 03:00."""
    return RunRequest()


def raw_fingerprint(paths: PathsResource) -> str:
    """A digest of every file's relative path and signature (size, times, inode) under the raw directory;
    empty when the directory does not exist."""
    if not paths.raw_path.is_dir():
        return ""
    digest = hashlib.sha256()
    for path, signature in sorted(list_raw(paths.raw_path, skip=paths.warehouse_path).items()):
        digest.update(f"{path}\0{signature}\n".encode())
    return digest.hexdigest()


@sensor(job=warehouse_job, minimum_interval_seconds=60, default_status=DefaultSensorStatus.STOPPED)
def raw_files_sensor(context: SensorEvaluationContext, paths: PathsResource) -> SensorResult | SkipReason:
    """Start a run when files under the raw directory are added, changed or removed."""
    current = raw_fingerprint(paths)
    if not current:
        return SkipReason(f"raw directory {paths.raw_path} does not exist")
    if current == context.cursor:
        return SkipReason("no change under the raw directory")
    return SensorResult(run_requests=[RunRequest(run_key=current)], cursor=current)
