"""Score the real stories in-process (one model load for all stories): same scorer, same matching rules.

    .venv/bin/python bench/stories_inproc.py [--embedder auto|minilm|static] [--no-syntax]
        [--set THRESHOLD=VALUE ...] [--updates note|warn|conflict] [--dump DIR]
        [score_stories.py options, e.g. --verbose --json out.json]

`python ../shared/eval/score_stories.py ../shared/eval/stories --cmd .venv/bin/factcheck` is the official
subprocess scorer; this imports it and replaces only its `run_tool`, so matching and metrics are its own.
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
    """Run the stories scorer with an in-process `check` instead of one process per story."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="auto")
    parser.add_argument("--no-syntax", action="store_true", help="word-window keys only (no parser)")
    parser.add_argument("--set", action="append", default=[], metavar="THRESHOLD=VALUE",
                        help="override a factcheck.config.Thresholds field, e.g. --set context=0.75")
    parser.add_argument("--updates", default=None, help="the `updates` setting (note, warn, conflict)")
    parser.add_argument("--dump", default=None, help="write every story's JSON report into this folder")
    args, rest = parser.parse_known_args()
    spec = importlib.util.spec_from_file_location("score_stories", SHARED / "score_stories.py")
    assert spec and spec.loader
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    overrides = {k: float(v) for k, v in (item.split("=", 1) for item in args.set)}
    config = Config(embedder=args.embedder, thresholds=replace(Thresholds(), **overrides),
                    syntax=not args.no_syntax)
    if args.updates:
        config = replace(config, updates=args.updates)
    embedders = make_embedders(config)
    dump = Path(args.dump) if args.dump else None
    if dump:
        dump.mkdir(parents=True, exist_ok=True)

    def run_tool(cmd: list[str], docs: str, timeout: int) -> tuple[object, str]:
        text = render_json(check([docs], config, embedders=embedders))
        if dump:
            (dump / (Path(docs).parent.name + ".json")).write_text(text, encoding="utf-8")
        return score.parse_findings(text), ""

    score.run_tool = run_tool
    sys.argv = ["score_stories.py", str(SHARED / "stories"), "--cmd", "true", *rest]
    return int(score.main())


if __name__ == "__main__":
    sys.exit(main())
