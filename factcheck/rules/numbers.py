"""FC3xx numbers: the same measured thing with different values."""

# ruff: noqa: D401 - a rule's docstring is its user-facing summary, a statement of the problem

from __future__ import annotations

from collections.abc import Iterator

from factcheck.extract.quantities import format_quantity, quantities_conflict
from factcheck.records import ClaimKind, FactCluster, Finding, Quantity, Severity
from factcheck.rules.base import RuleContext, linked_pairs, make_finding, rule


def things_compatible(a: Quantity, b: Quantity) -> bool:
    """Measured things agree when equal, when either is unknown, or when they share a stem."""
    if not a.thing or not b.thing or a.thing == b.thing:
        return True
    return a.thing.rstrip("s") == b.thing.rstrip("s")


@rule("FC301", "quantity-conflict", Severity.ERROR)
def quantity_conflict(cluster: FactCluster, ctx: RuleContext) -> Iterator[Finding]:
    """Sources give different values for the same measured thing and unit."""
    for a, b, sim in linked_pairs(cluster, {ClaimKind.QUANTITY}):
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
