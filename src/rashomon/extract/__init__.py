"""Extraction: one article in, one Mention (the incident as that article tells it) out."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from rashomon.extract.nlp import process, shared_nlp
from rashomon.models import Article, IngestStatus, Mention
from rashomon.settings import ExtractSettings
from rashomon.store import Store

__all__ = ["build_mention", "extract_articles", "extract_pending"]


def build_mention(doc: Doc, article: Article) -> Mention:
    """Assemble the Mention from what the components put on the Doc."""
    from rashomon.extract.components.dates import incident_date
    from rashomon.extract.components.places import best_incident_place

    def unique(records: list) -> list:  # a record found twice (same id) is kept once
        seen: set[str] = set()
        return [r for r in records if not (r.id in seen or seen.add(r.id))]

    dates = doc._.dates or []
    places = doc._.places or []
    chosen_place = best_incident_place(places)
    return Mention(
        id="m" + article.id[1:],
        article_id=article.id,
        event_type=doc._.event_type,
        date=incident_date(dates, doc),
        dates=dates,
        place=chosen_place.place if chosen_place else None,
        place_span=chosen_place.span if chosen_place else None,
        places=places,
        actors=doc._.actors or [],
        weapons=doc._.weapons or [],
        figures=unique(doc._.figures or []),
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


def extract_pending(
    store: Store,
    cfg: ExtractSettings,
    nlp: Language | None = None,
    on_article: Callable[[Article], None] | None = None,
) -> int:
    """Extract every ingested, not yet extracted article; each Mention is stored as it is made."""
    todo = list(store.articles(status=IngestStatus.ingested))
    by_id = {a.id: a for a in todo}
    count = 0
    for mention in extract_articles(todo, nlp, cfg.batch_size):
        store.save_mention(mention)
        count += 1
        if on_article is not None:
            on_article(by_id[mention.article_id])
    return count
