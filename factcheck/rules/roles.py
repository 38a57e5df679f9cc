"""FC2xx roles: different people in one role; one person in incompatible roles."""

# ruff: noqa: D401 - a rule's docstring is its user-facing summary, a statement of the problem

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from rapidfuzz import fuzz

from factcheck.extract.names import fold
from factcheck.extract.roles import SINGLE_HOLDER_HEADS, is_former, role_head, roles_match
from factcheck.extract.text import content_words, jaccard
from factcheck.records import Claim, ClaimKind, FactCluster, Finding, PersonName, Severity
from factcheck.rules.base import RuleContext, aliased, make_finding, rule
from factcheck.rules.names import given_relation


def roles_compatible(a: str, b: str) -> bool:
    """Could be the same role: matching, or one is the bare head of the other ("president")."""
    if roles_match(a, b):
        return True
    wa, wb = a.split(), b.split()
    return bool(wa and wb) and wa[-1] == wb[-1] and (len(wa) == 1 or len(wb) == 1)


GENERIC_MODIFIERS = frozenset({"chief", "general", "senior", "top", "lead", "executive", "head", "acting",
                               "interim", "managing", "first", "second", "special"})


def is_specific(role: str) -> bool:
    """Check for a portfolio word ("trade minister", "prime minister"), not just "chief executive"."""
    return any(w not in GENERIC_MODIFIERS for w in role.split()[:-1])


def is_single_holder(role: str) -> bool:
    """Whether one person holds this role at a time (a minister, a CEO), unlike "analyst"."""
    words = role.split()
    if not words:
        return False
    if words[-1] in {"officer", "executive"} and words[0] == "chief":
        return True
    if words[0] in {"deputy", "vice", "assistant", "associate", "former"} or "former" in words:
        return False
    return words[-1] in SINGLE_HOLDER_HEADS and not (words[-1] == "negotiator" and "chief" not in words)


STAND_IN_WORDS = frozenset({"acting", "interim"})


def stand_in(role: str) -> bool:
    """Whether a canonical role is held by a stand-in ("acting foreign minister", "interim mayor")."""
    return bool(STAND_IN_WORDS & set(role.split()))


def scopes_compatible(a: str, b: str) -> bool:
    """Scopes agree when equal, close in spelling, sharing a word, or when either is unknown."""
    if not a or not b or a == b:
        return True
    return bool(set(a.split()) & set(b.split())) or fuzz.ratio(a, b) >= 80


YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def different_times(ctx: RuleContext, a: Claim, b: Claim) -> bool:
    """Both sentences name years and share none: the claims are about different times."""
    ya = set(YEAR_RE.findall(ctx.sentence_of(a).text))
    yb = set(YEAR_RE.findall(ctx.sentence_of(b).text))
    return bool(ya) and bool(yb) and not (ya & yb)


# Documents dated further apart than this may name different holders of one office: a change of
# government or of management, not a contradiction (months apart in one year still conflict).
ROLE_CHANGE_DAYS = 365


def dated_apart(ctx: RuleContext, a: Claim, b: Claim, days: int = ROLE_CHANGE_DAYS) -> bool:
    """Check whether both claims' documents are dated and more than `days` apart."""
    da, db = ctx.documents[a.doc_index].date, ctx.documents[b.doc_index].date
    return da is not None and db is not None and abs((da - db).days) > days


def same_person(a: PersonName, b: PersonName, aliases: Mapping[str, str] | None = None) -> bool:
    """Check for the same surname and compatible given names (or a bare surname on one side).

    Names that a (folded, see `fold_aliases`) alias table resolves to one canonical name are the
    same person whatever their spelling.
    """
    if aliases and aliased(a, b, aliases):
        return True
    if a.surname != b.surname:
        return False
    return not a.given or not b.given or given_relation(a.given, b.given) != "different"


def _names_surname(ctx: RuleContext, claim: Claim, other: PersonName) -> bool:
    """Whether the claim's sentence also names the other person (by surname, outside the claim's own name)."""
    sentence = ctx.sentence_of(claim)
    start, end = claim.value_start - sentence.start, claim.value_end - sentence.start
    rest = fold(sentence.text[: max(start, 0)] + " " + sentence.text[max(end, 0) :])
    return re.search(rf"(?<!\w){re.escape(other.surname)}(?!\w)", rest) is not None


@rule("FC201", "role-holder-conflict", Severity.ERROR)
def role_holder_conflict(cluster: FactCluster, ctx: RuleContext) -> Iterator[Finding]:
    """Sources name different people as holder of the same role at the same time."""
    for a, b, sim in ctx.linked_pairs(cluster, {ClaimKind.ROLE, ClaimKind.PERSON}):
        pa, pb = a.value, b.value
        if not isinstance(pa, PersonName) or not isinstance(pb, PersonName):
            continue
        if not a.role or not b.role or not scopes_compatible(a.scope, b.scope):
            continue
        if is_former(a.role) or is_former(b.role):
            continue  # a past holder ("former", "fired ...") is not compared with the present one
        if stand_in(a.role) != stand_in(b.role):
            continue  # an acting or interim holder stands in for the substantive one: two people, one role
        if pa.surname == pb.surname or same_person(pa, pb, ctx.name_aliases):
            continue  # same surname: FC101's business
        if different_times(ctx, a, b) or dated_apart(ctx, a, b):
            continue  # holders at different times: the office changed hands
        if a.kind is ClaimKind.ROLE and b.kind is ClaimKind.ROLE:
            # linked by the role alone: it must be one role held by one person, in one stated scope
            if not roles_match(a.role, b.role) or not is_single_holder(a.role):
                continue
            if not (a.scope and b.scope) and not (not a.scope and not b.scope and is_specific(a.role)):
                continue
        elif not roles_compatible(a.role, b.role):
            continue  # linked by the same statement: both name a role, and the roles agree
        elif not is_single_holder(a.role) and jaccard(content_words(a.key), content_words(b.key)) < 0.3:
            continue  # several people hold "agent" or "spokesperson": only the same statement conflicts
        if len(pa.full.split()) < 2 or len(pb.full.split()) < 2:
            continue  # a bare surname may be someone else entirely
        if _names_surname(ctx, a, pb) or _names_surname(ctx, b, pa):
            continue  # one sentence names both people: it tells them apart, it does not swap them
        role = a.role if len(a.role) >= len(b.role) else b.role
        scope = a.scope or b.scope
        title = f"{scope} {role}".strip()
        message = f"{title}: {pa.full!r} ({ctx.source(a)}) vs {pb.full!r} ({ctx.source(b)})"
        logic = (f"roles {a.role!r} and {b.role!r} match (scope {scope or 'unstated'}), holders differ; "
                 f"key similarity {sim:.2f}")
        yield make_finding(ctx, "FC201", [a, b], message, cluster.id, sim, logic, values=[pa.full, pb.full])


@rule("FC202", "person-role-conflict", Severity.WARNING, corpus_level=True)
def person_role_conflict(ctx: RuleContext) -> Iterator[Finding]:
    """Sources give one person two incompatible single-holder roles of the same kind."""
    by_person: dict[str, list[Claim]] = {}
    for claim in ctx.claims:
        if claim.kind is ClaimKind.ROLE and isinstance(claim.value, PersonName) and claim.value.given:
            by_person.setdefault(ctx.canonical_name(claim.value), []).append(claim)
    for name in sorted(by_person):
        claims = by_person[name]
        reported: set[tuple[str, str]] = set()
        for i, a in enumerate(claims):
            for b in claims[i + 1 :]:
                if a.doc_index == b.doc_index or roles_compatible(a.role, b.role):
                    continue
                single = is_single_holder(a.role) and is_single_holder(b.role)
                if role_head(a.role) != role_head(b.role) or not single:
                    continue
                if not scopes_compatible(a.scope, b.scope):
                    continue
                if dated_apart(ctx, a, b):
                    continue  # reports years apart: a career (budget chair, then ways and means chair)
                pair = (min(a.role, b.role), max(a.role, b.role))
                if pair in reported:
                    continue
                reported.add(pair)
                value, other = a.value, b.value
                assert isinstance(value, PersonName) and isinstance(other, PersonName)
                also = "" if fold(other.full) == fold(value.full) else f" (as {other.full!r})"
                message = (f"{value.full!r} is {a.role!r} in {ctx.source(a)} "
                           f"but {b.role!r} in {ctx.source(b)}{also}")
                logic = f"same person, two different single-holder roles with head {role_head(a.role)!r}"
                yield make_finding(ctx, "FC202", [a, b], message, "", 1.0, logic,
                                   values=[f"{value.full} ({a.role})", f"{other.full} ({b.role})"])


RANK_MODIFIERS = frozenset({"assistant", "deputy", "vice", "associate", "under", "sub"})
_INITIAL_RE = re.compile(r"^[a-z]\.?$")


def _person_key(person: PersonName) -> str:
    """A folded full name without middle initials ("Roy S. Moore" and "Roy Moore" are one person)."""
    words = fold(person.full).split()
    return " ".join(w for k, w in enumerate(words) if k in (0, len(words) - 1) or not _INITIAL_RE.match(w))


def rank_difference(a: str, b: str) -> str:
    """The rank word one of two canonical roles adds to the same title ("assistant"), or "".

    "assistant district attorney" / "district attorney" differ by "assistant"; a past and a present
    description ("former deputy mayor" / "mayor") are about different times and do not count, nor do
    titles that differ in any other word.
    """
    wa, wb = a.split(), b.split()
    if (wa[:1] == ["former"]) != (wb[:1] == ["former"]):
        return ""
    wa, wb = [w for w in wa if w != "former"], [w for w in wb if w != "former"]
    if not wa or not wb or wa[-1] != wb[-1]:
        return ""
    ma, mb = set(wa[:-1]), set(wb[:-1])
    if ma - RANK_MODIFIERS != mb - RANK_MODIFIERS:
        return ""
    return " ".join(sorted((ma ^ mb) & RANK_MODIFIERS))


@rule("FC203", "role-rank-conflict", Severity.WARNING, corpus_level=True)
def role_rank_conflict(ctx: RuleContext) -> Iterator[Finding]:
    """Sources give one person the same title at different ranks ("assistant district attorney" / "district attorney")."""  # noqa: E501
    by_person: dict[str, list[Claim]] = {}
    for claim in ctx.claims:
        if claim.kind is ClaimKind.ROLE and isinstance(claim.value, PersonName) and claim.value.given:
            by_person.setdefault(_person_key(claim.value), []).append(claim)
    for name in sorted(by_person):
        claims = by_person[name]
        titles: dict[int, set[str]] = {}
        for claim in claims:
            titles.setdefault(claim.doc_index, set()).add(claim.role)
        reported: set[tuple[str, str]] = set()
        for i, a in enumerate(claims):
            for b in claims[i + 1 :]:
                if a.doc_index == b.doc_index or not scopes_compatible(a.scope, b.scope):
                    continue
                rank = rank_difference(a.role, b.role)
                if not rank or (min(a.role, b.role), max(a.role, b.role)) in reported:
                    continue
                if b.role in titles[a.doc_index] or a.role in titles[b.doc_index]:
                    continue  # a source that gives both titles tells a career, not a slip
                if different_times(ctx, a, b) or dated_apart(ctx, a, b):
                    continue
                reported.add((min(a.role, b.role), max(a.role, b.role)))
                value, other = a.value, b.value
                assert isinstance(value, PersonName) and isinstance(other, PersonName)
                message = f"{value.full!r} is {a.role!r} in {ctx.source(a)} but {b.role!r} in {ctx.source(b)}"
                logic = f"same person, same title at another rank ({rank!r}), described for the same time"
                yield make_finding(ctx, "FC203", [a, b], message, "", 1.0, logic,
                                   values=[f"{value.full} ({a.role})", f"{other.full} ({b.role})"])
