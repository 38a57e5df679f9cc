"""Corroboration view: every fact cluster, how many sources state it, which agree and which disagree.

This answers "what do all sources agree on?".  A fact's verdict is `conflict` when a rule fired on
its cluster (an info note does not count), `agree` when every source states one value (a bare
surname agrees with the one full name it is part of), and `differs` when values differ but no rule
judged it a contradiction.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from factcheck.extract.names import fold
from factcheck.records import Claim, ClaimKind, Document, FactCluster, PersonName, Report, Severity
from factcheck.render import clean_text, plural

VERDICT_STYLE = {"conflict": "bold red", "differs": "yellow", "agree": "green"}
VERDICTS = tuple(VERDICT_STYLE)


@dataclass(frozen=True, slots=True)
class ValueSources:
    """One value of a fact and the documents that state it."""

    value: str
    documents: tuple[str, ...]  # document paths


@dataclass(frozen=True, slots=True)
class FactSummary:
    """One fact cluster summarised for the corroboration view."""

    cluster: str
    key: str
    kind: str
    sources: int
    values: tuple[ValueSources, ...]
    verdict: str
    codes: tuple[str, ...]


def _label(claim: Claim) -> str:
    if isinstance(claim.value, PersonName):
        return claim.value.full
    if isinstance(claim.value, bool):
        return "negated" if claim.value else "affirmed"
    return claim.value_text or str(claim.value)


def _key_label(claim: Claim, documents: tuple[Document, ...]) -> str:
    """Return the fact's words for a label.

    A polarity claim's key has its negation removed ("don't" -> "do"), which would reverse a quote,
    so those show the clause as written.
    """
    if claim.kind is ClaimKind.POLARITY and 0 <= claim.key_start < claim.key_end:
        written = documents[claim.doc_index].text[claim.key_start:claim.key_end]
        if written.strip():
            return written
    return claim.key


def _group_values(claims: tuple[Claim, ...], documents: tuple[Document, ...]) -> list[ValueSources]:
    """Values with their documents; a value whose words are a subset of exactly one other merges into it."""
    groups: dict[str, tuple[str, list[str]]] = {}
    for claim in claims:
        label = _label(claim)
        key = " ".join(fold(label).split())
        _, docs = groups.setdefault(key, (label, []))
        path = documents[claim.doc_index].path
        if path not in docs:
            docs.append(path)
    keys = sorted(groups, key=len)
    for key in keys:
        words = set(key.split())
        wider = [k for k in groups if k != key and words and words < set(k.split())]
        if len(wider) == 1 and key in groups:
            target = groups[wider[0]][1]
            target.extend(p for p in groups.pop(key)[1] if p not in target)
    out = [ValueSources(label, tuple(docs)) for label, docs in groups.values()]
    return sorted(out, key=lambda v: (-len(v.documents), v.value))


def summarise(report: Report) -> list[FactSummary]:
    """Every fact cluster with its values, source count and verdict; best-corroborated first."""
    codes: dict[str, set[str]] = {}
    loud: set[str] = set()
    for finding in report.findings:
        codes.setdefault(finding.cluster, set()).add(finding.code)
        if finding.severity is not Severity.INFO:
            loud.add(finding.cluster)
    out = []
    for cluster in report.clusters:
        summary = _summary(cluster, report.corpus.documents, tuple(sorted(codes.get(cluster.id, ()))),
                           cluster.id in loud)
        out.append(summary)
    order = {"conflict": 0, "differs": 1, "agree": 2}
    return sorted(out, key=lambda s: (-s.sources, order[s.verdict], s.key, s.cluster))


def _summary(cluster: FactCluster, documents: tuple[Document, ...], codes: tuple[str, ...],
             conflict: bool) -> FactSummary:
    values = _group_values(cluster.claims, documents)
    verdict = "conflict" if conflict else ("agree" if len(values) == 1 else "differs")
    keys = Counter(" ".join(_key_label(c, documents).split()) for c in cluster.claims)
    key = max(keys.items(), key=lambda kv: (kv[1], len(kv[0])))[0] if keys else ""
    sources = len({c.doc_index for c in cluster.claims})
    kind = cluster.claims[0].kind.value if cluster.claims else ""
    return FactSummary(cluster.id, key, kind, sources, tuple(values), verdict, codes)


def _source(path: str, docs: dict[str, Document]) -> str:
    doc = docs.get(path)
    if doc is None:
        return path
    if doc.outlet:
        return f"{doc.outlet} {doc.date.isoformat()}" if doc.date else doc.outlet
    return f"{doc.name} {doc.date.isoformat()}" if doc.date else doc.name


def select_facts(report: Report, min_sources: int = 2, verdicts: tuple[str, ...] = ()) -> list[FactSummary]:
    """Return the facts stated by at least `min_sources` documents, with one of `verdicts` (all if empty)."""
    facts = summarise(report)
    return [f for f in facts if f.sources >= min_sources and (not verdicts or f.verdict in verdicts)]


def render_clusters(report: Report, console: Console, min_sources: int = 2,
                    verdicts: tuple[str, ...] = ()) -> None:
    """Print the corroboration table: fact, sources, each value with who states it, verdict."""
    facts = select_facts(report, min_sources, verdicts)
    docs = {d.path: d for d in report.corpus.documents}
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_lines=True)
    table.add_column("fact", ratio=3, overflow="fold")
    table.add_column("sources", justify="right", no_wrap=True)
    table.add_column("values and who states them", ratio=5, overflow="fold")
    table.add_column("verdict", no_wrap=True)
    for fact in facts:
        values = Text()
        for n, value in enumerate(fact.values):
            if n:
                values.append("\n")
            values.append(clean_text(value.value), style="bold")
            values.append(f" ({len(value.documents)}): ", style="dim")
            values.append(clean_text(", ".join(_source(p, docs) for p in value.documents)))
        verdict = Text(fact.verdict, style=VERDICT_STYLE[fact.verdict])
        if fact.codes:
            verdict.append("\n" + " ".join(fact.codes), style="dim")
        table.add_row(Text(clean_text(f"{fact.key} [{fact.cluster}]")), str(fact.sources), values, verdict)
    if facts:
        console.print(table)
    else:
        console.print(Text("No fact is stated by enough sources.", style="yellow"))
    counts = Counter(f.verdict for f in facts)
    line = Text(f"{plural(len(facts), 'fact')} stated by {min_sources}+ sources: ")
    line.append(", ".join(f"{counts.get(v, 0)} {v}" for v in VERDICTS))
    line.append(f" · {plural(len(report.documents), 'document')}", style="dim")
    console.print(line)


def clusters_json(report: Report, min_sources: int = 2, verdicts: tuple[str, ...] = ()) -> str:
    """Serialise the corroboration view as JSON (schema factcheck.clusters/1)."""
    facts = select_facts(report, min_sources, verdicts)
    data = {
        "schema": "factcheck.clusters/1",
        "facts": [
            {"cluster": f.cluster, "key": f.key, "kind": f.kind, "sources": f.sources, "verdict": f.verdict,
             "codes": list(f.codes),
             "values": [{"value": v.value, "documents": list(v.documents)} for v in f.values]}
            for f in facts
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
