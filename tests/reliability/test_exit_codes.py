"""Item 9 of issue #14: broken files and environments give one line and exit 2, never "internal error"."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from click.testing import Result

from factcheck.errors import ModelError
from factcheck.link import embed
from factcheck.link.embed import StaticEmbedder, static_model_file

from .conftest import one_error_line

LATIN1 = "select = [\"FC1\"]  # caf\xe9\n".encode("latin-1")


@pytest.mark.parametrize("name", ["factcheck.toml", "pyproject.toml"])
def test_configuration_that_is_not_utf8(invoke: Callable[..., Result], corpus: Path, tmp_path: Path,
                                        name: str) -> None:
    body = LATIN1 if name == "factcheck.toml" else b"[tool.factcheck]\n" + LATIN1
    (tmp_path / name).write_bytes(body)
    assert "not UTF-8" in one_error_line(invoke("check", str(corpus)))


def test_sidecar_that_is_not_utf8(invoke: Callable[..., Result], corpus: Path) -> None:
    (corpus / "factcheck.toml").write_bytes(b'[documents."a.txt"]\noutlet = "caf\xe9"\n')
    line = one_error_line(invoke("check", str(corpus)))
    assert "factcheck.toml" in line and "not UTF-8" in line


def test_stdin_that_is_not_utf8(invoke: Callable[..., Result], corpus: Path) -> None:
    line = one_error_line(invoke("check", "-", str(corpus), input=b"\xff\xfe\x00bad\x00\x81\x82"))
    assert "<stdin>" in line


def test_disk_full_during_index_add_is_a_clear_error_and_loses_nothing(
    invoke: Callable[..., Result], corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import factcheck.index.vectors as vectors

    assert invoke("index", "add", str(corpus / "a.txt"), "--index", "ix").exit_code == 0
    real = vectors.atomic_write

    def full(target: object, *_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(vectors, "atomic_write", full)
    line = one_error_line(invoke("index", "add", str(corpus / "b.txt"), "--index", "ix"))
    assert "vectors.faiss: No space left on device" in line
    monkeypatch.setattr(vectors, "atomic_write", real)
    status = invoke("index", "status", "--index", "ix", "--format", "json")
    assert json.loads(status.stdout)["documents"] == 2  # SQLite kept both; the next writer repairs FAISS
    assert invoke("index", "add", str(corpus), "--index", "ix").exit_code == 0
    assert json.loads(invoke("index", "status", "--index", "ix", "--format", "json").stdout)["consistent"]


def test_sqlite_disk_full_is_not_called_damage(invoke: Callable[..., Result], corpus: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    import factcheck.pipeline

    def full(*_args: object, **_kwargs: object) -> object:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(factcheck.pipeline, "check_documents", full)
    line = one_error_line(invoke("check", str(corpus)))
    assert "database or disk is full" in line and "damaged" not in line


def test_lock_that_is_a_directory(invoke: Callable[..., Result], corpus: Path) -> None:
    assert invoke("index", "add", str(corpus / "a.txt"), "--index", "ix").exit_code == 0
    lock = Path("ix/lock")
    if lock.exists():
        lock.unlink()
    lock.mkdir()
    assert "lock" in one_error_line(invoke("index", "add", str(corpus / "b.txt"), "--index", "ix"))


def test_cache_dir_that_is_a_file(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.write_text("not a directory", encoding="utf-8")
    with pytest.raises(ModelError, match="cannot build the static model"):
        StaticEmbedder(cache).encode(["text"])


def test_read_only_cache_without_the_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*_args: object, **_kwargs: object) -> None:  # what a read-only directory does (even to root)
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "ro"))

    monkeypatch.setattr(embed, "distill_static", denied)
    with pytest.raises(ModelError, match="Permission denied"):
        StaticEmbedder(tmp_path / "ro").encode(["text"])


@pytest.mark.parametrize("table", [np.zeros((10, 3), np.float32), np.zeros(384, np.float32),
                                   np.zeros((10, 384), np.int64)])
def test_static_model_of_the_wrong_shape(tmp_path: Path, table: np.ndarray) -> None:
    np.save(static_model_file(tmp_path), table)
    with pytest.raises(ModelError, match="delete it to rebuild"):
        StaticEmbedder(tmp_path).encode(["text"])


def test_os_errors_never_show_as_internal_errors(invoke: Callable[..., Result], corpus: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import factcheck.pipeline

    def broken(*_args: object, **_kwargs: object) -> object:
        raise IsADirectoryError(errno.EISDIR, "Is a directory", "somewhere")

    monkeypatch.setattr(factcheck.pipeline, "check_documents", broken)
    line = one_error_line(invoke("check", str(corpus)))
    assert "internal error" not in line and "somewhere: Is a directory" in line
    assert os.path.isdir(corpus)
