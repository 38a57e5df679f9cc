"""Identical key vectors of an index, scored once: the `vectors.rows.npy` file next to `vectors.faiss`.

Near-copies of an article (syndicated versions, revisions) repeat its sentences, so many stored claims
have byte-identical key vectors: in a corpus of outlets running the same stories, about one row in three
is the first of its kind.  Writers store, for every FAISS row, the first row of its match group with the
same vector bytes (`first_rows`); `ci` then scores each distinct vector once and counts it as many times
as it occurs (`top_k_distinct`), which gives exactly the neighbours of scoring every row (identical
vectors have identical scores, so they are all kept or all dropped together).

The file is a derived cache like the FAISS file: the manifest records which FAISS file it was made for
(size and modification time of both), and a reader that finds it missing, stale or malformed scores
every row instead.  It is written with `numpy.save` (no pickle) and read with `allow_pickle=False`.
`vectors.distinct.npy` holds the distinct vectors themselves, one after another (`save_distinct`), so
that `ci` reads a group's distinct vectors as one block; its identity is recorded with the FAISS file's
group slices, and without it they are gathered from the FAISS file.
Like the memory-mapped FAISS file itself, their content is trusted once its identity matches: the check that
similarities are in range (`DamagedVectors`) sees the distinct rows only, so a row damaged in place without
its size or modification time changing would be scored as the row it copied.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

SEARCH_ROWS = 32768  # distinct vectors scored per block (bounds the similarity matrix)
MAX_SIMILARITY = 1.01  # key vectors are normalised: a larger |inner product| means damaged bytes


class DamagedVectors(Exception):  # noqa: N818 - a signal inside the index package, never shown to a user
    """Stored vectors that cannot be right (|similarity| > 1 or not a number): the file is damaged."""


def first_rows(
    matrix: np.ndarray, slices: dict[str, tuple[int, int]], projection: np.ndarray | None = None
) -> np.ndarray:
    """For each row of `matrix`, the first row of its group's slice with the same bytes (int64).

    Rows are grouped by two random projections (a hash computed block by block, so memory stays small) and
    each row is then compared byte for byte with the first row of its hash: a row that differs (a hash
    collision) stays its own first row, so rows that share a first row are always identical.  `projection`
    (dim x 2) replaces the random one (tests).
    """
    first = np.arange(len(matrix), dtype=np.int64)
    if not len(matrix):
        return first
    if projection is None:
        projection = np.random.default_rng(0).standard_normal((matrix.shape[1], 2))
    as_int = np.int16 if matrix.dtype.itemsize == 2 else np.int32  # compares bytes, not float values
    for start, end in slices.values():
        if end - start < 2:
            continue
        blocks = [np.asarray(matrix[b : min(b + SEARCH_ROWS, end)], dtype=np.float64)
                  for b in range(start, end, SEARCH_ROWS)]
        hashes = np.concatenate([block @ projection for block in blocks])
        _, firsts, inverse = np.unique(hashes, axis=0, return_index=True, return_inverse=True)
        candidate = firsts[inverse.reshape(-1)] + start  # np.unique gives first occurrences
        for b in range(start, end, SEARCH_ROWS):
            rows = np.arange(b, min(b + SEARCH_ROWS, end))
            pick = candidate[rows - start]
            same = np.all(matrix[rows].view(as_int) == matrix[pick].view(as_int), axis=1)
            first[rows] = np.where(same, pick, rows)
    return first


def save_first_rows(path: Path, first: np.ndarray) -> None:
    """Write `first_rows` output to `path` (callers write through `fileio.atomic_write`)."""
    with open(path, "wb") as handle:
        np.save(handle, np.ascontiguousarray(first, dtype=np.int64), allow_pickle=False)


def load_first_rows(path: Path, slices: dict[str, tuple[int, int]], total: int) -> np.ndarray | None:
    """Read and check a `vectors.rows.npy` file against the group slices; None when it is not usable.

    Every row must point at itself or at an earlier row of its own group that points at itself.
    """
    try:
        first = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None
    if first.dtype != np.int64 or first.shape != (total,):
        return None
    group = np.full(total, -1, dtype=np.int64)
    for n, (start, end) in enumerate(slices.values()):
        group[start:end] = n
    rows = np.arange(total, dtype=np.int64)
    if total and (first.min() < 0 or bool(np.any(first > rows)) or bool(np.any(group < 0))):
        return None
    if total and (bool(np.any(first[first] != first)) or bool(np.any(group[first] != group))):
        return None
    return np.asarray(first)


def save_distinct(path: Path, matrix: np.ndarray, first: np.ndarray) -> None:
    """Write the distinct vectors (the rows that are their own first row), in row order, to `path`.

    `ci` then reads each searched group's distinct vectors as one contiguous block instead of gathering
    them from the FAISS file row by row (~0.1-0.2 s of page faults at 100k in each `ci` process).
    """
    rows = np.flatnonzero(first == np.arange(len(first)))
    with open(path, "wb") as handle:
        np.save(handle, np.ascontiguousarray(matrix[rows]), allow_pickle=False)


def load_distinct(path: Path, first: np.ndarray, matrix: np.ndarray) -> np.ndarray | None:
    """Map a `vectors.distinct.npy` file; None unless it holds one row per distinct row, as `matrix` does."""
    try:
        distinct = np.load(path, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None
    rows = int(np.count_nonzero(first == np.arange(len(first))))
    if distinct.dtype != matrix.dtype or distinct.shape != (rows, matrix.shape[1]):
        return None
    return np.asarray(distinct)


@dataclass(frozen=True, slots=True)
class Distinct:
    """The distinct vectors of one group's slice: their rows, and the rows that repeat each of them."""

    rows: np.ndarray  # absolute row of each distinct vector (its first occurrence), ascending
    counts: np.ndarray  # how many rows hold it
    members: np.ndarray  # all rows of the slice, grouped by distinct vector (in `rows` order), ascending
    starts: np.ndarray  # members[starts[n] : starts[n] + counts[n]] are distinct vector n's rows

    @classmethod
    def of(cls, first: np.ndarray, span: tuple[int, int]) -> Distinct:
        """Return the distinct vectors of rows [start, end), given each row's first identical row."""
        start, end = span
        part = first[start:end]
        rows = np.flatnonzero(part == np.arange(start, end)) + start
        members = np.argsort(part, kind="stable") + start  # by first row, then row
        counts = np.bincount(part - start, minlength=end - start)[rows - start].astype(np.int64)
        starts = (np.cumsum(counts) - counts).astype(np.int64)
        return cls(rows, counts, members, starts)


def top_k_distinct(
    queries: np.ndarray, matrix: np.ndarray, distinct: Distinct, k: int, threshold: float,
    vectors: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(query row, matrix row) of each query's `k` best rows scoring >= threshold, ties all kept.

    The same answer as scoring every row of the slice (`vectors.top_k`), from the distinct vectors
    only: each is scored once and counts as often as it occurs when the k-th best score is found.
    `vectors` holds those distinct vectors one after another (`load_distinct`); without it they are
    gathered from `matrix`.  Pairs come back sorted by (query, row).
    """
    n_rows = int(distinct.counts.sum())
    kk = min(k, n_rows)
    found_q: list[np.ndarray] = []
    found_d: list[np.ndarray] = []
    found_s: list[np.ndarray] = []
    for begin in range(0, len(distinct.rows), SEARCH_ROWS):
        chosen = distinct.rows[begin : begin + SEARCH_ROWS]
        source = matrix[chosen] if vectors is None else vectors[begin : begin + SEARCH_ROWS]
        block = np.asarray(source, dtype=np.float32)
        with np.errstate(all="ignore"):  # damaged bytes must not print numpy warnings; they raise below
            sims = queries @ block.T
            if sims.size and not np.abs(sims).max() <= MAX_SIMILARITY:  # NaN fails this test too
                raise DamagedVectors(f"|similarity| {np.abs(sims).max()!r} in rows from {int(chosen[0])}")
        floor = np.full(len(sims), threshold, dtype=np.float32)
        if sims.shape[1] > kk:  # the block's k-th best distinct score: the k-th best row scores at least this
            floor = np.maximum(floor, np.partition(sims, sims.shape[1] - kk, axis=1)[:, sims.shape[1] - kk])
        query, column = np.nonzero(sims >= floor[:, None])
        found_q.append(query)
        found_d.append(column + begin)
        found_s.append(sims[query, column])
    if not found_q or not sum(len(q) for q in found_q):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    query, which, sims = np.concatenate(found_q), np.concatenate(found_d), np.concatenate(found_s)
    order = np.lexsort((which, -sims, query))  # by query, best first
    query, which, sims = query[order], which[order], sims[order]
    keep = sims >= _kth_scores(query, sims, distinct.counts[which], kk)
    query, which = query[keep], which[keep]
    return _expand(query, which, distinct)


def _kth_scores(query: np.ndarray, sims: np.ndarray, weights: np.ndarray, kk: int) -> np.ndarray:
    """Each entry's query's k-th best row score (entries sorted by query, best first; each weighs its count).

    A query with fewer than `kk` rows among its entries keeps them all (its lowest score).
    """
    first = np.flatnonzero(np.r_[True, query[1:] != query[:-1]])
    sizes = np.diff(np.r_[first, len(query)])
    total = np.cumsum(weights)
    before = np.repeat(total[first] - weights[first], sizes)
    reached = np.flatnonzero(total - before >= kk)  # entries at or past the k-th row of their query
    at = first + sizes - 1  # default: a query's last entry
    if len(reached):
        owner = np.searchsorted(first, reached, side="right") - 1
        owners, firsts = np.unique(owner, return_index=True)
        at[owners] = reached[firsts]
    return np.repeat(sims[at], sizes)


def _expand(query: np.ndarray, which: np.ndarray, distinct: Distinct) -> tuple[np.ndarray, np.ndarray]:
    """Each (query, distinct vector) pair as the pairs of that query with every row holding the vector."""
    counts = distinct.counts[which]
    if not len(counts):
        return query, which
    offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    rows = distinct.members[np.repeat(distinct.starts[which], counts) + offsets]
    query = np.repeat(query, counts)
    order = np.lexsort((rows, query))
    return query[order], rows[order]

