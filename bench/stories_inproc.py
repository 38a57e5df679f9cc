"""Score the real stories in-process (one model load for all stories): same scorer, same matching rules.

    .venv/bin/python bench/stories_inproc.py [--embedder auto|minilm|static] [--dump DIR]
                                             [score_stories.py options]

The official subprocess scorer is `../shared/eval/score_stories.py`; this imports it and replaces only its
`run_tool`, so matching and metrics are the scorer's own.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

from factcheck.config import Config
from factcheck.pipeline import check, make_embedders
from factcheck.render.json import render_json

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"


def main() -> int:
    """Run the stories scorer with an in-process `check` instead of one process per story."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="auto")
    parser.add_argument("--dump", default=None, help="write every story's JSON report into this folder")
    parser.add_argument("--updates", default=None, help="the `updates` setting (note, warn, conflict)")
    args, rest = parser.parse_known_args()
    spec = importlib.util.spec_from_file_location("score_stories", SHARED / "score_stories.py")
    assert spec and spec.loader
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    config = Config(embedder=args.embedder)
    if args.updates:
        from dataclasses import replace

        config = replace(config, updates=args.updates)
    embedders = make_embedders(config)
    dump = Path(args.dump) if args.dump else None
    if dump:
        dump.mkdir(parents=True, exist_ok=True)

    def run_tool(cmd: list[str], docs_dir: str, timeout: int) -> tuple[list[dict] | None, str]:
        report = check([docs_dir], config, embedders=embedders)
        text = render_json(report)
        if dump:
            (dump / (Path(docs_dir).parent.name + ".json")).write_text(text)
        return json.loads(text)["findings"], ""

    score.run_tool = run_tool
    sys.argv = ["score_stories.py", str(SHARED / "stories"), "--cmd", sys.executable, *rest]
    return int(score.main())


if __name__ == "__main__":
    sys.exit(main())
