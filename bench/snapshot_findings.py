"""Dump the findings of `factcheck check` on every evaluation corpus, for before/after comparisons.

    .venv/bin/python bench/snapshot_findings.py OUT_DIR [--cmd .venv/bin/factcheck] [--jobs 2]

Runs `<cmd> check <corpus> --format json` on seeds/, each ../shared/eval/dev bundle and each
../shared/eval/stories story, and writes OUT_DIR/<corpus>.json with the run-dependent fields
(timings, tool version) removed.  Two snapshots are compared with `diff -r A B`: a refactor that
keeps behaviour must leave them byte-identical.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


def corpora() -> list[tuple[str, Path]]:
    """(name, folder) for the seeds, every dev bundle and every story."""
    found = [("seeds", ROOT / "seeds")]
    found += [(f"dev-{p.name}", p / "docs") for p in sorted((EVAL / "dev").iterdir())
              if (p / "docs").is_dir()]
    found += [(f"story-{p.name}", p / "docs") for p in sorted((EVAL / "stories").iterdir())
              if (p / "docs").is_dir()]
    return found


def snapshot(cmd: list[str], name: str, folder: Path, out: Path) -> str:
    """Run one corpus and write its normalised report; returns a status line."""
    proc = subprocess.run([*cmd, "check", str(folder), "--format", "json"], capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        (out / f"{name}.error").write_text(proc.stderr)
        return f"{name}: exit {proc.returncode}"
    report = json.loads(proc.stdout)
    report.pop("tool", None)
    summary = report.get("summary", {})
    for key in [k for k in summary if "time" in k or "seconds" in k or "elapsed" in k]:
        summary.pop(key)
    (out / f"{name}.json").write_text(json.dumps(report, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    return f"{name}: {sum(report['summary']['findings'].values())} findings"


def main() -> int:
    """Parse arguments and snapshot every corpus."""
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--cmd", default=str(ROOT / ".venv" / "bin" / "factcheck"))
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cmd = shlex.split(args.cmd)
    with ThreadPoolExecutor(args.jobs) as pool:
        for line in pool.map(lambda nf: snapshot(cmd, nf[0], nf[1], out), corpora()):
            print(line, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
