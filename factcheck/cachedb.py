"""Shared pieces of factcheck's SQLite caches: opening a cache file and the versions that key its records."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path


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
