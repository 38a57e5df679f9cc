"""Renderers: every output format is fed the same Report.

Document text is data in every format.  `clean_text` removes what could drive a terminal (ANSI/OSC
escape sequences, C0/C1 control characters) and folds line breaks; each format then escapes its own
special characters (rich Text objects, html.escape, XML escaping, Markdown and workflow-command escapes).
"""

from __future__ import annotations

import re

from factcheck.records import Claim, ClaimRef, Report, Severity

CONTROL_RE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)
# bidi controls and zero-width joiners can reorder or hide what a reader sees (Trojan Source)
INVISIBLE_RE = re.compile("[\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]")
SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def clean_text(text: str) -> str:
    """Document text made safe for a terminal: ANSI/OSC escapes and control characters removed."""
    text = text.replace("\t", " ").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return INVISIBLE_RE.sub("", CONTROL_RE.sub("", text))


def rule_doc_url(code: str, docs_url: str | None) -> str | None:
    """Return the URL of a rule's docs page under the `docs-url` setting; None when it is not set.

    A value with `{code}` is a template ("https://example.org/rules/{code}.html"); otherwise it is
    the base of the docs/rules/ pages ("https://example.org/factcheck/docs/rules" -> .../FC101.md).
    """
    if not docs_url:
        return None
    if "{code}" in docs_url:
        return docs_url.replace("{code}", code)
    return f"{docs_url.rstrip('/')}/{code}.md"


def plural(count: int, word: str) -> str:
    """"1 finding", "2 findings"."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def claim_ref(report: Report, claim: Claim) -> ClaimRef:
    """Build a renderer-ready reference to any claim of the report's corpus (as the rules do)."""
    return report.corpus.ref(claim)


def source_label(ref: ClaimRef) -> str:
    """"path:line:col (outlet, date)" of a claim, cleaned."""
    extras = [x for x in (ref.outlet, ref.date) if x]
    tail = f" ({', '.join(extras)})" if extras else ""
    return clean_text(f"{ref.document}:{ref.line}:{ref.column}{tail}")
