"""Places: the ``rashomon_places`` component.

Assigns ``doc._.places`` (a list of :class:`~rashomon.models.PlaceMention`: the place resolved in
the offline gazetteer of :mod:`rashomon.geo`, its span and its role).  Reads the NER
``GPE``/``LOC``/``FAC`` entities, the sentences, and the tokens and parse around a name (a
locative cue, a verb of attack, a speaker).  :func:`best_incident_place` picks the incident's
place among them.
"""

from rashomon.extract.places.component import PlaceFinder, best_incident_place

__all__ = ["PlaceFinder", "best_incident_place"]
