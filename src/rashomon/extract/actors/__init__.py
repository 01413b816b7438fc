"""Actors: the ``rashomon_actors`` component.

Assigns ``doc._.actors`` (a list of :class:`~rashomon.models.Actor`: named parties with their
kind and side).  Reads the NER ``ORG``/``NORP``/``GPE`` entities, the sentences (headline and
lead count double) and the dependency parse around an actor (who attacks whom), with the word
lists of ``patterns/actors.json``.
"""

from rashomon.extract.actors.component import ActorFinder, load_actor_patterns

__all__ = ["ActorFinder", "load_actor_patterns"]
