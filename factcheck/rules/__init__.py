"""The rule engine: run every enabled rule over the fact clusters and the corpus.

Importing this package registers the rule families (names FC1xx, roles FC2xx, numbers FC3xx,
dates FC4xx, polarity FC5xx, knowledge base FC6xx, updates FC901/FC903/FC904, and meta FC902, which
factcheck.rules.suppress produces).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from factcheck.errors import UsageError
from factcheck.records import FactCluster, Finding, Severity
from factcheck.rules import (  # noqa: F401
    dates,
    kb,
    kinship,
    meta,
    names,
    numbers,
    polarity,
    quotes,
    roles,
    status,
    superseded,
)
from factcheck.rules.base import REGISTRY, Rule, RuleContext, finding_order
from factcheck.rules.superseded import supersede

__all__ = ["REGISTRY", "Rule", "RuleContext", "check_rule_codes", "finding_order", "rule_table", "run_rules"]


def check_rule_codes(codes: Collection[str], where: str) -> None:
    """Raise UsageError unless every code names a rule or a prefix of one ("FC101", "FC1", "FC").

    A typo in `--select` must not turn the check off: `--select FC999` would otherwise select
    nothing and report "No contradictions found" with exit 0.
    """
    unknown = [c for c in codes if not any(code.startswith(c.upper()) for code in REGISTRY)]
    if unknown:
        what = "rule code" if len(unknown) == 1 else "rule codes"
        raise UsageError(
            f"{where}: unknown {what} {', '.join(unknown)} (valid codes: {', '.join(sorted(REGISTRY))}, "
            "or a prefix such as FC1)"
        )


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
    findings: dict[str, Finding] = {}
    named: set[tuple[str, frozenset[str]]] = set()
    raw.sort(key=lambda f: (f.code, -len(f.claims), -f.similarity))
    for finding in raw:
        policy = REGISTRY[finding.code]
        if policy.supersedable and finding.severity is not Severity.INFO:
            replaced = supersede(finding, ctx.claims_of(finding), ctx)
            if replaced is not None:
                finding = replaced
        if policy.one_per_name:
            entity = (finding.code, frozenset(v.lower() for v in finding.values))
            if entity in named:
                continue
            named.add(entity)
        findings.setdefault(finding.fingerprint, finding)
    return sorted(findings.values(), key=finding_order)



def rule_table(link_prefix: str = "") -> str:
    """Build the Markdown table of every registered rule (README.md and docs/rules/README.md hold it).

    `link_prefix` is where the rule pages are, relative to the file the table goes in ("docs/rules/").
    """
    rows = ["| Code | Name | Default severity | Summary |", "| --- | --- | --- | --- |"]
    for code, registered in sorted(REGISTRY.items()):
        rows.append(f"| [{code}]({link_prefix}{code}.md) | `{registered.name}` | {registered.severity.value} "
                    f"| {registered.summary} |")
    return "\n".join(rows) + "\n"
