"""Resolving a name already known to be a toponym, when a plain lookup is not enough.

A span that an annotator (or a caller) asserts is a toponym may be a demonym ("Canadian"), a
facility or organisation named after a place ("University of Alberta", "Dubai World Cup"), or a
street or building no gazetteer holds ("Royal Street").  :func:`resolve_toponym` tries, in
order:

1. a **demonym or place adjective** ("Canadian" -> Canada, "English" -> England) when the word is
   one and the lookup found no sizeable place of that name (the town of Canadian, Texas, does
   not win);
2. the **lookup result** itself;
3. an **embedded place name**: the longest run of words inside the name that the gazetteer
   knows, or a demonym among its words ("Russian Foreign Ministry" -> Russia), kept only when it
   is a country, subdivision, county or region, or a city in a country the document mentions;
   skipped for names ending in a street word ("Royal Street" is not Royal, Arkansas); a country
   or subdivision found this way yields to the focus when the focus lies inside it ("Stade de
   France" in a report from Paris);
4. the document's **focus** (:func:`document_focus`): a street, building or facility the
   gazetteer lacks is placed at the most mentioned town of the document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rashomon.geo.context import PlaceContext
from rashomon.geo.gazetteer import Candidate, Gazetteer
from rashomon.geo.normalise import words
from rashomon.models import Place

__all__ = ["document_focus", "embedded_place", "resolve_toponym"]

SIZEABLE = 100_000
BROAD_KINDS = frozenset({"country", "continent", "admin1", "county", "region", "sea", "disputed", "island",
                         "river", "lake", "mountain", "strait", "district", "airport", "landmark"})
# Last words of street names: their other words are not places ("Royal Street", "Desire Street").
STREET_WORDS = frozenset({"street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "drive", "dr",
                          "lane", "ln", "way", "place", "pl", "terrace", "crescent", "highway", "hwy", "row",
                          "alley", "parkway", "pkwy", "circle", "court", "ct", "square"})
# Words that never stand for a place on their own inside a longer name.
FILLER = frozenset({"of", "the", "and", "for", "at", "in", "on", "de", "du", "des", "la", "le", "del", "di",
                    "university", "college", "school", "hospital", "church", "centre", "center", "council",
                    "city", "town", "north", "south", "east", "west", "new", "old", "great", "royal", "saint",
                    "st", "national", "international", "central", "general", "state", "county"})


def resolve_toponym(g: Gazetteer, name: str, found: Candidate | None, context: PlaceContext,
                    focus: Place | None = None) -> Place | None:
    """The place ``name`` most likely refers to (see the module docstring); ``found`` is its
    lookup result, if any, and ``focus`` the document's focus (:func:`document_focus`)."""
    demonym = g.demonym_place(name)
    if demonym is not None and (found is None or (found.kind == "city" and found.population < SIZEABLE)):
        return demonym
    if found is not None:
        return found.place
    inside = embedded_place(g, name, context)
    if inside is None:
        return focus
    if (focus is not None and inside.feature in ("country", "admin1")
            and focus.country_code == inside.country_code
            and (inside.feature == "country" or focus.admin1 == inside.name)):
        return focus  # "Stade de France" in a report from Paris: Paris, not the middle of France
    return inside


def embedded_place(g: Gazetteer, name: str, context: PlaceContext) -> Place | None:
    """A place named inside ``name`` (step 3 of the module docstring), or None."""
    tokens = name.replace("’", "'").split()
    if len(tokens) < 2 or words(tokens[-1])[-1:] and words(tokens[-1])[-1] in STREET_WORDS:
        return None
    for size in range(len(tokens) - 1, 0, -1):
        for start in range(len(tokens) - size + 1):
            part = tokens[start:start + size]
            if not part[0][:1].isupper() or not part[-1][:1].isupper():
                continue
            folded = [w for p in part for w in words(p)]
            if not folded or all(w in FILLER for w in folded):
                continue
            text = " ".join(part)
            text = text.removesuffix("'s")
            demonym = g.demonym_place(text) if size == 1 else None
            if demonym is not None:
                return demonym
            best = g.best(text, context=context, fuzzy=False)
            if best is not None and _plausible(best, context):
                return best.place
    return None


def _plausible(best: Candidate, context: PlaceContext) -> bool:
    if best.kind in BROAD_KINDS:
        return True
    return context.share(best.place.country_code) > 0 and best.score >= 5.0


def document_focus(places: Iterable[Place], context: PlaceContext | None = None) -> Place | None:
    """The document's most mentioned town (ties: the first), else its most mentioned
    subdivision or county, else its most mentioned country; only places in the document's
    dominant country count when ``context`` names one.  None for an empty list."""
    resolved = [p for p in places if p.lat is not None and p.lon is not None]
    dominant = context.dominant_country() if context is not None else None
    if dominant is not None and any(p.country_code == dominant for p in resolved):
        resolved = [p for p in resolved if p.country_code == dominant]
    for levels in (("city",), ("county", "district", "admin1"), ("country",)):
        pool = [p for p in resolved if p.feature in levels]
        if pool:
            counts = Counter((p.name, p.lat, p.lon) for p in pool)
            top = max(counts.values())
            return next(p for p in pool if counts[(p.name, p.lat, p.lon)] == top)
    return None
