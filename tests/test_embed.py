"""Embedding cache and device selection (the CUDA path is exercised with fakes: tests never need a GPU)."""

from __future__ import annotations

import sys
import types
from typing import ClassVar

import numpy as np
import pytest

from factcheck.errors import ModelError
from factcheck.link.embed import CachedEmbedder, MiniLMEmbedder, resolve_device
from tests.conftest import FakeEmbedder


def test_cache_embeds_each_text_once_and_survives_a_restart(tmp_path) -> None:
    inner = FakeEmbedder()
    cached = CachedEmbedder(inner, tmp_path)
    first = cached.encode(["chief negotiator", "trade minister", "chief negotiator"])
    assert inner.texts_embedded == 2  # the duplicate is embedded once
    np.testing.assert_allclose(first[0], first[2])
    cached.close()

    again_inner = FakeEmbedder()
    again = CachedEmbedder(again_inner, tmp_path)
    second = again.encode(["trade minister", "chief negotiator"])
    assert again_inner.texts_embedded == 0  # a second run of the same corpus embeds nothing
    assert again.hits == 2 and again.misses == 0
    np.testing.assert_allclose(second[0], first[1], rtol=1e-6)


def _stored_rows(tmp_path) -> int:
    import sqlite3

    with sqlite3.connect(tmp_path / "embeddings.sqlite3") as db:
        return int(db.execute("SELECT count(*) FROM vectors").fetchone()[0])


def test_deferred_writes_store_every_vector_once_at_the_end_of_the_block(tmp_path) -> None:
    inner = FakeEmbedder()
    cached = CachedEmbedder(inner, tmp_path)
    with cached.deferred_writes():
        first = cached.encode(["chief negotiator", "trade minister"])
        again = cached.encode(["trade minister", "finance minister"])
        assert inner.texts_embedded == 3  # served from memory inside the block, not embedded twice
        np.testing.assert_allclose(again[0], first[1])
        assert _stored_rows(tmp_path) == 0  # nothing written yet
    assert _stored_rows(tmp_path) == 3
    later = CachedEmbedder(FakeEmbedder(), tmp_path)
    np.testing.assert_allclose(later.encode(["finance minister"])[0], again[1], rtol=1e-6)
    assert later.misses == 0


def test_close_stores_the_vectors_of_an_unfinished_block(tmp_path) -> None:
    cached = CachedEmbedder(FakeEmbedder(), tmp_path)
    block = cached.deferred_writes()
    block.__enter__()
    cached.encode(["chief negotiator"])
    cached.close()
    assert _stored_rows(tmp_path) == 1


def test_an_unwritable_cache_warns_and_keeps_the_vectors(tmp_path, capsys) -> None:
    cached = CachedEmbedder(FakeEmbedder(), tmp_path)
    with cached.deferred_writes():
        vectors = cached.encode(["chief negotiator"])
        cached._db.execute("DROP TABLE vectors")  # type: ignore[union-attr]
    assert vectors.shape == (1, FakeEmbedder().dim)
    assert "embedding cache not written" in capsys.readouterr().err


def test_cache_is_keyed_by_model_id(tmp_path) -> None:
    class OtherModel(FakeEmbedder):
        model_id = "another-model"

    CachedEmbedder(FakeEmbedder(), tmp_path).encode(["same text"])
    other = OtherModel()
    CachedEmbedder(other, tmp_path).encode(["same text"])
    assert other.texts_embedded == 1


def test_no_cache_dir_means_no_cache(tmp_path) -> None:
    inner = FakeEmbedder()
    cached = CachedEmbedder(inner, None)
    cached.encode(["a b"])
    cached.encode(["a b"])
    assert inner.texts_embedded == 2
    assert list(tmp_path.iterdir()) == []


def test_empty_input_gives_an_empty_matrix(tmp_path) -> None:
    out = CachedEmbedder(FakeEmbedder(), tmp_path).encode([])
    assert out.shape == (0, FakeEmbedder.dim)


def _fake_torch(cuda: bool) -> types.ModuleType:
    module = types.ModuleType("torch")
    module.cuda = types.SimpleNamespace(is_available=lambda: cuda)  # type: ignore[attr-defined]
    threads = [2]
    module.get_num_threads = lambda: threads[0]  # type: ignore[attr-defined]
    module.set_num_threads = lambda n: threads.__setitem__(0, n)  # type: ignore[attr-defined]
    return module


def test_device_resolution(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", _fake_torch(cuda=False))
    assert resolve_device("cpu") == "cpu"
    assert resolve_device("auto") == "cpu"
    with pytest.raises(ModelError, match="no CUDA device"):
        resolve_device("cuda")
    with pytest.raises(ModelError, match="unknown device"):
        resolve_device("tpu")
    monkeypatch.setitem(sys.modules, "torch", _fake_torch(cuda=True))
    assert resolve_device("auto") == "cuda"
    assert resolve_device("cuda") == "cuda"


class _RecordingModel:
    instances: ClassVar[list[_RecordingModel]] = []

    def __init__(self, path: str, device: str, local_files_only: bool) -> None:
        self.device = device
        self.local_files_only = local_files_only
        self.halved = False
        self.batch_sizes: list[int] = []
        self.threads: list[int] = []  # torch's intra-op threads during each encode call
        _RecordingModel.instances.append(self)

    def half(self) -> _RecordingModel:
        self.halved = True
        return self

    def encode(self, texts, batch_size, normalize_embeddings, show_progress_bar):
        self.batch_sizes.append(batch_size)
        self.threads.append(sys.modules["torch"].get_num_threads())
        assert normalize_embeddings and not show_progress_bar
        return np.ones((len(texts), 384), dtype=np.float16)


@pytest.mark.parametrize(
    ("cuda", "device", "halved", "batch"), [(True, "cuda", True, 512), (False, "cpu", False, 64)]
)
def test_minilm_uses_fp16_and_large_batches_on_cuda(monkeypatch, cuda, device, halved, batch) -> None:
    monkeypatch.setitem(sys.modules, "torch", _fake_torch(cuda=cuda))
    fake_st = types.ModuleType("sentence_transformers")
    fake_st.SentenceTransformer = _RecordingModel  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sentence_transformers", fake_st)
    _RecordingModel.instances.clear()
    embedder = MiniLMEmbedder(device="auto")
    vectors = embedder.encode(["Japan's chief negotiator", "trade minister"])
    model = _RecordingModel.instances[0]
    seen = (model.device, model.halved, model.batch_sizes, model.local_files_only)
    assert seen == (device, halved, [batch], True)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    embedder.encode(["a statement"] * 300)  # a large call keeps every thread
    assert model.threads == ([2, 2] if cuda else [1, 2])  # a small CPU call runs on one thread
    assert sys.modules["torch"].get_num_threads() == 2  # and the setting is restored after it
