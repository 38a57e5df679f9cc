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

import itertools
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class NumberedFeatures:
    """Story features as integer ids, document after document (one id per distinct name or word).

    `names` holds the name ids of the first document, then of the second, ... (`name_counts[i]` of
    document i); the same for words.  Equal features have equal ids; names and words are numbered
    apart.  A persistent index keeps its documents' features numbered (`factcheck.index.stories`).
    """

    name_counts: np.ndarray  # int64, per document
    names: np.ndarray  # int64 ids, in document order
    word_counts: np.ndarray
    words: np.ndarray


def number_features(features: Sequence[Features]) -> NumberedFeatures:
    """Give the names and words of `features` integer ids (in order of first appearance)."""
    parts: list[np.ndarray] = []
    for part in (0, 1):
        flat = list(itertools.chain.from_iterable(found[part] for found in features))
        column = dict(zip(dict.fromkeys(flat), itertools.count()))  # C-level loops
        parts.append(np.fromiter((len(found[part]) for found in features), np.int64, len(features)))
        parts.append(np.fromiter(map(column.__getitem__, flat), np.int64, len(flat)))
    return NumberedFeatures(*parts)


def _folder(path: str) -> str:
    return os.path.dirname(path.replace("\\", "/"))


def _incidence(rows: np.ndarray, cols: np.ndarray, documents: int) -> Any:
    """Return the 0/1 (document, feature) matrix of the counted entries (rows ascending), as CSR."""
    from scipy.sparse import csr_matrix

    indptr = np.zeros(documents + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=documents), out=indptr[1:])
    shape = (documents, int(cols.max()) + 1 if len(cols) else 1)
    return csr_matrix((np.ones(len(rows), dtype=np.int64), cols, indptr), shape=shape)


def assign_stories(
    documents: Sequence[Document],
    by_folder: bool = True,
    features: Sequence[Features] | None = None,
    population: int | None = None,
    numbered: NumberedFeatures | None = None,
) -> list[str]:
    """Label each document with its story (see the module docstring for the order of evidence).

    `by_folder=False` skips the folder rule: `ci` compares new documents, wherever they are kept,
    with indexed ones, so there only sidecar keys and content decide.  `features` are the documents'
    `story_features` when already known (the analysis cache keeps them), else they are read here.
    `population` is how many documents the corpus holds when `documents` are a sample of it (`ci`
    retrieves the stored documents near the new ones, so the new document's own story fills much of
    the sample): a feature is common when held by more than `COMMON_SHARE` of the population, not of
    the sample, so the story's own names stay telling.  `numbered` are the features of the documents
    without a sidecar story, already numbered (in their order); it replaces `features`.
    """
    labels: list[str | None] = [d.story for d in documents]
    folders = {_folder(d.path) for d, label in zip(documents, labels, strict=True) if label is None}
    if by_folder and len(folders) > 1:
        return [label if label is not None else f"folder:{_folder(d.path) or '.'}"
                for d, label in zip(documents, labels, strict=True)]
    rest = [i for i, label in enumerate(labels) if label is None]
    dated = np.array([d.date is not None for d in documents], dtype=bool)
    days = np.array([d.date.toordinal() if d.date is not None else 0 for d in documents], dtype=np.int64)
    if numbered is None:
        read = [features[i] if features is not None else story_features(documents[i].text) for i in rest]
        numbered = number_features(read)
    # A name or word held by more than a share COMMON_SHARE of the documents (and by more than COMMON_MIN)
    # is common in this corpus ("Washington", "President", "said"): it says little about which story a
    # document tells, and counting it chains unrelated stories into one.  Only the telling features are
    # counted, on both sides of the thresholds (shared counts, and each document's own counts).  The shared
    # counts are M @ M.T over the (document, telling feature) entries, one sparse product for words and
    # one for names.
    most = max(COMMON_MIN, COMMON_SHARE * max(len(rest), population or 0))
    owners = np.asarray(rest, dtype=np.int64)
    entries: list[np.ndarray] = []  # name rows, name columns, word rows, word columns (rows ascending)
    told: list[np.ndarray] = []  # telling named entities; distinct words of each document
    for lengths, ids in ((numbered.name_counts, numbered.names), (numbered.word_counts, numbered.words)):
        rows = np.repeat(owners, lengths)
        telling = np.bincount(ids)[ids] <= most if len(ids) else np.zeros(0, dtype=bool)
        entries += [rows[telling], ids[telling]]
        told.append(np.bincount(rows[telling], minlength=len(documents)).astype(np.int64))
    n_names, n_words = told
    # documents naming nothing: their story is unknown, so they join every story
    bare = owners[(numbered.name_counts == 0) & (numbered.word_counts == 0)].tolist()

    def linked(left: np.ndarray, right: np.ndarray, scores: np.ndarray) -> Pairs:
        keep = _links(left, right, scores, dated, days, n_names, n_words)
        return left[keep], right[keep], scores[keep]

    if len(rest) < SPARSE_MIN_DOCUMENTS:  # few documents: count in Python, no scipy to import
        left, right, scores = linked(*_pairs_by_counting(rest, [e.tolist() for e in entries]))
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
    # label propagation with pointer jumping, in numpy: scipy.sparse.csgraph would import
    # scipy.sparse.linalg (~0.15 s of every `ci` start), a union-find in Python took ~0.15 s at 100k
    ids = np.unique(members)
    a, b = np.searchsorted(ids, left), np.searchsorted(ids, right)
    label = np.arange(len(ids))  # each member's label: a member of its component, finally the largest
    while True:
        larger = np.maximum(label[a], label[b])
        before = label.copy()
        np.maximum.at(label, a, larger)
        np.maximum.at(label, b, larger)
        np.maximum.at(label, before, label)  # a label's own entry takes what its members found
        label = label[label]
        if np.array_equal(label, before):
            break
    order = np.argsort(label, kind="stable")
    bounds = np.flatnonzero(np.diff(label[order])) + 1
    return [ids[part] for part in np.split(order, bounds)] if len(ids) else []


Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]  # documents, earlier ones, scores (names << 20 | words)


def _pairs_by_counting(rest: list[int], entries: Sequence[list[int]]) -> Pairs:
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


def _pairs_by_products(n: int, entries: Sequence[np.ndarray],
                       keep: Callable[[np.ndarray, np.ndarray, np.ndarray], Pairs]) -> Pairs:
    """Return the pairs sharing a feature that `keep` keeps, counted by sparse matrix products."""
    names_of = _incidence(entries[0], entries[1], n)
    words_of = _incidence(entries[2], entries[3], n)
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
