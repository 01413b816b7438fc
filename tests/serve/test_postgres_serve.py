"""``rashomon serve`` over a PostgreSQL store gives the JSON it gives over SQLite.

One corpus (the demo corpus) is analysed by the real pipeline into a SQLite file and into a database
on the real PostgreSQL server of ``tests/pg_server.py``; the app is built over each and every list
(each sort, a few filters, a search), every incident page and every article page must be the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.pg_server import new_database
from typer.testing import CliRunner

from rashomon.demo import DEFAULT_CORPUS
from rashomon.pipeline import run
from rashomon.serve.app import create_app
from rashomon.store import open_store
from rashomon.store.queries import ARTICLE_SORTS, INCIDENT_SORTS, SNIPPET_OPEN


def _get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, (path, params, response.text[:300])
    return response.json()


def _first_difference(a: Any, b: Any, where: str = "") -> str | None:
    """Where two JSON values first differ (a path like ``accounts[0].spans``), or ``None``."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            found = _first_difference(a.get(key), b.get(key), f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return next((d for i, (x, y) in enumerate(zip(a, b, strict=True))
                     if (d := _first_difference(x, y, f"{where}[{i}]"))), None)
    return None if a == b else f"{where}: {str(a)[:200]!r} != {str(b)[:200]!r}"


def _both(lite: TestClient, pg: TestClient, path: str, **params: Any) -> Any:
    """The JSON of ``path`` from both apps, which must be equal; returned once."""
    expected = _get(lite, path, **params)
    got = _get(pg, path, **params)
    assert got == expected, (path, params, _first_difference(expected, got))
    return expected


def _sorts(keys: dict[str, str]) -> list[str]:
    return [s for key in keys for s in (key, "-" + key)]


@pytest.fixture(scope="module")
def stores(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The demo corpus analysed into a SQLite file and into a PostgreSQL database."""
    lite_db = tmp_path_factory.mktemp("serve-pg") / "demo.sqlite"
    pg_db = new_database(pg_server)
    run([DEFAULT_CORPUS], lite_db)
    run([DEFAULT_CORPUS], pg_db)
    return lite_db, pg_db


@pytest.fixture(scope="module")
def apps(stores: tuple[Path, str]) -> Iterator[tuple[TestClient, TestClient]]:
    lite_db, pg_db = stores
    with TestClient(create_app(lite_db)) as lite, TestClient(create_app(pg_db)) as pg:
        yield lite, pg


def test_postgres_store_serves_the_json_of_sqlite(apps: tuple[TestClient, TestClient]) -> None:
    lite, pg = apps
    listed = _both(lite, pg, "/incidents.json", per_page=100)
    assert listed["total"] >= 3 and len(listed["incidents"]) == listed["total"]
    for sort in _sorts(INCIDENT_SORTS):
        _both(lite, pg, "/incidents.json", sort=sort, per_page=2, page=2)
    for inc in listed["incidents"]:
        page = _both(lite, pg, f"/incidents/{inc['id']}.json")
        assert page["accounts"] and page["incident"]["id"] == inc["id"]

    articles = _both(lite, pg, "/articles.json", per_page=100)
    assert articles["total"] >= 10 and len(articles["articles"]) == articles["total"]
    for sort in _sorts(ARTICLE_SORTS):
        _both(lite, pg, "/articles.json", sort=sort, per_page=3)
    for art in articles["articles"]:
        _both(lite, pg, f"/articles/{art['id']}.json")

    # filters: each picked from what the store holds, each narrowing the list to a part of it
    first = next(i for i in listed["incidents"]
                 if i["location"]["country"] and i["actors"]["side_a"] and i["outlets"])
    outlet = first["outlets"][0]
    narrowed = [
        {"country": first["location"]["country"].upper()},
        {"country": first["location"]["country_code"].lower()},
        {"actor": first["actors"]["side_a"][0][1:-1]},
        {"outlet": outlet.swapcase()},
        {"disagreement": "yes"},
        {"date_from": first["date_start"]},
    ]
    for params in narrowed:
        found = _both(lite, pg, "/incidents.json", per_page=100, **params)
        assert 0 < found["total"] <= listed["total"], params
        _both(lite, pg, "/articles.json", per_page=100, **params)


def test_postgres_search_uses_its_text_index(apps: tuple[TestClient, TestClient]) -> None:
    """Full-text search on PostgreSQL (the tsvector index) finds what FTS5 finds, with snippets."""
    lite, pg = apps
    first = _get(lite, "/articles.json", sort="ingested", per_page=1)["articles"][0]
    body = _get(lite, f"/articles/{first['id']}.json")["text"]
    word = max(re.findall(r"\b[A-Za-z]{5,}\b", body[:300]), key=len)  # a word of the body: snippets show it
    for query in (word, word.upper(), f'"{word}" {word.lower()}'):
        ids = {}
        for name, client in (("sqlite", lite), ("postgresql", pg)):
            found = _get(client, "/articles.json", q=query, per_page=100)
            ids[name] = [a["id"] for a in found["articles"]]
            incidents = _get(client, "/incidents.json", q=query, per_page=100)
            ids[name + " incidents"] = [i["id"] for i in incidents["incidents"]]
        assert ids["postgresql"] == ids["sqlite"] and ids["sqlite"], query
        assert ids["postgresql incidents"] == ids["sqlite incidents"], query
    for client in (lite, pg):
        matched = _get(client, "/articles.json", q=word, per_page=100)["articles"]
        snippet = next(a["snippet"] for a in matched if a["id"] == first["id"])
        assert SNIPPET_OPEN + word.lower() in snippet.lower(), snippet
    assert _get(pg, "/articles.json", q="zzqxv-nowhere")["total"] == 0
    for path in ("/incidents", "/articles", f"/articles?q={word}"):  # the pages (maps, facets) render
        response = pg.get(path, headers={"accept": "text/html"})
        assert response.status_code == 200 and "<html" in response.text, path


def test_request_stores_are_read_only_on_postgres(pg_url: str) -> None:
    import psycopg

    open_store(pg_url).close()  # created and migrated
    with open_store(pg_url, readonly=True) as store, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        store.conn.execute("DELETE FROM incidents")


def test_cli_serves_a_postgres_url(stores: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """``rashomon serve --db postgresql://...`` builds the app over that store (uvicorn's loop left out)."""
    import uvicorn

    from rashomon.cli import app

    pg_url = stores[1]
    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda asgi, **kw: served.append(asgi))
    res = CliRunner().invoke(app, ["serve", "--db", pg_url, "--port", "8765"])
    assert res.exit_code == 0, res.output
    with TestClient(served[0], base_url="http://127.0.0.1") as client, open_store(pg_url) as store:
        listed = _get(client, "/incidents.json", per_page=100)
        assert sorted(i["id"] for i in listed["incidents"]) == sorted(i.id for i in store.incidents())
