"""The interactive map, the timeline and /docs in a real browser (Debian's chromium via Playwright).

Every request a page makes is recorded (and any that would leave 127.0.0.1 is aborted and fails the
test); Content-Security-Policy violations are caught by a ``securitypolicyviolation`` listener and by
the console.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from tests.serve.conftest import get_json, record_errors

CSP_WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@dataclass
class Visit:
    page: Any
    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def check(self) -> None:
        """Nothing left 127.0.0.1, no CSP violation, no console error or uncaught exception."""
        assert self.requests and not self.outside, self.outside
        assert all(urlparse(u).hostname == "127.0.0.1" for u in self.requests), self.requests
        assert self.page.evaluate("window.__csp") == []
        assert not self.errors, self.errors


class Session:
    """A browser context whose every request is recorded, and aborted unless it goes to 127.0.0.1."""

    def __init__(self, context: Any) -> None:
        self.context = context
        self.visits: list[Visit] = []
        context.add_init_script(CSP_WATCH)
        context.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
            return
        self.visits[-1].outside.append(route.request.url)
        route.abort()

    def open(self, url: str) -> Visit:
        self.visits.append(Visit(self.context.new_page()))
        v = self.visits[-1]
        v.page.on("request", lambda req: v.requests.append(req.url))
        record_errors(v.page, v.errors)
        v.page.goto(url)
        v.page.wait_for_load_state("networkidle")
        return v


@pytest.fixture
def visit(browser) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    yield Session(context).open
    context.close()


def ready_map(page: Any) -> None:
    page.wait_for_selector(".lmap[data-ready][data-land=drawn]", state="attached")


def zoom(page: Any) -> float:
    return page.evaluate("window.rashomonMaps[0].getZoom()")


VISIBLE_MARKERS = """() => { const box = document.querySelector('.lmap').getBoundingClientRect();
  return [...document.querySelectorAll('path.incident-marker[data-incident]')].filter(p => {
    const r = p.getBoundingClientRect();
    return r.width > 0 && r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
  }).map(p => p.dataset.incident); }"""


def visible_markers(page: Any) -> list[str]:
    """Ids of the single (unclustered) incident markers drawn inside the map's box."""
    return page.evaluate(VISIBLE_MARKERS)


def settle(page: Any) -> None:
    page.wait_for_timeout(700)  # zoom animation and re-clustering


def test_map_zooms_clusters_split_and_popups_link(demo_db, live_server, visit, artifacts):
    server = live_server(demo_db)
    listed = get_json(server.url + "/incidents.json?per_page=100")["incidents"]
    located = {i["id"] for i in listed if i["location"]["lat"] is not None}
    v = visit(server.url + "/incidents")
    page = v.page
    ready_map(page)
    assert page.locator(".lmap .land-shape").count() > 100  # the shipped Natural Earth layer, as vectors
    assert page.evaluate("window.rashomonMaps[0].incidents.getLayers().length") == len(located)

    start = zoom(page)
    page.click(".leaflet-control-zoom-in")
    settle(page)
    assert zoom(page) > start
    while page.locator(".marker-cluster").count() == 0 and zoom(page) > 1:
        page.click(".leaflet-control-zoom-out")
        settle(page)
    clusters = page.locator(".marker-cluster")
    assert clusters.count() >= 1, "no cluster at the widest zoom"
    singles = len(visible_markers(page))
    grouped = sum(int(t) for t in clusters.all_inner_texts())
    assert singles + grouped == len(located)
    page.screenshot(path=artifacts / "map-clustered.png")
    before = zoom(page)
    clusters.first.click()  # zooms to the cluster's bounds
    settle(page)
    assert zoom(page) > before
    shown = visible_markers(page)
    assert len(shown) > singles  # the cluster split

    incident = shown[0]
    page.locator(f"path.incident-marker[data-incident='{incident}']").click()
    link = page.locator(".leaflet-popup a.open")
    link.wait_for()
    popup = page.locator(".leaflet-popup-content").inner_text()
    row = next(i for i in listed if i["id"] == incident)
    assert row["date_start"] in popup and row["location"]["name"] in popup and "killed" in popup
    assert link.get_attribute("href") == f"/incidents/{incident}"
    v.check()
    link.click()
    page.wait_for_load_state("load")
    assert urlparse(page.url).path == f"/incidents/{incident}"


def test_incident_page_map(demo_db, live_server, visit):
    server = live_server(demo_db)
    inc = next(i for i in get_json(server.url + "/incidents.json")["incidents"] if i["location"]["lat"] is not None)
    v = visit(server.url + inc["href"])
    ready_map(v.page)
    assert v.page.evaluate("window.rashomonMaps[0].incidents.getLayers().length") == 1
    start = zoom(v.page)
    v.page.click(".leaflet-control-zoom-out")
    settle(v.page)
    assert zoom(v.page) < start
    v.page.locator(f"path.incident-marker[data-incident='{inc['id']}']").click()
    assert v.page.locator(".leaflet-popup a.open").get_attribute("href") == inc["href"]
    v.check()


def _bar_point(page: Any, index: int) -> tuple[float, float]:
    """Where bar ``index`` of the timeline is drawn, in page coordinates."""
    return page.evaluate(
        """i => { const u = window.rashomonTimeline, r = u.over.getBoundingClientRect();
                  return [r.left + u.valToPos(u.data[0][i], 'x'), r.top + u.valToPos(0.5, 'n')]; }""",
        index,
    )


def test_timeline_draws_and_a_click_filters(demo_db, live_server, visit, artifacts):
    server = live_server(demo_db)
    v = visit(server.url + "/incidents")
    page = v.page
    page.wait_for_selector(".timeline[data-ready]", state="attached")
    data = json.loads(page.locator("#overview-data").text_content())["timeline"]
    unit = page.locator(".timeline").get_attribute("data-unit")
    bins = data["units"][unit]
    assert page.locator(".timeline canvas").count() == 1
    assert int(page.locator(".timeline").get_attribute("data-bins")) == len(bins)
    assert sum(b["incidents"] for b in bins) == data["dated"] == get_json(server.url + "/incidents.json")["total"]

    page.click("button[data-unit=month]")
    assert page.locator(".timeline").get_attribute("data-unit") == "month"
    bins = data["units"]["month"]
    assert int(page.locator(".timeline").get_attribute("data-bins")) == len(bins)
    page.screenshot(path=artifacts / "timeline.png")
    index = max(range(len(bins)), key=lambda i: bins[i]["incidents"])
    x, y = _bar_point(page, index)
    v.check()
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    page.wait_for_url("**date_from=*")
    query = parse_qs(urlparse(page.url).query)
    assert query["date_from"] == [bins[index]["start"]] and query["date_to"] == [bins[index]["end"]]
    rows = page.locator("table.incidents tbody tr[data-incident]")
    assert rows.count() >= bins[index]["incidents"] >= 1
    for cell in rows.locator("td:first-child a").all_inner_texts():  # each listed incident starts in the period
        assert cell <= bins[index]["end"]


def test_docs_renders_swagger_ui_offline(demo_db, live_server, visit, artifacts):
    server = live_server(demo_db)
    v = visit(server.url + "/docs")
    v.page.wait_for_selector(".swagger-ui .opblock")
    schema = get_json(server.url + "/openapi.json")
    operations = sum(len(item) for item in schema["paths"].values())
    assert v.page.locator(".swagger-ui .opblock").count() == operations
    assert "Rashomon" in v.page.locator(".swagger-ui .info .title").inner_text()
    assert any(u.endswith("/openapi.json") for u in v.requests)
    v.page.screenshot(path=artifacts / "docs.png")
    v.check()


HOSTILE_PLACE = "<img src=x onerror=\"document.body.dataset.pwned = 'map'\">Ferrow</script><b>Flats</b>"


@pytest.fixture(scope="module")
def hostile_map_db(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One incident whose place name and country are markup, as an article could make them."""
    import datetime as dt

    from tests.factories import article

    from rashomon.models import FigureRange, Incident, IngestOutcome, Place, SourceInfo, Story, StoryArticle
    from rashomon.store import open_store

    db = tmp_path_factory.mktemp("hostile-map") / "hostile.sqlite"
    art = article("Raiders burned two granaries outside Ferrow overnight, herders said.", outlet="Plains Echo")
    place = Place(name=HOSTILE_PLACE, lat=4.5, lon=9.25, country="<i>Umber</i>", country_code=None, precision="city")
    with open_store(db) as store:
        store.add_outcome(IngestOutcome(source=art.source, article=art))
        store.assign(art.id, "s-ferrow", dt.date(2025, 3, 3))
        store.save_relations(Story(id="s-ferrow", articles=[StoryArticle(article_id=art.id)]), [])
        store.save_incident(Incident(
            id="i-ferrow", story_id="s-ferrow", date_start=dt.date(2025, 3, 3), date_end=dt.date(2025, 3, 3),
            date_precision="day", location=place, event_type=None, killed=FigureRange(low=1, best=2, high=3),
            injured=FigureRange(), sources=[SourceInfo(article_id=art.id, title=art.title, outlet=art.outlet,
                                                       published=art.published, original_source=None,
                                                       relation="independent")]))
    return db


def test_markup_in_a_place_name_stays_text_on_the_map(hostile_map_db, live_server, visit):
    server = live_server(hostile_map_db)
    for path in ("/incidents", "/incidents/i-ferrow"):
        v = visit(server.url + path)
        ready_map(v.page)
        v.page.locator("path.incident-marker[data-incident='i-ferrow']").click()
        popup = v.page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert HOSTILE_PLACE in popup.inner_text() and "<i>Umber</i>" in popup.inner_text()
        assert popup.locator("img, b, i, script").count() == 0
        assert v.page.evaluate("document.body.dataset.pwned") is None
        v.check()
