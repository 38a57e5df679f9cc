"""The Corpus: what flows from reading to the rules, and what a Report carries.

Documents, their sentences, the claims extracted from them and the ignored (boilerplate) spans,
with the lookups every stage needs built once, on first use: the sentence of a claim, the
sentences and claims of a document.  A `ci` run's corpus also holds the documents retrieved from
the index (after the new ones), so every claim a finding or cluster names can be resolved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from factcheck.records import Claim, ClaimRef, Document, IgnoredSpan, Sentence

__all__ = ["Corpus"]


@dataclass(frozen=True)
class Corpus:
    """Documents with their sentences, claims and ignored spans (indices refer to `documents`)."""

    documents: tuple[Document, ...]
    sentences: tuple[Sentence, ...]
    claims: tuple[Claim, ...]
    ignored: tuple[IgnoredSpan, ...] = ()

    @classmethod
    def of(
        cls,
        documents: Sequence[Document],
        sentences: Sequence[Sentence] = (),
        claims: Sequence[Claim] = (),
        ignored: Sequence[IgnoredSpan] = (),
    ) -> Corpus:
        """Build a corpus from any sequences."""
        return cls(tuple(documents), tuple(sentences), tuple(claims), tuple(ignored))

    @cached_property
    def sentence_index(self) -> dict[tuple[int, int], Sentence]:
        """(document index, sentence index) -> sentence."""
        return {(s.doc_index, s.index): s for s in self.sentences}

    @cached_property
    def sentences_by_document(self) -> dict[int, tuple[Sentence, ...]]:
        """Document index -> its sentences in order (documents without sentences are absent)."""
        out: dict[int, list[Sentence]] = {}
        for sentence in self.sentences:
            out.setdefault(sentence.doc_index, []).append(sentence)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def claim_rows_by_document(self) -> dict[int, tuple[int, ...]]:
        """Document index -> the positions of its claims in `claims`."""
        out: dict[int, list[int]] = {}
        for row, claim in enumerate(self.claims):
            out.setdefault(claim.doc_index, []).append(row)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def texts(self) -> tuple[str, ...]:
        """Each document's text (what offsets refer to)."""
        return tuple(d.text for d in self.documents)

    def sentence_of(self, claim: Claim) -> Sentence:
        """Return the sentence a claim came from."""
        return self.sentence_index[(claim.doc_index, claim.sentence_index)]

    def ref(self, claim: Claim) -> ClaimRef:
        """Build a renderer-ready reference to a claim: its whole sentence, key and value offsets, source."""
        sentence = self.sentence_of(claim)
        doc = self.documents[claim.doc_index]
        return ClaimRef(
            document=doc.path, start=sentence.start, end=sentence.end, line=sentence.line,
            column=sentence.column, text=sentence.text, key=claim.key, value=claim.value_text,
            value_start=claim.value_start, value_end=claim.value_end, key_start=claim.key_start,
            key_end=claim.key_end, date=doc.date.isoformat() if doc.date else None, outlet=doc.outlet,
        )

    def extended(
        self, documents: Sequence[Document], sentences: Sequence[Sentence], claims: Sequence[Claim]
    ) -> Corpus:
        """Return this corpus followed by more documents (their indices already start after ours)."""
        return Corpus(
            (*self.documents, *documents), (*self.sentences, *sentences), (*self.claims, *claims),
            self.ignored,
        )
