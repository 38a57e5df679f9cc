"""Score the dev set in-process (one model load for all cases): same scorer, same matching rules.

    .venv/bin/python bench/eval_inproc.py [--embedder auto|minilm|static] [score.py options]

`make eval` runs the official subprocess scorer; this is the fast loop for tuning.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from dataclasses import replace
from pathlib import Path

from factcheck.config import Config, Thresholds
from factcheck.pipeline import check, make_embedders
from factcheck.render.json import render_json

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"


def _use_sentence_keys() -> None:
    """Ablation: cluster claims by their whole sentence instead of the fact key.

    Each document's claims are made by `factcheck.extract.extract_document` (looked up when a document is
    analysed); the analysis and judgement caches are bypassed, since they cannot see this patch.
    """
    import factcheck.extract as extract_module
    import factcheck.pipeline as pipeline

    original = extract_module.extract_document

    def extract(doc_index, document, sentences, *args, **kwargs):
        text = {s.index: s.text for s in sentences}
        return [replace(c, key=text[c.sentence_index])
                for c in original(doc_index, document, sentences, *args, **kwargs)]

    extract_module.extract_document = extract  # type: ignore[assignment]
    pipeline.analysis_cache = lambda config: None  # type: ignore[assignment]
    pipeline.judgement_cache = lambda config: None  # type: ignore[assignment]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="auto")
    parser.add_argument("--dump", default=None, help="write every case's JSON report into this folder")
    parser.add_argument("--set", action="append", default=[], metavar="THRESHOLD=VALUE",
                        help="override a factcheck.config.Thresholds field, e.g. --set context=0.75")
    parser.add_argument("--no-syntax", action="store_true", help="word-window keys only (no parser)")
    parser.add_argument("--ablation", choices=["sentence-keys"], default=None,
                        help="sentence-keys: use each claim's whole sentence as its key (no fact keys)")
    args, rest = parser.parse_known_args()
    if args.ablation == "sentence-keys":
        _use_sentence_keys()
    spec = importlib.util.spec_from_file_location("score", SHARED / "score.py")
    assert spec and spec.loader
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    overrides = {k: float(v) for k, v in (item.split("=", 1) for item in args.set)}
    config = Config(embedder=args.embedder, thresholds=replace(Thresholds(), **overrides),
                    syntax=not args.no_syntax)
    embedders = make_embedders(config)
    dump = Path(args.dump) if args.dump else None
    if dump:
        dump.mkdir(parents=True, exist_ok=True)

    def run_tool(cmd: list[str], docs_dir: str, timeout: float):
        started = time.monotonic()
        report = check([docs_dir], config, embedders=embedders)
        text = render_json(report)
        if dump:
            (dump / (Path(docs_dir).parent.name + ".json")).write_text(text)
        return score.parse_output(text), None, time.monotonic() - started

    score.run_tool = run_tool
    return int(score.main([str(SHARED / "dev"), "--cmd", "true", *rest]))


if __name__ == "__main__":
    sys.exit(main())
