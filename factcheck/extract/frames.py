"""Frames: what a claim's value is said about, read from the dependency parse around the value.

`frame_for` walks from the value's tokens up the parse: the noun the number counts (thing), the noun
it measures (head: "population of 300,000", "$3 million in damage", "damage ... was estimated at $1
million"), the verb it depends on (predicate), the preposition that introduces it (relation), the
entity the fact is about (possessor, prepositional object of the head, subject of the verb), and the
qualifiers that change the fact: attribution ("according to X", "X said"), modality ("expected to",
"plans to", "will"), negation and status words ("former", "acting").

`compare_frames` is the typed comparison the linker uses: parts that are known on both sides and
disagree say "another fact"; agreeing parts say "the same fact".
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from factcheck.extract.syntax import Analysis, Word
from factcheck.records import Frame

NOUNS = {"NOUN", "PROPN"}
VERBS = {"VERB", "AUX"}
# verbs that only attach a measure to their subject ("damage was estimated at", "the toll rose to",
# "the deficit stands at"): the subject is what is measured, the verb says nothing about which fact
ATTRIBUTE_VERBS = {
    "be", "estimate", "put", "total", "reach", "stand", "amount", "number", "peg", "count", "tally", "climb",
    "rise", "fall", "drop", "increase", "decrease", "grow", "jump", "soar", "top", "exceed", "surpass", "hit",
    "remain", "become", "calculate", "value", "cost", "come", "have", "range", "decline", "double", "reduce",
}
LIGHT_DATE_VERBS = {"be", "have", "do"}
# verbs whose direct measure is a change ("rose 5%", "added 26 cents", "lost $2"): "by" is implied
CHANGE_VERBS = {"rise", "fall", "drop", "increase", "decrease", "grow", "jump", "soar", "climb", "decline",
                "gain", "lose", "add", "slip", "slide", "slump", "surge", "tumble", "plunge", "shed", "rally",
                "dip", "sink", "edge"}
REPORTING_VERBS = {"say", "tell", "report", "announce", "confirm", "state", "add", "claim", "estimate",
                   "write", "note", "disclose", "reveal", "show", "find", "according"}
# Verbs of speaking whose date is the day of a remark, not of an event of the story (a speaker may speak
# on many days; "announce", "confirm" and "report" name one event and are not here)
UTTERANCE_VERBS = {"say", "tell", "add", "note", "write", "argue", "insist", "warn", "explain", "reply"}
MODAL_AUX = {"will", "may", "might", "could", "would", "should", "can", "shall"}
MODAL_GOVERNORS = {"expect", "plan", "hope", "aim", "intend", "want", "seek", "propose", "likely", "set",
                   "project", "forecast", "predict", "anticipate", "threaten", "promise", "vow", "try",
                   "need", "would", "able", "schedule", "slate", "poise", "due"}
# verbs whose direct object is promised, planned or asked for, not done: "pledged $8 million to the
# hospital" is no payment ("set" is left out: "set a $5 million bail" is done)
COMMITMENT_VERBS = (MODAL_GOVERNORS - {"set", "would", "able", "due", "try", "need"}) | {"pledge", "request",
                                                                                     "demand"}
STATUS_WORDS = {"former", "acting", "interim", "ex", "then", "outgoing", "incoming", "previous", "late",
                "onetime", "erstwhile", "designate", "elect"}
PRONOUNS = {"PRON", "DET"}
MAX_CLIMB = 8


def lemma_of(word: Word) -> str:
    """Return a word's lemma, or its lower-cased text for a proper noun (spaCy lemmatises names oddly)."""
    return word.text.lower() if word.pos == "PROPN" else word.lemma


def entity_of(an: Analysis, index: int, skip: set[int]) -> tuple[tuple[str, ...], bool]:
    """Words naming the entity headed by `index` (its compounds and flat-name parts), and whether named.

    Proper nouns win ("the Wasilla Bible Church" -> wasilla bible church, named); a common noun stands
    for itself ("the church" -> church); pronouns give nothing.
    """
    word = an.words[index]
    if word.pos in PRONOUNS or index in skip:
        return (), False
    parts = [index, *(c for c in an.children(index)
                      if an.words[c].dep in ("compound", "flat", "poss", "amod", "nmod") and c not in skip)]
    proper = sorted(i for i in parts if an.words[i].pos == "PROPN")
    if proper:
        return tuple(an.words[i].text.lower().removesuffix("'s").removesuffix("’s") for i in proper), True
    if word.pos in NOUNS:
        return (word.lemma,), False
    return (), False


UNIT_NOUNS = {
    "percent", "cent", "point", "dollar", "euro", "pound", "yen", "yuan", "mile", "km", "kilometer",
    "kilometre", "meter", "metre", "foot", "feet", "inch", "ton", "tonne", "kilogram", "kg", "year", "month",
    "week", "day", "hour", "minute", "second", "decade", "mph", "million", "billion", "thousand", "trillion",
}


def _measure_noun(word: Word) -> bool:
    """Tell whether a word is a common noun that can name a measure or role (not a unit or a name)."""
    return word.pos == "NOUN" and word.lemma.isalpha() and word.lemma not in UNIT_NOUNS


def _value_root(an: Analysis, start: int, end: int) -> tuple[int, set[int]] | None:
    inside = {i for i, w in enumerate(an.words) if w.end > start and w.start < end}
    if not inside:
        return None
    roots = [i for i in sorted(inside) if an.words[i].head not in inside or an.words[i].head == i]
    return roots[-1], inside


def _subtree(an: Analysis, index: int) -> set[int]:
    out = {index}
    grew = True
    while grew:
        grew = False
        for i, w in enumerate(an.words):
            if i not in out and w.head in out and w.head != i:
                out.add(i)
                grew = True
    return out


def _attribution(an: Analysis, verb: int | None, value_nodes: set[int]) -> tuple[str, ...]:
    """Who the sentence says the fact comes from: "according to X", or the subject of "X said"."""
    for i, w in enumerate(an.words):
        if w.lemma == "accord":
            for c in an.children(i):
                for obj in an.children(c):
                    if an.words[obj].dep == "pobj":
                        return entity_of(an, obj, value_nodes)[0]
    cur = verb
    via = ""
    for step in range(MAX_CLIMB):
        if cur is None:
            break
        w = an.words[cur]
        # a reporting verb above the value's own verb reports it through a clause ("police said [the man
        # fled]", "..., adding [that the toll rose]"), not through a "to" complement ("the murder is said
        # [to have taken place on]") nor when it has an object of its own ("shares added 26 cents [to
        # close at]")
        reports = step == 0 or via in ("ccomp", "parataxis") or (
            via in ("advcl", "conj") and not any(an.words[c].dep == "dobj" for c in an.children(cur)))
        if w.lemma in REPORTING_VERBS and cur not in value_nodes and reports:
            # the value's own verb: only its agent is a source ("officials estimated", "estimated by X"),
            # not a passive subject ("damage was estimated at")
            deps = ("nsubj", "agent") if step == 0 else ("nsubj", "nsubjpass", "agent")
            for c in an.children(cur):
                if an.words[c].dep in deps and c not in value_nodes:
                    node = c
                    if an.words[c].dep == "agent":  # "was reported by X"
                        node = next((g for g in an.children(c) if an.words[g].dep == "pobj"), c)
                    words = entity_of(an, node, value_nodes)[0]
                    if words:
                        return words
        if w.head == cur or w.dep not in ("ccomp", "parataxis", "conj", "advcl", "xcomp"):
            break
        via = w.dep
        cur = w.head
    for i, w in enumerate(an.words):  # "..., Xinhua said." with the value's verb not under it
        if w.lemma in REPORTING_VERBS and w.dep == "ROOT" and i != verb and i not in value_nodes \
                and not any(an.words[c].dep == "dobj" for c in an.children(i)):  # "added 26 cents": no report
            for c in an.children(i):
                if an.words[c].dep in ("nsubj",) and c not in value_nodes:
                    return entity_of(an, c, value_nodes)[0]
    return ()


def _modality(an: Analysis, verb: int | None, nouns: list[int]) -> str:
    for noun in nouns:  # "an expected 5,000 people", "a planned $2 billion"
        for c in an.children(noun):
            if an.words[c].dep == "amod" and an.words[c].lemma in MODAL_GOVERNORS:
                return an.words[c].lemma
    cur = verb
    for _ in range(3):
        if cur is None:
            return ""
        w = an.words[cur]
        for c in an.children(cur):
            child = an.words[c]
            if child.dep == "aux" and child.lemma in MODAL_AUX:
                return child.lemma
        if w.dep == "xcomp" and an.words[w.head].lemma in MODAL_GOVERNORS:
            return an.words[w.head].lemma
        if w.dep != "xcomp" and w.dep != "conj":
            return ""
        cur = w.head
    return ""


def frame_for(an: Analysis, start: int, end: int, *, kind: str = "quantity",
              counted: bool = True) -> Frame:
    """Read the frame of the value at sentence offsets [start, end) from the sentence's parse.

    `counted`: the value is a count, so the noun it modifies is what it counts ("324 people"); for
    money, percentages and measures that noun is the measure itself ("a $19 billion purchase").
    """
    found = _value_root(an, start, end)
    if found is None:
        return Frame()
    node, inside = found
    words = an.words
    thing = head = relation = ""
    nouns: list[int] = []
    # the value modifies a noun: that noun is what it counts ("324 people", "the 48-page indictment")
    w = words[node]
    modifier = w.dep in ("nummod", "quantmod", "compound", "amod", "npadvmod", "nmod", "poss")
    if modifier and w.head not in inside and words[w.head].pos in NOUNS:
        node = w.head
        if kind == "quantity" and counted:
            thing = lemma_of(words[node])
        elif _measure_noun(words[node]):
            head = lemma_of(words[node])
        nouns.append(node)
        while words[node].dep in ("compound", "nmod") and words[words[node].head].pos in NOUNS:
            node = words[node].head
            if not head and _measure_noun(words[node]):
                head = lemma_of(words[node])
            nouns.append(node)
    # "$3 million in damage", "$5 million of aid": the prepositional object is what is measured;
    # "five of the 30 miners": a count of part of a group
    part = False
    for c in an.children(found[0]):
        if words[c].dep == "prep" and words[c].lemma in ("in", "of", "for") and not head and not thing:
            obj = next((g for g in an.children(c) if words[g].dep == "pobj"), None)
            if obj is None or not _measure_noun(words[obj]):
                continue
            group = words[c].lemma == "of" and any(
                words[g].dep in ("nummod", "poss") or words[g].lemma == "the" for g in an.children(obj))
            if kind == "quantity" and counted and words[c].lemma == "of":
                thing = lemma_of(words[obj])
            else:
                head = lemma_of(words[obj])
            part = part or group
            nouns.append(obj)
    value_nodes = _subtree(an, found[0]) | inside
    # climb to the verb: the first preposition passed is the relation, the first noun the measure
    verb: int | None = None
    via = words[node].dep
    cur = node
    for _ in range(MAX_CLIMB):
        w = words[cur]
        if w.head == cur:
            if w.pos in VERBS:
                verb = cur
            break
        parent = words[w.head]
        if parent.pos in VERBS:
            verb, via = w.head, w.dep
            break
        if parent.pos == "ADP" or parent.dep in ("prep", "agent"):
            relation = relation or parent.lemma
        elif parent.pos in NOUNS and not head and _measure_noun(parent):
            head = lemma_of(parent)
            nouns.append(w.head)
        cur = w.head
    # "shares soared $5.27", "sales grew 5%", "rose by 5%": the change, not the level reached
    change = kind == "quantity" and verb is not None and words[verb].lemma in CHANGE_VERBS and (
        (not relation and via in ("dobj", "npadvmod")) or (relation == "by" and via == "prep"))
    predicate = ""
    coordinated: tuple[str, ...] = ()
    about: tuple[str, ...] = ()
    holder: list[int] = []  # the verb's subject: "the former chief executive earned $5 million"
    named = False
    negated = False
    if verb is not None:
        vw = words[verb]
        light = ATTRIBUTE_VERBS if kind == "quantity" else LIGHT_DATE_VERBS
        if vw.lemma not in light:
            predicate = vw.lemma
        subject = next((c for c in an.children(verb) if words[c].dep in ("nsubj", "nsubjpass")
                        and c not in value_nodes and c not in nouns and c != node), None)
        if kind == "quantity" and vw.lemma in ATTRIBUTE_VERBS and via != "nsubj" and subject is not None \
                and not head and _measure_noun(words[subject]):
            head = lemma_of(words[subject])  # "Damage to the church was estimated at $1 million"
            nouns.append(subject)
        elif kind == "place" and vw.lemma == "be" and via != "nsubj" and subject is not None \
                and not head and words[subject].pos == "NOUN":
            head = lemma_of(words[subject])  # "the quake's epicentre was near X": X locates the epicentre
            nouns.append(subject)
        elif subject is not None:
            holder.append(subject)
            # the verb's subject is often the agent, not what is measured ("Roberts administered the
            # 38-word oath"): it may confirm an entity but never tells two entities apart
            about = entity_of(an, subject, value_nodes)[0]
        negated = any(words[c].dep == "neg" for c in an.children(verb))
        coordinated = tuple(dict.fromkeys(
            words[i].lemma for i in [*an.children(verb), vw.head if vw.dep == "conj" else verb]
            if i != verb and words[i].pos == "VERB" and (words[i].dep == "conj" or i == vw.head)
            and words[i].lemma not in light))
    # the entity: a possessor or prepositional object of the measured noun beats the verb's subject
    for noun in nouns:
        for c in an.children(noun):
            cw = words[c]
            if cw.dep == "poss" and c not in value_nodes:
                about, named = entity_of(an, c, value_nodes)
                break
            if cw.dep == "prep" and cw.lemma in _ABOUT_PREPS and c not in value_nodes:
                obj = next((g for g in an.children(c) if words[g].dep == "pobj"), None)
                if obj is not None:
                    found_about, found_named = entity_of(an, obj, value_nodes)
                    if found_about and (found_named or not about):
                        about, named = found_about, found_named
                        break
    origin, goal = _participants(an, [v for v in (verb, found[0], node) if v is not None], inside)
    commitment = words[verb].lemma if verb is not None and via in ("dobj", "dative") \
        and words[verb].lemma in COMMITMENT_VERBS else ""
    cited_by = _cited_by(an, [found[0], node], inside)
    status = ""
    for noun in [*holder, *nouns]:
        for c in an.children(noun):
            word = words[c].text.lower()  # the form: "acting" has the lemma "act"
            if word in STATUS_WORDS and words[c].dep in ("amod", "advmod", "compound"):
                status = word
    return Frame(
        thing=thing, head=head, predicate=predicate, coordinated=coordinated, relation=relation,
        about=about, about_named=named,
        attribution=cited_by if cited_by else _attribution(an, verb, value_nodes),
        modality=commitment or _modality(an, verb, nouns), negated=negated, status=status, part=part,
        origin=origin, goal=goal, rate=_rate(an, [found[0], *nouns], inside), cited=bool(cited_by),
        change=change,
    )


RATE_DETERMINERS = {"a", "an", "each", "every"}


def _rate(an: Analysis, heads: list[int], inside: set[int]) -> str:
    """Return the unit a value is counted per ("$23 million per season": season; "$50,000 a year": year).

    Only the value's own words and the nouns it measures are looked at, so a coordinated value ("$368
    million or $23 million per season") keeps its own reading.
    """
    for head in dict.fromkeys(heads):
        for c in an.children(head):
            w = an.words[c]
            if c in inside:
                continue
            if w.dep == "prep" and w.text.lower() == "per":
                obj = next((g for g in an.children(c) if an.words[g].dep == "pobj"), None)
                if obj is not None:
                    return lemma_of(an.words[obj])
            if w.dep == "npadvmod" and w.pos == "NOUN" and any(
                    an.words[g].lemma in RATE_DETERMINERS for g in an.children(c)):
                return w.lemma
    return ""


def _cited_by(an: Analysis, heads: list[int], inside: set[int]) -> tuple[str, ...]:
    """Who reported a value named by its report: "the $184 million reported by Mike Lynch" -> mike lynch."""
    for head in dict.fromkeys(heads):
        for c in an.children(head):
            w = an.words[c]
            if w.dep != "acl" or w.lemma not in REPORTING_VERBS or c in inside:
                continue
            for agent in an.children(c):
                if an.words[agent].dep == "agent":
                    obj = next((g for g in an.children(agent) if an.words[g].dep == "pobj"), None)
                    if obj is not None:
                        return entity_of(an, obj, set())[0]
    return ()


ORIGIN_PREPS = {"from"}
GOAL_PREPS = {"to", "into", "onto"}
_CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ"}


def _participants(
    an: Analysis, heads: list[int], inside: set[int]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Content words of the "from" object and of the "to" object of the predicate (or of the value).

    "robbers took €90,000 from an SNCF subsidiary that runs the restaurant cars": origin (sncf, subsidiary,
    run, restaurant, car).  The value's own words are left out ("rose from 50 to 60").
    """
    found: dict[str, list[str]] = {"origin": [], "goal": []}
    for head in dict.fromkeys(heads):
        for c in an.children(head):
            w = an.words[c]
            slot = "origin" if w.lemma in ORIGIN_PREPS else "goal" if w.lemma in GOAL_PREPS else ""
            if w.dep not in ("prep", "dative") or not slot or found[slot] or c in inside:
                continue
            nodes = _subtree(an, c)
            if nodes & inside:
                continue
            found[slot] = [lemma_of(an.words[i]) for i in sorted(nodes) if an.words[i].pos in _CONTENT_POS
                           and an.words[i].lemma not in LIGHT_DATE_VERBS and an.words[i].text.isalpha()]
    return tuple(dict.fromkeys(found["origin"])), tuple(dict.fromkeys(found["goal"]))


class Verdict(Enum):
    """What a frame comparison says about two claims."""

    SAME = "same"
    MEASURE = "measure"  # same measure, the entity is not known on both sides
    DIFFERENT = "different"
    UNKNOWN = "unknown"


Similarity = Callable[[str, str], float]


def _exact(a: str, b: str) -> float:
    return 1.0 if a == b else 0.0


def compare_frames(
    a: Frame, b: Frame, similar: Similarity = _exact, *, different: float = 0.35, mixed: float = 0.2,
    same: float = 0.75, measured: bool = True,
) -> tuple[Verdict, str]:
    """Typed comparison of two frames: (verdict, the part that decided, in words).

    Head nouns are compared with head nouns and predicates with predicates: below `different`
    (word similarity from `similar`) they are other measures; a head against a predicate must fall
    below `mixed`.  Parts at or above `same` (or equal) make the same measure.  Named sources tell
    `measured` values (quantities) apart; a place or date is not a measurement of its source.
    """
    if "accord" in (a.predicate, b.predicate):
        return Verdict.DIFFERENT, "names the source of a statement, not a fact of the story"
    if not measured and a.predicate in UTTERANCE_VERBS and b.predicate in UTTERANCE_VERBS:
        # "Graham said on Monday" / "Graham said Thursday that ...": the day of a remark, and people speak on
        # many days; only the wording around it (the same remark) can make it one fact
        return Verdict.UNKNOWN, ""
    if a.thing and b.thing and a.thing.rstrip("s") != b.thing.rstrip("s") \
            and similar(a.thing, b.thing) < same:
        return Verdict.DIFFERENT, f"counts different things ({a.thing} / {b.thing})"
    checks: list[tuple[str, str, float]] = []
    if a.head and b.head:
        checks.append((a.head, b.head, different))
    elif bool(a.head) != bool(b.head) and (a.head or a.predicate) and (b.head or b.predicate):
        checks.append((a.head or a.predicate, b.head or b.predicate, mixed))
    elif not a.head and not b.head and (a.predicate or a.coordinated) and (b.predicate or b.coordinated):
        # coordinated verbs share the argument: the best pair decides
        options = [(x, y) for x in (a.predicate, *a.coordinated) for y in (b.predicate, *b.coordinated)
                   if x and y]
        best = max(options, key=lambda p: 1.0 if p[0] == p[1] else similar(*p))
        checks.append((best[0], best[1], different))
    scores = [(x, y, 1.0 if x == y else similar(x, y), floor) for x, y, floor in checks]
    reworded = not a.head and not b.head and same_participants(a, b)
    for x, y, score, floor in scores:
        if score < floor and not reworded:
            return Verdict.DIFFERENT, f"measures different things ({x} / {y})"
    if measured and a.change != b.change:
        return Verdict.DIFFERENT, "one is a change (rose by), the other a level"
    if _BOUNDS.get(a.relation) != _BOUNDS.get(b.relation):
        return Verdict.DIFFERENT, f"plays different roles ({a.relation or 'at'} / {b.relation or 'at'})"
    if a.about_named and b.about_named and not set(a.about) & set(b.about):
        return Verdict.DIFFERENT, f"is about different entities ({' '.join(a.about)} / {' '.join(b.about)})"
    if measured and a.attribution and b.attribution and not set(a.attribution) & set(b.attribution) \
            and _proper(a.attribution) and _proper(b.attribution):
        return Verdict.DIFFERENT, (f"comes from different sources ({' '.join(a.attribution)} / "
                                   f"{' '.join(b.attribution)})")
    if bool(a.modality) != bool(b.modality):
        return Verdict.DIFFERENT, "one is expected or planned, the other reported"
    if a.part != b.part:
        return Verdict.DIFFERENT, "one counts part of the group, the other the whole"
    if a.negated != b.negated:
        return Verdict.DIFFERENT, "one is negated"
    if a.status != b.status and (a.status or b.status):
        return Verdict.DIFFERENT, f"different status ({a.status or 'current'} / {b.status or 'current'})"
    if measured and a.rate != b.rate:
        return Verdict.DIFFERENT, f"one is a rate (per {a.rate or b.rate}), the other is not"
    if measured and _cited_figure(a, b):
        return Verdict.SAME, f"the figure {' '.join(a.attribution if a.cited else b.attribution)} reported"
    matched = [x for x, _, score, _ in scores if score >= same or reworded]
    if matched:
        if set(a.about) & set(b.about):
            return Verdict.SAME, f"same measure ({matched[0]}) of the same entity"
        return Verdict.MEASURE, f"same measure ({matched[0]})"
    return Verdict.UNKNOWN, ""


def _cited_figure(a: Frame, b: Frame) -> bool:
    """Tell whether one value is named only by its reporter and the other comes from the same reporter.

    "the $184 million reported by Lynch" / "Lynch reported ... a deal worth $368 million".
    """
    cited = [f for f in (a, b) if f.cited and not f.head and not f.thing]
    return bool(cited) and bool(set(a.attribution) & set(b.attribution)) and _proper(a.attribution) \
        and _proper(b.attribution)


ARGUMENT_OVERLAP = 0.3  # Jaccard of two "from" (or "to") objects' content words that makes them one party


def same_participants(a: Frame, b: Frame) -> bool:
    """Tell whether the same agent acts with the same other party, whatever the verbs (one act reworded).

    "the robbers escaped with €60,000 from the company which manages the restaurant cars" / "robbers had
    taken €90,000 from an SNCF subsidiary that runs the restaurant cars": agent (robber) and origin agree.
    At least one of origin and goal must be known on both sides, and every such one must agree.
    """
    if not (a.about and b.about and set(a.about) & set(b.about)):
        return False
    agree = False
    for x, y in ((a.origin, b.origin), (a.goal, b.goal)):
        if x and y:
            shared = set(x) & set(y)
            if len(shared) < 2 or len(shared) / len(set(x) | set(y)) < ARGUMENT_OVERLAP:
                return False
            agree = True
    return agree


# prepositions that make a value a bound or an origin, not the point itself: "since 2002" / "in 2002",
# "between September and July" / "in October", "rose from 50" / "to 60", "flew from X" / "arrived in Y"
_ABOUT_PREPS = ("to", "of", "for", "at", "in", "on")
_BOUNDS = {"from": "start", "since": "start", "between": "between", "before": "before", "until": "before",
           "till": "before", "after": "after"}


def _proper(words: tuple[str, ...]) -> bool:
    """Attribution words that name someone (not generic "officials", "authorities", "police")."""
    return not set(words) <= GENERIC_SOURCES


GENERIC_SOURCES = {"official", "authority", "police", "officer", "spokesman", "spokeswoman", "spokesperson",
                    "source", "report", "statement", "agency", "government", "ministry", "medium", "he",
                    "she", "they", "it", "people", "witness", "resident", "expert", "analyst"}

