"""The pipeline: ingest -> segment -> extract -> embed keys -> cluster -> rules. Nothing else."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence

from factcheck.config import Config
from factcheck.errors import UsageError
from factcheck.extract import attach_frames, extract_claims
from factcheck.extract.syntax import Analyser
from factcheck.kb import KnowledgeBase, load_kb
from factcheck.link.embed import CachedEmbedder, Embedder, MiniLMEmbedder, StaticEmbedder, default_cache_dir
from factcheck.link.gates import link_claims
from factcheck.link.gates import match_group as match_group  # re-exported: store.py and bench/ use it
from factcheck.records import (
    Claim,
    Document,
    FactCluster,
    Finding,
    IgnoredSpan,
    Report,
    Sentence,
)

Progress = Callable[[str], None]


def make_embedders(config: Config) -> tuple[Embedder, Embedder | None]:
    """(candidate embedder, confirming embedder or None), wrapped in the disk cache."""
    cache = (config.cache_dir or default_cache_dir()) if config.use_cache else None
    static_dir = config.cache_dir or default_cache_dir()
    if config.embedder == "minilm":
        return CachedEmbedder(MiniLMEmbedder(config.device), cache), None
    if config.embedder == "static":
        return CachedEmbedder(StaticEmbedder(static_dir), cache), None
    if config.embedder == "auto":
        return (CachedEmbedder(StaticEmbedder(static_dir), cache),
                CachedEmbedder(MiniLMEmbedder(config.device), cache))
    raise UsageError(f"unknown embedder {config.embedder!r}: use auto, minilm or static")


def make_analyser(config: Config) -> Analyser | None:
    """Make the dependency-parse analyser (cached next to the embeddings); None with `syntax = false`."""
    if not config.syntax:
        return None
    cache = (config.cache_dir or default_cache_dir()) if config.use_cache else None
    return Analyser(cache)


def analyse(
    documents: Sequence[Document], config: Config
) -> tuple[list[Sentence], list[Claim], list[IgnoredSpan]]:
    """Segment and extract already-ingested documents: (sentences, claims, ignored spans)."""
    from factcheck.read.boilerplate import find_boilerplate
    from factcheck.read.segment import segment

    ignored: list[IgnoredSpan] = []
    sentences: list[Sentence] = []
    for doc_index, document in enumerate(documents):
        spans = find_boilerplate(document)
        ignored.extend(spans)
        sentences.extend(segment(document, doc_index, spans))
    claims = extract_claims(documents, sentences, config.role_synonyms, make_analyser(config))
    return sentences, claims, ignored


def judge(
    documents: Sequence[Document],
    sentences: Sequence[Sentence],
    claims: Sequence[Claim],
    config: Config,
    embedders: tuple[Embedder, Embedder | None],
    *,
    timings: dict[str, float] | None = None,
    unused_in: Collection[int] | None = None,
    kb: KnowledgeBase | None = None,
    focus_docs: Collection[int] | None = None,
) -> tuple[list[Finding], list[FactCluster]]:
    """Link -> cluster -> rules -> inline suppressions over already-extracted claims.

    Shared by `check` (the whole corpus) and `ci` (new documents plus the stored claims retrieved
    for them).  `unused_in` names the documents whose unused suppressions are reported (None: all).
    `focus_docs` limits linking to pairs that involve those documents (`ci`: the new ones).
    `kb` is the already-loaded `config.kb` (callers load it first, so a bad file fails before any
    embedding); when None it is loaded here.
    """
    from factcheck.link.cluster import build_clusters
    from factcheck.rules import RuleContext, run_rules
    from factcheck.rules.suppress import apply_suppressions

    timings = timings if timings is not None else {}
    clock = time.perf_counter()
    first, confirm = embedders
    sentence_index = {(s.doc_index, s.index): s for s in sentences}
    texts = [d.text for d in documents]
    pairs = link_claims(claims, sentence_index, first, confirm, config, texts, focus_docs)
    timings["embed+link"] = time.perf_counter() - clock

    clock = time.perf_counter()
    clusters = build_clusters(claims, pairs, config.max_cluster_size)
    timings["cluster"] = time.perf_counter() - clock

    clock = time.perf_counter()
    if kb is None and config.kb:
        kb = load_kb(config.kb)
    ctx = RuleContext(
        documents=documents,
        sentences=sentence_index,
        claims=claims,
        kb=kb,
        severity_overrides=config.severity_overrides,
        name_aliases=config.name_aliases,
    )
    findings = run_rules(clusters, ctx, config.select, config.ignore)
    findings = apply_suppressions(findings, documents, sentences, config, unused_in)
    timings["rules"] = time.perf_counter() - clock
    return findings, clusters


def check_documents(
    documents: Sequence[Document],
    config: Config,
    embedders: tuple[Embedder, Embedder | None] | None = None,
    progress: Progress | None = None,
    ignored_extra: Sequence[IgnoredSpan] = (),
    kb: KnowledgeBase | None = None,
) -> Report:
    """Run segment -> extract -> embed -> cluster -> rules on already-ingested documents.

    The knowledge base (`kb`, or `config.kb` loaded here first) is validated before any work.
    """
    from factcheck.read.boilerplate import find_boilerplate
    from factcheck.read.segment import segment

    if kb is None and config.kb:
        kb = load_kb(config.kb)  # a malformed --kb fails now, not after the model has loaded
    say = progress or (lambda _m: None)
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    if config.as_of is not None:
        documents = [d for d in documents if d.date is None or d.date <= config.as_of]
    ignored: list[IgnoredSpan] = list(ignored_extra)
    sentences: list[Sentence] = []
    say("segmenting")
    for doc_index, document in enumerate(documents):
        spans = find_boilerplate(document)
        ignored.extend(spans)
        sentences.extend(segment(document, doc_index, spans))
    timings["segment"] = time.perf_counter() - clock

    clock = time.perf_counter()
    say("extracting claims")
    claims = extract_claims(documents, sentences, config.role_synonyms)
    timings["extract"] = time.perf_counter() - clock
    analyser = make_analyser(config)
    if analyser is not None:
        clock = time.perf_counter()
        say("parsing sentences")
        claims = attach_frames(claims, sentences, analyser)
        timings["parse"] = time.perf_counter() - clock

    say(f"embedding {len(claims)} fact keys, running rules")
    first, confirm = embedders or make_embedders(config)
    findings, clusters = judge(documents, sentences, claims, config, (first, confirm), timings=timings,
                               kb=kb)
    name = first.model_id + (f"+{confirm.model_id}" if confirm is not None else "")
    return Report(
        documents=tuple(documents), sentences=tuple(sentences), findings=tuple(findings),
        ignored=tuple(ignored), clusters=tuple(clusters), claims=tuple(claims), timings=timings,
        embedder=name,
    )


def check(
    paths: Sequence[str],
    config: Config | None = None,
    *,
    stdin_text: str | None = None,
    warn: Callable[[str], None] | None = None,
    progress: Progress | None = None,
    embedders: tuple[Embedder, Embedder | None] | None = None,
) -> Report:
    """Ingest `paths` (files, directories, "-") and check them: the library's front door."""
    from factcheck.read.ingest import load_documents

    config = config or Config()
    kb = load_kb(config.kb) if config.kb else None  # validate --kb before reading or embedding anything
    clock = time.perf_counter()
    documents = load_documents(
        paths, include=config.include, exclude=config.exclude, dates=dict(config.dates),
        stdin_text=stdin_text, warn=warn or (lambda _m: None),
    )
    ingest_time = time.perf_counter() - clock
    report = check_documents(documents, config, embedders=embedders, progress=progress, kb=kb)
    report.timings["ingest"] = ingest_time
    return report

