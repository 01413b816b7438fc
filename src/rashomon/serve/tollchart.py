"""The toll over time as a small step chart: one line per kind (killed, injured), a step at each
report that revised it, every point naming its source and day.

The chart is laid out here (plain numbers for an inline SVG in the incident template), so the page
needs no script to draw it and the JSON view carries the same points.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

WIDTH, HEIGHT = 420, 150
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 30
KINDS = ("killed", "injured")


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def toll_chart(timeline: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Coordinates of the step chart for an incident's ``toll_timeline`` (export form); None when
    no kind was reported on a known day."""
    points = [p for p in timeline if p.get("reported_on") and (p.get("low") is not None or p.get("high") is not None)]
    if not points:
        return None
    days = sorted({_day(p["reported_on"]) for p in points})
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)
    top = max((p["low"] if p["low"] is not None else p["high"]) for p in points) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return round(LEFT + plot_w * ((day - first).days / span if len(days) > 1 else 0.5), 1)

    def y(value: int) -> float:
        return round(TOP + plot_h * (1 - value / top), 1)

    series = []
    for kind in KINDS:
        steps = [p for p in points if p["kind"] == kind]
        if not steps:
            continue
        coords = []
        path = []
        for i, p in enumerate(steps):
            value = p["low"] if p["low"] is not None else p["high"]
            px, py = x(_day(p["reported_on"])), y(value)
            path += [f"H{px}", f"V{py}"] if i else [f"M{px} {py}"]
            label = str(value) if p["low"] == p["high"] or p["high"] is None else f"{p['low']}-{p['high']}"
            if p["high"] is None and p["low"] is not None:
                label = f"{p['low']}+"
            coords.append({"x": px, "y": py, "value": value, "label": label, "day": p["reported_on"],
                           "speaker": p.get("speaker"), "outlet": p.get("outlet"), "figure": p["figure_id"]})
        path.append(f"H{WIDTH - RIGHT}")
        series.append({"kind": kind, "path": " ".join(path), "points": coords})
    ticks = [{"x": x(d), "label": d.isoformat()} for d in (days if len(days) <= 4 else [first, last])]
    return {"width": WIDTH, "height": HEIGHT, "series": series, "ticks": ticks, "top": top,
            "top_y": y(top), "base_y": y(0), "left": LEFT, "right": WIDTH - RIGHT}
