"""The command line: help everywhere, fast help, and bad input answered with one line and exit 2.

In-process tests use click's CliRunner with `factcheck.pipeline.make_embedders` patched to the fake
embedder, so no model is ever loaded; a few subprocess tests check the real entry point.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURES, ROOT, FakeEmbedder

import factcheck.pipeline
from factcheck import __version__
from factcheck.cli import main
from factcheck.link.embed import static_model_file

KB = FIXTURES / "kb" / "japan-2025.toml"
RULES = FIXTURES / "rules"
ENTRY = "import sys; from factcheck.cli import main; sys.argv[0] = 'factcheck'; main()"


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and subcommand of the CLI, as argument prefixes."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from command_paths(command, (*prefix, name))


ALL_COMMANDS = [(), *command_paths(main)]


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
    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(main, list(args), input=input, catch_exceptions=True)

    return run


def assert_one_line_error(result: Result, *fragments: str) -> str:
    """Exit 2, nothing on stdout, exactly one `factcheck: error:` line on stderr, no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith("factcheck: error:")]
    assert len(errors) == 1, result.stderr
    others = [line for line in result.stderr.splitlines() if not line.startswith("factcheck: ")]
    assert others == [], result.stderr
    for fragment in fragments:
        assert fragment in errors[0], errors[0]
    return errors[0]


# --------------------------------------------------------------------------- help and version


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=lambda p: " ".join(("factcheck", *p)))
def test_help_on_every_command_shows_an_example(path: tuple[str, ...], invoke: Callable[..., Result]) -> None:
    result = invoke(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage: " in result.stdout
    assert "Example" in result.stdout, f"`factcheck {' '.join(path)} --help` has no example"
    assert "factcheck " in result.stdout.split("Example", 1)[1]


def test_every_command_is_walked() -> None:
    names = {" ".join(p) for p in ALL_COMMANDS}
    assert {"check", "model", "model build-static"} <= names


def test_version(invoke: Callable[..., Result]) -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"factcheck, version {__version__}"


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["--version"]])
def test_help_does_not_import_heavy_modules(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from factcheck.cli import main\n"
        "try:\n"
        f"    main({args!r}, prog_name='factcheck')\n"
        "except SystemExit as exc:\n"
        "    assert exc.code in (0, None), exc.code\n"
        "heavy = ('torch', 'sentence_transformers', 'faiss', 'transformers')\n"
        "heavy = sorted(m for m in heavy if m in sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert time.perf_counter() - started < 10


# --------------------------------------------------------------------------- bad input


def test_nonexistent_path(invoke: Callable[..., Result]) -> None:
    assert_one_line_error(invoke("check", "no/such/file.txt"), "no/such/file.txt", "not found")


def test_empty_directory(invoke: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert_one_line_error(invoke("check", "empty"), "empty", "no documents")


@pytest.mark.parametrize("quiet", [False, True])
def test_empty_file_only(invoke: Callable[..., Result], tmp_path: Path, quiet: bool) -> None:
    (tmp_path / "blank.txt").write_text("", encoding="utf-8")
    result = invoke("check", "blank.txt", *(["-q"] if quiet else []))
    assert_one_line_error(result, "no readable documents")
    if quiet:
        assert len(result.stderr.splitlines()) == 1
    else:
        assert "blank.txt" in result.stderr  # the warning names the skipped file


def test_binary_file_only(invoke: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    result = invoke("check", "image.txt")
    assert_one_line_error(result, "no readable documents")
    assert "binary" in result.stderr and "image.txt" in result.stderr


def test_invalid_utf8(invoke: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"Caf\xe9 \xff\xfe is not UTF-8 \x81\x82\x83 at all.\n")
    assert_one_line_error(invoke("check", "bad.txt"), "bad.txt", "UTF-8")


def _corpus(tmp_path: Path) -> str:
    shutil.copytree(RULES / "FC301" / "fires", tmp_path / "corpus")
    return "corpus"


def test_malformed_kb_names_file_and_line(invoke: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "kb.toml").write_text('[[role]]\nrole = "Prime Minister"\nholder = \n', encoding="utf-8")
    assert_one_line_error(invoke("check", _corpus(tmp_path), "--kb", "kb.toml"), "kb.toml", "line 3")


def test_kb_with_unknown_key_names_file_and_line(invoke: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "kb.toml").write_text(
        '# cabinet\n\n[[role]]\nrole = "Prime Minister"\nholder = "Shigeru Ishiba"\nsince = 2024-10-01\n',
        encoding="utf-8",
    )
    assert_one_line_error(invoke("check", _corpus(tmp_path), "--kb", "kb.toml"), "kb.toml", "line 3", "since")


def test_kb_with_contradictory_entries(invoke: Callable[..., Result], tmp_path: Path) -> None:
    entry = '[[role]]\nrole = "Prime Minister"\nscope = "Japan"\nholder = "{}"\nfrom = 2025-01-01\n\n'
    (tmp_path / "kb.toml").write_text(entry.format("Shigeru Ishiba") + entry.format("Fumio Kishida"),
                                      encoding="utf-8")
    message = assert_one_line_error(invoke("check", _corpus(tmp_path), "--kb", "kb.toml"), "kb.toml")
    assert "lines 1 and 7" in message and "Shigeru Ishiba" in message and "Fumio Kishida" in message


def test_missing_kb(invoke: Callable[..., Result], tmp_path: Path) -> None:
    assert_one_line_error(invoke("check", _corpus(tmp_path), "--kb", "nope.toml"), "nope.toml")


def test_bad_kb_is_reported_before_any_embedding(runner: CliRunner, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def no_model(_config: object) -> object:
        raise AssertionError("a model was requested before the --kb file was validated")

    monkeypatch.setattr(factcheck.pipeline, "make_embedders", no_model)
    (tmp_path / "kb.toml").write_text("[[role]]\nrole = \n", encoding="utf-8")
    result = runner.invoke(main, ["check", _corpus(tmp_path), "--kb", "kb.toml"])
    assert_one_line_error(result, "kb.toml")


@pytest.mark.parametrize("value", ["bad", "=2025-01-01", "a.txt=2025-13-01", "a.txt=yesterday"])
def test_bad_date_option(invoke: Callable[..., Result], tmp_path: Path, value: str) -> None:
    assert_one_line_error(invoke("check", _corpus(tmp_path), "--date", value), "--date")


def test_bad_format(invoke: Callable[..., Result], tmp_path: Path) -> None:
    result = invoke("check", _corpus(tmp_path), "--format", "xml")
    assert result.exit_code == 2
    assert "Traceback" not in result.output and result.stdout == ""
    assert "Invalid value for '--format': 'xml'" in result.stderr  # click's usage error names the choices
    assert "json" in result.stderr


def test_unknown_command(invoke: Callable[..., Result]) -> None:
    result = invoke("chekc", "seeds/")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "No such command 'chekc'" in result.stderr


# --------------------------------------------------------------------------- document text is data


def _hostile_corpus(tmp_path: Path) -> str:
    folder = tmp_path / "hostile"
    folder.mkdir()
    tail = "said [bold red]x[/] and \x1b[31mred\x1b[0m text in Tokyo on Tuesday.\n"
    (folder / "a.txt").write_text(f"Prime Minister Shigeru Ishiba {tail}", encoding="utf-8")
    (folder / "b.txt").write_text(f"Prime Minister Akio Ishiba {tail}", encoding="utf-8")
    return "hostile"


def test_markup_and_escapes_are_printed_literally(invoke: Callable[..., Result], tmp_path: Path) -> None:
    result = invoke("check", _hostile_corpus(tmp_path), "--no-color")
    assert result.exit_code == 1, result.output
    assert "FC101" in result.stdout
    assert "[bold red]x[/]" in result.stdout
    assert "\x1b" not in result.stdout


def test_escapes_are_stripped_even_with_colour(runner: CliRunner, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    result = runner.invoke(main, ["check", _hostile_corpus(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "[bold red]x[/]" in result.stdout
    assert "\x1b[31mred" not in result.stdout


def test_json_keeps_document_text_as_data(invoke: Callable[..., Result], tmp_path: Path) -> None:
    result = invoke("check", _hostile_corpus(tmp_path), "--format", "json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    texts = [c["text"] for f in data["findings"] for c in f["claims"]]
    assert any("[bold red]x[/]" in t for t in texts)


# --------------------------------------------------------------------------- hostile sizes and values


def test_sentence_with_hundreds_of_numbers(invoke: Callable[..., Result], tmp_path: Path) -> None:
    numbers = ", ".join(f"{i} boats" for i in range(600))
    (tmp_path / "a.txt").write_text(f"Officials counted {numbers} in the harbour.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"Officials counted {numbers[::-1]} in the harbour.\n", encoding="utf-8")
    started = time.perf_counter()
    result = invoke("check", "a.txt", "b.txt", "--format", "json")
    assert time.perf_counter() - started < 30
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    assert json.loads(result.stdout)["summary"]["documents"] == 2


def test_absurd_dates(invoke: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The treaty was signed on February 31 in the year 99999, officials "
                                    "said on 0 March.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("The treaty was signed on April 31, 99999 BC, officials said on "
                                    "32 January 2025.\n", encoding="utf-8")
    result = invoke("check", "a.txt", "b.txt", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    assert [f for f in data["findings"] if f["code"] == "FC401"] == []


def test_exit_codes_follow_fail_on(invoke: Callable[..., Result], tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    assert invoke("check", corpus).exit_code == 1
    assert invoke("check", corpus, "--fail-on", "never").exit_code == 0
    quiet = shutil.copytree(RULES / "FC301" / "quiet", tmp_path / "quiet")
    assert invoke("check", str(quiet)).exit_code == 0


# --------------------------------------------------------------------------- the real entry point


def _entry(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", ENTRY, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def test_real_entry_point_bad_input(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"Caf\xe9 \xff\xfe is not UTF-8 \x81\x82\x83 at all.\n")
    cases = ((["check", "no/such/dir"], "no/such/dir"), (["check", str(tmp_path / "bad.txt")], "bad.txt"))
    for args, fragment in cases:
        done = _entry(*args, cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert done.stdout == ""
        assert "Traceback" not in done.stderr
        lines = done.stderr.strip().splitlines()
        assert lines[-1].startswith("factcheck: error:") and fragment in lines[-1]


@pytest.fixture
def static_cache(tmp_path: Path) -> Path:
    """A fresh embedding cache; the static model comes from the machine's model dir, built once."""
    if not static_model_file().is_file():
        pytest.skip("no static model built (run `factcheck model build-static`)")
    cache = tmp_path / "cache"
    cache.mkdir()
    return cache


def test_static_check_without_torch(static_cache: Path, tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from factcheck.cli import main\n"
        "try:\n"
        f"    main(['check', {str(RULES / 'FC301' / 'fires')!r}, '--embedder', 'static', '--format', 'json',"
        " '-q'], prog_name='factcheck')\n"
        "except SystemExit as exc:\n"
        "    print('exit', exc.code, file=sys.stderr)\n"
        "print('torch' in sys.modules, 'sentence_transformers' in sys.modules, file=sys.stderr)\n"
    )
    env = {**os.environ, "FACTCHECK_CACHE_DIR": str(static_cache)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env,
                          timeout=120)
    assert done.stderr.strip().splitlines()[-2:] == ["exit 1", "False False"], done.stderr
    data = json.loads(done.stdout)
    assert [f["code"] for f in data["findings"]] == ["FC301"]
    assert data["tool"]["embedder"].startswith("static-")
    assert not list(static_cache.glob("*.npy"))  # derived models never land in the cache dir


def test_build_static_uses_the_model_dir(tmp_path: Path) -> None:
    if not static_model_file().is_file():
        pytest.skip("no static model built (run `factcheck model build-static`)")
    model_dir = tmp_path / "models"
    model_dir.mkdir()
    (model_dir / static_model_file().name).symlink_to(static_model_file())
    done = _entry("model", "build-static", "--model-dir", str(model_dir), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"static model present: {model_dir / static_model_file().name}" in done.stderr
    code = "from factcheck.link.embed import static_model_file; print(static_model_file())"
    env_done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True, text=True, env={**os.environ, "FACTCHECK_MODEL_DIR": str(model_dir)}, timeout=60)
    assert env_done.stdout.strip() == str(model_dir / static_model_file().name)
