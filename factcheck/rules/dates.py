"""FC4xx dates: the same event on different dates."""

# ruff: noqa: D401 - a rule's docstring is its user-facing summary, a statement of the problem

from __future__ import annotations

from collections.abc import Iterator

from factcheck.extract.dates import dates_conflict, format_date
from factcheck.records import ClaimKind, DateValue, FactCluster, Finding, Severity
from factcheck.rules.base import RuleContext, make_finding, rule


@rule("FC401", "date-conflict", Severity.ERROR)
def date_conflict(cluster: FactCluster, ctx: RuleContext) -> Iterator[Finding]:
    """Sources give different dates (day, weekday, month or year) for the same event."""
    for a, b, sim in ctx.linked_pairs(cluster, {ClaimKind.DATE}):
        da, db = a.value, b.value
        if not isinstance(da, DateValue) or not isinstance(db, DateValue) or not dates_conflict(da, db):
            continue
        message = f"{a.value_text!r} ({ctx.source(a)}) vs {b.value_text!r} ({ctx.source(b)}): {a.key!r}"
        logic = f"dates {format_date(da)} vs {format_date(db)} disagree; key similarity {sim:.2f}"
        yield make_finding(ctx, "FC401", [a, b], message, cluster.id, sim, logic,
                           values=[a.value_text, b.value_text])
