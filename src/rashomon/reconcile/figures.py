"""Casualty figures of one incident: which count as independent and the disagreement between
accounts (the low/best/high range is :mod:`rashomon.reconcile.toll`'s).

The rules (docs/reconciliation.md compares them with UCDP's and ACLED's):

- A figure in a republication or rewrite that repeats a figure of the article it copied (same
  kind, same numbers) is the same account, not a second one; a figure repeated within one article
  by the same speaker counts once.
- Two accounts disagree when their ranges do not overlap ("20" vs "more than 100"); a
  disagreement lists every value with who holds it and in which articles.  Figures that count
  different kinds of people (soldiers vs fighters) never disagree, and a count of one kind
  (two soldiers) only disagrees with a general count (five people) when it is larger.
"""

from __future__ import annotations

from collections.abc import Callable

from rashomon.models import Disagreement, DisagreementValue, Figure, StoryArticle


def bounds(fig: Figure) -> tuple[int | None, int | None]:
    """The closed interval a figure allows; ``None`` as high means open-ended."""
    lo = fig.low if fig.low is not None else fig.value
    hi = fig.high if fig.high is not None else fig.value
    if fig.value is None and fig.high is None:
        hi = None
    return lo, hi


def peak(fig: Figure) -> int | None:
    """The largest number a figure gives (for open figures, their lower bound)."""
    lo, hi = bounds(fig)
    return hi if hi is not None else lo


def speaker_label(fig: Figure, outlet: Callable[[str], str | None]) -> str:
    if fig.speaker is not None:
        return fig.speaker.name + (" (anonymous)" if fig.speaker.anonymous else "")
    return f"{outlet(fig.article_id) or 'the report'} (unattributed)"


def _account_key(fig: Figure) -> tuple[object, ...]:
    return (fig.kind, fig.value, fig.low, fig.high)


def independent_figures(figures: list[Figure], relations: dict[str, StoryArticle]) -> list[Figure]:
    """Figures that are separate accounts (see the module docstring for the rule)."""
    seen_in: dict[str, set[tuple[object, ...]]] = {}
    for fig in figures:
        seen_in.setdefault(fig.article_id, set())
    kept: list[Figure] = []
    own: set[tuple[object, ...]] = set()
    for fig in figures:
        key = _account_key(fig)
        speaker = fig.speaker.name.lower() if fig.speaker else None
        if (fig.article_id, speaker) + key in own:
            continue  # the same speaker's number repeated in one article
        rel = relations.get(fig.article_id)
        source = rel.copied_from if rel is not None and rel.relation in ("republication", "rewrite") else None
        if source is not None and key in seen_in.get(source, set()):
            continue  # copied along with the text
        own.add((fig.article_id, speaker) + key)
        seen_in[fig.article_id].add(key)
        if source is not None:
            # Copies of an original outside the store (e.g. two outlets carrying one wire story)
            # stand for that original once.
            seen_in.setdefault(source, set()).add(key)
        kept.append(fig)
    return kept


# Who a figure counts, coarsely: figures of two different categories count different people and
# never contradict each other; a category count cannot exceed a general ("people") count.
_GROUP_CATEGORIES: dict[str, tuple[str, ...]] = {
    "security": ("soldier", "troop", "servicem", "officer", "police", "policem", "guard", "army", "military",
                 "gendarme", "personnel"),
    "combatants": ("fighter", "militant", "rebel", "insurgent", "terrorist", "gunm", "attacker", "jihadist",
                   "combatant", "assailant", "bomber", "militia"),
}


def group_category(fig: Figure) -> str | None:
    """"security", "combatants", or None for a general count (people, civilians, unnamed)."""
    group = (fig.group or "").lower()
    for category, stems in _GROUP_CATEGORIES.items():
        if any(stem in group for stem in stems):
            return category
    return None


Categorise = Callable[[Figure], "str | None"]


def _compatible(a: Figure, b: Figure, category: Categorise = group_category) -> bool:
    """Whether two figures can both be true (see the module docstring)."""
    ca, cb = category(a), category(b)
    if ca is not None and cb is not None and ca != cb:
        return True  # different people counted
    if (ca is None) != (cb is None):
        part, whole = (a, b) if ca is not None else (b, a)
        part_low, whole_high = bounds(part)[0], bounds(whole)[1]
        return part_low is None or whole_high is None or part_low <= whole_high
    return _overlap(bounds(a), bounds(b))


def _overlap(a: tuple[int | None, int | None], b: tuple[int | None, int | None]) -> bool:
    lo_a = a[0] if a[0] is not None else 0
    lo_b = b[0] if b[0] is not None else 0
    hi_a = a[1] if a[1] is not None else float("inf")
    hi_b = b[1] if b[1] is not None else float("inf")
    return lo_a <= hi_b and lo_b <= hi_a


def figure_disagreement(
    kind: str,
    figures: list[Figure],
    independent: list[Figure],
    outlet: Callable[[str], str | None],
    category: Categorise = group_category,
) -> Disagreement | None:
    """A disagreement when two independent figures cannot both be true; lists every value."""
    clash = any(
        not _compatible(a, b, category) for i, a in enumerate(independent) for b in independent[i + 1 :]
    )
    if not clash:
        return None
    values: dict[tuple[int | None, int | None], DisagreementValue] = {}
    for fig in sorted(figures, key=lambda f: (f.point or 0, f.text)):
        val = values.setdefault(bounds(fig), DisagreementValue(value=_label(fig), speakers=[], article_ids=[]))
        who = speaker_label(fig, outlet)
        if who not in val.speakers:
            val.speakers.append(who)
        if fig.article_id not in val.article_ids:
            val.article_ids.append(fig.article_id)
    return Disagreement(field=kind, values=list(values.values()))


def _label(fig: Figure) -> str:
    """A figure as a reader would say it: "20", "more than 100", "20-30"."""
    lo, hi = bounds(fig)
    if lo is not None and hi is not None and lo != hi:
        return f"{lo}-{hi}"
    if fig.value is not None:
        return f"{fig.qualifier} {fig.value}" if fig.qualifier and fig.qualifier != "only" else str(fig.value)
    return " ".join(fig.text.lower().split())
