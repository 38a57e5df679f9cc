"""Physical units: convert lengths, masses, speeds and durations with `pint` before comparing values.

Quantities keep the unit as written ("kilometer", "miles", "month"); comparing two of one dimension
converts both to the dimension's base unit.  The pint registry is built on the first conversion only.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# How quantities' unit names are spelled for pint (units not listed are not physical: %, USD, count).
PINT_NAMES = {
    "kilometer": "kilometer", "meter": "meter", "miles": "mile", "mile": "mile", "feet": "foot",
    "foot": "foot", "inches": "inch", "inche": "inch", "inch": "inch", "kilogram": "kilogram",
    "tons": "metric_ton", "ton": "metric_ton", "mph": "mile / hour", "year": "year", "month": "month",
    "week": "week", "day": "day", "hour": "hour", "minute": "minute", "second": "second",
    "decade": "decade",
}
# Written values are rounded when converted ("5 km" is "3.1 miles"): relative slack between units.
CONVERSION_TOLERANCE = 0.03


@lru_cache(maxsize=1)
def _registry() -> Any:
    import pint

    return pint.UnitRegistry()


@lru_cache(maxsize=128)
def base_factor(unit: str) -> tuple[float, str] | None:
    """(factor to the base unit, dimension) of a quantity unit, or None when it is not physical."""
    name = PINT_NAMES.get(unit)
    if name is None:
        return None
    registry = _registry()
    quantity = registry.Quantity(1.0, name).to_base_units()
    return float(quantity.magnitude), str(quantity.dimensionality)


def unit_group(unit: str) -> str:
    """Return a unit's comparison group: its physical dimension, or the unit itself ("%", "USD")."""
    if unit not in PINT_NAMES:
        return unit
    if unit in {"kilometer", "meter", "miles", "mile", "feet", "foot", "inches", "inche", "inch"}:
        return "length"  # known without loading pint: keeps grouping cheap
    if unit in {"kilogram", "tons", "ton"}:
        return "mass"
    if unit == "mph":
        return "speed"
    return "duration"


def convert(value: float, unit: str, to_unit: str) -> float | None:
    """`value` in `unit` expressed in `to_unit` (None when the units are not of one dimension)."""
    a, b = base_factor(unit), base_factor(to_unit)
    if a is None or b is None or a[1] != b[1]:
        return None
    return value * a[0] / b[0]
