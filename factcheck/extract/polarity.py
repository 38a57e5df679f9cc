"""Polarity: negation of a predicate, and predicate words with antonyms (rise/fall, after/before)."""

from __future__ import annotations

import re
from dataclasses import dataclass

NEGATION_RE = re.compile(r"\b(?:not|never|no longer|cannot)\b|n[’']t\b", re.IGNORECASE)

_ANTONYM_PAIRS = [
    ("after", "before"), ("rise", "fall"), ("rose", "fell"), ("risen", "fallen"), ("rising", "falling"),
    ("increase", "decrease"), ("increased", "decreased"), ("increases", "decreases"),
    ("gain", "loss"), ("gained", "lost"), ("up", "down"), ("higher", "lower"), ("highest", "lowest"),
    ("biggest", "smallest"), ("largest", "smallest"), ("largest", "tiniest"), ("more", "less"),
    ("most", "least"), ("convicted", "acquitted"), ("guilty", "innocent"), ("approved", "rejected"),
    ("approve", "reject"), ("accepted", "rejected"), ("won", "lost"), ("win", "lose"), ("wins", "loses"),
    ("winning", "losing"), ("alive", "dead"), ("survived", "died"), ("open", "closed"), ("opened", "closed"),
    ("first", "last"), ("above", "below"), ("inside", "outside"), ("arrested", "released"),
    ("allowed", "banned"), ("legal", "illegal"), ("older", "younger"), ("oldest", "youngest"),
    ("early", "late"), ("earlier", "later"), ("strongest", "weakest"), ("stronger", "weaker"),
    ("best", "worst"), ("better", "worse"), ("expanded", "shrank"), ("expand", "shrink"),
    ("grew", "shrank"), ("boosted", "cut"), ("raised", "lowered"), ("raise", "lower"), ("hired", "fired"),
    ("confirmed", "denied"), ("supports", "opposes"), ("supported", "opposed"), ("support", "oppose"),
    ("success", "failure"), ("succeeded", "failed"), ("maximum", "minimum"), ("entered", "left"),
    ("north", "south"), ("east", "west"), ("northern", "southern"), ("eastern", "western"),
    ("ahead", "behind"), ("full", "empty"), ("lifted", "imposed"), ("lift", "impose"), ("ended", "began"),
    ("with", "without"), ("victory", "defeat"), ("rally", "slump"), ("rallied", "slumped"),
    ("surged", "plunged"), ("climbed", "dropped"), ("same", "different"),
]
ANTONYMS: dict[str, set[str]] = {}
for _a, _b in _ANTONYM_PAIRS:
    ANTONYMS.setdefault(_a, set()).add(_b)
    ANTONYMS.setdefault(_b, set()).add(_a)
# Very common words whose antonym swaps are usually rewording, not contradiction.
_WEAK = {"more", "less", "most", "least", "up", "down", "with", "without", "first", "last", "early", "late",
         "earlier", "later", "same", "different", "north", "south", "east", "west", "left", "best"}
_STRONG = sorted((w for w in ANTONYMS if w not in _WEAK), key=len, reverse=True)
ANTONYM_RE = re.compile(r"\b(" + "|".join(_STRONG) + r")\b", re.IGNORECASE)
_STRONG_SET = frozenset(_STRONG)
_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Marker:
    """A negation or antonym-bearing word in a sentence (offsets relative to the sentence)."""

    start: int
    end: int
    text: str


def negations(sentence: str) -> list[Marker]:
    """Negation markers of a sentence."""
    return [Marker(m.start(), m.end(), m.group()) for m in NEGATION_RE.finditer(sentence)]


# A complement clause after a negated verb: "it should not happen that he comes ...", "she did not say that
# the plant was closed". The negation belongs to the verb before "that", not to what the clause reports.
_COMPLEMENT_RE = re.compile(
    r"\bthat\s+(?=(?:he|she|it|they|we|i|you|the|a|an|this|these|those|his|her|its|their|our|my|[A-Z])\w*\b)"
)
# ... unless the negated predicate is about the clause's truth: "it is not true that X" does deny X.
_TRUTH_RE = re.compile(r"\b(?:true|the case|correct|so|right|accurate)\s*$", re.IGNORECASE)


def negation_scopes(clause: str) -> list[tuple[int, int]]:
    """Split a clause where a negation's scope ends: at a "that" complement after the negation.

    Returns the spans (relative to the clause) to read polarity from, in order; the whole clause
    when no negation stops before a complement.
    """
    negs = negations(clause)
    if not negs:
        return [(0, len(clause))]
    match = _COMPLEMENT_RE.search(clause, negs[0].end)
    if match is None or _TRUTH_RE.search(clause, negs[0].end, match.start()):
        return [(0, len(clause))]
    return [(0, match.start()), *((match.start() + a, match.start() + b)
                                  for a, b in negation_scopes(clause[match.start():]))]


def antonym_words(sentence: str) -> list[Marker]:
    """Words of the sentence that have an antonym in the lexicon.

    Same matches as `ANTONYM_RE.finditer` (a lexicon word between word boundaries is a whole `\\w+`
    run), but a set lookup per word instead of trying the whole alternation at every position.
    """
    out = []
    for m in _WORD_RE.finditer(sentence):
        word = m.group()
        if word.lower() in _STRONG_SET if word.isascii() else ANTONYM_RE.fullmatch(word) is not None:
            out.append(Marker(m.start(), m.end(), word))
    return out


def strip_spans(sentence: str, spans: list[Marker]) -> str:
    """Remove the given spans from the sentence (whitespace collapsed)."""
    out, pos = [], 0
    for span in sorted(spans, key=lambda s: s.start):
        out.append(sentence[pos : span.start])
        pos = span.end
    out.append(sentence[pos:])
    text = "".join(out)
    return " ".join(text.split())
