"""The rule registry kept honest: every rule has a docs page, a fires/quiet fixture pair, and both behave.

Fixtures live in fixtures/rules/CODE/: every directory whose name starts with `fires` must produce CODE
(with the rule's default severity), every one starting with `quiet` must not.  Each is checked with the
deterministic fake embedder and the demo knowledge base, so FC601 has something to check against.

Known gaps of the current extractors/rules are `xfail(strict=True)` in KNOWN_GAPS: when the logic is
fixed the test XPASSes, fails, and the entry must be removed.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, FakeEmbedder

from factcheck.config import Config
from factcheck.pipeline import check
from factcheck.records import Report, Severity
from factcheck.rules import REGISTRY

RULE_FIXTURES = FIXTURES / "rules"
DOCS = ROOT / "docs" / "rules"
KB = FIXTURES / "kb" / "japan-2025.toml"
SECTIONS = ("What it does", "Why it matters", "Example (fires)", "Example (does not fire)", "Configuration")

KNOWN_GAPS: dict[tuple[str, str], str] = {}

# The values a fires case must report (order-insensitive), for the cases that state them.
EXPECTED_VALUES = {
    ("FC101", "fires"): {"Ryosei Akazawa", "Akio Akazawa"},
    ("FC102", "fires"): {"Shinjiro Koizumi", "Shinjirō Koizumi"},
    ("FC102", "fires-romanisation"): {"Shinjiro Koizumi", "Shinjirou Koizumi"},
    ("FC103", "fires"): {"Paris", "Havana"},
    ("FC201", "fires"): {"Koichi Ishiba", "Yoji Muto"},
    ("FC301", "fires"): {"25%", "20%"},
    ("FC401", "fires"): {"Tuesday", "Thursday"},
    ("FC501", "fires"): {"affirmed", "negated"},
    ("FC502", "fires"): {"convicted", "acquitted"},
    ("FC601", "fires"): {"Shunichi Suzuki", "Katsunobu Kato"},
    ("FC901", "fires"): {"$35,000", "$60,000"},
    ("FC903", "fires"): {"12", "19"},
    ("FC904", "fires"): {"planned or expected", "done"},
    ("FC902", "fires"): {"FC401"},
    # extraction coverage and names (issue #11 parts 2 and 3)
    ("FC101", "fires-misspelt"): {"Stacy Lanford", "Stacey Lanford"},
    ("FC101", "fires-surname-only"): {"Mark Lanford", "Mark Lansford"},
    ("FC101", "fires-given-only"): {"Stacy", "Stacey"},
    ("FC101", "fires-same-sibling"): {"Owen Brightwater", "Oscar Brightwater"},
    ("FC103", "fires-gazetteer"): {"Little Rock", "Fort Smith"},
    # names linked by the other values their sentences share (link/shared_values.py)
    ("FC101", "fires-shared-values"): {"Maria Okonkwo", "Grace Okonkwo"},
    ("FC103", "fires-shared-values"): {"Hartford", "Stamford"},
    ("FC104", "fires"): {"Parris Island", "Paris Island"},
    ("FC503", "fires"): {"proposal", "timetable"},
    ("FC203", "fires"): {"Carl Dunmore (former assistant district attorney)",
                         "Carl Dunmore (former district attorney)"},
    ("FC103", "fires-appositive"): {"Lisbon", "Madrid"},
    ("FC204", "fires"): {"younger sister", "older sister"},
    ("FC204", "fires-unnamed"): {"younger sister", "older sister"},
    ("FC504", "fires"): {"before the fire", "during the fire"},
    ("FC504", "fires-two-nouns"): {"before the blaze", "during the fire"},
    ("FC504", "fires-clause"): {"before the fire", "during the fire"},
    ("FC201", "fires-title-inside"): {"Karl Brandt", "Lena Vogt"},
    ("FC201", "fires-wrapped"): {"Koichi Ishiba", "Yoji Muto"},
    ("FC301", "fires-scale-word"): {"$13.7B", "$11.2B"},
    ("FC301", "fires-clock"): {"4:10 p.m.", "4:30 p.m."},
    ("FC301", "fires-units"): {"5 km", "5 miles"},
    ("FC301", "fires-space-thousands"): {"1 557", "1,575"},
    ("FC301", "fires-label-list"): {"192", "129"},
    ("FC301", "fires-duration"): {"more than three months", "eight weeks"},
    ("FC301", "fires-number-words"): {"Six", "A dozen"},
    ("FC301", "fires-reworded-act"): {"about $40,000", "some $75,000"},
    ("FC301", "fires-cited-figure"): {"$90 million", "$120 million"},
    ("FC501", "fires-complement"): {"affirmed", "negated"},
    ("FC501", "fires-complement-no-object"): {"affirmed", "negated"},
    ("FC401", "fires-year-range"): {"from 1967 to 1979", "from 1967 to 1981"},
    ("FC401", "fires-vague"): {"mid-May 2024", "May 2, 2024"},
    ("FC401", "fires-relative"): {"last week", "April 2"},
}


# Settings a rule's fixtures run with: FC904 is reported as itself only when updates are conflicts
# (with the default `updates = "note"` the verdict stage turns it into FC901/FC903).
FIXTURE_SETTINGS: dict[str, dict[str, object]] = {"FC904": {"updates": "conflict"},
                                                 # reports years apart are compared only across stories
                                                 "FC202": {"across_stories": True}}


def run_fixture(directory: Path, **overrides: object) -> Report:
    config = Config(use_cache=False, kb=str(KB), **overrides)  # type: ignore[arg-type]
    return check([str(directory)], config, embedders=(FakeEmbedder(), None))


def fixture_cases() -> list[object]:
    cases: list[object] = []
    for code in sorted(REGISTRY):
        folder = RULE_FIXTURES / code
        if not folder.is_dir():
            continue  # test_rule_has_fixture_pair reports it
        for case in sorted(p.name for p in folder.iterdir() if p.is_dir()):
            if not case.startswith(("fires", "quiet")):
                continue
            marks = []
            if (code, case) in KNOWN_GAPS:
                marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[(code, case)]))
            cases.append(pytest.param(code, case, marks=marks, id=f"{code}-{case}"))
    return cases


# --------------------------------------------------------------------------- the registry


def test_registry_is_complete_and_well_formed() -> None:
    assert len(REGISTRY) >= 11
    names = [r.name for r in REGISTRY.values()]
    assert len(set(names)) == len(names)
    for code, registered in REGISTRY.items():
        assert re.fullmatch(r"FC\d{3}", code), code
        assert registered.code == code
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", registered.name), registered.name
        assert isinstance(registered.severity, Severity)
        assert registered.summary and registered.summary != registered.name


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_rule_has_docs_page(code: str) -> None:
    page = DOCS / f"{code}.md"
    assert page.is_file(), f"missing {page.relative_to(ROOT)}"
    text = page.read_text(encoding="utf-8")
    registered = REGISTRY[code]
    assert text.startswith(f"# {code} {registered.name}\n")
    assert f"Default severity: **{registered.severity.value}**" in text
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert tuple(headings) == SECTIONS, headings
    bodies = re.split(r"^## .+$", text, flags=re.MULTILINE)[1:]
    for heading, body in zip(SECTIONS, bodies, strict=True):
        assert len(body.split()) >= 10, f"{code}: section {heading!r} is nearly empty"


def test_docs_index_lists_every_rule() -> None:
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    for code, registered in REGISTRY.items():
        row = next((line for line in index.splitlines() if line.startswith(f"| [{code}]")), None)
        assert row is not None, f"{code} missing from docs/rules/README.md"
        assert f"({code}.md)" in row and registered.name in row and registered.severity.value in row
        assert registered.summary in row


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_rule_has_fixture_pair(code: str) -> None:
    for case in ("fires", "quiet"):
        folder = RULE_FIXTURES / code / case
        for name in ("a.txt", "b.txt"):
            document = folder / name
            assert document.is_file(), f"missing {document.relative_to(ROOT)}"
            text = document.read_text(encoding="utf-8")
            sentences = len(re.findall(r"[.!?](?:\s|$)", text))
            assert 1 <= sentences <= 5, f"{document.relative_to(ROOT)}: {sentences} sentences"


# --------------------------------------------------------------------------- fixtures behave


@pytest.mark.parametrize(("code", "case"), fixture_cases())
def test_rule_fixture(code: str, case: str) -> None:
    report = run_fixture(RULE_FIXTURES / code / case, **FIXTURE_SETTINGS.get(code, {}))
    hits = [f for f in report.findings if f.code == code]
    found = [(f.code, f.severity.value, f.values) for f in report.findings]
    if case.startswith("quiet"):
        assert hits == [], f"{code} fired on a near miss: {found}"
        return
    assert hits, f"{code} did not fire; findings: {found}"
    assert all(f.severity is REGISTRY[code].severity for f in hits)
    assert all(f.rule == REGISTRY[code].name and f.claims and f.message for f in hits)
    expected = EXPECTED_VALUES.get((code, case))
    if expected is not None:
        assert any(set(f.values) == expected for f in hits), [f.values for f in hits]


def test_superseded_update_is_a_note_not_an_error() -> None:
    fires = run_fixture(RULE_FIXTURES / "FC901" / "fires")
    assert [f.code for f in fires.findings] == ["FC901"]
    assert "[FC301]" in fires.findings[0].message
    # the same pair without update wording stays a quantity conflict
    quiet = run_fixture(RULE_FIXTURES / "FC901" / "quiet")
    assert [(f.code, f.severity) for f in quiet.findings] == [("FC301", Severity.ERROR)]


def test_role_holders_months_apart_still_conflict() -> None:
    folder = RULE_FIXTURES / "FC201" / "quiet-years-apart"
    years_apart = run_fixture(folder)
    assert "FC201" not in {f.code for f in years_apart.findings}
    # the same two documents dated April and July of one year: one of them names the wrong minister
    months_apart = run_fixture(folder, dates={"a.txt": dt.date(2025, 4, 11), "b.txt": dt.date(2025, 7, 1)})
    hits = [f for f in months_apart.findings if f.code == "FC201"]
    assert [set(f.values) for f in hits] == [{"Shunichi Suzuki", "Katsunobu Kato"}]


def test_kb_near_miss_is_silent_for_every_rule() -> None:
    # Suzuki (2023, before the KB's 2025 cabinet) and Kato (2025): neither FC601 nor FC201 fires
    assert run_fixture(RULE_FIXTURES / "FC601" / "quiet").findings == ()


def test_used_suppression_hides_the_finding() -> None:
    report = run_fixture(RULE_FIXTURES / "FC902" / "quiet")
    assert [f.code for f in report.findings] == []
    unsuppressed = run_fixture(RULE_FIXTURES / "FC301" / "fires")
    assert "FC301" in {f.code for f in unsuppressed.findings}


def test_kb_rule_needs_a_kb() -> None:
    with_kb = run_fixture(RULE_FIXTURES / "FC601" / "fires")
    assert "FC601" in {f.code for f in with_kb.findings}
    without = check([str(RULE_FIXTURES / "FC601" / "fires")], Config(use_cache=False),
                    embedders=(FakeEmbedder(), None))
    assert "FC601" not in {f.code for f in without.findings}


def test_select_ignore_and_severity_overrides() -> None:
    folder = RULE_FIXTURES / "FC201" / "fires"  # FC201 and FC601 (the KB disagrees with Koichi Ishiba)
    assert {f.code for f in run_fixture(folder).findings} == {"FC201", "FC601"}
    assert {f.code for f in run_fixture(folder, select=("FC2",)).findings} == {"FC201"}
    assert {f.code for f in run_fixture(folder, ignore=("FC201",)).findings} == {"FC601"}
    softened = run_fixture(folder, severity_overrides={"FC201": Severity.WARNING})
    assert {(f.code, f.severity) for f in softened.findings} == {("FC201", Severity.WARNING),
                                                                  ("FC601", Severity.ERROR)}


def test_fixture_findings_are_deterministic() -> None:
    folder = RULE_FIXTURES / "FC101" / "fires"
    first, second = run_fixture(folder), run_fixture(folder)
    assert [f.fingerprint for f in first.findings] == [f.fingerprint for f in second.findings]
    assert first.findings


def test_policy_lives_in_the_registration() -> None:
    never_superseded = {code for code, r in REGISTRY.items() if not r.supersedable}
    # names, birth order, quotes, the order of events, trusted facts
    assert never_superseded == {"FC101", "FC102", "FC104", "FC204", "FC503", "FC504", "FC601"}
    assert {code for code, r in REGISTRY.items() if r.one_per_name} == {"FC101", "FC102", "FC104"}


def test_each_finding_keeps_the_claims_it_was_made_from() -> None:
    from factcheck.link.cluster import build_clusters
    from factcheck.link.gates import link_claims
    from factcheck.pipeline import analyse
    from factcheck.read.ingest import load_documents
    from factcheck.rules import RuleContext, run_rules

    config = Config(use_cache=False)
    corpus = analyse(load_documents([str(RULE_FIXTURES / "FC201" / "fires")]), config)
    pairs = link_claims(corpus.claims, corpus.sentence_index, FakeEmbedder(), None, config, corpus.texts)
    ctx = RuleContext(corpus=corpus)
    findings = run_rules(build_clusters(corpus.claims, pairs, config.max_cluster_size), ctx)
    assert findings
    for finding in findings:
        claims = ctx.claims_of(finding)
        assert tuple(corpus.ref(c) for c in claims) == finding.claims
