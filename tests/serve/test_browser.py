"""The web UI in a real browser (Debian's chromium, headless, driven by Playwright).

Screenshots are saved under ``test-artifacts/`` (``incident.png`` is the one the README shows).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from tests.serve.conftest import HARBOUR_B, HOSTILE, SENT_A_TEXT, get_json, record_errors


@dataclass
class Watched:
    """A page with everything it said: dialogs opened, console errors, uncaught exceptions."""

    page: Any
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def clean(self) -> bool:
        return not self.dialogs and not self.errors


@pytest.fixture
def open_page(browser) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})

    def open_(url: str) -> Watched:
        page = context.new_page()
        watched = Watched(page)

        def on_dialog(dialog: Any) -> None:
            watched.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        record_errors(page, watched.errors)
        page.goto(url)
        page.wait_for_load_state("load")
        return watched

    yield open_
    context.close()


def active_text(page: Any, article_id: str) -> str:
    """The highlighted text, checking every highlighted piece is inside the given article's account."""
    outside = page.locator(f".seg.active:not(#acc-{article_id} .seg)").count()
    assert outside == 0, "text highlighted in another article"
    return "".join(page.locator(f"#acc-{article_id} .seg.active").all_text_contents())


OWN_SCRIPTS = (
    "[...document.scripts].every(s => s.type === 'application/json' ? /-data$/.test(s.id)"
    " : s.src !== '' && new URL(s.src).origin === location.origin && new URL(s.src).pathname.startsWith('/static/'))"
)


def own_scripts_only(page: Any) -> bool:
    """Every script element is one of the server's files or a JSON data element (type application/json)."""
    return page.evaluate(OWN_SCRIPTS)


def map_incidents(page: Any) -> int:
    """Incidents on the page's interactive map (clustered or not); 0 without a map."""
    if page.locator(".lmap").count() == 0:
        return 0
    page.wait_for_selector(".lmap[data-ready]", state="attached")
    return page.evaluate("window.rashomonMaps[0].incidents.getLayers().length")


def in_view(locator: Any) -> bool:
    return locator.evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight && r.height > 0; }"
    )


def click_figure_and_check(w: Watched, figure: dict[str, Any]) -> None:
    row = w.page.locator(f'tr[data-figure="{figure["id"]}"]')
    row.locator("button").click()
    assert active_text(w.page, figure["article_id"]) == figure["sentence"]["text"]
    assert in_view(w.page.locator(f"#acc-{figure['article_id']} .seg.active").first)
    assert "current" in (row.get_attribute("class") or "")


def test_list_filter_sort_and_map(demo_db, live_server, open_page, artifacts):
    server = live_server(demo_db)
    listed = get_json(server.url + "/incidents.json?per_page=100")
    w = open_page(server.url + "/incidents")
    rows = w.page.locator("table.incidents tbody tr[data-incident]")
    assert rows.count() == listed["total"]
    located = [i for i in listed["incidents"] if i["location"]["lat"] is not None]
    assert map_incidents(w.page) == len(located)
    w.page.wait_for_selector(".lmap[data-land=drawn]", state="attached")
    assert w.page.locator(".lmap .land-shape").count() > 100  # the shipped basemap is drawn
    w.page.screenshot(path=artifacts / "incidents.png", full_page=True)

    w.page.fill("input[name=country]", "Mali")
    w.page.click("form.filters button[type=submit]")
    w.page.wait_for_load_state("load")
    assert "country=Mali" in w.page.url
    assert rows.count() == 1 and "Ansongo" in rows.first.inner_text()
    assert map_incidents(w.page) == 1
    w.page.screenshot(path=artifacts / "incidents-filtered.png", full_page=True)

    w.page.click("a.sort[data-sort=killed]")
    w.page.wait_for_load_state("load")
    assert "sort=-killed" in w.page.url and "country=Mali" in w.page.url
    assert w.clean(), (w.dialogs, w.errors)


def test_demo_incident_click_figure_highlights_its_sentence(demo_db, live_server, open_page, artifacts):
    server = live_server(demo_db)
    (mali,) = get_json(server.url + "/incidents.json?country=Mali")["incidents"]
    data = get_json(server.url + f"/incidents/{mali['id']}.json")
    w = open_page(server.url + "/incidents?country=Mali")
    w.page.click(f"tr[data-incident='{mali['id']}'] a >> nth=0")
    w.page.wait_for_load_state("load")
    assert w.page.locator("article.account").count() == len(data["accounts"]) >= 3
    assert map_incidents(w.page) == 1
    assert w.page.locator("svg.relations g.node").count() == len(data["relations"]["nodes"])
    by_article: dict[str, dict[str, Any]] = {}
    for fig in data["figures"]:
        by_article.setdefault(fig["article_id"], fig)
    for fig in by_article.values():  # one figure in each article
        click_figure_and_check(w, fig)
    high = next(f for f in data["figures"] if "high" in f["bounds"])
    click_figure_and_check(w, high)
    w.page.screenshot(path=artifacts / "incident-viewport.png")  # the highlighted sentence, centred
    w.page.screenshot(path=artifacts / "incident.png", full_page=True)
    assert w.clean(), (w.dialogs, w.errors)


def test_every_demo_page_renders_cleanly(demo_db, live_server, open_page):
    server = live_server(demo_db)
    for inc in get_json(server.url + "/incidents.json?per_page=100")["incidents"]:
        w = open_page(server.url + inc["href"])
        assert w.page.locator("h1").count() == 1
        assert map_incidents(w.page) == (inc["location"]["lat"] is not None)
        assert w.clean(), (inc["id"], w.dialogs, w.errors)
        w.page.close()


def test_seed_incident(seed_db, live_server, open_page, artifacts):
    server = live_server(seed_db)
    (found,) = get_json(server.url + "/incidents.json?q=Khasham")["incidents"]
    data = get_json(server.url + f"/incidents/{found['id']}.json")
    w = open_page(server.url + found["href"])
    for bound in ("low", "high"):
        click_figure_and_check(w, next(f for f in data["figures"] if bound in f["bounds"]))
    w.page.screenshot(path=artifacts / "seed-incident.png", full_page=True)
    assert w.clean(), (w.dialogs, w.errors)


def test_same_sentence_in_two_articles_highlights_the_right_one(handmade, live_server, open_page, artifacts):
    server = live_server(handmade["db"])
    w = open_page(server.url + "/incidents/i-harbour")
    for fig, article in (("f-b2", handmade["b"]), ("f-a1", handmade["a"]), ("f-b1", handmade["b"])):
        w.page.locator(f'tr[data-figure="{fig}"] button').click()
        expected = SENT_A_TEXT if fig != "f-b1" else HARBOUR_B[: HARBOUR_B.index(" Gunmen")]
        assert active_text(w.page, article) == expected
    w.page.locator("details.claims-box summary").click()
    w.page.locator('li[data-claim="c-a2"] button').click()
    assert active_text(w.page, handmade["a"]).startswith('"They came at dawn')
    w.page.uncheck(".legend input[data-kind=place]")
    assert "hide-place" in (w.page.locator("body").get_attribute("class") or "")
    w.page.screenshot(path=artifacts / "handmade-incident.png", full_page=True)
    assert w.clean(), (w.dialogs, w.errors)


def _assert_inert(w: Watched, text: str) -> None:
    """Nothing from the hostile text ran or became markup."""
    page = w.page
    before = page.evaluate("document.body.innerHTML")
    assert page.evaluate("document.body.dataset.pwned") is None
    assert page.locator(".text img, .text script, .text svg, .text a, .text b").count() == 0
    assert page.evaluate("[...document.querySelectorAll('.text *')].every(e => e.matches('span.seg'))")
    assert own_scripts_only(page)
    url = page.url
    page.get_by_text("click here").first.click()
    page.get_by_text("bold").first.hover()
    page.wait_for_timeout(200)
    assert page.url == url
    assert page.evaluate("document.body.innerHTML") == before
    assert page.evaluate("document.querySelector('.text').textContent") == text
    assert w.clean(), (w.dialogs, w.errors)


def test_hostile_article_renders_as_text(handmade, live_server, open_page, artifacts):
    server = live_server(handmade["db"])
    w = open_page(server.url + f"/articles/{handmade['hostile']}")
    _assert_inert(w, HOSTILE)
    assert "<img src=x onerror=alert('title')>" in w.page.locator("h1").inner_text()
    w.page.screenshot(path=artifacts / "hostile-article.png", full_page=True)
    w = open_page(server.url + "/incidents/i-depot")
    _assert_inert(w, HOSTILE)
    for path in ("/incidents", "/articles", "/articles?q=script"):
        w = open_page(server.url + path)
        assert own_scripts_only(w.page)
        assert w.clean(), (path, w.dialogs, w.errors)


def test_hostile_report_through_the_pipeline(demo_db, live_server, open_page):
    server = live_server(demo_db)
    (row,) = get_json(server.url + "/articles.json?q=Cabo+Wire")["articles"]
    w = open_page(server.url + row["href"])
    assert own_scripts_only(w.page)
    assert w.page.locator(".text img, .text script, .text a").count() == 0
    assert "<script>alert('from the text')</script>" in w.page.locator(".text").inner_text()
    assert w.clean(), (w.dialogs, w.errors)


def test_incident_page_shows_scopes_and_the_toll_chart(demo_db, live_server, open_page, artifacts):
    """Each figure's scope and its reason, and the step chart of the toll as it was reported."""
    server = live_server(demo_db)
    (mali,) = get_json(server.url + "/incidents.json?country=Mali")["incidents"]
    data = get_json(server.url + f"/incidents/{mali['id']}.json")
    w = open_page(server.url + mali["href"])
    for fig in data["figures"]:
        cell = w.page.locator(f'tr[data-figure="{fig["id"]}"] td.scope')
        assert cell.get_attribute("data-scope") == fig["scope"]
        if fig["scope_reason"]:
            assert fig["scope_reason"] in cell.inner_text()
        if not fig["independent"] and fig["excluded"]:
            assert fig["excluded"] in w.page.locator(f'tr[data-figure="{fig["id"]}"]').inner_text()
    assert any(f["scope"] != "total" for f in data["figures"])  # the demo shows a part
    steps = [p for p in data["incident"]["toll_timeline"] if p["reported_on"]]
    assert len(steps) >= 2
    chart = w.page.locator("svg.toll-chart")
    assert chart.count() == 1
    assert chart.locator("circle.toll-point").count() == len(steps)
    for kind in {p["kind"] for p in steps}:
        assert chart.locator(f"path.step-{kind}").count() == 1
    first = chart.locator("circle.toll-point").first
    assert steps[0]["reported_on"] in (first.locator("title").text_content() or "")
    w.page.locator("section.toll").screenshot(path=artifacts / "toll-chart.png")
    assert w.clean(), (w.dialogs, w.errors)
