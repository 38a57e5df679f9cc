"""Format registry: `--format NAME` -> a function Report -> str (the CLI prints `text` on its own console)."""

from __future__ import annotations

from collections.abc import Callable

from factcheck.errors import UsageError
from factcheck.records import Report


def _text(report: Report, _docs_url: str | None) -> str:
    from io import StringIO

    from rich.console import Console

    from factcheck.render.text import render_text

    buffer = StringIO()
    render_text(report, Console(file=buffer, width=100, color_system=None, highlight=False, markup=False,
                                emoji=False, soft_wrap=False))
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())  # no padding in files


def _json(report: Report, _docs_url: str | None) -> str:
    from factcheck.render.json import render_json

    return render_json(report)


def _sarif(report: Report, docs_url: str | None) -> str:
    from factcheck.render.sarif import render_sarif

    return render_sarif(report, docs_url)


def _github(report: Report, _docs_url: str | None) -> str:
    from factcheck.render.github import render_github

    return render_github(report)


def _markdown(report: Report, docs_url: str | None) -> str:
    from factcheck.render.markdown import render_markdown

    return render_markdown(report, docs_url=docs_url)


def _junit(report: Report, _docs_url: str | None) -> str:
    from factcheck.render.junit import render_junit

    return render_junit(report)


def _html(report: Report, docs_url: str | None) -> str:
    from factcheck.render.html import render_html

    return render_html(report, docs_url)


RENDERERS: dict[str, Callable[[Report, str | None], str]] = {
    "text": _text, "json": _json, "sarif": _sarif, "github": _github, "markdown": _markdown,
    "junit": _junit, "html": _html,
}
FORMAT_NAMES = tuple(RENDERERS)
DESCRIPTIONS = {
    "text": "rich terminal report (default)",
    "json": "machine-readable report, schema factcheck.report/2 (docs/report.schema.json)",
    "sarif": "SARIF 2.1.0 for code scanning",
    "github": "GitHub Actions workflow-command annotations",
    "markdown": "Markdown report (pull-request comments, $GITHUB_STEP_SUMMARY)",
    "junit": "JUnit XML, one testcase per document",
    "html": "one self-contained HTML page with filters and side-by-side views",
}


def render_to_string(report: Report, fmt: str, docs_url: str | None = None) -> str:
    """Render a report in a machine or plain format; `docs_url` is the `docs-url` setting (rule links)."""
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise UsageError(f"unknown format {fmt!r}: choose from {', '.join(FORMAT_NAMES)}") from None
    return renderer(report, docs_url)
