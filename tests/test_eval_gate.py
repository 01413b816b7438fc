"""Accuracy gate: every pinned metric of tests/eval_baseline.json must stay at or above its floor.

The evals run on the visible splits of the shared public datasets (read in place), each with the
``limit`` pinned beside its floors so the gate fits in the default test run.  Each gate also pins
the SHA-256 of its data (:mod:`tests.baseline`): a changed file fails the gate by name.  Raising a
floor is a normal commit; lowering one is refused unless ``python -m tests.update_baseline
--allow-regression`` stamped it (and the commit message says why).
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from rashomon.eval import evaluate
from tests.baseline import FOLDERS, load, pin_problems, pins_for, restamp, stamp_problems

BASELINE = load()


@pytest.mark.parametrize("name", sorted(BASELINE["gates"]))
def test_metric_floors(name, shared_dir):
    gate = BASELINE["gates"][name]
    changed = pin_problems(gate, shared_dir / "data")
    assert not changed, f"{name}: the data differs from what the floors were measured on: {changed}"
    result = evaluate(gate["dataset"], shared_dir / "data" / FOLDERS[gate["dataset"]], gate.get("split"), gate.get("limit"))
    assert result.errors == 0, f"{name}: {result.errors} documents failed: {result.details.get('failures')}"
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


def test_every_gate_pins_its_data(shared_dir):
    problems = {name: pin_problems(gate, shared_dir / "data") for name, gate in BASELINE["gates"].items()}
    assert not any(problems.values()), {k: v for k, v in problems.items() if v}


def test_the_baseline_floors_carry_the_scripts_stamp():
    assert not stamp_problems(BASELINE)


# ----------------------------------------------------------------- the two guards, on small copies


def small_baseline() -> dict:
    baseline = {"gates": {"g": {"dataset": "gvdb", "split": "dev", "limit": 5,
                                "floors": {"killed_exact": 0.8, "injured_exact": 0.7}}}}
    restamp(baseline, allow_regression=False)
    return baseline


def test_a_hand_lowered_floor_is_refused_and_a_raised_one_passes():
    baseline = small_baseline()
    assert stamp_problems(baseline) == []
    raised = copy.deepcopy(baseline)
    raised["gates"]["g"]["floors"]["killed_exact"] = 0.85
    raised["gates"]["new"] = {"dataset": "gvc", "split": "test", "limit": None, "floors": {"ari": 0.5}}
    assert stamp_problems(raised) == []
    lowered = copy.deepcopy(baseline)
    lowered["gates"]["g"]["floors"]["injured_exact"] = 0.69
    assert any("injured_exact" in p for p in stamp_problems(lowered))
    dropped = copy.deepcopy(baseline)
    del dropped["gates"]["g"]["floors"]["killed_exact"]
    assert any("killed_exact" in p for p in stamp_problems(dropped))
    relimited = copy.deepcopy(baseline)
    relimited["gates"]["g"]["limit"] = 3
    assert stamp_problems(relimited)
    forged = copy.deepcopy(lowered)
    forged["stamp"]["gates"]["g"]["floors"]["injured_exact"] = 0.69  # the stamp edited to match
    assert any("by hand" in p for p in stamp_problems(forged))


def test_only_the_script_with_allow_regression_lowers_a_floor(tmp_path: Path):
    import json

    from tests.update_baseline import main

    path = tmp_path / "baseline.json"
    baseline = small_baseline()
    baseline["gates"]["g"]["files"] = {"gvdb/dev.tsv": "0" * 64}  # pinned: the script leaves it
    path.write_text(json.dumps(baseline), encoding="utf-8")
    assert main(["--baseline", str(path), "--set", "g.killed_exact=0.75"]) == 1
    assert json.loads(path.read_text())["gates"]["g"]["floors"]["killed_exact"] == 0.8
    assert main(["--baseline", str(path), "--set", "g.killed_exact=0.75", "--allow-regression"]) == 0
    written = json.loads(path.read_text())
    assert written["gates"]["g"]["floors"]["killed_exact"] == 0.75 and stamp_problems(written) == []
    assert written["stamp"]["lowered"] == [{"gate": "g", "metric": "killed_exact", "from": 0.8, "to": 0.75}]
    assert main(["--baseline", str(path), "--set", "g.killed_exact=0.9"]) == 0  # raising needs no flag


def test_a_changed_data_file_is_named(tmp_path: Path):
    folder = tmp_path / "gvdb"
    (folder / "more").mkdir(parents=True)
    (folder / "dev.tsv").write_text("id\ttext\n1\tA barn burned down.\n", encoding="utf-8")
    (folder / "more" / "notes.txt").write_text("kept as is\n", encoding="utf-8")
    gate = {"dataset": "gvdb", "files": pins_for(tmp_path, "gvdb")}
    assert set(gate["files"]) == {"gvdb/dev.tsv", "gvdb/more"} and pin_problems(gate, tmp_path) == []
    (folder / "dev.tsv").write_text("id\ttext\n1\tA barn burned down twice.\n", encoding="utf-8")
    (folder / "more" / "notes.txt").write_text("edited\n", encoding="utf-8")
    (folder / "extra.tsv").write_text("new\n", encoding="utf-8")
    problems = pin_problems(gate, tmp_path)
    assert [p.split(":")[0] for p in problems] == ["gvdb/dev.tsv", "gvdb/more", "gvdb/extra.tsv"]
    assert "differs from the pinned" in problems[0]
