"""Load (issue 6, part 5): ``bench/load.py`` at a small size in the default suite (the full 10,000
incidents / 50,000 articles with ``RASHOMON_LONG=1``): the store is filled through the Store API, a
real ``rashomon serve`` answers every request of every scenario, with zero errors.  No timing is
asserted; the figures go to docs/reliability.md from the full run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.reliability.conftest import CHILD_ENV, REPO, long_variant

LOAD = REPO / "bench" / "load.py"


def load(tmp_path: Path, *args: str) -> dict:
    done = subprocess.run([sys.executable, str(LOAD), "--db", str(tmp_path / "load.sqlite"), "--json", *args],
                          check=False, capture_output=True, text=True, env=CHILD_ENV, timeout=3600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def check(report: dict, incidents: int, per: int, requests: int) -> None:
    assert report["store"]["incidents"] == incidents
    assert report["store"]["articles"] == incidents * per
    assert set(report["scenarios"]) == {"list", "incident", "search"}
    for name, result in report["scenarios"].items():
        assert result["requests"] == requests, name
        assert result["errors"] == 0, (name, result["error_samples"])
        assert 0 < result["p50_ms"] <= result["p99_ms"], name


def test_load_small(tmp_path: Path) -> None:
    check(load(tmp_path, "--incidents", "120", "--per-incident", "5", "--requests", "40", "--connections", "4"),
          120, 5, 40)


@long_variant
def test_load_full_size(tmp_path: Path) -> None:
    check(load(tmp_path, "--requests", "500"), 10_000, 5, 500)
