"""Stories: which documents report the same story, so facts are compared only within one.

A corpus (a CI index, a folder of bundles) holds many stories; comparing a 2015 article about Indiana
with a 2010 one about Congress only produces noise.  A document's story is, in order:

1. the `story = "..."` key of its sidecar entry (`factcheck.toml`), when given;
2. its folder, when the documents checked together lie in more than one folder;
3. otherwise its content: documents that share at least `MIN_SHARED` named entities (capitalised words
   and phrases not at a sentence start; all of them when a document names fewer) and were published
   within `WINDOW_DAYS` of each other (or are undated) are one story, transitively; so are documents
   within the window that share `SHARED_WORDS` of the shorter one's words (a story told with other names,
   such as two reports placing one event in different cities).  A document that
   names nothing joins every story (its story is unknown, so it is compared with all).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from factcheck.records import Document

MIN_SHARED = 2
WINDOW_DAYS = 180
MAX_POSTING = 200
MIN_WORDS = 3
SHARED_WORDS = 0.3  # or: this share of the shorter document's words in common
_NAME = re.compile(r"(?<=[a-z,;:\"“”'’]\s)[A-Z][^\W\d_’'\-]*(?:[’'\-][^\W\d_]+)*(?:\s+[A-Z][^\W\d_’'\-]*)*")
_COMMON = frozenset({"The", "A", "An", "In", "On", "But", "And", "He", "She", "They", "It", "We", "I",
                     "Mr", "Mrs", "Ms", "Dr", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                     "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July",
                     "August", "September", "October", "November", "December"})


def entities(text: str) -> frozenset[str]:
    """Named entities of a document: capitalised words and phrases found after a lower-case word."""
    found: Counter[str] = Counter()
    for match in _NAME.finditer(text):
        for word in match.group(0).split():
            word = word.strip("’'-")
            if len(word) > 2 and word not in _COMMON:
                found[word.lower()] += 1
    return frozenset(found)


_WORD = re.compile(r"[^\W\d_]{4,}")


def _words(text: str) -> frozenset[str]:
    """Distinct lower-case words of four or more letters (a cheap stand-in for content words)."""
    return frozenset(w.lower() for w in _WORD.findall(text))


def story_features(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Return what content grouping reads of a document: its named entities and its distinct words."""
    return entities(text), _words(text)


Features = tuple[frozenset[str], frozenset[str]]


def _folder(path: str) -> str:
    return os.path.dirname(path.replace("\\", "/"))


def assign_stories(
    documents: Sequence[Document], by_folder: bool = True, features: Sequence[Features] | None = None
) -> list[str]:
    """Label each document with its story (see the module docstring for the order of evidence).

    `by_folder=False` skips the folder rule: `ci` compares new documents, wherever they are kept,
    with indexed ones, so there only sidecar keys and content decide.  `features` are the documents'
    `story_features` when already known (the analysis cache keeps them), else they are read here.
    """
    labels: list[str | None] = [d.story for d in documents]
    folders = {_folder(d.path) for d, label in zip(documents, labels, strict=True) if label is None}
    if by_folder and len(folders) > 1:
        return [label if label is not None else f"folder:{_folder(d.path) or '.'}"
                for d, label in zip(documents, labels, strict=True)]
    rest = [i for i, label in enumerate(labels) if label is None]
    parent = {i: i for i in rest}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    postings: dict[str, list[int]] = {}
    n_names = np.zeros(len(documents), dtype=np.int64)  # named entities of each document
    n_words = np.zeros(len(documents), dtype=np.int64)  # distinct words of each document
    dated = np.array([d.date is not None for d in documents], dtype=bool)
    days = np.array([d.date.toordinal() if d.date is not None else 0 for d in documents], dtype=np.int64)
    bare: list[int] = []  # documents naming nothing: their story is unknown, so they join every story
    for i in rest:
        shared: Counter[int] = Counter()
        names, words = features[i] if features is not None else story_features(documents[i].text)
        n_names[i], n_words[i] = len(names), len(words)
        if not names and not words:
            bare.append(i)
        hits: list[int] = []  # earlier documents sharing a feature, once per shared feature
        name_hits: list[int] = []  # the same for shared names, which count 1 << 20 each
        for feature in [*(f"@{n}" for n in names), *words]:
            docs = postings.setdefault(feature, [])
            if len(docs) <= MAX_POSTING:  # a word in very many documents says little about the story
                hits.extend(docs)
                if feature[0] == "@":
                    name_hits.extend(docs)
            docs.append(i)
        shared.update(hits)  # counted in C, in first-seen order
        for j, count in Counter(name_hits).items():
            shared[j] += count * ((1 << 20) - 1)
        if not shared:
            continue
        # the tests of every earlier document j sharing a feature, on arrays (same arithmetic as scalars)
        js = np.fromiter(shared.keys(), dtype=np.int64, count=len(shared))
        scores = np.fromiter(shared.values(), dtype=np.int64, count=len(shared))
        in_window = ~(dated[i] & dated[js]) | (np.abs(days[js] - days[i]) <= WINDOW_DAYS)
        common_names, common_words = scores >> 20, scores & ((1 << 20) - 1)
        fewest_names = np.minimum(n_names[i], n_names[js])
        enough_names = (common_names >= np.minimum(MIN_SHARED, fewest_names)) & (common_names > 0)
        fewest_words = np.minimum(n_words[i], n_words[js])
        enough_words = common_words >= np.maximum(MIN_WORDS, SHARED_WORDS * fewest_words)
        root = find(i)  # i's root never changes below: only the roots of j's trees are re-pointed
        for j in js[in_window & (enough_names | enough_words)].tolist():
            other = find(j)
            if other != root:
                parent[other] = root
    for i in bare:
        for j in rest:
            parent[find(j)] = find(i)
    out: list[str] = []
    for i, label in enumerate(labels):
        if label is not None:
            out.append(f"story:{label}")
        else:
            out.append(f"content:{documents[find(i)].name}")
    return out
