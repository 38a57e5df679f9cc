"""Rule registry, rule context and finding construction shared by every rule family."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from factcheck.extract.dates import format_date
from factcheck.extract.names import fold
from factcheck.extract.quantities import format_quantity
from factcheck.records import (
    Claim,
    ClaimKind,
    ClaimRef,
    DateValue,
    Document,
    FactCluster,
    Finding,
    PersonName,
    Quantity,
    Sentence,
    Severity,
)

ClusterCheck = Callable[[FactCluster, "RuleContext"], Iterator[Finding]]
CorpusCheck = Callable[["RuleContext"], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule: stable code, kebab-case name, default severity, one-line summary."""

    code: str
    name: str
    severity: Severity
    summary: str
    check: Callable[..., Iterator[Finding]]
    corpus_level: bool = False


REGISTRY: dict[str, Rule] = {}


def rule(
    code: str, name: str, severity: Severity, corpus_level: bool = False
) -> Callable[[Callable[..., Iterator[Finding]]], Callable[..., Iterator[Finding]]]:
    """Register a rule function under a stable code.

    The first docstring line is the rule's user-facing summary (docs index, reports): a statement of the
    problem ("Sources name ..."), so the rule modules exempt themselves from D401.
    """

    def register(func: Callable[..., Iterator[Finding]]) -> Callable[..., Iterator[Finding]]:
        summary = (func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else name
        REGISTRY[code] = Rule(code, name, severity, summary, func, corpus_level)
        return func

    return register


@dataclass
class RuleContext:
    """What rules may look at: documents, sentences, claims, settings and the knowledge base."""

    documents: Sequence[Document]
    sentences: Mapping[tuple[int, int], Sentence]
    claims: Sequence[Claim]
    kb: object | None = None
    severity_overrides: Mapping[str, Severity] = field(default_factory=dict)
    line_index: Mapping[int, Callable[[int], tuple[int, int]]] = field(default_factory=dict)
    name_aliases: Mapping[str, str] = field(default_factory=dict)  # folded alias -> folded canonical name
    _people: dict[str, list[Claim]] | None = None
    _mentions: dict[tuple[int, str], bool] = field(default_factory=dict)
    _refs: dict[int, tuple[Claim, ClaimRef]] = field(default_factory=dict)  # id(claim) -> (claim, ref)
    _sources: dict[int, str] = field(default_factory=dict)  # doc_index -> "name (outlet, date)"

    def __post_init__(self) -> None:
        """Fold the alias table (keys and canonical names) so lookups ignore case, accents and spacing."""
        self.name_aliases = fold_aliases(self.name_aliases)

    def canonical_name(self, person: PersonName) -> str:
        """Return the folded canonical full name of a person: its declared alias target, else itself."""
        name = fold_name(person.full)
        return self.name_aliases.get(name, name)

    def same_by_alias(self, a: PersonName, b: PersonName) -> bool:
        """Check whether declared name aliases make two names one person (see `fold_aliases`)."""
        return aliased(a, b, self.name_aliases)

    def document_mentions(self, doc_index: int, name: str) -> bool:
        """Check whether a document names `name` anywhere as a whole word (memoised per document)."""
        key = (doc_index, name)
        found = self._mentions.get(key)
        if found is None:
            pattern = _whole_word(name)
            found = self._mentions[key] = pattern.search(self.documents[doc_index].text) is not None
        return found

    def people_by_surname(self) -> dict[str, list[Claim]]:
        """All person/role claims with a given name, grouped by folded surname."""
        if self._people is None:
            people: dict[str, list[Claim]] = {}
            for claim in self.claims:
                person = claim.value if claim.kind in (ClaimKind.PERSON, ClaimKind.ROLE) else None
                if isinstance(person, PersonName) and person.given and person.surname:
                    people.setdefault(person.surname, []).append(claim)
            self._people = people
        return self._people

    def sentence_of(self, claim: Claim) -> Sentence:
        """Return the sentence a claim came from."""
        return self.sentences[(claim.doc_index, claim.sentence_index)]

    def ref(self, claim: Claim) -> ClaimRef:
        """Build a renderer-ready reference to a claim (its whole sentence, key and value offsets)."""
        cached = self._refs.get(id(claim))
        if cached is not None and cached[0] is claim:
            return cached[1]
        sentence = self.sentence_of(claim)
        doc = self.documents[claim.doc_index]
        ref = ClaimRef(
            document=doc.path, start=sentence.start, end=sentence.end, line=sentence.line,
            column=sentence.column, text=sentence.text, key=claim.key, value=claim.value_text,
            value_start=claim.value_start, value_end=claim.value_end, key_start=claim.key_start,
            key_end=claim.key_end, date=doc.date.isoformat() if doc.date else None, outlet=doc.outlet,
        )
        self._refs[id(claim)] = (claim, ref)
        return ref

    def source(self, claim: Claim) -> str:
        """"name (outlet, date)" of a claim's document, for messages."""
        text = self._sources.get(claim.doc_index)
        if text is None:
            doc = self.documents[claim.doc_index]
            extras = [x for x in (doc.outlet, doc.date.isoformat() if doc.date else None) if x]
            text = f"{doc.name} ({', '.join(extras)})" if extras else doc.name
            self._sources[claim.doc_index] = text
        return text


@lru_cache(maxsize=4096)
def _whole_word(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")


def fold_name(name: str) -> str:
    """Fold a full name for alias lookups: case, accents, possessive and spacing ignored."""
    return " ".join(fold(name.strip()).split())


def fold_aliases(aliases: Mapping[str, str]) -> dict[str, str]:
    """Fold an alias -> canonical table; every canonical name also maps to itself.

    One hop is followed for chains ("Bibi" -> "B. Netanyahu" -> "Benjamin Netanyahu"), enough for a
    hand-written table.  Folding is idempotent, so an already-folded table comes back unchanged.
    """
    folded = {fold_name(k): fold_name(v) for k, v in aliases.items()}
    resolved = {k: folded.get(v, v) for k, v in folded.items()}
    for canonical in list(resolved.values()):
        resolved.setdefault(canonical, canonical)
    return resolved


def aliased(a: PersonName, b: PersonName, aliases: Mapping[str, str]) -> bool:
    """Check whether two names are one person by the (folded) alias table.

    Both must be named in the table (as an alias or as a canonical name) and resolve to the same
    canonical name; names the table does not mention are left to the ordinary name rules.
    """
    if not aliases:
        return False
    fa, fb = fold_name(a.full), fold_name(b.full)
    return fa in aliases and fb in aliases and aliases[fa] == aliases[fb]


def value_label(claim: Claim) -> str:
    """Return a short readable value for messages and the JSON `values` list."""
    value = claim.value
    if isinstance(value, PersonName):
        return value.full
    if isinstance(value, Quantity):
        return claim.value_text or format_quantity(value)
    if isinstance(value, DateValue):
        return claim.value_text or format_date(value)
    if isinstance(value, bool):
        return "negated" if value else "affirmed"
    return str(value)


@lru_cache(maxsize=1 << 14)
def _squeezed_lower(text: str) -> str:
    return " ".join(text.lower().split())


def fingerprint(code: str, claim_texts: Sequence[str], values: Sequence[str]) -> str:
    """Stable id from the code, normalised claim sentences and values (not line numbers)."""
    norm = sorted(_squeezed_lower(t) for t in claim_texts)
    vals = sorted(fold(v) for v in values)
    digest = hashlib.sha256("\x1f".join([code, *norm, "\x1e", *vals]).encode("utf-8")).hexdigest()
    return digest[:16]


def make_finding(
    ctx: RuleContext,
    code: str,
    claims: Sequence[Claim],
    message: str,
    cluster: str,
    similarity: float,
    logic: str,
    values: Sequence[str] | None = None,
) -> Finding:
    """Build a Finding with refs, values, severity (after overrides) and fingerprint."""
    registered = REGISTRY[code]
    severity = ctx.severity_overrides.get(code, registered.severity)
    ordered = sorted(claims, key=lambda c: (c.doc_index, c.value_start))
    unique: list[Claim] = []
    seen: set[tuple[int, int]] = set()
    for claim in ordered:
        if (claim.doc_index, claim.sentence_index) not in seen:
            seen.add((claim.doc_index, claim.sentence_index))
            unique.append(claim)
    refs = tuple(ctx.ref(c) for c in unique)
    if values is None:
        labels: list[str] = []
        for claim in unique:
            label = value_label(claim)
            if label not in labels:
                labels.append(label)
        values = labels
    fp = fingerprint(code, [r.text for r in refs], values)
    return Finding(
        code=code, rule=registered.name, severity=severity, message=message, values=tuple(values),
        claims=refs, cluster=cluster, similarity=round(float(similarity), 4), fingerprint=fp, logic=logic,
    )


_PairBuckets = dict[tuple[ClaimKind, ClaimKind], list[tuple[int, Claim, Claim, float]]]
_LAST_CLUSTER: tuple[FactCluster | None, _PairBuckets] = (None, {})


def _pair_buckets(cluster: FactCluster) -> _PairBuckets:
    """Group the cluster's edges by the kinds of their two claims, each with its position in `pairs`.

    run_rules asks every rule about one cluster in turn, so the grouping of the last cluster is kept:
    each rule then visits only the edges of its kinds instead of all of them.
    """
    global _LAST_CLUSTER
    last = _LAST_CLUSTER
    if last[0] is cluster:
        return last[1]
    by_id = {c.id: c for c in cluster.claims}
    buckets: _PairBuckets = {}
    for n, (i, j, sim) in enumerate(cluster.pairs):
        a, b = by_id.get(i), by_id.get(j)
        if a is not None and b is not None:
            buckets.setdefault((a.kind, b.kind), []).append((n, a, b, sim))
    _LAST_CLUSTER = (cluster, buckets)
    return buckets


def linked_pairs(
    cluster: FactCluster, kinds: set[ClaimKind]
) -> Iterator[tuple[Claim, Claim, float]]:
    """Yield the cluster's edges whose two claims are both of the given kinds (in `pairs` order)."""
    buckets = [edges for (ka, kb), edges in _pair_buckets(cluster).items() if ka in kinds and kb in kinds]
    if len(buckets) == 1:
        for _, a, b, sim in buckets[0]:
            yield a, b, sim
    elif buckets:
        for _, a, b, sim in sorted(edge for edges in buckets for edge in edges):
            yield a, b, sim
