"""The IO edge on the raw side: list the raw directory, hash every file, read and parse each document.

Files are read one at a time (bounded memory); parsing fans out over worker processes when there are
enough documents to pay for them. Byte-identical files are parsed once, and content already parsed by an
earlier run with the same parser version is taken from the parse cache (:mod:`trial_pipeline.cache`).
"""

from __future__ import annotations

import gc
import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from trial_pipeline.cache import ParseCache
from trial_pipeline.normalize import StagedDocument, failed, stage
from trial_pipeline.parsers.registry import parse_document

_CHUNK = 1 << 20
_EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
# Below this many documents, starting worker processes costs more than it saves.
_PARALLEL_THRESHOLD = 200
# Documents looked up and parsed together: bounds the rows held in memory at once.
_WINDOW = 2000
#: A parse worker's first-generation collection threshold (Python's default is 700). Almost everything a parse
#: allocates is freed by reference counting as its document is done, so the default ran a collection every few
#: hundred allocations for nothing: about 3% of parse time.
_WORKER_GC_THRESHOLD = 50_000
# A file changed this recently may change again within the clock's resolution without its stat changing
# (git's "racily clean" problem), so its hash is not remembered.
_SETTLED_NS = 2_000_000_000

#: What identifies a file's content without reading it: (size, mtime_ns, ctime_ns, inode).
Signature = tuple[int, int, int, int]


def _signature(info: os.stat_result) -> Signature:
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


def _init_worker() -> None:
    gc.set_threshold(_WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])


Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One file under the raw directory."""

    source_path: str
    size_bytes: int
    content_sha256: str
    # Set when the file had settled when listed: a later scan that finds the same signature reuses the hash.
    signature: Signature | None = None
    #: A symbolic link that resolves outside the raw directory: listed, never read.
    outside_link: bool = False

    @property
    def document_id(self) -> str:
        """The document's stable ID: the first 16 hex digits of its content hash."""
        return self.content_sha256[:16]


def _hash_file(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _walk(root: str, skip: Path | None = None) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """``(relative path, entry)`` of every non-directory under ``root``, each directory's files before its
    subdirectories, both in name order; a symbolic link to a directory is not followed (as ``os.walk`` does),
    nor is the directory ``skip``."""
    skipped = str(skip.resolve()) if skip is not None else None
    todo = [("", root)]
    while todo:
        prefix, folder = todo.pop()
        try:
            with os.scandir(folder) as listing:
                found = sorted(listing, key=lambda e: e.name)
        except OSError:
            continue
        subfolders = []
        for entry in found:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if not is_dir:
                yield prefix + entry.name, entry
            elif not entry.is_symlink() and entry.path != skipped:
                subfolders.append((f"{prefix}{entry.name}/", entry.path))
        todo.extend(reversed(subfolders))


def _outside(path: str, root: str) -> bool:
    """Whether ``path`` (a symbolic link) resolves to somewhere outside ``root`` (itself resolved)."""
    target = os.path.realpath(path)
    return os.path.commonpath([target, root]) != root


def scan_raw(
    raw: Path,
    known: Mapping[str, tuple[Signature, str]] | None = None,
    *,
    settle_ns: int = _SETTLED_NS,
    skip: Path | None = None,
) -> list[ManifestEntry]:
    """Every regular file under ``raw`` (POSIX relative paths, each directory's files before its subdirectories,
    in name order), with its size and hash.

    ``known`` maps a relative path to the signature and hash an earlier scan recorded: a file whose size,
    modification and change times and inode are all unchanged is not read again (as ``git status`` does).
    Only files unchanged for ``settle_ns`` before the scan get a signature to remember.
    A symbolic link is listed but never followed outside ``raw``; such a file is hashed as empty, marked
    ``outside_link`` and refused at parse time. Files under ``skip`` (a warehouse kept inside ``raw``: the
    pipeline's own output is not a document) are left out.
    """
    if not raw.is_dir():
        raise FileNotFoundError(f"raw directory not found: {raw}")
    root = str(raw.resolve())
    known = known or {}
    settled_before = time.time_ns() - settle_ns
    entries: list[ManifestEntry] = []
    for relative, item in _walk(root, skip):
        try:
            if item.is_symlink() and _outside(item.path, root):
                entries.append(ManifestEntry(relative, 0, _EMPTY_SHA256, outside_link=True))
                continue
            info = item.stat()
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        signature = _signature(info)
        previous = known.get(relative)
        if previous is not None and previous[0] == signature:
            size, digest = info.st_size, previous[1]
        else:
            size, digest = _hash_file(Path(item.path))
        settled = max(info.st_mtime_ns, info.st_ctime_ns) < settled_before and size == info.st_size
        entries.append(ManifestEntry(relative, size, digest, signature if settled else None))
    return entries


#: Each file under the raw directory with its signature, by relative path: what a watcher compares.
Listing = dict[str, Signature]


def list_raw(raw: Path, *, skip: Path | None = None) -> Listing:
    """Every file under ``raw`` with its signature (of the link itself for a symbolic link), none of them read;
    empty when ``raw`` is not a directory. Files under ``skip`` (a warehouse kept inside ``raw``) are left out."""
    if not raw.is_dir():
        return {}
    listing: Listing = {}
    for relative, item in _walk(str(raw.resolve()), skip):
        try:
            info = item.stat(follow_symlinks=False)
        except OSError:
            continue
        listing[relative] = _signature(info)
    return listing


def changes(before: Listing, after: Listing) -> tuple[int, int, int]:
    """How many files were added, changed and removed from ``before`` to ``after``."""
    changed = sum(1 for path, signature in after.items() if path in before and before[path] != signature)
    return len(after.keys() - before.keys()), changed, len(before.keys() - after.keys())


_LINK_OUTSIDE = "symbolic link pointing outside the raw directory; not followed"


def _refusal(entry: ManifestEntry, max_bytes: int) -> str | None:
    if entry.outside_link:
        return _LINK_OUTSIDE
    if entry.size_bytes > max_bytes:
        return (
            f"file is {entry.size_bytes} bytes, over the limit of {max_bytes} "
            "(TRIAL_PIPELINE_MAX_DOCUMENT_BYTES); not parsed"
        )
    return None


def _parse_path(args: tuple[str, str, int]) -> tuple[StagedDocument, str | None]:
    """The staged outcome, and the SHA-256 of the bytes actually parsed (None when none were).

    Runs in a worker process: the records become plain rows here, so that what is sent back to the main
    process and stored in the cache is cheap to move.
    """
    raw, source_path, max_bytes = args
    path = os.path.join(raw, source_path)
    # Checked again as the file is opened: it may have been replaced by a link since it was listed.
    if os.path.islink(path) and _outside(path, os.path.realpath(raw)):
        return failed(_LINK_OUTSIDE), None
    with open(path, "rb") as handle:
        # Read at most one byte past the limit: a file that grew since it was listed is still refused.
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        return failed("file grew past the size limit"), None
    return stage(parse_document(source_path, data)), hashlib.sha256(data).hexdigest()


@dataclass(slots=True)
class ParseStats:
    """What :func:`iter_parsed` did: documents parsed now, and outcomes reused from the cache."""

    parsed: int = 0
    cached: int = 0


def _cacheable(outcome: StagedDocument) -> bool:
    # Running out of memory says something about this machine, not about the document.
    return not (outcome.error_message or "").startswith("document too complex: MemoryError")


def iter_parsed(
    entries: list[ManifestEntry],
    raw: Path,
    *,
    max_bytes: int,
    workers: int = 1,
    progress: Progress | None = None,
    cache: ParseCache | None = None,
    stats: ParseStats | None = None,
    window: int = _WINDOW,
    reuse: Mapping[str, StagedDocument] | None = None,
) -> Iterator[tuple[ManifestEntry, StagedDocument]]:
    """Each entry with its :class:`StagedDocument`, in order; each distinct content is parsed once.

    Only hashes are held for every entry: cached outcomes are loaded ``window`` entries at a time and parsed
    ones arrive from the workers in order, so memory holds a bounded number of documents' rows however
    many there are. With a ``cache``, content parsed by an earlier run (same hash, same parser version) is
    not parsed again; new outcomes are added to it, entries for content no longer listed are pruned, and the
    cache is committed only after every document has its outcome. Content in ``reuse`` (row-less outcomes whose
    rows the caller already holds, see :func:`trial_pipeline.normalize.reusable`) is neither loaded nor parsed.
    """
    refused: dict[str, StagedDocument] = {}
    first: dict[str, ManifestEntry] = {}
    for entry in entries:
        if reason := _refusal(entry, max_bytes):
            refused[entry.source_path] = failed(reason)
        else:
            first.setdefault(entry.content_sha256, entry)
    reuse = {digest: reuse[digest] for digest in first.keys() & reuse.keys()} if reuse else {}
    cached = (cache.cached_digests() & first.keys()) - reuse.keys() if cache is not None else set()
    todo = [digest for digest in first if digest not in cached and digest not in reuse]
    if stats is not None:
        stats.parsed += len(todo)
        stats.cached += len(cached) + len(reuse)
    jobs = [(str(raw), first[digest].source_path, max_bytes) for digest in todo]
    pool = (
        ProcessPoolExecutor(max_workers=workers, initializer=_init_worker)
        if workers > 1 and len(jobs) >= _PARALLEL_THRESHOLD
        else None
    )
    # Outcomes of content already yielded, without rows (a copy's records are staged once, from the first file).
    seen: dict[str, StagedDocument] = {}
    try:
        # The workers run ahead while the caller stages what they return.
        results = pool.map(_parse_path, jobs, chunksize=16) if pool else map(_parse_path, jobs)
        for begin in range(0, len(entries), window):
            batch = entries[begin : begin + window]
            wanted = {e.content_sha256 for e in batch if e.content_sha256 in cached and e.content_sha256 not in seen}
            loaded = cache.get_many(wanted) if cache is not None and wanted else {}
            for position, entry in enumerate(batch, start=begin + 1):
                digest = entry.content_sha256
                outcome = refused.get(entry.source_path) or seen.get(digest) or reuse.get(digest) or loaded.get(digest)
                if outcome is None:
                    if digest in cached:
                        # The entry turned out unreadable: parse the document here after all.
                        outcome, parsed_digest = _parse_path((str(raw), entry.source_path, max_bytes))
                        if stats is not None:
                            stats.parsed, stats.cached = stats.parsed + 1, stats.cached - 1
                    else:
                        outcome, parsed_digest = next(results)
                    # Cached only when the bytes parsed are the bytes listed (a file may change mid-run).
                    if cache is not None and parsed_digest == digest and _cacheable(outcome):
                        cache.put(digest, outcome)
                if entry.source_path not in refused and digest not in seen:
                    seen[digest] = outcome._replace(rows={} if outcome.rows is not None else None)
                yield entry, outcome
                if progress is not None:
                    progress(position, len(entries))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    if cache is not None:
        cache.prune(first)
        cache.commit()
