"""factcheck.fileio: atomic writes replace regular files whole, never follow links, write FIFOs directly."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from factcheck.fileio import atomic_write, atomic_write_bytes, atomic_write_text


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_and_replaces_a_regular_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    atomic_write_text(target, "first\n")
    atomic_write_text(target, "second\n")
    assert target.read_text(encoding="utf-8") == "second\n"
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)
    assert leftovers(tmp_path) == []


def test_failed_write_keeps_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "vectors.bin"
    atomic_write_bytes(target, b"old")

    def broken(path: str) -> None:
        Path(path).write_bytes(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, broken)
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_a_symlink_target_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = tmp_path / "report.txt"
    link.symlink_to(victim)
    atomic_write_text(link, "report")
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not link.is_symlink()
    assert link.read_text(encoding="utf-8") == "report"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_target_is_written_directly(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    atomic_write_text(fifo, "through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert fifo.exists() and not fifo.is_file()


def test_dev_null_is_written_through_not_replaced() -> None:
    if not os.path.exists(os.devnull) or sys.platform == "win32":
        pytest.skip("needs /dev/null")
    atomic_write_text(os.devnull, "discarded")
    assert not Path(os.devnull).is_file()
