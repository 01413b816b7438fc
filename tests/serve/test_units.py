"""Unit tests of the serve helpers: search queries, highlighting, maps, the relations graph, the
basemap builder, the read-only connection and the full-text index migration."""

from __future__ import annotations

import json
import sqlite3
import struct
import warnings
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from rashomon.serve import highlight, mapsvg
from rashomon.serve.basemap_build import build
from rashomon.serve.cli import allowed_hosts, serve
from rashomon.serve.graph import layout, relations
from rashomon.store import open_store, queries


@pytest.mark.parametrize(("text", "expected"), [
    (None, None),
    ("", None),
    ("  ", None),
    ("drone strike", '"drone" "strike"'),
    ('"drone strike" Gao', '"drone strike" "Gao"'),
    ('say "hi', '"say" "hi"'),
    ('NOT ( * OR', '"NOT" "OR"'),
    ('a"b', '"a b"'),
    ("-- ; ' ?", None),
])
def test_fts_query_quotes_every_term(text, expected):
    assert queries.fts_query(text) == expected


def test_highlight_escapes_every_piece_and_nests_marks():
    text = "<b>Five</b> & four"
    marks = [highlight.Mark(0, 11, "claim", "c1"), highlight.Mark(3, 7, "figure", "f1"),
             highlight.Mark(0, 18, "sentence"), highlight.Mark(5, 99, "figure", "bad")]
    html = str(highlight.render(text, marks))
    assert "<b>" not in html and "&lt;b&gt;" in html and "&amp;" in html
    assert html == (
        '<span class="seg k-claim" data-sent="s0-18" data-rec="c1">&lt;b&gt;</span>'
        '<span class="seg k-claim k-figure" data-sent="s0-18" data-rec="c1 f1">Five</span>'
        '<span class="seg k-claim" data-sent="s0-18" data-rec="c1">&lt;/b&gt;</span>'
        '<span class="seg" data-sent="s0-18"> &amp; four</span>'
    )


def test_highlight_ids_are_escaped_too():
    html = str(highlight.render("abc", [highlight.Mark(0, 3, "figure", '"><script>')]))
    assert "<script>" not in html and "&#34;&gt;&lt;script&gt;" in html


def test_snippet_marks_matches_and_escapes():
    html = str(highlight.snippet("…a <i>\ue000drone\ue001</i> strike", "\ue000", "\ue001"))
    assert html == "…a &lt;i&gt;<mark>drone</mark>&lt;/i&gt; strike"


def test_map_frames_points_and_sizes_markers():
    few = mapsvg.MapPoint("i1", "A", 15.0, 0.5, 1, False, "/incidents/i1")
    many = mapsvg.MapPoint("i2", "B", 12.0, 8.5, 100, True, "/incidents/i2")
    view = mapsvg.render_map([few, many])
    x, y, w, h = (float(v) for v in view.view_box.split())
    assert w == pytest.approx(2 * h)
    for m in view.markers:
        assert x < m.cx < x + w and y < m.cy < y + h
    small, big = sorted(view.markers, key=lambda m: m.r)
    assert (small.id, big.id) == ("i1", "i2") and big.r > 2 * small.r
    assert big.disputed and big.ring > big.r
    assert any(name == "Niger" for name, _ in view.land)
    world = mapsvg.render_map([])
    assert len(world.land) > 150 and world.markers == []


def test_relations_graph_with_an_outside_source():
    sources = [
        {"id": "a1", "outlet": "Wire A", "title": None, "published": "2025-01-02", "relation": "republication",
         "copied_from": "AFP"},
        {"id": "a2", "outlet": None, "title": "Rewrite", "published": "2025-01-03", "relation": "rewrite",
         "copied_from": "a1"},
    ]
    graph = relations(sources, {("a1", "a2"): 0.5})
    assert [n["id"] for n in graph["nodes"]] == ["a1", "a2", "ext:AFP"]
    assert graph["edges"] == [
        {"source": "ext:AFP", "target": "a1", "relation": "republication", "share": None},
        {"source": "a1", "target": "a2", "relation": "rewrite", "share": 0.5},
    ]
    drawing = layout(graph)
    cols = {b.id: b.x for b in drawing.boxes}
    assert cols["ext:AFP"] < cols["a1"] < cols["a2"]
    assert [a.label for a in drawing.arrows] == ["republication", "rewrite 50%"]


def _tiny_shapefile(folder: Path) -> Path:
    """One country, a square with a square hole, as a polygon shapefile and its dBASE table."""
    outer = [(0.0, 0.0), (0.0, 10.0), (10.0, 10.0), (10.0, 0.0), (0.0, 0.0)]  # clockwise: outer ring
    hole = [(2.0, 2.0), (8.0, 2.0), (8.0, 8.0), (2.0, 8.0), (2.0, 2.0)]  # anticlockwise: a hole
    points = outer + hole
    content = struct.pack("<i4d2i", 5, 0, 0, 10, 10, 2, len(points)) + struct.pack("<2i", 0, len(outer))
    content += b"".join(struct.pack("<2d", x, y) for x, y in points)
    shp = folder / "land.shp"
    shp.write_bytes(b"\0" * 100 + struct.pack(">2i", 1, len(content) // 2) + content)
    fields = [(b"name", 10), (b"iso_a3", 3)]
    header = struct.pack("<B3xIHH20x", 3, 1, 32 + 32 * len(fields) + 1, 1 + 13)
    for name, width in fields:
        header += name.ljust(11, b"\0") + b"C" + b"\0" * 4 + bytes([width]) + b"\0" * 15
    (folder / "land.dbf").write_bytes(header + b"\r" + b" " + b"Squareland" + b"SQL" + b"\x1a")
    return shp


def test_basemap_builder_reads_a_shapefile(tmp_path):
    doc = build(_tiny_shapefile(tmp_path))
    (feature,) = doc["features"]
    assert feature["properties"] == {"name": "Squareland", "iso_a3": "SQL"}
    (polygon,) = feature["geometry"]["coordinates"]
    outer, hole = polygon
    assert outer == [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]  # anticlockwise, as GeoJSON wants
    assert hole == [[2, 2], [2, 8], [8, 8], [8, 2], [2, 2]]


def test_shipped_basemap_is_natural_earth():
    doc = json.loads(mapsvg.BASEMAP.read_text(encoding="utf-8"))
    assert "Natural Earth" in doc["source"] and len(doc["features"]) == 177


def test_readonly_connection_and_search_index(tmp_path):
    from rashomon.models import Article, IngestOutcome

    db = tmp_path / "s.sqlite"
    with open_store(db) as store:
        names = [r[0] for r in store.query("SELECT name FROM _migrations ORDER BY name")]
        assert names[:2] == ["0001_initial", "0002_articles_fts"]
        art = Article(id="a1", source="mem", title="Ferry sinks", text="A ferry sank near Mopti.")
        store.add_outcome(IngestOutcome(source="mem", article=art))
        with store.transaction() as conn:
            conn.execute("UPDATE articles SET text = 'A barge sank near Mopti.' WHERE id = 'a1'")
    conn = queries.connect_readonly(db)
    try:
        match = "SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?"
        assert conn.execute(match, ('"barge"',)).fetchone()[0] == 1
        assert conn.execute(match, ('"ferry"',)).fetchone()[0] == 1  # from the title
        assert conn.execute(match, ('"sank" "ferry" "mopti"',)).fetchone()[0] == 1
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("DELETE FROM articles")
    finally:
        conn.close()


def test_allowed_hosts():
    assert allowed_hosts("127.0.0.1") == ["127.0.0.1", "::1", "localhost"]
    assert allowed_hosts("192.0.2.7") == ["127.0.0.1", "192.0.2.7", "::1", "localhost"]
    assert allowed_hosts("0.0.0.0") == ["*"]


def test_foreign_host_header_is_refused(handmade):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from rashomon.serve.app import create_app

    app = create_app(handmade["db"], allowed_hosts=allowed_hosts("127.0.0.1"))
    assert TestClient(app, base_url="http://127.0.0.1:8000").get("/incidents.json").status_code == 200
    assert TestClient(app, base_url="http://rebound.example").get("/incidents.json").status_code == 400


def test_serve_command(tmp_path):
    app = typer.Typer()
    app.command()(serve)
    runner = CliRunner()
    res = runner.invoke(app, ["--db", str(tmp_path / "missing.sqlite")])
    assert res.exit_code == 1 and "no store at" in res.output
    helptext = runner.invoke(app, ["--help"]).output
    for option in ("--db", "--host", "--port", "127.0.0.1", "8000"):
        assert option in helptext
