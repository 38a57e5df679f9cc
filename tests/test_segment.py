"""Segmentation: exact offsets for any input, and the splitting rules on news text."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.read.segment import LineIndex, line_col, segment
from factcheck.records import Document, IgnoredSpan

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _doc(text: str) -> Document:
    return Document(path="t.txt", text=text, sha256="0")


def _texts(text: str) -> list[str]:
    return [s.text for s in segment(_doc(text), 0)]


def _naive_line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    line = before.count("\n") + 1
    column = len(before.split("\n")[-1]) + 1
    return line, column


def _check_invariants(doc: Document, ignored: tuple[IgnoredSpan, ...] = ()) -> None:
    sentences = segment(doc, 3, ignored)
    previous_end = 0
    for k, s in enumerate(sentences):
        assert doc.text[s.start : s.end] == s.text
        assert s.text and s.text == s.text.strip()
        assert s.start >= previous_end
        previous_end = s.end
        assert (s.doc_index, s.index) == (3, k)
        assert (s.line, s.column) == _naive_line_col(doc.text, s.start)
        assert s.kind in ("prose", "headline", "bullet")
        for span in ignored:
            assert span.start >= span.end or s.end <= span.start or s.start >= span.end


NEWSY = st.lists(
    st.sampled_from([*"ab Z.?!\n\r\t“”\"'-•*#1234567890%$,:;…", "Mr. ", "U.S. ", "e.g. ", "\r\n", "東京。"]),
    max_size=80,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_offsets_hold_for_any_text(text: str) -> None:
    _check_invariants(_doc(text))


@settings(max_examples=300, deadline=None)
@given(NEWSY)
def test_offsets_hold_for_newsy_text(text: str) -> None:
    _check_invariants(_doc(text))


@settings(max_examples=200, deadline=None)
@given(st.text(), st.lists(st.tuples(st.integers(0, 300), st.integers(0, 40)), max_size=5))
def test_sentences_never_touch_ignored_spans(text: str, raw_spans: list[tuple[int, int]]) -> None:
    spans = tuple(
        IgnoredSpan("t.txt", min(a, len(text)), min(a + n, len(text)), 1, 1, "test", text[a : a + n])
        for a, n in raw_spans
    )
    _check_invariants(_doc(text), spans)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "\n", "\r", "é", "東"]), max_size=60), st.data())
def test_line_col_matches_naive(text: str, data: st.DataObject) -> None:
    offset = data.draw(st.integers(0, len(text)))
    assert line_col(text, offset) == _naive_line_col(text, offset)
    assert LineIndex(text).line_col(offset) == _naive_line_col(text, offset)


def test_empty_and_blank_text() -> None:
    assert _texts("") == []
    assert _texts(" \n\r\n\t") == []


def test_seed_sentence_is_one_sentence() -> None:
    sentence = (
        "Japan’s chief negotiator, Ryosei Akazawa, has flown to Washington seven times in recent "
        "months to continue smooth negotiations."
    )
    path = next(SEEDS.glob("000_*.txt"))
    doc = Document(path=str(path), text=path.read_text(encoding="utf-8"), sha256="0")
    assert sentence in [s.text for s in segment(doc, 0)]


def test_abbreviations_and_numbers() -> None:
    assert _texts("New U.S. tariffs kick in on July 9. Japan is worried.") == [
        "New U.S. tariffs kick in on July 9.",
        "Japan is worried.",
    ]
    assert _texts("The average return was 3.35% in July. Stocks rose.") == [
        "The average return was 3.35% in July.",
        "Stocks rose.",
    ]
    assert _texts("Mr. Akazawa said Dr. Smith and Prof. Jones met Gen. Lee.") == [
        "Mr. Akazawa said Dr. Smith and Prof. Jones met Gen. Lee."
    ]
    assert _texts("It cost $2.5 million, e.g. for roads. J. Smith agreed.") == [
        "It cost $2.5 million, e.g. for roads.",
        "J. Smith agreed.",
    ]
    assert _texts("He joined Apple Inc. The company grew. Shares of Acme Inc. Ltd rose.") == [
        "He joined Apple Inc.",
        "The company grew.",
        "Shares of Acme Inc. Ltd rose.",
    ]
    assert _texts("The vote is on Jan. 5 at 9 a.m. in Washington. No. 10 agreed.") == [
        "The vote is on Jan. 5 at 9 a.m. in Washington.",
        "No. 10 agreed.",
    ]
    assert _texts("Wait... What happened? Nobody knows! “We will see,” he said.") == [
        "Wait...",
        "What happened?",
        "Nobody knows!",
        "“We will see,” he said.",
    ]
    assert _texts("It was “a massive rice shortage.” He left. Why? he asked.") == [
        "It was “a massive rice shortage.”",
        "He left.",
        "Why? he asked.",
    ]


def test_cjk_sentence_marks() -> None:
    assert _texts("美股上漲。比特幣下跌！") == ["美股上漲。", "比特幣下跌！"]


def test_bullets_headlines_and_wrapped_lines() -> None:
    path = next(SEEDS.glob("004_*.txt"))
    doc = Document(path=str(path), text=path.read_text(encoding="utf-8"), sha256="0")
    sentences = segment(doc, 0)
    bullets = [s for s in sentences if s.kind == "bullet"]
    assert len(bullets) == 4
    assert bullets[0].text == (
        "Japan moves to the front of the line in US tariff relief talks, "
        "led by Treasury Secretary Scott Bessent."
    )
    assert (bullets[0].line, bullets[0].column) == (2, 3)
    headline = next(s for s in sentences if s.kind == "headline")
    assert headline.text == "Japan Moves to Front of US Tariff Negotiation Queue Amid Industry Concerns"

    seed0 = next(SEEDS.glob("000_*.txt"))
    doc0 = Document(path=str(seed0), text=seed0.read_text(encoding="utf-8"), sha256="0")
    by_text = {s.text: s for s in segment(doc0, 0)}
    assert by_text["Tokyo focuses on jobs and autos as key to U.S. trade talks"].kind == "headline"

    wrapped = (
        "The council said spending on roads\nwould rise next year. It will\nstart in May.\nNew Heading\n"
    )
    assert [(s.text, s.kind) for s in segment(_doc(wrapped), 0)] == [
        ("The council said spending on roads\nwould rise next year.", "prose"),
        ("It will\nstart in May.", "prose"),
        ("New Heading", "headline"),
    ]
    bullets_text = "* first point here\n• second point\n1. third point. With two sentences.\n"
    assert [(s.text, s.kind) for s in segment(_doc(bullets_text), 0)] == [
        ("first point here", "bullet"),
        ("second point", "bullet"),
        ("third point.", "bullet"),
        ("With two sentences.", "bullet"),
    ]


def test_markdown_heading_starts_after_marker() -> None:
    sentences = segment(_doc("## Trade talks stall\n\nBody text here."), 0)
    assert (sentences[0].text, sentences[0].kind, sentences[0].column) == ("Trade talks stall", "headline", 4)


def test_crlf_lines() -> None:
    text = "Headline here\r\n\r\nFirst sentence. Second one.\r\nThird line starts here.\r\n"
    sentences = segment(_doc(text), 0)
    assert [s.text for s in sentences] == [
        "Headline here",
        "First sentence.",
        "Second one.",
        "Third line starts here.",
    ]
    assert [(s.line, s.column) for s in sentences] == [(1, 1), (3, 1), (3, 17), (4, 1)]


def test_ignored_lines_are_skipped() -> None:
    text = "Keep this sentence.\nDrop this line.\nKeep this too."
    start = text.index("Drop")
    span = IgnoredSpan("t.txt", start, start + len("Drop this line."), 2, 1, "ad", "Drop this line.")
    assert [s.text for s in segment(_doc(text), 0, [span])] == ["Keep this sentence.", "Keep this too."]


def test_speed_is_reasonable() -> None:
    text = "The index rose 3.35% on Monday, Mr. Smith said. Analysts in the U.S. were surprised!\n\n" * 20_000
    start = time.perf_counter()
    sentences = segment(_doc(text), 0)
    elapsed = time.perf_counter() - start
    assert len(sentences) == 40_000
    assert elapsed < 10  # generous bound; typically well under a second
