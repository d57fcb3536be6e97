"""Building the warehouse: trials merged across documents, failing rows quarantined with their dependents."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pytest

from tests.conftest import FIXTURES
from trial_pipeline.ingest import ManifestEntry
from trial_pipeline.normalize import STAGING_SCHEMAS, build_staging
from trial_pipeline.normalize import stage as stage_outcome
from trial_pipeline.parsers.registry import document_id_for, parse_document
from trial_pipeline.schemas import arrow_to_frame
from trial_pipeline.warehouse import (
    QuarantineLimitExceeded,
    WarehouseBuild,
    _clean_lists,
    build_warehouse,
    rules_version,
)


def stage(files: dict[str, bytes]) -> dict[str, pa.Table]:
    entries, outcomes = [], []
    for name, data in files.items():
        entries.append(ManifestEntry(name, len(data), document_id_for(data)[1]))
        outcomes.append(stage_outcome(parse_document(name, data)))
    return build_staging(entries, outcomes)


@dataclass
class Built:
    """A build's tables as pandas frames, for readable assertions."""

    tables: dict[str, pd.DataFrame]
    quarantined: dict[str, int]


def built(staging: dict[str, pa.Table], **options: float) -> Built:
    result: WarehouseBuild = build_warehouse(staging, **options)
    return Built({t: arrow_to_frame(v) for t, v in result.tables.items()}, result.quarantined)


LEGACY = (FIXTURES / "ctgov" / "NCT02513394.legacy.xml").read_bytes()
V2 = (FIXTURES / "ctgov" / "NCT02513394.v2.json").read_bytes()
OTHER = (FIXTURES / "ctgov" / "NCT00490022.xml").read_bytes()


def test_one_trial_row_however_many_documents_describe_it() -> None:
    build = built(stage({"a.xml": LEGACY, "b.json": V2, "c.xml": OTHER}))
    trials = build.tables["trials"].set_index("trial_id")
    assert sorted(trials.index) == ["NCT00490022", "NCT02513394"]
    merged = trials.loc["NCT02513394"]
    assert set(merged["document_ids"]) == {document_id_for(LEGACY)[0], document_id_for(V2)[0]}
    # Countries are united across the two snapshots; arms stay per document (each with its provenance).
    assert "Austria" in merged["countries"] and "Australia" in merged["countries"]
    arms = build.tables["arms"]
    assert len(arms[arms["trial_id"] == "NCT02513394"]) == 4
    assert build.tables["quarantine"].empty


def test_byte_identical_files_are_listed_twice_but_read_once() -> None:
    build = built(stage({"a.xml": OTHER, "copy/a.xml": OTHER}))
    documents = build.tables["documents"]
    assert list(documents["source_path"]) == ["a.xml", "copy/a.xml"]
    assert documents["error_message"].iloc[1] == "same content as a.xml; its records are listed once"
    assert len(build.tables["arms"]) == 2


def _with_bad_trial() -> dict[str, pa.Table]:
    staging = stage({"a.xml": LEGACY, "c.xml": OTHER})
    trials = arrow_to_frame(staging["trials"])
    trials.loc[trials["trial_id"] == "NCT00490022", "maximum_age_years"] = 999.0
    staging["trials"] = pa.Table.from_pandas(trials, schema=STAGING_SCHEMAS["trials"], preserve_index=False)
    return staging


def test_a_failing_trial_is_quarantined_with_its_dependent_rows_and_the_rest_published() -> None:
    build = built(_with_bad_trial())
    assert list(build.tables["trials"]["trial_id"]) == ["NCT02513394"]
    quarantine = build.tables["quarantine"]
    trial_rows = quarantine[quarantine["table_name"] == "trials"]
    assert len(trial_rows) == 1
    assert trial_rows["reason"].iloc[0] == "column 'maximum_age_years' failed less_than_or_equal_to(150.0): '999.0'"
    assert json.loads(trial_rows["record"].iloc[0])["trial_id"] == "NCT00490022"
    assert trial_rows["document_id"].iloc[0] == document_id_for(OTHER)[0]
    # Its 2 arms, 2 interventions and 2 outcomes follow it; nothing of it is published, nothing lost.
    dependents = quarantine[quarantine["table_name"] != "trials"]
    assert dependents.groupby("table_name").size().to_dict()["arms"] == 2
    assert set(dependents["reason"]) == {"depends on quarantined trial NCT00490022 or one of its criteria"}
    for table in ("arms", "interventions", "outcomes", "criteria"):
        assert "NCT00490022" not in set(build.tables[table]["trial_id"])
    assert build.quarantined["trials"] == 1


def test_above_the_quarantine_limit_the_run_fails_loudly() -> None:
    with pytest.raises(QuarantineLimitExceeded, match=r"1 of 2 rows of trials failed validation \(50%\)"):
        built(_with_bad_trial(), max_quarantine_share=0.2)


def _with_bad_criterion() -> tuple[dict[str, pa.Table], tuple[str, int]]:
    """Staging whose first criterion with conditions has an unknown kind, and that criterion's key."""
    staging = stage({"a.xml": LEGACY, "c.xml": OTHER})
    constraints = staging["criterion_constraints"].to_pylist()[0]
    key = (constraints["document_id"], constraints["criterion_seq"])
    criteria = arrow_to_frame(staging["criteria"])
    row = (criteria["document_id"] == key[0]) & (criteria["criterion_seq"] == key[1])
    criteria.loc[row, "criterion_kind"] = "BOTH"
    staging["criteria"] = pa.Table.from_pandas(criteria, schema=STAGING_SCHEMAS["criteria"], preserve_index=False)
    return staging, key


def test_a_failing_criterion_takes_its_conditions_to_quarantine() -> None:
    staging, (document, seq) = _with_bad_criterion()
    build = built(staging)
    quarantine = build.tables["quarantine"]
    criteria = quarantine[quarantine["table_name"] == "criteria"]
    assert criteria["reason"].tolist() == ["column 'criterion_kind' failed isin(['EXCLUSION', 'INCLUSION']): 'BOTH'"]
    conditions = staging["criterion_constraints"].to_pandas()
    expected = int(((conditions["document_id"] == document) & (conditions["criterion_seq"] == seq)).sum())
    assert expected >= 1 and build.quarantined["criterion_constraints"] == expected
    published = build.tables["criterion_constraints"]
    assert not ((published["document_id"] == document) & (published["criterion_seq"] == seq)).any()


def test_a_remembered_verdict_gives_the_same_build_without_validating_again() -> None:
    staging, _ = _with_bad_criterion()
    first = build_warehouse(staging)
    assert first.verdicts and all(key.startswith(rules_version() + ":") for key in first.verdicts)
    again = build_warehouse(staging, verdicts=first.verdicts)
    assert again.verdicts == first.verdicts
    assert all(again.tables[t].equals(first.tables[t]) for t in first.tables)
    assert (again.quarantined, again.failed_checks) == (first.quarantined, first.failed_checks)
    # The verdict is taken as remembered, not recomputed: a planted one is obeyed.
    arms = next(key for key in first.verdicts if ":arms:" in key)
    planted = build_warehouse(staging, verdicts={**first.verdicts, arms: {0: ["planted check: for this test"]}})
    quarantine = arrow_to_frame(planted.tables["quarantine"])
    assert quarantine[quarantine["table_name"] == "arms"]["reason"].tolist() == ["planted check: for this test"]
    assert planted.failed_checks["arms"] == ["planted check"]
    assert planted.tables["arms"].num_rows == first.tables["arms"].num_rows - 1


def test_worker_processes_give_the_same_build() -> None:
    # Batches validated by two worker processes, with a quarantined criterion and its dependent constraints.
    staging, _ = _with_bad_criterion()
    alone, shared = build_warehouse(staging), build_warehouse(staging, workers=2)
    assert alone.quarantined["criteria"] == 1 and alone.quarantined["criterion_constraints"] >= 1
    assert all(shared.tables[t].equals(alone.tables[t]) for t in alone.tables)
    assert (shared.quarantined, shared.failed_checks, shared.verdicts) == (
        alone.quarantined, alone.failed_checks, alone.verdicts,
    )  # fmt: skip


def test_every_table_exists_even_when_empty() -> None:
    build = built(stage({"notes.txt": b"nothing here"}))
    assert set(build.tables) == {
        "documents", "trials", "arms", "interventions", "outcomes", "criteria", "criterion_constraints", "results",
        "quarantine",
    }  # fmt: skip
    assert len(build.tables["documents"]) == 1
    assert all(build.tables[t].empty for t in build.tables if t != "documents")


def test_prose_never_overrides_or_adds_to_what_the_registry_record_states() -> None:
    news = (
        b"Results from the phase 3 NCT00490022 study, conducted in France and Italy, were presented today. "
        b"The trial enrolled 500 patients with AML who received the study drug orally."
    )
    build = built(stage({"a.xml": OTHER, "news.txt": news}))
    trial = build.tables["trials"].set_index("trial_id").loc["NCT00490022"]
    # The registry record says Phase 1/Phase 2, 31 participants, United States: prose adds nothing to these.
    assert (trial["phases"], trial["enrollment_count"], trial["countries"]) == (
        ["PHASE1", "PHASE2"], 31, ["United States"],
    )  # fmt: skip
    assert len(trial["document_ids"]) == 2


def test_a_csv_listing_trials_is_not_prose() -> None:
    csv = b"nct_id,title,phase,status\n" + b"".join(
        b"NCT0000010%d,A study of drug %d in patients.,Phase 2,Completed\n" % (i, i) for i in range(6)
    )
    documents = built(stage({"manifest.csv": csv})).tables["documents"]
    assert (documents["source_format"].iloc[0], documents["parse_status"].iloc[0]) == ("UNKNOWN", "FAILED")


def test_lists_lose_blanks_and_repeats_in_order() -> None:
    lists = pa.array([["a", "", "b", "a", None], None, [], ["x"], ["b", "b"]], pa.list_(pa.string()))
    assert _clean_lists(lists).to_pylist() == [["a", "b"], [], [], ["x"], ["b"]]
    clean = pa.array([["a", "b"], ["a"]], pa.list_(pa.string()))
    assert _clean_lists(clean) is clean


def test_a_trial_stated_once_is_published_with_its_lists_cleaned_and_its_document() -> None:
    staging = stage({"a.xml": OTHER, "b.xml": LEGACY})
    trials = arrow_to_frame(staging["trials"])
    first = trials.index[trials["trial_id"] == "NCT00490022"][0]
    trials.at[first, "conditions"] = ["", *trials.at[first, "conditions"], trials.at[first, "conditions"][0]]
    staging["trials"] = pa.Table.from_pandas(trials, schema=STAGING_SCHEMAS["trials"], preserve_index=False)
    published = built(staging).tables["trials"].set_index("trial_id")
    assert list(published.index) == ["NCT00490022", "NCT02513394"]
    trial = published.loc["NCT00490022"]
    assert trial["conditions"] == ["Healthy"]
    assert trial["document_ids"] == [document_id_for(OTHER)[0]]
    assert (trial["enrollment_count"], trial["phases"]) == (31, ["PHASE1", "PHASE2"])


def test_rows_that_linking_gives_the_same_key_are_quarantined_as_duplicates() -> None:
    # A document states its trial twice, once under an acronym key that names the NCT ID; linking makes both one
    # trial, and the arm stated under each becomes two rows with one key. Batches are judged before linking, so
    # the duplicate is found after it.
    staging = stage({"a.xml": OTHER})
    trials = arrow_to_frame(staging["trials"])
    alias = trials.iloc[0].copy()
    alias["trial_id"], alias["nct_id"], alias["other_ids"] = "ACRONYM:ALIAS", None, ["NCT00490022"]
    trials = pd.concat([trials, alias.to_frame().T], ignore_index=True)
    staging["trials"] = pa.Table.from_pandas(trials, schema=STAGING_SCHEMAS["trials"], preserve_index=False)
    arms = arrow_to_frame(staging["arms"])
    twin = arms.iloc[0].copy()
    twin["trial_id"] = "ACRONYM:ALIAS"
    arms = pd.concat([arms, twin.to_frame().T], ignore_index=True)
    staging["arms"] = pa.Table.from_pandas(arms, schema=STAGING_SCHEMAS["arms"], preserve_index=False)
    build = built(staging, workers=2)
    assert list(build.tables["trials"]["trial_id"]) == ["NCT00490022"]
    assert len(build.tables["arms"]) == len(arms) - 1
    assert build.quarantined["arms"] == 1
    reason = build.tables["quarantine"]["reason"].iloc[0]
    assert reason == f"duplicate key ('NCT00490022', '{document_id_for(OTHER)[0]}', 1)"
