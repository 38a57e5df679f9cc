"""The pipeline: ingest -> segment -> extract (a Corpus) -> embed keys -> link -> cluster -> rules.

`check(paths)` is the front door; `check_documents` starts from ingested documents; `analyse` and
`judge` are the two halves that `ci` (factcheck.index.incremental) and the index reuse.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from contextlib import ExitStack
from typing import TYPE_CHECKING

import numpy as np

from factcheck.analysis import AnalysisCache, analyse_documents
from factcheck.config import Config
from factcheck.corpus import Corpus
from factcheck.errors import UsageError
from factcheck.extract.syntax import Analyser
from factcheck.judgements import JudgementCache, decode_judgement, encode_judgement, story_key
from factcheck.kb import KnowledgeBase, load_kb
from factcheck.link.embed import CachedEmbedder, Embedder, MiniLMEmbedder, StaticEmbedder, default_cache_dir
from factcheck.link.gates import link_claims
from factcheck.link.gates import match_group as match_group  # re-exported: store.py and bench/ use it
from factcheck.records import Document, FactCluster, Finding, Report

if TYPE_CHECKING:
    from factcheck.analysis import Part

Progress = Callable[[str], None]


def make_embedders(config: Config) -> tuple[Embedder, Embedder | None]:
    """(candidate embedder, confirming embedder or None), wrapped in the disk cache."""
    cache = (config.cache_dir or default_cache_dir()) if config.use_cache else None
    static_dir = config.model_dir  # None: the per-machine model directory, never the cache
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


def analysis_cache(config: Config) -> AnalysisCache | None:
    """Open the per-document analysis cache next to the embedding cache (None with --no-cache)."""
    if not config.use_cache:
        return None
    return AnalysisCache(config.cache_dir or default_cache_dir())


def analyse(
    documents: Sequence[Document],
    config: Config,
    *,
    progress: Progress | None = None,
    timings: dict[str, float] | None = None,
) -> Corpus:
    """Segment and extract already-ingested documents into a Corpus.

    Documents analysed before (same content, same analyser, same settings) come from the analysis
    cache; new ones are analysed (and, with `syntax = true`, parsed) in a process pool when there
    are enough of them.
    """
    say = progress or (lambda _m: None)
    timings = timings if timings is not None else {}
    say("segmenting, extracting claims and parsing")
    cache = analysis_cache(config)
    try:
        sentences, claims, ignored = analyse_documents(documents, config.role_synonyms, cache, timings,
                                                       make_analyser(config))
    finally:
        if cache is not None:
            cache.close()
    return Corpus.of(documents, sentences, claims, ignored)


def judge(
    corpus: Corpus,
    config: Config,
    embedders: tuple[Embedder, Embedder | None],
    *,
    vectors: np.ndarray | None = None,
    timings: dict[str, float] | None = None,
    unused_in: Collection[int] | None = None,
    kb: KnowledgeBase | None = None,
    focus_docs: Collection[int] | None = None,
) -> tuple[list[Finding], list[FactCluster]]:
    """Link -> cluster -> rules -> inline suppressions over an analysed corpus.

    Shared by `check` (the whole corpus) and `ci` (new documents plus the stored claims retrieved
    for them).  `vectors` are the first-stage key vectors of the claims when already known (`ci`:
    computed for the search, or stored in the index), so no key is embedded twice.  `unused_in`
    names the documents whose unused suppressions are reported (None: all).  `focus_docs` limits
    linking to pairs that involve those documents (`ci`: the new ones).  `kb` is the already-loaded
    `config.kb` (callers load it first, so a bad file fails before any embedding).
    """
    from factcheck.link.cluster import build_clusters
    from factcheck.rules import RuleContext, run_rules
    from factcheck.rules.suppress import apply_suppressions
    from factcheck.rules.verdicts import group_findings

    timings = timings if timings is not None else {}
    clock = time.perf_counter()
    first, confirm = embedders
    pairs = link_claims(corpus.claims, corpus.sentence_index, first, confirm, config, corpus.texts,
                        focus_docs, vectors=vectors)
    timings["embed+link"] = time.perf_counter() - clock

    clock = time.perf_counter()
    clusters = build_clusters(corpus.claims, pairs, config.max_cluster_size)
    timings["cluster"] = time.perf_counter() - clock

    clock = time.perf_counter()
    ctx = RuleContext(
        corpus=corpus,
        kb=kb,
        severity_overrides=config.severity_overrides,
        name_aliases=config.name_aliases,
        focus_docs=frozenset(focus_docs) if focus_docs is not None else None,
    )
    findings = run_rules(clusters, ctx, config.select, config.ignore)
    findings = apply_suppressions(findings, corpus, config, unused_in, clusters, ctx)
    findings = group_findings(findings, corpus.documents, config.updates, config.severity_overrides)
    timings["rules"] = time.perf_counter() - clock
    return findings, clusters


def analyse_and_judge(
    documents: Sequence[Document],
    config: Config,
    embedders: tuple[Embedder, Embedder | None],
    timings: dict[str, float],
    kb: KnowledgeBase | None,
    progress: Progress | None = None,
) -> tuple[Corpus, list[Finding], list[FactCluster]]:
    """Analyse the documents and `judge` each story (see read/stories.py) on its own.

    Stories are told apart from the documents' text alone, so each story is judged as soon as its
    documents are analysed, while the worker processes go on analysing the next ones (judging is one
    core's work; on two cores it no longer waits for the whole corpus to be parsed).  Every story is
    judged exactly as a run over its documents alone would judge it, so checking many stories
    together gives each story's own findings and never pairs two stories (`config.across_stories`
    judges the whole corpus as one).  A story judged before (same documents, settings, knowledge base
    and code) comes from the judgement cache (factcheck.judgements) without embedding, linking or
    running a rule.
    """
    from dataclasses import replace

    from factcheck.analysis import iter_analyses
    from factcheck.read.stories import assign_stories
    from factcheck.rules import finding_order

    say = progress or (lambda _m: None)
    with ExitStack() as open_caches:
        stored = analysis_cache(config)
        if stored is not None:
            open_caches.callback(stored.close)
        cache = judgement_cache(config)
        if cache is not None:
            open_caches.callback(cache.close)
        for embedder in embedders:  # each story embeds a few keys: store them in one transaction at the end
            if isinstance(embedder, CachedEmbedder):
                open_caches.enter_context(embedder.deferred_writes())
        clock = time.perf_counter()
        labels = stored.story_labels(documents) if stored is not None else assign_stories(documents)
        timings["stories"] = time.perf_counter() - clock
        whole = config.across_stories or len(set(labels)) <= 1
        members: dict[str, list[int]] = {}
        for i, label in enumerate(labels):
            members.setdefault(label, []).append(i)
        stories = list(members.values())  # in order of their first document: clusters are named S1., S2., ...
        # worker processes analyse the documents story after story, so each story is complete as early as
        # possible; claim ids are numbered in that order until every document is back, then renumbered
        story_of = {i: n for n, story in enumerate(stories) for i in story}
        left = [len(story) for story in stories]  # documents of each story not analysed yet
        judged: dict[int, tuple[list[Finding], list[FactCluster]]] = {}
        parts: dict[int, Part] = {}

        def judge_story(n: int) -> None:
            indexes = stories[n]

            def story() -> Corpus:  # the story on its own: its documents numbered from 0
                remap = {old: new for new, old in enumerate(indexes)}
                return Corpus.of(
                    [documents[i] for i in indexes],
                    [replace(s, doc_index=remap[i]) for i in indexes for s in parts[i][1]],
                    [replace(c, doc_index=remap[i]) for i in indexes for c in parts[i][2]],
                )

            # enough to find and rebuild a stored judgement (its clusters are mapped to the corpus's claims)
            claims = [c for i in indexes for c in parts[i][2]]
            stored_view = Corpus.of([documents[i] for i in indexes], (), claims)
            story_times: dict[str, float] = {}
            judged[n] = judge_cached(stored_view, config, embedders, story_times, kb, cache, build=story)
            for stage, seconds in story_times.items():  # stage times summed over the stories
                timings[stage] = timings.get(stage, 0.0) + seconds

        say("segmenting, extracting claims and parsing" + ("" if whole else "; judging story by story"))
        order = None if whole else [i for story in stories for i in story]
        for doc_index, part in iter_analyses(documents, config.role_synonyms, stored, timings,
                                             make_analyser(config), order):
            parts[doc_index] = part
            if whole:
                continue
            n = story_of[doc_index]
            left[n] -= 1
            if not left[n]:  # the story's last document
                judge_story(n)
        renumbered = _in_corpus_order(parts, len(documents))
        corpus = Corpus.of(documents, [s for i in range(len(documents)) for s in parts[i][1]],
                           [c for i in range(len(documents)) for c in parts[i][2]],
                           [span for i in range(len(documents)) for span in parts[i][0]])
        if whole:
            say(f"embedding {len(corpus.claims)} fact keys, running rules")
            findings, clusters = judge_cached(corpus, config, embedders, timings, kb, cache)
            return corpus, findings, clusters
        findings = [f for n in range(len(stories)) for f in judged[n][0]]
        clusters = [_in_corpus(c, f"S{n + 1}.{c.id}", corpus, renumbered)
                    for n in range(len(stories)) for c in judged[n][1]]
        return corpus, sorted(findings, key=finding_order), clusters


def _in_corpus_order(parts: dict[int, Part], documents: int) -> dict[int, int]:
    """Renumber the claims of `parts` in corpus order, in place; return {old id: new id} of those moved."""
    from dataclasses import replace

    changed: dict[int, int] = {}
    next_id = 0
    for doc_index in range(documents):
        spans, sentences, claims = parts[doc_index]
        if claims and claims[0].id != next_id:
            for n, claim in enumerate(claims):
                changed[claim.id] = next_id + n
            parts[doc_index] = (spans, sentences, [replace(c, id=next_id + n) for n, c in enumerate(claims)])
        next_id += len(claims)
    return changed


def _in_corpus(cluster: FactCluster, name: str, corpus: Corpus, changed: dict[int, int]) -> FactCluster:
    """Return a story's `cluster`, named `name`, over the corpus's own claims (their ids and documents).

    A story is judged over its own documents, numbered from 0; the report's clusters hold the corpus's
    claim records, so a renderer finds each claim's document in `report.corpus.documents`.
    """
    from dataclasses import replace

    def new(claim_id: int) -> int:
        return changed.get(claim_id, claim_id)

    claims = tuple(corpus.claims[new(c.id)] for c in cluster.claims)
    pairs = tuple((new(i), new(j), s) for i, j, s in cluster.pairs) if changed else cluster.pairs
    return replace(cluster, id=name, claims=claims, pairs=pairs)


def stored_story_features(
    documents: Sequence[Document], config: Config
) -> list[tuple[frozenset[str], frozenset[str]]]:
    """Return the documents' story features, kept in the analysis cache (read in place with --no-cache)."""
    cache = analysis_cache(config) or AnalysisCache(None)
    try:
        return cache.story_features(documents)
    finally:
        cache.close()


def judgement_cache(config: Config) -> JudgementCache | None:
    """Open the story judgement cache next to the embedding cache (None with --no-cache)."""
    if not config.use_cache:
        return None
    return JudgementCache(config.cache_dir or default_cache_dir())


def judge_cached(
    corpus: Corpus,
    config: Config,
    embedders: tuple[Embedder, Embedder | None],
    timings: dict[str, float],
    kb: KnowledgeBase | None,
    cache: JudgementCache | None,
    build: Callable[[], Corpus] | None = None,
) -> tuple[list[Finding], list[FactCluster]]:
    """`judge` one story, or load its judgement from `cache` when the story was judged before.

    `build`, when given, makes the corpus to judge; `corpus` then only needs the story's documents
    (the cache key) and its claims in order (what a stored judgement's clusters point to), so a story
    served from the cache is never built.
    """
    if cache is None:
        return judge(build() if build else corpus, config, embedders, timings=timings, kb=kb)
    clock = time.perf_counter()
    key = story_key(corpus, config, embedders, kb)
    blob = cache.get(key)
    loaded = decode_judgement(blob, corpus) if blob is not None else None
    spent = time.perf_counter() - clock
    if loaded is not None:
        cache.hits += 1
        timings["judgement cache"] = timings.get("judgement cache", 0.0) + spent
        return loaded
    cache.misses += 1
    corpus = build() if build else corpus
    findings, clusters = judge(corpus, config, embedders, timings=timings, kb=kb)
    clock = time.perf_counter()
    record = encode_judgement(corpus, findings, clusters)
    if record is not None:
        cache.put(key, record)
    timings["judgement cache"] = timings.get("judgement cache", 0.0) + spent + time.perf_counter() - clock
    return findings, clusters


def embedder_name(embedders: tuple[Embedder, Embedder | None]) -> str:
    """"first+confirm" model ids, as reports show them."""
    first, confirm = embedders
    return first.model_id + (f"+{confirm.model_id}" if confirm is not None else "")


def in_scope(documents: Sequence[Document], config: Config) -> list[Document]:
    """Keep the documents published by `config.as_of` (all of them without it)."""
    if config.as_of is None:
        return list(documents)
    return [d for d in documents if d.date is None or d.date <= config.as_of]


def check_documents(
    documents: Sequence[Document],
    config: Config,
    embedders: tuple[Embedder, Embedder | None] | None = None,
    progress: Progress | None = None,
    kb: KnowledgeBase | None = None,
) -> Report:
    """Run segment -> extract -> embed -> cluster -> rules on already-ingested documents.

    The knowledge base (`kb`, or `config.kb` loaded here first) is validated before any work.
    """
    if kb is None and config.kb:
        kb = load_kb(config.kb)  # a malformed --kb fails now, not after the model has loaded
    timings: dict[str, float] = {}
    embedders = embedders or make_embedders(config)
    corpus, findings, clusters = analyse_and_judge(in_scope(documents, config), config, embedders, timings,
                                                   kb, progress)
    return Report(corpus=corpus, findings=tuple(findings), clusters=tuple(clusters), timings=timings,
                  embedder=embedder_name(embedders))


def ingest(
    paths: Sequence[str],
    config: Config,
    *,
    stdin_text: str | None = None,
    warn: Callable[[str], None] | None = None,
) -> list[Document]:
    """Read `paths` with the configuration's include/exclude/dates (languages identified once per text)."""
    from factcheck.read.ingest import load_documents

    cache = analysis_cache(config)
    try:
        return load_documents(
            paths, include=config.include, exclude=config.exclude, dates=dict(config.dates),
            stdin_text=stdin_text, warn=warn or (lambda _m: None), max_file_size=config.max_file_size,
            skip_unreadable=config.skip_unreadable,
            **({"language_of": cache.language} if cache is not None else {}),
        )
    finally:
        if cache is not None:
            cache.close()


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
    config = config or Config()
    kb = load_kb(config.kb) if config.kb else None  # validate --kb before reading or embedding anything
    clock = time.perf_counter()
    documents = ingest(paths, config, stdin_text=stdin_text, warn=warn)
    ingest_time = time.perf_counter() - clock
    report = check_documents(documents, config, embedders=embedders, progress=progress, kb=kb)
    report.timings["ingest"] = ingest_time
    return report
