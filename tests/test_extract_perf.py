"""The extraction fast paths give the same answers as the plain regexes they short-cut."""

from __future__ import annotations

import itertools
import re

import pytest

from factcheck.extract.polarity import ANTONYM_RE, antonym_words
from factcheck.extract.text import (
    HEDGE_ANCHORS,
    HEDGE_RE,
    STOPWORDS,
    UPDATE_ANCHORS,
    UPDATE_RE,
    content_words,
    may_contain,
    tokens,
)


def _alternatives(pattern: str) -> list[str]:
    r"""Expand a `\b(?:a|b (?:c|d)|es?)\b` word list into every phrase it matches."""
    body = pattern.removeprefix(r"\b(?:").removesuffix(r")\b")
    top: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(body):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "|" and depth == 0:
            top.append(body[start:i])
            start = i + 1
    top.append(body[start:])
    phrases: list[str] = []
    for alternative in top:
        pieces: list[list[str]] = []
        for group, options, optional, char, char_optional in re.findall(
            r"(\(\?:([^)]*)\)(\??))|(\w|\s)(\??)", alternative
        ):
            if group:
                choices = options.split("|")
                pieces.append([*choices, ""] if optional else choices)
            else:
                pieces.append([char, ""] if char_optional else [char])
        phrases.extend("".join(p) for p in itertools.product(*pieces))
    return phrases


@pytest.mark.parametrize(("regex", "anchors"), [(HEDGE_RE, HEDGE_ANCHORS), (UPDATE_RE, UPDATE_ANCHORS)])
def test_every_wording_passes_the_anchor_filter(regex: re.Pattern[str], anchors: tuple[str, ...]) -> None:
    phrases = _alternatives(regex.pattern)
    assert len(phrases) > 20
    for phrase in phrases:
        assert regex.fullmatch(phrase), phrase  # the expansion itself is right
        for text in (phrase, phrase.upper(), f"xx {phrase.title()} yy"):
            assert may_contain(text, anchors), text


def test_anchor_filter_rejects_plain_text_and_keeps_non_ascii() -> None:
    assert not may_contain("Police said the bridge was closed to traffic.", HEDGE_ANCHORS)
    assert may_contain("Police said the bridge miGHT close.", HEDGE_ANCHORS)
    assert may_contain("Zürich police said nothing.", HEDGE_ANCHORS)  # non-ASCII: always searched


@pytest.mark.parametrize("sentence", [
    "Prices rose sharply before the vote, then fell after it; turnout was higher.",
    "The court CONVICTED him, but the appeal acquitted; risen_to and rose2 are not words.",
    "Ströme rose — and the Kelvin \u212aelvin sign, long \u017f in ri\u017fe, plus Approved.",
])
def test_antonym_words_match_the_regex(sentence: str) -> None:
    expected = [(m.start(), m.end(), m.group()) for m in ANTONYM_RE.finditer(sentence)]
    assert [(m.start, m.end, m.text) for m in antonym_words(sentence)] == expected


def test_content_words_match_the_tokens() -> None:
    text = "Mr. Smith, the U.S. envoy, said 3.5 million people (and J. Doe) left Paris."
    expected = {t.lower for t in tokens(text) if t.text[0].isalnum() and t.lower not in STOPWORDS}
    assert content_words(text) == expected
    assert {"mr", "smith", "u.s", "3.5", "j", "paris"} <= expected
    assert not expected & {"the", "said", "and", ","}


def test_tokens_lower_and_equality() -> None:
    first, second = tokens("Mr. Smith.")[:2]
    assert (first.text, first.lower, first.start, first.end) == ("Mr.", "mr", 0, 3)
    assert (second.text, second.lower) == ("Smith", "smith")
    assert tokens("Mr. Smith.") == tokens("Mr. Smith.")
    assert tokens("Mr. Smith.") != tokens("Mr. Smyth.")
