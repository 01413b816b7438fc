"""The HTTP API: filters, sorting, pagination, search, errors, headers, schema, escaping, read-only."""

from __future__ import annotations

import hashlib
import warnings
from html.parser import HTMLParser

import httpx
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from rashomon.export import incident_dict
from rashomon.serve.app import create_app
from rashomon.store import open_store


@pytest.fixture(scope="module")
def client(handmade):
    with TestClient(create_app(handmade["db"])) as c:
        yield c


def ids(client, path="/incidents.json", **params):
    res = client.get(path, params=params)
    assert res.status_code == 200, res.text
    key = "incidents" if path.startswith("/incidents") else "articles"
    return [row["id"] for row in res.json()[key]]


@pytest.mark.parametrize(("params", "expected"), [
    ({}, ["i-depot", "i-harbour"]),
    ({"date_from": "2025-05-15"}, ["i-depot"]),
    ({"date_to": "2025-05-10"}, ["i-harbour"]),
    ({"date_from": "2025-05-01", "date_to": "2025-05-01"}, ["i-harbour"]),
    ({"country": "Mozambique"}, ["i-harbour"]),
    ({"country": "mz"}, ["i-harbour"]),
    ({"admin1": "sofala"}, ["i-harbour"]),
    ({"event_type": "attack_on_civilians"}, ["i-depot", "i-harbour"]),
    ({"event_type": "air_strike"}, []),
    ({"disagreement": "yes"}, ["i-harbour"]),
    ({"disagreement": "no"}, ["i-depot"]),
    ({"actor": "GUNMEN"}, ["i-harbour"]),
    ({"actor": "%"}, []),
    ({"outlet": "coast wire"}, ["i-harbour"]),
    ({"q": "fishermen"}, ["i-harbour"]),
    ({"q": '"net mender"'}, ["i-harbour"]),
    ({"q": "mender net", "country": "MZ"}, ["i-harbour"]),
    ({"q": '"mender net"'}, []),
    ({"q": "script"}, ["i-depot"]),
    ({"q": 'NOT ( "unbalanced * OR'}, []),
    ({"country": "", "q": "", "date_from": "", "disagreement": ""}, ["i-depot", "i-harbour"]),
])
def test_incident_filters(client, params, expected):
    assert ids(client, **params) == expected


def test_sorting(client):
    assert ids(client, sort="killed") == ["i-depot", "i-harbour"]
    assert ids(client, sort="-killed") == ["i-harbour", "i-depot"]
    assert ids(client, sort="date") == ["i-harbour", "i-depot"]
    assert ids(client, sort="place") == ["i-harbour", "i-depot"]  # no place: last either way
    assert ids(client, sort="-place") == ["i-harbour", "i-depot"]


def test_pagination(client):
    first = client.get("/incidents.json", params={"per_page": 1, "sort": "date", "country": ""}).json()
    assert (first["total"], first["pages"], first["page"]) == (2, 2, 1)
    assert first["links"] == {"prev": None, "next": "/incidents.json?sort=date&per_page=1&page=2"}
    second = client.get(first["links"]["next"]).json()
    assert [i["id"] for i in second["incidents"]] == ["i-depot"]
    assert second["links"] == {"prev": "/incidents.json?sort=date&per_page=1&page=1", "next": None}
    assert client.get("/incidents.json", params={"page": 9}).json()["incidents"] == []


def test_article_filters_and_search(client, handmade):
    a, b, h = handmade["a"], handmade["b"], handmade["hostile"]
    assert set(ids(client, "/articles.json")) == {a, b, h}
    assert ids(client, "/articles.json", sort="published") == [a, b, h]
    assert ids(client, "/articles.json", outlet="Coast Wire") == [b]
    assert ids(client, "/articles.json", date_from="2025-05-03", date_to="2025-05-03") == [b]
    assert ids(client, "/articles.json", disagreement="no") == [h]
    assert ids(client, "/articles.json", actor="gunmen", sort="published") == [a, b]
    body = client.get("/articles.json", params={"q": "mender"}).json()
    assert [r["id"] for r in body["articles"]] == [a]
    assert "\ue000mender\ue001" in body["articles"][0]["snippet"]
    assert body["articles"][0]["incident_id"] == "i-harbour"


@pytest.mark.parametrize(("path", "status", "message"), [
    ("/incidents/nope.json", 404, "no incident 'nope'"),
    ("/articles/nope.json", 404, "no article 'nope'"),
    ("/incidents/i-harbour/export.xml", 404, "no export format 'xml'; choose one of json, csv, geojson, acled, ucdp"),
    ("/no/such/page.json", 404, "Not Found"),
    ("/incidents.json?date_from=2025-13-01", 400, "date_from: not a date in YYYY-MM-DD form: '2025-13-01'"),
    ("/incidents.json?date_from=2025-06-01&date_to=2025-05-01", 400, "date_from is after date_to"),
    ("/incidents.json?disagreement=maybe", 400, "disagreement: expected yes or no, got 'maybe'"),
])
def test_errors_are_json_with_meaningful_status(client, path, status, message):
    res = client.get(path)
    assert res.status_code == status
    assert res.json() == {"error": {"status": status, "message": message}}


@pytest.mark.parametrize(("query", "param"), [
    ("page=0", "page"), ("per_page=101", "per_page"), ("per_page=x", "per_page"), ("sort=bogus", "sort"),
    ("q=" + "x" * 201, "q"),
])
def test_bad_parameters_are_400(client, query, param):
    res = client.get("/incidents.json?" + query)
    assert res.status_code == 400
    assert [p["param"] for p in res.json()["error"]["problems"]] == [param]


def test_read_only_methods(client):
    for method in ("POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
        res = client.request(method, "/incidents.json")
        assert res.status_code == 405
        assert res.headers["allow"] == "GET, HEAD"
        assert res.json()["error"]["status"] == 405
    head = client.head("/incidents/i-harbour.json")
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(client.get("/incidents/i-harbour.json").content)


@pytest.mark.parametrize("path", ["/incidents", "/incidents.json", "/static/app.js", "/nope"])
def test_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    for part in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"):
        assert part in csp
    assert "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff"


def test_html_errors_for_browsers(client):
    res = client.get("/incidents/nope", headers={"accept": "text/html"})
    assert res.status_code == 404 and res.headers["content-type"].startswith("text/html")
    assert "no incident" in res.text


def test_openapi_schema(client):
    schema = client.get("/openapi.json").json()
    assert {"/incidents.json", "/incidents/{incident_id}.json", "/incidents/{incident_id}/export.{fmt}",
            "/export/incidents.{fmt}", "/articles.json", "/articles/{article_id}.json"} <= set(schema["paths"])
    op = schema["paths"]["/incidents.json"]["get"]
    assert {p["name"] for p in op["parameters"]} >= {"date_from", "date_to", "country", "admin1", "event_type",
                                                     "disagreement", "actor", "outlet", "q", "sort", "page", "per_page"}
    assert "422" not in op["responses"] and "400" in op["responses"]
    assert "Error" in schema["components"]["schemas"]
    assert not any(p.startswith(("/incidents/{incident_id}\"", "/static")) for p in schema["paths"])


class Tags(HTMLParser):
    """Every tag and attribute of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.mark.parametrize("page", ["/articles/{hostile}", "/incidents/i-depot", "/incidents", "/articles",
                                  "/articles?q=script"])
def test_hostile_markup_is_escaped(client, handmade, page):
    html = client.get(page.format(hostile=handmade["hostile"])).text
    parser = Tags()
    parser.feed(html)
    scripts = [a for t, a in parser.tags if t == "script"]
    assert scripts[0] == {"src": "/static/app.js", "defer": None}
    # the server's own files, or data elements the browser never runs
    assert all((a.get("src") or "").startswith("/static/") or a == {"type": "application/json", "id": a.get("id")}
               for a in scripts)
    assert not [t for t, _ in parser.tags if t in ("img", "iframe", "object", "embed", "i")]
    assert not [a for _, a in parser.tags if any(k.startswith("on") for k in a)]
    assert not [a for _, a in parser.tags if (a.get("href") or "").lower().startswith("javascript:")]
    assert not [a for _, a in parser.tags if "style" in a]


class TextOf(HTMLParser):
    """The text inside the first ``<div class="text">`` (an article's body on the page)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.done = False
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif not self.done and tag == "div" and dict(attrs).get("class") == "text":
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            self.done = self.depth == 0

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def test_hostile_text_shown_as_text(client, handmade):
    from tests.serve.conftest import HOSTILE

    html = client.get(f"/articles/{handmade['hostile']}").text
    body = TextOf()
    body.feed(html)
    assert "".join(body.parts) == HOSTILE
    assert "&lt;script&gt;" in html
    assert "&lt;b onmouseover=alert(1)&gt;Depot Times&lt;/b&gt;" in html
    assert "&lt;img src=x onerror=alert(&#39;title&#39;)&gt; Depot guards killed" in html


def test_live_server_is_read_only(handmade, live_server):
    before = hashlib.sha256(handmade["db"].read_bytes()).hexdigest()
    server = live_server(handmade["db"])
    with httpx.Client(base_url=server.url, timeout=10) as http:
        for path in ("/incidents", "/incidents.json?q=fishermen", "/incidents/i-harbour", "/articles",
                     f"/articles/{handmade['a']}.json", "/export/incidents.csv", "/openapi.json"):
            assert http.get(path).status_code == 200, path
        assert http.post("/incidents.json", json={}).status_code == 405
        home = http.get("/", follow_redirects=False)
        assert (home.status_code, home.headers["location"]) == (307, "/incidents")
    assert hashlib.sha256(handmade["db"].read_bytes()).hexdigest() == before


def test_demo_incidents_match_the_export_contract(demo_db):
    with TestClient(create_app(demo_db)) as client, open_store(demo_db) as store:
        listed = client.get("/incidents.json", params={"per_page": 100}).json()
        assert listed["total"] == len(store.incidents()) >= 6
        texts = {a.id: a.text for a in store.articles()}
        for row in listed["incidents"]:
            page = client.get(f"/incidents/{row['id']}.json").json()
            assert page["incident"] == incident_dict(store.incident(row["id"]))
            for fig in page["figures"]:
                s = fig["sentence"]
                assert texts[fig["article_id"]][s["start"]:s["end"]] == s["text"]
            for acc in page["accounts"]:
                for span in acc["spans"]:
                    assert acc["text"][span["start"]:span["end"]] == span["text"]
        mali = client.get("/incidents.json", params={"country": "Mali"}).json()["incidents"]
        assert [i["location"]["name"] for i in mali] == ["Ansongo"]
        assert client.get("/incidents.json", params={"q": "Ansongo"}).json()["total"] == 1


def test_seed_incident(seed_db):
    with TestClient(create_app(seed_db)) as client:
        found = client.get("/incidents.json", params={"q": "Khasham"}).json()["incidents"]
        assert len(found) == 1
        page = client.get(f"/incidents/{found[0]['id']}.json").json()
        assert "killed" in [d["field"] for d in page["disagreements"]]
        assert {a["article"]["outlet"] for a in page["accounts"]} >= {"Global Research"}
