"""Issue 15, "nothing breaks a run": a text too long to analyse, an article whose extraction raises,
and the store staying usable after both (docs/reliability.md, section "Faults inside a run")."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rashomon.cli import app
from rashomon.settings import load_settings
from tests.reliability.faults import MARKER

runner = CliRunner()

FAULT_PIPE = "tests.reliability.faults:rashomon_test_fault"

REPORTS = {
    "a_market.txt": (
        "Gunmen kill four traders at Velmora market\n\n"
        "Gunmen on motorbikes killed four traders at the cattle market in Velmora on Tuesday, the district "
        "police chief Anselm Orvu said. Six other people were wounded."
    ),
    "b_bridge.txt": (
        "Bomb on Kestrin bridge wounds nine\n\n"
        "A roadside bomb wounded nine soldiers on the Kestrin bridge on Wednesday, an army spokesman said. "
        f"The convoy had left the {MARKER} depot an hour earlier."
    ),
    "c_clinic.txt": (
        "Two nurses shot dead near Ulvaro clinic\n\n"
        "Two nurses were shot dead outside the clinic in Ulvaro on Thursday, the regional health office said. "
        "No group has claimed the shooting."
    ),
}


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _config(tmp_path: Path) -> Path:
    cfg = tmp_path / "fault.toml"
    cfg.write_text(f'[extract]\nextra_pipes = ["{FAULT_PIPE}"]\n', encoding="utf-8")
    return cfg


def _analyse(*args: str) -> dict:
    res = runner.invoke(app, ["analyse", *args, "--json", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "Traceback" not in res.output
    return json.loads(res.stdout)


def _counts_add_up(summary: dict) -> None:
    ingest = summary["ingest"]
    assert ingest["inputs"] == ingest["ingested"] + ingest["duplicate"] + ingest["rejected"]
    assert summary["extracted"] + summary["failed"] == ingest["ingested"]


@pytest.mark.parametrize("engine", ["local", "process"])
def test_an_article_whose_extraction_raises_fails_alone_and_is_retried(tmp_path, engine):
    corpus, db = _corpus(tmp_path / "in"), tmp_path / "s.sqlite"
    options = ["--engine", engine] + (["--workers", "1"] if engine == "process" else [])
    summary = _analyse(str(corpus), "--db", str(db), "--config", str(_config(tmp_path)), *options)
    _counts_add_up(summary)
    assert (summary["ingest"]["ingested"], summary["extracted"], summary["failed"]) == (3, 2, 1)
    [failure] = summary["failures"]
    assert failure["reason"] == f"ValueError: test fault: the marker word {MARKER} was read"
    con = sqlite3.connect(db)
    status = dict(con.execute("SELECT source, status FROM articles"))
    assert {Path(s).name: v for s, v in status.items()} == {
        "a_market.txt": "clustered", "b_bridge.txt": "failed", "c_clinic.txt": "clustered"}
    # the other two went all the way: their incidents are there
    listed = json.loads(runner.invoke(app, ["incidents", "--db", str(db), "--json"]).stdout)["incidents"]
    assert len(listed) == summary["incidents_updated"] == 2

    shown = runner.invoke(app, ["failures", "--db", str(db), "--json"])
    assert shown.exit_code == 0
    [row] = json.loads(shown.stdout)["failures"]
    assert Path(row["source"]).name == "b_bridge.txt" and row["reason"] == failure["reason"]
    table = runner.invoke(app, ["failures", "--db", str(db)])
    assert "1 failed articles" in table.stdout and row["article_id"] in table.stdout and "test fault" in table.stdout

    # a plain re-run leaves it failed; --retry-failed (without the faulty component) analyses it
    assert _analyse("--db", str(db), "--retry-failed", "--config", str(_config(tmp_path)))["failed"] == 1
    retried = _analyse("--db", str(db), "--retry-failed", *options)
    assert (retried["retried"], retried["extracted"], retried["failed"]) == (1, 1, 0)
    assert json.loads(runner.invoke(app, ["failures", "--db", str(db), "--json"]).stdout) == {"failures": []}
    assert con.execute("SELECT COUNT(*) FROM failures").fetchone()[0] == 0
    assert con.execute("SELECT status FROM articles WHERE source LIKE '%b_bridge.txt'").fetchone()[0] == "clustered"


def test_failed_articles_are_printed_with_their_reason(tmp_path):
    corpus, db = _corpus(tmp_path / "in"), tmp_path / "s.sqlite"
    res = runner.invoke(app, ["analyse", str(corpus), "--db", str(db), "--config", str(_config(tmp_path)),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "2 articles analysed, 1 failed (rashomon failures --db" in res.stdout
    assert "failed a" in res.stderr and f"ValueError: test fault: the marker word {MARKER} was read" in res.stderr
    assert "second line" not in res.output


def _big_text(path: Path, chars: int) -> None:
    """An invented report padded with paragraphs of varied filler to ``chars`` characters."""
    head = "Flood wall breaks at Marrowdene\n\nA flood wall broke at Marrowdene on Monday, the mayor said.\n\n"
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        written, i = len(head), 0
        while written < chars:
            line = f"Entry {i} of the ledger records {i % 97} sacks of grain stored in shed {i % 13}.\n\n"
            line = line[: chars - written]
            out.write(line)
            written += len(line)
            i += 1


def test_a_30_mb_text_is_rejected_by_the_documented_limit_and_the_store_stays_usable(tmp_path):
    limit = load_settings().ingest.max_text_chars
    assert limit < 30_000_000 < load_settings().ingest.max_bytes  # the file passes the byte limit
    big = tmp_path / "in" / "huge.txt"
    big.parent.mkdir()
    _big_text(big, 30_000_000)
    db = tmp_path / "s.sqlite"
    res = runner.invoke(app, ["analyse", str(big.parent), "--db", str(db), "--json", "--no-progress"])
    assert res.exit_code == 0 and "Traceback" not in res.output
    summary = json.loads(res.stdout)
    assert summary["ingest"]["rejected"] == 1 and summary["extracted"] == 0
    [(source, reason)] = summary["ingest"]["rejections"]
    assert source == str(big)
    assert reason.startswith("text of 30,0") and f"longer than the {limit:,} analysed" in reason
    assert "ingest.max_text_chars" in reason
    # the next run on the same store completes
    good = tmp_path / "more"
    _corpus(good)
    after = _analyse(str(good), "--db", str(db))
    assert (after["ingest"]["ingested"], after["extracted"] + after["failed"]) == (3, 3)


def test_a_text_stored_before_the_limit_fails_with_its_reason_instead_of_blocking_the_store(tmp_path):
    # A store written under a higher limit (here: ingested with a user file raising it) holds a text
    # longer than today's limit: the next run marks it failed with the reason and analyses the rest.
    corpus, db = _corpus(tmp_path / "in"), tmp_path / "s.sqlite"
    high = tmp_path / "high.toml"
    high.write_text("[ingest]\nmax_text_chars = 10_000\n", encoding="utf-8")
    _big_text(corpus / "long.txt", 8_000)
    assert runner.invoke(app, ["ingest", str(corpus), "--db", str(db), "--config", str(high)]).exit_code == 0
    low = tmp_path / "low.toml"
    low.write_text("[ingest]\nmax_text_chars = 5_000\n", encoding="utf-8")
    summary = _analyse("--db", str(db), "--config", str(low))
    assert (summary["extracted"], summary["failed"]) == (3, 1)
    [row] = json.loads(runner.invoke(app, ["failures", "--db", str(db), "--json"]).stdout)["failures"]
    assert Path(row["source"]).name == "long.txt"
    assert row["reason"] == ("text of 7,999 characters is longer than the 5,000 analysed "
                             "(the setting ingest.max_text_chars)")
