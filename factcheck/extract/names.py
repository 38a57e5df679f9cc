"""Proper names in a sentence: people (given name + surname) and places, with role phrases around them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from factcheck.extract.places import is_known_place
from factcheck.extract.roles import (
    FORMER_WORDS,
    KIN_WORDS,
    ROLE_HEADS,
    ROLE_MODIFIERS,
    SCOPE_ALIASES,
    TITLE_ABBREVIATIONS,
    RolePhrase,
    canonical_role,
    is_former,
    role_after,
    role_before,
    role_before_comma,
)
from factcheck.extract.text import MONTHS, STOPWORDS, WEEKDAYS, Token, word_set

NAME_PARTICLES = frozenset({"de", "van", "von", "der", "den", "da", "di", "du", "le", "la", "bin", "al", "el",
                            "del"})
# Words that make a capitalised sequence a place or organisation rather than a person.
NON_PERSON_WORDS = word_set(
    """street st. avenue road square city county state states kingdom republic university college school
    hospital company co. corp. inc. ltd. group bank bureau department ministry agency police court house
    senate congress parliament party union council committee association institute foundation news times
    post journal airport station hotel church center centre park river lake mountain island islands
    north south east west northern southern eastern western central new united national international
    federal royal general motors airlines press times office service services organization organisation
    club team fc academy awards award festival museum gallery theatre theater market exchange stock index
    fund trust capital economics research communications technologies technology systems electric
    holdings partners worldwide global america europe asia africa pacific atlantic gulf strip valley
    coast bay camp prison jail base place plaza boulevard piazza"""
)
# The last word of a named geographic feature: "on Parris Island", "on Capitol Hill" name a place.
GEOGRAPHIC_FEATURES = frozenset({"island", "islands", "hill", "peninsula", "coast", "beach", "key", "keys",
                                 "atoll", "reef"})
SPEECH_VERBS = frozenset({"said", "says", "told", "added", "stated", "explained", "noted", "warned", "argued",
                          "wrote", "insisted", "announced", "confirmed", "denied", "smiled"})
LOCATIVE_PREPOSITIONS = frozenset({"in", "at", "near", "from", "to", "outside", "inside", "across", "into",
                                   "toward", "towards", "through"})
PLACE_ADJECTIVES = frozenset({"central", "downtown", "northern", "southern", "eastern", "western", "suburban",
                              "rural", "greater", "north", "south", "east", "west", "northeastern",
                              "northwestern", "southeastern", "southwestern", "capital", "city", "the"})
PLACE_NOUNS = frozenset({"hospital", "hotel", "airport", "suburb", "neighborhood", "neighbourhood", "court",
                         "courthouse", "bank", "branch", "area", "home", "office", "station", "school",
                         "store", "restaurant", "prison", "jail", "county", "district", "region", "province"})
# Nouns that name a place by its role, followed by the place in apposition: "the capital, Athens", "the
# capital Athens", "the northern city of Thessaloniki", "the port town Ashdod" ("state" is left out:
# "Secretary of State Rex Tillerson")
PLACE_ROLE_NOUNS = frozenset({"capital", "city", "town", "village", "port", "province", "region", "island",
                              "suburb", "country", "metropolis", "hometown"})
DIRECTION_WORDS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast",
                             "southwest", "midwest", "center", "centre"})
_CAP_RE = re.compile(r"^[A-Z][A-Za-zÀ-ÖØ-öø-ÿĀ-ſ’'\-]*$|^[A-Z]\.$")
_NOT_NAME = (
    set(MONTHS) | set(WEEKDAYS) | STOPWORDS | {"i", "mr", "mrs", "ms", "dr"}
    | {"according", "meanwhile", "however", "moreover", "yet", "still", "despite", "although", "though",
       "because", "while", "even", "also", "asked", "today", "yesterday", "tomorrow", "tonight", "some",
       "many", "most", "several", "key", "breaking", "update", "exclusive", "photo", "video", "watch", "read"}
)


@dataclass(frozen=True, slots=True)
class NameMention:
    """A capitalised name in a sentence (token range first..last inclusive)."""

    first: int
    last: int
    text: str
    start: int
    end: int
    person: bool
    place: bool
    role: RolePhrase | None
    kin: str = ""  # "wife" in "his wife Stacy": a relative named by given name alone

    @property
    def words(self) -> list[str]:
        """The name's words."""
        return self.text.split()

    @property
    def surname(self) -> str:
        """Last word of the name, folded (accents removed, lower case)."""
        return fold(self.words[-1]) if self.words else ""

    @property
    def given(self) -> str:
        """Everything before the surname."""
        return " ".join(self.words[:-1])


_POSSESSIVE_RE = re.compile(r"[’']s$")
_INITIAL_RE = re.compile(r"[A-Z]\.")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case, accents removed, possessive dropped: for comparing names (cached: rules fold often)."""
    text = _POSSESSIVE_RE.sub("", text)
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _is_cap(token: Token) -> bool:
    return bool(_CAP_RE.match(token.text)) and token.lower not in _NOT_NAME


def find_names(sentence: str, toks: list[Token]) -> list[NameMention]:
    """Capitalised name sequences, split from leading titles, classified as person and/or place."""
    out: list[NameMention] = []
    i = 0
    n = len(toks)
    while i < n:
        if not _is_cap(toks[i]):
            i += 1
            continue
        j = i
        while j + 1 < n and (
            _is_cap(toks[j + 1])
            or (toks[j + 1].lower in NAME_PARTICLES and j + 2 < n and _is_cap(toks[j + 2]))
        ):
            j += 1
        first = i
        # a title inside the sequence: "Los Angeles Mayor Eric Garcetti" -> name "Eric Garcetti"
        inner = [k for k in range(i + 1, j) if toks[k].lower in ROLE_HEADS
                 and not any(_is_title_token(toks[m]) for m in range(k + 1, j + 1))]
        title_case = j + 1 < n and toks[j + 1].text[:1].isupper()  # "... Netanyahu Used In ...": a headline
        if inner and not title_case:
            first = inner[-1] + 1
        # peel off leading title words: "Trade Minister Koichi Ishiba" -> name "Koichi Ishiba"
        while first < j and (
            toks[first].lower in ROLE_HEADS or toks[first].lower in ROLE_MODIFIERS
            or toks[first].lower in SCOPE_ALIASES or toks[first].lower in TITLE_ABBREVIATIONS
            or toks[first].text.endswith(("'s", "’s"))
            or (len(toks[first].lower) > 5 and toks[first].lower.endswith(_VERB_ENDINGS))
        ):
            first += 1  # a Title Case verb ("Criticized Trump") is no given name either
        last = j
        # a trailing possessive belongs to the name: "Ishiba's team"
        mention = _classify(sentence, toks, first, last)
        if mention is not None:
            out.append(mention)
        i = j + 1
    return out


# Past-tense endings no given name has ("Criticized", "Nominated"; unlike "Fred", "Siegfried").
_VERB_ENDINGS = ("ized", "ised", "ated", "ened", "uted")


def _is_title_token(token: Token) -> bool:
    low = token.lower
    return low in ROLE_HEADS or low in ROLE_MODIFIERS or low in SCOPE_ALIASES or low in TITLE_ABBREVIATIONS


def _classify(sentence: str, toks: list[Token], first: int, last: int) -> NameMention | None:
    words = [toks[k].text for k in range(first, last + 1)]
    words[-1] = _POSSESSIVE_RE.sub("", words[-1])
    if not words[-1] or len(words) > 5:
        return None
    if first == 0 and len(words) == 1 and toks[0].lower in STOPWORDS:
        return None
    lowered = {w.lower() for w in words}
    # an all-capitals word ("NATO", "FBI") is an acronym, but a middle initial ("Linda T. Sánchez") is not
    non_person = bool(lowered & NON_PERSON_WORDS) or any(
        w.isupper() and len(w) > 1 and not _INITIAL_RE.fullmatch(w) for w in words)
    role = _role_for(sentence, toks, first, last)
    prev = toks[first - 1].lower if first > 0 else ""
    nxt = toks[last + 1].lower if last + 1 < len(toks) else ""
    nxt2 = toks[last + 2].lower if last + 2 < len(toks) else ""
    title = (first > 0 and toks[first - 1].lower + "." in TITLE_ABBREVIATIONS) or prev in TITLE_ABBREVIATIONS
    speech = nxt in SPEECH_VERBS or prev in SPEECH_VERBS or (nxt == "," and nxt2 in SPEECH_VERBS)
    feature = words[-1].lower() in GEOGRAPHIC_FEATURES and len(words) >= 2  # "on Paris Island"
    place_context = prev in LOCATIVE_PREPOSITIONS or (feature and prev in {"on", "off"}) or (
        prev in PLACE_ADJECTIVES and first > 1 and toks[first - 2].lower in LOCATIVE_PREPOSITIONS
    ) or prev in PLACE_ROLE_NOUNS or (
        prev in {",", "of"} and first > 1 and toks[first - 2].lower in PLACE_ROLE_NOUNS
    ) or (prev in {"a", "the"} and nxt in PLACE_NOUNS)
    person = not non_person and (
        role is not None or title or speech
        or (len(words) >= 2 and all(w[:1].isupper() for w in words) and not place_context)
    )
    if person and len(words) >= 2 and not title and is_known_place(" ".join(words)):
        person, place_context = False, True  # "Santa Barbara officials", "in Costa Rica": a place
    kin = ""
    lead = first - 2 if prev == "," and first > 1 else first - 1
    if not non_person and lead >= 0 and (toks[lead].lower in KIN_WORDS or toks[lead].lower == "lady"):
        kin = toks[lead].lower  # "his wife Stacy", "his wife, Stacey", "the first lady, Melania Trump"
        person = True
    possessive = _POSSESSIVE_RE.search(toks[last].text) is not None
    place = place_context and role is None and not title and not speech and not possessive
    if len(words) == 1 and lowered <= DIRECTION_WORDS:
        place = False
    if person and place and len(words) >= 2 and not non_person:
        place = False
    start = toks[first].start
    end = start + len(" ".join(words)) if len(words) == 1 else toks[last].end
    text = sentence[toks[first].start : end]
    text = _POSSESSIVE_RE.sub("", text)
    end = toks[first].start + len(text)
    if kin:
        place = False
    return NameMention(first, last, text, start, end, person, place, role, kin)


def _role_for(sentence: str, toks: list[Token], first: int, last: int) -> RolePhrase | None:
    for finder, args in ((role_before, (toks, first)), (role_before_comma, (toks, first)),
                         (role_after, (toks, last))):
        span = finder(*args)
        if span is None:
            continue
        a, b = span
        if a >= b:
            continue
        text = sentence[toks[a].start : toks[b - 1].end]
        if any(toks[k].lower in KIN_WORDS for k in range(a, b)):
            return None  # "the president's daughter Ivanka Trump": a relative, not the role holder
        role, scope = canonical_role(text)
        if not role:
            continue
        before = a - 1 if a > 0 and toks[a - 1].lower not in {"the", "a"} else a - 2
        if before >= 0 and toks[before].lower in FORMER_WORDS and not is_former(role):
            role = f"former {role}"  # "fired Secretary of State Rex Tillerson": no longer the holder
        return RolePhrase(role, scope, toks[a].start, toks[b - 1].end, text)
    return None
