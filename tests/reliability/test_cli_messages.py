"""Items 8, 10, 12 and 13 of issue #14: what the CLI says on stderr, and refs that are not options."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from factcheck.cli.app import safe_line

from .conftest import one_error_line

# --------------------------------------------------------------------------- 8: escapes in file names


def test_escape_sequences_in_a_file_name_never_reach_stderr(invoke: Callable[..., Result],
                                                           tmp_path: Path) -> None:
    name = "\x1b]0;PWNED\x07\x1b[2J\u061c\u202ex.txt"
    (tmp_path / name).write_bytes(b"")  # an empty file: skipped with a warning that names it
    (tmp_path / "a.txt").write_text("Officials met in Tokyo on Tuesday.\n", encoding="utf-8")
    result = invoke("check", str(tmp_path / name), str(tmp_path / "a.txt"))
    assert "skipping empty file" in result.stderr
    for raw in ("\x1b", "\x07", "\u061c", "\u202e"):
        assert raw not in result.stderr
    assert "\\x1b]0;PWNED\\x07" in result.stderr  # shown, so the user can find the file
    line = one_error_line(invoke("check", str(tmp_path / ("\x1b[2Jmissing\u061c.txt"))))
    assert "\\x1b[2Jmissing\\u061c.txt" in line


def test_safe_line_keeps_ordinary_text() -> None:
    assert safe_line("café/新聞 report.txt — ok") == "café/新聞 report.txt — ok"
    assert safe_line("a\nb") == "a\\nb"  # one line, always


# ----------------------------------------------------------------- 10: --since is a ref, not an option


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_since_cannot_smuggle_a_git_option(invoke: Callable[..., Result], tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    line = one_error_line(invoke("ci", "--since", "--output=victim.txt"))
    assert "is not a git ref" in line
    assert not (tmp_path / "victim.txt").exists()
    assert "no such git commit" in one_error_line(invoke("ci", "--since", "no-such-branch"))


# --------------------------------------------------------------------------- 12: unknown rule codes


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_rule_code_on_the_command_line_is_an_error(invoke: Callable[..., Result], corpus: Path,
                                                          option: str) -> None:
    line = one_error_line(invoke("check", str(corpus), option, "FC101,FC999"))
    assert f"{option}: unknown rule code FC999" in line
    assert "FC101" in line.split("valid codes:")[1]


def test_unknown_rule_code_in_the_configuration_is_an_error(invoke: Callable[..., Result], corpus: Path,
                                                            tmp_path: Path) -> None:
    (tmp_path / "factcheck.toml").write_text('select = ["FC9999"]\n', encoding="utf-8")
    assert "unknown rule code FC9999" in one_error_line(invoke("check", str(corpus)))
    (tmp_path / "factcheck.toml").write_text('[severity]\nFC109 = "info"\n', encoding="utf-8")
    assert "severity.FC109: unknown rule code" in one_error_line(invoke("check", str(corpus)))


def test_rule_prefixes_stay_valid(invoke: Callable[..., Result], corpus: Path) -> None:
    assert invoke("check", str(corpus), "--select", "FC1", "--ignore", "FC9").exit_code == 1


# --------------------------------------------------------------------------- 13: -o says what it wrote


@pytest.mark.parametrize("fmt", ["html", "json", "text"])
def test_output_file_is_announced_with_counts(invoke: Callable[..., Result], corpus: Path, tmp_path: Path,
                                              fmt: str) -> None:
    target = tmp_path / f"report.{fmt}"
    result = invoke("check", str(corpus), "--format", fmt, "-o", str(target))
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert f"wrote {target} — 1 error, 0 warnings" in result.stderr
    assert target.stat().st_size > 0
    quiet = invoke("check", str(corpus), "--format", fmt, "-o", str(target), "--quiet")
    assert quiet.stderr == ""


def test_ci_output_file_is_announced(invoke: Callable[..., Result], corpus: Path, tmp_path: Path) -> None:
    assert invoke("index", "add", str(corpus / "a.txt")).exit_code == 0
    result = invoke("ci", str(corpus / "b.txt"), "--format", "json", "-o", "ci.json")
    assert result.exit_code == 1, result.output
    assert "wrote ci.json — 1 error, 0 warnings" in result.stderr
