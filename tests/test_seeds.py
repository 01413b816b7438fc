"""End to end on the two seed reports of the February 2018 strike near Khasham (read in place)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from rashomon.cli import app
from rashomon.cluster.features import haversine_km

runner = CliRunner()


@pytest.fixture(scope="module")
def exported(seeds_dir, tmp_path_factory):
    db = tmp_path_factory.mktemp("seeds") / "seeds.sqlite"
    res = runner.invoke(app, ["analyse", str(seeds_dir), "--db", str(db), "--no-progress"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["export", "--db", str(db), "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def _article(inc, name):
    return next(a for a in inc["articles"] if name in (a["title"] or "") or name == a["outlet"])


def test_one_incident(exported):
    assert len(exported["incidents"]) == 1


def test_date_and_place(exported):
    inc = exported["incidents"][0]
    assert inc["date_start"] == "2018-02-07"
    loc = inc["location"]
    assert haversine_km(loc["lat"], loc["lon"], 35.30, 40.29) <= 25
    assert loc["admin1"] == "Deir ez-Zor"
    assert loc["country"] == "Syria"


def test_killed_bounds_name_speaker_and_article(exported):
    killed = exported["incidents"][0]["killed"]
    assert killed["low"] <= 20 and killed["high"] >= 100
    figs = {f["id"]: f for f in killed["figures"]}
    low, high = figs[killed["low_figure"]], figs[killed["high_figure"]]
    assert "Syrian Observatory for Human Rights" in low["speaker"]
    assert low["article_id"] and "20" in low["sentence"]
    assert high["speaker"] and "official" in high["speaker"].lower()
    assert high["article_id"] and "100" in high["sentence"]


def test_killed_disagreement(exported):
    dis = [d for d in exported["incidents"][0]["disagreements"] if d["field"] == "killed"]
    assert len(dis) == 1
    values = {v["value"]: v["speakers"] for v in dis[0]["values"]}
    assert any("Syrian Observatory for Human Rights" in s for s in values["20"])
    assert any("official" in s.lower() and "anonymous" in s for s in values["more than 100"])


def test_no_figures_from_numbers_that_are_not_casualties(exported):
    inc = exported["incidents"][0]
    for kind in ("killed", "injured"):
        for fig in inc[kind]["figures"]:
            assert fig["value"] not in (500, 2000) and fig["low"] not in (500, 2000)
            assert "rounds" not in (fig["group"] or "") and "metres" not in (fig["group"] or "")
            assert (fig["low"], fig["high"]) != (20, 30)


def test_original_source_of_republication(exported):
    arts = exported["incidents"][0]["articles"]
    gr = next(a for a in arts if a["outlet"] == "Global Research")
    assert gr["original_source"] == "Middle East Eye"
    assert gr["relation"] == "republication"
    assert gr["published"] == "2018-02-08"


def test_injured_sides_are_kept_apart(exported):
    """The SDF member wounded and the militia members wounded count different people: no disagreement,
    and each side keeps its own injured toll."""
    inc = exported["incidents"][0]
    assert not [d for d in inc["disagreements"] if d["field"] == "injured"]
    groups = {g["group"]: g for g in inc["injured"]["groups"]}
    assert groups["side_a"]["actor"] == "Syrian Democratic Forces" and groups["side_a"]["high"] == 1
    assert groups["side_b"]["low"] == 25


def test_every_seed_figure_has_a_scope_and_report_day(exported):
    for kind in ("killed", "injured"):
        for fig in exported["incidents"][0][kind]["figures"]:
            assert fig["scope"] in ("total", "part", "earlier", "projection", "other_incident")
            assert fig["reported_on"] is not None
