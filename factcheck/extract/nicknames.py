"""Nicknames and short forms of given names (Jim/James, Bill/William) from the `nicknames` package table."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _namer() -> Any:
    from nicknames import NickNamer

    return NickNamer()


@lru_cache(maxsize=4096)
def _forms(name: str) -> frozenset[str]:
    """Return the name, the full names it shortens and its own short forms (lower case)."""
    namer = _namer()
    return frozenset({name} | set(namer.canonicals_of(name)) | set(namer.nicknames_of(name)))


def nickname_related(a: str, b: str) -> bool:
    """Whether one lower-case given name is a nickname or short form of the other ("jim", "james").

    Only a direct relation counts: two nicknames of one name ("bill", "will") are related through it,
    but two different full names that share a nickname ("alexander", "alexandra") are not.
    """
    if a == b:
        return True
    if b in _forms(a) or a in _forms(b):
        return True
    namer = _namer()
    return bool(set(namer.canonicals_of(a)) & set(namer.canonicals_of(b)))
