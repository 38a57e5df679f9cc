"""Item 6 of issue #14: results do not depend on the order of the inputs (check) or of index building (ci)."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import numpy as np
import pytest
from conftest import FIXTURES, FakeEmbedder

from factcheck.config import Config
from factcheck.index.vectors import top_k
from factcheck.pipeline import check
from factcheck.records import Report


@pytest.fixture
def mixed_corpus(tmp_path: Path) -> list[str]:
    """Every rule's firing and quiet fixture documents in one folder (distinct names)."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    for doc in sorted((FIXTURES / "rules").glob("*/*/*.txt")):
        code, kind = doc.parent.parent.name, doc.parent.name
        shutil.copy(doc, folder / f"{code}-{kind}-{doc.name}")
    return sorted(str(p) for p in folder.iterdir())


def _outcome(report: Report) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(f.code, f.fingerprint, tuple(c.document for c in f.claims)) for f in report.findings]


def test_check_gives_the_same_findings_for_any_path_order(mixed_corpus: list[str]) -> None:
    config = Config(use_cache=False)
    first = _outcome(check(mixed_corpus, config, embedders=(FakeEmbedder(), None)))
    assert len({code for code, _, _ in first}) >= 3  # a corpus where several rules fire
    for seed in (1, 2):
        shuffled = list(mixed_corpus)
        random.Random(seed).shuffle(shuffled)
        assert _outcome(check(shuffled, config, embedders=(FakeEmbedder(), None))) == first
    assert _outcome(check(mixed_corpus[::-1], config, embedders=(FakeEmbedder(), None))) == first


def test_two_indexes_built_in_different_orders_give_the_same_ci(
    mixed_corpus: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    import factcheck.pipeline
    from factcheck.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FACTCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(factcheck.pipeline, "make_embedders", lambda _config: (FakeEmbedder(), None))
    runner = CliRunner()
    new = [p for p in mixed_corpus if p.endswith("b.txt")]
    old = [p for p in mixed_corpus if p not in new]
    shuffled = list(old)
    random.Random(7).shuffle(shuffled)
    outcomes = []
    for name, order in (("ix1", old), ("ix2", old[::-1]), ("ix3", shuffled)):
        for path in order:  # one document per `index add`: database ids follow this order
            assert runner.invoke(main, ["index", "add", path, "--index", name]).exit_code == 0
        result = runner.invoke(main, ["ci", *new, "--index", name, "--format", "json"])
        assert result.exit_code == 1, result.output
        findings = json.loads(result.stdout)["findings"]
        outcomes.append([(f["code"], f["fingerprint"], [c["document"] for c in f["claims"]])
                         for f in findings])
    assert outcomes[0] and outcomes[0] == outcomes[1] == outcomes[2]


def test_top_k_keeps_every_row_tied_with_the_kth() -> None:
    rng = np.random.default_rng(0)
    best = rng.standard_normal(8).astype(np.float32)
    others = rng.standard_normal((4, 8)).astype(np.float32) * 0.1
    matrix = np.vstack([others[:2], np.tile(best, (6, 1)), others[2:]])  # six identical best rows
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)  # key vectors are normalised
    best = matrix[2]
    query = best[None, :]
    rows_found = []
    for permutation in (np.arange(10), np.arange(10)[::-1], np.random.default_rng(1).permutation(10)):
        _, rows = top_k(query, matrix[permutation], (0, 10), 3, -1.0)
        rows_found.append(sorted(row.tobytes() for row in matrix[permutation][rows]))
        assert len(rows) == 6  # not 3 of the 6 chosen by row order
    assert rows_found[0] == rows_found[1] == rows_found[2]


def test_a_cached_analysis_equals_a_fresh_one(tmp_path: Path) -> None:
    """Results must not depend on which document's analysis happened to be cached first."""
    from factcheck.analysis import AnalysisCache, analyse_documents
    from factcheck.config import Config
    from factcheck.read.ingest import load_documents

    text = ("The bridge reopened in mid-May 2024, the city council said. It was built from 1967 to 1979.\n"
            "Chief negotiator Ryosei Akazawa said about 25 percent of the 1,200 workers left last week.\n")
    (tmp_path / "a.txt").write_text("Date: 2025-07-01\n\n" + text, encoding="utf-8")
    documents = load_documents([str(tmp_path / "a.txt")])
    synonyms = Config().role_synonyms
    cache = AnalysisCache(tmp_path / "cache")
    fresh = analyse_documents(documents, synonyms, cache)  # analysed, and stored in the cache
    cached = analyse_documents(documents, synonyms, cache)  # loaded from it
    assert any(getattr(c.value, "vague", False) for c in fresh[1])  # the sample has a date span
    assert cached == fresh
