"""What keeps the server safe to point at untrusted articles: read-only methods, no request bodies,
bounded URLs, strict headers, errors in one JSON shape (documented in the OpenAPI schema)."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# /docs only: Swagger UI's stylesheet draws its icons as data: images (no request leaves the page).
DOCS_CSP = CSP.replace("img-src 'self';", "img-src 'self' data:;")
HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
ALLOWED = ("GET", "HEAD")
MAX_BODY = 1024  # bytes of request body accepted (a read-only API needs none; some clients send an empty one)
MAX_WRITE_BODY = 262144  # bytes of a review write's body (``serve --review`` only): a few fields of 2000 characters, URL-encoded
MAX_TARGET = 8192  # bytes of path + query string
MAX_HEADERS = 16384  # bytes of all request header names and values


def error_body(status: int, message: str, problems: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """Every error the API returns: ``{"error": {"status", "message", "problems"?}}``."""
    body: dict[str, Any] = {"status": status, "message": message}
    if problems:
        body["problems"] = problems
    return {"error": body}


def _refusal(scope: Scope, write_paths: re.Pattern[str] | None = None) -> tuple[int, str, list[tuple[bytes, bytes]]] | None:
    """Why a request is refused before it reaches the app (status, message, extra headers), or None.
    ``write_paths`` (``serve --review``): the paths that take POST, and only POST."""
    method = scope["method"]
    write = write_paths is not None and write_paths.fullmatch(scope["path"]) is not None
    if method not in (("POST",) if write else ALLOWED):
        allow = b"POST" if write else b"GET, HEAD"
        why = "it takes POST only" if write else "this server is read-only" if write_paths is None else "read-only"
        return 405, f"method {method} not allowed: {why}", [(b"allow", allow)]
    if len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string", b"")) > MAX_TARGET:
        return 414, f"request target longer than {MAX_TARGET} bytes", []
    if sum(len(k) + len(v) for k, v in scope.get("headers", [])) > MAX_HEADERS:
        return 431, f"request headers longer than {MAX_HEADERS} bytes", []
    headers = dict(scope.get("headers", []))
    length = headers.get(b"content-length", b"0")
    limit = MAX_WRITE_BODY if write else MAX_BODY
    if b"transfer-encoding" in headers or not length.isdigit() or int(length) > limit:
        return 413, "request body not accepted: this server is read-only", []
    return None


class SecurityMiddleware:
    """Refuse every method but GET and HEAD (405), request bodies (413), overlong URLs (414) and
    headers (431); answer HEAD as GET without a body; add the headers.  With ``write_paths`` (``serve
    --review`` only): the paths matching ``write_paths`` take POST (and nothing else), with a body of
    at most MAX_WRITE_BODY bytes."""

    def __init__(self, app: ASGIApp, write_paths: re.Pattern[str] | None = None) -> None:
        self.app = app
        self.write_paths = write_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        refused = _refusal(scope, self.write_paths)
        if refused is not None:
            status, message, extra = refused
            body = json.dumps(error_body(status, message)).encode()
            await send({"type": "http.response.start", "status": status, "headers": [
                (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                *extra, *HEADERS]})
            await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})
            return
        head = method == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, wrapped)


_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "object", "properties": {
        "status": {"type": "integer"}, "message": {"type": "string"},
        "problems": {"type": "array", "items": {"type": "object", "properties": {
            "param": {"type": "string"}, "message": {"type": "string"}}}},
    }, "required": ["status", "message"]}},
    "required": ["error"],
}


def install_openapi(app: FastAPI) -> None:
    """Describe errors as they are sent: 400 and 404 with the error body (FastAPI's default 422 never is)."""

    def schema() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for item in doc.get("paths", {}).values():
            for op in item.values():
                responses = op.setdefault("responses", {})
                responses.pop("422", None)
                for code in ("400", "401", "403", "404"):
                    if code in responses:
                        responses[code]["content"] = content
        components = doc.setdefault("components", {}).setdefault("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        components["Error"] = _ERROR_SCHEMA
        app.openapi_schema = doc
        return doc

    app.openapi = schema  # type: ignore[method-assign]
