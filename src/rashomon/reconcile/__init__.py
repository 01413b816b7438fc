"""Reconciliation: a Story becomes an Incident with low/best/high figures and disagreements."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from rashomon.models import Incident, Mention
from rashomon.reconcile.incident import incident_id_for, reconcile_story
from rashomon.settings import Settings
from rashomon.store import Store

__all__ = ["Overlay", "incident_id_for", "reconcile_stories", "reconcile_story"]


class Overlay(Protocol):
    """What people decided, applied to each story (rashomon.review.apply.Overlay is the one in use)."""

    def mentions(self, story_id: str, mentions: dict[str, Mention]) -> dict[str, Mention]: ...

    def incident(self, incident: Incident) -> Incident: ...


def _tells_an_incident(mention: Mention) -> bool:
    """An ACLED-type event (violence, protest, strategic development) or casualty figures."""
    typed = mention.event_type is not None and bool(mention.event_type.acled_event_type)
    return typed or any(f.scope != "other_incident" for f in mention.figures)


def reconcile_stories(
    store: Store, story_ids: Iterable[str], settings: Settings, overlay: Overlay | None = None
) -> list[str]:
    """Rebuild and store the incidents of the given stories; return their ids.  ``overlay`` applies
    the corrections log to each story's mentions and record.

    Each incident is written and let go: only ids are kept, so memory does not grow with the
    number of stories (``store.incident(id)`` reads one back)."""
    out: list[str] = []
    for story_id in story_ids:
        story = store.story(story_id)
        if story is None:
            continue
        ids = [sa.article_id for sa in story.articles]
        mentions = store.mentions(ids)
        if overlay is not None:
            mentions = overlay.mentions(story_id, mentions)
        if not any(_tells_an_incident(m) for m in mentions.values()):
            store.drop_incident(story_id)  # news, not an incident
            continue
        incident = reconcile_story(story, {a.id: a for a in store.articles(ids=ids)}, mentions, settings)
        if overlay is not None:
            incident = overlay.incident(incident)
        store.save_incident(incident)
        out.append(incident.id)
    return out
