"""The rich terminal report: findings grouped by fact, conflicting values highlighted, a summary footer.

Document text is data: it is put into `rich.text.Text` objects (never parsed as markup) after
control characters and escape sequences are stripped.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, Group
from rich.padding import Padding
from rich.rule import Rule
from rich.text import Text

from factcheck.records import ClaimRef, Finding, Report, Severity
from factcheck.render import clean_text

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "cyan"}
MAX_SENTENCE = 400


def highlighted_sentence(ref: ClaimRef, value_style: str = "bold reverse") -> Text:
    """Return the claim's sentence with the value span highlighted (text cleaned, never markup)."""
    text = ref.text
    a, b = ref.value_start - ref.start, ref.value_end - ref.start
    out = Text()
    if 0 <= a < b <= len(text):
        out.append(clean_text(text[:a]))
        out.append(clean_text(text[a:b]), style=value_style)
        out.append(clean_text(text[b:]))
    else:
        out.append(clean_text(text))
    if len(out.plain) > MAX_SENTENCE:
        out.truncate(MAX_SENTENCE, overflow="ellipsis")
    return out


def location(ref: ClaimRef) -> Text:
    """"path:line:col (outlet, date)"."""
    loc = Text(clean_text(f"{ref.document}:{ref.line}:{ref.column}"), style="bold")
    extras = [x for x in (ref.outlet, ref.date) if x]
    if extras:
        loc.append(clean_text(f" ({', '.join(extras)})"), style="dim")
    return loc


def finding_block(finding: Finding) -> Group:
    """One finding: header line, message, each claim with location and highlighted sentence, logic."""
    header = Text()
    header.append(f"{finding.severity.value.upper():7}", style=SEVERITY_STYLE[finding.severity])
    header.append(f" {finding.code} ", style="bold")
    header.append(finding.rule, style="dim")
    header.append(f"  #{finding.fingerprint}", style="dim")
    if finding.cluster:
        header.append(f" · fact {finding.cluster} ({finding.similarity:.2f})", style="dim")
    message = Padding(Text(clean_text(finding.message)), (0, 0, 0, 2), expand=False)
    parts: list[Text | Padding] = [header, message]
    for ref in finding.claims:
        parts.append(Padding(location(ref), (0, 0, 0, 2), expand=False))
        parts.append(Padding(highlighted_sentence(ref), (0, 0, 0, 4), expand=False))
    if finding.logic:
        why = Text("why: " + clean_text(finding.logic), style="dim italic")
        parts.append(Padding(why, (0, 0, 0, 2), expand=False))
    return Group(*parts)


def summary_line(report: Report, elapsed: float | None = None) -> Text:
    """"2 errors, 0 warnings, 1 info · 3 documents · 85 sentences · 14 facts compared · 1.2 s"."""
    line = Text()
    counts = [(report.count(s), s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
    for n, (count, severity) in enumerate(counts):
        if n:
            line.append(", ")
        label = {"error": "error", "warning": "warning", "info": "info"}[severity.value]
        plural = "" if count == 1 or severity is Severity.INFO else "s"
        line.append(f"{count} {label}{plural}", style=SEVERITY_STYLE[severity] if count else "dim")
    line.append(f" · {len(report.documents)} documents · {len(report.sentences)} sentences"
                f" · {len(report.claims)} claims · {len(report.clusters)} fact clusters")
    if report.ignored:
        line.append(f" · {len(report.ignored)} boilerplate lines ignored", style="dim")
    if elapsed is not None:
        line.append(f" · {elapsed:.1f} s", style="dim")
    return line


def render_text(
    report: Report, console: Console, elapsed: float | None = None, show_ignored: bool = False
) -> None:
    """Print the report to a rich Console (the CLI picks colour, width and the stream)."""
    findings = list(report.findings)
    if findings:
        for group_title, group in _grouped(findings):
            console.print(Rule(Text(clean_text(group_title), style="bold"), align="left"))
            for finding in group:
                console.print(finding_block(finding))
                console.print()
    else:
        console.print(Text("No contradictions found.", style="green"))
    if show_ignored and report.ignored:
        console.print(Rule(Text("ignored (boilerplate)", style="bold"), align="left"))
        for span in report.ignored:
            line = Text(f"{span.document}:{span.line}:{span.column} ", style="dim")
            line.append(f"[{span.reason}] ", style="yellow")
            line.append(clean_text(span.text[:120]))
            console.print(line)
    console.print(summary_line(report, elapsed))


def _grouped(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    """Group findings by fact (cluster), groups ordered by their loudest finding."""
    groups: dict[str, list[Finding]] = {}
    titles: dict[str, str] = {}
    for finding in findings:
        key = finding.cluster or f"{finding.code}:{finding.fingerprint}"
        groups.setdefault(key, []).append(finding)
        if key not in titles:
            fact = finding.claims[0].key if finding.claims else ""
            titles[key] = f"fact: {fact}" if fact else finding.rule
    ordered = sorted(groups.items(), key=lambda kv: (-max(f.severity.rank for f in kv[1]), kv[1][0].code))
    return [(titles[k], sorted(v, key=lambda f: (-f.severity.rank, f.code))) for k, v in ordered]
