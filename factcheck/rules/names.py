"""FC1xx names: the same person under different given names; spelling variants; place names."""

# ruff: noqa: D401 - a rule's docstring is its user-facing summary, a statement of the problem

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from rapidfuzz import fuzz

from factcheck.extract.names import fold
from factcheck.extract.places import nested
from factcheck.records import Claim, ClaimKind, FactCluster, Finding, PersonName, Severity
from factcheck.rules.base import RuleContext, make_finding, rule

SPELLING_SIMILARITY = 85.0
PLACE_ALIASES = [
    {"us", "u.s.", "u.s", "usa", "united states", "america", "united states of america"},
    {"uk", "u.k.", "britain", "great britain", "united kingdom", "england"},
    {"un", "u.n.", "united nations"},
    {"eu", "european union"},
]


def given_relation(a: str, b: str) -> str:
    """How two given names relate: "same", "variant" (spelling/initial/short form) or "different"."""
    fa, fb = fold(a).replace(".", ""), fold(b).replace(".", "")
    if fa == fb or not fa or not fb:
        return "same"
    wa, wb = fa.split(), fb.split()
    if set(wa) <= set(wb) or set(wb) <= set(wa):
        return "same"  # "Cheryl" vs "Cheryl Boone"
    if wa[0][0] == wb[0][0] and (len(wa[0]) == 1 or len(wb[0]) == 1):
        return "same"  # an initial: "J." vs "John"
    if fuzz.ratio(fa, fb) >= SPELLING_SIMILARITY:
        return "variant"
    return "different"


def _person(claim: Claim) -> PersonName | None:
    return claim.value if isinstance(claim.value, PersonName) else None


def _variant_mentions(ctx: RuleContext, surname: str, givens: set[str]) -> list[Claim]:
    """One claim per (document, given-name variant) among all mentions of the surname."""
    picked: dict[tuple[int, str], Claim] = {}
    for claim in ctx.people_by_surname().get(surname, []):
        person = _person(claim)
        if person is None:
            continue
        given = fold(person.given)
        if given in givens and (claim.doc_index, given) not in picked:
            picked[(claim.doc_index, given)] = claim
    return list(picked.values())


@rule("FC101", "person-name-conflict", Severity.ERROR, supersedable=False, one_per_name=True)
def person_name_conflict(cluster: FactCluster, ctx: RuleContext) -> Iterator[Finding]:
    """Sources name the same person (same surname, same fact or role) with different given names."""
    for a, b, sim in ctx.linked_pairs(cluster, {ClaimKind.PERSON, ClaimKind.ROLE}):
        pa, pb = _person(a), _person(b)
        if pa is None or pb is None or pa.surname != pb.surname or not pa.surname:
            continue
        if not pa.given or not pb.given or given_relation(pa.given, pb.given) != "different":
            continue
        if ctx.same_by_alias(pa, pb):
            continue  # declared in [tool.factcheck.name-aliases]: one person under two names
        givens = {fold(pa.given), fold(pb.given)}
        claims = [a, b, *_variant_mentions(ctx, pa.surname, givens)]
        fact = a.key if a.kind is ClaimKind.ROLE else "the same fact"
        message = (
            f"{pa.full!r} ({ctx.source(a)}) and {pb.full!r} ({ctx.source(b)}) name the same person "
            f"({fact}) with different given names"
        )
        logic = (
            f"same surname {pa.surname!r}, given names {pa.given!r} vs {pb.given!r} differ "
            f"(not a spelling variant), keys linked at similarity {sim:.2f}"
        )
        yield make_finding(ctx, "FC101", claims, message, cluster.id, sim, logic,
                           values=sorted({pa.full, pb.full}, key=lambda v: v != pa.full))


def _as_written(name: str) -> str:
    """Compose a name for an exact comparison: NFC, case-folded, one kind of apostrophe, single spaces."""
    return " ".join(unicodedata.normalize("NFC", name).replace("’", "'").casefold().split())


def _spelling_variants(pa: PersonName, pb: PersonName) -> bool:
    """Decide whether two differently written names are spellings of one name.

    Accent-only differences ("Shinjirō"/"Shinjiro") fold to the same name; otherwise the given names are
    close in spelling with the same surname, or the surnames are close with the same given name.
    """
    if fold(pa.full) == fold(pb.full):
        return True
    if pa.surname == pb.surname:
        return bool(pa.given and pb.given) and given_relation(pa.given, pb.given) == "variant"
    return (bool(pa.given) and fold(pa.given) == fold(pb.given)
            and fuzz.ratio(pa.surname, pb.surname) >= SPELLING_SIMILARITY)


@rule("FC102", "spelling-variant", Severity.INFO, supersedable=False, one_per_name=True)
def spelling_variant(cluster: FactCluster, ctx: RuleContext) -> Iterator[Finding]:
    """The same person's name is spelled slightly differently across sources (a note, not an alarm)."""
    for a, b, sim in ctx.linked_pairs(cluster, {ClaimKind.PERSON, ClaimKind.ROLE}):
        pa, pb = _person(a), _person(b)
        if pa is None or pb is None or _as_written(pa.full) == _as_written(pb.full):
            continue  # written alike (accents count); whether spellings are variants is judged folded
        if not _spelling_variants(pa, pb) or ctx.same_by_alias(pa, pb):
            continue  # a declared alias is a known, accepted spelling: no note
        message = (f"{pa.full!r} ({ctx.source(a)}) and {pb.full!r} ({ctx.source(b)}) look like spellings "
                   "of one name")
        if fold(pa.full) == fold(pb.full):
            logic = "names differ only by accents or diacritics"
        else:
            logic = f"names differ only by spelling (rapidfuzz ratio >= {SPELLING_SIMILARITY:.0f})"
        yield make_finding(ctx, "FC102", [a, b], message, cluster.id, sim, logic, values=[pa.full, pb.full])


def _same_place(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    if fa == fb or fa in fb or fb in fa:
        return True
    return any(fa in group and fb in group for group in PLACE_ALIASES)


def _mentions(ctx: RuleContext, claim: Claim, name: str) -> bool:
    """Whether the claim's document names `name` anywhere (as a whole word)."""
    return ctx.document_mentions(claim.doc_index, name)


@rule("FC103", "place-name-conflict", Severity.ERROR)
def place_name_conflict(cluster: FactCluster, ctx: RuleContext) -> Iterator[Finding]:
    """Sources place the same event in different named places."""
    for a, b, sim in ctx.linked_pairs(cluster, {ClaimKind.PLACE}):
        va, vb = str(a.value), str(b.value)
        if _same_place(va, vb) or fuzz.ratio(fold(va), fold(vb)) >= SPELLING_SIMILARITY:
            continue
        if nested(va, vb):
            continue  # one place lies in the other ("Rome" / "Italy"): a difference of detail
        if _mentions(ctx, b, va) and _mentions(ctx, a, vb):
            continue  # each source names both places: a difference of detail, not of fact
        message = f"{va!r} ({ctx.source(a)}) vs {vb!r} ({ctx.source(b)}) in the same statement: {a.key!r}"
        logic = f"place names differ in statements whose keys match at similarity {sim:.2f}"
        yield make_finding(ctx, "FC103", [a, b], message, cluster.id, sim, logic, values=[va, vb])
