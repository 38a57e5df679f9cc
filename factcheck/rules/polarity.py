"""FC5xx polarity: a statement asserted in one source and negated, or reversed, in another."""

# ruff: noqa: D401 - a rule's docstring is its user-facing summary, a statement of the problem

from __future__ import annotations

from collections.abc import Iterator

from factcheck.extract.kinship import sibling_orders
from factcheck.extract.polarity import ANTONYMS
from factcheck.records import Claim, ClaimKind, FactCluster, Finding, Severity
from factcheck.rules.base import RuleContext, make_finding, rule


def are_antonyms(a: str, b: str) -> bool:
    """Whether two words are antonyms in the lexicon."""
    return b.lower() in ANTONYMS.get(a.lower(), set())

@rule("FC501", "polarity-conflict", Severity.ERROR)
def polarity_conflict(cluster: FactCluster, ctx: RuleContext) -> Iterator[Finding]:
    """One source asserts a statement that another negates."""
    for a, b, sim in ctx.linked_pairs(cluster, {ClaimKind.POLARITY}):
        if a.value == b.value:
            continue
        negated, affirmed = (a, b) if a.value else (b, a)
        message = (f"{ctx.source(negated)} negates ({negated.value_text!r}) what {ctx.source(affirmed)} "
                   f"asserts")
        logic = f"same statement without negation (similarity {sim:.2f}); one side negated"
        values = ["negated" if a.value else "affirmed", "negated" if b.value else "affirmed"]
        yield make_finding(ctx, "FC501", [a, b], message, cluster.id, sim, logic, values=values)


def _in_sibling_order(ctx: RuleContext, claim: Claim) -> bool:
    """Whether the antonym is the age word of a sibling-order statement ("the younger sister of X").

    Such statements are compared by who is the elder (FC204): "Nora, the younger sister of Clara" and
    "Clara, the older sister of Nora" read alike without the age word, yet agree.
    """
    sentence = ctx.sentence_of(claim)
    at = claim.value_start - sentence.start
    return any(o.start <= at < o.end for o in sibling_orders(sentence.text))


@rule("FC502", "antonym-conflict", Severity.ERROR)
def antonym_conflict(cluster: FactCluster, ctx: RuleContext) -> Iterator[Finding]:
    """Sources state the same thing with opposite predicates (after/before, convicted/acquitted)."""
    for a, b, sim in ctx.linked_pairs(cluster, {ClaimKind.PREDICATE}):
        if not are_antonyms(str(a.value), str(b.value)):
            continue
        if _in_sibling_order(ctx, a) and _in_sibling_order(ctx, b):
            continue  # FC204 compares these by who is the elder
        message = (f"{a.value_text!r} ({ctx.source(a)}) vs {b.value_text!r} ({ctx.source(b)}) "
                   "in the same statement")
        logic = f"antonym predicates in statements that match at similarity {sim:.2f}"
        yield make_finding(ctx, "FC502", [a, b], message, cluster.id, sim, logic,
                           values=[a.value_text, b.value_text])
