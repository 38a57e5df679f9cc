"""The role phrase a name stands in apposition to, and whether two such phrases name different slots.

"Clara Whitfield's older brother, Tom Whitfield" / "Clara Whitfield's younger brother, Sam Whitfield":
the same noun (brother) with contrasting distinguishing modifiers names two people, not one person under
two names.  A distinguishing modifier is one of three closed classes that pick one holder of a noun out of
several: relative age (older / younger, eldest / youngest), order (first / second, 1st / 2nd) and tenure
(former / acting / late).  Two such modifiers of one noun that differ make different facts; a phrase
without a modifier ("his brother, Tom") says nothing against either.

Read from the text around the name only (no parse): "MOD NOUN[,] NAME", "NAME, the MOD NOUN",
"NAME, X's MOD NOUN".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.extract.frames import STATUS_WORDS
from factcheck.extract.kinship import ELDER_WORDS, YOUNGER_WORDS
from factcheck.records import Claim, Sentence

# relative age: the sibling-order words of `extract.kinship` and their superlatives
AGE_WORDS = {word: "elder" for word in (*ELDER_WORDS, "oldest", "eldest")} | {
    word: "younger" for word in (*YOUNGER_WORDS, "youngest")}
ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
                 "tenth", "eleventh", "twelfth")
_CURRENT = frozenset({"current", "new"})  # tenure words that mean the present holder
# tenure: the status words a frame reads ("former", "acting", ...) but the pending ones, and the present
TENURE_WORDS = frozenset(STATUS_WORDS - {"designate", "elect"}) | _CURRENT
_ORDINAL_RE = re.compile(r"(\d+)(?:st|nd|rd|th)")

_WORD = r"[A-Za-z][\w-]*"
_MOD = r"[A-Za-z0-9][\w-]*"  # a modifier may be a numeral ordinal ("2nd")
# "older brother, ", "the second wife ", "his late wife, " right before the name
_BEFORE_RE = re.compile(rf"\b({_MOD})\s+({_WORD})\s*,?\s*$")
# ", the younger brother", ", Clara's older brother", ", his first wife" right after the name
_AFTER_RE = re.compile(
    rf"^\s*,\s*(?:(?:the|his|her|their|its|a|an)\s+|{_WORD}(?:['’]s)?\s+{_WORD}['’]s\s+|{_WORD}['’]s\s+)?"
    rf"({_MOD})\s+({_WORD})\b")
REACH = 80  # characters looked at on each side of the name


@dataclass(frozen=True, slots=True)
class Descriptor:
    """A distinguishing modifier and the noun it modifies: ("elder", "brother"), ("former", "minister")."""

    sort: str  # age | order | tenure
    modifier: str  # normalised: "elder", "2", "former"
    noun: str  # lower-case, plural "s" removed


def _modifier(word: str) -> tuple[str, str] | None:
    low = word.lower()
    if low in AGE_WORDS:
        return "age", AGE_WORDS[low]
    if low in ORDINAL_WORDS:
        return "order", str(ORDINAL_WORDS.index(low) + 1)
    number = _ORDINAL_RE.fullmatch(low)
    if number:
        return "order", number.group(1)
    if low in TENURE_WORDS:
        return "tenure", "current" if low in _CURRENT else low
    return None


def _noun(word: str) -> str:
    low = word.lower()
    return low[:-1] if low.endswith("s") and not low.endswith("ss") else low


def descriptor(sentence: str, start: int, end: int) -> Descriptor | None:
    """Return the distinguishing role phrase of the name at sentence offsets [start, end), if any."""
    before = sentence[max(0, start - REACH):start]
    after = sentence[end:end + REACH]
    for match in (_BEFORE_RE.search(before), _AFTER_RE.match(after)):
        if match is None:
            continue
        mod_word, noun_word = match.group(1), match.group(2)
        if not noun_word[:1].islower():
            continue  # "former Gov. Palin": a title of the name itself, or a name ("older Tom")
        found = _modifier(mod_word)
        if found is not None:
            return Descriptor(found[0], found[1], _noun(noun_word))
    return None


def claim_descriptor(claim: Claim, sentence: Sentence) -> Descriptor | None:
    """Return the distinguishing role phrase of a name claim, read in its sentence."""
    return descriptor(sentence.text, claim.value_start - sentence.start, claim.value_end - sentence.start)


def contrasting(a: Descriptor | None, b: Descriptor | None) -> bool:
    """Whether two role phrases name different slots of one noun (see the module docstring)."""
    if a is None or b is None:
        return False
    if a.noun != b.noun or a.sort != b.sort:
        return False
    return a.modifier != b.modifier
