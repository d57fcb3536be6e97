"""The README says what the code does: its table dictionary and its example queries."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO
from trial_pipeline import dictionary
from trial_pipeline.publish import publish

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_table_dictionary_matches_the_schemas() -> None:
    assert dictionary.section(README) == dictionary.render(), "run: python -m trial_pipeline.dictionary"


def test_readme_gives_the_two_setup_commands_and_ci_runs_the_test_command() -> None:
    assert "make run" in README and "make test" in README
    assert "make test" in (REPO / ".ci" / "run").read_text()


@pytest.mark.parametrize("sql", re.findall(r"```sql\n(.*?)```", README, flags=re.DOTALL))
def test_example_queries_run_against_a_published_warehouse(sql: str, tmp_path: Path) -> None:
    publish({}, tmp_path)
    con = duckdb.connect(str(tmp_path / "trials.duckdb"), read_only=True)
    try:
        con.execute(sql).fetchall()
    finally:
        con.close()
