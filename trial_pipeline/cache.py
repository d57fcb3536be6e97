"""Parse cache: a document is parsed again only when its content or the parser version changed (issue 7).

One SQLite file, ``<warehouse>/.cache/parses.sqlite``, maps ``(content sha256, PARSER_VERSION)`` to the
document's pickled staged rows (:class:`~trial_pipeline.normalize.StagedDocument`). They depend only on the bytes
(readers never look at the file name), so the hash is the whole key. Writes are SQLite transactions
(committed once per run), so a crash leaves the previous cache intact. The cache is an optimisation only:
an unreadable entry is dropped and the document reparsed, and an unreadable file is replaced by an empty
one; neither ever fails a run.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import pickle
import shutil
import sqlite3
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from trial_pipeline.models import RECORD_TABLES
from trial_pipeline.normalize import StagedDocument
from trial_pipeline.parsers.registry import PARSER_VERSION

if TYPE_CHECKING:
    from trial_pipeline.ingest import ManifestEntry, Signature
    from trial_pipeline.warehouse import Verdict

CACHE_DIR = ".cache"
CACHE_NAME = "parses.sqlite"
STAGING_DIR = "staging"
_CURRENT = "current.json"
_OUTCOMES = "parse_outcomes"

_log = logging.getLogger(__name__)
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS parses ("
    "sha256 TEXT NOT NULL, parser_version TEXT NOT NULL, outcome BLOB NOT NULL, "
    "PRIMARY KEY (sha256, parser_version)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS files ("
    "path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, inode INTEGER, sha256 TEXT)",
    "CREATE TABLE IF NOT EXISTS verdicts (key TEXT PRIMARY KEY, verdict TEXT NOT NULL) WITHOUT ROWID",
)


def cache_path(warehouse: Path) -> Path:
    """Where the parse cache of ``warehouse`` lives."""
    return warehouse / CACHE_DIR / CACHE_NAME


class ParseCache:
    """Cached parse outcomes by content hash, for one parser version. Every method is failure-tolerant."""

    def __init__(self, path: Path, parser_version: str = PARSER_VERSION) -> None:
        self.path = path
        self.parser_version = parser_version
        self._con: sqlite3.Connection | None = None
        self._pending = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = self._open()
        except sqlite3.Error as exc:
            _log.warning("parse cache %s unreadable (%s); starting a new one", path, exc)
            self._reset()

    @classmethod
    def for_warehouse(cls, warehouse: Path) -> ParseCache:
        """The cache stored inside ``warehouse``."""
        return cls(cache_path(warehouse))

    def _open(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, isolation_level="DEFERRED")
        try:
            con.execute("PRAGMA synchronous=NORMAL")
            for statement in _SCHEMA:
                con.execute(statement)
            con.execute("SELECT count(*) FROM parses WHERE 0").fetchall()
            con.execute("SELECT count(*) FROM files WHERE 0").fetchall()
            con.execute("SELECT count(*) FROM verdicts WHERE 0").fetchall()
            con.commit()
        except sqlite3.Error:
            con.close()
            raise
        return con

    def _reset(self) -> None:
        """Throw the file away and start empty; without a usable file the cache is simply off."""
        self.close()
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{self.path}{suffix}").unlink()
        try:
            self._con = self._open()
        except sqlite3.Error as exc:
            _log.warning("parse cache %s disabled: %s", self.path, exc)
            self._con = None

    def cached_digests(self) -> set[str]:
        """The content hashes that have an entry for this parser version (entries are not read)."""
        if self._con is None:
            return set()
        try:
            rows = self._con.execute("SELECT sha256 FROM parses WHERE parser_version = ?", (self.parser_version,))
            return {digest for (digest,) in rows}
        except sqlite3.Error as exc:
            _log.warning("parse cache %s unreadable (%s); reparsing everything", self.path, exc)
            self._reset()
            return set()

    def get_many(self, digests: Iterable[str]) -> dict[str, StagedDocument]:
        """The cached outcome of every digest that has a readable entry for this parser version."""
        wanted = set(digests)
        found: dict[str, StagedDocument] = {}
        if self._con is None or not wanted:
            return found
        broken: list[str] = []
        try:
            for digest in sorted(wanted):
                row = self._con.execute(
                    "SELECT outcome FROM parses WHERE sha256 = ? AND parser_version = ?", (digest, self.parser_version)
                ).fetchone()
                if row is None:
                    continue
                blob = row[0]
                try:
                    outcome = pickle.loads(blob)  # noqa: S301 - written by put() of this same pipeline.
                except Exception:  # noqa: BLE001 - a damaged entry is a cache miss, nothing more.
                    broken.append(digest)
                    continue
                if isinstance(outcome, StagedDocument):
                    found[digest] = outcome
                else:
                    broken.append(digest)
        except sqlite3.Error as exc:
            _log.warning("parse cache %s unreadable (%s); reparsing everything", self.path, exc)
            self._reset()
            return {}
        if broken:
            _log.warning("ignoring %d damaged parse cache entries", len(broken))
            self._execute_many("DELETE FROM parses WHERE sha256 = ? AND parser_version = ?", broken)
        return found

    def file_digests(self) -> dict[str, tuple[Signature, str]]:
        """The signature and hash of every file the last scan recorded, by relative path."""
        if self._con is None:
            return {}
        try:
            rows = self._con.execute("SELECT path, size, mtime_ns, ctime_ns, inode, sha256 FROM files").fetchall()
        except sqlite3.Error as exc:
            _log.warning("parse cache %s unreadable (%s); hashing every file", self.path, exc)
            self._reset()
            return {}
        return {path: ((size, mtime, ctime, inode), digest) for path, size, mtime, ctime, inode, digest in rows}

    def record_files(
        self, entries: Iterable[ManifestEntry], known: Mapping[str, tuple[Signature, str]] | None = None
    ) -> None:
        """Replace the recorded signatures by those of ``entries`` (settled files only), and commit.

        With ``known`` (what :meth:`file_digests` returned before the scan) only the differences are written: a
        daily run over a large raw folder rewrites a handful of rows, not every file's.
        """
        if self._con is None:
            return
        rows = {e.source_path: (e.signature, e.content_sha256) for e in entries if e.signature is not None}
        try:
            if known is None:
                self._con.execute("DELETE FROM files")
                gone: list[str] = []
            else:
                gone = [path for path in known if path not in rows]
            self._con.executemany("DELETE FROM files WHERE path = ?", ((path,) for path in gone))
            self._con.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (path, *signature, digest)
                    for path, (signature, digest) in rows.items()
                    if known is None or known.get(path) != (signature, digest)
                ),
            )
            self._con.commit()
        except sqlite3.Error as exc:
            _log.warning("parse cache %s: file signatures not saved (%s)", self.path, exc)
            self._reset()

    def verdicts(self) -> dict[str, Verdict]:
        """The validation verdicts the last build recorded (see :func:`trial_pipeline.warehouse.build_warehouse`)."""
        if self._con is None:
            return {}
        found: dict[str, Verdict] = {}
        try:
            for key, text in self._con.execute("SELECT key, verdict FROM verdicts"):
                try:
                    found[key] = {int(position): list(checks) for position, checks in json.loads(text).items()}
                except (ValueError, TypeError, AttributeError):
                    continue  # a damaged verdict: that batch is validated again
        except sqlite3.Error as exc:
            _log.warning("parse cache %s unreadable (%s); validating every row", self.path, exc)
            self._reset()
            return {}
        return found

    def record_verdicts(self, verdicts: dict[str, Verdict]) -> None:
        """Replace the recorded verdicts by ``verdicts``, and commit."""
        if self._con is None:
            return
        try:
            self._con.execute("DELETE FROM verdicts")
            self._con.executemany(
                "INSERT OR REPLACE INTO verdicts VALUES (?, ?)",
                ((key, json.dumps(verdict)) for key, verdict in verdicts.items()),
            )
            self._con.commit()
        except sqlite3.Error as exc:
            _log.warning("parse cache %s: validation verdicts not saved (%s)", self.path, exc)
            self._reset()

    def put(self, digest: str, outcome: StagedDocument) -> None:
        """Remember one outcome (visible to the next run once :meth:`commit` is called)."""
        if self._con is None:
            return
        blob = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._con.execute(
                "INSERT OR REPLACE INTO parses (sha256, parser_version, outcome) VALUES (?, ?, ?)",
                (digest, self.parser_version, blob),
            )
        except sqlite3.Error as exc:
            _log.warning("parse cache %s not written (%s)", self.path, exc)
            self._reset()

    def prune(self, keep: Iterable[str]) -> None:
        """Drop every entry not for this parser version or whose content is no longer in raw."""
        if self._con is None:
            return
        try:
            self._con.execute("CREATE TEMP TABLE IF NOT EXISTS keep (sha256 TEXT PRIMARY KEY) WITHOUT ROWID")
            self._con.execute("DELETE FROM keep")
            self._con.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((d,) for d in keep))
            self._con.execute(
                "DELETE FROM parses WHERE parser_version != ? OR sha256 NOT IN (SELECT sha256 FROM keep)",
                (self.parser_version,),
            )
            self._con.execute("DELETE FROM keep")
        except sqlite3.Error as exc:
            _log.warning("parse cache %s not pruned (%s)", self.path, exc)
            self._reset()

    def commit(self) -> None:
        """Make what was put and pruned durable, in one transaction."""
        if self._con is None:
            return
        try:
            self._con.commit()
        except sqlite3.Error as exc:
            _log.warning("parse cache %s not saved (%s)", self.path, exc)
            self._reset()

    def _execute_many(self, sql: str, digests: list[str]) -> None:
        if self._con is None:
            return
        try:
            self._con.executemany(sql, ((d, self.parser_version) for d in digests))
        except sqlite3.Error:
            self._reset()

    def close(self) -> None:
        """Close the file, discarding anything not committed."""
        if self._con is not None:
            with contextlib.suppress(sqlite3.Error):
                self._con.close()
            self._con = None

    def __enter__(self) -> ParseCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class StagingStore:
    """The record staging tables of the last run, so that an unchanged document's rows are reused as they are.

    Arrow IPC files in ``<warehouse>/.cache/staging/<id>/``, read memory-mapped; ``current.json`` names the
    complete set and the parser version that wrote it, and is replaced atomically once a set is written.
    Like the parse cache it is an optimisation only: a missing, damaged or outdated set is ignored.
    """

    def __init__(self, root: Path, parser_version: str = PARSER_VERSION) -> None:
        self.root = root
        self.parser_version = parser_version

    @classmethod
    def for_warehouse(cls, warehouse: Path) -> StagingStore:
        """The store kept inside ``warehouse``."""
        return cls(warehouse / CACHE_DIR / STAGING_DIR)

    def load(self) -> tuple[dict[str, pa.Table], pa.Table] | None:
        """``(record staging tables, outcomes)`` of the last run of this parser version, or None."""
        try:
            current = json.loads((self.root / _CURRENT).read_text(encoding="utf-8"))
            if current.get("parser_version") != self.parser_version:
                return None
            folder = self.root / str(current["set"])
            tables = {name: self._read(folder / f"{name}.arrow") for name in (*RECORD_TABLES, _OUTCOMES)}
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as exc:
            _log.warning("staging store %s unreadable (%s); documents come from the parse cache", self.root, exc)
            return None
        outcomes = tables.pop(_OUTCOMES)
        return tables, outcomes

    @staticmethod
    def _read(path: Path) -> pa.Table:
        with pa.memory_map(str(path)) as source:
            return pa.ipc.open_file(source).read_all()

    def save(self, tables: dict[str, pa.Table], outcomes: pa.Table) -> None:
        """Keep ``tables`` (every record table) and ``outcomes`` as the current set; older sets are removed."""
        name = uuid.uuid4().hex
        folder = self.root / name
        try:
            folder.mkdir(parents=True)
            for table, data in (*((t, tables[t]) for t in RECORD_TABLES), (_OUTCOMES, outcomes)):
                with pa.OSFile(str(folder / f"{table}.arrow"), "wb") as sink, pa.ipc.new_file(sink, data.schema) as out:
                    out.write_table(data)
            tmp = self.root / f".{name}.tmp"
            tmp.write_text(json.dumps({"set": name, "parser_version": self.parser_version}), encoding="utf-8")
            os.replace(tmp, self.root / _CURRENT)
        except OSError as exc:
            _log.warning("staging store %s not written (%s)", self.root, exc)
            shutil.rmtree(folder, ignore_errors=True)
            return
        for other in self.root.iterdir():
            if other.is_dir() and other.name != name:
                shutil.rmtree(other, ignore_errors=True)
