"""Story grouping: the per-document counting path and the sparse-product path give the same labels."""

from __future__ import annotations

import datetime as dt
import itertools
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


def _doc(path: str, text: str) -> Document:
    return Document(path=path, text=text, sha256="0" * 64)


# Each story names its own people and places; every report also names what the whole corpus names.
_STORIES = [
    ("tariff", ["Marwick", "Delmar", "Ostrava", "Brandt"]),
    ("flood", ["Kessler", "Onyango", "Varga", "Tamsin"]),
    ("strike", ["Harbour", "Pike", "Lindqvist", "Okafor"]),
    ("budget", ["Quimby", "Rasmussen", "Szabo", "Uchenna"]),
    ("vaccine", ["Wexford", "Yilmaz", "Zelenko", "Abernathy"]),
    ("bridge", ["Bellamy", "Castellano", "Dunmore", "Eriksen"]),
    ("harvest", ["Fairbanks", "Gallagher", "Hollis", "Ignatiev"]),
]


def _report(topic: str, names: list[str], copy: int) -> str:
    first, second, third, fourth = names
    sentences = [
        f"officials in Washington said {first} met {second} about the {topic} on Monday.",
        f"the talks with President Obama and Congress went on, said {third}.",
        f"the {topic} plan of {fourth} was approved by {first}.",
        f"officials said {second} and {third} went on.",
    ]
    return " ".join(sentences[: 4 - copy % 2])  # a near-copy drops the last sentence


def test_stories_sharing_only_common_names_stay_apart_and_near_copies_together(
        monkeypatch: pytest.MonkeyPatch) -> None:
    documents = [_doc(f"c/{topic}-{copy}.txt", _report(topic, names, copy))
                 for topic, names in _STORIES for copy in range(4)]  # 28 reports: "Washington" is common
    for limit in (0, 10**9):  # both counting paths
        monkeypatch.setattr(stories, "SPARSE_MIN_DOCUMENTS", limit)
        labels = stories.assign_stories(documents)
        by_topic: dict[str, set[str]] = {}
        for document, label in zip(documents, labels, strict=True):
            by_topic.setdefault(document.path.split("/")[1].split("-")[0], set()).add(label)
        assert all(len(found) == 1 for found in by_topic.values())  # near-copies stay together
        assert len(set(labels)) == len(_STORIES)  # "Washington", "Obama", "Congress" do not chain them


def test_a_small_folder_still_links_on_names_everyone_uses() -> None:
    # three reports of one event that share only widely used names: in three documents no name is common
    documents = [_doc(f"s/{n}.txt", f"the speech in Washington by President Obama was {word}.")
                 for n, word in enumerate(["praised", "criticised", "long"])]
    assert len(set(stories.assign_stories(documents))) == 1


def test_a_chain_of_related_stories_is_split_past_the_story_size(monkeypatch: pytest.MonkeyPatch) -> None:
    # Story k shares three of its eight names with story k + 1 (a weak link, 3/8 of the names), and its
    # near-copies share all eight: past MAX_STORY documents the chain is cut at the weak links.
    pool = [f"Name{chr(65 + a)}{chr(97 + b)}x" for a in range(26) for b in range(3)]
    documents = []
    for k in range(4):
        names = pool[5 * k: 5 * k + 8]
        text = " ".join(f"the officials said {name} spoke." for name in names)
        documents += [_doc(f"k/{k}-{copy}.txt", text) for copy in range(3)]
    found = []
    for limit in (0, 10**9):
        monkeypatch.setattr(stories, "SPARSE_MIN_DOCUMENTS", limit)
        found.append(stories.assign_stories(documents))
        monkeypatch.setattr(stories, "MAX_STORY", 5)
        found.append(stories.assign_stories(documents))
        monkeypatch.setattr(stories, "MAX_STORY", 250)
    assert found[0] == found[2] and found[1] == found[3]
    assert len(set(found[0])) == 1  # small enough: one chained story
    split = found[1]
    assert len(set(split)) == 4
    assert all(len({split[3 * k + copy] for copy in range(3)}) == 1 for k in range(4))


def test_a_sample_dominated_by_one_story_keeps_that_story_together_given_the_population() -> None:
    # `ci` groups the new document with the stored documents it retrieved, mostly copies of its own story:
    # judged on that sample alone, the story's own names would be "common" and the story would fall apart.
    tariff = [_doc(f"i/tariff-{copy}.txt", _report("tariff", _STORIES[0][1], copy)) for copy in range(30)]
    others = [_doc(f"i/{topic}.txt", f"the mayor said {names[0]} met {names[1]} and {names[2]}.")
              for topic, names in _STORIES[1:]]
    new = _doc("new/tariff.txt", _report("tariff", _STORIES[0][1], 0))
    sample = [new, *tariff, *others]
    alone = stories.assign_stories(sample, by_folder=False)
    assert sum(label == alone[0] for label in alone) < len(tariff)  # the sample alone splits the story
    labels = stories.assign_stories(sample, by_folder=False, population=2_000)
    assert all(labels[1 + n] == labels[0] for n in range(len(tariff)))
    assert all(label != labels[0] for label in labels[1 + len(tariff):])  # other stories stay apart


def _union_find(members: list[int], pairs: list[tuple[int, int]]) -> set[frozenset[int]]:
    parent = {m: m for m in members}

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in pairs:
        parent[find(i)] = find(j)
    groups: dict[int, set[int]] = {}
    for m in members:
        groups.setdefault(find(m), set()).add(m)
    return {frozenset(g) for g in groups.values()}


@pytest.mark.parametrize("seed", range(6))
def test_components_match_a_union_find(seed: int) -> None:
    import numpy as np

    rng = random.Random(seed)
    members = sorted(rng.sample(range(1000), rng.randint(1, 300)))
    pairs = [(rng.choice(members), rng.choice(members)) for _ in range(rng.randint(0, 2 * len(members)))]
    if seed == 0:  # a long chain, the worst case for label propagation
        pairs = list(itertools.pairwise(members))
    left = np.asarray([p[0] for p in pairs], dtype=np.int64)
    right = np.asarray([p[1] for p in pairs], dtype=np.int64)
    found = stories._components(np.asarray(members, dtype=np.int64), left, right)
    assert sum(len(c) for c in found) == len(members)
    assert {frozenset(c.tolist()) for c in found} == _union_find(members, pairs)


def test_numbered_features_group_like_their_strings() -> None:
    documents = _generated(120, seed=5)
    features = [stories.story_features(d.text) for d in documents]
    plain = stories.assign_stories(documents, by_folder=False, features=features)
    numbered = stories.number_features(features)
    # ids need not be dense or start at 0: shift them as a persistent vocabulary would
    shifted = stories.NumberedFeatures(numbered.name_counts, numbered.names * 3 + 7, numbered.word_counts,
                                       numbered.words * 5 + 11)
    assert stories.assign_stories(documents, by_folder=False, numbered=shifted) == plain
    assert 1 < len(set(plain)) < len(documents)
