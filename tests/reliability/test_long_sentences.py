"""Item 7 of issue #14: a sentence with thousands of values costs linear time, not quadratic.

No timing assertions: the tests check that every context test reads a bounded window of the
sentence (what makes the cost linear) and that token lookups agree with a plain scan.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.config import Config
from factcheck.extract import MAX_CLAIMS_PER_SENTENCE, _token_range
from factcheck.extract import quantities as q
from factcheck.pipeline import analyse
from factcheck.records import Document


def _sentence(n: int) -> str:
    items = " and then ".join(f"{i} percent among voters" for i in range(n))
    return f"Officials said that support rose by {items} in the region.\n"


class _Recorder:
    """A compiled pattern that records how much text each call reads."""

    def __init__(self, pattern: re.Pattern[str], sizes: list[int]) -> None:
        self.pattern, self.sizes = pattern, sizes

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        self.sizes.append((len(text) if endpos is None else endpos) - pos)
        return self.pattern.match(text, pos, len(text) if endpos is None else endpos)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> Any:
        self.sizes.append((len(text) if endpos is None else endpos) - pos)
        return self.pattern.search(text, pos, len(text) if endpos is None else endpos)


def test_quantity_context_tests_read_bounded_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes: list[int] = []
    for name in ("_MONTH_AFTER_RE", "_MONTH_BEFORE_RE", "_CONVERSION_RE", "_TIME_AFTER_RE", "_THING_RE",
                 "_LABEL_RE"):
        monkeypatch.setattr(q, name, _Recorder(getattr(q, name), sizes))
    text = _sentence(3000)
    found = q.find_quantities(text)
    assert len(found) == 3000
    assert sizes and max(sizes) <= 2 * q._LOOK  # the old code read the rest of the sentence each time


def test_a_sentence_of_thousands_of_values_is_extracted() -> None:
    text = _sentence(5000)  # the old code took ~20 s here and ~2 minutes at 20,000 items
    doc = Document(path="a.txt", text=text, sha256="0", format="txt", date=None, outlet=None,
                   language="en", encoding="utf-8")
    corpus = analyse([doc], Config())
    assert len(corpus.sentences) == 1
    assert len(corpus.claims) == MAX_CLAIMS_PER_SENTENCE


def test_clause_work_stops_at_the_claim_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    import factcheck.extract as extract

    calls: list[int] = []
    real = extract.strip_spans

    def counted(text: str, spans: Any) -> str:
        calls.append(len(text))
        return real(text, spans)

    monkeypatch.setattr(extract, "strip_spans", counted)
    text = "The council said " + " and ".join(f"it did not approve plan {i}" for i in range(2000)) + ".\n"
    doc = Document(path="a.txt", text=text, sha256="0", format="txt", date=None, outlet=None,
                   language="en", encoding="utf-8")
    corpus = analyse([doc], Config(use_cache=False))
    assert len(corpus.claims) == MAX_CLAIMS_PER_SENTENCE
    assert len(calls) <= MAX_CLAIMS_PER_SENTENCE + 1  # it used to strip the whole clause once per marker


def _plain(spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    first = next((i for i, (_, e) in enumerate(spans) if e > start), 0)
    last = first
    for i in range(first, len(spans)):
        if spans[i][0] < end:
            last = i
        else:
            break
    return first, last


@given(st.lists(st.integers(1, 6), min_size=1, max_size=30), st.integers(0, 200), st.integers(0, 40))
def test_token_range_agrees_with_a_plain_scan(widths: list[int], start: int, length: int) -> None:
    spans, pos = [], 0
    for w in widths:  # tokens of width w separated by one space
        spans.append((pos, pos + w))
        pos += w + 1
    starts, ends = [s for s, _ in spans], [e for _, e in spans]
    assert _token_range(starts, ends, start, start + length) == _plain(spans, start, start + length)
