"""The link gates (factcheck.link.gates): which cross-document claim pairs are the same fact.

Each test builds a few claims by hand and hands `link_claims` their first-stage key vectors directly
(two-dimensional unit vectors at a chosen cosine), so every gate is tested at a known similarity.
"""

from __future__ import annotations

import math

import numpy as np
from conftest import FakeEmbedder

from factcheck.config import Config, Thresholds
from factcheck.link.gates import (
    _screen,
    could_conflict,
    exclusive_values,
    link_claims,
    match_group,
    proper_anchors,
    value_core,
)
from factcheck.records import Claim, ClaimKind, ClaimValue, PersonName, Quantity, Sentence

CONFIG = Config(use_cache=False)
TH = Thresholds()


def claim(
    cid: int, doc: int, kind: ClaimKind, key: str, value_text: str, value: ClaimValue, role: str = ""
) -> Claim:
    return Claim(id=cid, kind=kind, doc_index=doc, sentence_index=0, key=key, value_text=value_text,
                 value_start=0, value_end=len(value_text), value=value, role=role)


def sentences(*texts: str) -> dict[tuple[int, int], Sentence]:
    return {(doc, 0): Sentence(doc, 0, 0, len(text), 1, 1, text) for doc, text in enumerate(texts)}


def at_cosine(similarity: float) -> np.ndarray:
    """Two unit vectors whose inner product is `similarity`."""
    angle = math.acos(similarity)
    return np.asarray([[1.0, 0.0], [math.cos(angle), math.sin(angle)]], dtype=np.float32)


def linked(claims: list[Claim], texts: tuple[str, ...], similarity: float, **kwargs: object) -> bool:
    pairs = link_claims(claims, sentences(*texts), FakeEmbedder(), None, CONFIG, list(texts),
                        vectors=at_cosine(similarity), **kwargs)  # type: ignore[arg-type]
    return bool(pairs)


CARS = "the United States will impose a tariff on cars"
TARIFFS = ("The United States will impose a 25% tariff on cars.",
           "The United States will impose a 20% tariff on cars.")


def tariff(cid: int, doc: int, percent: float, key: str = CARS) -> Claim:
    return claim(cid, doc, ClaimKind.QUANTITY, key, f"{percent:g}%", Quantity(percent, "%", thing="tariff"))


# --------------------------------------------------------------------------- small helpers


def test_match_group_separates_kinds_and_units() -> None:
    assert match_group(tariff(0, 0, 25)) == "quantity:%"
    dollars = claim(1, 0, ClaimKind.QUANTITY, "a reward", "$5", Quantity(5, "USD"))
    assert match_group(dollars) == "quantity:USD"
    akio = PersonName("Akio Akazawa", "Akio", "akazawa")
    person = claim(2, 0, ClaimKind.PERSON, "negotiator", "Akio Akazawa", akio)
    assert match_group(person) == "person"


def test_could_conflict_compares_values_not_spelling_case() -> None:
    a = claim(0, 0, ClaimKind.PLACE, "talks in", "Paris", "Paris")
    assert not could_conflict(a, claim(1, 1, ClaimKind.PLACE, "talks in", "paris", "paris"))
    assert could_conflict(a, claim(1, 1, ClaimKind.PLACE, "talks in", "Havana", "Havana"))
    assert could_conflict(tariff(0, 0, 25), tariff(1, 1, 20))


def test_value_core_drops_approximation_words() -> None:
    c = claim(0, 0, ClaimKind.QUANTITY, "a reward", "around €60,000", Quantity(60000, "EUR", approx="about"))
    assert value_core(c) == "€60,000"


def test_exclusive_values_needs_neither_document_to_state_the_other_value() -> None:
    a = claim(0, 0, ClaimKind.PLACE, "met in", "Paris", "Paris")
    b = claim(1, 1, ClaimKind.PLACE, "met in", "Havana", "Havana")
    assert exclusive_values(a, b, ["They met in Paris.", "They met in Havana."])
    assert not exclusive_values(a, b, ["They met in Paris.", "They met in Havana, then flew to Paris."])


def test_proper_anchors_are_capitalised_words_other_than_the_value() -> None:
    sentence = "Japan's negotiator Akio Akazawa met Scott Bessent in Washington."
    anchors = proper_anchors(sentence, "Akio Akazawa")
    assert {"japan", "bessent", "washington"} <= anchors
    assert "akazawa" not in anchors


def test_screen_needs_matching_roles_or_enough_shared_words() -> None:
    ishiba = claim(0, 0, ClaimKind.ROLE, "trade minister", "Koichi Ishiba",
                   PersonName("Koichi Ishiba", "Koichi", "ishiba"), role="trade minister")
    muto = claim(1, 1, ClaimKind.ROLE, "trade minister", "Yoji Muto", PersonName("Yoji Muto", "Yoji", "muto"),
                 role="trade minister")
    finance = claim(2, 1, ClaimKind.ROLE, "finance minister", "Yoji Muto",
                    PersonName("Yoji Muto", "Yoji", "muto"), role="finance minister")
    assert _screen(ishiba, muto, 0.0, TH)
    assert not _screen(ishiba, finance, 1.0, TH)
    assert _screen(tariff(0, 0, 25), tariff(1, 1, 20), 1.0, TH)
    assert not _screen(tariff(0, 0, 25), tariff(1, 1, 20), 0.0, TH)


# --------------------------------------------------------------------------- link_claims, gate by gate


def test_same_key_words_link_at_a_high_similarity_and_not_at_a_low_one() -> None:
    pair = [tariff(0, 0, 25), tariff(1, 1, 20)]
    assert linked(pair, TARIFFS, 0.95)
    assert not linked(pair, TARIFFS, 0.40)  # below the first-stage candidate threshold


def test_claims_of_one_document_never_link() -> None:
    texts = ("The United States will impose a 25% tariff on cars, or a 20% tariff on cars.",)
    pair = [tariff(0, 0, 25), tariff(1, 0, 20)]
    assert not linked(pair, texts, 0.99)


def test_different_key_wording_does_not_link_even_when_similar() -> None:
    texts = ("Exports rose 25% last year.", "The harbour fee rose 20% at the northern pier.")
    a = tariff(0, 0, 25, key="exports rose last year")
    b = tariff(1, 1, 20, key="the harbour fee rose at the northern pier")
    assert not linked([a, b], texts, 0.95)


def test_same_canonical_role_links_whatever_the_similarity() -> None:
    texts = ("Trade Minister Koichi Ishiba spoke.", "Trade Minister Yoji Muto spoke.")
    ishiba = claim(0, 0, ClaimKind.ROLE, "trade minister", "Koichi Ishiba",
                   PersonName("Koichi Ishiba", "Koichi", "ishiba"), role="trade minister")
    muto = claim(1, 1, ClaimKind.ROLE, "trade minister", "Yoji Muto", PersonName("Yoji Muto", "Yoji", "muto"),
                 role="trade minister")
    assert linked([ishiba, muto], texts, 0.55)


def test_statements_need_near_identical_clauses() -> None:
    texts = ("The senator supported the bill on Friday.", "The senator did not support the bill.")
    bill = "the senator supported the bill"
    affirmed = claim(0, 0, ClaimKind.POLARITY, f"{bill} on friday", "supported", False)
    negated = claim(1, 1, ClaimKind.POLARITY, bill, "did not support", True)
    assert linked([affirmed, negated], texts, 0.95)
    assert not linked([affirmed, negated], texts, 0.80)  # a candidate, but below the statement threshold
    also_affirmed = claim(1, 1, ClaimKind.POLARITY, bill, "", False)
    assert not linked([affirmed, also_affirmed], texts, 0.95)  # only a negated clause searches for its twin


def test_same_wording_about_different_actors_does_not_link() -> None:
    texts = ("The Nationals offered 12 million dollars.", "The Red Sox offered 15 million dollars.")
    a = claim(0, 0, ClaimKind.QUANTITY, "the Nationals offered", "12 million dollars", Quantity(12e6, "USD"))
    b = claim(1, 1, ClaimKind.QUANTITY, "the Red Sox offered", "15 million dollars", Quantity(15e6, "USD"))
    assert not linked([a, b], texts, 0.95)


def test_focus_documents_limit_the_pairs_to_those_documents() -> None:
    pair = [tariff(0, 0, 25), tariff(1, 1, 20)]
    assert linked(pair, TARIFFS, 0.95, focus_docs={1})
    assert not linked(pair, TARIFFS, 0.95, focus_docs={5})


def test_cited_figures_pair_with_the_named_reporter_only() -> None:
    from dataclasses import replace

    from factcheck.config import Thresholds
    from factcheck.link.candidates import candidate_pairs
    from factcheck.records import Frame

    def money(cid: int, doc: int, amount: float, frame: Frame) -> Claim:
        made = claim(cid, doc, ClaimKind.QUANTITY, f"key {cid}", f"${amount:g}", Quantity(amount, "USD"))
        return replace(made, frame=frame)

    cited = money(0, 0, 184, Frame(attribution=("mike", "lynch"), cited=True))
    reported = money(1, 1, 368, Frame(head="deal", attribution=("lynch",)))
    by_police = money(2, 1, 90, Frame(head="haul", attribution=("police",)))
    cited_by_police = money(3, 2, 50, Frame(attribution=("police",), cited=True))
    claims = [cited, reported, by_police, cited_by_police]
    vectors = np.eye(4, dtype=np.float32)  # keys far apart: only the reporter can pair them
    low, high, _ = candidate_pairs(claims, vectors, FakeEmbedder(), Thresholds())
    assert set(zip(low.tolist(), high.tolist(), strict=True)) == {(0, 1)}  # "police" names no one
