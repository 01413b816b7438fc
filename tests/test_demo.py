"""The demo corpus's own expectations (demo/expectations.json) are tests of the whole pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rashomon.cluster.features import haversine_km
from rashomon.demo import DEFAULT_CORPUS, run_demo
from rashomon.store import open_store

EXPECT = json.loads((DEFAULT_CORPUS.parent / "expectations.json").read_text(encoding="utf-8"))
INCIDENTS = {inc["id"]: inc for inc in EXPECT["incidents"]}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    incidents = run_demo(db)
    with open_store(db) as store:
        doc_ids = {
            Path(r["source"]).name: r["article_id"]
            for r in store.query("SELECT source, article_id FROM inputs WHERE article_id IS NOT NULL")
        }
        texts = {a.id: a.text for a in store.articles()}
        counts = store.input_counts()
    by_article = {s.article_id: inc for inc in incidents for s in inc.sources}
    return {"incidents": incidents, "doc": doc_ids, "by_article": by_article, "texts": texts, "counts": counts}


def _incident(demo, key):
    exp = INCIDENTS[key]
    ids = {demo["doc"][d] for d in exp["articles"]}
    found = {demo["by_article"][a].id for a in ids if a in demo["by_article"]}
    assert len(found) == 1, f"incident {key}: its {len(ids)} reports landed in {len(found)} incidents"
    return demo["by_article"][next(iter(ids))]


def test_every_input_accounted_for(demo):
    assert demo["counts"] == {"ingested": EXPECT["counts"]["reports"], "duplicate": 0, "rejected": 0}


@pytest.mark.parametrize("key", sorted(INCIDENTS))
def test_reports_cluster_into_one_incident(demo, key):
    inc = _incident(demo, key)
    assert {demo["doc"][d] for d in INCIDENTS[key]["articles"]} == {s.article_id for s in inc.sources}


def test_non_violent_report_is_no_incident(demo):
    doc = EXPECT["unrelated"]["non_violent"]["doc"]
    assert demo["doc"][doc] not in demo["by_article"]


@pytest.mark.parametrize("key", sorted(INCIDENTS))
def test_date(demo, key):
    exp, inc = INCIDENTS[key], _incident(demo, key)
    import datetime as dt

    want = dt.date.fromisoformat(exp["date_start"])
    assert inc.date_start is not None
    assert abs((inc.date_start - want).days) <= exp.get("date_tolerance_days", 0), inc.date_evidence


@pytest.mark.parametrize("key", sorted(INCIDENTS))
def test_place(demo, key):
    exp, inc = INCIDENTS[key]["place"], _incident(demo, key)
    assert inc.location is not None and inc.location.lat is not None
    assert inc.location.country_code == exp["country_code"]
    assert haversine_km(inc.location.lat, inc.location.lon, exp["lat"], exp["lon"]) <= exp.get("tolerance_km", 25)


@pytest.mark.parametrize("key", sorted(INCIDENTS))
@pytest.mark.parametrize("kind", ["killed", "injured"])
def test_figures_and_disagreement(demo, key, kind):
    exp = INCIDENTS[key]["disagreements"].get(kind)
    inc = _incident(demo, key)
    rng = getattr(inc, kind)
    flagged = any(d.field == kind for d in inc.disagreements)
    if not exp:
        assert not flagged
        return
    if exp.get("must_flag"):
        assert flagged, f"{kind} disagreement not flagged for {key}"
    if "low_at_most" in exp:
        assert rng.low is not None and rng.low <= exp["low_at_most"]
    if "high_at_least" in exp:
        assert rng.high is not None and rng.high >= exp["high_at_least"]
    figs = {f.id for f in rng.figures}
    for bound in (rng.low_figure, rng.best_figure, rng.high_figure):
        assert bound in figs


@pytest.mark.parametrize("reuse", EXPECT["reuse"], ids=lambda r: r["doc"])
def test_republication_and_rewrite(demo, reuse):
    aid, src = demo["doc"][reuse["doc"]], demo["doc"][reuse["of"]]
    inc = demo["by_article"][aid]
    info = next(s for s in inc.sources if s.article_id == aid)
    assert info.relation == reuse["kind"]
    assert info.copied_from == src


@pytest.mark.parametrize("key", sorted(INCIDENTS))
def test_numbers_that_are_not_figures(demo, key):
    inc = _incident(demo, key)
    # a number scoped as another incident's toll is kept, with its reason, but is no figure of this incident
    figures = [f for f in inc.killed.figures + inc.injured.figures if f.scope != "other_incident"]
    for nf in INCIDENTS[key]["not_figures"]:
        aid = demo["doc"][nf["doc"]]
        text = demo["texts"][aid]
        start = text.find(nf["text"])
        assert start >= 0, nf
        end = start + len(nf["text"])
        for f in figures:
            if f.article_id == aid:
                assert not (f.span.start < end and start < f.span.end), f"{nf['text']!r} taken as {f.kind} figure"
