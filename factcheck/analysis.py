"""Analyse documents (boilerplate -> sentences -> claims) with a content-addressed analysis cache.

Each document's analysis depends only on the document (its text, format, date, outlet and language),
the analyser (the source of `factcheck.read` and `factcheck.extract`, hashed, plus ANALYSER_VERSION) and
the role synonyms.  The result is stored under a digest of exactly these in `analyses.sqlite3`, next to
the embedding cache, so a re-run, `ci` and `index add` of a changed document analyse only new or
changed documents.  Records are stored as compact JSON, never pickled; ids and document
indexes are assigned when a result is loaded, so a cached analysis is identical to a fresh one.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import time
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from factcheck.records import (
    Claim,
    ClaimKind,
    ClaimValue,
    DateValue,
    Document,
    IgnoredSpan,
    PersonName,
    Quantity,
    Sentence,
)

ANALYSER_VERSION = 3  # bump when analysis changes in a way the source hash would not show (data files,
# this module's record layout: v3 stores every field of a value, v2 dropped the date spans)
CACHE_FILE = "analyses.sqlite3"
TABLE = "document_analyses_v1"  # a versioned name: an older file with another layout is left alone
POOL_MIN_CHARS = 400_000  # new text (about 2,500 sentences) below which one process analyses faster
POOL_CHUNK_DOCUMENTS = 16  # documents per task sent to a worker process


def worker_count() -> int:
    """Return how many processes analyse new documents: FACTCHECK_JOBS, else the usable cores (at most 4)."""
    import os

    env = os.environ.get("FACTCHECK_JOBS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(usable, 4))


@lru_cache(maxsize=1)
def analyser_digest() -> str:
    """Digest of the analyser: ANALYSER_VERSION and the source of the read and extract packages."""
    import factcheck.extract
    import factcheck.read

    digest = hashlib.sha256(f"analyser-v{ANALYSER_VERSION}".encode())
    for package in (factcheck.read, factcheck.extract):
        folder = Path(package.__file__ or "").parent
        for file in sorted(folder.glob("*.py")):
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def document_key(document: Document, role_synonyms: Mapping[str, str]) -> bytes:
    """Cache key of one document's analysis: everything the analysis reads, and the analyser."""
    fields = [analyser_digest(), document.format, document.date.isoformat() if document.date else "",
              document.outlet or "", document.language, sorted(role_synonyms.items())]
    digest = hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode())
    digest.update(b"\0")
    digest.update(document.text.encode("utf-8", "surrogatepass"))
    return digest.digest()


class AnalysisCache:
    """SQLite store of per-document analyses (disabled, with one warning, if the file cannot be used)."""

    def __init__(self, cache_dir: Path | None) -> None:
        self._db: sqlite3.Connection | None = None
        self.hits = 0
        self.misses = 0
        if cache_dir is None:
            return
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(cache_dir / CACHE_FILE), timeout=30)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (digest BLOB PRIMARY KEY, record BLOB)"
                       " WITHOUT ROWID")
            self._db = db
        except (sqlite3.Error, OSError) as exc:
            print(f"factcheck: warning: analysis cache disabled ({exc})", file=sys.stderr)

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

    def close(self) -> None:
        """Close the database."""
        if self._db is not None:
            self._db.close()
            self._db = None


def _fields_of(value: PersonName | Quantity | DateValue) -> list[object]:
    """Every field of a value record, in declaration order: a field added later is never dropped."""
    return [getattr(value, f.name) for f in fields(value)]


def _value_row(value: object) -> list[object]:
    if isinstance(value, PersonName):
        return ["p", *_fields_of(value)]
    if isinstance(value, Quantity):
        return ["q", *_fields_of(value)]
    if isinstance(value, DateValue):
        return ["d", *_fields_of(value)]
    if isinstance(value, bool):
        return ["b", value]
    return ["s", str(value)]


def _row_value(row: list[Any]) -> ClaimValue:
    tag, *fields = row
    if tag == "p":
        return PersonName(*fields)
    if tag == "q":
        return Quantity(*fields)
    if tag == "d":
        return DateValue(*fields)
    if tag == "b":
        return bool(fields[0])
    return str(fields[0])


def _encode(spans: Sequence[IgnoredSpan], sentences: Sequence[Sentence], claims: Sequence[Claim]) -> bytes:
    """One compact JSON record per document (records as arrays: one parse per document when loaded)."""
    record = {
        "spans": [[s.start, s.end, s.line, s.column, s.reason, s.text] for s in spans],
        "sentences": [[s.index, s.start, s.end, s.line, s.column, s.text, s.kind] for s in sentences],
        "claims": [[c.kind.value, c.sentence_index, c.key, c.value_text, c.value_start, c.value_end,
                    _value_row(c.value), c.key_start, c.key_end, c.role, c.scope, c.hedged, c.update]
                   for c in claims],
    }
    return zlib.compress(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode(), 1)


def _decode(
    blob: bytes, document: Document, doc_index: int, first_id: int
) -> tuple[list[IgnoredSpan], list[Sentence], list[Claim]]:
    record = json.loads(zlib.decompress(blob))
    spans = [IgnoredSpan(document.path, *row) for row in record["spans"]]
    sentences = [Sentence(doc_index, *row) for row in record["sentences"]]
    kinds = {kind.value: kind for kind in ClaimKind}
    claims = [
        Claim(first_id + n, kinds[kind], doc_index, sentence, key, value_text, value_start, value_end,
              _row_value(value), key_start, key_end, role, scope, hedged, update)
        for n, (kind, sentence, key, value_text, value_start, value_end, value, key_start, key_end, role,
                scope, hedged, update) in enumerate(record["claims"])
    ]
    return spans, sentences, claims


def _analyse_one(
    document: Document, doc_index: int, role_synonyms: Mapping[str, str], next_id: list[int]
) -> tuple[list[IgnoredSpan], list[Sentence], list[Claim], float, float]:
    from factcheck.extract import extract_document
    from factcheck.read.boilerplate import find_boilerplate
    from factcheck.read.segment import segment

    clock = time.perf_counter()
    spans = find_boilerplate(document)
    found = segment(document, doc_index, spans)
    segmented = time.perf_counter()
    made = extract_document(doc_index, document, found, role_synonyms, next_id)
    return spans, found, made, segmented - clock, time.perf_counter() - segmented


def _analyse_chunk(task: tuple[list[Document], dict[str, str]]) -> list[tuple[bytes, float, float]]:
    """Worker process: encoded analyses of a few documents (document index 0, ids from 0)."""
    documents, role_synonyms = task
    out = []
    for document in documents:
        spans, found, made, seg, ext = _analyse_one(document, 0, role_synonyms, [0])
        out.append((_encode(spans, found, made), seg, ext))
    return out


def _analyse_in_pool(
    documents: Sequence[Document], role_synonyms: Mapping[str, str], workers: int
) -> list[tuple[bytes, float, float]] | None:
    """Analyse documents in `workers` processes; results in document order (None: no pool here).

    Workers are forked where the platform allows (no re-import of the caller's main module, which a
    spawned worker would need to be import-safe); they run only the pure-Python analysers.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunks = [(list(documents[i : i + POOL_CHUNK_DOCUMENTS]), dict(role_synonyms))
              for i in range(0, len(documents), POOL_CHUNK_DOCUMENTS)]
    methods = multiprocessing.get_all_start_methods()
    if "fork" not in methods:
        return None
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return [item for chunk in pool.map(_analyse_chunk, chunks) for item in chunk]
    except (BrokenProcessPool, OSError) as exc:
        print(f"factcheck: warning: analysing in one process ({exc})", file=sys.stderr)
        return None


def analyse_documents(
    documents: Sequence[Document],
    role_synonyms: Mapping[str, str],
    cache: AnalysisCache | None = None,
    timings: dict[str, float] | None = None,
) -> tuple[list[Sentence], list[Claim], list[IgnoredSpan]]:
    """Boilerplate, sentences and claims of every document, in document order, with corpus-wide ids.

    Documents found in `cache` are loaded, the others analysed and stored: in `worker_count()`
    processes when there is enough new text, else in this one.  The result is the same as `segment`
    + `extract_claims` over the whole corpus (claim ids in document, sentence order).
    `timings` receives "segment" (boilerplate + sentences of new documents), "extract" (their
    claims) and "analysis cache" (lookups and writes).
    """
    times = {"segment": 0.0, "extract": 0.0, "analysis cache": 0.0}
    clock = time.perf_counter()
    keys = [document_key(d, role_synonyms) for d in documents] if cache is not None else []
    stored = cache.get_many(keys) if cache is not None else {}
    times["analysis cache"] += time.perf_counter() - clock
    missing = [i for i in range(len(documents)) if cache is None or keys[i] not in stored]
    workers = min(worker_count(), len(missing))
    pooled: dict[int, bytes] = {}
    if workers > 1 and sum(len(documents[i].text) for i in missing) >= POOL_MIN_CHARS:
        clock = time.perf_counter()
        results = _analyse_in_pool([documents[i] for i in missing], role_synonyms, workers)
        if results is not None:
            elapsed = time.perf_counter() - clock
            seg = sum(r[1] for r in results)
            ext = sum(r[2] for r in results)
            share = seg / max(seg + ext, 1e-9)  # wall time split as the workers' own stage times
            times["segment"] += elapsed * share
            times["extract"] += elapsed * (1 - share)
            pooled = {i: r[0] for i, r in zip(missing, results, strict=True)}
    ignored: list[IgnoredSpan] = []
    sentences: list[Sentence] = []
    claims: list[Claim] = []
    new: list[tuple[bytes, bytes]] = []
    next_id = [0]
    for doc_index, document in enumerate(documents):
        blob = stored.get(keys[doc_index]) if cache is not None else None
        if blob is None and doc_index in pooled:
            blob = pooled[doc_index]
            if cache is not None:
                cache.misses += 1
                new.append((keys[doc_index], blob))
        elif blob is not None and cache is not None:
            cache.hits += 1
        if blob is not None:
            clock = time.perf_counter()
            spans, found, made = _decode(blob, document, doc_index, next_id[0])
            next_id[0] += len(made)
            times["analysis cache"] += time.perf_counter() - clock
        else:
            spans, found, made, seg, ext = _analyse_one(document, doc_index, role_synonyms, next_id)
            times["segment"] += seg
            times["extract"] += ext
            if cache is not None:
                cache.misses += 1
                clock = time.perf_counter()
                new.append((keys[doc_index], _encode(spans, found, made)))
                times["analysis cache"] += time.perf_counter() - clock
        ignored.extend(spans)
        sentences.extend(found)
        claims.extend(made)
    if cache is not None:
        clock = time.perf_counter()
        cache.put_many(new)
        times["analysis cache"] += time.perf_counter() - clock
    if timings is not None:
        for name, seconds in times.items():
            timings[name] = timings.get(name, 0.0) + seconds
    return sentences, claims, ignored
