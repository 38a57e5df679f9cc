"""SARIF 2.1.0 for code-scanning UIs (GitHub code scanning, VS Code SARIF viewer).

One result per finding, located at its first claim's sentence; the other claims are related
locations.  Rule descriptors carry a `helpUri` only when the `docs-url` setting is given (there is no
canonical public URL to point at otherwise).  `partialFingerprints` carries the finding fingerprint
so alerts survive edits elsewhere.
Columns are Unicode code points (`columnKind`), as factcheck counts them.  Strings go through
`json.dumps`, which escapes everything JSON needs; control characters are stripped first.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from factcheck import __version__
from factcheck.records import ClaimRef, Finding, Report, Severity
from factcheck.render import clean_text, rule_doc_url

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
FINGERPRINT_KEY = "factcheckFingerprint/v1"


def artifact_uri(path: str) -> str:
    """Turn a document path into a SARIF uri-reference (relative paths stay relative)."""
    posix = path.replace("\\", "/")
    if PurePath(path).is_absolute() or posix.startswith("/"):
        return "file://" + quote(posix if posix.startswith("/") else "/" + posix, safe="/:")
    return quote(posix, safe="/")


def _region(ref: ClaimRef) -> dict[str, Any]:
    lines = ref.text.split("\n")
    end_line = ref.line + len(lines) - 1
    end_column = (len(lines[-1]) + 1) if len(lines) > 1 else ref.column + len(ref.text)
    return {"startLine": max(ref.line, 1), "startColumn": max(ref.column, 1), "endLine": max(end_line, 1),
            "endColumn": max(end_column, 1), "snippet": {"text": clean_text(ref.text)}}


def _location(ref: ClaimRef, index: int | None = None) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": artifact_uri(ref.document)}, "region": _region(ref)},
    }
    if index is not None:
        location["id"] = index
        location["message"] = {"text": clean_text(f"{ref.value or ref.key} ({ref.document}:{ref.line})")}
    return location


def rule_descriptors(codes: list[str], docs_url: str | None = None) -> list[dict[str, Any]]:
    """ReportingDescriptor objects for the rules that produced findings (and only those)."""
    from factcheck.rules import REGISTRY

    out = []
    for code in codes:
        registered = REGISTRY.get(code)
        name = registered.name if registered else code
        summary = registered.summary if registered else code
        level = LEVEL[registered.severity] if registered else "warning"
        url = rule_doc_url(code, docs_url)
        descriptor: dict[str, Any] = {
            "id": code, "name": name,
            "shortDescription": {"text": summary},
            "fullDescription": {"text": summary},
            "help": {"text": summary, "markdown": summary},
            "defaultConfiguration": {"level": level},
            "properties": {"tags": ["factcheck", name]},
        }
        if url is not None:
            descriptor["help"] = {"text": f"{summary} See {url}",
                                  "markdown": f"{summary} [Rule documentation]({url})"}
            descriptor["helpUri"] = url
        out.append(descriptor)
    return out


def result(finding: Finding, rule_index: int) -> dict[str, Any]:
    """One SARIF result for one finding."""
    out: dict[str, Any] = {
        "ruleId": finding.code, "ruleIndex": rule_index, "level": LEVEL[finding.severity],
        "message": {"text": clean_text(finding.message)},
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {"values": [clean_text(v) for v in finding.values], "cluster": finding.cluster,
                       "similarity": finding.similarity, "logic": clean_text(finding.logic),
                       "fact": clean_text(finding.fact), "confidence": finding.confidence,
                       "sides": [{"value": clean_text(s.value), "sources": s.sources,
                                  "documents": list(s.documents)} for s in finding.sides]},
    }
    if finding.claims:
        out["locations"] = [_location(finding.claims[0])]
        related = [_location(ref, n) for n, ref in enumerate(finding.claims[1:], start=1)]
        if related:
            out["relatedLocations"] = related
    return out


def sarif_dict(report: Report, docs_url: str | None = None) -> dict[str, Any]:
    """Build the whole SARIF log as data."""
    codes = sorted({f.code for f in report.findings})
    index = {code: n for n, code in enumerate(codes)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "factcheck", "version": __version__, "semanticVersion": __version__,
                                "rules": rule_descriptors(codes, docs_url)}},
            "columnKind": "unicodeCodePoints",
            "artifacts": [{"location": {"uri": artifact_uri(d.path)}, "mimeType": _mime(d.format),
                           "hashes": {"sha-256": d.sha256}} for d in report.documents],
            "results": [result(f, index[f.code]) for f in report.findings],
        }],
    }


def _mime(fmt: str) -> str:
    return {"html": "text/html", "md": "text/markdown"}.get(fmt, "text/plain")


def render_sarif(report: Report, docs_url: str | None = None) -> str:
    """Serialise the SARIF log (two-space indent, trailing newline)."""
    return json.dumps(sarif_dict(report, docs_url), indent=2, ensure_ascii=False) + "\n"
