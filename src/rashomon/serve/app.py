"""The FastAPI application: the web UI and the HTTP API over one store, read-only.

Every page has a JSON twin built by the same view (``/incidents`` and ``/incidents.json``...).
Every request reads the store (a SQLite file or a PostgreSQL database) through a read-only store of its
own.  Responses carry a strict Content Security Policy (scripts and styles only from this server, no
inline code, no framing).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from rashomon import __version__ as _version
from rashomon.export import FORMATS
from rashomon.serve import views
from rashomon.serve.pages import Pages
from rashomon.serve.security import DOCS_CSP, SecurityMiddleware, error_body, install_openapi
from rashomon.settings import Settings
from rashomon.store import Store, open_store
from rashomon.store.dialect import postgres_url
from rashomon.store.queries import ARTICLE_SORTS, INCIDENT_SORTS, Filters

STATIC = Path(__file__).parent / "static"
MEDIA = {"json": "application/json", "csv": "text/csv; charset=utf-8", "geojson": "application/geo+json",
         "acled": "text/csv; charset=utf-8", "ucdp": "text/csv; charset=utf-8"}
FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="5" cy="8" r="4" fill="#b3412f"/>'
    '<circle cx="11" cy="8" r="4" fill="#2f5fb3" fill-opacity=".8"/></svg>'
)
_TRUE, _FALSE = {"yes", "true", "1", "on"}, {"no", "false", "0", "off"}


def _date(name: str, value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, f"{name}: not a date in YYYY-MM-DD form: {value[:40]!r}") from None


def _flag(value: str | None) -> bool | None:
    if not value:
        return None
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise HTTPException(400, f"disagreement: expected yes or no, got {value[:20]!r}")


_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


def _text(value: str | None) -> str | None:
    """A text filter, trimmed; control characters (a NUL breaks SQLite's full-text query parser) become spaces."""
    return _CONTROLS.sub(" ", value).strip() or None if value else None


Text = Annotated[str | None, Query(max_length=200)]


def _any_case(word: str) -> str:
    """A regex matching ``word`` in any letter case (JSON Schema patterns have no flags)."""
    return "".join(f"[{ch.lower()}{ch.upper()}]" if ch.isalpha() else ch for ch in word)


# What the schema promises, exactly as the handlers check it (so generated requests agree with the app):
# a date filter is a real YYYY-MM-DD date or empty; the disagreement flag is one of the words, any case.
_EMPTY = {"type": "string", "maxLength": 0}
DATE_SCHEMA: dict[str, Any] = {"anyOf": [{"type": "string", "format": "date"}, _EMPTY]}
FLAG_SCHEMA: dict[str, Any] = {"anyOf": [
    {"type": "string", "pattern": "^(" + "|".join(_any_case(w) for w in sorted(_TRUE | _FALSE)) + ")$"}, _EMPTY]}


def filters(
    date_from: Annotated[str | None, Query(max_length=10, json_schema_extra=DATE_SCHEMA, description="Incidents ending (articles published) on or after this day, YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, Query(max_length=10, json_schema_extra=DATE_SCHEMA, description="Incidents starting (articles published) on or before this day.")] = None,
    country: Annotated[str | None, Query(max_length=100, description="Country name or ISO 3166-1 alpha-2 code.")] = None,
    admin1: Annotated[str | None, Query(max_length=100, description="First-level subdivision (province, state).")] = None,
    event_type: Annotated[str | None, Query(max_length=60, description="Event type code (docs/taxonomy.md).")] = None,
    disagreement: Annotated[str | None, Query(max_length=5, json_schema_extra=FLAG_SCHEMA, description="yes: only incidents whose reports disagree; no: only those that agree.")] = None,
    actor: Annotated[str | None, Query(max_length=100, description="Part of an actor's normalised name.")] = None,
    outlet: Annotated[str | None, Query(max_length=200, description="An outlet that reported the incident.")] = None,
    q: Annotated[str | None, Query(max_length=200, description='Full-text search over articles: every word or "phrase" must occur (or the whole query is a name of the incident\'s place).')] = None,
    place: Annotated[str | None, Query(max_length=200, description="Any name of the incident's place, in any spelling (gazetteer, ASCII, as the reports write it, GeoNames alternates).")] = None,
) -> Filters:
    """The list filters from query parameters; empty values (as a form sends them) mean "any"."""
    f = Filters(
        date_from=_date("date_from", date_from), date_to=_date("date_to", date_to), country=_text(country),
        admin1=_text(admin1), event_type=_text(event_type), disagreement=_flag(disagreement), actor=_text(actor),
        outlet=_text(outlet), q=_text(q), place=_text(place),
    )
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise HTTPException(400, "date_from is after date_to")
    return f


Page = Annotated[int, Query(ge=1, le=10_000, description="Page number, from 1.")]
PerPage = Annotated[int, Query(ge=1, le=views.MAX_PER_PAGE, description="Rows per page (at most 100).")]
IncidentSort = Annotated[str, Query(pattern=r"^-?(" + "|".join(INCIDENT_SORTS) + ")$", description="Column, '-' for descending.")]
ArticleSort = Annotated[str, Query(pattern=r"^-?(" + "|".join(ARTICLE_SORTS) + ")$", description="Column, '-' for descending.")]
Id = Annotated[str, PathParam(max_length=80, description="Stable id (incident ids start with 'i', article ids with 'a').")]


def connection(request: Request) -> Iterator[Store]:
    """The store opened read-only for one request (its own SQLite connection or PostgreSQL session)."""
    store = open_store(request.app.state.db, readonly=True)
    try:
        yield store
    finally:
        store.close()


ReadStore = Annotated[Store, Depends(connection)]
Filt = Annotated[Filters, Depends(filters)]
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Bad query parameter"}, 404: {"description": "Not found"},
}


def create_app(db: str | Path, allowed_hosts: list[str] | None = None, review: Settings | None = None) -> FastAPI:
    """The app serving the store at ``db``: a SQLite file (which must exist) or a PostgreSQL URL; the
    store is migrated once here, then every request reads it through its own read-only store.

    ``allowed_hosts`` limits the Host header a request may carry (``rashomon serve`` allows only the
    loopback names and the bound address, so a web page cannot reach the server by DNS rebinding).

    ``review`` (``rashomon serve --review``): the settings whose ``[review] tokens`` may write; the
    write routes and the review queue are mounted (serve/review.py).  Without it none exists.
    """
    target: str | Path | None = postgres_url(db)
    if target is None:
        target = Path(db)
        if not target.is_file():
            raise FileNotFoundError(f"no store at {target}")
    open_store(target).close()  # apply pending migrations (full-text index) before serving read-only

    app = FastAPI(
        title="Rashomon", version=_version, docs_url=None, redoc_url=None, openapi_url="/openapi.json",
        description="Incidents reconciled from many news reports: who says what, where reports disagree.",
    )
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.add_middleware(SecurityMiddleware, write_paths=_write_paths() if review is not None else None)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    pages = Pages()
    install_openapi(app)

    app.state.db = target
    app.state.review = None
    if review is not None:
        from rashomon.review.tokens import Reviewers
        from rashomon.serve.review import Review, install_review

        app.state.review = Review(target, Reviewers(review.review.tokens), review)
        install_review(app, pages, app.state.review)

    _add_error_handlers(app, pages)

    # ------------------------------------------------------------------ JSON API (in the schema)

    @app.get("/incidents.json", tags=["incidents"], responses=ERRORS)
    def incidents_json(request: Request, store: ReadStore, f: Filt, sort: IncidentSort = "-date", page: Page = 1,
                       per_page: PerPage = 25) -> dict[str, Any]:
        """One page of incidents matching the filters, sorted."""
        return views.incidents_view(store, request.url.path, f, sort, page, per_page)

    @app.get("/incidents/{incident_id}.json", tags=["incidents"], responses=ERRORS)
    def incident_json(store: ReadStore, incident_id: Id) -> dict[str, Any]:
        """One incident: the record (export contract), figures, claims, disagreements, accounts, timeline, relations."""
        return _found(views.incident_view(store, incident_id), "incident", incident_id)

    @app.get("/incidents/{incident_id}/export.{fmt}", tags=["export"], responses=ERRORS)
    def incident_export(store: ReadStore, incident_id: Id, fmt: str) -> Response:
        """One incident as JSON (export contract), CSV (ACLED/UCDP-style columns), GeoJSON, ACLED or UCDP GED CSV."""
        inc = store.incident(incident_id, prefix=False)
        if inc is None:
            raise HTTPException(404, f"no incident {incident_id!r}")
        return _export([inc], fmt, f"incident-{inc.id}")

    @app.get("/export/incidents.{fmt}", tags=["export"], responses=ERRORS)
    def incidents_export(store: ReadStore, f: Filt, fmt: str) -> Response:
        """Every incident matching the filters (at most 10,000) as JSON, CSV, GeoJSON, ACLED or UCDP GED CSV."""
        return _export(store.all_incidents(f, views.EXPORT_LIMIT), fmt, "incidents")

    @app.get("/articles.json", tags=["articles"], responses=ERRORS)
    def articles_json(request: Request, store: ReadStore, f: Filt, sort: ArticleSort = "-published", page: Page = 1,
                      per_page: PerPage = 25) -> dict[str, Any]:
        """One page of articles matching the filters; with ``q``, each with a snippet of the match."""
        return views.articles_view(store, request.url.path, f, sort, page, per_page)

    @app.get("/articles/{article_id}.json", tags=["articles"], responses=ERRORS)
    def article_json(store: ReadStore, article_id: Id) -> dict[str, Any]:
        """One article: text, evidence spans, figures, claims, framing, the incident it feeds, reuse links."""
        return _found(views.article_view(store, article_id), "article", article_id)

    _add_pages(app, pages)
    return app


def _write_paths() -> re.Pattern[str]:
    from rashomon.serve.review import WRITE_PATHS

    return WRITE_PATHS


def _add_error_handlers(app: FastAPI, pages: Pages) -> None:
    """Errors as an HTML page for browsers, a JSON body (with the bad parameters) otherwise."""
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_params(request: Request, exc: RequestValidationError) -> Response:
        problems = [{"param": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]), "message": e["msg"]}
                    for e in exc.errors()]
        message = "; ".join(f"{p['param']}: {p['message']}" for p in problems)
        return _error(request, 400, message, problems)

    def _error(request: Request, status: int, message: str, problems: list[dict[str, str]] | None = None) -> Response:
        if pages.wants_html(request):
            return pages.error(request, status, message)
        return JSONResponse(error_body(status, message, problems), status_code=status)


def _add_pages(app: FastAPI, pages: Pages) -> None:
    """The HTML pages: the same views as the JSON API, rendered."""

    @app.get("/", include_in_schema=False)
    def home() -> Response:
        return RedirectResponse("/incidents", status_code=307)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> Response:
        """Swagger UI from the vendored swagger-ui-dist (its stylesheet draws icons as data: images)."""
        page = pages.render(request, "docs.html")
        page.headers["content-security-policy"] = DOCS_CSP
        return page

    @app.get("/incidents", include_in_schema=False)
    def incidents_html(request: Request, store: ReadStore, f: Filt, sort: IncidentSort = "-date", page: Page = 1,
                       per_page: PerPage = 25) -> Response:
        data = views.incidents_view(store, request.url.path, f, sort, page, per_page)
        return pages.incidents(request, store, f, data)

    @app.get("/incidents/{incident_id}", include_in_schema=False)
    def incident_html(request: Request, store: ReadStore, incident_id: Id) -> Response:
        review = request.app.state.review
        return pages.incident(request, _found(views.incident_view(store, incident_id), "incident", incident_id),
                              review.page_context(request) if review is not None else None)

    @app.get("/articles", include_in_schema=False)
    def articles_html(request: Request, store: ReadStore, f: Filt, sort: ArticleSort = "-published", page: Page = 1,
                      per_page: PerPage = 25) -> Response:
        data = views.articles_view(store, request.url.path, f, sort, page, per_page)
        return pages.articles(request, store, data)

    @app.get("/articles/{article_id}", include_in_schema=False)
    def article_html(request: Request, store: ReadStore, article_id: Id) -> Response:
        return pages.article(request, _found(views.article_view(store, article_id), "article", article_id))


def _found(data: dict[str, Any] | None, what: str, ident: str) -> dict[str, Any]:
    if data is None:
        raise HTTPException(404, f"no {what} {ident[:80]!r}")
    return data


def _export(incidents: list[Any], fmt: str, stem: str) -> Response:
    if fmt not in FORMATS:
        raise HTTPException(404, f"no export format {fmt[:20]!r}; choose one of {', '.join(FORMATS)}")
    name = f"{stem}-{fmt}.csv" if MEDIA[fmt].startswith("text/csv") and fmt != "csv" else f"{stem}.{fmt}"
    filename = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    return Response(FORMATS[fmt](incidents), media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
