"""Format registry: `--format NAME` -> a function Report -> str (text is rendered by the CLI's console)."""

from __future__ import annotations

from collections.abc import Callable

from factcheck.errors import UsageError
from factcheck.records import Report


def _json(report: Report) -> str:
    from factcheck.render.json import render_json

    return render_json(report)


def _text(report: Report) -> str:
    from io import StringIO

    from factcheck.cli.app import make_console
    from factcheck.render.text import render_text

    buffer = StringIO()
    render_text(report, make_console(True, buffer))
    return buffer.getvalue()


RENDERERS: dict[str, Callable[[Report], str]] = {"text": _text, "json": _json}
FORMAT_NAMES = tuple(RENDERERS)


def render_to_string(report: Report, fmt: str) -> str:
    """Render a report in a machine or plain format."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise UsageError(f"unknown format {fmt!r}: choose from {', '.join(FORMAT_NAMES)}") from None
    return renderer(report)
