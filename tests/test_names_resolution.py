"""Names (issue #11 part 3): nicknames, in-document resolution, relatives and staff, former holders."""

from __future__ import annotations

import pytest

from factcheck.extract import extract_document
from factcheck.extract.names import find_names
from factcheck.extract.nicknames import nickname_related
from factcheck.extract.roles import canonical_role, is_former
from factcheck.extract.text import tokens
from factcheck.read.segment import segment
from factcheck.records import Claim, ClaimKind, Document, PersonName
from factcheck.rules.names import given_relation, name_difference
from factcheck.rules.roles import is_single_holder


def people(text: str) -> list[Claim]:
    doc = Document("a.txt", text, "x")
    return [c for c in extract_document(0, doc, segment(doc, 0)) if c.kind is ClaimKind.PERSON]


def name(full: str) -> PersonName:
    words = full.split()
    return PersonName(full, " ".join(words[:-1]), words[-1].lower())


@pytest.mark.parametrize(("a", "b"), [("jim", "james"), ("zack", "zachary"), ("bill", "william"),
                                      ("dick", "richard"), ("liz", "elizabeth")])
def test_nicknames_are_related(a: str, b: str) -> None:
    assert nickname_related(a, b) and nickname_related(b, a)


def test_unrelated_names_are_not() -> None:
    assert not nickname_related("alexander", "alexandra")
    assert not nickname_related("loretta", "linda")


@pytest.mark.parametrize(("a", "b", "relation"), [
    ("Jim", "James", "same"),
    ("Bill", "William", "same"),
    ("J. Christopher", "Chris", "same"),
    ("Donald John", "Donald J.", "same"),
    ("Shinjirou", "Shinjiro", "variant"),
    ("Stacy", "Stacey", "misspelt"),
    ("Vincente", "Vicente", "misspelt"),
    ("Loretta", "Linda T.", "different"),
    ("Sharon Boone", "Cheryl Boone", "different"),
])
def test_given_relation(a: str, b: str, relation: str) -> None:
    assert given_relation(a, b) == relation


def test_name_difference() -> None:
    assert name_difference(name("Akio Akazawa"), name("Ryosei Akazawa")) == ("given", "different")
    assert name_difference(name("Jim Lanford"), name("James Lanford")) is None
    assert name_difference(name("Mark Lanford"), name("Mark Lansford")) == ("surname", "misspelt")
    assert name_difference(name("Mark Lanford"), name("Mark Brandt")) is None  # other people
    stacy, stacey = PersonName("Stacy", "Stacy", ""), PersonName("Stacey", "Stacey", "")
    assert name_difference(stacy, stacey) == ("given", "misspelt")
    assert name_difference(stacy, PersonName("Mary", "Mary", "")) is None


def test_surname_and_given_name_mentions_resolve_inside_the_document() -> None:
    found = people("Senator Hillary Clinton came to town. Clinton spoke first. Then Hillary said no.")
    assert {c.value.full for c in found if isinstance(c.value, PersonName)} == {"Hillary Clinton"}


def test_a_misspelt_lone_surname_keeps_its_spelling_with_the_known_given_name() -> None:
    found = people("Mayor John Smith spoke on Monday. Smyth said the plan works.")
    assert [c.value for c in found][-1] == PersonName("John Smyth", "John", "smyth")


def test_an_ambiguous_lone_surname_stays_unresolved() -> None:
    found = people("Donald Trump and Ivanka Trump arrived. Trump said the deal was done.")
    assert [c.value.full for c in found if isinstance(c.value, PersonName)][-1] == "Trump"


def test_a_relative_named_by_given_name_is_a_person() -> None:
    found = people("The farmer and his wife, Stacey, sold the orchard.")
    assert [(c.value, c.role) for c in found] == [(PersonName("Stacey", "Stacey", ""), "wife")]


def test_relatives_do_not_inherit_their_principals_title() -> None:
    sentence = "Anna Vogt, daughter of the mayor, opened the bridge."
    assert [m.role for m in find_names(sentence, tokens(sentence))] == [None]
    sentence = "The mayor's daughter Anna Vogt opened the bridge."
    assert [m.role for m in find_names(sentence, tokens(sentence))] == [None]


def test_a_title_inside_a_capitalised_run_is_split_off() -> None:
    sentence = "Harbor City Mayor Karl Brandt opened the bridge."
    (mention,) = [m for m in find_names(sentence, tokens(sentence)) if m.person]
    assert mention.text == "Karl Brandt" and mention.role is not None and mention.role.role.endswith("mayor")


def test_a_headline_run_is_not_split_at_a_title() -> None:
    sentence = "Israel Prime Minister Bibi Netanyahu Used In Attack Ad"
    assert not any(m.role for m in find_names(sentence, tokens(sentence)))


def test_a_title_case_headline_run_resolves_no_short_mention() -> None:
    headline = "Alice Mertens Praises Kowalski on Budget\n\n"
    found = people(headline + "Alice Mertens on Monday praised Governor Kowalski. Kowalski thanked her.")
    fulls = {c.value.full for c in found if isinstance(c.value, PersonName)}
    assert "Alice Mertens Praises Kowalski" not in fulls and "Kowalski" in fulls
    found = people(headline + "Governor Piotr Kowalski spoke on Monday. Kowalski thanked Mertens.")
    assert "Piotr Kowalski" in [c.value.full for c in found if isinstance(c.value, PersonName)][1:]


@pytest.mark.parametrize(("text", "role"), [
    ("Former Secretary of State", "former state secretary"),
    ("ex-President", "former president"),
    ("then-Governor", "former governor"),
    ("Secretary of State", "state secretary"),
])
def test_former_holders(text: str, role: str) -> None:
    assert canonical_role(text)[0] == role
    assert is_former(role) == role.startswith("former")


def test_a_past_holder_is_no_single_holder() -> None:
    assert is_single_holder("state secretary") and not is_single_holder("former state secretary")


def test_a_word_before_the_title_makes_the_holder_former() -> None:
    sentence = "The president fired Secretary of State Rex Tillerson earlier this year."
    (mention,) = [m for m in find_names(sentence, tokens(sentence)) if m.person]
    assert mention.role is not None and mention.role.role == "former state secretary"
    claims = people(sentence)
    assert {c.role for c in claims} == {"former state secretary"}


@pytest.mark.parametrize(("text", "role", "scope"), [
    ("senior adviser to the president", "senior adviser", "president"),
    ("an aide to the mayor", "aide", "mayor"),
    ("the president's chief of staff", "staff chief", "president"),
])
def test_staff_hold_their_own_role_not_their_principals(text: str, role: str, scope: str) -> None:
    assert canonical_role(text) == (role, scope)
    assert not is_single_holder(role)


def test_a_lone_surname_is_not_resolved_to_a_relative_introduced_as_such() -> None:
    found = people("The first lady, Melania Trump, spoke on Monday. President Trump said no.")
    assert [c.value.full for c in found if isinstance(c.value, PersonName)] == ["Melania Trump", "Trump"]


def test_a_title_before_the_last_word_of_a_run_splits_it_too() -> None:
    sentence = "Bernie Sanders Meets President Obama"
    (mention,) = [m for m in find_names(sentence, tokens(sentence)) if m.person]
    assert mention.text == "Obama" and mention.role is not None
    sentence = "UN Secretary General Antonio Guterres spoke."
    (mention,) = [m for m in find_names(sentence, tokens(sentence)) if m.person]
    assert mention.text == "Antonio Guterres"


def test_a_title_case_verb_is_no_given_name() -> None:
    sentence = "The senator Criticized Trump on Monday, and Siegfried Lenz agreed."
    names = [m.text for m in find_names(sentence, tokens(sentence)) if m.person]
    assert "Criticized Trump" not in names and "Siegfried Lenz" in names
