"""`factcheck diff`, `factcheck show` and `factcheck clusters`: views for a reviewer, not for CI."""

from __future__ import annotations

import sys
from typing import Any

import click

from factcheck.cli.app import (
    FAIL_ON,
    build_config,
    corpus_options,
    exit_code,
    main,
    make_console,
    progress_display,
    run_guarded,
    warn_printer,
)
from factcheck.errors import UsageError

no_color_option = click.option("--no-color", is_flag=True,
                               help="No colour (differences are marked [-…-] {+…+}).")


def _run(paths: list[str], opts: dict[str, Any]) -> Any:
    from factcheck.pipeline import check as run_check

    config = build_config(opts)
    with progress_display(opts["quiet"]) as progress:
        return run_check(paths, config, warn=warn_printer(opts["quiet"]), progress=progress)


@main.command()
@click.argument("left", type=click.Path(exists=True, dir_okay=False))
@click.argument("right", type=click.Path(exists=True, dir_okay=False))
@click.option("--max-pairs", type=click.IntRange(min=0), default=20, show_default=True,
              help="Show at most this many aligned pairs (0: all).")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="never", show_default=True,
              help="Exit 1 when a finding of this severity or louder exists.")
@no_color_option
@corpus_options
def diff(left: str, right: str, max_pairs: int, fail_on: str, no_color: bool, **opts: Any) -> None:
    r"""Compare two documents side by side: aligned claims, differences highlighted, the rules' verdicts.

    \b
    Example:
      factcheck diff seeds/000_48df2dfc749e10e2.txt seeds/003_cfa95d9472509ddd.txt
    """

    def body() -> int:
        from factcheck.render.diff import render_diff

        report = _run([left, right], opts)
        if len(report.documents) != 2:
            raise UsageError(f"diff needs two readable documents, got {len(report.documents)}")
        render_diff(report, make_console(no_color), 0, 1, max_pairs)
        return exit_code(report, fail_on)

    run_guarded(opts["debug"], body)


@main.command()
@click.argument("fingerprint")
@click.argument("paths", nargs=-1)
@click.option("--report", "report_file", type=click.Path(dir_okay=False), default=None,
              help="Take the finding from a saved JSON report instead of checking PATHS.")
@no_color_option
@corpus_options
def show(fingerprint: str, paths: tuple[str, ...], report_file: str | None, no_color: bool,
         **opts: Any) -> None:
    r"""Show one finding side by side (FINGERPRINT or a unique prefix, as printed by `check`).

    \b
    Examples:
      factcheck show d2104922 seeds/
      factcheck check seeds/ --format json -o report.json; factcheck show d2104922 --report report.json
    """

    def body() -> int:
        from factcheck.render.diff import document_texts, match_fingerprint, render_finding, texts_from_disk

        if report_file:
            from factcheck.render.json import load_findings

            findings = load_findings(report_file)
            texts = texts_from_disk(findings)
        elif paths:
            report = _run(list(paths), opts)
            findings = list(report.findings)
            texts = document_texts(report)
        else:
            raise UsageError("show needs PATHS to check or --report FILE")
        matches = match_fingerprint(findings, fingerprint)
        if not matches:
            raise UsageError(f"no finding with fingerprint {fingerprint!r} ({len(findings)} findings)")
        if len({f.fingerprint for f in matches}) > 1:
            listed = ", ".join(sorted({f.fingerprint for f in matches})[:5])
            raise UsageError(f"fingerprint {fingerprint!r} is ambiguous: {listed}")
        render_finding(matches[0], make_console(no_color), texts)
        return 0

    run_guarded(opts["debug"], body)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--min-sources", type=click.IntRange(min=1), default=2, show_default=True,
              help="Only facts stated by at least this many documents.")
@click.option("--verdict", "verdicts", type=click.Choice(["agree", "differs", "conflict"]), multiple=True,
              help="Only facts with this verdict (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
@no_color_option
@corpus_options
def clusters(paths: tuple[str, ...], min_sources: int, verdicts: tuple[str, ...], fmt: str, no_color: bool,
             **opts: Any) -> None:
    r"""List fact clusters: how many sources state each fact, and which agree or disagree.

    \b
    Examples:
      factcheck clusters seeds/
      factcheck clusters seeds/ --verdict agree --format json
    """

    def body() -> int:
        from factcheck.render.clusters import clusters_json, render_clusters

        report = _run(list(paths), opts)
        if fmt == "json":
            sys.stdout.write(clusters_json(report, min_sources, verdicts))
        else:
            render_clusters(report, make_console(no_color), min_sources, verdicts)
        return 0

    run_guarded(opts["debug"], body)
