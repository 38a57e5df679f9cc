"""Vector layout and search of the corpus index: FAISS rows in (match group, id) order, per-group top-k.

The FAISS file of an index holds the claims' key vectors with their SQLite ids.  Its rows are kept in
(match group, id) order, so each group is one contiguous slice: `ci` scores only the slices of the new
claims' groups, with one matrix product per block, straight from the (memory-mapped) codes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from factcheck.errors import IndexError_
from factcheck.fileio import atomic_write
from factcheck.index.codec import claim_group, vectors_from_blobs
from factcheck.index.manifest import REBUILD_HINT
from factcheck.records import Claim

SEARCH_ROWS = 32768  # stored vectors scored per block (bounds the similarity matrix)
GROUP_INDEX = "CREATE INDEX IF NOT EXISTS claims_grp ON claims (grp, id)"  # the FAISS row order


def faiss_ids(index: Any) -> np.ndarray:
    """Return the external (SQLite) ids of an IndexIDMap2's rows, in row order."""
    import faiss

    return faiss.vector_to_array(index.id_map).astype(np.int64) if index.ntotal else np.zeros(0, np.int64)


def group_counts(db: sqlite3.Connection) -> list[tuple[str, int, int, int]]:
    """(group, claims, largest id, sum of ids) per match group, in the FAISS row order."""
    sql = "SELECT grp, count(*), max(id), total(id) FROM claims GROUP BY grp ORDER BY grp"
    return [(g, int(n), int(top), int(total)) for g, n, top, total in db.execute(sql)]


def group_slices(index: Any, db: sqlite3.Connection) -> dict[str, tuple[int, int]] | None:
    """Each group's rows [start, end) when the FAISS rows are SQLite's claims in (group, id) order, else None.

    Claim ids are AUTOINCREMENT (never reused), so an older or newer FAISS file always differs from
    SQLite in some group's count or largest id; the id sums guard against anything else.
    """
    ids = faiss_ids(index)
    slices: dict[str, tuple[int, int]] = {}
    start = 0
    for group, count, top, total in group_counts(db):
        part = ids[start : start + count]
        if len(part) != count or int(part[-1]) != top or int(part.sum()) != total:
            return None
        if count > 1 and not bool(np.all(part[1:] > part[:-1])):
            return None
        slices[group] = (start, start + count)
        start += count
    return slices if start == len(ids) else None


def in_group_order(index: Any, db: sqlite3.Connection, empty: Callable[[], Any]) -> Any | None:
    """Return a copy of `index` (holding exactly the stored claims) with rows in (group, id) order.

    None when the index does not hold exactly the stored claims' ids.
    """
    import faiss

    order = np.fromiter((r[0] for r in db.execute("SELECT id FROM claims ORDER BY grp, id")), dtype=np.int64)
    present = faiss_ids(index)
    if len(present) != len(order):
        return None
    by_id = np.argsort(present)
    found = np.searchsorted(present, order, sorter=by_id)
    if len(order) and not np.array_equal(present[by_id[np.minimum(found, len(by_id) - 1)]], order):
        return None
    rows = by_id[found] if len(order) else found
    inner = faiss.downcast_index(index.index)
    rebuilt = empty()
    for begin in range(0, len(order), SEARCH_ROWS):
        chunk = rows[begin : begin + SEARCH_ROWS]
        matrix = np.ascontiguousarray(inner.reconstruct_batch(chunk.astype(np.int64)), dtype=np.float32)
        rebuilt.add_with_ids(matrix, order[begin : begin + len(chunk)])
    return rebuilt


def code_matrix(index: Any, dim: int, vector_type: str) -> np.ndarray:
    """View the stored vectors as an (ntotal, dim) array over the index's own codes (no copy)."""
    import faiss

    inner: Any = faiss.downcast_index(index.index)
    kind = np.float16 if vector_type == "float16" else np.float32
    codes = faiss.rev_swig_ptr(inner.codes.data(), int(inner.ntotal) * int(inner.code_size))
    return np.frombuffer(codes, dtype=kind).reshape(int(inner.ntotal), dim)


def neighbours(
    matrix: np.ndarray,
    ids: np.ndarray,
    slices: dict[str, tuple[int, int]],
    claims: Sequence[Claim],
    vectors: np.ndarray,
    threshold: float,
    k: int,
) -> dict[int, list[int]]:
    """Map stored claim ids to the rows of `claims` that have them among their `k` nearest in-group keys."""
    queries = np.ascontiguousarray(vectors, dtype=np.float32)
    by_group: dict[str, list[int]] = {}
    for row, claim in enumerate(claims):
        by_group.setdefault(claim_group(claim), []).append(row)
    finders: dict[int, list[int]] = {}
    for group, members in sorted(by_group.items()):
        span = slices.get(group)
        if span is None:
            continue
        rows, positions = top_k(queries[members], matrix, span, k, threshold)
        for row, position in zip(rows.tolist(), positions.tolist(), strict=True):
            finders.setdefault(int(ids[position]), []).append(members[row])
    return finders


def top_k(
    queries: np.ndarray, matrix: np.ndarray, span: tuple[int, int], k: int, threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """(query row, matrix row) of each query's `k` best rows of `matrix[start:end]` scoring >= threshold."""
    start, end = span
    kk = min(k, end - start)
    best_sims: list[np.ndarray] = []
    best_rows: list[np.ndarray] = []
    for begin in range(start, end, SEARCH_ROWS):
        block = np.asarray(matrix[begin : min(begin + SEARCH_ROWS, end)], dtype=np.float32)
        sims = queries @ block.T
        if sims.shape[1] > kk:
            top = np.argpartition(sims, sims.shape[1] - kk, axis=1)[:, -kk:]
            sims = np.take_along_axis(sims, top, axis=1)
        else:
            top = np.broadcast_to(np.arange(sims.shape[1]), sims.shape)
        best_sims.append(sims)
        best_rows.append(top + begin)
    sims = np.concatenate(best_sims, axis=1)
    rows = np.concatenate(best_rows, axis=1)
    if sims.shape[1] > kk:
        top = np.argpartition(sims, sims.shape[1] - kk, axis=1)[:, -kk:]
        sims = np.take_along_axis(sims, top, axis=1)
        rows = np.take_along_axis(rows, top, axis=1)
    query, column = np.nonzero(sims >= threshold)
    return query, rows[query, column]


class VectorFile:
    """The FAISS file of an index directory, kept consistent with the SQLite claims (the source of truth).

    A run killed between the SQLite commit and the FAISS write leaves the two with different id sets;
    `current()` then patches the index in memory, and `current(write_repair=True)` (writers) repairs
    the file.
    """

    def __init__(self, path: Path, dim: int, vector_type: str, db: Callable[[], sqlite3.Connection]) -> None:
        self.path = path  # the vectors.faiss file
        self.dim = dim
        self.vector_type = vector_type
        self._db = db
        self._faiss: Any = None
        self.slices: dict[str, tuple[int, int]] = {}  # match group -> its rows [start, end)

    def empty(self) -> Any:
        """Return a new, empty FAISS index of this index's dimension and vector type."""
        import faiss

        if self.vector_type == "float16":
            fp16 = faiss.ScalarQuantizer.QT_fp16
            inner: Any = faiss.IndexScalarQuantizer(self.dim, fp16, faiss.METRIC_INNER_PRODUCT)
        else:
            inner = faiss.IndexFlatIP(self.dim)
        return faiss.IndexIDMap2(inner)

    def write(self, index: Any) -> None:
        """Write `index` (rows put in group order first) atomically over the file."""
        import faiss

        index = self.in_group_order(index)
        atomic_write(self.path, lambda tmp: faiss.write_index(index, tmp))
        self._faiss = index

    def read(self, mapped: bool = False) -> Any:
        """Read the file's FAISS index (memory-mapped with `mapped`); None when missing or unreadable."""
        import faiss

        if not self.path.exists():
            return None
        try:
            flags = faiss.IO_FLAG_MMAP_IFC if mapped else 0
            index = faiss.read_index(str(self.path), flags)
        except RuntimeError:
            return None
        if getattr(index, "d", None) != self.dim or not hasattr(index, "id_map"):
            return None
        return faiss.downcast_index(index) if not isinstance(index, faiss.IndexIDMap2) else index

    def current(self, write_repair: bool = False) -> Any:
        """Return the FAISS index made consistent with SQLite (in memory; on disk with `write_repair`)."""
        if self._faiss is not None and not write_repair:
            return self._faiss
        if not write_repair and self.path.exists():
            mapped = self.read(mapped=True)  # read-only pages of the file, loaded as touched
            if mapped is not None and self.agrees(mapped):
                self._faiss = mapped
                return mapped
        index = self.read()
        changed = index is None
        if index is None:
            index = self.empty()
        stored = np.fromiter((r[0] for r in self._db().execute("SELECT id FROM claims")), dtype=np.int64)
        present = faiss_ids(index)
        extra = np.setdiff1d(present, stored, assume_unique=True)
        missing = np.setdiff1d(stored, present, assume_unique=True)
        if extra.size:
            index.remove_ids(extra)
            changed = True
        if missing.size:
            self._add_from_db(index, missing)
            changed = True
        if write_repair and (changed or not self.agrees(index)):
            self.write(index)  # also puts the rows in group order
            index = self._faiss
        elif not self.agrees(index):
            index = self.in_group_order(index)  # an index written by an older factcheck: in memory only
        self._faiss = index
        return index

    def agrees(self, index: Any) -> bool:
        """Check that the FAISS rows are SQLite's claims in (group, id) order; remember the group slices."""
        slices = group_slices(index, self._db())
        if slices is not None:
            self.slices = slices
        return slices is not None

    def in_group_order(self, index: Any) -> Any:
        """Return the index with its rows in (group, id) order (a rebuilt copy when they are not)."""
        if self.agrees(index):
            return index
        rebuilt = in_group_order(index, self._db(), self.empty)
        if rebuilt is None or not self.agrees(rebuilt):
            raise IndexError_(f"index {self.path.parent} vectors disagree with its database; {REBUILD_HINT}")
        return rebuilt

    def _add_from_db(self, index: Any, ids: np.ndarray) -> None:
        for begin in range(0, len(ids), 5000):
            chunk = [int(i) for i in ids[begin : begin + 5000]]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id, vector FROM claims WHERE id IN ({marks})"
            rows = self._db().execute(sql, chunk).fetchall()
            if not rows:
                continue
            matrix = vectors_from_blobs([r[1] for r in rows], self.dim)
            index.add_with_ids(np.ascontiguousarray(matrix), np.asarray([r[0] for r in rows], dtype=np.int64))

    def consistent(self) -> bool:
        """Whether the file on disk holds exactly the stored claims' ids."""
        import faiss

        index = self.read()
        if index is None:
            return False
        stored = np.fromiter(
            (r[0] for r in self._db().execute("SELECT id FROM claims ORDER BY id")), dtype=np.int64
        )
        present = (
            np.sort(faiss.vector_to_array(index.id_map).astype(np.int64)) if index.ntotal else stored[:0]
        )
        return bool(np.array_equal(stored, present))

    def neighbours(
        self, index: Any, claims: Sequence[Claim], vectors: np.ndarray, threshold: float, k: int
    ) -> dict[int, list[int]]:
        """Map stored claim ids to the rows of `claims` that have them among their `k` nearest keys."""
        if not index.ntotal or (not self.slices and not self.agrees(index)):
            return {}
        matrix = code_matrix(index, self.dim, self.vector_type)
        return neighbours(matrix, faiss_ids(index), self.slices, claims, vectors, threshold, k)
