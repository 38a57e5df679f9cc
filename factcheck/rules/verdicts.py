"""Verdicts: one finding per disputed fact, with corroboration, updates over time and a stable identity.

Rules judge pairs of claims; a reader wants one verdict per fact.  `group_findings` merges the
pairwise findings about one fact (sharing a claim, or a name dispute with the same values) into a
finding that lists each distinct value with the sources that state it (`Side`), then:

* **updates** — when the fact evolves (a running tally, a status, a day count; see
  `factcheck.extract.evolving`) the values are not a conflict but an update: FC901 `superseded` when
  the sides' sources are dated apart in order, FC903 `possible-update` when they are undated or
  published the same day.  The `updates` setting chooses how loud these are: "note" (info, the
  default), "warn" (warning) or "conflict" (left as the conflict the rules reported);
* **corroboration** — the message says how many sources state each value ("2 sources say 'Ryosei
  Akazawa', 1 says 'Akio Akazawa'") and which value the knowledge base confirms;
* **severity follows the evidence** — an exact disagreement stays an error, a single source against
  three or more becomes a warning (a likely outlier), variants and updates are info; the confidence
  (high / medium / low) says in words why;
* **identity** — the fingerprint hashes the rule family, the fact's anchor words and the folded set of
  values: not line numbers, not the run, not which documents were checked together, so `check`,
  `diff`, `show`, baselines and a corpus that grows all name one conflict alike.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from rapidfuzz import fuzz

from factcheck.extract.evolving import is_tally
from factcheck.extract.text import content_words
from factcheck.records import ClaimRef, Document, Finding, Severity, Side
from factcheck.rules.base import REGISTRY

UPDATES = ("note", "warn", "conflict")
PASS_THROUGH = {"FC902"}  # meta findings (unused suppressions) are about a directive, not a fact
NEVER_EVOLVES = {"FC103"}  # a place does not move; names and trusted facts: `supersedable=False` rules
NEAR_COPY = 0.7  # Jaccard of word 5-gram sets above which two documents are one source
VALUES_NAME_THE_FACT = {"FC1", "FC2"}  # families whose values (people, places) identify the dispute
STATUS_LIKE = {"FC5", "FC9"}  # polarity/antonym conflicts and status changes (FC904) about the same sentences
MANY = 3  # a single source against this many is an outlier, not a same-weight disagreement


@dataclass
class _Group:
    findings: list[Finding]


def _value_key(value: str) -> str:
    """Case, quotes and spacing folded; accents kept (they are what a spelling-variant note is about)."""
    return " ".join(unicodedata.normalize("NFC", value).casefold().replace("’", "'").split())


class NearCopies:
    """Which documents are near-copies of one text (syndication), so they count as one source."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self._text = {d.path: d.text for d in documents}
        self._shingles: dict[str, frozenset[int]] = {}
        self._root: dict[str, str] = {}

    def _of(self, path: str) -> frozenset[int]:
        found = self._shingles.get(path)
        if found is None:
            words = re.findall(r"[a-z]+", self._text.get(path, "").lower())
            found = frozenset(hash(" ".join(words[i:i + 5])) for i in range(max(0, len(words) - 4)))
            self._shingles[path] = found
        return found

    def same(self, a: str, b: str) -> bool:
        """Check whether two documents are near-copies (most of their word 5-grams shared)."""
        sa, sb = self._of(a), self._of(b)
        if not sa or not sb:
            return a == b
        return len(sa & sb) / len(sa | sb) >= NEAR_COPY

    def sources(self, paths: Sequence[str]) -> int:
        """Count independent sources among documents: near-copies count once."""
        reps: list[str] = []
        for path in paths:
            if not any(self.same(path, rep) for rep in reps):
                reps.append(path)
        return len(reps)


def _union_groups(findings: Sequence[Finding]) -> list[list[Finding]]:
    parent = list(range(len(findings)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[object, int] = {}
    for i, finding in enumerate(findings):
        keys: list[object] = []
        if finding.code[:3] in VALUES_NAME_THE_FACT:  # the same two names are one dispute wherever stated
            keys.append(("values", finding.code[:3], frozenset(_value_key(v) for v in finding.values)))
        # findings that share a claim are about one fact (a claim has one key); this depends only on the
        # findings, not on how the linker happened to partition its clusters
        keys.extend(("claim", finding.code[:3], r.document, r.start, r.value_start) for r in finding.claims)
        if finding.code[:3] in STATUS_LIKE:
            # a polarity or antonym conflict between the very sentences of a status change ("has yet to
            # endorse" / "endorsed") is that status change
            keys.append(("sentences", frozenset((r.document, r.start) for r in finding.claims)))
        for key in keys:
            if key in first:
                parent[find(i)] = find(first[key])
            else:
                first[key] = i
    groups: dict[int, list[Finding]] = {}
    for i, finding in enumerate(findings):
        groups.setdefault(find(i), []).append(finding)
    return list(groups.values())


def _side_of(ref: ClaimRef, values: Sequence[str]) -> int | None:
    """Return the index of the value a claim states.

    Exact (folded), else the one value containing it or close in spelling; None when the claim could
    state several values (a bare surname) or none of them.
    """
    key = _value_key(ref.value)
    keys = [_value_key(v) for v in values]
    if key in keys:
        return keys.index(key)
    containing = [n for n, k in enumerate(keys) if k and (k in key or key in k)]
    if len(containing) == 1:
        return containing[0]
    if containing:
        return None
    scores = [fuzz.ratio(key, k) for k in keys]
    best = max(scores, default=0.0)
    return scores.index(best) if best >= 80 and scores.count(best) == 1 else None


def _as_written(ref: ClaimRef, hole: bool = False) -> str:
    """Return the key as the sentence writes it; with `hole`, the value shown as "…"."""
    a, b = ref.key_start - ref.start, ref.key_end - ref.start
    if not 0 <= a < b <= len(ref.text):
        return ref.key
    va, vb = ref.value_start - ref.start, ref.value_end - ref.start
    if hole and a <= va < vb <= b:
        return f"{ref.text[a:va].rstrip()} … {ref.text[vb:b].lstrip()}".strip()
    return ref.text[a:b]


def fact_label(refs: Sequence[ClaimRef], limit: int = 70, written: bool = False) -> str:
    """Label the fact readably: the key as the sentence writes it, the value shown as "…", trimmed.

    Short keys (a role: "trade minister") are used as they are.  `written`: the words as written
    without a hole (polarity keys have their negation removed, which would reverse a quote's meaning).
    """
    keys = [_as_written(r) if written else _as_written(r, hole=True) if len(r.key.split()) > 3 else r.key
            for r in refs if r.key]
    if not keys:
        return ""
    # the shortest readable key, preferring one that names who it is about ("stage of 'sign' (Ellen Marwick)")
    key = " ".join(min(keys, key=lambda k: (len(k) > limit, not k.endswith(")"), len(k))).split())
    key = re.sub(r"…\s+([,.;:])", r"…\1", key)
    key = key.strip(" ,;:")
    if len(key) > limit:
        key = key[:limit].rsplit(" ", 1)[0] + "…"
    return key


def _anchor(refs: Sequence[ClaimRef]) -> str:
    """Return the fact's anchor words: content words most documents' keys share (stable as documents grow)."""
    per_doc: dict[str, set[str]] = {}
    for ref in refs:
        per_doc.setdefault(ref.document, set()).update(content_words(ref.key))
    counts = Counter(w for words in per_doc.values() for w in words)
    return " ".join(sorted(w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]))


def group_fingerprint(code: str, refs: Sequence[ClaimRef], values: Sequence[str]) -> str:
    """Stable id of a disputed fact: rule family, anchor words and the folded set of values."""
    family = code[:3]
    anchor = "" if family in {"FC1", "FC2"} else _anchor(refs)  # names and roles: the values say enough
    vals = sorted({_value_key(v) for v in values})
    return hashlib.sha256("\x1f".join([family, anchor, "\x1e", *vals]).encode("utf-8")).hexdigest()[:16]


def _who(ref: ClaimRef) -> str:
    name = ref.outlet or ref.document.replace("\\", "/").rsplit("/", 1)[-1]
    return f"{name} ({ref.date})" if ref.date else name


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def corroboration(sides: Sequence[Side]) -> str:
    """"2 sources say 'Ryosei Akazawa', 1 says 'Akio Akazawa'"."""
    parts = []
    for n, side in enumerate(sides):
        verb = ("source says" if side.sources == 1 else "sources say") if n == 0 else (
            "says" if side.sources == 1 else "say")
        parts.append(f"{side.sources} {verb} {side.value!r}")
    return ", ".join(parts)


def _evolves(findings: Sequence[Finding], refs: Sequence[ClaimRef]) -> bool:
    codes = {f.code for f in findings}
    if codes & NEVER_EVOLVES or any(c in REGISTRY and not REGISTRY[c].supersedable for c in codes):
        return False
    if "FC904" in codes or "FC901" in codes:
        return True
    if any(c.startswith("FC3") for c in codes):
        return any(is_tally(r.key) for r in refs)
    return False


def _timeline(sides: Sequence[Side], refs: Sequence[ClaimRef]) -> tuple[tuple[str, str], ...]:
    points = {(refs[i].date or "", side.value) for side in sides for i in side.claims}
    return tuple(sorted(points))


def _dated_apart(sides: Sequence[Side], refs: Sequence[ClaimRef]) -> bool:
    """Every claim dated, and each side's dates all before or all after every other side's."""
    spans = []
    for side in sides:
        dates = [refs[i].date for i in side.claims]
        if not dates or any(d is None for d in dates):
            return False
        spans.append((min(d for d in dates if d), max(d for d in dates if d)))
    spans.sort()
    return all(a[1] < b[0] for a, b in pairwise(spans))


def _build(
    findings: list[Finding], near: NearCopies, updates: str, kb: Mapping[tuple[str, int], str] | None = None
) -> Finding:
    findings.sort(key=lambda f: (-f.severity.rank, f.code, -len(f.claims)))
    lead = findings[0]
    values: list[str] = []
    for finding in findings:
        for value in finding.values:
            if _value_key(value) not in {_value_key(v) for v in values}:
                values.append(value)
    refs: list[ClaimRef] = []
    seen: set[tuple[str, int, int]] = set()
    for finding in findings:
        for ref in finding.claims:
            key = (ref.document, ref.start, ref.value_start)
            if key not in seen:
                seen.add(key)
                refs.append(ref)
    refs.sort(key=lambda r: (r.date or "9999", r.document, r.start))
    members: dict[int, list[int]] = {}
    for n, ref in enumerate(refs):
        side = _side_of(ref, values)
        if side is not None:
            members.setdefault(side, []).append(n)
    sides = []
    for v, claim_ids in members.items():
        docs = tuple(dict.fromkeys(refs[i].document for i in claim_ids))
        sides.append(Side(values[v], tuple(claim_ids), docs, near.sources(docs)))
    sides.sort(key=lambda s: (-s.sources, -len(s.documents), _value_key(s.value)))
    codes = tuple(sorted({f.code for f in findings}))
    label = fact_label(refs, written=lead.code.startswith("FC5"))
    kb_values = list(dict.fromkeys(
        [f.values[-1] for f in findings if f.code.startswith("FC6") and f.values]
        + [kb[(r.document, r.start)] for r in refs if kb and (r.document, r.start) in kb]))
    code, severity = lead.code, lead.severity
    logic = "; ".join(dict.fromkeys(f"{f.code}: {f.logic}" for f in findings if f.logic))
    timeline: tuple[tuple[str, str], ...] = ()
    summary = corroboration(sides)
    if len(sides) > 1 and updates != "conflict" and _evolves(findings, refs):
        timeline = _timeline(sides, refs)
        first_seen = {v: n for n, (_, v) in reversed(list(enumerate(timeline)))}
        sides.sort(key=lambda s: first_seen.get(s.value, len(timeline)))  # an update reads in date order
        loud = Severity.WARNING if updates == "warn" else Severity.INFO
        if _dated_apart(sides, refs):
            code = "FC901"
            steps = " → ".join(f"{v!r} ({d})" for d, v in timeline)
            replaced = ", ".join(sorted({c for c in re.findall(r"\[(FC\d+)\]", lead.message)}
                                        | {c for c in codes if not c.startswith("FC9")}))
            message = f"superseded by a later report: {steps}" + (f" [{replaced}]" if replaced else "")
            why = "the value of an evolving fact changed between reports of different dates"
        else:
            code = "FC903"
            message = f"possible update (same day or undated): {summary}"
            why = "the value of an evolving fact differs between reports not dated apart"
        severity = loud if lead.severity.rank >= loud.rank or code == "FC903" else lead.severity
        confidence, confidence_why = "low", why
    elif lead.code.startswith("FC6"):
        message = lead.message
        confidence, confidence_why = "high", "the knowledge base, a trusted source, states another value"
    else:
        said = summary if len(sides) > 1 else lead.message  # no sides when the values are not the claims'
        message = said + (f"; the knowledge base says {kb_values[0]!r}" if kb_values else "")
        if severity is Severity.ERROR and len(sides) > 1 and sides[0].sources >= MANY and all(
                s.sources == 1 for s in sides[1:]):
            severity = Severity.WARNING
            confidence, confidence_why = "medium", (
                f"a single source against {sides[0].sources}: more likely an outlier than a dispute")
        elif severity is Severity.ERROR:
            confidence, confidence_why = "high", "sources disagree on an exact value of the same fact"
        elif severity is Severity.WARNING:
            confidence, confidence_why = "medium", "a soft disagreement (approximate or partial values)"
        else:
            confidence, confidence_why = "low", "a variant or note, not a disagreement"
    if label:
        message = f"{label}: {message}"
    rule_name = REGISTRY[code].name if code in REGISTRY else lead.rule
    return replace(
        lead, code=code, rule=rule_name, severity=severity, message=message, values=tuple(values),
        claims=tuple(refs), fingerprint=group_fingerprint(lead.code, refs, values), logic=logic, fact=label,
        sides=tuple(sides), confidence=confidence, confidence_why=confidence_why, timeline=timeline,
        codes=codes, confirmed=kb_values[0] if kb_values else "",
    )


def group_findings(
    findings: Sequence[Finding], documents: Sequence[Document], updates: str = "note",
    overrides: Mapping[str, Severity] | None = None,
) -> list[Finding]:
    """One finding per disputed fact, in a stable order (loudest first)."""
    near = NearCopies(documents)
    kb = {(r.document, r.start): f.values[-1] for f in findings if f.code.startswith("FC6") and f.values
          for r in f.claims}
    out = [f for f in findings if f.code in PASS_THROUGH or not f.claims]
    rest = [f for f in findings if f.code not in PASS_THROUGH and f.claims]
    for group in _union_groups(rest):
        built = _build(group, near, updates, kb)
        if overrides and built.code in overrides:
            built = replace(built, severity=overrides[built.code])
        out.append(built)
    return sorted(out, key=lambda f: (-f.severity.rank, f.code, f.claims[0].document if f.claims else "",
                                      f.claims[0].start if f.claims else 0, f.fingerprint))
