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
from typing import Any

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


def _incidence(rows: list[int], cols: list[int], documents: int, features: int) -> Any:
    """Return the 0/1 (document, feature) matrix of the counted entries, as CSR."""
    from scipy.sparse import csr_matrix

    return csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(documents, max(features, 1)))


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
    n_names = np.zeros(len(documents), dtype=np.int64)  # named entities of each document
    n_words = np.zeros(len(documents), dtype=np.int64)  # distinct words of each document
    dated = np.array([d.date is not None for d in documents], dtype=bool)
    days = np.array([d.date.toordinal() if d.date is not None else 0 for d in documents], dtype=np.int64)
    bare: list[int] = []  # documents naming nothing: their story is unknown, so they join every story
    # Document i shares feature f with each earlier document holding f, unless more than MAX_POSTING earlier
    # documents hold it (a word in very many documents says little about the story).  So a pair counts f
    # when both are among f's first MAX_POSTING + 1 documents: the shared counts are M @ M.T over those
    # (document, feature) entries, one sparse product for words and one for names.
    feature_ids: dict[str, int] = {}
    seen: dict[int, int] = {}  # feature id -> documents holding it so far
    entries: tuple[list[int], list[int], list[int], list[int]] = ([], [], [], [])  # word rows, cols; names
    for i in rest:
        names, words = features[i] if features is not None else story_features(documents[i].text)
        n_names[i], n_words[i] = len(names), len(words)
        if not names and not words:
            bare.append(i)
        for part, found in ((0, (f"@{n}" for n in names)), (2, words)):
            for feature in found:
                f = feature_ids.setdefault(feature, len(feature_ids))
                count = seen.get(f, 0)
                if count <= MAX_POSTING:
                    entries[part].append(i)
                    entries[part + 1].append(f)
                seen[f] = count + 1
    if len(rest) < SPARSE_MIN_DOCUMENTS:  # few documents: count in Python, no scipy to import
        root = _roots_by_counting(rest, entries, dated, days, n_names, n_words)
    else:
        root = _roots_by_products(rest, entries, len(feature_ids), dated, days, n_names, n_words)
    if bare:  # a document naming nothing joins every story: all are one, named after the first such
        root = dict.fromkeys(rest, bare[0])
    out: list[str] = []
    for i, label in enumerate(labels):
        if label is not None:
            out.append(f"story:{label}")
        else:
            out.append(f"content:{documents[root[i]].name}")
    return out


SPARSE_MIN_DOCUMENTS = 500  # from this many documents, shared features are counted by sparse products
Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # dated, days, names, words per document


def _links(left: np.ndarray, right: np.ndarray, scores: np.ndarray, dated: np.ndarray, days: np.ndarray,
           n_names: np.ndarray, n_words: np.ndarray) -> np.ndarray:
    """Which pairs (a document, an earlier one) are one story, from their scores (names << 20 | words)."""
    in_window = ~(dated[left] & dated[right]) | (np.abs(days[right] - days[left]) <= WINDOW_DAYS)
    common_names, common_words = scores >> 20, scores & ((1 << 20) - 1)
    fewest_names = np.minimum(n_names[left], n_names[right])
    enough_names = (common_names >= np.minimum(MIN_SHARED, fewest_names)) & (common_names > 0)
    fewest_words = np.minimum(n_words[left], n_words[right])
    enough_words = common_words >= np.maximum(MIN_WORDS, SHARED_WORDS * fewest_words)
    linked: np.ndarray = in_window & (enough_names | enough_words)
    return linked


def _roots_by_counting(rest: list[int], entries: tuple[list[int], list[int], list[int], list[int]],
                       dated: np.ndarray, days: np.ndarray, n_names: np.ndarray,
                       n_words: np.ndarray) -> dict[int, int]:
    """Each document's story root, counting shared features document by document."""
    parent = {i: i for i in rest}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_doc: dict[int, list[tuple[int, int]]] = {}  # document -> (feature, 1 if a name) of its counted entries
    for part in (0, 2):
        for i, f in zip(entries[part], entries[part + 1], strict=True):
            by_doc.setdefault(i, []).append((f if part else -1 - f, 0 if part else 1))
    postings: dict[int, list[int]] = {}
    for i in rest:
        hits: list[int] = []
        name_hits: list[int] = []
        for f, name in by_doc.get(i, ()):
            docs = postings.setdefault(f, [])
            hits.extend(docs)
            if name:
                name_hits.extend(docs)
            docs.append(i)
        if not hits:
            continue
        shared = Counter(hits)
        for j, count in Counter(name_hits).items():
            shared[j] += count * ((1 << 20) - 1)
        js = np.fromiter(shared.keys(), dtype=np.int64, count=len(shared))
        scores = np.fromiter(shared.values(), dtype=np.int64, count=len(shared))
        linked = _links(np.full(len(js), i), js, scores, dated, days, n_names, n_words)
        root = find(i)  # i's root never changes below: only the roots of j's trees are re-pointed
        for j in js[linked].tolist():
            other = find(j)
            if other != root:
                parent[other] = root
    return {i: find(i) for i in rest}


def _roots_by_products(rest: list[int], entries: tuple[list[int], list[int], list[int], list[int]],
                       features: int, dated: np.ndarray, days: np.ndarray, n_names: np.ndarray,
                       n_words: np.ndarray) -> dict[int, int]:
    """Each document's story root, the shared features of all pairs counted by sparse matrix products."""
    n = len(dated)
    names_of = _incidence(entries[0], entries[1], n, features)
    words_of = _incidence(entries[2], entries[3], n, features)
    names_t, words_t = names_of.T.tocsr(), words_of.T.tocsr()
    component = np.arange(n)  # each document's component, as the ids of a union of the linked pairs
    for begin in range(0, n, SHARED_BLOCK):  # blocks of rows bound the memory of the shared counts
        block = slice(begin, min(begin + SHARED_BLOCK, n))
        # [i, j] = shared names << 20 | shared words
        shared = (words_of[block] @ words_t + (names_of[block] @ names_t) * (1 << 20)).tocsr()
        left = np.repeat(np.arange(begin, begin + shared.shape[0]), np.diff(shared.indptr))
        right, scores = shared.indices.astype(np.int64), shared.data
        keep = right < left  # each pair once: a document and an earlier one
        left, right, scores = left[keep], right[keep], scores[keep]
        linked = _links(left, right, scores, dated, days, n_names, n_words)
        component = _merge(component, component[left[linked]], component[right[linked]])
    # A story is named after its last document (the one-by-one union this replaces, which re-rooted every
    # earlier document's story under the document being read, ended with that root).
    last = np.full(n, -1)
    np.maximum.at(last, component[rest], np.asarray(rest, dtype=np.int64))
    return {i: int(last[component[i]]) for i in rest}


SHARED_BLOCK = 1024  # documents whose shared counts are computed at a time


def _merge(component: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return the components after linking components `a[k]` and `b[k]` (ids: the smallest member's)."""
    if not len(a):
        return component
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(component)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, joined = connected_components(graph, directed=False)
    merged = joined[component]
    first = np.full(int(merged.max()) + 1, n)
    np.minimum.at(first, merged, np.arange(n))
    return first[merged]
