"""Item 4 of issue #14: a directive suppresses findings only for its own document's claims."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

DIRECTIVE = "factcheck: ignore-file[FC101]\n"
AGREES = "Japan's chief negotiator, Ryosei Akazawa, met officials in Washington for tariff talks.\n"
DISAGREES = "Japan's chief negotiator, Akio Akazawa, met officials in Washington for tariff talks.\n"


def _codes(result: Result) -> list[str]:
    return [f["code"] for f in json.loads(result.stdout)["findings"]]


def test_directive_cannot_silence_a_conflict_between_other_documents(
    invoke: Callable[..., Result], corpus: Path
) -> None:
    (corpus / "c.txt").write_text(DIRECTIVE + AGREES, encoding="utf-8")
    result = invoke("check", str(corpus / "a.txt"), str(corpus / "b.txt"), str(corpus / "c.txt"),
                    "--format", "json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    fc101 = [f for f in data["findings"] if f["code"] == "FC101"]
    assert fc101, data["findings"]
    # the finding stands on a.txt and b.txt alone: c.txt's claims are left out of it
    assert all(not c["document"].endswith("c.txt") for f in fc101 for c in f["claims"])


def test_directive_still_silences_its_own_conflict(invoke: Callable[..., Result], corpus: Path) -> None:
    (corpus / "b.txt").write_text(DIRECTIVE + DISAGREES, encoding="utf-8")
    result = invoke("check", str(corpus / "a.txt"), str(corpus / "b.txt"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert "FC101" not in _codes(result)


def test_directive_scope_holds_through_the_index(invoke: Callable[..., Result], corpus: Path) -> None:
    (corpus / "c.txt").write_text(DIRECTIVE + AGREES, encoding="utf-8")
    assert invoke("index", "add", str(corpus / "a.txt"), str(corpus / "c.txt")).exit_code == 0
    result = invoke("ci", str(corpus / "b.txt"), "--format", "json")
    assert result.exit_code == 1, result.output
    assert "FC101" in _codes(result)
