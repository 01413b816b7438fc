"""``rashomon serve --review``: no write without ``--review``; none without a valid reviewer token and
CSRF token; tokens hashed at rest; stored-XSS payloads in reasons, notes and aliases stay inert on every
page; the review queue puts the most disputed incidents first."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rashomon.cli import app as cli_app
from rashomon.review.tokens import Reviewers, new_token
from rashomon.serve.app import create_app
from rashomon.settings import ReviewSettings, Settings
from rashomon.store import open_store
from tests.review.conftest import Corpus, build

HOSTS = ["testserver", "127.0.0.1", "localhost"]
XSS = [
    "<script>document.body.dataset.pwned='script'</script>",
    "<img src=x onerror=\"document.body.dataset.pwned='img'\">",
    "\"><svg onload=alert(1)>",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return build(tmp_path_factory.mktemp("review-serve"))


@pytest.fixture
def corpus(built: Corpus, tmp_path: Path) -> Corpus:
    db = tmp_path / "store.sqlite"
    shutil.copy(built.db, db)
    return Corpus(db, built.folder, list(built.paths))


@pytest.fixture(scope="module")
def tokens() -> dict[str, Any]:
    ann, ann_entry = new_token("ann")
    bob, bob_entry = new_token("bob")
    return {"ann": ann, "bob": bob, "settings": Settings(review=ReviewSettings(tokens=(ann_entry, bob_entry)))}


def _client(db: Path, settings: Settings | None) -> TestClient:
    return TestClient(create_app(db, allowed_hosts=HOSTS, review=settings))


def _csrf(client: TestClient, token: str) -> str:
    res = client.get("/review/session.json", headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 200
    return str(res.json()["csrf"])


def test_no_write_route_without_review(corpus: Corpus) -> None:
    client = _client(corpus.db, None)
    with corpus.open() as store:
        inc = store.incidents()[0]
    for method in ("post", "put", "delete", "patch"):
        res = getattr(client, method)(f"/review/incidents/{inc.id}/merge")
        assert res.status_code == 405
    assert client.get("/review/queue").status_code == 404
    assert not [p for p in client.get("/openapi.json").json()["paths"] if p.startswith("/review")]
    app = create_app(corpus.db, allowed_hosts=HOSTS)
    assert {m for r in app.routes for m in getattr(r, "methods", ())} <= {"GET", "HEAD"}


def test_writes_need_a_token_and_a_csrf_token(corpus: Corpus, tokens: dict[str, Any]) -> None:
    client = _client(corpus.db, tokens["settings"])
    with corpus.open() as store:
        gulu = corpus.incident_of(store, "gulu_1")
    url = f"/review/incidents/{gulu.id}/set"
    body = {"field": "killed_best", "value": "4", "reason": "register"}
    ann = {"Authorization": f"Bearer {tokens['ann']}"}
    assert client.post(url, data=body).status_code == 401
    assert client.post(url, data=body, headers={"Authorization": "Bearer not-a-token"}).status_code == 401
    assert client.post(url, data=body, headers=ann).status_code == 403  # no CSRF token
    assert client.post(url, data={**body, "csrf": "0" * 64}, headers=ann).status_code == 403
    bobs = _csrf(client, tokens["bob"])
    assert client.post(url, data={**body, "csrf": bobs}, headers=ann).status_code == 403  # another reviewer's
    csrf = _csrf(client, tokens["ann"])
    evil = {**ann, "Origin": "http://evil.example"}
    assert client.post(url, data={**body, "csrf": csrf}, headers=evil).status_code == 403
    with corpus.open() as store:
        assert store.corrections() == []
    res = client.post(url, data={**body, "csrf": csrf}, headers=ann)
    assert res.status_code == 200, res.text
    assert res.json()["applied"] is True and res.json()["correction"]["who"] == "ann"
    with corpus.open() as store:
        assert [(c.who, c.operation) for c in store.corrections()] == [("ann", "set")]
        assert store.incident(gulu.id).killed.best == 4  # type: ignore[union-attr]


def test_tokens_are_hashed_at_rest(tokens: dict[str, Any]) -> None:
    entries = tokens["settings"].review.tokens
    assert all(tokens[n] not in "".join(entries) for n in ("ann", "bob"))
    assert all(re.fullmatch(r"\w+:pbkdf2_sha256\$\d+\$[0-9a-f]{32}\$[0-9a-f]{64}", e) for e in entries)
    reviewers = Reviewers(entries)
    assert (reviewers.who(tokens["ann"]), reviewers.who(tokens["bob"]), reviewers.who("guess")) == ("ann", "bob", None)
    result = CliRunner().invoke(cli_app, ["review", "token", "cy"])
    token = re.search(r"it is not stored\): (\S+)", result.output).group(1)  # type: ignore[union-attr]
    entry = result.output.strip().splitlines()[-1].strip('"')
    assert token not in entry and Reviewers([entry]).who(token) == "cy"


def test_login_cookie_then_form_posts(corpus: Corpus, tokens: dict[str, Any]) -> None:
    client = _client(corpus.db, tokens["settings"])
    assert client.post("/review/sign-in", data={"token": "wrong"}).status_code == 401
    res = client.post("/review/sign-in", data={"token": tokens["bob"]}, follow_redirects=False)
    assert res.status_code == 303 and "httponly" in res.headers["set-cookie"].lower()
    assert "samesite=strict" in res.headers["set-cookie"].lower()
    with corpus.open() as store:
        kisumu = corpus.incident_of(store, "kisumu_1")
    page = client.get(f"/incidents/{kisumu.id}", headers={"Accept": "text/html"}).text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    res = client.post(f"/review/incidents/{kisumu.id}/reviewed", data={"csrf": csrf},
                      headers={"Accept": "text/html"}, follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"] == f"/incidents/{kisumu.id}"
    with corpus.open() as store:
        assert store.incident(kisumu.id).reviewed  # type: ignore[union-attr]


def test_stored_xss_stays_inert_on_every_page(corpus: Corpus, tokens: dict[str, Any]) -> None:
    client = _client(corpus.db, tokens["settings"])
    ann = {"Authorization": f"Bearer {tokens['ann']}"}
    csrf = _csrf(client, tokens["ann"])
    with corpus.open() as store:
        gulu = corpus.incident_of(store, "gulu_1")
    posts = [
        (f"/review/incidents/{gulu.id}/note", {"text": XSS[0]}),
        (f"/review/incidents/{gulu.id}/set", {"field": "side_a", "value": XSS[2], "reason": XSS[1]}),
        ("/review/aliases", {"alias": "Okello Amone", "name": XSS[1], "reason": XSS[0]}),
        (f"/review/incidents/{gulu.id}/reviewed", {"reason": XSS[2]}),
    ]
    for url, body in posts:
        res = client.post(url, data={**body, "csrf": csrf}, headers=ann)
        assert res.status_code == 200, res.text
    html = {"Accept": "text/html"}
    pages = [f"/incidents/{gulu.id}", "/incidents", "/review/queue", "/articles",
             f"/articles/{corpus.aid('gulu_1')}"]
    seen = ""
    for path in pages:
        res = client.get(path, headers={**html, **ann})
        assert res.status_code == 200, path
        assert "script-src 'self'" in res.headers["content-security-policy"]
        for payload in XSS:
            assert payload not in res.text, (path, payload)
        seen += res.text
    assert "&lt;script&gt;document.body.dataset.pwned" in seen  # shown, as text
    assert "&lt;img src=x onerror=" in seen


def test_review_queue_puts_most_disagreement_first(corpus: Corpus, tokens: dict[str, Any]) -> None:
    client = _client(corpus.db, tokens["settings"])
    rows = client.get("/review/queue.json").json()["incidents"]
    keys = [(-len(r["disagreements"]), -r["killed_spread"], -r["reports"]) for r in rows]
    assert keys == sorted(keys) and len(rows) == 3
    with open_store(corpus.db) as store:
        kisumu = corpus.incident_of(store, "kisumu_1")
    assert rows[0]["id"] == kisumu.id  # two counts (five, at least six): the one disputed incident
    csrf = _csrf(client, tokens["ann"])
    client.post(f"/review/incidents/{kisumu.id}/reviewed", data={"csrf": csrf},
                headers={"Authorization": f"Bearer {tokens['ann']}"})
    assert kisumu.id not in [r["id"] for r in client.get("/review/queue.json").json()["incidents"]]


def test_settings_default_has_no_reviewers() -> None:
    assert dataclasses.replace(Settings()).review.tokens == ()


def test_serve_review_needs_reviewers(corpus: Corpus) -> None:
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(corpus.db), "--review"])
    assert result.exit_code == 1 and "rashomon review token NAME" in result.output
