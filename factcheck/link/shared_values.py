"""Link names in sentences that state the same other values: the same statement, one name differing.

Two outlets that report the same statement usually repeat its other values word for word - the same
full names, numbers and dates - and differ only in the wording around them, which is why their word
windows may not link.  "Rep. Loretta Sanchez won ..., defeating fellow California congresswoman Barbara
Lee" and "Representative Linda T. Sánchez of California defeated ... Representative Barbara Lee" share
"Barbara Lee"; "he had misspoken at a 2008 event in Norfolk in which he said he had served in Vietnam"
and "I served in Vietnam," he said to the group gathered in Norwalk in March 2008" share "Vietnam" and
2008.  Once the shared values are set aside, a name left over on each side is the one the sentences
disagree on, and the name rules (FC101, FC103, FC104) judge the pair like any other linked pair.

A value stated in many sentences of the corpus ("Donald Trump" in every paragraph, "Vietnam" in a story
about a Vietnam record) says little about which statement a sentence makes: such a topic value only
adds to a distinctive one (a full name, a year or a number stated in a few sentences).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Hashable, Mapping, Sequence

import numpy as np
from rapidfuzz import fuzz

from factcheck.extract.names import fold
from factcheck.extract.places import is_gazetteer_place
from factcheck.extract.roles import roles_match
from factcheck.link.descriptors import claim_descriptor, contrasting
from factcheck.records import Claim, ClaimKind, DateValue, PersonName, Quantity
from factcheck.records import Sentence as SentenceRecord

MAX_SENTENCES_PER_VALUE = 12  # a value stated in more sentences than this is not distinctive ...
MAX_SENTENCES_PER_TOPIC = 60  # ... but still counts towards the shared values, up to this many sentences
PLACE_SHARED = 2  # shared values two sentences need before their left-over places are compared
CLOSE_SURNAME = 80.0  # rapidfuzz ratio of a surname and its slip ("Lanford" / "Lansford"), as FC101 judges it
CLOSE_SPELLING = 85.0  # rapidfuzz ratio of two spellings of one name (as FC102 and FC103 judge them)

Sentence = tuple[int, int]  # (document, sentence)


def _anchor(claim: Claim) -> tuple[Hashable, str] | None:
    """Return a claim's value as a comparable anchor, with its sort: "name", "time" or "other"."""
    value = claim.value
    if claim.kind in (ClaimKind.PERSON, ClaimKind.ROLE) and isinstance(value, PersonName):
        if len(value.full.split()) >= 2 and value.given:
            words = fold(value.full).replace(".", " ").split()  # "Roy S. Moore" is "Roy Moore"
            return ("person", " ".join(w for w in words if len(w) > 1)), "name"
        return None
    if claim.kind is ClaimKind.QUANTITY and isinstance(value, Quantity):
        return ("quantity", value.value, value.high, value.unit), "time"
    if claim.kind is ClaimKind.DATE and isinstance(value, DateValue):
        if value.year is None or value.relative:
            return None  # "Tuesday", "last week": said of many events of one news day
        return ("year", value.year), "time"  # "March 2008" and "a 2008 event" share the year
    if claim.kind is ClaimKind.PLACE and isinstance(value, str):
        return ("place", fold(value)), "other"
    return None


def shared_value_pairs(
    claims: Sequence[Claim],
    vectors: np.ndarray,
    sentences: Mapping[tuple[int, int], SentenceRecord],
    texts: Sequence[str],
    focus_docs: Collection[int] | None = None,
) -> list[tuple[int, int, float]]:
    """Edges (claim id, claim id, key similarity) between names left over in sentences sharing values.

    A pair of place claims is made when their sentences (in different documents) share at least
    `PLACE_SHARED` distinctive values and each place is one the other sentence does not state; a pair of
    person claims when the people share a surname under different given names, or a given name under
    surnames one slip apart (and no two different roles), and the sentences share a distinctive full name.
    `vectors` are the claims' key vectors (row order), for the similarity the rules report; `texts` the
    documents' texts.
    """
    by_sentence: dict[Sentence, list[int]] = defaultdict(list)
    anchors: dict[Sentence, dict[Hashable, str]] = defaultdict(dict)
    holders: dict[Hashable, set[Sentence]] = defaultdict(set)
    anchor_of = [_anchor(claim) for claim in claims]
    for row, claim in enumerate(claims):
        where = (claim.doc_index, claim.sentence_index)
        by_sentence[where].append(row)
        anchor = anchor_of[row]
        if anchor is not None:
            anchors[where][anchor[0]] = anchor[1]
            holders[anchor[0]].add(where)
    # sentence pairs (different documents) that share a distinctive value, then every value they share
    candidates: set[tuple[Sentence, Sentence]] = set()
    for stated_in in holders.values():
        if 2 <= len(stated_in) <= MAX_SENTENCES_PER_VALUE:
            ordered = sorted(stated_in)
            candidates.update((first, second) for k, first in enumerate(ordered)
                              for second in ordered[k + 1 :] if first[0] != second[0])
    shared: dict[tuple[Sentence, Sentence], list[str]] = {}
    for first, second in candidates:
        own_first, own_second = anchors[first], anchors[second]
        shared[(first, second)] = [
            sort if len(holders[value]) <= MAX_SENTENCES_PER_VALUE else "topic"
            for value, sort in own_first.items()
            if value in own_second and len(holders[value]) <= MAX_SENTENCES_PER_TOPIC
        ]
    out: list[tuple[int, int, float]] = []
    for (first, second), strengths in sorted(shared.items()):
        if focus_docs is not None and first[0] not in focus_docs and second[0] not in focus_docs:
            continue
        kinds = _kinds_for(strengths)
        if not kinds:
            continue  # most sentence pairs share one topic value and nothing else
        own_first, own_second = anchors[first], anchors[second]
        text_first, text_second = fold(sentences[first].text), fold(sentences[second].text)
        for i in by_sentence[first]:
            a = claims[i]
            if a.kind not in kinds:
                continue
            key_a = anchor_of[i]
            if key_a is None or key_a[0] in own_second or _said_in(a, text_second):
                continue
            for j in by_sentence[second]:
                b = claims[j]
                if b.kind not in kinds:
                    continue
                key_b = anchor_of[j]
                if key_b is None or key_b[0] in own_first or _said_in(b, text_first):
                    continue
                if not _comparable(a, b, strengths, texts):
                    continue
                if a.kind in _PEOPLE and contrasting(claim_descriptor(a, sentences[first]),
                                                     claim_descriptor(b, sentences[second])):
                    continue  # "older brother, Tom" / "younger brother, Sam": two people
                out.append((a.id, b.id, max(float(vectors[i] @ vectors[j]), 0.0)))
    return out


_PEOPLE = frozenset({ClaimKind.PERSON, ClaimKind.ROLE})
_PLACES = frozenset({ClaimKind.PLACE})


def _kinds_for(strengths: list[str]) -> frozenset[ClaimKind]:
    """Return the claim kinds two sentences sharing these values may link (see `_comparable`)."""
    kinds: frozenset[ClaimKind] = frozenset()
    if len(strengths) >= PLACE_SHARED and "time" in strengths:
        kinds |= _PLACES
    if "name" in strengths:
        kinds |= _PEOPLE
    return kinds


def _said_in(claim: Claim, folded_sentence: str) -> bool:
    """Whether the other sentence says this claim's name too (as part of another name, or unextracted)."""
    name = fold(claim.value_text)
    return bool(name) and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", folded_sentence) is not None


def _comparable(a: Claim, b: Claim, strengths: list[str], texts: Sequence[str]) -> bool:
    """Whether two left-over claims name the same slot: two places, or one surname's two people.

    Places: the sentences share a time or a number as well (one event happens at one time), and the two
    names are both known places or close spellings of one name (a company against a town is another slot).
    People: the same surname under different given names, and neither document names the other's person
    anywhere (a document that names both Barack and Michelle Obama distinguishes them).
    """
    if a.kind is ClaimKind.PLACE and b.kind is ClaimKind.PLACE:
        if len(strengths) < PLACE_SHARED or "time" not in strengths:  # a distinctive time or number
            return False
        va, vb = fold(str(a.value)), fold(str(b.value))
        return (is_gazetteer_place(va) and is_gazetteer_place(vb)) or fuzz.ratio(va, vb) >= CLOSE_SPELLING
    pa, pb = a.value, b.value
    if not (isinstance(pa, PersonName) and isinstance(pb, PersonName)):
        return False
    if a.kind not in (ClaimKind.PERSON, ClaimKind.ROLE) or b.kind not in (ClaimKind.PERSON, ClaimKind.ROLE):
        return False
    if not (pa.given and pb.given and pa.surname and pb.surname):
        return False
    sa, sb, ga, gb = fold(pa.surname), fold(pb.surname), fold(pa.given), fold(pb.given)
    if sa == sb:
        if ga == gb:
            return False
        if not texts or _names(texts[a.doc_index], pb) or _names(texts[b.doc_index], pa):
            return False  # a document that uses the other's given name tells the two apart
    elif not (ga == gb and sa[:1] == sb[:1] and fuzz.ratio(sa, sb) >= CLOSE_SURNAME):
        return False  # other surnames: the same person only if one slip apart ("Lanford" / "Lansford")
    elif not texts or _mentions_surname(texts[a.doc_index], sb) or _mentions_surname(texts[b.doc_index], sa):
        return False  # a document that writes both surnames names two people
    if a.role and b.role and not roles_match(a.role, b.role):
        return False  # "Trade Minister Koichi Ishiba" and "Prime Minister Shigeru Ishiba": two people
    return "name" in strengths  # a distinctive full name both sentences state ("... defeated Barbara Lee")


def _mentions_surname(text: str, surname: str) -> bool:
    """Whether a document writes this (folded) surname as a word."""
    return re.search(rf"(?<!\w){re.escape(surname)}(?!\w)", fold(text)) is not None


def _names(text: str, person: PersonName) -> bool:
    """Whether a document names this person by the given name anywhere, accents and case aside.

    "Barack and Michelle Obama" names Barack Obama without writing "Barack Obama".
    """
    given = fold(person.given).split()
    if not given:
        return False
    return re.search(rf"(?<!\w){re.escape(given[0])}(?!\w)", fold(text)) is not None
