"""`factcheck ci` at scale: index a ~100k-sentence corpus, then time `ci` of one new 40-sentence document.

    .venv/bin/python bench/ci_bench.py [--size 100k] [--work /tmp/fc-ci-bench] [--stages all]

Stages (comma-separated, default all):

* ``corpus``  a deterministic corpus from bench/corpus.py (seeded substitutions of ../shared/eval/dev and
  seeds text, multi-outlet stories).  One 40-sentence document of a multi-outlet story is held out as the
  *new* document: its story's other outlets are in the index, as for a new article on a running story.
* ``index``   ``factcheck index add`` of the corpus (default auto embedder: only the static first stage
  embeds at index time) into a float32 and a float16 (``--vectors float16``) index: wall time,
  sentences/s, peak RSS (``wait4``), bytes on disk.  The embedding cache is private to the work directory
  (the distilled static model is linked from $FACTCHECK_CACHE_DIR), so it starts cold.
* ``ci``      ``factcheck ci NEW`` in fresh processes: the first call (cold: the MiniLM confirming stage
  loads to embed the new keys) and the median of ``--warm`` repeats (embedding cache filled, as in a
  re-run), plus in-process times that exclude interpreter start-up and imports.
* ``memory``  real bytes per claim vector: RSS growth when a process loads each index's FAISS file, and the
  file sizes, per stored claim; extrapolated (linearly, by claims per sentence) to 1,000,000 sentences.
* ``eval``    the recall cost of float16 vectors on the dev set: bench/eval_inproc.py's scorer with the
  first-stage key vectors rounded through float16, against the same run in float32.

Figures go to WORK/results.json and stdout; bench/ci_results.md is written from them by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from corpus import build_corpus, parse_size, size_label  # noqa: E402

FACTCHECK = ROOT / ".venv" / "bin" / "factcheck"
PYTHON = ROOT / ".venv" / "bin" / "python"
STAGES = ("corpus", "index", "ci", "memory", "eval")
NEW_NAME = "new-story.txt"


# --------------------------------------------------------------------------- helpers


def run_wait4(cmd: Sequence[str], cwd: Path, env: dict[str, str]) -> dict[str, Any]:
    """Run a command and reap it with os.wait4: wall seconds, peak RSS in MiB, exit code, output files."""
    out_file = cwd / ".bench-stdout"
    err_file = cwd / ".bench-stderr"
    with open(out_file, "wb") as out, open(err_file, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall_s": round(wall, 3),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "rc": proc.returncode,
        "stdout": out_file.read_text(errors="replace"),
        "stderr": err_file.read_text(errors="replace"),
    }


def load_average() -> float:
    """One-minute load average (the benchmark wants a quiet machine)."""
    return round(os.getloadavg()[0], 2)


def environment(cache: Path) -> dict[str, str]:
    """The child environment: private cache, one thread pool per process like a CI runner would have."""
    env = dict(os.environ)
    env["FACTCHECK_CACHE_DIR"] = str(cache)
    env.pop("NO_COLOR", None)
    return env


def private_cache(work: Path) -> Path:
    """A cache directory of our own holding only the distilled static model (linked, not copied)."""
    cache = work / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    shared = Path(os.environ.get("FACTCHECK_CACHE_DIR", "/tmp/fc-cache"))
    for model in shared.glob("static-*.npy"):
        link = cache / model.name
        if not link.exists():
            link.symlink_to(model)
    return cache


# --------------------------------------------------------------------------- stages


def stage_corpus(work: Path, size: int) -> dict[str, Any]:
    """Build the corpus and hold out one full-length document of a story that other outlets also ran."""
    info = build_corpus(size, work / "corpora")
    new_dir = work / "new"
    new_dir.mkdir(parents=True, exist_ok=True)
    new = new_dir / NEW_NAME
    if not new.exists():
        stories: dict[str, list[Path]] = {}
        for path in sorted(info.path.glob("s*.txt")):
            stories.setdefault(path.name.split("-")[0], []).append(path)
        # the middle story with >= 3 outlets whose first document has 40 sentences
        candidates = [docs[0] for docs in stories.values() if len(docs) >= 3 and _sentences(docs[0]) >= 38]
        chosen = candidates[len(candidates) // 2]
        shutil.move(str(chosen), new)
        (new_dir / "held-out-from.txt").write_text(chosen.name + "\n")
    return {
        "corpus": str(info.path), "documents": info.documents - 1, "sentences_written": info.sentences,
        "stories": info.stories, "new_document": str(new),
        "held_out_from": (new_dir / "held-out-from.txt").read_text().strip(),
        "new_document_sentences": _sentences(new),
    }


def _sentences(path: Path) -> int:
    """Sentences of a generated document (its body after the `Date:` header), split on end punctuation."""
    body = path.read_text(encoding="utf-8").split("\n\n", 1)[1]
    return len(re.split(r"(?<=[.!?])\s+", body.strip()))


def _index_status(index: Path, cwd: Path, env: dict[str, str]) -> dict[str, Any]:
    command = [str(FACTCHECK), "index", "status", "--index", str(index), "--format", "json"]
    result = run_wait4(command, cwd, env)
    try:
        return dict(json.loads(result["stdout"]))
    except ValueError:
        return {"raw": result["stdout"][-2000:], "stderr": result["stderr"][-2000:]}


def stage_index(work: Path, corpus: Path, env: dict[str, str], vector_types: Sequence[str]) -> dict[str, Any]:
    """`factcheck index add` of the corpus into a fresh index of each vector type."""
    out: dict[str, Any] = {}
    for vector_type in vector_types:
        index = work / f"index-{vector_type}"
        if index.exists():
            shutil.rmtree(index)
        load = load_average()
        result = run_wait4(
            [str(FACTCHECK), "index", "add", str(corpus), "--index", str(index), "--vectors", vector_type,
             "--quiet"],
            work, env,
        )
        if result["rc"] != 0:
            raise SystemExit(f"index add failed: {result['stderr'][-2000:]}")
        line = result["stdout"].strip().splitlines()[-1]
        match = re.search(r"\((\d+) sentences, (\d+) claims, ([\d.]+) s, (\d+) sentences/s\)", line)
        assert match, line
        sentences, claims, seconds = int(match[1]), int(match[2]), float(match[3])
        out[vector_type] = {
            "wall_s": result["wall_s"],
            "in_process_s": seconds,
            "sentences": sentences,
            "claims": claims,
            "sentences_per_s_wall": round(sentences / result["wall_s"], 1),
            "sentences_per_s_in_process": round(sentences / seconds, 1),
            "peak_rss_mib": result["peak_rss_mib"],
            "load_before": load,
            "status": _index_status(index, work, env),
            "files": {p.name: p.stat().st_size for p in sorted(index.iterdir()) if p.is_file()},
        }
        shown = {k: v for k, v in out[vector_type].items() if k != "status"}
        print(f"index add {vector_type}: {json.dumps(shown)}", flush=True)
    return out


def forget_confirming_vectors(cache: Path) -> None:
    """Drop cached MiniLM vectors (keep the static ones index add wrote), so the next `ci` is cold."""
    import sqlite3

    db_file = cache / "embeddings.sqlite3"
    if db_file.exists():
        with sqlite3.connect(db_file) as db:
            db.execute("DELETE FROM vectors WHERE model NOT LIKE 'static-%'")
        db.close()


def _ci_command(index: Path, new: Path) -> list[str]:
    return [str(FACTCHECK), "ci", str(new), "--index", str(index), "--format", "json", "--quiet",
            "--fail-on", "never"]


def stage_ci(work: Path, new: Path, env: dict[str, str], warm: int, vector_type: str) -> dict[str, Any]:
    """Time `factcheck ci NEW` in fresh processes: cold first call, then `warm` repeats; and in-process."""
    index = work / f"index-{vector_type}"
    forget_confirming_vectors(work / "cache")
    runs: list[dict[str, Any]] = []
    for attempt in range(1 + warm):
        load = load_average()
        result = run_wait4(_ci_command(index, new), work, env)
        if result["rc"] not in (0, 1):
            raise SystemExit(f"ci failed: {result['stderr'][-2000:]}")
        report = json.loads(result["stdout"])
        runs.append({
            "wall_s": result["wall_s"], "peak_rss_mib": result["peak_rss_mib"], "load_before": load,
            "findings": len(report.get("findings", [])), "timings": report.get("timings", {}),
            "kind": "cold" if attempt == 0 else "warm",
        })
        print(f"ci {runs[-1]['kind']}: {result['wall_s']:.2f} s, {result['peak_rss_mib']} MiB, "
              f"{runs[-1]['findings']} findings, load {load}", flush=True)
    inproc = run_wait4([str(PYTHON), str(Path(__file__).resolve()), "--child-inproc", str(index), str(new),
                        str(warm)], work, env)
    if inproc["rc"] != 0:
        raise SystemExit(f"in-process run failed: {inproc['stderr'][-3000:]}")
    warm_walls = [r["wall_s"] for r in runs[1:]]
    return {
        "vector_type": vector_type,
        "cold_wall_s": runs[0]["wall_s"],
        "warm_wall_s_median": round(statistics.median(warm_walls), 3) if warm_walls else None,
        "warm_wall_s": warm_walls,
        "runs": runs,
        "in_process": json.loads(inproc["stdout"].strip().splitlines()[-1]),
    }


def child_inproc(index: Path, new: Path, repeats: int) -> None:
    """In a fresh process: import everything first, then time open + ci + JSON render `repeats` times."""
    import faiss  # noqa: F401  (imports are what this figure excludes)
    import numpy  # noqa: F401

    import factcheck.cli  # noqa: F401
    from factcheck.config import Config
    from factcheck.index.incremental import check_against_index
    from factcheck.index.store import CorpusIndex
    from factcheck.pipeline import make_embedders
    from factcheck.read.ingest import load_documents
    from factcheck.render.json import render_json

    times: list[float] = []
    breakdown: list[dict[str, float]] = []
    for _ in range(repeats):
        started = time.perf_counter()
        config = Config()
        embedders = make_embedders(config)
        documents = load_documents([str(new)])
        corpus = CorpusIndex.open(index, embedders[0])
        report = check_against_index(documents, corpus, config, embedders)
        render_json(report)
        corpus.close()
        times.append(time.perf_counter() - started)
        breakdown.append({k: round(v, 4) for k, v in report.timings.items()})
    print(json.dumps({"seconds": [round(t, 3) for t in times], "median_s": round(statistics.median(times), 3),
                      "timings": breakdown}))


def stage_memory(work: Path, env: dict[str, str], index_results: dict[str, Any]) -> dict[str, Any]:
    """Measure bytes per claim vector for each index and extrapolate to 1,000,000 sentences."""
    out: dict[str, Any] = {}
    for vector_type, figures in index_results.items():
        index = work / f"index-{vector_type}"
        command = [str(PYTHON), str(Path(__file__).resolve()), "--child-memory", str(index)]
        child = run_wait4(command, work, env)
        if child["rc"] != 0:
            raise SystemExit(f"memory child failed: {child['stderr'][-2000:]}")
        measured = json.loads(child["stdout"].strip().splitlines()[-1])
        claims = int(measured["ntotal"])
        sentences = int(figures["sentences"])
        per_claim_rss = measured["rss_growth_bytes"] / claims
        per_claim_file = measured["faiss_file_bytes"] / claims
        per_claim_sqlite = (figures["files"].get("index.sqlite3", 0)
                            + figures["files"].get("index.sqlite3-wal", 0)) / claims
        claims_1m = claims / sentences * 1_000_000
        out[vector_type] = {
            "claims": claims,
            "claims_per_sentence": round(claims / sentences, 3),
            "raw_vector_bytes": measured["raw_vector_bytes"],
            "faiss_rss_bytes_per_claim": round(per_claim_rss, 1),
            "faiss_file_bytes_per_claim": round(per_claim_file, 1),
            "sqlite_bytes_per_claim": round(per_claim_sqlite, 1),
            "extrapolated_1m_sentences": {
                "claims": round(claims_1m),
                "faiss_rss_mib": round(per_claim_rss * claims_1m / 2**20, 1),
                "faiss_file_mib": round(per_claim_file * claims_1m / 2**20, 1),
                "sqlite_mib": round(per_claim_sqlite * claims_1m / 2**20, 1),
            },
        }
        print(f"memory {vector_type}: {json.dumps(out[vector_type])}", flush=True)
    return out


def child_memory(index: Path) -> None:
    """Load a FAISS file in a fresh process and report the RSS it costs."""
    import faiss
    import psutil

    process = psutil.Process()
    before = process.memory_info().rss
    loaded = faiss.read_index(str(index / "vectors.faiss"))
    after = process.memory_info().rss
    inner = faiss.downcast_index(loaded.index)  # type: ignore[attr-defined]
    raw = int(inner.code_size) if hasattr(inner, "code_size") else int(loaded.d) * 4
    print(json.dumps({
        "ntotal": int(loaded.ntotal), "rss_growth_bytes": after - before, "raw_vector_bytes": raw,
        "faiss_file_bytes": (index / "vectors.faiss").stat().st_size,
    }))


def stage_eval(work: Path) -> dict[str, Any]:
    """Dev accuracy with first-stage key vectors in float32 and rounded through float16."""
    out: dict[str, Any] = {}
    for mode in ("float32", "float16"):
        dump = work / f"eval-{mode}"
        result = subprocess.run(
            [str(PYTHON), str(Path(__file__).resolve()), "--child-eval", mode, str(dump)],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )
        line = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-2000:]
        figures = dict(re.findall(r"(\w+)=([\d.]+)", line))
        out[mode] = {"summary": line, **{k: float(v) for k, v in figures.items()}}
        print(f"eval {mode}: {line}", flush=True)
    same: list[str] = []
    differ: list[str] = []
    for case in sorted((work / "eval-float32").glob("*.json")):
        other = work / "eval-float16" / case.name
        fp32 = {f["fingerprint"] for f in json.loads(case.read_text())["findings"]}
        fp16 = {"missing"}  # a case missing from the float16 run counts as different
        if other.exists():
            fp16 = {f["fingerprint"] for f in json.loads(other.read_text())["findings"]}
        (same if fp32 == fp16 else differ).append(case.stem)
    out["cases_identical_findings"] = len(same)
    out["cases_different_findings"] = differ
    return out


class Float16Keys:
    """Wrap an embedder so its vectors pass through float16 (what a `--vectors float16` index stores)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    @property
    def model_id(self) -> str:
        """The wrapped model's id."""
        return str(self.inner.model_id)

    @property
    def dim(self) -> int:
        """The wrapped model's dimension."""
        return int(self.inner.dim)

    def encode(self, texts: Sequence[str]) -> Any:
        """Embed, then round to float16 and back."""
        import numpy as np

        return np.asarray(self.inner.encode(texts)).astype(np.float16).astype(np.float32)


def child_eval(mode: str, dump: Path) -> int:
    """Run bench/eval_inproc.py's scoring with the first-stage embedder optionally rounded to float16."""
    import eval_inproc

    original = eval_inproc.make_embedders

    def make(config: Any) -> Any:
        first, confirm = original(config)
        return (Float16Keys(first) if mode == "float16" else first), confirm

    eval_inproc.make_embedders = make
    sys.argv = ["eval_inproc.py", "--dump", str(dump)]
    return int(eval_inproc.main())


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen stages and write WORK/results.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k", help="corpus size in sentences (default 100k)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/fc-ci-bench"), help="work directory")
    parser.add_argument("--stages", default="all", help=f"comma-separated: {','.join(STAGES)} (default all)")
    parser.add_argument("--warm", type=int, default=3, help="warm `ci` repeats (median reported)")
    parser.add_argument("--vectors", default="float32,float16", help="index vector types to build")
    parser.add_argument("--child-inproc", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--child-memory", nargs=1, help=argparse.SUPPRESS)
    parser.add_argument("--child-eval", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_inproc:
        child_inproc(Path(args.child_inproc[0]), Path(args.child_inproc[1]), int(args.child_inproc[2]))
        return 0
    if args.child_memory:
        child_memory(Path(args.child_memory[0]))
        return 0
    if args.child_eval:
        return child_eval(args.child_eval[0], Path(args.child_eval[1]))

    stages = STAGES if args.stages == "all" else tuple(s.strip() for s in args.stages.split(","))
    work = args.work.resolve() / size_label(parse_size(args.size))
    work.mkdir(parents=True, exist_ok=True)
    results_file = work / "results.json"
    results: dict[str, Any] = json.loads(results_file.read_text()) if results_file.exists() else {}
    results["machine"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0], "platform": sys.platform}
    env = environment(private_cache(work))
    vector_types = [v.strip() for v in args.vectors.split(",") if v.strip()]
    if "corpus" in stages or "corpus" not in results:
        results["corpus"] = stage_corpus(work, parse_size(args.size))
        print(f"corpus: {json.dumps(results['corpus'])}", flush=True)
    corpus = Path(results["corpus"]["corpus"])
    new = Path(results["corpus"]["new_document"])
    if "index" in stages:
        cache_db = work / "cache" / "embeddings.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(cache_db) + suffix).unlink(missing_ok=True)  # a cold embedding cache for index add
        results["index"] = stage_index(work, corpus, env, vector_types)
    if "ci" in stages:
        results["ci"] = {v: stage_ci(work, new, env, args.warm, v) for v in vector_types}
    if "memory" in stages:
        results["memory"] = stage_memory(work, env, results["index"])
    if "eval" in stages:
        results["eval"] = stage_eval(work)
    results_file.write_text(json.dumps(results, indent=2) + "\n")
    print(f"results: {results_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
