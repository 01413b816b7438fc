"""``rashomon serve --review``: the write routes of the web UI and the review queue (mounted only
with ``--review``; without it no write route exists and the middleware refuses every method but GET
and HEAD).

Security model (docs/review.md):

* every write needs a reviewer: the token of one of the ``[review] tokens`` entries (only their
  PBKDF2 hashes are in the settings), sent as ``Authorization: Bearer TOKEN`` or as the HttpOnly,
  SameSite=Strict cookie that ``/review/sign-in`` sets (the form at ``/review/login``);
* and a CSRF token tied to that reviewer and to this server's run, as the form field ``csrf`` or the
  header ``X-CSRF-Token`` (pages put it in their forms; ``/review/session.json`` gives it to scripts);
* a write whose ``Origin`` header names another site is refused;
* reasons, notes and aliases are stored as written and rendered as text (Jinja autoescape; the CSP
  allows no inline script);
* a write appends to the log and applies it unless a run holds the store; then the next run does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import parse_qs, urlsplit

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from rashomon.export import incident_dict
from rashomon.reconcile import incident_id_for
from rashomon.review import api
from rashomon.review.fields import FIELDS, FIGURE_KINDS, FIGURE_SCOPES
from rashomon.review.log import incident_articles
from rashomon.review.tokens import Reviewers
from rashomon.serve.app import connection
from rashomon.serve.pages import Pages
from rashomon.settings import Settings
from rashomon.store import Store, open_store

COOKIE = "rashomon_review"
QUEUE_LIMIT = 500
_TEXT = {"type": "string", "maxLength": api.MAX_TEXT}
_NEEDED = {"type": "string", "maxLength": api.MAX_TEXT, "pattern": r"\S"}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    200: {"description": "The correction, and whether it is applied yet"},
    303: {"description": "For a browser: back to the incident page"},
    400: {"description": "The correction cannot be made"}, 401: {"description": "No valid reviewer token"},
    403: {"description": "No valid CSRF token, or another site's page"}, 404: {"description": "Not found"},
    413: {"description": "A body longer than 262144 bytes"},
}


class Body:
    """The fields of a write, as the OpenAPI schema states them and as the route checks them (the same
    rules: strings only, no unknown field, the required ones present, enums, lengths, patterns)."""

    def __init__(self, properties: dict[str, Any], required: list[str]) -> None:
        self.properties = {**properties, "csrf": _TEXT}
        self.required = required

    def openapi(self) -> dict[str, Any]:
        schema = {"type": "object", "properties": self.properties, "required": self.required,
                  "additionalProperties": False}
        return {"requestBody": {"required": True, "content": {
            "application/x-www-form-urlencoded": {"schema": schema}, "application/json": {"schema": schema}}}}

    async def read(self, request: Request) -> dict[str, str]:
        form = await _fields(request)
        for key, value in form.items():
            rule = self.properties.get(key)
            if rule is None:
                raise HTTPException(400, f"unknown field {key[:40]!r}")
            if not isinstance(value, str):
                raise HTTPException(400, f"{key}: not a string")
            if len(value) > rule.get("maxLength", api.MAX_TEXT) or ("enum" in rule and value not in rule["enum"]):
                raise HTTPException(400, f"{key}: not an accepted value")
            if "pattern" in rule and not re.search(rule["pattern"], value):
                raise HTTPException(400, f"{key}: empty")
        missing = [k for k in self.required if k not in form]
        if missing:
            raise HTTPException(400, f"missing: {', '.join(missing)}")
        return form


async def _fields(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            raise HTTPException(400, "the body is not JSON") from None
        if not isinstance(data, dict):
            raise HTTPException(400, "the body is not a JSON object")
        return data
    try:
        parsed = parse_qs(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=20, strict_parsing=bool(raw))
    except (UnicodeDecodeError, ValueError):
        raise HTTPException(400, "the body is not a form") from None
    return {k: v[0] for k, v in parsed.items()}


class Review:
    """What the routes share: the reviewers, the store, the settings."""

    def __init__(self, db: Any, reviewers: Reviewers, settings: Settings) -> None:
        self.db = db
        self.reviewers = reviewers
        self.settings = settings

    def user(self, request: Request) -> str | None:
        auth = request.headers.get("authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else request.cookies.get(COOKIE)
        return self.reviewers.who(token)

    def page_context(self, request: Request) -> dict[str, Any]:
        """What a page needs to show review controls (``review`` in the templates)."""
        name = self.user(request)
        return {"user": name, "csrf": self.reviewers.csrf(name) if name else None}

    @staticmethod
    def same_origin(request: Request) -> None:
        """Refuse a write sent by another site's page (its Origin header names another host)."""
        origin = request.headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
            raise HTTPException(403, "a write from another site's page")

    def writer(self, request: Request, form: dict[str, Any]) -> str:
        """The reviewer making this write, once token, CSRF token and origin are checked."""
        self.same_origin(request)
        name = self.user(request)
        if name is None:
            raise HTTPException(401, "no valid reviewer token (log in at /review/login)")
        if not self.reviewers.csrf_ok(name, request.headers.get("x-csrf-token") or form.get("csrf")):
            raise HTTPException(403, "no valid CSRF token")
        return name

    def write(self, request: Request, form: dict[str, str], call: Callable[[Store, str], api.Written],
              back: Callable[[Store, api.Written], str | None]) -> Response:
        name = self.writer(request, form)
        with open_store(self.db) as store:
            try:
                written = call(store, name)
            except api.ReviewError as exc:
                status = 404 if str(exc).startswith("no ") else 400
                raise HTTPException(status, str(exc)) from None
            incident = back(store, written)
        if "text/html" in request.headers.get("accept", "") and incident:
            return RedirectResponse(f"/incidents/{incident}", status_code=303)
        return JSONResponse({"correction": written.correction.model_dump(), "applied": written.applied,
                             "incident": incident})


def _story_incident(store: Store, article_id: str) -> str | None:
    story = store.story_of(article_id)
    return incident_id_for(story) if story else None


def _undone_incident(store: Store, correction_id: str) -> str | None:
    """The incident an undone correction was about, as it stands now (a browser goes back to it)."""
    undone = store.correction(correction_id)
    articles = incident_articles(undone) if undone is not None else []
    return next((i for i in (_story_incident(store, a) for a in articles) if i), None)


def queue_view(store: Store) -> dict[str, Any]:
    """``/review/queue``: incidents not reviewed yet, most disagreement first (then the widest
    killed range, then the most reports)."""
    rows = []
    for inc in store.incidents():
        if inc.reviewed:
            continue
        spread = (inc.killed.high or 0) - (inc.killed.low or 0)
        d = incident_dict(inc)
        rows.append({"id": inc.id, "href": f"/incidents/{inc.id}", "date_start": d["date_start"],
                     "place": d["location"]["name"], "event_type": d["event_type"],
                     "disagreements": [x.field for x in inc.disagreements], "killed_spread": spread,
                     "reports": len(inc.sources), "corrections": len(inc.corrections)})
    rows.sort(key=lambda r: (-len(r["disagreements"]), -r["killed_spread"], -r["reports"], r["id"]))
    return {"incidents": rows[:QUEUE_LIMIT], "total": len(rows)}


ReadStore = Annotated[Store, Depends(connection)]


def install_review(app: FastAPI, pages: Pages, review: Review) -> None:
    """Mount the review routes (see the module docstring)."""

    @app.get("/review/queue.json", tags=["review"])
    def queue_json(store: ReadStore) -> dict[str, Any]:
        """Incidents not reviewed yet, most disagreement first."""
        return queue_view(store)

    @app.get("/review/queue", include_in_schema=False)
    def queue_html(request: Request, store: ReadStore) -> Response:
        return pages.render(request, "review_queue.html", data=queue_view(store), review=review.page_context(request))

    @app.get("/review/session.json", tags=["review"], responses={401: {"description": "No valid reviewer token"}})
    def session(request: Request) -> dict[str, Any]:
        """The reviewer a token belongs to and the CSRF token their writes need."""
        ctx = review.page_context(request)
        if ctx["user"] is None:
            raise HTTPException(401, "no valid reviewer token")
        return ctx

    @app.get("/review/login", include_in_schema=False)
    def login_page(request: Request) -> Response:
        return pages.render(request, "review_login.html", review=review.page_context(request))

    @app.post("/review/sign-in", include_in_schema=False)
    async def login(request: Request) -> Response:
        review.same_origin(request)
        form = await _fields(request)
        token = str(form.get("token", ""))
        if review.reviewers.who(token) is None:
            raise HTTPException(401, "not a reviewer token")
        response = RedirectResponse("/review/queue", status_code=303)
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/")
        return response

    @app.post("/review/sign-out", include_in_schema=False)
    async def logout(request: Request) -> Response:
        review.writer(request, await _fields(request))
        response = RedirectResponse("/incidents", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    _install_writes(app, review)


Call = Callable[[Store, str, dict[str, str], dict[str, Any], Settings], api.Written]
Back = Callable[[Store, api.Written, dict[str, str]], "str | None"]
_SCOPE = {"type": "string", "enum": ["", *FIGURE_SCOPES]}
_KIND = {"type": "string", "enum": ["", *FIGURE_KINDS]}

# path, body, what it does, the library call, the incident page a browser goes back to
WRITES: list[tuple[str, Body, str, Call, Back]] = [
    ("/review/incidents/{incident_id}/merge", Body({"other": _NEEDED, "reason": _NEEDED}, ["other", "reason"]),
     "Merge another incident into this one.",
     lambda s, n, p, f, st: api.merge(s, p["incident_id"], f["other"].strip(), reason=f["reason"], who=n, settings=st),
     lambda s, w, p: incident_id_for(str(w.correction.after["story"]))),
    ("/review/incidents/{incident_id}/set",
     Body({"field": {"type": "string", "enum": list(FIELDS)}, "value": _TEXT, "reason": _NEEDED},
          ["field", "value", "reason"]),
     "Set a field of the incident (docs/review.md).",
     lambda s, n, p, f, st: api.set_field(s, p["incident_id"], f["field"], f["value"], reason=f["reason"], who=n,
                                          settings=st),
     lambda s, w, p: _story_incident(s, w.correction.target["articles"][0])),
    ("/review/incidents/{incident_id}/reviewed",
     Body({"reason": _TEXT, "done": {"type": "string", "enum": ["yes", "no"]}}, []),
     "Mark the incident reviewed (done=no: not any more).",
     lambda s, n, p, f, st: api.reviewed(s, p["incident_id"], who=n, reason=f.get("reason", ""),
                                         done=f.get("done") != "no", settings=st),
     lambda s, w, p: _story_incident(s, w.correction.target["articles"][0])),
    ("/review/incidents/{incident_id}/note", Body({"text": _NEEDED}, ["text"]), "A free note on the incident.",
     lambda s, n, p, f, st: api.note(s, p["incident_id"], f["text"], who=n, settings=st),
     lambda s, w, p: _story_incident(s, w.correction.target["articles"][0])),
    ("/review/articles/{article_id}/move", Body({"to": _NEEDED, "reason": _NEEDED, "article": _TEXT}, ["to", "reason"]),
     "Move a report to another incident (to: its id) or to a new one (to=new).",
     lambda s, n, p, f, st: api.move(s, p["article_id"], None if f["to"].strip() == "new" else f["to"].strip(),
                                     reason=f["reason"], who=n, settings=st),
     lambda s, w, p: _story_incident(s, p["article_id"])),
    ("/review/figures/{figure_id}",
     Body({"scope": _SCOPE, "kind": _KIND, "reject": {"type": "string", "enum": ["", "yes"]}, "reason": _NEEDED,
           "figure": _TEXT}, ["reason"]),
     "Set a figure's scope or kind, or reject it.",
     lambda s, n, p, f, st: api.figure(s, p["figure_id"], scope=f.get("scope") or None, kind=f.get("kind") or None,
                                       reject=f.get("reject") == "yes", reason=f["reason"], who=n, settings=st),
     lambda s, w, p: _story_incident(s, str(w.correction.target["article"]))),
    ("/review/aliases", Body({"alias": _NEEDED, "name": _NEEDED, "reason": _NEEDED}, ["alias", "name", "reason"]),
     "A speaker alias, store-wide.",
     lambda s, n, p, f, st: api.alias(s, f["alias"], f["name"], reason=f["reason"], who=n, settings=st),
     lambda s, w, p: None),
    ("/review/corrections/{correction_id}/undo", Body({"reason": _NEEDED}, ["reason"]), "Revert a correction.",
     lambda s, n, p, f, st: api.undo(s, p["correction_id"], reason=f["reason"], who=n, settings=st),
     lambda s, w, p: _undone_incident(s, p["correction_id"])),
]


WRITE_PATHS = re.compile("|".join(
    ["[^/]+".join(re.escape(part) for part in re.split(r"\{\w+\}", path)) for path, *_ in WRITES]
    + ["/review/sign-in", "/review/sign-out"]))
"""The paths that take POST (and only POST) under ``serve --review``: SecurityMiddleware lets POST reach them."""


def _install_writes(app: FastAPI, review: Review) -> None:
    for path, body, doc, call, back in WRITES:
        app.add_api_route(path, _handler(review, body, call, back), methods=["POST"], tags=["review"],
                          responses=WRITE_ERRORS, summary=doc, openapi_extra=_with_path_params(path, body.openapi()))


def _with_path_params(path: str, extra: dict[str, Any]) -> dict[str, Any]:
    names = re.findall(r"{(\w+)}", path)
    return {**extra, "parameters": [{"name": n, "in": "path", "required": True,
                                     "schema": {"type": "string", "maxLength": 80}} for n in names]}


def _handler(review: Review, body: Body, call: Call, back: Back) -> Callable[[Request], Any]:
    async def handler(request: Request) -> Response:
        form = await body.read(request)
        params = {k: str(v) for k, v in request.path_params.items()}
        if any(len(v) > 80 for v in params.values()):
            raise HTTPException(400, "an id longer than 80 characters")
        return review.write(request, form, lambda s, n: call(s, n, params, form, review.settings),
                            lambda s, w: back(s, w, params))

    return handler
