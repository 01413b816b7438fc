"""Rewrite tests/eval_baseline.json: set floors, pin the data, stamp the result.

    python -m tests.update_baseline                      # stamp the floors as they are (none lower)
    python -m tests.update_baseline --set gvdb-dev-150.killed_exact=0.92
    python -m tests.update_baseline --allow-regression --set gvdb-dev-150.killed_exact=0.88
    python -m tests.update_baseline --pin-data           # pin every gate's data files again

A floor below its stamped value is refused unless ``--allow-regression`` is given; the lowered
floors are then logged in the stamp (``stamp["lowered"]``).  Say why in the commit message.
Gates without pinned data are pinned from ``$RASHOMON_SHARED/data`` on every run.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tests.baseline import BASELINE_PATH, load, pins_for, restamp
from tests.conftest import shared_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", action="append", default=[], metavar="GATE.METRIC=VALUE")
    parser.add_argument("--allow-regression", action="store_true", help="accept floors lower than the stamped ones")
    parser.add_argument("--pin-data", action="store_true", help="pin every gate's data again (after a data change)")
    parser.add_argument("--baseline", type=Path, default=BASELINE_PATH)
    parser.add_argument("--data", type=Path, default=None, help="the shared data folder ($RASHOMON_SHARED/data)")
    args = parser.parse_args(argv)
    baseline = load(args.baseline)
    for item in args.set:
        key, _, value = item.partition("=")
        name, _, metric = key.rpartition(".")
        if name not in baseline["gates"] or not value:
            parser.error(f"--set {item}: expected GATE.METRIC=VALUE with a known gate")
        baseline["gates"][name]["floors"][metric] = float(value)
    data = args.data or shared_path() / "data"
    for gate in baseline["gates"].values():
        if args.pin_data or not gate.get("files"):
            if not data.is_dir():
                parser.error(f"data folder not found: {data} (set RASHOMON_SHARED or --data)")
            gate["files"] = pins_for(data, gate["dataset"])
    try:
        lowered = restamp(baseline, args.allow_regression)
    except ValueError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    args.baseline.write_text(json.dumps(baseline, indent=1) + "\n", encoding="utf-8")
    for d in lowered:
        print(f"lowered {d['gate']}.{d['metric']}: {d['from']} -> {d['to']}")
    print(f"wrote {args.baseline}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
