"""Score the stories set in-process (one model load for all stories): same scorer, same matching rules.

    .venv/bin/python bench/eval_stories_inproc.py [--embedder auto|minilm|static] [--no-syntax]
        [--set THRESHOLD=VALUE ...] [score_stories.py options, e.g. --verbose --json out.json]

`python ../shared/eval/score_stories.py ../shared/eval/stories --cmd .venv/bin/factcheck` is the official
subprocess scorer; this imports its matching code and only replaces how the tool is run.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from dataclasses import replace
from pathlib import Path

from factcheck.config import Config, Thresholds
from factcheck.pipeline import check, make_embedders
from factcheck.render.json import render_json

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="auto")
    parser.add_argument("--no-syntax", action="store_true", help="word-window keys only (no parser)")
    parser.add_argument("--set", action="append", default=[], metavar="THRESHOLD=VALUE",
                        help="override a factcheck.config.Thresholds field, e.g. --set context=0.75")
    args, rest = parser.parse_known_args()
    spec = importlib.util.spec_from_file_location("score_stories", SHARED / "score_stories.py")
    assert spec and spec.loader
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    overrides = {k: float(v) for k, v in (item.split("=", 1) for item in args.set)}
    config = Config(embedder=args.embedder, thresholds=replace(Thresholds(), **overrides),
                    syntax=not args.no_syntax)
    embedders = make_embedders(config)

    def run_tool(cmd: list[str], docs: str, timeout: int):
        report = check([docs], config, embedders=embedders)
        return score.parse_findings(render_json(report)), ""

    score.run_tool = run_tool
    sys.argv = ["score_stories.py", str(SHARED / "stories"), "--cmd", "true", *rest]
    return int(score.main())


if __name__ == "__main__":
    sys.exit(main())
