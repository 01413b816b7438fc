"""What clustering compares: each article reduced to dates, places, named participants, actors and a
text vector, and the pair score between two such feature sets.

Features come from the stored article and its Mention only (no NLP at clustering time), so the
linker can rebuild them for stories stored by an earlier run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import HashingVectorizer

from rashomon.cluster.names import participant_names
from rashomon.geo.context import haversine_km
from rashomon.models import Article, Mention
from rashomon.settings import ClusterSettings

# Stateless vectoriser: new articles need no refit, so clustering can be incremental.
N_FEATURES = 2**20
_VECTORISER = HashingVectorizer(
    n_features=N_FEATURES,
    ngram_range=(1, 2),
    stop_words="english",
    alternate_sign=False,
    norm="l2",
    lowercase=True,
)

_FINE = ("point", "city")


@dataclass(frozen=True)
class Features:
    article_id: str
    day: dt.date | None  # incident date, else publication date
    day_is_incident: bool
    lat: float | None  # the chosen incident place
    lon: float | None
    country: str | None
    admin1: str | None
    fine_place: bool  # a town or point, not a province, region or country
    actors: frozenset[str]
    vector: csr_matrix
    published: dt.date | None = None
    day_end: dt.date | None = None  # last day of the incident date's range (a month, a year)
    points: tuple[tuple[float, float], ...] = ()  # every town or point the article names
    countries: frozenset[str] = frozenset()  # countries of every resolved place
    regions: frozenset[tuple[str, str]] = frozenset()  # (country, admin1) of every resolved place
    names: frozenset[str] = field(default_factory=frozenset)  # named participants


def text_vectors(texts: list[str]) -> csr_matrix:
    return _VECTORISER.transform(texts)


def article_text(article: Article) -> str:
    """The text clustering compares: title and body."""
    return f"{article.title or ''}\n{article.text}"


def features_of(article: Article, mention: Mention | None, vector: csr_matrix | None = None) -> Features:
    """Clustering features of one article (the vector is computed unless given)."""
    day, day_end, is_incident = article.published, article.published, False
    if mention is not None and mention.date is not None:
        day, day_end, is_incident = mention.date.start, mention.date.end, True
    place = mention.place if mention is not None else None
    actors = frozenset(a.name.lower() for a in mention.actors) if mention is not None else frozenset()
    points: dict[tuple[float, float], None] = {}
    countries: set[str] = set()
    regions: set[tuple[str, str]] = set()
    place_words: set[str] = set()
    resolved = [pm.place for pm in mention.places if pm.place is not None] if mention is not None else []
    if place is not None:
        resolved.append(place)
    for pm in mention.places if mention is not None else []:
        place_words.add(pm.span.text.lower())
    for p in resolved:
        if p.country_code:
            countries.add(p.country_code)
            if p.admin1:
                regions.add((p.country_code, p.admin1))
        if p.precision in _FINE and p.lat is not None and p.lon is not None:
            points[(round(p.lat, 3), round(p.lon, 3))] = None
        place_words.add(p.name.lower())
    if vector is None:
        vector = text_vectors([article_text(article)])
    names = participant_names(article_text(article))
    return Features(
        article_id=article.id,
        day=day,
        day_is_incident=is_incident,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        country=place.country_code if place else None,
        admin1=place.admin1 if place else None,
        fine_place=bool(place and place.precision in _FINE and place.lat is not None),
        actors=actors,
        vector=vector,
        published=article.published,
        day_end=day_end,
        points=tuple(points),
        countries=frozenset(countries),
        regions=frozenset(regions),
        names=frozenset(n for n in names if n not in place_words),
    )


def text_similarity(a: Features, b: Features) -> float:
    return float(a.vector.multiply(b.vector).sum())


def day_gap(a: Features, b: Features) -> int | None:
    """Days between two reports: between their incident date ranges, or between their publication
    dates when those are closer."""
    gaps = []
    if a.day is not None and b.day is not None:
        a_end, b_end = a.day_end or a.day, b.day_end or b.day
        gaps.append(max(0, (max(a.day, b.day) - min(a_end, b_end)).days))
    if a.published is not None and b.published is not None:
        gaps.append(abs((a.published - b.published).days))
    return min(gaps) if gaps else None


def _chosen_points(f: Features) -> tuple[tuple[float, float], ...]:
    if f.points:
        return f.points
    if f.fine_place and f.lat is not None and f.lon is not None:
        return ((f.lat, f.lon),)
    return ()


def place_distance(a: Features, b: Features) -> float | None:
    """Smallest distance in km between a town the one names and a town the other names."""
    pa, pb = _chosen_points(a), _chosen_points(b)
    if not pa or not pb:
        return None
    return min(haversine_km(x[0], x[1], y[0], y[1]) for x in pa for y in pb)


def shared_names(a: Features, b: Features) -> int:
    return len(a.names & b.names)


def pair_score(a: Features, b: Features, cfg: ClusterSettings, text: float | None = None) -> float:
    """How likely two articles report the same incident, 0-1.

    Hard limits first, waived for near copies: reports whose dates are further apart than
    ``window_days`` (``follow_up_days`` when they share two named participants) are never linked
    when both dates are anchored to a publication date; reports set in towns further apart than
    ``max_distance_km``, or in towns of different countries, are never linked unless they share a
    named participant.  Then a weighted mean of text, date, place and actor agreement over the
    features both articles have, plus a bonus for shared named participants (one name counts
    half).  ``text`` may pass a precomputed text similarity.
    """
    text = text_similarity(a, b) if text is None else text
    near_copy = text >= cfg.text_only_threshold
    names = shared_names(a, b)
    parts: list[tuple[float, float]] = [(cfg.weight_text, text)]
    gap = day_gap(a, b)
    if gap is not None:
        limit = cfg.follow_up_days if names >= 2 else cfg.window_days
        anchored = a.published is not None and b.published is not None
        if gap > limit and anchored and not near_copy:
            return 0.0
        parts.append((cfg.weight_date, max(0.0, 1.0 - gap / (cfg.window_days + 1))))
    waived = near_copy or names > 0
    if a.fine_place and b.fine_place and a.country and b.country and a.country != b.country and not waived:
        return 0.0
    ca, cb = a.countries or ({a.country} if a.country else set()), b.countries or ({b.country} if b.country else set())
    dist = place_distance(a, b)
    if dist is not None:
        if dist > cfg.max_distance_km and not waived:
            return 0.0
        parts.append((cfg.weight_place, max(0.0, 1.0 - dist / cfg.max_distance_km)))
    elif ca and cb:
        # One side names only a province or the country: agreement, but weaker than a shared town.
        parts.append((cfg.weight_place, (0.8 if a.regions & b.regions else 0.5) if ca & cb else 0.0))
    if a.actors and b.actors:
        parts.append((cfg.weight_actors, len(a.actors & b.actors) / len(a.actors | b.actors)))
    total = sum(w for w, _ in parts)
    score = sum(w * s for w, s in parts) / total if total else 0.0
    if names:
        score += cfg.weight_names * min(1.0, names / 2)
    score = min(1.0, score)
    return max(score, text) if near_copy else score
