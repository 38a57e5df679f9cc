"""The index directory: file names, the manifest, the SQLite connection, the writer lock, read-only peeks.

Everything that knows how an index directory is laid out lives here; the rest of factcheck asks
these functions (`is_index`, `recorded_paths`, `read_manifest`) instead of opening files by name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from factcheck import __version__
from factcheck.config import Config
from factcheck.errors import IndexError_
from factcheck.fileio import atomic_write_text
from factcheck.index.codec import SCHEMA_VERSION

DEFAULT_INDEX = ".factcheck"
FORMAT = "factcheck-index"
MANIFEST = "manifest.json"
DATABASE = "index.sqlite3"
VECTORS = "vectors.faiss"
LOCK = "lock"
VECTOR_TYPES = ("float32", "float16")
REBUILD_HINT = "run `factcheck index rebuild`"


def is_index(directory: Path) -> bool:
    """Whether `directory` holds a (finished) index, i.e. has a manifest."""
    return (directory / MANIFEST).is_file()


def unfinished(directory: Path) -> bool:
    """Whether a directory without a manifest holds nothing but (parts of) an index being created."""
    if (directory / MANIFEST).exists():
        return False
    own = {LOCK, DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm", f"{DATABASE}-journal", VECTORS}
    return all(p.name in own or p.name.startswith(f".{VECTORS}.") for p in directory.iterdir())


def read_manifest(directory: Path) -> dict[str, Any]:
    """Read and validate the manifest's format and schema (not the model; see `check_model`)."""
    manifest_file = directory / MANIFEST
    if not directory.exists():
        raise IndexError_(f"no index at {directory}: run `factcheck index add PATHS` first")
    if not directory.is_dir() or not manifest_file.is_file():
        raise IndexError_(f"{directory} is not a factcheck index (no {MANIFEST}); {REBUILD_HINT}")
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexError_(f"{manifest_file} is unreadable ({exc}); {REBUILD_HINT}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise IndexError_(f"{directory} is not a factcheck index (foreign {MANIFEST}); {REBUILD_HINT}")
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise IndexError_(
            f"index {directory} has schema version {manifest.get('schema_version')!r}, this factcheck "
            f"uses {SCHEMA_VERSION}; {REBUILD_HINT}"
        )
    if manifest.get("vector_type") not in VECTOR_TYPES:
        raise IndexError_(f"index {directory} has unknown vector type; {REBUILD_HINT}")
    return manifest


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


def remove_index_files(path: Path) -> None:
    """Delete the files an index consists of (and nothing else) so it can be rebuilt."""
    if not path.is_dir():
        return
    for name in (MANIFEST, VECTORS, DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm"):
        with contextlib.suppress(FileNotFoundError):
            (path / name).unlink()
    for stale in path.glob(f".{VECTORS}.*.tmp"):
        stale.unlink()
