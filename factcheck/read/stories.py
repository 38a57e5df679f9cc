"""Stories: which documents report the same story, so facts are compared only within one.

A corpus (a CI index, a folder of bundles) holds many stories; comparing a 2015 article about Indiana
with a 2010 one about Congress only produces noise.  A document's story is, in order:

1. the `story = "..."` key of its sidecar entry (`factcheck.toml`), when given;
2. its folder, when the documents checked together lie in more than one folder;
3. otherwise its content: documents that share at least `MIN_SHARED` telling named entities (capitalised
   words and phrases not at a sentence start; all of them when a document names fewer), and at least
   `SHARED_NAMES` of the fewer document's, and were published within `WINDOW_DAYS` of each other (or are
   undated) are one story, transitively; so are documents within the window that share `SHARED_WORDS` of
   the shorter one's telling words (a story told with other names, such as two reports placing one event
   in different cities).  A name or word is *telling* unless more than `COMMON_SHARE` of the documents
   (and more than `COMMON_MIN` of them) hold it: "Washington" or "President" in a corpus of news says
   nothing about which story a report tells, and counting it chained unrelated stories into one.  A story
   of more than `MAX_STORY` documents (related stories chained by a few names each) is split again with
   stricter shares (`SPLIT_LEVELS`).  A document that names nothing joins every story (its story is
   unknown, so it is compared with all).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from factcheck.records import Document

MIN_SHARED = 2
WINDOW_DAYS = 180
COMMON_SHARE = 0.1  # a feature held by more than this share of the documents is common ...
COMMON_MIN = 20  # ... when more than this many documents hold it (a small folder has no common features)
MIN_WORDS = 3
SHARED_NAMES = 0.3  # and this share of the fewer document's telling names in common
SHARED_WORDS = 0.3  # or: this share of the shorter document's telling words in common
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
    documents: Sequence[Document],
    by_folder: bool = True,
    features: Sequence[Features] | None = None,
    population: int | None = None,
) -> list[str]:
    """Label each document with its story (see the module docstring for the order of evidence).

    `by_folder=False` skips the folder rule: `ci` compares new documents, wherever they are kept,
    with indexed ones, so there only sidecar keys and content decide.  `features` are the documents'
    `story_features` when already known (the analysis cache keeps them), else they are read here.
    `population` is how many documents the corpus holds when `documents` are a sample of it (`ci`
    retrieves the stored documents near the new ones, so the new document's own story fills much of
    the sample): a feature is common when held by more than `COMMON_SHARE` of the population, not of
    the sample, so the story's own names stay telling.
    """
    labels: list[str | None] = [d.story for d in documents]
    folders = {_folder(d.path) for d, label in zip(documents, labels, strict=True) if label is None}
    if by_folder and len(folders) > 1:
        return [label if label is not None else f"folder:{_folder(d.path) or '.'}"
                for d, label in zip(documents, labels, strict=True)]
    rest = [i for i, label in enumerate(labels) if label is None]
    n_names = np.zeros(len(documents), dtype=np.int64)  # telling named entities of each document
    n_words = np.zeros(len(documents), dtype=np.int64)  # telling distinct words of each document
    dated = np.array([d.date is not None for d in documents], dtype=bool)
    days = np.array([d.date.toordinal() if d.date is not None else 0 for d in documents], dtype=np.int64)
    bare: list[int] = []  # documents naming nothing: their story is unknown, so they join every story
    # A name or word held by more than a share COMMON_SHARE of the documents (and by more than COMMON_MIN)
    # is common in this corpus ("Washington", "President", "said"): it says little about which story a
    # document tells, and counting it chains unrelated stories into one.  Only the telling features are
    # counted, on both sides of the thresholds (shared counts, and each document's own counts).  The shared
    # counts are M @ M.T over the (document, telling feature) entries, one sparse product for words and
    # one for names.
    read = [features[i] if features is not None else story_features(documents[i].text) for i in rest]
    held: tuple[Counter[str], Counter[str]] = (Counter(), Counter())  # documents holding each name; word
    for found in read:
        held[0].update(found[0])
        held[1].update(found[1])
    most = max(COMMON_MIN, COMMON_SHARE * max(len(rest), population or 0))
    common = [frozenset(f for f, count in counts.items() if count > most) for counts in held]
    feature_ids: tuple[dict[str, int], dict[str, int]] = ({}, {})  # column of each telling name; word
    entries: Entries = ([], [], [], [])
    for i, found in zip(rest, read, strict=True):
        if not found[0] and not found[1]:
            bare.append(i)
        for part in (0, 1):
            telling = found[part] - common[part]
            (n_names if part == 0 else n_words)[i] = len(telling)
            ids = feature_ids[part]
            entries[2 * part].extend([i] * len(telling))
            entries[2 * part + 1].extend([ids.setdefault(feature, len(ids)) for feature in telling])

    def linked(left: np.ndarray, right: np.ndarray, scores: np.ndarray) -> Pairs:
        keep = _links(left, right, scores, dated, days, n_names, n_words)
        return left[keep], right[keep], scores[keep]

    if len(rest) < SPARSE_MIN_DOCUMENTS:  # few documents: count in Python, no scipy to import
        left, right, scores = linked(*_pairs_by_counting(rest, entries))
    else:
        left, right, scores = _pairs_by_products(len(documents), entries, linked)
    root = _roots(rest, left, right, _strength(left, right, scores, n_names, n_words))
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


def _shared(left: np.ndarray, right: np.ndarray, scores: np.ndarray, n_names: np.ndarray,
            n_words: np.ndarray) -> Arrays:
    """Shared names, the fewer document's names, shared words, the fewer's words, of each pair."""
    return (scores >> 20, np.minimum(n_names[left], n_names[right]),
            scores & ((1 << 20) - 1), np.minimum(n_words[left], n_words[right]))


def _links(left: np.ndarray, right: np.ndarray, scores: np.ndarray, dated: np.ndarray, days: np.ndarray,
           n_names: np.ndarray, n_words: np.ndarray) -> np.ndarray:
    """Which pairs (a document, an earlier one) are one story, from their scores (names << 20 | words)."""
    in_window = ~(dated[left] & dated[right]) | (np.abs(days[right] - days[left]) <= WINDOW_DAYS)
    common_names, fewest_names, common_words, fewest_words = _shared(left, right, scores, n_names, n_words)
    enough_names = ((common_names >= np.minimum(MIN_SHARED, fewest_names)) & (common_names > 0)
                    & (common_names >= SHARED_NAMES * fewest_names))
    enough_words = common_words >= np.maximum(MIN_WORDS, SHARED_WORDS * fewest_words)
    linked: np.ndarray = in_window & (enough_names | enough_words)
    return linked


def _strength(left: np.ndarray, right: np.ndarray, scores: np.ndarray, n_names: np.ndarray,
              n_words: np.ndarray) -> np.ndarray:
    """How much of the fewer document's names or words each linked pair shares (the larger share)."""
    common_names, fewest_names, common_words, fewest_words = _shared(left, right, scores, n_names, n_words)
    names = np.where(common_names >= np.minimum(MIN_SHARED, fewest_names),
                     common_names / np.maximum(fewest_names, 1), 0.0)
    words = np.where(common_words >= MIN_WORDS, common_words / np.maximum(fewest_words, 1), 0.0)
    strength: np.ndarray = np.maximum(names, words)
    return strength


MAX_STORY = 250  # a story of more documents is split again with stricter evidence (see _roots)
SPLIT_LEVELS = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9)  # the shares a split requires, one after another


def _roots(rest: list[int], left: np.ndarray, right: np.ndarray, strength: np.ndarray) -> dict[int, int]:
    """Each document's story root: the last document of its component of linked pairs.

    Linking is transitive, so on a large corpus related stories chain into one component (reports on
    one topic, each sharing a few names with the next).  A component of more than MAX_STORY documents
    is therefore split again over its own pairs, keeping only those that share a larger part of the
    fewer document's names or words (SPLIT_LEVELS, one level at a time, until every part is small
    enough or the last level is reached); near-copies of one report stay together at every level.
    """
    root: dict[int, int] = {}
    pending = [(np.asarray(rest, dtype=np.int64), left, right, strength, 0)]
    while pending:
        members, left, right, strength, level = pending.pop()
        for component in _components(members, left, right):
            if len(component) > MAX_STORY and level < len(SPLIT_LEVELS):
                inside = np.isin(left, component)  # a linked pair lies inside one component or none
                keep = inside & (strength >= SPLIT_LEVELS[level])
                pending.append((component, left[keep], right[keep], strength[keep], level + 1))
                continue
            last = int(component.max())
            root.update(dict.fromkeys(component.tolist(), last))
    return root


def _components(members: np.ndarray, left: np.ndarray, right: np.ndarray) -> list[np.ndarray]:
    """Return the connected components of `members` under the pairs (which join members only)."""
    if len(members) >= SPARSE_MIN_DOCUMENTS:  # many documents: scipy is imported already
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components

        size = int(members.max()) + 1
        graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(size, size))
        _, component = connected_components(graph, directed=False)
        of_members = component[members]
        order = np.argsort(of_members, kind="stable")
        bounds = np.flatnonzero(np.diff(of_members[order])) + 1
        return np.split(members[order], bounds)
    parent = {i: i for i in members.tolist()}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        a, b = find(i), find(j)
        if a != b:
            parent[a] = b
    groups: dict[int, list[int]] = {}
    for i in parent:
        groups.setdefault(find(i), []).append(i)
    return [np.asarray(g, dtype=np.int64) for g in groups.values()]


Entries = tuple[list[int], list[int], list[int], list[int]]  # name rows, name columns, word rows, columns
Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]  # documents, earlier ones, scores (names << 20 | words)


def _pairs_by_counting(rest: list[int], entries: Entries) -> Pairs:
    """Return the pairs (a document, an earlier one) sharing a feature and their scores, one by one."""
    by_doc: dict[int, list[tuple[int, int]]] = {}  # document -> (feature, 1 if a name) of its counted entries
    for part in (0, 2):
        for i, f in zip(entries[part], entries[part + 1], strict=True):
            by_doc.setdefault(i, []).append((f if part else -1 - f, 0 if part else 1))
    postings: dict[int, list[int]] = {}
    lefts: list[int] = []
    rights: list[int] = []
    values: list[int] = []
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
        lefts.extend([i] * len(shared))
        rights.extend(shared.keys())
        values.extend(shared.values())
    return (np.asarray(lefts, dtype=np.int64), np.asarray(rights, dtype=np.int64),
            np.asarray(values, dtype=np.int64))


def _pairs_by_products(n: int, entries: Entries,
                       keep: Callable[[np.ndarray, np.ndarray, np.ndarray], Pairs]) -> Pairs:
    """Return the pairs sharing a feature that `keep` keeps, counted by sparse matrix products."""
    names_of = _incidence(entries[0], entries[1], n, max(entries[1], default=0) + 1)
    words_of = _incidence(entries[2], entries[3], n, max(entries[3], default=0) + 1)
    names_t, words_t = names_of.T.tocsr(), words_of.T.tocsr()
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for begin in range(0, n, SHARED_BLOCK):  # blocks of rows bound the memory of the shared counts
        block = slice(begin, min(begin + SHARED_BLOCK, n))
        # [i, j] = shared names << 20 | shared words
        shared = (words_of[block] @ words_t + (names_of[block] @ names_t) * (1 << 20)).tocsr()
        left = np.repeat(np.arange(begin, begin + shared.shape[0]), np.diff(shared.indptr))
        right, scores = shared.indices.astype(np.int64), shared.data.astype(np.int64)
        once = right < left  # each pair once: a document and an earlier one
        parts.append(keep(left[once], right[once], scores[once]))
    return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]))


SHARED_BLOCK = 1024  # documents whose shared counts are computed at a time
