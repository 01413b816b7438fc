"""Extraction: one article in, one Mention (the incident as that article tells it) out."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

from spacy.language import Language
from spacy.tokens import Doc

from rashomon.extract.nlp import process, shared_nlp
from rashomon.models import Article, IngestStatus, Mention
from rashomon.settings import ExtractSettings
from rashomon.store import Store

__all__ = ["Extractor", "build_mention", "extract_articles", "extract_pending", "pending_articles"]


class Extractor(Protocol):
    """What :func:`extract_pending` needs of an engine (every :class:`rashomon.engine.Engine` is one)."""

    def extract(self, articles: Iterable[Article]) -> Iterator[Mention]: ...

PAGE = 256
"""Articles read from the store per query by :func:`pending_articles`."""


def build_mention(doc: Doc, article: Article) -> Mention:
    """Assemble the Mention from what the components put on the Doc."""
    from rashomon.extract.dates.component import incident_date
    from rashomon.extract.figures.scope import scope_figures
    from rashomon.extract.places.component import best_incident_place

    def unique(records: list) -> list:  # a record found twice (same id) is kept once, the first time
        first: dict[str, object] = {}
        for r in records:
            first.setdefault(r.id, r)
        return list(first.values())

    dates = doc._.dates or []
    places = doc._.places or []
    chosen_place = best_incident_place(places)
    date = incident_date(dates, doc)
    figures = scope_figures(doc, unique(doc._.figures or []), dates, date)
    return Mention(
        id="m" + article.id[1:],
        article_id=article.id,
        event_type=doc._.event_type,
        date=date,
        dates=dates,
        place=chosen_place.place if chosen_place else None,
        place_span=chosen_place.span if chosen_place else None,
        places=places,
        actors=doc._.actors or [],
        weapons=doc._.weapons or [],
        figures=figures,
        claims=unique(doc._.claims or []),
        framing=doc._.framing or [],
    )


def extract_articles(
    articles: Iterable[Article], nlp: Language | None = None, batch_size: int = 32
) -> Iterator[Mention]:
    """Run the NLP pipeline over articles, yielding their Mentions in order."""
    nlp = nlp or shared_nlp()
    pending: deque[Article] = deque()

    def items() -> Iterator[tuple[str, str, object]]:
        for art in articles:
            pending.append(art)
            yield art.id, art.text, art.published

    for doc in process(nlp, items(), batch_size=batch_size):  # type: ignore[arg-type]
        art = pending.popleft()
        yield build_mention(doc, art)


def pending_articles(store: Store, page: int = PAGE) -> Iterator[Article]:
    """The ingested, not yet extracted articles in ingestion order, read ``page`` at a time.

    Pages are keyed on ``seq`` (the ``articles_status`` index), so the articles marked extracted
    meanwhile neither shift a page nor come back, and no more than one page is held here."""
    last = 0
    while True:
        keys = store.article_keys(IngestStatus.ingested, after=last, limit=page)
        if not keys:
            return
        last = keys[-1][1]
        yield from store.articles(ids=[article_id for article_id, _ in keys])


def extract_pending(
    store: Store,
    cfg: ExtractSettings,
    nlp: Language | None = None,
    on_article: Callable[[Article], None] | None = None,
    engine: Extractor | None = None,
) -> int:
    """Extract every ingested, not yet extracted article; return how many.

    The articles stream from the store page by page through ``engine`` (default: this process,
    :func:`extract_articles` with ``nlp`` if given); their Mentions are written here, ``cfg.commit_every`` per
    transaction, so memory stays flat however many articles wait and a killed run loses at
    most one transaction of work."""
    in_flight: dict[str, Article] = {}  # articles sent to the engine, by id (bounded by its window)

    def source() -> Iterator[Article]:
        for article in pending_articles(store):
            in_flight[article.id] = article
            yield article

    count = 0
    if engine is None:
        mentions = extract_articles(source(), nlp or shared_nlp(settings=cfg), batch_size=cfg.batch_size)
    else:
        mentions = engine.extract(source())
    commit_every = max(1, int(getattr(cfg, "commit_every", 1)))
    while True:
        with store.transaction():
            for mention in mentions:
                store.save_mention(mention)
                count += 1
                article = in_flight.pop(mention.article_id)
                if on_article is not None:
                    on_article(article)
                if count % commit_every == 0:
                    break
            else:
                return count
