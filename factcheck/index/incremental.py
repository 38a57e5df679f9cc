"""`ci`: check new or changed documents against the persistent index and against each other.

Only the new documents are segmented and extracted.  Their fact keys are embedded once, the
index returns the stored claims near them (nearest keys in the same match group that pass the
similarity-free linking gates with the claim that found them, plus same-surname person claims for
the name rules), and the usual link -> cluster -> rules ->
suppressions judgement runs over new and retrieved claims together.  Only findings that involve
a new document are kept, and `index.decision` judges each by the side the new document takes in
the corpus's dispute (docs/ci.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from factcheck.config import Config
from factcheck.index.store import CorpusIndex
from factcheck.link.embed import Embedder
from factcheck.records import Claim, Document, Report

__all__ = ["check_against_index"]


def link_screen(config: Config) -> Callable[[Claim, Claim], bool]:
    """Return the similarity-free linking gates as a test of (new claim, stored claim).

    A stored neighbour that fails them with every new claim that found it can never be linked to a new
    claim, so no finding that `ci` keeps can involve it; dropping it keeps the judgement small.
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


def check_against_index(
    documents: Sequence[Document],
    index: CorpusIndex,
    config: Config,
    embedders: tuple[Embedder, Embedder | None],
    progress: Callable[[str], None] | None = None,
    neighbours: int = 64,
) -> Report:
    """Check new or edited `documents` against the index; keep findings that involve them."""
    from factcheck.extract import normalise_key
    from factcheck.index.decision import decide
    from factcheck.kb import load_kb
    from factcheck.pipeline import analyse, judge

    kb = load_kb(config.kb) if config.kb else None  # a malformed --kb fails before any embedding
    say = progress or (lambda _m: None)
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    documents = list(documents)
    if config.as_of is not None:
        documents = [d for d in documents if d.date is None or d.date <= config.as_of]
    sentences, claims, ignored = analyse(documents, config)
    timings["segment+extract"] = time.perf_counter() - clock

    clock = time.perf_counter()
    say(f"searching the index for {len(claims)} fact keys")
    first, confirm = embedders
    vectors = first.encode([normalise_key(c.key) for c in claims])
    th = config.thresholds
    threshold = th.candidate if confirm is not None else min(th.context, th.role)
    found = index.retrieve(
        claims,
        vectors,
        threshold,
        exclude_paths=[d.path for d in documents],
        offset=len(documents),
        first_id=len(claims),
        k=neighbours,
        screen=link_screen(config),
    )
    old_claims = found.claims
    if config.as_of is not None:
        late = {
            i
            for i, d in enumerate(found.documents, start=len(documents))
            if d.date is not None and d.date > config.as_of
        }
        old_claims = [c for c in old_claims if c.doc_index not in late]
    timings["retrieve"] = time.perf_counter() - clock

    all_documents = [*documents, *found.documents]
    findings, clusters = judge(
        all_documents,
        [*sentences, *found.sentences],
        [*claims, *old_claims],
        config,
        embedders,
        timings=timings,
        unused_in=range(len(documents)),
        kb=kb,
        focus_docs=set(range(len(documents))),
    )
    new_paths = {d.path for d in documents}
    kept = decide([f for f in findings if any(ref.document in new_paths for ref in f.claims)], new_paths)
    ours = [c for c in clusters if any(claim.doc_index < len(documents) for claim in c.claims)]
    name = first.model_id + (f"+{confirm.model_id}" if confirm is not None else "")
    timings["retrieved documents"] = float(len(found.documents))
    return Report(
        documents=tuple(documents),
        sentences=tuple(sentences),
        findings=tuple(kept),
        ignored=tuple(ignored),
        clusters=tuple(ours),
        claims=tuple(claims),
        timings=timings,
        embedder=name,
    )
