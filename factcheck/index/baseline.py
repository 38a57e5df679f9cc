"""Baselines: known findings recorded by fingerprint, so CI fails only on new ones.

The file is JSON, sorted by fingerprint, one entry per finding with enough context to review it
in a diff (code, rule, values, documents, message).  Matching uses only the fingerprint, which
is built from the rule code, the normalised claim sentences and values: edits elsewhere in a
document do not invalidate it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from factcheck.errors import ConfigError
from factcheck.fileio import atomic_write_bytes
from factcheck.records import Finding, Report

__all__ = [
    "BASELINE_VERSION",
    "Baseline",
    "BaselineEntry",
    "apply_baseline",
    "load_baseline",
    "write_baseline",
]

BASELINE_VERSION = 1
DEFAULT_BASELINE = "factcheck-baseline.json"


def _norm(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    """One known finding."""

    fingerprint: str
    code: str
    rule: str
    values: tuple[str, ...]
    documents: tuple[str, ...]
    message: str

    @classmethod
    def of(cls, finding: Finding) -> BaselineEntry:
        """Record `finding` as an entry."""
        documents = tuple(sorted({_norm(ref.document) for ref in finding.claims}))
        return cls(
            finding.fingerprint, finding.code, finding.rule, tuple(finding.values), documents, finding.message
        )

    def as_json(self) -> dict[str, object]:
        """Return the entry as a JSON object."""
        return {
            "fingerprint": self.fingerprint,
            "code": self.code,
            "rule": self.rule,
            "values": list(self.values),
            "documents": list(self.documents),
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Baseline:
    """A loaded baseline file."""

    path: str
    entries: tuple[BaselineEntry, ...]

    @property
    def fingerprints(self) -> frozenset[str]:
        """Every recorded fingerprint."""
        return frozenset(e.fingerprint for e in self.entries)


def baseline_json(findings: Sequence[Finding]) -> str:
    """Return the baseline file text for `findings` (sorted, one entry per fingerprint)."""
    entries = {f.fingerprint: BaselineEntry.of(f) for f in findings}
    data = {
        "factcheck-baseline": BASELINE_VERSION,
        "findings": [entries[fp].as_json() for fp in sorted(entries)],
    }
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_baseline(path: str | os.PathLike[str], findings: Sequence[Finding]) -> int:
    """Write the baseline atomically; returns the number of entries."""
    text = baseline_json(findings)
    target = Path(path)
    if target.parent and not target.parent.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(target, text.encode("utf-8"))
    return len({f.fingerprint for f in findings})


def load_baseline(path: str | os.PathLike[str]) -> Baseline:
    """Read and validate a baseline file (ConfigError naming the problem)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"baseline file not found: {path} (create it with `factcheck baseline create`)"
        ) from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: not a factcheck baseline ({exc})") from None
    if not isinstance(data, dict) or data.get("factcheck-baseline") != BASELINE_VERSION:
        raise ConfigError(f"{path}: not a factcheck baseline (version {BASELINE_VERSION} expected)")
    entries = []
    for number, item in enumerate(data.get("findings", [])):
        try:
            entries.append(
                BaselineEntry(
                    str(item["fingerprint"]),
                    str(item["code"]),
                    str(item.get("rule", "")),
                    tuple(str(v) for v in item.get("values", [])),
                    tuple(str(d) for d in item.get("documents", [])),
                    str(item.get("message", "")),
                )
            )
        except (KeyError, TypeError):
            raise ConfigError(f"{path}: findings[{number}] has no fingerprint or code") from None
    return Baseline(str(path), tuple(entries))


def apply_baseline(
    findings: Sequence[Finding],
    baseline: Baseline,
    checked: Collection[str],
    available: Collection[str] | None = None,
) -> tuple[list[Finding], list[BaselineEntry]]:
    """Split off known findings: (new findings, baseline entries that no longer occur).

    An entry is only called stale when this run could have reproduced it: at least one of its
    documents was checked and all of them were available (`available`: checked plus indexed
    documents; None means only the checked ones).
    """
    known = baseline.fingerprints
    new = [f for f in findings if f.fingerprint not in known]
    seen = {f.fingerprint for f in findings}
    checked_set = {_norm(p) for p in checked}
    available_set = checked_set | ({_norm(p) for p in available} if available is not None else set())
    stale = [
        e
        for e in baseline.entries
        if e.fingerprint not in seen
        and any(d in checked_set for d in e.documents)
        and all(d in available_set for d in e.documents)
    ]
    return new, stale


@dataclass(frozen=True)
class BaselineOutcome:
    """A report with its known findings hidden, and what the baseline said about it."""

    report: Report
    hidden: int  # findings the baseline knew
    stale: tuple[BaselineEntry, ...]  # entries that no longer occur (see `apply_baseline`)


def filter_report(
    report: Report, baseline: str | os.PathLike[str], available: Collection[str] | None = None
) -> BaselineOutcome:
    """Hide the findings of `report` that the baseline file records (`check --baseline`, `ci --baseline`)."""
    known = load_baseline(baseline)
    new, stale = apply_baseline(report.findings, known, [d.path for d in report.documents], available)
    hidden = len(report.findings) - len(new)
    return BaselineOutcome(replace(report, findings=tuple(new)), hidden, tuple(stale))
