"""`factcheck check` and `factcheck model`: check a corpus; manage the local models."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import click

from factcheck.cli.app import (
    FAIL_ON,
    apply_baseline_option,
    build_settings,
    corpus_options,
    exit_code,
    main,
    progress_display,
    run_guarded,
    warn_printer,
    write_report,
)
from factcheck.render.formats import FORMAT_NAMES


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default="text", show_default=True,
              help="Output format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to FILE instead of stdout.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Exit 1 when a finding of this severity or louder exists.")
@click.option("--show-ignored", is_flag=True, help="List every boilerplate span that was dropped.")
@click.option("--baseline", type=click.Path(dir_okay=False), default=None,
              help="Report only findings not in this baseline file (see `factcheck baseline create`).")
@click.option("--no-color", is_flag=True, help="No colour in the text report.")
@corpus_options
def check(paths: tuple[str, ...], fmt: str, output: str | None, fail_on: str, show_ignored: bool,
          no_color: bool, **opts: Any) -> None:
    """Check documents (files, directories, or - for stdin) for contradictions.

    \b
    Examples:
      factcheck check seeds/
      factcheck check a.txt b.html --format json -o report.json
      factcheck check seeds/ --kb fixtures/kb/japan-2025.toml
      cat new.txt | factcheck check - seeds/
    """
    run_guarded(opts["debug"], lambda: _check(paths, fmt, output, fail_on, show_ignored, no_color, opts))




def _check(paths: tuple[str, ...], fmt: str, output: str | None, fail_on: str, show_ignored: bool,
           no_color: bool, opts: dict[str, Any]) -> int:
    from factcheck.pipeline import check as run_check
    from factcheck.read.ingest import read_stdin

    settings = build_settings(opts)
    started = time.perf_counter()
    stdin_text = read_stdin(settings.config.max_file_size) if "-" in paths else None
    with progress_display(opts["quiet"]) as progress:
        report = run_check(list(paths), settings.config, stdin_text=stdin_text,
                           warn=warn_printer(opts["quiet"]), progress=progress)
    elapsed = time.perf_counter() - started
    baseline = opts.get("baseline") or settings.baseline
    if baseline:
        report = apply_baseline_option(report, baseline, None, opts["quiet"])
    write_report(report, fmt, output, no_color, show_ignored, elapsed, quiet=opts["quiet"],
                 docs_url=settings.config.docs_url)
    return exit_code(report, fail_on)


@main.group()
def model() -> None:
    """Manage the local embedding models (no network is ever used).

    \b
    Example:
      factcheck model build-static
    """


@model.command("build-static")
@click.option("--model-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the static model (default: $FACTCHECK_MODEL_DIR or "
                   "~/.local/share/factcheck/models).")
@click.option("--force", is_flag=True, help="Rebuild even if the static model exists.")
@click.option("--quiet", "-q", is_flag=True, help="No progress output.")
def build_static(model_dir: Path | None, force: bool, quiet: bool) -> None:
    """Distil the static embedding model from the bundled MiniLM (offline, ~30 s, once per machine).

    \b
    Example:
      factcheck model build-static --model-dir ~/.local/share/factcheck/models
    """

    def body() -> int:
        from factcheck.link.embed import distill_static, static_model_file

        target = static_model_file(model_dir)
        if target.exists() and not force:
            if not quiet:
                click.echo(f"static model present: {target}", err=True)
            return 0
        started = time.perf_counter()
        distill_static(target, None if quiet else (lambda m: click.echo(m, err=True)))
        if not quiet:
            click.echo(f"static model written: {target} ({time.perf_counter() - started:.1f} s)", err=True)
        return 0

    run_guarded(False, body)

