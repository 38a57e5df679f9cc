"""`factcheck index ...`, `factcheck ci`, `factcheck baseline create` and `factcheck config`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from factcheck.cli.app import (
    FAIL_ON,
    build_config,
    corpus_options,
    echo_err,
    exit_code,
    main,
    run_guarded,
    safe_line,
    warn_printer,
    write_report,
)
from factcheck.errors import UsageError
from factcheck.render.formats import FORMAT_NAMES

INDEX_HELP = "Index directory (default: .factcheck, or `index` in the configuration)."


def index_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--index DIR."""
    return click.option(
        "--index", "index_dir", type=click.Path(file_okay=False), default=None, help=INDEX_HELP
    )(func)


def _settings(opts: dict[str, Any]) -> Any:
    from factcheck.settings import load_settings

    return load_settings(opts.get("config"))


def _index_dir(opts: dict[str, Any]) -> Path:
    from factcheck.index.store import DEFAULT_INDEX

    if opts.get("index_dir"):
        return Path(opts["index_dir"])
    return _settings(opts).index or Path(DEFAULT_INDEX)


def _embedders(config: Any) -> Any:
    from factcheck import pipeline

    return pipeline.make_embedders(config)


def _open(
    opts: dict[str, Any],
    config: Any,
    create: bool = False,
    vector_type: str = "float32",
    rebuild: bool = False,
) -> Any:
    from factcheck.index.store import CorpusIndex

    first, _ = _embedders(config)
    return CorpusIndex.open(
        _index_dir(opts), first, create=create, vector_type=vector_type, config=config, rebuild=rebuild
    )


def _say(quiet: bool) -> Callable[[str], None]:
    return (lambda _m: None) if quiet else (lambda m: echo_err(f"factcheck: {m}"))


def _load(paths: Sequence[str], config: Any, quiet: bool) -> list[Any]:
    from factcheck.read.ingest import load_documents

    return load_documents(
        list(paths),
        include=config.include,
        exclude=config.exclude,
        dates=dict(config.dates),
        warn=warn_printer(quiet),
        max_file_size=config.max_file_size,
        skip_unreadable=config.skip_unreadable,
    )


# --------------------------------------------------------------------------- index


@main.group("index")
def index_group() -> None:
    """Manage the persistent corpus index that `factcheck ci` checks against.

    \b
    Example:
      factcheck index add seeds/
      factcheck index status
    """


F = TypeVar("F", bound=Callable[..., Any])


def vectors_option(help_text: str) -> Callable[[F], F]:
    """Build the --vectors float32/float16 option of commands that write an index."""
    return click.option(
        "--vectors", "vector_type", type=click.Choice(["float32", "float16"]), default="float32",
        show_default=True, help=help_text,
    )


@index_group.command("add")
@click.argument("paths", nargs=-1, required=True)
@index_option
@vectors_option("Vector storage of a new index (float16 halves its memory).")
@corpus_options
def index_add(paths: tuple[str, ...], vector_type: str, **opts: Any) -> None:
    """Add documents to the index (unchanged ones are skipped, changed ones re-indexed).

    \b
    Example:
      factcheck index add seeds/ articles/
    """

    def body() -> int:
        config = build_config(opts)
        documents = _load(paths, config, opts["quiet"])
        index = _open(opts, config, create=True, vector_type=vector_type)
        result = index.add(documents, config, _say(opts["quiet"]))
        rate = result.sentences / result.seconds if result.seconds > 0 and result.sentences else 0.0
        click.echo(
            f"indexed {result.added} new, {result.updated} changed, {result.unchanged} unchanged documents "
            f"({result.sentences} sentences, {result.claims} claims, {result.seconds:.1f} s, "
            f"{rate:.0f} sentences/s) into {index.path}"
        )
        return 0

    run_guarded(opts["debug"], body)


@index_group.command("remove")
@click.argument("paths", nargs=-1, required=True)
@index_option
@click.option("--config", type=click.Path(dir_okay=False), default=None, help="Configuration file.")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def index_remove(paths: tuple[str, ...], **opts: Any) -> None:
    """Remove documents (or every document under a directory) from the index.

    \b
    Example:
      factcheck index remove articles/retracted.md
    """

    def body() -> int:
        config = _settings(opts).config
        removed = _open(opts, config).remove(list(paths))
        for path in removed:
            click.echo(safe_line(f"removed {path}"))
        return 0

    run_guarded(opts["debug"], body)


@index_group.command("status")
@index_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--config", type=click.Path(dir_okay=False), default=None, help="Configuration file.")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def index_status(fmt: str, **opts: Any) -> None:
    """Show what the index holds and whether its files agree.

    \b
    Example:
      factcheck index status --format json
    """

    def body() -> int:
        from dataclasses import asdict

        from factcheck.index.store import CorpusIndex

        directory = _index_dir(opts)
        manifest = _read_manifest(directory)

        class _Recorded:  # open with the model the index records; status needs no embedding
            model_id = str(manifest.get("model_id", ""))
            dim = int(manifest.get("dim", 0) or 0)

            def encode(self, texts: Sequence[str]) -> Any:
                raise UsageError("status does not embed")

        status = CorpusIndex.open(directory, _Recorded()).status()
        if fmt == "json":
            click.echo(json.dumps(asdict(status), indent=2, sort_keys=True))
        else:
            for key, value in asdict(status).items():
                click.echo(f"{key:15} {value}")
        return 0 if status.consistent else 1

    run_guarded(opts["debug"], body)


def _read_manifest(directory: Path) -> dict[str, Any]:
    from factcheck.errors import IndexError_
    from factcheck.index.store import MANIFEST, REBUILD_HINT

    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        if not directory.exists():
            raise IndexError_(f"no index at {directory}: run `factcheck index add PATHS` first") from None
        raise IndexError_(f"{directory} is not a factcheck index (no {MANIFEST}); {REBUILD_HINT}") from None
    except (OSError, ValueError) as exc:
        raise IndexError_(f"{directory / MANIFEST} is unreadable ({exc}); {REBUILD_HINT}") from None
    return data if isinstance(data, dict) else {}


@index_group.command("rebuild")
@click.argument("paths", nargs=-1)
@index_option
@vectors_option("Vector storage of the rebuilt index.")
@corpus_options
def index_rebuild(paths: tuple[str, ...], vector_type: str, **opts: Any) -> None:
    """Rebuild the index from PATHS, or from the documents it recorded (after a model or schema change).

    \b
    Example:
      factcheck index rebuild
      factcheck index rebuild seeds/ articles/
    """

    def body() -> int:
        from factcheck.index.store import remove_index_files

        config = build_config(opts)
        directory = _index_dir(opts)
        sources = list(paths) or _recorded_paths(directory)
        if not sources:
            raise UsageError(f"cannot tell which documents {directory} held: pass PATHS to rebuild from")
        missing = [p for p in sources if not os.path.exists(p)]
        if missing and not paths:
            warn_printer(opts["quiet"])(f"{len(missing)} recorded documents no longer exist and are dropped")
            sources = [p for p in sources if os.path.exists(p)]
        documents = _load(sources, config, opts["quiet"])
        remove_index_files(directory)
        index = _open(opts, config, create=True, vector_type=vector_type, rebuild=True)
        result = index.add(documents, config, _say(opts["quiet"]))
        click.echo(
            f"rebuilt {index.path}: {result.added} documents, {result.sentences} sentences, "
            f"{result.claims} claims ({result.seconds:.1f} s)"
        )
        return 0

    run_guarded(opts["debug"], body)


def _recorded_paths(directory: Path) -> list[str]:
    """Document paths an existing (perhaps foreign-model) index recorded, as seen from the cwd."""
    import sqlite3

    from factcheck.index.store import DATABASE

    file = directory / DATABASE
    if not file.is_file():
        return []
    root = directory.resolve().parent
    try:
        with sqlite3.connect(f"file:{file}?mode=ro", uri=True) as db:
            stored = [r[0] for r in db.execute("SELECT path FROM documents ORDER BY path")]
    except sqlite3.DatabaseError:
        return []
    out = []
    for path in stored:
        absolute = path if os.path.isabs(path) else os.path.join(root, path)
        rel = os.path.relpath(absolute)
        out.append(absolute if rel.startswith("..") else rel)
    return out


# --------------------------------------------------------------------------- ci


def changed_documents(ref: str, paths: Sequence[str]) -> list[str]:
    """Documents added or modified since git `ref` (plus untracked ones), under `paths` if given."""
    from factcheck.read.ingest import DOCUMENT_SUFFIXES

    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
        except OSError as exc:
            raise UsageError(f"--since needs git: {exc.strerror or exc}") from None
        if done.returncode != 0:
            raise UsageError(f"git {' '.join(args)}: {done.stderr.strip() or 'failed'}")
        return done.stdout

    # A ref is never an option: `--since --output=FILE` must not let git write FILE.
    if not ref or ref.startswith("-") or any(c.isspace() or ord(c) < 32 for c in ref):
        raise UsageError(f"--since {ref!r} is not a git ref (a branch, tag or commit like origin/main)")
    top = git("rev-parse", "--show-toplevel").strip()
    try:
        git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except UsageError:
        raise UsageError(f"--since {ref!r}: no such git commit, branch or tag") from None
    names = git("diff", "--name-only", "-z", "--diff-filter=ACMR", "--end-of-options", ref, "--").split("\0")
    names += git("ls-files", "--others", "--exclude-standard", "-z", "--full-name").split("\0")
    roots = [os.path.abspath(p) for p in paths]
    out: list[str] = []
    for name in names:
        if not name or not name.lower().endswith(DOCUMENT_SUFFIXES):
            continue
        absolute = os.path.join(top, name)
        if roots and not any(absolute == r or absolute.startswith(r.rstrip(os.sep) + os.sep) for r in roots):
            continue
        if os.path.isfile(absolute):
            rel = os.path.relpath(absolute)
            if rel not in out:
                out.append(absolute if rel.startswith("..") else rel)
    return sorted(out)


def apply_baseline_file(
    report: Any, baseline: str | os.PathLike[str], available: Sequence[str] | None, quiet: bool
) -> Any:
    """Drop known findings from `report`; note stale baseline entries on stderr."""
    from dataclasses import replace

    from factcheck.index.baseline import apply_baseline, load_baseline

    known = load_baseline(baseline)
    checked = [d.path for d in report.documents]
    new, stale = apply_baseline(report.findings, known, checked, available)
    if not quiet:
        hidden = len(report.findings) - len(new)
        if hidden:
            click.echo(f"factcheck: {hidden} known findings hidden by baseline {baseline}", err=True)
        for entry in stale:
            click.echo(
                f"factcheck: baseline entry {entry.fingerprint} {entry.code} ({', '.join(entry.values)}) "
                f"no longer occurs; run `factcheck baseline create` to drop it",
                err=True,
            )
    return replace(report, findings=tuple(new))


def baseline_for_check(report: Any, opts: dict[str, Any]) -> Any:
    """`check --baseline FILE` (or `baseline` in the configuration): hide known findings."""
    baseline = opts.get("baseline") or _settings(opts).baseline
    return apply_baseline_file(report, baseline, None, opts["quiet"]) if baseline else report


def _fail_on(given: str | None, settings: Any) -> str:
    return given or settings.fail_on or "error"


def _ci_report(paths: Sequence[str], opts: dict[str, Any]) -> tuple[Any, Any, Any, list[Any]]:
    from factcheck.index.incremental import check_against_index

    config = build_config(opts)
    documents = _load(paths, config, opts["quiet"])
    index = _open(opts, config)
    report = check_against_index(documents, index, config, _embedders(config), _say(opts["quiet"]))
    return report, index, config, documents


@main.command()
@click.argument("paths", nargs=-1)
@index_option
@click.option(
    "--since",
    metavar="GIT_REF",
    default=None,
    help="Check the documents changed since this git ref (under PATHS if given).",
)
@click.option("--update-index", is_flag=True, help="Add the documents to the index when the check passes.")
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False),
    default=None,
    help="Report only findings not in this baseline file (see `factcheck baseline create`).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_NAMES),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write the report to FILE instead of stdout.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default=None,
    help="Exit 1 when a finding of this severity or louder exists (default: error).",
)
@click.option("--no-color", is_flag=True, help="No colour in the text report.")
@corpus_options
def ci(
    paths: tuple[str, ...],
    since: str | None,
    update_index: bool,
    baseline: str | None,
    fmt: str,
    output: str | None,
    fail_on: str | None,
    no_color: bool,
    **opts: Any,
) -> None:
    """Check new or changed documents against the index (and each other); for CI and pre-commit.

    Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage, input or index error.

    \b
    Examples:
      factcheck index add articles/
      factcheck ci articles/new-story.md
      factcheck ci --since origin/main articles/ --format json -o report.json
      factcheck ci new.md --baseline factcheck-baseline.json --update-index
    """

    def body() -> int:
        settings = _settings(opts)
        targets = list(paths)
        if since is not None:
            targets = changed_documents(since, paths)
            if not targets:
                if not opts["quiet"]:
                    click.echo(f"factcheck: no documents changed since {since}", err=True)
                return 0
        elif not targets:
            raise UsageError("give the documents to check, or --since GIT_REF")
        started = time.perf_counter()
        report, index, config, documents = _ci_report(targets, opts)
        baseline_file = baseline or settings.baseline
        if baseline_file is not None:
            available = [index.display(p) for p in index.paths()]
            report = apply_baseline_file(report, baseline_file, available, opts["quiet"])
        elapsed = time.perf_counter() - started
        write_report(report, fmt, output, no_color, False, elapsed, quiet=opts["quiet"],
                     docs_url=config.docs_url)
        code = exit_code(report, _fail_on(fail_on, settings))
        if update_index and code == 0:
            result = index.add(documents, config, _say(opts["quiet"]))
            if not opts["quiet"]:
                click.echo(
                    f"factcheck: index updated: {result.added} new, {result.updated} changed", err=True
                )
        return code

    run_guarded(opts["debug"], body)


# --------------------------------------------------------------------------- baseline


@main.group("baseline")
def baseline_group() -> None:
    """Record known findings so that CI fails only on new ones.

    \b
    Example:
      factcheck baseline create new.md --output factcheck-baseline.json
    """


@baseline_group.command("create")
@click.argument("paths", nargs=-1, required=True)
@index_option
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="Baseline file to write (default: `baseline` in the configuration, else factcheck-baseline.json).",
)
@click.option(
    "--no-index", is_flag=True, help="Check PATHS as a whole corpus (like `check`), not against the index."
)
@corpus_options
def baseline_create(paths: tuple[str, ...], output: str | None, no_index: bool, **opts: Any) -> None:
    """Write the current findings of PATHS (as `ci` sees them, or `check` with --no-index) to a baseline.

    The file is sorted JSON, meant to be committed and reviewed in diffs.

    \b
    Examples:
      factcheck baseline create articles/new-story.md
      factcheck baseline create --no-index corpus/ -o factcheck-baseline.json
    """

    def body() -> int:
        from factcheck.index.baseline import DEFAULT_BASELINE, write_baseline

        settings = _settings(opts)
        target = output or settings.baseline or DEFAULT_BASELINE
        use_index = not no_index and (_index_dir(opts) / "manifest.json").exists()
        if use_index:
            report = _ci_report(list(paths), opts)[0]
        else:
            from factcheck.pipeline import check as run_check

            config = build_config(opts)
            report = run_check(
                list(paths), config, warn=warn_printer(opts["quiet"]), embedders=_embedders(config)
            )
        count = write_baseline(target, report.findings)
        how = "against the index" if use_index else "as a corpus"
        click.echo(safe_line(f"wrote {count} findings ({how}) to {target}"))
        return 0

    run_guarded(opts["debug"], body)


# --------------------------------------------------------------------------- config


@main.command("config")
@click.option(
    "--config",
    type=click.Path(dir_okay=False),
    default=None,
    help="Configuration file (default: discovered upward from the working directory).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def config_command(**opts: Any) -> None:
    """Print the effective configuration (file settings merged over the defaults) as TOML.

    \b
    Example:
      factcheck config
    """

    def body() -> int:
        from factcheck.settings import render_settings

        sys.stdout.write(render_settings(_settings(opts)))
        return 0

    run_guarded(opts["debug"], body)
