"""What a correction costs: the demo corpus analysed into a temporary store, then ``--writes``
corrections made through the library (each appended and applied at once), and the cluster/reconcile
stage of a run timed with an empty log and with the log the writes left.

    python bench/review_write.py [--writes 20] [--json]

Ratios, not absolute times, are what carry over to another machine: ``rerun_ratio`` is the stage with
the log over the stage with an empty log (both with nothing new to cluster).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from rashomon.demo import DEFAULT_CORPUS
from rashomon.pipeline import link_and_reconcile, run
from rashomon.review import api
from rashomon.settings import load_settings
from rashomon.store import open_store


def _stage_s(store: object, settings: object, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        link_and_reconcile(store, settings)  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.sqlite"
        run([DEFAULT_CORPUS], db, settings)
        with open_store(db) as store:
            empty_s = _stage_s(store, settings)
            incidents = [i.id for i in store.incidents()]
            write_s = []
            for n in range(args.writes):
                start = time.perf_counter()
                api.set_field(store, incidents[n % len(incidents)], "killed_best", str(n + 1), reason="bench",
                              who="bench", settings=settings)
                write_s.append(time.perf_counter() - start)
            with_log_s = _stage_s(store, settings)
    result = {"incidents": len(incidents), "writes": args.writes, "write_ms_median": 1000 * statistics.median(write_s),
              "stage_empty_log_ms": 1000 * empty_s, "stage_with_log_ms": 1000 * with_log_s,
              "rerun_ratio": with_log_s / empty_s if empty_s else None}
    print(json.dumps(result, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
