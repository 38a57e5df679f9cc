"""Role phrases around names: contrasting modifiers of one noun name two people (link/descriptors.py)."""

from __future__ import annotations

import pytest

from factcheck.link.descriptors import Descriptor, contrasting, descriptor


def _of(sentence: str, name: str) -> Descriptor | None:
    start = sentence.index(name)
    return descriptor(sentence, start, start + len(name))


@pytest.mark.parametrize(("sentence", "name", "expected"), [
    ("Clara Whitfield's older brother, Tom Whitfield, drove.", "Tom Whitfield", ("age", "elder", "brother")),
    ("Her youngest daughter Mia Holt spoke.", "Mia Holt", ("age", "younger", "daughter")),
    ("Tom Whitfield, Clara's younger brother, drove.", "Tom Whitfield", ("age", "younger", "brother")),
    ("Ines Marlow, his first wife, died in 2009.", "Ines Marlow", ("order", "1", "wife")),
    ("The 2nd wife Rosa Marlow typed it.", "Rosa Marlow", ("order", "2", "wife")),
    ("The club's former coach, Peter Halvorsen, spoke.", "Peter Halvorsen", ("tenure", "former", "coach")),
])
def test_descriptor_reads_the_role_phrase(sentence: str, name: str, expected: tuple[str, str, str]) -> None:
    assert _of(sentence, name) == Descriptor(*expected)


@pytest.mark.parametrize(("sentence", "name"), [
    ("Her brother, Tom Whitfield, drove.", "Tom Whitfield"),  # no distinguishing modifier
    ("Former Gov. Sarah Palin spoke.", "Sarah Palin"),  # a title of the name itself, not a role phrase
    ("The older residents met Tom Whitfield on Friday.", "Tom Whitfield"),  # not next to the name
    ("Tom Whitfield drove the family.", "Tom Whitfield"),
])
def test_descriptor_is_none_without_a_role_phrase(sentence: str, name: str) -> None:
    assert _of(sentence, name) is None


def test_contrasting_modifiers_of_one_noun_are_two_slots() -> None:
    older, younger = Descriptor("age", "elder", "brother"), Descriptor("age", "younger", "brother")
    assert contrasting(older, younger)
    assert contrasting(Descriptor("order", "1", "wife"), Descriptor("order", "2", "wife"))
    assert contrasting(Descriptor("tenure", "former", "coach"), Descriptor("tenure", "current", "coach"))


def test_same_or_missing_or_other_noun_is_not_a_contrast() -> None:
    older = Descriptor("age", "elder", "brother")
    assert not contrasting(older, Descriptor("age", "elder", "brother"))  # "older" / "eldest": one slot
    assert not contrasting(older, None)  # "his brother, Sam": could be either
    assert not contrasting(older, Descriptor("age", "younger", "sister"))  # another noun: other rules judge
    assert not contrasting(older, Descriptor("order", "2", "brother"))  # other sorts: no contrast
