"""factcheck: find contradictions between documents.

Library first: ``factcheck.check(paths, config) -> Report``; the CLI is a thin layer on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "check"]

if TYPE_CHECKING:
    from factcheck.records import Report


def check(paths: list[str], config: Any = None, **kwargs: Any) -> Report:
    """Check documents for contradictions (see factcheck.pipeline.check)."""
    from factcheck.pipeline import check as run

    return run(paths, config, **kwargs)
