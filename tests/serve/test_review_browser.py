"""The review UI in a real browser (Debian's chromium via Playwright): a reviewer logs in, merges two
incidents and sets a figure's scope on the incident page; the page and ``/incidents/{id}.json`` show
the change and the correction, and a script in the reason stays text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.review.conftest import build
from tests.serve.conftest import LiveServer

from rashomon.review.tokens import new_token
from rashomon.settings import ReviewSettings, Settings

PAYLOAD = "<img src=x onerror=\"document.body.dataset.pwned='reason'\">same bus attack"


def test_merge_and_figure_scope_in_the_browser(browser: Any, tmp_path: Path) -> None:
    corpus = build(tmp_path)
    token, entry = new_token("ann")
    server = LiveServer(corpus.db, review=Settings(review=ReviewSettings(tokens=(entry,))))
    with corpus.open() as store:
        kisumu, gulu = corpus.incident_of(store, "kisumu_1"), corpus.incident_of(store, "gulu_1")
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(server.url + "/review/login")
        page.fill("#login-form input[name=token]", token)
        page.click("#login-form button")
        page.wait_for_url("**/review/queue")
        assert page.locator(f"tr[data-incident='{kisumu.id}']").count() == 1

        page.goto(f"{server.url}/incidents/{kisumu.id}")
        page.fill("#merge-form input[name=other]", gulu.id)
        page.fill("#merge-form input[name=reason]", PAYLOAD)
        page.click("#merge-form button")
        page.wait_for_url(f"**/incidents/{kisumu.id}")
        merged = page.locator(".correction-list li[data-operation=merge]")
        assert "by ann" in merged.inner_text() and PAYLOAD in merged.locator("q.reason").inner_text()
        assert page.locator(".account").count() == 4  # the two Gulu reports joined

        figure = page.locator("#figure-form select[name=figure] option").first.get_attribute("value")
        page.select_option("#figure-form select[name=figure]", figure)
        page.select_option("#figure-form select[name=scope]", "part")
        page.fill("#figure-form input[name=reason]", "one site of two")
        page.click("#figure-form button")
        page.wait_for_url(f"**/incidents/{kisumu.id}")
        assert page.locator(f"#fig-{figure} td.scope").get_attribute("data-scope") == "part"
        assert page.locator(".correction-list li[data-operation=figure]").count() == 1
        assert page.evaluate("document.body.dataset.pwned") is None

        record = json.loads(page.request.get(f"{server.url}/incidents/{kisumu.id}.json").text())["incident"]
        assert [(c["operation"], c["who"]) for c in record["corrections"]] == [("merge", "ann"), ("figure", "ann")]
        assert record["corrections"][0]["reason"] == PAYLOAD
        assert {a["id"] for a in record["articles"]} >= {corpus.aid("gulu_1"), corpus.aid("gulu_2")}
        scoped = [f for k in ("killed", "injured") for f in record[k]["figures"] if f["id"] == figure]
        assert scoped and scoped[0]["scope"] == "part"
        assert record["machine_values"][f"figure {figure} scope"] == "total"
        page.fill(".correction-list li[data-operation=figure] input[name=reason]", "not a part after all")
        page.click(".correction-list li[data-operation=figure] button")
        page.wait_for_url(f"**/incidents/{kisumu.id}")
        assert page.locator(".correction-list li[data-operation=figure]").count() == 0  # undone
        assert page.locator(f"#fig-{figure} td.scope").get_attribute("data-scope") == "total"
        assert errors == []
    finally:
        page.close()
        server.stop()
