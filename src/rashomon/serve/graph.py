"""The relations between an incident's articles (original -> republication -> rewrite) as a small graph.

``relations`` builds the data (nodes and edges, part of the incident's JSON); ``layout`` places it for
the SVG drawing: one column per generation of copying, sources on the left, copies to their right.
A source named only by an outlet or agency ("AFP") that is not in the store becomes an outside node.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

NODE_W, NODE_H, COL_GAP, ROW_GAP, MARGIN = 190, 40, 70, 16, 8


def relations(sources: list[dict[str, Any]], shares: dict[tuple[str, str], float]) -> dict[str, Any]:
    """Nodes (articles and outside sources) and edges (copied_from -> article) for these articles.

    ``sources`` are the incident's article entries (id, outlet, title, published, relation,
    copied_from); ``shares`` maps (source id, target id) to the share of text reused.
    """
    ids = {s["id"] for s in sources}
    nodes: list[dict[str, Any]] = [
        {"id": s["id"], "label": s["outlet"] or s["title"] or s["id"], "relation": s["relation"],
         "published": s["published"], "external": False}
        for s in sources
    ]
    edges = []
    outside: dict[str, str] = {}
    for s in sources:
        origin = s["copied_from"]
        if not origin:
            continue
        if origin not in ids:
            key = "ext:" + origin
            if key not in outside:
                outside[key] = origin
                nodes.append({"id": key, "label": origin, "relation": "outside", "published": None, "external": True})
            origin = key
        share = shares.get((s["copied_from"], s["id"]))
        edges.append({"source": origin, "target": s["id"], "relation": s["relation"],
                      "share": round(share, 3) if share is not None else None})
    return {"nodes": nodes, "edges": edges}


@dataclass
class Box:
    id: str
    label: str
    relation: str
    external: bool
    x: float
    y: float
    w: float = NODE_W
    h: float = NODE_H


@dataclass
class Arrow:
    d: str
    relation: str
    label: str
    lx: float
    ly: float


@dataclass
class Drawing:
    width: float
    height: float
    boxes: list[Box]
    arrows: list[Arrow]


def layout(graph: dict[str, Any]) -> Drawing:
    """Place the nodes in columns by copying depth and route each edge as a curve between boxes."""
    parent = {e["target"]: e["source"] for e in graph["edges"]}

    def depth(node: str) -> int:
        seen, d = {node}, 0
        while node in parent and parent[node] not in seen:
            node = parent[node]
            seen.add(node)
            d += 1
        return d

    columns: dict[int, list[dict[str, Any]]] = {}
    for node in graph["nodes"]:
        columns.setdefault(depth(node["id"]), []).append(node)
    boxes: dict[str, Box] = {}
    for col, members in sorted(columns.items()):
        members.sort(key=lambda n: (n["external"], n["published"] or "", n["label"]))
        for row, node in enumerate(members):
            label = node["label"] if len(node["label"]) <= 26 else node["label"][:25] + "…"
            boxes[node["id"]] = Box(node["id"], label, node["relation"], node["external"],
                                    MARGIN + col * (NODE_W + COL_GAP), MARGIN + row * (NODE_H + ROW_GAP))
    arrows = []
    for e in graph["edges"]:
        a, b = boxes[e["source"]], boxes[e["target"]]
        x1, y1, x2, y2 = a.x + a.w, a.y + a.h / 2, b.x, b.y + b.h / 2
        if x2 <= x1:  # same column (a cycle cut short): loop round the right side
            x1, x2 = a.x + a.w, b.x + b.w
            d = f"M{x1} {y1} C{x1 + 40} {y1} {x2 + 40} {y2} {x2 + 2} {y2}"
        else:
            mid = (x1 + x2) / 2
            d = f"M{x1} {y1} C{mid} {y1} {mid} {y2} {x2 - 2} {y2}"
        label = e["relation"] + (f" {round(100 * e['share'])}%" if e["share"] is not None else "")
        arrows.append(Arrow(d, e["relation"], label, (x1 + x2) / 2, (y1 + y2) / 2 - 4))
    width = max((b.x + b.w for b in boxes.values()), default=0) + MARGIN + 40
    height = max((b.y + b.h for b in boxes.values()), default=0) + MARGIN
    return Drawing(width, height, list(boxes.values()), arrows)
