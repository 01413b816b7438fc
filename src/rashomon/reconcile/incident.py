"""Story -> Incident: one record per incident, every field with the evidence behind it."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable

from rashomon.geo.context import haversine_km
from rashomon.ids import digest
from rashomon.models import (
    Actor,
    Article,
    Disagreement,
    DisagreementValue,
    EventType,
    Figure,
    Incident,
    Mention,
    Place,
    SourceInfo,
    Span,
    Story,
)
from rashomon.reconcile.figures import figure_disagreement, group_category
from rashomon.reconcile.toll import toll_range, toll_timeline
from rashomon.settings import Settings

_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
_PLACE_RANK = {"point": 0, "city": 1, "admin1": 2, "region": 3, "country": 4, "unknown": 5}


def incident_id_for(story_id: str) -> str:
    return "i" + digest(story_id, length=14)


def _date(mentions: list[Mention]) -> tuple[dt.date | None, dt.date | None, str, list[Span], Disagreement | None]:
    dated = [m.date for m in mentions if m.date is not None]
    if not dated:
        return None, None, "unknown", [], None
    best = min(_PRECISION_RANK[d.precision] for d in dated)
    chosen = [d for d in dated if _PRECISION_RANK[d.precision] == best]
    counts = Counter(d.start for d in chosen)
    mode = min(counts, key=lambda day: (-counts[day], day))
    agree = [d for d in chosen if abs((d.start - mode).days) <= 1]
    start, end = min(d.start for d in agree), max(d.end for d in agree)
    disagreement = None
    outliers = [d for d in chosen if d not in agree]
    if outliers:
        by_day: dict[str, DisagreementValue] = {}
        for d in chosen:
            v = by_day.setdefault(d.start.isoformat(), DisagreementValue(value=d.start.isoformat(), speakers=[], article_ids=[]))
            v.article_ids.append(d.span.article_id)
        disagreement = Disagreement(field="date", values=list(by_day.values()))
    return start, end, chosen[0].precision, [d.span for d in agree], disagreement


def _place(mentions: list[Mention], max_km: float) -> tuple[Place | None, list[Span], Disagreement | None]:
    placed = [(m.place, m.place_span) for m in mentions if m.place is not None]
    if not placed:
        return None, [], None
    key = lambda p: p.geonames_id or p.name
    counts = Counter(key(p) for p, _ in placed)
    place, _ = min(placed, key=lambda ps: (_PLACE_RANK[ps[0].precision], -counts[key(ps[0])], ps[0].name))
    evidence = [s for p, s in placed if key(p) == key(place) and s is not None]
    far = [
        p for p, _ in placed
        if (p.country_code and place.country_code and p.country_code != place.country_code)
        or (None not in (p.lat, p.lon, place.lat, place.lon) and haversine_km(p.lat, p.lon, place.lat, place.lon) > max_km)  # type: ignore[arg-type]
    ]
    disagreement = None
    if far:
        values: dict[str, DisagreementValue] = {}
        for p, s in placed:
            label = ", ".join(x for x in (p.name, p.admin1, p.country) if x)
            v = values.setdefault(label, DisagreementValue(value=label, speakers=[], article_ids=[]))
            if s is not None and s.article_id not in v.article_ids:
                v.article_ids.append(s.article_id)
        disagreement = Disagreement(field="location", values=list(values.values()))
    return place, evidence, disagreement


def _actors(mentions: list[Mention]) -> tuple[list[Actor], list[Actor]]:
    sides: dict[str, Counter[str]] = defaultdict(Counter)
    first: dict[str, Actor] = {}
    for m in mentions:
        for a in m.actors:
            first.setdefault(a.name, a)
            if a.side:
                sides[a.name][a.side] += 1
    side_a: list[Actor] = []
    side_b: list[Actor] = []
    for name, votes in sides.items():
        side = "a" if votes["a"] >= votes["b"] else "b"
        actor = first[name].model_copy(update={"side": side})
        (side_a if side == "a" else side_b).append(actor)
    return side_a, side_b


def _event_type(mentions: list[Mention]) -> EventType | None:
    """The type with the highest summed score over the story's mentions."""
    scores: dict[str, float] = defaultdict(float)
    first: dict[str, EventType] = {}
    for m in mentions:
        if m.event_type is not None:
            scores[m.event_type.code] += max(m.event_type.score, 0.01)
            first.setdefault(m.event_type.code, m.event_type)
    if not scores:
        return None
    return first[max(scores, key=lambda c: (scores[c], c))]


def _framing_disagreement(mentions: list[Mention]) -> Disagreement | None:
    by_category: dict[str, DisagreementValue] = {}
    for m in mentions:
        for fr in m.framing:
            v = by_category.setdefault(fr.category, DisagreementValue(value=fr.category, speakers=[], article_ids=[]))
            who = f"{fr.speaker.name if fr.speaker else 'the report'}: \u201c{fr.term}\u201d"
            if who not in v.speakers:
                v.speakers.append(who)
            if fr.span.article_id not in v.article_ids:
                v.article_ids.append(fr.span.article_id)
    if len(by_category) < 2:
        return None
    return Disagreement(field="framing", values=sorted(by_category.values(), key=lambda v: v.value))


def _initials(name: str) -> str:
    """"Syrian Democratic Forces" -> "sdf": the acronym a report may use for an actor."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isupper() and w.lower() not in ("of", "the", "and")]
    return "".join(w[0] for w in words).lower() if len(words) >= 2 else ""


def _actor_words(mentions: list[Mention], side_a: list[Actor], side_b: list[Actor]) -> list[tuple[str, str, str]]:
    """(words, side, actor name) for every way the story's reports write each actor: its name, its
    initials and each text it was read from, in a fixed order (not the order reports arrived in)."""
    side = {a.name: "side_a" for a in side_a} | {a.name: "side_b" for a in side_b}
    words: set[tuple[str, str, str]] = set()
    for m in mentions:
        for a in m.actors:
            if a.name in side:
                for w in (a.text.lower(), a.name.lower(), _initials(a.name)):
                    if len(w) >= 2:
                        words.add((w, side[a.name], a.name))
    return sorted(words, key=lambda x: (-len(x[0]), x))


def _named_actor(words: list[tuple[str, str, str]], fig: Figure) -> tuple[str, str] | None:
    """(side, actor name) of the first actor whose words the figure's group holds ("one SDF member")."""
    group = f" {(fig.group or '').lower()} "
    return next(((side, name) for w, side, name in words if f" {w} " in group), None)


def _side_category(words: list[tuple[str, str, str]]) -> Callable[[Figure], str | None]:
    """A figure's category: the side of an actor its group names (by the actor's name, its words as
    written or its initials), else the coarse group category (soldiers, fighters) of
    reconcile/figures.py."""

    def category(fig: Figure) -> str | None:
        named = _named_actor(words, fig)
        return named[0] if named else group_category(fig)

    return category


def _actor_named(words: list[tuple[str, str, str]]) -> Callable[[Figure, str], str | None]:
    """The name of the actor of that side whose words the figure's group holds."""
    def actor(fig: Figure, side: str) -> str | None:
        group = f" {(fig.group or '').lower()} "
        return next((name for w, s, name in words if s == side and f" {w} " in group), None)

    return actor


def reconcile_story(
    story: Story, articles: dict[str, Article], mentions: dict[str, Mention], settings: Settings
) -> Incident:
    """Build the Incident record of one story."""
    ordered = [mentions[sa.article_id] for sa in story.articles if sa.article_id in mentions]
    relations = {sa.article_id: sa for sa in story.articles}
    start, end, precision, date_evidence, date_dis = _date(ordered)
    place, place_evidence, place_dis = _place(ordered, settings.cluster.max_distance_km)
    side_a, side_b = _actors(ordered)
    event_type = _event_type(ordered)

    def outlet(article_id: str) -> str | None:
        art = articles.get(article_id)
        return (art.outlet or art.title) if art else None

    ranges = {}
    words = _actor_words(ordered, side_a, side_b)
    disagreements: list[Disagreement] = []
    for kind in ("killed", "injured"):
        figs: list[Figure] = [f for m in ordered for f in m.figures if f.kind == kind]
        ranges[kind] = toll_range(figs, relations, _side_category(words), _actor_named(words))
        chosen = [f for f in figs if f.id in set(ranges[kind].independent_figures)]
        dis = figure_disagreement(kind, chosen, chosen, outlet, _side_category(words))
        if dis is not None:
            disagreements.append(dis)
    disagreements += [d for d in (date_dis, place_dis, _framing_disagreement(ordered)) if d is not None]

    sources = []
    for sa in story.articles:
        art = articles[sa.article_id]
        sources.append(
            SourceInfo(
                article_id=art.id, title=art.title, outlet=art.outlet, published=art.published,
                original_source=art.original_source, relation=sa.relation, copied_from=sa.copied_from,
            )
        )
    published = [a.published for a in articles.values() if a.published is not None and a.id in relations]
    if start is None and published:
        start = end = min(published)  # no date in the texts: the first report's date, precision unknown
    return Incident(
        id=incident_id_for(story.id),
        story_id=story.id,
        date_start=start,
        date_end=end,
        date_precision=precision,  # type: ignore[arg-type]
        date_evidence=date_evidence,
        location=place,
        location_evidence=place_evidence,
        actors_a=side_a,
        actors_b=side_b,
        event_type=event_type,
        weapons=sorted({w for m in ordered for w in m.weapons}),
        killed=ranges["killed"],
        injured=ranges["injured"],
        disagreements=disagreements,
        sources=sources,
        claims=[c for m in ordered for c in m.claims],
        framing=[f for m in ordered for f in m.framing],
        first_reported=min(published) if published else None,
        toll_timeline=toll_timeline(ranges, outlet),
    )
