"""The incident fields a person may set (``rashomon review set``), how a value is read from what they
type, and how a set value replaces the machine's on the record (the machine's value is kept beside it).

Fields and their values (docs/review.md):

* ``date``: ``START[..END][/PRECISION]`` (``2026-03-04``, ``2026-03-01..2026-03-07/week``);
* ``place``: a GeoNames id (``163345``) or ``LAT,LON[,NAME]`` (``35.30,40.29,Khasham``);
* ``event_type``: a code of docs/taxonomy.md (``air_strike``);
* ``side_a``, ``side_b``: actor names separated by ``;`` (empty: none);
* ``killed_best``, ``injured_best``: a whole number (the range widens to hold it).
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from importlib import resources
from typing import Any, get_args

from rashomon.models import Actor, EventType, FigureKind, FigureRange, FigureScope, Incident, Place

FIELDS = ("date", "place", "event_type", "side_a", "side_b", "killed_best", "injured_best")
FIGURE_SCOPES: tuple[str, ...] = get_args(FigureScope)
FIGURE_KINDS: tuple[str, ...] = get_args(FigureKind)
PRECISIONS = ("day", "week", "month", "year", "unknown")


class BadValue(ValueError):
    """A value a person typed that the field cannot hold (the message says why)."""


@lru_cache(maxsize=1)
def event_types() -> dict[str, dict[str, Any]]:
    """code -> entry of the taxonomy file (read as data: no model is loaded)."""
    text = resources.files("rashomon").joinpath("extract/patterns/event_types.json").read_text("utf-8")
    return {t["code"]: t for t in json.loads(text)["types"]}


def _date(text: str) -> dict[str, Any]:
    span, _, precision = text.strip().partition("/")
    start_text, _, end_text = span.partition("..")
    try:
        start = dt.date.fromisoformat(start_text.strip())
        end = dt.date.fromisoformat(end_text.strip()) if end_text.strip() else start
    except ValueError:
        raise BadValue(f"date: expected YYYY-MM-DD[..YYYY-MM-DD][/precision], got {text[:60]!r}") from None
    if end < start:
        raise BadValue("date: the end is before the start")
    precision = precision.strip() or ("day" if start == end else "week")
    if precision not in PRECISIONS:
        raise BadValue(f"date: precision must be one of {', '.join(PRECISIONS)}")
    return {"start": start.isoformat(), "end": end.isoformat(), "precision": precision}


def _place(text: str) -> dict[str, Any]:
    parts = [p.strip() for p in text.split(",")]
    if len(parts) == 1 and parts[0].isdigit():
        from rashomon.geo.gazetteer import get_gazetteer

        gaz = get_gazetteer()
        try:
            row = gaz.t.cols.ids.index(int(parts[0]))
        except ValueError:
            raise BadValue(f"place: no GeoNames id {parts[0]} in the gazetteer") from None
        return gaz.place(row).model_dump()
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except (ValueError, IndexError):
        raise BadValue(f"place: expected a GeoNames id or LAT,LON[,NAME], got {text[:60]!r}") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise BadValue("place: latitude or longitude out of range")
    name = ", ".join(parts[2:]) or f"{lat:.4f}, {lon:.4f}"
    return Place(name=name, lat=lat, lon=lon, precision="point", feature="point").model_dump()


def parse_value(field: str, text: str) -> Any:
    """The value of ``field`` that ``text`` gives, as the log stores it (JSON-ready)."""
    if field == "date":
        return _date(text)
    if field == "place":
        return _place(text)
    if field == "event_type":
        if text.strip() not in event_types():
            raise BadValue(f"event_type: not a code of the taxonomy: {text[:60]!r}")
        return text.strip()
    if field in ("side_a", "side_b"):
        return [n.strip() for n in text.split(";") if n.strip()]
    if field in ("killed_best", "injured_best"):
        if not text.strip().isdigit():
            raise BadValue(f"{field}: expected a whole number, got {text[:40]!r}")
        return int(text.strip())
    raise BadValue(f"no field {field!r}; choose one of {', '.join(FIELDS)}")


def machine_value(inc: Incident, field: str) -> Any:
    """The value ``field`` has on the record (as the log stores values)."""
    if field == "date":
        return {"start": inc.date_start.isoformat() if inc.date_start else None,
                "end": inc.date_end.isoformat() if inc.date_end else None, "precision": inc.date_precision}
    if field == "place":
        return inc.location.model_dump() if inc.location else None
    if field == "event_type":
        return inc.event_type.code if inc.event_type else None
    if field in ("side_a", "side_b"):
        return [a.name for a in (inc.actors_a if field == "side_a" else inc.actors_b)]
    rng = inc.killed if field == "killed_best" else inc.injured
    return rng.best


def _best(rng: FigureRange, value: int) -> FigureRange:
    low = value if rng.low is None else min(rng.low, value)
    high = value if rng.high is None else max(rng.high, value)
    return rng.model_copy(update={"best": value, "low": low, "high": high, "best_figure": None})


def set_value(inc: Incident, field: str, value: Any) -> Incident:
    """``inc`` with ``field`` set to ``value`` (a value :func:`parse_value` gave)."""
    if field == "date":
        return inc.model_copy(update={"date_start": dt.date.fromisoformat(value["start"]),
                                      "date_end": dt.date.fromisoformat(value["end"]),
                                      "date_precision": value["precision"]})
    if field == "place":
        return inc.model_copy(update={"location": Place.model_validate(value) if value else None})
    if field == "event_type":
        t = event_types()[value]
        et = EventType(code=value, acled_event_type=t["acled_event_type"], acled_sub_event_type=t["acled_sub_event_type"])
        return inc.model_copy(update={"event_type": et})
    if field in ("side_a", "side_b"):
        side = field[-1]
        actors = [Actor(name=n, text=n, side=side) for n in value]  # type: ignore[arg-type]
        return inc.model_copy(update={"actors_a" if side == "a" else "actors_b": actors})
    kind = "killed" if field == "killed_best" else "injured"
    return inc.model_copy(update={kind: _best(getattr(inc, kind), int(value))})
