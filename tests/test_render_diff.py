"""The side-by-side view: token diff, alignment of two documents, one finding; snapshots."""

from __future__ import annotations

import dataclasses
import io

from render_sample import check_snapshot, sample_report
from rich.console import Console

from factcheck.render.diff import (
    align_documents,
    context_of,
    finding_pairs,
    match_fingerprint,
    pair_segments,
    render_diff,
    render_finding,
    token_diff,
)


def console(**kwargs) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=100, color_system=None, **kwargs), buffer


def test_token_diff_marks_changed_added_removed():
    left, right = token_diff("The minister met Bessent twice in Tokyo.",
                             "The minister met Bessent in Osaka today.")
    assert [(s.text, s.tag) for s in left if s.tag != "same"] == [("twice", "removed"), ("Tokyo", "changed")]
    assert [(s.text, s.tag) for s in right if s.tag != "same"] == [("Osaka today", "changed")]
    assert "".join(s.text for s in left) == "The minister met Bessent twice in Tokyo."


def test_values_are_diffed_word_by_word_when_wording_differs():
    finding = sample_report().findings[0]
    (left, right), = finding_pairs(finding)
    seg_a, seg_b = pair_segments(left, right)
    assert [s.text for s in seg_a if s.tag != "same"] == ["Ryosei"]
    assert [s.text for s in seg_b if s.tag != "same"] == ["Akio"]


def test_align_documents_finding_then_agreement():
    pairs = align_documents(sample_report(), 0, 1)
    assert [p.verdict for p in pairs] == ["conflict", "note"]  # FC101 error, FC902 info
    assert pairs[0].finding is not None and pairs[0].finding.code == "FC101"
    report = sample_report()
    bare = dataclasses.replace(report, findings=report.findings[:1])
    pairs = align_documents(bare, 0, 1)
    assert [p.verdict for p in pairs] == ["conflict", "agree"]  # the shared cluster, no finding on it
    assert "Scott Bessent" in pairs[1].note


def test_diff_snapshot_without_colour_uses_word_diff_markers():
    con, buffer = console()
    render_diff(sample_report(), con, 0, 1)
    out = buffer.getvalue()
    assert "[-Ryosei-]" in out and "{+Akio+}" in out
    assert "verdict: FC101 person-name-conflict (error)" in out
    check_snapshot("diff_sample.txt", out)


def test_diff_in_colour_has_no_markers_but_styles():
    buffer = io.StringIO()
    con = Console(file=buffer, width=100, force_terminal=True, color_system="truecolor")
    render_diff(sample_report(), con)
    out = buffer.getvalue()
    assert "[-Ryosei-]" not in out and "\x1b[" in out


def test_show_snapshot_and_hostile_finding():
    report = sample_report()
    texts = {d.path: d.text for d in report.documents}
    con, buffer = console()
    render_finding(report.findings[0], con, texts)
    check_snapshot("show_sample.txt", buffer.getvalue())
    con, buffer = console(force_terminal=True)
    render_finding(report.findings[1], con, texts)
    out = buffer.getvalue()
    assert "[bold red]12%" in out and "\x1b]8;;" not in out and "\x1b[2J" not in out


def test_context_is_the_neighbouring_lines():
    text = "one\ntwo three\nfour\n"
    assert context_of(text, 4, 13) == ("one", "four")
    assert context_of(text, 0, 3) == ("", "two three")


def test_match_fingerprint_prefix():
    findings = sample_report().findings
    assert [f.code for f in match_fingerprint(findings, "48E6")] == ["FC101"]
    assert match_fingerprint(findings, "") == []
