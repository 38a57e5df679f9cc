"""Candidate pairs for linking: FAISS neighbours by key, by frame phrase, and cited figures by reporter.

`candidate_pairs` returns (rows i, rows j, first-stage key similarity) sorted by (i, j); the gates in
`factcheck.link.gates` then decide which candidates are one fact.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

from factcheck.config import Thresholds
from factcheck.extract.units import unit_group
from factcheck.link.embed import Embedder
from factcheck.records import Claim, ClaimKind, Quantity

STATEMENT_KINDS = {ClaimKind.POLARITY, ClaimKind.PREDICATE}
FRAME_LINKED_KINDS = {ClaimKind.QUANTITY, ClaimKind.DATE}  # kinds a frame match alone may link


def match_group(claim: Claim) -> str:
    """Claims are only compared inside one group (same kind; quantities also same unit)."""
    if claim.kind is ClaimKind.QUANTITY and isinstance(claim.value, Quantity):
        return f"quantity:{unit_group(claim.value.unit)}"
    if claim.kind is ClaimKind.ROLE:
        return "role"
    if claim.kind is ClaimKind.PERSON:
        return "person"
    return claim.kind.value


STATEMENT_NEIGHBOURS = 8  # clause keys link only to near-copies: few neighbours are enough


def _candidates(
    claims: Sequence[Claim], vectors: np.ndarray, th: Thresholds, focus_docs: Collection[int] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """FAISS candidates: clause keys search few close neighbours (negated ones only), value keys more.

    Arrays (rows i, rows j, first-stage similarities) sorted by (i, j).
    """
    from factcheck.link.cluster import candidate_arrays

    out: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    families = (
        # polarity: only a negated clause can conflict, so only negated clauses search
        ([c.kind is ClaimKind.POLARITY for c in claims], STATEMENT_NEIGHBOURS, True),
        ([c.kind is ClaimKind.PREDICATE for c in claims], STATEMENT_NEIGHBOURS, False),
        ([c.kind not in STATEMENT_KINDS for c in claims], 24, False),
    )
    docs = [c.doc_index for c in claims]
    all_groups = [match_group(c) for c in claims]
    for members, k, negated_only in families:
        first = next((r for r, member in enumerate(members) if member), None)
        if first is None:
            continue
        statement = claims[first].kind in STATEMENT_KINDS
        threshold = max(th.candidate, th.statement - STATEMENT_MARGIN) if statement else th.candidate
        # the family's rows by group, over the full matrix (no copy of the family's vectors)
        groups = [g if member else None for g, member in zip(all_groups, members, strict=True)]
        queries = [
            member and (not negated_only or c.value is True)
            and (focus_docs is None or c.doc_index in focus_docs)
            for c, member in zip(claims, members, strict=True)
        ]
        out.append(candidate_arrays(vectors, groups, docs, threshold, k=k,
                                    queries=queries if negated_only or focus_docs is not None else None))
    if not out:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    low = np.concatenate([part[0] for part in out])
    high = np.concatenate([part[1] for part in out])
    sims = np.concatenate([part[2] for part in out])
    order = np.lexsort((high, low))  # families share no row, so (i, j) is unique
    return low[order], high[order], sims[order]


def _with_frame_candidates(
    candidates: tuple[np.ndarray, np.ndarray, np.ndarray], claims: Sequence[Claim], vectors: np.ndarray,
    first: Embedder, th: Thresholds, focus_docs: Collection[int] | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Add the pairs whose frames (not word windows) are close.

    "Damage to the church was estimated at" / "the church ... received $3 million in damage": the word
    windows share nothing, the frames ("church damage") do.  New pairs carry their word-key similarity.
    Candidates are (low, high, similarity) columns sorted by (low, high); so is the result.
    """
    from factcheck.link.cluster import candidate_arrays

    rows = [r for r, c in enumerate(claims) if c.kind in FRAME_LINKED_KINDS and c.frame is not None
            and c.frame.text()]
    if len(rows) < 2:
        return candidates
    frame_vectors = first.encode([claims[r].frame.text() for r in rows])  # type: ignore[union-attr]
    queries = None
    if focus_docs is not None:
        queries = [claims[r].doc_index in focus_docs for r in rows]
    frame_low, frame_high, _ = candidate_arrays(
        np.ascontiguousarray(frame_vectors), [match_group(claims[r]) for r in rows],
        [claims[r].doc_index for r in rows], th.frame_candidate, k=24, queries=queries,
    )
    # pairs as single integers (low * n + high), so the set work stays in numpy at any size
    n = len(claims)
    row_of = np.asarray(rows, dtype=np.int64)
    found = np.unique(row_of[frame_low] * n + row_of[frame_high])  # rows ascend, so low < high holds
    return _merge(candidates, found, n, vectors)


STATEMENT_MARGIN = 0.10  # the first-stage cosine of a clause may fall this far below the confirmed one




def _with_cited_candidates(
    candidates: tuple[np.ndarray, np.ndarray, np.ndarray], claims: Sequence[Claim], vectors: np.ndarray,
    focus_docs: Collection[int] | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Add the pairs of a cited figure and a value from the same named reporter in another document.

    "less than the $184 million reported by Mike Lynch" names its value only by who reported it; its
    words share nothing with "Lynch reported the Red Sox offered ... $368 million".  Pairs are (cited
    row, row of the same match group whose frame's source shares a word); the gates decide.
    """
    by_source: dict[tuple[str, str], list[int]] = {}
    cited: list[int] = []
    for row, claim in enumerate(claims):
        frame = claim.frame
        if claim.kind is not ClaimKind.QUANTITY or frame is None or not frame.attribution:
            continue
        for word in frame.attribution:
            by_source.setdefault((match_group(claim), word), []).append(row)
        if frame.cited:
            cited.append(row)
    if not cited:
        return candidates
    n = len(claims)
    pairs: set[int] = set()
    for row in cited:
        claim = claims[row]
        for word in claim.frame.attribution:  # type: ignore[union-attr]
            for other in by_source.get((match_group(claim), word), ()):
                if claims[other].doc_index == claim.doc_index:
                    continue
                if focus_docs is not None and claim.doc_index not in focus_docs \
                        and claims[other].doc_index not in focus_docs:
                    continue
                pairs.add(min(row, other) * n + max(row, other))
    return _merge(candidates, np.fromiter(sorted(pairs), dtype=np.int64, count=len(pairs)), n, vectors)


def _merge(
    candidates: tuple[np.ndarray, np.ndarray, np.ndarray], found: np.ndarray, n: int, vectors: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Add pairs (as low * n + high) not yet among the candidates, with their key similarity."""
    low, high, sims = candidates
    extra = found[~np.isin(found, low * n + high)]
    if not len(extra):
        return candidates
    extra_low, extra_high = extra // n, extra % n
    extra_sims = np.einsum("ij,ij->i", vectors[extra_low], vectors[extra_high]).astype(np.float64)
    low = np.concatenate([low, extra_low])
    high = np.concatenate([high, extra_high])
    sims = np.concatenate([sims, extra_sims])
    order = np.lexsort((high, low))
    return low[order], high[order], sims[order]


def candidate_pairs(
    claims: Sequence[Claim], vectors: np.ndarray, first: Embedder, th: Thresholds,
    focus_docs: Collection[int] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every candidate pair: key neighbours, frame-phrase neighbours and cited figures by reporter."""
    candidates = _candidates(claims, vectors, th, focus_docs)
    candidates = _with_frame_candidates(candidates, claims, vectors, first, th, focus_docs)
    return _with_cited_candidates(candidates, claims, vectors, focus_docs)
