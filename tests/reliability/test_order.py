"""Item 6 of issue #14: results do not depend on the order of the inputs."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, FakeEmbedder

from factcheck.config import Config
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
