"""Applying the corrections log on every run: after clustering (which stories hold which articles)
and during reconciliation (what the incident record says).  The rules are in :mod:`rashomon.review.log`
and docs/review.md.

* :func:`apply_membership` replays the merges and moves in force (and puts back what a new undo
  reverts): it runs after the linker, so reports that joined either side of a merge since are
  carried along, and a moved report stays moved.  Replaying an entry already in effect changes
  nothing, so a re-run does no extra work.
* :class:`Overlay` is what reconciliation applies to each story: speaker aliases and figure
  corrections before the record is built (a rejected figure is left out of the toll and listed as
  excluded, with the reason), then the fields set, the reviewed mark and the list of corrections,
  with the machine's value kept beside each corrected field.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from rashomon.ids import digest
from rashomon.models import Correction, CorrectionRef, Figure, FigureExclusion, Incident, Mention
from rashomon.review import fields
from rashomon.review.log import (
    MEMBERSHIP,
    active,
    incident_articles,
    last_say,
    named_articles,
    resolve,
    reverted_by,
)
from rashomon.store import Store


def new_story_id(correction_id: str) -> str:
    """The story a report moved to a new incident opens (named after the move)."""
    return "s" + digest("moved", correction_id, length=14)


def _days(store: Store, article_ids: list[str]) -> dict[str, dt.date | None]:
    mentions = store.mentions(article_ids)
    out: dict[str, dt.date | None] = {}
    for art in store.articles(ids=article_ids):
        m = mentions.get(art.id)
        out[art.id] = m.date.start if m is not None and m.date is not None else art.published
    return out


def _move(store: Store, article_ids: list[str], story_id: str) -> set[str]:
    return store.move_to_story(article_ids, story_id, _days(store, article_ids)) if article_ids else set()


def _story_members(store: Store, story_id: str) -> list[str]:
    story = store.story(story_id)
    return [sa.article_id for sa in story.articles] if story is not None else []


def _merge(store: Store, c: Correction, mine: list[str]) -> set[str]:
    held = store.stories_of(mine)
    into = resolve([a for a in c.target.get("articles", []) if a in mine], held) or resolve(mine, held)
    if into is None:
        return set()
    changed: set[str] = set()
    for story in sorted({s for s in held.values() if s != into}):
        changed |= _move(store, _story_members(store, story), into)
    return changed


def _undo(store: Store, undone: Correction, say: dict[str, str]) -> set[str]:
    """Put back what a merge or move changed: its articles to the stories they were in before."""
    changed: set[str] = set()
    before: dict[str, list[str]] = undone.before.get("stories", {})
    for story, members in sorted(before.items()):
        back = [a for a in members if a not in say]  # a later entry in force decides those
        held = store.stories_of(back)
        changed |= _move(store, [a for a in back if held.get(a) != story], story)
    return changed


def apply_membership(store: Store, log: list[Correction], mark: int) -> set[str]:
    """Replay the merges and moves in force, and the undos newer than ``mark``; return the stories changed."""
    entries = active(log)
    say = last_say(entries)
    by_id = {c.id: c for c in log}
    changed: set[str] = set()
    for c in entries:
        if c.operation in MEMBERSHIP:
            mine = [a for a in named_articles(c) if say.get(a) == c.id]
            if c.operation == "merge":
                changed |= _merge(store, c, mine)
            elif mine:
                to = [a for a in c.after.get("to_articles", []) if a not in mine]
                dest = resolve(to, store.stories_of(to)) if to else new_story_id(c.id)
                changed |= _move(store, mine, dest or new_story_id(c.id))
        elif c.operation == "undo" and c.seq > mark:
            undone = by_id.get(str(c.target["correction"]))
            if undone is not None and undone.operation in MEMBERSHIP:
                later = {a: cid for a, cid in say.items() if by_id[cid].seq > undone.seq}
                changed |= _undo(store, undone, later)
    return changed


def touched_by_new(store: Store, log: list[Correction], mark: int) -> set[str]:
    """Stories whose record entries newer than ``mark`` change (or whose undone entries did)."""
    by_id = {c.id: c for c in log}
    articles: list[str] = []
    for c in log:
        if c.seq <= mark:
            continue
        for entry in (c, by_id.get(str(c.target.get("correction")))):
            if entry is None:
                continue
            if entry.operation == "alias":
                articles += store.articles_quoting(str(entry.target["alias"]))
            else:
                articles += incident_articles(entry) + list(entry.target.get("articles", []))
    return set(store.stories_of(articles).values())


def _ref(c: Correction, field: str | None = None) -> CorrectionRef:
    return CorrectionRef(id=c.id, who=c.who, at=c.at, operation=c.operation, reason=c.reason, field=field)


class Overlay:
    """The corrections in force, as reconciliation applies them story by story (see the module docstring)."""

    def __init__(self, store: Store, log: list[Correction]) -> None:
        entries = [c for c in active(log) if c.operation != "undo"]
        self.aliases = {str(c.target["alias"]).lower(): str(c.after["name"]) for c in entries if c.operation == "alias"}
        self.figures: dict[str, list[Correction]] = defaultdict(list)
        for c in entries:
            if c.operation == "figure":
                self.figures[str(c.target["figure"])].append(c)
        story_of = store.stories_of({a for c in entries for a in incident_articles(c)})
        self.by_story: dict[str, list[Correction]] = defaultdict(list)
        for c in entries:
            if c.operation != "alias":
                story = resolve(incident_articles(c), story_of)
                if story is not None:
                    self.by_story[story].append(c)
        self._rejected: dict[str, list[tuple[Figure, Correction]]] = {}
        self._figure_machine: dict[str, dict[str, Any]] = {}
        self.undone = reverted_by(log)
        self.seq = max((c.seq for c in log), default=0)  # the last log entry this overlay holds

    # ------------------------------------------------------------------ before the record is built

    def _speaker(self, model: Any) -> Any:
        speaker = getattr(model, "speaker", None)
        if speaker is None or speaker.name.lower() not in self.aliases:
            return model
        return model.model_copy(update={"speaker": speaker.model_copy(update={"name": self.aliases[speaker.name.lower()]})})

    def _figure(self, fig: Figure, story_id: str) -> Figure | None:
        for c in self.figures.get(fig.id, ()):
            if c.after.get("rejected"):
                self._rejected.setdefault(story_id, []).append((fig, c))
                self._figure_machine.setdefault(story_id, {})[f"figure {fig.id} rejected"] = False
                return None
            update = {k: v for k, v in c.after.items() if k in ("scope", "kind")}
            for key in update:
                self._figure_machine.setdefault(story_id, {}).setdefault(f"figure {fig.id} {key}", getattr(fig, key))
            if "scope" in update:
                update["scope_reason"] = f"set by {c.who}"
            fig = fig.model_copy(update=update)
        return fig

    def mentions(self, story_id: str, mentions: dict[str, Mention]) -> dict[str, Mention]:
        """The story's mentions with aliases and figure corrections applied."""
        self._rejected.pop(story_id, None)
        self._figure_machine.pop(story_id, None)
        if not self.aliases and not self.figures:
            return mentions
        out: dict[str, Mention] = {}
        for aid, m in mentions.items():
            figs = [f for f in (self._figure(self._speaker(f), story_id) for f in m.figures) if f is not None]
            out[aid] = m.model_copy(update={
                "figures": figs, "claims": [self._speaker(c) for c in m.claims],
                "framing": [self._speaker(f) for f in m.framing],
            })
        return out

    # ------------------------------------------------------------------ after

    def incident(self, inc: Incident) -> Incident:
        """The record with the story's corrections applied and listed."""
        refs: list[CorrectionRef] = []
        machine: dict[str, Any] = dict(self._figure_machine.get(inc.story_id, {}))
        reviewed = False
        for fig, c in self._rejected.get(inc.story_id, []):
            rng = inc.killed if fig.kind == "killed" else inc.injured if fig.kind == "injured" else None
            if rng is not None:
                rng.figures.append(fig)
                rng.excluded.append(FigureExclusion(figure_id=fig.id, reason=f"rejected by {c.who}: {c.reason}"))
        for c in self.by_story.get(inc.story_id, []):
            field = c.target.get("field") if c.operation == "set" else None
            if c.operation == "figure":
                field = f"figure {c.target['figure']}"
            if c.operation == "set" and field is not None:
                machine.setdefault(field, fields.machine_value(inc, field))
                inc = fields.set_value(inc, field, c.after["value"])
            if c.operation == "reviewed":
                reviewed = bool(c.after.get("reviewed", True))
            refs.append(_ref(c, field))
        return inc.model_copy(update={"reviewed": reviewed, "corrections": refs, "machine_values": machine})


def apply_log(store: Store, story_ids: list[str]) -> tuple[list[str], Overlay]:
    """The corrections stage of a run (after clustering): apply the merges and moves, and return the
    stories to reconcile (those the linker touched, those whose membership changed, those named by
    entries newer than the last run) with the overlay reconciliation applies.  Stories left empty
    are gone from the list."""
    log = store.corrections()
    if not log:
        return story_ids, Overlay(store, log)
    mark = store.applied_mark()
    todo = dict.fromkeys(story_ids)
    todo.update(dict.fromkeys(sorted(apply_membership(store, log, mark) | touched_by_new(store, log, mark))))
    live = [s for s in todo if store.story(s) is not None]  # a merge or move may have emptied some
    return live, Overlay(store, log)


def mark_applied(store: Store, overlay: Overlay) -> None:
    """Record that the log up to the overlay's last entry has been reconciled."""
    if overlay.seq > store.applied_mark():
        store.set_applied_mark(overlay.seq)
