"""Sibling-order statements (factcheck/extract/kinship.py): who is whose sibling, and who is the elder."""

from __future__ import annotations

import pytest

from factcheck.extract.kinship import PersonRef, same_person, sibling_orders


def _read(sentence: str) -> list[tuple[str | None, str, bool]]:
    return [(o.holder.text if o.holder else None, o.anchor.text, o.holder_elder)
            for o in sibling_orders(sentence)]


def test_apposition_before_with_of_anchor() -> None:
    assert _read("Nora Whitfield, the younger sister of Clara Whitfield, spoke on Friday.") == [
        ("Nora Whitfield", "Clara Whitfield", False)]


def test_of_anchor_skips_title_words() -> None:
    assert _read("Nora Whitfield, the younger sister of gallery owner Clara Whitfield (R), spoke.") == [
        ("Nora Whitfield", "Clara Whitfield", False)]


def test_possessive_anchor_and_following_holder() -> None:
    assert _read("Clara Whitfield's older brother, Tom Whitfield, drove the car.") == [
        ("Tom Whitfield", "Clara Whitfield", True)]


def test_pronoun_anchor_is_the_first_person_named() -> None:
    assert _read("Nora Whitfield took to the radio to criticise her big sister, Clara, on Monday.") == [
        ("Clara", "Nora Whitfield", True)]


def test_unnamed_holder_headline() -> None:
    assert _read("Clara Whitfield praised by older sister at gallery opening") == [
        (None, "Clara Whitfield", True)]


def test_stays_quiet_without_whose_sibling() -> None:
    assert _read("The older sister spoke first, then the younger brother.") == []
    assert _read("His older brother, Tom Whitfield, drove the car.") == []  # no antecedent in the sentence


def test_stays_quiet_on_title_case_and_other_nouns() -> None:
    assert _read("Nora Whitfield Criticizes Older Sister") == []
    assert _read("Nora Whitfield, the younger daughter of Clara Whitfield, spoke.") == []


def test_same_person_by_nickname_and_given_name() -> None:
    liz = PersonRef("Liz Cheney", "Liz", "cheney")
    assert same_person(liz, PersonRef("Elizabeth Cheney", "Elizabeth", "cheney"))
    assert same_person(liz, PersonRef("Elizabeth", "Elizabeth", ""))
    assert not same_person(liz, PersonRef("Mary Cheney", "Mary", "cheney"))
    assert not same_person(liz, PersonRef("Liz Baker", "Liz", "baker"))


def test_the_noun_pre_screen_finds_exactly_what_the_pattern_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    from conftest import FIXTURES, SEEDS

    from factcheck.extract import kinship

    files = [p for folder in (SEEDS, FIXTURES) for p in sorted(folder.rglob("*.txt"))]
    lines = [line for p in files for line in re.split(r"(?<=[.!?])\s+|\n", p.read_text(encoding="utf-8"))
             if line.strip()]
    lines += ["Nora Whitfield, the younger sister of Clara Whitfield, spoke on Friday.",
              "Clara Whitfield's older brother, Tom Whitfield, drove the car.", "Her Older Sister left.",
              "Tom Whitfield, the elder sibling of Clara Whitfield, spoke.", "The big sisters met Ana."]

    def found() -> list[list[kinship.SiblingOrder]]:
        return [sibling_orders(line) for line in lines]

    screened = found()
    assert sum(1 for orders in screened if orders) >= 3
    assert sum(not any(noun in line for noun in kinship._KIN_NOUNS) for line in lines) > len(lines) // 2
    monkeypatch.setattr(kinship, "_KIN_NOUNS", ("",))  # every sentence passes the substring tests
    assert found() == screened
