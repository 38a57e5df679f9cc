"""Items 1, 5, 9 (index parts) and 11 of issue #14: what factcheck writes, deletes and trusts on disk."""

from __future__ import annotations

import errno
import json
import os
import threading
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import FakeEmbedder

from factcheck import fileio
from factcheck.errors import IndexError_
from factcheck.index.manifest import DATABASE, MANIFEST, VECTORS, VECTORS_ID
from factcheck.index.store import CorpusIndex

from .conftest import one_error_line

# --------------------------------------------------------------------------- 1: --output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_output_to_a_fifo_writes_through_it(invoke: Callable[..., Result], corpus: Path,
                                            tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = invoke("check", str(corpus), "--format", "json", "-o", str(fifo))
    reader.join(timeout=20)
    assert result.exit_code == 1, result.output
    assert fifo.is_fifo()  # not replaced by a regular file
    assert json.loads(received[0])["findings"]


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_output_to_a_device_is_not_replaced(invoke: Callable[..., Result], corpus: Path) -> None:
    before = os.stat("/dev/null")
    assert invoke("check", str(corpus), "--format", "json", "-o", "/dev/null").exit_code == 1
    after = os.stat("/dev/null")
    assert (after.st_ino, after.st_mode, after.st_rdev) == (before.st_ino, before.st_mode, before.st_rdev)


@pytest.mark.parametrize("command", ["check", "baseline"])
def test_planted_temp_symlink_is_never_followed(invoke: Callable[..., Result], corpus: Path, tmp_path: Path,
                                                command: str) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    for name in (".report.json.tmp", ".report.json.tmp.tmp"):
        (tmp_path / name).symlink_to(victim)  # what another user could plant in a shared directory
    args = (["check", str(corpus), "--format", "json"] if command == "check"
            else ["baseline", "create", str(corpus), "--no-index"])
    result = invoke(*args, "-o", str(tmp_path / "report.json"))
    assert result.exit_code in (0, 1), result.output
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))


def test_output_symlink_is_replaced_not_followed(invoke: Callable[..., Result], corpus: Path,
                                                 tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (tmp_path / "report.json").symlink_to(victim)
    result = invoke("check", str(corpus), "--format", "json", "-o", str(tmp_path / "report.json"))
    assert result.exit_code == 1, result.output
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not (tmp_path / "report.json").is_symlink()


def test_disk_full_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.json"
    target.write_text("old\n", encoding="utf-8")
    real_fsync = os.fsync

    def full(fd: int) -> None:
        if fd > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        fileio.atomic_write_text(target, "new\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]
    assert target.read_text(encoding="utf-8") == "old\n"


# --------------------------------------------------------------------------- 5: never delete foreign files


def test_rebuild_refuses_a_foreign_directory(invoke: Callable[..., Result], corpus: Path,
                                            tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    web_manifest = '{"name": "My web app", "start_url": "/"}\n'
    (site / MANIFEST).write_text(web_manifest, encoding="utf-8")
    (site / DATABASE).write_bytes(b"the site's own database")
    line = one_error_line(invoke("index", "add", str(corpus), "--index", str(site)))
    assert "not a factcheck index" in line and "index rebuild" not in line
    line = one_error_line(invoke("index", "rebuild", str(corpus), "--index", str(site)))
    assert "nothing in it was deleted" in line
    assert (site / MANIFEST).read_text(encoding="utf-8") == web_manifest
    assert (site / DATABASE).read_bytes() == b"the site's own database"


def test_rebuild_still_rebuilds_its_own_index(invoke: Callable[..., Result], corpus: Path) -> None:
    assert invoke("index", "add", str(corpus / "a.txt"), "--index", "ix").exit_code == 0
    (Path("ix") / "notes.md").write_text("mine\n", encoding="utf-8")
    assert invoke("index", "rebuild", str(corpus), "--index", "ix").exit_code == 0
    assert (Path("ix") / "notes.md").read_text(encoding="utf-8") == "mine\n"


# --------------------------------------------------------------------------- 9 and 11: damaged indexes


@pytest.fixture
def index_dir(invoke: Callable[..., Result], corpus: Path) -> Path:
    assert invoke("index", "add", str(corpus / "a.txt"), "--index", "ix").exit_code == 0
    return Path("ix").resolve()


def _edit_manifest(directory: Path, **changes: object) -> None:
    manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    manifest.update(changes)
    (directory / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize("command", [("index", "status"), ("ci", "b.txt"), ("index", "add", "b.txt")])
def test_manifest_with_a_bad_dim(invoke: Callable[..., Result], index_dir: Path, corpus: Path,
                                 command: tuple[str, ...]) -> None:
    _edit_manifest(index_dir, dim="x")
    args = [str(corpus / a) if a.endswith(".txt") else a for a in command]
    assert "invalid dim 'x'" in one_error_line(invoke(*args, "--index", str(index_dir)))


def test_vector_type_flip_is_not_read_as_garbage(invoke: Callable[..., Result], index_dir: Path,
                                                 corpus: Path) -> None:
    expected = invoke("ci", str(corpus / "b.txt"), "--index", str(index_dir), "--format", "json")
    _edit_manifest(index_dir, vector_type="float16")
    result = invoke("ci", str(corpus / "b.txt"), "--index", str(index_dir), "--format", "json")
    assert result.exit_code == expected.exit_code == 1, result.output
    assert json.loads(result.stdout)["findings"] == json.loads(expected.stdout)["findings"]


def _damage_middle(file: Path, start: float = 0.5, end: float = 1.0) -> None:
    data = bytearray(file.read_bytes())
    for i in range(int(len(data) * start), min(int(len(data) * end), len(data) - 16)):
        data[i] = (data[i] * 7 + 13) % 256
    file.write_bytes(bytes(data))


def test_damaged_faiss_body_is_detected_and_not_used(index_dir: Path, corpus: Path) -> None:
    index = CorpusIndex.open(index_dir, FakeEmbedder())
    assert index.consistent()
    assert isinstance(json.loads((index_dir / MANIFEST).read_text())[VECTORS_ID], str)
    _damage_middle(index_dir / VECTORS)
    assert not index.consistent()  # it used to say True
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy RuntimeWarning from garbage vectors
        search = index.vectors()
    assert search.ntotal == index.records.count("claims")  # rebuilt from the database's vectors


def test_a_write_records_the_file_without_hashing_it(invoke: Callable[..., Result], index_dir: Path,
                                                     corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import factcheck.index.vectors as vectors

    def no_hash(path: Path) -> str:
        raise AssertionError(f"{path} hashed")

    monkeypatch.setattr(vectors, "file_sha256", no_hash)
    assert invoke("index", "add", str(corpus / "b.txt"), "--index", str(index_dir)).exit_code == 0
    manifest = json.loads((index_dir / MANIFEST).read_text())
    stat = (index_dir / VECTORS).stat()
    assert manifest[VECTORS_ID] == f"{stat.st_size}:{stat.st_mtime_ns}"
    assert "vectors_sha256" not in manifest
    assert CorpusIndex.open(index_dir, FakeEmbedder()).consistent()


def test_an_older_index_checksum_is_still_checked(index_dir: Path) -> None:
    manifest = json.loads((index_dir / MANIFEST).read_text())
    manifest.pop(VECTORS_ID)
    manifest["vectors_sha256"] = "0" * 64  # an older index whose file does not match its checksum
    (index_dir / MANIFEST).write_text(json.dumps(manifest))
    assert not CorpusIndex.open(index_dir, FakeEmbedder()).consistent()


def test_damage_that_keeps_the_file_time_is_served_from_the_database(invoke: Callable[..., Result],
                                                                     index_dir: Path, corpus: Path) -> None:
    expected = invoke("ci", str(corpus / "b.txt"), "--index", str(index_dir), "--format", "json")
    stat = (index_dir / VECTORS).stat()
    _damage_middle(index_dir / VECTORS, 0.2, 0.6)  # the vector codes
    os.utime(index_dir / VECTORS, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and time
    result = invoke("ci", str(corpus / "b.txt"), "--index", str(index_dir), "--format", "json")
    assert "RuntimeWarning" not in result.stderr
    assert json.loads(result.stdout)["findings"] == json.loads(expected.stdout)["findings"]


@pytest.mark.parametrize("where", [(0.5, 1.0), (0.2, 0.6)])  # vectors and ids; the vector codes only
def test_damaged_faiss_body_gives_the_same_ci_result(invoke: Callable[..., Result], index_dir: Path,
                                                     corpus: Path, where: tuple[float, float]) -> None:
    expected = invoke("ci", str(corpus / "b.txt"), "--index", str(index_dir), "--format", "json")
    _damage_middle(index_dir / VECTORS, *where)
    result = invoke("ci", str(corpus / "b.txt"), "--index", str(index_dir), "--format", "json")
    assert "RuntimeWarning" not in result.stderr
    assert json.loads(result.stdout)["findings"] == json.loads(expected.stdout)["findings"]
    assert invoke("index", "add", str(corpus / "b.txt"), "--index", str(index_dir)).exit_code == 0
    assert CorpusIndex.open(index_dir, FakeEmbedder()).consistent()  # a writer repaired the file


def test_damaged_database_stops_add_and_status(invoke: Callable[..., Result], corpus: Path,
                                               tmp_path: Path) -> None:
    many = tmp_path / "many"
    many.mkdir()
    for n in range(60):  # a database of many pages, so that damage in the middle hits data pages
        (many / f"d{n:02d}.txt").write_text(
            f"Report {n}: the mayor Ken Ito{n} opened {n + 3} bridges in Osaka{n} on Tuesday.\n" * 8,
            encoding="utf-8")
    assert invoke("index", "add", str(many), "--index", "ix").exit_code == 0
    index = CorpusIndex.open("ix", FakeEmbedder())
    index.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    index.close()
    _damage_middle(Path("ix") / DATABASE)
    for args in (("index", "add", str(corpus)), ("index", "status")):
        line = one_error_line(invoke(*args, "--index", "ix"))
        assert "damaged" in line or "corrupt" in line or "malformed" in line, line
    result = invoke("ci", str(corpus / "b.txt"), "--index", "ix")
    assert result.exit_code == 2 and "internal error" not in result.stderr, result.output


def test_damaged_database_is_an_index_error(index_dir: Path) -> None:
    index = CorpusIndex.open(index_dir, FakeEmbedder())
    index.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    index.close()
    (index_dir / DATABASE).write_bytes((index_dir / DATABASE).read_bytes()[:4096] + b"\x00" * 4096)
    with pytest.raises(IndexError_):
        CorpusIndex.open(index_dir, FakeEmbedder()).status()
