"""The per-document value index answers exactly what the reference regular-expression search does."""

from __future__ import annotations

import itertools

import pytest

from factcheck.link import gates
from factcheck.link.gates import ValueIndex, exclusive_values
from factcheck.records import Claim, ClaimKind

DOCUMENTS = [
    "The fund paid $35,000 to 12 families in Lyon on 3 May. About 1.5 million people live there.",
    "A reward of 35,000.5 was offered; 12.5% voted. Officials in Lyon-Est met on 3 Mayday.",
    "Police said 1,200 officers (12 units) patrolled Paris, not Lyon. The 2019 figure was €60,000.",
    "x12 and 3.12, then ,12 and 12x; finally 12. Paris",
    "Café12, ²12 and Ⅻ12 in Düsseldorf-Lyon",
    "naïve_Lyon and x_Paris",
    "",
]

VALUES = ["$35,000", "35,000", "12", "Lyon", "3 May", "1.5 million", "about 1,200", "Paris", "€60,000",
          "(12 units)", "2019", "12.5%", "Lyon-Est", "-12", "Mayday", "million people", "around 12"]


def _claim(cid: int, doc: int, value: str) -> Claim:
    return Claim(cid, ClaimKind.PLACE, doc, 0, "key", value, 0, len(value), value)


@pytest.mark.parametrize("index_after", [0, 10_000])  # word-run index at once / text scans only
def test_value_index_matches_the_regular_expression_definition_on_every_pair(
        monkeypatch: pytest.MonkeyPatch, index_after: int) -> None:
    monkeypatch.setattr(gates, "INDEX_AFTER", index_after)
    claims = [_claim(n, doc, value) for n, (doc, value) in
              enumerate(itertools.product(range(len(DOCUMENTS)), VALUES))]
    index = ValueIndex(DOCUMENTS)
    outcomes = set()
    for a, b in itertools.combinations(claims, 2):
        expected = exclusive_values(a, b, DOCUMENTS)
        assert index.exclusive(a, b) == expected, (a.value_text, a.doc_index, b.value_text, b.doc_index)
        assert index.exclusive(a, b) == expected  # memoised answers stay the same
        outcomes.add(expected)
    assert outcomes == {True, False}


def test_value_index_respects_number_boundaries() -> None:
    index = ValueIndex(DOCUMENTS)
    assert index.states("12", 0)  # "12 families"
    assert not index.states("12", 1)  # only "12.5%" there
    assert not index.states("35,000", 1)  # "35,000.5" is another number
    assert index.states("12", 3)  # the last "12." ends a sentence
    assert index.states("Lyon", 2)  # "not Lyon." ends a sentence
    assert not index.states("May", 1)  # "Mayday" is another word
