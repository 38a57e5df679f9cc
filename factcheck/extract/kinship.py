"""Birth order of siblings: "Mary Cheney, the younger sister of Liz Cheney", "his older brother, Tom".

A comparative age word (older, elder, big / younger, little, baby) before a sibling noun (sister,
brother, sibling) says which of two people is the elder.  Each mention gives a `SiblingOrder`: the
*holder* (the sibling the noun names: the name in apposition, or None when the text leaves it unnamed,
as in "Elizabeth Cheney blasted by older sister"), the *anchor* (whose sibling: "of X", "X's", or for
"her"/"his" and a bare noun the first other person the sentence names, the usual antecedent), and
whether the holder is the elder.  Plain regular expressions and the name finder: no parse needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.extract.names import NameMention, find_names, fold
from factcheck.extract.nicknames import nickname_related
from factcheck.extract.text import tokens

ELDER_WORDS = frozenset({"older", "elder", "big"})
YOUNGER_WORDS = frozenset({"younger", "little", "baby"})
SIBLING_NOUNS = frozenset({"sister", "brother", "sibling"})
# the age word is lower case (a Title Case headline capitalises every word: nothing is read there)
_KIN_RE = re.compile(r"\b(older|elder|big|younger|little|baby)\s+(sister|brother|sibling)\b")
_KIN_NOUNS = ("sister", "brother", "sibling")  # what every match of _KIN_RE contains
_DETERMINER_RE = re.compile(r"(?:\b(the|a|an|his|her|their)|([’']s))\s*$", re.IGNORECASE)
_APPOSITION_BEFORE_RE = re.compile(
    r",\s*(?:the|his|her|their|a|an)?\s*$|\s+(?:is|was)\s+(?:the|his|her|their)\s*$")
_OF_RE = re.compile(r"^\s+of\s+")
ANCHOR_REACH = 60  # characters after "of" within which the anchor's name must start


@dataclass(frozen=True, slots=True)
class PersonRef:
    """A person as written: given name(s) (may be empty) and folded surname (empty for a given name alone)."""

    text: str
    given: str
    surname: str


@dataclass(frozen=True, slots=True)
class SiblingOrder:
    """One sibling-order statement of a sentence; offsets are of the age word and noun in the sentence."""

    start: int
    end: int
    noun: str  # sister | brother | sibling
    holder: PersonRef | None  # the sibling the noun names (None: unnamed)
    anchor: PersonRef  # whose sibling
    holder_elder: bool  # True: the holder is the elder of the two

    @property
    def phrase(self) -> str:
        """The age word and noun as a label ("older sister")."""
        return f"{'older' if self.holder_elder else 'younger'} {self.noun}"


def person_ref(mention: NameMention) -> PersonRef:
    """Split a mention's name into given names and folded surname (one word: a given name alone)."""
    words = mention.text.split()
    if mention.text.endswith(("'s", "’s")):
        words[-1] = words[-1][:-2]
    if len(words) == 1:
        return PersonRef(" ".join(words), words[0], "")
    return PersonRef(" ".join(words), " ".join(words[:-1]), fold(words[-1]))


def same_person(a: PersonRef, b: PersonRef) -> bool:
    """Check whether two written names can be one person.

    Surnames agree where both are given, and so do the first given names (equal or a nickname: "Liz" /
    "Elizabeth"); a given name alone is compared by given name.
    """
    if a.surname and b.surname and a.surname != b.surname:
        return False
    if not (a.surname and b.surname):
        # a given name alone ("Elizabeth") is compared by given name; a surname alone by surname
        if not a.surname and not b.surname:
            pass
        elif not (a.given and b.given):
            return False
    ga, gb = fold(a.given.split()[0]) if a.given else "", fold(b.given.split()[0]) if b.given else ""
    if ga and gb:
        return ga == gb or nickname_related(ga, gb)
    return True


def nouns_compatible(a: str, b: str) -> bool:
    """Check that the nouns can name one sibling: a sister is not a brother; "sibling" is either."""
    return a == b or "sibling" in (a, b)


def _people(mentions: list[NameMention]) -> list[NameMention]:
    """Keep the mentions that name a person, or a capitalised single word that may be a given name."""
    return [m for m in mentions if m.person or (len(m.words) == 1 and not m.place and m.role is None
                                                and m.text[:1].isupper() and len(m.text) > 2)]


def sibling_orders(sentence: str) -> list[SiblingOrder]:
    """Find the sibling-order statements of a sentence whose anchor can be read (see the module docstring)."""
    if not any(map(sentence.__contains__, _KIN_NOUNS)) or _KIN_RE.search(sentence) is None:
        return []  # substring tests first: every match holds one of the nouns (the pattern is case-sensitive)
    mentions = _people(find_names(sentence, tokens(sentence)))
    out = []
    for match in _KIN_RE.finditer(sentence):
        age, noun = match.group(1), match.group(2)
        before, after = sentence[: match.start()], sentence[match.end():]
        determiner = _DETERMINER_RE.search(before)
        holder = _holder(sentence, match, mentions, before, after)
        anchor = _anchor(sentence, match, mentions, determiner, holder)
        if anchor is None or (holder is not None and same_person(holder, anchor)):
            continue
        out.append(SiblingOrder(match.start(), match.end(), noun, holder, anchor, age in ELDER_WORDS))
    return out


def _holder(sentence: str, match: re.Match[str], mentions: list[NameMention], before: str,
            after: str) -> PersonRef | None:
    """Find the sibling named in apposition: "Nora Whitfield, the younger sister", "her big sister, Clara"."""
    stripped = after.lstrip(" ,")
    if not _OF_RE.match(after):
        offset = len(sentence) - len(stripped)
        following = next((m for m in mentions if m.start == offset), None)
        if following is not None:
            return person_ref(following)
    lead = _APPOSITION_BEFORE_RE.search(before)
    if lead is not None:
        preceding = next((m for m in mentions if m.end == lead.start()), None)
        if preceding is not None and not preceding.text.endswith(("'s", "’s")):
            return person_ref(preceding)
    return None


def _anchor(sentence: str, match: re.Match[str], mentions: list[NameMention],
            determiner: re.Match[str] | None, holder: PersonRef | None) -> PersonRef | None:
    """Find whose sibling: "of X", "X's", else (pronoun, no article) the first other person named before."""
    of = _OF_RE.match(sentence[match.end():])
    if of is not None:
        reach = match.end() + of.end() + ANCHOR_REACH
        stop = sentence.find(",", match.end() + of.end())
        limit = min(reach, stop) if stop >= 0 else reach
        start = match.end() + of.end()
        # a person's full name ("of Wyoming Senate candidate Liz Cheney"), else a given name right after "of"
        named = next((m for m in mentions if m.person and start <= m.start < limit),
                     next((m for m in mentions if m.start == start), None))
        return person_ref(named) if named is not None else None
    if determiner is not None and determiner.group(2):  # "Liz Cheney's older sister"
        owner = next((m for m in mentions if m.end == determiner.start()), None)
        return person_ref(owner) if owner is not None else None
    if determiner is not None and determiner.group(1).lower() in {"the", "a", "an"}:
        return None  # "the older sister" with no "of": whose is not said
    for mention in mentions:
        if mention.start >= match.start():
            break
        ref = person_ref(mention)
        if holder is None or not same_person(ref, holder):
            return ref
    return None
