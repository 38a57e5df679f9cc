"""The story judgement cache: a warm re-run of an unchanged story skips linking and rules, and every
input of a judgement (a document, a setting, the knowledge base, the code) re-judges the story."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, FakeEmbedder

import factcheck.judgements as judgements
import factcheck.pipeline as pipeline
from factcheck.config import Config
from factcheck.pipeline import check
from factcheck.records import Report, Severity

RULES = FIXTURES / "rules"
KB = FIXTURES / "kb" / "japan-2025.toml"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Three stories (one folder each) that each produce a finding with the fake embedder."""
    root = tmp_path / "corpus"
    for name, source in (("tariff", "FC301/fires"), ("minister", "FC201/fires"), ("kb", "FC601/fires")):
        shutil.copytree(RULES / source, root / name)
    return root


@pytest.fixture
def judged(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the stories actually judged (link + rules), as their document counts."""
    calls: list[int] = []
    real = pipeline.judge

    def counting(corpus: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(len(corpus.documents))
        return real(corpus, *args, **kwargs)

    monkeypatch.setattr(pipeline, "judge", counting)
    return calls


def _run(folder: Path, config: Config, embedder: FakeEmbedder | None = None) -> Report:
    return check([str(folder)], config, embedders=(embedder or FakeEmbedder(), None))


def _same(a: Report, b: Report) -> None:
    assert a.findings == b.findings
    assert a.clusters == b.clusters


def test_a_warm_run_judges_nothing_and_gives_the_same_report(corpus: Path, tmp_path: Path,
                                                             judged: list[int]) -> None:
    config = Config(cache_dir=tmp_path / "cache", kb=str(KB))
    cold = _run(corpus, config)
    assert len(judged) == 3 and cold.findings
    embedder = FakeEmbedder()
    warm = _run(corpus, config, embedder)
    assert len(judged) == 3  # no story judged again
    assert embedder.calls == 0  # nothing embedded on a fully cached run
    assert "embed+link" not in warm.timings and "judgement cache" in warm.timings
    _same(cold, warm)
    _same(cold, _run(corpus, Config(use_cache=False, kb=str(KB))))


def test_one_story_corpus_is_cached_too(tmp_path: Path, judged: list[int]) -> None:
    config = Config(cache_dir=tmp_path / "cache")
    cold = _run(RULES / "FC301" / "fires", config)
    warm = _run(RULES / "FC301" / "fires", config)
    assert judged == [2]
    _same(cold, warm)


def test_changing_one_document_rejudges_only_its_story(corpus: Path, tmp_path: Path,
                                                       judged: list[int]) -> None:
    config = Config(cache_dir=tmp_path / "cache", kb=str(KB))
    _run(corpus, config)
    judged.clear()
    file = corpus / "tariff" / "b.txt"
    file.write_text(file.read_text().replace("20%", "25%"))
    warm = _run(corpus, config)
    assert judged == [2]  # only the changed story
    _same(warm, _run(corpus, Config(use_cache=False, kb=str(KB))))
    assert not any(f.code == "FC301" for f in warm.findings)  # the conflict is gone


def test_a_renamed_document_rejudges_its_story(corpus: Path, tmp_path: Path, judged: list[int]) -> None:
    config = Config(cache_dir=tmp_path / "cache", kb=str(KB))
    _run(corpus, config)
    judged.clear()
    (corpus / "tariff" / "b.txt").rename(corpus / "tariff" / "c.txt")
    warm = _run(corpus, config)
    assert judged == [2]
    assert any(r.document.endswith("c.txt") for f in warm.findings for r in f.claims)


@pytest.mark.parametrize("change", [
    {"severity_overrides": {"FC301": Severity.INFO}},
    {"ignore": ("FC201",)},
    {"updates": "conflict"},
    {"across_stories": True},
])
def test_changing_a_setting_rejudges(corpus: Path, tmp_path: Path, judged: list[int],
                                     change: dict[str, Any]) -> None:
    _run(corpus, Config(cache_dir=tmp_path / "cache", kb=str(KB)))
    judged.clear()
    changed = _run(corpus, Config(cache_dir=tmp_path / "cache", kb=str(KB), **change))
    assert judged  # judged again under the new setting
    _same(changed, _run(corpus, Config(use_cache=False, kb=str(KB), **change)))


def test_changing_the_knowledge_base_rejudges(corpus: Path, tmp_path: Path, judged: list[int]) -> None:
    kb = tmp_path / "kb.toml"
    kb.write_text(KB.read_text())
    config = Config(cache_dir=tmp_path / "cache", kb=str(kb))
    before = _run(corpus, config)
    assert any(f.code.startswith("FC6") for f in before.findings)
    judged.clear()
    kb.write_text("")  # same path, no trusted facts any more
    after = _run(corpus, config)
    assert judged and not any(f.code.startswith("FC6") for f in after.findings)


def test_a_code_change_rejudges(corpus: Path, tmp_path: Path, judged: list[int],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    config = Config(cache_dir=tmp_path / "cache", kb=str(KB))
    _run(corpus, config)
    judged.clear()
    monkeypatch.setattr(judgements, "code_digest", lambda: "another version of the code")
    _run(corpus, config)
    assert len(judged) == 3


def test_another_embedder_rejudges(corpus: Path, tmp_path: Path, judged: list[int]) -> None:
    class OtherFake(FakeEmbedder):
        model_id = "fake-hash-256-other"

    config = Config(cache_dir=tmp_path / "cache", kb=str(KB))
    _run(corpus, config)
    judged.clear()
    _run(corpus, config, OtherFake())
    assert len(judged) == 3


def test_an_undecodable_record_is_judged_again(corpus: Path, tmp_path: Path, judged: list[int]) -> None:
    config = Config(cache_dir=tmp_path / "cache", kb=str(KB))
    cold = _run(corpus, config)
    db = sqlite3.connect(str(tmp_path / "cache" / judgements.CACHE_FILE))
    with db:
        db.execute(f"UPDATE {judgements.TABLE} SET record = ?", (b"not a record",))
    db.close()
    judged.clear()
    _same(cold, _run(corpus, config))
    assert len(judged) == 3


def test_no_cache_means_no_judgement_cache(corpus: Path, tmp_path: Path, judged: list[int]) -> None:
    for _ in range(2):
        _run(corpus, Config(use_cache=False, kb=str(KB)))
    assert len(judged) == 6
