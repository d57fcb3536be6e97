"""Where the raw manifest and staging frames live between steps: pickles under ``<warehouse>/.staging``."""

import os
import pickle
from pathlib import Path
from typing import Any

from dagster import ConfigurableIOManager, InputContext, OutputContext, ResourceDependency

from trial_pipeline.settings import PathsResource


class StagingIOManager(ConfigurableIOManager):
    """Stores each upstream asset's value as a pickle inside the warehouse directory, written atomically."""

    paths: ResourceDependency[PathsResource]

    def _path(self, context: InputContext | OutputContext) -> Path:
        return self.paths.staging_path / ("__".join(context.asset_key.path) + ".pkl")

    def handle_output(self, context: OutputContext, obj: Any) -> None:
        """Write the value (to a temporary name, then rename)."""
        path = self._path(context)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".pkl.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(obj, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    def load_input(self, context: InputContext) -> Any:
        """Read the value the upstream step wrote (our own file, never a user's)."""
        with self._path(context).open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 - written by handle_output of this same pipeline.
