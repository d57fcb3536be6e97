"""Staging tables -> validated warehouse tables plus quarantine. Pure: Arrow tables in, Arrow tables out.

- Trials described by several documents become one row: linked by :func:`trial_pipeline.linking.link_trials`,
  scalar fields taken from the most authoritative document that states them (registry records, then
  registry pages, then prose), list fields united, ``document_ids`` listing every source.
- Every table is validated with its pandera schema (``lazy=True``, every failure at once). A failing row
  moves to ``quarantine`` with the failed checks; rows that depend on a quarantined trial or criterion
  follow it there, so what is published is always consistent.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import math
import sys
from collections import defaultdict, deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.errors
import pyarrow as pa
import pyarrow.compute as pc

from trial_pipeline import enums, models, schemas
from trial_pipeline.linking import link_trials
from trial_pipeline.models import RECORD_TABLES, SourceFormat, TrialRecord
from trial_pipeline.schemas import SCHEMAS, arrow_schema, arrow_to_frame, coerce_frame, empty_frame

# Lower is more authoritative when documents disagree about a trial's field.
_FORMAT_RANK = {
    SourceFormat.CTGOV_JSON: 0,
    SourceFormat.CTGOV_XML: 0,
    SourceFormat.REGISTRY_PAGE: 1,
}
_PROSE_RANK = 2
# Identifiers are facts about the trial whoever states them; every other list comes from the best source.
_UNITED_ACROSS_SOURCES = frozenset({"other_ids"})
#: The key of each table, for the uniqueness check and for cascading quarantine.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "documents": ("source_path",),
    "trials": ("trial_id",),
    "arms": ("trial_id", "document_id", "arm_seq"),
    "interventions": ("trial_id", "document_id", "intervention_seq"),
    "outcomes": ("trial_id", "document_id", "outcome_seq"),
    "criteria": ("trial_id", "document_id", "criterion_seq"),
    "criterion_constraints": ("trial_id", "document_id", "criterion_seq", "variable", "char_start"),
    "results": ("trial_id", "document_id", "result_seq"),
}


#: Which checks each failing row of a batch failed, by the row's position (empty when every row passed).
Verdict = dict[int, list[str]]


class QuarantineLimitExceeded(RuntimeError):
    """Too large a share of a table failed validation to publish it."""


@dataclass
class WarehouseBuild:
    """The validated tables (every contract table, possibly empty) and what was quarantined per table."""

    tables: dict[str, pa.Table]
    quarantined: dict[str, int] = field(default_factory=dict)
    failed_checks: dict[str, list[str]] = field(default_factory=dict)
    #: The verdict on every batch of rows validated, by content (for the next build's ``verdicts``).
    verdicts: dict[str, Verdict] = field(default_factory=dict)


def _rank(source_format: str) -> int:
    return _FORMAT_RANK.get(SourceFormat(source_format), _PROSE_RANK)


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return value is pd.NA or value is pd.NaT


#: The fields :func:`~trial_pipeline.linking.link_trials` reads; the records built for linking leave the others at
#: their defaults (7 of 33 fields converted per staged trial).
_LINK_FIELDS = ("document_id", "trial_id", "nct_id", "other_ids", "acronym", "lead_sponsor", "conditions")


def _trial_records(staged: pa.Table) -> list[TrialRecord]:
    """The staged trials as records carrying what linking reads."""
    names = [c for c in _LINK_FIELDS if c in staged.column_names]
    records = []
    for row in zip(*(staged[name].to_pylist() for name in names), strict=True):
        values: dict[str, Any] = {n: tuple(v) if isinstance(v, list) else v for n, v in zip(names, row, strict=True)}
        records.append(TrialRecord(**values))
    return records


def _clean_lists(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Each list of ``column`` without blank or repeated items (first occurrences kept, in order); null lists empty.

    Vectorized: the items are flattened, the first occurrence of each (list, item) pair is found by grouping, and
    the lists are rebuilt from what is kept. Most lists need nothing, and are returned as they are.
    """
    lists = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if lists.null_count:
        lists = pc.if_else(pc.is_null(lists), pa.scalar([], lists.type), lists)
    items = pc.list_flatten(lists)
    if not len(items):
        return lists
    parents = pc.list_parent_indices(lists)
    keep = np.flatnonzero(pc.fill_null(pc.not_equal(items, ""), False).to_numpy(zero_copy_only=False))
    pairs = pa.table({"list": parents.take(keep), "item": items.take(keep), "position": pa.array(keep, pa.int64())})
    first = pairs.group_by(["list", "item"], use_threads=False).aggregate([("position", "min")])["position_min"]
    if len(first) == len(items):
        return lists
    kept = np.sort(first.to_numpy())
    counts = np.bincount(parents.take(pa.array(kept)).to_numpy(), minlength=len(lists))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), items.take(pa.array(kept)))


def merge_trials(
    staged: pa.Table, documents: pa.Table, interventions: pa.Table | None = None
) -> tuple[pd.DataFrame, dict[str, str]]:
    """One row per linked trial, and the map from each staged ``trial_id`` to its canonical one.

    ``staged`` holds the staged trials, ``documents`` the staged documents; ``interventions`` (staged) lets
    trials without any identifier link on drug + condition + sponsor. A trial stated by one document (most) is
    that document's row, taken whole in Arrow; only trials stated by several are merged field by field.
    """
    if not staged.num_rows:
        return empty_frame("trials"), {}
    names_by_trial: dict[str, set[str]] = defaultdict(set)
    if interventions is not None and interventions.num_rows:
        pairs = zip(interventions["trial_id"].to_pylist(), interventions["intervention_name"].to_pylist(), strict=True)
        for trial_id, name in pairs:
            if trial_id is not None:
                names_by_trial[trial_id].add(name)
    drugs = {trial_id: sorted(names) for trial_id, names in names_by_trial.items()}
    mapping = link_trials(_trial_records(staged), drugs)
    document_ids = documents["document_id"].to_pylist()
    formats = dict(zip(document_ids, documents["source_format"].to_pylist(), strict=True))
    paths = dict(zip(document_ids, documents["source_path"].to_pylist(), strict=True))
    # Each staged trial under its canonical ID, ordered by trial, then the most authoritative source, then path.
    order = sorted(
        (
            (mapping.get(trial_id, trial_id), _rank(formats.get(document_id, SourceFormat.UNKNOWN)),
             paths.get(document_id, ""), position)
            for position, (trial_id, document_id) in enumerate(
                zip(staged["trial_id"].to_pylist(), staged["document_id"].to_pylist(), strict=True)
            )
            if trial_id is not None
        ),
        key=lambda key: key[:3],
    )  # fmt: skip
    single_ids: list[str] = []
    singles: list[int] = []
    groups: list[tuple[str, list[tuple[int, int]]]] = []
    for trial_id, run in itertools.groupby(order, key=lambda key: key[0]):
        members = [(rank, position) for _, rank, _, position in run]
        if len(members) == 1:
            single_ids.append(trial_id)
            singles.append(members[0][1])
        else:
            groups.append((trial_id, members))
    parts = [_single_trials(staged.take(pa.array(singles, pa.int64())), single_ids)]
    if groups:
        parts.append(_merged_trials(staged, groups))
    merged = pa.concat_tables(parts)
    merged = merged.take(pc.sort_indices(merged, sort_keys=[("trial_id", "ascending")]))
    return arrow_to_frame(merged), mapping


def _single_trials(rows: pa.Table, trial_ids: list[str]) -> pa.Table:
    """Trials each stated by one document: the staged rows (in ``trials`` columns), lists without blanks or repeats."""
    columns = []
    for target in arrow_schema("trials"):
        if target.name == "trial_id":
            column: pa.Array | pa.ChunkedArray = pa.array(trial_ids, pa.string())
        elif target.name == "document_ids":
            column = pa.ListArray.from_arrays(
                pa.array(np.arange(rows.num_rows + 1, dtype=np.int32)), rows["document_id"].combine_chunks()
            )
        elif pa.types.is_list(target.type):
            column = _clean_lists(rows[target.name])
        else:
            column = rows[target.name]
        columns.append(column)
    return pa.table(columns, schema=arrow_schema("trials"))


def _merged_trials(staged: pa.Table, groups: list[tuple[str, list[tuple[int, int]]]]) -> pa.Table:
    """Trials stated by several documents, each ``(trial ID, [(source rank, staged row)])`` in rank order: a scalar
    from the first source that states it, a list from the most authoritative kind of source that states one."""
    rows_needed = [position for _, members in groups for _, position in members]
    taken = staged.take(pa.array(rows_needed, pa.int64()))
    values = {name: dict(zip(rows_needed, taken[name].to_pylist(), strict=True)) for name in taken.column_names}
    rows = []
    for trial_id, members in groups:
        row: dict[str, Any] = {"trial_id": trial_id}
        for target in arrow_schema("trials"):
            name = target.name
            if name in ("trial_id", "document_ids"):
                continue
            stated = [(rank, values[name][position]) for rank, position in members]
            if not pa.types.is_list(target.type):
                row[name] = next((v for _, v in stated if not _is_missing(v)), None)
                continue
            lists = [(rank, v) for rank, v in stated if v]
            if name not in _UNITED_ACROSS_SOURCES and lists:
                # A list comes from the most authoritative kind of source that states it (documents of that
                # kind are united): prose never adds phases or countries to a registry record.
                lists = [(rank, v) for rank, v in lists if rank == lists[0][0]]
            row[name] = list(dict.fromkeys(x for _, v in lists for x in v if x))
        row["document_ids"] = list(dict.fromkeys(values["document_id"][position] for _, position in members))
        rows.append(row)
    return pa.Table.from_pylist(rows, schema=arrow_schema("trials"))


def _json_value(value: Any) -> Any:
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    if _is_missing(value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def _record_json(row: Mapping[Any, Any]) -> str:
    return json.dumps({k: _json_value(v) for k, v in row.items()}, ensure_ascii=False, sort_keys=True)


def _failure_reasons(errors: pandera.errors.SchemaErrors) -> tuple[dict[int, list[str]], list[str]]:
    """Failed checks per row index, and the checks that failed for the table as a whole (no row index)."""
    per_row: dict[int, list[str]] = defaultdict(list)
    whole: list[str] = []
    for case in errors.failure_cases.itertuples(index=False):
        # A dataframe-level check is reported once per column; it is about the row, so say it once.
        column = case.column if case.schema_context == "Column" and isinstance(case.column, str) else None
        where = f"column {column!r}" if column else "row"
        text = f"{where} failed {case.check}" + (f": {str(case.failure_case)[:200]!r}" if column else "")
        if _is_missing(case.index):
            whole.append(text)
        elif text not in per_row[int(case.index)]:
            per_row[int(case.index)].append(text)
    return per_row, whole


def validate(table: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """``(valid rows, quarantine rows, failed checks)`` for one table."""
    frame = coerce_frame(table, frame)
    reasons = row_failures(table, frame)
    bad = frame.index.isin(list(reasons))
    quarantine = _quarantine_rows(table, frame[bad], ["; ".join(reasons[int(i)]) for i in frame.index[bad]])
    return frame[~bad].reset_index(drop=True), quarantine, _check_names(reasons)


def _check_names(reasons: Mapping[int, list[str]]) -> list[str]:
    return sorted({r.split(":")[0] for texts in reasons.values() for r in texts})


def row_failures(table: str, frame: pd.DataFrame) -> dict[int, list[str]]:
    """The failed checks of each failing row of ``frame`` (coerced), by position: duplicate keys, then the schema's.

    A failure of the table as a whole (a missing column, a wrong dtype) is a bug in the pipeline, not bad
    data, and raises ``ValueError``.
    """
    return _joined(_duplicate_keys(table, frame), _schema_failures(table, frame))


def _joined(first: Verdict, second: Verdict) -> Verdict:
    reasons: dict[int, list[str]] = defaultdict(list)
    for verdict in (first, second):
        for index, texts in verdict.items():
            reasons[index].extend(texts)
    return dict(sorted(reasons.items()))


def _duplicate_keys(table: str, frame: pd.DataFrame) -> Verdict:
    """Rows whose key an earlier row of ``frame`` (coerced) already has."""
    key = list(TABLE_KEYS.get(table, ()))
    if not key or not len(frame):
        return {}
    duplicated = frame.duplicated(subset=key, keep="first")
    return {
        int(index): [f"duplicate key {tuple(_json_value(frame.at[index, k]) for k in key)}"]
        for index in frame.index[duplicated]
    }


def _schema_failures(table: str, frame: pd.DataFrame) -> Verdict:
    """The schema's failed checks of each failing row of ``frame`` (coerced), by position."""
    try:
        SCHEMAS[table].validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as errors:
        per_row, whole = _failure_reasons(errors)
        if whole:
            raise ValueError(f"{table} does not match its schema as a whole: {'; '.join(whole)}") from None
        return dict(sorted(per_row.items()))
    return {}


def _quarantine_rows(table: str, rows: pd.DataFrame, reasons: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "table_name": table,
            "document_id": _row_documents(rows),
            "reason": reasons,
            "record": [_record_json(r) for r in rows.to_dict("records")],
        }
    )


def _row_documents(rows: pd.DataFrame) -> list[str | None]:
    """The document each row came from (for a merged trial, its most authoritative document)."""
    if "document_id" in rows:
        return [_json_value(d) for d in rows["document_id"]]
    if "document_ids" in rows:
        return [ids[0] if isinstance(ids, list) and ids else None for ids in rows["document_ids"]]
    return [None] * len(rows)


def _criterion_keys(rows: pa.Table) -> set[tuple[str, str, int]]:
    return set(zip(*(rows[c].to_pylist() for c in ("trial_id", "document_id", "criterion_seq")), strict=True))


def _validated(table: str, frame: pd.DataFrame) -> tuple[pa.Table, pd.DataFrame, list[str]]:
    valid, quarantine, checks = validate(table, frame)
    return pa.Table.from_pandas(valid, schema=arrow_schema(table), preserve_index=False), quarantine, checks


class _HashingSink:
    """A write-only file that only hashes what is written to it."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.closed = False

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return len(data)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        self.closed = True


def fingerprint(table: pa.Table) -> str:
    """SHA-256 of a table's contents (Arrow IPC stream of its rows), hashed as it is written, never held."""
    sink = _HashingSink()
    with pa.ipc.new_stream(pa.PythonFile(sink, mode="w"), table.schema) as writer:
        writer.write_table(table)
    return sink.digest.hexdigest()


@functools.cache
def rules_version() -> str:
    """A hash of the code that decides whether a row is valid: a remembered verdict is only as good as it."""
    digest = hashlib.sha256()
    for module in (schemas, enums, models, sys.modules[__name__]):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


def _contract_rows(table: str, staged: pa.Table) -> pa.Table:
    """Staged rows in ``table``'s contract columns and types (a list never null: empty when nothing is known)."""
    columns = []
    for target in arrow_schema(table):
        if target.name in staged.column_names:
            column = staged[target.name].cast(target.type)
        else:
            column = pa.nulls(staged.num_rows, target.type)
        if pa.types.is_list(target.type) and column.null_count:
            column = pc.if_else(pc.is_null(column), pa.scalar([], target.type), column)
        columns.append(column)
    return pa.table(columns, schema=arrow_schema(table))


def _row_verdict(table: str, rows: pa.Table) -> Verdict:
    """The schema's verdict on one batch of contract rows (run in a worker process when there are several).

    It does not depend on the trial IDs linking gives the rows (their checks only require one), so batches are
    judged before linking is done; duplicate keys, which linking can create, are looked for afterwards.
    """
    return _schema_failures(table, coerce_frame(table, arrow_to_frame(rows)))


def _renamed_duplicates(table: str, rows: pa.Table) -> Verdict:
    """Rows of one batch, with their linked trial IDs, whose key an earlier row of the batch already has."""
    key = list(TABLE_KEYS[table])
    if rows.group_by(key, use_threads=False).aggregate([]).num_rows == rows.num_rows:
        return {}
    return _duplicate_keys(table, coerce_frame(table, arrow_to_frame(rows)))


def _apply_verdict(table: str, rows: pa.Table, verdict: Verdict) -> tuple[pa.Table, pd.DataFrame, list[str]]:
    """``(valid rows, quarantine rows, failed checks)`` of one batch of contract rows, given its verdict."""
    if not verdict:
        return rows, _quarantine_rows(table, pd.DataFrame(), []), []
    bad = sorted(verdict)
    keep = np.ones(rows.num_rows, dtype=bool)
    keep[bad] = False
    failing = coerce_frame(table, arrow_to_frame(rows.take(bad)))
    quarantine = _quarantine_rows(table, failing, ["; ".join(verdict[i]) for i in bad])
    return rows.filter(pa.array(keep)), quarantine, _check_names(verdict)


#: Row batches a :class:`_Judge` keeps in flight per worker process: each is a few MB of Arrow rows in this process.
_AHEAD_PER_WORKER = 8


class _Judge:
    """Verdicts on a stream of row batches, in order, each looked up or worked out a few batches in advance.

    A batch's verdict is looked up in ``known`` by the batch's content and :func:`rules_version`, so an
    unchanged batch is not validated again. Unknown ones are validated by ``workers`` processes
    (:data:`_AHEAD_PER_WORKER` batches in flight per worker, enough to keep them busy while the caller links and
    merges the trials) while the caller does other work; with one worker, by the caller when it asks.
    Used as a context manager, which stops the processes however the caller leaves.
    """

    def __init__(self, batches: Iterator[tuple[str, pa.Table]], known: Mapping[str, Verdict], workers: int) -> None:
        self._batches, self._known, self._workers = batches, known, workers
        self._pool: ProcessPoolExecutor | None = None
        self._ahead: deque[tuple[str, pa.Table, str, Verdict | Future[Verdict] | None]] = deque()

    def __enter__(self) -> _Judge:
        self._fill()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def _fill(self) -> None:
        while len(self._ahead) < _AHEAD_PER_WORKER * self._workers:
            item = next(self._batches, None)
            if item is None:
                return
            table, rows = item
            key = f"{rules_version()}:{table}:{fingerprint(rows)}"
            verdict: Verdict | Future[Verdict] | None = self._known.get(key)
            if verdict is None and self._workers > 1:
                self._pool = self._pool or ProcessPoolExecutor(max_workers=self._workers)
                verdict = self._pool.submit(_row_verdict, table, rows)
            self._ahead.append((table, rows, key, verdict))

    def __iter__(self) -> Iterator[tuple[str, pa.Table, str, Verdict]]:
        while self._ahead:
            table, rows, key, pending = self._ahead.popleft()
            self._fill()
            if isinstance(pending, Future):
                verdict = pending.result()
            else:
                verdict = pending if pending is not None else _row_verdict(table, rows)
            yield table, rows, key, verdict


def _depends_on_dropped(
    table: str, rows: pa.Table, dropped_trials: set[str], dropped_criteria: set[tuple[str, str, int]]
) -> pa.ChunkedArray | pa.Array:
    """Which rows belong to a quarantined trial or (for constraints) a quarantined criterion."""
    mask = pc.is_in(rows["trial_id"], value_set=pa.array(sorted(dropped_trials), pa.string()))
    if table == "criterion_constraints" and dropped_criteria and rows.num_rows:
        keys = zip(*(rows[c].to_pylist() for c in ("trial_id", "document_id", "criterion_seq")), strict=True)
        mask = pc.or_(mask, pa.array([k in dropped_criteria for k in keys]))
    return pc.fill_null(mask, False)


def _renamer(mapping: Mapping[str, str]) -> Callable[[pa.ChunkedArray], pa.ChunkedArray | pa.Array]:
    """A function putting each trial ID of a column through ``mapping`` (IDs it does not name stay)."""
    changed = {old: new for old, new in mapping.items() if old != new}
    old_ids, new_ids = pa.array(list(changed), pa.string()), pa.array(list(changed.values()), pa.string())

    def rename(column: pa.ChunkedArray) -> pa.ChunkedArray | pa.Array:
        if not changed:
            return column
        position = pc.index_in(column, value_set=old_ids)
        return pc.if_else(pc.is_null(position), column, pc.take(new_ids, position))

    return rename


def build_warehouse(
    staging: Mapping[str, pa.Table],
    *,
    max_quarantine_share: float = 1.0,
    verdicts: Mapping[str, Verdict] | None = None,
    workers: int = 1,
) -> WarehouseBuild:
    """Validated warehouse tables from staging tables; raises :class:`QuarantineLimitExceeded` past the limit.

    Row tables are validated one staged batch at a time (a batch never splits a document, and every key
    holds the document), so memory holds a few batches as Python objects (one per worker), the rest as Arrow
    columns.
    With ``verdicts`` (an earlier build's :attr:`WarehouseBuild.verdicts`), a batch of rows that build already
    validated is not validated again. With ``workers`` above 1, unknown batches are validated by that many
    processes.
    """

    def row_batches() -> Iterator[tuple[str, pa.Table]]:
        for table in RECORD_TABLES[1:]:
            staged = staging.get(table)
            for batch in staged.to_batches() if staged is not None else ():
                yield table, _contract_rows(table, pa.Table.from_batches([batch]))

    tables: dict[str, pa.Table] = {}
    quarantines: list[pd.DataFrame] = []
    build = WarehouseBuild(tables=tables)
    dropped_criteria: set[tuple[str, str, int]] = set()
    parts: dict[str, list[pa.Table]] = {table: [] for table in RECORD_TABLES[1:]}
    checks: dict[str, set[str]] = {table: set() for table in RECORD_TABLES[1:]}
    # Workers start on the row batches while this process links and merges the trials and validates them and
    # the documents.
    with _Judge(row_batches(), verdicts or {}, workers) as judged:
        documents = arrow_to_frame(staging["documents"])
        trials, mapping = (
            merge_trials(staging["trials"], staging["documents"], staging.get("interventions"))
            if "trials" in staging
            else (empty_frame("trials"), {})
        )
        renamed = _renamer(mapping)
        totals: dict[str, int] = {"documents": len(documents), "trials": len(trials)}
        for table, frame in (("documents", documents), ("trials", trials)):
            tables[table], quarantine, build.failed_checks[table] = _validated(table, frame)
            quarantines.append(quarantine)
            build.quarantined[table] = len(quarantine)
        for table in RECORD_TABLES[1:]:
            build.quarantined[table] = totals[table] = 0
        for table, rows, key, schema_verdict in judged:
            build.verdicts[key] = schema_verdict
            rows = rows.set_column(rows.schema.get_field_index("trial_id"), "trial_id", renamed(rows["trial_id"]))
            verdict = _joined(_renamed_duplicates(table, rows), schema_verdict)
            valid, quarantine, failed = _apply_verdict(table, rows, verdict)
            parts[table].append(valid)
            quarantines.append(quarantine)
            checks[table].update(failed)
            totals[table] += rows.num_rows
            build.quarantined[table] += len(quarantine)
            if table == "criteria" and len(quarantine):
                dropped_criteria |= _criterion_keys(rows) - _criterion_keys(valid)
    for table in RECORD_TABLES[1:]:
        tables[table] = pa.concat_tables(parts[table]) if parts[table] else arrow_schema(table).empty_table()
        build.failed_checks[table] = sorted(checks[table])

    dropped_trials = set(trials["trial_id"]) - set(tables["trials"]["trial_id"].to_pylist()) if len(trials) else set()
    if dropped_trials or dropped_criteria:
        for table in RECORD_TABLES[1:]:
            mask = _depends_on_dropped(table, tables[table], dropped_trials, dropped_criteria)
            if pc.any(mask).as_py():
                dependent = arrow_to_frame(tables[table].filter(mask))
                reasons = [f"depends on quarantined trial {t} or one of its criteria" for t in dependent["trial_id"]]
                quarantines.append(_quarantine_rows(table, dependent, reasons))
                tables[table] = tables[table].filter(pc.invert(mask))
                build.quarantined[table] += len(dependent)

    for table, count in build.quarantined.items():
        total = totals[table]
        if total and count / total > max_quarantine_share:
            raise QuarantineLimitExceeded(
                f"{count} of {total} rows of {table} failed validation ({count / total:.0%}), above the limit of "
                f"{max_quarantine_share:.0%} (TRIAL_PIPELINE_MAX_QUARANTINE_SHARE); nothing was published. "
                f"Failed checks: {', '.join(build.failed_checks.get(table, [])) or 'dependent rows'}"
            )
    non_empty = [q for q in quarantines if len(q)]
    quarantine = (
        coerce_frame("quarantine", pd.concat(non_empty, ignore_index=True)) if non_empty else empty_frame("quarantine")
    )
    tables["quarantine"] = pa.Table.from_pandas(quarantine, schema=arrow_schema("quarantine"), preserve_index=False)
    return build
