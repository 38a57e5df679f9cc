"""One self-contained HTML file: filters by severity, rule and document; each finding side by side.

No network: styles and the small filter script are inline, nothing is fetched (rule names link to
their docs only when the `docs-url` setting is given).  Document text is data: every string goes
through `html.escape` (quotes too) after control characters are stripped, so a sentence cannot open
a tag or an attribute.  The document filter works on document numbers, not names, so a name with
control characters filters like any other; it lists names relative to the documents' common folder.
The page fits a phone screen (420 px): the filters wrap and shrink, long paths wrap anywhere but
words (outlet names) are not split.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from html import escape
from itertools import pairwise

from factcheck import __version__
from factcheck.records import ClaimRef, Finding, Report
from factcheck.render import SEVERITIES, clean_text, plural, rule_doc_url, source_label
from factcheck.render.diff import AlignedPair, Segment, context_of, finding_pairs, pair_segments, value_span

TAGS = {"removed": "del", "added": "ins", "changed": "mark"}

CSS = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f6f7f9}
header,main{max-width:1200px;margin:0 auto;padding:12px 20px}
header{background:#fff;border-bottom:1px solid #ddd;max-width:none}
h1{font-size:20px;margin:4px 0}.summary{color:#444}
.filters{display:flex;gap:12px;flex-wrap:wrap;margin:8px 0}
.filters label{font-size:13px;color:#555;max-width:100%}
.filters select{max-width:100%}#none{color:#555}#none.hidden{display:none}
article{background:#fff;border:1px solid #ddd;border-radius:6px;margin:14px 0;padding:10px 14px}
article.hidden{display:none}
.sev{font-weight:700;padding:1px 6px;border-radius:4px;color:#fff}
.sev-error{background:#c62828}.sev-warning{background:#b26a00}.sev-info{background:#1565c0}
.code{font-weight:700;margin-left:6px}.rule{color:#555;margin-left:6px}.meta{color:#777;font-size:13px}
table.sbs{width:100%;border-collapse:collapse;table-layout:fixed;margin:8px 0}
table.sbs th,table.sbs td{border:1px solid #ddd;padding:6px 8px;vertical-align:top;text-align:left}
table.sbs th,table.sbs td{overflow-wrap:anywhere}
table.sbs th{background:#fafafa;font-size:13px;font-weight:600}
td.ctx{color:#888;font-size:13px}
del{background:#ffe0e0;color:#a00;text-decoration:line-through}
ins{background:#dcf5dc;color:#060;text-decoration:none}
mark{background:#fff3b0}.value{text-decoration:underline;text-decoration-thickness:2px;font-weight:600}
.why{color:#555;font-style:italic}.also{font-size:13px;color:#555}
.side{padding:1px 4px;border-left:4px solid}.side-0{border-color:#a0a}.side-1{border-color:#06c}
.side-2{border-color:#080}.side-3{border-color:#c60}
.confidence,.timeline{font-size:13px;color:#333}
footer{color:#777;font-size:13px;text-align:center;padding:20px}
"""

SCRIPT = """
(function(){
  var sel = {sev: document.getElementById('f-sev'), rule: document.getElementById('f-rule'),
             doc: document.getElementById('f-doc')};
  function apply(){
    var shown = 0;
    document.querySelectorAll('article.finding').forEach(function(el){
      var docs = JSON.parse(el.dataset.docs);
      var ok = (!sel.sev.value || el.dataset.severity === sel.sev.value) &&
               (!sel.rule.value || el.dataset.rule === sel.rule.value) &&
               (!sel.doc.value || docs.indexOf(Number(sel.doc.value)) >= 0);
      el.classList.toggle('hidden', !ok);
      if (ok) { shown += 1; }
    });
    document.getElementById('shown').textContent = shown;
    var none = document.getElementById('none');
    if (none) { none.classList.toggle('hidden', shown > 0); }
  }
  Object.keys(sel).forEach(function(k){ sel[k].addEventListener('change', apply); });
  apply();
})();
"""


def esc(text: str) -> str:
    """Document text as inert HTML (attribute-safe)."""
    return escape(clean_text(text), quote=True)


def _runs(segments: Sequence[Segment], value: tuple[int, int] | None) -> list[tuple[str, str, bool]]:
    """Split diff segments at the value's boundaries: (text, tag, inside value)."""
    out = []
    for seg in segments:
        cuts = {0, len(seg.text)}
        if value is not None:
            cuts |= {v - seg.start for v in value if 0 < v - seg.start < len(seg.text)}
        points = sorted(cuts)
        for a, b in pairwise(points):
            pos = seg.start + a
            inside = value is not None and value[0] <= pos < value[1]
            out.append((seg.text[a:b], seg.tag, inside))
    return out


def diff_html(segments: Sequence[Segment], value: tuple[int, int] | None) -> str:
    """Mark a sentence up: <del>/<ins>/<mark> for differences, the value underlined."""
    parts = []
    for text, tag, inside in _runs(segments, value):
        body = esc(text)
        if inside:
            body = f'<span class="value">{body}</span>'
        if tag in TAGS:
            body = f"<{TAGS[tag]}>{body}</{TAGS[tag]}>"
        parts.append(body)
    return "".join(parts)


def pair_html(pair: AlignedPair, texts: Mapping[str, str]) -> str:
    """Draw the side-by-side table of two claims, context rows included."""
    seg_a, seg_b = pair_segments(pair.left, pair.right)
    ctx_a = context_of(texts.get(pair.left.document, ""), pair.left.start, pair.left.end)
    ctx_b = context_of(texts.get(pair.right.document, ""), pair.right.start, pair.right.end)
    rows = [f"<tr><th>{esc(source_label(pair.left))}</th><th>{esc(source_label(pair.right))}</th></tr>"]
    if ctx_a[0] or ctx_b[0]:
        rows.append(f'<tr><td class="ctx">{esc(ctx_a[0])}</td><td class="ctx">{esc(ctx_b[0])}</td></tr>')
    rows.append(f"<tr><td>{diff_html(seg_a, value_span(pair.left))}</td>"
                f"<td>{diff_html(seg_b, value_span(pair.right))}</td></tr>")
    if ctx_a[1] or ctx_b[1]:
        rows.append(f'<tr><td class="ctx">{esc(ctx_a[1])}</td><td class="ctx">{esc(ctx_b[1])}</td></tr>')
    return '<table class="sbs">' + "".join(rows) + "</table>"


def finding_html(finding: Finding, texts: Mapping[str, str], numbers: Mapping[str, int] | None = None,
                 docs_url: str | None = None) -> str:
    """One finding as an <article> with data attributes for the filters (`numbers`: path -> doc number)."""
    numbers = numbers if numbers is not None else {}
    docs = sorted({numbers.get(c.document, -1) for c in finding.claims})
    sev = finding.severity.value
    url = rule_doc_url(finding.code, docs_url)
    rule = (f'<a class="rule" href="{esc(url)}">{esc(finding.rule)}</a>' if url
            else f'<span class="rule">{esc(finding.rule)}</span>')
    parts = [
        f'<article class="finding" id="f-{esc(finding.fingerprint)}" data-severity="{sev}" '
        f'data-rule="{esc(finding.code)}" data-docs="{esc(json.dumps(docs))}">',
        f'<div><span class="sev sev-{sev}">{sev.upper()}</span><span class="code">{esc(finding.code)}</span>'
        f"{rule} "
        f'<span class="meta">fact {esc(finding.cluster)} · similarity {finding.similarity:.2f} · '
        f"fingerprint {esc(finding.fingerprint)}</span></div>",
        f"<p>{esc(finding.message)}</p>",
    ]
    if len(finding.sides) > 1:
        sides = []
        for n, side in enumerate(finding.sides):
            who = ", ".join(source_label(next(c for c in finding.claims if c.document == d))
                            for d in side.documents)
            sides.append(f'<span class="side side-{n % 4}"><b>{esc(side.value)}</b> — {side.sources} '
                         f'source{"s" if side.sources != 1 else ""}: {esc(who)}</span>')
        parts.append('<p class="sides">' + " · ".join(sides) + "</p>")
    if finding.confidence:
        parts.append(f'<p class="confidence">Confidence {esc(finding.confidence)}: '
                     f"{esc(finding.confidence_why)}</p>")
    if finding.timeline:
        steps = " → ".join(f"{esc(d or 'undated')}: {esc(v)}" for d, v in finding.timeline)
        parts.append(f'<p class="timeline">Timeline: {steps}</p>')
    pairs = finding_pairs(finding)
    for left, right in pairs:
        parts.append(pair_html(AlignedPair(left, right, "conflict", finding), texts))
    shown = {(c.document, c.start) for pair in pairs for c in pair}
    rest: list[ClaimRef] = [c for c in finding.claims if (c.document, c.start) not in shown]
    if rest:
        items = "".join(f"<li>{esc(source_label(c))}: {esc(c.text)}</li>" for c in rest)
        parts.append(f'<div class="also">Also stated in:<ul>{items}</ul></div>')
    if finding.logic:
        parts.append(f'<p class="why">Why: {esc(finding.logic)}</p>')
    parts.append("</article>")
    return "\n".join(parts)


def _options(label: str, ident: str, values: Sequence[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{esc(v)}">{esc(t)}</option>' for v, t in values)
    return f'<label>{label} <select id="{ident}"><option value="">all</option>{opts}</select></label>'


def short_names(paths: Sequence[str]) -> list[str]:
    """Document names relative to their common folder ("a/x.txt", "b/y.txt"), for the filter."""
    if not paths:
        return []
    absolute = [os.path.abspath(p) for p in paths]
    try:
        common = os.path.commonpath([os.path.dirname(p) for p in absolute])
    except ValueError:  # different drives
        return list(paths)
    return [os.path.relpath(p, common) for p in absolute]


def render_html(report: Report, docs_url: str | None = None) -> str:
    """Render the whole report as one HTML page."""
    texts = {d.path: d.text for d in report.corpus.documents}
    counts = ", ".join(
        f"{report.count(s)} info" if s.value == "info" else plural(report.count(s), s.value)
        for s in SEVERITIES
    )
    summary = " · ".join([counts, plural(len(report.documents), "document"),
                          plural(len(report.sentences), "sentence"),
                          plural(len(report.clusters), "fact cluster")])
    rules = sorted({(f.code, f"{f.code} {f.rule}") for f in report.findings})
    paths = [d.path for d in report.documents]
    numbers = {path: n for n, path in reversed(list(enumerate(paths)))}
    docs = sorted(((str(n), name) for n, name in enumerate(short_names(paths))), key=lambda d: d[1])
    filters = (_options("Severity", "f-sev", [(s.value, s.value) for s in SEVERITIES])
               + _options("Rule", "f-rule", rules) + _options("Document", "f-doc", docs))
    body = "\n".join(finding_html(f, texts, numbers, docs_url) for f in report.findings)
    body = (body + '\n<p id="none" class="hidden">No findings match the filters.</p>' if body
            else "<p>No contradictions found.</p>")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>factcheck report</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>factcheck report</h1>
<div class="summary">{esc(summary)} · showing <span id="shown">{len(report.findings)}</span></div>
<div class="filters">{filters}</div>
</header>
<main>
{body}
</main>
<footer>factcheck {esc(__version__)}</footer>
<script>{SCRIPT}</script>
</body>
</html>
"""
