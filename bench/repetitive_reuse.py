"""How text-reuse detection scales on one long article made of one repeated line (a live blog's
refrain), beside a short report that quotes the line once.

    python bench/repetitive_reuse.py [--json] [--baseline OLD_PASSAGES_PY]

Prints the time of ``find_reuse`` for 2,000, 4,000 and 8,000 repetitions and the ratio of the
largest to the smallest: about 4 when the cost grows with the article's length, 16 when it grows
with its square.  ``--baseline`` times another ``reuse/passages.py`` (an older commit's, e.g.
``git show 529ec57^:src/rashomon/reuse/passages.py > /tmp/old.py``) on the same inputs in the same
process.  Times are of this machine and session only; compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rashomon.ids import article_id
from rashomon.models import Article
from rashomon.reuse.passages import find_reuse
from rashomon.settings import ReuseSettings

LINE = "Volunteers kept pumping water out of the collapsed mine shaft through the night."
SIZES = (2000, 4000, 8000)


def _article(text: str, day: int, outlet: str) -> Article:
    return Article(id=article_id(text), source=f"bench:{outlet}", text=text, outlet=outlet,
                   published=dt.date(2025, 3, day), published_precision="day")


def measure(find: Callable[..., list] = find_reuse) -> dict[str, float]:
    cfg = ReuseSettings()
    report = _article(f"No toll was given. {LINE} Relatives gathered at the gate.", 2, "Shaft Post")
    times: dict[str, float] = {}
    for n in SIZES:
        blog = _article("\n\n".join([LINE] * n), 1, "Mine Live")
        start = time.perf_counter()
        links = find([blog, report], cfg)
        times[str(n)] = round(time.perf_counter() - start, 3)
        assert links, "the quoted line must still be found"
    times["ratio_largest_to_smallest"] = round(times[str(SIZES[-1])] / times[str(SIZES[0])], 2)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--baseline", type=Path, help="another reuse/passages.py to time on the same inputs")
    args = parser.parse_args()
    result: dict[str, object] = {"current": measure()}
    if args.baseline:
        spec = importlib.util.spec_from_file_location("baseline_passages", args.baseline)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
        result["baseline"] = measure(module.find_reuse)
    print(json.dumps(result) if args.json else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
