"""The persistent corpus index behind `factcheck ci` (default directory `.factcheck/`).

Layout of the index directory::

    manifest.json     schema version, first-stage model id, dimension, vector type, thresholds
    index.sqlite3     documents (with text), sentences, claims (record JSON + key vector), WAL mode
    vectors.faiss     FAISS IndexIDMap2 over an inner-product index; ids are the claims' SQLite rowids,
                      rows ordered by (match group, id) so that each group is one contiguous slice
    lock              writers hold this file lock (filelock); readers never block

SQLite is the source of truth: every claim row carries its float32 key vector, so the FAISS file is a
derived, rebuildable cache.  Writers commit SQLite per batch, then write the FAISS file atomically
(temp file, fsync, os.replace).  A run killed in between leaves SQLite and FAISS with different id
sets; readers then patch the FAISS index in memory and the next writer repairs the file.  `ci` maps
the FAISS file (no copy) when it agrees with SQLite and searches only the slices of the new claims'
match groups, so it reads and scores only the rows it needs.  Nothing
is pickled: records are JSON, vectors raw float32 bytes (rows are built and read by
`factcheck.index.codec`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from factcheck import __version__
from factcheck.config import Config
from factcheck.errors import IndexError_, UsageError
from factcheck.fileio import atomic_write, atomic_write_text
from factcheck.index.codec import (
    DOCUMENT_COLUMNS,
    SCHEMA,
    SCHEMA_VERSION,
    SENTENCE_COLUMNS,
    claim_from_json,
    claim_group,
    claim_surname,
    claim_to_json,
    document_from_row,
    document_row,
    sentence_from_row,
    sentence_row,
    vector_blob,
    vectors_from_blobs,
)
from factcheck.index.vectors import (
    GROUP_INDEX,
    code_matrix,
    faiss_ids,
    group_slices,
    in_group_order,
    neighbours,
)
from factcheck.records import Claim, Document, Sentence

if TYPE_CHECKING:
    from factcheck.link.embed import Embedder

__all__ = [
    "DEFAULT_INDEX",
    "SCHEMA_VERSION",
    "AddResult",
    "CorpusIndex",
    "IndexStatus",
    "claim_from_json",
    "claim_to_json",
]

DEFAULT_INDEX = ".factcheck"
FORMAT = "factcheck-index"
MANIFEST = "manifest.json"
DATABASE = "index.sqlite3"
VECTORS = "vectors.faiss"
LOCK = "lock"
VECTOR_TYPES = ("float32", "float16")
BATCH_DOCUMENTS = 32
REBUILD_HINT = "run `factcheck index rebuild`"
Progress = Callable[[str], None]
Screen = Callable[[Claim, Claim], bool]


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True, slots=True)
class AddResult:
    """What one `index add` did."""

    added: int
    updated: int
    unchanged: int
    sentences: int
    claims: int
    seconds: float


@dataclass(frozen=True, slots=True)
class IndexStatus:
    """`factcheck index status`."""

    path: str
    schema_version: int
    model_id: str
    dim: int
    vector_type: str
    documents: int
    sentences: int
    claims: int
    vectors: int
    consistent: bool
    bytes_on_disk: int
    created: str


@dataclass(frozen=True, slots=True)
class Retrieved:
    """Stored documents, sentences and claims retrieved for a `ci` run (indices start at `offset`)."""

    documents: list[Document]
    sentences: list[Sentence]
    claims: list[Claim]


# --------------------------------------------------------------------------- the index


class CorpusIndex:
    """A persistent corpus index directory.  Open with `CorpusIndex.open` or `CorpusIndex.create`."""

    def __init__(self, path: Path, first: Embedder, manifest: dict[str, Any]) -> None:
        self.path = path
        self.first = first
        self.manifest = manifest
        self.root = path.resolve().parent  # document paths are stored relative to this directory
        self._db: sqlite3.Connection | None = None
        self._faiss: Any = None
        self._slices: dict[str, tuple[int, int]] = {}  # match group -> its rows [start, end) in FAISS

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        first: Embedder,
        *,
        create: bool = False,
        vector_type: str = "float32",
        config: Config | None = None,
        rebuild: bool = False,
    ) -> CorpusIndex:
        """Open an index; with `create`, make a new one when `path` does not exist or is empty.

        With `rebuild`, a directory without a manifest (after `remove_index_files`) is reused.
        """
        directory = Path(path)
        manifest_file = directory / MANIFEST
        empty = directory.is_dir() and _unfinished(directory)
        if (create and (not directory.exists() or empty)) or (rebuild and not manifest_file.exists()):
            return cls._create(directory, first, vector_type, config or Config())
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
        if manifest.get("model_id") != first.model_id or manifest.get("dim") != first.dim:
            raise IndexError_(
                f"index {directory} was built with model {manifest.get('model_id')!r} "
                f"(dim {manifest.get('dim')}), this run uses {first.model_id!r} (dim {first.dim}); "
                f"{REBUILD_HINT} or pass the matching --embedder"
            )
        if manifest.get("vector_type") not in VECTOR_TYPES:
            raise IndexError_(f"index {directory} has unknown vector type; {REBUILD_HINT}")
        index = cls(directory, first, manifest)
        index._check_database()
        return index

    @classmethod
    def _create(cls, directory: Path, first: Embedder, vector_type: str, config: Config) -> CorpusIndex:
        if vector_type not in VECTOR_TYPES:
            raise UsageError(f"unknown vector type {vector_type!r}: use {' or '.join(VECTOR_TYPES)}")
        directory.mkdir(parents=True, exist_ok=True)
        manifest = {
            "format": FORMAT,
            "schema_version": SCHEMA_VERSION,
            "model_id": first.model_id,
            "dim": first.dim,
            "vector_type": vector_type,
            "thresholds": asdict(config.thresholds),
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "factcheck": __version__,
        }
        index = cls(directory, first, manifest)
        with index.locked():
            if (directory / MANIFEST).exists():  # another writer created it while we waited
                return cls.open(directory, first)
            db = index.db
            db.executescript(SCHEMA)
            db.execute(GROUP_INDEX)
            with db:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            index._write_faiss(index._empty_faiss())
            # the manifest comes last: a directory without one is an unfinished index, never a valid one
            data = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
            atomic_write_text(directory / MANIFEST, data)
        return index

    @property
    def db(self) -> sqlite3.Connection:
        """The SQLite connection (WAL mode), opened on first use."""
        if self._db is None:
            try:
                db = sqlite3.connect(str(self.path / DATABASE), timeout=60, isolation_level="DEFERRED")
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
            except sqlite3.DatabaseError as exc:
                raise IndexError_(
                    f"index database {self.path / DATABASE} is corrupt ({exc}); {REBUILD_HINT}"
                ) from None
            self._db = db
        return self._db

    def _check_database(self) -> None:
        if not (self.path / DATABASE).is_file():
            raise IndexError_(f"index {self.path} has no {DATABASE}; {REBUILD_HINT}")
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            self.db.execute("SELECT id, path, sha256 FROM documents LIMIT 1").fetchall()
            self.db.execute("SELECT id, doc_id, grp, surname, record, vector FROM claims LIMIT 1").fetchall()
        except sqlite3.DatabaseError as exc:
            raise IndexError_(
                f"index database {self.path / DATABASE} is corrupt ({exc}); {REBUILD_HINT}"
            ) from None
        if row is None or row[0] != str(SCHEMA_VERSION):
            raise IndexError_(f"index database {self.path / DATABASE} has another schema; {REBUILD_HINT}")

    def close(self) -> None:
        """Close the database."""
        if self._db is not None:
            self._db.close()
            self._db = None

    @contextlib.contextmanager
    def locked(self, timeout: float = 600.0) -> Iterator[None]:
        """Hold the writer lock (other writers wait up to `timeout` seconds)."""
        from filelock import FileLock, Timeout

        lock = FileLock(str(self.path / LOCK))
        try:
            lock.acquire(timeout=timeout)
        except Timeout:
            raise IndexError_(
                f"index {self.path} is locked by another writer (waited {timeout:.0f} s)"
            ) from None
        try:
            yield
        finally:
            lock.release()

    # ----------------------------------------------------------------- vectors

    def _empty_faiss(self) -> Any:
        import faiss

        dim = int(self.manifest["dim"])
        if self.manifest["vector_type"] == "float16":
            fp16 = faiss.ScalarQuantizer.QT_fp16
            inner: Any = faiss.IndexScalarQuantizer(dim, fp16, faiss.METRIC_INNER_PRODUCT)
        else:
            inner = faiss.IndexFlatIP(dim)
        return faiss.IndexIDMap2(inner)

    def _write_faiss(self, index: Any) -> None:
        import faiss

        index = self._in_group_order(index)
        atomic_write(self.path / VECTORS, lambda tmp: faiss.write_index(index, tmp))
        self._faiss = index

    def _read_faiss(self, mapped: bool = False) -> Any:
        import faiss

        try:
            flags = faiss.IO_FLAG_MMAP_IFC if mapped else 0
            index = faiss.read_index(str(self.path / VECTORS), flags)
        except RuntimeError:
            return None
        if getattr(index, "d", None) != int(self.manifest["dim"]) or not hasattr(index, "id_map"):
            return None
        return faiss.downcast_index(index) if not isinstance(index, faiss.IndexIDMap2) else index

    def vectors(self, write_repair: bool = False) -> Any:
        """Return the FAISS index made consistent with SQLite (in memory; on disk with `write_repair`)."""
        if self._faiss is not None and not write_repair:
            return self._faiss
        if not write_repair and (self.path / VECTORS).exists():
            mapped = self._read_faiss(mapped=True)  # read-only pages of the file, loaded as touched
            if mapped is not None and self._agrees(mapped):
                self._faiss = mapped
                return mapped
        index = self._read_faiss() if (self.path / VECTORS).exists() else None
        changed = index is None
        if index is None:
            index = self._empty_faiss()
        stored = np.fromiter((r[0] for r in self.db.execute("SELECT id FROM claims")), dtype=np.int64)
        present = faiss_ids(index)
        extra = np.setdiff1d(present, stored, assume_unique=True)
        missing = np.setdiff1d(stored, present, assume_unique=True)
        if extra.size:
            index.remove_ids(extra)
            changed = True
        if missing.size:
            self._add_from_db(index, missing)
            changed = True
        if write_repair and (changed or not self._agrees(index)):
            self._write_faiss(index)  # also puts the rows in group order
            index = self._faiss
        elif not self._agrees(index):
            index = self._in_group_order(index)  # an index written by an older factcheck: in memory only
        self._faiss = index
        return index

    def _agrees(self, index: Any) -> bool:
        """Check that the FAISS rows are SQLite's claims in (group, id) order; remember the group slices."""
        slices = group_slices(index, self.db)
        if slices is not None:
            self._slices = slices
        return slices is not None

    def _in_group_order(self, index: Any) -> Any:
        """Return the index with its rows in (group, id) order (a rebuilt copy when they are not)."""
        if self._agrees(index):
            return index
        rebuilt = in_group_order(index, self.db, self._empty_faiss)
        if rebuilt is None or not self._agrees(rebuilt):
            raise IndexError_(f"index {self.path} vectors disagree with its database; {REBUILD_HINT}")
        return rebuilt

    def _add_from_db(self, index: Any, ids: np.ndarray) -> None:
        dim = int(self.manifest["dim"])
        for begin in range(0, len(ids), 5000):
            chunk = [int(i) for i in ids[begin : begin + 5000]]
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT id, vector FROM claims WHERE id IN ({marks})", chunk).fetchall()
            if not rows:
                continue
            matrix = vectors_from_blobs([r[1] for r in rows], dim)
            index.add_with_ids(np.ascontiguousarray(matrix), np.asarray([r[0] for r in rows], dtype=np.int64))

    def consistent(self) -> bool:
        """Whether the FAISS file on disk holds exactly the stored claims' ids."""
        import faiss

        index = self._read_faiss() if (self.path / VECTORS).exists() else None
        if index is None:
            return False
        stored = np.fromiter(
            (r[0] for r in self.db.execute("SELECT id FROM claims ORDER BY id")), dtype=np.int64
        )
        present = (
            np.sort(faiss.vector_to_array(index.id_map).astype(np.int64)) if index.ntotal else stored[:0]
        )
        return bool(np.array_equal(stored, present))

    # ----------------------------------------------------------------- paths

    def key(self, path: str) -> str:
        """How a document path is stored: relative to the index's parent directory, with / separators."""
        absolute = os.path.abspath(path)
        try:
            rel = os.path.relpath(absolute, self.root)
        except ValueError:  # another drive on Windows
            rel = absolute
        if rel.startswith(".."):
            rel = absolute
        return rel.replace(os.sep, "/")

    def display(self, stored: str) -> str:
        """Return a stored path as the user sees it from the working directory."""
        absolute = stored if os.path.isabs(stored) else os.path.join(self.root, stored)
        try:
            rel = os.path.relpath(absolute)
        except ValueError:
            return absolute
        return absolute if rel.startswith("..") else rel.replace(os.sep, "/")

    # ----------------------------------------------------------------- writing

    def add(
        self, documents: Sequence[Document], config: Config, progress: Progress | None = None
    ) -> AddResult:
        """Index documents: unchanged ones (same sha256) are skipped, changed ones replaced."""
        say = progress or (lambda _m: None)
        started = time.perf_counter()
        added = updated = unchanged = n_sentences = n_claims = 0
        with self.locked():
            self.db.execute(GROUP_INDEX)
            index = self.vectors(write_repair=True)
            known = {
                row[0]: (row[1], row[2]) for row in self.db.execute("SELECT path, id, sha256 FROM documents")
            }
            todo: list[tuple[str, Document, int | None]] = []
            for document in documents:
                key = self.key(document.path)
                old = known.get(key)
                if old is not None and old[1] == document.sha256:
                    unchanged += 1
                    continue
                todo.append((key, document, old[0] if old else None))
            for begin in range(0, len(todo), BATCH_DOCUMENTS):
                batch = todo[begin : begin + BATCH_DOCUMENTS]
                say(f"indexing documents {begin + 1}-{begin + len(batch)} of {len(todo)}")
                s, c = self._add_batch(index, batch, config)
                n_sentences += s
                n_claims += c
                added += sum(1 for _, _, old in batch if old is None)
                updated += sum(1 for _, _, old in batch if old is not None)
            if todo:
                self._write_faiss(index)
        return AddResult(added, updated, unchanged, n_sentences, n_claims, time.perf_counter() - started)

    def _add_batch(
        self, index: Any, batch: Sequence[tuple[str, Document, int | None]], config: Config
    ) -> tuple[int, int]:
        from factcheck.extract import normalise_key
        from factcheck.pipeline import analyse

        documents = [doc for _, doc, _ in batch]
        sentences, claims, _ = analyse(documents, config)
        vectors = self.first.encode([normalise_key(c.key) for c in claims]) if claims else None
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        by_doc_sentences: dict[int, list[Sentence]] = {}
        for sentence in sentences:
            by_doc_sentences.setdefault(sentence.doc_index, []).append(sentence)
        by_doc_claims: dict[int, list[int]] = {}
        for row, claim in enumerate(claims):
            by_doc_claims.setdefault(claim.doc_index, []).append(row)
        new_ids: list[int] = []
        new_rows: list[int] = []
        removed: list[int] = []
        db = self.db
        with db:  # one transaction per batch
            for doc_index, (key, document, old_id) in enumerate(batch):
                if old_id is not None:
                    removed.extend(
                        r[0] for r in db.execute("SELECT id FROM claims WHERE doc_id=?", (old_id,))
                    )
                    db.execute("DELETE FROM claims WHERE doc_id=?", (old_id,))
                    db.execute("DELETE FROM sentences WHERE doc_id=?", (old_id,))
                    db.execute("DELETE FROM documents WHERE id=?", (old_id,))
                doc_sentences = by_doc_sentences.get(doc_index, [])
                rows = by_doc_claims.get(doc_index, [])
                cursor = db.execute(
                    f"INSERT INTO documents ({DOCUMENT_COLUMNS}, sentences, claims, added)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (*document_row(key, document), len(doc_sentences), len(rows), now),
                )
                doc_id = cursor.lastrowid
                db.executemany(
                    f"INSERT INTO sentences (doc_id, {SENTENCE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
                    [sentence_row(doc_id, s) for s in doc_sentences],
                )
                for row in rows:
                    claim = claims[row]
                    assert vectors is not None
                    cursor = db.execute(
                        "INSERT INTO claims (doc_id, grp, surname, record, vector) VALUES (?,?,?,?,?)",
                        (
                            doc_id,
                            claim_group(claim),
                            claim_surname(claim),
                            claim_to_json(claim),
                            vector_blob(vectors[row]),
                        ),
                    )
                    new_ids.append(int(cursor.lastrowid or 0))
                    new_rows.append(row)
        if removed:
            index.remove_ids(np.asarray(removed, dtype=np.int64))
        if new_ids and vectors is not None:
            index.add_with_ids(np.ascontiguousarray(vectors[new_rows]), np.asarray(new_ids, dtype=np.int64))
        return len(sentences), len(claims)

    def remove(self, paths: Sequence[str]) -> list[str]:
        """Remove documents (by path; a directory removes everything under it); returns removed paths."""
        with self.locked():
            index = self.vectors(write_repair=True)
            stored = {r[0]: r[1] for r in self.db.execute("SELECT path, id FROM documents")}
            chosen: list[str] = []
            for path in paths:
                key = self.key(path)
                prefix = key.rstrip("/") + "/"
                matches = [p for p in stored if p == key or p.startswith(prefix) or key == "."]
                if not matches:
                    raise UsageError(f"not in the index: {path}")
                chosen.extend(m for m in matches if m not in chosen)
            removed: list[int] = []
            with self.db:
                for path in chosen:
                    doc_id = stored[path]
                    removed.extend(
                        r[0] for r in self.db.execute("SELECT id FROM claims WHERE doc_id=?", (doc_id,))
                    )
                    self.db.execute("DELETE FROM claims WHERE doc_id=?", (doc_id,))
                    self.db.execute("DELETE FROM sentences WHERE doc_id=?", (doc_id,))
                    self.db.execute("DELETE FROM documents WHERE id=?", (doc_id,))
            if removed:
                index.remove_ids(np.asarray(removed, dtype=np.int64))
            self._write_faiss(index)
        return sorted(chosen)

    def paths(self) -> list[str]:
        """Return the stored document paths (relative to the index's parent directory)."""
        return [r[0] for r in self.db.execute("SELECT path FROM documents ORDER BY path")]

    def status(self) -> IndexStatus:
        """Return counts, model and consistency of the index."""

        def count(sql: str) -> int:
            return int(self.db.execute(sql).fetchone()[0])

        disk = sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())
        index = self._read_faiss() if (self.path / VECTORS).exists() else None
        return IndexStatus(
            path=str(self.path),
            schema_version=int(self.manifest["schema_version"]),
            model_id=str(self.manifest["model_id"]),
            dim=int(self.manifest["dim"]),
            vector_type=str(self.manifest["vector_type"]),
            documents=count("SELECT count(*) FROM documents"),
            sentences=count("SELECT count(*) FROM sentences"),
            claims=count("SELECT count(*) FROM claims"),
            vectors=int(index.ntotal) if index is not None else 0,
            consistent=self.consistent(),
            bytes_on_disk=disk,
            created=str(self.manifest.get("created", "")),
        )

    # ----------------------------------------------------------------- reading for `ci`

    def retrieve(
        self,
        claims: Sequence[Claim],
        vectors: np.ndarray,
        threshold: float,
        exclude_paths: Sequence[str] = (),
        offset: int = 0,
        first_id: int = 0,
        k: int = 64,
        surname_limit: int = 400,
        screen: Screen | None = None,
    ) -> Retrieved:
        """Return stored claims that may conflict with `claims`.

        That is the `k` nearest stored keys of each claim's key within its match group (inner product
        at least `threshold`), plus stored person/role claims with the same surname (the name rules need
        them).  With `screen(new, stored)`, a neighbour is kept only when the screen passes for one of
        the claims that found it (a cheap test that the pair could link at all).  Returned documents
        get indices from `offset`, claims ids from `first_id`; every sentence of a returned document is
        loaded (suppression comments are resolved against them).
        """
        index = self.vectors()
        excluded = (
            {
                r[0]
                for r in self.db.execute(
                    f"SELECT id FROM documents WHERE path IN ({','.join('?' * len(exclude_paths))})",
                    [self.key(p) for p in exclude_paths],
                )
            }
            if exclude_paths
            else set()
        )
        finders = self._neighbours(index, claims, vectors, threshold, k) if claims else {}
        rows: dict[int, tuple[int, str, str]] = {}
        ids_list = sorted(finders)
        for begin in range(0, len(ids_list), 900):
            chunk = ids_list[begin : begin + 900]
            sql = f"SELECT id, doc_id, grp, record FROM claims WHERE id IN ({','.join('?' * len(chunk))})"
            for claim_id, doc_id, grp, record in self.db.execute(sql, chunk):
                if doc_id in excluded:
                    continue
                if screen is not None:
                    stored = claim_from_json(record, -1, -1)
                    if not any(screen(claims[row], stored) for row in finders[claim_id]):
                        continue
                rows[claim_id] = (doc_id, grp, record)
        surnames = sorted({s for c in claims if (s := claim_surname(c))})
        for begin in range(0, len(surnames), 500):
            names = surnames[begin : begin + 500]
            sql = (
                f"SELECT id, doc_id, grp, record FROM claims WHERE surname IN ({','.join('?' * len(names))})"
                f" ORDER BY id LIMIT {int(surname_limit) * len(names)}"
            )
            for claim_id, doc_id, grp, record in self.db.execute(sql, names):
                if doc_id not in excluded:
                    rows.setdefault(claim_id, (doc_id, grp, record))
        return self._materialise(rows, offset, first_id)

    def _neighbours(
        self, index: Any, claims: Sequence[Claim], vectors: np.ndarray, threshold: float, k: int
    ) -> dict[int, list[int]]:
        """Map stored claim ids to the rows of `claims` that have them among their `k` nearest keys."""
        if not index.ntotal or (not self._slices and not self._agrees(index)):
            return {}
        matrix = code_matrix(index, int(self.manifest["dim"]), str(self.manifest["vector_type"]))
        return neighbours(matrix, faiss_ids(index), self._slices, claims, vectors, threshold, k)

    def _materialise(self, rows: dict[int, tuple[int, str, str]], offset: int, first_id: int) -> Retrieved:
        doc_ids = sorted({doc_id for doc_id, _, _ in rows.values()})
        doc_index = {doc_id: offset + i for i, doc_id in enumerate(doc_ids)}
        documents: list[Document] = []
        sentences: list[Sentence] = []
        for doc_id in doc_ids:
            sql = f"SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id=?"
            row = self.db.execute(sql, (doc_id,)).fetchone()
            documents.append(document_from_row(row, self.display(row[0])))
            sentences.extend(
                sentence_from_row(doc_index[doc_id], r)
                for r in self.db.execute(
                    f"SELECT {SENTENCE_COLUMNS} FROM sentences WHERE doc_id=? ORDER BY idx", (doc_id,)
                )
            )
        claims = [
            claim_from_json(record, first_id + n, doc_index[doc_id])
            for n, (_, (doc_id, _, record)) in enumerate(sorted(rows.items()))
        ]
        return Retrieved(documents, sentences, claims)


def _unfinished(directory: Path) -> bool:
    """Whether a directory without a manifest holds nothing but (parts of) an index being created."""
    if (directory / MANIFEST).exists():
        return False
    own = {LOCK, DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm", f"{DATABASE}-journal", VECTORS}
    return all(p.name in own or p.name.startswith(f".{VECTORS}.") for p in directory.iterdir())


def remove_index_files(path: Path) -> None:
    """Delete the files an index consists of (and nothing else) so it can be rebuilt."""
    if not path.is_dir():
        return
    for name in (MANIFEST, VECTORS, DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm"):
        with contextlib.suppress(FileNotFoundError):
            (path / name).unlink()
    for stale in path.glob(f".{VECTORS}.*.tmp"):
        stale.unlink()
