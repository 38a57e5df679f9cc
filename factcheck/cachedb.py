"""Shared pieces of factcheck's SQLite caches: opening a cache file and what keys its records."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from factcheck.records import Document


def open_cache_db(
    cache_dir: Path, file_name: str, tables: Sequence[str], what: str
) -> sqlite3.Connection | None:
    """Open (creating) `cache_dir/file_name` with `tables` ("name (columns)"), or None with one warning."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(str(cache_dir / file_name), timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        # A cache commits once per story or batch: in WAL mode NORMAL never corrupts the file, and a power
        # cut can at worst lose the last commits, which are recomputed; FULL's fsync per commit cost ~2.5 s
        # over the ~300 commits of a 10k corpus judged as 56 stories.
        db.execute("PRAGMA synchronous=NORMAL")
        for table in tables:
            db.execute(f"CREATE TABLE IF NOT EXISTS {table} WITHOUT ROWID")
        return db
    except (sqlite3.Error, OSError) as exc:
        print(f"factcheck: warning: {what} cache disabled ({exc})", file=sys.stderr)
        return None


def package_versions(packages: Sequence[str]) -> list[str]:
    """Installed versions of `packages` as "name==version" ("name==-" when absent)."""
    from importlib.metadata import PackageNotFoundError, version

    out = []
    for package in packages:
        try:
            out.append(f"{package}=={version(package)}")
        except PackageNotFoundError:
            out.append(f"{package}==-")
    return out


def add_document(digest: Any, document: Document) -> None:
    """Feed every field of `document` and a digest of its text into `digest` (a hashlib object)."""
    fields = [repr(getattr(document, f.name)) for f in dataclasses.fields(document) if f.name != "text"]
    digest.update(b"\1")
    digest.update(json.dumps(fields, ensure_ascii=False).encode())
    digest.update(hashlib.sha256(document.text.encode("utf-8", "surrogatepass")).digest())
