"""When an act happened relative to another event: "pledged allegiance before executing the attack".

`order_frame` reads, from the dependency parse, the act a temporal preposition (before, after, during)
places and the event it places it against: the act is a verb with a noun object (the verb the
preposition modifies, else that verb's "to" purpose clause: "called 911 during the shooting to pledge
allegiance" places the pledge); the event is the preposition's object, or the object of the gerund it
governs ("before executing the attack": attack), or for a clause its common-noun subject ("before the fire
reached the platform": fire), else its object ("before he executed the attack": attack).  The frame holds
predicate (pledge), thing (allegiance), relation (before) and head (attack); FC504 compares such frames.
"""

from __future__ import annotations

import re

from factcheck.extract.frames import NOUNS, entity_of, lemma_of
from factcheck.extract.syntax import Analysis
from factcheck.records import Frame

ORDER_WORDS = frozenset({"before", "after", "during"})
ORDER_RE = re.compile(r"\b(before|after|during)\b", re.IGNORECASE)
# verbs too general to name one act ("have", "take", "make" take any object)
GENERAL_VERBS = frozenset({"be", "have", "do", "make", "take", "get", "give", "go", "come", "say", "tell"})


def _noun_object(an: Analysis, verb: int) -> int | None:
    """Find the verb's direct object when it is a noun ("allegiance"), not a number or pronoun ("911")."""
    return next((c for c in an.children(verb)
                 if an.words[c].dep == "dobj" and an.words[c].pos in NOUNS), None)


def _purpose_clauses(an: Analysis, verb: int) -> list[int]:
    """Find the verb's "to" purpose clauses: "called 911 ... to pledge allegiance" -> pledge."""
    return [c for c in an.children(verb)
            if an.words[c].dep in ("advcl", "xcomp") and an.words[c].pos == "VERB"
            and any(an.words[d].dep == "aux" and an.words[d].lemma == "to" for d in an.children(c))]


def _reference(an: Analysis, marker: int) -> int | None:
    """Find the event a preposition places an act against: its object, or its gerund's object."""
    for child in an.children(marker):
        word = an.words[child]
        if word.dep == "pobj" and word.pos in NOUNS:
            return child
        if word.dep == "pcomp":
            return _noun_object(an, child)
    return None


def order_frame(an: Analysis, start: int, end: int) -> Frame | None:
    """Read the act and reference event of the temporal preposition at sentence offsets [start, end)."""
    marker = next((i for i, w in enumerate(an.words) if w.start == start and w.end == end), None)
    if marker is None:
        return None
    word = an.words[marker]
    if word.lemma.lower() not in ORDER_WORDS:
        return None
    if word.dep == "prep":
        act, reference = word.head, _reference(an, marker)
    elif word.dep == "mark" and an.words[word.head].dep == "advcl":
        # a clause: "before the fire reached the platform" -> its common-noun subject (fire: the event);
        # "before he executed the attack" -> its object (a person or pronoun acts, the object is the event)
        clause = word.head
        act = an.words[clause].head
        reference = next((c for c in an.children(clause) if an.words[c].dep in ("nsubj", "nsubjpass")
                          and an.words[c].pos == "NOUN"), None)
        if reference is None:
            reference = _noun_object(an, clause)
    else:
        return None
    if reference is None or an.words[act].pos != "VERB":
        return None
    subject = next((c for c in an.children(act) if an.words[c].dep in ("nsubj", "nsubjpass")), None)
    about, named = entity_of(an, subject, set()) if subject is not None else ((), False)
    for verb in (act, *_purpose_clauses(an, act)):
        obj = _noun_object(an, verb)
        if obj is None or an.words[verb].lemma in GENERAL_VERBS:
            continue
        # "did not raise the alarm before the fire" says nothing about when it was raised
        negated = any(an.words[c].dep == "neg" for node in {verb, act} for c in an.children(node))
        return Frame(predicate=an.words[verb].lemma, thing=lemma_of(an.words[obj]),
                     relation=word.lemma.lower(), head=lemma_of(an.words[reference]), about=about,
                     about_named=named, negated=negated)
    return None
