"""JSON Lines and JSON list readers."""

from __future__ import annotations

import datetime as dt
import json

from rashomon.ids import article_id
from rashomon.ingest import read_articles

TEXT_A = "Two bridges were closed on Friday after the river rose above the warning mark, engineers said."
TEXT_B = "The regional council opened three shelters for families who left their homes near the river."


def test_jsonl_round_trip_with_a_broken_line(write):
    lines = [
        json.dumps(
            {
                "text": TEXT_A,
                "title": "Bridges closed",
                "outlet": "River Times",
                "published": "2023-04-07",
                "url": "https://rt.example/1",
                "byline": "By Ines Alba",
                "language": "en",
                "id": "rt-1",
            }
        ),
        "",
        json.dumps(
            {
                "text": TEXT_B,
                "published": "2023-04-08T06:00:00+02:00",
                "original_source": "Valley Post",
                "id": 17,
            }
        ),
        '{"text": "unterminated',
        json.dumps({"title": "no text"}),
        json.dumps({"text": 5}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": TEXT_A, "published": "not a date"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": TEXT_B, "title": "Last line still read"}),
    ]
    path = write("batch.jsonl", "\n".join(lines) + "\n")
    outcomes = list(read_articles([path]))
    assert [o.source for o in outcomes] == [
        f"{path}#line=1&id=rt-1",
        f"{path}#line=3&id=17",
        f"{path}#line=4",
        f"{path}#line=5",
        f"{path}#line=6",
        f"{path}#line=7",
        f"{path}#line=8",
        f"{path}#line=9",
        f"{path}#line=10",
    ]
    first, third = outcomes[0].article, outcomes[1].article
    assert first.title == "Bridges closed" and first.outlet == "River Times" and first.byline == "Ines Alba"
    assert first.published == dt.date(2023, 4, 7) and first.url == "https://rt.example/1"
    assert first.id == article_id(TEXT_A)
    assert third.published == dt.date(2023, 4, 8) and third.original_source == "Valley Post"
    reasons = [o.rejection.reason for o in outcomes[2:8]]
    assert reasons[0].startswith("JSONL line 4: invalid JSON: ")
    assert reasons[1] == "JSONL line 5: missing field 'text'; it has 'title' (map one with --field text=NAME)"
    assert reasons[2] == "JSONL line 6: field 'text' must be a string, not int"
    assert reasons[3] == "JSONL line 7: expected a JSON object, got list"
    assert reasons[4] == "JSONL line 8: field 'published': cannot parse date 'not a date'"
    assert reasons[5] == "JSONL line 9: no article text"
    assert outcomes[8].article.title == "Last line still read"


def test_jsonl_invalid_utf8_line(write):
    good = json.dumps({"text": TEXT_A}).encode()
    path = write("mixed.jsonl", good + b"\n" + b'{"text": "caf\xe9"}\n' + good.replace(b"Two", b"Four"))
    outcomes = list(read_articles([path]))
    assert [bool(o.article) for o in outcomes] == [True, False, True]
    assert outcomes[1].rejection.reason == "JSONL line 2: not valid UTF-8"


def test_json_list_file(write):
    path = write("list.json", json.dumps([{"text": TEXT_A, "title": "A"}, {"text": TEXT_B}, "oops"]))
    outcomes = list(read_articles([path]))
    assert [o.source for o in outcomes] == [f"{path}#item=1", f"{path}#item=2", f"{path}#item=3"]
    assert outcomes[0].article.title == "A"
    assert outcomes[2].rejection.reason == "JSON item 3: expected a JSON object, got str"


def test_json_file_that_is_not_articles(write):
    [outcome] = list(read_articles([write("config.json", json.dumps({"settings": True}))]))
    assert outcome.rejection.reason == "JSON object: missing field 'text'; it has 'settings' (map one with --field text=NAME)"
    [outcome] = list(read_articles([write("broken.json", "[{")]))
    assert outcome.rejection.reason.startswith("invalid JSON: ")
