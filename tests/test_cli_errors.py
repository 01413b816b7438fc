"""Ordinary mistakes get a clear answer and leave nothing behind (issue 15): a mistyped store, a
missing input path, ``analyse`` with nothing to do; ``--version``; counts that mean what they say."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rashomon.cli import app
from rashomon.store import StoreNotFound, open_store

runner = CliRunner()

READ_ONLY = [
    ["incidents"], ["incidents", "--json"], ["show", "i123"], ["export"], ["export", "--format", "csv"],
    ["serve"], ["failures"], ["failures", "--json"],
    ["review", "log"], ["review", "check"], ["review", "reviewed", "i123", "--reason", "checked", "--as", "ana"],
]


@pytest.mark.parametrize("command", READ_ONLY, ids=lambda c: " ".join(c))
def test_read_only_commands_on_a_missing_store_exit_1_and_create_nothing(tmp_path, command):
    db = tmp_path / "typo.sqlite"
    res = runner.invoke(app, [*command, "--db", str(db)])
    assert res.exit_code == 1, res.output
    assert f"no store at {db} (create one with rashomon analyse)" in res.stderr.replace("\n", "")
    assert list(tmp_path.iterdir()) == []


def test_open_store_without_create_raises_and_creates_nothing(tmp_path):
    with pytest.raises(StoreNotFound, match="no store at .*missing.sqlite"):
        open_store(tmp_path / "missing.sqlite", create=False)
    assert list(tmp_path.iterdir()) == []
    with open_store(tmp_path / "made.sqlite") as store:  # the default still creates one
        assert store.count_articles() == 0
    with open_store(tmp_path / "made.sqlite", create=False) as store:
        assert store.count_articles() == 0


def test_analyse_with_a_missing_input_path_exits_2_naming_it(tmp_path):
    db = tmp_path / "x.sqlite"
    missing = tmp_path / "nonexistent"
    for command in ("analyse", "ingest"):
        res = runner.invoke(app, [command, str(missing), "--db", str(db)])
        assert res.exit_code == 2, res.output
        assert f"no such file or directory: {missing}" in res.stderr.replace("\n", "")
    assert not db.exists()


def test_analyse_with_no_input_and_nothing_pending_is_a_usage_error(tmp_path):
    db = tmp_path / "rashomon.sqlite"
    res = runner.invoke(app, ["analyse", "--db", str(db)])
    assert res.exit_code == 2 and "nothing to analyse" in res.stderr
    assert not db.exists()
    with open_store(db):  # an empty store: still nothing pending
        pass
    assert runner.invoke(app, ["analyse", "--db", str(db)]).exit_code == 2


def test_analyse_without_inputs_finishes_what_ingest_left_pending(tmp_path):
    (tmp_path / "r.txt").write_text("Gunmen killed three guards at the Osterfeld depot on Monday, police said.\n")
    db = tmp_path / "s.sqlite"
    assert runner.invoke(app, ["ingest", str(tmp_path / "r.txt"), "--db", str(db)]).exit_code == 0
    res = runner.invoke(app, ["analyse", "--db", str(db), "--json", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["extracted"] == 1


def test_version_comes_from_the_package_metadata():
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.stdout == f"rashomon {version('rashomon')}\n"


NEWS = ("Council approves the Osterfeld budget\n\nThe town council of Osterfeld approved next year's budget on "
        "Monday after a long debate about the library roof and the bus timetable.\n")
ATTACK = ("Gunmen kill three guards at Osterfeld depot\n\nGunmen killed three guards at the fuel depot in "
          "Osterfeld on Monday, the regional police said. Two other guards were wounded.\n")


def test_incidents_updated_counts_incidents_as_incidents_lists_them(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "news.txt").write_text(NEWS)
    (corpus / "attack.txt").write_text(ATTACK)
    db = tmp_path / "s.sqlite"
    summary = json.loads(runner.invoke(app, ["analyse", str(corpus), "--db", str(db), "--json", "--no-progress"]).stdout)
    listed = json.loads(runner.invoke(app, ["incidents", "--db", str(db), "--json"]).stdout)["incidents"]
    assert summary["stories_touched"] == 2  # the budget story is a story, not an incident
    assert summary["incidents_updated"] == len(listed) == 1
    text = runner.invoke(app, ["analyse", str(Path(corpus, "attack.txt")), "--db", str(tmp_path / "t.sqlite"),
                               "--no-progress"]).stdout
    assert "1 articles analysed, 1 incidents updated" in text
