"""The data the interactive map and the timeline draw (serve/overview.py), and how the pages carry it."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from rashomon.serve.app import create_app
from rashomon.serve.overview import event_label, map_data, timeline_data


def _row(ident: str, day: str | None, low: int | None, best: int | None, high: int | None,
         lat: float | None = 1.0) -> dict[str, object]:
    return {"id": ident, "location": "Lowtown", "admin1": "North", "country": "Nowhere", "lat": lat, "lon": 2.0,
            "date_start": day, "date_end": day, "killed_low": low, "killed_best": best, "killed_high": high,
            "event_type": "armed_clash", "has_disagreement": 0}


def test_event_labels():
    assert event_label("armed_clash") == "Armed clash"
    assert event_label("air_strike") == "Air strike"
    assert event_label(None) == ""


def test_timeline_bins_fill_the_gaps_and_sum_the_tolls():
    rows = [_row("i1", "2025-01-30", 2, 3, 5), _row("i2", "2025-02-03", 4, 4, None), _row("i3", None, 1, 1, 1),
            _row("i4", "2025-03-31", None, None, None)]
    data = timeline_data(rows)
    assert (data["dated"], data["undated"]) == (3, 1)
    months = data["units"]["month"]
    assert [(m["start"], m["end"], m["incidents"]) for m in months] == [
        ("2025-01-01", "2025-01-31", 1), ("2025-02-01", "2025-02-28", 1), ("2025-03-01", "2025-03-31", 1)]
    assert (months[1]["low"], months[1]["best"], months[1]["high"]) == (4, 4, 4)  # open high counts as its best
    weeks = data["units"]["week"]
    assert weeks[0]["start"] == "2025-01-27" and weeks[1]["start"] == "2025-02-03"  # ISO weeks, from Monday
    assert (weeks[0]["incidents"], weeks[1]["incidents"]) == (1, 1)
    assert sum(w["incidents"] for w in weeks) == 3 and len(weeks) == 10
    days = data["units"]["day"]
    assert len(days) == 61 and sum(d["incidents"] for d in days) == 3
    assert timeline_data([])["units"] == {}


def test_map_data_keeps_located_incidents_with_their_popup_text():
    data = map_data([_row("i1", "2025-01-30", 2, 3, 5), _row("i2", "2025-02-03", 4, 4, 4, lat=None)])
    (point,) = data["points"]
    assert point["place"] == "Lowtown, North, Nowhere" and point["killed_text"] == "3 killed (2–5)"
    assert point["href"] == "/incidents/i1" and point["type"] == "Armed clash"


@pytest.fixture(scope="module")
def client(handmade):
    return TestClient(create_app(handmade["db"]))


def test_pages_carry_the_data_as_inert_json(client):
    html = client.get("/incidents", headers={"accept": "text/html"}).text
    found = re.search(r'<script type="application/json" id="overview-data">(.*?)</script>', html, re.DOTALL)
    assert found is not None
    data = json.loads(found.group(1))
    assert [p["id"] for p in data["map"]["points"]] == ["i-harbour"]  # the depot has no coordinates
    assert data["timeline"]["dated"] == 2
    assert "<" not in found.group(1) and ">" not in found.group(1)  # markup in a name cannot end the element
    page = client.get("/incidents/i-harbour", headers={"accept": "text/html"}).text
    assert 'id="incident-map-data"' in page and "leaflet.js" in page
    assert "leaflet.js" not in client.get("/incidents/i-depot", headers={"accept": "text/html"}).text


def test_docs_page_uses_only_vendored_files(client):
    res = client.get("/docs", headers={"accept": "text/html"})
    assert res.status_code == 200
    srcs = re.findall(r'(?:src|href)="([^"]+)"', res.text)
    assert "/static/vendor/swagger-ui-dist-5.36.0/swagger-ui-bundle.js" in srcs
    assert all(s.startswith("/") for s in srcs)
    csp = res.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "img-src 'self' data:;" in csp
    assert "'unsafe-inline'" not in csp


def test_vendored_assets_ship_with_their_licences_and_manifest():
    import glob
    import hashlib
    import tomllib
    from pathlib import Path

    package = Path(__file__).resolve().parents[2] / "src" / "rashomon"
    vendor = package / "serve" / "static" / "vendor"
    config = tomllib.loads((package.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["rashomon"]
    shipped = {Path(p) for pat in patterns for p in glob.glob(str(package / pat), recursive=True)}
    files = [p for p in vendor.rglob("*") if p.is_file()]
    assert files and all(p in shipped for p in files), [p for p in files if p not in shipped]
    sums = dict(reversed(line.split(maxsplit=1)) for line in (vendor / "SHA256SUMS").read_text().splitlines())
    listed = {p for p in files if p.name not in ("README.md", "SHA256SUMS")}
    assert {vendor / name for name in sums} == listed  # every third-party file is listed, and only those
    for name, digest in sums.items():  # unchanged since it was copied from its package
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest, name
    manifest = (vendor / "README.md").read_text(encoding="utf-8")
    for folder in (p for p in vendor.iterdir() if p.is_dir()):
        assert (folder / "LICENSE").is_file(), folder.name
        name, version = folder.name.rsplit("-", 1)
        assert f"[{name}]" in manifest and f"| {version} |" in manifest, folder.name


def test_tables_read_as_labels_sides_and_outlets(client):
    html = client.get("/incidents", headers={"accept": "text/html"}).text
    row = re.search(r'<tr data-incident="i-harbour".*?</tr>', html, re.DOTALL).group(0)
    assert "<td>Attack on civilians</td>" in row and "attack_on_civilians" not in row
    assert '<td class="actors side-a">unidentified gunmen</td>' in row
    assert '<td class="actors side-b">civilians</td>' in row
    assert ">Attack on civilians</option>" in html  # the type filter shows labels, sends codes
    page = client.get("/incidents/i-harbour", headers={"accept": "text/html"}).text
    figures = re.findall(r'<tr [^>]*data-figure="[^"]+".*?</tr>', page, re.DOTALL)
    outlets = [re.findall(r"<td[^>]*>(.*?)</td>", f, re.DOTALL)[8] for f in figures]  # the outlet column
    assert figures and set(outlets) <= {"Harbour Gazette", "Coast Wire"}


def test_the_written_name_is_another_spelling_of_the_place_never_its_region():
    from rashomon.models import Incident, Place, Span
    from rashomon.serve.views import written_name

    def written(place: str, *texts: str) -> str | None:
        spans = [Span.model_construct(article_id="a1", start=0, end=len(t), text=t) for t in texts]
        return written_name(Incident.model_construct(location=Place.model_construct(name=place), location_evidence=spans))

    assert written("Qaryat Zalfa", "Qariyat Zalfah", "Qariyat Zalfah", "Qaryat Zalfa") == "Qariyat Zalfah"
    assert written("Lomoro", "the Upper Tana valley", "Lomoro") == "Lomoro"  # the region is no name of the place
    assert written("Lomoro", "the Upper Tana valley") is None
    assert written("Sabuka", "Sabuka district", "Sabuka district") == "Sabuka"  # an admin word is no other spelling
