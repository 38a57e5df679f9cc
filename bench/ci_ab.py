"""Time warm `factcheck ci` of code versions against one index, interleaved (an A/B on a busy machine).

    git archive COMMIT factcheck | tar -x -C /tmp/before     # the code to compare with
    FACTCHECK_CACHE_DIR=WORK/cache .venv/bin/python bench/ci_ab.py WORK/index-float32 \\
        WORK/new/new-story.txt --code /tmp/before --code . --rounds 4

Each round runs every version once, in turn, in a fresh process (after one warm-up round that is not
counted), so a load that changes over the minutes weighs on all of them alike.  Prints each run and the
medians with the load averages seen.  The versions must report the same number of findings.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNNER = """
import sys
root = sys.argv.pop(1)
sys.path.insert(0, root)
import factcheck
assert factcheck.__file__.startswith(root), factcheck.__file__
from factcheck.cli import main
main()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index")
    parser.add_argument("new")
    parser.add_argument("--code", action="append", required=True, help="a directory holding factcheck/")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    index, new = str(Path(args.index).resolve()), str(Path(args.new).resolve())
    walls: dict[str, list[float]] = {code: [] for code in args.code}
    loads: list[float] = []
    for round_ in range(args.rounds + 1):
        for code in args.code:
            root = str(Path(code).resolve())
            command = [sys.executable, "-c", RUNNER, root, "ci", new, "--index", index, "--format", "json",
                       "--quiet", "--fail-on", "never"]
            loads.append(os.getloadavg()[0])
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, cwd="/", check=False)
            wall = time.perf_counter() - started
            if done.returncode not in (0, 1):
                raise SystemExit(f"{code}: ci failed: {done.stderr[-2000:]}")
            findings = len(json.loads(done.stdout)["findings"])
            if round_:
                walls[code].append(round(wall, 2))
            print(f"{code}: {wall:.2f} s, {findings} findings, load {loads[-1]:.2f}"
                  + ("" if round_ else " (warm-up)"), flush=True)
    for code, seen in walls.items():
        print(f"{code}: median {statistics.median(seen):.2f} s of {seen}")
    print(f"load average {min(loads):.2f}-{max(loads):.2f}")


if __name__ == "__main__":
    main()
