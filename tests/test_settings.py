"""Configuration discovery and validation: [tool.factcheck] / factcheck.toml, clear errors, CLI precedence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.errors import ConfigError
from factcheck.records import Severity
from factcheck.settings import find_config_file, load_settings

PYPROJECT = """
[project]
name = "newsroom"

[tool.factcheck]
include = ["*.md"]
exclude = ["drafts/*"]
select = ["fc1", "FC2"]
fail-on = "warning"
kb = "kb/facts.toml"
as-of = 2025-07-01
index = "build/fc-index"
baseline = "fc-baseline.json"
max_cluster_size = 12

[tool.factcheck.thresholds]
context = 0.85

[tool.factcheck.severity]
FC102 = "warning"

[tool.factcheck.role-synonyms]
"chief haggler" = "chief negotiator"

[tool.factcheck.name-aliases]
"Ryo Akazawa" = "Ryosei Akazawa"

[tool.factcheck.dates]
"a.md" = "2025-06-30"
"""


def test_pyproject_settings_are_found_upward_and_merged(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    deep = tmp_path / "articles" / "2025"
    deep.mkdir(parents=True)
    assert find_config_file(deep) == tmp_path / "pyproject.toml"
    settings = load_settings(start=deep)
    config = settings.config
    assert config.include == ("*.md",) and config.exclude == ("drafts/*",)
    assert config.select == ("FC1", "FC2")
    assert config.thresholds.context == 0.85 and config.thresholds.role == 0.80  # others keep defaults
    assert config.severity_overrides == {"FC102": Severity.WARNING}
    assert config.role_synonyms["chief haggler"] == "chief negotiator"
    assert config.role_synonyms["top negotiator"] == "chief negotiator"  # defaults kept
    assert config.name_aliases == {"Ryo Akazawa": "Ryosei Akazawa"}
    assert config.kb == str(tmp_path / "kb" / "facts.toml")  # relative to the file
    assert config.as_of == dt.date(2025, 7, 1) and config.dates == {"a.md": dt.date(2025, 6, 30)}
    assert config.max_cluster_size == 12
    assert settings.fail_on == "warning" and settings.index == tmp_path / "build" / "fc-index"
    assert settings.baseline == tmp_path / "fc-baseline.json"


def test_factcheck_toml_wins_and_sidecar_only_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "factcheck.toml").write_text('[documents."x.txt"]\ndate = 2025-01-02\n')  # a date sidecar only
    assert find_config_file(corpus) == tmp_path / "pyproject.toml"
    (tmp_path / "factcheck.toml").write_text('fail-on = "info"\n[documents."y.txt"]\ndate = 2025-01-03\n')
    assert find_config_file(corpus) == tmp_path / "factcheck.toml"
    assert load_settings(start=corpus).fail_on == "info"


def test_pyproject_without_a_table_is_not_a_configuration(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    found = find_config_file(tmp_path)
    assert found is None or tmp_path not in found.parents
    with pytest.raises(ConfigError, match=r"no \[tool.factcheck\] table"):
        load_settings(tmp_path / "pyproject.toml")


def test_explicit_missing_configuration_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_settings(tmp_path / "missing.toml")


def test_sidecars_feed_document_dates(tmp_path: Path) -> None:
    (tmp_path / "meta.toml").write_text('[documents."x.txt"]\ndate = 2025-02-03\noutlet = "Wire"\n')
    (tmp_path / "factcheck.toml").write_text('sidecars = ["meta.toml"]\n')
    assert load_settings(start=tmp_path).config.dates == {"x.txt": dt.date(2025, 2, 3)}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("colour = true", r"unknown key colour \(known keys: .*include"),
        ("[tool.factcheck]\nincludes = ['*.md']", r"unknown key tool\.factcheck\.includes"),
        ("include = 3", r"include: expected an array of strings"),
        ("fail-on = 'sometimes'", r"fail-on: expected one of error, warning, info, never, got 'sometimes'"),
        ("as-of = 'yesterday'", r"as-of: expected a date like 2025-07-01"),
        ("[thresholds]\ncontext = 'high'", r"thresholds\.context: expected a number between 0 and 1"),
        ("[thresholds]\ncontext = 1.5", r"thresholds\.context: expected a number between 0 and 1"),
        ("[thresholds]\nfuzzy = 0.5", r"thresholds\.fuzzy: unknown threshold"),
        ("[severity]\nFC101 = 'loud'", r"severity\.FC101: expected one of info, warning, error"),
        ("select = ['E501']", r"select: 'E501' is not a rule code"),
        ("max-cluster-size = 0", r"max-cluster-size: expected a positive integer"),
        ("role-synonyms = 'x'", r"role-synonyms: expected a table"),
        ("kb = = 1", r"invalid TOML"),
    ],
)
def test_bad_settings_name_the_key(tmp_path: Path, body: str, message: str) -> None:
    (tmp_path / "factcheck.toml").write_text(body + "\n")
    with pytest.raises(ConfigError, match=message):
        load_settings(start=tmp_path)


def test_cli_config_prints_effective_configuration_and_flags_win(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factcheck.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "factcheck.toml").write_text(
        'select = ["FC1"]\nembedder = "static"\n[thresholds]\ncontext = 0.9\n'
    )
    result = CliRunner().invoke(main, ["config"])
    assert result.exit_code == 0
    assert 'select = ["FC1"]' in result.output and "context = 0.9" in result.output
    assert str(tmp_path / "factcheck.toml") in result.output

    seen = {}

    def fake_check(paths, config, **kwargs):
        seen["config"] = config
        raise SystemExit(0)

    monkeypatch.setattr("factcheck.pipeline.check", fake_check)
    (tmp_path / "a.txt").write_text("Text.\n")
    CliRunner().invoke(main, ["check", "a.txt", "--select", "FC2"])
    assert seen["config"].select == ("FC2",)  # the flag wins
    assert (
        seen["config"].embedder == "static" and seen["config"].thresholds.context == 0.9
    )  # the file fills in


def test_cli_bad_configuration_exits_2_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from factcheck.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.factcheck]\nfail_on = 3\n")
    result = CliRunner().invoke(main, ["config"])
    assert result.exit_code == 2
    assert "tool.factcheck.fail_on: expected a string" in result.output and "Traceback" not in result.output
