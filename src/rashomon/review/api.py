"""The library calls behind ``rashomon review``: one per command.

Each change appends one entry to the store's corrections log, then tries to apply the log at once
(clustering and reconciliation of the stories it touches, under the run lock).  When a run holds the
lock, the change is not waited on: it stays in the log and the next run's reconcile applies it
(``Written.applied`` says which happened).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rashomon.models import Correction, Figure, Incident
from rashomon.reconcile import incident_id_for
from rashomon.review import fields
from rashomon.review.log import Problem, active, problems, reverted_by
from rashomon.settings import Settings, load_settings
from rashomon.store import Store
from rashomon.store.sqlite import StoreBusy

MAX_TEXT = 2000  # characters of a reason, note or name


class ReviewError(ValueError):
    """A correction that cannot be made (the message says why); the log is left as it was."""


@dataclass
class Written:
    correction: Correction
    applied: bool  # False: a run held the store; the next run applies it


def apply_now(store: Store, settings: Settings | None = None) -> bool:
    """Apply the log now if no run holds the store (True), else leave it to the next run (False)."""
    from rashomon.pipeline import link_and_reconcile

    try:
        with store.run_lock(wait=False):
            link_and_reconcile(store, settings or load_settings())
    except StoreBusy:
        return False
    return True


def _text(value: str, what: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ReviewError(f"a {what} is required")
    if len(value) > MAX_TEXT:
        raise ReviewError(f"the {what} is longer than {MAX_TEXT} characters")
    return value


def _write(store: Store, who: str, operation: str, target: dict[str, Any], before: dict[str, Any],
           after: dict[str, Any], reason: str, settings: Settings | None) -> Written:
    c = store.add_correction(_text(who, "reviewer name"), operation, target, before, after, reason)
    return Written(c, apply_now(store, settings))


def _incident(store: Store, incident_id: str) -> Incident:
    inc = store.incident(incident_id)
    if inc is None:
        raise ReviewError(f"no incident {incident_id[:80]!r}")
    return inc


def _members(inc: Incident) -> list[str]:
    return [s.article_id for s in inc.sources]


def _figure(store: Store, figure_id: str) -> Figure:
    article = store.figure_article(figure_id)
    mention = store.mention(article) if article else None
    fig = next((f for f in (mention.figures if mention else []) if f.id == figure_id), None)
    if fig is None:
        raise ReviewError(f"no figure {figure_id[:80]!r}")
    return fig


def merge(store: Store, incident_id: str, other_id: str, *, reason: str, who: str,
          settings: Settings | None = None) -> Written:
    """One incident: ``other_id``'s reports join ``incident_id``'s (the merge holds as reports arrive)."""
    into, other = _incident(store, incident_id), _incident(store, other_id)
    if into.id == other.id:
        raise ReviewError("an incident cannot be merged with itself")
    target = {"incident": into.id, "articles": _members(into), "other": other.id, "other_articles": _members(other)}
    before = {"stories": {into.story_id: _members(into), other.story_id: _members(other)}}
    return _write(store, who, "merge", target, before, {"story": into.story_id}, _text(reason, "reason"), settings)


def move(store: Store, article_id: str, to: str | None, *, reason: str, who: str,
         settings: Settings | None = None) -> Written:
    """A report belongs to another incident (``to``), or to a new one of its own (``to=None``)."""
    story = store.story_of(article_id)
    if story is None:
        raise ReviewError(f"article {article_id[:80]!r} is in no incident")
    after: dict[str, Any] = {"to": None, "to_articles": []}
    if to is not None:
        dest = _incident(store, to)
        if dest.story_id == story:
            raise ReviewError("the report is already in that incident")
        after = {"to": dest.id, "to_articles": [a for a in _members(dest) if a != article_id]}
    target = {"article": article_id, "incident": incident_id_for(story)}
    return _write(store, who, "move", target, {"stories": {story: [article_id]}}, after, _text(reason, "reason"),
                  settings)


def figure(store: Store, figure_id: str, *, scope: str | None = None, kind: str | None = None,
           reject: bool = False, reason: str, who: str, settings: Settings | None = None) -> Written:
    """Set a figure's scope or kind, or reject it (it then counts for nothing, listed with the reason)."""
    fig = _figure(store, figure_id)
    if scope is not None and scope not in fields.FIGURE_SCOPES:
        raise ReviewError(f"scope must be one of {', '.join(fields.FIGURE_SCOPES)}")
    if kind is not None and kind not in fields.FIGURE_KINDS:
        raise ReviewError(f"kind must be one of {', '.join(fields.FIGURE_KINDS)}")
    after: dict[str, Any] = {"rejected": True} if reject else {}
    after.update({k: v for k, v in (("scope", scope), ("kind", kind)) if v is not None})
    if not after:
        raise ReviewError("say what to change: a scope, a kind, or reject")
    target = {"figure": fig.id, "article": fig.article_id}
    before = {"scope": fig.scope, "kind": fig.kind}
    return _write(store, who, "figure", target, before, after, _text(reason, "reason"), settings)


def set_field(store: Store, incident_id: str, field: str, value: str, *, reason: str, who: str,
              settings: Settings | None = None) -> Written:
    """Set an incident field (docs/review.md lists them and how values are written)."""
    inc = _incident(store, incident_id)
    try:
        parsed = fields.parse_value(field, value)
    except fields.BadValue as exc:
        raise ReviewError(str(exc)) from None
    target = {"incident": inc.id, "articles": _members(inc), "field": field}
    before = {"value": fields.machine_value(inc, field)}
    return _write(store, who, "set", target, before, {"value": parsed}, _text(reason, "reason"), settings)


def alias(store: Store, alias_name: str, name: str, *, reason: str, who: str,
          settings: Settings | None = None) -> Written:
    """A speaker alias, store-wide: ``alias_name`` ("SOHR") is read as ``name`` wherever it speaks."""
    short, full = _text(alias_name, "alias"), _text(name, "name")
    if short.lower() == full.lower():
        raise ReviewError("an alias and its name are the same")
    return _write(store, who, "alias", {"alias": short}, {}, {"name": full}, _text(reason, "reason"), settings)


def reviewed(store: Store, incident_id: str, *, who: str, reason: str = "", done: bool = True,
             settings: Settings | None = None) -> Written:
    """Mark an incident reviewed (``done=False``: not reviewed any more)."""
    inc = _incident(store, incident_id)
    target = {"incident": inc.id, "articles": _members(inc)}
    return _write(store, who, "reviewed", target, {"reviewed": inc.reviewed}, {"reviewed": done},
                  _text(reason, "reason", required=False), settings)


def _record_target(store: Store, record_id: str) -> dict[str, Any]:
    """What a note is about: an incident (by id or prefix), or a report, figure or claim (found by its article)."""
    inc = store.incident(record_id)
    if inc is not None:
        return {"incident": inc.id, "articles": _members(inc)}
    for key, article in (("article", record_id if store.story_of(record_id) else None),
                         ("figure", store.figure_article(record_id)), ("claim", store.claim_article(record_id))):
        if article is not None:
            return {key: record_id, "articles": [article]}
    raise ReviewError(f"no incident, report, figure or claim {record_id[:80]!r}")


def note(store: Store, record_id: str, text: str, *, who: str, settings: Settings | None = None) -> Written:
    """A free note on an incident, a report, a figure or a claim (changes nothing in the record; listed
    with the incident's corrections)."""
    target = _record_target(store, record_id)
    body = _text(text, "note")
    return _write(store, who, "note", target, {}, {"note": body}, body, settings)


def undo(store: Store, correction_id: str, *, reason: str, who: str, settings: Settings | None = None) -> Written:
    """Revert an entry of the log (a new entry; the reverted one stays in the log)."""
    c = store.correction(correction_id)
    if c is None:
        raise ReviewError(f"no correction {correction_id[:80]!r}")
    if c.operation == "undo":
        raise ReviewError("an undo cannot be undone: make the correction again")
    if c.id in reverted_by(store.corrections()):
        raise ReviewError(f"correction {c.id} is already undone")
    return _write(store, who, "undo", {"correction": c.id}, {}, {}, _text(reason, "reason"), settings)


def log(store: Store, incident_id: str | None = None) -> list[Correction]:
    """The whole log (or the entries about one incident now), oldest first."""
    entries = store.corrections()
    if incident_id is None:
        return entries
    inc = _incident(store, incident_id)
    listed = {r.id for r in inc.corrections}
    return [c for c in entries if c.id in listed or c.target.get("incident") == inc.id]


def check(store: Store) -> list[Problem]:
    """Entries in force whose target the store no longer holds (reported, never dropped)."""
    entries = [c for c in active(store.corrections()) if c.operation != "undo"]
    named: list[str] = []
    for c in entries:
        named += [*c.target.get("articles", []), *c.target.get("other_articles", []), *c.after.get("to_articles", [])]
        if "article" in c.target:
            named.append(c.target["article"])
    story_of = store.stories_of(named)
    figures = {str(c.target["figure"]) for c in entries if c.operation == "figure"}
    present = {f for f in figures if store.figure_article(f) is not None}
    return problems(entries, story_of, store.incident_story_ids(set(story_of.values())), present)


def import_log(store: Store, entries: list[Correction], *, settings: Settings | None = None) -> int:
    """Append another store's log entries (``rashomon review log --json``) not yet in this one, in
    their order, keeping their ids, authors, times and reasons; return how many were added.  A store
    rebuilt from the same reports gets the same corrections back (ids are content-based); entries
    whose target this store lacks are kept and reported by :func:`check`."""
    known = {c.id for c in store.corrections()}
    added = 0
    for c in sorted(entries, key=lambda e: e.seq):
        if c.id not in known:
            store.add_correction(c.who, c.operation, c.target, c.before, c.after, c.reason, cid=c.id, at=c.at)
            known.add(c.id)
            added += 1
    if added:
        apply_now(store, settings)
    return added
