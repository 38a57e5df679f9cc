"""What the dependency parse costs: sentences/s of the parser and its share of a run with a cold parse cache.

    .venv/bin/python bench/parse_cost.py [FOLDER ...]   (default: every story of ../shared/eval/stories)

Each folder is checked twice in one process with a fresh cache directory (analyses, parses and embeddings):
the first (cold) run analyses, parses and embeds everything, the second finds every analysis in the cache.
Parsing is part of the analysis step (`factcheck.analysis`), so a cached document is never parsed.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from factcheck.config import Config
from factcheck.extract import wants_frame
from factcheck.extract.syntax import _nlp
from factcheck.pipeline import check, make_embedders

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"


def main() -> int:
    stories = SHARED / "stories"
    folders = sys.argv[1:] or sorted(str(p / "docs") for p in stories.iterdir() if (p / "docs").is_dir())
    config = Config()
    clock = time.perf_counter()
    _nlp()
    load = time.perf_counter() - clock
    with tempfile.TemporaryDirectory() as tmp:
        config = replace(config, cache_dir=Path(tmp))
        embedders = make_embedders(config)
        totals = {"cold": [0.0, 0.0], "warm": [0.0, 0.0]}
        parsed = sentences = 0
        for run in ("cold", "warm"):
            for folder in folders:
                started = time.perf_counter()
                report = check([folder], replace(config), embedders=embedders)
                totals[run][0] += time.perf_counter() - started
                totals[run][1] += report.timings.get("parse", 0.0)
                if run == "cold":
                    sentences += len(report.sentences)
                    parsed += len({(c.doc_index, c.sentence_index) for c in report.claims
                                   if wants_frame(c)})
    cold_total, cold_parse = totals["cold"]
    warm_total, warm_parse = totals["warm"]
    print(f"folders {len(folders)}, sentences {sentences}, parsed (a value or a 'to' statement) "
          f"{parsed}")
    print(f"model load {load:.2f}s")
    print(f"cold cache: run {cold_total:.1f}s, parse {cold_parse:.1f}s "
          f"({100 * cold_parse / cold_total:.0f}%), {parsed / cold_parse:.0f} parsed sentences/s")
    print(f"warm cache: run {warm_total:.1f}s, parse {warm_parse:.2f}s "
          f"({100 * warm_parse / warm_total:.0f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
