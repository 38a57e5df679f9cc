r"""GitHub Actions: workflow-command annotations and a Markdown job summary.

`::error file=seeds/a.txt,line=9,col=1,title=FC101 person-name-conflict::message` puts the finding on
the line in the pull request.  One annotation per finding, at its first claim; the other claims are
named in the message as related lines (one annotation per cited line would multiply the alerts).

Document text is data: the runner only reads commands at the start of a line, so every value is
escaped the way @actions/core does (`%`, CR, LF in data; also `:` and `,` in properties), after
control characters are stripped.  A sentence containing "\n::set-env ..." stays inside its message.
"""

from __future__ import annotations

from factcheck.records import Finding, Report, Severity
from factcheck.render import SEVERITIES, clean_text

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow-command message."""
    return clean_text(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """Escape a workflow-command property value (file, title)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_commands(finding: Finding) -> list[str]:
    """Return the workflow command of one finding: at its first claim, the other claims as related lines."""
    if not finding.claims:
        return []
    first, *rest = finding.claims
    props = ",".join([
        f"file={escape_property(first.document)}", f"line={first.line}", f"col={first.column}",
        f"title={escape_property(f'{finding.code} {finding.rule}')}",
    ])
    related = "; ".join(f"{c.document}:{c.line}:{c.column}" for c in rest)
    message = finding.message + (f" [related: {related}]" if related else "")
    message += f" (fingerprint {finding.fingerprint})"
    return [f"::{COMMAND[finding.severity]} {props}::{escape_data(message)}"]


def render_github(report: Report) -> str:
    """All annotations, then a one-line notice with the totals."""
    lines = [line for finding in report.findings for line in workflow_commands(finding)]
    counts = ", ".join(f"{report.count(s)} {s.value}" for s in SEVERITIES)
    lines.append(f"::notice title=factcheck::{escape_data(f'{counts} in {len(report.documents)} documents')}")
    return "\n".join(lines) + "\n"


def render_step_summary(report: Report) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY (the Markdown report without per-claim detail)."""
    from factcheck.render.markdown import render_markdown

    return render_markdown(report, details=False)
