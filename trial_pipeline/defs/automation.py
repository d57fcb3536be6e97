"""When the warehouse is rebuilt: a daily schedule, and a sensor that reacts to changes under the raw directory."""

import hashlib
import os

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

from trial_pipeline.settings import PathsResource

warehouse_job = define_asset_job(
    "warehouse_job", selection=AssetSelection.all(), description="Materialize everything from raw/ into the warehouse."
)


@schedule(job=warehouse_job, cron_schedule="0 3 * * *", default_status=DefaultScheduleStatus.STOPPED)
def daily_warehouse_schedule() -> RunRequest:
    """Rebuild the warehouse every day at 03:00."""
    return RunRequest()


def raw_fingerprint(paths: PathsResource) -> str:
    """A digest of every file's relative path, size and modification time under the raw directory."""
    digest = hashlib.sha256()
    root = paths.raw_path
    if not root.is_dir():
        return ""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            try:
                stat = os.stat(path, follow_symlinks=False)
            except OSError:
                continue
            digest.update(f"{os.path.relpath(path, root)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
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
