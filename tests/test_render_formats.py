"""Machine formats: schema validation (JSON, SARIF), golden files (github, junit), Markdown, HTML, safety."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from render_sample import EVIL, PATH_C, check_snapshot, sample_report

from factcheck.render.formats import FORMAT_NAMES, render_to_string
from factcheck.render.github import escape_data, escape_property
from factcheck.render.json import load_findings
from factcheck.render.markdown import escape_md

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"


def test_every_format_is_registered():
    assert set(FORMAT_NAMES) == {"text", "json", "sarif", "github", "markdown", "junit", "html"}


def test_json_validates_against_the_schema_and_round_trips(tmp_path):
    schema = json.loads((ROOT / "docs" / "report.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    out = render_to_string(sample_report(), "json")
    data = json.loads(out)
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["findings"][1]["claims"][0]["text"] == EVIL  # data is kept exactly, JSON escapes it
    path = tmp_path / "report.json"
    path.write_text(out)
    assert tuple(load_findings(str(path))) == sample_report().findings


def test_json_schema_rejects_a_broken_report():
    schema = json.loads((ROOT / "docs" / "report.schema.json").read_text())
    data = json.loads(render_to_string(sample_report(), "json"))
    data["findings"][0]["severity"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(data)


def test_sarif_validates_against_the_official_schema():
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text())
    log = json.loads(render_to_string(sample_report(), "sarif"))
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert "helpUri" not in rules["FC101"]  # no docs-url setting: no link to a made-up address
    assert rules["FC101"]["help"]["text"]
    linked = json.loads(render_to_string(sample_report(), "sarif", "https://example.org/docs/rules"))
    jsonschema.Draft4Validator(schema).validate(linked)
    helps = {r["id"]: r["helpUri"] for r in linked["runs"][0]["tool"]["driver"]["rules"]}
    assert helps["FC101"] == "https://example.org/docs/rules/FC101.md"
    first = run["results"][0]
    assert first["partialFingerprints"] == {"factcheckFingerprint/v1": "48e620a1be901751"}
    assert first["level"] == "error" and run["results"][2]["level"] == "note"
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert "\x1b" not in json.dumps(log)
    evil = run["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert " " not in evil and "<" not in evil


def test_github_golden_and_injection():
    out = render_to_string(sample_report(), "github")
    check_snapshot("github_sample.txt", out)
    for line in out.splitlines():  # every line is one of our commands; nothing from a document starts a line
        assert re.match(r"::(error|warning|notice) (file=[^,]*,line=\d+,col=\d+,)?title=[^:]*::", line), line
    assert "\n::set-env" not in out and "\n::error file=x" not in out
    assert escape_data("a\n::set-env x::1") == "a%0A::set-env x::1"
    assert escape_property("a,b:c\r\nd%") == "a%2Cb%3Ac%0D%0Ad%25"


def test_junit_golden_and_well_formed():
    out = render_to_string(sample_report(), "junit")
    check_snapshot("junit_sample.xml", out)
    root = ET.fromstring(out.encode())
    cases = root.findall(".//testcase")
    assert [c.get("name") for c in cases] == ["news/a.txt", "news/b.txt", PATH_C]
    assert cases[2].find("failure").get("type") == "FC301"
    assert "\x1b" not in out


def test_markdown_snapshot_and_escaping():
    out = render_to_string(sample_report(), "markdown")
    check_snapshot("markdown_sample.md", out)
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "\\[x\\](http&#58;//evil.example)" in out  # no link can open, no bare URL autolinks
    assert "\\| \\`tick\\` \\*star\\*" in out
    assert escape_md("# heading") == "\\# heading" and escape_md("1. item") == "1\\. item"


class Checker(HTMLParser):
    """Collects tags and checks that every non-void element is closed in order."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.scripts = 0
        self.resources: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            if name == "src" or (tag == "link" and name == "href"):
                self.resources.append(value or "")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
        else:
            self.stack.pop()


def test_html_is_well_formed_self_contained_and_inert():
    out = render_to_string(sample_report(), "html")
    checker = Checker()
    checker.feed(out)
    checker.close()
    assert checker.errors == [] and checker.stack == []
    assert checker.scripts == 1  # our filter script only: the document's <script> is text
    assert checker.resources == []  # nothing is fetched
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert out.count('class="finding"') == 3
    assert '<option value="FC101">' in out and '<option value="warning">' in out
    assert '<mark><span class="value">Ryosei</span></mark>' in out
    assert '<mark><span class="value">Akio</span></mark>' in out


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="headless Chromium is not installed")
def test_html_renders_in_headless_chromium(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(render_to_string(sample_report(), "html"))
    shot = tmp_path / "shot.png"
    subprocess.run([shutil.which("chromium") or "/usr/bin/chromium", "--headless", "--no-sandbox",
                    "--disable-gpu", f"--screenshot={shot}", "--window-size=1200,900", page.as_uri()],
                   check=True, timeout=60, capture_output=True)
    assert shot.stat().st_size > 10_000
