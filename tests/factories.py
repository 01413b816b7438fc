"""Small builders for records in tests (the texts are the project's own)."""

from __future__ import annotations

import datetime as dt

from rashomon.ids import article_id
from rashomon.models import Article, DateMention, Figure, Mention, Place, Span, Speaker


def article(text: str, published: str = "2025-03-04", outlet: str | None = "Test Wire", **kw) -> Article:
    return Article(
        id=article_id(text), source=f"mem:{outlet}", text=text, outlet=outlet,
        published=dt.date.fromisoformat(published), published_precision="day", **kw,
    )


def span(art: Article, needle: str) -> Span:
    start = art.text.index(needle)
    return Span(article_id=art.id, start=start, end=start + len(needle), text=needle)


def figure(art: Article, needle: str, kind: str = "killed", value=None, low=None, high=None,
           qualifier=None, speaker: str | None = None, anonymous: bool = False) -> Figure:
    s = span(art, needle)
    return Figure(
        id=f"f-{art.id}-{s.start}", article_id=art.id, kind=kind, value=value,
        low=low if low is not None else value, high=high if high is not None or value is None else value,
        qualifier=qualifier, text=needle, span=s, sentence=s,
        speaker=Speaker(name=speaker, anonymous=anonymous) if speaker else None,
    )


def mention(art: Article, day: str | None = None, place: Place | None = None, figures=()) -> Mention:
    date = None
    if day:
        d = dt.date.fromisoformat(day)
        date = DateMention(span=span(art, art.text.split()[0]), start=d, end=d, precision="day")
    return Mention(id="m" + art.id, article_id=art.id, date=date, place=place, figures=list(figures))


GAO = Place(name="Gao", geonames_id=2457163, lat=16.27, lon=-0.04, country="Mali", country_code="ML",
            admin1="Gao", precision="city")
KANO = Place(name="Kano", geonames_id=2335204, lat=12.0, lon=8.52, country="Nigeria", country_code="NG",
             admin1="Kano", precision="city")
