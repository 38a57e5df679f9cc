"""What `ci` decides about a new document that takes part in a disputed fact (see docs/ci.md).

A corpus may already disagree with itself (two sources say "Ryosei Akazawa", one says "Akio
Akazawa").  A new document should not fail because of that old dispute, but it should fail when it
makes things worse.  For each grouped finding that involves a new document, the corpus sides (values
stated by indexed documents) are compared with the value the new document states:

* a value no corpus source states, for a fact the corpus states -> **error** ("brings a new value");
* a value fewer corpus sources state than another one -> **error** ("sides with the minority");
* a value the knowledge base contradicts -> **error**; one it confirms -> **info**;
* the value most corpus sources state -> **info**, naming the existing dispute;
* a tie between corpus values -> **warning**.

Failing verdicts get their own fingerprint (the dispute's fingerprint, the new value and the verdict),
so a baseline of the corpus's own dispute does not hide a new document that sides with its minority,
while a note that the new document agrees with the majority keeps the dispute's fingerprint.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import replace

from factcheck.records import Finding, Severity

UPDATES = {"FC901", "FC903"}


def _fold(value: str) -> str:
    return " ".join(value.casefold().replace("’", "'").split())


def decide(findings: Sequence[Finding], new_paths: Collection[str]) -> list[Finding]:
    """Apply the `ci` verdicts to the findings of a check against the index."""
    return [_decide(f, new_paths) for f in findings]


def _fingerprint(finding: Finding, value: str, verdict: str) -> str:
    text = "\x1f".join([finding.fingerprint, _fold(value), verdict])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _decide(finding: Finding, new_paths: Collection[str]) -> Finding:
    if finding.code in UPDATES or len(finding.sides) < 2:
        return finding
    corpus = {side.value: sum(1 for d in side.documents if d not in new_paths) for side in finding.sides}
    ours = [side.value for side in finding.sides if any(d in new_paths for d in side.documents)]
    if not ours or not any(corpus.values()):
        return finding  # new documents disagree among themselves: the rules' verdict stands
    dispute = ", ".join(f"{n} corpus source{' says' if n == 1 else 's say'} {v!r}"
                        for v, n in sorted(corpus.items(), key=lambda kv: -kv[1]) if n)
    worst: tuple[int, str, str, str] | None = None  # (rank, verdict, value, message)
    candidate: tuple[int, str, str]
    for value in ours:
        mine = corpus[value]
        others = max((n for v, n in corpus.items() if v != value), default=0)
        confirmed = bool(finding.confirmed) and _fold(finding.confirmed) == _fold(value)
        contradicted = bool(finding.confirmed) and not confirmed
        if contradicted:
            candidate = (2, "kb-contradicted", f"the new document says {value!r}; the knowledge base says "
                       f"{finding.confirmed!r} ({dispute})")
        elif confirmed:
            candidate = (0, "kb-confirmed", f"the new document says {value!r}, which the knowledge base "
                       f"confirms; existing dispute: {dispute}")
        elif mine == 0:
            candidate = (2, "new-value", f"the new document brings {value!r}, which no corpus source states "
                       f"({dispute})")
        elif mine < others:
            candidate = (2, "minority", f"the new document sides with the minority value {value!r} "
                         f"({dispute})")
        elif mine == others:
            candidate = (1, "tie", f"the new document says {value!r}; the corpus is split ({dispute})")
        else:
            candidate = (0, "majority", f"the new document agrees with the value most sources state, "
                       f"{value!r}; existing dispute: {dispute}")
        if worst is None or candidate[0] > worst[0]:
            worst = (candidate[0], candidate[1], value, candidate[2])
    assert worst is not None
    rank, verdict, value, message = worst
    severity = {0: Severity.INFO, 1: Severity.WARNING, 2: Severity.ERROR}[rank]
    fingerprint = finding.fingerprint if rank == 0 else _fingerprint(finding, value, verdict)
    label = f"{finding.fact}: " if finding.fact else ""
    return replace(finding, severity=severity, message=f"{label}{message}", fingerprint=fingerprint,
                   logic=f"ci verdict {verdict}; {finding.logic}".rstrip("; "),
                   confidence="high" if rank == 2 else finding.confidence)
