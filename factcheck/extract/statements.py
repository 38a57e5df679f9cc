"""Statements about a "to" complement, read from the parse: "She had a permit to carry the gun".

`complement_frame` reads the word governing the complement (permit, license), the complement's verb and
object (carry, gun) and whether the negation falls on them; `same_complement` tells whether two such
statements are about one thing, so a negated and an affirmed one can be compared (FC501).
"""

from __future__ import annotations

from factcheck.extract.frames import VERBS, Similarity, entity_of, lemma_of
from factcheck.extract.syntax import Analysis
from factcheck.records import Frame

# light verbs whose object carries the meaning: "had a permit to carry" -> permit
LIGHT_GOVERNORS = {"have", "get", "hold", "obtain", "receive", "give", "grant", "be"}


def complement_frame(an: Analysis, start: int, end: int) -> Frame | None:
    """Read the frame of a statement about a "to" complement in sentence offsets [start, end) (or None).

    "She had a permit to carry the gun": predicate permit, complement (carry, gun); "Hiller was not
    licensed to carry the weapon": predicate license, complement (carry, weapon), about hiller (named),
    negated (a negation on the complement, its governor or the governor's verb; not elsewhere).
    """
    words = an.words
    span = [i for i, w in enumerate(words) if w.start >= start and w.end <= end]
    for v in span:
        w = words[v]
        if w.pos != "VERB" or w.dep not in ("xcomp", "acl", "advcl") or w.head == v or w.head not in span:
            continue
        if not any(words[c].dep == "aux" and words[c].text.lower() == "to" for c in an.children(v)):
            continue
        governor = verb = w.head
        if words[governor].text.lower() == "going":
            continue  # "is going to finish": a tense, not a statement about the complement
        if words[governor].pos not in VERBS:
            # a noun or adjective states the complement only as a light verb's object: "had a permit to",
            # "was able to"; "the decision to fire X is unclear" states nothing about firing
            verb = words[governor].head
            light = words[verb].lemma in LIGHT_GOVERNORS
            if words[governor].dep not in ("dobj", "attr", "acomp") or not light:
                continue
        negated = any(words[c].dep == "neg" or (words[c].dep == "det" and words[c].lemma == "no")
                      for node in (v, governor, verb) for c in an.children(node))
        obj = next((c for c in an.children(v) if words[c].dep == "dobj"), None)
        complement = (w.lemma, lemma_of(words[obj])) if obj is not None else (w.lemma,)
        subject = next((c for c in an.children(verb) if words[c].dep in ("nsubj", "nsubjpass")), None)
        about, named = entity_of(an, subject, set()) if subject is not None else ((), False)
        return Frame(predicate=lemma_of(words[governor]), complement=complement, about=about,
                     about_named=named, negated=negated)
    return None


def same_complement(a: Frame, b: Frame, similar: Similarity, governor: float, same: float) -> bool:
    """Two statements about one "to" complement: same verb, like objects, like governing words.

    "She had a permit to carry the gun" / "Hiller was not licensed to carry the weapon"; named subjects
    that differ make other statements.  A complement without an object ("urged members to vote",
    "wants to think") names no fact of its own: such statements are one only when their subjects share a
    word ("Ms. Hiller was not allowed to leave" / "Hiller was allowed to leave").
    """
    if not a.complement or not b.complement or a.complement[0] != b.complement[0]:
        return False
    if len(a.complement) != len(b.complement):
        return False
    if len(a.complement) == 1 and not set(a.about) & set(b.about):
        return False  # "wants to vote" says too little of what: only the same subject makes it one statement
    if len(a.complement) == 2 and a.complement[1] != b.complement[1] \
            and similar(a.complement[1], b.complement[1]) < same:
        return False
    if a.predicate != b.predicate and similar(a.predicate, b.predicate) < governor:
        return False
    return not (a.about_named and b.about_named and not set(a.about) & set(b.about))
