"""Incremental linking: each new article joins the best-scoring existing story or opens a new one.

Candidate stories come from blocking on the date window (the store indexes stories by date range),
so the number of comparisons per article stays bounded however large the store grows.  Articles
are linked in a deterministic order (publication date, then ingestion order), so the same inputs
always give the same stories.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rashomon.cluster.features import Features, features_of, pair_score, text_vectors
from rashomon.ids import digest
from rashomon.models import Article, IngestStatus
from rashomon.settings import ClusterSettings
from rashomon.store import Store


def story_id_for(first_article_id: str) -> str:
    """A story is named after the article that opened it (stable under incremental runs)."""
    return "s" + digest(first_article_id, length=14)


class Linker:
    """Links articles to stories in one store, caching features of the articles it has seen."""

    def __init__(self, store: Store, cfg: ClusterSettings) -> None:
        self.store = store
        self.cfg = cfg
        self._features: dict[str, Features] = {}

    def _features_for(self, article_ids: Iterable[str]) -> list[Features]:
        missing = [a for a in article_ids if a not in self._features]
        if missing:
            articles = list(self.store.articles(ids=missing))
            mentions = self.store.mentions(missing)
            vectors = text_vectors([f"{a.title or ''}\n{a.text}" for a in articles])
            for i, art in enumerate(articles):
                self._features[art.id] = features_of(art, mentions.get(art.id), vectors[i])
        return [self._features[a] for a in article_ids if a in self._features]

    def _candidates(self, feats: Features) -> list[str]:
        if feats.day is None:
            return self.store.undated_stories()
        window = dt.timedelta(days=self.cfg.window_days)
        return self.store.stories_overlapping(feats.day - window, feats.day + window)

    def link(self, article: Article) -> str:
        """Assign one extracted article to a story; return the story id."""
        (feats,) = self._features_for([article.id])
        best_id, best_score = None, 0.0
        for story_id in self._candidates(feats):
            story = self.store.story(story_id)
            if story is None:
                continue
            members = self._features_for([sa.article_id for sa in story.articles])
            score = max((pair_score(feats, m, self.cfg) for m in members), default=0.0)
            if score > best_score:
                best_id, best_score = story_id, score
        if best_id is None or best_score < self.cfg.link_threshold:
            best_id = story_id_for(article.id)
        self.store.assign(article.id, best_id, feats.day)
        return best_id


def cluster_pending(store: Store, cfg: ClusterSettings) -> list[str]:
    """Link every extracted, not yet clustered article; return the ids of the stories touched."""
    pending = list(store.articles(status=IngestStatus.extracted))
    pending.sort(key=lambda a: (a.published or dt.date.max, a.id))
    linker = Linker(store, cfg)
    touched: dict[str, None] = {}
    for article in pending:
        touched[linker.link(article)] = None
    return list(touched)
