"""FC6xx knowledge base: claims that contradict a trusted-facts file."""

# ruff: noqa: D401 - a rule's docstring is its user-facing summary, a statement of the problem

from __future__ import annotations

from collections.abc import Iterator

from factcheck.extract.names import fold
from factcheck.kb import KnowledgeBase
from factcheck.records import ClaimKind, Finding, PersonName, Severity
from factcheck.rules.base import RuleContext, make_finding, rule
from factcheck.rules.roles import same_person


def _holder_name(holder: str) -> PersonName:
    words = holder.split()
    return PersonName(holder, " ".join(words[:-1]), fold(words[-1]) if words else "")


@rule("FC601", "knowledge-base-conflict", Severity.ERROR, corpus_level=True, supersedable=False)
def knowledge_base_conflict(ctx: RuleContext) -> Iterator[Finding]:
    """A claim names a role holder that the trusted-facts file (--kb) contradicts."""
    kb = ctx.kb
    if not isinstance(kb, KnowledgeBase):
        return
    seen: set[tuple[int, str, str]] = set()
    for claim in ctx.claims:
        if claim.kind is not ClaimKind.ROLE or not isinstance(claim.value, PersonName):
            continue
        doc = ctx.documents[claim.doc_index]
        holders = kb.holders(claim.role, claim.scope, doc.date)
        if not holders:
            continue
        if any(same_person(claim.value, _holder_name(h.holder), ctx.name_aliases) for h in holders):
            continue
        if len(claim.value.full.split()) < 2:
            continue
        key = (claim.doc_index, fold(claim.value.full), claim.role)
        if key in seen:
            continue
        seen.add(key)
        expected = " or ".join(sorted({h.holder for h in holders}))
        where = ", ".join(f"{kb.path}:{h.line}" for h in holders)
        message = (f"{claim.value.full!r} as {claim.role!r} ({ctx.source(claim)}) contradicts the knowledge "
                   f"base: {expected} ({where})")
        logic = f"role {claim.role!r} held by {expected} on {doc.date or 'an unknown date'} per {kb.path}"
        yield make_finding(ctx, "FC601", [claim], message, "", 1.0, logic,
                           values=[claim.value.full, expected])
