"""Helpers shared by the incident-slot evaluations (GVDB, MUC-4): one article's Mention reduced to
the slot values those benchmarks score.

* :func:`article_count` — the number of people killed (or injured) one article reports, from its
  Mention's Figures (the rule is in the function's docstring and docs/evaluation/gvdb.md);
* :func:`incident_day` — the Mention's incident date when it names one day;
* :func:`place_names` / :func:`nearest_city` — the names a predicted place can be compared by;
* :func:`name_key` — names normalised for equality (case, accents, punctuation, spacing);
* :func:`make_article` — an :class:`~rashomon.models.Article` built from a benchmark record;
* :class:`GoldItem` / :func:`score_slot` — one document's predicted values matched against its
  gold items (each with alternatives, some optional).

Nothing here bypasses extraction: every value comes from a Mention made by
:func:`rashomon.extract.extract_articles`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rashomon.geo.normalise import fold
from rashomon.ids import article_id, digest
from rashomon.models import Article, Figure, Mention, Place, Precision

__all__ = [
    "GoldItem",
    "article_count",
    "figure_point",
    "incident_day",
    "make_article",
    "name_key",
    "nearest_city",
    "place_names",
    "score_slot",
]


def name_key(text: str | None) -> str:
    """A name folded for equality: ASCII, lower case, punctuation dropped, spaces collapsed."""
    return fold(text or "")


def make_article(
    text: str,
    source: str,
    *,
    title: str | None = None,
    url: str | None = None,
    published: dt.date | None = None,
    precision: Precision = "day",
) -> Article:
    """An Article for one benchmark record.  The id hashes the text and the source, so two records
    that share a text (benchmarks have such duplicates) stay two articles."""
    return Article(
        id="a" + digest(article_id(text), source),
        source=source,
        url=url,
        title=title,
        published=published,
        published_precision=precision if published is not None else "unknown",
        text=text,
    )


# --------------------------------------------------------------------------- figures -> counts

def figure_point(fig: Figure) -> int | None:
    """The number a figure stands for: its exact value, else its lower bound, else its upper."""
    return fig.point


def article_count(mention: Mention, kind: str) -> int:
    """How many people of ``kind`` ("killed", "injured") the article reports; 0 without figures.

    The largest number among the Mention's figures of that kind.  An article states its count
    several times (headline, lead, a later update): those statements are not added up, and the
    largest wins because later statements update earlier ones upwards ("one died at the scene"
    ... "a second victim died in hospital" reports two) and because a part ("one of them
    critically") is never larger than its whole.  A figure's number is its exact value, else its
    lower bound ("at least 3" is 3, "more than 10" is 11).  Figures count whoever gives them
    (police, witnesses, the outlet's own voice): within one article they rarely disagree.
    Known cost: separate groups in one breath ("killed 3 officers and 2 civilians") give 3, not 5;
    adding them back would also add restatements that the extractor reads as separate groups
    ("2 wounded ... Two men were wounded").
    Figures scoped as another incident's toll, an earlier estimate or a projection
    (:mod:`rashomon.extract.figures.scope`) do not count.
    """
    points = [p for fig in mention.figures if fig.kind == kind and fig.scope in ("total", "part")
              and (p := figure_point(fig)) is not None]
    return max(points, default=0)


# --------------------------------------------------------------------------- dates

def incident_day(mention: Mention) -> dt.date | None:
    """The incident date when the Mention dates it to one day; None otherwise."""
    date = mention.date
    if date is None or date.start != date.end:
        return None
    return date.start


# --------------------------------------------------------------------------- places

def place_names(mention: Mention) -> list[str]:
    """The names the Mention's place goes by, folded: its gazetteer name and the words the article
    wrote for it (the place span)."""
    names: list[str] = []
    if mention.place is not None:
        names.append(name_key(mention.place.name))
    if mention.place_span is not None:
        names.append(name_key(mention.place_span.text))
    return [n for i, n in enumerate(names) if n and n not in names[:i]]


def nearest_city(place: Place, max_km: float = 50.0) -> str | None:
    """The gazetteer city nearest to a point-level place (a neighbourhood, a building), in its
    country and within ``max_km``; None when it has no coordinates or no city is that near.
    City-level places are their own city; subdivisions, regions and countries have none."""
    if place.precision == "city":
        return place.name
    if place.precision != "point" or place.lat is None or place.lon is None:
        return None
    from rashomon.geo.context import distance_km
    from rashomon.geo.gazetteer import get_gazetteer

    t = get_gazetteer().t
    cols = t.cols
    d_lat = max_km / 111.0
    d_lon = max_km / (111.0 * max(0.05, math.cos(math.radians(place.lat))))
    best: tuple[float, str] | None = None
    for row in range(t.n_cities):
        lat, lon = cols.lats[row], cols.lons[row]
        if abs(lat - place.lat) > d_lat or abs(lon - place.lon) > d_lon:
            continue
        if place.country_code and cols.countries[row] != place.country_code:
            continue
        km = distance_km(place.lat, place.lon, lat, lon)
        if km <= max_km and (best is None or km < best[0]):
            best = (km, cols.names[row])
    return best[1] if best else None


# --------------------------------------------------------------------------- slot matching

@dataclass(frozen=True)
class GoldItem:
    """One gold fill of a slot: its alternatives (any one of them is right) and whether it may be
    left out (an optional fill, or a fill of an optional template)."""

    alternatives: tuple[Any, ...]
    optional: bool


def score_slot(preds: list[Any], gold: list[GoldItem], match: Callable[[Any, Any], bool]) -> tuple[int, int, int]:
    """(true positives, predictions, gold items) for one document and slot.  Each prediction takes
    one unmatched gold item it matches (required items first); optional items count as gold only
    when matched, so leaving them out costs nothing."""
    order = sorted(range(len(gold)), key=lambda i: gold[i].optional)
    used: set[int] = set()
    for pred in preds:
        hit = next((i for i in order if i not in used and any(match(pred, a) for a in gold[i].alternatives)), None)
        if hit is not None:
            used.add(hit)
    n_gold = sum(1 for i, item in enumerate(gold) if not item.optional or i in used)
    return len(used), len(preds), n_gold
