"""Items 11, 14 and 15 of issue #14 (reports): mentions, URLs, rule links, annotations, HTML filters."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import Result
from render_sample import sample_report

from factcheck.render.formats import render_to_string
from factcheck.render.html import short_names
from factcheck.render.markdown import escape_md
from factcheck.settings import load_settings

DOCS = "https://example.org/factcheck/docs/rules"


# --------------------------------------------------------------------------- 11: Markdown pings and links


def test_markdown_neither_pings_nor_autolinks() -> None:
    text = escape_md("Thanks @octocat and @org/team; see https://evil.example/x and www.evil.example, a@b.io")
    assert re.search(r"@[\w-]", text) is None  # GitHub pings "@name"
    assert "://" not in text and "www." not in text.lower()
    assert "@&#8203;octocat" in text and "https&#58;//evil.example/x" in text


def test_markdown_report_carries_no_mentions(invoke: Callable[..., Result], tmp_path: Path) -> None:
    tail = " flew to Washington on Thursday for tariff talks, @maintainers said at https://example.com.\n"
    (tmp_path / "a.txt").write_text("Japan's chief negotiator, Ryosei Akazawa," + tail, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Japan's chief negotiator, Akio Akazawa," + tail, encoding="utf-8")
    result = invoke("check", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--format", "markdown")
    assert result.exit_code == 1, result.output
    assert "@maintainers" not in result.stdout and "https://example.com" not in result.stdout


# --------------------------------------------------------------------------- 11: thresholds


def test_anchors_threshold_can_be_set_above_one(tmp_path: Path) -> None:
    config = tmp_path / "factcheck.toml"
    config.write_text("[thresholds]\nanchors = 3\ncontext = 0.9\n", encoding="utf-8")
    thresholds = load_settings(config).config.thresholds
    assert thresholds.anchors == 3 and thresholds.context == 0.9
    config.write_text("[thresholds]\nanchors = 0.5\n", encoding="utf-8")
    with pytest.raises(Exception, match="positive integer"):
        load_settings(config)


# --------------------------------------------------------------------------- 14: GitHub annotations, docs URL


def test_github_gives_one_annotation_per_finding() -> None:
    report = sample_report()
    lines = render_to_string(report, "github").splitlines()
    annotations = [line for line in lines if line.startswith("::") and "file=" in line]
    assert len(annotations) == len(report.findings)
    assert all("[related: " in line for line in annotations)  # every sample finding cites two lines


def test_rule_links_only_with_the_docs_url_setting() -> None:
    report = sample_report()
    for fmt in ("markdown", "html", "sarif"):
        plain = render_to_string(report, fmt)
        assert "docs/rules/FC101" not in plain, fmt
        linked = render_to_string(report, fmt, DOCS)
        assert f"{DOCS}/FC101.md" in linked, fmt
    sarif = json.loads(render_to_string(report, "sarif", "https://x.example/r/{code}.html"))
    uris = {r["helpUri"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert "https://x.example/r/FC101.html" in uris


def test_docs_url_setting_reaches_the_report(invoke: Callable[..., Result], corpus: Path,
                                             tmp_path: Path) -> None:
    (tmp_path / "factcheck.toml").write_text(f'docs-url = "{DOCS}"\n', encoding="utf-8")
    result = invoke("check", str(corpus), "--format", "markdown")
    assert f"]({DOCS}/FC101.md)" in result.stdout
    (tmp_path / "factcheck.toml").write_text('docs-url = "docs/rules"\n', encoding="utf-8")
    assert invoke("check", str(corpus)).exit_code == 2


# --------------------------------------------------------------------------- 15 (and 11): the HTML page


def test_html_document_filter_uses_numbers_and_short_names() -> None:
    report = sample_report()
    evil = "/srv/news/\x1b[2Jbad\x07.txt"
    docs = (replace(report.documents[0], path=evil), *report.documents[1:])
    old = report.documents[0].path
    findings = tuple(replace(f, claims=tuple(replace(c, document=evil) if c.document == old else c
                                             for c in f.claims)) for f in report.findings)
    page = render_to_string(replace(report, corpus=replace(report.corpus, documents=docs), findings=findings),
                            "html")
    options = re.findall(r'<option value="(\d+)">([^<]*)</option>', page)
    assert [n for n, _ in options] and all(n.isdigit() for n, _ in options)
    filters = [json.loads(d.replace("&quot;", '"')) for d in re.findall(r'data-docs="([^"]*)"', page)]
    assert any(0 in docs for docs in filters)  # the control-character name filters like any other
    assert not any(name.startswith("/") for _, name in options)
    assert "No findings match the filters." in page and 'id="none"' in page


def test_short_names_are_relative_to_the_common_folder() -> None:
    assert short_names(["/a/b/news/x.txt", "/a/b/blog/y.txt"]) == ["news/x.txt", "blog/y.txt"]
    assert short_names(["/a/b/x.txt"]) == ["x.txt"]


def test_html_words_are_not_split_mid_word() -> None:
    page = render_to_string(sample_report(), "html")
    assert "break-all" not in page  # "Cry ptopolitan" on a phone
    assert "overflow-wrap:anywhere" in page and ".filters select{max-width:100%}" in page


CHROMIUM = next((p for p in ("chromium", "chromium-browser", "google-chrome") if shutil.which(p)), None)
PROBE = """<script>window.addEventListener('load', function(){
  document.getElementById('f-rule').value = 'FC101';  // an error finding: with "info" nothing matches
  var sev = document.getElementById('f-sev'); sev.value = 'info'; sev.dispatchEvent(new Event('change'));
  document.title = 'PROBE ' + document.documentElement.scrollWidth + ' ' + window.innerWidth + ' ' +
    getComputedStyle(document.getElementById('none')).display;
});</script></body>"""


@pytest.mark.skipif(CHROMIUM is None, reason="no headless chromium installed")
def test_html_fits_a_phone_and_says_when_nothing_matches(tmp_path: Path) -> None:
    report = sample_report()
    long_dir = "/srv/newsroom-archive-2025/international-affairs-desk/story-000-tariff-negotiations/"
    docs = tuple(replace(d, path=long_dir + Path(d.path).name) for d in report.documents)
    moved = replace(report, corpus=replace(report.corpus, documents=docs))
    page = render_to_string(moved, "html").replace("</body>", PROBE)
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--window-size=420,900", "--virtual-time-budget=2000",
         "--dump-dom", (tmp_path / "page.html").as_uri()],
        capture_output=True, text=True, timeout=60, check=False,
    )
    found = re.search(r"<title>PROBE (\d+) (\d+) (\w+)", done.stdout)
    assert found, done.stderr[-500:]
    width, view, none = int(found.group(1)), int(found.group(2)), found.group(3)
    assert width <= view  # no horizontal scrolling on a phone
    assert none == "block"  # "No findings match the filters." instead of a blank page
