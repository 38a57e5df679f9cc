"""End-to-end: the real CLI and the real models on the seed corpus (`make e2e`, about a minute).

The embedding cache is a fresh temporary directory so nothing cached hides a model change; the
distilled static model is reused from FACTCHECK_CACHE_DIR (or /tmp/fc-cache) when it was built,
since building it takes ~30 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

pytestmark = pytest.mark.e2e

KB = "fixtures/kb/japan-2025.toml"
SEED_000 = "seeds/000_48df2dfc749e10e2.txt"
SEED_003 = "seeds/003_cfa95d9472509ddd.txt"
SEED_004 = "seeds/004_bd7bebb4b9a9e516.txt"


def factcheck_exe() -> list[str]:
    script = Path(sys.executable).with_name("factcheck")
    if script.is_file():
        return [str(script)]
    entry = "import sys; from factcheck.cli import main; sys.argv[0] = 'factcheck'; main()"
    return [sys.executable, "-c", entry]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fc-cache")  # fresh: the static model lives in the model dir


class Run:
    def __init__(self, done: subprocess.CompletedProcess[bytes]) -> None:
        self.code = done.returncode
        self.stdout = done.stdout
        self.stderr = done.stderr.decode("utf-8", "replace")

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.stdout)
        return data


@pytest.fixture(scope="module")
def run_cli(cache_dir: Path) -> Any:
    memo: dict[tuple[str, ...], Run] = {}

    def run(*args: str, fresh: bool = False) -> Run:
        if args not in memo or fresh:
            env = {**os.environ, "FACTCHECK_CACHE_DIR": str(cache_dir)}
            env.pop("NO_COLOR", None)
            done = subprocess.run([*factcheck_exe(), *args], capture_output=True, cwd=ROOT, env=env,
                                  timeout=600)
            memo[args] = Run(done)
        return memo[args]

    return run


def loud(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in data["findings"] if f["severity"] in ("error", "warning")]


def test_seeds_golden(run_cli: Any) -> None:
    result = run_cli("check", "seeds/", "--format", "json")
    assert result.code == 1, result.stderr
    assert "Traceback" not in result.stderr
    data = result.data
    assert "+" in data["tool"]["embedder"]  # static candidates confirmed by MiniLM
    findings = loud(data)
    assert sorted((f["code"], f["severity"]) for f in findings) == [("FC101", "error"), ("FC201", "error")]

    fc101 = next(f for f in findings if f["code"] == "FC101")
    assert set(fc101["values"]) == {"Ryosei Akazawa", "Akio Akazawa"}
    by_doc: dict[str, set[str]] = {}
    for claim in fc101["claims"]:
        by_doc.setdefault(claim["document"], set()).add(claim["value"])
    assert "Akio Akazawa" in by_doc[SEED_003]
    assert "Ryosei Akazawa" in by_doc[SEED_000] and "Ryosei Akazawa" in by_doc[SEED_004]

    fc201 = next(f for f in findings if f["code"] == "FC201")
    assert "trade minister" in fc201["message"]
    assert {(c["document"], c["value"]) for c in fc201["claims"]} == {(SEED_000, "Koichi Ishiba"),
                                                                      (SEED_004, "Yoji Muto")}


def test_seeds_with_knowledge_base(run_cli: Any) -> None:
    result = run_cli("check", "seeds/", "--format", "json", "--kb", KB)
    assert result.code == 1, result.stderr
    findings = loud(result.data)
    assert sorted(f["code"] for f in findings) == ["FC101", "FC201", "FC601", "FC601"]
    kb_hits = {(f["claims"][0]["document"], f["values"][0]) for f in findings if f["code"] == "FC601"}
    assert kb_hits == {(SEED_003, "Shunichi Suzuki"), (SEED_000, "Koichi Ishiba")}
    for finding in findings:
        if finding["code"] == "FC601":
            assert KB in finding["message"]


def test_json_is_byte_identical_across_runs(run_cli: Any) -> None:
    first = run_cli("check", "seeds/", "--format", "json")
    second = run_cli("check", "seeds/", "--format", "json", fresh=True)
    assert first.stdout == second.stdout
    assert first.stdout.endswith(b"\n")


def test_no_claim_comes_from_boilerplate(run_cli: Any) -> None:
    data = run_cli("check", "seeds/", "--format", "json", "--kb", KB).data
    assert data["ignored"], "the seeds have boilerplate (a source line, a takeaway list)"
    texts = {d["path"]: (ROOT / d["path"]).read_text(encoding="utf-8") for d in data["documents"]}
    spans: dict[str, list[tuple[int, int]]] = {}
    for span in data["ignored"]:
        spans.setdefault(span["document"], []).append((span["start"], span["end"]))
        assert texts[span["document"]][span["start"] : span["end"]] == span["text"]
    for finding in data["findings"]:
        for claim in finding["claims"]:
            document = claim["document"]
            assert texts[document][claim["start"] : claim["end"]] == claim["text"]
            assert texts[document][claim["value_start"] : claim["value_end"]] == claim["value"]
            for start, end in spans.get(document, []):
                assert claim["end"] <= start or claim["start"] >= end, (finding["code"], claim["text"])


def test_fail_on_never_exits_zero(run_cli: Any) -> None:
    result = run_cli("check", "seeds/", "--format", "json", "--fail-on", "never")
    assert result.code == 0, result.stderr
    assert len(loud(result.data)) == 2
    assert result.stdout == run_cli("check", "seeds/", "--format", "json").stdout


HEAVY_MODULES = ("torch", "sentence_transformers", "transformers", "tokenizers", "spacy", "thinc")


def test_a_fully_cached_run_loads_no_model(run_cli: Any, cache_dir: Path) -> None:
    """A warm re-run of unchanged documents is served by the caches: no model, torch or parser is imported."""
    first = run_cli("check", "seeds/", "--format", "json")  # fills the caches
    code = ("import atexit, json, sys\n"
            f"heavy = {HEAVY_MODULES!r}\n"
            "loaded = lambda: [m for m in heavy if m in sys.modules]\n"
            "atexit.register(lambda: sys.stderr.write('LOADED ' + json.dumps(loaded()) + '\\n'))\n"
            "from factcheck.cli import main\n"
            "sys.argv = ['factcheck', 'check', 'seeds/', '--format', 'json']\n"
            "main()\n")
    env = {**os.environ, "FACTCHECK_CACHE_DIR": str(cache_dir)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, env=env, timeout=600)
    stderr = done.stderr.decode("utf-8", "replace")
    assert done.returncode == first.code, stderr
    assert done.stdout == first.stdout
    assert "LOADED []" in stderr, stderr
