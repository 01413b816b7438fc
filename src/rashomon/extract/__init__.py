"""Extraction: one article in, one Mention (the incident as that article tells it) out."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Protocol

from spacy.language import Language
from spacy.tokens import Doc

from rashomon.extract.nlp import process, shared_nlp
from rashomon.models import Article, ExtractFailure, IngestStatus, Mention
from rashomon.settings import ExtractSettings
from rashomon.store import Store

__all__ = [
    "ExtractResult", "Extractor", "build_mention", "extract_articles", "extract_pending", "extract_results",
    "failure_reason", "pending_articles",
]


class Extractor(Protocol):
    """What :func:`extract_pending` needs of an engine (every :class:`rashomon.engine.Engine` is one)."""

    def extract(self, articles: Iterable[Article]) -> Iterator[Mention | ExtractFailure]: ...

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


ExtractResult = Mention | ExtractFailure
"""What extraction gives for one article: its Mention, or why it failed."""


def failure_reason(error: BaseException) -> str:
    """An exception as one printable line of at most 300 characters: its type and first line."""
    lines = str(error).strip().splitlines()
    text = f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
    text = "".join(c if c.isprintable() else " " for c in text)
    return text if len(text) <= 300 else text[:299] + "…"


def _mentions(batch: list[Article], nlp: Language, batch_size: int, chunk_chars: int) -> list[Mention]:
    items = [(art.id, art.text, art.published) for art in batch]
    docs = process(nlp, items, batch_size=batch_size, chunk_chars=chunk_chars)
    return [build_mention(doc, art) for doc, art in zip(docs, batch, strict=True)]


def extract_articles(
    articles: Iterable[Article], nlp: Language | None = None, batch_size: int = 32,
    chunk_chars: int = ExtractSettings().chunk_chars,
) -> Iterator[Mention]:
    """Run the NLP pipeline over articles, yielding their Mentions in order (an error raises:
    :func:`extract_results` keeps going instead)."""
    nlp = nlp or shared_nlp()
    it = iter(articles)
    while batch := list(islice(it, max(1, batch_size))):
        yield from _mentions(batch, nlp, batch_size, chunk_chars)


def extract_results(
    articles: Iterable[Article], nlp: Language | None = None, batch_size: int = 32,
    chunk_chars: int = ExtractSettings().chunk_chars,
) -> Iterator[ExtractResult]:
    """:func:`extract_articles` that one bad article cannot stop: an article whose extraction raises
    (a component's bug, a text the model chokes on) gives an :class:`ExtractFailure` with the error's
    one-line reason in its place; the others of its batch are extracted again one by one, so they
    come out as if it had not been there."""
    nlp = nlp or shared_nlp()
    it = iter(articles)
    while batch := list(islice(it, max(1, batch_size))):
        try:
            results: list[ExtractResult] = list(_mentions(batch, nlp, batch_size, chunk_chars))
        except Exception:  # noqa: BLE001 - find which article raised: each alone
            results = []
            for art in batch:
                try:
                    results.extend(_mentions([art], nlp, batch_size, chunk_chars))
                except Exception as error:  # noqa: BLE001 - one article must not stop the run
                    results.append(ExtractFailure(article_id=art.id, reason=failure_reason(error)))
        yield from results


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
    on_failure: Callable[[ExtractFailure], None] | None = None,
) -> int:
    """Extract every ingested, not yet extracted article; return how many were analysed.  An
    article whose extraction raised is marked ``failed`` with its reason (:meth:`Store.failures`),
    told to ``on_failure``, and not counted.

    The articles stream from the store page by page through ``engine`` (default: this process,
    :func:`extract_articles` with ``nlp`` if given); their Mentions are written here, ``cfg.commit_every`` per
    transaction, so memory stays flat however many articles wait and a killed run loses at
    most one transaction of work."""
    in_flight: dict[str, Article] = {}  # articles sent to the engine, by id (bounded by its window)

    def source() -> Iterator[Article]:
        for article in pending_articles(store):
            in_flight[article.id] = article
            yield article

    counts = [0, 0]  # analysed, failed
    if engine is None:
        results = extract_results(source(), nlp or shared_nlp(settings=cfg), cfg.batch_size, cfg.chunk_chars)
    else:
        results = engine.extract(source())
    commit_every = max(1, int(getattr(cfg, "commit_every", 1)))
    while True:
        with store.transaction():
            for result in results:
                if isinstance(result, ExtractFailure):
                    store.mark_failed(result.article_id, result.reason)
                    counts[1] += 1
                    if on_failure is not None:
                        on_failure(result)
                else:
                    store.save_mention(result)
                    counts[0] += 1
                article = in_flight.pop(result.article_id)
                if on_article is not None:
                    on_article(article)
                if sum(counts) % commit_every == 0:
                    break
            else:
                return counts[0]
