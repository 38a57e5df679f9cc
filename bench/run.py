"""`make bench`: factcheck's speed against the naive baseline, per stage, on real news corpora.

Corpora are generated into /tmp at bench time from the real articles of ../shared/eval (bench/realcorpus.py:
syndicated near-copies with revised figures, unrelated stories mixed in); `--corpus synthetic` uses the
older template generator (bench/corpus.py).  Every path runs in its own subprocess (so peak RSS is per
path) with a fresh temporary cache directory (embeddings and analyses: the cache cannot fake speed); the
auto path is also run a second time on its now-warm cache.  The naive baseline runs in the same call.

    .venv/bin/python bench/run.py                       # 1k, 10k: naive + auto cold/warm -> results.md
    .venv/bin/python bench/run.py --sizes 1k,10k,100k   # also 100k (naive extrapolated above --naive-max)
    .venv/bin/python bench/run.py --sizes 100k --paths auto --no-warm --out bench/results-100k.md
    .venv/bin/python bench/run.py --quick               # 1k only (smoke test)
    .venv/bin/python bench/run.py --eval                # also dev accuracy per embedding path (slow)
    .venv/bin/python bench/run.py --profile 10k         # cProfile of the auto path, cold and warm

Paths: naive = ingest + segment, MiniLM (sentence-transformers) on every sentence, exact all-pairs cosine;
minilm / static / auto = `factcheck check --embedder X` through the library (factcheck.pipeline.check).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from corpus import build_corpus, parse_size, size_label  # noqa: E402
from realcorpus import OUT as CORPORA  # noqa: E402
from realcorpus import build_real_corpus  # noqa: E402

PY = sys.executable
FACTCHECK = ROOT / ".venv" / "bin" / "factcheck"
SHARED = ROOT.parent / "shared"
STAGES = ("ingest", "stories", "segment", "extract", "parse", "analysis cache", "judgement cache",
          "embed+link", "cluster", "rules", "render")
NAIVE_SIMILARITY = 0.80  # the naive baseline reports sentence pairs at MiniLM cosine >= this
REAL_CORPUS_NOTE = """\
Built by `bench/realcorpus.py` (generator v1, deterministic, seed 20251206) from the 431 real articles of
../shared/eval/dev and ../shared/eval/stories: every article is a story of its own (the bundles are
unrelated events), published by 2–5 outlets: the original plus near-copies that drop ~10 % of the
paragraphs and state ~20 % of the numbers (years excepted) with a revised value.  When every article has
been used a new round of copies starts (at 100k each article appears in several rounds).  "cross-story"
counts findings between two different articles; the articles of one eval bundle report the same event
from different outlets, so many of these are real cross-source findings, not noise."""
CORPUS_NOTE = """\
Built by `bench/corpus.py` (generator v2, deterministic, seed 20250701) from the 978 unique sentences
of ../shared/eval/dev and seeds/. A story is a window of 46 consecutive source sentences with its
own seeded substitutions: every proper noun (a capitalised word whose lower-case form never occurs
in the source, sentence-initial ones included) becomes an invented name that no other story uses,
numbers are rescaled, years/months/weekdays shifted. Each story is published by 2–5 outlets (a
document keeps ~85 % of the story's sentences, adds 0–3 from elsewhere); in each copy a sentence
with a number or a two-word name states a conflicting value with probability 4 %. Stories never
share an actor, place or organisation, but the pool is small (at 10k each source sentence appears
in ~3.5 stories, at 100k in ~35), so stories still share template sentences whose names and
numbers differ: "cross-story" below counts findings between two stories, which a real corpus of
unrelated stories would mostly not produce."""
TABLE_NOTE = """\
Stage times come from `report.timings` (factcheck.pipeline.check) plus rendering (JSON + text into
a StringIO console). `e2e` = the wall time of the `check()` call plus rendering, with the models already
loaded (`model load` is shown apart); for naive, the sum of its stages (they run one after another).
factcheck's stage times are the main process's own: it judges each story while worker processes
still parse the next documents, so segment/extract/parse show only the time it waited for them, and
the stages add up to a little less than e2e (`stories` is telling the stories apart). `process wall` is the
whole subprocess including interpreter start, imports and model load.
Each path runs in its own process with a fresh empty embedding cache; `auto (warm cache)` is a
second run on the cache the cold auto run filled, without preloading the models (as the CLI: a model
is loaded only if something has to be embedded, inside `embed+link`). naive: embed = MiniLM on every
sentence, cluster = exact all-pairs cosine (pairs ≥ {naive}). × naive = naive e2e / path e2e at the
same size."""


# --------------------------------------------------------------------------- worker (one path, one process)

def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _children_peak_rss_mb() -> float:
    """Peak RSS of the largest finished child process (the analysis pool's workers), 0 without any."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0


def _naive(corpus: Path) -> dict[str, Any]:
    import numpy as np

    from factcheck.link.embed import MiniLMEmbedder
    from factcheck.read.boilerplate import find_boilerplate
    from factcheck.read.ingest import load_documents
    from factcheck.read.segment import segment

    times: dict[str, float] = {}
    clock = time.perf_counter()
    model = MiniLMEmbedder("cpu")
    model.encode(["warm up"])
    load = time.perf_counter() - clock
    clock = time.perf_counter()
    documents = load_documents([str(corpus)], warn=lambda _m: None)
    times["ingest"] = time.perf_counter() - clock
    clock = time.perf_counter()
    sentences = []
    for doc_index, document in enumerate(documents):
        sentences.extend(segment(document, doc_index, find_boilerplate(document)))
    times["segment"] = time.perf_counter() - clock
    clock = time.perf_counter()
    vectors = model.encode([s.text for s in sentences])
    times["embed+link"] = time.perf_counter() - clock
    clock = time.perf_counter()
    docs = np.asarray([s.doc_index for s in sentences])
    pairs = 0
    for begin in range(0, len(sentences), 2048):  # exact all-pairs, blocked to bound memory
        sims = vectors[begin : begin + 2048] @ vectors.T
        rows = np.arange(begin, begin + sims.shape[0])[:, None]
        mask = (sims >= NAIVE_SIMILARITY) & (np.arange(len(sentences))[None, :] > rows)
        mask &= docs[begin : begin + sims.shape[0], None] != docs[None, :]
        pairs += int(mask.sum())
    times["cluster"] = time.perf_counter() - clock
    return {"timings": times, "load": load, "sentences": len(sentences), "documents": len(documents),
            "keys": len(sentences), "pairs": pairs, "findings": 0, "claims": 0}


def _factcheck(path: str, corpus: Path, cache: Path, preload: bool = True) -> dict[str, Any]:
    from io import StringIO

    from rich.console import Console

    from factcheck.config import Config
    from factcheck.pipeline import check, make_embedders
    from factcheck.render.json import render_json
    from factcheck.render.text import render_text

    config = Config(embedder=path, device="cpu", cache_dir=cache, use_cache=True)
    clock = time.perf_counter()
    embedders = make_embedders(config)
    for embedder in embedders if preload else ():  # load the models outside the timed stages (`load`)
        if embedder is not None:
            embedder.inner.encode(["warm up"])  # type: ignore[attr-defined]
    load = time.perf_counter() - clock
    clock = time.perf_counter()
    report = check([str(corpus)], config, embedders=embedders, warn=lambda _m: None)
    check_wall = time.perf_counter() - clock
    times = {k: v for k, v in report.timings.items()}
    clock = time.perf_counter()
    json_text = render_json(report)
    buffer = StringIO()
    render_text(report, Console(file=buffer, width=100, color_system=None, highlight=False, markup=False))
    times["render"] = time.perf_counter() - clock
    pairs = sum(len(c.pairs) for c in report.clusters)
    stories = [{_story(Path(c.document).name) for c in f.claims} for f in report.findings]
    cross = sum(1 for names in stories if len(names) > 1)
    stats = [{"hits": e.hits, "misses": e.misses} for e in embedders if e is not None]
    return {"timings": times, "load": load, "check_wall": check_wall, "sentences": len(report.sentences),
            "documents": len(report.documents),
            "claims": len(report.claims), "keys": len(report.claims), "pairs": pairs,
            "clusters": len(report.clusters), "findings": len(report.findings), "cross_story": cross,
            "cache": stats,
            "json_bytes": len(json_text), "text_bytes": len(buffer.getvalue()),
            "heavy_modules": [m for m in ("torch", "sentence_transformers", "spacy") if m in sys.modules]}


def _story(name: str) -> str:
    """The story a corpus document belongs to: its article (real corpus) or its story id (synthetic)."""
    parts = name.split("-", 3)
    return parts[3] if name.startswith("r") and len(parts) == 4 else parts[0]


def _hnsw_recall(corpus: Path, cache: Path) -> dict[str, Any]:
    """Candidate pairs of the static stage with exact IndexFlatIP vs HNSW for every group."""
    from factcheck.config import Config
    from factcheck.extract import extract_claims, normalise_key
    from factcheck.link.cluster import EXACT_INDEX_LIMIT, candidate_pairs
    from factcheck.pipeline import make_embedders, match_group
    from factcheck.read.boilerplate import find_boilerplate
    from factcheck.read.ingest import load_documents
    from factcheck.read.segment import segment

    config = Config(embedder="static", cache_dir=cache, use_cache=False)
    documents = load_documents([str(corpus)], warn=lambda _m: None)
    sentences = []
    for doc_index, document in enumerate(documents):
        sentences.extend(segment(document, doc_index, find_boilerplate(document)))
    claims = extract_claims(documents, sentences, config.role_synonyms)
    vectors = make_embedders(config)[0].encode([normalise_key(c.key) for c in claims])
    groups = [match_group(c) for c in claims]
    docs = [c.doc_index for c in claims]
    sizes: dict[str, int] = {}
    for group in groups:
        sizes[group] = sizes.get(group, 0) + 1
    out: dict[str, Any] = {"keys": len(claims), "limit": EXACT_INDEX_LIMIT,
                           "largest_groups": sorted(sizes.items(), key=lambda kv: -kv[1])[:5]}
    for name, limit in (("exact", 1 << 40), ("hnsw", 0)):
        clock = time.perf_counter()
        found = candidate_pairs(vectors, groups, docs, config.thresholds.candidate, exact_limit=limit)
        out[f"{name}_seconds"] = time.perf_counter() - clock
        out[f"{name}_pairs"] = {(i, j) for i, j, _ in found}
    both = len(out["exact_pairs"] & out["hnsw_pairs"])
    out["recall"] = both / max(1, len(out["exact_pairs"]))
    out["exact_pairs"], out["hnsw_pairs"] = len(out["exact_pairs"]), len(out["hnsw_pairs"])
    out["both"] = both
    return out


def worker(spec: dict[str, Any]) -> None:
    started = time.perf_counter()
    corpus, cache = Path(spec["corpus"]), Path(spec["cache"])
    if spec["path"] == "naive":
        result = _naive(corpus)
    elif spec["path"] == "hnsw":
        result = _hnsw_recall(corpus, cache)
    elif spec.get("profile"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        result = _factcheck(spec["path"], corpus, cache, spec.get("preload", True))
        profiler.disable()
        profiler.dump_stats(spec["profile"])
        with open(spec["profile"] + ".txt", "w") as handle:
            stats = pstats.Stats(profiler, stream=handle).strip_dirs()
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(45)
    else:
        result = _factcheck(spec["path"], corpus, cache, spec.get("preload", True))
    result["process_wall"] = time.perf_counter() - started
    result["peak_rss_mb"] = _peak_rss_mb()
    result["workers_peak_rss_mb"] = _children_peak_rss_mb()
    Path(spec["out"]).write_text(json.dumps(result))


# --------------------------------------------------------------------------- driver

def run_path(
    path: str, corpus: Path, cache: Path, profile: str | None = None, preload: bool = True
) -> dict[str, Any]:
    """Run one path in a fresh interpreter; return its measurements (wall includes interpreter start).

    `preload=False` (warm runs) loads no model up front: a model is loaded only if something is embedded.
    """
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    spec = {"path": path, "corpus": str(corpus), "cache": str(cache), "out": out, "profile": profile,
            "preload": preload}
    env = dict(os.environ, TOKENIZERS_PARALLELISM="false")
    clock = time.perf_counter()
    command = [PY, __file__, "--worker", json.dumps(spec)]
    proc = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - clock
    if proc.returncode != 0:
        raise SystemExit(f"bench worker {path} on {corpus} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(Path(out).read_text())
    os.unlink(out)
    result["wall"] = wall
    result["path"] = path
    return result


def fresh_cache() -> Path:
    """A new empty cache dir (the static model lives in the per-machine model dir, not here)."""
    return Path(tempfile.mkdtemp(prefix="fc-bench-cache-"))


def summarise(result: dict[str, Any]) -> dict[str, Any]:
    times = result["timings"]
    if "check_wall" in result:  # the whole check() call, untimed steps included, plus rendering
        result["e2e"] = result["check_wall"] + times.get("render", 0.0)
    else:  # naive: its stages run one after another and cover the whole run
        result["e2e"] = sum(times.get(s, 0.0) for s in STAGES)
    result["extract+rules"] = times.get("extract", 0.0) + times.get("rules", 0.0)
    return result


def scaled(result: dict[str, Any], factor: float, sentences: int) -> dict[str, Any]:
    """The naive baseline extrapolated linearly from a measured smaller run (marked as such)."""
    out = dict(result)
    out["timings"] = {k: v * factor for k, v in result["timings"].items()}
    out["sentences"] = sentences
    out["extrapolated_from"] = result["sentences"]
    for key in ("e2e", "extract+rules", "wall"):
        out[key] = result[key] * factor
    return out


def cli_startup(best_of: int = 5) -> dict[str, float]:
    out = {}
    for args in (["--help"], ["--version"]):
        best = math.inf
        for _ in range(best_of):
            clock = time.perf_counter()
            subprocess.run([str(FACTCHECK), *args], capture_output=True, check=True)
            best = min(best, time.perf_counter() - clock)
        out[" ".join(args)] = best
    return out


def run_eval(embedder: str) -> dict[str, Any]:
    """Run score.py on ../shared/eval/dev with `--embedder X` (the user's cache is used: accuracy only)."""
    env = dict(os.environ, FACTCHECK_BENCH_EMBEDDER=embedder)
    clock = time.perf_counter()
    proc = subprocess.run(
        [PY, str(SHARED / "eval" / "score.py"), str(SHARED / "eval" / "dev"),
         "--cmd", str(ROOT / "bench" / "fc_with_embedder.sh")],
        env=env, capture_output=True, text=True,
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    summary = lines[-1] if lines else f"score.py failed: {proc.stderr[-500:]}"
    fields = dict(part.split("=", 1) for part in summary.split() if "=" in part)
    seconds = time.perf_counter() - clock
    return {"embedder": embedder, "summary": summary, "fields": fields, "seconds": seconds}


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = {}
    for module in ("torch", "faiss", "numpy", "sentence_transformers", "tokenizers"):
        try:
            versions[module] = __import__(module).__version__
        except Exception:
            versions[module] = "n/a"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return {"cpu": cpu, "cores": str(usable), "ram": f"{ram:.1f} GiB", "python": platform.python_version(),
            "os": platform.platform(), **versions,
            "load average (1/5/15 min) at the end": f"{load} (other work shares this machine)"}


# --------------------------------------------------------------------------- report

def fmt_rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}" if seconds > 0 else "-"


def stage_table(rows: list[dict[str, Any]], baseline: dict[int, dict[str, Any]]) -> list[str]:
    head = ("| size | path | sentences | claims | " + " | ".join(STAGES)
            + " | extract+rules | e2e s | e2e sent/s | × naive | model load s | process wall s"
            + " | peak RSS MB | worker peak RSS MB |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        t = r["timings"]
        n = r["sentences"]
        cells = [f"{t[s]:.2f}s ({fmt_rate(n, t[s])}/s)" if s in t else "-" for s in STAGES]
        base = baseline.get(r["size"])
        ratio = "-" if not base else ("1×" if r["path"] == "naive" else f"{base['e2e'] / r['e2e']:.1f}×")
        name = r["label"]
        if "extrapolated_from" in r:
            name += f" (extrapolated from {r['extrapolated_from']})"
        er_time = r["extract+rules"]
        er = "-" if r["path"] == "naive" else f"{er_time:.2f}s ({fmt_rate(n, er_time)}/s)"
        rss = "-" if "extrapolated_from" in r else f"{r['peak_rss_mb']:.0f}"
        workers = f"{r['workers_peak_rss_mb']:.0f}" if r.get("workers_peak_rss_mb") else "-"
        lines.append(f"| {size_label(r['size'])} | {name} | {n:,} | {r.get('claims', 0):,} | "
                     + " | ".join(cells)
                     + f" | {er} | {r['e2e']:.2f} | {fmt_rate(n, r['e2e'])} | {ratio} | {r['load']:.1f} | "
                     + f"{r['wall']:.1f} | {rss} | {workers} |")
    return lines


def growth_lines(rows: list[dict[str, Any]]) -> list[str]:
    """Exponent b in time ~ n^b between consecutive sizes (1 = linear, 2 = quadratic)."""
    lines = ["| path | stage | " + " | ".join(f"{a}->{b}" for a, b in _size_steps(rows)) + " |"]
    lines.append("|" + "---|" * (lines[0].count("|") - 1))
    measured = [r for r in rows if "extrapolated_from" not in r and r["path"] != "naive"]
    for label in dict.fromkeys(r["label"] for r in measured):
        by_size = {r["size"]: r for r in rows if r["label"] == label}
        for stage in ("embed+link", "cluster", "e2e"):
            cells = []
            for a, b in _size_steps(rows):
                # a warm run served from the judgement cache links nothing: no figure for its stages
                ran = stage == "e2e" or all(stage in by_size[n]["timings"] for n in (a, b) if n in by_size)
                if a in by_size and b in by_size and ran:
                    ta = by_size[a]["e2e"] if stage == "e2e" else by_size[a]["timings"][stage]
                    tb = by_size[b]["e2e"] if stage == "e2e" else by_size[b]["timings"][stage]
                    exponent = math.log(max(tb, 1e-6) / max(ta, 1e-6)) / math.log(b / a)
                    cells.append(f"{ta:.2f}s -> {tb:.2f}s (n^{exponent:.2f})")
                else:
                    cells.append("-")
            lines.append(f"| {label} | {stage} | " + " | ".join(cells) + " |")
    return lines


def _size_steps(rows: list[dict[str, Any]]) -> list[tuple[int, int]]:
    sizes = sorted({r["size"] for r in rows})
    return list(itertools.pairwise(sizes))


def targets(rows: list[dict[str, Any]], evals: list[dict[str, Any]], startup: dict[str, float]) -> list[str]:
    """Issue #13's targets against the rows of this run (the naive baseline measured in the same run)."""
    def find(label: str, size: int) -> dict[str, Any] | None:
        return next((r for r in rows if r["label"] == label and r["size"] == size), None)

    out = []

    def verdict(ok: bool | None, text: str) -> None:
        out.append(f"- {'PASS' if ok else ('n/a ' if ok is None else 'FAIL')} {text}")

    auto10, warm10, naive10 = find("auto", 10_000), find("auto (warm cache)", 10_000), find("naive", 10_000)
    auto100 = find("auto", 100_000)
    if auto10 and naive10:
        note = " (naive extrapolated linearly from a smaller run)" if "extrapolated_from" in naive10 else ""
        ratio = naive10["e2e"] / auto10["e2e"]
        verdict(ratio >= 3, f"cold check on 10k vs naive: {ratio:.1f}× (target ≥ 3×; process wall "
                f"{naive10['wall'] / auto10['wall']:.1f}×){note}")
        if warm10:
            ratio = naive10["e2e"] / warm10["e2e"]
            verdict(ratio >= 40, f"warm check on 10k vs naive: {ratio:.1f}× (target ≥ 40×; process wall "
                    f"{naive10['wall'] / warm10['wall']:.1f}×){note}")
    else:
        verdict(None, "10k corpus (auto and naive) not run")
    if auto100:
        wall, rss = auto100["wall"], auto100["peak_rss_mb"]
        verdict(wall < 300, f"100k cold, process wall: {wall:.1f} s (target < 300 s)")
        workers = auto100.get("workers_peak_rss_mb", 0.0)
        verdict(rss < 2048, f"100k peak RSS: {rss:.0f} MB (target < 2 GB; largest analysis worker "
                f"{workers:.0f} MB)")
    else:
        verdict(None, "100k corpus not run (--sizes 1k,10k,100k)")
    recall = {e["embedder"]: float(e["fields"]["recall"]) for e in evals if "recall" in e["fields"]}
    if "auto" in recall and "minilm" in recall:
        verdict(recall["auto"] >= recall["minilm"] - 0.02,
                f"dev recall auto {recall['auto']:.2f} vs minilm {recall['minilm']:.2f} (within 2 points)")
    for command, seconds in startup.items():
        verdict(seconds <= 0.3, f"`factcheck {command}`: {seconds:.3f} s best of 5 (target ≤ 0.3 s)")
    out.append("- `ci` of a 40-sentence document against a 100k index: `make bench-ci` (bench/ci_results.md)")
    return out


def write_results(out: Path, rows: list[dict[str, Any]], hnsw: dict[str, Any] | None,
                  evals: list[dict[str, Any]], startup: dict[str, float], corpora: dict[int, Any],
                  argv: list[str]) -> str:
    info = machine()
    baseline = {r["size"]: r for r in rows if r["path"] == "naive"}
    lines = ["# factcheck benchmark", "",
             f"Produced by `.venv/bin/python bench/run.py {' '.join(argv)}` "
             f"on {time.strftime('%Y-%m-%d %H:%M')}.",
             "", "## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in info.items()]
    real = any(hasattr(c, "revised") for c in corpora.values())
    lines += ["", "## Corpora", "", REAL_CORPUS_NOTE if real else CORPUS_NOTE, ""]
    for size, c in sorted(corpora.items()):
        found = next((r for r in rows if r["size"] == size and r["label"] == "auto"), None)
        found = found or next((r for r in rows if r["size"] == size and "cross_story" in r), None)
        extra = (f"; {found['label']} path: {found['findings']:,} findings, {found['cross_story']:,} of them "
                 "cross-story" if found and "cross_story" in found else "")
        lines.append(f"- {size_label(size)}: {c.documents} documents, {c.sentences:,} sentences written, "
                     f"{c.stories} stories, "
                     + (f"{c.revised} revised figures" if real else f"{c.conflicts} conflicts planted")
                     + extra)
    lines += ["", "## Per-stage time and throughput", "", TABLE_NOTE.format(naive=NAIVE_SIMILARITY), ""]
    lines += stage_table(rows, baseline)
    extrapolated = sorted({r["size"] for r in rows if "extrapolated_from" in r})
    if extrapolated:
        where = ", ".join(size_label(s) for s in extrapolated)
        lines += ["", f"Note: the naive baseline at {where} is **extrapolated linearly** from its measured "
                  "1k run (time × size/1k). This flatters the baseline: its all-pairs step is quadratic."]
    lines += ["", "## Cost growth (time vs corpus size)", "",
              "n^b between consecutive sizes: b ≈ 1 is linear, b ≈ 2 quadratic.", ""]
    lines += growth_lines(rows)
    if hnsw:
        lines += ["", "## HNSW vs exact (static candidate stage, 100k corpus)", "",
                  f"{hnsw['keys']:,} fact keys; EXACT_INDEX_LIMIT = {hnsw['limit']:,}; largest groups: "
                  + ", ".join(f"{g} {n:,}" for g, n in hnsw["largest_groups"]) + ".",
                  f"Every group forced through each index: exact IndexFlatIP {hnsw['exact_seconds']:.1f} s, "
                  f"{hnsw['exact_pairs']:,} pairs; HNSW {hnsw['hnsw_seconds']:.1f} s, "
                  f"{hnsw['hnsw_pairs']:,} pairs; "
                  f"found by both {hnsw['both']:,}: recall {hnsw['recall']:.4f}."]
    lines += ["", "## Dev accuracy per embedding path (../shared/eval/score.py)", ""]
    if evals:
        lines += [f"- {e['embedder']}: `{e['summary']}` ({e['seconds']:.0f} s)" for e in evals]
    else:
        lines += ["- not run (--no-eval)"]
    lines += ["", "## CLI start-up (subprocess, best of 5)", ""]
    lines += [f"- `factcheck {k}`: {v:.3f} s" for k, v in startup.items()]
    lines += ["", "## Targets", "", *targets(rows, evals, startup)]
    text = "\n".join(lines) + "\n"
    out.write_text(text, encoding="utf-8")
    return text


def _save_rows(path: Path, rows: list[dict[str, Any]], hnsw: dict[str, Any] | None,
               evals: list[dict[str, Any]], startup: dict[str, float], argv: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"rows": rows, "hnsw": hnsw, "evals": evals, "startup": startup,
                                "argv": argv}, indent=1))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="factcheck benchmark (see bench/run.py docstring)")
    parser.add_argument("--sizes", default="1k,10k", help="comma-separated corpus sizes (100k: ~15 min)")
    parser.add_argument("--corpus", choices=("real", "synthetic"), default="real",
                        help="real articles with near-copies (default) or the template generator")
    parser.add_argument("--quick", action="store_true", help="1k only, no accuracy run")
    parser.add_argument("--eval", action="store_true", help="also run dev accuracy per path (score.py)")
    parser.add_argument("--no-eval", action="store_true", help=argparse.SUPPRESS)  # the default now
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    parser.add_argument("--naive-max", default="10k",
                        help="largest size the naive baseline runs at (larger: extrapolated)")
    parser.add_argument("--minilm-max", default="10k", help="largest size the minilm-only path runs at")
    parser.add_argument("--paths", default="naive,auto", help="which paths to run (naive,minilm,static,auto)")
    parser.add_argument("--no-warm", action="store_true", help="skip the second (warm-cache) auto run")
    parser.add_argument("--hnsw", action="store_true", help="also the HNSW-vs-exact recall run at 100k")
    parser.add_argument("--profile", metavar="SIZE", help="only profile the auto path on SIZE (cProfile)")
    parser.add_argument("--rows", type=Path, default=CORPORA / "rows.json",
                        help="measured rows are saved here after every path (see --report-only)")
    parser.add_argument("--report-only", action="store_true",
                        help="write results.md from the rows saved by an earlier run (no measuring)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(json.loads(args.worker))
        return 0
    from factcheck.link.embed import StaticEmbedder

    StaticEmbedder().encode(["build the static model once if missing"])  # per machine, in the model dir
    make = build_real_corpus if args.corpus == "real" else build_corpus
    if args.profile:
        size = parse_size(args.profile)
        corpus = make(size)
        cache = fresh_cache()
        for run in ("cold", "warm"):
            target = CORPORA / f"profile-auto-{size_label(size)}-{run}.pstats"
            result = run_path("auto", corpus.path, cache, profile=str(target), preload=run == "cold")
            print(f"profile written: {target}.txt (e2e {summarise(result)['e2e']:.2f} s)")
        shutil.rmtree(cache, ignore_errors=True)
        return 0
    sizes = [1000] if args.quick else sorted(parse_size(s) for s in args.sizes.split(","))
    if args.report_only:
        saved = json.loads(args.rows.read_text())
        text = write_results(args.out, saved["rows"], saved["hnsw"], saved["evals"], saved["startup"],
                             {s: make(s) for s in sorted({r["size"] for r in saved["rows"]})},
                             saved["argv"])
        print(text)
        return 0
    naive_max, minilm_max = parse_size(args.naive_max), parse_size(args.minilm_max)
    rows: list[dict[str, Any]] = []
    corpora: dict[int, Any] = {}
    hnsw = None
    naive_measured: dict[str, Any] | None = None
    for size in sizes:
        corpora[size] = make(size)
        corpus = corpora[size].path
        print(f"== {size_label(size)}: {corpora[size].documents} documents", file=sys.stderr, flush=True)
        plan = [p for p in ("naive", "minilm", "static", "auto") if p in args.paths.split(",")]
        for path in plan:
            if path == "naive" and size > naive_max:
                if naive_measured is None:
                    small = make(naive_max)
                    naive_measured = summarise(run_path("naive", small.path, fresh_cache()))
                    naive_measured["size"] = naive_max
                rows.append(scaled(naive_measured, size / naive_measured["sentences"], size) | {
                    "size": size, "label": "naive"})
                continue
            if path == "minilm" and size > minilm_max:
                continue
            cache = fresh_cache()
            result = summarise(run_path(path, corpus, cache)) | {"size": size, "label": path}
            rows.append(result)
            print(f"   {path}: e2e {result['e2e']:.2f} s, wall {result['wall']:.1f} s, "
                  f"{result['peak_rss_mb']:.0f} MB", file=sys.stderr, flush=True)
            if path == "naive":
                naive_measured = result
            if path == "auto" and not args.no_warm:
                warm = summarise(run_path(path, corpus, cache, preload=False)) | {
                    "size": size, "label": "auto (warm cache)"}
                rows.append(warm)
                print(f"   auto warm: e2e {warm['e2e']:.2f} s, wall {warm['wall']:.1f} s", file=sys.stderr,
                      flush=True)
            shutil.rmtree(cache, ignore_errors=True)
            _save_rows(args.rows, rows, hnsw, [], {}, argv)
        if size >= 100_000 and args.hnsw:
            cache = fresh_cache()
            hnsw = run_path("hnsw", corpus, cache)
            shutil.rmtree(cache, ignore_errors=True)
    startup = cli_startup()
    evals = [run_eval(e) for e in ("auto", "minilm", "static")] if args.eval and not args.quick else []
    notes = [f"minilm-only path not run above {size_label(minilm_max)} (--minilm-max)"] if any(
        s > minilm_max for s in sizes) and "minilm" in args.paths else []
    _save_rows(args.rows, rows, hnsw, evals, startup, argv)
    text = write_results(args.out, rows, hnsw, evals, startup, corpora, argv)
    if notes:
        with args.out.open("a", encoding="utf-8") as handle:
            handle.write("\nNote: " + "; ".join(notes) + ".\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
