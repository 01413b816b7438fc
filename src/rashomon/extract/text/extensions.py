"""The ``Doc`` extensions Rashomon's components write and read (``doc._.<name>``).

:func:`register_extensions` declares them once per process; the pipeline
(:mod:`rashomon.extract.nlp`) and any component built on its own call it."""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["EXTENSIONS", "register_extensions"]

# Doc extensions written by Rashomon's components (name -> default).
EXTENSIONS: dict[str, object] = {
    "article_id": "",
    "published": None,  # datetime.date | None, set by process()
    "dates": None,  # list[models.DateMention]              -> dates/
    "places": None,  # list[models.PlaceMention]            -> places/
    "actors": None,  # list[models.Actor]                   -> actors/
    "claims": None,  # list[models.Claim]                   -> claims/
    "figures": None,  # list[models.Figure]                 -> figures/
    "event_type": None,  # models.EventType | None          -> event_type.py
    "weapons": None,  # list[str]                           -> event_type.py
    "framing": None,  # list[models.Framing]                -> framing.py
}


def register_extensions() -> None:
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
