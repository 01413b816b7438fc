"""What clustering compares: each article reduced to a date, a place, actors and a text vector,
and the pair score between two such feature sets."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import HashingVectorizer

from rashomon.models import Article, Mention
from rashomon.settings import ClusterSettings

# Stateless vectoriser: new articles need no refit, so clustering can be incremental.
_VECTORISER = HashingVectorizer(
    n_features=2**20,
    ngram_range=(1, 2),
    stop_words="english",
    alternate_sign=False,
    norm="l2",
    lowercase=True,
)


@dataclass(frozen=True)
class Features:
    article_id: str
    day: dt.date | None  # incident date, else publication date
    day_is_incident: bool
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    fine_place: bool  # a town or point, not a province, region or country
    actors: frozenset[str]
    vector: csr_matrix


def text_vectors(texts: list[str]) -> csr_matrix:
    return _VECTORISER.transform(texts)


def features_of(article: Article, mention: Mention | None, vector: csr_matrix | None = None) -> Features:
    """Clustering features of one article (the vector is computed unless given)."""
    day, is_incident = article.published, False
    if mention is not None and mention.date is not None:
        day, is_incident = mention.date.start, True
    place = mention.place if mention is not None else None
    actors = frozenset(a.name.lower() for a in mention.actors) if mention is not None else frozenset()
    if vector is None:
        vector = text_vectors([f"{article.title or ''}\n{article.text}"])
    return Features(
        article_id=article.id,
        day=day,
        day_is_incident=is_incident,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        country=place.country_code if place else None,
        admin1=place.admin1 if place else None,
        fine_place=bool(place and place.precision in ("point", "city") and place.lat is not None),
        actors=actors,
        vector=vector,
    )


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def text_similarity(a: Features, b: Features) -> float:
    return float(a.vector.multiply(b.vector).sum())


def pair_score(a: Features, b: Features, cfg: ClusterSettings) -> float:
    """How likely two articles report the same incident, 0-1.

    Hard limits first (dates further apart than the window, places further apart than
    ``max_distance_km`` or in different countries) veto a link unless the texts are near copies;
    then a weighted mean over the features both articles have.
    """
    text = text_similarity(a, b)
    near_copy = text >= cfg.text_only_threshold
    parts: list[tuple[float, float]] = [(cfg.weight_text, text)]
    if a.day is not None and b.day is not None:
        gap = abs((a.day - b.day).days)
        if gap > cfg.window_days and not near_copy:
            return 0.0
        parts.append((cfg.weight_date, max(0.0, 1.0 - gap / (cfg.window_days + 1))))
    if a.country and b.country and a.country != b.country and not near_copy:
        return 0.0
    if a.fine_place and b.fine_place:
        dist = haversine_km(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
        if dist > cfg.max_distance_km and not near_copy:
            return 0.0
        parts.append((cfg.weight_place, max(0.0, 1.0 - dist / cfg.max_distance_km)))
    elif a.country and a.country == b.country:
        # One side names only a province or the country: agreement, but weaker than a shared town.
        parts.append((cfg.weight_place, 0.8 if a.admin1 and a.admin1 == b.admin1 else 0.5))
    if a.actors and b.actors:
        parts.append((cfg.weight_actors, len(a.actors & b.actors) / len(a.actors | b.actors)))
    total = sum(w for w, _ in parts)
    score = sum(w * s for w, s in parts) / total if total else 0.0
    return max(score, text) if near_copy else score

