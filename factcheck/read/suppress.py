"""Inline suppression directives: `factcheck: ignore[FC101]` comment lines, parsed while reading.

A directive is a line of its own, in a comment or bare::

    # factcheck: ignore[FC101]            the next sentence (codes or prefixes, comma-separated)
    <!-- factcheck: ignore[FC2] -->       HTML comment (Markdown, HTML)
    // factcheck: ignore-file[FC201]      the whole document
    factcheck: ignore-file                every rule, the whole document

Without codes a directive suppresses every rule.  A directive that suppresses nothing is reported
as FC902 unused-suppression (an info note), like ruff's RUF100.  Applying them to findings is
`factcheck.rules.suppress`'s job, so reading never imports the rule engine.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from factcheck.records import Document, Sentence

__all__ = ["DIRECTIVE", "Suppression", "find_suppressions", "is_directive"]

_BODY = r"factcheck:\s*(?P<kind>ignore-file|ignore)\b\s*(?:\[(?P<codes>[^\]]*)\])?"
# A whole line: an optional comment opener (#, //, %, ;, --, <!--), the directive, an optional closer.
DIRECTIVE = re.compile(
    rf"^[ \t]*(?:<!--|#+|//|%|;|--)?[ \t]*{_BODY}[ \t]*(?:-->)?[ \t]*\r?$", re.IGNORECASE | re.MULTILINE
)
_HTML_COMMENT = re.compile(r"<!--\s*" + _BODY + r"\s*-->", re.IGNORECASE)
_CODE = re.compile(r"FC\d{0,3}$")


def is_directive(line: str) -> bool:
    """Whether a line is a factcheck directive (the boilerplate filter drops these)."""
    return DIRECTIVE.match(line) is not None


@dataclass(frozen=True, slots=True)
class Suppression:
    """One directive: where it is, what it covers (`target` offsets) and which codes."""

    document: str
    start: int
    end: int
    line: int
    column: int
    text: str
    whole_file: bool
    codes: tuple[str, ...]  # codes or prefixes; empty: every rule
    target_start: int = -1  # the sentence a next-sentence directive covers (-1: none)
    target_end: int = -1
    target_text: str = ""

    def covers(self, code: str) -> bool:
        """Whether this directive suppresses rule `code`."""
        return not self.codes or any(code.startswith(c) for c in self.codes)


def _codes(raw: str | None, document: str, line: int) -> tuple[str, ...]:
    from factcheck.errors import InputError

    if raw is None:
        return ()
    codes = tuple(c.strip().upper() for c in raw.split(",") if c.strip())
    for code in codes:
        if not _CODE.match(code):
            raise InputError(f"{document}:{line}: bad rule code {code!r} in a directive (like FC101)")
    return codes


def _html_targets(document: Document) -> list[tuple[re.Match[str], int]]:
    """Directives in an HTML page's raw source, mapped to where the following text starts in `text`."""
    try:
        with open(document.path, encoding=document.encoding, errors="replace") as handle:
            raw = handle.read()
    except OSError:
        return []
    found = []
    for match in _HTML_COMMENT.finditer(raw):
        following = re.sub(r"<[^>]*>", " ", raw[match.end() : match.end() + 2000])
        words = html.unescape(following).split()[:6]
        offset = -1
        if words:
            pattern = r"\s+".join(re.escape(w) for w in words)
            hit = re.search(pattern, document.text)
            offset = hit.start() if hit else -1
        found.append((match, offset))
    return found


def find_suppressions(document: Document, sentences: Sequence[Sentence]) -> list[Suppression]:
    """Every directive of one document, next-sentence ones resolved to their sentence."""
    from factcheck.read.segment import line_col

    ordered = sorted(sentences, key=lambda s: s.start)

    def target(after: int) -> Sentence | None:
        return next((s for s in ordered if s.start >= after), None)

    def make(match: re.Match[str], start: int, end: int, line: int, column: int, text: str,
             sentence: Sentence | None) -> Suppression:
        whole = match.group("kind").lower() == "ignore-file"
        return Suppression(
            document.path, start, end, line, column, text, whole,
            _codes(match.group("codes"), document.path, line),
            sentence.start if sentence else -1,
            sentence.end if sentence else -1,
            sentence.text if sentence else "",
        )

    out = []
    if document.format == "html":
        for match, offset in _html_targets(document):
            whole = match.group("kind").lower() == "ignore-file"
            sentence = None if whole or offset < 0 else target(offset)
            out.append(make(match, max(offset, 0), max(offset, 0), 1, 1, match.group(0), sentence))
        return out
    for match in DIRECTIVE.finditer(document.text):
        whole = match.group("kind").lower() == "ignore-file"
        line, column = line_col(document.text, match.start())
        sentence = None if whole else target(match.end())
        out.append(make(match, match.start(), match.end(), line, column, match.group(0).strip(), sentence))
    return out
