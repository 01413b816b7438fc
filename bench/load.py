"""Load on the HTTP API: a big generated store, a real ``rashomon serve``, a bounded number of requests.

    python bench/load.py [--incidents 10000] [--per-incident 5] [--requests 500] [--connections 4]
                         [--db PATH] [--json]

1. Fills a store with ``--incidents`` incidents of ``--per-incident`` articles each (10,000 x 5 =
   50,000 articles by default), written through the Store API (articles, mentions with a figure and
   a claim each, stories, reuse relations, incidents); no NLP.  The texts are generated from
   templates, so every article is distinct and searches find something.  With ``--db`` an existing
   store of the right size is reused (filling takes a few minutes).
2. Starts ``rashomon serve`` on 127.0.0.1 and a free port: a second process.
3. From this process, sends ``--requests`` requests per scenario over ``--connections`` keep-alive
   connections (one thread each): the incident list (``/incidents.json``, random page), an incident
   page (``/incidents/{id}``, HTML, random incident) and a search (``/articles.json?q=...``, random
   word).  Each scenario stops after its requests or ``--max-seconds``, whichever comes first.
4. Reports, per scenario: requests, errors (any status but 200, or a failed connection), requests/s,
   p50 and p99 latency in milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rashomon.ids import article_id
from rashomon.models import (
    Actor,
    Article,
    Claim,
    EventType,
    Figure,
    FigureRange,
    Incident,
    IngestOutcome,
    Mention,
    Place,
    SourceInfo,
    Span,
    Speaker,
    Story,
    StoryArticle,
)
from rashomon.store import open_store

TOWNS = [("Gao", "Mali", 16.27, -0.04), ("Kano", "Nigeria", 12.0, 8.52), ("Beni", "DR Congo", 0.49, 29.47),
         ("Kismayo", "Somalia", -0.36, 42.55), ("Diffa", "Niger", 13.32, 12.61), ("Mosul", "Iraq", 36.34, 43.13),
         ("Taiz", "Yemen", 13.58, 44.02), ("Pemba", "Mozambique", -12.97, 40.52), ("Djibo", "Burkina Faso", 14.1, -1.63),
         ("Bamenda", "Cameroon", 5.96, 10.15), ("Herat", "Afghanistan", 34.35, 62.2), ("Maroua", "Cameroon", 10.59, 14.32)]
TARGETS = ["market", "bus station", "checkpoint", "mosque", "church", "village", "camp", "school", "clinic", "convoy"]
ATTACKERS = ["Gunmen", "Armed men", "Suspected militants", "Fighters", "Unidentified attackers", "Raiders"]
SPEAKERS = ["police", "a local official", "the governor", "residents", "a hospital doctor", "the army"]
OUTLETS = ["Sahel Courier", "River Post", "Daily Ledger", "Frontier Wire", "Morning Signal", "Plains Herald",
           "Coast Times", "Highland News"]
SEARCH_WORDS = ["market", "checkpoint", "convoy", "clinic", "motorcycles", "Gao", "Kano", "governor", "dawn",
                "wounded", '"bus station"', "raiders fled"]
ATTACK = EventType(code="attack_on_civilians", acled_event_type="Violence against civilians",
                   acled_sub_event_type="Attack", score=1.0)


# --------------------------------------------------------------------------- the store

def _text(k: int, j: int, rnd: random.Random, town: str, killed: int) -> str:
    target, attackers, speaker = rnd.choice(TARGETS), rnd.choice(ATTACKERS), rnd.choice(SPEAKERS)
    return (
        f"{attackers} killed {killed + j} people in an attack on a {target} in {town} on the night of report {k}-{j}, "
        f"{speaker} said. The attackers arrived on motorcycles shortly before dawn and set fire to shops and "
        f"vehicles before fleeing towards the border, witnesses said. {rnd.randint(3, 40)} wounded people were taken "
        f"to the regional hospital, where doctors said several were in a serious condition. Security forces "
        f"deployed to {town} later in the day and a curfew was announced. No group has claimed responsibility, "
        f"and officials gave conflicting tolls as families searched for relatives."
    )


def _span(art: Article, needle: str) -> Span:
    start = art.text.index(needle)
    return Span(article_id=art.id, start=start, end=start + len(needle), text=needle)


def _incident_records(k: int, per: int, rnd: random.Random) -> tuple[list[Article], list[Mention], Incident]:
    town, country, lat, lon = TOWNS[k % len(TOWNS)]
    day = dt.date(2020, 1, 1) + dt.timedelta(days=k % 1800)
    killed = rnd.randint(2, 60)
    place = Place(name=town, lat=lat, lon=lon, country=country, admin1=f"{town} region", precision="city")
    articles, mentions, figures, claims = [], [], [], []
    for j in range(per):
        text = _text(k, j, rnd, town, killed)
        art = Article(id=article_id(text), source=f"bench:{k}:{j}", outlet=OUTLETS[(k + j) % len(OUTLETS)],
                      title=f"{killed + j} killed in {town} attack ({k}-{j})", published=day + dt.timedelta(days=j),
                      published_precision="day", language="en", text=text)
        sentence = _span(art, art.text.split(". ")[0] + ".")
        speaker = Speaker(name=sentence.text.rsplit(", ", 1)[-1].removesuffix(" said."), kind="organisation")
        figure = Figure(id=f"f{k}-{j}", article_id=art.id, kind="killed", value=killed + j, low=killed + j,
                        high=killed + j, text=str(killed + j), group="people", speaker=speaker,
                        span=_span(art, str(killed + j)), sentence=sentence)
        claim = Claim(id=f"c{k}-{j}", article_id=art.id, speaker=speaker, cue="say",
                      content=Span(article_id=art.id, start=0, end=sentence.end - 1, text=art.text[: sentence.end - 1]),
                      sentence=sentence, direct=False)
        articles.append(art)
        figures.append(figure)
        claims.append(claim)
        mentions.append(Mention(id=f"m{k}-{j}", article_id=art.id, event_type=ATTACK, place=place,
                                actors=[Actor(name="unidentified gunmen", text="Gunmen", kind="armed_group", side="a")],
                                figures=[figure], claims=[claim]))
    incident = Incident(
        id=f"i{k:06d}bench", story_id=f"s{k:06d}bench", date_start=day, date_end=day, date_precision="day",
        location=place, event_type=ATTACK,
        actors_a=[Actor(name="unidentified gunmen", text="Gunmen", kind="armed_group", side="a")],
        killed=FigureRange(low=killed, best=killed, high=killed + per - 1, low_figure=figures[0].id,
                           best_figure=figures[0].id, high_figure=figures[-1].id, figures=figures,
                           independent_figures=[f.id for f in figures]),
        injured=FigureRange(), claims=claims, first_reported=day,
        sources=[SourceInfo(article_id=a.id, title=a.title, outlet=a.outlet, published=a.published, original_source=None,
                            relation="original" if j == 0 else "rewrite", copied_from=None if j == 0 else articles[0].id)
                 for j, a in enumerate(articles)],
    )
    return articles, mentions, incident


def fill(db: Path, n_incidents: int, per: int, seed: int = 1) -> dict[str, Any]:
    """Write the generated store (or reuse one of the right size); return its size and the fill time."""
    began = time.monotonic()
    with open_store(db) as store:
        have = store.query("SELECT COUNT(*) FROM incidents")[0][0]
        if have != n_incidents:
            if have:
                raise SystemExit(f"{db} holds {have} incidents, not {n_incidents}: give a new --db")
            rnd = random.Random(seed)
            for start in range(0, n_incidents, 200):
                with store.transaction():  # one commit per 200 incidents
                    for k in range(start, min(start + 200, n_incidents)):
                        articles, mentions, incident = _incident_records(k, per, rnd)
                        for art in articles:
                            store.add_outcome(IngestOutcome(source=art.source, article=art))
                        for mention in mentions:
                            store.save_mention(mention)
                        for art in articles:
                            store.assign(art.id, incident.story_id, incident.date_start)
                        store.save_relations(Story(id=incident.story_id, articles=[
                            StoryArticle(article_id=s.article_id, relation=s.relation, copied_from=s.copied_from)
                            for s in incident.sources]), [])
                        store.save_incident(incident)
        counts = {"incidents": store.query("SELECT COUNT(*) FROM incidents")[0][0],
                  "articles": store.query("SELECT COUNT(*) FROM articles")[0][0]}
        ids = [r[0] for r in store.query("SELECT id FROM incidents")]
    return {**counts, "fill_seconds": round(time.monotonic() - began, 1), "db_bytes": db.stat().st_size, "ids": ids}


# --------------------------------------------------------------------------- the load

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: Path, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """``rashomon serve`` in its own process, on loopback; returns when it answers."""
    port = _free_port()
    command = [sys.executable, "-m", "rashomon.cli", "serve", "--db", str(db), "--port", str(port)]
    out = log.open("wb")
    server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    for _ in range(1200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, port
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"rashomon serve exited: see {log}") from None
            time.sleep(0.1)
    server.kill()
    raise SystemExit("rashomon serve did not start")


def drive(port: int, targets: list[str], connections: int, max_seconds: float) -> dict[str, Any]:
    """Send every target once over ``connections`` keep-alive connections; latencies and errors."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    queue = list(reversed(targets))
    deadline = time.monotonic() + max_seconds

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                if not queue:
                    break
                target = queue.pop()
            began = time.perf_counter()
            try:
                conn.request("GET", target, headers={"Accept": "text/html" if not target.split("?")[0].endswith(".json")
                                                     else "application/json"})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = -1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                target += f" ({type(error).__name__})"
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors.append(f"{status} {target}")
        conn.close()

    began = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(1000 * ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1) if ordered else 0.0

    return {"requests": len(latencies), "errors": len(errors), "error_samples": errors[:5],
            "rps": round(len(latencies) / wall, 1) if wall else 0.0, "p50_ms": pct(0.50), "p99_ms": pct(0.99),
            "mean_ms": round(1000 * statistics.fmean(ordered), 1) if ordered else 0.0}


def scenarios(ids: list[str], n_incidents: int, n: int, rnd: random.Random) -> dict[str, list[str]]:
    pages = max(1, n_incidents // 25)
    return {
        "list": [f"/incidents.json?page={rnd.randint(1, min(pages, 10_000))}&per_page=25" for _ in range(n)],
        "incident": [f"/incidents/{rnd.choice(ids)}" for _ in range(n)],
        "search": [f"/articles.json?q={quote(rnd.choice(SEARCH_WORDS))}&per_page=25" for _ in range(n)],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--incidents", type=int, default=10_000)
    ap.add_argument("--per-incident", type=int, default=5, help="articles per incident")
    ap.add_argument("--requests", type=int, default=500, help="requests per scenario")
    ap.add_argument("--connections", type=int, default=4, help="concurrent keep-alive connections")
    ap.add_argument("--max-seconds", type=float, default=300.0, help="time cap per scenario")
    ap.add_argument("--db", type=Path, help="store to fill or reuse (default: a temporary file)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "load.sqlite"
        store = fill(db, args.incidents, args.per_incident, args.seed)
        ids = store.pop("ids")
        server, port = start_server(db, Path(tmp) / "serve.log")
        try:
            rnd = random.Random(args.seed)
            drive(port, ["/incidents.json", f"/incidents/{ids[0]}", "/articles.json?q=market"], 1, 60)  # warm up
            results = {name: drive(port, targets, args.connections, args.max_seconds)
                       for name, targets in scenarios(ids, args.incidents, args.requests, rnd).items()}
        finally:
            server.terminate()
            server.wait(30)
    report = {"store": store, "connections": args.connections, "requests_per_scenario": args.requests,
              "scenarios": results}
    if args.json:
        print(json.dumps(report, indent=1))
        return
    print(f"store: {store['incidents']} incidents, {store['articles']} articles, {store['db_bytes'] / 1e6:.0f} MB "
          f"(filled in {store['fill_seconds']} s)")
    print(f"{'scenario':<10} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for name, r in results.items():
        print(f"{name:<10} {r['requests']:>8} {r['errors']:>6} {r['rps']:>8} {r['p50_ms']:>8} {r['p99_ms']:>8}")


if __name__ == "__main__":
    main()
