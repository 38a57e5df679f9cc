"""FC1xx names: the same person under different given names; spelling variants; place names."""

# ruff: noqa: D401 - a rule's docstring is its user-facing summary, a statement of the problem

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from rapidfuzz import fuzz

from factcheck.extract.names import fold
from factcheck.extract.nicknames import nickname_related
from factcheck.extract.places import is_gazetteer_place, nested
from factcheck.extract.roles import KIN_WORDS
from factcheck.records import Claim, ClaimKind, FactCluster, Finding, PersonName, Severity
from factcheck.rules.base import RuleContext, make_finding, rule

SPELLING_SIMILARITY = 85.0
PLACE_ALIASES = [
    {"us", "u.s.", "u.s", "usa", "united states", "america", "united states of america"},
    {"uk", "u.k.", "britain", "great britain", "united kingdom", "england"},
    {"un", "u.n.", "united nations"},
    {"eu", "european union"},
]


_LONG_VOWEL_RE = re.compile(r"ou|oo|uu|aa|ii|ee|oh(?![aeiou])")


def _romanised(name: str) -> str:
    """A folded name with romanisation choices undone: long vowels "ou"/"oo"/"oh" as one vowel."""
    return _LONG_VOWEL_RE.sub(lambda m: m.group()[0], name)


def given_relation(a: str, b: str) -> str:
    """How two given names relate.

    "same": equal, one a subset or initial of the other ("John A." / "John", "J." / "John"), or a
    nickname or short form ("Jim" / "James", "Bill" / "William"); "variant": the same name in another
    romanisation or with accents ("Shinjirou" / "Shinjiro"); "misspelt": close in spelling but not one
    name ("Stacy" / "Stacey", "Vincente" / "Vicente"): one source has it wrong; "different".
    """
    fa, fb = fold(a).replace(".", ""), fold(b).replace(".", "")
    if fa == fb or not fa or not fb:
        return "same"
    wa, wb = fa.split(), fb.split()
    if set(wa) <= set(wb) or set(wb) <= set(wa) or wa[0] == wb[0]:
        return "same"  # "Cheryl" vs "Cheryl Boone", "Donald John" vs "Donald J."
    if wa[0][0] == wb[0][0] and (len(wa[0]) == 1 or len(wb[0]) == 1):
        return "same"  # an initial: "J." vs "John"
    if _romanised(fa) == _romanised(fb):
        return "variant"
    if fuzz.ratio(fa, fb) >= SPELLING_SIMILARITY:
        return "misspelt"  # checked before nicknames: the table lists "Stacey" under "Stacy"
    first_a = next((w for w in wa if len(w) > 1), "")
    first_b = next((w for w in wb if len(w) > 1), "")
    if first_a and first_b and nickname_related(first_a, first_b):
        return "same"  # "J. Christopher" vs "Chris": the first spelled-out given names
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
        if given not in givens:
            continue
        held = picked.get((claim.doc_index, given))
        if held is None or (not _written_in_full(held) and _written_in_full(claim)):
            picked[(claim.doc_index, given)] = claim  # prefer a mention that spells the name out
    return list(picked.values())


def _written_in_full(claim: Claim) -> bool:
    """Whether the claim's text spells out its person's full name (not a surname resolved in the document)."""
    person = _person(claim)
    return person is not None and fold(claim.value_text) == fold(person.full)


SURNAME_MISSPELLING = 80.0  # rapidfuzz ratio of two surnames that one letter's slip apart ("Smith"/"Smyth")


def _surname_misspelt(a: str, b: str) -> bool:
    """Two folded surnames one slip apart that are not the same name romanised differently."""
    return (a != b and a[:1] == b[:1] and _romanised(a) != _romanised(b)
            and fuzz.ratio(a, b) >= SURNAME_MISSPELLING)


def name_difference(pa: PersonName, pb: PersonName) -> tuple[str, str] | None:
    """How two names of one person disagree: ("given", relation) or ("surname", "misspelt"), or None.

    Same surname and different or misspelt given names; the same given name and a misspelt surname
    ("John Smith" / "John Smyth"); a given name alone ("his wife Stacy") misspelt against another.
    """
    if pa.surname and pa.surname == pb.surname:
        relation = given_relation(pa.given, pb.given) if pa.given and pb.given else "same"
        return ("given", relation) if relation in {"different", "misspelt"} else None
    if not pa.given or not pb.given:
        return None
    relation = given_relation(pa.given, pb.given)
    if pa.surname and pb.surname:
        same_given = relation == "same" and len(pa.full.split()) >= 2 and len(pb.full.split()) >= 2
        return ("surname", "misspelt") if same_given and _surname_misspelt(pa.surname, pb.surname) else None
    return ("given", "misspelt") if relation == "misspelt" else None  # one side a given name alone


_RELATIVE_WORDS = KIN_WORDS | {"lady", "mrs", "mrs.", "husband's", "wife's"}
RELATIVE_WINDOW = 4  # words before a name where "wife", "daughter", "first lady" mark a relative


def _named_as_relative(ctx: RuleContext, claim: Claim) -> bool:
    """Check whether the words before the name call its bearer a relative ("the first lady, Melania")."""
    sentence = ctx.sentence_of(claim)
    before = sentence.text[: max(0, claim.value_start - sentence.start)]
    words = [w.strip(",.;:()\"'“”").lower() for w in before.split()[-RELATIVE_WINDOW:]]
    return any(w in _RELATIVE_WORDS for w in words)


@rule("FC101", "person-name-conflict", Severity.ERROR, supersedable=False, one_per_name=True)
def person_name_conflict(cluster: FactCluster, ctx: RuleContext) -> Iterator[Finding]:
    """Sources name the same person (same fact or role) with different or misspelt names."""
    for a, b, sim in ctx.linked_pairs(cluster, {ClaimKind.PERSON, ClaimKind.ROLE}):
        pa, pb = _person(a), _person(b)
        if pa is None or pb is None:
            continue
        difference = name_difference(pa, pb)
        if difference is None or ctx.same_by_alias(pa, pb):
            continue  # an alias is declared in [tool.factcheck.name-aliases]: one person under two names
        part, relation = difference
        if part == "given" and _named_as_relative(ctx, a) != _named_as_relative(ctx, b):
            continue  # one side names a relative who shares the surname ("the first lady, Melania Trump")
        claims = [a, b]
        if part == "given" and pa.surname == pb.surname:
            claims += _variant_mentions(ctx, pa.surname, {fold(pa.given), fold(pb.given)})
        fact = a.key if a.kind is ClaimKind.ROLE else "the same fact"
        names = "given names" if part == "given" else "surnames"
        message = (
            f"{pa.full!r} ({ctx.source(a)}) and {pb.full!r} ({ctx.source(b)}) name the same person "
            f"({fact}) with different {names}"
        )
        how = ("differ in spelling (not an accent, romanisation or nickname)" if relation == "misspelt"
               else "differ (not a spelling variant or nickname)")
        shared = (f"same surname {pa.surname!r}" if part == "given" and pa.surname
                  else f"given name {pa.given!r}")
        logic = f"{shared}; {pa.full!r} vs {pb.full!r}: {names} {how}; keys linked at similarity {sim:.2f}"
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
            and _romanised(pa.surname) == _romanised(pb.surname))


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
        if is_gazetteer_place(va) != is_gazetteer_place(vb):
            continue  # a city against a name no gazetteer knows (a company, a building): other types
        message = f"{va!r} ({ctx.source(a)}) vs {vb!r} ({ctx.source(b)}) in the same statement: {a.key!r}"
        logic = f"place names differ in statements whose keys match at similarity {sim:.2f}"
        yield make_finding(ctx, "FC103", [a, b], message, cluster.id, sim, logic, values=[va, vb])


def place_spelling_variant_between(a: str, b: str) -> bool:
    """Check whether two place names are one name misspelt.

    Close in spelling, but not the same name with other accents or case, not one containing the other,
    not known aliases.
    """
    if _same_place(a, b) or _expanded(a) == _expanded(b):
        return False  # "Ft. Myers" / "Fort Myers": an abbreviation, not a misspelling
    return fuzz.ratio(fold(a), fold(b)) >= SPELLING_SIMILARITY


_PLACE_ABBREVIATIONS = {"ft": "fort", "st": "saint", "ste": "sainte", "mt": "mount", "pt": "point",
                        "pk": "park", "is": "island", "isl": "island"}


def _expanded(name: str) -> str:
    """A folded place name with its abbreviated words spelled out ("Ft. Myers" -> "fort myers")."""
    words = [w.rstrip(".") for w in fold(name).replace(".", ". ").split()]
    return " ".join(_PLACE_ABBREVIATIONS.get(w, w) for w in words)


@rule("FC104", "place-spelling-variant", Severity.WARNING, supersedable=False, one_per_name=True)
def place_spelling_variant(cluster: FactCluster, ctx: RuleContext) -> Iterator[Finding]:
    """Sources spell the name of the place of the same fact differently ("Parris Island" / "Paris Island")."""
    for a, b, sim in ctx.linked_pairs(cluster, {ClaimKind.PLACE}):
        va, vb = str(a.value), str(b.value)
        if not place_spelling_variant_between(va, vb):
            continue
        if _mentions(ctx, a, vb) or _mentions(ctx, b, va):
            continue  # a source that writes both spellings names two places (or quotes the other)
        message = f"{va!r} ({ctx.source(a)}) vs {vb!r} ({ctx.source(b)}): one place spelled two ways"
        logic = (f"place names differ only in spelling (rapidfuzz ratio >= {SPELLING_SIMILARITY:.0f}, not an "
                 f"accent, case or containment); keys linked at similarity {sim:.2f}")
        yield make_finding(ctx, "FC104", [a, b], message, cluster.id, sim, logic, values=[va, vb])
