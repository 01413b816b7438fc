"""What keeps the server safe to point at untrusted articles: read-only methods, strict headers,
errors in one JSON shape (documented in the OpenAPI schema)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
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


def error_body(status: int, message: str, problems: list[dict[str, str]] | None = None) -> dict[str, Any]:
    """Every error the API returns: ``{"error": {"status", "message", "problems"?}}``."""
    body: dict[str, Any] = {"status": status, "message": message}
    if problems:
        body["problems"] = problems
    return {"error": body}


class SecurityMiddleware:
    """Refuse every method but GET and HEAD (405), answer HEAD as GET without a body, add the headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method not in ALLOWED:
            body = json.dumps(error_body(405, f"method {method} not allowed: this server is read-only")).encode()
            await send({"type": "http.response.start", "status": 405, "headers": [
                (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                (b"allow", b"GET, HEAD"), *HEADERS]})
            await send({"type": "http.response.body", "body": body})
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
                for code in ("400", "404"):
                    if code in responses:
                        responses[code]["content"] = content
        components = doc.setdefault("components", {}).setdefault("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        components["Error"] = _ERROR_SCHEMA
        app.openapi_schema = doc
        return doc

    app.openapi = schema  # type: ignore[method-assign]
