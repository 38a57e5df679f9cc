"""FC204 sibling-order-conflict: sources disagree on which of two siblings is the elder."""

# ruff: noqa: D401 - a rule's docstring is its user-facing summary, a statement of the problem

from __future__ import annotations

from collections.abc import Iterator, Sequence

from factcheck.extract.kinship import PersonRef, SiblingOrder, nouns_compatible, same_person, sibling_orders
from factcheck.records import Claim, ClaimKind, Finding, Sentence, Severity
from factcheck.rules.base import RuleContext, make_finding, rule

_Stated = tuple[Sentence, SiblingOrder]


def _siblings(anchor: PersonRef, noun: str, stated: Sequence[_Stated]) -> list[PersonRef]:
    """The people the corpus names as siblings of `anchor`.

    A named holder of a compatible noun whose anchor is `anchor`, or the anchor of a statement whose holder
    is `anchor`.
    """
    found = [order.holder for _, order in stated if order.holder is not None
             and nouns_compatible(order.noun, noun) and same_person(order.anchor, anchor)]
    found += [order.anchor for _, order in stated if order.holder is not None
              and same_person(order.holder, anchor)]
    return [p for p in found if not same_person(p, anchor)]


def _only_person(people: Sequence[PersonRef]) -> PersonRef | None:
    """The one person all the refs can be (the fullest way it is written), None when two differ."""
    if not people or any(not same_person(a, b) for a in people for b in people):
        return None
    return max(people, key=lambda p: (bool(p.surname), len(p.given)))


def _elder_younger(order: SiblingOrder, stated: Sequence[_Stated]) -> tuple[PersonRef, PersonRef] | None:
    """(elder, younger) of a statement; an unnamed holder is the only sibling of the anchor named anywhere."""
    holder = order.holder or _only_person(_siblings(order.anchor, order.noun, stated))
    if holder is None:
        return None
    return (holder, order.anchor) if order.holder_elder else (order.anchor, holder)


def _claim(sentence: Sentence, order: SiblingOrder, elder: PersonRef, younger: PersonRef, n: int) -> Claim:
    start, end = sentence.start + order.start, sentence.start + order.end
    return Claim(id=n, kind=ClaimKind.PREDICATE, doc_index=sentence.doc_index, sentence_index=sentence.index,
                 key=f"birth order of {elder.text} and {younger.text}",
                 value_text=sentence.text[order.start : order.end], value_start=start, value_end=end,
                 value=f"{elder.text} older than {younger.text}")


@rule("FC204", "sibling-order-conflict", Severity.WARNING, corpus_level=True, supersedable=False)
def sibling_order_conflict(ctx: RuleContext) -> Iterator[Finding]:
    """Sources disagree on which of two siblings is the elder ("older sister" / "younger sister")."""
    stated: list[_Stated] = []
    for sentence in ctx.corpus.sentences:
        stated.extend((sentence, order) for order in sibling_orders(sentence.text))
    if len(stated) < 2:
        return
    pairs = [(sentence, order, _elder_younger(order, stated)) for sentence, order in stated]
    focus = ctx.focus_docs
    next_id = -1
    for i, (sa, oa, pa) in enumerate(pairs):
        for sb, ob, pb in pairs[i + 1 :]:
            if pa is None or pb is None or sa.doc_index == sb.doc_index:
                continue
            if focus is not None and sa.doc_index not in focus and sb.doc_index not in focus:
                continue
            if not (same_person(pa[0], pb[1]) and same_person(pa[1], pb[0])):
                continue  # not the same two people in reverse order
            claims = [_claim(sa, oa, *pa, next_id), _claim(sb, ob, *pb, next_id - 1)]
            next_id -= 2
            message = (f"{claims[0].value_text!r} ({ctx.source(claims[0])}) makes {pa[0].text} the elder, "
                       f"{claims[1].value_text!r} ({ctx.source(claims[1])}) makes {pb[0].text} the elder")
            unnamed = next((o for o in (oa, ob) if o.holder is None), None)
            logic = "the same two siblings in reverse birth order" + (
                f" (the unnamed {unnamed.phrase} is the only sibling of {unnamed.anchor.text} named anywhere)"
                if unnamed is not None else "")
            yield make_finding(ctx, "FC204", claims, message, "sibling-order", 1.0, logic,
                               values=list(dict.fromkeys(c.value_text for c in claims)))
