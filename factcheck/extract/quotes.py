"""Quoted speech in a document: the sentences inside quotation marks, as word sequences with offsets.

Outlets quoting the same interview should repeat its words exactly; a quote that two documents give with
one content word swapped ("We reject his visit." / "We reject his message.") is a misquote in one of
them.  This module finds the quoted sentences; `rules/quotes.py` aligns them across documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# a quotation: curly quotes, or straight double quotes, within one paragraph
_QUOTE_RE = re.compile(r"“([^“”\n]{3,}?)”|\"([^\"\n]{3,}?)\"")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+|[,;:]\s+|\s+[—–-]{1,2}\s+")
_BRACKETED_RE = re.compile(r"\[[^\]]*\]")  # "[Democrats]": the outlet's insertion, not the speaker's words
_WORD_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ0-9]+(?:['’][A-Za-z]+)?")


@dataclass(frozen=True, slots=True)
class QuotedWord:
    """One word inside a quotation, lower-cased (apostrophes unified), with its document offsets."""

    word: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class QuotedSegment:
    """A clause or sentence inside a quotation: its words in order, and where its quotation lies."""

    words: tuple[QuotedWord, ...]
    quote_start: int  # offsets of the whole quotation (to find other segments of the same passage)
    quote_end: int

    @property
    def text(self) -> str:
        """The words joined by single spaces (what two quotations are compared on)."""
        return " ".join(w.word for w in self.words)


def quoted_segments(text: str) -> list[QuotedSegment]:
    """Every clause or sentence inside quotation marks of a document (bracketed insertions dropped)."""
    out: list[QuotedSegment] = []
    for match in _QUOTE_RE.finditer(text):
        group = 1 if match.group(1) is not None else 2
        inner_start = match.start(group)
        inner = _BRACKETED_RE.sub(lambda m: " " * len(m.group()), match.group(group))
        position = 0
        for piece in [*_SENTENCE_END_RE.split(inner)]:
            offset = inner.find(piece, position)
            position = offset + len(piece)
            words = tuple(
                QuotedWord(w.group().lower().replace("’", "'"), inner_start + offset + w.start(),
                           inner_start + offset + w.end())
                for w in _WORD_RE.finditer(piece)
            )
            if words:
                out.append(QuotedSegment(words, match.start(), match.end()))
    return out
