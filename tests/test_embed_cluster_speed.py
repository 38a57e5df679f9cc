"""The fast paths in embed.py and cluster.py give the same results as the straightforward code."""

from __future__ import annotations

import random

import numpy as np
import pytest

from factcheck.link.cluster import candidate_pairs
from factcheck.link.embed import StaticEmbedder, _sum_rows, normalise


def reference_pairs(vectors, groups, docs, threshold, k=24):
    """The original per-row loop over exact FAISS neighbours."""
    import faiss

    by_group: dict[str, list[int]] = {}
    for row, group in enumerate(groups):
        by_group.setdefault(group, []).append(row)
    found: dict[tuple[int, int], float] = {}
    for group in sorted(by_group):
        rows = by_group[group]
        if len({docs[r] for r in rows}) < 2:
            continue
        sub = np.ascontiguousarray(vectors[rows])
        index = faiss.IndexFlatIP(sub.shape[1])
        index.add(sub)
        sims, nbrs = index.search(sub, min(k, len(rows)))
        for a in range(len(rows)):
            for sim, b in zip(sims[a], nbrs[a], strict=True):
                if b < 0 or sim < threshold:
                    continue
                i, j = rows[a], rows[b]
                if docs[i] == docs[j]:
                    continue
                pair = (min(i, j), max(i, j))
                if float(sim) > found.get(pair, -1.0):
                    found[pair] = float(sim)
    return sorted((i, j, s) for (i, j), s in found.items())


def clustered_vectors(n: int, dim: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(max(1, n // 6), dim))
    rows = centres[rng.integers(0, len(centres), n)] + 0.35 * rng.normal(size=(n, dim))
    return normalise(rows)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_candidate_pairs_match_reference_loop(seed):
    vectors = clustered_vectors(400, 32, seed)
    rng = random.Random(seed)
    groups = [rng.choice(["person", "date", "quantity:%"]) for _ in range(400)]
    docs = [rng.randrange(12) for _ in range(400)]
    got = candidate_pairs(vectors, groups, docs, 0.5)
    want = reference_pairs(vectors, groups, docs, 0.5)
    assert got == want
    assert got, "the fixture must produce pairs"
    assert all(isinstance(i, int) and isinstance(j, int) and isinstance(s, float) for i, j, s in got)
    assert all(i < j and docs[i] != docs[j] and groups[i] == groups[j] for i, j, _ in got)


def test_candidate_pairs_single_document_and_empty():
    vectors = clustered_vectors(20, 8, 3)
    assert candidate_pairs(vectors, ["a"] * 20, [0] * 20, 0.0) == []
    assert candidate_pairs(np.zeros((0, 8), dtype=np.float32), [], [], 0.5) == []


def test_sum_rows_equals_one_reduceat():
    rng = np.random.default_rng(5)
    table = rng.normal(size=(50, 6)).astype(np.float32)
    lengths = rng.integers(0, 9, 3000).astype(np.int64)
    lengths[:3] = 0
    ids = rng.integers(0, 50, int(lengths.sum())).astype(np.int64)
    want = np.zeros((len(lengths), 6), dtype=np.float32)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    nonempty = lengths > 0
    want[nonempty] = np.add.reduceat(table[ids], starts[nonempty], axis=0)
    assert np.array_equal(_sum_rows(table, lengths, ids), want)


def test_wordwise_token_ids_equal_whole_text_ids():
    try:
        from tokenizers import Tokenizer

        from factcheck.link.embed import minilm_path

        tokenizer = Tokenizer.from_file(str(minilm_path() / "tokenizer.json"))
    except Exception as exc:
        pytest.skip(f"tokenizer not available: {exc}")
    tokenizer.no_padding()
    tokenizer.no_truncation()
    embedder = StaticEmbedder()
    embedder._tokenizer = tokenizer  # only the tokenizer is needed, not the distilled table
    embedder._table = np.zeros((1, 1), dtype=np.float32)
    rng = random.Random(7)
    alphabet = "ab cÉé\t\n\r  \u3000\u00a0\u2028\x1c\x00中文,.!?'\"-–“”😀ﬁ İ ß" + "xyz"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    texts += ["japan chief negotiator", "police said they had recovered of the haul", "", "  double  space "]
    want = [e.ids for e in tokenizer.encode_batch(texts, add_special_tokens=False)]
    assert embedder.token_ids(texts) == want
    assert embedder.token_ids(texts[:50]) == want[:50]  # second call: served from the word cache
