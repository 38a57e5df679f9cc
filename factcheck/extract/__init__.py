"""Claim extraction: decompose sentences into typed claims (fact key, value, offsets).

A claim's *key* is the attribute asserted with its value taken out: the role for a role holder
("japan chief negotiator"), otherwise the words around the value ("police said they had recovered
of the haul").  Keys are what gets embedded and clustered; values are what rules compare.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from rapidfuzz import fuzz

from factcheck.extract.clock import find_times
from factcheck.extract.dates import find_dates
from factcheck.extract.frames import frame_for
from factcheck.extract.names import NameMention, find_names, fold
from factcheck.extract.order import ORDER_RE, ORDER_WORDS, order_frame
from factcheck.extract.polarity import antonym_words, negation_scopes, negations, strip_spans
from factcheck.extract.quantities import find_quantities
from factcheck.extract.roles import DEFAULT_ROLE_SYNONYMS, canonical_role, is_former
from factcheck.extract.statements import complement_frame
from factcheck.extract.syntax import Analyser
from factcheck.extract.text import (
    HEDGE_ANCHORS,
    UPDATE_ANCHORS,
    Token,
    context_key,
    is_hedged,
    may_contain,
    reports_update,
    tokens,
)
from factcheck.records import Claim, ClaimKind, Document, PersonName, Quantity, Sentence

MIN_POLARITY_WORDS = 5
MAX_CLAIMS_PER_SENTENCE = 40
HEDGE_WINDOW = 40  # characters around a value where tentative or update wording counts


def _token_range(starts: list[int], ends: list[int], start: int, end: int) -> tuple[int, int]:
    """Find the first and last token indices inside sentence offsets [start, end).

    `starts`/`ends` are the tokens' offsets (ascending); binary search keeps a sentence with
    thousands of values linear-logarithmic instead of quadratic.
    """
    first = bisect.bisect_right(ends, start)
    if first >= len(ends):
        first = 0
    return first, max(first, bisect.bisect_left(starts, end) - 1)


class _Builder:
    def __init__(self, doc_index: int, sentence: Sentence, next_id: list[int] | None = None) -> None:
        self.doc_index = doc_index
        self.sentence = sentence
        self.claims: list[Claim] = []
        self.next_id = next_id  # a shared counter: corpus-wide ids as claims are made (None: id 0)
        # a sentence where no hedge/update word occurs at all cannot have one near any value
        self.may_hedge = may_contain(sentence.text, HEDGE_ANCHORS)
        self.may_update = may_contain(sentence.text, UPDATE_ANCHORS)

    @property
    def full(self) -> bool:
        """Whether the sentence already has its maximum number of claims."""
        return len(self.claims) >= MAX_CLAIMS_PER_SENTENCE

    def add(self, kind: ClaimKind, key: str, rel_start: int, rel_end: int, value: object, *,
            key_span: tuple[int, int] | None = None, role: str = "", scope: str = "") -> None:
        if len(self.claims) >= MAX_CLAIMS_PER_SENTENCE:
            return
        base = self.sentence.start
        text = self.sentence.text
        if kind in (ClaimKind.ROLE, ClaimKind.PERSON):
            near = text[max(0, rel_start - HEDGE_WINDOW) : rel_start]  # only words leading to a name
        else:
            near = text[max(0, rel_start - HEDGE_WINDOW) : rel_end + HEDGE_WINDOW]
        key_start, key_end = (base + key_span[0], base + key_span[1]) if key_span else (-1, -1)
        claim_id = 0
        if self.next_id is not None:
            claim_id = self.next_id[0]
            self.next_id[0] += 1
        self.claims.append(Claim(
            id=claim_id, kind=kind, doc_index=self.doc_index, sentence_index=self.sentence.index,
            key=key, value_text=self.sentence.text[rel_start:rel_end], value_start=base + rel_start,
            value_end=base + rel_end, value=value,  # type: ignore[arg-type]
            key_start=key_start, key_end=key_end, role=role, scope=scope,
            hedged=self.may_hedge and is_hedged(near), update=self.may_update and reports_update(near),
        ))


_CLAUSE_BREAK_RE = re.compile(r"[,;:()\u2014\u2013]|\s-\s|\"|“|”")


def clauses(text: str, min_words: int = MIN_POLARITY_WORDS) -> list[tuple[int, int]]:
    """Clause spans of a sentence (split at commas, semicolons, dashes, quotes), short ones merged."""
    spans: list[list[int]] = []
    pos = 0
    for match in _CLAUSE_BREAK_RE.finditer(text):
        spans.append([pos, match.start()])
        pos = match.end()
    spans.append([pos, len(text)])
    merged: list[list[int]] = []
    for span in spans:
        words = len(text[span[0] : span[1]].split())
        if merged and (words < min_words or len(text[merged[-1][0] : merged[-1][1]].split()) < min_words):
            merged[-1][1] = span[1]
        else:
            merged.append(span)
    out = []
    for a, b in merged:
        chunk = text[a:b]
        stripped = chunk.strip(" .!?")
        if len(stripped.split()) >= min_words:
            offset = a + chunk.index(stripped)
            out.append((offset, offset + len(stripped)))
    return out


def _scoped_clauses(text: str) -> list[tuple[int, int]]:
    """Clauses for polarity, each cut where a negation's scope ends ("not happen | that he comes ...")."""
    out = []
    for start, end in clauses(text):
        for a, b in negation_scopes(text[start:end]):
            part = text[start + a : start + b].rstrip(" ,.")
            if len(part.split()) >= MIN_POLARITY_WORDS:
                out.append((start + a, start + a + len(part)))
    return out


def _surname_index(mentions: Sequence[tuple[int, NameMention]]) -> dict[str, set[str]]:
    """Surname -> full names (2+ words) seen for it in one document (not relatives introduced as such).

    "President Trump" in a text that names only "the first lady, Melania Trump" in full is not her.
    """
    index: dict[str, set[str]] = {}
    for _, mention in mentions:
        if mention.person and len(mention.words) >= 2 and not mention.kin:
            index.setdefault(mention.surname, set()).add(mention.text)
    return index


def _given_index(mentions: Sequence[tuple[int, NameMention]]) -> dict[str, set[str]]:
    """First given name -> full names (2+ words) seen with it in one document."""
    index: dict[str, set[str]] = {}
    for _, mention in mentions:
        if mention.person and len(mention.words) >= 2:
            index.setdefault(fold(mention.words[0]).rstrip("."), set()).add(mention.text)
    return index


SURNAME_MISSPELLING = 80.0  # rapidfuzz ratio above which a lone surname is a misspelt known one


def resolve_single(mention: NameMention, by_surname: Mapping[str, set[str]],
                   by_given: Mapping[str, set[str]], occurrences: int = 1) -> PersonName | None:
    """Resolve a one-word person mention inside its document, or None when it stays a bare name.

    A surname ("Akazawa said") or a given name ("Stacy", "Hillary") of exactly one full name in the
    document is that person; a surname close in spelling to exactly one known surname ("Smyth" where
    the document names "John Smith") is that person with the surname as this mention writes it, so a
    wrong surname-only mention is compared with the other sources (only when written once: a name used
    again and again is someone else's); a relative named by given name alone
    ("his wife Stacy") is a given name without surname.
    """
    word = mention.text
    key = mention.surname
    candidates = by_surname.get(key, set())
    if len(candidates) == 1:
        return _person_name(next(iter(candidates)))
    if candidates:
        return None  # two people share the surname: ambiguous
    given = by_given.get(key, set())
    if len(given) == 1 and (mention.person or mention.kin):
        return _person_name(next(iter(given)))
    if mention.kin:
        return PersonName(full=word, given=word, surname="")
    if not mention.person or occurrences > 1:
        return None
    close = [names for surname, names in by_surname.items() if len(names) == 1 and surname[:1] == key[:1]
             and fuzz.ratio(surname, key) >= SURNAME_MISSPELLING]
    if len(close) == 1:
        full = _person_name(next(iter(close[0])))
        return PersonName(full=f"{full.given} {word}", given=full.given, surname=key)
    return None


def _person_name(full: str) -> PersonName:
    words = full.split()
    return PersonName(full=full, given=" ".join(words[:-1]), surname=fold(words[-1]) if words else "")


def extract_document(
    doc_index: int,
    document: Document,
    sentences: Sequence[Sentence],
    role_synonyms: Mapping[str, str] = DEFAULT_ROLE_SYNONYMS,
    next_id: list[int] | None = None,
) -> list[Claim]:
    """All claims of one document's sentences.

    Ids are 0 unless `next_id` (a one-element counter) is given: then they are numbered from it on.
    """
    per_sentence: list[tuple[Sentence, list[Token], list[NameMention]]] = []
    all_mentions: list[tuple[int, NameMention]] = []
    for sentence in sentences:
        toks = tokens(sentence.text)
        names = find_names(sentence.text, toks)
        per_sentence.append((sentence, toks, names))
        # Title Case headlines capitalise every word, verbs too ("Clinton Urges Obama"): a name there is a
        # guess, so it neither makes claims (below) nor resolves the document's short mentions.
        all_mentions.extend((sentence.index, m) for m in names
                            if sentence.kind != "headline" or m.role is not None)
    full_names = _surname_index(all_mentions)
    given_names = _given_index(all_mentions)
    lone = Counter(m.surname for _, m in all_mentions if len(m.words) == 1)
    roles_of: dict[str, tuple[str, str]] = {}
    for _, mention in all_mentions:
        if mention.person and mention.role is not None and len(mention.words) >= 2:
            roles_of.setdefault(mention.text, (mention.role.role, mention.role.scope))

    claims: list[Claim] = []
    for sentence, toks, names in per_sentence:
        if not toks:
            continue
        builder = _Builder(doc_index, sentence, next_id)
        text = sentence.text
        starts = [t.start for t in toks]
        ends = [t.end for t in toks]
        for mention in names:
            if sentence.kind == "headline" and mention.role is None:
                continue  # Title Case headlines capitalise every word: names there are guesses
            _add_name_claims(builder, text, toks, mention, full_names, given_names, role_synonyms, roles_of,
                             lone[mention.surname])
        values = itertools.chain(
            ((ClaimKind.QUANTITY, q.start, q.end, q.quantity) for q in find_quantities(text)),
            ((ClaimKind.QUANTITY, t.start, t.end, t.quantity) for t in find_times(text)),
            ((ClaimKind.DATE, d.start, d.end, d.value) for d in find_dates(text, document.date)),
        )
        for kind, start, end, value in values:  # a sentence at the claim cap takes no more
            if builder.full:
                break
            first, last = _token_range(starts, ends, start, end)
            key, a, b = context_key(text, toks, first, last)
            builder.add(kind, key, start, end, value, key_span=(a, b))
        if sentence.kind != "headline":
            for clause_start, clause_end in _scoped_clauses(text):
                if builder.full:
                    break
                clause = text[clause_start:clause_end]
                negs = negations(clause)
                key = strip_spans(clause, negs)
                span = (clause_start + negs[0].start, clause_start + negs[-1].end) if negs else (0, 0)
                builder.add(ClaimKind.POLARITY, key, span[0], span[1], bool(negs),
                            key_span=(clause_start, clause_end))
                for marker in antonym_words(clause):
                    if builder.full:
                        break
                    builder.add(ClaimKind.PREDICATE, strip_spans(clause, [marker]),
                                clause_start + marker.start, clause_start + marker.end, marker.text.lower(),
                                key_span=(clause_start, clause_end))
                for during in ORDER_RE.finditer(clause):  # before/after are antonym words already
                    if builder.full or during.group(1).lower() != "during":
                        continue
                    builder.add(ClaimKind.PREDICATE, clause[: during.start()] + clause[during.end() :],
                                clause_start + during.start(), clause_start + during.end(), "during",
                                key_span=(clause_start, clause_end))
        claims.extend(builder.claims)
    return claims


def _add_name_claims(
    builder: _Builder, text: str, toks: list[Token], mention: NameMention,
    full_names: Mapping[str, set[str]], given_names: Mapping[str, set[str]],
    role_synonyms: Mapping[str, str], roles_of: Mapping[str, tuple[str, str]], occurrences: int = 1,
) -> None:
    single = len(mention.words) == 1
    if single and not mention.person and not mention.place and (
            mention.surname in full_names or len(given_names.get(mention.surname, ())) == 1):
        # a later reference by surname or given name alone ("than Gotti, the so-called ...")
        mention = replace(mention, person=True, place=False)
    elif single and not mention.person and mention.surname in full_names:
        mention = replace(mention, person=True, place=False)
    resolved = (resolve_single(mention, full_names, given_names, occurrences) if single and mention.person
                else None)
    person = resolved or _person_name(mention.text)
    full = person.full
    key, a, b = context_key(text, toks, mention.first, mention.last)
    if mention.person:
        if mention.role is not None:
            role = mention.role
            canonical, scope = canonical_role(role.text, role_synonyms)
            if is_former(role.role) and not is_former(canonical):
                canonical = f"former {canonical}"  # the past-holder word stood before the title
            role_key = f"{scope} {canonical}".strip()
            builder.add(ClaimKind.ROLE, role_key, mention.start, mention.end, person,
                        key_span=(role.start, role.end), role=canonical, scope=scope)
        # a later mention ("Mr Gunness said") carries the role the document gave the person earlier
        carried, carried_scope = ((mention.role.role, mention.role.scope) if mention.role
                                  else roles_of.get(full, (mention.kin if single else "", "")))
        builder.add(ClaimKind.PERSON, key, mention.start, mention.end, person, key_span=(a, b),
                    role=carried, scope=carried_scope)
    if mention.place:
        builder.add(ClaimKind.PLACE, key, mention.start, mention.end, mention.text, key_span=(a, b))


FRAMED_KINDS = (ClaimKind.QUANTITY, ClaimKind.DATE, ClaimKind.PLACE)
# "to" before a word that can be a verb ("to carry"), not before a determiner or pronoun ("to the court"):
# only such clauses are parsed for a complement
_COMPLEMENT_RE = re.compile(
    r"\bto (?!(?:the|a|an|his|her|its|their|our|my|your|this|that|these|those|them|him|me|us|it|which|what|"
    r"whom|who|one|all|some|any|each|every|both|no|more|most|about|date|and|or|[A-Z0-9])\b)[a-z]{2,}")


def wants_frame(claim: Claim) -> bool:
    """Claims that get a frame: values, statements with a "to" complement, temporal prepositions.

    "licensed to carry": `complement_frame`; "pledged allegiance before the attack": `order_frame`.
    """
    return claim.kind in FRAMED_KINDS or (claim.kind is ClaimKind.POLARITY and claim.key_start >= 0
                                          and _COMPLEMENT_RE.search(claim.key) is not None) or (
        claim.kind is ClaimKind.PREDICATE and claim.value in ORDER_WORDS)


def attach_frames(claims: Sequence[Claim], sentences: Sequence[Sentence], analyser: Analyser) -> list[Claim]:
    """Give quantity, date and place claims the frame read from their sentence's parse.

    Statements (polarity claims) whose clause has a "to" complement get its frame (`complement_frame`).
    Only sentences that carry such a claim are parsed, all in one batch (through the analyser's cache).
    """
    by_key = {(s.doc_index, s.index): s for s in sentences}
    wanted = sorted({(c.doc_index, c.sentence_index) for c in claims if wants_frame(c)})
    if not wanted:
        return list(claims)
    analyses = dict(zip(wanted, analyser.analyse([by_key[w].text for w in wanted]), strict=True))
    out = []
    for claim in claims:
        where = (claim.doc_index, claim.sentence_index)
        if claim.kind is ClaimKind.POLARITY and where in analyses and wants_frame(claim):
            base = by_key[where].start
            found = complement_frame(analyses[where], claim.key_start - base, claim.key_end - base)
            claim = replace(claim, frame=found) if found is not None else claim
        elif claim.kind is ClaimKind.PREDICATE and where in analyses and wants_frame(claim):
            base = by_key[where].start
            ordered = order_frame(analyses[where], claim.value_start - base, claim.value_end - base)
            claim = replace(claim, frame=ordered) if ordered is not None else claim
        elif claim.kind in FRAMED_KINDS and where in analyses:
            base = by_key[where].start
            counted = not isinstance(claim.value, Quantity) or claim.value.unit == "count"
            frame = frame_for(analyses[where], claim.value_start - base, claim.value_end - base,
                              kind=claim.kind.value, counted=counted)
            claim = replace(claim, frame=frame, hedged=claim.hedged or bool(frame.modality))
        out.append(claim)
    return out


def extract_claims(
    documents: Sequence[Document],
    sentences: Sequence[Sentence],
    role_synonyms: Mapping[str, str] = DEFAULT_ROLE_SYNONYMS,
) -> list[Claim]:
    """Claims of a whole corpus, with corpus-wide ids in a deterministic order (frames: `attach_frames`)."""
    by_doc: dict[int, list[Sentence]] = {}
    for sentence in sentences:
        by_doc.setdefault(sentence.doc_index, []).append(sentence)
    claims: list[Claim] = []
    next_id = [0]  # ids in document, sentence, extraction order: the same as numbering the list after
    for doc_index, document in enumerate(documents):
        claims.extend(extract_document(doc_index, document, by_doc.get(doc_index, []), role_synonyms,
                                       next_id))
    return claims


_KEY_PUNCT_RE = re.compile(r"[^\w\s'’-]|(?<!\w)['’-]|['’-](?!\w)")


def normalise_key(key: str) -> str:
    """Key text as embedded: lower case, punctuation and quotes dropped, whitespace squeezed."""
    return " ".join(_KEY_PUNCT_RE.sub(" ", key.lower()).split())
