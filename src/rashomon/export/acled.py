"""ACLED-compatible CSV: ACLED's column names, order and codings (docs/export.md, column by column).

What Rashomon cannot know is left empty, never guessed: admin2/admin3, source scale, tags and the
modification timestamp are always empty; an actor kind with no ACLED counterpart leaves its inter code
(and the interaction) empty.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import pycountry

from rashomon.export.sources import csv_text, ordered_outlets
from rashomon.models import Actor, FigureRange, Incident

ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]

# ACLED's time_precision: 1 the day is known, 2 the week (or a few days), 3 the month or coarser.
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
# ACLED's geo_precision: 1 the town or a precise spot, 2 near a town or a small part of a region,
# 3 only a larger region (a province, a country).
GEO_PRECISION = {"point": 1, "city": 1, "region": 2, "admin1": 3, "country": 3}
# ACLED's inter codes: 1 state forces, 2 rebel groups, 3 political militias, 4 identity militias,
# 5 rioters, 6 protesters, 7 civilians, 8 external/other forces.  Rashomon's ``armed_group`` and
# ``other`` cannot tell rebels from militias: they stay empty unless the event type settles it.
INTER_BY_KIND = {"state_force": 1, "police": 1, "government": 1, "civilians": 7}
INTER_BY_SUB_EVENT = {"Peaceful protest": 6, "Protest with intervention": 6, "Excessive force against protesters": 6,
                      "Violent demonstration": 5, "Mob violence": 5}
# ACLED's disorder type of each event type (two sub-event types differ from their event type).
DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
            "Violence against civilians": "Political violence", "Protests": "Demonstrations",
            "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}
DISORDER_BY_SUB_EVENT = {"Excessive force against protesters": "Political violence; Demonstrations",
                         "Mob violence": "Political violence"}


# Disagreements over facts go in the notes; framing (loaded words, who uses them) is not a fact of the event.
NOT_IN_NOTES = {"framing"}


@lru_cache(maxsize=1)
def _regions() -> dict[str, str]:
    data = json.loads(resources.files("rashomon.export").joinpath("data/acled_regions.json").read_text("utf-8"))
    return {code: region for region, codes in data["regions"].items() for code in codes}


def iso_numeric(alpha2: str | None) -> int | None:
    """ISO 3166-1 numeric code (Syria: 760) of an alpha-2 code, or None."""
    country = pycountry.countries.get(alpha_2=alpha2.upper()) if alpha2 else None
    return int(country.numeric) if country is not None else None


def region(alpha2: str | None) -> str:
    return _regions().get(alpha2.upper(), "") if alpha2 else ""


def inter_code(actor: Actor | None, sub_event: str) -> int | None:
    """The ACLED inter code of an actor, or None when it cannot be told."""
    if actor is None:
        return None
    code = INTER_BY_KIND.get(actor.kind)
    if code is None and actor.kind in ("other", "armed_group"):
        code = INTER_BY_SUB_EVENT.get(sub_event)  # the crowd of a protest or a riot
    return code


def interaction(inter1: int | None, inter2: int | None, has_actor2: bool) -> int | None:
    """ACLED's two-digit interaction: the two inter codes, the lower first; one actor alone gives inter1 * 10."""
    if inter1 is None:
        return None
    if not has_actor2:
        return inter1 * 10
    if inter2 is None:
        return None
    low, high = sorted((inter1, inter2))
    return low * 10 + high


def fatalities(rng: FigureRange) -> int:
    """ACLED's most conservative count: the lowest reconciled total (else the sum of reported parts); 0 when
    no report gives a killed figure, as ACLED codes events with no reported fatalities."""
    if rng.low is not None:
        return rng.low
    return rng.floor if rng.floor is not None else 0


def disagreement_notes(inc: Incident) -> str:
    """Each disagreement in words: "killed: Syrian Observatory for Human Rights: 20; US official: more than 100"."""
    parts = []
    for d in (d for d in inc.disagreements if d.field not in NOT_IN_NOTES):
        said = "; ".join(f"{', '.join(v.speakers) or 'unattributed'}: {v.value}" for v in d.values)
        parts.append(f"Reports disagree on {d.field}: {said}.")
    return " ".join(parts)


def notes(inc: Incident, sub_event: str) -> str:
    loc = inc.location
    place = ", ".join(x for x in (loc.name, loc.admin1, loc.country) if x) if loc else ""
    what = sub_event or (inc.event_type.code.replace("_", " ") if inc.event_type else "incident")
    opening = f"On {inc.date_start.isoformat()}" if inc.date_start else "On an unknown date"
    text = f"{opening}, {what.lower()}" + (f" in {place}." if place else ".")
    rng = inc.killed
    if rng.low is not None or rng.high is not None:
        text += f" Killed: low {_blank(rng.low)}, best {_blank(rng.best)}, high {_blank(rng.high)}."
    more = disagreement_notes(inc)
    return f"{text} {more}" if more else text


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _actors(actors: list[Actor]) -> tuple[Actor | None, str, str]:
    first = actors[0] if actors else None
    return first, first.name if first else "", "; ".join(a.name for a in actors[1:])


def acled_row(inc: Incident) -> dict[str, Any]:
    """One incident in ACLED's columns and codings."""
    loc, et = inc.location, inc.event_type
    event_type = et.acled_event_type if et else ""
    sub_event = et.acled_sub_event_type if et else ""
    a1, actor1, assoc1 = _actors(inc.actors_a)
    a2, actor2, assoc2 = _actors(inc.actors_b)
    inter1, inter2 = inter_code(a1, sub_event), inter_code(a2, sub_event)
    alpha2 = loc.country_code if loc else None
    alpha3 = pycountry.countries.get(alpha_2=alpha2.upper()) if alpha2 else None
    civilians = event_type == "Violence against civilians" or (a2 is not None and a2.kind == "civilians")
    return {
        "event_id_cnty": (alpha3.alpha_3 if alpha3 else "") + inc.id,
        "event_date": inc.date_start.isoformat() if inc.date_start else "",
        "year": inc.date_start.year if inc.date_start else "",
        "time_precision": TIME_PRECISION.get(inc.date_precision, "") if inc.date_start else "",
        "disorder_type": DISORDER_BY_SUB_EVENT.get(sub_event) or DISORDER.get(event_type, ""),
        "event_type": event_type, "sub_event_type": sub_event,
        "actor1": actor1, "assoc_actor_1": assoc1, "inter1": _blank(inter1),
        "actor2": actor2, "assoc_actor_2": assoc2, "inter2": _blank(inter2),
        "interaction": _blank(interaction(inter1, inter2, a2 is not None)),
        "civilian_targeting": "Civilian targeting" if civilians else "",
        "iso": _blank(iso_numeric(alpha2)), "region": region(alpha2),
        "country": (loc.country or "") if loc else "", "admin1": (loc.admin1 or "") if loc else "",
        "admin2": "", "admin3": "", "location": loc.name if loc else "",
        "latitude": _blank(loc.lat if loc else None), "longitude": _blank(loc.lon if loc else None),
        "geo_precision": GEO_PRECISION.get(loc.precision, "") if loc and loc.lat is not None else "",
        "source": "; ".join(ordered_outlets(inc)), "source_scale": "",
        "notes": notes(inc, sub_event), "fatalities": fatalities(inc.killed), "tags": "", "timestamp": "",
    }


def to_acled(incidents: list[Incident]) -> str:
    return csv_text(ACLED_COLUMNS, [acled_row(inc) for inc in incidents])
