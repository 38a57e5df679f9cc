"""The index directory: file names, the manifest, the SQLite connection, the writer lock, read-only peeks.

Everything that knows how an index directory is laid out lives here; the rest of factcheck asks
these functions (`is_index`, `recorded_paths`, `read_manifest`) instead of opening files by name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from factcheck import __version__
from factcheck.config import Config
from factcheck.errors import IndexError_, UsageError
from factcheck.fileio import atomic_write_text
from factcheck.index.codec import SCHEMA_VERSION

DEFAULT_INDEX = ".factcheck"
FORMAT = "factcheck-index"
MANIFEST = "manifest.json"
DATABASE = "index.sqlite3"
VECTORS = "vectors.faiss"
VECTOR_ROWS = "vectors.rows.npy"  # each FAISS row's first identical row (index/duplicates.py)
VECTOR_DISTINCT = "vectors.distinct.npy"  # the distinct vectors, one after another (index/duplicates.py)
LOCK = "lock"
VECTOR_TYPES = ("float32", "float16")
REBUILD_HINT = "run `factcheck index rebuild`"
FOREIGN_HINT = "choose another directory with --index (factcheck never deletes files it did not create)"
VECTORS_SUM = "vectors_sha256"  # older indexes: the SHA-256 of the FAISS file last written
VECTORS_ID = "vectors_file"  # the size and modification time (ns) of the FAISS file last written
ROWS_ID = "rows_file"  # identities of the FAISS file and of the rows file written for it
GROUPS_ID = "vector_groups"  # the FAISS file's group slices, and the claims (count, largest id) they hold


def is_index(directory: Path) -> bool:
    """Whether `directory` holds a (finished) index, i.e. has a manifest."""
    return (directory / MANIFEST).is_file()


def unfinished(directory: Path) -> bool:
    """Whether a directory without a manifest holds nothing but (parts of) an index being created."""
    if (directory / MANIFEST).exists():
        return False
    own = {LOCK, DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm", f"{DATABASE}-journal", VECTORS, VECTOR_ROWS,
           VECTOR_DISTINCT}
    temporary = (f".{VECTORS}.", f".{VECTOR_ROWS}.", f".{VECTOR_DISTINCT}.")
    return all(p.name in own or p.name.startswith(temporary)
               for p in directory.iterdir())


def read_manifest(directory: Path) -> dict[str, Any]:
    """Read and validate the manifest's format and schema (not the model; see `check_model`)."""
    manifest_file = directory / MANIFEST
    if not directory.exists():
        raise IndexError_(f"no index at {directory}: run `factcheck index add PATHS` first")
    if not directory.is_dir() or not manifest_file.is_file():
        hint = REBUILD_HINT if directory.is_dir() and owned(directory) else FOREIGN_HINT
        raise IndexError_(f"{directory} is not a factcheck index (no {MANIFEST}); {hint}")
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexError_(f"{manifest_file} is unreadable ({exc}); {REBUILD_HINT}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise IndexError_(f"{directory} is not a factcheck index (foreign {MANIFEST}); {FOREIGN_HINT}")
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise IndexError_(
            f"index {directory} has schema version {manifest.get('schema_version')!r}, this factcheck "
            f"uses {SCHEMA_VERSION}; {REBUILD_HINT}"
        )
    if manifest.get("vector_type") not in VECTOR_TYPES:
        raise IndexError_(f"index {directory} has unknown vector type; {REBUILD_HINT}")
    dim = manifest.get("dim")
    if isinstance(dim, bool) or not isinstance(dim, int) or dim < 1:
        raise IndexError_(f"index {directory} has an invalid dim {dim!r} in {MANIFEST}; {REBUILD_HINT}")
    if not isinstance(manifest.get("model_id"), str):
        raise IndexError_(f"index {directory} has no model_id in {MANIFEST}; {REBUILD_HINT}")
    for key in (VECTORS_SUM, VECTORS_ID, ROWS_ID):
        if manifest.get(key) is not None and not isinstance(manifest.get(key), str):
            raise IndexError_(f"index {directory} has an invalid {key} in {MANIFEST}; {REBUILD_HINT}")
    return manifest


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def file_identity(path: Path) -> str:
    """"size:mtime_ns" of a file: what any rewrite of it changes, read without reading the file."""
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def recorded_vectors_file(directory: Path) -> tuple[str | None, str | None]:
    """Return the FAISS file's identity and (older indexes) SHA-256 the manifest records now."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, None
    if not isinstance(manifest, dict):
        return None, None
    identity, checksum = manifest.get(VECTORS_ID), manifest.get(VECTORS_SUM)
    return (identity if isinstance(identity, str) else None,
            checksum if isinstance(checksum, str) else None)


def recorded_rows_file(directory: Path) -> str | None:
    """Return what the manifest records of the rows file (FAISS file identity, rows file identity)."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    found = manifest.get(ROWS_ID) if isinstance(manifest, dict) else None
    return found if isinstance(found, str) else None


def recorded_groups(directory: Path) -> Any:
    """Return what the manifest records of the FAISS file's group slices (None when nothing)."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest.get(GROUPS_ID) if isinstance(manifest, dict) else None


def record_vectors_file(
    directory: Path, identity: str, rows: str | None = None, groups: dict[str, Any] | None = None
) -> None:
    """Record the identity of the FAISS file just written in the manifest (writers hold the lock).

    A run killed between the FAISS write and this one leaves an identity that does not match: the
    file is then distrusted and rebuilt from the database, the source of truth, so nothing is lost.
    """
    manifest_file = directory / MANIFEST
    if not manifest_file.is_file():
        return  # the index is being created: `write_manifest` comes last and carries the checksum
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexError_(f"{manifest_file} is unreadable ({exc}); {REBUILD_HINT}") from None
    manifest[VECTORS_ID] = identity
    manifest.pop(VECTORS_SUM, None)
    for key, value in ((ROWS_ID, rows), (GROUPS_ID, groups)):
        if value is None:
            manifest.pop(key, None)
        else:
            manifest[key] = value
    write_manifest(directory, manifest)


def check_model(directory: Path, manifest: dict[str, Any], model_id: str, dim: int) -> None:
    """Fail unless the index was built with the embedder this run uses."""
    if manifest.get("model_id") != model_id or manifest.get("dim") != dim:
        raise IndexError_(
            f"index {directory} was built with model {manifest.get('model_id')!r} "
            f"(dim {manifest.get('dim')}), this run uses {model_id!r} (dim {dim}); "
            f"{REBUILD_HINT} or pass the matching --embedder"
        )


def new_manifest(model_id: str, dim: int, vector_type: str, config: Config) -> dict[str, Any]:
    """Return the manifest of a new index."""
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "model_id": model_id,
        "dim": dim,
        "vector_type": vector_type,
        "thresholds": asdict(config.thresholds),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "factcheck": __version__,
    }


def write_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    """Write the manifest atomically (the last step of creating an index)."""
    atomic_write_text(directory / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def connect(directory: Path) -> sqlite3.Connection:
    """Open the index database (WAL mode)."""
    try:
        db = sqlite3.connect(str(directory / DATABASE), timeout=60, isolation_level="DEFERRED")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.DatabaseError as exc:
        raise IndexError_(
            f"index database {directory / DATABASE} is corrupt ({exc}); {REBUILD_HINT}"
        ) from None
    return db


def check_integrity(directory: Path, db: sqlite3.Connection) -> None:
    """Fail unless SQLite's quick check finds the database intact (writers run it before writing)."""
    try:
        rows = db.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        rows = [(str(exc),)]
    if [r[0] for r in rows] != ["ok"]:
        problem = "; ".join(str(r[0]) for r in rows[:3])
        raise IndexError_(f"index database {directory / DATABASE} is damaged ({problem}); {REBUILD_HINT}")


def check_database(directory: Path, db: sqlite3.Connection) -> None:
    """Fail unless the database file exists, is readable and has this schema."""
    if not (directory / DATABASE).is_file():
        raise IndexError_(f"index {directory} has no {DATABASE}; {REBUILD_HINT}")
    try:
        row = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        db.execute("SELECT id, path, sha256 FROM documents LIMIT 1").fetchall()
        db.execute("SELECT id, doc_id, grp, surname, record, vector FROM claims LIMIT 1").fetchall()
    except sqlite3.DatabaseError as exc:
        raise IndexError_(
            f"index database {directory / DATABASE} is corrupt ({exc}); {REBUILD_HINT}"
        ) from None
    if row is None or row[0] != str(SCHEMA_VERSION):
        raise IndexError_(f"index database {directory / DATABASE} has another schema; {REBUILD_HINT}")


@contextlib.contextmanager
def writer_lock(directory: Path, timeout: float = 600.0) -> Iterator[None]:
    """Hold the writer lock of an index directory (other writers wait up to `timeout` seconds)."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(directory / LOCK))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise IndexError_(f"index {directory} is locked by another writer (waited {timeout:.0f} s)") from None
    try:
        yield
    finally:
        lock.release()


def display_path(root: Path, stored: str) -> str:
    """Return a stored document path (relative to `root`) as the user sees it from the working directory."""
    absolute = stored if os.path.isabs(stored) else os.path.join(root, stored)
    try:
        rel = os.path.relpath(absolute)
    except ValueError:  # another drive on Windows
        return absolute
    return absolute if rel.startswith("..") else rel.replace(os.sep, "/")


def recorded_paths(directory: Path) -> list[str]:
    """Document paths an existing index recorded (whatever its model), as seen from the working directory.

    Read-only and forgiving: a missing or unreadable database gives []. `index rebuild` uses it to
    find the documents of an index built with another model or schema.
    """
    file = directory / DATABASE
    if not file.is_file():
        return []
    root = directory.resolve().parent
    try:
        with contextlib.closing(sqlite3.connect(f"file:{file}?mode=ro", uri=True)) as db:
            stored = [r[0] for r in db.execute("SELECT path FROM documents ORDER BY path")]
    except sqlite3.DatabaseError:
        return []
    return [display_path(root, path) for path in stored]


@dataclass(frozen=True, slots=True)
class RebuildSources:
    """What `index rebuild` reads: the paths, and how many recorded documents no longer exist."""

    paths: tuple[str, ...]
    dropped: int


def rebuild_sources(directory: Path, given: Sequence[str]) -> RebuildSources:
    """Choose the documents to rebuild DIRECTORY from: GIVEN paths, or the recorded ones that still exist.

    Given paths are kept as they are (a missing one is the reader's error to report); recorded documents that
    were deleted since are dropped and counted. Raises UsageError when there is nothing to rebuild from.
    """
    if given:
        return RebuildSources(tuple(given), 0)
    recorded = recorded_paths(directory)
    if not recorded:
        raise UsageError(f"cannot tell which documents {directory} held: pass PATHS to rebuild from")
    present = tuple(p for p in recorded if os.path.exists(p))
    return RebuildSources(present, len(recorded) - len(present))


def owned(directory: Path) -> bool:
    """Whether `directory` is factcheck's to clear (a web site's `manifest.json` is not ours).

    It is when its manifest says it is an index; without a manifest, when it holds nothing but the
    parts of an index being created, or no file with an index file's name at all (nothing to delete).
    """
    manifest_file = directory / MANIFEST
    if not manifest_file.exists():
        ours = (VECTORS, VECTOR_ROWS, VECTOR_DISTINCT, DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm")
        return unfinished(directory) or not any((directory / name).exists() for name in ours)
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("format") == FORMAT


def remove_index_files(path: Path) -> None:
    """Delete the files an index consists of (and nothing else) so it can be rebuilt.

    Refuses (IndexError_) when the directory is not an index factcheck made: `index rebuild
    --index site/` must never delete a web site's `manifest.json` or a database of the same name.
    """
    if not path.is_dir():
        return
    if not owned(path):
        raise IndexError_(f"{path} is not a factcheck index; nothing in it was deleted; {FOREIGN_HINT}")
    for name in (MANIFEST, VECTORS, VECTOR_ROWS, VECTOR_DISTINCT, DATABASE, f"{DATABASE}-wal",
                 f"{DATABASE}-shm"):
        with contextlib.suppress(FileNotFoundError):
            (path / name).unlink()
    for stale in [*path.glob(f".{VECTORS}.*.tmp"), *path.glob(f".{VECTOR_ROWS}.*.tmp"),
                  *path.glob(f".{VECTOR_DISTINCT}.*.tmp")]:
        stale.unlink()
