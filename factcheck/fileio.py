"""Atomic file writes: the one helper every atomically written file goes through.

A regular target is written to a fresh temp file in its own directory (created by `tempfile.mkstemp`,
i.e. O_CREAT | O_EXCL with a random name, so the temp file is never an existing file or a symlink
planted there), flushed, fsynced, and moved over the target with `os.replace`; the directory is
then fsynced so the rename survives a crash.  A reader therefore sees the old file or the new one,
never a half-written one.  A symlink to a regular file is replaced by a regular file (the link
itself is replaced, the file it pointed to is left alone).  A target that is, or links to, something
other than a regular file (a FIFO, `/dev/stdout`, a character device) cannot be replaced: it is
written directly.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["atomic_write", "atomic_write_bytes", "atomic_write_text", "fsync_dir"]


def fsync_dir(path: str | os.PathLike[str]) -> None:
    """Fsync a directory so that a rename in it is durable (a no-op where directories cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _special(target: Path) -> bool:
    """Whether `target` is (or links to) something that is not a regular file: a FIFO, a device.

    `/dev/stdout` is a link to such a thing; it must be written through, not replaced.
    """
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def atomic_write(target: str | os.PathLike[str], write: Callable[[str], None], mode: int = 0o644) -> None:
    """Let `write(temp_path)` fill a temp file next to `target`, then fsync it and move it into place.

    For writers that need a file name (FAISS, numpy); `atomic_write_bytes` covers plain data.  The
    temp file gets permission bits `mode` (mkstemp makes 0600; index files and baselines are shared,
    reviewable files).  On any error the temp file is removed and the target left as it was.
    """
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        os.chmod(tmp, mode)
        write(tmp)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        fsync_dir(target.parent)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes, mode: int = 0o644) -> None:
    """Write `data` to `target` atomically (temp file, fsync, os.replace); FIFOs and devices directly."""
    target = Path(target)
    if _special(target):
        with open(target, "wb") as handle:
            handle.write(data)
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        handle = os.fdopen(fd, "wb")
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    try:
        os.chmod(tmp, mode)
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        fsync_dir(target.parent)
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def atomic_write_text(
    target: str | os.PathLike[str], text: str, encoding: str = "utf-8", mode: int = 0o644
) -> None:
    """Write `text` to `target` atomically (see `atomic_write_bytes`)."""
    atomic_write_bytes(target, text.encode(encoding), mode)
