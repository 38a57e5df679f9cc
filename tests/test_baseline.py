"""Baselines: known findings hidden, new ones reported, stale entries listed, reviewable JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEEDS, FakeEmbedder

from factcheck.config import Config
from factcheck.errors import ConfigError
from factcheck.index.baseline import apply_baseline, baseline_json, load_baseline, write_baseline
from factcheck.pipeline import check
from factcheck.records import ClaimRef, Finding, Severity


def _finding(code: str, text: str, doc: str = "a.txt", fp: str | None = None) -> Finding:
    ref = ClaimRef(
        document=doc,
        start=0,
        end=len(text),
        line=1,
        column=1,
        text=text,
        key="k",
        value="v",
        value_start=0,
        value_end=1,
    )
    return Finding(
        code=code,
        rule="r",
        severity=Severity.ERROR,
        message=f"{code} {text}",
        values=("x", "y"),
        claims=(ref,),
        cluster="F0001",
        similarity=0.9,
        fingerprint=fp or f"{code}-{text}",
    )


def test_baseline_file_is_sorted_and_stable(tmp_path: Path) -> None:
    findings = [_finding("FC201", "b", fp="ffff"), _finding("FC101", "a", fp="0000")]
    text = baseline_json(findings)
    assert text == baseline_json(list(reversed(findings)))
    data = json.loads(text)
    assert [e["fingerprint"] for e in data["findings"]] == ["0000", "ffff"]
    assert text.endswith("\n") and "\n  " in text  # indented: one field per line, reviewable in a diff
    write_baseline(tmp_path / "b.json", findings)
    assert (tmp_path / "b.json").read_text() == text
    assert load_baseline(tmp_path / "b.json").fingerprints == {"0000", "ffff"}


def test_apply_baseline_hides_known_and_lists_stale_entries(tmp_path: Path) -> None:
    write_baseline(
        tmp_path / "b.json",
        [
            _finding("FC101", "old", fp="aaaa"),
            _finding("FC101", "gone", fp="bbbb"),
            _finding("FC101", "elsewhere", doc="z.txt", fp="cccc"),
        ],
    )
    baseline = load_baseline(tmp_path / "b.json")
    new, stale = apply_baseline(
        [_finding("FC101", "old", fp="aaaa"), _finding("FC201", "new", fp="dddd")],
        baseline,
        checked=["a.txt"],
    )
    assert [f.fingerprint for f in new] == ["dddd"]
    assert [e.fingerprint for e in stale] == ["bbbb"]  # cccc's document was not checked: cannot tell


@pytest.mark.parametrize(
    "content", ["{", "[]", '{"factcheck-baseline": 7}', '{"factcheck-baseline": 1, "findings": [{}]}']
)
def test_malformed_baseline_is_a_clear_error(tmp_path: Path, content: str) -> None:
    (tmp_path / "b.json").write_text(content)
    with pytest.raises(ConfigError, match=r"b\.json"):
        load_baseline(tmp_path / "b.json")


def test_missing_baseline_names_the_command_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="baseline create"):
        load_baseline(tmp_path / "nope.json")


def test_fingerprints_survive_edits_elsewhere_in_a_document(tmp_path: Path, fake_embedders: tuple) -> None:
    for name in ("000_48df2dfc749e10e2.txt", "003_cfa95d9472509ddd.txt", "factcheck.toml"):
        (tmp_path / name).write_bytes((SEEDS / name).read_bytes())
    before = {
        f.fingerprint
        for f in check([str(tmp_path)], Config(use_cache=False), embedders=fake_embedders).findings
    }
    story = tmp_path / "003_cfa95d9472509ddd.txt"
    story.write_text(
        "An editor's note added at the top.\n\n" + story.read_text(encoding="utf-8"), encoding="utf-8"
    )
    after = {
        f.fingerprint
        for f in check([str(tmp_path)], Config(use_cache=False), embedders=fake_embedders).findings
    }
    assert before and before <= after


def test_check_with_baseline_passes_and_reports_new_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factcheck import pipeline
    from factcheck.cli import main

    monkeypatch.setattr(pipeline, "make_embedders", lambda config: (FakeEmbedder(), None))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["check", str(SEEDS), "-q"]).exit_code == 1
    created = runner.invoke(main, ["baseline", "create", "--no-index", str(SEEDS), "-q", "-o", "base.json"])
    assert created.exit_code == 0 and "as a corpus" in created.output
    result = runner.invoke(main, ["check", str(SEEDS), "--baseline", "base.json"])
    assert result.exit_code == 0, result.output
    assert "known findings hidden" in result.output
