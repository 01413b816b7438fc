"""An incident's place is found by every name the store knows for it (issue 15): the gazetteer's
("Khushām"), its ASCII form ("Khusham"), the reports' own ("Khasham"), GeoNames' alternates; on
SQLite and PostgreSQL, in search and in the place filter; the page shows the reports' name with the
gazetteer's beside it, and no local path."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.pg_server import pg_server, pg_url  # noqa: F401  (fixtures)

from rashomon.geo.spellings import name_key, place_names
from rashomon.models import Place
from rashomon.pipeline import run
from rashomon.serve.app import create_app
from rashomon.store import open_store
from rashomon.store.queries import Filters

REPORT = ("Air raid on Khasham\n\n"
          "Warplanes bombed Khasham in Syria's Deir Ezzor region on Wednesday, killing nine fighters "
          "and a shepherd, a local monitoring group said on Thursday.\n")

SPELLINGS = ("Khushām", "Khusham", "Khasham", "KHUSHAM", "khasham")


@pytest.fixture(scope="module")
def khasham_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("khasham")
    (folder / "in").mkdir()
    (folder / "in" / "drone-report.txt").write_text(REPORT, encoding="utf-8")
    db = folder / "s.sqlite"
    run([folder / "in"], db)
    return db


def test_name_keys_and_names_of_a_place():
    assert name_key("Khushām") == name_key("KHUSHAM") == "khusham" != name_key("Khasham")
    place = Place(name="Khushām", geonames_id=167899, feature="city", country_code="SY")
    names = place_names(place, ["Khasham", "Khasham"])
    assert names[:3] == [("Khushām", "gazetteer"), ("Khusham", "ascii"), ("Khasham", "written")]
    alternates = [n for n, kind in names if kind == "alternate"]
    assert alternates and all(name_key(n) not in {"khusham", "khasham"} for n in alternates)
    assert place_names(None, ["Somewhere"]) == [("Somewhere", "written")]


def _found(store, **filters) -> list[str]:
    return [i.id for i in store.incident_page(Filters(**filters)).rows]


def _check_spellings(store) -> None:
    [inc] = store.incidents()
    assert inc.location is not None and inc.location.name == "Khushām"
    for spelling in SPELLINGS:
        assert _found(store, q=spelling) == [inc.id], spelling
        assert _found(store, place=spelling) == [inc.id], spelling
        assert [r.article.source.endswith("drone-report.txt") for r in store.article_page(Filters(q=spelling)).rows] == [True]
    assert _found(store, place="Aleppo") == [] and _found(store, q="Aleppo") == []
    kinds = {kind for _, kind in store.place_names(inc.id)}
    assert {"gazetteer", "ascii", "written"} <= kinds


def test_three_spellings_find_the_place_on_sqlite(khasham_db):
    with open_store(khasham_db, readonly=True) as store:
        _check_spellings(store)


def test_three_spellings_find_the_place_on_postgresql(khasham_db, pg_url):  # noqa: F811
    folder = khasham_db.parent / "in"
    run([folder], pg_url)
    with open_store(pg_url) as store:
        _check_spellings(store)


def test_the_page_shows_the_reports_name_beside_the_gazetteers_and_no_local_path(khasham_db):
    with TestClient(create_app(khasham_db)) as client, open_store(khasham_db, readonly=True) as store:
        [inc] = store.incidents()
        [art] = list(store.articles())
        page = client.get(f"/incidents/{inc.id}").text
        assert "Khasham (Khushām)" in page
        listed = client.get("/incidents", params={"q": "Khusham"}).text
        assert "Khasham (Khushām)" in listed
        by_place = client.get("/incidents", params={"place": "khusham"}).text  # the list page's place box
        assert "Khasham (Khushām)" in by_place and 'name="place" maxlength="200" value="khusham"' in by_place
        assert "Khasham (Khushām)" not in client.get("/incidents", params={"place": "Aleppo"}).text
        data = client.get(f"/incidents/{inc.id}.json").json()
        assert data["place"]["written"] == "Khasham" and data["place"]["name"] == "Khushām"
        folder = str(khasham_db.parent)
        for path in (f"/articles/{art.id}", f"/articles/{art.id}.json", f"/incidents/{inc.id}", f"/incidents/{inc.id}.json",
                     "/articles.json"):
            body = client.get(path).text
            assert folder not in body, path
        assert client.get(f"/articles/{art.id}.json").json()["article"]["source"] == "drone-report.txt"
