"""Field mapping for JSONL, JSON and CSV records: the usual other names found by themselves,
``--field`` and ``ingest.fields`` for the rest, and a rejection that names the fields a line has."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
from tests.conftest import shared_path
from typer.testing import CliRunner

from rashomon.cli import app
from rashomon.ingest import read_articles
from rashomon.ingest.fields import parse_fields
from rashomon.store import open_store

runner = CliRunner()

BODY_A = "Gunmen killed four herders near the Saltmere wells on Sunday, the district chief said."
BODY_B = "A bomb wounded seven shoppers at the Harlow Cross market on Saturday, police said."


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_the_usual_other_names_are_found_without_a_mapping(tmp_path):
    path = _jsonl(tmp_path / "a.jsonl", [
        {"content": BODY_A, "dct": "2022-06-05", "uri": "https://wells.example/4", "title": "Herders killed"},
        {"body": BODY_B, "pubDate": "2022-06-04", "link": "https://market.example/7"},
        {"maintext": BODY_A + " Two more were hurt.", "date_publish": "2022-06-06T08:00:00Z"},
        {"article": BODY_B + " The market closed.", "date": "5 June 2022"},
    ])
    arts = [o.article for o in read_articles([path])]
    assert [a.text for a in arts] == [BODY_A, BODY_B, BODY_A + " Two more were hurt.", BODY_B + " The market closed."]
    assert [a.published for a in arts] == [dt.date(2022, 6, 5), dt.date(2022, 6, 4), dt.date(2022, 6, 6),
                                           dt.date(2022, 6, 5)]
    assert [a.url for a in arts[:2]] == ["https://wells.example/4", "https://market.example/7"]
    assert arts[0].title == "Herders killed"


def test_field_mapping_names_the_input_fields(tmp_path):
    path = _jsonl(tmp_path / "b.jsonl", [{"story_body": BODY_A, "when": "2022-06-05", "where_from": "Wells Post"}])
    [rejected] = list(read_articles([path]))
    assert rejected.rejection.reason == (
        "JSONL line 1: missing field 'text'; it has 'story_body', 'when', 'where_from' (map one with --field text=NAME)")
    fields = parse_fields(["text=story_body", "published=when", "outlet=where_from"])
    [outcome] = list(read_articles([path], fields=fields))
    art = outcome.article
    assert (art.text, art.published, art.outlet) == (BODY_A, dt.date(2022, 6, 5), "Wells Post")
    # a mapping wins over a field of the article's own name
    both = _jsonl(tmp_path / "c.jsonl", [{"text": "short teaser", "full": BODY_B}])
    [outcome] = list(read_articles([both], fields=parse_fields(["text=full"])))
    assert outcome.article.text == BODY_B
    [missing] = list(read_articles([path], fields=parse_fields(["text=nothing_here"])))
    assert missing.rejection.reason.startswith("JSONL line 1: missing field 'nothing_here' (mapped to 'text'); it has")


def test_bad_field_specs_are_refused():
    for spec, message in (("text", "expected ARTICLE_FIELD=INPUT_FIELD"), ("words=content", "'words' is not one of")):
        with pytest.raises(ValueError, match=message):
            parse_fields([spec])


def test_field_on_the_command_line_and_in_the_settings(tmp_path):
    path = _jsonl(tmp_path / "d.jsonl", [{"story_body": BODY_A, "when": "2022-06-05"}])
    db = tmp_path / "s.sqlite"
    res = runner.invoke(app, ["ingest", str(path), "--db", str(db), "--json",
                              "--field", "text=story_body", "--field", "published=when"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["ingested"] == 1
    with open_store(db) as store:
        assert [(a.text, a.published) for a in store.articles()] == [(BODY_A, dt.date(2022, 6, 5))]
    cfg = tmp_path / "fields.toml"
    cfg.write_text('[ingest]\nfields = ["text=story_body"]\n', encoding="utf-8")
    res = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "t.sqlite"), "--json", "--config", str(cfg)])
    assert json.loads(res.stdout)["ingested"] == 1
    bad = runner.invoke(app, ["ingest", str(path), "--db", str(tmp_path / "u.sqlite"), "--field", "text"])
    assert bad.exit_code == 2 and "expected ARTICLE_FIELD=INPUT_FIELD" in bad.stderr
    assert not (tmp_path / "u.sqlite").exists()


def test_csv_one_article_a_row(tmp_path):
    path = tmp_path / "reports.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["content", "dct", "title", "note"])
        writer.writerow([BODY_A + "\n\nA second paragraph, with a comma.", "2022-06-05", "Herders killed", ""])
        writer.writerow(["", "2022-06-04", "No body here", "kept aside"])
        writer.writerow([BODY_B, "2022-06-04", "", ""])
    outcomes = list(read_articles([path]))
    assert [o.source for o in outcomes] == [f"{path}#row=1", f"{path}#row=2", f"{path}#row=3"]
    first, second, third = outcomes
    assert first.article.text == BODY_A + "\n\nA second paragraph, with a comma."
    assert (first.article.published, first.article.title) == (dt.date(2022, 6, 5), "Herders killed")
    assert second.rejection.reason == (
        "CSV row 2: missing field 'text'; it has 'dct', 'title', 'note' (map one with --field text=NAME)")
    assert third.article.text == BODY_B and third.article.title is None
    semi = tmp_path / "semi.csv"
    semi.write_text(f"body;date\n{BODY_B};2022-06-04\n", encoding="utf-8")
    [outcome] = list(read_articles([semi]))
    assert (outcome.article.text, outcome.article.published) == (BODY_B, dt.date(2022, 6, 4))


def test_the_shared_gva_file_is_read_as_it_is(tmp_path):
    gva = shared_path() / "data" / "semeval2018_task5" / "gva_documents.jsonl"
    if not gva.is_file():
        pytest.skip(f"shared GVA documents not found at {gva}")
    records = [json.loads(line) for line in gva.open(encoding="utf-8") if line.strip()]
    lines = len(records)
    outcomes = list(read_articles([gva]))
    assert len(outcomes) == lines
    # a line is refused for want of text exactly when its 'content' is empty
    no_text = [o for o in outcomes if o.rejection is not None and "missing field 'text'" in o.rejection.reason]
    assert len(no_text) == sum(not r.get("content") for r in records) < 0.05 * lines
    read = [o.article for o in outcomes if o.article is not None]
    assert len(read) >= 0.95 * lines
    assert sum(a.published is not None for a in read) >= 0.95 * len(read)
    assert sum((a.url or "").startswith("http") for a in read) >= 0.95 * len(read)
