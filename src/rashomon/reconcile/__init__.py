"""Reconciliation: a Story becomes an Incident with low/best/high figures and disagreements."""

from __future__ import annotations

from collections.abc import Iterable

from rashomon.models import Incident
from rashomon.reconcile.incident import incident_id_for, reconcile_story
from rashomon.settings import Settings
from rashomon.store import Store

__all__ = ["incident_id_for", "reconcile_stories", "reconcile_story"]


def reconcile_stories(store: Store, story_ids: Iterable[str], settings: Settings) -> list[Incident]:
    """Rebuild and store the incidents of the given stories."""
    out: list[Incident] = []
    for story_id in story_ids:
        story = store.story(story_id)
        if story is None:
            continue
        ids = [sa.article_id for sa in story.articles]
        mentions = store.mentions(ids)
        if not any(m.event_type is not None or m.figures for m in mentions.values()):
            store.drop_incident(story_id)  # no violent event told: news, not an incident
            continue
        incident = reconcile_story(story, {a.id: a for a in store.articles(ids=ids)}, mentions, settings)
        store.save_incident(incident)
        out.append(incident)
    return out
