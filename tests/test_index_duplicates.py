"""Identical key vectors scored once (index/duplicates.py): the same neighbours, and a rows file that a
reader trusts only when it was written for the FAISS file it maps."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import ROOT, SEEDS, FakeEmbedder

from factcheck.config import Config
from factcheck.extract import normalise_key
from factcheck.index.duplicates import Distinct, first_rows, top_k_distinct
from factcheck.index.manifest import MANIFEST, ROWS_ID, VECTOR_ROWS, remove_index_files, unfinished
from factcheck.index.store import CorpusIndex
from factcheck.index.vectors import top_k
from factcheck.pipeline import analyse
from factcheck.read.ingest import load_documents

CONFIG = Config(use_cache=False)
NEW = ROOT / "seeds" / "000_48df2dfc749e10e2.txt"


def _matrix(rng: np.random.Generator, rows: int, distinct: int, dim: int = 16) -> np.ndarray:
    """Rows drawn from `distinct` vectors of -1/4, 0, 1/4 (norm <= 1; inner products exact in float32)."""
    pool = rng.integers(-1, 2, size=(distinct, dim)).astype(np.float32) / 4
    return np.ascontiguousarray(pool[rng.integers(0, distinct, size=rows)])


@pytest.mark.parametrize("seed", range(6))
def test_scoring_distinct_vectors_gives_exactly_the_neighbours_of_scoring_every_row(seed: int) -> None:
    rng = np.random.default_rng(seed)
    matrix = _matrix(rng, 3000, int(rng.integers(3, 400)))
    queries = np.ascontiguousarray(_matrix(rng, 7, 7))
    spans = {"a": (0, 1200), "b": (1200, 1201), "c": (1201, 3000)}
    first = first_rows(matrix, spans)
    assert all(bytes(matrix[r]) == bytes(matrix[f]) for r, f in enumerate(first.tolist()))
    assert len(set(first.tolist())) < len(matrix)
    for span in spans.values():
        for k, threshold in ((1, -10.0), (5, 0.0), (64, 0.25), (5000, -10.0), (3, 2.0)):
            want = top_k(queries, matrix, span, k, threshold)
            got = top_k_distinct(queries, matrix, Distinct.of(first, span), k, threshold)
            assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1]), (span, k, threshold)


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_first_rows_are_byte_identical_rows_even_when_every_hash_collides(dtype: type) -> None:
    rng = np.random.default_rng(7)
    matrix = _matrix(rng, 500, 20).astype(dtype)
    matrix[10] = -0.0  # -0.0 == 0.0 as floats, but other bytes: never merged
    matrix[11] = 0.0
    spans = {"a": (0, 250), "b": (250, 500)}
    for projection in (None, np.zeros((matrix.shape[1], 2))):  # zeros: every row of a group hashes alike
        first = first_rows(matrix, spans, projection)
        for start, end in spans.values():
            for row in range(start, end):
                assert start <= first[row] <= row and first[first[row]] == first[row]
                same = [r for r in range(start, end) if bytes(matrix[r]) == bytes(matrix[row])]
                if projection is None:
                    assert first[row] == same[0]  # no collision: every copy points at the first one
        assert bytes(matrix[first[11]]) != bytes(matrix[10]) and first[10] != first[11]
        assert all(bytes(matrix[f]) == bytes(matrix[r]) for r, f in enumerate(first.tolist()))
    assert len(set(first_rows(matrix, spans).tolist())) <= 2 * 20 + 2


def _index(tmp_path: Path) -> CorpusIndex:
    index = CorpusIndex.open(tmp_path / "ix", FakeEmbedder(), create=True)
    seeds = load_documents([str(SEEDS)])
    copies = tmp_path / "copies"
    copies.mkdir()
    for document in seeds[:2]:  # near-copies: the same sentences under other names
        (copies / Path(document.path).name).write_text(document.text, encoding="utf-8")
    index.add([*seeds, *load_documents([str(copies)])], CONFIG)
    return index


def _search(path: Path) -> tuple[CorpusIndex, dict[int, list[int]]]:
    reader = CorpusIndex.open(path, FakeEmbedder())
    claims = list(analyse(load_documents([str(NEW)]), CONFIG).claims)
    vectors = FakeEmbedder().encode([normalise_key(c.key) for c in claims])
    return reader, reader._neighbours(reader.vectors(), claims, vectors, -1.0, k=2)


def test_writers_store_first_rows_and_readers_use_them(tmp_path: Path) -> None:
    index = _index(tmp_path)
    assert (index.path / VECTOR_ROWS).is_file()
    reader, found = _search(index.path)
    first = reader.vector_file.first_rows()
    assert first is not None and len(set(first.tolist())) < len(first)  # the copies' vectors repeat
    (index.path / VECTOR_ROWS).unlink()
    plain, without = _search(index.path)
    assert plain.vector_file.first_rows() is None
    assert found == without and found


def test_a_rows_file_made_for_another_faiss_file_is_ignored_and_rewritten_by_a_writer(tmp_path: Path) -> None:
    index = _index(tmp_path)
    stale = (index.path / VECTOR_ROWS).read_bytes()
    index.remove([str(SEEDS / "003_cfa95d9472509ddd.txt")])  # a writer rewrites both files
    assert (index.path / VECTOR_ROWS).read_bytes() != stale
    reader, _ = _search(index.path)
    assert reader.vector_file.first_rows() is not None
    manifest = json.loads((index.path / MANIFEST).read_text())
    manifest[ROWS_ID] = "1:2 3:4"  # written for some other file
    (index.path / MANIFEST).write_text(json.dumps(manifest))
    reader, _ = _search(index.path)
    assert reader.vector_file.first_rows() is None
    CorpusIndex.open(index.path, FakeEmbedder()).add([], CONFIG)  # nothing to add: the writer repairs it
    reader, _ = _search(index.path)
    assert reader.vector_file.first_rows() is not None


@pytest.mark.parametrize("damage", ["garbage", "truncated", "points-forward", "wrong-length", "float"])
def test_a_damaged_rows_file_is_ignored_and_the_neighbours_are_the_same(tmp_path: Path, damage: str) -> None:
    index = _index(tmp_path)
    _, found = _search(index.path)
    rows = index.path / VECTOR_ROWS
    first = np.load(rows, allow_pickle=False)
    if damage == "garbage":
        rows.write_bytes(b"\x93NUMPY garbage" * 50)
    elif damage == "truncated":
        rows.write_bytes(rows.read_bytes()[:100])
    else:
        bad = {"points-forward": np.r_[first[:-1], len(first)], "wrong-length": first[:-1],
               "float": first.astype(np.float64)}[damage]
        with open(rows, "wb") as handle:
            np.save(handle, bad, allow_pickle=False)
    manifest = json.loads((index.path / MANIFEST).read_text())  # as if written for this file
    faiss_part = manifest[ROWS_ID].split(" ")[0]
    stat = rows.stat()
    manifest[ROWS_ID] = f"{faiss_part} {stat.st_size}:{stat.st_mtime_ns}"
    (index.path / MANIFEST).write_text(json.dumps(manifest))
    reader, again = _search(index.path)
    assert reader.vector_file.first_rows() is None
    assert again == found


def test_the_rows_file_belongs_to_the_index_files(tmp_path: Path) -> None:
    index = _index(tmp_path)
    index.close()
    (index.path / MANIFEST).unlink()
    assert unfinished(index.path)  # an index being created may hold it
    remove_index_files(index.path)
    assert not (index.path / VECTOR_ROWS).exists()
    assert not (index.path / "vectors.distinct.npy").exists()


def test_small_searches_run_blas_on_one_thread_with_the_same_neighbours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from threadpoolctl import threadpool_info

    import factcheck.index.vectors as vectors_module
    import factcheck.link.cluster as cluster

    index = _index(tmp_path)
    seen: list[int] = []
    real = vectors_module.top_k_distinct

    def spy(*args: object) -> object:
        seen.append(min(p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"))
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(vectors_module, "top_k_distinct", spy)
    _, small = _search(index.path)
    assert seen and set(seen) == {1}
    seen.clear()
    monkeypatch.setattr(cluster, "ONE_THREAD_WORK", 0)  # every search counts as large: BLAS as configured
    _, large = _search(index.path)
    assert small == large and small
    default = min(p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas")
    assert set(seen) == {default}


def test_readers_use_the_recorded_group_slices_only_while_sqlite_holds_the_same_claims(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import factcheck.index.vectors as vectors_module
    from factcheck.index.manifest import GROUPS_ID

    index = _index(tmp_path)
    manifest_file = index.path / MANIFEST
    recorded = json.loads(manifest_file.read_text())[GROUPS_ID]
    counted: list[int] = []
    real = vectors_module.group_counts

    def spy(db: object) -> object:
        counted.append(1)
        return real(db)  # type: ignore[arg-type]

    monkeypatch.setattr(vectors_module, "group_counts", spy)
    reader, found = _search(index.path)
    assert not counted and found  # the GROUP BY over every claim was not needed
    expected = vectors_module.group_slices(reader.vectors(), reader.db)
    assert reader.vector_file.slices == expected
    assert {g: span[:2] for g, span in recorded["slices"].items()} == {
        g: list(span) for g, span in (expected or {}).items()}
    # a malformed entry, one made for other claims, or ids in the file that do not add up to the recorded
    # sums (damaged bytes) are not used: the rows are checked against SQLite instead
    off = {g: [*span[:3], span[3] + 1] for g, span in recorded["slices"].items()}
    for entry in ({**recorded, "slices": {"x": 1}}, {**recorded, "slices": off},
                  {**recorded, "claims": [recorded["claims"][0] + 1, recorded["claims"][1]]},
                  {**recorded, "vectors_file": "1:2"}, "nonsense"):
        manifest = json.loads(manifest_file.read_text())
        manifest[GROUPS_ID] = entry
        manifest_file.write_text(json.dumps(manifest))
        counted.clear()
        again, same = _search(index.path)
        assert counted and same == found and again.vector_file.slices == expected
    # a writer with nothing to add records the entry again
    CorpusIndex.open(index.path, FakeEmbedder()).add([], CONFIG)
    again_recorded = json.loads(manifest_file.read_text())[GROUPS_ID]
    assert again_recorded.pop("distinct") and recorded.pop("distinct")  # the file is written again
    assert again_recorded == recorded


def test_claims_written_after_the_vectors_file_make_the_recorded_slices_stale(tmp_path: Path) -> None:
    # a writer killed after its SQLite commit, before the FAISS file: the reader must not trust the record
    index = _index(tmp_path)
    extra = tmp_path / "extra.txt"
    extra.write_text("Budget\n\nThe finance minister, Piet Brandt, said the budget would rise by 4 pct.\n")
    corpus = analyse(load_documents([str(extra)]), CONFIG)
    vectors = FakeEmbedder().encode([normalise_key(c.key) for c in corpus.claims])
    index.records.write(corpus, vectors, [(0, "extra.txt", None)])
    reader = CorpusIndex.open(index.path, FakeEmbedder())
    assert reader.vector_file._recorded_slices(reader.vector_file.read(mapped=True)) is None
    faiss_index = reader.vectors()
    assert faiss_index.ntotal == reader.records.count("claims")  # patched in memory from the database


@pytest.mark.parametrize("vector_type", ["float32", "float16"])
def test_readers_map_codes_and_ids_where_the_writer_found_them_without_faiss(
    tmp_path: Path, vector_type: str
) -> None:
    from factcheck.index.manifest import GROUPS_ID
    from factcheck.index.mapped import MappedFile, locate
    from factcheck.index.vectors import code_matrix, faiss_ids

    index = CorpusIndex.open(tmp_path / "ix", FakeEmbedder(), create=True, vector_type=vector_type)
    index.add(load_documents([str(SEEDS)]), CONFIG)
    manifest_file = index.path / MANIFEST
    layout = json.loads(manifest_file.read_text())[GROUPS_ID]["layout"]
    assert isinstance(layout, list) and len(layout) == 2
    reader, found = _search(index.path)
    mapped = reader.vectors()
    assert isinstance(mapped, MappedFile) and found
    faiss_index = reader.vector_file.read()
    assert np.array_equal(mapped.codes, code_matrix(faiss_index, reader.vector_file.dim, vector_type))
    assert np.array_equal(mapped.ids, faiss_ids(faiss_index))
    # arrays that are not what the file holds are not located
    assert locate(index.path / "vectors.faiss", code_matrix(faiss_index, reader.vector_file.dim, vector_type),
                  faiss_ids(faiss_index)[::-1].copy()) is None
    # a layout that does not fit the file (or none) falls back to FAISS, with the same neighbours
    for wrong in ([layout[0] + 4, layout[1]], [layout[0], layout[1] - 8], None, "x"):
        manifest = json.loads(manifest_file.read_text())
        manifest[GROUPS_ID]["layout"] = wrong
        manifest_file.write_text(json.dumps(manifest))
        again, same = _search(index.path)
        assert not isinstance(again.vectors(), MappedFile) and same == found


@pytest.mark.parametrize("damage", ["none", "missing", "other-file", "wrong-shape", "wrong-type"])
def test_readers_score_the_stored_distinct_vectors_as_one_block_only_when_they_fit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    import factcheck.index.vectors as vectors_module
    from factcheck.index.manifest import GROUPS_ID

    index = _index(tmp_path)
    distinct_file = index.path / "vectors.distinct.npy"
    assert distinct_file.is_file()
    _, found = _search(index.path)
    blocks: list[bool] = []
    real = vectors_module.top_k_distinct

    def spy(*args: object) -> object:
        blocks.append(len(args) > 5 and args[5] is not None)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(vectors_module, "top_k_distinct", spy)
    stored = np.load(distinct_file, allow_pickle=False)
    if damage == "missing":
        distinct_file.unlink()
    elif damage != "none":
        bad = {"other-file": stored, "wrong-shape": stored[:-1],
               "wrong-type": stored.astype(np.float64)}[damage]
        with open(distinct_file, "wb") as handle:
            np.save(handle, bad, allow_pickle=False)
        if damage != "other-file":  # as if written for this FAISS file
            manifest = json.loads((index.path / MANIFEST).read_text())
            stat = distinct_file.stat()
            manifest[GROUPS_ID]["distinct"] = f"{stat.st_size}:{stat.st_mtime_ns}"
            (index.path / MANIFEST).write_text(json.dumps(manifest))
    _, again = _search(index.path)
    assert again == found and blocks
    assert set(blocks) == {damage == "none"}
