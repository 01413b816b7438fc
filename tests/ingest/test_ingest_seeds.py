"""The two seed reports in the shared folder, read in place (never copied into the project)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from rashomon.ids import article_id
from rashomon.ingest import read_articles

pytestmark = pytest.mark.shared


@pytest.fixture
def seeds(shared_dir):
    folder = shared_dir / "seeds"
    outcomes = {o.source.rsplit("/", 1)[-1]: o for o in read_articles(sorted(folder.glob("*.txt")))}
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))["documents"]
    return outcomes, expected


def test_seed_metadata_matches_expectations(seeds):
    outcomes, expected = seeds
    assert set(outcomes) == set(expected)
    for name, wanted in expected.items():
        article = outcomes[name].article
        assert article is not None, outcomes[name].rejection
        assert article.published == dt.date.fromisoformat(wanted["published"]), name
        assert article.published_precision == "day"
        assert article.outlet == wanted["outlet"], name
        assert article.original_source == wanted["original_source"], name
        assert article.id == article_id(article.text)


def test_seed_000_header(seeds):
    outcomes, _ = seeds
    [name] = [n for n in outcomes if n.startswith("000_")]
    article = outcomes[name].article
    assert article.title and "Unprovoked Attack" in article.title
    assert not article.text.startswith("Published")
    assert article.text.count(article.title) == 1  # the repeated headline is kept once
    assert article.byline is None and article.credits == []


def test_seed_004_republication(seeds):
    outcomes, _ = seeds
    [name] = [n for n in outcomes if n.startswith("004_")]
    article = outcomes[name].article
    assert article.byline == "Middle East Eye"
    assert article.title and "Pro-Assad Troops" in article.title
    assert article.credits == []
    for residue in ("](#)", "**", "Like this:", "Global Research, February 08, 2018"):
        assert residue not in article.text
    assert "monitoring group," in article.text  # the paragraph cut mid-sentence is rejoined
    assert "monitoring\n" not in article.text
    assert "of this article is Middle East Eye" in article.text  # the line is kept
