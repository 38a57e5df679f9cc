"""The persistent index: incremental add, remove, consistency, crash safety, locking, clear errors."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import faiss
import numpy as np
import pytest
from click.testing import CliRunner
from conftest import ROOT, SEEDS, FakeEmbedder

from factcheck.config import Config
from factcheck.errors import IndexError_
from factcheck.index.store import DATABASE, MANIFEST, VECTORS, CorpusIndex, claim_from_json, claim_to_json
from factcheck.read.ingest import load_documents
from factcheck.records import Claim, ClaimKind, DateValue, PersonName, Quantity

CONFIG = Config(use_cache=False)


def _docs(tmp_path: Path, n: int, prefix: str = "doc", sentences: int = 3) -> Path:
    folder = tmp_path / prefix
    folder.mkdir(exist_ok=True)
    for i in range(n):
        body = " ".join(
            f"Minister Hana Sato{i} said exports rose {i + s} percent in region {s}."
            for s in range(sentences)
        )
        (folder / f"{prefix}{i:04d}.txt").write_text(f"Report {i}\n\n{body}\n", encoding="utf-8")
    return folder


def _ids_agree(index: CorpusIndex) -> bool:
    stored = sorted(r[0] for r in index.db.execute("SELECT id FROM claims"))
    vectors = faiss.read_index(str(index.path / VECTORS))
    present = (
        sorted(faiss.vector_to_array(faiss.downcast_index(vectors).id_map).tolist()) if vectors.ntotal else []
    )
    return stored == present


@pytest.mark.parametrize(
    "value",
    [
        PersonName("Ryosei Akazawa", "Ryosei", "akazawa"),
        Quantity(15.0, "%", high=20.0, approx="about", thing="tariff"),
        DateValue(2025, 7, 9, None, relative=True),
        "Tokyo",
        True,
        False,
    ],
)
def test_claim_json_round_trip(value: object) -> None:
    claim = Claim(
        id=0,
        kind=ClaimKind.PERSON,
        doc_index=0,
        sentence_index=3,
        key="japan chief negotiator",
        value_text="x",
        value_start=5,
        value_end=9,
        value=value,
        key_start=1,
        key_end=4,  # type: ignore[arg-type]
        role="chief negotiator",
        scope="japan",
        hedged=True,
        update=False,
    )
    again = claim_from_json(claim_to_json(claim), 7, 2)
    assert again.value == value and type(again.value) is type(value)
    assert again.id == 7 and again.doc_index == 2
    assert (again.key, again.role, again.scope, again.hedged, again.sentence_index) == (
        claim.key,
        claim.role,
        claim.scope,
        claim.hedged,
        claim.sentence_index,
    )


def test_add_is_incremental_and_reindexes_changed_documents(tmp_path: Path) -> None:
    fake = FakeEmbedder()
    folder = _docs(tmp_path, 4)
    index = CorpusIndex.open(tmp_path / ".factcheck", fake, create=True)
    first = index.add(load_documents([str(folder)]), CONFIG)
    assert (first.added, first.updated, first.unchanged) == (4, 0, 0)
    before = fake.texts_embedded
    again = index.add(load_documents([str(folder)]), CONFIG)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    assert fake.texts_embedded == before  # nothing re-embedded
    old_ids = {
        r[0]
        for r in index.db.execute(
            "SELECT c.id FROM claims c JOIN documents d ON d.id = c.doc_id WHERE d.path LIKE '%doc0001.txt'"
        )
    }
    (folder / "doc0001.txt").write_text("Changed\n\nThe mayor Ken Ito opened 3 bridges.\n", encoding="utf-8")
    changed = index.add(load_documents([str(folder)]), CONFIG)
    assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 3)
    new_ids = {
        r[0]
        for r in index.db.execute(
            "SELECT c.id FROM claims c JOIN documents d ON d.id = c.doc_id WHERE d.path LIKE '%doc0001.txt'"
        )
    }
    assert old_ids and new_ids and not old_ids & new_ids
    assert _ids_agree(index)
    vectors = faiss.downcast_index(faiss.read_index(str(index.path / VECTORS)))
    assert not set(faiss.vector_to_array(vectors.id_map).tolist()) & old_ids
    status = index.status()
    assert status.documents == 4 and status.consistent and status.vectors == status.claims


def test_remove_drops_rows_and_vectors(tmp_path: Path) -> None:
    folder = _docs(tmp_path, 3)
    index = CorpusIndex.open(tmp_path / "ix", FakeEmbedder(), create=True)
    index.add(load_documents([str(folder)]), CONFIG)
    removed = index.remove([str(folder / "doc0000.txt")])
    assert removed == ["doc/doc0000.txt"]
    assert index.status().documents == 2
    assert _ids_agree(index)
    assert index.remove([str(folder)]) == ["doc/doc0001.txt", "doc/doc0002.txt"]
    assert index.status().claims == 0 and _ids_agree(index)


def test_float16_vectors_work_and_are_smaller(tmp_path: Path) -> None:
    folder = _docs(tmp_path, 6)
    sizes = {}
    for kind in ("float32", "float16"):
        index = CorpusIndex.open(tmp_path / kind, FakeEmbedder(), create=True, vector_type=kind)
        index.add(load_documents([str(folder)]), CONFIG)
        assert index.status().consistent
        sizes[kind] = (tmp_path / kind / VECTORS).stat().st_size
    assert sizes["float16"] < sizes["float32"] * 0.7


class OtherModel(FakeEmbedder):
    model_id = "other-model"


def test_index_built_with_another_model_is_refused(tmp_path: Path) -> None:
    folder = _docs(tmp_path, 1)
    CorpusIndex.open(tmp_path / "ix", FakeEmbedder(), create=True).add(load_documents([str(folder)]), CONFIG)
    with pytest.raises(IndexError_, match=r"built with model 'fake-hash-256'.*factcheck index rebuild"):
        CorpusIndex.open(tmp_path / "ix", OtherModel())


def test_real_model_refuses_fake_built_index(tmp_path: Path) -> None:
    from factcheck.link.embed import StaticEmbedder

    folder = _docs(tmp_path, 1)
    CorpusIndex.open(tmp_path / "ix", FakeEmbedder(), create=True).add(load_documents([str(folder)]), CONFIG)
    with pytest.raises(IndexError_, match="index rebuild"):
        CorpusIndex.open(tmp_path / "ix", StaticEmbedder(tmp_path))  # model id/dim checked before loading


def test_schema_version_mismatch_is_refused(tmp_path: Path) -> None:
    CorpusIndex.open(tmp_path / "ix", FakeEmbedder(), create=True)
    manifest = json.loads((tmp_path / "ix" / MANIFEST).read_text())
    manifest["schema_version"] = 99
    (tmp_path / "ix" / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(IndexError_, match=r"schema version 99.*index rebuild"):
        CorpusIndex.open(tmp_path / "ix", FakeEmbedder())


@pytest.mark.parametrize("damage", ["foreign", "bad-manifest", "corrupt-db", "foreign-manifest"])
def test_corrupt_or_foreign_directory_is_a_clear_error(tmp_path: Path, damage: str) -> None:
    ix = tmp_path / "ix"
    if damage == "foreign":
        ix.mkdir()
        (ix / "notes.txt").write_text("not an index")
    else:
        CorpusIndex.open(ix, FakeEmbedder(), create=True).close()
        if damage == "bad-manifest":
            (ix / MANIFEST).write_text("{not json")
        elif damage == "foreign-manifest":
            (ix / MANIFEST).write_text(json.dumps({"format": "something-else"}))
        else:
            for extra in ("-wal", "-shm"):
                (ix / f"{DATABASE}{extra}").unlink(missing_ok=True)
            (ix / DATABASE).write_bytes(b"garbage" * 100)
    # an index that is damaged can be rebuilt; a directory that is not one is never cleared
    foreign = damage == "foreign-manifest"
    hint = "choose another directory with --index" if foreign else "factcheck index rebuild"
    with pytest.raises(IndexError_, match=hint):
        CorpusIndex.open(ix, FakeEmbedder())


def test_cli_reports_corrupt_index_with_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from factcheck import pipeline
    from factcheck.cli import main

    monkeypatch.setattr(pipeline, "make_embedders", lambda config: (FakeEmbedder(), None))
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".factcheck").mkdir()
    (tmp_path / ".factcheck" / "junk.bin").write_bytes(b"\x00\x01")
    (tmp_path / "a.txt").write_text("The mayor Ken Ito opened 3 bridges.\n")
    result = CliRunner().invoke(main, ["ci", "a.txt"])
    assert result.exit_code == 2
    assert "factcheck index rebuild" in result.output and "Traceback" not in result.output
    rebuilt = CliRunner().invoke(main, ["index", "rebuild", "a.txt", "-q"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert CliRunner().invoke(main, ["ci", "a.txt", "-q"]).exit_code == 0


def test_missing_or_damaged_faiss_file_is_repaired(tmp_path: Path) -> None:
    folder = _docs(tmp_path, 3)
    index = CorpusIndex.open(tmp_path / "ix", FakeEmbedder(), create=True)
    index.add(load_documents([str(folder)]), CONFIG)
    claims = index.status().claims
    (tmp_path / "ix" / VECTORS).write_bytes(b"broken")
    reader = CorpusIndex.open(tmp_path / "ix", FakeEmbedder())
    assert reader.vectors().ntotal == claims  # patched in memory for readers
    assert not reader.consistent()
    writer = CorpusIndex.open(tmp_path / "ix", FakeEmbedder())
    writer.add([], CONFIG)  # any writer repairs the file
    assert writer.consistent() and _ids_agree(writer)


def test_no_pickle_in_persisted_state(tmp_path: Path) -> None:
    folder = _docs(tmp_path, 2)
    index = CorpusIndex.open(tmp_path / "ix", FakeEmbedder(), create=True)
    index.add(load_documents([str(folder)]), CONFIG)
    persisting = (
        "index/store.py",
        "index/manifest.py",
        "index/records.py",
        "fileio.py",
        "index/codec.py",
        "index/vectors.py",
        "index/duplicates.py",
        "index/baseline.py",
        "index/incremental.py",
        "settings.py",
        "read/suppress.py",
    )
    for module in persisting:
        source = (ROOT / "factcheck" / module).read_text()
        assert (
            "import pickle" not in source
            and "pickle.load" not in source
            and "allow_pickle=True" not in source
        )
    for file in (tmp_path / "ix").iterdir():
        assert not file.read_bytes().startswith(b"\x80"), f"{file} looks like a pickle"
    json.loads((tmp_path / "ix" / MANIFEST).read_text())
    record = index.db.execute("SELECT record FROM claims LIMIT 1").fetchone()[0]
    assert isinstance(json.loads(record), dict)


WORKER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {tests!r})
    from conftest import FakeEmbedder
    from factcheck.config import Config
    from factcheck.read.ingest import load_documents
    from factcheck.index.store import CorpusIndex
    index = CorpusIndex.open(sys.argv[1], FakeEmbedder(), create=True)
    result = index.add(load_documents(sys.argv[2:]), Config(use_cache=False))
    print(result.added, result.unchanged)
""").format(tests=str(ROOT / "tests"))


def _worker(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_kill_9_during_add_leaves_a_usable_index_that_the_next_run_repairs(tmp_path: Path) -> None:
    folder = _docs(tmp_path, 400, sentences=12)
    ix = tmp_path / "ix"
    proc = _worker(str(ix), str(folder))
    deadline = time.time() + 60
    committed = 0
    while time.time() < deadline and proc.poll() is None:
        if (ix / MANIFEST).exists():
            try:
                with sqlite3.connect(str(ix / DATABASE), timeout=1) as db:
                    committed = db.execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.Error:
                committed = 0
            if committed >= 32:
                break
        time.sleep(0.01)
    assert proc.poll() is None, f"worker finished before it could be killed: {proc.communicate()}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # the previous state stays usable: it opens, and readers see every committed claim
    index = CorpusIndex.open(ix, FakeEmbedder())
    status = index.status()
    assert 0 < status.documents < 400
    assert index.vectors().ntotal == status.claims
    index.close()
    # the next run repairs the vectors and adds the rest
    rerun = _worker(str(ix), str(folder))
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    added, unchanged = map(int, out.split())
    assert unchanged == status.documents and added == 400 - status.documents
    final = CorpusIndex.open(ix, FakeEmbedder())
    assert final.status().documents == 400 and final.consistent() and _ids_agree(final)


def test_concurrent_adds_both_finish_and_the_index_is_consistent(tmp_path: Path) -> None:
    a = _docs(tmp_path, 60, prefix="a")
    b = _docs(tmp_path, 60, prefix="b")
    ix = tmp_path / "ix"
    procs = [_worker(str(ix), str(a)), _worker(str(ix), str(b))]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    index = CorpusIndex.open(ix, FakeEmbedder())
    status = index.status()
    assert status.documents == 120 and status.consistent and _ids_agree(index)


def test_retrieve_finds_neighbours_and_same_surname_claims(tmp_path: Path) -> None:
    fake = FakeEmbedder()
    index = CorpusIndex.open(tmp_path / "ix", fake, create=True)
    index.add(load_documents([str(SEEDS)]), CONFIG)
    from factcheck.extract import normalise_key
    from factcheck.pipeline import analyse

    new = load_documents([str(ROOT / "seeds" / "000_48df2dfc749e10e2.txt")])
    claims = list(analyse(new, CONFIG).claims)
    vectors = fake.encode([normalise_key(c.key) for c in claims])
    found = index.retrieve(claims, vectors, 0.8, exclude_paths=[new[0].path], offset=1, first_id=len(claims))
    names = {d.name for d in found.documents}
    assert "000_48df2dfc749e10e2.txt" not in names  # the document itself is excluded (an edit replaces it)
    assert "003_cfa95d9472509ddd.txt" in names
    assert all(c.doc_index >= 1 and c.id >= len(claims) for c in found.claims)
    assert any(isinstance(c.value, PersonName) and c.value.surname == "akazawa" for c in found.claims)
    assert np.isfinite(vectors).all()
