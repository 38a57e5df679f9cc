"""Score the stories set in-process (one model load for all stories): the official scorer's matching.

    .venv/bin/python bench/stories_inproc.py [--embedder auto|minilm|static] [score_stories.py options]

`python ../shared/eval/score_stories.py ../shared/eval/stories --cmd .venv/bin/factcheck` is the official
subprocess run; this imports that module and swaps only its `run_tool` for an in-process check.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

from factcheck.config import Config
from factcheck.pipeline import check, make_embedders
from factcheck.render.json import render_json

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"


def main() -> int:
    """Run the stories scorer with factcheck called in-process."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="auto")
    args, rest = parser.parse_known_args()
    spec = importlib.util.spec_from_file_location("score_stories", SHARED / "score_stories.py")
    assert spec and spec.loader
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    config = Config(embedder=args.embedder)
    embedders = make_embedders(config)

    def run_tool(cmd: list[str], docs: str, timeout: int) -> tuple[list[dict] | None, str]:
        report = check([docs], config, embedders=embedders)
        return score.parse_findings(render_json(report)), ""

    score.run_tool = run_tool
    sys.argv = ["score_stories", str(SHARED / "stories"), "--cmd", sys.executable, *rest]
    return int(score.main())


if __name__ == "__main__":
    sys.exit(main())
