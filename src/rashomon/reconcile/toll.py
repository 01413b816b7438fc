"""An incident's toll from its figures: which figures set the bounds, the floor their parts give,
the toll of each group of people, and the toll as it moved over time.

The rules (docs/reconciliation.md sets them beside UCDP's and ACLED's):

- Only figures whose scope is ``total`` set the bounds.  A part ("including 4 children", "two
  more died in hospital") gives a floor, an earlier estimate, a projection or another
  incident's toll never bounds anything, and the attackers' dead are counted apart.
- An account is what one speaker (or the outlet's own voice) says in one article about one day
  of reporting ("on Monday, 12 were killed"; "the toll rose to 19 on Tuesday" is a second
  account).  An account that restates its count stands by the largest.  Copies of a copied
  article's figures are the same account
  (:func:`~rashomon.reconcile.figures.independent_figures`).
- ``low`` is the smallest lower bound among the accounts (so the first count of a toll that
  rose), ``high`` the largest number any of them gives (its latest count), ``best`` the median
  account (the lower of the two middle ones).  An estimate the report itself says was superseded
  ("police previously said 12") is scoped ``earlier`` and sets neither.
- A vague amount ("dozens") sets no bound when an account gives a counted total.
- Parts give a floor: the sum of the parts one article splits its toll into (by site, by the
  moment of death, or additions); when no account gives a total, the floor is the range.
- Every figure that sets no bound is listed in ``excluded`` with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from statistics import median_low

from rashomon.models import (
    CasualtyGroup,
    Figure,
    FigureExclusion,
    FigureRange,
    GroupToll,
    StoryArticle,
    TollPoint,
)
from rashomon.reconcile.figures import bounds, independent_figures, peak, speaker_label

_GROUP_STEMS: tuple[tuple[CasualtyGroup, tuple[str, ...]], ...] = (
    ("attackers", ("attacker", "assailant", "gunman", "gunmen", "bomber", "perpetrator", "militant", "jihadist",
                   "terrorist", "hijacker", "shooter", "suspect")),
    ("security_forces", ("soldier", "troop", "servicem", "officer", "police", "policem", "guard", "army",
                         "military", "gendarme", "personnel", "security force", "marine", "trooper")),
    ("civilians", ("civilian", "child", "children", "kid", "women", "woman", "student", "pupil", "worshipper",
                   "passenger", "villager", "resident", "shopper", "tourist", "guest", "patient", "bystander")),
)
EARLIER = "an earlier estimate"
RESTATED = "its account restates it as"
VAGUE = frozenset({"dozens", "scores", "hundreds", "thousands", "several", "many", "dozen", "numerous"})
_SPLIT_REASONS = ("one site or moment", "in addition")


def casualty_group(fig: Figure) -> CasualtyGroup:
    """Who a figure counts, in UCDP's terms; ``unknown`` for people not said to be either."""
    group = (fig.group or "").lower()
    for name, stems in _GROUP_STEMS:
        if any(stem in group for stem in stems):
            return name
    return "unknown"


def _account(fig: Figure) -> tuple[str, str, dt.date | None]:
    return fig.article_id, (fig.speaker.name.lower() if fig.speaker else ""), fig.reported_on


def account_totals(figures: Iterable[Figure]) -> tuple[list[Figure], dict[str, str]]:
    """Each account's total (the largest it gives), and for every other total the id of the figure
    that stands for its account."""
    by_account: dict[tuple[str, str, dt.date | None], list[Figure]] = defaultdict(list)
    for fig in figures:
        by_account[_account(fig)].append(fig)
    chosen: list[Figure] = []
    superseded: dict[str, str] = {}
    for figs in by_account.values():
        best = max(figs, key=lambda f: (peak(f) or 0, f.id))  # ties: by id, whatever the reading order
        chosen.append(best)
        superseded.update({f.id: best.id for f in figs if f is not best})
    chosen.sort(key=lambda f: (f.article_id, f.span.start))
    return chosen, superseded


def _set_bounds(rng: FigureRange | GroupToll, figures: list[Figure]) -> None:
    lows = [(lo, f.id) for f in figures if (lo := bounds(f)[0]) is not None]
    peaks = [(p, f.id) for f in figures if (p := peak(f)) is not None]
    points = sorted((f.point, f.id) for f in figures if f.point is not None)
    if lows:
        rng.low, rng.low_figure = min(lows)
    if peaks:
        rng.high, rng.high_figure = max(peaks)
    if points:
        mid = median_low([p for p, _ in points])
        rng.best, rng.best_figure = next((p, i) for p, i in points if p == mid)


def _floor(parts: list[Figure]) -> tuple[int | None, list[str]]:
    """The largest sum of the parts one article splits its toll into."""
    by_article: dict[str, list[Figure]] = defaultdict(list)
    for fig in parts:
        if fig.scope_reason and fig.scope_reason.startswith(_SPLIT_REASONS) and fig.point is not None:
            by_article[fig.article_id].append(fig)
    best: tuple[int, list[str]] | None = None
    for _, figs in sorted(by_article.items()):
        total = sum(f.point or 0 for f in figs)
        if best is None or total > best[0]:
            best = (total, sorted(f.id for f in figs))
    return (best[0], best[1]) if best else (None, [])


Side = Callable[[Figure], "str | None"]
ActorOf = Callable[[Figure, str], "str | None"]


def toll_range(figures: list[Figure], relations: dict[str, StoryArticle], side: Side | None = None,
               actor_of: ActorOf | None = None) -> FigureRange:
    """low/best/high of one kind of casualty, with the floor, the groups and the exclusions."""
    rng = FigureRange(figures=figures)
    independent = independent_figures(figures, relations)
    kept = {f.id for f in independent}
    excluded = [FigureExclusion(figure_id=f.id, reason="repeats a figure of the report it copies or of the same speaker")
                for f in figures if f.id not in kept]
    totals: list[Figure] = []
    parts: list[Figure] = []
    for fig in independent:
        if fig.scope != "total":
            excluded.append(FigureExclusion(figure_id=fig.id, reason=_scope_words(fig)))
            if fig.scope == "part":
                parts.append(fig)
        elif casualty_group(fig) == "attackers":
            excluded.append(FigureExclusion(figure_id=fig.id, reason="counts the attackers, kept apart"))
        else:
            totals.append(fig)
    counted = [f for f in totals if not _vague(f)]
    if counted:
        excluded += [FigureExclusion(figure_id=f.id, reason=f"a vague amount ({f.text.lower()}) beside counted totals")
                     for f in totals if _vague(f)]
        totals = counted
    chosen, superseded = account_totals(totals)
    excluded += [FigureExclusion(figure_id=i, reason=f"{RESTATED} {by}")
                 for i, by in superseded.items()]
    rng.floor, rng.floor_figures = _floor(parts)
    if chosen:
        _set_bounds(rng, chosen)
        rng.independent_figures = [f.id for f in chosen]
    elif rng.floor is not None:
        rng.low = rng.best = rng.high = rng.floor
        rng.low_figure = rng.best_figure = rng.high_figure = rng.floor_figures[0]
        rng.independent_figures = list(rng.floor_figures)
    rng.excluded = sorted(excluded, key=lambda e: e.figure_id)
    rng.groups = group_tolls(independent, side, actor_of)
    return rng


def _vague(fig: Figure) -> bool:
    """ "dozens", "scores", "hundreds": an amount no one counted."""
    written = set(fig.text.lower().split())
    return fig.value is None and fig.high is None and not any(c.isdigit() for c in fig.text) and bool(written & VAGUE)


def _scope_words(fig: Figure) -> str:
    label = {"part": "a part of the toll", "earlier": EARLIER, "projection": "a projection",
             "other_incident": "another incident's toll"}.get(fig.scope, fig.scope)
    return f"{label}: {fig.scope_reason}" if fig.scope_reason else label


def group_of(fig: Figure, side: Side | None = None) -> CasualtyGroup:
    """The group a figure counts: the side of an actor its words name, else :func:`casualty_group`."""
    named = side(fig) if side is not None else None
    return named if named in ("side_a", "side_b") else casualty_group(fig)  # type: ignore[return-value]


def group_tolls(independent: list[Figure], side: Side | None = None, actor_of: ActorOf | None = None) -> list[GroupToll]:
    """The toll of each group the figures name (UCDP: deaths of side a, side b, civilians,
    unknown), from the totals and parts that count that group; none when no figure names a group."""
    by_group: dict[CasualtyGroup, list[Figure]] = defaultdict(list)
    for fig in independent:
        if fig.scope in ("total", "part"):
            group = group_of(fig, side)
            if group != "unknown" or fig.scope == "total":
                by_group[group].append(fig)
    if set(by_group) <= {"unknown"}:
        return []
    out = []
    for group in ("side_a", "side_b", "civilians", "security_forces", "attackers", "unknown"):
        figs = sorted(by_group.get(group, []), key=lambda f: f.id)  # type: ignore[call-overload]
        if figs:
            chosen, _ = account_totals(figs)
            named = actor_of(figs[0], group) if actor_of is not None and group.startswith("side") else None
            toll = GroupToll(group=group, actor=named)  # type: ignore[arg-type]
            _set_bounds(toll, chosen)
            out.append(toll)
    return out


def toll_timeline(ranges: dict[str, FigureRange], outlet: Callable[[str], str | None]) -> list[TollPoint]:
    """The toll as it was reported: for each kind, the first report and every later day on which a
    report went past the highest toll known until then, with its figure (totals and estimates later
    superseded; copies, parts, projections, other incidents and attackers left out)."""
    points: list[TollPoint] = []
    for rng in ranges.values():
        # on the timeline: totals and estimates later superseded (EARLIER, RESTATED); nothing else excluded
        left_out = {e.figure_id for e in rng.excluded if not e.reason.startswith((EARLIER, RESTATED))}
        figs = [f for f in rng.figures if f.id not in left_out and f.scope in ("total", "earlier")
                and f.point is not None and casualty_group(f) != "attackers"]
        by_day: dict[dt.date | None, Figure] = {}
        for fig in figs:
            day = fig.reported_on
            if day not in by_day or (peak(fig) or 0, fig.id) > (peak(by_day[day]) or 0, by_day[day].id):
                by_day[day] = fig
        highest = -1
        for day in sorted(by_day, key=lambda d: d or dt.date.min):
            fig = by_day[day]
            lo, hi = bounds(fig)
            if (peak(fig) or 0) <= highest:
                continue  # no report that day went past what was already known
            highest = peak(fig) or 0
            points.append(TollPoint(kind=fig.kind, reported_on=day, low=lo, high=hi, figure_id=fig.id,
                                    article_id=fig.article_id, speaker=speaker_label(fig, outlet),
                                    outlet=outlet(fig.article_id)))
    return points
