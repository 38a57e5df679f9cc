"""Split a document into sentences with exact offsets: `doc.text[s.start:s.end] == s.text`.

A fast rule-based splitter (no pysbd/spaCy).  Lines are grouped into runs: a newline ends a
sentence unless the line is wrapped prose (no final sentence punctuation and the next line
starts lower-case).  Inside a run, a sentence ends at . ! ? … (plus closing quotes or
brackets) followed by whitespace and an upper-case letter, digit or opening quote, unless
the word before is a known abbreviation or a single initial; CJK 。！？ always end one.
Ignored spans (boilerplate) are never part of a sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from factcheck.records import Document, IgnoredSpan, Sentence

__all__ = ["LineIndex", "line_col", "segment"]

MAX_HEADLINE_WORDS = 20

# Abbreviations after which a period never ends a sentence (lower-cased, with their dots).
_NEVER_FINAL = frozenset(
    {
        "mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "gen.", "sen.", "rep.", "gov.", "lt.", "col.",
        "sgt.", "capt.", "cmdr.", "adm.", "maj.", "pres.", "rev.", "hon.", "mt.", "ft.", "messrs.",
        "vs.", "v.", "e.g.", "i.e.", "cf.", "approx.", "est.", "fig.", "vol.", "ch.", "sec.", "art.",
        "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.",
        "u.s.", "u.k.", "u.n.", "e.u.", "u.s.a.", "d.c.", "n.y.", "l.a.", "no.", "nos.", "op.", "pp.",
    }
)  # fmt: skip
# Abbreviations that often end a sentence: they end one before a typical sentence opener.
_MAYBE_FINAL = frozenset(
    {"inc.", "co.", "corp.", "ltd.", "llc.", "jr.", "sr.", "etc.", "a.m.", "p.m.", "bros.", "plc."}
)
_OPENERS = frozenset(
    {
        "The", "A", "An", "He", "She", "It", "They", "We", "I", "In", "On", "At", "But", "And", "This",
        "That", "These", "Those", "There", "His", "Her", "Its", "Their", "Our", "After", "Before", "When",
        "While", "As", "If", "So", "Yet", "However", "Meanwhile", "Still", "Also", "Now", "Then",
    }
)  # fmt: skip
_CLOSERS = "\"'”’»)]}」』）"
_OPENING = "\"'“‘«([{「『（"
# A sentence-final punctuation run with its closing quotes/brackets, then whitespace.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]}」』）]*(?=\s)|[。！？]+[」』”’）)]*")
_BULLET = re.compile(r"(?:[-*•‣◦▪–—+]|\d{1,3}[.)])[ \t]+(?=\S)")
_HEADING = re.compile(r"#{1,6}[ \t]+(?=\S)")
_FINAL_PUNCT = ".!?…:;,。！？"


class LineIndex:
    """Precomputed line starts for fast 1-based (line, column) lookups of offsets."""

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        """Index the line starts of `text` (lines end at LF; a CR before it stays on its line)."""
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos >= 0:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self.starts = starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column (in characters) of `offset`."""
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def line_col(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column of `offset` in `text` (use `LineIndex` for many calls)."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _masked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """Return `text` with every span replaced by spaces (same length, so offsets still hold)."""
    parts: list[str] = []
    pos = 0
    for start, end in spans:
        if end <= pos:
            continue
        start = max(start, pos)
        parts.append(text[pos:start])
        parts.append(" " * (end - start))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _merge(spans: Sequence[IgnoredSpan], n: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s in sorted((max(0, sp.start), min(n, sp.end)) for sp in spans):
        if s[1] <= s[0]:
            continue
        if merged and s[0] <= merged[-1][1]:
            if s[1] > merged[-1][1]:
                merged[-1] = (merged[-1][0], s[1])
        else:
            merged.append(s)
    return merged


def _is_boundary(text: str, punct_start: int, after: int, run_end: int) -> bool:
    """Decide whether the punctuation at `punct_start` (run ending at `after`) ends a sentence."""
    # Skip whitespace to the next character.
    nxt = after
    while nxt < run_end and text[nxt].isspace():
        nxt += 1
    if nxt >= run_end:
        return False  # the run's end is a boundary anyway
    ch = text[nxt]
    if ch in _OPENING:
        k = nxt + 1
        while k < run_end and text[k] in _OPENING:
            k += 1
        ch = text[k] if k < run_end else ""
    if not (ch.isupper() or ch.isdigit() or (ch.isalpha() and not ch.islower())):
        return False
    if text[punct_start] != "." or text.startswith("...", punct_start):
        return True
    # A single period: look at the word before it.
    k = punct_start
    while k > 0 and not text[k - 1].isspace() and text[k - 1] not in _OPENING:
        k -= 1
    word = text[k : punct_start + 1].lower()
    if word in _NEVER_FINAL:
        # "No. 5" is an abbreviation, "said no. The" is not.
        return word in ("no.", "nos.", "op.", "pp.") and not ch.isdigit()
    if word in _MAYBE_FINAL:
        end = nxt
        while end < run_end and text[end].isalpha():
            end += 1
        return text[nxt:end] in _OPENERS
    # A single capital initial ("J. Smith") does not end a sentence.
    return not (punct_start - k == 1 and text[k].isupper())


def _split_run(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the sentences' (start, end) pairs, whitespace-trimmed, within text[start:end]."""
    pieces: list[tuple[int, int]] = []
    pos = start
    for m in _BOUNDARY.finditer(text, start, end):
        stop = m.end()
        if stop >= end:
            break
        ch = m.group()[0]
        if ch in "。！？" or _is_boundary(text, m.start(), stop, end):
            pieces.append((pos, stop))
            pos = stop
    pieces.append((pos, end))
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out


def _lines(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of every line's content without surrounding whitespace (start == end: blank)."""
    out: list[tuple[int, int]] = []
    n = len(text)
    pos = 0
    find = text.find
    while pos <= n:
        nl = find("\n", pos)
        end = n if nl < 0 else nl
        a, b = pos, end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        out.append((a, b))
        if nl < 0:
            break
        pos = nl + 1
    return out


WRAP_FILL = 0.8  # a line at least this share of the wrap width was broken by the wrapper, not the writer
MAX_WRAP_WIDTH = 100  # wider lines are paragraphs, not hard-wrapped text


def _wrap_width(text: str, lines: Sequence[tuple[int, int]]) -> int:
    """Return the width a hard-wrapped document was wrapped at, or 0 when it is not hard-wrapped.

    Hard-wrapped text (e-mail, plain-text wires, `fold`) has no line wider than about 80 characters and
    several lines close to that width; a document of one paragraph per line has neither.
    """
    widths = [b - a for a, b in lines if b > a]
    if not widths:
        return 0
    width = max(widths)
    if width > MAX_WRAP_WIDTH or "\n" not in text:
        return 0
    full = sum(1 for w in widths if w >= WRAP_FILL * width)
    return width if full >= 3 else 0


def _continues(text: str, a: int, end: int, na: int, nb: int, wrap_width: int) -> bool:
    """Decide whether the line text[a:end] runs on into the next line text[na:nb]."""
    last = text[end - 1]
    if last in _CLOSERS and end - 2 >= a and text[end - 2] in _FINAL_PUNCT:
        return False
    if _BULLET.match(text, na, nb) or _HEADING.match(text, na, nb):
        return False
    if last in ",;" or (last not in _FINAL_PUNCT and text[na].islower()):
        return True
    if last in _FINAL_PUNCT:
        return False
    return wrap_width > 0 and end - a >= WRAP_FILL * wrap_width


def _word_count(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())


def segment(doc: Document, doc_index: int, ignored: Sequence[IgnoredSpan] = ()) -> list[Sentence]:
    """Split `doc` into sentences, skipping `ignored` spans; `index` counts from 0 in the document."""
    original = doc.text
    spans = _merge(ignored, len(original))
    text = _masked(original, spans) if spans else original
    found: list[tuple[int, int, str]] = []
    lines = _lines(text)
    wrap_width = _wrap_width(text, lines)
    i = 0
    n_lines = len(lines)
    while i < n_lines:
        a, b = lines[i]
        if a >= b:
            i += 1
            continue
        kind = "prose"
        m = _HEADING.match(text, a, b)
        if m:
            found.append((m.end(), b, "headline"))
            i += 1
            continue
        m = _BULLET.match(text, a, b)
        if m:
            kind = "bullet"
            a = m.end()
        # Extend over wrapped lines: no final punctuation here and the next line starts lower-case, or the
        # line ends mid-clause ("," ";") or fills a hard-wrapped document's width.
        run_end = b
        j = i
        while j + 1 < n_lines:
            na, nb = lines[j + 1]
            if na >= nb or not _continues(text, lines[j][0], run_end, na, nb, wrap_width):
                break
            run_end = nb
            j += 1
        if j == i and kind == "prose":
            stripped = text[a:b].rstrip(_CLOSERS)
            if (
                stripped
                and stripped[-1] not in _FINAL_PUNCT
                and _word_count(text, a, b) <= MAX_HEADLINE_WORDS
            ):
                found.append((a, b, "headline"))
                i += 1
                continue
        for s, e in _split_run(text, a, run_end):
            found.append((s, e, kind))
        i = j + 1
    if spans:
        found = _cut_ignored(found, spans, text)
    index = LineIndex(original)
    sentences: list[Sentence] = []
    for k, (s, e, kind) in enumerate(found):
        line, col = index.line_col(s)
        sentences.append(Sentence(doc_index, k, s, e, line, col, original[s:e], kind))
    return sentences


def _cut_ignored(
    found: list[tuple[int, int, str]], spans: list[tuple[int, int]], text: str
) -> list[tuple[int, int, str]]:
    """Split sentences that straddle an ignored span (an inline comment) into the parts outside it."""
    starts = [s for s, _ in spans]
    out: list[tuple[int, int, str]] = []
    for s, e, kind in found:
        # Spans are sorted and disjoint: the last one starting before `e` overlaps iff it ends after `s`.
        k = bisect_right(starts, e - 1) - 1
        if k < 0 or spans[k][1] <= s:
            out.append((s, e, kind))
            continue
        pos = s
        for a, b in spans[max(0, bisect_right(starts, s) - 1) :]:
            if a >= e:
                break
            if b <= pos:
                continue
            if a > pos:
                out.append((pos, a, kind))
            pos = max(pos, b)
        if pos < e:
            out.append((pos, e, kind))
    trimmed: list[tuple[int, int, str]] = []
    for a, b, kind in out:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            trimmed.append((a, b, kind))
    return trimmed
