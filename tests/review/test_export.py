"""Exports say what a person decided: JSON carries ``reviewed``, ``corrections`` and the machine's
value of each corrected field; CSV uses the corrected values; ``--reviewed-only`` keeps the reviewed."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from rashomon.cli import app
from rashomon.review import api
from tests.review.conftest import Corpus


def test_exports_carry_the_corrections(corpus: Corpus) -> None:
    with corpus.open() as store:
        gulu = corpus.incident_of(store, "gulu_1")
        machine_killed = gulu.killed.best
        fix = api.set_field(store, gulu.id, "killed_best", "9", reason="morgue count", who="ann").correction
        api.set_field(store, gulu.id, "side_b", "Bar patrons; Bar staff", reason="who was hit", who="ann")
        done = api.reviewed(store, gulu.id, who="bo").correction
    cli = CliRunner()
    result = cli.invoke(app, ["export", "--db", str(corpus.db), "--format", "json"])
    incidents = {i["id"]: i for i in json.loads(result.output)["incidents"]}
    got = incidents[gulu.id]
    assert got["reviewed"] is True and got["killed"]["best"] == 9
    assert got["machine_values"] == {"killed_best": machine_killed, "side_b": [a.name for a in gulu.actors_b]}
    assert [(c["id"], c["who"], c["operation"], c["reason"]) for c in got["corrections"]][::2] == [
        (fix.id, "ann", "set", "morgue count"), (done.id, "bo", "reviewed", "")]
    others = [i for i in incidents.values() if i["id"] != gulu.id]
    assert others and all(not i["reviewed"] and i["corrections"] == [] for i in others)

    rows = {r["event_id"]: r for r in csv.DictReader(io.StringIO(
        cli.invoke(app, ["export", "--db", str(corpus.db), "--format", "csv"]).output))}
    assert rows[gulu.id]["best"] == "9" and rows[gulu.id]["actor2"] == "Bar patrons; Bar staff"

    only = cli.invoke(app, ["export", "--db", str(corpus.db), "--reviewed-only"])
    assert [i["id"] for i in json.loads(only.output)["incidents"]] == [gulu.id]
