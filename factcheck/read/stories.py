"""Stories: which documents report the same story, so facts are compared only within one.

A corpus (a CI index, a folder of bundles) holds many stories; comparing a 2015 article about Indiana
with a 2010 one about Congress only produces noise.  A document's story is, in order:

1. the `story = "..."` key of its sidecar entry (`factcheck.toml`), when given;
2. its folder, when the documents checked together lie in more than one folder;
3. otherwise its content: documents that share at least `MIN_SHARED` named entities (capitalised words
   and phrases not at a sentence start) and were published within `WINDOW_DAYS` of each other (or are
   undated) are one story, transitively.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Sequence

from factcheck.records import Document

MIN_SHARED = 2
WINDOW_DAYS = 60
MAX_POSTING = 200
_NAME = re.compile(r"(?<=[a-z,;:\"“”'’]\s)[A-Z][a-zA-Z’'\-]+(?:\s+[A-Z][a-zA-Z’'\-]+)*")
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


def _folder(path: str) -> str:
    return os.path.dirname(path.replace("\\", "/"))


def assign_stories(documents: Sequence[Document]) -> list[str]:
    """Label each document with its story (see the module docstring for the order of evidence)."""
    labels: list[str | None] = [d.story for d in documents]
    folders = {_folder(d.path) for d, label in zip(documents, labels, strict=True) if label is None}
    if len(folders) > 1:
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
    for i in rest:
        shared: Counter[int] = Counter()
        for name in entities(documents[i].text):
            docs = postings.setdefault(name, [])
            if len(docs) <= MAX_POSTING:  # a name in very many documents says little about the story
                shared.update(docs)
            docs.append(i)
        for j, count in shared.items():
            di, dj = documents[i].date, documents[j].date
            apart = di is not None and dj is not None and abs((di - dj).days) > WINDOW_DAYS
            if count < MIN_SHARED or apart:
                continue
            parent[find(j)] = find(i)
    out: list[str] = []
    for i, label in enumerate(labels):
        if label is not None:
            out.append(f"story:{label}")
        else:
            out.append(f"content:{documents[find(i)].name}")
    return out
