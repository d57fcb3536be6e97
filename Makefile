# Set-up is two commands on a fresh machine: `make run` and `make test`. Both build .venv when it is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# The project's own modules compiled ahead, as uv compiles the dependencies (an editable install is not): where
# PYTHONDONTWRITEBYTECODE is set (CI, some shells) every run would otherwise compile them again, about 0.5 s each.
# A no-op when the bytecode is current.
BYTECODE := $(PY) -m compileall -q trial_pipeline

.PHONY: install run test lint typecheck pytest dev bench clean

# uv is 4-5x faster than pip here; it is itself installed from PyPI into the venv, so nothing is needed by hand.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv
	$(VENV)/bin/uv pip install --python $(PY) --compile-bytecode --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)
	@$(BYTECODE)

run: install
	$(VENV)/bin/trial-pipeline run

lint: install
	$(VENV)/bin/ruff format --check trial_pipeline tests bench
	$(VENV)/bin/ruff check trial_pipeline tests bench

typecheck: install
	$(VENV)/bin/mypy trial_pipeline

pytest: install
	$(PY) -m pytest

test: lint typecheck pytest

dev: install
	mkdir -p warehouse/.dagster
	DAGSTER_HOME=$(CURDIR)/warehouse/.dagster $(VENV)/bin/dagster dev -w workspace.yaml

bench: install
	$(PY) -m bench.pipeline_bench

clean:
	rm -rf warehouse/* warehouse/.staging warehouse/.snapshots
