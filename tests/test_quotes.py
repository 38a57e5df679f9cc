"""Quoted speech (extract/quotes.py) and FC503's alignment of quotations across documents."""

from __future__ import annotations

from pathlib import Path

from conftest import FakeEmbedder

from factcheck.config import Config
from factcheck.extract.quotes import quoted_segments
from factcheck.pipeline import check_documents
from factcheck.records import Document, Finding
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
    assert _one_word_apart(seg("we are in favour of it"), seg("we are in favor of it")) is None


def _run(a: str, b: str) -> list[str]:
    docs = [Document("a.txt", a, "a"), Document("b.txt", b, "b")]
    report = check_documents(docs, Config(use_cache=False), embedders=(FakeEmbedder(), None))
    return [f.code for f in report.findings]


def test_a_short_swapped_clause_needs_a_neighbouring_clause_both_quote() -> None:
    passage = '"This is not a plan for the harbour," Mayor Ines Calloway said. "We reject the {}."'
    assert "FC503" in _run(passage.format("proposal"), passage.format("timetable"))
    alone = 'Mayor Ines Calloway said of the harbour plan: "We reject the {}."'
    assert "FC503" not in _run(alone.format("proposal"), alone.format("timetable"))


def test_parallel_clauses_of_one_speech_are_not_a_misquote() -> None:
    speech = ('"We will make the harbour strong again. We will make the harbour {} again," '
              "Mayor Ines Calloway said.")
    assert "FC503" not in _run(speech.format("safe"), speech.format("rich"))


FOCUS_DOCUMENTS = {
    "a.txt": '"We reject the plan for the harbour and its new quay," Mayor Ines Calloway said.\n',
    "b.txt": '"We reject the plan for the harbour and its new pier," Mayor Ines Calloway said.\n',
    "c.txt": '"We reject the plan for the harbour and its new quay," the mayor said on Monday.\n',
    "d.txt": '"We reject the plan for the harbour and its new dock," Mayor Ines Calloway said.\n'
             '"This is not a plan for the city," she added. "We reject the proposal."\n',
    "e.txt": '"This is not a plan for the city," Calloway said. "We reject the timetable."\n',
    "f.txt": '"We reject the plan for the harbour and its new pier," the mayor told reporters.\n',
    "g.txt": "The harbour plan was discussed by the city council on Monday.\n",
}


def test_focus_documents_get_exactly_the_misquotes_of_a_full_run(tmp_path: Path) -> None:
    from factcheck.pipeline import analyse
    from factcheck.read.ingest import load_documents
    from factcheck.rules.base import RuleContext
    from factcheck.rules.quotes import misquote

    for name, text in FOCUS_DOCUMENTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    corpus = analyse(load_documents([str(tmp_path)]), Config(use_cache=False))
    full = list(misquote(RuleContext(corpus=corpus)))
    assert len(full) >= 3  # quay / pier, quay / dock, pier / dock, proposal / timetable

    def involving(findings: list[Finding], paths: set[str]) -> list[str]:
        return sorted(f.fingerprint for f in findings if any(r.document in paths for r in f.claims))

    for n, document in enumerate(corpus.documents):
        focused = list(misquote(RuleContext(corpus=corpus, focus_docs=frozenset({n}))))
        assert involving(focused, {document.path}) == involving(full, {document.path}), document.path
        assert all(any(r.document == document.path for r in f.claims) for f in focused)
    # c.txt quotes a's words: the quay / pier swap is reported once, for a and b, never for c and b
    c = next(n for n, d in enumerate(corpus.documents) if d.path.endswith("c.txt"))
    focused = list(misquote(RuleContext(corpus=corpus, focus_docs=frozenset({c}))))
    assert not [f for f in focused if {"quay", "pier"} <= {v.lower() for v in f.values}]
    pair = [n for n, d in enumerate(corpus.documents) if d.path.endswith(("c.txt", "f.txt"))]
    both = list(misquote(RuleContext(corpus=corpus, focus_docs=frozenset(pair))))
    assert involving(both, {corpus.documents[n].path for n in pair}) == involving(
        full, {corpus.documents[n].path for n in pair})
