"""The package layout keeps its promises: one-way imports between stages, small modules.

Imports are read from the source (`ast`), including the ones deferred inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "factcheck"
MAX_LINES = 600

# stage -> packages it must never import (data flows read -> extract -> link -> rules -> render -> cli)
FORBIDDEN = {
    "read": ("link", "rules", "index", "render", "cli", "pipeline"),
    "extract": ("link", "rules", "index", "render", "cli", "pipeline"),
    "link": ("rules", "index", "render", "cli"),
    "rules": ("index", "render", "cli", "pipeline"),
    "render": ("index", "cli", "pipeline"),
    "index": ("render", "cli"),
}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every factcheck module a file imports (absolute names), at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {n for n in names if n == "factcheck" or n.startswith("factcheck.")}


def stage_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else path.stem


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_flow_one_way(path: Path) -> None:
    stage = stage_of(path)
    for name in imported(path):
        target = name.split(".")[1] if "." in name else ""
        if stage != "cli":
            assert target != "cli", f"{path.relative_to(ROOT)} imports {name}: the library never imports cli/"
        assert target not in FORBIDDEN.get(stage, ()), f"{path.relative_to(ROOT)} imports {name} (upward)"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines (split it by job)"


def test_only_cli_uses_click_and_only_render_uses_rich() -> None:
    for path in modules():
        stage = stage_of(path)
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        top = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                top.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                top.add(node.module.split(".")[0])
        if stage != "cli":
            assert "click" not in top, f"{path.relative_to(ROOT)} imports click"
        if stage not in ("render", "cli"):
            assert "rich" not in top, f"{path.relative_to(ROOT)} imports rich"
