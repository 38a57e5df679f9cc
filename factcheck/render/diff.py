"""Side-by-side view: two sources' aligned claims in two columns, token-level differences highlighted.

Used by `factcheck diff A B` (every aligned claim of two documents), `factcheck show FINGERPRINT`
(one finding) and the HTML report.  The alignment and the token diff are plain data
(`AlignedPair`, `Segment`) so that every format can draw them; `render_*` draw them with rich.

Without colour (a pipe, NO_COLOR, --no-color) differences are marked the way `git diff --word-diff`
does: `[-removed-]` on the left, `{+added+}` on the right, so the view still says what differs.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from factcheck.extract.names import fold
from factcheck.extract.text import content_words, jaccard
from factcheck.records import ClaimRef, Finding, Report, Severity
from factcheck.render import claim_ref, clean_text, plural, source_label
from factcheck.render.text import highlighted_sentence

TOKEN_RE = re.compile(r"\s+|[\w’'-]+|[^\w\s]")
STYLES = {"removed": "bold red", "added": "bold green", "changed": "bold yellow", "same": ""}
VALUE_STYLE = "underline"
MARKERS = {"left": ("[-", "-]"), "right": ("{+", "+}")}
VERDICT_STYLE = {
    "conflict": "bold red", "note": "cyan", "differs": "yellow", "agree": "green", "similar": "dim",
}
REWRITE = 0.6  # word-diff ratio from which a pair is diffed word by word, not just its values
SIMILAR_SENTENCES = 0.35  # content-word Jaccard for aligning sentences that share no fact key
CONTEXT_CHARS = 100


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of a sentence and how it compares with the other side (same/removed/added/changed)."""

    text: str
    tag: str
    start: int  # offset in the sentence


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """Two claims (or sentences) from two sources about the same fact, with the verdict."""

    left: ClaimRef
    right: ClaimRef
    verdict: str  # conflict (a rule fired) | note (an info rule) | differs | agree | similar (sentences only)
    finding: Finding | None = None
    note: str = ""


def _tokens(text: str) -> list[tuple[str, int]]:
    return [(m.group(), m.start()) for m in TOKEN_RE.finditer(text)]


def token_diff(left: str, right: str) -> tuple[list[Segment], list[Segment]]:
    """Compare two sentences word by word (case-insensitive): segments for each side."""
    a, b = _tokens(left), _tokens(right)
    keys_a = [" " if t.isspace() else t.lower() for t, _ in a]
    keys_b = [" " if t.isspace() else t.lower() for t, _ in b]
    out_a: list[Segment] = []
    out_b: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        tag_a = {"equal": "same", "replace": "changed", "delete": "removed"}.get(op)
        tag_b = {"equal": "same", "replace": "changed", "insert": "added"}.get(op)
        if tag_a and i2 > i1:
            out_a.append(Segment(left[a[i1][1]:a[i2 - 1][1] + len(a[i2 - 1][0])], tag_a, a[i1][1]))
        if tag_b and j2 > j1:
            out_b.append(Segment(right[b[j1][1]:b[j2 - 1][1] + len(b[j2 - 1][0])], tag_b, b[j1][1]))
    return _merge(_split_spaces(out_a)), _merge(_split_spaces(out_b))


def _merge(segments: list[Segment]) -> list[Segment]:
    """Whitespace-only differences count as same; a run of one tag (spaces inside) becomes one segment."""
    out: list[Segment] = []
    for n, seg in enumerate(segments):
        tag = seg.tag
        if seg.text.isspace():
            nxt = segments[n + 1].tag if n + 1 < len(segments) else "same"
            tag = out[-1].tag if out and out[-1].tag == nxt else "same"
        if out and out[-1].tag == tag:
            out[-1] = Segment(out[-1].text + seg.text, tag, out[-1].start)
        else:
            out.append(Segment(seg.text, tag, seg.start))
    return out


def _split_spaces(segments: list[Segment]) -> list[Segment]:
    """Split each changed segment's whitespace tokens out so that _merge can judge them."""
    out = []
    for seg in segments:
        for m in TOKEN_RE.finditer(seg.text):
            out.append(Segment(m.group(), "same" if seg.tag == "same" else seg.tag, seg.start + m.start()))
    return out


def similar_wording(left: str, right: str) -> float:
    """How much of the wording two sentences share (difflib ratio over lower-case words)."""
    a = [t.lower() for t, _ in _tokens(left) if not t.isspace()]
    b = [t.lower() for t, _ in _tokens(right) if not t.isspace()]
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def pair_segments(left: ClaimRef, right: ClaimRef) -> tuple[list[Segment], list[Segment]]:
    """Choose what to highlight in a pair.

    Close rewrites (most wording shared) get a full word diff.  Otherwise a whole-sentence diff is
    noise, so only the values are compared word by word ("[-Ryosei-] Akazawa" vs "{+Akio+} Akazawa")
    and the rest of each sentence is shown as it is.
    """
    span_a, span_b = value_span(left), value_span(right)
    if span_a is None or span_b is None or similar_wording(left.text, right.text) >= REWRITE:
        return token_diff(left.text, right.text)
    val_a, val_b = token_diff(left.text[span_a[0]:span_a[1]], right.text[span_b[0]:span_b[1]])

    def around(text: str, span: tuple[int, int], inner: list[Segment]) -> list[Segment]:
        shifted = [Segment(s.text, s.tag, s.start + span[0]) for s in inner]
        head = [Segment(text[:span[0]], "same", 0)] if span[0] else []
        tail = [Segment(text[span[1]:], "same", span[1])] if span[1] < len(text) else []
        return head + shifted + tail

    return around(left.text, span_a, val_a), around(right.text, span_b, val_b)


def diff_text(segments: Sequence[Segment], side: str, value: tuple[int, int] | None, markers: bool) -> Text:
    """Segments as rich Text: styles (colour) or word-diff markers (no colour); value underlined."""
    out = Text()
    mapping: list[tuple[int, int, int]] = []  # (sentence offset, output offset, length)
    for seg in segments:
        body = clean_text(seg.text)
        if markers and seg.tag != "same":
            opening, closing = MARKERS[side]
            out.append(opening)
            mapping.append((seg.start, len(out.plain), len(body)))
            out.append(body, style=STYLES[seg.tag])
            out.append(closing)
        else:
            mapping.append((seg.start, len(out.plain), len(body)))
            out.append(body, style=STYLES[seg.tag] or None)
    if value is not None and len(out.plain) > 0:
        lo, hi = (_out_offset(mapping, value[0]), _out_offset(mapping, value[1]))
        if lo < hi:
            out.stylize(VALUE_STYLE, lo, hi)
    return out


def _out_offset(mapping: list[tuple[int, int, int]], offset: int) -> int:
    for start, out_start, length in mapping:
        if start <= offset <= start + length:
            return out_start + (offset - start)
    return mapping[-1][1] + mapping[-1][2] if mapping else 0


def value_span(ref: ClaimRef) -> tuple[int, int] | None:
    """Return the value's offsets inside the sentence, when the claim has one."""
    a, b = ref.value_start - ref.start, ref.value_end - ref.start
    return (a, b) if 0 <= a < b <= len(ref.text) else None


def context_of(text: str, start: int, end: int) -> tuple[str, str]:
    """Return the line (or line part) before and after a sentence, for a little context."""
    if not (0 <= start <= end <= len(text)):
        return "", ""
    before_lines = [ln for ln in text[:start].splitlines() if ln.strip()]
    after_lines = [ln for ln in text[end:].splitlines() if ln.strip()]
    before = before_lines[-1].strip() if before_lines else ""
    after = after_lines[0].strip() if after_lines else ""
    if len(before) > CONTEXT_CHARS:
        cut = before[-CONTEXT_CHARS:]
        before = "…" + (cut.split(" ", 1)[1] if " " in cut else cut)
    if len(after) > CONTEXT_CHARS:
        cut = after[:CONTEXT_CHARS]
        after = (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"
    return before, after


def _values_differ(a: ClaimRef, b: ClaimRef) -> bool:
    wa, wb = set(fold(a.value).split()), set(fold(b.value).split())
    return not (wa <= wb or wb <= wa)


def finding_pairs(finding: Finding) -> list[tuple[ClaimRef, ClaimRef]]:
    """Pair a finding's claims for a side-by-side view: the first claim against each differing value."""
    claims = list(finding.claims)
    if len(claims) < 2:
        return []
    if len(finding.sides) > 1 and all(side.claims for side in finding.sides):
        # one disputed fact: the first sentence of the best-supported value against each other value
        lead = claims[finding.sides[0].claims[0]]
        return [(lead, claims[side.claims[0]]) for side in finding.sides[1:]]
    first = claims[0]
    pairs: list[tuple[ClaimRef, ClaimRef]] = []
    seen: set[str] = set()
    for other in claims[1:]:
        value = fold(other.value)
        if other.document != first.document and _values_differ(first, other) and value not in seen:
            seen.add(value)
            pairs.append((first, other))
    if not pairs:
        other = next((c for c in claims[1:] if c.document != first.document), claims[1])
        pairs.append((first, other))
    return pairs


def align_documents(report: Report, left: int, right: int, max_pairs: int = 20) -> list[AlignedPair]:
    """Aligned claims of two documents of a report: findings, shared fact clusters, similar sentences."""
    path_a, path_b = report.documents[left].path, report.documents[right].path
    out: list[AlignedPair] = []
    used: set[tuple[int, int]] = set()  # (left sentence start, right sentence start)
    for finding in sorted(report.findings, key=lambda f: -f.severity.rank):
        lefts = [c for c in finding.claims if c.document == path_a]
        rights = [c for c in finding.claims if c.document == path_b]
        if not lefts or not rights:
            continue
        best = next(((a, b) for a in lefts for b in rights if _values_differ(a, b)), (lefts[0], rights[0]))
        if (best[0].start, best[1].start) not in used:
            used.add((best[0].start, best[1].start))
            verdict = "note" if finding.severity is Severity.INFO else "conflict"
            out.append(AlignedPair(best[0], best[1], verdict, finding))
    cluster_pairs: list[AlignedPair] = []
    for cluster in report.clusters:
        lefts_c = [c for c in cluster.claims if c.doc_index == left]
        rights_c = [c for c in cluster.claims if c.doc_index == right]
        if not lefts_c or not rights_c:
            continue
        a, b = claim_ref(report, lefts_c[0]), claim_ref(report, rights_c[0])
        if (a.start, b.start) in used:
            continue
        used.add((a.start, b.start))
        verdict = "differs" if _values_differ(a, b) else "agree"
        note = (f"values differ ({a.value!r} vs {b.value!r}); no rule fired" if verdict == "differs"
                else f"both state {a.value!r}")
        cluster_pairs.append(AlignedPair(a, b, verdict, None, note))
    out.extend(sorted(cluster_pairs, key=lambda p: p.verdict != "differs"))
    out.extend(_similar_sentences(report, left, right, used))
    return out[:max_pairs] if max_pairs > 0 else out


def _similar_sentences(
    report: Report, left: int, right: int, used: set[tuple[int, int]]
) -> list[AlignedPair]:
    """Sentence pairs with no shared fact key but many shared content words, best first."""
    doc_a, doc_b = report.documents[left], report.documents[right]
    side_a = [(s, content_words(s.text)) for s in report.sentences if s.doc_index == left]
    side_b = [(s, content_words(s.text)) for s in report.sentences if s.doc_index == right]
    scored = []
    for sa, wa in side_a:
        for sb, wb in side_b:
            if len(wa) >= 4 and len(wb) >= 4:
                score = jaccard(wa, wb)
                if score >= SIMILAR_SENTENCES:
                    scored.append((score, sa, sb))
    taken_a = {a for a, _ in used}
    taken_b = {b for _, b in used}
    out = []
    for score, sa, sb in sorted(scored, key=lambda t: (-t[0], t[1].start, t[2].start)):
        if sa.start in taken_a or sb.start in taken_b:
            continue
        taken_a.add(sa.start)
        taken_b.add(sb.start)
        refs = [
            ClaimRef(document=d.path, start=s.start, end=s.end, line=s.line, column=s.column, text=s.text,
                     key="", value="", value_start=s.start, value_end=s.start,
                     date=d.date.isoformat() if d.date else None, outlet=d.outlet)
            for d, s in ((doc_a, sa), (doc_b, sb))
        ]
        note = f"similar sentences (word overlap {score:.2f})"
        out.append(AlignedPair(refs[0], refs[1], "similar", None, note))
    return out


def pair_table(pair: AlignedPair, texts: Mapping[str, str], markers: bool) -> Table:
    """Two columns: each source's location, context before, the diffed sentence, context after."""
    table = Table(box=box.SQUARE, expand=True, show_lines=False, padding=(0, 1))
    table.add_column(Text(source_label(pair.left), style="bold"), ratio=1, overflow="fold")
    table.add_column(Text(source_label(pair.right), style="bold"), ratio=1, overflow="fold")
    seg_a, seg_b = pair_segments(pair.left, pair.right)
    before_a, after_a = context_of(texts.get(pair.left.document, ""), pair.left.start, pair.left.end)
    before_b, after_b = context_of(texts.get(pair.right.document, ""), pair.right.start, pair.right.end)
    if before_a or before_b:
        table.add_row(Text(clean_text(before_a), style="dim"), Text(clean_text(before_b), style="dim"))
    table.add_row(diff_text(seg_a, "left", value_span(pair.left), markers),
                  diff_text(seg_b, "right", value_span(pair.right), markers))
    if after_a or after_b:
        table.add_row(Text(clean_text(after_a), style="dim"), Text(clean_text(after_b), style="dim"))
    return table


def verdict_text(pair: AlignedPair) -> Text:
    """"FC101 person-name-conflict (error): message" or the agreement/difference note."""
    line = Text("verdict: ", style="bold")
    if pair.finding is not None:
        f = pair.finding
        line.append(f"{f.code} {f.rule} ({f.severity.value})", style=_severity_style(f.severity))
        line.append(f" {clean_text(f.message)}")
        if f.logic:
            line.append(f"\nwhy: {clean_text(f.logic)}", style="dim italic")
        line.append(f"\nfingerprint {f.fingerprint}", style="dim")
    else:
        line.append(pair.verdict, style=VERDICT_STYLE.get(pair.verdict, ""))
        if pair.note:
            line.append(f": {clean_text(pair.note)}")
    return line


def pair_view(pair: AlignedPair, texts: Mapping[str, str], markers: bool) -> Group:
    """One aligned pair: the two-column table and the verdict below it."""
    return Group(pair_table(pair, texts, markers), Padding(verdict_text(pair), (0, 0, 1, 1)))


def _legend(markers: bool) -> Text:
    if markers:
        return Text("[-words-] differ on the left · {+words+} differ on the right", style="dim")
    legend = Text("legend: ", style="dim")
    for tag, word in (("removed", "removed"), ("added", "added"), ("changed", "changed")):
        legend.append(word, style=STYLES[tag])
        legend.append(" ")
    legend.append("value", style=VALUE_STYLE)
    return legend


def use_markers(console: Console) -> bool:
    """Word-diff markers when the console draws no colour."""
    return console.no_color or console.color_system is None


def document_texts(report: Report) -> dict[str, str]:
    """Path -> text of every document in the report's corpus (for context lines)."""
    return {d.path: d.text for d in report.corpus.documents}


def texts_from_disk(findings: Sequence[Finding]) -> dict[str, str]:
    """Document texts for context lines, only where the file still matches the report's offsets."""
    texts: dict[str, str] = {}
    for finding in findings:
        for ref in finding.claims:
            if ref.document in texts:
                continue
            try:
                text = Path(ref.document).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if text[ref.start:ref.end] == ref.text:
                texts[ref.document] = text
    return texts


def render_diff(report: Report, console: Console, left: int = 0, right: int = 1, max_pairs: int = 20) -> None:
    """`factcheck diff A B`: every aligned claim of two documents, side by side."""
    markers = use_markers(console)
    pairs = align_documents(report, left, right, max_pairs=0)
    shown = pairs[:max_pairs] if max_pairs > 0 else pairs
    console.print(_legend(markers))
    if not pairs:
        console.print(Text("No aligned claims: the two documents share no fact.", style="yellow"))
    texts = document_texts(report)
    for pair in shown:
        console.print(pair_view(pair, texts, markers))
    counts = {v: sum(1 for p in pairs if p.verdict == v) for v in VERDICT_STYLE}
    footer = Text(f"{plural(len(pairs), 'aligned pair')}: ")
    footer.append(", ".join(f"{n} {v}" for v, n in counts.items() if n) or "none")
    if len(shown) < len(pairs):
        footer.append(f" · {len(pairs) - len(shown)} not shown (use --max-pairs 0)", style="dim")
    console.print(footer)


def render_finding(finding: Finding, console: Console, texts: Mapping[str, str] | None = None) -> None:
    """`factcheck show FINGERPRINT`: one finding's claims side by side, with the rule's verdict."""
    markers = use_markers(console)
    texts = texts or {}
    header = Text()
    header.append(f"{finding.severity.value.upper()} ", style=_severity_style(finding.severity))
    header.append(f"{finding.code} {finding.rule}", style="bold")
    header.append(f"  #{finding.fingerprint} · similarity {finding.similarity:.2f}", style="dim")
    if finding.confidence:
        header.append(f" · confidence {finding.confidence}", style="dim")
    console.print(header)
    console.print(Text(clean_text(finding.message)))
    if len(finding.sides) > 1:
        from factcheck.render.text import who_says

        console.print(who_says(finding))
    console.print(_legend(markers))
    for left, right in finding_pairs(finding):
        console.print(pair_view(AlignedPair(left, right, "conflict", finding), texts, markers))
    shown = {(c.document, c.start) for pair in finding_pairs(finding) for c in pair}
    rest = [c for c in finding.claims if (c.document, c.start) not in shown]
    if rest:
        console.print(Text("also stated in:", style="bold"))
        for ref in rest:
            console.print(Padding(Text(source_label(ref), style="bold"), (0, 0, 0, 2)))
            console.print(Padding(highlighted_sentence(ref, VALUE_STYLE), (0, 0, 0, 4)))


def _severity_style(severity: Severity) -> str:
    return {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "cyan"}[severity]


def match_fingerprint(findings: Iterable[Finding], prefix: str) -> list[Finding]:
    """Return findings whose fingerprint starts with `prefix` (case-insensitive), like git's short hashes."""
    prefix = prefix.strip().lower()
    return [f for f in findings if prefix and f.fingerprint.lower().startswith(prefix)]
