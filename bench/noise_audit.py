"""Noise audit: check many unrelated stories as one corpus and list every cross-story alarm (issue #11).

    .venv/bin/python bench/noise_audit.py dev|stories|real-10k [--codes FC104,FC203,...] [--out FILE]

Every story is compared with every other (`--across-stories`), so a finding whose claims come from two
different stories pairs facts of unrelated events: noise (dev bundles reuse source articles, so there a
cross-bundle finding can still be about one event: read it).  `dev` and `stories` take each bundle's
`docs/` folder as a story; `real-<size>` builds (or reuses) bench/realcorpus.py's corpus, where a story is
one bundle of ../shared/eval (its articles and their near-copies are one event).  Prints per rule code:
alarms (errors and warnings), how many pair two stories, and alarms per 100 sentences; `--out` writes
every alarm of the chosen codes, cross-story ones first, for reading.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from factcheck.config import Config
from factcheck.pipeline import check, make_embedders
from factcheck.records import Finding

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
NEW_RULES = ("FC104", "FC203", "FC503", "FC204", "FC504")
StoryOf = Callable[[str], str]


def _bundle(doc: str) -> str:
    return str(Path(doc).parent)


def _article_bundle(doc: str) -> str:
    # r{round}-{n:05d}-{copy}-{bundle}-{article}.txt: the bundle is the story (its articles are one event)
    return re.sub(r"^r\d+-\d+-\d+-|-[^-]+$", "", Path(doc).stem)


def _material(name: str) -> tuple[list[str], StoryOf]:
    if name in {"dev", "stories"}:
        folders = sorted(p / "docs" for p in (EVAL / name).iterdir() if (p / "docs").is_dir())
        return [str(f) for f in folders], _bundle
    if name.startswith("real-"):
        sys.path.insert(0, str(ROOT / "bench"))
        from corpus import parse_size
        from realcorpus import build_real_corpus

        info = build_real_corpus(parse_size(name.split("-", 1)[1]))
        return [str(info.path)], _article_bundle
    raise SystemExit(f"unknown material {name!r}")


def _crossing(f: Finding, story_of: StoryOf) -> bool:
    return len({story_of(c.document) for c in f.claims}) > 1


def _describe(f: Finding, story_of: StoryOf, crossing: bool) -> str:
    lines = [f"{'CROSS' if crossing else 'same '} {f.code} {'/'.join(f.codes)} {f.severity.value} "
             f"{f.fingerprint[:8]} {f.message}", f"  why: {f.logic}"]
    lines += [f"  [{story_of(c.document)[-40:]}] {c.text.strip()[:300]}" for c in f.claims]
    return "\n".join(lines)


def main() -> int:
    """Run the audit and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("material")
    parser.add_argument("--codes", default=",".join(NEW_RULES))
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    paths, story_of = _material(args.material)
    config = replace(Config(), across_stories=True)
    report = check(paths, config, embedders=make_embedders(config))
    codes = set(args.codes.split(","))
    alarms = [f for f in report.findings if f.severity.value in {"error", "warning"}]
    total: Counter[str] = Counter()
    cross: Counter[str] = Counter()
    listed: list[tuple[bool, str]] = []
    for f in alarms:
        crossing = _crossing(f, story_of)
        fired = set(f.codes or (f.code,))
        for code in fired:
            total[code] += 1
            cross[code] += crossing
        if fired & codes:
            listed.append((crossing, _describe(f, story_of, crossing)))
    sentences = len(report.sentences)
    print(f"material={args.material} documents={len(report.documents)} sentences={sentences} "
          f"alarms={len(alarms)} cross_story={sum(1 for f in alarms if _crossing(f, story_of))}")
    print(f"{'code':8} {'alarms':>6} {'cross':>6} {'per100':>7}")
    for code in sorted(total):
        print(f"{code:8} {total[code]:6d} {cross[code]:6d} {100 * total[code] / max(1, sentences):7.2f}")
    if args.out:
        listed.sort(key=lambda item: not item[0])
        Path(args.out).write_text("\n\n".join(text for _, text in listed) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
