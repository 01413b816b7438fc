"""How clustering time grows with the number of articles: the real linker on a real SQLite store.

    python bench/cluster_scale.py [--sizes 5000,10000,20000,50000] [--per-day 100] [--max-per-key N] [--json]

For each size, synthetic articles are generated (seeded, no NLP): incidents with a day, a town
(or only a province, or no place), two named participants and a sparse text vector of their own
terms mixed with common ones; each incident is told by 1-5 reports spread over a few days.  The
stream keeps ``--per-day`` articles a day, so a larger store covers more days, as a growing
archive does.  Minimal article rows are written to a fresh SQLite store, then every article is
linked in date order through :class:`rashomon.cluster.linker.Linker` (the code ``cluster_pending``
runs), with the same commit batching.  Printed per size: link time, time per article, candidate
stories and member comparisons per article (mean and max), and B³ F1 (precision, recall) against
the generated incidents; the most article features the linker held at once (it lets old stories go, as
``cluster_pending`` does); then ``growth`` = time per article at the largest size / at the smallest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix

from rashomon.cluster import linker as linker_module
from rashomon.cluster.features import N_FEATURES, Features
from rashomon.cluster.linker import COMMIT_EVERY, FORGET_AFTER_DAYS, Linker
from rashomon.eval.clustering_metrics import b_cubed
from rashomon.models import Article, IngestOutcome
from rashomon.settings import load_settings
from rashomon.store import open_store

START = dt.date(2020, 1, 1)
COMMON_TERMS = 3000  # shared vocabulary ("police", "killed", ...)
TOWNS = 4000


def _vector(rng: random.Random, own: list[int]) -> csr_matrix:
    terms = rng.sample(own, k=max(1, len(own) * 2 // 3)) + [rng.randrange(COMMON_TERMS) for _ in range(60)]
    idx, counts = np.unique(np.array(terms, dtype=np.int32), return_counts=True)
    data = counts.astype(float)
    data /= np.sqrt((data**2).sum())
    return csr_matrix((data, idx, [0, len(idx)]), shape=(1, N_FEATURES))


def generate(n: int, per_day: int, seed: int = 13) -> tuple[list[Features], dict[str, int]]:
    """``n`` synthetic article features in publication order, and each article's incident."""
    rng = random.Random(seed)
    towns = [(rng.uniform(-30, 55), rng.uniform(-120, 140)) for _ in range(TOWNS)]
    country_of = [f"C{int((lon + 120) // 26)}{int((lat + 30) // 17)}" for lat, lon in towns]
    days = max(1, n // per_day)
    feats: list[tuple[dt.date, Features]] = []
    gold: dict[str, int] = {}
    incident = 0
    while len(feats) < n:
        incident += 1
        day = START + dt.timedelta(days=rng.randrange(days))
        town = rng.randrange(TOWNS)
        lat, lon = towns[town]
        cc = country_of[town]
        admin1 = f"{cc}-{town % 7}"
        names = frozenset(f"p{rng.randrange(50_000)} q{rng.randrange(50_000)}" for _ in range(2))
        own = [COMMON_TERMS + rng.randrange(N_FEATURES - COMMON_TERMS) for _ in range(40)]
        for _ in range(min(rng.randint(1, 5), n - len(feats))):
            aid = f"a{len(feats):07d}"
            published = day + dt.timedelta(days=rng.randint(0, 3))
            kind = rng.random()
            fine, coarse = kind < 0.75, kind < 0.9
            f = Features(
                article_id=aid,
                day=day if rng.random() < 0.8 else published,
                day_is_incident=True,
                lat=lat if fine else None,
                lon=lon if fine else None,
                country=cc if coarse else None,
                admin1=admin1 if coarse else None,
                fine_place=fine,
                actors=frozenset(),
                vector=_vector(rng, own),
                published=published,
                points=((lat, lon),) if fine else (),
                countries=frozenset({cc}) if coarse else frozenset(),
                regions=frozenset({(cc, admin1)}) if coarse else frozenset(),
                names=frozenset(x for x in names if rng.random() < 0.6),
            )
            feats.append((published, f))
            gold[aid] = incident
    feats.sort(key=lambda p: (p[0], p[1].article_id))
    return [f for _, f in feats], gold


def run_size(n: int, per_day: int) -> dict[str, float]:
    feats, gold = generate(n, per_day)
    cfg = load_settings().cluster
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "bench.sqlite") as store:
        t0 = time.perf_counter()
        with store.transaction():
            for f in feats:
                art = Article(id=f.article_id, source=f"bench:{f.article_id}", text=f.article_id, published=f.published)
                store.add_outcome(IngestOutcome(source=art.source, article=art))
        insert_s = time.perf_counter() - t0
        linker = Linker(store, cfg)
        horizon = dt.timedelta(days=2 * max(cfg.follow_up_days, cfg.window_days) + FORGET_AFTER_DAYS)
        t0 = time.perf_counter()
        for f in feats:  # the first pass of cluster_pending: document frequencies only
            linker.count(f.article_id, f.vector)
        n_cand: list[int] = []
        n_cmp: list[int] = []
        held: list[int] = []
        pred: dict[str, str] = {}
        for start in range(0, len(feats), COMMIT_EVERY):
            batch = feats[start : start + COMMIT_EVERY]
            with store.transaction():
                for f in batch:
                    pred[f.article_id] = linker.link_features(f)
                    n_cand.append(linker.last_candidates)
                    n_cmp.append(linker.last_comparisons)
            linker.forget_before(batch[-1].published - horizon)  # as cluster_pending does
            held.append(len(linker._features))
        link_s = time.perf_counter() - t0
    b3 = b_cubed(gold, pred)
    return {
        "articles": n,
        "insert_s": round(insert_s, 2),
        "link_s": round(link_s, 2),
        "ms_per_article": round(1000 * link_s / n, 3),
        "candidates_mean": round(float(np.mean(n_cand)), 1),
        "candidates_max": int(max(n_cand)),
        "comparisons_mean": round(float(np.mean(n_cmp)), 1),
        "comparisons_max": int(max(n_cmp)),
        "features_held_max": int(max(held)),
        "b3_f1": round(b3.f1, 4),
        "b3_precision": round(b3.precision, 4),
        "b3_recall": round(b3.recall, 4),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="5000,10000,20000,50000", help="comma-separated article counts")
    ap.add_argument("--per-day", type=int, default=100, help="articles a day in the generated stream")
    ap.add_argument("--max-per-key", type=int,
                    help="experiment: stories one blocking key may bring (default: the linker's MAX_PER_KEY)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    if args.max_per_key:
        linker_module.MAX_PER_KEY = args.max_per_key
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for n in sizes:
        row = run_size(n, args.per_day)
        rows.append(row)
        if not args.json:
            print(json.dumps(row), flush=True)
    growth = rows[-1]["ms_per_article"] / rows[0]["ms_per_article"] if rows[0]["ms_per_article"] else 0.0
    ratios = {f"{r['articles']}/{rows[0]['articles']}": round(r["ms_per_article"] / rows[0]["ms_per_article"], 2) for r in rows}
    out = {"per_day": args.per_day, "max_per_key": linker_module.MAX_PER_KEY, "sizes": rows, "growth": round(growth, 2), "ratios": ratios}
    if args.json:
        print(json.dumps(out))
    else:
        print(f"time per article, {sizes[-1]} vs {sizes[0]} articles: x{growth:.2f}  ({ratios})")


if __name__ == "__main__":
    main()
