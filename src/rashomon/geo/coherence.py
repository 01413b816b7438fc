"""Spatial coherence: the places one document names tend to lie near each other.

Each mention comes with its ranked gazetteer candidates (scores already include the prior and
the document's country and subdivision context).  :func:`choose` adds, for every candidate, a
*support* bonus from the document's other names: a name supports a candidate when one of its
own candidates lies within :data:`NEAR_KM` of it (both local: towns, counties, districts,
landmarks), or is a subdivision that contains it.  A name's current best candidate gives full
support (1.0), its other candidates half; the bonus is capped at :data:`MAX_SUPPORT`.  Two
rounds let choices reinforce each other: "Edmonton", "Enfield" and "Essex" in one report move
together to north London, where each alone would go to Alberta, Connecticut and Maryland.

:func:`one_sense` then gives a name qualified once ("Paris, Texas") that sense everywhere in
the document.

Names, not mentions, are counted (a town named ten times does not support itself), and
countries and continents give no support (their country context is already in the scores).
Only local readings compete this way: a name whose best reading is a country, a subdivision or
a region ("Mexico", "Florida"), or a national capital ("Washington", "Moscow": capitals stand
for their governments in any report), keeps it.
"""

from __future__ import annotations

from rashomon.geo.context import distance_km
from rashomon.geo.gazetteer import Candidate

__all__ = ["MAX_SUPPORT", "NEAR_KM", "choose", "one_sense"]

NEAR_KM = 150.0
MAX_SUPPORT = 2.0
ROUNDS = 2
LOCAL_KINDS = frozenset({"city", "county", "district", "landmark", "airport"})


def _supports(option: Candidate, other: Candidate) -> bool:
    a, b = option.place, other.place
    if other.kind == "admin1":
        return option.kind in LOCAL_KINDS and a.country_code == b.country_code and a.admin1 == b.name
    if option.kind not in LOCAL_KINDS or other.kind not in LOCAL_KINDS:
        return False
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return False
    return abs(a.lat - b.lat) < 2.0 and distance_km(a.lat, a.lon, b.lat, b.lon) <= NEAR_KM


def choose(names: list[str], options: list[list[Candidate]]) -> list[Candidate | None]:
    """The chosen candidate for each mention (``options[i]`` ranked best first; empty: None).

    ``names[i]`` is the mention's text; mentions sharing their text and their top candidate
    share their choice ("Springfield, Illinois" and "Springfield, Missouri" do not).
    """
    keys = [f"{name.lower()}|{opts[0].row}" if opts else ""
            for name, opts in zip(names, options, strict=True)]
    by_name: dict[str, list[Candidate]] = {}
    for key, opts in zip(keys, options, strict=True):
        if opts:
            by_name.setdefault(key, opts)
    best = {name: opts[0] for name, opts in by_name.items()}
    if len(by_name) > 1:
        for _ in range(ROUNDS):
            chosen: dict[str, Candidate] = {}
            for name, opts in by_name.items():
                top = opts[0]
                if len(opts) == 1 or top.kind not in LOCAL_KINDS or top.capital:
                    chosen[name] = top
                    continue
                rivals = [o for o in opts if o.kind in LOCAL_KINDS]
                chosen[name] = max(rivals, key=lambda o: o.score + _support(name, o, by_name, best))
            if chosen == best:
                break
            best = chosen
    return [best.get(key) if key else None for key in keys]


def _support(name: str, option: Candidate, by_name: dict[str, list[Candidate]],
             best: dict[str, Candidate]) -> float:
    total = 0.0
    for other_name, others in by_name.items():
        if other_name == name:
            continue
        if _supports(option, best[other_name]):
            total += 1.0
        elif any(_supports(option, o) for o in others[1:]):
            total += 0.5
        if total >= MAX_SUPPORT:
            return MAX_SUPPORT
    return total


def one_sense(names: list[str], options: list[list[Candidate]], chosen: list[Candidate | None],
              qualified: set[int]) -> list[Candidate | None]:
    """One sense per document: a name resolved with a qualifier once ("Paris, Texas": the
    mentions in ``qualified``) means the same place where it stands alone ("Paris")."""
    sense: dict[str, int] = {}
    for i in sorted(qualified):
        best = chosen[i]
        if best is not None:
            sense.setdefault(names[i].lower(), best.row)
    if not sense:
        return chosen
    out = list(chosen)
    for i, name in enumerate(names):
        row = sense.get(name.lower())
        if row is not None and i not in qualified:
            out[i] = next((o for o in options[i] if o.row == row), chosen[i])
    return out
