"""FC4xx dates: the same event on different dates."""

# ruff: noqa: D401 - a rule's docstring is its user-facing summary, a statement of the problem

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from factcheck.extract.dates import format_date
from factcheck.records import ClaimKind, DateValue, FactCluster, Finding, Severity
from factcheck.rules.base import RuleContext, make_finding, rule


def dates_conflict(a: DateValue, b: DateValue) -> bool:
    """Check whether two dates disagree on a component both state.

    Weekday names are compared as written; a weekday resolved against a document date is
    compared with an absolute date only when the other side names no weekday.
    """
    if a.weekday is not None and b.weekday is not None and a.weekday != b.weekday:
        return True
    for x, y in ((a, b), (b, a)):
        if x.weekday is not None and y.weekday is None and not y.relative and y.year and y.month and y.day:
            return dt.date(y.year, y.month, y.day).weekday() != x.weekday
    abs_a = None if a.relative else a
    abs_b = None if b.relative else b
    if abs_a is not None and abs_b is not None:
        for part_a, part_b in ((a.year, b.year), (a.month, b.month), (a.day, b.day)):
            if part_a is not None and part_b is not None and part_a != part_b:
                return True
        return False
    if a.weekday is not None and b.weekday is not None:
        return False  # same weekday name (or one side absolute with the same weekday)
    # one relative mention resolved against its document date vs an absolute date
    rel, other = (a, b) if a.relative else (b, a)
    if rel.relative and not other.relative and rel.day is not None and other.day is not None:
        same_month = rel.month == other.month and (other.year is None or rel.year == other.year)
        return not (same_month and rel.day == other.day)
    return False

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
