"""The rule engine: run every enabled rule over the fact clusters and the corpus.

Importing this package registers the rule families (names FC1xx, roles FC2xx, numbers FC3xx,
dates FC4xx, polarity FC5xx, knowledge base FC6xx, updates FC901/FC903/FC904, and meta FC902, which
factcheck.rules.suppress produces).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from factcheck.records import Claim, FactCluster, Finding, Severity
from factcheck.rules import dates, kb, meta, names, numbers, polarity, roles, status, superseded  # noqa: F401
from factcheck.rules.base import REGISTRY, Rule, RuleContext
from factcheck.rules.superseded import supersede

__all__ = ["REGISTRY", "Rule", "RuleContext", "run_rules"]


def _claims_of(
    finding: Finding, by_location: dict[tuple[str, int], list[Claim]], ctx: RuleContext
) -> list[Claim]:
    out = []
    for ref in finding.claims:
        candidates = by_location.get((ref.document, ref.start), [])
        match = next((c for c in candidates if c.value_start == ref.value_start), None)
        if match is None and candidates:
            match = candidates[0]
        if match is not None:
            out.append(match)
    return out


def run_rules(
    clusters: Sequence[FactCluster],
    ctx: RuleContext,
    select: Collection[str] | None = None,
    ignore: Collection[str] = (),
) -> list[Finding]:
    """All findings, deduplicated by fingerprint, superseded pairs downgraded, in a stable order."""
    enabled = [r for code, r in sorted(REGISTRY.items())
               if (select is None or any(code.startswith(s) for s in select))
               and not any(code.startswith(i) for i in ignore)]
    # cluster by cluster (each rule in turn), but findings collected in rule order as before
    found: list[list[Finding]] = [[] for _ in enabled]
    per_cluster = [(found[k], r.check) for k, r in enumerate(enabled) if not r.corpus_level]
    for cluster in clusters:
        for bucket, check in per_cluster:
            bucket.extend(check(cluster, ctx))
    for bucket, registered in zip(found, enabled, strict=True):
        if registered.corpus_level:
            bucket.extend(registered.check(ctx))
    raw = [finding for bucket in found for finding in bucket]
    by_location: dict[tuple[str, int], list[Claim]] = {}
    for claim in ctx.claims:
        sentence = ctx.sentence_of(claim)
        by_location.setdefault((ctx.documents[claim.doc_index].path, sentence.start), []).append(claim)
    findings: dict[str, Finding] = {}
    entity_seen: set[tuple[str, frozenset[str]]] = set()
    raw.sort(key=lambda f: (f.code, -len(f.claims), -f.similarity))
    for finding in raw:
        if finding.severity is not Severity.INFO:
            replaced = supersede(finding, _claims_of(finding, by_location, ctx), ctx)
            if replaced is not None:
                finding = replaced
        if finding.code in {"FC101", "FC102"}:
            entity = (finding.code, frozenset(v.lower() for v in finding.values))
            if entity in entity_seen:
                continue
            entity_seen.add(entity)
        findings.setdefault(finding.fingerprint, finding)
    return sorted(
        findings.values(),
        key=lambda f: (-f.severity.rank, f.code, f.claims[0].document if f.claims else "",
                       f.claims[0].start if f.claims else 0, f.fingerprint),
    )
