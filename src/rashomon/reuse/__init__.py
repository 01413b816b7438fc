"""Text reuse and syndication: who copied whom, and each article's relation to its story."""

from __future__ import annotations

from collections.abc import Iterable

from rashomon.models import Story
from rashomon.reuse.passages import find_reuse
from rashomon.reuse.relations import classify
from rashomon.settings import ReuseSettings
from rashomon.store import Store

__all__ = ["classify", "find_reuse", "update_relations"]


def update_relations(store: Store, story_ids: Iterable[str], cfg: ReuseSettings) -> list[Story]:
    """Recompute reuse links and article relations for the given stories; store and return them."""
    done: list[Story] = []
    for story_id in story_ids:
        story = store.story(story_id)
        if story is None:
            continue
        articles = {a.id: a for a in store.articles(ids=[sa.article_id for sa in story.articles])}
        links = find_reuse(list(articles.values()), cfg)
        story = classify(story, articles, links, cfg)
        store.save_relations(story, links)
        done.append(story)
    return done
