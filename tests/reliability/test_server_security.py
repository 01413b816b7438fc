"""Server security (issue 6, part 4): loopback by default, read-only, bounded requests and pages,
parameterised queries under injection payloads, no path traversal, stored XSS inert in every page,
security headers on every response.  The store is :mod:`tests.reliability.hostile` (payloads in every
field).  Raw-socket requests go to a real ``rashomon serve`` on 127.0.0.1, so paths reach the server
exactly as sent (no client-side normalisation).
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import sqlite3
import subprocess
import time
import warnings
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from rashomon.serve import cli as serve_cli
from rashomon.store.queries import connect_readonly
from tests.reliability.conftest import BIN, CHILD_ENV
from tests.reliability.hostile import PAYLOADS, build_hostile_store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

    from rashomon.serve.app import create_app

SECRET = "SECRET-NEXT-TO-THE-STORE"
LEAKS = ("[build-system]", "root:x:0:0", "def create_app", SECRET, "SQLite format 3")
INJECTIONS = (
    "' OR '1'='1", "' OR 1=1 --", "\" OR \"\"=\"", "'; DROP TABLE incidents; --", "1; DELETE FROM articles",
    "%", "_", "\\", "%' --", "') UNION SELECT data FROM incidents --", "*", "NEAR(a b)", "text:*", "\"unbalanced",
    "a AND b OR NOT c", "\x00", "' || (SELECT sqlite_version()) || '", "1e308", "-1", "ȼ\u202e\ufeff", "x" * 200,
)
FILTERS = ("country", "admin1", "event_type", "actor", "outlet", "q")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "hostile.sqlite"
    ids = build_hostile_store(db)
    (folder / "secret.txt").write_text(SECRET)
    return {"db": db, **ids}


@pytest.fixture(scope="module")
def client(hostile: dict[str, Any]) -> Iterator[TestClient]:
    with TestClient(create_app(hostile["db"])) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def live(hostile: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """``rashomon serve`` with its defaults (no --host) on a free port; yields the port."""
    port = _free_port()
    log = (tmp_path_factory.mktemp("serve-log") / "serve.log").open("w")
    server = subprocess.Popen([str(BIN), "serve", "--db", str(hostile["db"]), "--port", str(port)],
                              env=CHILD_ENV, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(900):
            try:
                raw(port, "GET /incidents.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                break
            except OSError:
                assert server.poll() is None, "rashomon serve exited"
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(60)
        log.close()


def raw(port: int, request: str | bytes, read: int = 1 << 20) -> tuple[int, str]:
    """Send bytes as they are; return (status, whole response text)."""
    data = request.encode("latin-1") if isinstance(request, str) else request
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            if sum(map(len, chunks)) > read:
                break
    text = b"".join(chunks).decode("latin-1")
    match = re.match(r"HTTP/1\.[01] (\d{3})", text)
    return (int(match.group(1)) if match else 0), text


def get(port: int, target: str, extra: str = "") -> tuple[int, str]:
    return raw(port, f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{extra}\r\n")


def digest(db: Path) -> str:
    return hashlib.sha256(db.read_bytes() + (db.with_name(db.name + "-wal").read_bytes()
                                             if db.with_name(db.name + "-wal").exists() else b"")).hexdigest()


# --------------------------------------------------------------------------- binding, read-only

def _listening(port: int) -> set[str]:
    """Local addresses listening on ``port`` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_binds_loopback_unless_told_otherwise(live: int) -> None:
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp to read the listening address from")
    assert _listening(live) == {"0100007F"}  # 127.0.0.1, and nothing else
    assert serve_cli.serve_store.__defaults__[0] == "127.0.0.1"
    # DNS rebinding: a page on another name that resolves here is refused.
    assert get(live, "/incidents.json")[0] == 200
    status, _ = raw(live, "GET /incidents.json HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
    assert status == 400


def test_read_only(hostile: dict[str, Any], client: TestClient, live: int) -> None:
    before = digest(hostile["db"])
    for method in ("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"):
        for path in ("/incidents.json", f"/incidents/{hostile['incident']}.json", "/static/app.js", "/nope"):
            response = client.request(method, path)
            assert response.status_code == 405, (method, path)
            assert response.headers["allow"] == "GET, HEAD"
    for params in ({"q": "x"}, {"country": "' OR 1=1; DELETE FROM incidents; --"}):
        client.get("/incidents.json", params=params)
    assert digest(hostile["db"]) == before  # not a byte written
    conn = connect_readonly(hostile["db"])
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly|read-only"):
            conn.execute("DELETE FROM incidents")
    finally:
        conn.close()


def test_request_and_page_size_limits(client: TestClient, live: int) -> None:
    assert get(live, "/incidents.json?q=" + "a" * 20_000)[0] == 414
    assert get(live, "/incidents.json", "X-Filler: " + "b" * 70_000 + "\r\n")[0] == 431
    status, _ = raw(live, "GET /incidents.json HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10000000\r\n"
                          "Connection: close\r\n\r\n" + "c" * 1000)
    assert status == 413  # refused without reading ten megabytes
    status, _ = raw(live, "GET /incidents.json HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                          "Connection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
    assert status == 413
    assert get(live, "/incidents.json?q=" + "a" * 200)[0] == 200  # the server is still up and answering
    for query, status in (("per_page=100", 200), ("per_page=101", 400), ("per_page=0", 400), ("page=10000", 200),
                          ("page=10001", 400), ("page=-1", 400), ("per_page=1e9", 400)):
        assert client.get(f"/incidents.json?{query}").status_code == status, query
        assert client.get(f"/articles.json?{query}").status_code == status, query


# --------------------------------------------------------------------------- injection

@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_payloads_in_every_filter(hostile: dict[str, Any], client: TestClient, payload: str) -> None:
    before = digest(hostile["db"])
    for name in FILTERS:
        for path in ("/incidents.json", "/articles.json", "/export/incidents.csv", "/incidents", "/articles"):
            response = client.get(path, params={name: payload})
            assert response.status_code in (200, 400), (path, name, response.text[:300])
            if response.status_code == 200 and path.endswith(".json"):
                body = response.json()
                key = "incidents" if path.startswith("/incidents") else "articles"
                assert body["total"] == len(body[key]) <= 3
                if name != "q" and payload.strip("\x00 ") and payload not in ("*",):
                    assert body["total"] == 0, (path, name, payload)  # a payload matches no stored value
    for path in (f"/incidents/{quote(payload, safe='')}.json", f"/articles/{quote(payload, safe='')}.json",
                 f"/incidents/{quote(payload, safe='')}/export.json"):
        assert client.get(path).status_code in (400, 404), path
    assert digest(hostile["db"]) == before


def test_like_wildcards_and_fts_operators_are_text(client: TestClient) -> None:
    assert client.get("/incidents.json", params={"actor": "Group"}).json()["total"] == 1  # a real match still works
    assert client.get("/incidents.json", params={"actor": "%"}).json()["total"] == 0
    assert client.get("/incidents.json", params={"actor": "_"}).json()["total"] == 0
    assert client.get("/articles.json", params={"q": "alert"}).json()["total"] == 3
    assert client.get("/articles.json", params={"q": "villagers OR nothing"}).json()["total"] == 0  # OR is a word


# --------------------------------------------------------------------------- path traversal

TRAVERSALS = (
    "/static/../../../pyproject.toml", "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
    "/static/..%2f..%2f..%2fpyproject.toml", "/static/%252e%252e/%252e%252e/pyproject.toml",
    "/static/....//....//pyproject.toml", "/static/..\\..\\app.py", "/static/%2e%2e%5c%2e%2e%5capp.py",
    "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/../app.py", "/static/..%00/app.py",
    "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/incidents/..%2f..%2f..%2fetc%2fpasswd.json",
    "/incidents/i-hostile/export.%2e%2e%2f%2e%2e%2fpasswd", "/incidents/..%2fsecret.txt/export.json",
    "/export/incidents.json%00.txt", "/export/..%2f..%2fsecret.txt", "/articles/..%2f..%2fhostile.sqlite.json",
    "/static/app.js/../../app.py", "/static/./../security.py", "/favicon.ico/../../pyproject.toml",
)


@pytest.mark.parametrize("target", TRAVERSALS)
def test_no_path_traversal(live: int, target: str) -> None:
    status, response = get(live, target)
    assert status in (400, 404, 405, 414), (status, response[:300])
    for leak in LEAKS:
        assert leak not in response, (target, leak)


def test_static_and_export_serve_only_their_own(live: int, client: TestClient, hostile: dict[str, Any]) -> None:
    status, body = get(live, "/static/app.js")
    assert status == 200 and "def " not in body
    response = client.get(f"/incidents/{hostile['incident']}/export.csv")
    assert response.status_code == 200
    assert re.fullmatch(r'attachment; filename="[A-Za-z0-9_.-]+"', response.headers["content-disposition"])
    assert client.get(f"/incidents/{hostile['incident']}/export.sqlite").status_code == 404


# --------------------------------------------------------------------------- stored XSS

class Audit(HTMLParser):
    """Every way an HTML page could run code or load another origin, and the page's text."""

    BANNED = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "base"})
    URL_ATTRS = frozenset({"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.in_script = False
        self.in_data = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag in self.BANNED:
            self.problems.append(f"<{tag}>")
        if tag == "script" and values.get("type") == "application/json" and "src" not in values:
            self.in_data = True  # data for the page's scripts, never run: checked in handle_data
        elif tag == "script":
            self.in_script = True
            if not values.get("src", "").startswith("/static/"):
                self.problems.append("inline or foreign <script>")
        if tag == "meta" and "http-equiv" in values:
            self.problems.append("<meta http-equiv>")
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            cleaned = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if name in self.URL_ATTRS and cleaned.startswith(("javascript:", "vbscript:", "data:text/html")):
                self.problems.append(f"<{tag} {name}={value[:40]}>")
            if name == "style" and ("expression(" in cleaned or "javascript:" in cleaned):
                self.problems.append(f"<{tag} style=...>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = self.in_data = False

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.problems.append("inline script text")
        if self.in_data:
            if "<" in data or ">" in data:
                self.problems.append("markup in a JSON data element")
            json.loads(data)
            return
        self.text.append(data)


def audit(html: str) -> Audit:
    parser = Audit()
    parser.feed(html)
    parser.close()
    return parser


def test_stored_xss_stays_inert_in_every_page(client: TestClient, hostile: dict[str, Any]) -> None:
    pages = ["/incidents", "/incidents?q=alert", f"/incidents/{hostile['incident']}", "/articles",
             "/articles?q=alert", "/articles?q=script&sort=title", *(f"/articles/{hostile[k]}" for k in "abc"),
             "/incidents?country=" + quote(PAYLOADS[0]), "/incidents?actor=" + quote(PAYLOADS[1]),
             "/incidents/" + quote(PAYLOADS[1], safe=""), "/articles?date_from=" + quote(PAYLOADS[0]),
             "/nowhere/" + quote(PAYLOADS[2], safe=""), "/incidents?sort=" + quote(PAYLOADS[3])]
    shown = ""
    for page in pages:
        response = client.get(page, headers={"Accept": "text/html"})
        assert response.status_code in (200, 400, 404), page
        assert response.headers["content-type"].startswith("text/html"), page
        found = audit(response.text)
        assert found.problems == [], (page, found.problems[:5])
        shown += "".join(found.text)
    for payload in PAYLOADS:  # every payload was on a page, as text
        assert payload.strip() in shown or payload.split("<")[1][:12] in shown, payload


def test_json_is_never_taken_for_html(client: TestClient, hostile: dict[str, Any]) -> None:
    for path in ("/incidents.json", f"/incidents/{hostile['incident']}.json", f"/articles/{hostile['a']}.json",
                 "/nowhere.json"):
        response = client.get(path, headers={"Accept": "text/html"})
        assert response.headers["content-type"].startswith("application/json"), path
        assert response.headers["x-content-type-options"] == "nosniff"
        json.loads(response.text)


# --------------------------------------------------------------------------- headers

def test_security_headers_on_every_kind_of_response(client: TestClient, live: int, hostile: dict[str, Any]) -> None:
    responses = {
        "html": client.get("/incidents"), "json": client.get("/incidents.json"),
        "incident": client.get(f"/incidents/{hostile['incident']}"), "static": client.get("/static/style.css"),
        "404 json": client.get("/nowhere.json"), "404 html": client.get("/nowhere", headers={"Accept": "text/html"}),
        "400": client.get("/incidents.json?per_page=0"), "405": client.post("/incidents.json"),
        "redirect": client.get("/", follow_redirects=False), "favicon": client.get("/favicon.ico"),
        "schema": client.get("/openapi.json"), "head": client.head("/incidents"),
        "export": client.get("/export/incidents.csv"),
    }
    for name, response in responses.items():
        headers = response.headers
        csp = headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "default-src 'self'" in csp, name
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, name
        assert headers.get("x-content-type-options") == "nosniff", name
        assert headers.get("x-frame-options") == "DENY", name
        assert headers.get("referrer-policy") == "no-referrer", name
    for target in ("/incidents.json?q=" + "a" * 20_000, "/nowhere"):
        status, text = get(live, target)
        head = text.split("\r\n\r\n", 1)[0].lower()
        assert "x-content-type-options: nosniff" in head and "frame-ancestors 'none'" in head, (status, head)
    assert "server:" not in get(live, "/incidents.json")[1].split("\r\n\r\n", 1)[0].lower()  # no version banner


def test_the_audit_would_catch_live_markup() -> None:
    """The checker itself: each payload, if it reached a page unescaped, is reported."""
    for payload in PAYLOADS:
        if payload.startswith("{{"):
            continue  # template syntax: harmless unless a template engine evaluated it
        assert audit(f"<p>{payload}</p>").problems, payload
