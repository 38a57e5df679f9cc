"""Project configuration: `[tool.factcheck]` in pyproject.toml or a `factcheck.toml`, found upward from cwd.

The first directory (from the working directory up to the root) that holds a `factcheck.toml` with
settings, or a `pyproject.toml` with a `[tool.factcheck]` table, wins (factcheck.toml first).  A
`factcheck.toml` that only has `[documents."NAME"]` tables is a date sidecar, not a configuration.
Keys are kebab-case (`as-of`; `as_of` is accepted too).  Unknown keys and wrong types raise
ConfigError naming the key; relative paths (kb, sidecars, index, baseline) are relative to the file.

Example::

    [tool.factcheck]
    include = ["articles/**/*.md"]
    exclude = ["drafts/*"]
    select = ["FC1", "FC2"]
    ignore = ["FC502"]
    fail-on = "warning"
    kb = "kb/facts.toml"
    as-of = 2025-07-01
    updates = "note"          # evolving facts that changed: note | warn | conflict
    across-stories = false    # compare documents of different stories too
    index = ".factcheck"
    baseline = "factcheck-baseline.json"
    sidecars = ["meta/dates.toml"]
    max-file-size = 20971520        # bytes per document
    skip-unreadable = false         # true: warn about unreadable paths instead of exit 2
    docs-url = "https://example.org/factcheck/docs/rules"  # rule links in reports (none unless set)

    syntax = true    # frames from the dependency parse; false: word-window keys only

    [tool.factcheck.thresholds]
    context = 0.82

    [tool.factcheck.severity]
    FC102 = "warning"

    [tool.factcheck.role-synonyms]
    "top negotiator" = "chief negotiator"

    [tool.factcheck.name-aliases]
    "Ryo Akazawa" = "Ryosei Akazawa"

    [tool.factcheck.dates]
    "articles/a.md" = 2025-06-30
"""

from __future__ import annotations

import datetime as dt
import math
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from factcheck.config import EMBEDDERS, Config, Thresholds, toml_date
from factcheck.errors import ConfigError
from factcheck.records import Severity

__all__ = ["FAIL_ON", "KEYS", "Settings", "find_config_file", "load_settings", "render_settings"]

FAIL_ON = ("error", "warning", "info", "never")
DEVICES = ("auto", "cpu", "cuda")
UPDATES = ("note", "warn", "conflict")
CONFIG_NAME = "factcheck.toml"
_THRESHOLD_KEYS = {f.name.replace("_", "-"): f.name for f in fields(Thresholds)}


@dataclass(frozen=True)
class Settings:
    """The effective configuration: the pipeline Config plus the settings of `ci` and `check`."""

    config: Config = field(default_factory=Config)
    source: Path | None = None  # the file the settings came from (None: defaults only)
    index: Path | None = None
    baseline: Path | None = None
    fail_on: str | None = None
    set_keys: tuple[str, ...] = ()  # keys the file set, in file order


# --------------------------------------------------------------------------- validation helpers

Checker = Callable[[str, Any, Path], Any]


def _err(where: Path, key: str, message: str) -> ConfigError:
    return ConfigError(f"{where}: {key}: {message}")


def _type_name(value: Any) -> str:
    return {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        list: "an array",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _string(key: str, value: Any, where: Path) -> str:
    if not isinstance(value, str):
        raise _err(where, key, f"expected a string, got {_type_name(value)} ({value!r})")
    return value


def _strings(key: str, value: Any, where: Path) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _err(where, key, f"expected an array of strings, got {value!r}")
    return tuple(value)


def _codes(key: str, value: Any, where: Path) -> tuple[str, ...]:
    from factcheck.errors import UsageError
    from factcheck.rules import check_rule_codes

    codes = tuple(c.strip().upper() for c in _strings(key, value, where))
    for code in codes:
        if not code.startswith("FC"):
            raise _err(where, key, f"{code!r} is not a rule code or prefix like FC101 or FC2")
    try:
        check_rule_codes(codes, f"{where}: {key}")
    except UsageError as exc:
        raise ConfigError(str(exc)) from None
    return codes


def _choice(options: tuple[str, ...]) -> Checker:
    def check(key: str, value: Any, where: Path) -> str:
        text = _string(key, value, where)
        if text not in options:
            raise _err(where, key, f"expected one of {', '.join(options)}, got {text!r}")
        return text

    return check


def _date(key: str, value: Any, where: Path) -> dt.date:
    date = toml_date(value)
    if date is None:
        raise _err(where, key, f"expected a date like 2025-07-01, got {value!r}")
    return date


def _path(key: str, value: Any, where: Path) -> Path:
    path = Path(_string(key, value, where)).expanduser()
    return path if path.is_absolute() else where.parent / path


def _positive_int(key: str, value: Any, where: Path) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _err(where, key, f"expected a positive integer, got {value!r}")
    return value


def _boolean(key: str, value: Any, where: Path) -> bool:
    if not isinstance(value, bool):
        raise _err(where, key, f"expected true or false, got {value!r}")
    return value


def _url(key: str, value: Any, where: Path) -> str:
    text = _string(key, value, where).strip()
    if not text.startswith(("https://", "http://")) or any(c.isspace() for c in text):
        raise _err(where, key, f"expected an http(s) URL like https://example.org/docs/rules, got {value!r}")
    return text


def _table(key: str, value: Any, where: Path) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _err(where, key, f"expected a table, got {_type_name(value)} ({value!r})")
    return value


def _string_table(key: str, value: Any, where: Path) -> dict[str, str]:
    table = _table(key, value, where)
    for name, item in table.items():
        _string(f"{key}.{name}", item, where)
    return {str(k): str(v) for k, v in table.items()}


def _severities(key: str, value: Any, where: Path) -> dict[str, Severity]:
    out = {}
    choices = tuple(s.value for s in Severity)
    for code, item in _table(key, value, where).items():
        if not code.upper().startswith("FC"):
            raise _err(where, f"{key}.{code}", "expected a rule code like FC102")
        from factcheck.rules import REGISTRY

        if code.upper() not in REGISTRY:
            valid = ", ".join(sorted(REGISTRY))
            raise _err(where, f"{key}.{code}", f"unknown rule code (valid codes: {valid})")
        out[code.upper()] = Severity(_choice(choices)(f"{key}.{code}", item, where))
    return out


def _thresholds(key: str, value: Any, where: Path) -> dict[str, float | int]:
    out: dict[str, float | int] = {}
    for name, item in _table(key, value, where).items():
        norm = name.replace("_", "-")
        if norm not in _THRESHOLD_KEYS:
            known = ", ".join(sorted(_THRESHOLD_KEYS))
            raise _err(where, f"{key}.{name}", f"unknown threshold (known: {known})")
        field_name = _THRESHOLD_KEYS[norm]
        if isinstance(getattr(Thresholds(), field_name), int):  # a count (anchors), not a similarity
            out[field_name] = _positive_int(f"{key}.{name}", item, where)
            continue
        number = isinstance(item, int | float) and not isinstance(item, bool)
        if not number or math.isnan(item) or not 0.0 <= item <= 1.0:
            raise _err(where, f"{key}.{name}", f"expected a number between 0 and 1, got {item!r}")
        out[field_name] = float(item)
    return out


def _dates(key: str, value: Any, where: Path) -> dict[str, dt.date]:
    return {str(k): _date(f"{key}.{k}", v, where) for k, v in _table(key, value, where).items()}


def _paths(key: str, value: Any, where: Path) -> tuple[Path, ...]:
    return tuple(_path(key, v, where) for v in _strings(key, value, where))


KEYS: dict[str, Checker] = {
    "include": _strings,
    "exclude": _strings,
    "select": _codes,
    "ignore": _codes,
    "severity": _severities,
    "thresholds": _thresholds,
    "role-synonyms": _string_table,
    "name-aliases": _string_table,
    "kb": _path,
    "dates": _dates,
    "sidecars": _paths,
    "as-of": _date,
    "embedder": _choice(EMBEDDERS),
    "device": _choice(DEVICES),
    "cache-dir": _path,
    "max-cluster-size": _positive_int,
    "syntax": _boolean,
    "max-file-size": _positive_int,
    "skip-unreadable": _boolean,
    "index": _path,
    "baseline": _path,
    "fail-on": _choice(FAIL_ON),
    "updates": _choice(UPDATES),
    "across-stories": _boolean,
    "docs-url": _url,
}


# --------------------------------------------------------------------------- discovery


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 (invalid byte at offset {exc.start}); save as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _table_of(path: Path, data: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
    """Return the settings table of a parsed file and its dotted prefix; None when it has none."""
    tool = data.get("tool")
    if isinstance(tool, dict) and "factcheck" in tool:
        return _table("tool.factcheck", tool["factcheck"], path), "tool.factcheck."
    if path.name == "pyproject.toml":
        return None
    settings = {k: v for k, v in data.items() if k not in ("documents", "tool")}
    return (settings, "") if settings else None


def find_config_file(start: Path | None = None) -> Path | None:
    """Find the nearest factcheck.toml with settings or pyproject.toml with [tool.factcheck]."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        for name in (CONFIG_NAME, "pyproject.toml"):
            candidate = directory / name
            if candidate.is_file() and _table_of(candidate, _read_toml(candidate)) is not None:
                return candidate
    return None


def _validate(path: Path, table: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key not in KEYS:
            raise ConfigError(
                f"{path}: unknown key {prefix}{raw_key!s} (known keys: {', '.join(sorted(KEYS))})"
            )
        values[key] = KEYS[key](f"{prefix}{raw_key}", value, path)
    return values


def load_settings(config_file: str | os.PathLike[str] | None = None, start: Path | None = None) -> Settings:
    """Read and validate the configuration file (given, or discovered upward from `start`/cwd)."""
    path = Path(config_file) if config_file is not None else find_config_file(start)
    if path is None:
        return Settings()
    if not path.is_file():
        raise ConfigError(f"configuration file not found: {path}")
    data = _read_toml(path)
    found = _table_of(path, data)
    if found is None:
        if path.name == "pyproject.toml":
            raise ConfigError(f"{path}: no [tool.factcheck] table")
        return Settings(source=path)
    table, prefix = found
    return settings_from(_validate(path, table, prefix), path)


COPIED_AS_IS = (  # file key -> Config field, for values used exactly as validated
    ("as-of", "as_of"),
    ("cache-dir", "cache_dir"),
    ("max-cluster-size", "max_cluster_size"),
    ("syntax", "syntax"),
    ("updates", "updates"),
    ("across-stories", "across_stories"),
    ("max-file-size", "max_file_size"),
    ("docs-url", "docs_url"),
    ("skip-unreadable", "skip_unreadable"),
)


def settings_from(values: Mapping[str, Any], source: Path | None) -> Settings:
    """Merge validated values into the default Config and Settings."""
    config = Config()
    changes: dict[str, Any] = {}
    for key in ("include", "exclude", "select", "ignore", "embedder", "device"):
        if key in values:
            changes[key] = values[key]
    if "severity" in values:
        changes["severity_overrides"] = values["severity"]
    if "thresholds" in values:
        changes["thresholds"] = replace(config.thresholds, **values["thresholds"])
    if "role-synonyms" in values:
        changes["role_synonyms"] = {**config.role_synonyms, **values["role-synonyms"]}
    if "name-aliases" in values:
        changes["name_aliases"] = dict(values["name-aliases"])
    if "kb" in values:
        changes["kb"] = str(values["kb"])
    for key, attribute in COPIED_AS_IS:
        if key in values:
            changes[attribute] = values[key]
    dates: dict[str, dt.date] = {}
    for sidecar in values.get("sidecars", ()):
        dates.update(_sidecar_dates(sidecar))
    dates.update(values.get("dates", {}))
    if dates:
        changes["dates"] = dates
    return Settings(
        config=replace(config, **changes),
        source=source,
        index=values.get("index"),
        baseline=values.get("baseline"),
        fail_on=values.get("fail-on"),
        set_keys=tuple(values),
    )


def _sidecar_dates(path: Path) -> dict[str, dt.date]:
    from factcheck.read.ingest import load_sidecar

    if not path.is_file():
        raise ConfigError(f"sidecar file not found: {path}")
    return {name: entry.date for name, entry in load_sidecar(str(path)).items() if entry.date is not None}


# --------------------------------------------------------------------------- printing


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Severity):
        return _toml_value(value.value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _key(name: str) -> str:
    return name if name.replace("-", "").replace("_", "").isalnum() and name.isascii() else _toml_value(name)


def render_settings(settings: Settings) -> str:
    """Render the effective configuration as a `[tool.factcheck]` TOML document."""
    config = settings.config
    source = str(settings.source) if settings.source else "none (defaults)"
    scalars: dict[str, Any] = {
        "include": list(config.include),
        "exclude": list(config.exclude),
        "select": list(config.select) if config.select is not None else None,
        "ignore": list(config.ignore),
        "fail-on": settings.fail_on or "error",
        "embedder": config.embedder,
        "device": config.device,
        "cache-dir": config.cache_dir,
        "kb": config.kb,
        "as-of": config.as_of,
        "max-cluster-size": config.max_cluster_size,
        "syntax": config.syntax,
        "updates": config.updates,
        "across-stories": config.across_stories,
        "max-file-size": config.max_file_size,
        "skip-unreadable": config.skip_unreadable,
        "docs-url": config.docs_url,
        "index": settings.index or ".factcheck",
        "baseline": settings.baseline,
    }
    lines = [f"# configuration file: {source}", "[tool.factcheck]"]
    for key, value in scalars.items():
        lines.append(f"# {key} = (not set)" if value is None else f"{key} = {_toml_value(value)}")
    tables: dict[str, Mapping[str, Any]] = {
        "thresholds": {k.replace("_", "-"): v for k, v in vars(config.thresholds).items()},
        "severity": dict(config.severity_overrides),
        "role-synonyms": dict(config.role_synonyms),
        "name-aliases": dict(config.name_aliases),
        "dates": dict(config.dates),
    }
    for name, table in tables.items():
        lines.extend(["", f"[tool.factcheck.{name}]"])
        lines.extend(f"{_key(str(k))} = {_toml_value(v)}" for k, v in sorted(table.items()))
    return "\n".join(lines) + "\n"
