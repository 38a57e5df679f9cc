"""Quoted speech (extract/quotes.py) and FC503's alignment of quotations across documents."""

from __future__ import annotations

from conftest import FakeEmbedder

from factcheck.config import Config
from factcheck.extract.quotes import quoted_segments
from factcheck.pipeline import check_documents
from factcheck.records import Document
from factcheck.rules.quotes import _one_word_apart


def test_quoted_segments_are_clauses_with_offsets_and_no_bracketed_insertions() -> None:
    text = ('He said: “We don’t like him, we don’t want him. We reject his visit.” '
            'Then "If they [Democrats] act."')
    segments = quoted_segments(text)
    assert [s.text for s in segments] == ["we don't like him", "we don't want him", "we reject his visit",
                                          "if they act"]
    visit = segments[2].words[-1]
    assert text[visit.start : visit.end] == "visit"


def test_one_content_word_swap_is_found_but_not_function_words_inflections_or_truncations() -> None:
    def seg(text: str):  # type: ignore[no-untyped-def]
        return quoted_segments(f"“{text}”")[0]

    assert _one_word_apart(seg("We reject his visit"), seg("We reject his message")) == 3
    assert _one_word_apart(seg("pay a single cent now"), seg("pay any single cent now")) is None
    assert _one_word_apart(seg("incompatible with your duty now"),
                           seg("incompatible with your duties now")) is None
    assert _one_word_apart(seg("We reject his visit"), seg("We reject his visit today")) is None


def _run(a: str, b: str) -> list[str]:
    docs = [Document("a.txt", a, "a"), Document("b.txt", b, "b")]
    report = check_documents(docs, Config(use_cache=False), embedders=(FakeEmbedder(), None))
    return [f.code for f in report.findings]


def test_a_short_swapped_clause_needs_a_neighbouring_clause_both_quote() -> None:
    passage = '"This is not a plan for the harbour," Mayor Ines Calloway said. "We reject the {}."'
    assert "FC503" in _run(passage.format("proposal"), passage.format("timetable"))
    alone = 'Mayor Ines Calloway said of the harbour plan: "We reject the {}."'
    assert "FC503" not in _run(alone.format("proposal"), alone.format("timetable"))
