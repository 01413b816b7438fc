"""The JSON API on the hand-made store, checked exactly (the records are written in conftest.py)."""

from __future__ import annotations

import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from rashomon.export import to_json
from rashomon.serve.app import create_app
from rashomon.store import open_store

SENT_A = "Gunmen killed three fishermen in Beira on Thursday, the port police said."
SENT_B = ("At least five people died when gunmen attacked the Beira fishing harbour on Thursday, "
          "a doctor at the central hospital said.")
QUOTE = "\"They came at dawn and fired on the boats,\" said Amina Tembe, a net mender."


@pytest.fixture(scope="module")
def client(handmade):
    with TestClient(create_app(handmade["db"])) as c:
        yield c


# Keys the export contract gained with figure scopes (extended, never renamed); the hand-made
# figures keep their defaults.
NEW_FIGURE_KEYS = {"scope": "total", "scope_reason": None, "reported_on": None}
NEW_RANGE_KEYS = {"floor": None, "floor_figures": [], "excluded": [], "groups": []}
ROW_KEYS = {"scope": "total", "scope_reason": None, "reported_on": None, "excluded": None}


def expected_incident(a: str, b: str) -> dict:
    text_a = SENT_A + "\n\n" + QUOTE + " A provincial official called it a cowardly attack."
    text_b = SENT_B + " " + SENT_A
    fig_a = {"id": "f-a1", "kind": "killed", "value": 3, "low": 3, "high": 3, "qualifier": None, "text": "three",
             "group": "fishermen", "speaker": "port police", "anonymous": False, "article_id": a, "sentence": SENT_A,
             "start": 14, "end": 19, **NEW_FIGURE_KEYS}
    fig_b = {"id": "f-b1", "kind": "killed", "value": None, "low": 5, "high": None, "qualifier": "at least",
             "text": "At least five", "group": "people", "speaker": "doctor at the central hospital", "anonymous": True,
             "article_id": b, "sentence": SENT_B, "start": 0, "end": 13, **NEW_FIGURE_KEYS}
    fig_b2 = {**fig_a, "id": "f-b2", "article_id": b, "start": 139, "end": 144}
    meta_a = {"id": a, "title": "Three fishermen shot dead in Beira harbour", "outlet": "Harbour Gazette",
              "byline": "Staff reporter", "published": "2025-05-02", "published_precision": "day", "language": "en",
              "source": "mem:Harbour Gazette", "url": "https://harbour-gazette.example/beira", "original_source": None,
              "credits": [], "href": f"/articles/{a}"}
    meta_b = {"id": b, "title": "Five dead in Beira harbour attack, doctor says", "outlet": "Coast Wire", "byline": None,
              "published": "2025-05-03", "published_precision": "day", "language": "en", "source": "mem:Coast Wire",
              "url": None, "original_source": None, "credits": ["Harbour Gazette"], "href": f"/articles/{b}"}
    s_a = {"key": "s0-73", "start": 0, "end": 73, "text": SENT_A}
    s_q = {"key": "s75-150", "start": 75, "end": 150, "text": QUOTE}
    s_b1 = {"key": "s0-124", "start": 0, "end": 124, "text": SENT_B}
    s_b2 = {"key": "s125-198", "start": 125, "end": 198, "text": SENT_A}
    row = {"anonymous": False, "group": "fishermen", "high": 3, "kind": "killed", "low": 3, "qualifier": None,
           "speaker": "port police", "text": "three", "value": 3}
    return {
        "incident": {
            "id": "i-harbour", "story_id": "s-harbour", "date_start": "2025-05-01", "date_end": "2025-05-01",
            "date_precision": "day", "date_evidence": [{"article_id": a, "start": 42, "end": 50, "text": "Thursday"}],
            "location": {"name": "Beira", "country": "Mozambique", "country_code": "MZ", "admin1": "Sofala",
                         "lat": -19.8436, "lon": 34.8389, "geonames_id": 1052373, "precision": "city",
                         "evidence": [{"article_id": a, "start": 33, "end": 38, "text": "Beira"}]},
            "actors": {"side_a": ["unidentified gunmen"], "side_b": ["civilians"]},
            "event_type": "attack_on_civilians", "acled_event_type": "Violence against civilians",
            "acled_sub_event_type": "Attack", "weapons": ["firearm"],
            "killed": {"low": 3, "best": 3, "high": 5, "low_figure": "f-a1", "best_figure": "f-a1",
                       "high_figure": "f-b1", "independent_figures": ["f-a1", "f-b1"], "figures": [fig_a, fig_b, fig_b2],
                       **NEW_RANGE_KEYS},
            "injured": {"low": None, "best": None, "high": None, "low_figure": None, "best_figure": None,
                        "high_figure": None, "independent_figures": [], "figures": [], **NEW_RANGE_KEYS},
            "toll_timeline": [],
            "disagreements": [{"field": "killed", "values": [
                {"value": "3", "speakers": ["port police"], "article_ids": [a, b]},
                {"value": "at least 5", "speakers": ["doctor at the central hospital (anonymous)"], "article_ids": [b]},
            ]}],
            "articles": [
                {"id": a, "title": meta_a["title"], "outlet": "Harbour Gazette", "published": "2025-05-02",
                 "original_source": None, "relation": "original", "copied_from": None},
                {"id": b, "title": meta_b["title"], "outlet": "Coast Wire", "published": "2025-05-03",
                 "original_source": None, "relation": "rewrite", "copied_from": a},
            ],
            "claims": [
                {"id": "c-a1", "speaker": "port police", "anonymous": False, "cue": "say",
                 "content": "Gunmen killed three fishermen in Beira on Thursday", "direct": False, "article_id": a},
                {"id": "c-a2", "speaker": "Amina Tembe", "anonymous": False, "cue": "say",
                 "content": "They came at dawn and fired on the boats,", "direct": True, "article_id": a},
            ],
            "framing": [{"term": "cowardly attack", "category": "condemnation", "speaker": "provincial official",
                         "article_id": a}],
            "first_reported": "2025-05-02",
            "reviewed": False, "corrections": [], "machine_values": {},
        },
        "figures": [
            {**row, "id": "f-a1", "article_id": a, "outlet": "Harbour Gazette", "published": "2025-05-02",
             "relation": "original", "independent": True, "bounds": ["low", "best"], "sentence": s_a, **ROW_KEYS},
            {"id": "f-b1", "kind": "killed", "text": "At least five", "value": None, "low": 5, "high": None,
             "qualifier": "at least", "group": "people", "speaker": "doctor at the central hospital", "anonymous": True,
             "article_id": b, "outlet": "Coast Wire", "published": "2025-05-03", "relation": "rewrite",
             "independent": True, "bounds": ["high"], "sentence": s_b1, **ROW_KEYS},
            {**row, "id": "f-b2", "article_id": b, "outlet": "Coast Wire", "published": "2025-05-03",
             "relation": "rewrite", "independent": False, "bounds": [], "sentence": s_b2, **ROW_KEYS},
        ],
        "claims": [
            {"id": "c-a1", "speaker": "port police", "anonymous": False, "cue": "say",
             "content": "Gunmen killed three fishermen in Beira on Thursday", "direct": False, "article_id": a,
             "outlet": "Harbour Gazette", "sentence": s_a},
            {"id": "c-a2", "speaker": "Amina Tembe", "anonymous": False, "cue": "say",
             "content": "They came at dawn and fired on the boats,", "direct": True, "article_id": a,
             "outlet": "Harbour Gazette", "sentence": s_q},
        ],
        "disagreements": [{"field": "killed", "values": [
            {"value": "3", "speakers": ["port police"],
             "articles": [{"id": a, "label": "Harbour Gazette"}, {"id": b, "label": "Coast Wire"}]},
            {"value": "at least 5", "speakers": ["doctor at the central hospital (anonymous)"],
             "articles": [{"id": b, "label": "Coast Wire"}]},
        ]}],
        "accounts": [
            {"article": meta_a, "relation": "original", "copied_from": None, "text": text_a, "spans": [
                {"kind": "claim", "record_id": "c-a1", "start": 0, "end": 50,
                 "text": "Gunmen killed three fishermen in Beira on Thursday"},
                {"kind": "figure", "record_id": "f-a1", "start": 14, "end": 19, "text": "three"},
                {"kind": "place", "record_id": "p0", "start": 33, "end": 38, "text": "Beira"},
                {"kind": "date", "record_id": "d0", "start": 42, "end": 50, "text": "Thursday"},
                {"kind": "speaker", "record_id": "c-a1", "start": 52, "end": 67, "text": "the port police"},
                {"kind": "claim", "record_id": "c-a2", "start": 76, "end": 117,
                 "text": "They came at dawn and fired on the boats,"},
                {"kind": "speaker", "record_id": "c-a2", "start": 124, "end": 135, "text": "Amina Tembe"},
                {"kind": "framing", "record_id": "f0", "start": 185, "end": 200, "text": "cowardly attack"},
            ], "sentences": [{**s_a, "records": ["f-a1", "c-a1"]}, {**s_q, "records": ["c-a2"]}]},
            {"article": meta_b, "relation": "rewrite", "copied_from": a, "text": text_b, "spans": [
                {"kind": "figure", "record_id": "f-b1", "start": 0, "end": 13, "text": "At least five"},
                {"kind": "place", "record_id": "p0", "start": 51, "end": 56, "text": "Beira"},
                {"kind": "figure", "record_id": "f-b2", "start": 139, "end": 144, "text": "three"},
            ], "sentences": [{**s_b1, "records": ["f-b1"]}, {**s_b2, "records": ["f-b2"]}]},
        ],
        "accounts_total": 2,
        "timeline": [
            {"date": "2025-05-02", "article_id": a, "outlet": "Harbour Gazette", "title": meta_a["title"],
             "relation": "original", "copied_from": None, "first": True,
             "figures": [{"id": "f-a1", "kind": "killed", "text": "three", "speaker": "port police"}], "claims": 2},
            {"date": "2025-05-03", "article_id": b, "outlet": "Coast Wire", "title": meta_b["title"],
             "relation": "rewrite", "copied_from": a, "first": False,
             "figures": [{"id": "f-b1", "kind": "killed", "text": "At least five",
                          "speaker": "doctor at the central hospital"},
                         {"id": "f-b2", "kind": "killed", "text": "three", "speaker": "port police"}], "claims": 0},
        ],
        "relations": {
            "nodes": [
                {"id": a, "label": "Harbour Gazette", "relation": "original", "published": "2025-05-02", "external": False},
                {"id": b, "label": "Coast Wire", "relation": "rewrite", "published": "2025-05-03", "external": False},
            ],
            "edges": [{"source": a, "target": b, "relation": "rewrite", "share": 0.41}],
        },
        "toll_chart": None,
        "exports": {"json": "/incidents/i-harbour/export.json", "csv": "/incidents/i-harbour/export.csv",
                    "geojson": "/incidents/i-harbour/export.geojson", "acled": "/incidents/i-harbour/export.acled",
                    "ucdp": "/incidents/i-harbour/export.ucdp"},
    }


def test_incident_json_is_exact(client, handmade):
    res = client.get("/incidents/i-harbour.json")
    assert res.status_code == 200
    assert res.headers["content-type"] == "application/json"
    body = res.json()
    place = body.pop("place")
    assert res.json() != body and body == expected_incident(handmade["a"], handmade["b"])
    # the names the store knows for the place: the gazetteer's first, then the reports' own spelling
    assert place["name"] == "Beira" and place["written"] == "Beira"
    assert place["names"][:2] == [{"name": "Beira", "kind": "gazetteer"}, {"name": "Beira", "kind": "written"}]
    assert {n["kind"] for n in place["names"][2:]} == {"alternate"}


def test_incident_list_row_is_exact(client):
    body = client.get("/incidents.json", params={"country": "MZ"}).json()
    assert body == {
        "filters": {"date_from": None, "date_to": None, "country": "MZ", "admin1": None, "event_type": None,
                    "disagreement": None, "actor": None, "outlet": None, "q": None, "place": None},
        "sort": "-date", "page": 1, "per_page": 25, "total": 1, "pages": 1, "links": {"prev": None, "next": None},
        "incidents": [{
            "id": "i-harbour", "date_start": "2025-05-01", "date_end": "2025-05-01", "date_precision": "day",
            "location": {"name": "Beira", "written": "Beira", "admin1": "Sofala", "country": "Mozambique", "country_code": "MZ",
                         "lat": -19.8436, "lon": 34.8389},
            "event_type": "attack_on_civilians", "killed": {"low": 3, "best": 3, "high": 5},
            "injured": {"low": None, "best": None, "high": None},
            "actors": {"side_a": ["unidentified gunmen"], "side_b": ["civilians"]}, "n_articles": 2,
            "outlets": ["Coast Wire", "Harbour Gazette"], "has_disagreement": True, "disagreements": ["killed"],
            "first_reported": "2025-05-02", "href": "/incidents/i-harbour",
        }],
    }


def test_article_json(client, handmade):
    a, b = handmade["a"], handmade["b"]
    body = client.get(f"/articles/{b}.json").json()
    assert body["article"]["outlet"] == "Coast Wire" and body["article"]["status"] == "clustered"
    assert (body["relation"], body["copied_from"], body["copied_from_article"]) == ("rewrite", a, True)
    assert [i["id"] for i in body["incidents"]] == ["i-harbour"]
    assert body["reuse"] == [{"source_id": a, "source": "Harbour Gazette", "target_id": b, "target": "Coast Wire",
                              "share": 0.41}]
    assert [(f["id"], f["bounds"], f["independent"]) for f in body["figures"]] == [
        ("f-b1", ["high"], True), ("f-b2", [], False)]
    assert body["text"].startswith("At least five people died")


def test_exports_of_one_incident(client, handmade):
    res = client.get("/incidents/i-harbour/export.json")
    with open_store(handmade["db"]) as store:
        assert res.text == to_json([store.incident("i-harbour")])
    assert res.json()["incidents"][0] == expected_incident(handmade["a"], handmade["b"])["incident"]
    assert 'filename="incident-i-harbour.json"' in res.headers["content-disposition"]
    csv = client.get("/incidents/i-harbour/export.csv")
    assert csv.headers["content-type"] == "text/csv; charset=utf-8"
    header, row = csv.text.splitlines()
    assert header.startswith("event_id,event_date,") and row.startswith("i-harbour,2025-05-01,")
    geo = client.get("/incidents/i-harbour/export.geojson")
    assert geo.headers["content-type"] == "application/geo+json"
    assert geo.json()["features"][0]["geometry"] == {"type": "Point", "coordinates": [34.8389, -19.8436]}
    for fmt, first in (("acled", "event_id_cnty,event_date,year,"), ("ucdp", "id,year,type_of_violence,")):
        res = client.get(f"/incidents/i-harbour/export.{fmt}")
        assert res.headers["content-type"] == "text/csv; charset=utf-8"
        assert f'filename="incident-i-harbour-{fmt}.csv"' in res.headers["content-disposition"]
        assert res.text.startswith(first) and len(res.text.splitlines()) == 2
