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
from array import array
from collections.abc import Collection, Mapping, Sequence

import numpy as np

from factcheck.config import Config, Thresholds
from factcheck.extract import normalise_key
from factcheck.extract.frames import Verdict, compare_frames
from factcheck.extract.roles import roles_match
from factcheck.extract.statements import same_complement
from factcheck.extract.text import STOPWORDS, content_words, jaccard, tokens
from factcheck.extract.units import unit_group
from factcheck.link.candidates import (
    FRAME_LINKED_KINDS,
    STATEMENT_KINDS,
    candidate_pairs,
)
from factcheck.link.candidates import match_group as match_group  # re-exported: pipeline, store, bench
from factcheck.link.descriptors import Descriptor, claim_descriptor, contrasting
from factcheck.link.embed import Embedder
from factcheck.link.shared_values import shared_value_pairs
from factcheck.records import Claim, ClaimKind, PersonName, Quantity, Sentence

ANCHORED_KINDS = {ClaimKind.QUANTITY, ClaimKind.DATE, ClaimKind.PERSON, ClaimKind.PLACE}
_NAMED_KINDS = frozenset({ClaimKind.PERSON, ClaimKind.ROLE})


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
    """Neither document states the other's value anywhere: the two sources really differ on it.

    The reference definition (one regular-expression search per value and document); link_claims
    uses `ValueIndex`, which answers the same question from per-document indexes built once.
    """
    for claim, other in ((a, b), (b, a)):
        core = _search_core(claim)
        if core and re.search(_value_pattern(core), documents_text[other.doc_index]):
            return False
    return True


def _search_core(claim: Claim) -> str:
    return re.sub(r"^[$€£¥]", "", value_core(claim))


def _value_pattern(core: str) -> str:
    return rf"(?<![\w.,]){re.escape(core)}(?![\w]|[.,]\d)"


_WORD_RUN_RE = re.compile(r"\w+")
_LEADING_WORD_RE = re.compile(r"\w*")
_VALUE_AFTER_RE = re.compile(r"[\w]|[.,]\d")
INDEX_AFTER = 32  # questions about one document answered by scanning its text before its runs are indexed


class ValueIndex:
    """Whether a document states a value: `exclusive_values` from per-document indexes built once.

    A value that starts with a word character can only match where a maximal run of word characters
    starts (not after '.' or ','), and that run is exactly the value's leading run (the value's next
    character, or the end-of-value boundary, is not a word character).  Each document's runs are
    indexed by text once (lazily, on the first question about it); a question then looks only at the
    few places where the value's first word occurs, and its answer is memoised.
    """

    def __init__(self, documents_text: Sequence[str]) -> None:
        self._texts = documents_text
        self._runs: dict[int, dict[str, list[int]]] = {}
        self._answers: dict[tuple[str, int], bool] = {}
        self._asked: dict[int, int] = {}  # questions answered by scanning the text, per document

    def _document_runs(self, doc: int) -> dict[str, list[int]]:
        runs = self._runs.get(doc)
        if runs is None:
            text = self._texts[doc]
            runs = {}
            for match in _WORD_RUN_RE.finditer(text):
                start = match.start()
                if start == 0 or text[start - 1] not in ".,":
                    runs.setdefault(match.group(), []).append(start)
            self._runs[doc] = runs
        return runs

    def states(self, core: str, doc: int) -> bool:
        """Whether document `doc` states `core` as `exclusive_values` would find it."""
        key = (core, doc)
        answer = self._answers.get(key)
        if answer is None:
            answer = self._search(core, doc)
            self._answers[key] = answer
        return answer

    def _search(self, core: str, doc: int) -> bool:
        text = self._texts[doc]
        lead = _LEADING_WORD_RE.match(core)
        head = lead.group() if lead else ""
        if not head:  # a value that starts with punctuation: the plain search
            return re.search(_value_pattern(core), text) is not None
        end = len(core)
        if doc not in self._runs and self._asked.get(doc, 0) < INDEX_AFTER:
            # the first questions about a document scan its text (cheaper than indexing every word run
            # when few are asked, as in `ci`): the same places as the index, found with str.find
            self._asked[doc] = self._asked.get(doc, 0) + 1
            start = text.find(core)
            while start != -1:
                before = text[start - 1] if start else " "
                if not (before.isalnum() or before in "_.,") and not _VALUE_AFTER_RE.match(text, start + end):
                    return True
                start = text.find(core, start + 1)
            return False
        for start in self._document_runs(doc).get(head, ()):
            if text.startswith(core, start) and _VALUE_AFTER_RE.match(text, start + end) is None:
                return True
        return False

    def exclusive(self, a: Claim, b: Claim) -> bool:
        """Neither claim's document states the other's value anywhere (same answer as `exclusive_values`)."""
        for claim, other in ((a, b), (b, a)):
            core = _search_core(claim)
            if core and self.states(core, other.doc_index):
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
        if not isinstance(qa, Quantity) or not isinstance(qb, Quantity):
            return False
        if unit_group(qa.unit) != unit_group(qb.unit):
            return False
        if qa.unit == "count":
            return bool(qa.thing) and qa.thing.rstrip("s") == qb.thing.rstrip("s")
        return not (qa.thing and qb.thing and qa.thing != qb.thing)
    if a.kind is ClaimKind.PERSON:
        return bool(a.role) and bool(b.role)
    return True


def could_conflict(a: Claim, b: Claim) -> bool:
    """Whether two claims' values differ at all: only such pairs can produce a finding.

    A superset of every rule's firing condition, so agreeing pairs never need the expensive
    confirmation stage (they still link, on the first-stage similarity, for the fact clusters).
    """
    va, vb = a.value, b.value
    if isinstance(va, PersonName) and isinstance(vb, PersonName):
        return va.full.lower() != vb.full.lower()
    if isinstance(va, str) and isinstance(vb, str):
        return va.lower() != vb.lower()
    return va != vb


class _Features:
    """Per-claim and per-sentence word sets, computed once and reused for every pair.

    Each sentence is tokenised once (its words and its capitalised names come from the same tokens),
    each key and value text once; a pair then only intersects precomputed sets.
    """

    def __init__(self, claims: Sequence[Claim], sentences: Mapping[tuple[int, int], Sentence],
                 thresholds: Thresholds | None = None,
                 word_vectors: dict[str, np.ndarray] | None = None) -> None:
        self.claims = claims
        self.th = thresholds or Thresholds()
        self.word_vectors = word_vectors or {}
        self.sentences = sentences
        self._key_words: dict[str, set[str]] = {}
        self._sentence_words: dict[tuple[int, int], set[str]] = {}
        self._sentence_names: dict[tuple[int, int], set[str]] = {}
        self._key_names: dict[str, set[str]] = {}
        self._value_words: dict[str, set[str]] = {}
        self._anchors: dict[int, set[str]] = {}
        self._verdicts: dict[tuple[int, int], Verdict] = {}
        self._descriptors: dict[int, Descriptor | None] = {}

    def _where(self, row: int) -> tuple[int, int]:
        claim = self.claims[row]
        return (claim.doc_index, claim.sentence_index)

    def words(self, row: int) -> set[str]:
        """Content words of the claim's key."""
        key = self.claims[row].key
        found = self._key_words.get(key)
        if found is None:
            found = self._key_words[key] = content_words(key)
        return found

    def _sentence(self, where: tuple[int, int]) -> None:
        """Words (possessives folded) and capitalised names (as `proper_anchors`) of one sentence."""
        words: set[str] = set()
        names: set[str] = set()
        for token in tokens(self.sentences[where].text):
            low = token.lower.removesuffix("'s").removesuffix("’s")
            words.add(low)
            if (token.text[:1].isupper() and len(token.text) >= 3 and low not in _COMMON_CAPITALS
                    and low not in STOPWORDS):
                names.add(low)
        self._sentence_words[where] = words
        self._sentence_names[where] = names

    def sentence_words(self, row: int) -> set[str]:
        """All words of the claim's sentence (possessives folded)."""
        where = self._where(row)
        found = self._sentence_words.get(where)
        if found is None:
            self._sentence(where)
            found = self._sentence_words[where]
        return found

    def key_names(self, row: int) -> set[str]:
        """Capitalised words inside the claim's key."""
        key = self.claims[row].key
        found = self._key_names.get(key)
        if found is None:
            found = self._key_names[key] = proper_anchors(key, "", skip_first=False)
        return found

    def anchors(self, row: int) -> set[str]:
        """Capitalised words of the claim's sentence other than its value."""
        found = self._anchors.get(row)
        if found is None:
            where = self._where(row)
            if where not in self._sentence_names:
                self._sentence(where)
            value = self.claims[row].value_text
            value_words = self._value_words.get(value)
            if value_words is None:
                value_words = self._value_words[value] = {t.lower for t in tokens(value)}
            found = self._anchors[row] = self._sentence_names[where] - value_words
        return found

    def verdict(self, a: int, b: int) -> Verdict:
        """Return what the two claims' frames say (UNKNOWN when either has none)."""
        pair = (a, b)
        if pair not in self._verdicts:
            fa, fb = self.claims[a].frame, self.claims[b].frame
            self._verdicts[pair] = Verdict.UNKNOWN
            if fa is not None and fb is not None:
                self._verdicts[pair] = compare_frames(
                    fa, fb, self.similar, different=self.th.frame_different, mixed=self.th.frame_mixed,
                    same=self.th.frame_same, measured=self.claims[a].kind is ClaimKind.QUANTITY)[0]
        return self._verdicts[pair]

    def complement(self, a: int, b: int) -> bool:
        """Whether two statements are about one "to" complement (`same_complement`).

        Each must be negated on the complement exactly when the statement is negated ("is not only a
        departure ... the decision to fire" is not a negated firing).
        """
        ca, cb = self.claims[a], self.claims[b]
        fa, fb = ca.frame, cb.frame
        return fa is not None and fb is not None and fa.negated is ca.value and fb.negated is cb.value \
            and same_complement(
            fa, fb, self.similar, self.th.complement_governor, self.th.frame_same)

    def distinct_slots(self, a: int, b: int) -> bool:
        """Two names whose role phrases contrast ("older brother, Tom" / "younger brother, Sam")."""
        return contrasting(self.descriptor(a), self.descriptor(b))

    def descriptor(self, row: int) -> Descriptor | None:
        """Return the distinguishing role phrase around the claim's name (`descriptors.descriptor`)."""
        if row not in self._descriptors:
            sentence = self.sentences.get(self._where(row))
            claim = self.claims[row]
            self._descriptors[row] = None if sentence is None else claim_descriptor(claim, sentence)
        return self._descriptors[row]

    def similar(self, x: str, y: str) -> float:
        """Cosine of two frame words (0 when either was not embedded)."""
        vx, vy = self.word_vectors.get(x), self.word_vectors.get(y)
        return float(np.dot(vx, vy)) if vx is not None and vy is not None else 0.0

    def other_actors(self, a: int, b: int) -> bool:
        """Each key names someone or something (a capitalised word) the other sentence never mentions."""
        only_a = self.key_names(a) - self.sentence_words(b)
        return bool(only_a) and bool(self.key_names(b) - self.sentence_words(a))

    def disjoint_names(self, a: int, b: int) -> bool:
        """Both sentences name people or places and share none: a reused wording about another story."""
        names_a, names_b = self.anchors(a), self.anchors(b)
        return bool(names_a) and bool(names_b) and not (names_a & names_b)


def _screen(a: Claim, b: Claim, overlap: float, th: Thresholds, verdict: Verdict = Verdict.UNKNOWN,
            complement: bool = False) -> bool:
    """Gates that do not depend on key similarity: a pair failing them never links.

    `complement`: the two statements are about one "to" complement (`_Features.complement`).
    """
    if a.kind is ClaimKind.ROLE and b.kind is ClaimKind.ROLE:
        return a.role == b.role or roles_match(a.role, b.role)
    if a.kind in STATEMENT_KINDS:
        return overlap >= th.statement_words or complement
    if verdict is Verdict.DIFFERENT:
        return False
    if verdict is not Verdict.UNKNOWN and a.kind in FRAME_LINKED_KINDS:
        return True
    return overlap >= min(th.lexical_words, th.context_words, th.typed_words, th.anchored_words)


def _frame_accept(a: Claim, b: Claim, i: int, j: int, verdict: Verdict, features: _Features,
                  values: ValueIndex | None) -> bool:
    """Link on frames alone: one measure of one entity (or one measure in one named story)."""
    if a.kind not in FRAME_LINKED_KINDS or verdict not in (Verdict.SAME, Verdict.MEASURE):
        return False
    if verdict is Verdict.MEASURE and not features.anchors(i) & features.anchors(j):
        return False
    return _typed_match(a, b) and (values is None or values.exclusive(a, b))


def _accept(
    a: Claim, b: Claim, i: int, j: int, sim: float, overlap: float, th: Thresholds, features: _Features,
    values: ValueIndex | None,
) -> bool:
    """Apply the kind-specific gates to the final key similarity."""
    if a.kind is ClaimKind.ROLE and b.kind is ClaimKind.ROLE:
        return a.role == b.role or sim >= th.role
    if a.kind in STATEMENT_KINDS:
        return sim >= th.statement or (a.kind is ClaimKind.POLARITY and features.complement(i, j))
    if a.kind in _NAMED_KINDS and b.kind in _NAMED_KINDS and features.distinct_slots(i, j):
        return False  # "older brother, Tom" / "younger brother, Sam": two people, not two names of one
    verdict = features.verdict(i, j)
    if verdict is Verdict.DIFFERENT:
        return False  # the parse says: another measure, entity, source, role or modality
    if _frame_accept(a, b, i, j, verdict, features, values):
        return True
    if features.other_actors(i, j):
        return False  # same wording, different actors ("the Nationals offered" / "the Red Sox offered")
    if overlap >= th.lexical_words and sim >= th.lexical:
        return not features.disjoint_names(i, j)  # nearly the same words around the value, same story
    if sim >= th.context and overlap >= th.context_words:
        return True
    if sim >= th.typed and overlap >= th.typed_words and (
        (a.kind is ClaimKind.QUANTITY and _same_measured_thing(a, b))
        or (a.kind is ClaimKind.PLACE and values is not None and values.exclusive(a, b))
    ):
        return True  # "a $35,000 reward" / "a $38,500 reward for ..."
    return (a.kind in ANCHORED_KINDS and sim >= th.anchored and overlap >= th.anchored_words
            and len(features.anchors(i) & features.anchors(j)) >= th.anchors and _typed_match(a, b)
            and (values is None or values.exclusive(a, b)))


CLEAR_COPY_SIMILARITY = 0.85  # first-stage cosine of a near-copy that needs no confirmation


def _needs_confirmation(
    a: Claim, b: Claim, i: int, j: int, sim: float, overlap: float, th: Thresholds, features: _Features,
    values: ValueIndex | None,
) -> bool:
    """Tell whether the verdict depends on the key similarity and the first stage is not conclusive."""
    if _accept(a, b, i, j, 1.0, overlap, th, features, values) == _accept(
        a, b, i, j, -1.0, overlap, th, features, values
    ):
        return False  # decided by roles, word overlap or actors alone
    clear_copy = a.kind is not ClaimKind.ROLE and overlap >= th.lexical_words and sim >= CLEAR_COPY_SIMILARITY
    return not clear_copy


def link_claims(
    claims: Sequence[Claim],
    sentences: Mapping[tuple[int, int], Sentence],
    first: Embedder,
    confirm: Embedder | None,
    config: Config,
    documents_text: Sequence[str] | None = None,
    focus_docs: Collection[int] | None = None,
    vectors: np.ndarray | None = None,
) -> list[tuple[int, int, float]]:
    """Cross-document claim pairs whose keys are about the same fact (the clustering edges).

    With `focus_docs` (the new documents of `ci`), only pairs with a claim from one of them are made.
    `vectors`, when given, are the claims' first-stage key vectors (already computed or stored).

    Stage 1: the first-stage embedder and FAISS give candidate pairs; gates that need no similarity
    drop most of them. Stage 2: only pairs whose values differ (the only ones a rule can flag), whose
    verdict depends on the similarity, and that are not plain near-copies are re-scored with the
    confirming model (MiniLM); the others keep the first-stage similarity. Stage 3: the kind-specific
    gates decide.
    """
    if not claims:
        return []
    keys = [normalise_key(c.key) for c in claims]
    if vectors is None:
        vectors = first.encode(keys)
    th = config.thresholds
    low, high, first_sims = candidate_pairs(claims, vectors, first, th, focus_docs)
    words = sorted({w for c in claims if c.frame is not None
                    for w in (c.frame.thing, c.frame.head, c.frame.predicate, *c.frame.coordinated,
                              *c.frame.complement[1:]) if w})
    word_vectors = dict(zip(words, (confirm or first).encode(words), strict=True)) if words else {}
    features = _Features(claims, sentences, th, word_vectors)
    values = ValueIndex(documents_text) if documents_text is not None else None
    # the pairs that pass the screen, as compact columns (millions of pairs at 100k sentences)
    left, right, similarity, overlaps = array("q"), array("q"), array("d"), array("d")
    to_confirm = array("q")
    for begin in range(0, len(low), PAIR_CHUNK):
        stop = begin + PAIR_CHUNK
        for i, j, sim in zip(low[begin:stop].tolist(), high[begin:stop].tolist(),
                             first_sims[begin:stop].tolist(), strict=True):
            a, b = claims[i], claims[j]
            overlap = jaccard(features.words(i), features.words(j))
            complement = a.kind is ClaimKind.POLARITY and features.complement(i, j)
            if not _screen(a, b, overlap, th, features.verdict(i, j), complement):
                continue
            if keys[i] == keys[j]:
                sim = 1.0
            elif confirm is not None and could_conflict(a, b) and _needs_confirmation(
                a, b, i, j, sim, overlap, th, features, values
            ):
                to_confirm.append(len(left))
            left.append(i)
            right.append(j)
            similarity.append(sim)
            overlaps.append(overlap)
    rows = sorted({left[k] for k in to_confirm} | {right[k] for k in to_confirm})
    if confirm is not None and rows:
        confirmed = confirm.encode([keys[r] for r in rows])
        position = {r: n for n, r in enumerate(rows)}
        first_rows = np.array([position[left[k]] for k in to_confirm])
        second_rows = np.array([position[right[k]] for k in to_confirm])
        sims = np.einsum("ij,ij->i", confirmed[first_rows], confirmed[second_rows])
        for k, confirmed_sim in zip(to_confirm, sims.tolist(), strict=True):
            similarity[k] = float(confirmed_sim)
    accepted = []
    for i, j, sim, overlap in zip(left, right, similarity, overlaps, strict=True):
        if _accept(claims[i], claims[j], i, j, sim, overlap, th, features, values):
            accepted.append((claims[i].id, claims[j].id, max(sim, 0.0)))
    linked = {(min(a, b), max(a, b)) for a, b, _ in accepted}
    for a, b, sim in shared_value_pairs(claims, vectors, sentences, documents_text or (), focus_docs):
        if (min(a, b), max(a, b)) not in linked:
            linked.add((min(a, b), max(a, b)))
            accepted.append((a, b, sim))
    return accepted


PAIR_CHUNK = 65_536  # candidate pairs turned into Python numbers at a time
