"""Trusted-facts files (`--kb FILE`, TOML): role holders with scope and dates."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from factcheck.config import toml_date
from factcheck.errors import ConfigError
from factcheck.extract.names import fold
from factcheck.extract.roles import canonical_role, is_former, roles_match


@dataclass(frozen=True, slots=True)
class RoleHolder:
    """Who held a role (in a scope) from a date to a date; `line` is where the file says so."""

    role: str
    scope: str
    holder: str
    start: dt.date | None
    end: dt.date | None
    line: int


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """The trusted facts of one file."""

    path: str
    roles: tuple[RoleHolder, ...]

    def holders(self, role: str, scope: str, when: dt.date | None) -> list[RoleHolder]:
        """Entries for a role (scope-compatible) in force on `when` (any date when unknown)."""
        out: list[RoleHolder] = []
        if is_former(role):
            return out  # "former finance minister X": not a claim about the holder in office
        for entry in self.roles:
            if not roles_match(entry.role, role):
                continue
            if scope and entry.scope and scope != entry.scope:
                continue
            too_early = entry.start is not None and when is not None and when < entry.start
            too_late = entry.end is not None and when is not None and when > entry.end
            if too_early or too_late:
                continue
            out.append(entry)
        return out


def _date(value: object, path: str, line: int, key: str) -> dt.date | None:
    if value is None:
        return None
    date = toml_date(value)
    if date is not None:
        return date
    raise ConfigError(f"{path}: line {line}: {key!r} must be a date like 2025-01-31, not {value!r}")


def _display_name(path: Path) -> str:
    """Name PATH as a reader should see it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def load_kb(path: str | Path) -> KnowledgeBase:
    """Read and validate a knowledge-base file; every problem names the file and line."""
    name = _display_name(Path(path))
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"knowledge base not found: {name}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read knowledge base {name}: {exc}") from exc
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: {exc}") from exc
    unknown = set(data) - {"role", "meta"}
    if unknown:
        sections = ", ".join(sorted(unknown))
        raise ConfigError(f"{name}: unknown section(s) {sections}; expected [[role]] tables")
    lines = [i + 1 for i, text in enumerate(raw.splitlines()) if re.match(r"\s*\[\[\s*role\s*\]\]", text)]
    entries = data.get("role", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{name}: 'role' must be an array of tables ([[role]])")
    roles = []
    for number, entry in enumerate(entries):
        line = lines[number] if number < len(lines) else 0
        if not isinstance(entry, dict):
            raise ConfigError(f"{name}: line {line}: each [[role]] must be a table")
        for key in ("role", "holder"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise ConfigError(f"{name}: line {line}: [[role]] needs a text {key!r}")
        extra = set(entry) - {"role", "scope", "holder", "from", "to", "note"}
        if extra:
            raise ConfigError(f"{name}: line {line}: unknown key(s) {', '.join(sorted(extra))} in [[role]]")
        role, scope = canonical_role(entry["role"])
        scope = fold(str(entry.get("scope", ""))) or scope
        start = _date(entry.get("from"), name, line, "from")
        end = _date(entry.get("to"), name, line, "to")
        if start and end and end < start:
            raise ConfigError(f"{name}: line {line}: 'to' ({end}) is before 'from' ({start})")
        roles.append(RoleHolder(role, scope, entry["holder"].strip(), start, end, line))
    _check_consistent(name, roles)
    return KnowledgeBase(name, tuple(roles))


def _overlap(a: RoleHolder, b: RoleHolder) -> bool:
    lo_a, hi_a = a.start or dt.date.min, a.end or dt.date.max
    lo_b, hi_b = b.start or dt.date.min, b.end or dt.date.max
    return lo_a <= hi_b and lo_b <= hi_a


def _check_consistent(name: str, roles: list[RoleHolder]) -> None:
    for i, a in enumerate(roles):
        for b in roles[i + 1 :]:
            same_office = a.role == b.role and a.scope == b.scope
            if same_office and fold(a.holder) != fold(b.holder) and _overlap(a, b):
                raise ConfigError(
                    f"{name}: lines {a.line} and {b.line} give different holders of {a.role!r}"
                    f" ({a.scope or 'no scope'}) for overlapping dates: {a.holder!r} vs {b.holder!r}"
                )
