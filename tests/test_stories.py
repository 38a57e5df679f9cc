"""Story grouping: the per-document counting path and the sparse-product path give the same labels."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from conftest import FIXTURES, SEEDS

import factcheck.read.stories as stories
from factcheck.read.ingest import load_documents
from factcheck.records import Document

NAMES = ["Marwick", "Delmar", "Ostrava", "Brandt", "Pike", "Harbour", "Kessler", "Onyango", "Varga", "Tamsin"]
WORDS = ["tariff", "strike", "budget", "flood", "election", "miners", "bridge", "vaccine", "harvest", "court",
         "pension", "storm", "council", "railway", "festival"]


def _generated(count: int, seed: int) -> list[Document]:
    """Documents sharing names and words at random, some far apart in time, one naming nothing."""
    rng = random.Random(seed)
    names_pool = [first + last.lower() for first in NAMES for last in NAMES]  # 100 names, each held by few
    words_pool = [first + second for first in WORDS for second in WORDS[:5]]
    out = []
    for n in range(count):
        names = rng.sample(names_pool, rng.randint(0, 3))
        words = rng.sample(words_pool, rng.randint(1, 6))
        text = " ".join(f"the officials said {name} {word} reported." for name, word in zip(
            names + [""] * len(words), words, strict=False))
        text += " The report was released on Tuesday."  # a word in every document: past the posting cap
        date = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 900)) if rng.random() < 0.8 else None
        out.append(Document(path=f"g/{n:04d}.txt", text=text, sha256="0" * 64, date=date))
    return out


@pytest.mark.parametrize("corpus", ["fixtures", "generated", "generated-bare"])
def test_counting_and_sparse_products_give_the_same_stories(corpus: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    if corpus == "fixtures":
        documents = load_documents([str(SEEDS), str(FIXTURES / "rules")])
    else:
        documents = _generated(600, seed=13)
        if corpus == "generated-bare":
            documents.insert(250, Document(path="g/bare.txt", text="1 2 3.", sha256="0" * 64))
    found = []
    for limit in (0, 10**9):  # every corpus through the sparse path, then through the counting path
        monkeypatch.setattr(stories, "SPARSE_MIN_DOCUMENTS", limit)
        found.append([stories.assign_stories(documents, by_folder) for by_folder in (True, False)])
    assert found[0] == found[1]
    labels = found[0][1]
    assert 1 < len(set(labels)) < len(documents) or corpus == "generated-bare"
    if corpus == "generated-bare":
        assert set(labels) == {"content:bare.txt"}  # a document naming nothing joins every story
