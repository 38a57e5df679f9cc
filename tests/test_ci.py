"""`factcheck ci`: new documents checked against the index, exit codes, --since, --update-index."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEEDS, FakeEmbedder

from factcheck.config import Config
from factcheck.index.incremental import check_against_index
from factcheck.index.store import CorpusIndex
from factcheck.read.ingest import load_documents

CONFIG = Config(use_cache=False)
AKIO = (
    "Japan talks\n\nJapan's chief negotiator, Akio Akazawa, will travel to Washington next week for talks.\n"
)
UNRELATED = "Harbour news\n\nThe harbour master said 12 ferries sailed from the northern pier on Sunday.\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from factcheck import pipeline

    monkeypatch.setattr(pipeline, "make_embedders", lambda config: (FakeEmbedder(), None))
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS, tmp_path / "seeds")
    (tmp_path / "news").mkdir()
    return tmp_path


def _run(*args: str) -> tuple[int, str]:
    from factcheck.cli import main

    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_library_ci_reports_only_findings_that_involve_new_documents(tmp_path: Path) -> None:
    fake = FakeEmbedder()
    index = CorpusIndex.open(tmp_path / "ix", fake, create=True)
    index.add(load_documents([str(SEEDS)]), CONFIG)
    (tmp_path / "akio.txt").write_text(AKIO)
    (tmp_path / "other.txt").write_text(UNRELATED)
    report = check_against_index(load_documents([str(tmp_path / "akio.txt")]), index, CONFIG, (fake, None))
    fc101 = [f for f in report.findings if f.code == "FC101"]
    assert fc101, [f.code for f in report.findings]
    documents = {ref.document.rsplit("/", 1)[-1] for ref in fc101[0].claims}
    assert "akio.txt" in documents and "000_48df2dfc749e10e2.txt" in documents
    # the seeds contradict each other already, but that is not a new document's problem
    quiet = check_against_index(load_documents([str(tmp_path / "other.txt")]), index, CONFIG, (fake, None))
    assert quiet.findings == ()


def test_new_documents_are_also_checked_against_each_other(tmp_path: Path) -> None:
    fake = FakeEmbedder()
    index = CorpusIndex.open(tmp_path / "ix", fake, create=True)
    (tmp_path / "base.txt").write_text(UNRELATED)
    index.add(load_documents([str(tmp_path / "base.txt")]), CONFIG)
    (tmp_path / "a.txt").write_text(
        "Talks\n\nJapan's chief negotiator, Ryosei Akazawa, flew to Washington.\n"
    )
    (tmp_path / "b.txt").write_text(AKIO)
    docs = load_documents([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    report = check_against_index(docs, index, CONFIG, (fake, None))
    assert any(f.code == "FC101" for f in report.findings)


def test_an_edited_document_replaces_its_indexed_version(tmp_path: Path) -> None:
    fake = FakeEmbedder()
    index = CorpusIndex.open(tmp_path / "ix", fake, create=True)
    story = tmp_path / "story.txt"
    story.write_text("Talks\n\nJapan's chief negotiator, Ryosei Akazawa, flew to Washington.\n")
    index.add(load_documents([str(story)]), CONFIG)
    story.write_text(AKIO)  # the edit itself is not a contradiction with the old version
    report = check_against_index(load_documents([str(story)]), index, CONFIG, (fake, None))
    assert report.findings == ()


def test_cli_ci_fails_then_passes_with_baseline_and_update_index(project: Path) -> None:
    code, out = _run("index", "add", "seeds", "-q")
    assert code == 0 and "indexed 3 new" in out
    (project / "news" / "akio.txt").write_text(AKIO)
    code, out = _run("ci", "news/akio.txt", "-q", "--format", "json")
    assert code == 1
    assert "FC101" in {f["code"] for f in json.loads(out)["findings"]}
    code, out = _run("baseline", "create", "news/akio.txt", "-q")
    assert code == 0 and "wrote 1 findings" in out
    code, out = _run("ci", "news/akio.txt", "--baseline", "factcheck-baseline.json", "--update-index")
    assert code == 0, out
    code, out = _run("index", "status", "--format", "json")
    assert code == 0 and json.loads(out)["documents"] == 4
    code, out = _run("ci", "news/akio.txt", "--fail-on", "never", "-q")
    assert code == 0


def test_cli_ci_needs_an_index(project: Path) -> None:
    (project / "news" / "akio.txt").write_text(AKIO)
    code, out = _run("ci", "news/akio.txt")
    assert code == 2 and "factcheck index add" in out


def test_cli_ci_since_git_ref_checks_only_changed_documents(project: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.email=t@t", "-c", "user.name=t", "add", "seeds")
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "seeds")
    assert _run("index", "add", "seeds", "-q")[0] == 0
    code, out = _run("ci", "--since", "HEAD", "news")
    assert code == 0 and "no documents changed" in out
    (project / "news" / "akio.txt").write_text(AKIO)
    code, out = _run("ci", "--since", "HEAD", "--format", "json", "-q")
    assert code == 1
    report = json.loads(out)
    assert [d["path"] for d in report["documents"]] == ["news/akio.txt"]


@pytest.mark.parametrize(
    "command",
    [
        ["ci"],
        ["index"],
        ["index", "add"],
        ["index", "remove"],
        ["index", "status"],
        ["index", "rebuild"],
        ["baseline"],
        ["baseline", "create"],
        ["config"],
    ],
)
def test_every_new_command_has_help_with_an_example(command: list[str]) -> None:
    code, out = _run(*command, "--help")
    assert code == 0 and "Example" in out


def test_ci_embeds_each_new_key_once_and_reuses_stored_vectors(tmp_path: Path) -> None:
    from factcheck.index.incremental import run_ci

    fake = FakeEmbedder()
    index = CorpusIndex.open(tmp_path / "ix", fake, create=True)
    index.add(load_documents([str(SEEDS)]), CONFIG)
    (tmp_path / "akio.txt").write_text(AKIO)
    counting = FakeEmbedder()
    # without frames, so that only fact keys are embedded (frames add their phrases and words, cached by text)
    config = replace(CONFIG, syntax=False)
    checked = run_ci(load_documents([str(tmp_path / "akio.txt")]), index, config, (counting, None))
    assert len(checked.report.corpus.documents) > len(checked.report.documents)  # retrieved ones came along
    assert any(f.code == "FC101" for f in checked.report.findings)
    assert counting.texts_embedded == len(checked.analysed.claims)  # stored claims were not embedded again


def test_ci_update_index_stores_the_analysed_documents_without_analysing_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factcheck import pipeline
    from factcheck.index.incremental import run_ci

    fake = FakeEmbedder()
    index = CorpusIndex.open(tmp_path / "ix", fake, create=True)
    index.add(load_documents([str(SEEDS)]), CONFIG)
    (tmp_path / "other.txt").write_text(UNRELATED)
    checked = run_ci(load_documents([str(tmp_path / "other.txt")]), index, CONFIG, (fake, None))
    before = fake.texts_embedded

    def no_second_analysis(*args: object, **kwargs: object) -> None:
        raise AssertionError("the documents were analysed again")

    monkeypatch.setattr(pipeline, "analyse", no_second_analysis)
    result = checked.update_index(index, CONFIG)
    assert (result.added, result.claims) == (1, len(checked.analysed.claims))
    assert fake.texts_embedded == before
    assert index.status().documents == 4 and index.consistent()


def test_a_ci_report_renders_as_clusters(tmp_path: Path) -> None:
    from factcheck.render.clusters import summarise

    fake = FakeEmbedder()
    index = CorpusIndex.open(tmp_path / "ix", fake, create=True)
    index.add(load_documents([str(SEEDS)]), CONFIG)
    (tmp_path / "akio.txt").write_text(AKIO)
    report = check_against_index(load_documents([str(tmp_path / "akio.txt")]), index, CONFIG, (fake, None))
    assert report.clusters
    facts = summarise(report)
    conflict = [f for f in facts if "FC101" in f.codes]
    assert conflict and conflict[0].sources >= 2
    paths = {path for fact in facts for value in fact.values for path in value.documents}
    assert any(path.endswith("akio.txt") for path in paths)
    assert any(not path.endswith("akio.txt") for path in paths)  # a retrieved document is resolved


def test_readonly_open_and_recorded_paths_need_no_embedder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factcheck.index.manifest import recorded_paths

    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS, tmp_path / "seeds")
    index = CorpusIndex.open(tmp_path / "ix", FakeEmbedder(), create=True)
    index.add(load_documents(["seeds"]), CONFIG)
    index.close()
    readonly = CorpusIndex.open_readonly(tmp_path / "ix")
    assert readonly.status().documents == 3
    assert readonly.displayed_paths() == recorded_paths(tmp_path / "ix")
    assert all(p.startswith("seeds/") for p in recorded_paths(tmp_path / "ix"))
    assert recorded_paths(tmp_path / "missing") == []


def test_rebuild_sources_drop_deleted_documents_and_keep_given_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factcheck.errors import UsageError
    from factcheck.index.manifest import rebuild_sources

    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS, tmp_path / "seeds")
    index = CorpusIndex.open(tmp_path / "ix", FakeEmbedder(), create=True)
    index.add(load_documents(["seeds"]), CONFIG)
    index.close()
    gone = sorted((tmp_path / "seeds").glob("*.txt"))[0]
    gone.unlink()
    recorded = rebuild_sources(tmp_path / "ix", ())
    assert recorded.dropped == 1 and len(recorded.paths) == 2
    assert all(not p.endswith(gone.name) for p in recorded.paths)
    assert rebuild_sources(tmp_path / "ix", ("other/",)).paths == ("other/",)
    with pytest.raises(UsageError, match="pass PATHS"):
        rebuild_sources(tmp_path / "empty", ())


def test_fewer_collections_restores_the_collector_even_after_an_error() -> None:
    import gc

    from factcheck.cli.ci import fewer_collections

    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections(123_456):
        assert gc.get_threshold()[0] == 123_456 and gc.get_freeze_count() > 0
        raise RuntimeError("boom")
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_stored_documents_of_other_stories_are_left_out_of_the_judgement(tmp_path: Path) -> None:
    import datetime as dt

    fake = FakeEmbedder()
    index = CorpusIndex.open(tmp_path / "ix", fake, create=True)
    (tmp_path / "old.txt").write_text("Harbour\n\nGovernor Ellen Marwick plans to sign the Harbour Funding "
                                      "Act this week, her spokesman said.\n")
    (tmp_path / "new.txt").write_text("Harbour\n\nGovernor Ellen Marwick signed the Harbour Funding Act on "
                                      "Friday, her spokesman said.\n")
    old = replace(load_documents([str(tmp_path / "old.txt")])[0], date=dt.date(2019, 1, 7))
    index.add([old], CONFIG)
    new = [replace(load_documents([str(tmp_path / "new.txt")])[0], date=dt.date(2025, 3, 7))]
    # five years apart: two stories, and facts are compared within a story (as `check` does)
    report = check_against_index(new, index, CONFIG, (fake, None))
    assert [d.path for d in report.corpus.documents] == [new[0].path]
    assert not [f for f in report.findings if f.cluster == "status:sign"]
    across = check_against_index(new, index, replace(CONFIG, across_stories=True), (fake, None))
    assert len(across.corpus.documents) == 2
    assert [f for f in across.findings if f.cluster == "status:sign"]  # FC904, superseded: dated apart


CI_IN_A_PROCESS = """
import sys
sys.path.insert(0, sys.argv[1])
from conftest import FakeEmbedder
from factcheck import pipeline
pipeline.make_embedders = lambda config: (FakeEmbedder(), None)
from factcheck.cli import main
main(sys.argv[2:])
"""


def test_ci_freezes_what_is_left_at_exit_once_and_its_report_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc
    import sys

    import factcheck.cli.ci as ci_cli

    registered: list[object] = []
    monkeypatch.setattr(ci_cli, "_FREEZE_REGISTERED", False)
    monkeypatch.setattr(ci_cli.atexit, "register", registered.append)
    ci_cli.freeze_at_exit()
    ci_cli.freeze_at_exit()
    assert registered == [gc.freeze]
    # a real process that freezes at exit still writes its whole report and exits with the right code
    index = CorpusIndex.open(tmp_path / "ix", FakeEmbedder(), create=True)
    index.add(load_documents([str(SEEDS)]), CONFIG)
    index.close()
    (tmp_path / "akio.txt").write_text(AKIO)
    report = tmp_path / "report.json"
    tests = Path(__file__).parent
    done = subprocess.run(
        [sys.executable, "-c", CI_IN_A_PROCESS, str(tests), "ci", str(tmp_path / "akio.txt"), "--index",
         str(tmp_path / "ix"), "--format", "json", "--no-cache", "-o", str(report)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert [f["code"] for f in json.loads(report.read_text())["findings"]].count("FC101") >= 1
