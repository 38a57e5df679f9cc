"""Command line: click commands only. Parse options, call the library, render, set the exit code.

Exit codes: 0 no findings at or above --fail-on, 1 findings, 2 usage/input/index error.
Heavy modules (torch, sentence_transformers, faiss, numpy) are imported inside commands.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from factcheck import __version__
from factcheck.errors import FactcheckError, UsageError

F = TypeVar("F", bound=Callable[..., Any])
FAIL_ON = ("error", "warning", "info", "never")


# C0/C1 controls (escape sequences, newlines), bidi controls incl. the Arabic letter mark U+061C,
# zero-width characters and line/paragraph separators: none may reach the terminal raw.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")


def safe_line(text: str) -> str:
    """`text` (file names included) as one terminal-safe line: unsafe characters shown as escapes.

    A file name holding an OSC sequence (ESC ] 0 ; title BEL) is printed with `\\x1b` and `\\x07`:
    it can neither retitle nor clear the terminal nor reorder the line, and stays recognisable.
    """
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def echo_err(message: str) -> None:
    """Print one terminal-safe line on stderr."""
    click.echo(safe_line(message), err=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line to stderr and exit."""
    echo_err(f"factcheck: error: {message}")
    sys.exit(code)


def parse_date_option(values: tuple[str, ...]) -> dict[str, dt.date]:
    """--date PATH=YYYY-MM-DD (repeatable)."""
    out: dict[str, dt.date] = {}
    for value in values:
        path, sep, date_text = value.rpartition("=")
        if not sep or not path:
            raise UsageError(f"--date expects PATH=YYYY-MM-DD, got {value!r}")
        try:
            out[path] = dt.date.fromisoformat(date_text)
        except ValueError as exc:
            raise UsageError(f"--date {value!r}: {date_text!r} is not a date like 2025-07-01") from exc
    return out


def run_guarded(debug: bool, func: Callable[[], int]) -> NoReturn:
    """Run a command body: FactcheckError -> one line + exit 2; anything else -> one line + exit 3."""
    try:
        code = func()
    except FactcheckError as exc:
        if debug:
            raise
        fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except BrokenPipeError:
        sys.exit(0)
    except OSError as exc:  # the environment: disk full, a path that is a directory, no permission
        if debug:
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        fail(f"{where}{exc.strerror or exc}")
    except Exception as exc:  # last resort: never show a traceback unless --debug
        if debug:
            raise
        import sqlite3

        if isinstance(exc, sqlite3.DatabaseError):
            damaged = any(word in str(exc).lower() for word in ("malformed", "not a database", "corrupt"))
            hint = (" (the index or cache file is damaged: run `factcheck index rebuild`, "
                    "or delete the cache directory)") if damaged else ""
            fail(f"database error: {exc}{hint}")
        fail(f"internal error: {type(exc).__name__}: {exc} (run with --debug for details)", 3)
    sys.exit(code)


def corpus_options(func: F) -> F:
    """Options shared by commands that read and check a corpus."""
    options = [
        click.option("--embedder", type=click.Choice(["auto", "minilm", "static"]), default="auto",
                     show_default=True, help="auto: static candidates confirmed by MiniLM; minilm; static."),
        click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto",
                     show_default=True, help="Where MiniLM runs (cuda uses large batches and fp16)."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Embedding cache directory (default: the user cache dir)."),
        click.option("--no-cache", is_flag=True, help="Do not read or write the embedding and parse caches."),
        click.option("--no-syntax", is_flag=True,
                     help="No dependency parse: link on word-window keys only (faster, less precise)."),
        click.option("--include", multiple=True, help="Only files matching this glob (repeatable)."),
        click.option("--exclude", multiple=True, help="Skip files matching this glob (repeatable)."),
        click.option("--date", "dates", multiple=True, metavar="PATH=YYYY-MM-DD",
                     help="Publication date of a document (repeatable)."),
        click.option("--kb", type=click.Path(dir_okay=False), default=None,
                     help="Trusted-facts TOML file (FC601)."),
        click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), default=None,
                     help="Evaluate the corpus as of this date (later documents are left out)."),
        click.option("--select", default=None, help="Only these rule codes or prefixes, comma-separated."),
        click.option("--updates", type=click.Choice(["note", "warn", "conflict"]), default="note",
                     help="Evolving facts (tallies, statuses) that changed: note (info), warn, or conflict."),
        click.option("--across-stories", is_flag=True,
                     help="Also compare documents of different stories (folders, `story =`, content)."),
        click.option("--ignore", "ignore_rules", default="", help="Skip these rule codes or prefixes."),
        click.option("--skip-unreadable", is_flag=True,
                     help="Warn about unreadable files and directories instead of failing (exit 2)."),
        click.option("--quiet", "-q", is_flag=True, help="No progress or warnings on stderr."),
        click.option("--debug", is_flag=True, help="Show tracebacks for errors."),
        click.option("--config", "config", type=click.Path(dir_okay=False), default=None,
                     help="Configuration file (default: factcheck.toml or pyproject.toml [tool.factcheck], "
                          "found upward from the working directory)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def load_file_settings(opts: dict[str, Any]) -> Any:
    """Load the configuration file's Settings (--config, else discovered upward), once per command."""
    from factcheck.settings import load_settings

    return load_settings(opts.get("config"))


def build_settings(opts: dict[str, Any]) -> Any:
    """Load the Settings of a command with the corpus options: the file's, command-line options winning."""
    from dataclasses import replace

    from factcheck.config import Config

    def codes(text: str | None) -> tuple[str, ...] | None:
        if text is None:
            return None
        return tuple(c.strip().upper() for c in text.split(",") if c.strip())

    as_of = opts.get("as_of")
    cli = Config(
        embedder=opts["embedder"], device=opts["device"], cache_dir=opts["cache_dir"],
        use_cache=not opts["no_cache"], include=tuple(opts["include"]), exclude=tuple(opts["exclude"]),
        dates=parse_date_option(tuple(opts["dates"])), kb=opts["kb"],
        as_of=as_of.date() if as_of else None, select=codes(opts["select"]),
        ignore=codes(opts["ignore_rules"]) or (), skip_unreadable=bool(opts.get("skip_unreadable")),
        updates=opts["updates"], across_stories=opts["across_stories"],
        syntax=not opts.get("no_syntax", False),
    )
    # The configuration file ([tool.factcheck] / factcheck.toml) first; options given on the command line win.
    settings = load_file_settings(opts)
    base = settings.config
    fields = {"embedder": "embedder", "device": "device", "cache_dir": "cache_dir", "no_cache": "use_cache",
              "include": "include", "exclude": "exclude", "kb": "kb", "as_of": "as_of", "select": "select",
              "ignore_rules": "ignore", "skip_unreadable": "skip_unreadable", "updates": "updates",
              "across_stories": "across_stories", "no_syntax": "syntax"}
    changes = {field: getattr(cli, field) for option, field in fields.items() if _given(option)}
    if opts["dates"]:
        changes["dates"] = {**base.dates, **cli.dates}
    from factcheck.rules import check_rule_codes

    check_rule_codes(cli.select or (), "--select")
    check_rule_codes(cli.ignore, "--ignore")
    return replace(settings, config=replace(base, **changes))


def build_config(opts: dict[str, Any]) -> Any:
    """Build a Config from the shared corpus options (and the configuration file)."""
    return build_settings(opts).config


def load_corpus(paths: Any, config: Any, quiet: bool, stdin_text: str | None = None) -> list[Any]:
    """Ingest PATHS with the configuration's include/exclude/dates; warnings on stderr unless quiet."""
    from factcheck.pipeline import ingest

    return ingest(list(paths), config, stdin_text=stdin_text, warn=warn_printer(quiet))


def apply_baseline_option(report: Any, baseline: Any, available: Any, quiet: bool) -> Any:
    """Hide the findings a baseline file records; say on stderr how many and which entries are stale."""
    from factcheck.index.baseline import filter_report

    outcome = filter_report(report, baseline, available)
    if not quiet:
        if outcome.hidden:
            echo_err(f"factcheck: {outcome.hidden} known findings hidden by baseline {baseline}")
        for entry in outcome.stale:
            echo_err(
                f"factcheck: baseline entry {entry.fingerprint} {entry.code} ({', '.join(entry.values)}) "
                f"no longer occurs; run `factcheck baseline create` to drop it"
            )
    return outcome.report


def _given(option: str) -> bool:
    """Whether a command-line option was given explicitly (not its default)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return True
    source = ctx.get_parameter_source(option)
    return source is not None and source is not click.core.ParameterSource.DEFAULT


def make_console(no_color: bool, file: Any = None) -> Any:
    """Make a rich Console: colour only on a TTY, NO_COLOR and --no-color honoured."""
    from rich.console import Console

    color = not no_color and "NO_COLOR" not in os.environ
    target = file or sys.stdout
    return Console(file=target, no_color=not color, highlight=False, soft_wrap=False,
                   color_system="auto" if color else None, emoji=False, markup=False)


class OneLineErrorsGroup(click.Group):
    """A click group whose usage errors are one line on stderr (exit 2), like every other error."""

    def main(self, *args: Any, **kwargs: Any) -> Any:  # noqa: D102 - click API
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
            sys.exit(2)
        except click.UsageError as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            fail(f"{exc.format_message()}{hint}", exc.exit_code)
        except click.exceptions.Abort:
            fail("aborted", 1)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            fail(exc.format_message(), exc.exit_code)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=OneLineErrorsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="factcheck")
def main() -> None:
    """Find contradictions between documents.

    \b
    Example:
      factcheck check seeds/
      factcheck check articles/ --format json --output report.json
    """

PIPELINE_STAGES = 4  # reading documents, segmenting, extracting claims, embedding + rules


@contextmanager
def progress_display(quiet: bool) -> Iterator[Callable[[str], None] | None]:
    """Show a rich progress bar on stderr, fed by the pipeline's `progress` callback.

    None (no display) with --quiet or when stderr is not a terminal, so logs and CI stay clean.
    """
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                   console=Console(stderr=True), transient=True)
    task = bar.add_task("reading documents", total=PIPELINE_STAGES)

    def say(message: str) -> None:
        done = bar.tasks[0].completed + 1
        bar.update(task, completed=done, total=max(PIPELINE_STAGES, done + 1), description=message)

    with bar:
        yield say


def warn_printer(quiet: bool) -> Callable[[str], None]:
    """Return a function that prints a warning line on stderr unless `quiet`."""

    def warn(message: str) -> None:
        if not quiet:
            echo_err(f"factcheck: warning: {message}")

    return warn


def write_report(report: Any, fmt: str, output: str | None, no_color: bool, show_ignored: bool = False,
                 elapsed: float | None = None, quiet: bool = False, docs_url: str | None = None) -> None:
    """Render `report` in `fmt` to --output or stdout; with --output, say on stderr what was written.

    A run that writes its report to a file prints nothing on stdout; without the one stderr line
    ("wrote report.html — 2 errors, 0 warnings") its exit code 1 would read as a failure.
    """
    _write_report(report, fmt, output, no_color, show_ignored, elapsed, docs_url)
    if output is not None and not quiet:
        echo_err(f"factcheck: wrote {output} — {severity_summary(report.findings)}")


def severity_summary(findings: Any) -> str:
    """"2 errors, 1 warning" (and ", 3 info" when there are any) for a list of findings."""
    from factcheck.records import Severity

    counts = {s: 0 for s in Severity}
    for finding in findings:
        counts[finding.severity] += 1
    errors, warnings = counts[Severity.ERROR], counts[Severity.WARNING]
    text = f"{errors} error{'' if errors == 1 else 's'}, {warnings} warning{'' if warnings == 1 else 's'}"
    return text + (f", {counts[Severity.INFO]} info" if counts[Severity.INFO] else "")


def _write_report(report: Any, fmt: str, output: str | None, no_color: bool, show_ignored: bool,
                  elapsed: float | None, docs_url: str | None) -> None:
    if fmt != "text":
        from factcheck.render.formats import render_to_string

        _emit(render_to_string(report, fmt, docs_url), output)
        if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
            from factcheck.render.github import render_step_summary

            try:
                with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as fh:
                    fh.write(render_step_summary(report))
            except OSError as exc:
                raise UsageError(f"cannot write $GITHUB_STEP_SUMMARY: {exc.strerror or exc}") from exc
        return
    from io import StringIO

    from factcheck.render.text import render_text

    if output:
        buffer = StringIO()
        render_text(report, make_console(True, buffer), elapsed, show_ignored)
        _emit(buffer.getvalue(), output)
    else:
        render_text(report, make_console(no_color), elapsed, show_ignored)

def _emit(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from factcheck.fileio import atomic_write_text

    try:
        atomic_write_text(output, text)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc

def exit_code(report: Any, fail_on: str) -> int:
    """1 when a finding at or above --fail-on exists, else 0."""
    from factcheck.records import Severity

    if fail_on == "never":
        return 0
    threshold = Severity(fail_on).rank
    return 1 if any(f.severity.rank >= threshold for f in report.findings) else 0
