"""HTML rendering of the views' dicts (Jinja2, autoescaped), plus what only a page needs: maps,
the relations drawing, highlighted article text, sort and filter links."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from rashomon.serve import highlight, mapsvg, overview
from rashomon.serve.graph import layout
from rashomon.store import Store
from rashomon.store.queries import SNIPPET_CLOSE, SNIPPET_OPEN, Filters

TEMPLATES = Path(__file__).parent / "templates"
DESCENDING_FIRST = {"date", "killed", "injured", "reports", "disagreement", "published"}
DATA_SUFFIXES = (".json", ".csv", ".geojson", ".acled", ".ucdp")
OVERVIEW_LIMIT = 10_000  # incidents the list page's map and timeline draw
NOSCRIPT_POINTS = 2000  # markers of the static map shown without scripts


def marked_text(text: str, spans: list[dict[str, Any]], sentences: list[dict[str, Any]]) -> Markup:
    """An article's text, escaped, with its evidence spans and figure/claim sentences wrapped."""
    marks = [highlight.Mark(s["start"], s["end"], s["kind"], s["record_id"]) for s in spans]
    marks += [highlight.Mark(s["start"], s["end"], "sentence") for s in sentences]
    return highlight.render(text, marks)


class Pages:
    """The site's templates and the helpers they call."""

    def __init__(self) -> None:
        self.env = Environment(
            loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
            trim_blocks=True, lstrip_blocks=True,
        )
        self.env.globals.update(marked_text=marked_text, snippet=self._snippet, kinds=highlight.KINDS, review=None)
        self.env.filters["label"] = overview.event_label

    @staticmethod
    def _snippet(text: str | None) -> Markup:
        return highlight.snippet(text or "", SNIPPET_OPEN, SNIPPET_CLOSE)

    @staticmethod
    def wants_html(request: Request) -> bool:
        """HTML for a browser asking for a page; JSON for the API and for anything else."""
        path = request.url.path
        if path.endswith(DATA_SUFFIXES) or path.startswith(("/openapi", "/static/")):
            return False
        return "text/html" in request.headers.get("accept", "")

    def render(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        params = dict(request.query_params)

        def url(path: str | None = None, **changes: Any) -> str:
            merged = {**params, **{k: v for k, v in changes.items()}}
            kept = {k: v for k, v in merged.items() if v not in (None, "")}
            return (path or request.url.path) + ("?" + urlencode(kept) if kept else "")

        def sort_url(key: str, current: str) -> str:
            if current == key:
                new = "-" + key
            elif current == "-" + key:
                new = key
            else:
                new = "-" + key if key in DESCENDING_FIRST else key
            return url(sort=new, page=None)

        def sort_mark(key: str, current: str) -> str:
            return {key: "▲", "-" + key: "▼"}.get(current, "")

        html = self.env.get_template(template).render(
            path=request.url.path, params=params, url=url, sort_url=sort_url, sort_mark=sort_mark, **context,
        )
        return HTMLResponse(html, status_code=status)

    def error(self, request: Request, status: int, message: str) -> HTMLResponse:
        return self.render(request, "error.html", status=status, status_code=status, message=message)

    # ------------------------------------------------------------------ pages

    def incidents(self, request: Request, store: Store, f: Filters, data: dict[str, Any]) -> HTMLResponse:
        rows = store.incident_points(f, limit=OVERVIEW_LIMIT, located=False)
        located = [r for r in rows if r["lat"] is not None and r["lon"] is not None]
        points = [mapsvg.point_from_row(r, f"/incidents/{r['id']}") for r in located[:NOSCRIPT_POINTS]]
        data_for_scripts = {"map": overview.map_data(located), "timeline": overview.timeline_data(rows)}
        return self.render(request, "incidents.html", data=data, facets=store.facets(), overview=data_for_scripts,
                           map=mapsvg.render_map(points, min_span=40.0))

    def incident(self, request: Request, data: dict[str, Any], review: dict[str, Any] | None = None) -> HTMLResponse:
        inc = data["incident"]
        loc = inc["location"]
        points = []
        if loc["lat"] is not None and loc["lon"] is not None:
            label = ", ".join(x for x in (loc["name"], loc["admin1"], loc["country"]) if x)
            points.append(mapsvg.MapPoint(inc["id"], label, loc["lat"], loc["lon"], inc["killed"]["best"],
                                          bool(inc["disagreements"]), f"/incidents/{inc['id']}"))
        titles = {a["article"]["id"]: a["article"]["outlet"] or a["article"]["title"] or a["article"]["id"]
                  for a in data["accounts"]}
        row = {"id": inc["id"], "location": loc["name"], "admin1": loc["admin1"], "country": loc["country"],
               "lat": loc["lat"], "lon": loc["lon"], "date_start": inc["date_start"], "date_end": inc["date_end"],
               "killed_low": inc["killed"]["low"], "killed_best": inc["killed"]["best"],
               "killed_high": inc["killed"]["high"], "event_type": inc["event_type"],
               "has_disagreement": bool(inc["disagreements"])}
        return self.render(request, "incident.html", data=data, inc=inc, titles=titles,
                           map=mapsvg.render_map(points, min_span=24.0) if points else None,
                           map_data=overview.map_data([row], single=True),
                           graph=layout(data["relations"]), review=review)

    def articles(self, request: Request, store: Store, data: dict[str, Any]) -> HTMLResponse:
        return self.render(request, "articles.html", data=data, facets=store.facets())

    def article(self, request: Request, data: dict[str, Any]) -> HTMLResponse:
        return self.render(request, "article.html", data=data, art=data["article"])
