"""Fixtures of the reliability suite: a CLI runner that never loads a model, and small corpora.

The suite turns the hostile probes of issue #14 into tests: each test drives the CLI (or the
library) with broken or hostile input and checks the documented behaviour.  Inputs are tiny.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURES, FakeEmbedder

import factcheck.pipeline
from factcheck.cli import main

FIRES = FIXTURES / "rules" / "FC101" / "fires"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    """A runner in an empty working directory (no config file found) that never loads a model."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FACTCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.setattr(factcheck.pipeline, "make_embedders", lambda _config: (FakeEmbedder(), None))
    return CliRunner()


@pytest.fixture
def invoke(runner: CliRunner) -> Callable[..., Result]:
    def run(*args: str, input: str | bytes | None = None) -> Result:
        return runner.invoke(main, list(args), input=input, catch_exceptions=True)

    return run


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of the FC101 fixture pair (Ryosei vs Akio Akazawa): `check` exits 1 on it."""
    return Path(shutil.copytree(FIRES, tmp_path / "corpus"))


def one_error_line(result: Result) -> str:
    """The error line of a failed run (exit 2): one `factcheck: error:` line, the last, no traceback.

    Progress notes (`factcheck: indexing ...`) may come before it.
    """
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("factcheck: error:")]
    assert len(errors) == 1 and lines[-1] == errors[0], result.stderr
    assert "Traceback" not in result.stderr
    return errors[0]
