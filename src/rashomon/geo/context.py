"""Document context for ranking gazetteer candidates, and distances on the sphere.

A :class:`PlaceContext` summarises what a document has already established: which countries it
mentions (and how often, demonyms included), which first-level subdivisions, and where the
places resolved so far lie.  :meth:`PlaceContext.bonus` turns that into a score bonus for one
candidate: a candidate in the document's dominant country, in a subdivision the document names,
or close to places already resolved is preferred.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres on a sphere of radius 6371 km (what clustering and
    reconciliation compare with their thresholds)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class PlaceContext:
    """Countries, subdivisions and points a document has established."""

    countries: Counter[str] = field(default_factory=Counter)  # ISO alpha-2 -> mentions
    admin1: set[tuple[str, str]] = field(default_factory=set)  # (country, admin1 name key)
    points: list[tuple[float, float]] = field(default_factory=list)

    # Weights of the three kinds of evidence (score points).
    country_weight: float = 3.0
    admin1_weight: float = 1.5
    near_weight: float = 1.5

    def add_country(self, code: str | None, weight: float = 1.0) -> None:
        if code:
            self.countries[code] += weight  # type: ignore[assignment]

    def add_admin1(self, code: str | None, admin1_key: str | None) -> None:
        if code and admin1_key:
            self.admin1.add((code, admin1_key))

    def add_point(self, lat: float | None, lon: float | None) -> None:
        if lat is not None and lon is not None:
            self.points.append((lat, lon))

    def share(self, code: str | None) -> float:
        """The share of the document's country mentions that name ``code``."""
        total = sum(self.countries.values())
        if not code or not total:
            return 0.0
        return self.countries.get(code, 0) / total

    def dominant_country(self) -> str | None:
        """The most mentioned country, if any."""
        if not self.countries:
            return None
        return self.countries.most_common(1)[0][0]

    def bonus(self, code: str | None, admin1_key: str | None, lat: float | None, lon: float | None) -> float:
        """Score bonus for a candidate in ``code`` / ``admin1_key`` at ``lat, lon``."""
        score = self.country_weight * self.share(code)
        if code and admin1_key and (code, admin1_key) in self.admin1:
            score += self.admin1_weight
        if lat is not None and lon is not None and self.points:
            nearest = min(distance_km(lat, lon, p_lat, p_lon) for p_lat, p_lon in self.points)
            if nearest < 100:
                score += self.near_weight
            elif nearest < 300:
                score += self.near_weight / 2
        return score
