"""The terminal report: snapshot, width, colour rules and document-text safety."""

from __future__ import annotations

import io

from render_sample import check_snapshot, sample_report
from rich.console import Console

from factcheck.cli.app import make_console
from factcheck.render.text import render_text


def render(width: int = 100, **kwargs) -> str:
    buffer = io.StringIO()
    render_text(sample_report(), Console(file=buffer, width=width, color_system=None, **kwargs), elapsed=1.25)
    return buffer.getvalue()


def test_text_snapshot():
    check_snapshot("text_sample.txt", render())


def test_text_report_content_and_order():
    out = render()
    # grouped by fact, loudest first; code, rule, severity, location with outlet/date, sentences, explanation
    assert out.index("ERROR   FC101") < out.index("WARNING FC301") < out.index("INFO    FC902")
    assert "news/a.txt:3:1 (Cryptopolitan, 2025-07-01)" in out
    assert "Ryosei Akazawa" in out and "Akio Akazawa" in out
    assert "why: same surname 'akazawa'" in out
    assert "#48e620a1be901751" in out  # the fingerprint `factcheck show` takes
    footer = out.strip().splitlines()[-1]
    assert "1 error, 1 warning, 1 info" in footer and "3 documents" in footer and "2 fact clusters" in footer
    assert "1.2 s" in footer


def test_text_report_fits_80_columns():
    out = render(width=80)
    assert max(len(line) for line in out.splitlines()) <= 80


def test_document_text_cannot_style_or_escape_the_terminal():
    buffer = io.StringIO()
    con = Console(file=buffer, width=100, force_terminal=True, color_system="truecolor")
    render_text(sample_report(), con)
    out = buffer.getvalue()
    assert "[bold red]12%[/bold red]" in out  # printed literally, never parsed as markup
    assert "\x1b]8;;" not in out and "\x1b[2J" not in out and "\x1b[31m" not in out
    assert "\u202e" not in out
    assert "\x1b[" in out  # colour is on for a terminal, so the check above is meaningful


def test_colour_only_when_allowed(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    tty = make_console(False, io.StringIO())
    assert tty.color_system is None  # a StringIO is not a TTY: no colour
    assert make_console(True).no_color
    monkeypatch.setenv("NO_COLOR", "1")
    assert make_console(False).no_color
