"""Apply inline suppression directives to findings once the rules ran; report unused ones as FC902.

The directives themselves are parsed by `factcheck.read.suppress`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from factcheck.config import Config
from factcheck.corpus import Corpus
from factcheck.read.suppress import Suppression, find_suppressions
from factcheck.records import ClaimRef, Finding
from factcheck.rules.base import REGISTRY, finding_order, fingerprint

__all__ = ["apply_suppressions"]


def _suppressed_by(finding: Finding, suppressions: Sequence[Suppression]) -> list[Suppression]:
    hits = []
    for sup in suppressions:
        if not sup.covers(finding.code):
            continue
        for ref in finding.claims:
            if ref.document != sup.document:
                continue
            on_target = sup.target_start >= 0 and ref.start < sup.target_end and ref.end > sup.target_start
            if sup.whole_file or on_target:
                hits.append(sup)
                break
    return hits


def _enabled(code: str, config: Config) -> bool:
    if config.select is not None and not any(code.startswith(s) for s in config.select):
        return False
    return not any(code.startswith(i) for i in config.ignore)


def _any_enabled(prefix: str, config: Config) -> bool:
    return any(code.startswith(prefix) and _enabled(code, config) for code in REGISTRY)


def _unused_finding(sup: Suppression, config: Config) -> Finding:

    registered = REGISTRY["FC902"]
    what = ", ".join(sup.codes) if sup.codes else "any rule"
    where = "in this document" if sup.whole_file else "on the next sentence"
    message = f"unused suppression {sup.text!r}: no {what} finding {where}; remove the comment"
    ref = ClaimRef(
        document=sup.document,
        start=sup.start,
        end=sup.end,
        line=sup.line,
        column=sup.column,
        text=sup.text,
        key="",
        value=sup.text,
        value_start=sup.start,
        value_end=sup.end,
    )
    return Finding(
        code="FC902",
        rule=registered.name,
        severity=config.severity_overrides.get("FC902", registered.severity),
        message=message,
        values=sup.codes or ("*",),
        claims=(ref,),
        cluster="",
        similarity=0.0,
        fingerprint=fingerprint("FC902", [sup.text, sup.target_text], list(sup.codes)),
        logic="a factcheck directive matched no finding of the rules it names",
    )


def apply_suppressions(
    findings: Sequence[Finding],
    corpus: Corpus,
    config: Config,
    unused_in: Collection[int] | None = None,
) -> list[Finding]:
    """Drop suppressed findings; add FC902 for unused directives of the documents in `unused_in`.

    `unused_in` holds document indices (None: every document).  A directive is only called unused
    when at least one rule it names is enabled, so `--select` does not make directives look stale.
    """
    by_doc = corpus.sentences_by_document
    suppressions: list[Suppression] = []
    report_for: set[str] = set()
    for index, document in enumerate(corpus.documents):
        if "factcheck" not in document.text.lower() and document.format != "html":
            continue
        found = find_suppressions(document, by_doc.get(index, ()))
        suppressions.extend(found)
        if unused_in is None or index in unused_in:
            report_for.add(document.path)
    if not suppressions:
        return list(findings)
    used: set[Suppression] = set()
    kept = []
    for finding in findings:
        hits = _suppressed_by(finding, suppressions)
        if hits:
            used.update(hits)
        else:
            kept.append(finding)
    if _enabled("FC902", config):
        for sup in suppressions:
            if sup in used or sup.document not in report_for:
                continue
            if sup.codes and not any(_any_enabled(c, config) for c in sup.codes):
                continue
            kept.append(_unused_finding(sup, config))
    return sorted(kept, key=finding_order)
