"""Config: every setting of a run, with defaults chosen on ../shared/eval/dev."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from factcheck.extract.roles import DEFAULT_ROLE_SYNONYMS
from factcheck.records import Severity

EMBEDDERS = ("auto", "minilm", "static")


def toml_date(value: object) -> dt.date | None:
    """Read a TOML date, datetime or "YYYY-MM-DD" string as a date (None when it is none of these)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class Thresholds:
    """Similarity gates for linking two claims' keys (cosine) and their words (Jaccard)."""

    candidate: float = 0.50  # FAISS search threshold for the first (static) stage
    context: float = 0.80  # context keys (names, places, numbers, dates) in MiniLM cosine
    context_words: float = 0.40  # and Jaccard overlap of the keys' content words
    lexical: float = 0.60  # or: nearly the same words (a re-punctuated copy) at a lower cosine
    lexical_words: float = 0.60
    typed: float = 0.65  # or: the same measured thing and unit ("reward", USD)
    typed_words: float = 0.30
    anchored: float = 0.50  # or: a paraphrase sharing proper names, with the same value type and unit
    anchored_words: float = 0.15
    anchors: int = 1
    statement: float = 0.85  # clause keys (polarity, antonyms)
    statement_words: float = 0.60
    role: float = 0.80  # role keys whose canonical roles differ but share a head word
    frame_candidate: float = 0.60  # FAISS search threshold on frame phrases (first stage)
    frame_different: float = 0.35  # frame head nouns (or predicates) less similar than this: other facts
    frame_mixed: float = 0.20  # a head noun against a predicate less similar than this: other facts
    frame_same: float = 0.75  # frame words at least this similar name the same measure
    # statements about one "to" complement ("to carry the gun"): the words governing it must be at least
    # this similar ("permit" / "licensed" 0.60; "decide" / "refuse" 0.48, "try" / "fail" 0.50 stay apart)
    complement_governor: float = 0.55


@dataclass(frozen=True)
class Config:
    """All settings of one run of the pipeline."""

    embedder: str = "auto"
    device: str = "auto"
    cache_dir: Path | None = None  # None: the user cache dir
    model_dir: Path | None = None  # derived models; None: $FACTCHECK_MODEL_DIR or the user data dir
    use_cache: bool = True
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    dates: Mapping[str, dt.date] = field(default_factory=dict)
    kb: str | None = None
    as_of: dt.date | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity_overrides: Mapping[str, Severity] = field(default_factory=dict)
    role_synonyms: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ROLE_SYNONYMS))
    thresholds: Thresholds = field(default_factory=Thresholds)
    max_cluster_size: int = 40
    name_aliases: Mapping[str, str] = field(default_factory=dict)  # alias -> canonical full name
    syntax: bool = True  # frames from the dependency parse (False: word-window keys only)
    updates: str = "note"  # evolving facts that changed: note (info) | warn (warning) | conflict
    across_stories: bool = False  # compare documents of different stories too
    max_file_size: int = 20 * 1024 * 1024  # bytes per document; larger files are an input error
    skip_unreadable: bool = False  # unreadable files and directories: warn and go on instead of exit 2
    docs_url: str | None = None  # reports: base URL (or {code} template) of the rule docs; None: no links
