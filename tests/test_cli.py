"""The CLI against a real SQLite file: exact rows, bad input reported, re-runs add nothing."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
from typer.testing import CliRunner

from rashomon.cli import app
from rashomon.export import CSV_COLUMNS

runner = CliRunner()

REPORT_1 = """---
title: Gunmen kill five at bus station in Mopti
outlet: Inner Delta News
published: 2025-10-07
---
Gunmen on motorbikes killed five people at the main bus station in Mopti on Monday, the regional
governor said.

"Five passengers were shot dead and eight others were wounded," Governor Oumar Tessougue-Baly told
reporters. About 200 soldiers were deployed to the town after the attack.
"""

REPORT_2 = """---
title: Mopti bus station attack toll rises
outlet: Niger Valley Wire
published: 2025-10-08
---
The number of people killed in Monday's attack on the Mopti bus station has risen to at least nine,
a hospital official said on condition of anonymity.

The official said nine bodies had been brought to the hospital in Mopti and twelve people were wounded.
Witnesses said the gunmen fired for about 10 minutes before fleeing towards the river.
"""


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text(REPORT_1, encoding="utf-8")
    (folder / "two.txt").write_text(REPORT_2, encoding="utf-8")
    (folder / "broken.jsonl").write_text('{"text": "ok line but too short"}\n{not json\n', encoding="utf-8")
    (folder / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    return folder


def test_analyse_reports_bad_input_and_processes_the_rest(corpus, tmp_path):
    db = tmp_path / "out.sqlite"
    res = runner.invoke(app, ["analyse", str(corpus), "--db", str(db), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "rejected" in res.output and "picture.txt" in res.output and "broken.jsonl" in res.output

    con = sqlite3.connect(db)
    outcomes = sorted((src.rsplit("/", 1)[-1], out) for src, out in con.execute("SELECT source, outcome FROM inputs"))
    assert outcomes == [
        ("broken.jsonl#line=1", "ingested"),
        ("broken.jsonl#line=2", "rejected"),
        ("one.txt", "ingested"),
        ("picture.txt", "rejected"),
        ("two.txt", "ingested"),
    ]
    assert con.execute("SELECT COUNT(*) FROM rejections").fetchone()[0] == 2
    titles = sorted(r[0] or "" for r in con.execute("SELECT title FROM articles"))
    assert titles[-2:] == ["Gunmen kill five at bus station in Mopti", "Mopti bus station attack toll rises"]
    rows = con.execute(
        "SELECT i.location, i.country, i.killed_low, i.killed_high, i.n_articles FROM incidents i "
        "WHERE i.n_articles = 2"
    ).fetchall()
    assert rows == [("Mopti", "Mali", 5, 9, 2)]
    figs = con.execute(
        "SELECT f.kind, f.value, f.low, f.high, f.qualifier, f.speaker, f.anonymous FROM figures f "
        "JOIN articles a ON a.id = f.article_id WHERE a.outlet = 'Niger Valley Wire' ORDER BY f.start_char"
    ).fetchall()
    assert ("killed", 9, 9, 9, None, "hospital official", 1) in figs
    assert all(f[1] != 200 and f[2] != 200 for f in figs)  # soldiers deployed are not casualties

    # Re-running on the same inputs adds nothing.
    res = runner.invoke(app, ["analyse", str(corpus), "--db", str(db), "--no-progress", "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["ingest"]["ingested"] == 0 and summary["ingest"]["duplicate"] == 3
    assert con.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 3
    assert con.execute("SELECT COUNT(*) FROM incidents WHERE n_articles = 2").fetchone()[0] == 1


def test_strict_exit_code_and_not_found(corpus, tmp_path):
    db = tmp_path / "s.sqlite"
    res = runner.invoke(app, ["ingest", str(corpus), "--db", str(db), "--strict"])
    assert res.exit_code == 3
    res = runner.invoke(app, ["show", "nope", "--db", str(db)])
    assert res.exit_code == 4
    res = runner.invoke(app, ["export", "--db", str(db), "--format", "xml"])
    assert res.exit_code == 2


def test_show_and_exports(corpus, tmp_path):
    db = tmp_path / "e.sqlite"
    assert runner.invoke(app, ["analyse", str(corpus), "--db", str(db), "--no-progress"]).exit_code == 0
    incs = json.loads(runner.invoke(app, ["incidents", "--db", str(db), "--json"]).stdout)["incidents"]
    mopti = next(i for i in incs if i["location"]["name"] == "Mopti")
    shown = runner.invoke(app, ["show", mopti["id"][:8], "--db", str(db)])
    assert shown.exit_code == 0 and "hospital official (anonymous)" in shown.output
    assert "Governor Oumar Tessougue-Baly" in shown.output
    assert "[total" in shown.output and "reported 2025-10-" in shown.output  # each figure's scope and day
    assert "toll over time" in shown.output

    out = tmp_path / "x.csv"
    assert runner.invoke(app, ["export", "--db", str(db), "--format", "csv", "-o", str(out)]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert list(rows[0].keys()) == CSV_COLUMNS
    row = next(r for r in rows if r["location"] == "Mopti")
    assert (row["event_date"], row["country"], row["fatalities"], row["low"], row["high"]) == (
        "2025-10-06", "Mali", "5", "5", "9")
    geo = json.loads(runner.invoke(app, ["export", "--db", str(db), "--format", "geojson"]).stdout)
    assert geo["type"] == "FeatureCollection" and any(f["id"] == mopti["id"] for f in geo["features"])


@pytest.mark.parametrize("command", ["ingest", "analyse", "incidents", "show", "export", "demo", "review merge",
                                     "review move", "review figure", "review set", "review alias", "review reviewed",
                                     "review note", "review undo", "review log", "review check", "review import",
                                     "review token"])
def test_help_names_the_library_call(command):
    res = runner.invoke(app, [*command.split(), "--help"])
    assert res.exit_code == 0 and "In Python:" in res.output


def test_process_engine_gives_the_same_incidents(corpus, tmp_path):
    """``--engine process`` runs extraction in worker processes; the store it leaves is the same."""
    dbs = {}
    for name, extra in (("local", []), ("process", ["--engine", "process", "--workers", "2"])):
        dbs[name] = tmp_path / f"{name}.sqlite"
        res = runner.invoke(app, ["analyse", str(corpus), "--db", str(dbs[name]), "--no-progress", "--json", *extra])
        assert res.exit_code == 0, res.output
    exported = {name: json.loads(runner.invoke(app, ["export", "--db", str(db)]).stdout) for name, db in dbs.items()}
    assert exported["local"] == exported["process"] and exported["local"]


def test_engine_usage_errors_and_serve_opens_postgres_urls(tmp_path):
    db = str(tmp_path / "u.sqlite")
    assert runner.invoke(app, ["analyse", "--db", db, "--engine", "spark"]).exit_code == 2
    assert runner.invoke(app, ["analyse", "--db", db, "--workers", "2"]).exit_code == 2
    # serve takes a PostgreSQL URL (tests/serve/test_postgres_serve.py serves one); with no server
    # at the address it says so in one line, the password left out
    res = runner.invoke(app, ["serve", "--db", "postgresql://someone:secret@127.0.0.1:1/rashomon"])
    assert res.exit_code == 1 and "cannot open the store postgresql://someone:***@127.0.0.1:1/rashomon" in res.output
    assert "secret" not in res.output


def test_config_file_reaches_the_extraction_components(corpus, tmp_path):
    """``--config`` with ``[extract.event_type] min_score`` above any score: the same reports are
    extracted without an event type (the default settings give them one)."""
    from rashomon.store import open_store

    strict = tmp_path / "strict.toml"
    strict.write_text("[extract.event_type]\nmin_score = 1000.0\n", encoding="utf-8")
    types = {}
    for name, extra in (("default", []), ("strict", ["--config", str(strict)])):
        db = tmp_path / f"{name}.sqlite"
        res = runner.invoke(app, ["analyse", str(corpus), "--db", str(db), "--no-progress", *extra])
        assert res.exit_code == 0, res.output
        with open_store(db) as store:
            ids = [a.id for a in store.articles()]
            types[name] = [m.event_type for m in store.mentions(ids).values()]
    assert len(types["default"]) == len(types["strict"]) == 3  # the two reports and the short JSONL line
    assert sum(t is not None for t in types["default"]) == 2
    assert types["strict"] == [None, None, None]
