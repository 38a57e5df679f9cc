"""How `ci` searches the index: FAISS rows in (group, id) order, per-group top-k, screens, old layouts."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest
from conftest import ROOT, SEEDS, FakeEmbedder

from factcheck.config import Config
from factcheck.extract import normalise_key
from factcheck.index.codec import claim_group, vectors_from_blobs
from factcheck.index.store import VECTORS, CorpusIndex
from factcheck.pipeline import analyse
from factcheck.read.ingest import load_documents
from factcheck.records import Claim

CONFIG = Config(use_cache=False)
NEW = ROOT / "seeds" / "000_48df2dfc749e10e2.txt"


def _index(tmp_path: Path, vector_type: str = "float32") -> CorpusIndex:
    path = tmp_path / f"ix-{vector_type}"
    index = CorpusIndex.open(path, FakeEmbedder(), create=True, vector_type=vector_type)
    index.add(load_documents([str(SEEDS)]), CONFIG)
    return index


def _file_ids(index: CorpusIndex) -> list[int]:
    stored = faiss.read_index(str(index.path / VECTORS))  # keep a reference: faiss objects own their memory
    assert isinstance(stored, faiss.IndexIDMap2)
    return [int(i) for i in faiss.vector_to_array(stored.id_map)]


def _group_order(index: CorpusIndex) -> list[int]:
    return [r[0] for r in index.db.execute("SELECT id FROM claims ORDER BY grp, id")]


def _new_claims() -> tuple[list[Claim], np.ndarray]:
    claims = list(analyse(load_documents([str(NEW)]), CONFIG).claims)
    return claims, FakeEmbedder().encode([normalise_key(c.key) for c in claims])


def _brute_force(index: CorpusIndex, claims: list[Claim], vectors: np.ndarray, threshold: float) -> set[int]:
    """Every stored id in a query's group with inner product >= threshold (SQLite vectors, no FAISS)."""
    rows = index.db.execute("SELECT id, grp, vector FROM claims").fetchall()
    matrix = vectors_from_blobs([r[2] for r in rows], int(index.manifest["dim"]))
    wanted: set[int] = set()
    for claim, vector in zip(claims, vectors, strict=True):
        sims = matrix @ vector
        group = claim_group(claim)
        wanted.update(r[0] for r, sim in zip(rows, sims, strict=True) if r[1] == group and sim >= threshold)
    return wanted


def test_faiss_rows_are_in_group_order_after_add_and_remove(tmp_path: Path) -> None:
    index = _index(tmp_path)
    assert _file_ids(index) == _group_order(index)
    assert _file_ids(index) != sorted(_file_ids(index))  # groups interleave in insertion order: reordered
    index.remove([str(SEEDS / "003_cfa95d9472509ddd.txt")])
    assert _file_ids(index) == _group_order(index)
    assert (index.path / VECTORS).stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("vector_type", ["float32", "float16"])
def test_neighbours_are_exactly_the_in_group_keys_above_threshold(tmp_path: Path, vector_type: str) -> None:
    index = _index(tmp_path, vector_type)
    claims, vectors = _new_claims()
    finders = index._neighbours(index.vectors(), claims, vectors, 0.6, k=100_000)
    expected = _brute_force(index, claims, vectors, 0.6)
    assert expected  # the seeds share statements with this document
    if vector_type == "float32":
        assert set(finders) == expected
    else:  # float16 rounding moves a similarity by < 1e-3: only keys at the threshold may differ
        borderline = _brute_force(index, claims, vectors, 0.599) - _brute_force(index, claims, vectors, 0.601)
        assert set(finders) ^ expected <= borderline


def test_top_k_keeps_the_best_in_group_neighbours(tmp_path: Path) -> None:
    index = _index(tmp_path)
    claims, vectors = _new_claims()
    rows = index.db.execute("SELECT id, grp, vector FROM claims").fetchall()
    matrix = vectors_from_blobs([r[2] for r in rows], int(index.manifest["dim"]))
    sim_of = {r[0]: matrix[n] for n, r in enumerate(rows)}
    group_of = {r[0]: r[1] for r in rows}
    finders = index._neighbours(index.vectors(), claims, vectors, -1.0, k=3)
    per_query: dict[int, list[int]] = {}
    for claim_id, found_by in finders.items():
        for row in found_by:
            per_query.setdefault(row, []).append(claim_id)
    assert per_query
    for row, found in per_query.items():
        group = claim_group(claims[row])
        assert all(group_of[i] == group for i in found)  # other groups never take a slot
        in_group = [float(sim_of[i] @ vectors[row]) for i, g in group_of.items() if g == group]
        scores = sorted(in_group, reverse=True)
        kk = min(3, len(scores))
        # the k best, plus any row tied with the k-th (ties are kept whatever the row order)
        assert kk <= len(found) <= sum(1 for s in scores if s >= scores[kk - 1] - 1e-5)
        assert min(float(sim_of[i] @ vectors[row]) for i in found) >= scores[kk - 1] - 1e-5


def test_screen_drops_neighbours_but_not_same_surname_claims(tmp_path: Path) -> None:
    index = _index(tmp_path)
    claims, vectors = _new_claims()
    kept = index.retrieve(claims, vectors, 0.5, exclude_paths=[str(NEW)], offset=1, first_id=len(claims))
    none = index.retrieve(claims, vectors, 0.5, exclude_paths=[str(NEW)], offset=1, first_id=len(claims),
                          screen=lambda _new, _stored: False)
    surnames = {c.value.surname for c in claims if hasattr(c.value, "surname")}
    assert len(none.claims) < len(kept.claims)
    assert none.claims and all(getattr(c.value, "surname", None) in surnames for c in none.claims)


def test_older_row_order_is_reordered_in_memory_then_rewritten_by_a_writer(tmp_path: Path) -> None:
    index = _index(tmp_path)
    ids = _file_ids(index)
    stored = faiss.read_index(str(index.path / VECTORS))
    assert isinstance(stored, faiss.IndexIDMap2)
    vectors = np.vstack([stored.reconstruct(int(i)) for i in sorted(ids)])  # id order, as older versions had
    old = faiss.IndexIDMap2(faiss.IndexFlatIP(int(index.manifest["dim"])))
    old.add_with_ids(vectors, np.asarray(sorted(ids), dtype=np.int64))
    faiss.write_index(old, str(index.path / VECTORS))
    reader = CorpusIndex.open(index.path, FakeEmbedder())
    claims, query = _new_claims()
    assert reader.retrieve(claims, query, 0.6).claims  # searches fine in memory
    assert _file_ids(reader) == sorted(ids)  # a reader never writes
    writer = CorpusIndex.open(index.path, FakeEmbedder())
    writer.add([], CONFIG)
    assert _file_ids(writer) == _group_order(writer)
