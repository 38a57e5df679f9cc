"""The analysis cache: a cached analysis equals a fresh one; only new or changed documents are analysed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import FIXTURES, SEEDS

from factcheck.analysis import AnalysisCache, analyse_documents
from factcheck.config import Config
from factcheck.read.ingest import load_documents
from factcheck.records import Document


def _documents() -> list[Document]:
    return load_documents([str(SEEDS), str(FIXTURES / "rules" / "FC301" / "fires"), str(FIXTURES / "ingest")])


def _typed(value: object) -> object:
    """A value with the type of every part spelled out, so equal-but-differently-typed parts differ."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(_typed(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, *(_typed(v) for v in value))
    return (type(value).__name__, value)


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
    # equal values of the same types (a StrEnum equals its string, a tuple is no list)
    assert _typed(second) == _typed(fresh)
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


def test_languages_are_identified_once_per_text(tmp_path: Path, monkeypatch) -> None:
    import factcheck.read.ingest as ingest

    calls: list[str] = []
    real = ingest.detect_language

    def counting(text: str, sample: int = 2_000) -> str:
        calls.append(text)
        return real(text, sample)

    monkeypatch.setattr(ingest, "detect_language", counting)
    texts = [d.text for d in _documents()]
    cache = AnalysisCache(tmp_path)
    first = [cache.language(t) for t in texts]
    cache.close()
    assert len(calls) == len(texts)
    again = AnalysisCache(tmp_path)
    assert [again.language(t) for t in texts] == first == [real(t) for t in texts]
    assert len(calls) == len(texts)  # the second cache answered from the file
    again.close()


def test_undecodable_or_unstorable_records_are_analysed_again(tmp_path: Path, monkeypatch) -> None:
    import sqlite3

    import factcheck.analysis as analysis

    documents = _documents()
    synonyms = Config().role_synonyms
    cache = AnalysisCache(tmp_path)
    fresh = analyse_documents(documents, synonyms, cache)
    cache.close()
    db = sqlite3.connect(str(tmp_path / analysis.CACHE_FILE))
    db.execute(f"UPDATE {analysis.TABLE} SET record = ?", (b"not zlib",))  # e.g. another layout
    db.commit()
    db.close()
    again = AnalysisCache(tmp_path)
    assert analyse_documents(documents, synonyms, again) == fresh
    assert again.misses == len(documents)
    assert analyse_documents(documents, synonyms, again) == fresh  # and stored again, readable now
    assert again.hits == len(documents)

    class Unknown:
        pass

    with pytest.raises(analysis._NotStorableError):
        analysis._pack(Unknown())
    real_pack = analysis._pack
    monkeypatch.setattr(analysis, "_pack", lambda _v: real_pack(Unknown()))
    other = AnalysisCache(tmp_path / "other")
    assert analyse_documents(documents, synonyms, other) == fresh  # nothing storable: analysed, not stored
    assert analyse_documents(documents, synonyms, other) == fresh
    assert other.hits == 0


def _counting_parser(monkeypatch) -> list[int]:
    """Count the sentences `parse_texts` parses in this process (a forked worker counts in its own copy)."""
    from factcheck.extract import syntax

    parsed: list[int] = []
    real = syntax.parse_texts

    def counting(texts):
        parsed.append(len(texts))
        return real(texts)

    monkeypatch.setattr(syntax, "parse_texts", counting)
    return parsed


def test_parsing_is_part_of_the_analysis_and_a_cached_document_is_never_parsed(tmp_path: Path,
                                                                               monkeypatch) -> None:
    from factcheck.extract import attach_frames
    from factcheck.extract.syntax import Analyser

    documents = _documents()
    synonyms = Config().role_synonyms
    parsed = _counting_parser(monkeypatch)
    sentences, claims, spans = analyse_documents(documents, synonyms)
    separate = (sentences, attach_frames(claims, sentences, Analyser(None)), spans)  # parse after analysis
    parsed.clear()
    cache = AnalysisCache(tmp_path)
    timings: dict[str, float] = {}
    cold = analyse_documents(documents, synonyms, cache, timings, Analyser(None))
    assert cold == separate and _typed(cold) == _typed(separate)
    assert any(c.frame is not None for c in cold[1]) and sum(parsed) > 0 and "parse" in timings
    assert cache.misses == len(documents)  # analyses without frames are stored under other keys
    parsed.clear()
    warm = analyse_documents(documents, synonyms, cache, None, Analyser(None))
    assert warm == separate and _typed(warm) == _typed(separate)
    assert parsed in ([], [0]) and sum(parsed) == 0 and cache.hits == len(documents)
    changed = dataclasses.replace(documents[0], text=documents[0].text.replace("2", "3"))
    alone = analyse_documents([changed], synonyms, None, None, Analyser(None))
    framed = {(c.doc_index, c.sentence_index) for c in alone[1] if c.frame is not None}
    parsed.clear()
    analyse_documents([changed, *documents[1:]], synonyms, cache, None, Analyser(None))
    assert 0 < sum(parsed) == len(framed)  # only the changed document's sentences were parsed again


def test_the_process_pool_parses_new_documents_in_its_workers(tmp_path: Path, monkeypatch) -> None:
    import factcheck.analysis as analysis
    from factcheck.extract.syntax import Analyser

    documents = _documents()
    synonyms = Config().role_synonyms
    serial = analyse_documents(documents, synonyms, None, None, Analyser(None))
    parsed = _counting_parser(monkeypatch)
    monkeypatch.setattr(analysis, "POOL_MIN_CHARS", 0)
    monkeypatch.setattr(analysis, "POOL_CHUNK_DOCUMENTS", 2)
    monkeypatch.setenv("FACTCHECK_JOBS", "2")
    timings: dict[str, float] = {}
    pooled = analyse_documents(documents, synonyms, AnalysisCache(tmp_path), timings, Analyser(None))
    assert pooled == serial and _typed(pooled) == _typed(serial)
    assert any(c.frame is not None for c in pooled[1])
    assert sum(parsed) == 0 and timings["parse"] > 0  # parsed in the workers, not in this process


@pytest.mark.parametrize("value", ["abc", "0", "-2", "1.5"])
def test_a_bad_factcheck_jobs_is_a_clear_error(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from factcheck.analysis import worker_count
    from factcheck.errors import ConfigError

    monkeypatch.setenv("FACTCHECK_JOBS", value)
    with pytest.raises(ConfigError, match="FACTCHECK_JOBS must be a positive number"):
        worker_count()
    monkeypatch.setenv("FACTCHECK_JOBS", "3")
    assert worker_count() == 3


def test_story_features_are_read_once_per_text_and_group_alike(tmp_path: Path, monkeypatch) -> None:
    import factcheck.read.stories as stories

    documents = load_documents([str(SEEDS), str(FIXTURES / "rules")])
    fresh = [stories.story_features(d.text) for d in documents]
    calls = []
    real = stories.story_features
    monkeypatch.setattr(stories, "story_features", lambda text: calls.append(1) or real(text))
    cache = AnalysisCache(tmp_path)
    assert cache.story_features(documents) == fresh
    assert len(calls) == len({d.text for d in documents})  # duplicate texts are read once
    calls.clear()
    again = AnalysisCache(tmp_path).story_features(documents)
    assert again == fresh and not calls  # all from the cache
    for by_folder in (True, False):
        assert stories.assign_stories(documents, by_folder, features=again) == stories.assign_stories(
            documents, by_folder)


def _pooled(monkeypatch: pytest.MonkeyPatch) -> None:
    import factcheck.analysis as analysis

    monkeypatch.setattr(analysis, "POOL_MIN_CHARS", 0)
    monkeypatch.setattr(analysis, "POOL_CHUNK_DOCUMENTS", 2)
    monkeypatch.setenv("FACTCHECK_JOBS", "2")


def test_a_worker_result_that_does_not_decode_is_analysed_here(tmp_path: Path, monkeypatch) -> None:
    import factcheck.analysis as analysis
    from factcheck.extract.syntax import Analyser

    documents = _documents()
    synonyms = Config().role_synonyms
    serial = analyse_documents(documents, synonyms, None, None, Analyser(None))
    real = analysis._decode
    calls: list[int] = []

    def first_fails(blob: bytes, document: Document, doc_index: int, first_id: int):  # type: ignore[no-untyped-def]
        calls.append(doc_index)
        return None if len(calls) == 1 else real(blob, document, doc_index, first_id)

    monkeypatch.setattr(analysis, "_decode", first_fails)
    _pooled(monkeypatch)
    cache = AnalysisCache(tmp_path)
    assert analyse_documents(documents, synonyms, cache, None, Analyser(None)) == serial
    monkeypatch.setattr(analysis, "_decode", real)
    assert analyse_documents(documents, synonyms, cache, None, Analyser(None)) == serial  # what was stored
    assert cache.hits == len(documents)


def _dying_worker(task: object) -> object:
    """A worker task that kills its process (out of memory, say); module level, so it pickles."""
    import os

    os._exit(3)


def test_a_broken_pool_warns_and_the_rest_is_analysed_here(monkeypatch, capsys) -> None:
    import factcheck.analysis as analysis

    documents = _documents()
    synonyms = Config().role_synonyms
    serial = analyse_documents(documents, synonyms)

    monkeypatch.setattr(analysis, "_analyse_chunk", _dying_worker)
    _pooled(monkeypatch)
    assert analyse_documents(documents, synonyms) == serial
    assert "analysing in one process" in capsys.readouterr().err


def test_stories_are_judged_while_later_documents_are_analysed(tmp_path: Path, monkeypatch) -> None:
    import factcheck.analysis as analysis
    import factcheck.pipeline as pipeline
    from factcheck.pipeline import check

    stories = tmp_path / "corpus"
    texts = ["Officials in Osaka said that Ryosei Akazawa led the trade talks with 40 delegates.",
             "Firefighters near Gdansk fought a blaze as Marta Kowalska's warehouse burned for 6 hours."]
    for story, text in enumerate(texts):
        for outlet in range(2):
            path = stories / f"s{story}-{outlet}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_text(f"Date: 2025-0{outlet + 1}-02\n\n{text}\n")
    events: list[str] = []
    real_iter, real_judge = analysis.iter_analyses, pipeline.judge_cached

    def recording_iter(documents, *args, **kwargs):  # type: ignore[no-untyped-def]
        for doc_index, part in real_iter(documents, *args, **kwargs):
            events.append(f"analysed {documents[doc_index].name}")
            yield doc_index, part

    def recording_judge(corpus, *args, **kwargs):  # type: ignore[no-untyped-def]
        events.append("judged " + ",".join(d.name for d in corpus.documents))
        return real_judge(corpus, *args, **kwargs)

    monkeypatch.setattr(analysis, "iter_analyses", recording_iter)
    monkeypatch.setattr(pipeline, "judge_cached", recording_judge)
    config = Config(embedder="static", cache_dir=tmp_path / "cache", syntax=False)
    together = check([str(stories)], config)
    assert events == ["analysed s0-0.txt", "analysed s0-1.txt", "judged s0-0.txt,s0-1.txt",
                      "analysed s1-0.txt", "analysed s1-1.txt", "judged s1-0.txt,s1-1.txt"]
    # each story judged as a run over its documents alone would judge it
    alone = [check([str(stories / f"s{n}-0.txt"), str(stories / f"s{n}-1.txt")], config) for n in (0, 1)]
    assert sorted(f.fingerprint for f in together.findings) == sorted(
        f.fingerprint for report in alone for f in report.findings)


def test_without_fork_everything_is_analysed_and_parsed_here_in_one_batch(monkeypatch) -> None:
    import factcheck.analysis as analysis
    from factcheck.extract.syntax import Analyser

    documents = _documents()
    synonyms = Config().role_synonyms
    serial = analyse_documents(documents, synonyms, None, None, Analyser(None))
    batches: list[int] = []
    real = analysis._frame
    def counting(parts, parser):  # type: ignore[no-untyped-def]
        batches.append(len(parts))
        return real(parts, parser)

    monkeypatch.setattr(analysis, "_frame", counting)
    monkeypatch.setattr(analysis, "_can_fork", lambda: False)
    _pooled(monkeypatch)
    assert analyse_documents(documents, synonyms, None, None, Analyser(None)) == serial
    assert batches == [len(documents)]  # one parse batch over all the documents


def test_interleaved_stories_are_analysed_story_by_story_and_ids_follow_the_corpus(tmp_path: Path,
                                                                                   monkeypatch) -> None:
    import factcheck.analysis as analysis
    from factcheck.pipeline import check

    texts = ["Officials in Osaka said that Ryosei Akazawa led the trade talks with 40 delegates.",
             "Firefighters near Gdansk fought a blaze as Marta Kowalska's warehouse burned for 6 hours."]
    folder = tmp_path / "corpus"
    folder.mkdir()
    for n, prefix in enumerate("abcd"):  # a, c tell story 0 and b, d story 1: interleaved in path order
        body = f"{texts[n % 2]} It took {n + 2} days."
        (folder / f"{prefix}.txt").write_text(f"Date: 2025-0{n + 1}-02\n\n{body}\n")
    seen: list[str] = []
    real_iter = analysis.iter_analyses

    def recording_iter(documents, *args, **kwargs):  # type: ignore[no-untyped-def]
        for doc_index, part in real_iter(documents, *args, **kwargs):
            seen.append(documents[doc_index].name)
            yield doc_index, part

    monkeypatch.setattr(analysis, "iter_analyses", recording_iter)
    _pooled(monkeypatch)  # worker processes analyse story after story (in this process: corpus order)
    config = Config(embedder="static", cache_dir=tmp_path / "cache", syntax=False)
    report = check([str(folder)], config)
    assert seen == ["a.txt", "c.txt", "b.txt", "d.txt"]  # story after story
    claims = report.corpus.claims
    assert [c.id for c in claims] == list(range(len(claims)))  # numbered in corpus order again
    assert [c.doc_index for c in claims] == sorted(c.doc_index for c in claims)
    assert report.clusters
    for cluster in report.clusters:
        for claim in cluster.claims:  # the corpus's own claim: its id and its document in the corpus
            assert claims[claim.id] == claim
            text = report.corpus.documents[claim.doc_index].text
            assert text[claim.value_start:claim.value_end] == claim.value_text
        ids = {claim.id for claim in cluster.claims}
        assert all(i in ids and j in ids for i, j, _s in cluster.pairs)
    alone = [check([str(folder / a), str(folder / b)], config) for a, b in (("a.txt", "c.txt"),
                                                                            ("b.txt", "d.txt"))]
    assert sorted(f.fingerprint for f in report.findings) == sorted(
        f.fingerprint for one in alone for f in one.findings)
    assert report.findings  # the two outlets of each story disagree on the days
    seen.clear()
    again = check([str(folder)], config)  # every document cached: analysed here, in corpus order
    assert seen == ["a.txt", "b.txt", "c.txt", "d.txt"]
    assert again.corpus.claims == report.corpus.claims and again.clusters == report.clusters


def test_story_labels_are_stored_per_set_of_documents(tmp_path: Path, monkeypatch) -> None:
    import sqlite3

    import factcheck.read.stories as stories
    from factcheck.read.stories import assign_stories

    documents = _documents()
    expected = assign_stories(documents)
    cache = AnalysisCache(tmp_path)
    assert cache.story_labels(documents) == expected
    calls: list[int] = []
    real = stories.assign_stories
    def counting(docs, **options):  # type: ignore[no-untyped-def]
        calls.append(len(docs))
        return real(docs, **options)

    monkeypatch.setattr(stories, "assign_stories", counting)
    assert cache.story_labels(documents) == expected and calls == []  # read, not grouped again
    edited = dataclasses.replace(documents[0], text=documents[0].text + " Mr Smith said so.")
    changed = [edited, *documents[1:]]
    cache.story_labels(changed)
    assert calls == [len(documents)]  # another set of documents: grouped
    cache.close()
    with sqlite3.connect(tmp_path / "analyses.sqlite3") as db:
        db.execute("UPDATE story_labels_v1 SET labels = 'not json'")
    assert AnalysisCache(tmp_path).story_labels(documents) == expected  # a damaged row is grouped again
    assert len(calls) == 2
