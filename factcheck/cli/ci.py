"""`factcheck index ...`, `factcheck ci`, `factcheck baseline create` and `factcheck config`."""

from __future__ import annotations

import atexit
import contextlib
import gc
import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from factcheck.cli.app import (
    FAIL_ON,
    apply_baseline_option,
    build_settings,
    corpus_options,
    echo_err,
    exit_code,
    load_corpus,
    load_file_settings,
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


def _index_dir(opts: dict[str, Any], settings: Any) -> Path:
    from factcheck.index.manifest import DEFAULT_INDEX

    if opts.get("index_dir"):
        return Path(opts["index_dir"])
    return settings.index or Path(DEFAULT_INDEX)


def _open(
    opts: dict[str, Any],
    settings: Any,
    embedders: Any,
    create: bool = False,
    vector_type: str = "float32",
    rebuild: bool = False,
) -> Any:
    from factcheck.index.store import CorpusIndex

    return CorpusIndex.open(
        _index_dir(opts, settings), embedders[0], create=create, vector_type=vector_type,
        config=settings.config, rebuild=rebuild,
    )


def _embedders(config: Any) -> Any:
    from factcheck.pipeline import make_embedders

    return make_embedders(config)


def _say(quiet: bool) -> Callable[[str], None]:
    return (lambda _m: None) if quiet else (lambda m: echo_err(f"factcheck: {m}"))


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
        settings = build_settings(opts)
        documents = load_corpus(paths, settings.config, opts["quiet"])
        index = _open(opts, settings, _embedders(settings.config), create=True, vector_type=vector_type)
        result = index.add(documents, settings.config, _say(opts["quiet"]))
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
        settings = load_file_settings(opts)
        removed = _open(opts, settings, _embedders(settings.config)).remove(list(paths))
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

        status = CorpusIndex.open_readonly(_index_dir(opts, load_file_settings(opts))).status()
        if fmt == "json":
            click.echo(json.dumps(asdict(status), indent=2, sort_keys=True))
        else:
            for key, value in asdict(status).items():
                click.echo(f"{key:15} {value}")
        return 0 if status.consistent else 1

    run_guarded(opts["debug"], body)


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
        from factcheck.index.manifest import rebuild_sources, remove_index_files

        settings = build_settings(opts)
        directory = _index_dir(opts, settings)
        sources = rebuild_sources(directory, paths)
        if sources.dropped:
            gone = f"{sources.dropped} recorded documents no longer exist and are dropped"
            warn_printer(opts["quiet"])(gone)
        documents = load_corpus(sources.paths, settings.config, opts["quiet"])
        remove_index_files(directory)
        index = _open(opts, settings, _embedders(settings.config), create=True, vector_type=vector_type,
                      rebuild=True)
        result = index.add(documents, settings.config, _say(opts["quiet"]))
        click.echo(
            f"rebuilt {index.path}: {result.added} documents, {result.sentences} sentences, "
            f"{result.claims} claims ({result.seconds:.1f} s)"
        )
        return 0

    run_guarded(opts["debug"], body)


# --------------------------------------------------------------------------- ci


def _fail_on(given: str | None, settings: Any) -> str:
    return given or settings.fail_on or "error"


@contextlib.contextmanager
def fewer_collections(first_generation: int = 50_000) -> Iterator[None]:
    """Run the cyclic garbage collector less often inside (a `ci` run builds ~100k small objects).

    The records are frozen dataclasses that hold no reference cycles, so the collector's passes over the
    young objects (every 700 allocations by default) find nothing to free: at 100k they took ~10% of a
    run.  What is alive on entry (modules, imported tables) is frozen out of later passes; it all goes
    back to the defaults on exit.
    """
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(first_generation, old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def freeze_at_exit() -> None:
    """Freeze what is alive when the interpreter exits, once per process (`atexit`).

    The interpreter's last cyclic collections then skip the ~100k records a `ci` run leaves (they took
    0.1-0.2 s of a 100k run's exit, after the report was written); their memory goes with the
    process.  Objects are still freed by reference counting, and `atexit` handlers (log flushing)
    still run.
    """
    global _FREEZE_REGISTERED
    if not _FREEZE_REGISTERED:
        atexit.register(gc.freeze)
        _FREEZE_REGISTERED = True


_FREEZE_REGISTERED = False


def _run_ci(paths: Sequence[str], opts: dict[str, Any], settings: Any) -> tuple[Any, Any]:
    """Check PATHS against the index: (IndexCheck, the open index)."""
    from factcheck.index.incremental import run_ci

    config = settings.config
    documents = load_corpus(paths, config, opts["quiet"])
    embedders = _embedders(config)
    index = _open(opts, settings, embedders)
    freeze_at_exit()
    with fewer_collections():
        return run_ci(documents, index, config, embedders, _say(opts["quiet"])), index


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
        from factcheck.index.changes import changed_documents

        settings = build_settings(opts)
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
        checked, index = _run_ci(targets, opts, settings)
        report = checked.report
        baseline_file = baseline or settings.baseline
        if baseline_file is not None:
            report = apply_baseline_option(report, baseline_file, index.displayed_paths(), opts["quiet"])
        elapsed = time.perf_counter() - started
        write_report(report, fmt, output, no_color, False, elapsed, quiet=opts["quiet"],
                     docs_url=settings.config.docs_url)
        code = exit_code(report, _fail_on(fail_on, settings))
        if update_index and code == 0:
            result = checked.update_index(index, settings.config, _say(opts["quiet"]))
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
        from factcheck.index.manifest import is_index

        settings = build_settings(opts)
        target = output or settings.baseline or DEFAULT_BASELINE
        use_index = not no_index and is_index(_index_dir(opts, settings))
        if use_index:
            report = _run_ci(list(paths), opts, settings)[0].report
        else:
            from factcheck.pipeline import check as run_check

            config = settings.config
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

        sys.stdout.write(render_settings(load_file_settings(opts)))
        return 0

    run_guarded(opts["debug"], body)
