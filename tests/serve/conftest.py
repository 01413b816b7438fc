"""Stores and servers for the web UI and API tests.

- ``handmade_db``: a store written through the Store API with records made here (an invented harbour
  attack reported twice, and a hostile article full of markup), so the API's JSON can be checked
  exactly, whatever the NLP does.
- ``demo_db``: the demo corpus (plus one hostile JSONL report) analysed by the real pipeline.
- ``seed_db``: the seed reports of ../shared/seeds analysed by the real pipeline.
- ``live_server``: the real app under uvicorn on 127.0.0.1 (a free port), for the browser.
- ``browser``: Debian's chromium driven by Playwright; skipped when missing, except in CI.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.pg_server import pg_server, pg_url  # noqa: F401  (fixtures for test_postgres_serve.py)

from rashomon.demo import DEFAULT_CORPUS
from rashomon.ids import article_id
from rashomon.models import (
    Actor,
    Article,
    Claim,
    DateMention,
    Disagreement,
    DisagreementValue,
    EventType,
    Figure,
    FigureRange,
    Framing,
    Incident,
    IngestOutcome,
    Mention,
    Place,
    PlaceMention,
    ReuseLink,
    SourceInfo,
    Span,
    Speaker,
    Story,
    StoryArticle,
)
from rashomon.pipeline import run
from rashomon.store import open_store

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("RASHOMON_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]

SENT_A_TEXT = "Gunmen killed three fishermen in Beira on Thursday, the port police said."
HARBOUR_A = (
    SENT_A_TEXT + "\n\n"
    "\"They came at dawn and fired on the boats,\" said Amina Tembe, a net mender. "
    "A provincial official called it a cowardly attack."
)
HARBOUR_B = (
    "At least five people died when gunmen attacked the Beira fishing harbour on Thursday, "
    "a doctor at the central hospital said. Gunmen killed three fishermen in Beira on Thursday, the port police said."
)
# Untrusted text: markup that must be shown as text, never run.
HOSTILE = (
    "Attackers killed two guards at the depot, police said. "
    "<script>document.body.dataset.pwned = 'script'; alert('script ran')</script> "
    "<img src=\"x\" onerror=\"document.body.dataset.pwned = 'img'; alert('img ran')\"> "
    "<a href=\"javascript:alert('link ran')\" onclick=\"alert('click ran')\">click here</a> "
    "<svg onload=\"alert('svg ran')\"></svg><b onmouseover=\"alert('hover')\">bold</b> & done."
)
BEIRA = Place(name="Beira", geonames_id=1052373, lat=-19.8436, lon=34.8389, admin1="Sofala", country="Mozambique",
              country_code="MZ", feature="city", precision="city")


def _span(art: Article, needle: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = art.text.index(needle, start + 1)
    return Span(article_id=art.id, start=start, end=start + len(needle), text=needle)


def _article(text: str, outlet: str, published: str, title: str, **kw: Any) -> Article:
    return Article(id=article_id(text), source=f"mem:{outlet}", outlet=outlet, title=title, text=text,
                   published=dt.date.fromisoformat(published), published_precision="day", **kw)


def build_handmade(db: Path) -> dict[str, Any]:
    """Write the hand-made store; return the ids the tests look for."""
    a = _article(HARBOUR_A, "Harbour Gazette", "2025-05-02", "Three fishermen shot dead in Beira harbour",
                 byline="Staff reporter", url="https://harbour-gazette.example/beira")
    b = _article(HARBOUR_B, "Coast Wire", "2025-05-03", "Five dead in Beira harbour attack, doctor says",
                 credits=["Harbour Gazette"])
    h = _article(HOSTILE, "<b onmouseover=alert(1)>Depot Times</b>", "2025-06-01",
                 "<img src=x onerror=alert('title')> Depot guards killed", url="javascript:alert('url')")
    police = Speaker(name="port police", kind="organisation")
    doctor = Speaker(name="doctor at the central hospital", anonymous=True, kind="person")
    tembe = Speaker(name="Amina Tembe", role="net mender", kind="person")
    sentence_a = _span(a, "Gunmen killed three fishermen in Beira on Thursday, the port police said.")
    sentence_b1 = _span(b, HARBOUR_B.split(". ")[0] + ".")
    sentence_b2 = _span(b, "Gunmen killed three fishermen in Beira on Thursday, the port police said.")
    claim_a = Claim(id="c-a1", article_id=a.id, speaker=police, speaker_span=_span(a, "the port police"), cue="say",
                    content=_span(a, "Gunmen killed three fishermen in Beira on Thursday"), sentence=sentence_a,
                    direct=False)
    claim_q = Claim(id="c-a2", article_id=a.id, speaker=tembe, speaker_span=_span(a, "Amina Tembe"), cue="say",
                    content=_span(a, "They came at dawn and fired on the boats,"),
                    sentence=_span(a, "\"They came at dawn and fired on the boats,\" said Amina Tembe, a net mender."),
                    direct=True)
    fig_a = Figure(id="f-a1", article_id=a.id, kind="killed", value=3, low=3, high=3, text="three",
                   group="fishermen", speaker=police, claim_id="c-a1", span=_span(a, "three"), sentence=sentence_a)
    fig_b = Figure(id="f-b1", article_id=b.id, kind="killed", low=5, qualifier="at least", text="At least five",
                   group="people", speaker=doctor, span=_span(b, "At least five"), sentence=sentence_b1)
    fig_b2 = Figure(id="f-b2", article_id=b.id, kind="killed", value=3, low=3, high=3, text="three",
                    group="fishermen", speaker=police, span=_span(b, "three"), sentence=sentence_b2)
    framing = Framing(term="cowardly attack", category="condemnation", span=_span(a, "cowardly attack"),
                      speaker=Speaker(name="provincial official", anonymous=True, kind="person"))
    thursday = DateMention(span=_span(a, "Thursday"), start=dt.date(2025, 5, 1), end=dt.date(2025, 5, 1), precision="day",
                           relative=True)
    attack = EventType(code="attack_on_civilians", acled_event_type="Violence against civilians",
                       acled_sub_event_type="Attack", score=1.0)
    gunmen = Actor(name="unidentified gunmen", text="Gunmen", kind="armed_group", side="a")
    fishermen = Actor(name="civilians", text="fishermen", kind="civilians", side="b")
    mentions = [
        Mention(id="m-a", article_id=a.id, event_type=attack, date=thursday, dates=[thursday], place=BEIRA,
                place_span=_span(a, "Beira"), places=[PlaceMention(span=_span(a, "Beira"), place=BEIRA, role="incident")],
                actors=[gunmen, fishermen], figures=[fig_a], claims=[claim_a, claim_q], framing=[framing]),
        Mention(id="m-b", article_id=b.id, event_type=attack, place=BEIRA, places=[
                PlaceMention(span=_span(b, "Beira"), place=BEIRA, role="incident")], actors=[gunmen], figures=[fig_b, fig_b2]),
    ]
    guards = Figure(id="f-h1", article_id=h.id, kind="killed", value=2, low=2, high=2, text="two",
                    group="guards", span=_span(h, "two"),
                    sentence=_span(h, "Attackers killed two guards at the depot, police said."))
    # Evidence spans laid over the markup itself, to check the cutting and escaping.
    tag_claim = Claim(id="c-h1", article_id=h.id, speaker=Speaker(name="police", kind="organisation"), cue="say",
                      content=_span(h, "<script>document.body"), sentence=_span(h, "<script>document.body.dataset"),
                      direct=False)
    mentions.append(Mention(id="m-h", article_id=h.id, event_type=attack, figures=[guards], claims=[tag_claim],
                            places=[PlaceMention(span=_span(h, "<img src=\"x\""), role="unknown")]))
    with open_store(db) as store:
        for art in (a, b, h):
            store.add_outcome(IngestOutcome(source=art.source, article=art))
        for m in mentions:
            store.save_mention(m)
        store.assign(a.id, "s-harbour", dt.date(2025, 5, 1))
        store.assign(b.id, "s-harbour", dt.date(2025, 5, 1))
        store.assign(h.id, "s-depot", None)
        story = Story(id="s-harbour", articles=[StoryArticle(article_id=a.id, relation="original"),
                                                StoryArticle(article_id=b.id, relation="rewrite", copied_from=a.id)])
        store.save_relations(story, [ReuseLink(source_id=a.id, target_id=b.id, share=0.41)])
        store.save_relations(Story(id="s-depot", articles=[StoryArticle(article_id=h.id, relation="republication",
                                                                         copied_from="<i>Wire</i>")]), [])
        store.save_incident(Incident(
            id="i-harbour", story_id="s-harbour", date_start=dt.date(2025, 5, 1), date_end=dt.date(2025, 5, 1),
            date_precision="day", date_evidence=[thursday.span], location=BEIRA, location_evidence=[_span(a, "Beira")],
            actors_a=[gunmen], actors_b=[fishermen], event_type=attack, weapons=["firearm"],
            killed=FigureRange(low=3, best=3, high=5, low_figure="f-a1", best_figure="f-a1", high_figure="f-b1",
                               figures=[fig_a, fig_b, fig_b2], independent_figures=["f-a1", "f-b1"]),
            injured=FigureRange(),
            disagreements=[Disagreement(field="killed", values=[
                DisagreementValue(value="3", speakers=["port police"], article_ids=[a.id, b.id]),
                DisagreementValue(value="at least 5", speakers=["doctor at the central hospital (anonymous)"],
                                  article_ids=[b.id]),
            ])],
            sources=[
                SourceInfo(article_id=a.id, title=a.title, outlet=a.outlet, published=a.published, original_source=None,
                           relation="original"),
                SourceInfo(article_id=b.id, title=b.title, outlet=b.outlet, published=b.published, original_source=None,
                           relation="rewrite", copied_from=a.id),
            ],
            claims=[claim_a, claim_q], framing=[framing], first_reported=dt.date(2025, 5, 2),
        ))
        store.save_incident(Incident(
            id="i-depot", story_id="s-depot", date_start=dt.date(2025, 5, 31), date_end=dt.date(2025, 5, 31),
            date_precision="day", location=None, event_type=attack,
            killed=FigureRange(low=2, best=2, high=2, low_figure="f-h1", best_figure="f-h1", high_figure="f-h1",
                               figures=[guards], independent_figures=["f-h1"]),
            injured=FigureRange(),
            sources=[SourceInfo(article_id=h.id, title=h.title, outlet=h.outlet, published=h.published,
                                original_source=None, relation="republication", copied_from="<i>Wire</i>")],
            claims=[tag_claim], first_reported=dt.date(2025, 6, 1),
        ))
    return {"a": a.id, "b": b.id, "hostile": h.id}


@pytest.fixture(scope="session")
def handmade(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("handmade") / "handmade.sqlite"
    ids = build_handmade(db)
    return {"db": db, **ids}


HOSTILE_JSONL = {
    "title": "<script>alert('title')</script>Gunmen kill four in Mocímboa da Praia",
    "outlet": "<img src=x onerror=alert('outlet')>Cabo Wire",
    "published": "2025-11-03",
    "url": "javascript:alert('url')",
    "text": (
        "Gunmen killed four villagers in Mocímboa da Praia on Sunday, police said. "
        "<script>alert('from the text')</script> Residents said <img src=x onerror=\"alert('img')\"> the "
        "attackers burned <a href=\"javascript:alert('link')\">twelve houses</a> before fleeing."
    ),
}


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus and one hostile report, through the real pipeline."""
    root = tmp_path_factory.mktemp("demo-serve")
    hostile = root / "hostile"
    hostile.mkdir()
    (hostile / "hostile.jsonl").write_text(json.dumps(HOSTILE_JSONL) + "\n", encoding="utf-8")
    db = root / "demo.sqlite"
    run([DEFAULT_CORPUS, hostile], db)
    return db


@pytest.fixture(scope="session")
def seed_db(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("seed-serve") / "seeds.sqlite"
    run([seeds_dir], db)
    return db


class LiveServer:
    """The real app under uvicorn in a thread, on a free port of 127.0.0.1."""

    def __init__(self, db: Path, review: Any = None) -> None:
        import uvicorn

        from rashomon.serve.app import create_app

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(create_app(db, review=review), log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture(scope="session")
def live_server() -> Iterator[Callable[[Path], LiveServer]]:
    """``live_server(db)`` starts (once per db) a real server; all stop at the end of the session."""
    started: dict[Path, LiveServer] = {}

    def start(db: Path) -> LiveServer:
        if db not in started:
            started[db] = LiveServer(db)
        return started[db]

    yield start
    for server in started.values():
        server.stop()


def get_json(url: str) -> dict[str, Any]:
    """A JSON answer of a live server."""
    from urllib.request import urlopen

    with urlopen(url, timeout=10) as res:
        return json.loads(res.read())


def record_errors(page: Any, errors: list[str]) -> None:
    """Collect the page's console errors (CSP violations among them) and uncaught exceptions."""
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser tests need {reason} in CI")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright (pip install playwright)")
    if not Path(CHROMIUM).exists():
        _missing(f"chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
