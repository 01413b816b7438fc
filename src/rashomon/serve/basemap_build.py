"""Build the shipped basemap (``static/world.json``) from a Natural Earth countries shapefile.

The web UI draws its maps from a small GeoJSON file of country outlines kept inside the package, so
nothing is fetched at run time.  The outlines are Natural Earth's 1:110m "Admin 0 - Countries"
(public domain, naturalearthdata.com).  The copy used is the ``naturalearth_lowres`` shapefile that
the ``geopandas`` wheel shipped up to version 0.14 (``geopandas/datasets/naturalearth_lowres/``).

Run once when the basemap needs refreshing::

    pip download --no-deps geopandas==0.14.4 -d /tmp/ne && unzip /tmp/ne/*.whl -d /tmp/ne
    python -m rashomon.serve.basemap_build \\
        /tmp/ne/geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp \\
        src/rashomon/serve/static/world.json

The reader below handles the one shape type that file holds (polygons, type 5) and the dBASE
attribute table beside it; coordinates are rounded to 0.01 degree.
"""

from __future__ import annotations

import json
import struct
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any

Ring = list[tuple[float, float]]
POLYGON = 5


def read_polygons(shp: Path) -> list[list[Ring]]:
    """Each record of a polygon shapefile as its list of rings (lon, lat)."""
    data = shp.read_bytes()
    pos = 100
    records: list[list[Ring]] = []
    while pos + 8 <= len(data):
        _number, words = struct.unpack(">ii", data[pos : pos + 8])
        content = data[pos + 8 : pos + 8 + 2 * words]
        pos += 8 + 2 * words
        (shape_type,) = struct.unpack("<i", content[:4])
        if shape_type != POLYGON:
            records.append([])
            continue
        n_parts, n_points = struct.unpack("<ii", content[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", content[44 : 44 + 4 * n_parts]))
        start = 44 + 4 * n_parts
        flat = struct.unpack(f"<{2 * n_points}d", content[start : start + 16 * n_points])
        points = [(flat[2 * i], flat[2 * i + 1]) for i in range(n_points)]
        bounds = [*parts, n_points]
        records.append([points[bounds[i] : bounds[i + 1]] for i in range(n_parts)])
    return records


def read_dbf(dbf: Path) -> list[dict[str, str]]:
    """The attribute rows of a dBASE III table, every value as stripped text."""
    data = dbf.read_bytes()
    n_rows, header_len, row_len = struct.unpack("<IHH", data[4:12])
    fields: list[tuple[str, int]] = []
    pos = 32
    while data[pos] != 0x0D:
        name = data[pos : pos + 11].split(b"\x00")[0].decode("ascii")
        fields.append((name, data[pos + 16]))
        pos += 32
    rows = []
    for i in range(n_rows):
        row = data[header_len + i * row_len : header_len + (i + 1) * row_len]
        values, cursor = {}, 1  # first byte: deletion flag
        for name, width in fields:
            values[name] = row[cursor : cursor + width].decode("utf-8", "replace").strip()
            cursor += width
        rows.append(values)
    return rows


def _signed_area(ring: Ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring)) / 2


def _round(ring: Ring, digits: int) -> list[list[float]]:
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, digits), round(y, digits)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def to_multipolygon(rings: list[Ring], digits: int = 2) -> list[list[list[list[float]]]]:
    """Shapefile rings (outer clockwise, holes anticlockwise) as GeoJSON polygons (outer anticlockwise)."""
    polygons: list[list[list[list[float]]]] = []
    for ring in rings:
        clockwise = _signed_area(ring) < 0
        coords = _round(list(reversed(ring)), digits)
        if len(coords) < 4:
            continue
        if clockwise or not polygons:
            polygons.append([coords])
        else:
            polygons[-1].append(coords)
    return polygons


def build(shp: Path, digits: int = 2) -> dict[str, Any]:
    """The basemap GeoJSON for the shapefile ``shp`` (its ``.dbf`` beside it)."""
    shapes = read_polygons(shp)
    rows = read_dbf(shp.with_suffix(".dbf"))
    features = []
    for rings, row in zip(shapes, rows, strict=True):
        polygons = to_multipolygon(rings, digits)
        if not polygons:
            continue
        features.append({
            "type": "Feature",
            "properties": {"name": row.get("name", ""), "iso_a3": row.get("iso_a3", "")},
            "geometry": {"type": "MultiPolygon", "coordinates": polygons},
        })
    return {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:110m Admin 0 - Countries (public domain), via geopandas 0.14 naturalearth_lowres",
        "features": features,
    }


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        raise SystemExit("usage: python -m rashomon.serve.basemap_build SHAPEFILE.shp OUTPUT.json")
    doc = build(Path(args[0]))
    Path(args[1]).write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {args[1]}: {len(doc['features'])} countries")


if __name__ == "__main__":
    main()
