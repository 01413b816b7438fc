"""The toll over time as a small step chart: one line per kind (killed, injured), a step at each
report that revised it, every point naming its source and day.

The chart is laid out here (plain numbers for an inline SVG in the incident template), so the page
needs no script to draw it and the JSON view carries the same points.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

WIDTH, HEIGHT = 420, 150
LEFT, RIGHT, TOP, BOTTOM = 44, 44, 16, 30
KINDS = ("killed", "injured")


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _peak(point: dict[str, Any]) -> int:
    """The number a step stands at: the largest the report gives (an open "13+" stands at 13)."""
    return int(point["high"] if point["high"] is not None else point["low"])


def _label(point: dict[str, Any]) -> str:
    low, high = point["low"], point["high"]
    if low is None:
        return f"up to {high}"
    if high is None:
        return f"{low}+"
    return str(low) if low == high else f"{low}-{high}"


def toll_chart(timeline: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Coordinates of the step chart for an incident's ``toll_timeline`` (export form); None when
    no kind was reported on a known day."""
    points = [p for p in timeline if p.get("reported_on") and (p.get("low") is not None or p.get("high") is not None)]
    if not points:
        return None
    days = sorted({_day(p["reported_on"]) for p in points})
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)
    top = max(_peak(p) for p in points) or 1
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
            value = _peak(p)
            px, py = x(_day(p["reported_on"])), y(value)
            path += [f"H{px}", f"V{py}"] if i else [f"M{px} {py}"]
            right = px > WIDTH - RIGHT - 40  # a label near the right edge goes to the left of its point
            coords.append({"x": px, "y": py, "value": value, "label": _label(p), "day": p["reported_on"],
                           "lx": px - 5 if right else px + 5, "anchor": "end" if right else "start",
                           "speaker": p.get("speaker"), "outlet": p.get("outlet"), "figure": p["figure_id"]})
        path.append(f"H{WIDTH - RIGHT}")
        series.append({"kind": kind, "path": " ".join(path), "points": coords})
    shown = days if len(days) <= 3 else [first, last]
    ticks = [{"x": x(d), "label": d.isoformat(), "anchor": "middle" if len(shown) == 1 else
              ("start" if d == first else "end" if d == last else "middle")} for d in shown]
    return {"width": WIDTH, "height": HEIGHT, "series": series, "ticks": ticks, "top": top,
            "top_y": y(top), "base_y": y(0), "left": LEFT, "right": WIDTH - RIGHT}
