"""Five syndicated copies with shifted numbers (issue #12): how many findings, against how many facts.

    .venv/bin/python bench/five_copies.py [--docs N] [--embedder static]

Takes the first N documents of ../shared/eval/dev, writes five copies of each with every number shifted
by the copy's index (as wire stories are re-published with revised figures), checks them together and
prints the findings (by severity) and the bound: the number of sentences of the source that hold a number
(each such fact can differ across the copies, so one finding per disputed fact gives at most that many).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

from factcheck.config import Config
from factcheck.pipeline import check

ROOT = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"(?<![\w.])(\d+)(?![\w.])")


def main() -> int:
    """Build the copies, check them, print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10)
    parser.add_argument("--embedder", default="static")
    args = parser.parse_args()
    sources = sorted((ROOT.parent / "shared" / "eval" / "dev").glob("*/docs/*.txt"))[: args.docs]
    with tempfile.TemporaryDirectory() as tmp:
        facts = 0
        for n, source in enumerate(sources):
            text = source.read_text(encoding="utf-8")
            facts += sum(1 for line in re.split(r"(?<=[.!?])\s+", text) if NUMBER.search(line))
            for copy in range(5):
                shifted = NUMBER.sub(lambda m, c=copy: str(int(m.group(1)) + c), text)
                (Path(tmp) / f"{n:03d}-copy{copy}.txt").write_text(shifted, encoding="utf-8")
        report = check([tmp], replace(Config(), embedder=args.embedder))
        counts = Counter(f.severity.value for f in report.findings)
        print(f"documents={len(report.documents)} sentences={len(report.sentences)} "
              f"findings={len(report.findings)} ({dict(counts)}) number_facts={facts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
