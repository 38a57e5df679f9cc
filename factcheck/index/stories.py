"""The stored documents' story features, numbered once when written, so `ci` groups stories on integers.

`ci` groups the new documents with the ~100-1,000 stored documents it retrieved (`read.stories`).
Reading their features as strings and numbering them cost ~0.35 s of a 100k `ci` run; writers therefore
keep, per stored document, the ids of its names and words (`story_ids`) in a vocabulary shared by the
whole index (`story_vocab`), and `ci` reads integer arrays.

Each row carries the version of the feature reader that made it (`features_version`: a digest of
`read/stories.py` and of the Python and Unicode versions its regular expressions depend on).  Rows of
another version, missing rows (an index written before this table existed), unreadable or damaged rows,
or a database without the tables make `stored_ids` return None, and `ci` reads the features as strings
as before: never a wrong grouping, only a slower one.  Every `index add` (even one that adds nothing)
numbers the documents that lack a current row; removing or replacing a document deletes its row.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from factcheck.read.stories import Features, NumberedFeatures

__all__ = ["STORY_SCHEMA", "delete_ids", "ensure_tables", "features_version", "missing", "number_new",
           "stored_ids", "write_ids"]

STORY_SCHEMA = """
CREATE TABLE IF NOT EXISTS story_vocab (
    id INTEGER PRIMARY KEY, part INTEGER NOT NULL, feature TEXT NOT NULL, UNIQUE (part, feature));
CREATE TABLE IF NOT EXISTS story_ids (
    doc_id INTEGER PRIMARY KEY, version TEXT NOT NULL, names BLOB NOT NULL, words BLOB NOT NULL);
"""

_ID = np.dtype("<i4")  # ids as stored: little-endian int32
_version: str | None = None


def features_version() -> str:
    """Digest of what `read.stories.story_features` depends on (its module, Python, the Unicode tables)."""
    global _version
    if _version is None:
        import unicodedata

        import factcheck.read.stories as stories

        digest = hashlib.sha256(Path(stories.__file__ or "").read_bytes())
        digest.update(f"{sys.version_info[:2]} {unicodedata.unidata_version}".encode())
        _version = digest.hexdigest()[:16]
    return _version


def _ids(db: sqlite3.Connection, features: Sequence[Features], add: bool) -> tuple[list[np.ndarray], ...]:
    """Each document's name ids and word ids; with `add`, unknown features get new vocabulary rows.

    Without `add`, an unknown feature gets an id above every stored one (the same id for the same
    feature), so it is shared by no stored document.
    """
    out: tuple[list[np.ndarray], ...] = ([], [])
    fresh = 1 + int(db.execute("SELECT coalesce(max(id), 0) FROM story_vocab").fetchone()[0])
    for part in (0, 1):
        wanted = sorted({f for found in features for f in found[part]})
        known: dict[str, int] = {}
        for begin in range(0, len(wanted), 900):
            chunk = wanted[begin : begin + 900]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT feature, id FROM story_vocab WHERE part={part} AND feature IN ({marks})"
            known.update(db.execute(sql, chunk).fetchall())
        unknown = [f for f in wanted if f not in known]
        if unknown and add:
            db.executemany(f"INSERT INTO story_vocab (part, feature) VALUES ({part}, ?)",
                           [(f,) for f in unknown])
            for begin in range(0, len(unknown), 900):
                chunk = unknown[begin : begin + 900]
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT feature, id FROM story_vocab WHERE part={part} AND feature IN ({marks})"
                known.update(db.execute(sql, chunk).fetchall())
        else:
            known.update(zip(unknown, range(fresh, fresh + len(unknown)), strict=True))
            fresh += len(unknown)
        out[part].extend(np.fromiter(map(known.__getitem__, found[part]), np.int64, len(found[part]))
                         for found in features)
    return out


def write_ids(db: sqlite3.Connection, doc_ids: Sequence[int], features: Sequence[Features]) -> None:
    """Store the numbered features of these documents (inside the caller's transaction)."""
    ensure_tables(db)
    names, words = _ids(db, features, add=True)
    version = features_version()
    db.executemany(
        "INSERT OR REPLACE INTO story_ids (doc_id, version, names, words) VALUES (?,?,?,?)",
        [(doc_id, version, n.astype(_ID).tobytes(), w.astype(_ID).tobytes())
         for doc_id, n, w in zip(doc_ids, names, words, strict=True)],
    )


def ensure_tables(db: sqlite3.Connection) -> None:
    """Create the tables when missing (an index written before they existed); no commit of its own."""
    for statement in STORY_SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


def missing(db: sqlite3.Connection) -> list[int]:
    """Return the ids of the stored documents without a current row of numbered features."""
    ensure_tables(db)
    sql = ("SELECT d.id FROM documents d LEFT JOIN story_ids s ON s.doc_id = d.id AND s.version = ?"
           " WHERE s.doc_id IS NULL ORDER BY d.id")
    return [int(row[0]) for row in db.execute(sql, (features_version(),))]


def delete_ids(db: sqlite3.Connection, doc_id: int) -> None:
    """Delete one document's row (inside the caller's transaction), when the table exists."""
    with contextlib.suppress(sqlite3.OperationalError):  # an index written before the table existed
        db.execute("DELETE FROM story_ids WHERE doc_id=?", (doc_id,))


def stored_ids(db: sqlite3.Connection, doc_ids: Sequence[int]) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """Each document's (name ids, word ids) as stored, or None unless every one has a sound current row."""
    version = features_version()
    found: dict[int, tuple[bytes, bytes]] = {}
    try:
        for begin in range(0, len(doc_ids), 900):
            chunk = list(doc_ids[begin : begin + 900])
            sql = (f"SELECT doc_id, names, words FROM story_ids WHERE version=? AND doc_id IN "
                   f"({','.join('?' * len(chunk))})")
            for doc_id, names, words in db.execute(sql, [version, *chunk]):
                found[doc_id] = (names, words)
        top = int(db.execute("SELECT coalesce(max(id), 0) FROM story_vocab").fetchone()[0])
    except sqlite3.Error:
        return None
    out: list[tuple[np.ndarray, np.ndarray]] = []
    for doc_id in doc_ids:
        row = found.get(doc_id)
        if row is None or not all(isinstance(b, bytes) and len(b) % _ID.itemsize == 0 for b in row):
            return None
        out.append((np.frombuffer(row[0], dtype=_ID), np.frombuffer(row[1], dtype=_ID)))
    ids = np.concatenate([np.concatenate(pair) for pair in out]) if out else np.zeros(0, dtype=_ID)
    if len(ids) and (int(ids.min()) < 1 or int(ids.max()) > top):  # damaged: ids the vocabulary never gave
        return None
    return out


def number_new(
    db: sqlite3.Connection, new: Sequence[Features], stored: Sequence[tuple[np.ndarray, np.ndarray]]
) -> NumberedFeatures | None:
    """Give the new documents' features ids of the index's vocabulary; the stored documents' ids follow."""
    try:
        names, words = _ids(db, new, add=False)
    except sqlite3.Error:
        return None
    names += [pair[0] for pair in stored]
    words += [pair[1] for pair in stored]

    def flat(arrays: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        counts = np.fromiter((len(a) for a in arrays), np.int64, len(arrays))
        joined = np.concatenate(arrays).astype(np.int64) if arrays else np.zeros(0, dtype=np.int64)
        return counts, joined

    return NumberedFeatures(*flat(names), *flat(words))
