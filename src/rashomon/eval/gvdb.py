"""Gun Violence Database (Pavlick et al., EMNLP 2016; splits of Ebner et al., ACL 2020): casualty
counts, incident date and city of one shooting per article.

``<split>.tsv`` holds one crowd-annotated article per row (read by column name: ``Full text``,
``Article title``, ``Json``, ``Article id``, ``Article url``).  Each article becomes an
:class:`~rashomon.models.Article` (title and body separated by a blank line: the data glues them
together; publication date = the date written in the article's URL path, when there is one) and
runs through the real extraction (:func:`rashomon.extract.extract_articles`).  The Mention is
scored against the annotation (docs/evaluation/gvdb.md gives the reasons):

* ``killed_exact``: predicted killed (:func:`~rashomon.eval.incident_slots.article_count`) equals
  the number of annotated victims marked ``killed``; over all articles.
* ``injured_exact``: the same for victims marked ``injured`` or ``hospitalized`` and not
  ``killed``.
* ``killed_mae`` / ``injured_mae``: mean absolute difference of the same counts.
* ``date_exact``: the Mention's incident date is one day and equals the annotated date; over
  articles with an annotated date.
* ``city_exact``: a name of the Mention's place (gazetteer name or the words written), when it
  is city-level (or the nearest city of a point-level place), equals the annotated city after
  folding case, accents and punctuation; over articles with an annotated city.

``details`` counts error classes per field (missed, spurious, under, over, ...).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rashomon.eval.base import EvalResult, Failures, rounded
from rashomon.eval.incident_slots import (
    article_count,
    incident_day,
    make_article,
    name_key,
    nearest_city,
    place_names,
)
from rashomon.models import Article, Mention

__all__ = ["GvdbItem", "city_predictions", "evaluate", "gold_counts", "load", "score_item", "url_date"]

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_URL_DATES = (
    # /2016/01/27/, 2016-01-27, 2016_01_27
    re.compile(r"(?<!\d)((?:19|20)\d\d)[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?!\d)"),
    # /2016/jan/26/
    re.compile(r"(?<!\d)((?:19|20)\d\d)/([a-z]{3})[a-z]*/(0?[1-9]|[12]\d|3[01])(?!\d)", re.IGNORECASE),
    # -20160223-, /20150803/
    re.compile(r"(?<![\d])((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![\d])"),
)


@dataclass(frozen=True)
class GvdbItem:
    """One annotated article: its Article and the gold values."""

    article: Article
    killed: int
    injured: int
    date: dt.date | None
    city: str | None


# --------------------------------------------------------------------------- loading

def url_date(url: str) -> dt.date | None:
    """The publication date a news URL's path carries ("/2016/01/27/", "/2016/jan/26/",
    "-20160223-"), or None."""
    for pattern in _URL_DATES:
        for match in pattern.finditer(url):
            year, month, day = match.groups()
            month_no = _MONTHS.get(month[:3].lower()) if month.isalpha() else int(month)
            if month_no is None:
                continue
            try:
                return dt.date(int(year), month_no, int(day))
            except ValueError:
                continue
    return None


def gold_counts(annotation: dict[str, Any]) -> tuple[int, int]:
    """(killed, injured) victims of an annotation: a victim marked ``killed`` counts as killed; one
    marked ``injured`` or ``hospitalized`` (and not killed) as injured; one marked nothing, not."""
    killed = injured = 0
    for victim in annotation.get("victim-section") or []:
        was = set(victim.get("victim-was") or [])
        if "killed" in was:
            killed += 1
        elif was & {"injured", "hospitalized"}:
            injured += 1
    return killed, injured


def _gold_date(value: object) -> dt.date | None:
    """Annotated dates look like "2016-01-27" or "2015-8-23"."""
    if not isinstance(value, str):
        return None
    parts = value.strip().split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def _article_text(title: str, full_text: str) -> str:
    """The full text with the title set apart as a headline (the data glues them together)."""
    title = title.strip()
    if title and full_text.startswith(title):
        return title + "\n\n" + full_text[len(title):].lstrip()
    return full_text


def load(path: Path, limit: int | None = None) -> Iterator[GvdbItem]:
    """Read a GVDB split file (``dev.tsv``, ``test.tsv``) into items, in file order."""
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        for n, row in enumerate(csv.DictReader(handle, delimiter="\t")):
            if limit is not None and n >= limit:
                break
            annotation = json.loads(row.get("Json") or "{}")
            when = annotation.get("date-and-time") or {}
            city = ((when.get("city") or {}).get("value") or "").strip() or None
            url = (row.get("Article url") or "").strip() or None
            title = (row.get("Article title") or "").strip() or None
            article = make_article(
                _article_text(title or "", row.get("Full text") or ""),
                f"{path.name}#{row.get('Article id', n)}",
                title=title,
                url=url,
                published=url_date(url) if url else None,
            )
            killed, injured = gold_counts(annotation)
            yield GvdbItem(article, killed, injured, _gold_date(when.get("date")), city)


# --------------------------------------------------------------------------- scoring

def city_predictions(mention: Mention) -> list[str]:
    """Folded names standing for the predicted city: the place's names when it is a city, the
    nearest city of a point-level place; nothing for subdivisions, regions and countries."""
    place = mention.place
    if place is None:
        return []
    if place.precision == "city":
        return place_names(mention)
    city = nearest_city(place)
    return [name_key(city)] if city else []


def _count_class(gold: int, pred: int) -> str:
    if gold == pred:
        return "exact"
    if pred == 0:
        return "missed"  # gold > 0, no figure
    if gold == 0:
        return "spurious"  # figure where the annotators saw no such victim
    return "under" if pred < gold else "over"


def score_item(item: GvdbItem, mention: Mention) -> dict[str, Any]:
    """Per-article outcome: predicted values and the class of each field's result."""
    killed = article_count(mention, "killed")
    injured = article_count(mention, "injured")
    day = incident_day(mention)
    cities = city_predictions(mention)
    out: dict[str, Any] = {
        "source": item.article.source,
        "killed": [item.killed, killed, _count_class(item.killed, killed)],
        "injured": [item.injured, injured, _count_class(item.injured, injured)],
    }
    if item.date is not None:
        if day is None:
            verdict = "no_date" if mention.date is None else "not_one_day"
        elif day == item.date:
            verdict = "exact"
        else:
            verdict = "earlier" if day < item.date else "later"
        out["date"] = [item.date.isoformat(), day.isoformat() if day else None, verdict]
    if item.city is not None:
        gold = name_key(item.city)
        if gold in cities:
            verdict = "exact"
        elif mention.place is None:
            verdict = "no_place"
        elif not cities:
            verdict = f"not_city:{mention.place.precision}"
        else:
            verdict = "other_city"
        out["city"] = [item.city, cities[0] if cities else None, verdict]
    return out


def _split_file(data: Path, split: str | None) -> Path:
    name = split or "dev"
    path = data / (name if name.endswith(".tsv") else f"{name}.tsv")
    if not path.is_file():
        raise FileNotFoundError(f"GVDB split not found: {path}")
    return path


def evaluate(data: Path, split: str | None = "dev", limit: int | None = None) -> EvalResult:
    """Run the extraction over a GVDB split and score it (see the module docstring)."""
    from rashomon.extract import extract_articles

    path = _split_file(data, split)
    items = list(load(path, limit))
    failures = Failures()
    rows = []
    extracted = failures.each(items, lambda batch: list(extract_articles(i.article for i in batch)),
                              key=lambda i: f"article {i.article.id}")
    for item, mention in extracted:
        if mention is not None:
            with failures.guard(f"article {item.article.id}"):
                rows.append(score_item(item, mention))
    n = len(rows)  # the scored articles (those that failed are counted in ``errors``)
    metrics: dict[str, float] = {}
    classes: dict[str, Counter[str]] = {}
    for field in ("killed", "injured", "date", "city"):
        scored = [r[field] for r in rows if field in r]
        classes[field] = Counter(r[2] for r in scored)
        if field in ("killed", "injured"):
            metrics[f"{field}_exact"] = classes[field]["exact"] / n if n else 0.0
            metrics[f"{field}_mae"] = sum(abs(g - p) for g, p, _ in scored) / n if n else 0.0
        else:
            metrics[f"{field}_exact"] = classes[field]["exact"] / len(scored) if scored else 0.0
    details = {
        "scored": {f: sum(classes[f].values()) for f in classes},
        "error_classes": {f: dict(classes[f].most_common()) for f in classes},
        "items": rows,
    }
    return failures.report(EvalResult("gvdb", path.stem, len(items), rounded(metrics), details))
