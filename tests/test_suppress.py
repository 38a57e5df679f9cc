"""Inline suppressions: `factcheck: ignore[...]` comment lines and FC902 unused-suppression."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FakeEmbedder

from factcheck.config import Config
from factcheck.errors import InputError
from factcheck.pipeline import check
from factcheck.read.boilerplate import find_boilerplate
from factcheck.read.suppress import find_suppressions, is_directive
from factcheck.records import Document

RYOSEI = "Talks\n\nJapan's chief negotiator, Ryosei Akazawa, flew to Washington on Monday.\n"
AKIO_LINE = "Japan's chief negotiator, Akio Akazawa, will travel to Washington next week."


def _run(tmp_path: Path, text: str, name: str = "b.txt", **config: object) -> list[str]:
    (tmp_path / "a.txt").write_text(RYOSEI)
    (tmp_path / name).write_text(text)
    report = check(
        [str(tmp_path / "a.txt"), str(tmp_path / name)],
        Config(use_cache=False, **config),  # type: ignore[arg-type]
        embedders=(FakeEmbedder(), None),
    )
    return [f.code for f in report.findings]


@pytest.mark.parametrize(
    "line",
    [
        "# factcheck: ignore[FC101]",
        "<!-- factcheck: ignore[FC101, FC2] -->",
        "// factcheck: ignore-file[FC201]",
        "factcheck: ignore-file",
        "  #   factcheck: ignore",
        "% factcheck: ignore[FC1]",
    ],
)
def test_directive_lines_are_recognised(line: str) -> None:
    assert is_directive(line)


@pytest.mark.parametrize(
    "line", ["The factcheck: ignore rule is odd, he said.", "# Factchecking ignored", ""]
)
def test_prose_is_not_a_directive(line: str) -> None:
    assert not is_directive(line)


def test_directive_lines_never_become_claims() -> None:
    text = "Title\n\n# factcheck: ignore[FC101]\nJapan's chief negotiator, Akio Akazawa, spoke.\n"
    doc = Document(path="x.txt", text=text, sha256="0")
    spans = find_boilerplate(doc)
    assert any(s.reason == "directive" and s.text == "# factcheck: ignore[FC101]" for s in spans)


def test_without_a_directive_the_conflict_is_found(tmp_path: Path) -> None:
    assert "FC101" in _run(tmp_path, f"News\n\n{AKIO_LINE}\n")


def test_ignore_suppresses_the_next_sentence_only(tmp_path: Path) -> None:
    codes = _run(tmp_path, f"News\n\n# factcheck: ignore[FC101]\n{AKIO_LINE}\n")
    assert "FC101" not in codes and "FC902" not in codes
    # a directive before another sentence does not cover the conflicting one
    codes = _run(tmp_path, f"News\n\n# factcheck: ignore[FC101]\nThe weather was fine.\n\n{AKIO_LINE}\n")
    assert "FC101" in codes and "FC902" in codes


def test_html_comment_directive_in_markdown(tmp_path: Path) -> None:
    codes = _run(tmp_path, f"# News\n\n<!-- factcheck: ignore[FC1] -->\n{AKIO_LINE}\n", name="b.md")
    assert "FC101" not in codes


def test_ignore_file_covers_the_whole_document(tmp_path: Path) -> None:
    codes = _run(tmp_path, f"// factcheck: ignore-file[FC101]\nNews\n\nSome text first.\n\n{AKIO_LINE}\n")
    assert "FC101" not in codes and "FC902" not in codes


def test_other_codes_are_not_suppressed_and_unused_is_reported(tmp_path: Path) -> None:
    codes = _run(tmp_path, f"News\n\n# factcheck: ignore[FC301]\n{AKIO_LINE}\n")
    assert "FC101" in codes and "FC902" in codes


def test_unused_suppression_of_a_disabled_rule_is_not_reported(tmp_path: Path) -> None:
    codes = _run(tmp_path, f"News\n\n# factcheck: ignore[FC301]\n{AKIO_LINE}\n", select=("FC1", "FC9"))
    assert "FC902" not in codes


def test_bad_code_in_a_directive_is_an_input_error(tmp_path: Path) -> None:
    doc = Document(path="x.txt", text="# factcheck: ignore[banana]\nText here.\n", sha256="0")
    with pytest.raises(InputError, match=r"x.txt:1: bad rule code 'BANANA'"):
        find_suppressions(doc, [])


def test_ci_reports_unused_suppressions_of_new_documents_only(tmp_path: Path) -> None:
    from factcheck.index.incremental import check_against_index
    from factcheck.index.store import CorpusIndex
    from factcheck.read.ingest import load_documents

    fake = FakeEmbedder()
    (tmp_path / "old.txt").write_text("Old\n\n# factcheck: ignore[FC301]\nThe harbour had 12 ferries.\n")
    (tmp_path / "a.txt").write_text(RYOSEI)
    index = CorpusIndex.open(tmp_path / "ix", fake, create=True)
    index.add(load_documents([str(tmp_path / "old.txt"), str(tmp_path / "a.txt")]), Config(use_cache=False))
    (tmp_path / "new.txt").write_text(f"New\n\n# factcheck: ignore[FC101]\n{AKIO_LINE}\n")
    report = check_against_index(
        load_documents([str(tmp_path / "new.txt")]), index, Config(use_cache=False), (fake, None)
    )
    assert [f.code for f in report.findings] == []  # suppressed, and old.txt's stale directive is not ours
