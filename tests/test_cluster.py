"""Fact clusters: cross-document candidate pairs, deterministic ids, no giant chained cluster."""

from __future__ import annotations

import random

import numpy as np
import pytest

from factcheck.link.cluster import build_clusters, candidate_pairs
from factcheck.records import Claim, ClaimKind


def _claim(i: int, doc: int) -> Claim:
    return Claim(i, ClaimKind.QUANTITY, doc, 0, f"key {i}", "1", 0, 1, "1")


def _unit(rows: list[list[float]]) -> np.ndarray:
    out = np.asarray(rows, dtype=np.float32)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_candidate_pairs_are_cross_document_same_group_and_above_threshold() -> None:
    vectors = _unit([[1, 0], [1, 0.01], [1, 0.02], [0, 1], [0.01, 1]])
    groups = ["q", "q", "q", "q", "other"]
    docs = [0, 1, 0, 1, 0]
    pairs = candidate_pairs(vectors, groups, docs, threshold=0.9)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1), (1, 2)]  # 0-2 same doc; 3 and 4 differ in group
    assert all(s >= 0.9 for _, _, s in pairs)


def test_cluster_ids_do_not_depend_on_pair_order() -> None:
    claims = [_claim(i, i % 3) for i in range(12)]
    pairs = [(0, 1, 0.9), (1, 2, 0.95), (4, 5, 0.85), (7, 8, 0.99), (8, 10, 0.91)]
    shuffled = pairs[:]
    random.Random(3).shuffle(shuffled)
    first = build_clusters(claims, pairs)
    second = build_clusters(claims, shuffled)
    def shape(clusters: list) -> list:
        return [(c.id, [x.id for x in c.claims]) for c in clusters]

    assert shape(first) == shape(second)
    assert [c.id for c in first] == ["F0001", "F0002", "F0003"]
    assert [x.id for x in first[0].claims] == [0, 1, 2]
    assert first[0].similarity == 0.9


def test_a_long_chain_is_split_instead_of_one_giant_cluster() -> None:
    claims = [_claim(i, i % 2) for i in range(200)]
    # a chain 0-1-2-...-199 where every link is similar to the next one only
    pairs = [(i, i + 1, 0.80 + 0.19 * ((i * 37) % 11) / 10) for i in range(199)]
    clusters = build_clusters(claims, pairs, max_size=40)
    assert len(clusters) > 1
    assert max(len(c.claims) for c in clusters) <= 40
    covered = {x.id for c in clusters for x in c.claims}
    assert covered <= set(range(200))


def test_small_searches_on_one_thread_find_the_same_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    import faiss

    import factcheck.link.cluster as cluster

    rng = np.random.default_rng(5)
    vectors = rng.normal(size=(600, 16)).astype(np.float32)
    vectors[300:] = vectors[:300] + 0.05 * rng.normal(size=(300, 16)).astype(np.float32)  # near-copies
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    groups = ["a" if i % 3 else "b" for i in range(600)]
    docs = [i % 7 for i in range(600)]
    threads = faiss.omp_get_max_threads()
    found = []
    for work in (0, 10**18):  # every search on the default threads, then every search on one thread
        monkeypatch.setattr(cluster, "ONE_THREAD_WORK", work)
        found.append(candidate_pairs(vectors, groups, docs, threshold=0.5))
    assert found[0] == found[1] and len(found[0]) > 300
    assert faiss.omp_get_max_threads() == threads  # the thread count is restored after each search
