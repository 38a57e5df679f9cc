"""One finding per disputed fact: grouping, corroboration, updates over time, identity, stories."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FIXTURES, SEEDS, FakeEmbedder

from factcheck.config import Config
from factcheck.pipeline import check
from factcheck.records import Report, Severity

CONFIG = Config(use_cache=False)
KB = str(FIXTURES / "kb" / "japan-2025.toml")

# A wire story whose copies are re-published with revised figures (numbers in every sentence).
WIRE = [
    "The port authority of Kelvara said {a} ships were waiting outside the harbour on Monday.",
    "The authority said dock workers unloaded {b} containers at the northern terminal overnight.",
    "A spokesman for the Kelvara chamber of commerce said exporters lost {c} million euros in the strike.",
    "Union leader Petra Olsk said {d} of the dock workers at the terminal voted to continue the strike.",
    "The regional government of Kelvara offered a pay rise of {e} percent to the striking dock workers.",
]


def _run(paths: list[Path], **settings: object) -> Report:
    config = replace(CONFIG, **settings)  # type: ignore[arg-type]
    return check([str(p) for p in paths], config, embedders=(FakeEmbedder(), None))


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_five_shifted_copies_give_at_most_one_finding_per_fact(tmp_path: Path) -> None:
    for copy in range(5):
        values = {k: str(10 * (n + 2) + copy) for n, k in enumerate("abcde")}
        text = "Port strike\n\n" + " ".join(line.format(**values) for line in WIRE) + "\n"
        _write(tmp_path, f"copy{copy}.txt", text)
    report = _run([tmp_path])
    assert report.findings, "the shifted numbers are conflicts"
    assert len(report.findings) <= len(WIRE)
    for finding in report.findings:
        assert len(finding.sides) >= 2
        # five near-copies of one text count as one source each side
        assert all(side.sources == 1 for side in finding.sides)


def test_a_grouped_finding_lists_each_value_with_its_sources() -> None:
    report = _run([SEEDS])
    loud = [f for f in report.findings if f.severity is Severity.ERROR]
    assert sorted(f.code for f in loud) == ["FC101", "FC201"]
    fc101 = next(f for f in loud if f.code == "FC101")
    assert [(s.value, s.sources) for s in fc101.sides] == [("Ryosei Akazawa", 2), ("Akio Akazawa", 1)]
    assert "2 sources say 'Ryosei Akazawa', 1 says 'Akio Akazawa'" in fc101.message
    assert fc101.confidence == "high" and fc101.confidence_why
    assert fc101.fact and " , " not in fc101.fact


def test_the_knowledge_base_value_is_named_in_the_finding() -> None:
    report = _run([SEEDS], kb=KB)
    fc201 = next(f for f in report.findings if f.code == "FC201")
    assert fc201.confirmed == "Yoji Muto"
    assert "the knowledge base says 'Yoji Muto'" in fc201.message


def test_the_same_conflict_keeps_its_fingerprint_as_unrelated_documents_are_added(tmp_path: Path) -> None:
    before = {f.code: f.fingerprint for f in _run([SEEDS]).findings if f.severity is Severity.ERROR}
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    _write(corpus, "zzz_ferries.txt", "Harbour\n\nThe harbour master said 12 ferries sailed on Sunday.\n")
    after = {f.code: f.fingerprint for f in _run([corpus]).findings if f.severity is Severity.ERROR}
    assert before == after
    # checking only the two documents that disagree (what `diff` does) names the conflict alike
    pair = _run([SEEDS / "000_48df2dfc749e10e2.txt", SEEDS / "003_cfa95d9472509ddd.txt"])
    assert before["FC101"] in {f.fingerprint for f in pair.findings}


TALLY_A = "Floods\n\nOfficials said the floods in the Orvan valley killed 14 people on the river road.\n"
TALLY_B = TALLY_A.replace("14", "31")
DATES = '[documents."a.txt"]\ndate = 2025-03-01\n\n[documents."b.txt"]\ndate = 2025-03-04\n'


def test_a_dated_tally_change_is_superseded_without_a_change_word(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", TALLY_A)
    _write(tmp_path, "b.txt", TALLY_B)
    _write(tmp_path, "factcheck.toml", DATES)
    found = _run([tmp_path]).findings
    assert [(f.code, f.severity) for f in found] == [("FC901", Severity.INFO)]
    assert found[0].timeline == (("2025-03-01", "14"), ("2025-03-04", "31"))
    assert "superseded" in found[0].message


@pytest.mark.parametrize(("updates", "expected"), [
    ("note", ("FC903", Severity.INFO)),
    ("warn", ("FC903", Severity.WARNING)),
    ("conflict", ("FC301", Severity.ERROR)),
])
def test_the_updates_setting_chooses_how_loud_an_update_is(tmp_path: Path, updates: str,
                                                           expected: tuple[str, Severity]) -> None:
    _write(tmp_path, "a.txt", TALLY_A)
    _write(tmp_path, "b.txt", TALLY_B)  # undated: a possible update
    found = _run([tmp_path], updates=updates).findings
    assert [(f.code, f.severity) for f in found] == [expected]


def test_a_name_stays_a_conflict_whatever_the_dates(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", "Talks\n\nJapan's chief negotiator, Ryosei Akazawa, flew to Washington.\n")
    _write(tmp_path, "b.txt", "Talks\n\nJapan's chief negotiator, Akio Akazawa, flew to Washington.\n")
    _write(tmp_path, "factcheck.toml", DATES)
    assert [f.code for f in _run([tmp_path]).findings] == ["FC101"]


def test_a_status_change_between_dated_reports_is_superseded(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", (FIXTURES / "rules" / "FC904" / "fires" / "a.txt").read_text())
    _write(tmp_path, "b.txt", (FIXTURES / "rules" / "FC904" / "fires" / "b.txt").read_text())
    _write(tmp_path, "factcheck.toml", DATES)
    found = _run([tmp_path]).findings
    assert [(f.code, f.severity) for f in found] == [("FC901", Severity.INFO)]
    assert [v for _, v in found[0].timeline] == ["planned or expected", "done"]


# --------------------------------------------------------------------------- stories

STORY_A = "Talks\n\nJapan's chief negotiator, Ryosei Akazawa, flew to Washington.\n"
STORY_B = "Talks\n\nJapan's chief negotiator, Akio Akazawa, flew to Washington.\n"


def test_documents_in_different_folders_are_different_stories(tmp_path: Path) -> None:
    _write(tmp_path / "one", "a.txt", STORY_A)
    _write(tmp_path / "two", "b.txt", STORY_B)
    assert _run([tmp_path]).findings == ()
    assert [f.code for f in _run([tmp_path], across_stories=True).findings] == ["FC101"]


def test_a_sidecar_story_key_groups_documents_across_folders(tmp_path: Path) -> None:
    _write(tmp_path / "one", "a.txt", STORY_A)
    _write(tmp_path / "one", "factcheck.toml", '[documents."a.txt"]\nstory = "talks"\n')
    _write(tmp_path / "two", "b.txt", STORY_B)
    _write(tmp_path / "two", "factcheck.toml", '[documents."b.txt"]\nstory = "talks"\n')
    assert [f.code for f in _run([tmp_path]).findings] == ["FC101"]


def test_content_splits_unrelated_documents_of_one_folder(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", STORY_A)
    _write(tmp_path, "b.txt", "Harbour\n\nThe harbour master of Kelvara said Akio Akazawa flew home.\n")
    _write(tmp_path, "factcheck.toml",
           '[documents."a.txt"]\ndate = 2025-03-01\n\n[documents."b.txt"]\ndate = 2019-03-04\n')
    assert _run([tmp_path]).findings == ()  # same names, but years apart: other stories


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_symlinked_folders_are_followed_once(tmp_path: Path) -> None:
    real = tmp_path / "real"
    _write(real, "a.txt", STORY_A)
    _write(real, "b.txt", STORY_B)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "linked").symlink_to(real, target_is_directory=True)
    (real / "loop").symlink_to(real, target_is_directory=True)  # a link loop must not hang or repeat
    report = _run([corpus])
    assert len(report.documents) == 2
    assert [f.code for f in report.findings] == ["FC101"]


def test_status_wording_gives_the_stage() -> None:
    from factcheck.extract.evolving import pending_roles, role_titles, status_events

    stages = {e.family: e.stage for e in status_events("Prosecutors plan to file criminal charges today.")}
    assert stages == {"indict": "pending"}
    assert [e.stage for e in status_events("He was secretly indicted by a grand jury.")] == ["done"]
    assert [e.stage for e in status_events("She said she would not step down.")] == ["not"]
    assert [e.stage for e in status_events("Obama has yet to make an endorsement.")] == ["pending"]
    assert [r for _, _, r in pending_roles("Pelosi, who is in line to be elected speaker on Thursday")] == [
        "speaker"]
    assert role_titles("Yet House Speaker Nancy Pelosi said no.", "speaker")
    assert not role_titles("House Speaker-to-be Nancy Pelosi said no.", "speaker")


def test_the_status_pre_screen_finds_exactly_what_the_family_patterns_find(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    from factcheck.extract import evolving

    files = [p for folder in (SEEDS, FIXTURES) for p in sorted(folder.rglob("*.txt"))]
    texts = [p.read_text(encoding="utf-8") for p in files]
    lines = [line for text in texts for line in re.split(r"(?<=[.!?])\s+|\n", text) if line.strip()]
    screened = [evolving.status_events(line) for line in lines]
    assert any(screened) and not all(screened)  # the texts hold sentences with and without status events
    monkeypatch.setattr(evolving, "_ANY", re.compile(""))  # a screen that lets every sentence through
    assert [evolving.status_events(line) for line in lines] == screened


def test_json_sides_and_the_clusters_label_keep_what_the_sources_wrote(tmp_path: Path) -> None:
    import json

    from factcheck.render.clusters import select_facts
    from factcheck.render.json import render_json

    data = json.loads(render_json(_run([SEEDS])))
    fc101 = next(f for f in data["findings"] if f["code"] == "FC101")
    assert fc101["sides"][0]["first"] == fc101["claims"][fc101["sides"][0]["claims"][0]]["text"]
    assert data["schema"] == "factcheck.report/2"
    said = "The senator said: \"We don't support the harbour tax increase this year.\"\nRoads are closed.\n"
    _write(tmp_path, "a.txt", said)
    _write(tmp_path, "b.txt", said.replace("don't support", "support").replace("Roads", "Ferries"))
    labels = [f.key for f in select_facts(_run([tmp_path]), min_sources=1)]
    assert any("don't support" in label for label in labels), labels
    assert not any("We do support" in label for label in labels), labels


def test_updates_and_across_stories_settings_and_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from factcheck import pipeline
    from factcheck.cli import main
    from factcheck.errors import ConfigError
    from factcheck.settings import load_settings

    good = _write(tmp_path / "cfg", "factcheck.toml",
                  '[tool.factcheck]\nupdates = "warn"\nacross-stories = true\n')
    config = load_settings(good).config
    assert (config.updates, config.across_stories) == ("warn", True)
    bad = _write(tmp_path / "bad", "factcheck.toml", '[tool.factcheck]\nupdates = "loud"\n')
    with pytest.raises(ConfigError, match="updates"):
        load_settings(bad)
    monkeypatch.setattr(pipeline, "make_embedders", lambda config: (FakeEmbedder(), None))
    _write(tmp_path / "news", "a.txt", TALLY_A)
    _write(tmp_path / "news", "b.txt", TALLY_B)
    runner = CliRunner()
    args = ["check", str(tmp_path / "news"), "--no-cache", "-q"]
    assert runner.invoke(main, args).exit_code == 0  # a possible update is a note
    assert runner.invoke(main, [*args, "--updates", "conflict"]).exit_code == 1
    assert runner.invoke(main, [*args, "--updates", "warn", "--fail-on", "warning"]).exit_code == 1


def test_check_diff_and_show_name_the_conflict_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from click.testing import CliRunner

    from factcheck import pipeline
    from factcheck.cli import main

    monkeypatch.setattr(pipeline, "make_embedders", lambda config: (FakeEmbedder(), None))
    runner = CliRunner()
    report = json.loads(runner.invoke(main, ["check", str(SEEDS), "--format", "json", "-q"]).stdout)
    fc101 = next(f["fingerprint"] for f in report["findings"] if f["code"] == "FC101")
    pair = [str(SEEDS / "000_48df2dfc749e10e2.txt"), str(SEEDS / "003_cfa95d9472509ddd.txt")]
    diff = runner.invoke(main, ["diff", *pair, "--no-color", "-q"])
    assert f"fingerprint {fc101}" in diff.output
    show = runner.invoke(main, ["show", fc101[:8], str(SEEDS), "--no-color", "-q"])
    assert show.exit_code in (0, 1) and fc101 in show.output


def test_a_polarity_conflict_between_the_sentences_of_a_status_change_is_that_update(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", "Governor Ellen Marwick has not signed the Harbour Funding Act, aides said.\n"
                              "The act pays for new piers.\n")
    _write(tmp_path, "b.txt", "Governor Ellen Marwick signed the Harbour Funding Act, aides said.\n"
                              "The act pays for new piers.\n")
    noted = _run([tmp_path]).findings
    assert [(f.code, f.severity) for f in noted] == [("FC903", Severity.INFO)]
    assert {"FC501", "FC904"} <= set(noted[0].codes)
    assert [f.severity for f in _run([tmp_path], updates="conflict").findings] == [Severity.ERROR]
