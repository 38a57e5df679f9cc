"""Rule registry, rule context and finding construction shared by every rule family."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from factcheck.corpus import Corpus
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
    """A registered rule: stable code, kebab-case name, default severity, one-line summary, and its policy.

    Policy the engine applies to the rule's findings:
    `corpus_level`: `check(ctx)` runs once over the corpus instead of `check(cluster, ctx)` per cluster;
    `supersedable`: a finding may become FC901 when a later dated report updates the earlier one
    (not for facts that do not change with time: a person's given name, a trusted fact);
    `one_per_name`: one finding per set of values (the same two names are reported once, not per fact).
    """

    code: str
    name: str
    severity: Severity
    summary: str
    check: Callable[..., Iterator[Finding]]
    corpus_level: bool = False
    supersedable: bool = True
    one_per_name: bool = False


REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    name: str,
    severity: Severity,
    corpus_level: bool = False,
    *,
    supersedable: bool = True,
    one_per_name: bool = False,
) -> Callable[[Callable[..., Iterator[Finding]]], Callable[..., Iterator[Finding]]]:
    """Register a rule function under a stable code, with its policy (see `Rule`).

    The first docstring line is the rule's user-facing summary (docs index, reports): a statement of the
    problem ("Sources name ..."), so the rule modules exempt themselves from D401.
    """

    def register(func: Callable[..., Iterator[Finding]]) -> Callable[..., Iterator[Finding]]:
        summary = (func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else name
        REGISTRY[code] = Rule(code, name, severity, summary, func, corpus_level, supersedable, one_per_name)
        return func

    return register


_PairBuckets = dict[tuple[ClaimKind, ClaimKind], list[tuple[int, Claim, Claim, float]]]


@dataclass
class RuleContext:
    """What rules may look at: the corpus, settings and the knowledge base; with per-run memos."""

    corpus: Corpus
    kb: object | None = None
    severity_overrides: Mapping[str, Severity] = field(default_factory=dict)
    name_aliases: Mapping[str, str] = field(default_factory=dict)  # folded alias -> folded canonical name
    # documents whose findings matter (`ci`: the new ones; None: all); a corpus-level rule may skip work
    # that can only produce findings without them, never change a finding that involves them
    focus_docs: frozenset[int] | None = None
    _people: dict[str, list[Claim]] | None = None
    _mentions: dict[tuple[int, str], bool] = field(default_factory=dict)
    _refs: dict[int, tuple[Claim, ClaimRef]] = field(default_factory=dict)  # id(claim) -> (claim, ref)
    _sources: dict[int, str] = field(default_factory=dict)  # doc_index -> "name (outlet, date)"
    _buckets: tuple[FactCluster | None, _PairBuckets] = (None, {})  # the last cluster's edges by kinds
    _made: dict[int, tuple[Finding, tuple[Claim, ...]]] = field(default_factory=dict)  # id -> its claims

    @property
    def documents(self) -> Sequence[Document]:
        """The corpus' documents."""
        return self.corpus.documents

    @property
    def claims(self) -> Sequence[Claim]:
        """Every claim of the corpus."""
        return self.corpus.claims

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
        return self.corpus.sentence_of(claim)

    def claims_of(self, finding: Finding) -> tuple[Claim, ...]:
        """Return the claims behind a finding `make_finding` made in this run (one per sentence)."""
        made = self._made.get(id(finding))
        return made[1] if made is not None and made[0] is finding else ()

    def linked_pairs(
        self, cluster: FactCluster, kinds: set[ClaimKind]
    ) -> Iterator[tuple[Claim, Claim, float]]:
        """Yield the cluster's edges whose two claims are both of the given kinds (in `pairs` order).

        The engine asks every rule about one cluster in turn, so the grouping of the edges by kinds is
        kept for the last cluster: each rule then visits only the edges of its kinds.
        """
        if self._buckets[0] is not cluster:
            self._buckets = (cluster, _pair_buckets(cluster))
        buckets = [edges for (ka, kb), edges in self._buckets[1].items() if ka in kinds and kb in kinds]
        if len(buckets) == 1:
            for _, a, b, sim in buckets[0]:
                yield a, b, sim
        elif buckets:
            for _, a, b, sim in sorted(edge for edges in buckets for edge in edges):
                yield a, b, sim

    def ref(self, claim: Claim) -> ClaimRef:
        """Build a renderer-ready reference to a claim (its whole sentence, key and value offsets)."""
        cached = self._refs.get(id(claim))
        if cached is not None and cached[0] is claim:
            return cached[1]
        ref = self.corpus.ref(claim)
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
    finding = Finding(
        code=code, rule=registered.name, severity=severity, message=message, values=tuple(values),
        claims=refs, cluster=cluster, similarity=round(float(similarity), 4), fingerprint=fp, logic=logic,
    )
    ctx._made[id(finding)] = (finding, tuple(unique))  # the engine needs them for supersession
    return finding


def _pair_buckets(cluster: FactCluster) -> _PairBuckets:
    """Group the cluster's edges by the kinds of their two claims, each with its position in `pairs`."""
    by_id = {c.id: c for c in cluster.claims}
    buckets: _PairBuckets = {}
    for n, (i, j, sim) in enumerate(cluster.pairs):
        a, b = by_id.get(i), by_id.get(j)
        if a is not None and b is not None:
            buckets.setdefault((a.kind, b.kind), []).append((n, a, b, sim))
    return buckets


def finding_order(finding: Finding) -> tuple[int, str, str, int, str]:
    """Sort key of findings in a report: loudest first, then code, document, position, fingerprint."""
    first = finding.claims[0] if finding.claims else None
    return (-finding.severity.rank, finding.code, first.document if first else "",
            first.start if first else 0, finding.fingerprint)
