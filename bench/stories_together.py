"""Check many story folders in one run and compare with each folder's own run (issue #12 target).

    .venv/bin/python bench/stories_together.py [../shared/eval/dev] [--limit N] [--across-stories]

Prints how many findings pair two stories and how many stories' findings differ from their own run
(compared by code, severity, fingerprint and claim locations).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from factcheck.config import Config
from factcheck.pipeline import check, make_embedders
from factcheck.records import Finding

ROOT = Path(__file__).resolve().parent.parent


def _key(f: Finding) -> tuple[object, ...]:
    return (f.code, f.severity.value, f.fingerprint, tuple(sorted((c.document, c.start) for c in f.claims)))


def main() -> int:
    """Run the comparison and print its figures; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("root", nargs="?", default=str(ROOT.parent / "shared" / "eval" / "dev"))
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--across-stories", action="store_true")
    args = parser.parse_args()
    folders = sorted(p / "docs" for p in Path(args.root).iterdir() if (p / "docs").is_dir())
    if args.limit:
        folders = folders[: args.limit]
    config = replace(Config(), across_stories=args.across_stories)
    embedders = make_embedders(config)
    together = check([str(f) for f in folders], config, embedders=embedders)
    story_of = {d.path: str(Path(d.path).parent) for d in together.documents}
    crossing = [f for f in together.findings if len({story_of[c.document] for c in f.claims}) > 1]
    differ = 0
    for folder in folders:
        own = {_key(f) for f in check([str(folder)], config, embedders=embedders).findings}
        mine = {_key(f) for f in together.findings if story_of[f.claims[0].document] == str(folder)}
        differ += own != mine
    print(f"stories={len(folders)} findings={len(together.findings)} pairing_two_stories={len(crossing)} "
          f"stories_differing_from_own_run={differ}")
    return int(bool(crossing) or bool(differ))


if __name__ == "__main__":
    sys.exit(main())
