"""HTML reader (trafilatura)."""

from __future__ import annotations

import datetime as dt

from rashomon.ids import article_id
from rashomon.ingest import read_articles
from rashomon.ingest.html import NO_TEXT, parse_html

PAGE = """<!doctype html>
<html lang="en"><head>
<title>Ferry service halted by storm | Harbour Ledger</title>
<meta property="og:site_name" content="Harbour Ledger">
<meta property="og:title" content="Ferry service halted by storm">
<meta name="author" content="Mira Sol, Reuters">
<meta property="article:published_time" content="2022-11-05T07:15:00+01:00">
<link rel="canonical" href="https://ledger.example/ferry-halted">
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article>
<h1>Ferry service halted by storm</h1>
<p>HARBOUR CITY (Reuters) - All ferry crossings were cancelled on Saturday after gusts of wind
tore a mooring loose at the main pier, the port authority said.</p>
<p>About 40 passengers waited in the terminal overnight, and buses were sent to take them to a
nearby school, a spokesperson for the authority told reporters by telephone.</p>
<p>Forecasters expect the wind to ease by Sunday evening, when crossings may resume.</p>
</article>
<footer>Copyright Harbour Ledger</footer>
</body></html>
"""


def test_html_round_trip(write):
    path = write("ferry.html", PAGE)
    [outcome] = list(read_articles([path]))
    art = outcome.article
    assert outcome.rejection is None and art is not None
    assert art.source == str(path)
    assert art.title == "Ferry service halted by storm"
    assert art.outlet == "Harbour Ledger"
    assert art.byline == "Mira Sol"
    assert art.credits == ["Reuters"]
    assert art.original_source == "Reuters"  # dateline credit: agency copy
    assert art.published == dt.date(2022, 11, 5)
    assert art.url == "https://ledger.example/ferry-halted"
    assert "About 40 passengers waited in the terminal overnight" in art.text
    assert "Home" not in art.text and "<p>" not in art.text
    assert "\n\n" in art.text  # paragraphs, as in text files
    assert art.id == article_id(art.text)


def test_html_without_article_text(write):
    [outcome] = list(
        read_articles([write("empty.htm", "<html><head><title>x</title></head><body></body></html>")])
    )
    assert outcome.rejection.reason == NO_TEXT


def test_parse_html_keeps_given_url():
    page = PAGE.replace('<link rel="canonical" href="https://ledger.example/ferry-halted">', "")
    outcome = parse_html(page.encode(), "archive#record=2", url="https://ledger.example/from-warc")
    assert outcome.article.url == "https://ledger.example/from-warc"
    assert outcome.source == "archive#record=2"


def test_binary_html_is_rejected_not_raised(write):
    [outcome] = list(read_articles([write("junk.html", bytes(range(256)) * 8)]))
    assert outcome.article is None and outcome.rejection.reason
