"""Benchmark corpora of real news: the articles of ../shared/eval, syndicated with revised figures.

Every article of ../shared/eval/dev/*/docs and ../shared/eval/stories/*/docs is a story of its own (the
bundles are unrelated events, so a corpus mixes many unrelated stories).  Stories are taken in a seeded
order; each is published by 2-5 outlets: the original text plus near-copies that drop a few
paragraphs and revise some figures (about one number in five gets a new value, years excepted), as
syndicated copies of a story do.  When every article has been used, the next round starts again with new
copies (at 100k sentences each article appears in a few rounds).  Nothing is committed: corpora are
written under /tmp (or --out) at bench time and reused when their manifest matches.

    python bench/realcorpus.py 10k [--out /tmp/factcheck-bench]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
OUT = Path(tempfile.gettempdir()) / "factcheck-bench"
GENERATOR_VERSION = 1
REVISE_RATE = 0.2  # share of the numbers a near-copy states differently
DROP_RATE = 0.1  # share of the paragraphs a near-copy leaves out
NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\w.,])\d+(?:\.\d+)?(?![\w]|[.,]\d)")


@dataclass(frozen=True)
class RealCorpus:
    """What build_real_corpus wrote."""

    path: Path
    documents: int
    sentences: int  # the segmenter's count of the written documents (estimated from the originals)
    stories: int
    revised: int  # numbers stated differently from the original


@dataclass(frozen=True)
class Article:
    name: str
    paragraphs: tuple[str, ...]
    sentences: tuple[int, ...]  # sentences per paragraph (factcheck's segmenter)


def source_articles(shared: Path = SHARED) -> list[Article]:
    """Every eval article, its paragraphs, and how many sentences factcheck finds in each."""
    from factcheck.read.boilerplate import find_boilerplate
    from factcheck.read.ingest import load_documents
    from factcheck.read.segment import segment

    files = sorted(shared.glob("eval/dev/*/docs/*.txt")) + sorted(shared.glob("eval/stories/*/docs/*.txt"))
    if not files:
        raise SystemExit(f"no articles under {shared}/eval/dev or {shared}/eval/stories")
    out = []
    for file in files:
        text = file.read_text(encoding="utf-8", errors="replace")
        paragraphs = tuple(p.strip() for p in re.split(r"\n\s*\n", text) if p.strip())
        counts = []
        for paragraph in paragraphs:  # count per paragraph so a copy's count is exact enough
            documents = load_documents(["-"], stdin_text=paragraph + "\n", warn=lambda _m: None)
            document = documents[0]
            counts.append(len(segment(document, 0, find_boilerplate(document))))
        bundle = file.parent.parent.name
        out.append(Article(f"{bundle}-{file.stem}", paragraphs, tuple(counts)))
    return out


def _revise(paragraph: str, rng: random.Random) -> tuple[str, int]:
    revised = 0

    def change(match: re.Match[str]) -> str:
        nonlocal revised
        text = match.group()
        plain = text.replace(",", "")
        if rng.random() >= REVISE_RATE or (len(plain) == 4 and plain[:2] in {"19", "20"}):
            return text
        revised += 1
        if "." in plain:
            decimals = len(plain.split(".")[1])
            return f"{float(plain) * rng.uniform(1.05, 1.4):.{decimals}f}"
        value = int(plain)
        new = value + max(1, round(value * rng.uniform(0.05, 0.4)))
        return f"{new:,}" if "," in text else str(new)

    return NUMBER.sub(change, paragraph), revised


def build_real_corpus(size: int, out_root: Path = OUT, seed: int = 20251206) -> RealCorpus:
    """Write (or reuse) out_root/real-<size>/ with about `size` sentences; deterministic for a seed."""
    target = out_root / f"real-{size}"
    manifest_file = target / "manifest.json"
    params = {"generator": GENERATOR_VERSION, "size": size, "seed": seed}
    if manifest_file.exists():
        manifest = json.loads(manifest_file.read_text())
        if manifest.get("params") == params:
            return RealCorpus(target, manifest["documents"], manifest["sentences"], manifest["stories"],
                              manifest["revised"])
    articles = source_articles()
    rng = random.Random(seed)
    target.mkdir(parents=True, exist_ok=True)
    for old in target.glob("*.txt"):
        old.unlink()
    written = documents = stories = revised = 0
    round_no = 0
    while written < size:
        order = list(range(len(articles)))
        rng.shuffle(order)
        for index in order:
            if written >= size:
                break
            article = articles[index]
            stories += 1
            for outlet in range(rng.randint(2, 5)):
                if written >= size:
                    break
                keep = list(range(len(article.paragraphs)))
                text_parts = []
                if outlet == 0 and round_no == 0:
                    text_parts = list(article.paragraphs)
                else:
                    keep = [k for k in keep if k < 2 or rng.random() >= DROP_RATE]  # the headline stays
                    for k in keep:
                        paragraph, changed = _revise(article.paragraphs[k], rng)
                        text_parts.append(paragraph)
                        revised += changed
                (target / f"r{round_no}-{stories:05d}-{outlet}-{article.name}.txt").write_text(
                    "\n\n".join(text_parts) + "\n", encoding="utf-8")
                written += sum(article.sentences[k] for k in keep)
                documents += 1
        round_no += 1
    manifest = {"params": params, "documents": documents, "sentences": written, "stories": stories,
                "revised": revised}
    manifest_file.write_text(json.dumps(manifest, indent=2) + "\n")
    return RealCorpus(target, documents, written, stories, revised)


def main(argv: list[str] | None = None) -> int:
    """Build the corpora named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", help="corpus sizes such as 1k 10k 100k")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import parse_size

    for size in args.sizes:
        info = build_real_corpus(parse_size(size), args.out)
        print(f"{info.path}: {info.documents} documents, ~{info.sentences} sentences, "
              f"{info.stories} stories, {info.revised} revised figures")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
