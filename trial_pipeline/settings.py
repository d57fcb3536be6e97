"""Where the pipeline reads and writes, and its limits: one typed resource, read from the environment at run time.

Defaults: ``raw/`` and ``warehouse/`` at the repository root (not the current directory). Overrides:
``TRIAL_PIPELINE_RAW_DIR``, ``TRIAL_PIPELINE_WAREHOUSE_DIR``, ``TRIAL_PIPELINE_MAX_DOCUMENT_BYTES``,
``TRIAL_PIPELINE_MAX_QUARANTINE_SHARE``, ``TRIAL_PIPELINE_WORKERS``, or ``trial-pipeline run --raw/--warehouse``.
"""

from __future__ import annotations

import os
from pathlib import Path

from dagster import ConfigurableResource

ENV_PREFIX = "TRIAL_PIPELINE_"
#: Files larger than this are refused before any parsing (the largest real registry record is ~2 MB).
DEFAULT_MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
#: Above this share of a table's rows quarantined, the run fails instead of publishing a gutted table.
DEFAULT_MAX_QUARANTINE_SHARE = 0.2


def repo_root() -> Path:
    """The repository root: the directory holding ``pyproject.toml`` above this package."""
    here = Path(__file__).resolve().parent.parent
    return here if (here / "pyproject.toml").exists() else Path.cwd()


def _env(name: str) -> str | None:
    value = os.environ.get(ENV_PREFIX + name)
    return value if value else None


def default_raw_dir() -> str:
    """``TRIAL_PIPELINE_RAW_DIR`` or ``<repo>/raw``."""
    return _env("RAW_DIR") or str(repo_root() / "raw")


def default_warehouse_dir() -> str:
    """``TRIAL_PIPELINE_WAREHOUSE_DIR`` or ``<repo>/warehouse``."""
    return _env("WAREHOUSE_DIR") or str(repo_root() / "warehouse")


def default_workers() -> int:
    """``TRIAL_PIPELINE_WORKERS`` or the number of CPU cores."""
    return int(_env("WORKERS") or os.cpu_count() or 1)


class PathsResource(ConfigurableResource):  # type: ignore[type-arg]  # dagster declares it generic but never uses it
    """Paths and limits of one run. Unset fields are read from ``TRIAL_PIPELINE_*`` when used, not at import.

    Outputs go only under ``warehouse_dir``.
    """

    raw_dir: str | None = None
    warehouse_dir: str | None = None
    max_document_bytes: int | None = None
    max_quarantine_share: float | None = None
    workers: int | None = None

    @property
    def raw_path(self) -> Path:
        """The raw directory, absolute."""
        return Path(self.raw_dir or default_raw_dir()).expanduser().resolve()

    @property
    def warehouse_path(self) -> Path:
        """The warehouse directory, absolute."""
        return Path(self.warehouse_dir or default_warehouse_dir()).expanduser().resolve()

    @property
    def staging_path(self) -> Path:
        """Where staged frames are kept between steps (inside the warehouse)."""
        return self.warehouse_path / ".staging"

    @property
    def document_byte_limit(self) -> int:
        """Files larger than this are refused before parsing."""
        return self.max_document_bytes or int(_env("MAX_DOCUMENT_BYTES") or DEFAULT_MAX_DOCUMENT_BYTES)

    @property
    def quarantine_limit(self) -> float:
        """Largest share of a table that may be quarantined before the run fails."""
        if self.max_quarantine_share is not None:
            return self.max_quarantine_share
        return float(_env("MAX_QUARANTINE_SHARE") or DEFAULT_MAX_QUARANTINE_SHARE)

    @property
    def worker_count(self) -> int:
        """Processes used to parse documents and to validate batches of rows."""
        return self.workers or default_workers()
