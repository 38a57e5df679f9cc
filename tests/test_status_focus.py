"""FC904 with focus documents (`ci`): the other documents are searched only for the event families the
focus documents report, and the findings that involve a focus document are exactly those of a full run."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, SEEDS

from factcheck.config import Config
from factcheck.extract import evolving
from factcheck.pipeline import analyse
from factcheck.read.ingest import load_documents
from factcheck.rules.base import RuleContext
from factcheck.rules.status import status_changed

DOCUMENTS = {
    "a.txt": "Governor Ellen Marwick plans to sign the Harbour Funding Act this week, her spokesman said.\n"
             "Senator Joan Pike is expected to be elected speaker of the Ostrava assembly next month.\n",
    "b.txt": "Governor Ellen Marwick signed the Harbour Funding Act on Friday, her spokesman said.\n"
             "The strike at the Delmar plant entered its 12th day on Monday, union leaders said.\n",
    "c.txt": "The strike at the Delmar plant entered its 14th day, union leaders said.\n"
             "Prosecutors are expected to indict Mayor Carl Brandt of Delmar over the contracts.\n",
    "d.txt": "Mayor Carl Brandt of Delmar was indicted on Tuesday over the contracts.\n"
             "Speaker Joan Pike opened the Ostrava assembly session on Monday.\n",
    "e.txt": "The Ostrava assembly will approve the port budget, Speaker-to-be Joan Pike said.\n",
    "f.txt": "The Ostrava assembly approved the port budget on Thursday, officials said.\n",
    "g.txt": "Roads near the Delmar plant were closed for repairs, officials said.\n",
}


def _lines() -> list[str]:
    files = [p for folder in (SEEDS, FIXTURES) for p in sorted(folder.rglob("*.txt"))]
    texts = [p.read_text(encoding="utf-8") for p in files] + list(DOCUMENTS.values())
    return [line for text in texts for line in re.split(r"(?<=[.!?])\s+|\n", text) if line.strip()]


def test_searching_some_families_finds_exactly_their_events() -> None:
    lines = _lines()
    full = [evolving.status_events(line) for line in lines]
    names = sorted({f.name for f in evolving.FAMILIES})
    subsets = ({"sign"}, {"indict", "approve"}, set(names[::2]), set(), {"day count", "become speaker"})
    for families in subsets:
        wanted = frozenset(families)
        assert [evolving.status_events(line, wanted) for line in lines] == [
            [e for e in events if e.family in wanted] for events in full]


def test_the_pending_office_pre_screen_finds_exactly_what_the_pattern_finds(
        monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _lines()
    screened = [evolving.pending_roles(line) for line in lines]
    assert any(screened) and not all(screened)
    monkeypatch.setattr(evolving, "_ROLE_PENDING_SCREEN", re.compile(""))  # lets every sentence through
    assert [evolving.pending_roles(line) for line in lines] == screened


def _involving(findings: list, paths: set[str]) -> list:
    found = [f for f in findings if any(r.document in paths for r in f.claims)]
    return sorted(found, key=lambda f: f.fingerprint)


def test_focus_documents_get_exactly_the_findings_of_a_full_run(tmp_path: Path) -> None:
    for name, text in DOCUMENTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    corpus = analyse(load_documents([str(tmp_path)]), Config(use_cache=False))
    full = list(status_changed(RuleContext(corpus=corpus)))
    families = {f.cluster for f in full}
    assert {"status:sign", "status:day count", "status:indict", "status:become speaker"} <= families
    for n, document in enumerate(corpus.documents):
        focused = list(status_changed(RuleContext(corpus=corpus, focus_docs=frozenset({n}))))
        assert _involving(focused, {document.path}) == _involving(full, {document.path}), document.path
    quiet = [n for n, d in enumerate(corpus.documents) if d.path.endswith("g.txt")]  # reports no event
    assert not list(status_changed(RuleContext(corpus=corpus, focus_docs=frozenset(quiet))))


def test_the_needle_pre_screen_finds_exactly_what_the_patterns_find(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [*_lines(), "The bill was SIGNED on Friday.", "Governor Ellen Marwick ſigned the act.",
             "The Speaker-Elect spoke.", "Pike is expected TO BE elected speaker.",
             "It entered its 12TH DAY.",
             "Die Regierung hat das Gesetz am Freitag unterzeichnet (signed) — sagte Müller.",
             "The KELVIN strike (K) entered its 3rd week."]
    names = sorted({f.name for f in evolving.FAMILIES})
    subsets = (None, frozenset({"sign"}), frozenset(names[1::2]), frozenset())

    def found() -> list[Any]:
        return [([evolving.status_events(line, families) for families in subsets],
                 evolving.pending_roles(line), evolving.ordinal_days(line)) for line in lines]

    screened = found()
    assert sum(not evolving.may_match(line, evolving._ANY_NEEDLES) for line in lines) > len(lines) // 4
    assert any(events[0] for events, _, _ in screened)
    assert any(roles for _, roles, _ in screened) and any(days for _, _, days in screened)
    monkeypatch.setattr(evolving, "may_match", lambda _text, _needles: True)
    assert found() == screened
