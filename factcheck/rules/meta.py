"""FC90x meta rules about factcheck's own directives (FC902: unused inline suppressions)."""

from __future__ import annotations

from collections.abc import Iterator

from factcheck.records import Finding, Severity
from factcheck.rules.base import RuleContext, rule


@rule("FC902", "unused-suppression", Severity.INFO)
def unused_suppression(cluster: object, ctx: RuleContext) -> Iterator[Finding]:
    """Report a `factcheck: ignore[...]` comment that suppresses no finding (like ruff's RUF100)."""
    return iter(())  # produced by factcheck.rules.suppress after the other rules ran, never on its own
