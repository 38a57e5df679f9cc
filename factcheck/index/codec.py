"""How the corpus index stores records in SQLite: the schema and the row (de)serialisation.

`factcheck.index.store` owns the index directory (manifest, lock, FAISS file, transactions); this module
only turns Documents, Sentences and Claims into row tuples and back.  Nothing is pickled: claims
are JSON, vectors raw float32 bytes, dates ISO strings.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from typing import Any

import numpy as np

from factcheck.records import (
    Claim,
    ClaimKind,
    ClaimValue,
    DateValue,
    Document,
    Frame,
    PersonName,
    Quantity,
    Sentence,
)

__all__ = [
    "DOCUMENT_COLUMNS",
    "SCHEMA",
    "SCHEMA_VERSION",
    "SENTENCE_COLUMNS",
    "claim_from_json",
    "claim_group",
    "claim_surname",
    "claim_to_json",
    "document_from_row",
    "document_row",
    "sentence_from_row",
    "sentence_row",
    "vector_blob",
    "vectors_from_blobs",
]

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT NOT NULL UNIQUE, sha256 TEXT NOT NULL,
    format TEXT NOT NULL, date TEXT, outlet TEXT, language TEXT NOT NULL, encoding TEXT NOT NULL,
    text TEXT NOT NULL, sentences INTEGER NOT NULL, claims INTEGER NOT NULL, added TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sentences (
    doc_id INTEGER NOT NULL, idx INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    line INTEGER NOT NULL, col INTEGER NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL,
    PRIMARY KEY (doc_id, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS claims (
    id INTEGER PRIMARY KEY AUTOINCREMENT, doc_id INTEGER NOT NULL, grp TEXT NOT NULL, surname TEXT,
    record TEXT NOT NULL, vector BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS claims_doc ON claims (doc_id);
CREATE INDEX IF NOT EXISTS claims_surname ON claims (surname) WHERE surname IS NOT NULL;
"""

# column lists matching the row tuples below
DOCUMENT_COLUMNS = "path, sha256, format, date, outlet, language, encoding, text"
SENTENCE_COLUMNS = 'idx, start, "end", line, col, text, kind'


# --------------------------------------------------------------------------- claims <-> JSON


def _value_to_json(value: ClaimValue) -> dict[str, Any]:
    if isinstance(value, PersonName):
        return {"type": "person", **asdict(value)}
    if isinstance(value, Quantity):
        return {"type": "quantity", **asdict(value)}
    if isinstance(value, DateValue):
        return {"type": "date", **asdict(value)}
    if isinstance(value, bool):
        return {"type": "bool", "value": value}
    return {"type": "str", "value": str(value)}


def _value_from_json(data: dict[str, Any]) -> ClaimValue:
    kind = data.pop("type")
    if kind == "person":
        return PersonName(**data)
    if kind == "quantity":
        return Quantity(**data)
    if kind == "date":
        return DateValue(**data)
    if kind == "bool":
        return bool(data["value"])
    return str(data["value"])


def claim_to_json(claim: Claim) -> str:
    """Serialise a claim to JSON without its id and document index (assigned when it is loaded)."""
    record: dict[str, Any] = {
        "kind": claim.kind.value,
        "sentence_index": claim.sentence_index,
        "key": claim.key,
        "value_text": claim.value_text,
        "value_start": claim.value_start,
        "value_end": claim.value_end,
        "value": _value_to_json(claim.value),
        "key_start": claim.key_start,
        "key_end": claim.key_end,
        "role": claim.role,
        "scope": claim.scope,
        "hedged": claim.hedged,
        "update": claim.update,
    }
    if claim.frame is not None:
        record["frame"] = asdict(claim.frame)
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def claim_from_json(text: str, claim_id: int, doc_index: int) -> Claim:
    """Rebuild a Claim from `claim_to_json` output."""
    data = json.loads(text)
    value = _value_from_json(data.pop("value"))
    kind = ClaimKind(data.pop("kind"))
    frame_data = data.pop("frame", None)
    frame = None
    if frame_data is not None:
        fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in frame_data.items()}
        frame = Frame(**fields)
    return Claim(id=claim_id, kind=kind, doc_index=doc_index, value=value, frame=frame, **data)


def claim_group(claim: Claim) -> str:
    """Return the claim's match group (the `grp` column): only claims of one group are compared."""
    from factcheck.pipeline import match_group

    return match_group(claim)


def claim_surname(claim: Claim) -> str | None:
    """Return the surname of a person or role claim (the `surname` column), else None."""
    if claim.kind in (ClaimKind.PERSON, ClaimKind.ROLE) and isinstance(claim.value, PersonName):
        return claim.value.surname or None
    return None


# --------------------------------------------------------------------------- vectors


def vector_blob(vector: np.ndarray) -> bytes:
    """Encode one key vector as raw float32 bytes (the `vector` column)."""
    return np.ascontiguousarray(vector, dtype=np.float32).tobytes()


def vectors_from_blobs(blobs: list[bytes], dim: int) -> np.ndarray:
    """Decode `vector` columns into a contiguous (len(blobs), dim) float32 matrix."""
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), dim)


# --------------------------------------------------------------------------- documents and sentences


def document_row(key: str, document: Document) -> tuple[Any, ...]:
    """Return the `DOCUMENT_COLUMNS` values of a document stored under path `key`."""
    return (
        key,
        document.sha256,
        document.format,
        document.date.isoformat() if document.date else None,
        document.outlet,
        document.language,
        document.encoding,
        document.text,
    )


def document_from_row(row: tuple[Any, ...], path: str) -> Document:
    """Rebuild a Document from `DOCUMENT_COLUMNS` values; `path` is the path to show the user."""
    _, sha, fmt, date, outlet, language, encoding, text = row
    return Document(
        path=path,
        text=text,
        sha256=sha,
        format=fmt,
        date=dt.date.fromisoformat(date) if date else None,
        outlet=outlet,
        language=language,
        encoding=encoding,
    )


def sentence_row(doc_id: int | None, sentence: Sentence) -> tuple[Any, ...]:
    """Return `doc_id` followed by the `SENTENCE_COLUMNS` values of a sentence."""
    return (
        doc_id, sentence.index, sentence.start, sentence.end, sentence.line, sentence.column, sentence.text,
        sentence.kind,
    )


def sentence_from_row(doc_index: int, row: tuple[Any, ...]) -> Sentence:
    """Rebuild a Sentence of document `doc_index` from `SENTENCE_COLUMNS` values."""
    idx, start, end, line, col, text, kind = row
    return Sentence(doc_index, idx, start, end, line, col, text, kind)
