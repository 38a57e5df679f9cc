"""FC9xx: a later, dated report that updates an earlier one is superseded, not a contradiction."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from factcheck.records import Claim, Finding, Severity
from factcheck.rules.base import RuleContext, make_finding, rule


@rule("FC901", "superseded", Severity.INFO)
def superseded(cluster: object, ctx: RuleContext) -> Iterator[Finding]:
    """Values differ, but a later dated report updates an earlier or tentative one."""
    return iter(())  # produced by `supersede` and `factcheck.rules.verdicts`, never on its own


@rule("FC903", "possible-update", Severity.INFO)
def possible_update(cluster: object, ctx: RuleContext) -> Iterator[Finding]:
    """Values of an evolving fact (a tally, a status) differ between reports not dated apart."""
    return iter(())  # produced by `factcheck.rules.verdicts` when it groups findings, never on its own


def supersede(finding: Finding, claims: Sequence[Claim], ctx: RuleContext) -> Finding | None:
    """Turn a conflict into FC901 when its sources are dated apart and the later one reports a change.

    Returns None when the finding stays as it is.  Which rules' findings may be superseded is their
    registration's `supersedable` policy (the engine asks this only for those).
    """
    if len(claims) < 2:
        return None
    dated = [(ctx.documents[c.doc_index].date, c) for c in claims]
    if any(date is None for date, _ in dated):
        return None
    ordered = sorted(dated, key=lambda x: x[0])  # type: ignore[arg-type, return-value]
    earliest_date, earliest = ordered[0]
    latest_date, latest = ordered[-1]
    if earliest_date == latest_date:
        return None
    if not (latest.update or earliest.hedged):
        return None
    why = "the later report states a change" if latest.update else "the earlier report was tentative"
    message = (f"superseded: {earliest.value_text!r} ({ctx.source(earliest)}) was updated to "
               f"{latest.value_text!r} ({ctx.source(latest)}); {why} [{finding.code}]")
    logic = f"{finding.code} {finding.rule} between sources dated {earliest_date} and {latest_date}; {why}"
    return make_finding(ctx, "FC901", claims, message, finding.cluster, finding.similarity, logic,
                        values=list(finding.values))
