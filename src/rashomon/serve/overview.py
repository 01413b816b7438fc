"""What the interactive map and the timeline draw, as plain JSON data handed to the page's scripts.

The page carries it in a ``<script type="application/json">`` element (data, never run; Jinja's ``tojson``
escapes ``<``, ``>``, ``&`` and quotes), read by ``static/map.js`` and ``static/timeline.js``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

UNITS = ("day", "week", "month")
MAX_BINS = 3700  # a unit with more bins than this (ten years of days) is not offered
BASEMAP = "/static/world.json"


def event_label(code: str | None) -> str:
    """An event type code as people read it: ``armed_clash`` -> "Armed clash"."""
    return code.replace("_", " ").capitalize() if code else ""


def _range_text(low: int | None, best: int | None, high: int | None) -> str:
    if best is None and low is None and high is None:
        return "no killed figure reported"
    if low == high and low is not None:
        return f"{low} killed"
    return f"{best if best is not None else '?'} killed ({low if low is not None else '?'}–{high if high is not None else '?'})"


def map_point(row: Any) -> dict[str, Any]:
    """One incident of an ``incident_points`` row as the map's marker and popup need it."""
    place = ", ".join(x for x in (row["location"], row["admin1"], row["country"]) if x) or "place unknown"
    return {
        "id": row["id"], "lat": row["lat"], "lon": row["lon"], "place": place,
        "date": row["date_start"], "date_end": row["date_end"],
        "killed": {"low": row["killed_low"], "best": row["killed_best"], "high": row["killed_high"]},
        "killed_text": _range_text(row["killed_low"], row["killed_best"], row["killed_high"]),
        "type": event_label(row["event_type"]), "disputed": bool(row["has_disagreement"]),
        "href": f"/incidents/{row['id']}",
    }


def map_data(rows: Iterable[Any], single: bool = False) -> dict[str, Any]:
    """The map's data: the basemap's address and one point per located incident."""
    points = [map_point(r) for r in rows if r["lat"] is not None and r["lon"] is not None]
    return {"basemap": BASEMAP, "points": points, "single": single}


def _bin_start(day: dt.date, unit: str) -> dt.date:
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())  # ISO weeks, from Monday
    if unit == "month":
        return day.replace(day=1)
    return day


def _next(start: dt.date, unit: str) -> dt.date:
    if unit == "day":
        return start + dt.timedelta(days=1)
    if unit == "week":
        return start + dt.timedelta(days=7)
    return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _bins(dated: list[tuple[dt.date, Any]], unit: str) -> list[dict[str, Any]] | None:
    first, last = _bin_start(dated[0][0], unit), _bin_start(dated[-1][0], unit)
    bins: dict[dt.date, dict[str, Any]] = {}
    start = first
    while start <= last:
        if len(bins) >= MAX_BINS:
            return None
        end = _next(start, unit) - dt.timedelta(days=1)
        bins[start] = {"start": start.isoformat(), "end": end.isoformat(), "incidents": 0, "best": 0, "low": 0,
                       "high": 0}
        start = _next(start, unit)
    for day, row in dated:
        b = bins[_bin_start(day, unit)]
        best, low, high = row["killed_best"], row["killed_low"], row["killed_high"]
        b["incidents"] += 1
        b["best"] += best or 0
        b["low"] += low if low is not None else 0
        # An open-ended toll ("more than 100") has no high: it counts with its best estimate.
        b["high"] += high if high is not None else max(best or 0, low or 0)
    return list(bins.values())


def timeline_data(rows: Iterable[Any]) -> dict[str, Any]:
    """Incidents and killed (best, low, high summed) per day, week and month over the incidents given
    (by ``date_start``); the undated are counted apart.  Every bin between the first and the last is kept,
    so the time axis has no holes."""
    dated: list[tuple[dt.date, Any]] = []
    undated = 0
    for row in rows:
        if row["date_start"]:
            dated.append((dt.date.fromisoformat(row["date_start"]), row))
        else:
            undated += 1
    dated.sort(key=lambda x: x[0])
    units: dict[str, list[dict[str, Any]]] = {}
    for unit in UNITS if dated else ():
        found = _bins(dated, unit)
        if found is not None:
            units[unit] = found
    return {"units": units, "dated": len(dated), "undated": undated}
