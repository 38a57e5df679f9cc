"""FC503 misquote: the same quoted words given by two sources with one content word swapped."""

# ruff: noqa: D401 - a rule's docstring is its user-facing summary, a statement of the problem

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence

import numpy as np
from rapidfuzz import fuzz

from factcheck.extract.quotes import QuotedSegment, quoted_segments
from factcheck.extract.text import STOPWORDS
from factcheck.records import Claim, ClaimKind, Finding, Severity
from factcheck.rules.base import RuleContext, make_finding, rule

MIN_WORDS = 4  # a quoted clause shorter than this ("we love him") is too common to align
ALONE_WORDS = 8  # a clause this long is the same quotation by itself; shorter ones need a shared neighbour
SPELLING_SIMILARITY = 85.0  # rapidfuzz ratio of two spellings of one word (as FC102 judges names)
NEIGHBOURHOOD = 400  # characters around a quotation where the shared clause of the same passage must lie


def _content(word: str) -> bool:
    return len(word) >= 3 and word.isalpha() and word not in STOPWORDS


def _one_word_apart(a: QuotedSegment, b: QuotedSegment) -> int | None:
    """The position of the only word two equally long clauses differ in, when it is a content word swap."""
    if len(a.words) != len(b.words):
        return None
    differing = [k for k, (x, y) in enumerate(zip(a.words, b.words, strict=True)) if x.word != y.word]
    if len(differing) != 1:
        return None
    k = differing[0]
    x, y = a.words[k].word, b.words[k].word
    if not (_content(x) and _content(y)) or _stems(x) & _stems(y):
        return None  # a function word ("a" / "any") or an inflection ("duty" / "duties") is rewording
    if fuzz.ratio(x, y) >= SPELLING_SIMILARITY:
        return None  # a spelling ("favour" / "favor", "realise" / "realize"): house style, not other words
    return k


_INFLECTIONS = (("ies", "y"), ("ied", "y"), ("ing", ""), ("es", ""), ("ed", ""), ("s", ""))


def _stems(word: str) -> set[str]:
    """The word and what it is without a regular inflection ("duties": "duty"; "uses": "use", "us")."""
    return {word} | {word[: -len(ending)] + replacement for ending, replacement in _INFLECTIONS
                     if word.endswith(ending) and len(word) - len(ending) >= 2}


def _shares_neighbour(mine: Sequence[QuotedSegment], a: QuotedSegment, theirs: Sequence[QuotedSegment],
                      b: QuotedSegment) -> bool:
    """Whether clauses quoted next to a and next to b are the same words (one passage of one speaker)."""
    near_a = {s.text for s in mine if s is not a and len(s.words) >= 3
              and abs(s.quote_start - a.quote_start) <= NEIGHBOURHOOD}
    return any(s.text in near_a for s in theirs if s is not b
               and abs(s.quote_start - b.quote_start) <= NEIGHBOURHOOD)


def _claim(ctx: RuleContext, doc: int, segment: QuotedSegment, k: int) -> Claim | None:
    """A claim for the swapped word (its sentence located by offset), so the finding cites it."""
    sentences = ctx.corpus.sentences_by_document.get(doc, ())
    word = segment.words[k]
    starts = [s.start for s in sentences]
    n = bisect.bisect_right(starts, word.start) - 1
    if n < 0 or sentences[n].end < word.end:
        return None
    text = ctx.documents[doc].text
    key = " ".join(w.word if i != k else "…" for i, w in enumerate(segment.words))
    value = text[word.start : word.end]
    return Claim(id=-1, kind=ClaimKind.PREDICATE, doc_index=doc, sentence_index=sentences[n].index, key=key,
                 value_text=value, value_start=word.start, value_end=word.end, value=value.lower())


@rule("FC503", "misquote", Severity.WARNING, corpus_level=True, supersedable=False)
def misquote(ctx: RuleContext) -> Iterator[Finding]:
    """Sources quote the same words with one content word swapped ("his visit" / "his message")."""
    quotes = {doc: quoted_segments(d.text) for doc, d in enumerate(ctx.documents)}
    wording = {doc: " | ".join(s.text for s in segments) for doc, segments in quotes.items()}
    focus = ctx.focus_docs
    holes: dict[tuple[int, str], list[tuple[int, QuotedSegment]]] = defaultdict(list)
    # With focus documents (`ci`), only buckets holding a clause of one of them can give a finding that
    # involves them: the focus documents are read first, the others only into those buckets.
    order = sorted(quotes, key=lambda doc: (focus is not None and doc not in focus, doc))
    lengths: set[int] = set()  # word counts of the focus documents' clauses: a bucket holds one count only
    for doc in order:
        outside = focus is not None and doc not in focus
        for segment in quotes[doc]:
            if len(segment.words) < MIN_WORDS or (outside and len(segment.words) not in lengths):
                continue
            lengths.add(len(segment.words))
            words = [w.word for w in segment.words]
            for k in range(len(words)):
                hole = (k, " ".join([*words[:k], "…", *words[k + 1 :]]))
                if not outside or hole in holes:
                    holes[hole].append((doc, segment))
    for (k, key), members in sorted(holes.items()):
        if focus is not None:  # back in document order, as a full run reads them
            members.sort(key=lambda member: member[0])
        yield from _bucket(ctx, quotes, wording, k, key, members)


def _bucket(ctx: RuleContext, quotes: dict[int, list[QuotedSegment]], wording: dict[int, str], k: int,
            key: str, members: list[tuple[int, QuotedSegment]]) -> Iterator[Finding]:
    """The findings of one bucket: clauses equal but for the word at `k`, the first pair of each swap."""
    # Only clauses with another word at k can be one word apart at k: near-copies quote the same words,
    # so most buckets hold one wording and are skipped whole, and the pairs of one wording never compared.
    at_k = [segment.words[k].word for _, segment in members]
    if len(set(at_k)) < 2:
        return
    fillers: dict[int, set[str]] = defaultdict(set)
    for doc, segment in members:
        fillers[doc].add(segment.words[k].word)
    wordings = np.unique(np.asarray(at_k), return_inverse=True)[1].reshape(-1)
    focus = ctx.focus_docs

    def swapped(n: int, m: int) -> tuple[Claim, Claim] | None:
        """The claims of the swapped word when members n and m are a misquote, else None."""
        (doc_a, a), (doc_b, b) = members[n], members[m]
        if doc_a == doc_b or len(fillers[doc_a]) > 1 or len(fillers[doc_b]) > 1 or _one_word_apart(a, b) != k:
            return None
        if a.text in wording[doc_b] or b.text in wording[doc_a]:
            return None  # each source also quotes the other wording: two different remarks
        if len(a.words) < ALONE_WORDS and not _shares_neighbour(quotes[doc_a], a, quotes[doc_b], b):
            return None
        claim_a, claim_b = _claim(ctx, doc_a, a, k), _claim(ctx, doc_b, b, k)
        return (claim_a, claim_b) if claim_a is not None and claim_b is not None else None

    def others(n: int) -> list[int]:
        return (np.flatnonzero(wordings[n + 1 :] != wordings[n]) + n + 1).tolist()

    reported: set[tuple[str, str]] = set()
    for n in range(len(members)):
        if len(fillers[members[n][0]]) > 1:
            continue  # parallel clauses in one source ("make America strong again, ... safe again")
        for m in others(n):
            if focus is not None and members[n][0] not in focus and members[m][0] not in focus:
                continue  # neither is a focus document: looked at below only if it would come first
            a, b = members[n][1], members[m][1]
            pair = (key, " / ".join(sorted((a.words[k].word, b.words[k].word))))
            if pair in reported:
                continue
            claims = swapped(n, m)
            if claims is None:
                continue
            reported.add(pair)
            if focus is not None and _earlier_swap(n, m, wordings, swapped, others):
                continue  # a full run reports this swap for two other documents, before this pair
            claim_a, claim_b = claims
            message = (f"{claim_a.value_text!r} ({ctx.source(claim_a)}) vs {claim_b.value_text!r} "
                       f"({ctx.source(claim_b)}) in the same quoted words: {key!r}")
            logic = (f"quoted clauses of {len(a.words)} words identical but for one content word"
                     + ("" if len(a.words) >= ALONE_WORDS else ", next to a clause both quote"))
            yield make_finding(ctx, "FC503", [claim_a, claim_b], message, "", 1.0, logic,
                               values=[claim_a.value_text, claim_b.value_text])


def _earlier_swap(n: int, m: int, wordings: np.ndarray, swapped: Callable[[int, int], object],
                  others: Callable[[int], list[int]]) -> bool:
    """Whether a pair before (n, m) in a full run's order gives the same two words and would be reported.

    A full run reports each swap once, for the first pair that shows it: when that pair is of two
    documents outside the focus, a focused run must not report the swap either.
    """
    same = {int(wordings[n]), int(wordings[m])}
    for i in range(n + 1):
        if int(wordings[i]) not in same:
            continue
        for j in others(i):
            if (i, j) >= (n, m):
                break
            if int(wordings[j]) in same and swapped(i, j) is not None:
                return True
    return False
