"""Text reuse and syndication: who copied whom, and each article's relation to its story."""

from __future__ import annotations

from collections.abc import Iterable

from rashomon.reuse.passages import find_reuse
from rashomon.reuse.relations import classify
from rashomon.settings import ReuseSettings
from rashomon.store import Store

__all__ = ["classify", "find_reuse", "update_relations"]


def update_relations(store: Store, story_ids: Iterable[str], cfg: ReuseSettings) -> int:
    """Recompute reuse links and article relations for the given stories and store them; return
    how many stories were updated (one story at a time is held: memory does not grow with a run)."""
    done = 0
    for story_id in story_ids:
        story = store.story(story_id)
        if story is None:
            continue
        articles = {a.id: a for a in store.articles(ids=[sa.article_id for sa in story.articles])}
        links = find_reuse(list(articles.values()), cfg)
        story = classify(story, articles, links, cfg)
        store.save_relations(story, links)
        done += 1
    return done
