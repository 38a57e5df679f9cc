"""Declared name aliases (`[tool.factcheck.name-aliases]`): one person under two names is no conflict.

Each fixture in fixtures/aliases/CODE/ produces CODE without aliases and nothing with the declared alias, so
every test below can fail in both directions.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from conftest import FIXTURES, FakeEmbedder

from factcheck.config import Config
from factcheck.corpus import Corpus
from factcheck.pipeline import check
from factcheck.records import PersonName
from factcheck.rules.base import RuleContext, aliased, fold_aliases
from factcheck.rules.roles import same_person
from factcheck.settings import load_settings

ALIASES = FIXTURES / "aliases"
KB = FIXTURES / "kb" / "japan-2025.toml"

CASES = [
    ("FC101", ALIASES / "FC101", {"Bibi Netanyahu": "Benjamin Netanyahu"}),
    ("FC102", FIXTURES / "rules" / "FC102" / "fires", {"Shinjirō Koizumi": "Shinjiro Koizumi"}),
    ("FC102", FIXTURES / "rules" / "FC102" / "fires-romanisation", {"Shinjirou Koizumi": "Shinjiro Koizumi"}),
    ("FC201", ALIASES / "FC201", {"Muto Yoji": "Yoji Muto"}),
    ("FC601", ALIASES / "FC601", {"Kato Katsunobu": "Katsunobu Kato"}),
]


def codes(directory: Path, aliases: Mapping[str, str]) -> set[str]:
    config = Config(use_cache=False, kb=str(KB), name_aliases=aliases)
    report = check([str(directory)], config, embedders=(FakeEmbedder(), None))
    return {f.code for f in report.findings}


def person(full: str) -> PersonName:
    words = full.split()
    return PersonName(full, " ".join(words[:-1]), words[-1].lower())


@pytest.mark.parametrize(("code", "directory", "aliases"), CASES, ids=[f"{c}-{d.name}" for c, d, _ in CASES])
def test_alias_silences_the_rule(code: str, directory: Path, aliases: dict[str, str]) -> None:
    assert code in codes(directory, {})
    assert codes(directory, aliases) == set()


def test_alias_is_case_accent_and_direction_insensitive() -> None:
    # declared canonical -> alias in the other order, with different case and accents: still one person
    assert codes(ALIASES / "FC101", {"benjamin NETANYAHU": "Bibi Netanyahu"}) == set()
    assert codes(ALIASES / "FC101", {"Bibi  Netanyahú": "Benjamin Netanyahu"}) == set()


def test_alias_to_someone_else_keeps_the_finding() -> None:
    # "Bibi" is declared to be another Netanyahu: Benjamin and Bibi are still two names for one role
    assert "FC101" in codes(ALIASES / "FC101", {"Bibi Netanyahu": "Benzion Netanyahu"})
    # an unrelated alias table changes nothing
    assert "FC101" in codes(FIXTURES / "rules" / "FC101" / "fires", {"Bibi Netanyahu": "Benjamin Netanyahu"})


def test_alias_makes_one_person_for_fc202() -> None:
    # two single-holder minister roles for "Katsunobu Kato" and "Kato Katsunobu": one person only by alias
    assert "FC202" not in codes(ALIASES / "FC202", {})
    config = Config(use_cache=False, name_aliases={"Kato Katsunobu": "Katsunobu Kato"})
    report = check([str(ALIASES / "FC202")], config, embedders=(FakeEmbedder(), None))
    assert [f.code for f in report.findings] == ["FC202"]
    assert set(report.findings[0].values) == {
        "Katsunobu Kato (finance minister)", "Kato Katsunobu (trade minister)",
    }


def test_aliases_from_the_configuration_file(tmp_path: Path) -> None:
    (tmp_path / "factcheck.toml").write_text(
        '[tool.factcheck.name-aliases]\n"Bibi Netanyahu" = "Benjamin Netanyahu"\n', encoding="utf-8"
    )
    config = load_settings(tmp_path / "factcheck.toml").config
    assert codes(ALIASES / "FC101", config.name_aliases) == set()


def test_fold_aliases_and_chains() -> None:
    table = fold_aliases(
        {"Bibi": "B. Netanyahu", "B. Netanyahu": "Benjamin Netanyahu", " Ryo  Akazawa": "Ryosei Akazawa"}
    )
    assert table["bibi"] == "benjamin netanyahu"  # one hop of a chain is followed
    assert table["benjamin netanyahu"] == "benjamin netanyahu"  # canonical names map to themselves
    assert table["ryo akazawa"] == "ryosei akazawa"
    assert fold_aliases(table) == table  # idempotent: RuleContext may be given a folded table


def test_same_person_and_context() -> None:
    table = fold_aliases({"Muto Yoji": "Yoji Muto"})
    assert not same_person(person("Muto Yoji"), person("Yoji Muto"))
    assert same_person(person("Muto Yoji"), person("Yoji Muto"), table)
    assert not same_person(person("Muto Yoji"), person("Koichi Ishiba"), table)
    assert not aliased(person("Yoji Muto"), person("Yoji Muto"), {})  # no table: nothing is aliased
    ctx = RuleContext(corpus=Corpus.of([]), name_aliases={"MUTO Yoji": "Yoji Mutō"})
    assert ctx.name_aliases == {"muto yoji": "yoji muto", "yoji muto": "yoji muto"}
    assert ctx.canonical_name(person("Muto Yoji")) == ctx.canonical_name(person("Yoji Muto"))
    assert ctx.same_by_alias(person("Muto Yoji"), person("Yoji Muto"))
