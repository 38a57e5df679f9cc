"""FC5xx polarity: a statement asserted in one source and negated, or reversed, in another."""

# ruff: noqa: D401 - a rule's docstring is its user-facing summary, a statement of the problem

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from factcheck.extract.kinship import sibling_orders
from factcheck.extract.polarity import ANTONYMS
from factcheck.records import Claim, ClaimKind, FactCluster, Finding, Frame, Severity
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


def _order_frame(claim: Claim) -> Frame | None:
    frame = claim.frame
    if claim.kind is not ClaimKind.PREDICATE or frame is None or not frame.relation or frame.negated:
        return None  # a negated act ("did not raise the alarm before the fire") is placed nowhere
    return frame


def _same_reference(ctx: RuleContext, a: Claim, fa: Frame, b: Claim, fb: Frame) -> bool:
    """One reference event: the same noun, or two nouns each of the two sources uses ("attack" / "shooting").

    Outlets name a story's event with several nouns; when both use both, "the attack" and "the shooting"
    are the same event. A noun only one source uses ("the vote" / "the summit") is another event.
    """
    if fa.head == fb.head:
        return True
    return all(ctx.document_mentions(c.doc_index, noun) for c in (a, b) for noun in (fa.head, fb.head))


@rule("FC504", "event-order-conflict", Severity.WARNING, corpus_level=True, supersedable=False)
def event_order_conflict(ctx: RuleContext) -> Iterator[Finding]:
    """Sources place the same act before, during or after the same event differently."""
    acts: dict[tuple[str, str], list[tuple[Claim, Frame]]] = defaultdict(list)
    for claim in ctx.claims:
        frame = _order_frame(claim)
        if frame is not None:
            acts[(frame.predicate, frame.thing)].append((claim, frame))
    focus = ctx.focus_docs
    for (verb, thing), items in sorted(acts.items()):
        placed = {(c.doc_index, f.relation, f.head) for c, f in items}
        for n, (a, fa) in enumerate(items):
            for b, fb in items[n + 1 :]:
                if a.doc_index == b.doc_index or fa.relation == fb.relation:
                    continue
                if {(a.doc_index, fb.relation, fb.head), (b.doc_index, fa.relation, fa.head)} & placed:
                    continue  # a source gives both ("during the luncheon before the vote"): two events
                if focus is not None and a.doc_index not in focus and b.doc_index not in focus:
                    continue
                if fa.about_named and fb.about_named and not set(fa.about) & set(fb.about):
                    continue  # two named actors: two acts
                if not _same_reference(ctx, a, fa, b, fb):
                    continue
                message = (f"{verb} {thing}: {fa.relation} the {fa.head} ({ctx.source(a)}) vs {fb.relation} "
                           f"the {fb.head} ({ctx.source(b)})")
                logic = (f"the same act ({verb} {thing}) placed {fa.relation} / {fb.relation} the same event "
                         f"({fa.head}"
                         + (f" / {fb.head}, nouns both sources use)" if fa.head != fb.head else ")"))
                yield make_finding(ctx, "FC504", [a, b], message, f"order:{verb}:{thing}", 1.0, logic,
                                   values=[f"{fa.relation} the {fa.head}", f"{fb.relation} the {fb.head}"])
