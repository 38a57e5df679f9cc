"""FC4xx dates: the same event on different dates."""

# ruff: noqa: D401 - a rule's docstring is its user-facing summary, a statement of the problem

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from factcheck.extract.dates import format_date, month_span
from factcheck.records import ClaimKind, DateValue, FactCluster, Finding, Severity
from factcheck.rules.base import RuleContext, make_finding, rule
from factcheck.rules.roles import dated_apart

# A vague date ("mid-May", "last week") conflicts only with dates further than this outside its span.
VAGUE_SLACK_DAYS = 3
# Two dates each resolved against its own document's date ("on Tuesday", "last week", "this month") in
# documents dated further apart than this speak of two different news periods: not one event's date.
RELATIVE_REACH_DAYS = 31
# A date resolved against its document's date ("on Tuesday") and a dated event more than a year from it
# ("on July 27, 2016" in a 2019 report) are two events: a slip of a weekday is not a slip of years.
RELATIVE_ABSOLUTE_DAYS = 365


def _years_from_relative(a: DateValue, b: DateValue) -> bool:
    """Whether one date is relative, the other absolute with a year, and they lie over a year apart."""
    if a.relative == b.relative:
        return False
    rel, other = (a, b) if a.relative else (b, a)
    if not (other.year or other.lo):
        return False
    ia, ib = _interval(rel, None), _interval(other, None)
    if ia is None or ib is None:
        return False
    return max((ib[0] - ia[1]).days, (ia[0] - ib[1]).days) > RELATIVE_ABSOLUTE_DAYS


def _interval(v: DateValue, year: int | None) -> tuple[dt.date, dt.date] | None:
    """Return the days a date value covers (a span, day, month or year); None when no year is known."""
    if v.lo and v.hi:
        return dt.date.fromisoformat(v.lo), dt.date.fromisoformat(v.hi)
    year = v.year or year
    if year is None:
        return None
    if v.month is None:
        return (dt.date(year, 1, 1), dt.date(year, 12, 31)) if v.day is None else None
    if v.day is None:
        return month_span(year, v.month)
    try:
        day = dt.date(year, v.month, v.day)
    except ValueError:
        return None
    return day, day


def _spans_conflict(a: DateValue, b: DateValue) -> bool:
    """Compare values of which one at least is a span: ranges by their ends, vague spans softly."""
    if not a.vague and not b.vague:
        both = a.lo and b.lo
        return bool(both) and (a.lo[:4] != b.lo[:4] or a.hi[:4] != b.hi[:4])  # ranges: years at both ends
    if (a.lo and not a.vague) or (b.lo and not b.vague):
        return False  # a stated range against a vague date: too loose to compare
    if (a.weekday is not None and a.month is None and not a.lo) or (
            b.weekday is not None and b.month is None and not b.lo):
        return False  # a bare weekday has no calendar place
    year_a = int(a.lo[:4]) if a.lo else a.year
    year_b = int(b.lo[:4]) if b.lo else b.year
    ia, ib = _interval(a, year_b), _interval(b, year_a)
    if ia is None or ib is None:
        return False
    gap = max((ib[0] - ia[1]).days, (ia[0] - ib[1]).days)
    return gap > VAGUE_SLACK_DAYS


def dates_conflict(a: DateValue, b: DateValue) -> bool:
    """Check whether two dates disagree on a component both state.

    Weekday names are compared as written; a weekday resolved against a document date is
    compared with an absolute date only when the other side names no weekday.  Year ranges compare
    by both ends; vague dates ("mid-May") compare as spans with a few days' slack.
    """
    if a.lo or b.lo:
        return _spans_conflict(a, b)
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
        if da.relative and db.relative and dated_apart(ctx, a, b, RELATIVE_REACH_DAYS):
            continue  # "met on Sunday" (a 2012 report) / "met on Wednesday" (a 2017 report): two meetings
        if _years_from_relative(da, db):
            continue
        message = f"{a.value_text!r} ({ctx.source(a)}) vs {b.value_text!r} ({ctx.source(b)}): {a.key!r}"
        logic = f"dates {format_date(da)} vs {format_date(db)} disagree; key similarity {sim:.2f}"
        yield make_finding(ctx, "FC401", [a, b], message, cluster.id, sim, logic,
                           values=[a.value_text, b.value_text])
