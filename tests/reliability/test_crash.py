"""Crash safety (issue 6, part 2): ``rashomon analyse`` killed with SIGKILL at random points.

After each kill the store shows no half-written record; re-running completes, and the incidents,
stories and reuse links are identical to those of an uninterrupted run (ids are deterministic).
The trials run in :mod:`tests.reliability.crashrun` (its own process).  Default suite: 10 kills on the
demo corpus plus 6 generated incidents, each run a fork of a process that loaded the model once.
``RASHOMON_LONG=1``: 30 kills on a larger corpus, each run a fresh ``rashomon analyse`` process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rashomon.pipeline import run
from rashomon.store import Store, open_store
from tests.reliability import crashrun
from tests.reliability.conftest import CHILD_ENV, DEMO, REPO, long_variant
from tests.reliability.corpus import write_corpus

CRASHRUN = Path(crashrun.__file__)
ARTIFACTS = REPO / "test-artifacts" / "reliability"


def trials(tmp_path: Path, n_incidents: int, n_trials: int, seed: int, exec_mode: bool) -> dict[str, Any]:
    corpus = write_corpus(tmp_path / "generated", n_incidents, seed=seed)
    config = tmp_path / "small-batches.toml"  # extraction commits every 4 articles: more points to die between
    config.write_text("[extract]\nbatch_size = 4\ncommit_every = 4\n")
    command = [sys.executable, str(CRASHRUN), "--workdir", str(tmp_path / "work"), "--trials", str(n_trials),
               "--seed", str(seed), "--config", str(config), *(["--exec"] if exec_mode else []), str(DEMO),
               str(corpus)]
    done = subprocess.run(command, check=False, capture_output=True, text=True, env=CHILD_ENV, timeout=3600)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert "error" not in report, report
    ARTIFACTS.mkdir(parents=True, exist_ok=True)  # kept for docs/reliability.md (test-artifacts is not in git)
    (ARTIFACTS / f"crash-{'exec' if exec_mode else 'fork'}.json").write_text(json.dumps(report, indent=1))
    return report


def check(report: dict[str, Any], n_trials: int) -> None:
    assert report["baseline"]["incidents"] > 0
    assert len(report["trials"]) == n_trials, report  # every trial killed a running analyse
    assert {t["aim"] for t in report["trials"]} == set(crashrun.STAGES)
    for trial in report["trials"]:
        assert trial["violations"] == [], trial  # nothing half-written visible after the kill
        assert trial["resume_exit"] == 0, trial
        assert trial["identical"], trial  # the re-run ends where an uninterrupted run ends
        assert trial["after_resume"] == [], trial
    assert all(r["exit"] == 0 for r in report["redrawn"]), report["redrawn"]


def test_sigkill_at_random_points(tmp_path: Path) -> None:
    check(trials(tmp_path, n_incidents=6, n_trials=5, seed=11, exec_mode=False), 5)  # 30 in the long variant


@long_variant
def test_sigkill_long_variant_real_processes(tmp_path: Path) -> None:
    check(trials(tmp_path, n_incidents=40, n_trials=30, seed=29, exec_mode=True), 30)


def test_link_stage_is_one_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that dies while reconciling (here: an exception after the first incident was written)
    leaves no story and no incident of that run; the re-run gives the uninterrupted result."""
    corpus = write_corpus(tmp_path / "generated", 4, seed=5)
    real = Store.save_incident
    calls = {"n": 0}

    def dies_on_the_second(self: Store, incident: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("killed while reconciling")
        real(self, incident)

    monkeypatch.setattr(Store, "save_incident", dies_on_the_second)
    db = tmp_path / "killed.sqlite"
    with pytest.raises(KeyboardInterrupt):
        run([corpus], db)
    assert crashrun.violations(db) == []
    with open_store(db) as store:
        assert store.query("SELECT COUNT(*) FROM stories")[0][0] == 0
        assert store.query("SELECT COUNT(*) FROM incidents")[0][0] == 0
        assert {r[0] for r in store.query("SELECT DISTINCT status FROM articles")} == {"extracted"}
    monkeypatch.setattr(Store, "save_incident", real)
    run([corpus], db)
    run([corpus], tmp_path / "uninterrupted.sqlite")
    assert crashrun.result_digest(db) == crashrun.result_digest(tmp_path / "uninterrupted.sqlite")
