"""FC3xx numbers: the same measured thing with different values."""

# ruff: noqa: D401 - a rule's docstring is its user-facing summary, a statement of the problem

from __future__ import annotations

from collections.abc import Iterator

from factcheck.extract.quantities import format_quantity
from factcheck.extract.units import CONVERSION_TOLERANCE, convert
from factcheck.records import ClaimKind, FactCluster, Finding, Quantity, Severity
from factcheck.rules.base import RuleContext, make_finding, rule


def _scale_to(a: Quantity, b: Quantity) -> Quantity | None:
    """Convert `a` to `b`'s unit (kilometres to miles, weeks to days); None if not convertible."""
    value = convert(a.value, a.unit, b.unit)
    if value is None:
        return None
    high = convert(a.high, a.unit, b.unit) if a.high is not None else None
    return Quantity(value, b.unit, high, a.approx, a.thing)


def quantities_conflict(a: Quantity, b: Quantity) -> bool:
    """Check whether two quantities cannot both be right (other units converted first: km vs miles)."""
    if a.unit != b.unit:
        converted = _scale_to(a, b)
        if converted is None:
            return False
        ratio = abs(converted.value) / max(abs(b.value), 1e-9)
        if not 0.5 <= ratio <= 2.0:
            return False  # "two metres" wide vs "10 miles" away: other measurements, not one misreported
        slack = CONVERSION_TOLERANCE * max(abs(b.value), abs(converted.value))
        lo_a, hi_a = converted.value - slack, (converted.high or converted.value) + slack
        hi_b = b.high if b.high is not None else b.value
        if lo_a <= hi_b and b.value <= hi_a:
            return False
        return not (_approx_fits(converted, b.value, hi_b) or _approx_fits(b, lo_a, hi_a))
    lo_a, hi_a = a.value, a.high if a.high is not None else a.value
    lo_b, hi_b = b.value, b.high if b.high is not None else b.value
    if lo_a <= hi_b and lo_b <= hi_a:
        return False
    return not (_approx_fits(a, lo_b, hi_b) or _approx_fits(b, lo_a, hi_a))


def _approx_fits(q: Quantity, lo: float, hi: float) -> bool:
    approx = q.approx
    if not approx:
        return False
    v = q.value
    if approx in {"more than", "over", "at least", "just over", "as many as", "as much as"}:
        return hi >= v if approx in {"at least"} else hi > v or approx in {"as many as", "as much as"}
    if approx in {"less than", "under", "fewer than", "up to", "just under"}:
        return lo <= v
    if q.unit == "time":  # "about 4 p.m.": half an hour either side
        return abs(lo - v) <= 30 or abs(hi - v) <= 30 or lo <= v <= hi
    # about / around / nearly / some / estimated: 10 % tolerance
    return abs(lo - v) <= 0.1 * max(abs(v), 1.0) or abs(hi - v) <= 0.1 * max(abs(v), 1.0)


def things_compatible(a: Quantity, b: Quantity) -> bool:
    """Measured things agree when equal, when either is unknown, or when they share a stem."""
    if not a.thing or not b.thing or a.thing == b.thing:
        return True
    return a.thing.rstrip("s") == b.thing.rstrip("s")


@rule("FC301", "quantity-conflict", Severity.ERROR)
def quantity_conflict(cluster: FactCluster, ctx: RuleContext) -> Iterator[Finding]:
    """Sources give different values for the same measured thing and unit."""
    for a, b, sim in ctx.linked_pairs(cluster, {ClaimKind.QUANTITY}):
        qa, qb = a.value, b.value
        if not isinstance(qa, Quantity) or not isinstance(qb, Quantity):
            continue
        if not things_compatible(qa, qb) or not quantities_conflict(qa, qb):
            continue
        thing = f" {qa.thing}" if qa.thing else ""
        message = (f"{a.value_text!r} ({ctx.source(a)}) vs {b.value_text!r} ({ctx.source(b)}){thing}: "
                   f"{a.key!r}")
        same = qa.unit == qb.unit
        units = f"same unit {qa.unit!r}" if same else f"units {qa.unit!r} and {qb.unit!r} converted"
        logic = (f"{units}, values {format_quantity(qa)} vs {format_quantity(qb)} differ "
                 f"beyond tolerance; key similarity {sim:.2f}")
        yield make_finding(ctx, "FC301", [a, b], message, cluster.id, sim, logic,
                           values=[a.value_text, b.value_text])
