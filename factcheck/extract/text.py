"""Shared text helpers for the extractors: tokens with offsets, context keys, word lists."""

from __future__ import annotations

import re

TOKEN_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ0-9]+(?:[’'.\-][A-Za-zÀ-ÖØ-öø-ÿĀ-ſ0-9]+)*\.?|[^\sA-Za-z0-9]")


class Token:
    """A word or punctuation token with offsets relative to its sentence.

    A plain slotted class, not a frozen dataclass: the extractors and the linker build about a million
    of these per 10k sentences, and a frozen dataclass costs twice as much to construct.  Treat it as
    immutable.
    """

    __slots__ = ("end", "lower", "start", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        """Make a token; `lower` is the lower-case text without a trailing period."""
        self.text = text
        self.start = start
        self.end = end
        self.lower = text.rstrip(".").lower()

    def __repr__(self) -> str:
        """Show the token like a dataclass would."""
        return f"Token(text={self.text!r}, start={self.start}, end={self.end})"

    def __eq__(self, other: object) -> bool:
        """Compare text and offsets."""
        if not isinstance(other, Token):
            return NotImplemented
        return (self.text, self.start, self.end) == (other.text, other.start, other.end)

    def __hash__(self) -> int:
        """Hash text and offsets."""
        return hash((self.text, self.start, self.end))


def tokens(sentence: str) -> list[Token]:
    """Tokenise a sentence; abbreviation periods stay on their word ("U.S.", "Mr.")."""
    out: list[Token] = []
    append = out.append
    for match in TOKEN_RE.finditer(sentence):
        text = match.group()
        # keep a final period only for abbreviations / initials ("Mr.", "U.S.", "J.")
        if text[-1] == "." and len(text) > 1 and not _is_abbreviation(text):
            append(Token(text[:-1], match.start(), match.end() - 1))
        else:
            append(Token(text, match.start(), match.end()))
    return out


_ABBREVIATIONS = {
    "mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "gen.", "sen.", "rep.", "gov.", "lt.", "col.", "sgt.",
    "capt.", "jr.", "sr.", "inc.", "co.", "corp.", "ltd.", "no.", "vs.", "jan.", "feb.", "mar.", "apr.",
    "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.", "mo.", "ft.", "mt.", "u.s.", "u.k.",
    "u.n.", "d.c.", "a.m.", "p.m.", "e.g.", "i.e.",
}


_INITIALS_RE = re.compile(r"(?:[A-Za-z]\.)+")


def _is_abbreviation(text: str) -> bool:
    return text.lower() in _ABBREVIATIONS or _INITIALS_RE.fullmatch(text) is not None


def word_set(words: str) -> frozenset[str]:
    """Build a set from a long whitespace-separated word list."""
    return frozenset(words.split())


STOPWORDS = word_set(
    """a an the and or but if of to in on at by for with from as into onto over under about after before
    than then that this these those it its it's is are was were be been being has have had do does did
    he she they we you i his her their our your my him them us me who whom whose which what when where
    why how not no nor so such too very can could would should may might must will shall also just only
    said says say told according while during since until up down out off again further once there here
    all any both each few more most other some own same one"""
)


def content_words(text: str) -> set[str]:
    """Lower-case content words of a text (stopwords and punctuation dropped)."""
    words = set()
    for match in TOKEN_RE.finditer(text):
        word = match.group()
        if word[0].isalnum():  # the same words tokens() gives, without building Token objects
            if word[-1] == "." and len(word) > 1 and not _is_abbreviation(word):
                word = word[:-1]
            words.add(word.rstrip(".").lower())
    return words - STOPWORDS


def jaccard(a: set[str], b: set[str]) -> float:
    """Jaccard overlap of two word sets (0 when both are empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def context_key(
    sentence: str, toks: list[Token], first: int, last: int, width: int = 8
) -> tuple[str, int, int]:
    """Build the fact key: the words around tokens[first..last] with those tokens removed.

    Returns (key text, start, end) where start/end are sentence offsets of the window.
    The window stops at clause punctuation that separates facts (";", ":" and dashes).
    """
    left = first
    steps = 0
    while left > 0 and steps < width:
        if toks[left - 1].text in {";", "—", "–"}:
            break
        left -= 1
        steps += 1
    right = last
    steps = 0
    while right < len(toks) - 1 and steps < width:
        if toks[right + 1].text in {";", "—", "–"}:
            break
        right += 1
        steps += 1
    before = sentence[toks[left].start : toks[first].start] if left < first else ""
    after = sentence[toks[last].end : toks[right].end] if right > last else ""
    key = " ".join(f"{before} {after}".split())
    return key, toks[left].start, toks[right].end


WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "dozen": 12,
}

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}

HEDGE_RE = re.compile(
    r"\b(?:has yet to|have yet to|yet to be|not yet|may|might|could|would|expected to|plans? to|planned|"
    r"reportedly|is said to|are said to|unconfirmed|likely|possibly|preliminary|initial(?:ly)?|"
    r"no final decision|undecided|to be determined|denied reports)\b",
    re.IGNORECASE,
)
UPDATE_RE = re.compile(
    r"\b(?:had grown to|has grown to|grew to|rose to|has risen to|had risen to|increased to|climbed to|"
    r"jumped to|fell to|dropped to|was raised to|was lowered to|has been raised|in fact|now|updated|"
    r"revised|later|by (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|has since|had since|"
    r"put back|postponed|moved (?:out|up|back)|no longer|replaced|instead|actually|new figures?)\b",
    re.IGNORECASE,
)


# Every alternative of HEDGE_RE / UPDATE_RE contains one of these lower-case pieces.  A sentence that
# contains none (ASCII only, where lower() and IGNORECASE agree) has no hedge/update wording in any
# window, so the per-claim regex searches can be skipped (tests/test_extract_perf.py checks the lists).
HEDGE_ANCHORS = ("yet", "may", "might", "could", "would", "expected to", "plan", "reportedly", "said to",
                 "unconfirmed", "likely", "possibly", "preliminary", "initial", "no final decision",
                 "undecided", "to be determined", "denied reports")
UPDATE_ANCHORS = ("grown to", "grew to", "rose to", "risen to", "increased to", "climbed to", "jumped to",
                  "fell to", "dropped to", "raised", "lowered to", "in fact", "now", "updated", "revised",
                  "later", "day", "since", "put back", "postponed", "moved", "no longer", "replaced",
                  "instead", "actually", "new figure")


def may_contain(sentence: str, anchors: tuple[str, ...]) -> bool:
    """Return False only when no window of `sentence` can match a regex whose alternatives hold `anchors`."""
    if not sentence.isascii():
        return True
    low = sentence.lower()
    return any(anchor in low for anchor in anchors)


def is_hedged(sentence: str) -> bool:
    """Tentative wording: the claim may change ("has yet to", "may", "expected to")."""
    return HEDGE_RE.search(sentence) is not None


def reports_update(sentence: str) -> bool:
    """Wording that reports a change or correction ("had grown to", "in fact", "now")."""
    return UPDATE_RE.search(sentence) is not None
