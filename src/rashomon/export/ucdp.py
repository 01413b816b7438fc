"""UCDP GED-compatible CSV: the GED's column names and codings (docs/export.md, column by column).

What cannot be known is empty: ``adm_2``, a type of violence the actors' kinds do not settle, a death
column without groups.  ``number_of_sources`` counts independent sources only (export/sources.py).
"""

from __future__ import annotations

from typing import Any

from rashomon.export.records import ucdp_deaths
from rashomon.export.sources import csv_text, independent_sources, ordered_outlets, report_order
from rashomon.models import Actor, Incident

UCDP_COLUMNS = [
    "id", "year", "type_of_violence", "side_a", "side_b", "source_article", "source_office", "source_date",
    "source_headline", "where_prec", "where_coordinates", "where_description", "adm_1", "adm_2", "latitude",
    "longitude", "country", "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians",
    "deaths_unknown", "best", "high", "low", "number_of_sources",
]

# UCDP's where_prec: 1 the exact place, 2 within about 25 km of it, 3 a second-order administrative
# division, 4 a first-order one, 5 a part of a country larger than that, 6 the whole country, 7 waters
# or airspace.  Rashomon's precisions map to 1, 4, 5 and 6.
WHERE_PREC = {"point": 1, "city": 1, "admin1": 4, "region": 5, "country": 6}
# UCDP's date_prec: 1 the day, 2 a range of 2-6 days, 3 the week, 4 8-30 days or the month, 5 longer.
DATE_PREC = {"day": 1, "week": 3, "month": 4, "year": 5}
ARMED = {"state_force", "armed_group", "police"}
ORGANISED = ARMED | {"government"}
STATE = {"state_force", "police", "government"}


def type_of_violence(side_a: list[Actor], side_b: list[Actor]) -> int | None:
    """1 state-based (a state fights an organised armed actor), 2 non-state (two non-state armed groups),
    3 one-sided (an organised actor against civilians); None when the actors' kinds do not tell."""
    kinds_a, kinds_b = {a.kind for a in side_a}, {a.kind for a in side_b}
    if kinds_a & ORGANISED and kinds_b & ARMED:
        return 1 if (kinds_a | kinds_b) & STATE else 2
    if kinds_a & ORGANISED and "civilians" in kinds_b:
        return 3
    return None


def date_prec(inc: Incident) -> int | None:
    if inc.date_start is None or inc.date_precision not in DATE_PREC:
        return None
    code = DATE_PREC[inc.date_precision]
    days = (inc.date_end - inc.date_start).days + 1 if inc.date_end else 1
    if days > 30:
        return 5
    if days > 7:
        return max(code, 4)
    return max(code, 2) if days > 1 else code


def _blank(value: Any) -> Any:
    return "" if value is None else value


def ucdp_row(inc: Incident) -> dict[str, Any]:
    """One incident in UCDP GED's columns and codings."""
    loc = inc.location
    sources = sorted(inc.sources, key=report_order)
    articles = [", ".join(x for x in (s.outlet, s.published.isoformat() if s.published else None, s.title) if x)
                for s in sources]
    place = ", ".join(x for x in (loc.name, loc.admin1, loc.country) if x) if loc else ""
    described = inc.location_evidence[0].text if inc.location_evidence else place
    return {
        "id": inc.id, "year": inc.date_start.year if inc.date_start else "",
        "type_of_violence": _blank(type_of_violence(inc.actors_a, inc.actors_b)),
        "side_a": "; ".join(a.name for a in inc.actors_a), "side_b": "; ".join(a.name for a in inc.actors_b),
        "source_article": "; ".join(a for a in articles if a), "source_office": "; ".join(ordered_outlets(inc)),
        "source_date": "; ".join(s.published.isoformat() for s in sources if s.published),
        "source_headline": "; ".join(s.title for s in sources if s.title),
        "where_prec": WHERE_PREC.get(loc.precision, "") if loc and loc.lat is not None else "",
        "where_coordinates": loc.name if loc else "", "where_description": described,
        "adm_1": (loc.admin1 or "") if loc else "", "adm_2": "",
        "latitude": _blank(loc.lat if loc else None), "longitude": _blank(loc.lon if loc else None),
        "country": (loc.country or "") if loc else "", "date_prec": _blank(date_prec(inc)),
        "date_start": inc.date_start.isoformat() if inc.date_start else "",
        "date_end": (inc.date_end or inc.date_start).isoformat() if inc.date_start else "",
        **ucdp_deaths(inc.killed),
        "best": _blank(inc.killed.best), "high": _blank(inc.killed.high), "low": _blank(inc.killed.low),
        "number_of_sources": independent_sources(inc),
    }


def to_ucdp(incidents: list[Incident]) -> str:
    return csv_text(UCDP_COLUMNS, [ucdp_row(inc) for inc in incidents])
