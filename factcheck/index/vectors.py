"""Vector layout and search of the corpus index: FAISS rows in (match group, id) order, per-group top-k.

The FAISS file of an index holds the claims' key vectors with their SQLite ids.  Its rows are kept in
(match group, id) order, so each group is one contiguous slice: `ci` scores only the slices of the new
claims' groups, with one matrix product per block, straight from the (memory-mapped) codes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from factcheck.index.codec import claim_group
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
