"""Rule documentation kept true: rendered findings of each rule's fixture, and rule tables from the registry.

* Every rule's `fires` fixture is rendered (the text report's finding block, 100 columns, no colour) and
  compared with tests/snapshots/rules/CODE.txt; the docs page's "Example (fires)" output block must be
  that same text, so the example a reader sees is what factcheck prints.
* The rule tables of README.md and docs/rules/README.md are `factcheck.rules.rule_table()` verbatim.

FACTCHECK_UPDATE_SNAPSHOTS=1 rewrites the snapshots, the docs example blocks and the tables.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from conftest import ROOT
from render_sample import check_snapshot
from rich.console import Console
from test_rules import FIXTURE_SETTINGS, RULE_FIXTURES, run_fixture

from factcheck.render.text import finding_block
from factcheck.rules import REGISTRY, rule_table

DOCS = ROOT / "docs" / "rules"
UPDATE = os.environ.get("FACTCHECK_UPDATE_SNAPSHOTS") == "1"
FIRES_BLOCK = re.compile(r"(## Example \(fires\)\n.*?```text\n)(.*?)(```)", re.DOTALL)


def rendered(code: str) -> str:
    """The text report's blocks for CODE's findings on its `fires` fixture (trailing spaces dropped).

    Run from the repository root with a relative path, as a reader would type it.
    """
    report = run_fixture(RULE_FIXTURES.relative_to(ROOT) / code / "fires", **FIXTURE_SETTINGS.get(code, {}))
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system=None, highlight=False, markup=False, emoji=False)
    for finding in report.findings:
        if finding.code == code:
            console.print(finding_block(finding))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_rule_example_matches_what_factcheck_prints(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    text = rendered(code)
    assert code in text, f"{code} does not fire on its fixture"
    check_snapshot(f"rules/{code}.txt", text)
    page = DOCS / f"{code}.md"
    source = page.read_text(encoding="utf-8")
    if UPDATE:
        updated, count = FIRES_BLOCK.subn(lambda m: m.group(1) + text + m.group(3), source, count=1)
        assert count == 1, f"{page}: no ```text block under '## Example (fires)'"
        page.write_text(updated, encoding="utf-8")
        return
    match = FIRES_BLOCK.search(source)
    assert match is not None, f"{page}: no ```text block under '## Example (fires)'"
    assert match.group(2) == text, f"{page}: the fires example differs from the rendered fixture"


TABLES = [(ROOT / "README.md", "docs/rules/"), (DOCS / "README.md", "")]


@pytest.mark.parametrize(("document", "prefix"), TABLES)
def test_rule_tables_come_from_the_registry(document: Path, prefix: str) -> None:
    table = rule_table(prefix)
    source = document.read_text(encoding="utf-8")
    pattern = re.compile(r"^\| Code \| Name \| Default severity \| Summary \|\n(?:\|.*\|\n)+", re.MULTILINE)
    if UPDATE:
        updated, count = pattern.subn(lambda _m: table, source, count=1)
        assert count == 1, f"{document}: no rule table"
        document.write_text(updated, encoding="utf-8")
        return
    match = pattern.search(source)
    assert match is not None, f"{document}: no rule table"
    assert match.group(0) == table, f"{document}: rule table differs from the registry (regenerate it)"


def test_the_how_to_add_a_rule_example_works() -> None:
    """docs/architecture.md's example rule, under 30 lines, registers and fires on a fixture as written."""
    import factcheck.rules.numbers as family

    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    match = re.search(r"## How to add a rule\n.*?```python\n(.*?)```", page, re.DOTALL)
    assert match is not None
    code = "\n".join(line.removeprefix("   ") for line in match.group(1).splitlines())
    assert len([line for line in code.splitlines() if line.strip()]) < 30
    codes = set(re.findall(r'@rule\("(FC\d{3})"', code))
    assert len(codes) == 1 and not codes & set(REGISTRY)
    namespace = dict(vars(family))
    try:
        exec(compile(code, "docs/architecture.md", "exec"), namespace)  # the example, as a reader copies it
        report = run_fixture(RULE_FIXTURES / "FC301" / "fires")
        # one finding per disputed fact: a second rule firing on the same fact is listed in its `codes`
        assert codes <= {c for f in report.findings for c in (f.code, *f.codes)}
    finally:
        for new in codes:
            REGISTRY.pop(new, None)
