"""Apply inline suppression directives to findings once the rules ran; report unused ones as FC902.

The directives themselves are parsed by `factcheck.read.suppress`.  A directive speaks for its own
document only: it removes that document's claims from the findings of the rules it names, and a
finding whose other claims still conflict without them is reported (re-judged by the same rule on
the cluster without the suppressed claims).  So a document cannot silence a conflict between two
others by agreeing with one of them under `factcheck: ignore-file`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from factcheck.config import Config
from factcheck.corpus import Corpus
from factcheck.read.suppress import Suppression, find_suppressions
from factcheck.records import ClaimRef, FactCluster, Finding
from factcheck.rules.base import REGISTRY, RuleContext, finding_order, fingerprint

__all__ = ["apply_suppressions"]


def _on(sup: Suppression, ref: ClaimRef) -> bool:
    """Whether a directive covers the claim `ref` (same document; the whole file or its target sentence)."""
    if ref.document != sup.document:
        return False
    on_target = sup.target_start >= 0 and ref.start < sup.target_end and ref.end > sup.target_start
    return sup.whole_file or on_target


def _suppressed_by(finding: Finding, suppressions: Sequence[Suppression]) -> list[Suppression]:
    return [sup for sup in suppressions
            if sup.covers(finding.code) and any(_on(sup, ref) for ref in finding.claims)]


def _rejudge(
    code: str, suppressions: Sequence[Suppression], clusters: Sequence[FactCluster], ctx: RuleContext
) -> list[Finding]:
    """Run rule `code` again on the clusters without the claims its directives cover.

    What comes back are the conflicts that stand without the suppressed documents' claims.
    Corpus-level rules (whose findings cite one claim against outside knowledge) are not re-run.
    """
    from factcheck.rules import run_rules

    if REGISTRY[code].corpus_level:
        return []
    own = [sup for sup in suppressions if sup.covers(code)]
    covered = {id(c) for c in ctx.claims if any(_on(sup, ctx.ref(c)) for sup in own)}
    reduced: list[FactCluster] = []
    for cluster in clusters:
        kept = tuple(c for c in cluster.claims if id(c) not in covered)
        if len(kept) == len(cluster.claims) or len(kept) < 2:
            continue
        ids = {c.id for c in kept}
        pairs = tuple(p for p in cluster.pairs if p[0] in ids and p[1] in ids)
        reduced.append(replace(cluster, claims=kept, pairs=pairs))
    if not reduced:
        return []
    # rules also look across the corpus (people by surname): they see the claims left, nothing else
    corpus = ctx.corpus
    kept_claims = tuple(c for c in corpus.claims if id(c) not in covered)
    without = RuleContext(
        corpus=Corpus(corpus.documents, corpus.sentences, kept_claims, corpus.ignored), kb=ctx.kb,
        severity_overrides=ctx.severity_overrides, name_aliases=ctx.name_aliases, focus_docs=ctx.focus_docs,
    )
    return [f for f in run_rules(reduced, without, select=[code]) if f.code == code]


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
    clusters: Sequence[FactCluster] = (),
    ctx: RuleContext | None = None,
) -> list[Finding]:
    """Drop suppressed findings; add FC902 for unused directives of the documents in `unused_in`.

    `unused_in` holds document indices (None: every document).  A directive is only called unused
    when at least one rule it names is enabled, so `--select` does not make directives look stale.
    With the `clusters` and rule context `ctx` of the run, a suppressed finding is re-judged
    without the covered claims, and what still conflicts is kept (see the module docstring).
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
    rejudge: set[str] = set()
    for finding in findings:
        hits = _suppressed_by(finding, suppressions)
        if hits:
            used.update(hits)
            if len({ref.document for ref in finding.claims}) > 1:
                rejudge.add(finding.code)
        else:
            kept.append(finding)
    if ctx is not None:
        seen = {f.fingerprint for f in kept}
        for code in sorted(rejudge):
            for finding in _rejudge(code, suppressions, clusters, ctx):
                if finding.fingerprint not in seen and not _suppressed_by(finding, suppressions):
                    seen.add(finding.fingerprint)
                    kept.append(finding)
    if _enabled("FC902", config):
        for sup in suppressions:
            if sup in used or sup.document not in report_for:
                continue
            if sup.codes and not any(_any_enabled(c, config) for c in sup.codes):
                continue
            kept.append(_unused_finding(sup, config))
    return sorted(kept, key=finding_order)
