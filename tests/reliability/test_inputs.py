"""Items 2 and 3 of issue #14: only regular files are documents, reads are bounded, unreadable is loud."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from factcheck.errors import InputError
from factcheck.read import files
from factcheck.read.ingest import load_documents

from .conftest import one_error_line

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")


@needs_fifo
def test_fifo_in_a_folder_is_skipped_with_a_warning(invoke: Callable[..., Result], corpus: Path) -> None:
    os.mkfifo(corpus / "pipe.txt")  # reading it would block forever
    result = invoke("check", str(corpus), "--format", "json")
    assert result.exit_code == 1, result.output
    assert "pipe.txt: not a regular file" in result.stderr


@needs_fifo
def test_fifo_named_directly_is_an_error(invoke: Callable[..., Result], tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    assert "not a regular file" in one_error_line(invoke("check", str(tmp_path / "pipe.txt")))


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_endless_device_is_refused_not_read(invoke: Callable[..., Result]) -> None:
    assert "/dev/zero: not a regular file" in one_error_line(invoke("check", "/dev/zero"))


def test_file_over_the_size_limit_is_a_clear_error(invoke: Callable[..., Result], corpus: Path,
                                                   tmp_path: Path) -> None:
    (tmp_path / "factcheck.toml").write_text("max-file-size = 100\n", encoding="utf-8")
    line = one_error_line(invoke("check", str(corpus)))
    assert "larger than the per-file limit of 100 bytes" in line
    assert "max-file-size" in line


def test_bounded_read_never_reads_past_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5000)
    assert files.read_bounded(str(big), 5000) == b"x" * 5000
    with pytest.raises(InputError, match="larger than"):
        files.read_bounded(str(big), 4999)


def _deny(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    """Make listing `denied` fail as `chmod 000` would (tests may run as root, where chmod cannot)."""
    real = os.scandir

    def scandir(path: object = ".") -> object:
        if os.fspath(path) == str(denied):  # type: ignore[arg-type]
            raise PermissionError(errno.EACCES, "Permission denied", str(denied))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)


def test_unreadable_directory_is_an_error_naming_it(invoke: Callable[..., Result], corpus: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    sub = corpus / "sub"
    sub.mkdir()
    (sub / "c.txt").write_text("Japan's chief negotiator, Akio Akazawa, spoke.\n", encoding="utf-8")
    _deny(monkeypatch, sub)
    line = one_error_line(invoke("check", str(corpus)))
    assert f"cannot read {sub}: Permission denied" in line
    assert "--skip-unreadable" in line


def test_skip_unreadable_turns_the_error_into_a_warning(invoke: Callable[..., Result], corpus: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    sub = corpus / "sub"
    sub.mkdir()
    _deny(monkeypatch, sub)
    result = invoke("check", str(corpus), "--skip-unreadable", "--format", "json")
    assert result.exit_code == 1, result.output
    assert f"skipping unreadable path: cannot read {sub}" in result.stderr


def test_unreadable_file_is_an_error(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def deny(path: str, flags: int, *args: int) -> int:
        if str(path).endswith("b.txt"):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", deny)
    with pytest.raises(InputError, match=r"cannot read .*b\.txt: Permission denied"):
        load_documents([str(corpus)])
    warnings: list[str] = []
    docs = load_documents([str(corpus)], skip_unreadable=True, warn=warnings.append)
    assert [Path(d.path).name for d in docs] == ["a.txt"]
    assert any("b.txt" in w for w in warnings)


def test_path_longer_than_the_system_allows(invoke: Callable[..., Result], corpus: Path) -> None:
    deep = corpus
    name = "d" * 200
    # build a tree whose full path passes PATH_MAX by chdir-ing down (each step stays short)
    cwd = os.getcwd()
    try:
        os.chdir(corpus)
        for _ in range(25):
            os.mkdir(name)
            os.chdir(name)
        Path("x.txt").write_text("Japan's chief negotiator, Akio Akazawa, spoke.\n", encoding="utf-8")
    finally:
        os.chdir(cwd)
    deep = Path(str(corpus) + ("/" + name) * 25)
    assert len(str(deep)) > 4096
    result = invoke("check", str(corpus))
    assert result.exit_code == 2, result.output
    assert "cannot read" in result.stderr and "File name too long" in result.stderr
