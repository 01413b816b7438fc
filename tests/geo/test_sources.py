"""Reading the gazetteer's sources: the fast cities scan and the hand-kept files."""

from __future__ import annotations

from collections import defaultdict

from rashomon.geo import get_gazetteer, normalise
from rashomon.geo.sources import DATA_DIR, _read_cities_json, read_cities, read_tsv


def test_fast_scan_reads_what_json_reads() -> None:
    fast = read_cities(15000)
    slow = _read_cities_json((DATA_DIR / "cities15000.json").read_bytes())
    assert len(fast) == len(slow) > 20000
    assert fast.ids == slow.ids
    assert fast.names == slow.names
    assert fast.lats == slow.lats and fast.lons == slow.lons
    assert fast.countries == slow.countries and fast.admin1 == slow.admin1
    assert fast.populations == slow.populations


def test_short_codes_and_transliterations_are_not_aliases() -> None:
    cities = read_cities(15000)
    louisville = cities.names.index("Louisville")
    assert "SDF" not in cities.aliases[louisville]  # an airport code, also an armed group
    assert all(not a.islower() for a in cities.aliases[louisville])


def test_every_admin1_anchor_names_one_subdivision() -> None:
    tables = get_gazetteer().t
    codes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in read_tsv("admin1.tsv"):
        code = row.get("code", "")
        if not code:
            found = tables.find_cities(normalise.key(row["anchor"]), row["country"])
            assert found, f"anchor {row['anchor']!r} of {row['name']!r} not found"
            code = tables.cols.admin1[found[0]]
        codes[(row["country"], code)].append(row["name"])
    clashes = {k: v for k, v in codes.items() if len(v) > 1}
    assert not clashes


def test_hand_kept_files_are_well_formed() -> None:
    for row in read_tsv("features.tsv"):
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180, row["name"]
        assert row["kind"] in {"river", "lake", "sea", "strait", "region", "mountain", "island", "disputed",
                               "airport", "landmark"}
    for row in read_tsv("counties.tsv"):
        assert 49 <= float(row["lat"]) <= 61 and -11 <= float(row["lon"]) <= 2, row["name"]
        assert row["kind"] in {"county", "district"} and row["country"] in {"GB", "IE"}
    for row in read_tsv("us_county_points.tsv"):
        assert len(row["fips"]) == 5 and -90 <= float(row["lat"]) <= 90 and int(row["zips"]) > 0
    for row in read_tsv("admin1.tsv"):
        if row.get("lat"):
            assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180, row["name"]
    countries = read_tsv("countries.tsv")
    assert len({r["country"] for r in countries}) == len(countries)
