"""FC904: sources report an evolving status or running day count at different stages.

Statuses (planned -> signed, expected to be indicted -> indicted, yet to endorse -> endorsed) and the
day count of an ongoing event ("its 12th day" -> "the 14th day") change as a story unfolds.  This rule
pairs sentences of different documents that report the same status event (same event family, sharing
a named entity or two content words) at different stages.  The verdict stage (rules.verdicts) then
treats the fact as evolving: superseded when the sources are dated apart, a possible update when
they are not, or a conflict when `updates = "conflict"`.
"""

# ruff: noqa: D401 - a rule's docstring is its user-facing summary, a statement of the problem

from __future__ import annotations

import re
from collections.abc import Iterator

from factcheck.extract.evolving import STAGE_WORDS, ordinal_days, pending_roles, role_titles, status_events
from factcheck.extract.text import content_words
from factcheck.records import Claim, ClaimKind, Finding, Sentence, Severity
from factcheck.rules.base import RuleContext, make_finding, rule

_CALENDAR = frozenset({
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
    "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
})
MAX_BUCKET = 60  # a family/anchor bucket larger than this is too common a word to pair on
_PROPER = re.compile(r"\b[A-Z][^\W\d_]+(?:\s+[A-Z][^\W\d_]+)*")


def _anchors(sentence: Sentence) -> set[str]:
    """Named entities (capitalised words not at the sentence start) and content words of a sentence."""
    names = {w.lower() for m in _PROPER.finditer(sentence.text) if m.start() > 0 for w in m.group(0).split()}
    return {f"@{n}" for n in names if len(n) > 2} | content_words(sentence.text)


def _who(sentence: Sentence) -> str:
    """" (Ellen Marwick)": the first named entity of a sentence, for a readable fact label."""
    names = [m.group(0) for m in _PROPER.finditer(sentence.text)
             if (m.start() > 0 or " " in m.group(0)) and len(m.group(0)) > 3
             and m.group(0).split()[0] not in _CALENDAR]
    best = next((n for n in names if " " in n), names[0] if names else "")
    return f" ({best})" if best else ""


def _related(a: set[str], b: set[str], family_words: set[str], count: bool) -> bool:
    """Same event: a shared named entity or two shared content words (one for a day count)."""
    shared = (a & b) - family_words
    return any(w.startswith("@") for w in shared) or len(shared) >= (1 if count else 2)


def _detect(
    sentence: Sentence, families: frozenset[str] | None = None, counts: bool = True
) -> list[tuple[str, str, int, int]]:
    """(family, stage words, start, end) of each status event, day count and pending office of a sentence.

    `families` limits the status families looked for; `counts=False` skips day counts.
    """
    found = [(e.family, STAGE_WORDS[e.stage], e.start, e.end) for e in status_events(sentence.text, families)]
    if counts:
        found += [(f"{unit} count", f"{n}th {unit}", s, e) for s, e, n, unit in ordinal_days(sentence.text)]
    found += [(f"become {role}", STAGE_WORDS["pending"], s, e) for s, e, role in pending_roles(sentence.text)]
    return found


@rule("FC904", "status-changed", Severity.WARNING, corpus_level=True)
def status_changed(ctx: RuleContext) -> Iterator[Finding]:
    """Sources report the same status or day count of an evolving event at different stages."""
    events: dict[str, list[tuple[Claim, set[str]]]] = {}
    next_id = -1
    sentences = [s for s in ctx.corpus.sentences if s.kind != "headline"]
    focus = ctx.focus_docs
    # With focus documents (`ci`), only an event family that one of them reports can give a finding that
    # involves them, so the other documents are searched for those families alone; the families kept get
    # exactly the events of a full search, in the same order.
    detected: dict[int, list[tuple[str, str, int, int]]] = {}
    families: frozenset[str] | None = None
    counts = True
    if focus is not None:
        detected = {n: _detect(s) for n, s in enumerate(sentences) if s.doc_index in focus}
        reported = {family for found in detected.values() for family, *_ in found}
        families = frozenset(reported)
        counts = any(family.endswith(" count") for family in reported)
    for n, sentence in enumerate(sentences):
        found = detected[n] if n in detected else _detect(sentence, families, counts)
        if not found:
            continue
        anchors = _anchors(sentence)
        who = _who(sentence)
        for family, stage, start, end in found:
            claim = Claim(
                id=next_id, kind=ClaimKind.PREDICATE, doc_index=sentence.doc_index,
                sentence_index=sentence.index, key=f"stage of {family!r}{who}", value_text=stage,
                value_start=sentence.start + start, value_end=sentence.start + end, value=stage,
            )
            next_id -= 1
            events.setdefault(family, []).append((claim, anchors))
    roles = {family.split(" ", 1)[1] for family in events if family.startswith("become ")}
    if roles and focus is not None:  # the done stage matters only where a focus document takes part
        titled = {role for s in sentences if s.doc_index in focus
                  for role in roles if role_titles(s.text, role)}
        roles_of_focus = {role for role in roles
                          if role in titled or any(c.doc_index in focus for c, _ in events[f"become {role}"])}
    else:
        roles_of_focus = roles
    if roles:  # the done stage of taking an office: its title before a name, where one was pending
        for sentence in sentences:
            for role in roles if focus is None or sentence.doc_index in focus else roles_of_focus:
                for start, end in role_titles(sentence.text, role)[:1]:
                    claim = Claim(
                        id=next_id, kind=ClaimKind.PREDICATE, doc_index=sentence.doc_index,
                        sentence_index=sentence.index, key=f"stage of 'become {role}'{_who(sentence)}",
                        value_text="done",
                        value_start=sentence.start + start, value_end=sentence.start + end, value="done",
                    )
                    next_id -= 1
                    events[f"become {role}"].append((claim, _anchors(sentence)))
    for family, items in sorted(events.items()):
        if len(items) > MAX_BUCKET * 4:
            continue
        family_words = content_words(family)
        seen: set[tuple[int, int]] = set()
        for i, (a, wa) in enumerate(items):
            for b, wb in items[i + 1:]:
                if a.doc_index == b.doc_index or a.value == b.value:
                    continue
                pair = (min(a.doc_index, b.doc_index), max(a.doc_index, b.doc_index))
                if pair in seen or not _related(wa, wb, family_words, family.endswith(" count")):
                    continue
                seen.add(pair)
                message = (f"{family}: {a.value_text!r} ({ctx.source(a)}) vs {b.value_text!r} "
                           f"({ctx.source(b)})")
                logic = (f"both sentences report the {family!r} event (sharing "
                         f"{', '.join(sorted({w.lstrip('@') for w in (wa & wb) - family_words})[:4])}) "
                         "at different stages")
                yield make_finding(ctx, "FC904", [a, b], message, f"status:{family}", 1.0, logic,
                                   values=[a.value_text, b.value_text])
