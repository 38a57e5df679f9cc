"""Find document files and read them safely: regular files only, bounded reads, unreadable paths reported.

`discover` expands the paths a user gave into document paths in a deterministic order;
`read_bounded` reads one of them with a size limit.  Neither prints: warnings go through `warn`.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Callable, Sequence

from factcheck.errors import InputError

__all__ = ["DEFAULT_MAX_FILE_SIZE", "DOCUMENT_SUFFIXES", "STDIN", "discover", "read_bounded", "unreadable"]

DOCUMENT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
SIDECAR = "factcheck.toml"
_SKIPPED_IN_DIRS = frozenset({"readme.md", SIDECAR})
STDIN = "-"
DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024  # bytes; a news article is far smaller, /dev/zero is not


def _matches(rel: str, patterns: Sequence[str]) -> bool:
    rel = rel.replace("\\", "/")
    base = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(base, p) for p in patterns)


def _selected(rel: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    if include and not _matches(rel, include):
        return False
    return not (exclude and _matches(rel, exclude))


def unreadable(path: str, exc: OSError, skip: bool, warn: Callable[[str], None]) -> None:
    """Report an unreadable path: an InputError (exit 2), or a warning with `skip`."""
    message = f"cannot read {path}: {exc.strerror or exc}"
    if not skip:
        raise InputError(f"{message} (use --skip-unreadable to skip it with a warning)")
    warn(f"skipping unreadable path: {message}")


def _walk(root: str, skip_unreadable: bool, warn: Callable[[str], None]) -> list[str]:
    """Document files under `root`, relative to it, in sorted order (hidden entries skipped).

    Only regular files (or links to them) are documents: FIFOs, sockets and devices are skipped with
    a warning, since reading them could block forever or never end.  A directory that cannot be
    listed (no permission, a path longer than the system allows) is an InputError naming it, or a
    warning with `skip_unreadable`: silently leaving it out would let a check pass falsely.
    """
    found: list[str] = []

    def on_error(exc: OSError) -> None:
        unreadable(exc.filename or root, exc, skip_unreadable, warn)

    visited = {os.path.realpath(root)}
    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=True):
        # symlinked folders are followed, but a folder already walked (a link loop) is not entered again
        keep = []
        for d in sorted(d for d in dirnames if not d.startswith(".")):
            real = os.path.realpath(os.path.join(dirpath, d))
            if real not in visited:
                visited.add(real)
                keep.append(d)
        dirnames[:] = keep
        rel_dir = os.path.relpath(dirpath, root)
        for name in sorted(filenames):
            if name.startswith(".") or name.lower() in _SKIPPED_IN_DIRS:
                continue
            if os.path.splitext(name)[1].lower() not in DOCUMENT_SUFFIXES:
                continue
            full = os.path.join(dirpath, name)
            try:
                mode = os.stat(full).st_mode
            except OSError as exc:
                unreadable(full, exc, skip_unreadable, warn)
                continue
            if not stat.S_ISREG(mode):
                warn(f"skipping {full}: not a regular file")
                continue
            found.append(name if rel_dir == "." else os.path.join(rel_dir, name))
    return sorted(found, key=lambda r: r.replace(os.sep, "/"))


def discover(
    paths: Sequence[str],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    *,
    skip_unreadable: bool = False,
    warn: Callable[[str], None] = lambda m: None,
) -> list[str]:
    """Expand files and directories into document paths, in a deterministic order.

    Directories are walked recursively and yield only regular .txt/.md/.markdown/.html/.htm
    files (README.md and factcheck.toml sidecars are skipped there); files given explicitly are
    always documents, but must be regular files (a FIFO or a device named directly is an
    InputError).  `include`/`exclude` are fnmatch globs matched against the path (relative to a
    walked directory) and the base name.  "-" (stdin) passes through.
    """
    result: list[str] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = path if path == STDIN else os.path.normcase(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            result.append(path)

    for path in paths:
        if path == STDIN:
            add(path)
            continue
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            raise InputError(f"path not found: {path}") from None
        except OSError as exc:
            unreadable(path, exc, skip_unreadable, warn)
            continue
        if stat.S_ISDIR(mode):
            rels = _walk(path, skip_unreadable, warn)
            if not rels:
                raise InputError(f"no documents found in {path} (looked for .txt, .md, .html)")
            for rel in rels:
                if _selected(rel, include, exclude):
                    add(os.path.join(path, rel))
        elif not stat.S_ISREG(mode):
            raise InputError(f"{path}: not a regular file (FIFOs and devices cannot be checked)")
        elif _selected(path, include, exclude):
            add(path)
    return result


def read_bounded(path: str, max_bytes: int) -> bytes:
    """Read a regular file of at most `max_bytes` bytes; InputError for anything else.

    The file is opened without blocking (a FIFO swapped in after discovery cannot hang the
    run), checked to be a regular file, and read with a bounded read, so memory stays bounded
    whatever the file is.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(f"{path}: not a regular file (FIFOs and devices cannot be checked)")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(
            f"{path}: larger than the per-file limit of {max_bytes:,} bytes "
            "(raise `max-file-size` in the configuration, or exclude the file)"
        )
    return data
