"""Facts that evolve over time: running tallies and statuses.

A running tally (the dead, the injured, the missing, people arrested or evacuated, votes counted, the
day count of an ongoing event) and a status (charged, signed, resigned, endorsed, scheduled -> held)
legitimately change between reports, so a later value revises an earlier one instead of
contradicting it.  Names, birth dates and the day an event happened do not evolve.

This module answers two questions from wording alone (no model):

* `is_tally(text)`: does a fact key or sentence count something that grows while a story unfolds;
* `status_events(text)`: which status events a sentence reports, each with its stage
  (`pending`: planned, expected, prepared, yet to; `done`: it happened; `not`: ruled out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Words of a running tally: nouns and participles of counts that rise as a story unfolds.
TALLY_WORDS = frozenset({
    "dead", "death", "deaths", "died", "killed", "fatalities", "toll", "bodies",
    "injured", "injuries", "wounded", "hurt", "hospitalized", "hospitalised", "casualties",
    "missing", "unaccounted",
    "arrested", "arrests", "detained", "detainees",
    "evacuated", "evacuees", "evacuation", "evacuations", "displaced",
    "votes", "ballots", "counted", "precincts",
    "cases", "infections",
    "day",  # "the 14th day of the shutdown": the day count of an ongoing event
})

# The ordinal day count of an ongoing event ("its 12th day", "the 14th day of the shutdown").
_ORDINAL_DAY = re.compile(r"\b(\d{1,4})(?:st|nd|rd|th)\s+(day|week|month)\b", re.IGNORECASE)

_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=1 << 14)
def is_tally(text: str) -> bool:
    """Check whether a fact key or sentence counts something that grows while a story unfolds."""
    words = set(_WORD.findall(text.lower()))
    return bool(words & TALLY_WORDS)


def ordinal_days(text: str) -> list[tuple[int, int, int, str]]:
    """(start, end, number, unit) of each ordinal day count in a sentence ("its 12th day")."""
    if not may_match(text, ("day", "week", "month")):
        return []
    return [(m.start(), m.end(1) + 2, int(m.group(1)), m.group(2).lower())
            for m in _ORDINAL_DAY.finditer(text)]


# Status events: a family name and the word forms that report it.  `done` forms say it happened;
# `base` forms appear after a marker of intent or expectation ("plans to sign", "expected to be
# indicted") and then mean `pending`.
@dataclass(frozen=True, slots=True)
class _Family:
    name: str
    done: tuple[str, ...]
    base: tuple[str, ...]


FAMILIES: tuple[_Family, ...] = (
    _Family("sign", ("signed",), ("sign", "signing")),
    _Family("endorse", ("endorsed",), ("endorse", "endorsement", "endorsing")),
    _Family("indict", ("indicted", "charged", "filed charges", "filed criminal charges"),
            ("indict", "indicted", "charge", "charged", "file charges", "file criminal charges",
             "indictment")),
    _Family("pass", ("passed",), ("pass", "passing")),
    _Family("release", ("released", "made public", "published"), ("release", "released", "made public",
                                                                  "make public", "publish", "published")),
    _Family("resign", ("resigned", "stepped down", "left office"),
            ("resign", "step down", "resignation", "early exit", "leave office")),
    _Family("hold", ("was held", "were held", "took place"), ("held", "hold", "take place")),
    _Family("elect", ("was elected", "were elected"), ("elected", "elect")),
    _Family("approve", ("approved",), ("approve", "approved", "approval")),
    _Family("veto", ("vetoed",), ("veto",)),
    _Family("confirm", ("was confirmed", "were confirmed"), ("confirmed", "confirm", "confirmation")),
    _Family("arrest", ("was arrested", "were arrested"), ("arrest", "arrested")),
    _Family("convict", ("convicted", "found guilty"), ("convict", "convicted")),
    _Family("ratify", ("ratified",), ("ratify", "ratified")),
)

# Markers of intent or expectation shortly before a verb: the event has not happened (yet).
PENDING_MARKERS = (
    "will", "would", "could", "might", "may", "shall", "plan to", "plans to", "planned to", "planning to",
    "expected to", "expects to", "expect to", "intend to", "intends to", "intended to", "prepared to",
    "ready to", "set to", "poised to", "about to", "going to", "has yet to", "have yet to", "had yet to",
    "likely to", "in line to", "vowed to", "vows to", "promised to", "promises to", "threatened to",
    "intends", "plans", "expects", "aims to", "hopes", "wants", "seeks", "in order to",
    "opened the door", "opens the door", "open the door", "considering", "weighing", "open to",
    "is to", "are to", "hopes to", "wants to", "seeks to", "seeking to", "scheduled to", "if",
)
_NEGATION = re.compile(r"\b(?:not|never|no|no longer|n't|refused to|declined to|ruled out)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class StatusEvent:
    """A status a sentence reports: event family, stage, and the span of the words that state it."""

    family: str
    stage: str  # pending | done | not
    start: int
    end: int


def _compile(family: _Family) -> tuple[re.Pattern[str], re.Pattern[str]]:
    def alt(forms: tuple[str, ...]) -> str:
        return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(forms, key=len, reverse=True))

    return (re.compile(rf"\b(?:{alt(family.done)})\b", re.IGNORECASE),
            re.compile(rf"\b(?:{alt(family.base)})\b", re.IGNORECASE))


_PATTERNS = [(family, *_compile(family)) for family in FAMILIES]
# any verb form of any family: one search that rules out the many sentences that report no status event
_ANY = re.compile("|".join(p.pattern for _, done, base in _PATTERNS for p in (done, base)), re.IGNORECASE)


def _needles(families: tuple[_Family, ...]) -> tuple[str, ...]:
    """Return the longest word of each form of `families` (lower-cased): every match of a form holds it."""
    forms = [form for family in families for form in (*family.done, *family.base)]
    return tuple(sorted({max(form.lower().split(), key=len) for form in forms}))


def may_match(text: str, needles: tuple[str, ...]) -> bool:
    """Say whether a case-insensitive pattern whose every match contains one of `needles` may match.

    For ASCII text a case-insensitive match lower-cases to the pattern's lower-case words, so a
    missing needle rules the pattern out with plain substring tests (much cheaper than the regex).
    Other text is left to the regex: Unicode case folding matches more ("ſ" matches "s").
    """
    if not text.isascii():
        return True
    low = text.lower()
    return any(map(low.__contains__, needles))


_ANY_NEEDLES = _needles(FAMILIES)
_MARKER = re.compile(
    r"\b(?:" + "|".join(re.escape(m).replace(r"\ ", r"\s+") for m in sorted(PENDING_MARKERS, key=len,
                                                                         reverse=True)) + r")\b",
    re.IGNORECASE,
)
_WINDOW = 40  # characters before a verb in which a marker or negation governs it


def _stage(text: str, start: int) -> str | None:
    before = text[max(0, start - _WINDOW):start]
    clause = re.split(r"[,;:—–(]|\bbut\b|\band\b", before)[-1]
    negated = _NEGATION.search(clause) is not None
    if _MARKER.search(clause):
        return "not" if negated else "pending"
    if re.search(r"-to-be\b", text[start:start + 30]):
        return "pending"
    return "not" if negated else None


@lru_cache(maxsize=64)
def _family_patterns(
    families: frozenset[str],
) -> tuple[re.Pattern[str], list[tuple[_Family, re.Pattern[str], re.Pattern[str]]], tuple[str, ...]]:
    """Return the pre-screen, the patterns and the needles (`may_match`) of some families only."""
    patterns = [item for item in _PATTERNS if item[0].name in families]
    alternatives = [p.pattern for _, done, base in patterns for p in (done, base)]
    needles = _needles(tuple(family for family, _, _ in patterns))
    return re.compile("|".join(alternatives) or r"(?!)", re.IGNORECASE), patterns, needles


def status_events(text: str, families: frozenset[str] | None = None) -> list[StatusEvent]:
    """Find the status events a sentence reports, one per family (the first mention wins).

    With `families`, only those families are looked for (each family is found independently of the
    others, so their events are exactly those of a search for every family).
    """
    events: list[StatusEvent] = []
    if families is None:
        screen, patterns, needles = _ANY, _PATTERNS, _ANY_NEEDLES
    else:
        screen, patterns, needles = _family_patterns(families)
    if not may_match(text, needles) or screen.search(text) is None:
        return events  # no family's pattern matches: the loop below would find nothing
    for family, done, base in patterns:
        found: StatusEvent | None = None
        for match in base.finditer(text):
            stage = _stage(text, match.start())
            if stage is not None:
                found = StatusEvent(family.name, stage, match.start(), match.end())
                break
        if found is None:
            for match in done.finditer(text):
                stage = _stage(text, match.start())
                if stage == "not" or stage is None:
                    found = StatusEvent(family.name, stage or "done", match.start(), match.end())
                    break
                found = StatusEvent(family.name, stage, match.start(), match.end())
                break
        if found is not None:
            events.append(found)
    return events


STAGE_WORDS = {"pending": "planned or expected", "done": "done", "not": "ruled out"}


# Becoming an office holder: "Speaker-to-be", "president-elect", "in line to be elected speaker" are the
# pending stage; the title before a name ("House Speaker Nancy Pelosi") is the done stage.
_ROLE_PENDING = re.compile(
    r"\b(?P<a>[A-Za-z]+)-(?:to-be|elect)\b"
    r"|\b(?:in line|expected|set|poised|likely|due) to "
    r"(?:be (?:elected|named|appointed|sworn in as) |become )(?:the )?(?:next )?(?P<b>[a-z]+)\b",
    re.IGNORECASE,
)


# what every match of _ROLE_PENDING contains: a quick test that rules out most sentences
_ROLE_PENDING_SCREEN = re.compile(r"-(?:to-be|elect)\b|\bto (?:be|become) ", re.IGNORECASE)
_ROLE_PENDING_NEEDLES = ("-to-be", "-elect", "to be")  # what every match of the screen contains


def pending_roles(text: str) -> list[tuple[int, int, str]]:
    """(start, end, role word) of each office a sentence says someone is about to take."""
    out: list[tuple[int, int, str]] = []
    if not may_match(text, _ROLE_PENDING_NEEDLES) or _ROLE_PENDING_SCREEN.search(text) is None:
        return out
    for m in _ROLE_PENDING.finditer(text):
        role = (m.group("a") or m.group("b") or "").lower()
        if len(role) > 3:
            out.append((m.start(), m.end(), role))
    return out


def role_titles(text: str, role: str) -> list[tuple[int, int]]:
    """Spans where `role` is a title before a capitalised name ("Speaker Nancy Pelosi"): it is held."""
    name = r"[A-Z][^\W\d_]+"
    pattern = re.compile(rf"\b{re.escape(role)}\s+(?:{name}\s+)*{name}", re.IGNORECASE)
    return [(m.start(), m.start() + len(role)) for m in pattern.finditer(text)
            if text[m.start()].isupper() and not text[m.end(0) - 1:m.end(0) + 4].startswith("-")]
