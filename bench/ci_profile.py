"""Profile one in-process warm `ci` (the second of two runs): stage times, top-k pairs, findings hash.

    FACTCHECK_CACHE_DIR=/tmp/fc-cache .venv/bin/python bench/ci_profile.py INDEX_DIR NEW_DOCUMENT

"pairs" above "queries" x 64 means rows tied with the k-th best score were kept (`vectors.top_k`).
The findings hash lets two code versions be compared on the same index.
"""

from __future__ import annotations

import cProfile
import hashlib
import pstats
import sys
import time
from pathlib import Path
from typing import Any

import factcheck.index.vectors as vectors_module
from factcheck.config import Config
from factcheck.index.incremental import run_ci
from factcheck.index.store import CorpusIndex
from factcheck.pipeline import make_embedders
from factcheck.read.ingest import load_documents


def main(index_dir: Path, new: str) -> None:
    counts: list[tuple[int, int]] = []

    def counting(original: Any) -> Any:
        def counted(*args: Any) -> Any:
            found = original(*args)
            counts.append((len(args[0]), len(found[0])))
            return found

        return counted

    vectors_module.top_k = counting(vectors_module.top_k)  # every row scored
    if hasattr(vectors_module, "top_k_distinct"):  # identical vectors scored once (vectors.rows.npy)
        vectors_module.top_k_distinct = counting(vectors_module.top_k_distinct)
    config = Config()
    embedders = make_embedders(config)
    documents = load_documents([new])
    for _ in range(2):
        counts.clear()
        index = CorpusIndex.open(index_dir, embedders[0])
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        result = run_ci(documents, index, config, embedders)
        profile.disable()
        seconds = time.perf_counter() - started
        index.close()
    report = result.report
    print("total", round(seconds, 2), {k: round(v, 3) for k, v in report.timings.items()})
    print("queries", sum(q for q, _ in counts), "pairs", sum(p for _, p in counts),
          "findings", len(report.findings), "claims", len(report.corpus.claims),
          "documents", len(report.corpus.documents))
    fingerprints = repr(sorted((f.code, f.fingerprint) for f in report.findings))
    print("findings-hash", hashlib.sha1(fingerprints.encode()).hexdigest()[:12])
    order = sys.argv[3] if len(sys.argv) > 3 else "tottime"
    pstats.Stats(profile).sort_stats(order).print_stats(int(sys.argv[4]) if len(sys.argv) > 4 else 15)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
