"""The ACLED- and UCDP GED-compatible exports: columns in the field's order, codings in range, files that load
in pandas with the dtypes the field's files have, and independent sources counted as such."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pycountry
import pytest
from typer.testing import CliRunner

from rashomon.cli import app
from rashomon.demo import DEFAULT_CORPUS
from rashomon.export import export
from rashomon.export.acled import acled_row, inter_code, interaction
from rashomon.export.sources import independent_sources, ordered_outlets
from rashomon.export.ucdp import type_of_violence, ucdp_row
from rashomon.models import Actor, FigureRange, Incident, SourceInfo
from rashomon.pipeline import run
from rashomon.store import open_store
from tests.serve.conftest import build_handmade

runner = CliRunner()

# Written out here from the issue (ACLED's and UCDP GED's own column lists), not imported from the code.
ACLED = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp"]
UCDP = ["id", "year", "type_of_violence", "side_a", "side_b", "source_article", "source_office", "source_date", "source_headline", "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude", "country", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low", "number_of_sources"]
ACLED_INTS = ["year", "time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision", "fatalities",
              "timestamp"]
UCDP_INTS = ["year", "type_of_violence", "where_prec", "date_prec", "deaths_a", "deaths_b", "deaths_civilians",
             "deaths_unknown", "best", "high", "low", "number_of_sources"]
ACLED_EVENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
                     "Strategic developments"}


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("formats") / "demo.sqlite"
    run([DEFAULT_CORPUS], db)
    return db


def _cli_export(db: Path, fmt: str, tmp_path: Path) -> Path:
    out = tmp_path / f"{fmt}.csv"
    res = runner.invoke(app, ["export", "--db", str(db), "--format", fmt, "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out


def _typed(columns: list[str], ints: list[str]) -> dict[str, str]:
    floats = {"latitude", "longitude"}
    return {c: "Int64" if c in ints else "float64" if c in floats else "string" for c in columns}


def test_acled_columns_codings_and_pandas_dtypes(demo_store, tmp_path):
    path = _cli_export(demo_store, "acled", tmp_path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert list(rows[0]) == ACLED and len(rows) >= 5
    for row in rows:
        assert row["time_precision"] in {"1", "2", "3"}
        assert row["geo_precision"] in {"1", "2", "3"}
        country = pycountry.countries.lookup(row["country"])
        assert int(row["iso"]) == int(country.numeric) and row["event_id_cnty"].startswith(country.alpha_3)
        assert row["event_type"] in ACLED_EVENT_TYPES | {""}
        assert row["disorder_type"] in {"Political violence", "Demonstrations", "Strategic developments",
                                        "Political violence; Demonstrations", ""}
        for col in ("inter1", "inter2"):
            assert row[col] == "" or 1 <= int(row[col]) <= 8
        if row["interaction"]:
            digits = sorted(int(x) for x in (row["inter1"], row["inter2"] or "0"))
            assert int(row["interaction"]) == (digits[0] * 10 + digits[1] if digits[0] else digits[1] * 10)
        assert row["event_date"][:4] == row["year"]
        assert int(row["fatalities"]) >= 0 and "; a" not in row["source"]  # outlets, never article ids
    frame = pd.read_csv(path)
    for col in ("year", "time_precision", "iso", "geo_precision", "fatalities"):
        assert frame[col].dtype == "int64", col  # present in every row, as in ACLED's files
    assert frame["latitude"].dtype == "float64" and frame["longitude"].dtype == "float64"
    assert pd.api.types.is_string_dtype(frame["event_date"]) and pd.to_datetime(frame["event_date"]).notna().all()
    typed = pd.read_csv(path, dtype=_typed(ACLED, ACLED_INTS))  # fails on a value that is not an integer
    assert list(typed.columns) == ACLED


def test_acled_fatalities_are_the_low_total_and_notes_name_the_speakers(tmp_path):
    ids = build_handmade(tmp_path / "h.sqlite")
    with open_store(tmp_path / "h.sqlite") as store:
        harbour = store.incident("i-harbour", prefix=False)
    assert harbour is not None
    row = acled_row(harbour)
    assert row["fatalities"] == 3 == harbour.killed.low  # not the best 3 nor the high 5
    assert "port police: 3" in row["notes"]
    assert "doctor at the central hospital (anonymous): at least 5" in row["notes"]
    assert row["source"] == "Harbour Gazette; Coast Wire"  # the original before the rewrite
    assert (row["iso"], row["region"], row["sub_event_type"], row["civilian_targeting"]) == (
        508, "Eastern Africa", "Attack", "Civilian targeting")
    assert (row["inter1"], row["inter2"], row["interaction"]) == ("", 7, "")  # gunmen: rebels or militia? unknown
    assert (row["admin2"], row["source_scale"], row["timestamp"]) == ("", "", "")
    assert ids["a"] not in row["source"]


def test_ucdp_columns_codings_and_pandas_dtypes(demo_store, tmp_path):
    path = _cli_export(demo_store, "ucdp", tmp_path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert list(rows[0]) == UCDP
    for row in rows:
        assert 1 <= int(row["where_prec"]) <= 7 and 1 <= int(row["date_prec"]) <= 5
        assert row["type_of_violence"] in {"1", "2", "3", ""}
        assert int(row["low"]) <= int(row["best"]) <= int(row["high"] or row["best"])
        assert dt.date.fromisoformat(row["date_start"]) <= dt.date.fromisoformat(row["date_end"])
        assert 1 <= int(row["number_of_sources"]) <= len(row["source_date"].split("; "))
    frame = pd.read_csv(path)
    for col in ("year", "where_prec", "date_prec", "best", "low", "number_of_sources"):
        assert frame[col].dtype == "int64", col
    typed = pd.read_csv(path, dtype=_typed(UCDP, UCDP_INTS))
    assert list(typed.columns) == UCDP


def _source(aid: str, outlet: str | None, relation: str, copied_from: str | None = None,
            original: str | None = None) -> SourceInfo:
    return SourceInfo(article_id=aid, title=f"Report {aid}", outlet=outlet, published=dt.date(2024, 3, int(aid[1:])),
                      original_source=original, relation=relation, copied_from=copied_from)  # type: ignore[arg-type]


def _incident(sources: list[SourceInfo], side_a: list[Actor] | None = None,
              side_b: list[Actor] | None = None) -> Incident:
    return Incident(id="i-test", story_id="s-test", date_start=dt.date(2024, 3, 1), date_end=dt.date(2024, 3, 1),
                    date_precision="day", location=None, event_type=None, killed=FigureRange(),
                    injured=FigureRange(), sources=sources, actors_a=side_a or [], actors_b=side_b or [])


def test_republications_and_rewrites_are_not_further_sources():
    inc = _incident([
        _source("a5", "Valley Wire", "republication", copied_from="a1"),
        _source("a1", "Ridge Times", "original"),
        _source("a3", "Plain Herald", "rewrite", copied_from="a5"),
        _source("a4", "Lakeside Post", "republication", copied_from="Delta Radio", original="Delta Radio"),
        _source("a2", "Delta Radio", "independent"),
        _source("a6", None, "independent"),
    ])
    # Ridge Times (with its republication and the rewrite of that), Delta Radio (in the store and
    # republished), the report without an outlet.
    assert independent_sources(inc) == 3
    assert ordered_outlets(inc) == ["Ridge Times", "Delta Radio", "Plain Herald", "Lakeside Post", "Valley Wire"]
    assert ucdp_row(inc)["number_of_sources"] == 3
    alone = _incident([_source("a4", "Lakeside Post", "republication", copied_from="Delta Radio")])
    assert independent_sources(alone) == 1 and ordered_outlets(alone) == ["Delta Radio", "Lakeside Post"]


def test_type_of_violence_from_the_actors_kinds():
    army = Actor(name="national army", text="army", kind="state_force")
    rebels = Actor(name="rebels", text="rebels", kind="armed_group")
    militia = Actor(name="a militia", text="militia", kind="armed_group")
    villagers = Actor(name="civilians", text="villagers", kind="civilians")
    other = Actor(name="a crowd", text="crowd", kind="other")
    assert type_of_violence([army], [rebels]) == 1
    assert type_of_violence([militia], [rebels]) == 2
    assert type_of_violence([rebels], [villagers]) == 3
    assert type_of_violence([other], [villagers]) is None
    assert type_of_violence([], []) is None


def test_seed_number_of_sources_counts_independent_sources_only(seed_store):
    (row,) = list(csv.DictReader(io.StringIO(export(seed_store, "ucdp"))))
    with open_store(seed_store) as store:
        (inc,) = store.incidents()
    relations = sorted(s.relation for s in inc.sources)
    assert relations == ["independent", "republication"]
    # The Global Research republication stands for its original, Middle East Eye (not in the store), and
    # is not a source of its own; the unattributed rewrite is the second source.
    assert row["number_of_sources"] == "2"
    assert row["source_office"] == "Middle East Eye; Global Research"
    (acled,) = list(csv.DictReader(io.StringIO(export(seed_store, "acled"))))
    assert acled["source"] == "Middle East Eye; Global Research" and acled["iso"] == "760"
    assert acled["fatalities"] == "20" and "Syrian Observatory for Human Rights: 20" in acled["notes"]
    assert "US military official (anonymous): more than 100" in acled["notes"]


@pytest.fixture(scope="module")
def seed_store(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("seed-formats") / "seeds.sqlite"
    run([seeds_dir], db)
    return db


def test_inter_codes_and_interaction_of_a_protest_met_with_force():
    police = Actor(name="riot police", text="police", kind="police")
    crowd = Actor(name="market traders", text="traders", kind="other")
    assert inter_code(police, "Excessive force against protesters") == 1
    assert inter_code(crowd, "Excessive force against protesters") == 6
    assert inter_code(crowd, "Mob violence") == 5
    assert inter_code(crowd, "Armed clash") is None  # rebels, militia or else: not told
    assert interaction(1, 6, has_actor2=True) == 16 == interaction(6, 1, has_actor2=True)
    assert interaction(6, None, has_actor2=False) == 60
    assert interaction(1, None, has_actor2=True) is None
