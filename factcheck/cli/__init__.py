"""The command line (`factcheck`): a thin click layer over the library.

Importing this package registers every command on the `main` group.
"""

from __future__ import annotations

from factcheck.cli import (
    check,  # noqa: F401 - registers `check` and `model`
    ci,  # noqa: F401 - registers `index`, `ci`, `baseline` and `config`
    views,  # noqa: F401 - registers `diff`, `show` and `clusters`
)
from factcheck.cli.app import main

__all__ = ["main"]
