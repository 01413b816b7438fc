"""GVDB evaluation: loader, gold counts and scorer on tiny invented rows, and a real run of the
evaluation on the first articles of the shared dev split."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest
from tests.factories import article, figure, mention

from rashomon.eval.gvdb import city_predictions, evaluate, gold_counts, load, score_item, url_date
from rashomon.eval.incident_slots import article_count, incident_day, name_key
from rashomon.models import Place, Span

# --------------------------------------------------------------------------- loader


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://example.test/2016/01/27/man-hurt-in-shooting/", dt.date(2016, 1, 27)),
        ("http://example.test/news/2016/jan/26/girl-hurt/", dt.date(2016, 1, 26)),
        ("http://example.test/local/story-20160223-story.html", dt.date(2016, 2, 23)),
        ("http://example.test/news/shots-fired/36925834", None),
        ("http://example.test/2016/13/40/not-a-date/", None),
    ],
)
def test_url_date(url: str, expected: dt.date | None) -> None:
    assert url_date(url) == expected


def test_gold_counts_killed_wins_and_hospitalized_is_injured() -> None:
    annotation = {"victim-section": [
        {"victim-was": ["killed"]},
        {"victim-was": ["hospitalized", "killed"]},
        {"victim-was": ["hospitalized"]},
        {"victim-was": ["injured", "hospitalized"]},
        {"victim-was": []},
    ]}
    assert gold_counts(annotation) == (2, 2)
    assert gold_counts({}) == (0, 0)


def _write_tsv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["Worker", "Article id", "Full text", "Article title",
                                                    "Json", "Article url"], delimiter="\t")
        writer.writeheader()
        writer.writerows(rows)


def test_load_reads_gold_and_sets_title_apart(tmp_path: Path) -> None:
    annotation = {
        "date-and-time": {"city": {"value": " Springfield ", "startIndex": 1, "endIndex": 2}, "date": "2016-1-5"},
        "victim-section": [{"victim-was": ["injured"]}],
    }
    _write_tsv(tmp_path / "dev.tsv", [
        {"Article id": "7", "Article url": "http://example.test/2016/01/06/x/", "Article title": "Man hurt",
         "Full text": "Man hurtA man was hurt in Springfield on Tuesday.", "Json": json.dumps(annotation),
         "Worker": "w"},
        {"Article id": "8", "Article url": "", "Article title": "Other", "Full text": "Other text.",
         "Json": "{}", "Worker": "w"},
    ])
    items = list(load(tmp_path / "dev.tsv"))
    assert len(items) == 2
    first = items[0]
    assert first.article.text == "Man hurt\n\nA man was hurt in Springfield on Tuesday."
    assert first.article.published == dt.date(2016, 1, 6)
    assert (first.killed, first.injured, first.date, first.city) == (0, 1, dt.date(2016, 1, 5), "Springfield")
    assert items[1].article.published is None and items[1].date is None and items[1].city is None
    assert len(list(load(tmp_path / "dev.tsv", limit=1))) == 1


# --------------------------------------------------------------------------- scoring


def test_article_count_takes_the_largest_statement() -> None:
    art = article("Two men were wounded. Police said at least three people were hurt. One man died.")
    m = mention(art, figures=[
        figure(art, "Two", kind="injured", value=2),
        figure(art, "at least three", kind="injured", low=3, qualifier="at least"),
        figure(art, "One", kind="killed", value=1),
    ])
    assert article_count(m, "injured") == 3
    assert article_count(m, "killed") == 1
    assert article_count(m, "missing") == 0


def test_city_predictions_and_score_item() -> None:
    art = article("SPRINGFIELD - One man was killed on Monday in Springfield.", published="2016-01-06")
    city = Place(name="Springfield", precision="city", country_code="US", feature="city")
    m = mention(art, day="2016-01-04", place=city, figures=[figure(art, "One", kind="killed", value=1)])
    m.place_span = Span(article_id=art.id, start=0, end=11, text="SPRINGFIELD")
    assert city_predictions(m) == ["springfield"]
    assert incident_day(m) == dt.date(2016, 1, 4)

    from rashomon.eval.gvdb import GvdbItem

    item = GvdbItem(art, killed=1, injured=1, date=dt.date(2016, 1, 4), city="SPRINGFIELD")
    row = score_item(item, m)
    assert row["killed"] == [1, 1, "exact"]
    assert row["injured"] == [1, 0, "missed"]
    assert row["date"][2] == "exact"
    assert row["city"][2] == "exact"

    state = Place(name="Illinois", precision="admin1", country_code="US", feature="admin1")
    m.place = state
    assert city_predictions(m) == []
    assert score_item(item, m)["city"][2] == "not_city:admin1"


def test_name_key_folds_case_accents_and_punctuation() -> None:
    assert name_key("  São-Paulo ") == name_key("SAO PAULO") == "sao paulo"


# --------------------------------------------------------------------------- real run


def test_evaluate_on_shared_dev(shared_dir: Path) -> None:
    result = evaluate(shared_dir / "data" / "gvdb", "dev", limit=6)
    assert result.n == 6
    for key in ("killed_exact", "injured_exact", "date_exact", "city_exact"):
        assert 0.0 <= result.metrics[key] <= 1.0
    assert result.metrics["killed_mae"] >= 0.0 and result.metrics["injured_mae"] >= 0.0
    assert sum(result.details["error_classes"]["killed"].values()) == 6


def test_nearest_city_of_a_point_level_place() -> None:
    from rashomon.eval.incident_slots import nearest_city

    near_town = Place(name="Some Street", lat=41.88, lon=-87.63, country_code="US", precision="point")
    at_sea = Place(name="Open water", lat=0.0, lon=-160.0, country_code="US", precision="point")
    assert nearest_city(near_town) is not None
    assert nearest_city(at_sea) is None
    assert nearest_city(Place(name="Illinois", precision="admin1")) is None
    assert nearest_city(Place(name="Springfield", precision="city")) == "Springfield"
