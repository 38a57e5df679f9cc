"""`factcheck diff`, `show`, `clusters` and --format/--output wiring, on the seeds with the fake embedder."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEEDS, FakeEmbedder
from render_sample import sample_report
from rich.console import Console

from factcheck.cli import main
from factcheck.cli.app import progress_display
from factcheck.render.clusters import render_clusters, select_facts

A = str(SEEDS / "000_48df2dfc749e10e2.txt")
B = str(SEEDS / "003_cfa95d9472509ddd.txt")


@pytest.fixture(autouse=True)
def fake_model(monkeypatch, request):
    if request.node.get_closest_marker("e2e"):
        return
    monkeypatch.setattr("factcheck.pipeline.make_embedders", lambda config: (FakeEmbedder(), None))
    monkeypatch.setenv("NO_COLOR", "1")


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("command", ["diff", "show", "clusters"])
def test_help(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0 and "Example" in result.output


def test_diff_seeds_shows_ryosei_vs_akio():
    result = invoke("diff", A, B, "--no-cache")
    assert result.exit_code == 0, result.output
    assert "[-Ryosei-]" in result.output and "{+Akio+}" in result.output
    assert "FC101" in result.output
    assert invoke("diff", A, B, "--no-cache", "--fail-on", "error").exit_code == 1


def test_show_from_a_json_report_and_from_paths(tmp_path):
    report = tmp_path / "report.json"
    result = invoke("check", str(SEEDS), "--no-cache", "--format", "json", "--output", str(report))
    assert result.exit_code in (0, 1), result.output
    findings = json.loads(report.read_text())["findings"]
    fc101 = next(f for f in findings if f["code"] == "FC101")
    shown = invoke("show", fc101["fingerprint"][:8], "--report", str(report))
    assert shown.exit_code == 0, shown.output
    assert "FC101" in shown.output and "Ryosei" in shown.output and "Akio" in shown.output
    again = invoke("show", fc101["fingerprint"], str(SEEDS), "--no-cache")
    assert again.exit_code == 0 and "fingerprint " + fc101["fingerprint"] in again.output


def test_show_errors_are_one_line_exit_2(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    for args in (["show", "ffff", "--report", str(bad)], ["show", "ffff"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2
        assert "Traceback" not in result.output and "factcheck: error:" in result.output


def test_clusters_cli_text_and_json():
    result = invoke("clusters", str(SEEDS), "--no-cache")
    assert result.exit_code == 0, result.output
    assert "sources" in result.output and "verdict" in result.output
    data = json.loads(invoke("clusters", str(SEEDS), "--no-cache", "--format", "json").output)
    assert data["schema"] == "factcheck.clusters/1"
    assert all(f["sources"] >= 2 for f in data["facts"])


def test_corroboration_verdicts():
    facts = {f.cluster: f for f in select_facts(sample_report())}
    assert facts["F0001"].verdict == "conflict" and facts["F0001"].codes == ("FC101",)
    assert facts["F0002"].verdict == "agree"  # an info note is not a conflict
    assert facts["F0002"].values[0].documents == ("news/a.txt", "news/b.txt")
    buffer = io.StringIO()
    render_clusters(sample_report(), Console(file=buffer, width=100, color_system=None), verdicts=("agree",))
    out = buffer.getvalue()
    assert "Scott Bessent (2)" in out and "Ryosei" not in out


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "markdown", "junit", "html", "text"])
def test_every_format_through_the_cli(tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    result = invoke("check", str(SEEDS), "--no-cache", "--format", fmt, "--output", str(out))
    assert result.exit_code in (0, 1), result.output
    assert out.read_text().strip()
    assert "\x1b[" not in out.read_text()


def test_github_step_summary(tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = invoke("check", str(SEEDS), "--no-cache", "--format", "github")
    assert result.output.startswith("::")
    assert summary.read_text().startswith("# factcheck report")


def test_progress_is_off_when_quiet_or_not_a_tty():
    with progress_display(True) as say:
        assert say is None
    with progress_display(False) as say:  # pytest's stderr is not a terminal
        assert say is None


@pytest.mark.e2e
def test_seeds_report_end_to_end(tmp_path):
    """The real model on the seeds: text report snapshot and the Ryosei/Akio diff."""
    from render_sample import check_snapshot

    from factcheck.pipeline import check
    from factcheck.render.formats import render_to_string

    root = Path(__file__).resolve().parent.parent
    report = check([str(root / "seeds")])
    text = render_to_string(report, "text").replace(str(root) + "/", "")
    check_snapshot("seeds_report.txt", text)
    assert "Ryosei" in text and "Akio" in text
    result = CliRunner().invoke(main, ["diff", A, B, "--no-color"])
    assert "[-Ryosei-]" in result.output and "{+Akio+}" in result.output
