"""Markdown report (GitHub-flavoured): a summary table, then each finding with its sentences.

Document text is data: every character that Markdown could read as inline syntax is backslash-escaped
(and list/heading markers at the start of a text), `<`, `>` and `&` become entities (no raw HTML), and
line breaks are folded, so a sentence cannot open a link, an image, a table cell, a heading or a tag.
`@mentions` get a zero-width space after the `@` and bare URLs an entity for their `:` or `.`, so a
pull-request comment neither pings people nor autolinks addresses a document happens to contain.
Rule names link to their docs only when the `docs-url` setting is given (a relative link is broken
in a pull-request comment).
"""

from __future__ import annotations

import re

from factcheck.records import ClaimRef, Finding, Report, Severity
from factcheck.render import SEVERITIES, clean_text, plural, rule_doc_url, source_label

MD_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")  # inline syntax; with [ ] escaped no link or image can open
LINE_START = re.compile(r"^(\s*\d*)([#+\-=.)])")  # headings, lists ("- ", "1. "), setext underlines
MENTION = re.compile(r"@(?=[\w-])")  # "@user", "@org/team": a pull-request comment would ping them
URL_SCHEME = re.compile(r"(?<=[A-Za-z0-9])://")  # "https://x": GitHub would autolink a bare URL
WWW = re.compile(r"\b(www)\.", re.IGNORECASE)
ICON = {Severity.ERROR: "🔴", Severity.WARNING: "🟡", Severity.INFO: "🔵"}


def escape_md(text: str) -> str:
    """Document text as inert Markdown (safe inside a table cell too)."""
    text = clean_text(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = MD_SPECIAL.sub(r"\\\1", text)
    text = MENTION.sub("@&#8203;", text)
    text = WWW.sub(r"\1&#46;", URL_SCHEME.sub("&#58;//", text))
    return LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def highlighted(ref: ClaimRef) -> str:
    """Return the sentence with its value in bold."""
    a, b = ref.value_start - ref.start, ref.value_end - ref.start
    text = ref.text
    if 0 <= a < b <= len(text):
        return f"{escape_md(text[:a])}**{escape_md(text[a:b])}**{escape_md(text[b:])}"
    return escape_md(text)


def summary(report: Report) -> str:
    """"**2 errors**, 0 warnings, 0 info · 3 documents · …"."""
    parts = []
    for severity in SEVERITIES:
        n = report.count(severity)
        label = f"{n} {severity.value}" + ("s" if n != 1 and severity is not Severity.INFO else "")
        parts.append(f"**{label}**" if n else label)
    return " · ".join([", ".join(parts), plural(len(report.documents), "document"),
                       plural(len(report.sentences), "sentence"),
                       plural(len(report.clusters), "fact cluster")])


def finding_section(finding: Finding, docs_url: str | None = None) -> list[str]:
    """One finding: heading, message, a table of its sentences, the rule's reasoning."""
    lines = [f"### {ICON[finding.severity]} {finding.severity.value.upper()} {finding.code} "
             f"{escape_md(finding.rule)}", "", escape_md(finding.message), ""]
    if len(finding.sides) > 1:  # one disputed fact: each value with its sources and sentences
        lines += ["| Value | Sources | Source | Sentence |", "| --- | --- | --- | --- |"]
        placed: set[int] = set()
        for side in finding.sides:
            for n, i in enumerate(side.claims):
                placed.add(i)
                ref = finding.claims[i]
                value = f"**{escape_md(side.value)}**" if n == 0 else ""
                count = str(side.sources) if n == 0 else ""
                lines.append(f"| {value} | {count} | {escape_md(source_label(ref))} | {highlighted(ref)} |")
        for i, ref in enumerate(finding.claims):
            if i not in placed:
                lines.append(f"| (also) | | {escape_md(source_label(ref))} | {highlighted(ref)} |")
    else:
        lines += ["| Source | Sentence |", "| --- | --- |"]
        for ref in finding.claims:
            lines.append(f"| {escape_md(source_label(ref))} | {highlighted(ref)} |")
    lines.append("")
    if finding.confidence:
        lines += [f"*Confidence {finding.confidence}:* {escape_md(finding.confidence_why)}", ""]
    if finding.logic:
        lines += [f"*Why:* {escape_md(finding.logic)}", ""]
    url = rule_doc_url(finding.code, docs_url)
    link = f" · [rule docs]({url.replace(')', '%29').replace(' ', '%20')})" if url else ""
    lines += [f"Fingerprint: {finding.fingerprint} · fact {escape_md(finding.cluster)}{link}", ""]
    return lines


def render_markdown(report: Report, details: bool = True, docs_url: str | None = None) -> str:
    """Render the Markdown report; `details=False` gives the summary table only ($GITHUB_STEP_SUMMARY)."""
    lines = ["# factcheck report", "", summary(report), ""]
    if not report.findings:
        lines += ["No contradictions found.", ""]
        return "\n".join(lines)
    lines += ["| Severity | Code | Rule | Where | Message |", "| --- | --- | --- | --- | --- |"]
    for f in report.findings:
        where = "<br>".join(escape_md(f"{c.document}:{c.line}:{c.column}") for c in f.claims)
        lines.append(f"| {ICON[f.severity]} {f.severity.value} | {f.code} | {escape_md(f.rule)} | {where} | "
                     f"{escape_md(f.message)} |")
    lines.append("")
    if details:
        lines += ["## Findings", ""]
        for finding in report.findings:
            lines += finding_section(finding, docs_url)
    return "\n".join(lines)
