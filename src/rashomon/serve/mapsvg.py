"""Maps drawn as SVG on the server from the basemap shipped in the package (``static/world.json``).

No tiles and no script: country outlines (Natural Earth 1:110m, public domain) are projected
(equirectangular, stretched by the cosine of the centre latitude when zoomed in), simplified for
the scale of the view, cut to the view, and returned as path data with a graticule and the markers.
A marker's size grows with the incident's ``killed.best``; incidents with disagreements get a ring.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

BASEMAP = Path(__file__).parent / "static" / "world.json"
WIDTH_PX = 800  # nominal drawing width: marker sizes are given in these pixels
Point = tuple[float, float]


@dataclass(frozen=True)
class MapPoint:
    """One incident on the map."""

    id: str
    label: str
    lat: float
    lon: float
    killed: int | None
    disputed: bool
    href: str


@dataclass
class Marker:
    id: str
    label: str
    href: str
    cx: float
    cy: float
    r: float
    ring: float
    disputed: bool
    killed: int | None


@dataclass
class MapView:
    """What the map template draws."""

    view_box: str
    land: list[tuple[str, str]]  # (country name, path data)
    graticule: list[str]
    markers: list[Marker] = field(default_factory=list)


@lru_cache(maxsize=1)
def _countries() -> list[tuple[str, list[list[Point]], tuple[float, float, float, float]]]:
    """(name, rings, bbox) of every country in the basemap."""
    doc = json.loads(BASEMAP.read_text(encoding="utf-8"))
    out = []
    for feat in doc["features"]:
        rings = [[(float(x), float(y)) for x, y in ring] for poly in feat["geometry"]["coordinates"] for ring in poly]
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        out.append((feat["properties"].get("name", ""), rings, (min(xs), min(ys), max(xs), max(ys))))
    return out


def _simplify(ring: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker: drop points closer than ``tolerance`` degrees to the line kept around them."""
    if len(ring) < 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = ring[first], ring[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy) or 1e-12
        worst, where = 0.0, -1
        for i in range(first + 1, last):
            x, y = ring[i]
            dist = abs(dy * (x - x1) - dx * (y - y1)) / norm if (dx or dy) else math.hypot(x - x1, y - y1)
            if dist > worst:
                worst, where = dist, i
        if worst > tolerance and where > 0:
            keep[where] = True
            stack += [(first, where), (where, last)]
    return [p for p, k in zip(ring, keep, strict=True) if k]


@lru_cache(maxsize=8)
def _simplified(tolerance: float) -> list[tuple[str, list[list[Point]], tuple[float, float, float, float]]]:
    out = []
    for name, rings, bbox in _countries():
        kept = [r for r in (_simplify(ring, tolerance) for ring in rings) if len(r) >= 4]
        if kept:
            out.append((name, kept, bbox))
    return out


def _fmt(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".") or "0"


def _frame(points: list[MapPoint], min_span: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) around the points, padded; the whole world when there are none."""
    if not points:
        return (-180.0, -60.0, 180.0, 85.0)
    west, east = min(p.lon for p in points), max(p.lon for p in points)
    south, north = min(p.lat for p in points), max(p.lat for p in points)
    pad = max(1.5, 0.15 * max(east - west, north - south))
    west, east, south, north = west - pad, east + pad, south - pad, north + pad
    if east - west < min_span:
        mid = (east + west) / 2
        west, east = mid - min_span / 2, mid + min_span / 2
    if north - south < min_span / 2:
        mid = (north + south) / 2
        south, north = mid - min_span / 4, mid + min_span / 4
    return (max(west, -180.0), max(south, -85.0), min(east, 180.0), min(north, 85.0))


def _graticule_step(width: float) -> int:
    for step, below in ((1, 8), (5, 30), (10, 120)):
        if width <= below:
            return step
    return 30


def render_map(points: list[MapPoint], min_span: float = 10.0) -> MapView:
    """A map framing ``points`` (the world when there are none), with their markers."""
    west, south, east, north = _frame(points, min_span)
    wide = east - west > 200
    k = 1.0 if wide else max(0.4, math.cos(math.radians((north + south) / 2)))
    # Keep a 2:1 drawing: widen or heighten the frame to fit.
    width, height = (east - west) * k, north - south
    if width < 2 * height:
        extra = (2 * height - width) / k / 2
        west, east = west - extra, east + extra
    else:
        extra = (width / 2 - height) / 2
        south, north = south - extra, north + extra
    width, height = (east - west) * k, north - south
    px = width / WIDTH_PX  # drawing units per nominal pixel

    def xy(lon: float, lat: float) -> str:
        return f"{_fmt(lon * k)} {_fmt(-lat)}"

    tolerance = 0.4 if wide else (0.1 if east - west > 40 else 0.02)
    land = []
    for name, rings, (bx0, by0, bx1, by1) in _simplified(tolerance):
        if bx1 < west or bx0 > east or by1 < south or by0 > north:
            continue
        d = " ".join("M" + " L".join(xy(x, y) for x, y in ring) + " Z" for ring in rings)
        land.append((name, d))
    step = _graticule_step(east - west)
    lines = []
    for lon in range(math.ceil(west / step) * step, math.floor(east / step) * step + 1, step):
        lines.append(f"M{xy(lon, north)} L{xy(lon, south)}")
    for lat in range(math.ceil(south / step) * step, math.floor(north / step) * step + 1, step):
        lines.append(f"M{xy(west, lat)} L{xy(east, lat)}")
    markers = []
    for p in sorted(points, key=lambda p: -(p.killed or 0)):  # small markers drawn last, on top
        r = min(22.0, 4.0 + 1.6 * math.sqrt(max(p.killed or 0, 0))) * px
        markers.append(Marker(p.id, p.label, p.href, round(p.lon * k, 3), round(-p.lat, 3), round(r, 3),
                              round(r + 3 * px, 3), p.disputed, p.killed))
    view_box = f"{_fmt(west * k)} {_fmt(-north)} {_fmt(width)} {_fmt(height)}"
    return MapView(view_box, land, lines, markers)


def point_from_row(row: Any, href: str) -> MapPoint:
    """A map point from an ``incident_points`` row."""
    label = ", ".join(x for x in (row["location"], row["country"]) if x) or row["id"]
    return MapPoint(row["id"], f"{label} ({row['date_start'] or 'date unknown'})", row["lat"], row["lon"],
                    row["killed_best"], bool(row["has_disagreement"]), href)
