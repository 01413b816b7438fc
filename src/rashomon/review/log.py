"""Reading the corrections log: which entries are in force, what each one names, and where its
target is now.

The rules (docs/review.md):

* An entry is in force unless a later ``undo`` reverts it.  Undo entries themselves stay in force
  (an undone merge or move is put back by them) and cannot be undone.
* Targets are named by content-based ids, which do not change when reports are added: articles
  (the hash of their text) and figures (the hash of their article and offsets).  An incident is
  named by its id *and* the ids of its articles when the correction was made; it is found again as
  the story now holding most of those articles (ties: the one holding the earliest listed).  So a
  correction follows its incident when new reports join it, when its id changes (two incidents
  merged) or when some of its reports are moved away.
* Membership (merge, move): for each article, the latest entry in force that names it decides
  where it goes; an earlier entry's say about that article lapses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rashomon.models import Correction

MEMBERSHIP = ("merge", "move")
INCIDENT_OPS = ("merge", "set", "reviewed", "note")


def active(log: Iterable[Correction]) -> list[Correction]:
    """The entries in force, in log order."""
    entries = list(log)
    reverted = {c.target.get("correction") for c in entries if c.operation == "undo"}
    return [c for c in entries if c.id not in reverted]


def reverted_by(log: Iterable[Correction]) -> dict[str, Correction]:
    """id of an undone entry -> the undo entry that reverts it."""
    return {str(c.target["correction"]): c for c in log if c.operation == "undo"}


def named_articles(c: Correction) -> list[str]:
    """The articles a membership entry names (whose place it decides)."""
    if c.operation == "merge":
        return [*c.target.get("articles", []), *c.target.get("other_articles", [])]
    if c.operation == "move":
        return [c.target["article"]]
    return []


def last_say(entries: list[Correction]) -> dict[str, str]:
    """article id -> id of the latest membership entry in force naming it."""
    out: dict[str, str] = {}
    for c in entries:
        if c.operation in MEMBERSHIP:
            for aid in named_articles(c):
                out[aid] = c.id
    return out


def resolve(article_ids: list[str], story_of: dict[str, str]) -> str | None:
    """The story now holding most of ``article_ids`` (ties: the one holding the earliest listed)."""
    held = [story_of[a] for a in article_ids if a in story_of]
    if not held:
        return None
    counts = Counter(held)
    top = max(counts.values())
    return next(s for s in held if counts[s] == top)


def incident_articles(c: Correction) -> list[str]:
    """The articles that name the incident an entry is about (for figures: the figure's article)."""
    if c.operation == "figure":
        return [c.target["article"]]
    if c.operation == "move":
        return list(c.after.get("to_articles") or [c.target["article"]])
    return list(c.target.get("articles", []))


@dataclass(frozen=True)
class Problem:
    """An entry in force whose target the store no longer holds."""

    correction: str
    operation: str
    who: str
    message: str


def problems(entries: list[Correction], story_of: dict[str, str], incident_stories: set[str],
             figures: set[str]) -> list[Problem]:
    """Entries in force whose target is gone: no story with an incident holds any article naming
    it, the article of a move is in no story, or the figure is no longer extracted."""
    out: list[Problem] = []
    for c in entries:
        message = None
        if c.operation == "figure" and c.target["figure"] not in figures:
            message = f"figure {c.target['figure']} is no longer in the store"
        elif c.operation == "move" and c.target["article"] not in story_of:
            message = f"article {c.target['article']} is in no incident"
        elif c.operation in INCIDENT_OPS:
            story = resolve(incident_articles(c), story_of)
            if story is None or story not in incident_stories:
                message = f"incident {c.target.get('incident')}: none of its reports is in an incident now"
        if message is not None:
            out.append(Problem(c.id, c.operation, c.who, message))
    return out
