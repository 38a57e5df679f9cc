"""Errors a user can act on. `cli.py` prints them as one line and exits 2."""

from __future__ import annotations


class FactcheckError(Exception):
    """Base class: a problem the user can fix; never shown with a traceback."""

    exit_code = 2


class UsageError(FactcheckError):
    """Bad options or arguments."""


class InputError(FactcheckError):
    """A path or file that cannot be read as a document."""


class ConfigError(FactcheckError):
    """A configuration, sidecar or knowledge-base file that is malformed."""


class IndexError_(FactcheckError):  # noqa: N801, N818 - the trailing _ avoids shadowing the builtin IndexError
    """A persistent index that is missing, corrupt or built with other settings."""


class ModelError(FactcheckError):
    """The embedding model cannot be loaded."""
