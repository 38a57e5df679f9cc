"""The records of an index: documents, sentences and claims (with their key vectors) in SQLite.

SQLite is the index's source of truth: every claim row carries its float32 key vector, so the FAISS
file is a derived cache (`factcheck.index.vectors.VectorFile`).  This module writes and reads the
rows; it knows nothing of FAISS files, manifests or locks.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from factcheck.corpus import Corpus
from factcheck.index.codec import (
    DOCUMENT_COLUMNS,
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
from factcheck.index.stories import delete_ids
from factcheck.records import Claim, ClaimKind, Document, Sentence

Screen = Callable[[Claim, Claim], bool]  # (new claim, stored claim: its kind, role and key only)
Row = tuple[int, str, str]  # a retrieved claim: document id, group, record (JSON)
Keep = Callable[[list[Document], list[int]], Collection[int]]  # (documents, their ids) -> positions to keep


def screened_claim(kind: str, role: str, key: str) -> Claim:
    """Make a stand-in for a stored claim that a `Screen` tests: its kind, role and key; placeholders else."""
    return Claim(id=-1, kind=ClaimKind(kind), doc_index=-1, sentence_index=-1, key=key, value_text="",
                 value_start=-1, value_end=-1, value="", role=role)


@dataclass(frozen=True, slots=True)
class Retrieved:
    """Stored documents, sentences and claims (with their key vectors) retrieved for a `ci` run."""

    documents: list[Document]
    sentences: list[Sentence]
    claims: list[Claim]
    vectors: np.ndarray  # one float32 row per claim, as stored
    found: int = 0  # documents the neighbours came from, before `keep` left some out


@dataclass(frozen=True, slots=True)
class Written:
    """FAISS changes owed after a batch of documents was written: ids removed, ids and rows added."""

    removed: list[int]
    added_ids: list[int]
    added_rows: list[int]  # positions in the corpus' claims (and its vector matrix)


class RecordStore:
    """Row-level reads and writes of the index database."""

    def __init__(self, db: sqlite3.Connection, dim: int) -> None:
        self.db = db
        self.dim = dim

    def known(self) -> dict[str, tuple[int, str]]:
        """Map each stored path to (document id, sha256)."""
        return {row[0]: (row[1], row[2]) for row in self.db.execute("SELECT path, id, sha256 FROM documents")}

    def paths(self) -> list[str]:
        """Return the stored document paths, sorted."""
        return [r[0] for r in self.db.execute("SELECT path FROM documents ORDER BY path")]

    def count(self, table: str) -> int:
        """Rows in `documents`, `sentences` or `claims`."""
        assert table in ("documents", "sentences", "claims")
        return int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def write(
        self, corpus: Corpus, vectors: np.ndarray | None, todo: Sequence[tuple[int, str, int | None]]
    ) -> Written:
        """Store documents of `corpus` in one transaction: (document index, stored path, old id or None).

        A document with an old id replaces that document.  `vectors` holds a row per corpus claim.
        """
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        written = Written([], [], [])
        db = self.db
        with db:
            for doc_index, key, old_id in todo:
                if old_id is not None:
                    written.removed.extend(self._delete(old_id))
                document = corpus.documents[doc_index]
                doc_sentences = corpus.sentences_by_document.get(doc_index, ())
                rows = corpus.claim_rows_by_document.get(doc_index, ())
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
                    claim = corpus.claims[row]
                    assert vectors is not None
                    cursor = db.execute(
                        "INSERT INTO claims (doc_id, grp, surname, record, vector) VALUES (?,?,?,?,?)",
                        (doc_id, claim_group(claim), claim_surname(claim), claim_to_json(claim),
                         vector_blob(vectors[row])),
                    )
                    written.added_ids.append(int(cursor.lastrowid or 0))
                    written.added_rows.append(row)
        return written

    def _delete(self, doc_id: int) -> list[int]:
        """Delete one document's rows (inside the caller's transaction); returns its claim ids."""
        removed = [r[0] for r in self.db.execute("SELECT id FROM claims WHERE doc_id=?", (doc_id,))]
        self.db.execute("DELETE FROM claims WHERE doc_id=?", (doc_id,))
        self.db.execute("DELETE FROM sentences WHERE doc_id=?", (doc_id,))
        self.db.execute("DELETE FROM documents WHERE id=?", (doc_id,))
        delete_ids(self.db, doc_id)
        return removed

    def delete(self, doc_ids: Iterable[int]) -> list[int]:
        """Delete documents in one transaction; returns their claim ids."""
        removed: list[int] = []
        with self.db:
            for doc_id in doc_ids:
                removed.extend(self._delete(doc_id))
        return removed

    def document_ids(self, paths: Sequence[str]) -> set[int]:
        """Return the ids of the stored documents with these stored paths."""
        if not paths:
            return set()
        sql = f"SELECT id FROM documents WHERE path IN ({','.join('?' * len(paths))})"
        return {r[0] for r in self.db.execute(sql, list(paths))}

    def near_rows(
        self,
        finders: dict[int, list[int]],
        claims: Sequence[Claim],
        excluded: set[int],
        screen: Screen | None,
    ) -> dict[int, Row]:
        """Claim id -> (document id, group, record) of the found neighbours that pass `screen`.

        The screen gets a stand-in for each stored claim that holds its kind, role and key (read by
        SQLite from the record) and placeholders for the rest: records are decoded only for the claims
        that are kept (`materialise`).
        """
        rows: dict[int, Row] = {}
        ids_list = sorted(finders)
        # near-copies store one key many times: the screen's answer depends only on (kind, role, key) and
        # the new claims that found it, so it is computed once per such combination
        passed: dict[tuple[object, ...], bool] = {}
        for begin in range(0, len(ids_list), 900):
            chunk = ids_list[begin : begin + 900]
            sql = ("SELECT id, doc_id, grp, record, record->>'kind', record->>'role', record->>'key'"
                   f" FROM claims WHERE id IN ({','.join('?' * len(chunk))})")
            for claim_id, doc_id, grp, record, kind, role, key in self.db.execute(sql, chunk):
                if doc_id in excluded:
                    continue
                if screen is not None:
                    seen = (kind, role, key, *finders[claim_id])
                    verdict = passed.get(seen)
                    if verdict is None:
                        stored = screened_claim(kind, role or "", key)
                        verdict = passed[seen] = any(screen(claims[row], stored) for row in finders[claim_id])
                    if not verdict:
                        continue
                rows[claim_id] = (doc_id, grp, record)
        return rows

    def same_surname_rows(
        self, claims: Sequence[Claim], excluded: set[int], limit: int
    ) -> dict[int, Row]:
        """Claim id -> (document id, group, record) of stored person/role claims sharing a surname."""
        rows: dict[int, Row] = {}
        surnames = sorted({s for c in claims if (s := claim_surname(c))})
        for begin in range(0, len(surnames), 500):
            names = surnames[begin : begin + 500]
            # ordered by content (document path, then the claim's place in it), not by when it was added
            sql = (
                "SELECT c.id, c.doc_id, c.grp, c.record FROM claims c JOIN documents d ON d.id = c.doc_id"
                f" WHERE c.surname IN ({','.join('?' * len(names))})"
                f" ORDER BY d.path, c.id LIMIT {int(limit) * len(names)}"
            )
            for claim_id, doc_id, grp, record in self.db.execute(sql, names):
                if doc_id not in excluded:
                    rows.setdefault(claim_id, (doc_id, grp, record))
        return rows

    def materialise(
        self,
        rows: dict[int, Row],
        offset: int,
        first_id: int,
        display: Callable[[str], str],
        keep: Keep | None = None,
    ) -> Retrieved:
        """Load the documents (all sentences) and claims of `rows`: indices from `offset`, ids `first_id`+.

        Documents are numbered in path order and claims in (document, place in it) order, never in
        the order they were added to the index: two indexes with the same content give the same
        corpus, so `ci` findings and fingerprints do not depend on how the index was built.  With
        `keep` (given the documents in that order and their ids, it returns the positions to keep), the other
        documents are left out before their sentences and claims are read.
        """
        wanted = sorted({row[0] for row in rows.values()})
        rows_of: dict[int, tuple[Any, ...]] = {}
        for begin in range(0, len(wanted), 900):
            chunk = wanted[begin : begin + 900]
            sql = f"SELECT id, {DOCUMENT_COLUMNS} FROM documents WHERE id IN ({','.join('?' * len(chunk))})"
            for doc_id, *row in self.db.execute(sql, chunk):
                rows_of[doc_id] = tuple(row)
        doc_ids = sorted(rows_of, key=lambda doc_id: rows_of[doc_id][0])  # by stored path
        documents = [document_from_row(rows_of[doc_id], display(rows_of[doc_id][0])) for doc_id in doc_ids]
        found = len(documents)
        if keep is not None:
            chosen = sorted(set(keep(documents, doc_ids)))
            doc_ids, documents = [doc_ids[n] for n in chosen], [documents[n] for n in chosen]
        doc_index = {doc_id: offset + i for i, doc_id in enumerate(doc_ids)}
        sentence_rows: dict[int, list[tuple[Any, ...]]] = {doc_id: [] for doc_id in doc_ids}
        kept_ids = sorted(doc_ids)
        for begin in range(0, len(kept_ids), 900):
            chunk = kept_ids[begin : begin + 900]
            marks = ",".join("?" * len(chunk))
            for doc_id, *row in self.db.execute(
                f"SELECT doc_id, {SENTENCE_COLUMNS} FROM sentences WHERE doc_id IN ({marks})"
                " ORDER BY doc_id, idx", chunk,
            ):
                sentence_rows[doc_id].append(tuple(row))
        sentences = [sentence_from_row(doc_index[doc_id], row) for doc_id in doc_ids
                     for row in sentence_rows[doc_id]]
        ordered = sorted(((claim_id, row) for claim_id, row in rows.items() if row[0] in doc_index),
                         key=lambda item: (doc_index[item[1][0]], item[0]))
        claims = [claim_from_json(record, first_id + n, doc_index[doc_id])
                  for n, (_, (doc_id, _, record)) in enumerate(ordered)]
        vectors = self.vectors([claim_id for claim_id, _ in ordered])
        return Retrieved(documents, sentences, claims, vectors, found)

    def vectors(self, claim_ids: Sequence[int]) -> np.ndarray:
        """Return the stored key vectors of these claims, in the given order."""
        found: dict[int, bytes] = {}
        for begin in range(0, len(claim_ids), 900):
            chunk = list(claim_ids[begin : begin + 900])
            sql = f"SELECT id, vector FROM claims WHERE id IN ({','.join('?' * len(chunk))})"
            found.update(self.db.execute(sql, chunk).fetchall())
        return vectors_from_blobs([found[i] for i in claim_ids], self.dim)
