"""Cluster fact keys: FAISS inner-product search for cross-document key pairs, then fact clusters.

Only claims of compatible kinds are compared (a quantity key never pairs with a role key).
Clusters are connected components of the pair graph, split again at a higher threshold when a
component grows past `max_size`, so one generic key cannot chain the corpus into a giant cluster.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import numpy as np

from factcheck.records import Claim, FactCluster

if TYPE_CHECKING:
    from numpy.typing import NDArray

EXACT_INDEX_LIMIT = 50_000  # above this many keys in one group, use HNSW
# A search of fewer (queries x rows) than this runs on one thread: FAISS's OpenMP start-up and spin-waiting
# cost more than a small search itself, most of all when the cores are busy (a corpus of many small
# stories makes thousands of such searches).  The results are the same on any number of threads.
ONE_THREAD_WORK = 200_000_000


@contextmanager
def _threads_for(work: int) -> Iterator[None]:
    """Run FAISS on one thread inside the block when `work` (queries x rows) is small."""
    import faiss

    if work >= ONE_THREAD_WORK:
        yield
        return
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def _index(vectors: NDArray[np.float32], exact: bool) -> object:
    import faiss

    dim = vectors.shape[1]
    index: Any
    if exact:
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 64
    index.add(vectors)
    return index


def candidate_pairs(
    vectors: NDArray[np.float32],
    groups: Sequence[str | None],
    docs: Sequence[int],
    threshold: float,
    k: int = 24,
    exact_limit: int = EXACT_INDEX_LIMIT,
    queries: Sequence[bool] | None = None,
) -> list[tuple[int, int, float]]:
    """Cross-document pairs (i < j) of rows in the same group with inner product >= threshold.

    The list form of `candidate_arrays` (same pairs, same order).
    """
    low, high, sims = candidate_arrays(vectors, groups, docs, threshold, k, exact_limit, queries)
    return list(zip(low.tolist(), high.tolist(), sims.tolist(), strict=True))


def candidate_arrays(
    vectors: NDArray[np.float32],
    groups: Sequence[str | None],
    docs: Sequence[int],
    threshold: float,
    k: int = 24,
    exact_limit: int = EXACT_INDEX_LIMIT,
    queries: Sequence[bool] | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Cross-document pairs (i < j) of rows in the same group with inner product >= threshold.

    Returned as arrays (low rows, high rows, similarities), sorted by (low, high): a few bytes per
    pair where a list of tuples would hold ~140 (millions of pairs at 100k sentences).
    With `queries`, only the marked rows search the index (every pair then has a marked row):
    a negated clause looks for its affirmative twin without every clause searching every other.
    Rows whose group is None take no part (a caller's subset without copying the vectors).
    """
    by_group: dict[str, list[int]] = {}
    for row, group in enumerate(groups):
        if group is not None:
            by_group.setdefault(group, []).append(row)
    doc_array = np.asarray(docs)
    parts: list[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float32]]] = []
    for group in sorted(by_group):
        rows = np.asarray(by_group[group], dtype=np.int64)
        if len(set(doc_array[rows].tolist())) < 2:
            continue
        sub = np.ascontiguousarray(vectors[rows])
        local = np.arange(len(rows))
        if queries is not None:
            local = local[np.asarray([queries[r] for r in rows], dtype=bool)]
            if not len(local):
                continue
        kk = min(k, len(rows))
        with _threads_for(len(rows) * len(local)):
            index = _index(sub, exact=len(rows) <= exact_limit)
            sims, nbrs = index.search(np.ascontiguousarray(sub[local]), kk)  # type: ignore[attr-defined]
        # every (row, neighbour) hit at once: valid, above threshold, from another document
        a = np.repeat(local, kk)
        b = nbrs.reshape(-1)
        sim = sims.reshape(-1)
        keep = (b >= 0) & (sim >= threshold)
        i, j, sim = rows[a[keep]], rows[b[keep]], sim[keep]
        keep = doc_array[i] != doc_array[j]
        i, j, sim = i[keep], j[keep], sim[keep]
        parts.append((np.minimum(i, j), np.maximum(i, j), sim))
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    low = np.concatenate([p[0] for p in parts])
    high = np.concatenate([p[1] for p in parts])
    best = np.concatenate([p[2] for p in parts])
    # a pair found from both ends keeps its higher similarity; output sorted by (i, j)
    order = np.lexsort((-best.astype(np.float64), high, low))
    low, high, best = low[order], high[order], best[order]
    first = np.ones(len(low), dtype=bool)
    first[1:] = (low[1:] != low[:-1]) | (high[1:] != high[:-1])
    return low[first].astype(np.int64), high[first].astype(np.int64), best[first].astype(np.float64)


def build_clusters(
    claims: Sequence[Claim], pairs: Sequence[tuple[int, int, float]], max_size: int = 40
) -> list[FactCluster]:
    """Group claims linked by pairs into deterministic fact clusters (ids F0001, F0002, ...)."""
    components = _components(pairs, max_size)
    by_id = {c.id: c for c in claims}
    clusters = []
    for number, (members, edges) in enumerate(sorted(components, key=lambda c: min(c[0])), start=1):
        cluster_claims = tuple(by_id[i] for i in sorted(members))
        similarity = min(s for _, _, s in edges)
        clusters.append(FactCluster(f"F{number:04d}", cluster_claims, round(similarity, 4), tuple(edges)))
    return clusters


def _components(
    pairs: Sequence[tuple[int, int, float]], max_size: int
) -> list[tuple[set[int], list[tuple[int, int, float]]]]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, _ in pairs:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, tuple[set[int], list[tuple[int, int, float]]]] = {}
    for i, j, s in pairs:
        root = find(i)
        members, edges = groups.setdefault(root, (set(), []))
        members.update((i, j))
        edges.append((i, j, s))
    out = []
    for members, edges in groups.values():
        if len(members) <= max_size or len(edges) < 2:
            out.append((members, sorted(edges)))
            continue
        # too big: keep only the stronger half of the edges and split again
        cut = sorted(s for _, _, s in edges)[len(edges) // 2]
        stronger = [e for e in edges if e[2] > cut] or sorted(edges, key=lambda e: -e[2])[: max_size // 2]
        out.extend(_components(stronger, max_size))
    return out
