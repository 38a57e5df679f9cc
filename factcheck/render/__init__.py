"""Renderers: every output format is fed the same Report."""

from __future__ import annotations

import re

CONTROL_RE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Document text made safe for a terminal: ANSI/OSC escapes and control characters removed."""
    return CONTROL_RE.sub("", text.replace("\t", " ").replace("\n", " ").replace("\r", " "))
