"""The analysis cache: a cached analysis equals a fresh one; only new or changed documents are analysed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from conftest import FIXTURES, SEEDS

from factcheck.analysis import AnalysisCache, analyse_documents
from factcheck.config import Config
from factcheck.read.ingest import load_documents
from factcheck.records import Document


def _documents() -> list[Document]:
    return load_documents([str(SEEDS), str(FIXTURES / "rules" / "FC301" / "fires"), str(FIXTURES / "ingest")])


def test_cached_analysis_is_identical_to_a_fresh_one(tmp_path: Path) -> None:
    documents = _documents()
    fresh = analyse_documents(documents, Config().role_synonyms)
    cache = AnalysisCache(tmp_path)
    first = analyse_documents(documents, Config().role_synonyms, cache)
    assert (cache.hits, cache.misses) == (0, len(documents))
    second = analyse_documents(documents, Config().role_synonyms, cache)
    assert (cache.hits, cache.misses) == (len(documents), len(documents))
    assert first == fresh
    assert second == fresh
    assert len(fresh[1]) > 50 and fresh[2]  # claims and boilerplate spans really went through the cache


def test_changed_and_reordered_documents(tmp_path: Path) -> None:
    documents = _documents()
    synonyms = Config().role_synonyms
    cache = AnalysisCache(tmp_path)
    analyse_documents(documents, synonyms, cache)
    changed = dataclasses.replace(documents[0], text=documents[0].text.replace("2", "3"))
    assert changed.text != documents[0].text
    corpus = [documents[-1], changed, *documents[1:-1]]
    hits_before, misses_before = cache.hits, cache.misses
    got = analyse_documents(corpus, synonyms, cache)
    assert cache.misses - misses_before == 1  # only the changed document is analysed again
    assert cache.hits - hits_before == len(documents) - 1
    assert got == analyse_documents(corpus, synonyms)  # ids and document indexes follow the new order
    other_synonyms = {**synonyms, "finance chief": "finance minister"}
    analyse_documents(corpus, other_synonyms, cache)
    assert cache.misses - misses_before == 1 + len(documents)  # other settings: another analysis


def test_unusable_cache_dir_warns_and_analyses(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = AnalysisCache(blocker)
    documents = _documents()
    assert analyse_documents(documents, Config().role_synonyms, cache) == analyse_documents(
        documents, Config().role_synonyms)
    assert "analysis cache disabled" in capsys.readouterr().err


def test_process_pool_gives_the_same_analysis(tmp_path: Path, monkeypatch) -> None:
    import factcheck.analysis as analysis

    documents = _documents()
    serial = analyse_documents(documents, Config().role_synonyms)
    monkeypatch.setattr(analysis, "POOL_MIN_CHARS", 0)
    monkeypatch.setattr(analysis, "POOL_CHUNK_DOCUMENTS", 2)
    monkeypatch.setenv("FACTCHECK_JOBS", "2")
    cache = AnalysisCache(tmp_path)
    timings: dict[str, float] = {}
    pooled = analyse_documents(documents, Config().role_synonyms, cache, timings)
    assert pooled == serial
    assert cache.misses == len(documents) and timings["extract"] > 0
    assert analyse_documents(documents, Config().role_synonyms, cache) == serial  # stored by the pool run
    assert cache.hits == len(documents)
    assert analyse_documents(documents, Config().role_synonyms, None) == serial  # pool without a cache


def test_an_older_cache_file_with_another_layout_is_left_alone(tmp_path: Path) -> None:
    import sqlite3

    old = sqlite3.connect(str(tmp_path / "analyses.sqlite3"))
    old.execute("CREATE TABLE analyses (analyser TEXT, digest BLOB, data TEXT,"
                " PRIMARY KEY (analyser, digest))")
    old.commit()
    old.close()
    documents = _documents()
    cache = AnalysisCache(tmp_path)
    assert analyse_documents(documents, Config().role_synonyms, cache) == analyse_documents(
        documents, Config().role_synonyms)
    analyse_documents(documents, Config().role_synonyms, cache)
    assert cache.hits == len(documents)
