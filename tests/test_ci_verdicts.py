"""`ci` verdicts by the side a new document takes in the corpus's dispute (docs/ci.md), every case."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, SEEDS, FakeEmbedder

from factcheck.config import Config
from factcheck.index.decision import decide
from factcheck.index.incremental import check_against_index
from factcheck.index.store import CorpusIndex
from factcheck.read.ingest import load_documents
from factcheck.records import ClaimRef, Finding, Severity, Side

CONFIG = Config(use_cache=False)
SAYS = "Japan talks\n\nJapan's chief negotiator, {name}, will travel to Washington next week for talks.\n"


def _ci(tmp_path: Path, corpus: list[str], new: str, config: Config = CONFIG) -> list[Finding]:
    fake = FakeEmbedder()
    index = CorpusIndex.open(tmp_path / "ix", fake, create=True)
    paths = []
    for n, name in enumerate(corpus):
        path = tmp_path / "corpus" / f"{n}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(SAYS.format(name=name))
        paths.append(str(path))
    index.add(load_documents(paths), config)
    (tmp_path / "new.txt").write_text(SAYS.format(name=new))
    report = check_against_index(load_documents([str(tmp_path / "new.txt")]), index, config, (fake, None))
    return [f for f in report.findings if f.code == "FC101"]


def test_siding_with_the_majority_passes_with_a_note_naming_the_dispute(tmp_path: Path) -> None:
    found = _ci(tmp_path, ["Ryosei Akazawa", "Ryosei Akazawa", "Akio Akazawa"], "Ryosei Akazawa")
    assert [f.severity for f in found] == [Severity.INFO]
    assert "most sources" in found[0].message and "'Akio Akazawa'" in found[0].message


def test_siding_with_the_minority_fails(tmp_path: Path) -> None:
    found = _ci(tmp_path, ["Ryosei Akazawa", "Ryosei Akazawa", "Akio Akazawa"], "Akio Akazawa")
    assert [f.severity for f in found] == [Severity.ERROR]
    assert "minority" in found[0].message


def test_a_value_no_corpus_source_states_fails(tmp_path: Path) -> None:
    found = _ci(tmp_path, ["Ryosei Akazawa", "Ryosei Akazawa"], "Kenji Akazawa")
    assert [f.severity for f in found] == [Severity.ERROR]
    assert "no corpus source states" in found[0].message


def test_a_tie_is_a_warning(tmp_path: Path) -> None:
    found = _ci(tmp_path, ["Ryosei Akazawa", "Akio Akazawa"], "Akio Akazawa")
    assert [f.severity for f in found] == [Severity.WARNING]
    assert "split" in found[0].message


def _finding(values: list[tuple[str, list[str]]], confirmed: str = "") -> Finding:
    refs: list[ClaimRef] = []
    sides = []
    for value, docs in values:
        first = len(refs)
        refs += [ClaimRef(d, 0, 10, 1, 1, f"{value} said.", "x", value, 0, len(value)) for d in docs]
        sides.append(Side(value, tuple(range(first, len(refs))), tuple(docs), len(docs)))
    return Finding("FC201", "role-holder-conflict", Severity.ERROR, "m", tuple(v for v, _ in values),
                   tuple(refs), "F1", 1.0, "fp", sides=tuple(sides), confirmed=confirmed)


def test_the_knowledge_base_decides_over_counts() -> None:
    # the corpus majority says Ishiba, but the knowledge base says Muto: siding with the KB passes
    confirmed = _finding([("Koichi Ishiba", ["a.txt", "b.txt"]), ("Yoji Muto", ["c.txt", "new.txt"])],
                         confirmed="Yoji Muto")
    assert decide([confirmed], {"new.txt"})[0].severity is Severity.INFO
    contradicted = _finding([("Koichi Ishiba", ["a.txt", "new.txt"]), ("Yoji Muto", ["c.txt"])],
                            confirmed="Yoji Muto")
    verdict = decide([contradicted], {"new.txt"})[0]
    assert verdict.severity is Severity.ERROR and "knowledge base" in verdict.message


def test_failing_verdicts_are_not_hidden_by_a_baseline_of_the_old_dispute() -> None:
    minority = _finding([("Ryosei Akazawa", ["a.txt", "b.txt"]), ("Akio Akazawa", ["c.txt", "new.txt"])])
    majority = _finding([("Ryosei Akazawa", ["a.txt", "b.txt", "new.txt"]), ("Akio Akazawa", ["c.txt"])])
    assert decide([minority], {"new.txt"})[0].fingerprint != "fp"
    assert decide([majority], {"new.txt"})[0].fingerprint == "fp"


# --------------------------------------------------------------------------- the seeds, end to end


@pytest.fixture
def seeds_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from factcheck import pipeline

    monkeypatch.setattr(pipeline, "make_embedders", lambda config: (FakeEmbedder(), None))
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS, tmp_path / "seeds")
    for name in ("Ryosei Akazawa", "Akio Akazawa", "Kenji Akazawa"):
        (tmp_path / f"{name.split()[0].lower()}.txt").write_text(SAYS.format(name=name))
    return tmp_path


def _run(*args: str) -> int:
    from factcheck.cli import main

    return CliRunner().invoke(main, list(args)).exit_code


@pytest.mark.parametrize("with_baseline", [False, True])
def test_seeds_ci_exit_codes(seeds_project: Path, with_baseline: bool) -> None:
    assert _run("index", "add", "seeds", "-q") == 0
    extra: list[str] = []
    if with_baseline:
        assert _run("baseline", "create", "--no-index", "seeds", "-q", "-o", "base.json") == 0
        extra = ["--baseline", "base.json"]
    assert _run("ci", "ryosei.txt", "-q", *extra) == 0
    assert _run("ci", "akio.txt", "-q", *extra) == 1
    assert _run("ci", "kenji.txt", "-q", *extra) == 1


def test_seeds_ci_with_the_knowledge_base_flags_a_contradicted_holder(seeds_project: Path) -> None:
    kb = str(FIXTURES / "kb" / "japan-2025.toml")
    assert _run("index", "add", "seeds", "-q") == 0
    (seeds_project / "trade.txt").write_text(
        "Cabinet\n\nJapan's Trade Minister Koichi Ishiba met business leaders in Osaka on Monday.\n")
    assert _run("ci", "trade.txt", "-q", "--kb", kb) == 1


def test_ci_compares_a_new_document_only_with_its_own_story(tmp_path: Path) -> None:
    fake = FakeEmbedder()
    stories = (("old", "tokyo-talks", "Ryosei Akazawa"), ("new", "osaka-expo", "Akio Akazawa"))
    for folder, story, name in stories:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text(SAYS.format(name=name))
        (tmp_path / folder / "factcheck.toml").write_text(f'[documents."a.txt"]\nstory = "{story}"\n')
    index = CorpusIndex.open(tmp_path / "ix", fake, create=True)
    index.add(load_documents([str(tmp_path / "old")]), CONFIG)
    new = load_documents([str(tmp_path / "new")])
    assert check_against_index(new, index, CONFIG, (fake, None)).findings == ()
    across = Config(use_cache=False, across_stories=True)
    assert [f.code for f in check_against_index(new, index, across, (fake, None)).findings] == ["FC101"]
