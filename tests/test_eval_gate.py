"""Accuracy gate: every pinned metric of tests/eval_baseline.json must stay at or above its floor.

The evals run on the visible splits of the shared public datasets (read in place), each with the
``limit`` pinned beside its floors so the gate fits in the default test run.  Raising a floor is a
normal commit; lowering one needs a reason in the commit message.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rashomon.eval import evaluate

BASELINE = json.loads((Path(__file__).parent / "eval_baseline.json").read_text(encoding="utf-8"))
FOLDERS = {
    "gvdb": "gvdb",
    "geoparsing": "geoparsing_news",
    "polnear": "polnear",
    "timeml": "timeml_aquaint",
    "muc4": "muc4",
    "case2021": "case2021_task2",
    "semeval2018": "semeval2018_task5",
    "gvc": "semeval2018_task5",
    "ecbplus": "ecbplus",
    "reuse": "semeval2018_task5",
}


@pytest.mark.parametrize("name", sorted(BASELINE["gates"]))
def test_metric_floors(name, shared_dir):
    gate = BASELINE["gates"][name]
    result = evaluate(gate["dataset"], shared_dir / "data" / FOLDERS[gate["dataset"]], gate.get("split"), gate.get("limit"))
    below = {
        key: (result.metrics.get(key), floor)
        for key, floor in gate["floors"].items()
        if result.metrics.get(key) is None or result.metrics[key] < floor
    }
    assert not below, f"{name}: metrics below their floors (value, floor): {below}"


def test_every_gate_names_a_known_dataset():
    for name, gate in BASELINE["gates"].items():
        assert gate["dataset"] in FOLDERS, name
        assert gate["floors"], name
