"""The persistent corpus index behind `factcheck ci` (default directory `.factcheck/`).

Layout of the index directory::

    manifest.json     schema version, first-stage model id, dimension, vector type, thresholds; the FAISS
                      file's identity, group slices (with the claims they were made for) and where its
                      codes and ids lie (index/mapped.py)
    index.sqlite3     documents (with text), sentences, claims (record JSON + key vector), WAL mode;
                      each document's story features as integer ids (index/stories.py)
    vectors.faiss     FAISS IndexIDMap2 over an inner-product index; ids are the claims' SQLite rowids,
                      rows ordered by (match group, id) so that each group is one contiguous slice
    vectors.rows.npy  each FAISS row's first row with the same vector bytes (index/duplicates.py): `ci`
                      scores each distinct vector once; written with the FAISS file, ignored when stale
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
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from factcheck.config import Config
from factcheck.corpus import Corpus
from factcheck.errors import UsageError
from factcheck.index import manifest as layout
from factcheck.index.codec import SCHEMA, SCHEMA_VERSION, claim_from_json, claim_to_json
from factcheck.index.manifest import (
    DATABASE,
    DEFAULT_INDEX,
    MANIFEST,
    REBUILD_HINT,
    VECTOR_TYPES,
    VECTORS,
    remove_index_files,
)
from factcheck.index.records import Keep, RecordStore, Retrieved, Screen
from factcheck.index.vectors import GROUP_INDEX, VectorFile
from factcheck.records import Claim, Document

if TYPE_CHECKING:
    from factcheck.link.embed import Embedder
    from factcheck.read.stories import Features, NumberedFeatures

__all__ = [
    "DATABASE",
    "DEFAULT_INDEX",
    "MANIFEST",
    "REBUILD_HINT",
    "SCHEMA_VERSION",
    "VECTORS",
    "AddResult",
    "CorpusIndex",
    "IndexStatus",
    "Retrieved",
    "claim_from_json",
    "claim_to_json",
    "remove_index_files",
]

BATCH_DOCUMENTS = 32
Progress = Callable[[str], None]


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


class CorpusIndex:
    """A persistent corpus index directory.  Open with `CorpusIndex.open` (or `open_readonly`).

    The jobs are split: `factcheck.index.manifest` knows the directory (manifest, database file,
    lock), `RecordStore` the rows, `VectorFile` the FAISS file; this class ties them together.
    """

    def __init__(self, path: Path, first: Embedder | None, manifest: dict[str, Any]) -> None:
        self.path = path
        self.first = first  # None: opened read-only, without an embedder
        self.manifest = manifest
        self.root = path.resolve().parent  # document paths are stored relative to this directory
        self._db: sqlite3.Connection | None = None
        self.vector_file = VectorFile(
            path / VECTORS, int(manifest["dim"]), str(manifest["vector_type"]), lambda: self.db
        )

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
        empty = directory.is_dir() and layout.unfinished(directory)
        fresh = not (directory / MANIFEST).exists()
        if (create and (not directory.exists() or empty)) or (rebuild and fresh):
            return cls._create(directory, first, vector_type, config or Config())
        manifest = layout.read_manifest(directory)
        layout.check_model(directory, manifest, first.model_id, first.dim)
        index = cls(directory, first, manifest)
        layout.check_database(directory, index.db)
        return index

    @classmethod
    def open_readonly(cls, path: str | os.PathLike[str]) -> CorpusIndex:
        """Open an index with the model its manifest records and no embedder (status, paths, retrieval)."""
        directory = Path(path)
        manifest = layout.read_manifest(directory)
        index = cls(directory, None, manifest)
        layout.check_database(directory, index.db)
        return index

    @classmethod
    def _create(cls, directory: Path, first: Embedder, vector_type: str, config: Config) -> CorpusIndex:
        if vector_type not in VECTOR_TYPES:
            raise UsageError(f"unknown vector type {vector_type!r}: use {' or '.join(VECTOR_TYPES)}")
        directory.mkdir(parents=True, exist_ok=True)
        manifest = layout.new_manifest(first.model_id, first.dim, vector_type, config)
        index = cls(directory, first, manifest)
        with index.locked():
            if (directory / MANIFEST).exists():  # another writer created it while we waited
                return cls.open(directory, first)
            db = index.db
            db.executescript(SCHEMA)
            db.execute(GROUP_INDEX)
            with db:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            index.vector_file.write(index.vector_file.empty())
            if index.vector_file.identity is not None:
                manifest[layout.VECTORS_ID] = index.vector_file.identity
            # the manifest comes last: a directory without one is an unfinished index, never a valid one
            layout.write_manifest(directory, manifest)
        return index

    @property
    def db(self) -> sqlite3.Connection:
        """The SQLite connection (WAL mode), opened on first use."""
        if self._db is None:
            self._db = layout.connect(self.path)
        return self._db

    @property
    def records(self) -> RecordStore:
        """Row-level access to the database."""
        return RecordStore(self.db, int(self.manifest["dim"]))

    def close(self) -> None:
        """Close the database."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def locked(self, timeout: float = 600.0) -> contextlib.AbstractContextManager[None]:
        """Hold the writer lock (other writers wait up to `timeout` seconds)."""
        return layout.writer_lock(self.path, timeout)

    # ----------------------------------------------------------------- vectors

    def vectors(self, write_repair: bool = False) -> Any:
        """Return the FAISS index made consistent with SQLite (in memory; on disk with `write_repair`)."""
        return self.vector_file.current(write_repair)

    def consistent(self) -> bool:
        """Whether the FAISS file on disk holds exactly the stored claims' ids."""
        return self.vector_file.consistent()

    def _neighbours(
        self, index: Any, claims: Sequence[Claim], vectors: np.ndarray, threshold: float, k: int
    ) -> dict[int, list[int]]:
        return self.vector_file.neighbours(index, claims, vectors, threshold, k)

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
        return layout.display_path(self.root, stored)

    def paths(self) -> list[str]:
        """Return the stored document paths (relative to the index's parent directory)."""
        return self.records.paths()

    def displayed_paths(self) -> list[str]:
        """Return the stored document paths as the user sees them from the working directory."""
        return [self.display(p) for p in self.paths()]

    # ----------------------------------------------------------------- writing

    def add(
        self,
        documents: Sequence[Document],
        config: Config,
        progress: Progress | None = None,
        analysed: Corpus | None = None,
        vectors: np.ndarray | None = None,
    ) -> AddResult:
        """Index documents: unchanged ones (same sha256) are skipped, changed ones replaced.

        `analysed` (with `vectors`, one key vector per claim) holds documents already segmented,
        extracted and embedded, e.g. by `ci`: those of `documents` found there (same path and
        sha256) are stored as they are; the others are analysed here.
        """
        say = progress or (lambda _m: None)
        started = time.perf_counter()
        added = updated = unchanged = n_sentences = n_claims = 0
        ready: dict[tuple[str, str], int] = {}
        if analysed is not None:
            ready = {(d.path, d.sha256): i for i, d in enumerate(analysed.documents)}
        with self.locked():
            layout.check_integrity(self.path, self.db)  # never add to a damaged database
            self.db.execute(GROUP_INDEX)
            index = self.vectors(write_repair=True)
            known = self.records.known()
            todo: list[tuple[str, Document, int | None]] = []
            reuse: list[tuple[int, str, int | None]] = []
            for document in documents:
                key = self.key(document.path)
                old = known.get(key)
                if old is not None and old[1] == document.sha256:
                    unchanged += 1
                    continue
                where = ready.get((document.path, document.sha256))
                if where is not None:
                    reuse.append((where, key, old[0] if old else None))
                else:
                    todo.append((key, document, old[0] if old else None))
            if reuse:
                assert analysed is not None and vectors is not None
                for begin in range(0, len(reuse), BATCH_DOCUMENTS):
                    s, c = self._store(index, analysed, vectors, reuse[begin : begin + BATCH_DOCUMENTS])
                    n_sentences += s
                    n_claims += c
            for begin in range(0, len(todo), BATCH_DOCUMENTS):
                batch = todo[begin : begin + BATCH_DOCUMENTS]
                say(f"indexing documents {begin + 1}-{begin + len(batch)} of {len(todo)}")
                corpus, batch_vectors = self._analyse([doc for _, doc, _ in batch], config)
                s, c = self._store(
                    index, corpus, batch_vectors, [(i, key, old) for i, (key, _, old) in enumerate(batch)]
                )
                n_sentences += s
                n_claims += c
            for old_id in [o for _, _, o in reuse] + [o for _, _, o in todo]:
                if old_id is None:
                    added += 1
                else:
                    updated += 1
            if todo or reuse:
                self.vector_file.write(index)
            self._number_stories(config)
        return AddResult(added, updated, unchanged, n_sentences, n_claims, time.perf_counter() - started)

    def _number_stories(self, config: Config) -> None:
        """Store the numbered story features of every document that lacks them (`index.stories`)."""
        from factcheck.index.stories import missing, write_ids
        from factcheck.pipeline import stored_story_features

        db = self.db
        with db:
            todo = missing(db)
        for begin in range(0, len(todo), 500):
            chunk = todo[begin : begin + 500]
            sql = f"SELECT id, path, sha256, text FROM documents WHERE id IN ({','.join('?' * len(chunk))})"
            rows = db.execute(sql, chunk).fetchall()
            documents = [Document(path=path, text=text, sha256=sha) for _, path, sha, text in rows]
            features = stored_story_features(documents, config)
            with db:
                write_ids(db, [row[0] for row in rows], features)

    def story_numbers(self, new: Sequence[Features], doc_ids: Sequence[int]) -> NumberedFeatures | None:
        """Return the new documents' story features and the stored ones' (by id), numbered alike.

        None when a stored document has no sound current row (then read the features as strings).
        """
        from factcheck.index.stories import number_new, stored_ids

        stored = stored_ids(self.db, doc_ids)
        return number_new(self.db, new, stored) if stored is not None else None

    def _analyse(self, documents: Sequence[Document], config: Config) -> tuple[Corpus, np.ndarray | None]:
        from factcheck.extract import normalise_key
        from factcheck.pipeline import analyse

        if self.first is None:
            raise UsageError("this index was opened read-only (no embedder): it cannot add documents")
        corpus = analyse(documents, config)
        vectors = self.first.encode([normalise_key(c.key) for c in corpus.claims]) if corpus.claims else None
        return corpus, vectors

    def _store(
        self,
        index: Any,
        corpus: Corpus,
        vectors: np.ndarray | None,
        todo: Sequence[tuple[int, str, int | None]],
    ) -> tuple[int, int]:
        """Write some documents of `corpus` (in one transaction) and update the in-memory FAISS index."""
        written = self.records.write(corpus, vectors, todo)
        if written.removed:
            index.remove_ids(np.asarray(written.removed, dtype=np.int64))
        if written.added_ids and vectors is not None:
            index.add_with_ids(
                np.ascontiguousarray(vectors[written.added_rows]),
                np.asarray(written.added_ids, dtype=np.int64),
            )
        docs = {doc_index for doc_index, _, _ in todo}
        n_sentences = sum(len(corpus.sentences_by_document.get(i, ())) for i in docs)
        return n_sentences, len(written.added_rows)

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
            removed = self.records.delete(stored[p] for p in chosen)
            if removed:
                index.remove_ids(np.asarray(removed, dtype=np.int64))
            self.vector_file.write(index)
        return sorted(chosen)

    def status(self) -> IndexStatus:
        """Return counts, model and consistency of the index (a damaged database is an IndexError_)."""
        layout.check_integrity(self.path, self.db)
        disk = sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())
        index = self.vector_file.read()
        records = self.records
        return IndexStatus(
            path=str(self.path),
            schema_version=int(self.manifest["schema_version"]),
            model_id=str(self.manifest["model_id"]),
            dim=int(self.manifest["dim"]),
            vector_type=str(self.manifest["vector_type"]),
            documents=records.count("documents"),
            sentences=records.count("sentences"),
            claims=records.count("claims"),
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
        keep: Keep | None = None,
    ) -> Retrieved:
        """Return stored claims that may conflict with `claims`, with their stored key vectors.

        That is the `k` nearest stored keys of each claim's key within its match group (inner product
        at least `threshold`), plus stored person/role claims with the same surname (the name rules need
        them).  With `screen(new, stored)`, a neighbour is kept only when the screen passes for one of
        the claims that found it (a cheap test that the pair could link at all).  With `keep` (given the
        found documents in path order and their ids, the positions to keep), the other documents are
        left out before their sentences and claims are read.  Returned documents get indices from
        `offset`, claims ids from `first_id`; every sentence of a returned document is loaded
        (suppression comments are resolved against them).
        """
        index = self.vectors()
        records = self.records
        excluded = records.document_ids([self.key(p) for p in exclude_paths])
        finders = self._neighbours(index, claims, vectors, threshold, k) if claims else {}
        rows = records.near_rows(finders, claims, excluded, screen)
        for claim_id, row in records.same_surname_rows(claims, excluded, surname_limit).items():
            rows.setdefault(claim_id, row)
        return records.materialise(rows, offset, first_id, self.display, keep)
