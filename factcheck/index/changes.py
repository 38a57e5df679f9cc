"""Which documents changed since a git ref (`ci --since`): added, modified or renamed, plus untracked."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence

from factcheck.errors import UsageError

__all__ = ["changed_documents"]


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
    except OSError as exc:
        raise UsageError(f"--since needs git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        raise UsageError(f"git {' '.join(args)}: {done.stderr.strip() or 'failed'}")
    return done.stdout


def changed_documents(ref: str, paths: Sequence[str] = ()) -> list[str]:
    """Documents added or modified since git `ref` (plus untracked ones), under `paths` if given.

    Paths come back as seen from the working directory, sorted; only files factcheck reads
    (its document suffixes) that still exist are listed.
    """
    from factcheck.read.ingest import DOCUMENT_SUFFIXES

    # A ref is never an option: `--since --output=FILE` must not let git write FILE.
    if not ref or ref.startswith("-") or any(c.isspace() or ord(c) < 32 for c in ref):
        raise UsageError(f"--since {ref!r} is not a git ref (a branch, tag or commit like origin/main)")
    top = _git("rev-parse", "--show-toplevel").strip()
    try:
        _git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except UsageError:
        raise UsageError(f"--since {ref!r}: no such git commit, branch or tag") from None
    names = _git("diff", "--name-only", "-z", "--diff-filter=ACMR", "--end-of-options", ref, "--").split("\0")
    names += _git("ls-files", "--others", "--exclude-standard", "-z", "--full-name").split("\0")
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
