"""The rich terminal report: a card per disputed fact (values side by side, sentences by side), a summary.

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


SIDE_STYLES = ("magenta", "blue", "green", "dark_orange", "cyan", "yellow")
CONFIDENCE_STYLE = {"high": "bold", "medium": "", "low": "dim"}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(iso: str | None, with_year: bool = False) -> str:
    """"2025-07-01" -> "1 Jul" ("1 Jul 2025" with the year); unparseable dates come back unchanged."""
    if not iso:
        return ""
    try:
        year, month, day = (int(p) for p in iso.split("-"))
        text = f"{day} {_MONTHS[month - 1]}"
    except (ValueError, IndexError):
        return iso
    return f"{text} {year}" if with_year else text


def who_says(finding: Finding) -> Text:
    """"Cryptopolitan (1 Jul): Ryosei Akazawa · SMM (20 May): Akio Akazawa", each side in its colour."""
    years = {r.date[:4] for r in finding.claims if r.date}
    line = Text()
    for n, side in enumerate(finding.sides):
        if n:
            line.append(" · ", style="dim")
        names = []
        for path in side.documents:
            ref = next(r for r in finding.claims if r.document == path)
            name = ref.outlet or path.replace("\\", "/").rsplit("/", 1)[-1]
            when = short_date(ref.date, len(years) > 1)
            names.append(f"{name} ({when})" if when else name)
        shown = names if len(names) <= 3 else [*names[:3], f"+{len(names) - 3} more"]
        line.append(clean_text(", ".join(shown)) + ": ")
        line.append(clean_text(side.value), style=f"bold {SIDE_STYLES[n % len(SIDE_STYLES)]}")
    return line


def finding_block(finding: Finding) -> Group:
    """One finding as a card: header, verdict, who says each value, the sentences under their side."""
    header = Text()
    header.append(f"{finding.severity.value.upper():7}", style=SEVERITY_STYLE[finding.severity])
    header.append(f" {finding.code} ", style="bold")
    header.append(finding.rule, style="dim")
    header.append(f"  #{finding.fingerprint}", style="dim")
    if finding.confidence:
        style = CONFIDENCE_STYLE.get(finding.confidence, "")
        header.append(f" · confidence {finding.confidence}", style=style)
    message = Padding(Text(clean_text(finding.message)), (0, 0, 0, 2), expand=False)
    parts: list[Text | Padding] = [header, message]
    if len(finding.sides) > 1:
        parts.append(Padding(who_says(finding), (0, 0, 0, 2), expand=False))
    placed: set[int] = set()
    for n, side in enumerate(finding.sides):
        style = SIDE_STYLES[n % len(SIDE_STYLES)]
        title = Text("▌ ", style=style)
        title.append(clean_text(side.value), style=f"bold {style}")
        count = f"{side.sources} source{'s' if side.sources != 1 else ''}"
        if len(side.documents) != side.sources:
            count += f" ({len(side.documents)} documents, near-copies counted once)"
        title.append(f" — {count}", style="dim")
        parts.append(Padding(title, (0, 0, 0, 2), expand=False))
        for i in side.claims:
            placed.add(i)
            ref = finding.claims[i]
            parts.append(Padding(location(ref), (0, 0, 0, 4), expand=False))
            sentence = highlighted_sentence(ref, f"bold reverse {style}")
            parts.append(Padding(sentence, (0, 0, 0, 6), expand=False))
    others = [ref for i, ref in enumerate(finding.claims) if i not in placed]
    if others and finding.sides:
        parts.append(Padding(Text("also mentioned", style="dim"), (0, 0, 0, 2), expand=False))
    for ref in others:
        indent = 4 if finding.sides else 2
        parts.append(Padding(location(ref), (0, 0, 0, indent), expand=False))
        parts.append(Padding(highlighted_sentence(ref), (0, 0, 0, indent + 2), expand=False))
    if finding.timeline:
        steps = " → ".join(f"{date or 'undated'}: {value}" for date, value in finding.timeline)
        parts.append(Padding(Text("timeline: " + clean_text(steps), style="italic"), (0, 0, 0, 2),
                             expand=False))
    if finding.confidence_why:
        why = Text(f"confidence {finding.confidence}: " + clean_text(finding.confidence_why), style="dim")
        parts.append(Padding(why, (0, 0, 0, 2), expand=False))
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
    """One titled group per finding (each is one disputed fact), loudest first."""
    out = []
    for finding in sorted(findings, key=lambda f: (-f.severity.rank, f.code)):
        fact = finding.fact or (finding.claims[0].key if finding.claims else "")
        out.append((f"fact: {fact}" if fact else finding.rule, [finding]))
    return out
