"""`ci`: check new or changed documents against the persistent index and against each other.

Only the new documents are segmented and extracted.  Their fact keys are embedded once, the
index returns the stored claims near them (nearest keys in the same match group that pass the
similarity-free linking gates with the claim that found them, plus same-surname person claims for
the name rules) with their stored key vectors, and the usual link -> cluster -> rules ->
suppressions judgement runs over new and retrieved claims together, reusing those vectors.  Only
findings that involve a new document are kept, and `index.decision` judges each by the side the new
document takes in the corpus's dispute (docs/ci.md).  The analysed new documents and their vectors stay
with the result, so `ci --update-index` stores them without analysing or embedding them again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from factcheck.config import Config
from factcheck.corpus import Corpus
from factcheck.index.store import AddResult, CorpusIndex
from factcheck.link.embed import Embedder
from factcheck.records import Claim, Document, Report

__all__ = ["IndexCheck", "check_against_index", "run_ci"]


@dataclass(frozen=True)
class IndexCheck:
    """The outcome of `run_ci`: the report, and the checked documents analysed with their key vectors."""

    report: Report
    documents: tuple[Document, ...]  # every document given (also those left out by `as_of`)
    analysed: Corpus  # the checked documents, segmented and extracted
    vectors: np.ndarray  # first-stage key vectors of `analysed.claims`

    def update_index(
        self, index: CorpusIndex, config: Config, progress: Callable[[str], None] | None = None
    ) -> AddResult:
        """Add the documents to the index, reusing what the check already analysed and embedded."""
        return index.add(self.documents, config, progress, analysed=self.analysed, vectors=self.vectors)


def link_screen(config: Config) -> Callable[[Claim, Claim], bool]:
    """Return the similarity-free linking gates as a test of (new claim, stored claim).

    A stored neighbour that fails them with every new claim that found it can never be linked to a new
    claim, so no finding that `ci` keeps can involve it; dropping it keeps the judgement small.  The
    gates read the stored claim's kind, role and key only (`records.screened_claim` gives no more).
    """
    from factcheck.extract.text import content_words, jaccard
    from factcheck.link.gates import _screen

    words: dict[str, set[str]] = {}

    def of(claim: Claim) -> set[str]:
        if claim.key not in words:
            words[claim.key] = content_words(claim.key)
        return words[claim.key]

    def screen(new: Claim, stored: Claim) -> bool:
        return _screen(new, stored, jaccard(of(new), of(stored)), config.thresholds)

    return screen


def _stories(new: Sequence[Document], stored: Sequence[Document], stored_ids: Sequence[int],
             index: CorpusIndex, config: Config) -> list[str]:
    """Story labels of the new documents, then of the retrieved stored ones (`read.stories`)."""
    from factcheck.pipeline import stored_story_features
    from factcheck.read.stories import assign_stories

    together = [*new, *stored]
    # rarity is judged against the whole index: the retrieved documents are a sample biased towards the
    # new documents' own story
    population = len(new) + index.records.count("documents")
    # the stored documents' features are kept numbered in the index (`index.stories`); only the new
    # documents' are read as strings (stored documents have no sidecar story, new ones may)
    unlabelled = [d for d in new if d.story is None]
    read = stored_story_features(unlabelled, config)
    numbered = index.story_numbers(read, stored_ids)
    if numbered is not None:
        return assign_stories(together, by_folder=False, population=population, numbered=numbered)
    features = stored_story_features(together, config)
    return assign_stories(together, by_folder=False, features=features, population=population)


def run_ci(
    documents: Sequence[Document],
    index: CorpusIndex,
    config: Config,
    embedders: tuple[Embedder, Embedder | None],
    progress: Callable[[str], None] | None = None,
    neighbours: int = 64,
) -> IndexCheck:
    """Check new or edited `documents` against the index; keep findings that involve them."""
    from factcheck.extract import normalise_key
    from factcheck.index.decision import decide
    from factcheck.kb import load_kb
    from factcheck.pipeline import analyse, embedder_name, in_scope, judge

    kb = load_kb(config.kb) if config.kb else None  # a malformed --kb fails before any embedding
    say = progress or (lambda _m: None)
    timings: dict[str, float] = {}
    given = tuple(documents)
    corpus = analyse(in_scope(given, config), config, timings=timings)
    new_docs = len(corpus.documents)

    clock = time.perf_counter()
    say(f"searching the index for {len(corpus.claims)} fact keys")
    first, confirm = embedders
    vectors = first.encode([normalise_key(c.key) for c in corpus.claims])
    th = config.thresholds
    threshold = th.candidate if confirm is not None else min(th.context, th.role)

    def keep(stored: list[Document], stored_ids: list[int]) -> list[int]:
        """Choose the stored documents to judge with the new ones: of their story, published by as-of."""
        chosen: Sequence[int] = range(len(stored))
        if not config.across_stories and stored:
            # facts are compared within a story, as `check` judges each story on its own: stored documents
            # of other stories are left out (their claims, sentences and quotations too)
            labels = _stories(corpus.documents, stored, stored_ids, index, config)
            mine = set(labels[:new_docs])
            chosen = [n for n in chosen if labels[new_docs + n] in mine]
        as_of = config.as_of
        if as_of is not None:
            chosen = [n for n in chosen if (date := stored[n].date) is None or date <= as_of]
        return list(chosen)

    found = index.retrieve(
        corpus.claims,
        vectors,
        threshold,
        exclude_paths=[d.path for d in corpus.documents],
        offset=new_docs,
        first_id=len(corpus.claims),
        k=neighbours,
        screen=link_screen(config),
        keep=keep,
    )
    timings["retrieve"] = time.perf_counter() - clock

    whole = corpus.extended(found.documents, found.sentences, found.claims)
    all_vectors = np.concatenate([np.asarray(vectors, dtype=np.float32).reshape(-1, first.dim),
                                  found.vectors.reshape(-1, first.dim)])
    findings, clusters = judge(
        whole,
        config,
        embedders,
        vectors=all_vectors,
        timings=timings,
        unused_in=range(new_docs),
        kb=kb,
        focus_docs=set(range(new_docs)),
    )
    new_paths = {d.path for d in corpus.documents}
    kept = decide([f for f in findings if any(ref.document in new_paths for ref in f.claims)], new_paths)
    ours = [c for c in clusters if any(claim.doc_index < new_docs for claim in c.claims)]
    timings["retrieved documents"] = float(found.found)
    timings["documents judged"] = float(new_docs + len(found.documents))
    report = Report(
        corpus=whole,
        findings=tuple(kept),
        clusters=tuple(ours),
        timings=timings,
        embedder=embedder_name(embedders),
        checked=new_docs,
    )
    return IndexCheck(report, given, corpus, vectors)


def check_against_index(
    documents: Sequence[Document],
    index: CorpusIndex,
    config: Config,
    embedders: tuple[Embedder, Embedder | None],
    progress: Callable[[str], None] | None = None,
    neighbours: int = 64,
) -> Report:
    """Check new or edited `documents` against the index; keep findings that involve them."""
    return run_ci(documents, index, config, embedders, progress, neighbours).report
