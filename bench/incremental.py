"""What adding articles to a large store costs, and whether it gives the incidents of a one-shot run.

    python bench/incremental.py [--base 100000] [--new 1000] [--per-day 100] [--db-url URL] [--profile N] [--json]

A seeded stream of ``--base + --new`` synthetic reports is generated (no NLP): incidents with a day,
a town, a province and country, two named participants, an event type and a death toll; each incident
is told by 1-5 reports over a few days, some of them near-copies of another (republications).  Each
report is a real :class:`Article` (text built from the incident's own words and common ones, so text
similarity, named participants and reuse detection all have something to find) with the
:class:`Mention` extraction would have made of it, written through the store API (``add_outcome``,
``save_mention``).  The stream keeps ``--per-day`` reports a day; the ``--new`` reports are the last
ones published, as a day's feed is, and some of them continue incidents of the base.

Three stores:

* **big**: the base written and analysed (setup, timed as ``base_s``), then the new reports added and
  analysed: ``add_to_big_s``;
* **empty**: the same new reports added to an empty store and analysed: ``add_to_empty_s``;
* **once**: base and new reports written together and analysed in one run (``once_s``).

"Analysed" runs the stages ``pipeline.process_pending`` runs after extraction (cluster, reuse,
reconcile, in one transaction, under the run lock); extraction itself is not run, since its cost per
article does not depend on the store.  ``ratio`` = add_to_big_s / add_to_empty_s (goal: at most 2).
The incidents of **big** are compared with those of **once**: stories (sets of articles) and incidents
(field by field, with stories and incidents called by their one-shot names and every list sorted).
Stores are SQLite files in a temporary folder, or, with ``--db-url postgresql://user@host:port``,
three new databases on that server (dropped afterwards).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import pstats
import random
import sys
import tempfile
import time
import uuid
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from rashomon.cluster import cluster_pending
from rashomon.ids import article_id
from rashomon.models import (
    Article,
    DateMention,
    EventType,
    Figure,
    IngestOutcome,
    Mention,
    Place,
    PlaceMention,
    Span,
)
from rashomon.reconcile import reconcile_stories
from rashomon.reconcile.incident import incident_id_for
from rashomon.reuse import update_relations
from rashomon.settings import Settings, load_settings
from rashomon.store import Store, open_store

START = dt.date(2020, 1, 1)
TOWNS = 4000
COMMON = 3000  # common words every report draws from
TYPES = (
    ("armed_clash", "Battles", "Armed clash"),
    ("air_strike", "Explosions/Remote violence", "Air/drone strike"),
    ("bombing", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
)
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def _word(rng: random.Random, syllables: int = 3) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(syllables))


class Stream:
    """The seeded generator of reports (articles with their mentions) in publication order."""

    def __init__(self, n: int, per_day: int, seed: int = 17) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.n, self.days = n, max(1, n // per_day)
        self.common = [_word(rng, 2) for _ in range(COMMON)]
        self.towns: list[tuple[str, float, float, str, str]] = []
        for t in range(TOWNS):
            lat, lon = rng.uniform(-30, 55), rng.uniform(-120, 140)
            cc = f"Q{int((lon + 120) // 26)}{int((lat + 30) // 17)}"
            self.towns.append((_word(rng).capitalize(), lat, lon, cc, f"{cc}-{t % 7}"))

    def reports(self) -> list[tuple[Article, Mention]]:
        rng = self.rng
        out: list[tuple[Article, Mention]] = []
        incident = 0
        while len(out) < self.n:
            incident += 1
            day = START + dt.timedelta(days=rng.randrange(self.days))
            town = self.towns[rng.randrange(TOWNS)]
            names = [f"{_word(rng).capitalize()} {_word(rng).capitalize()}" for _ in range(2)]
            own = [_word(rng, 4) for _ in range(40)]
            kind = TYPES[rng.randrange(len(TYPES))]
            toll = rng.randint(1, 60)
            bodies: list[str] = []
            for _ in range(min(rng.randint(1, 5), self.n - len(out))):
                published = day + dt.timedelta(days=rng.randint(0, 3))
                outlet = f"Outlet {_word(rng, 2).capitalize()}"
                if bodies and rng.random() < 0.15:  # a republication of an earlier report
                    body = rng.choice(bodies)
                else:
                    words = rng.sample(own, 25) + [rng.choice(self.common) for _ in range(70)]
                    rng.shuffle(words)
                    said = toll + rng.randint(-3, 3)
                    body = (f"{names[0]} and {names[1]} were among those named. At least {max(1, said)} people "
                            f"were killed in {town[0]} on {day.isoformat()}, officials said. " + " ".join(words) + ".")
                    bodies.append(body)
                out.append(self._report(len(out), body, outlet, published, day, town, kind, rng.random()))
        out.sort(key=lambda r: (r[0].published or dt.date.max, r[0].id))
        return out

    @staticmethod
    def _report(i: int, body: str, outlet: str, published: dt.date, day: dt.date, town: tuple, kind: tuple,
                draw: float) -> tuple[Article, Mention]:
        text = f"{outlet} report {i}.\n{body}"
        aid = article_id(text)
        art = Article(id=aid, source=f"bench:{i}", outlet=outlet, title=f"Report {i}", published=published,
                      published_precision="day", text=text)

        def span(needle: str) -> Span:
            start = text.index(needle)
            return Span(article_id=aid, start=start, end=start + len(needle), text=needle)

        name, lat, lon, cc, admin1 = town
        fine, coarse = draw < 0.75, draw < 0.9
        place = Place(name=name if fine else admin1, lat=lat if fine else None, lon=lon if fine else None,
                      admin1=admin1 if coarse else None, country=cc if coarse else None,
                      country_code=cc if coarse else None, precision="city" if fine else "admin1")
        date = DateMention(span=span(day.isoformat()), start=day, end=day, precision="day") if draw < 0.8 else None
        toll_text = text[text.index("At least") :].split(" people")[0]
        value = int(toll_text.split()[-1])
        fig = Figure(id=f"f{aid[1:13]}", article_id=aid, kind="killed", low=value, qualifier="at least",
                     text=toll_text, span=span(toll_text), sentence=span(toll_text))
        code, acled, sub = kind
        return art, Mention(
            id="m" + aid[1:], article_id=aid, event_type=EventType(code=code, acled_event_type=acled,
                                                                   acled_sub_event_type=sub, score=1.0),
            date=date, dates=[date] if date else [], place=place if coarse else None,
            place_span=span(name) if coarse else None,
            places=[PlaceMention(span=span(name), place=place, role="incident")] if coarse else [],
            figures=[fig],
        )


def write(store: Store, reports: list[tuple[Article, Mention]], one_transaction: bool) -> float:
    """Store reports as ingest and extract do (one transaction per write unless ``one_transaction``)."""
    t0 = time.perf_counter()
    with store.run_lock(), store.transaction() if one_transaction else nullcontext():
        for art, mention in reports:
            store.add_outcome(IngestOutcome(source=art.source, article=art))
            store.save_mention(mention)
    return time.perf_counter() - t0


def analyse(store: Store, settings: Settings) -> dict[str, float]:
    """The stages ``process_pending`` runs after extraction, timed one by one."""
    times: dict[str, float] = {}
    with store.run_lock(), store.transaction():
        t0 = time.perf_counter()
        story_ids = cluster_pending(store, settings.cluster)
        t1 = time.perf_counter()
        update_relations(store, story_ids, settings.reuse)
        t2 = time.perf_counter()
        reconcile_stories(store, story_ids, settings)
        t3 = time.perf_counter()
    times.update(cluster_s=t1 - t0, reuse_s=t2 - t1, reconcile_s=t3 - t2, stories_touched=len(story_ids))
    return times


def stories(store: Store) -> dict[frozenset[str], str]:
    members: dict[str, set[str]] = {}
    for story_id, aid in store.query("SELECT story_id, article_id FROM story_articles"):
        members.setdefault(story_id, set()).add(aid)
    return {frozenset(ids): sid for sid, ids in members.items()}


def _sorted_lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted_lists(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_sorted_lists(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def compare(big: Store, once: Store) -> dict[str, int]:
    """How the incremental store differs from the one-shot one."""
    s_big, s_once = stories(big), stories(once)
    renames: dict[str, str] = {}
    for members, sid in s_big.items():
        if members in s_once and s_once[members] != sid:
            renames[sid] = s_once[members]
            renames[incident_id_for(sid)] = incident_id_for(s_once[members])
    inc_once = {i.id: json.loads(i.model_dump_json()) for i in once.incidents()}
    inc_big = {}
    for inc in big.incidents():
        text = inc.model_dump_json()
        for old in (inc.id, inc.story_id):
            if old in renames:
                text = text.replace(f'"{old}"', f'"{renames[old]}"')
        doc = json.loads(text)
        inc_big[doc["id"]] = doc
    common = set(inc_big) & set(inc_once)
    return {
        "stories": len(s_once),
        "stories_only_in_once": len(set(s_once) - set(s_big)),
        "stories_only_in_incremental": len(set(s_big) - set(s_once)),
        "stories_renamed": len(renames) // 2,
        "incidents": len(inc_once),
        "incidents_missing": len(set(inc_once) - set(inc_big)),
        "incidents_extra": len(set(inc_big) - set(inc_once)),
        "incidents_identical": sum(inc_big[k] == inc_once[k] for k in common),
        "incidents_same_but_list_order": sum(
            inc_big[k] != inc_once[k] and _sorted_lists(inc_big[k]) == _sorted_lists(inc_once[k]) for k in common
        ),
        "incidents_different": sum(_sorted_lists(inc_big[k]) != _sorted_lists(inc_once[k]) for k in common),
    }


class Stores:
    """New, empty stores: SQLite files in a temporary folder, or databases on a PostgreSQL server."""

    def __init__(self, db_url: str | None) -> None:
        self.db_url = db_url.rstrip("/") if db_url else None
        self.tmp = tempfile.TemporaryDirectory(prefix="rashomon-bench-")
        self.made: list[str] = []

    def new(self, name: str) -> Store:
        if self.db_url is None:
            return open_store(Path(self.tmp.name) / f"{name}.sqlite")
        import psycopg

        db = f"bench_{name}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(f"{self.db_url}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {db}")
        self.made.append(db)
        return open_store(f"{self.db_url}/{db}")

    def close(self) -> None:
        if self.db_url is not None and self.made:
            import psycopg

            with psycopg.connect(f"{self.db_url}/postgres", autocommit=True) as conn:
                for db in self.made:
                    conn.execute(f"DROP DATABASE IF EXISTS {db}")
        self.tmp.cleanup()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", type=int, default=100_000, help="reports already in the big store")
    ap.add_argument("--new", type=int, default=1000, help="reports added")
    ap.add_argument("--per-day", type=int, default=100, help="reports a day in the generated stream")
    ap.add_argument("--db-url", help="postgresql://user@host:port: run on new databases of this server")
    ap.add_argument("--no-compare", action="store_true", help="skip the one-shot run and the comparison")
    ap.add_argument("--profile", type=int, metavar="N",
                    help="profile the addition to the big store (its times then include the profiler's overhead); print its N costliest functions to stderr")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()

    def say(msg: str) -> None:  # progress on stderr (the result goes to stdout)
        print(msg, file=sys.stderr, flush=True)

    settings = load_settings()
    t0 = time.perf_counter()
    reports = Stream(args.base + args.new, args.per_day).reports()
    base, new = reports[: args.base], reports[args.base :]
    say(f"generated {len(reports)} reports in {time.perf_counter() - t0:.1f}s")
    stores = Stores(args.db_url)
    out: dict[str, Any] = {"base": args.base, "new": args.new, "per_day": args.per_day,
                           "engine": "postgresql" if args.db_url else "sqlite"}
    try:
        with stores.new("big") as big:
            w = write(big, base, one_transaction=True)
            a = analyse(big, settings)
            out["base_s"] = round(w + a["cluster_s"] + a["reuse_s"] + a["reconcile_s"], 2)
            say(f"base store: {out['base_s']}s")
            w = write(big, new, one_transaction=False)
            profiler = cProfile.Profile() if args.profile else None
            with profiler or nullcontext():
                a = analyse(big, settings)
            if profiler is not None:
                pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(args.profile)
            add_big = {"write_s": w, **a}
            with stores.new("empty") as empty:
                w = write(empty, new, one_transaction=False)
                a = analyse(empty, settings)
                add_empty = {"write_s": w, **a}
            for key, row in (("add_to_big", add_big), ("add_to_empty", add_empty)):
                total = row["write_s"] + row["cluster_s"] + row["reuse_s"] + row["reconcile_s"]
                out[key + "_s"] = round(total, 3)
                out[key] = {k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}
            out["ratio"] = round(out["add_to_big_s"] / out["add_to_empty_s"], 2)
            say(f"adding {args.new}: {out['add_to_big_s']}s to the big store, {out['add_to_empty_s']}s to an "
                f"empty one: x{out['ratio']}")
            if not args.no_compare:
                with stores.new("once") as once:
                    t1 = time.perf_counter()
                    write(once, reports, one_transaction=True)
                    analyse(once, settings)
                    out["once_s"] = round(time.perf_counter() - t1, 2)
                    say(f"one run of all {len(reports)}: {out['once_s']}s")
                    out["compare"] = compare(big, once)
                    out["same_incidents"] = (
                        out["compare"]["incidents_identical"] == out["compare"]["incidents"]
                        and not out["compare"]["incidents_extra"]
                    )
    finally:
        stores.close()
    print(json.dumps(out) if args.json else json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
