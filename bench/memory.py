"""Peak memory of a whole `analyse` run against corpus size: does it stay flat?

    python bench/memory.py [--sizes 10000,100000] [--engine template|local|process] [--json]

For each size a corpus is generated (synthetic reports written from this file's templates: one
to four outlets report each incident, with rewrites, republications and disagreeing figures; a
steady ~100 articles a day, so a larger corpus covers a longer period, as a growing archive
does), written as JSONL files of 2,000 articles, and analysed by ``rashomon.pipeline.run`` in a
fresh subprocess, which reports its own peak resident set size (``ru_maxrss``) after each stage.
``ratio`` = peak of the largest size / peak of the smallest (goal: at most 1.5).

``--engine template`` (default) extracts with :class:`TemplateEngine`, a cheap reader of the
templates' own wording, so that 100,000 articles take minutes, not hours; everything else (the
streaming extract stage, store, clustering, reuse, reconciliation) is the product's own code.
``--engine local`` / ``process`` use the spaCy pipeline (use small sizes: ~15-40 ms an article).

    python bench/memory.py --big-text 100 [--analyse-chars 1500000] [--json]

One plain-text file of that many MB (invented paragraphs), analysed by ``rashomon.pipeline.run`` in a
fresh subprocess with the default settings (rejected by ``ingest.max_bytes`` from its size alone), then
with ``max_bytes`` raised above it (read and decoded, then rejected by ``ingest.max_text_chars`` before
any cleaning); ``--analyse-chars N`` adds a text of N characters, under the limit, analysed in pieces.
Each run reports its outcome and peak RSS (docs/reliability.md, "Faults inside a run").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Self

from rashomon.models import Article, DateMention, Figure, Mention, Place, PlaceMention, Span

PER_FILE = 2000
PER_DAY = 100
START = dt.date(2019, 1, 1)

# Countries with a box (lat, lon ranges) where the generated towns lie.
COUNTRIES = [
    ("Mali", "ML", (11.0, 20.0), (-11.0, 3.0)), ("Nigeria", "NG", (5.0, 13.0), (3.0, 14.0)),
    ("Iraq", "IQ", (30.0, 37.0), (39.0, 47.0)), ("Afghanistan", "AF", (30.0, 37.0), (61.0, 71.0)),
    ("DR Congo", "CD", (-10.0, 4.0), (13.0, 30.0)), ("Colombia", "CO", (0.0, 11.0), (-77.0, -68.0)),
    ("United States", "US", (30.0, 47.0), (-120.0, -75.0)), ("Pakistan", "PK", (25.0, 36.0), (62.0, 75.0)),
    ("Philippines", "PH", (6.0, 18.0), (118.0, 126.0)), ("Somalia", "SO", (-1.0, 11.0), (41.0, 51.0)),
]
SYLLABLES = ["ka", "lo", "ma", "ri", "so", "ten", "bu", "da", "gor", "ha", "ni", "zu", "el", "an", "mo", "ba",
             "tar", "ki", "lu", "sa", "ve", "do", "ra", "mi"]


def _towns(n: int = 600, seed: int = 3) -> list[tuple[str, str, str, str, float, float]]:
    """``n`` invented towns: (name, admin1, country, code, lat, lon), names unique."""
    rng = random.Random(seed)
    towns: dict[str, tuple[str, str, str, str, float, float]] = {}
    while len(towns) < n:
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        country, code, (lat0, lat1), (lon0, lon1) = rng.choice(COUNTRIES)
        lat, lon = round(rng.uniform(lat0, lat1), 3), round(rng.uniform(lon0, lon1), 3)
        towns.setdefault(name, (name, f"{country} Province {int(lat) % 7 + 1}", country, code, lat, lon))
    return list(towns.values())


TOWNS = _towns()
OUTLETS = ["Harbour Gazette", "Valley Courier", "Plains Observer", "River Times", "Coast Herald",
           "Northern Ledger", "Daily Lantern", "Evening Signal", "Border Monitor", "Metro Wire"]
NUMBERS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
ATTACKERS = ["gunmen", "militants", "unidentified attackers", "a group of armed men", "two masked men"]
PLACES_HIT = ["a market", "a checkpoint", "a wedding party", "a bus station", "a police post", "a crowded cafe"]
SPEAKERS = ["police said", "a hospital official said", "the provincial governor said", "local residents said",
            "the interior ministry said in a statement", "a spokesman for the security forces said"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
FILLER = [
    "The area had been calm for several weeks before the attack.",
    "Security forces sealed off the neighbourhood and began a search of nearby buildings.",
    "No group has so far said it carried out the attack.",
    "Witnesses described hearing several bursts of gunfire before people fled into side streets.",
    "The wounded were taken to the main hospital, where doctors appealed for blood donations.",
    "Shops in the district stayed closed on the following day as mourners gathered.",
    "Officials promised an investigation and more patrols in the coming weeks.",
    "Residents said that the road had been the scene of similar violence last year.",
]


def _report(rng: random.Random, town: tuple, day: dt.date, killed: int, injured: int, published: dt.date) -> str:
    weekday = WEEKDAYS[day.weekday()]
    lead = (f"{rng.choice(ATTACKERS).capitalize()} opened fire on {rng.choice(PLACES_HIT)} in {town[0]}, "
            f"{town[2]}, on {weekday}, killing {NUMBERS[killed]} people and wounding {NUMBERS[injured]} others, "
            f"{rng.choice(SPEAKERS)}.")
    body = rng.sample(FILLER, k=rng.randint(3, 6))
    figures = f"{NUMBERS[killed].capitalize()} people were killed and {NUMBERS[injured]} were injured, {rng.choice(SPEAKERS)}."
    title = f"{NUMBERS[killed].capitalize()} killed in {town[0]} attack"
    return "\n\n".join([title, lead, *body[:2], figures, *body[2:]])


def articles(n: int, seed: int = 7) -> Iterator[dict[str, str]]:
    """``n`` JSONL records: incidents at ~PER_DAY articles a day, each told by 1-4 outlets."""
    rng = random.Random(seed)
    made = 0
    incident = 0
    while made < n:
        day = START + dt.timedelta(days=made // PER_DAY)
        town = rng.choice(TOWNS)
        killed, injured = rng.randint(1, 12), rng.randint(0, 12)
        text = ""
        for k in range(min(rng.randint(1, 4), n - made)):
            published = day + dt.timedelta(days=rng.randint(0, 1))
            if k and rng.random() < 0.3:  # a republication with the outlet's own header
                text = f"({rng.choice(OUTLETS)}) {text}"
            else:  # a rewrite, sometimes with another count
                k_killed = max(1, min(12, killed + rng.choice([0, 0, 0, 1, -1])))
                text = _report(rng, town, day, k_killed, injured, published)
            yield {"text": text + f"\n\nReport {incident}-{k}.", "outlet": rng.choice(OUTLETS),
                   "published": published.isoformat(), "title": text.split("\n", 1)[0]}
            made += 1
        incident += 1


def write_corpus(n: int, folder: Path) -> Path:
    """The corpus of ``n`` articles as JSONL files of PER_FILE articles in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = None
    for i, rec in enumerate(articles(n)):
        if i % PER_FILE == 0:
            if out is not None:
                out.close()
            out = (folder / f"part{i // PER_FILE:05d}.jsonl").open("w", encoding="utf-8")
        assert out is not None
        out.write(json.dumps(rec) + "\n")
    if out is not None:
        out.close()
    return folder


# --------------------------------------------------------------------------- the template engine

_PLACE = re.compile(r"\bin ([A-Z][a-z]+), ([A-Z][A-Za-z ]+), on (\w+day)")
_COUNTS = re.compile(r"\b(\w+) people were killed and (\w+) were injured")
_BY_TOWN = {t[0]: t for t in TOWNS}


def _span(art: Article, start: int, end: int) -> Span:
    return Span(article_id=art.id, start=start, end=end, text=art.text[start:end])


class TemplateEngine:
    """Reads place, date and figures from the templates' wording (no NLP model)."""

    name = "template"

    def extract(self, items: Iterable[Article]) -> Iterator[Mention]:
        for art in items:
            yield self.mention(art)

    def mention(self, art: Article) -> Mention:
        mention = Mention(id="m" + art.id[1:], article_id=art.id)
        if (m := _PLACE.search(art.text)) and m.group(1) in _BY_TOWN:
            name, admin1, country, code, lat, lon = _BY_TOWN[m.group(1)]
            place = Place(name=name, admin1=admin1, country=country, country_code=code, lat=lat, lon=lon,
                          feature="city", precision="city")
            mention.place, mention.place_span = place, _span(art, m.start(1), m.end(1))
            mention.places = [PlaceMention(span=mention.place_span, place=place, role="incident")]
            if art.published is not None:
                back = (art.published.weekday() - WEEKDAYS.index(m.group(3))) % 7
                day = art.published - dt.timedelta(days=back)
                mention.date = DateMention(span=_span(art, m.start(3), m.end(3)), start=day, end=day,
                                           precision="day", relative=True)
                mention.dates = [mention.date]
        if m := _COUNTS.search(art.text):
            sentence = _span(art, m.start(), m.end())
            for group, kind in ((1, "killed"), (2, "injured")):
                value = NUMBERS.index(m.group(group).lower()) if m.group(group).lower() in NUMBERS else None
                mention.figures.append(Figure(
                    id=f"f{art.id[1:]}{group}", article_id=art.id, kind=kind, value=value, low=value, high=value,  # type: ignore[arg-type]
                    text=m.group(group), group="people", span=_span(art, m.start(group), m.end(group)),
                    sentence=sentence))
        return mention

    def close(self) -> None:
        pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


# --------------------------------------------------------------------------- one run (child process)


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: KiB


def _record_stage_peaks(pipeline: object, peaks: dict[str, float]) -> None:
    """Wrap the pipeline's stage calls to note the peak RSS after each (instrumentation only)."""
    for stage in ("extract_pending", "cluster_pending", "update_relations", "reconcile_stories"):
        call = getattr(pipeline, stage)

        def wrapped(*args: object, _call: object = call, _stage: str = stage, **kwargs: object) -> object:
            out = _call(*args, **kwargs)  # type: ignore[operator]
            peaks[_stage] = _peak_mb()
            return out

        setattr(pipeline, stage, wrapped)


def _speed_only_patches(store: object) -> None:
    """A change that shortens the run and leaves memory and results alone (docs/performance.md):
    the store syncs its WAL at checkpoints instead of at every commit."""
    store.conn.execute("PRAGMA synchronous=NORMAL")  # type: ignore[attr-defined]


def child(corpus: Path, db: Path, engine_name: str, fast: bool) -> dict[str, object]:
    """Analyse ``corpus`` into ``db``; peak RSS after loading, ingest and each later stage."""
    from rashomon import pipeline
    from rashomon.engine import make_engine
    from rashomon.settings import load_settings
    from rashomon.store import open_store

    settings = load_settings()
    engine = TemplateEngine() if engine_name == "template" else make_engine(engine_name)
    if engine_name != "template":
        from rashomon.extract.nlp import shared_nlp
        from rashomon.geo.gazetteer import get_gazetteer

        shared_nlp()
        get_gazetteer()
    peaks: dict[str, float] = {"loaded": _peak_mb()}
    _record_stage_peaks(pipeline, peaks)
    t0 = time.perf_counter()
    with engine, open_store(db) as store:
        if fast:
            _speed_only_patches(store)
        report = pipeline.ingest([corpus], store, settings)
        peaks["ingest"] = _peak_mb()
        result = pipeline.process_pending(store, settings, engine=engine)
        n_incidents = len(result.incidents)
    return {"articles": report.ingested, "incidents": n_incidents, "seconds": round(time.perf_counter() - t0, 1),
            "peak_rss_mb": _peak_mb(), "peaks_mb": peaks}


BIG_WORDS = ["north", "river", "mill", "orchard", "harbour", "quarry", "meadow", "chapel", "ledger", "bridge",
             "granary", "ferry", "forge", "market", "tannery", "well"]


def write_big_text(path: Path, chars: int) -> Path:
    """A plain-text file of ``chars`` characters: an invented report and paragraphs of minutes."""
    rng = random.Random(11)
    with path.open("w", encoding="utf-8") as out:
        size = out.write("Flood wall breaks at Marrowdene\n\nA flood wall broke at Marrowdene on Monday, the mayor said.\n\n")
        while size < chars:
            a, b, c = rng.sample(BIG_WORDS, 3)
            line = f"The {a} committee met again and the {b} survey was read aloud before the {c} repairs were approved.\n\n"
            size += out.write(line[: chars - size])
    return path


def big_child(text: Path, db: Path, max_bytes: int | None) -> dict[str, object]:
    """``rashomon.pipeline.run`` over one big text; its outcome, time and peak RSS."""
    from dataclasses import replace

    from rashomon import pipeline
    from rashomon.settings import load_settings

    settings = load_settings()
    if max_bytes is not None:
        settings = replace(settings, ingest=replace(settings.ingest, max_bytes=max_bytes))
    t0 = time.perf_counter()
    result = pipeline.run([text], db, settings)
    reasons = [reason for _, reason in result.ingest.rejections]
    return {"chars": text.stat().st_size, "ingested": result.ingest.ingested, "rejected": reasons,
            "analysed": result.extracted, "failed": result.failed, "seconds": round(time.perf_counter() - t0, 1),
            "peak_rss_mb": _peak_mb()}


def big_text(mb: int, analyse_chars: int, as_json: bool) -> None:
    """The runs of ``--big-text`` (see the module docstring), each in a fresh process."""
    runs: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        cases = [("default settings", write_big_text(Path(tmp) / "big.txt", mb * 1_000_000), None),
                 ("max_bytes above the file", Path(tmp) / "big.txt", 2 * mb * 1_000_000)]
        if analyse_chars:
            cases.append(("analysed in pieces", write_big_text(Path(tmp) / "long.txt", analyse_chars), None))
        for i, (name, path, max_bytes) in enumerate(cases):
            cmd = [sys.executable, __file__, "--big-child", str(path), str(Path(tmp) / f"{i}.sqlite"),
                   str(max_bytes or 0)]
            done = subprocess.run(cmd, check=False, capture_output=True, text=True)
            if done.returncode:
                sys.exit(f"the run {name!r} failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
            runs[name] = json.loads(done.stdout.strip().splitlines()[-1])
            if not as_json:
                print(name, runs[name], flush=True)
    if as_json:
        print(json.dumps({"big_text_mb": mb, "runs": runs}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000", help="corpus sizes, comma-separated")
    ap.add_argument("--engine", default="template", choices=["template", "local", "process"])
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--exact-io", action="store_true",
                    help="no speed-only patches (per-story LSH parameter search, a WAL sync per commit)")
    ap.add_argument("--big-text", type=int, metavar="MB", help="one text file of MB megabytes instead of a corpus")
    ap.add_argument("--analyse-chars", type=int, default=0, help="with --big-text: also analyse a text this long")
    ap.add_argument("--child", nargs=2, metavar=("CORPUS", "DB"), help=argparse.SUPPRESS)
    ap.add_argument("--big-child", nargs=3, metavar=("TEXT", "DB", "MAX_BYTES"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.big_child:
        text, db, max_bytes = args.big_child
        print(json.dumps(big_child(Path(text), Path(db), int(max_bytes) or None)))
        return
    if args.big_text:
        big_text(args.big_text, args.analyse_chars, args.json)
        return
    if args.child:
        print(json.dumps(child(Path(args.child[0]), Path(args.child[1]), args.engine, not args.exact_io)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    runs: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            corpus = write_corpus(n, Path(tmp) / f"corpus{n}")
            cmd = [sys.executable, __file__, "--engine", args.engine, "--child", str(corpus), str(Path(tmp) / f"{n}.sqlite")]
            cmd += ["--exact-io"] if args.exact_io else []
            done = subprocess.run(cmd, check=False, capture_output=True, text=True)
            if done.returncode:
                sys.exit(f"the run over {n} articles failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
            runs[str(n)] = json.loads(done.stdout.strip().splitlines()[-1])
            if not args.json:
                print(n, runs[str(n)], flush=True)
    peaks = [float(runs[str(n)]["peak_rss_mb"]) for n in sizes]  # type: ignore[arg-type]
    result = {"engine": args.engine, "runs": runs, "ratio": round(peaks[-1] / peaks[0], 3)}
    print(json.dumps(result) if args.json else f"ratio (largest/smallest peak): {result['ratio']}")


if __name__ == "__main__":
    main()
