"""Link claims: which cross-document claim pairs are about the same fact (the clustering edges).

Keys are embedded (first stage: fast candidates with FAISS; second stage: MiniLM confirms only the
candidates), then each candidate pair must pass gates that depend on the claim kind:

* role claims: the canonical roles match;
* statements (polarity, antonym predicates): near-identical clauses;
* context keys (names, places, numbers, dates): similar key wording, or - for a paraphrase - a
  weaker semantic match anchored by proper names both sentences share and a compatible value type.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from factcheck.config import Config
from factcheck.embed import Embedder
from factcheck.extract import normalise_key
from factcheck.extract.roles import roles_match
from factcheck.extract.text import STOPWORDS, content_words, jaccard, tokens
from factcheck.records import Claim, ClaimKind, Quantity, Sentence

STATEMENT_KINDS = {ClaimKind.POLARITY, ClaimKind.PREDICATE}
ANCHORED_KINDS = {ClaimKind.QUANTITY, ClaimKind.DATE, ClaimKind.PERSON, ClaimKind.PLACE}


def match_group(claim: Claim) -> str:
    """Claims are only compared inside one group (same kind; quantities also same unit)."""
    if claim.kind is ClaimKind.QUANTITY and isinstance(claim.value, Quantity):
        return f"quantity:{claim.value.unit}"
    if claim.kind is ClaimKind.ROLE:
        return "role"
    if claim.kind is ClaimKind.PERSON:
        return "person"
    return claim.kind.value


def proper_anchors(sentence: str, value: str, skip_first: bool = False) -> set[str]:
    """Capitalised words of a text (not the value, not a sentence's first word): names that anchor a fact."""
    skip = {t.lower for t in tokens(value)}
    out = set()
    for i, token in enumerate(tokens(sentence)):
        if (i == 0 and skip_first) or not token.text[:1].isupper() or len(token.text) < 3:
            continue
        low = token.lower.removesuffix("'s").removesuffix("’s")
        if low not in skip and low not in _COMMON_CAPITALS and low not in STOPWORDS:
            out.add(low)
    return out


_COMMON_CAPITALS = {"the", "a", "an", "he", "she", "it", "they", "we", "i", "but", "and", "in", "on", "at",
                    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mr", "mrs",
                    "ms", "dr", "january", "february", "march", "april", "may", "june", "july", "august",
                    "september", "october", "november", "december"}


_APPROX_PREFIX_RE = re.compile(
    r"^(?:about|around|roughly|approximately|nearly|almost|some|more than|over|at least|less than|under|"
    r"up to|fewer than|as many as|as much as|just over|just under|close to|an estimated|estimated)\s+",
    re.IGNORECASE,
)


def value_core(claim: Claim) -> str:
    """Return the value as written, without approximation words: "around €60,000" -> "€60,000"."""
    return _APPROX_PREFIX_RE.sub("", claim.value_text).strip()


def exclusive_values(a: Claim, b: Claim, documents_text: Sequence[str]) -> bool:
    """Neither document states the other's value anywhere: the two sources really differ on it."""
    for claim, other in ((a, b), (b, a)):
        core = re.sub(r"^[$€£¥]", "", value_core(claim))
        pattern = rf"(?<![\w.,]){re.escape(core)}(?![\w]|[.,]\d)"
        if core and re.search(pattern, documents_text[other.doc_index]):
            return False
    return True


def _same_measured_thing(a: Claim, b: Claim) -> bool:
    qa, qb = a.value, b.value
    return (isinstance(qa, Quantity) and isinstance(qb, Quantity) and qa.unit == qb.unit and bool(qa.thing)
            and qa.thing.rstrip("s") == qb.thing.rstrip("s"))


def _typed_match(a: Claim, b: Claim) -> bool:
    """Values of a kind and shape that can be the same fact (same unit and measured thing)."""
    if a.kind is ClaimKind.QUANTITY:
        qa, qb = a.value, b.value
        if not isinstance(qa, Quantity) or not isinstance(qb, Quantity) or qa.unit != qb.unit:
            return False
        if qa.unit == "count":
            return bool(qa.thing) and qa.thing.rstrip("s") == qb.thing.rstrip("s")
        return not (qa.thing and qb.thing and qa.thing != qb.thing)
    if a.kind is ClaimKind.PERSON:
        return bool(a.role) and bool(b.role)
    return True


def link_claims(
    claims: Sequence[Claim],
    sentences: dict[tuple[int, int], Sentence],
    first: Embedder,
    confirm: Embedder | None,
    config: Config,
    documents_text: Sequence[str] | None = None,
) -> list[tuple[int, int, float]]:
    """Cross-document claim pairs whose keys are about the same fact (the clustering edges)."""
    from factcheck.cluster import candidate_pairs

    if not claims:
        return []
    keys = [normalise_key(c.key) for c in claims]
    vectors = first.encode(keys)
    th = config.thresholds
    search_threshold = th.candidate if confirm is not None else min(th.context, th.role)
    candidates = candidate_pairs(vectors, [match_group(c) for c in claims], [c.doc_index for c in claims],
                                 search_threshold)
    if confirm is not None and candidates:
        rows = sorted({i for i, _, _ in candidates} | {j for _, j, _ in candidates})
        confirmed = confirm.encode([keys[r] for r in rows])
        position = {r: k for k, r in enumerate(rows)}
        candidates = [
            (i, j, float(np.dot(confirmed[position[i]], confirmed[position[j]]))) for i, j, _ in candidates
        ]
    words: dict[int, set[str]] = {}
    anchors: dict[int, set[str]] = {}

    def wordset(row: int) -> set[str]:
        if row not in words:
            words[row] = content_words(claims[row].key)
        return words[row]

    sentence_words: dict[int, set[str]] = {}

    def sentence_wordset(row: int) -> set[str]:
        if row not in sentence_words:
            claim = claims[row]
            text = sentences[(claim.doc_index, claim.sentence_index)].text
            sentence_words[row] = {t.lower.removesuffix("'s").removesuffix("’s") for t in tokens(text)}
        return sentence_words[row]

    def other_actors(a: int, b: int) -> bool:
        """Each key names someone or something (a capitalised word) the other sentence never mentions."""
        only_a = proper_anchors(claims[a].key, "", skip_first=False) - sentence_wordset(b)
        only_b = proper_anchors(claims[b].key, "", skip_first=False) - sentence_wordset(a)
        return bool(only_a) and bool(only_b)

    def anchorset(row: int) -> set[str]:
        if row not in anchors:
            claim = claims[row]
            sentence = sentences[(claim.doc_index, claim.sentence_index)]
            anchors[row] = proper_anchors(sentence.text, claim.value_text)
        return anchors[row]

    accepted = []
    for i, j, sim in candidates:
        a, b = claims[i], claims[j]
        if a.kind is ClaimKind.ROLE and b.kind is ClaimKind.ROLE:
            if a.role == b.role or (roles_match(a.role, b.role) and sim >= th.role):
                accepted.append((a.id, b.id, max(sim, 0.0)))
            continue
        overlap = jaccard(wordset(i), wordset(j))
        if a.kind in STATEMENT_KINDS:
            if sim >= th.statement and overlap >= th.statement_words:
                accepted.append((a.id, b.id, sim))
            continue
        if overlap >= th.lexical_words and sim >= th.lexical:
            accepted.append((a.id, b.id, sim))  # nearly the same words around the value
            continue
        if other_actors(i, j):
            continue  # similar wording, different actors ("the Nationals offered" / "the Red Sox offered")
        if sim >= th.context and overlap >= th.context_words:
            accepted.append((a.id, b.id, sim))
            continue
        if sim >= th.typed and overlap >= th.typed_words and (
            (a.kind is ClaimKind.QUANTITY and _same_measured_thing(a, b))
            or (a.kind is ClaimKind.PLACE and documents_text is not None
                and exclusive_values(a, b, documents_text))
        ):
            accepted.append((a.id, b.id, sim))  # "a $35,000 reward" / "a $38,500 reward for ..."
            continue
        if (a.kind in ANCHORED_KINDS and sim >= th.anchored and overlap >= th.anchored_words
                and len(anchorset(i) & anchorset(j)) >= th.anchors and _typed_match(a, b)
                and (documents_text is None or exclusive_values(a, b, documents_text))):
            accepted.append((a.id, b.id, sim))
    return accepted
