"""A hand-made Report for render tests: stable (no rules, no model) and full of hostile document text."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from factcheck.corpus import Corpus
from factcheck.records import (
    Claim,
    ClaimKind,
    ClaimRef,
    Document,
    FactCluster,
    Finding,
    PersonName,
    Report,
    Sentence,
    Severity,
)

SNAPSHOTS = Path(__file__).parent / "snapshots"

TEXT_A = (
    "Trade talks\n"
    "Tokyo relies on the United States for trade and security.\n"
    "Japan’s chief negotiator, Ryosei Akazawa, has flown to Washington seven times.\n"
    "Treasury Secretary Scott Bessent met him twice.\n"
)
TEXT_B = (
    "Tariffs\n"
    "On Tuesday, Akio Akazawa, Japan's chief negotiator, said the position is unchanged.\n"
    "Treasury Secretary Scott Bessent will hold talks.\n"
)
EVIL = (
    "Officials said [bold red]12%[/bold red] rose \x1b[31mred\x1b[0m "
    "\x1b]8;;http://evil.example\x07link\x1b]8;;\x07 <script>alert(1)</script> "
    "::set-env name=PATH::/tmp\n::error file=x::pwned [x](http://evil.example) | `tick` *star* & \u202egnp."
)
TEXT_C = "Leaked memo\n" + EVIL + "\n"

PATH_A = "news/a.txt"
PATH_B = "news/b.txt"
PATH_C = "news/evil,name:x <b>.txt"


def _doc(path: str, text: str, outlet: str | None, date: dt.date | None) -> Document:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Document(path=path, text=text, sha256=digest, date=date, outlet=outlet)


def _sentences(doc_index: int, text: str) -> list[Sentence]:
    out = []
    offset = 0
    for n, line in enumerate(text.split("\n")):
        if line.strip() and n > 0:
            out.append(Sentence(doc_index, len(out), offset, offset + len(line), n + 1, 1, line))
        offset += len(line) + 1
    return out


def _ref(doc: Document, sentence: Sentence, value: str, key: str) -> ClaimRef:
    start = doc.text.index(value, sentence.start)
    return ClaimRef(document=doc.path, start=sentence.start, end=sentence.end, line=sentence.line,
                    column=sentence.column, text=sentence.text, key=key, value=value, value_start=start,
                    value_end=start + len(value), date=doc.date.isoformat() if doc.date else None,
                    outlet=doc.outlet)


def _claim(cid: int, doc: Document, sentence: Sentence, value: str, key: str, role: str) -> Claim:
    start = doc.text.index(value, sentence.start)
    words = value.split()
    return Claim(id=cid, kind=ClaimKind.ROLE, doc_index=sentence.doc_index, sentence_index=sentence.index,
                 key=key,
                 value_text=value, value_start=start, value_end=start + len(value),
                 value=PersonName(value, " ".join(words[:-1]), words[-1].lower()), role=role)


def sample_report() -> Report:
    """Three documents, two clusters, three findings (one of them made of hostile text)."""
    docs = (
        _doc(PATH_A, TEXT_A, "Cryptopolitan", dt.date(2025, 7, 1)),
        _doc(PATH_B, TEXT_B, "SMM", dt.date(2025, 5, 20)),
        _doc(PATH_C, TEXT_C, None, None),
    )
    sa, sb, sc = (_sentences(i, d.text) for i, d in enumerate(docs))
    sentences = tuple(sa + sb + sc)
    claims = (
        _claim(0, docs[0], sa[1], "Ryosei Akazawa", "japan chief negotiator", "chief negotiator"),
        _claim(1, docs[1], sb[0], "Akio Akazawa", "japan chief negotiator", "chief negotiator"),
        _claim(2, docs[0], sa[2], "Scott Bessent", "treasury secretary", "treasury secretary"),
        _claim(3, docs[1], sb[1], "Scott Bessent", "treasury secretary", "treasury secretary"),
    )
    clusters = (
        FactCluster("F0001", (claims[0], claims[1]), 0.75, ((0, 1, 0.75),)),
        FactCluster("F0002", (claims[2], claims[3]), 0.97, ((2, 3, 0.97),)),
    )
    evil_ref = ClaimRef(document=PATH_C, start=12, end=12 + len(EVIL), line=2, column=1, text=EVIL,
                        key="officials said rose", value="[bold red]12%", value_start=27, value_end=40)
    findings = (
        Finding(
            code="FC101", rule="person-name-conflict", severity=Severity.ERROR,
            message="'Ryosei Akazawa' (a.txt (Cryptopolitan, 2025-07-01)) and 'Akio Akazawa' (b.txt (SMM, "
                    "2025-05-20)) name the same person (chief negotiator) with different given names",
            values=("Ryosei Akazawa", "Akio Akazawa"),
            claims=(_ref(docs[0], sa[1], "Ryosei Akazawa", "japan chief negotiator"),
                    _ref(docs[1], sb[0], "Akio Akazawa", "japan chief negotiator")),
            cluster="F0001", similarity=0.75, fingerprint="48e620a1be901751",
            logic="same surname 'akazawa', given names 'Ryosei' vs 'Akio' differ (not a spelling variant)",
        ),
        Finding(
            code="FC301", rule="number-conflict", severity=Severity.WARNING,
            message="[bold red]12%[/bold red] vs 15% <script>alert(1)</script>\n::set-env name=X::1",
            values=("[bold red]12%", "15%"),
            claims=(evil_ref, _ref(docs[0], sa[0], "United States", "relies on")),
            cluster="F0003", similarity=0.9, fingerprint="0badc0ffee000001",
            logic="\x1b[2Jcleared screen",
        ),
        Finding(
            code="FC902", rule="superseded-note", severity=Severity.INFO, message="a later report updates it",
            values=("Scott Bessent",),
            claims=(_ref(docs[0], sa[2], "Scott Bessent", "treasury secretary"),
                    _ref(docs[1], sb[1], "Scott Bessent", "treasury secretary")),
            cluster="F0002", similarity=0.97, fingerprint="1111222233334444",
        ),
    )
    return Report(corpus=Corpus.of(docs, sentences, claims), findings=findings, clusters=clusters,
                  timings={"segment": 0.01}, embedder="fake-hash-256")


def check_snapshot(name: str, actual: str) -> None:
    """Compare with tests/snapshots/NAME; FACTCHECK_UPDATE_SNAPSHOTS=1 rewrites it."""
    path = SNAPSHOTS / name
    if os.environ.get("FACTCHECK_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"missing snapshot {path}; run with FACTCHECK_UPDATE_SNAPSHOTS=1 to create it"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from its snapshot (FACTCHECK_UPDATE_SNAPSHOTS=1 to accept)"
