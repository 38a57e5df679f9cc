"""JSON report: schema factcheck.report/2 (stable, versioned; see docs/report.schema.json and docs/report.md).

Version 2 (issue #12) makes a finding one disputed fact: `fact`, `sides` (each value with its documents,
source count and claim indexes), `confidence` and `confidence_why`, `timeline`, `codes`, `confirmed`.
Reports of version 1 are still read (`show --report`), with those fields empty.
"""

from __future__ import annotations

import json
from typing import Any

from factcheck import __version__
from factcheck.records import ClaimRef, Finding, Report, Severity, Side

SCHEMA = "factcheck.report/2"
READABLE = ("factcheck.report/1", SCHEMA)


def claim_dict(ref: ClaimRef) -> dict[str, Any]:
    """One claim of a finding: its whole sentence, with the key and value and their offsets beside it."""
    return {
        "document": ref.document, "start": ref.start, "end": ref.end, "line": ref.line, "column": ref.column,
        "text": ref.text, "key": ref.key, "key_start": ref.key_start, "key_end": ref.key_end,
        "value": ref.value, "value_start": ref.value_start, "value_end": ref.value_end,
        "date": ref.date, "outlet": ref.outlet,
    }


def _first(finding: Finding, claims: tuple[int, ...]) -> str | None:
    """Return the first (earliest) sentence stating a side's value."""
    return finding.claims[claims[0]].text if claims and claims[0] < len(finding.claims) else None


def finding_dict(finding: Finding) -> dict[str, Any]:
    """Convert a finding to JSON data."""
    return {
        "code": finding.code, "rule": finding.rule, "severity": finding.severity.value,
        "message": finding.message, "values": list(finding.values),
        "claims": [claim_dict(c) for c in finding.claims], "cluster": finding.cluster,
        "similarity": finding.similarity, "fingerprint": finding.fingerprint, "logic": finding.logic,
        "fact": finding.fact, "codes": list(finding.codes), "confirmed": finding.confirmed or None,
        "sides": [{"value": s.value, "sources": s.sources, "documents": list(s.documents),
                   "claims": list(s.claims), "first": _first(finding, s.claims)} for s in finding.sides],
        "confidence": finding.confidence, "confidence_why": finding.confidence_why,
        "timeline": [{"date": d or None, "value": v} for d, v in finding.timeline],
    }


def report_dict(report: Report) -> dict[str, Any]:
    """Convert the whole report to JSON data (no timings: output is byte-identical across runs)."""
    per_doc: dict[int, int] = {}
    for sentence in report.sentences:
        per_doc[sentence.doc_index] = per_doc.get(sentence.doc_index, 0) + 1
    return {
        "schema": SCHEMA,
        "tool": {"name": "factcheck", "version": __version__, "embedder": report.embedder},
        "documents": [
            {"path": d.path, "name": d.name, "sha256": d.sha256, "format": d.format,
             "date": d.date.isoformat() if d.date else None, "outlet": d.outlet, "language": d.language,
             "encoding": d.encoding, "sentences": per_doc.get(i, 0)}
            for i, d in enumerate(report.documents)
        ],
        "findings": [finding_dict(f) for f in report.findings],
        "ignored": [
            {"document": s.document, "start": s.start, "end": s.end, "line": s.line, "column": s.column,
             "reason": s.reason, "text": s.text}
            for s in report.ignored
        ],
        "summary": {
            "documents": len(report.documents), "sentences": len(report.sentences),
            "claims": len(report.claims), "clusters": len(report.clusters),
            "findings": {s.value: report.count(s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)},
        },
    }


def render_json(report: Report) -> str:
    """Serialise the report (sorted keys, two-space indent, trailing newline)."""
    return json.dumps(report_dict(report), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def finding_from_dict(data: dict[str, Any]) -> Finding:
    """Rebuild a Finding from its JSON form (for `factcheck show FINGERPRINT --report report.json`)."""
    claims = tuple(
        ClaimRef(
            document=c["document"], start=c["start"], end=c["end"], line=c["line"], column=c["column"],
            text=c["text"], key=c.get("key", ""), value=c.get("value", ""),
            value_start=c.get("value_start", 0), value_end=c.get("value_end", 0),
            key_start=c.get("key_start", -1), key_end=c.get("key_end", -1),
            date=c.get("date"), outlet=c.get("outlet"),
        )
        for c in data["claims"]
    )
    return Finding(
        code=data["code"], rule=data["rule"], severity=Severity(data["severity"]), message=data["message"],
        values=tuple(data.get("values", ())), claims=claims, cluster=data.get("cluster", ""),
        similarity=float(data.get("similarity", 0.0)), fingerprint=data["fingerprint"],
        logic=data.get("logic", ""), fact=data.get("fact", ""), codes=tuple(data.get("codes", ())),
        confirmed=data.get("confirmed") or "",
        sides=tuple(Side(str(s["value"]), tuple(int(i) for i in s.get("claims", ())),
                         tuple(s.get("documents", ())), int(s.get("sources", 0)))
                    for s in data.get("sides", ())),
        confidence=data.get("confidence", ""), confidence_why=data.get("confidence_why", ""),
        timeline=tuple((t.get("date") or "", str(t["value"])) for t in data.get("timeline", ())),
    )


def load_findings(path: str) -> list[Finding]:
    """Read the findings of a saved JSON report; raise ConfigError naming the file when it is not one."""
    from factcheck.errors import ConfigError

    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise ConfigError(f"cannot read report {path}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not a JSON report: {exc}") from None
    if not isinstance(data, dict) or data.get("schema") not in READABLE:
        raise ConfigError(f"{path} is not a factcheck JSON report (expected schema {SCHEMA!r})")
    try:
        return [finding_from_dict(f) for f in data.get("findings", [])]
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: malformed finding in report ({type(exc).__name__}: {exc})") from None
