"""Crash trials for ``rashomon analyse``: kill it with SIGKILL at random points, check what the
store shows, re-run it, and compare the final incidents with an uninterrupted run.

Run by ``test_crash.py`` as a script (its own process, so the test process never forks)::

    python crashrun.py --workdir W --trials 10 --seed 3 [--exec] -- INPUT...

prints one JSON report on stdout.  Two ways to start ``rashomon analyse``:

* fork (default): this process loads the NLP model and the gazetteer once, then each run is a
  forked child executing the real CLI entry point (``rashomon.cli.main`` with ``analyse`` argv), so
  a trial costs the work of the run, not two seconds of model loading;
* ``--exec``: each run is a fresh ``rashomon analyse`` process (the long variant).

Kill points fall in every stage: trial ``i`` aims at ingest, extract or link (cluster + reuse +
reconcile) in turn, waits until the store shows that stage begun, then kills after a random share of
that stage's length in the uninterrupted run.  A drawn point that comes after the run has already
ended does not count; another point is drawn.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Runner = Callable[[list[str], Path], "Child"]


class Child:
    """A running ``rashomon analyse``: a forked child or a subprocess."""

    def __init__(self, pid: int, popen: subprocess.Popen[bytes] | None = None) -> None:
        self.pid, self.popen, self.code = pid, popen, None

    def poll(self) -> int | None:
        if self.code is None:
            if self.popen is not None:
                self.code = self.popen.poll()
            else:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    self.code = os.waitstatus_to_exitcode(status)
        return self.code

    def wait(self) -> int:
        if self.code is None:
            if self.popen is not None:
                self.code = self.popen.wait()
            else:
                self.code = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
        return self.code

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)


def fork_runner(warmup: list[str], workdir: Path) -> Runner:
    """Load the model once (and warm up on ``warmup``); each run is a forked child running the CLI's
    ``analyse``."""
    from rashomon import cli
    from rashomon.extract.nlp import shared_nlp
    from rashomon.geo.gazetteer import get_gazetteer

    shared_nlp()
    get_gazetteer()
    if warmup:  # one run in this process, so lazily loaded data is in memory before the forks
        from rashomon import pipeline

        pipeline.run(warmup, workdir / "warmup.sqlite")

    def start(argv: list[str], log: Path) -> Child:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: the real command line, output to the log file
            code = 1
            try:
                fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                os.dup2(fd, 1)
                os.dup2(fd, 2)
                sys.argv = ["rashomon", *argv]
                try:
                    cli.main()
                    code = 0
                except SystemExit as done:
                    code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        return Child(pid)

    return start


def exec_runner() -> Runner:
    """Each run is a new ``rashomon analyse`` process."""
    exe = Path(sys.executable).with_name("rashomon")

    def start(argv: list[str], log: Path) -> Child:
        with log.open("wb") as out:
            popen = subprocess.Popen([str(exe), *argv], stdout=out, stderr=subprocess.STDOUT)
        return Child(popen.pid, popen)

    return start


# --------------------------------------------------------------------------- what the store shows

def violations(db: Path) -> list[str]:
    """Half-written records a reader could see in the store (empty when it is consistent)."""
    if not db.exists():
        return []
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    found: list[str] = []

    def rows(sql: str) -> list[tuple[Any, ...]]:
        try:
            return conn.execute(sql).fetchall()
        except sqlite3.OperationalError as error:  # a store killed before its schema existed
            if "no such table" in str(error):
                return []
            raise

    try:
        if rows("PRAGMA integrity_check") != [("ok",)]:
            found.append("integrity_check failed")
        for (aid,) in rows("SELECT id FROM articles WHERE status != 'ingested' AND id NOT IN "
                           "(SELECT article_id FROM mentions)"):
            found.append(f"article {aid} marked extracted without its mention")
        for (aid,) in rows("SELECT article_id FROM mentions WHERE article_id IN "
                           "(SELECT id FROM articles WHERE status = 'ingested')"):
            found.append(f"article {aid} has a mention but is not marked extracted")
        for aid, data in rows("SELECT article_id, data FROM mentions"):
            mention = json.loads(data)
            n_fig = rows(f"SELECT COUNT(*) FROM figures WHERE article_id = '{aid}'")[0][0]
            n_claim = rows(f"SELECT COUNT(*) FROM claims WHERE article_id = '{aid}'")[0][0]
            if (n_fig, n_claim) != (len(mention["figures"]), len(mention["claims"])):
                found.append(f"mention of {aid}: figure/claim rows do not match the mention")
        for (aid,) in rows("SELECT id FROM articles WHERE status = 'clustered' AND id NOT IN "
                           "(SELECT article_id FROM story_articles)"):
            found.append(f"article {aid} marked clustered without a story")
        for (sid,) in rows("SELECT DISTINCT story_id FROM story_articles WHERE story_id NOT IN (SELECT id FROM stories)"):
            found.append(f"story {sid} has members but no row")
        for (sid,) in rows("SELECT id FROM stories WHERE id NOT IN (SELECT story_id FROM story_articles)"):
            found.append(f"story {sid} has no articles")
        statuses = dict(rows("SELECT status, COUNT(*) FROM articles GROUP BY status"))
        if statuses.get("clustered") and statuses.get("extracted"):
            found.append("clustering committed for part of the extracted articles")
        n_incidents = rows("SELECT COUNT(*) FROM incidents")  # [] when killed before the schema existed
        if n_incidents and n_incidents[0][0] and statuses.get("extracted"):
            found.append("incidents stored while extracted articles wait for clustering")
        for iid, sid, data in rows("SELECT id, story_id, data FROM incidents"):
            members = {r[0] for r in rows(f"SELECT article_id FROM story_articles WHERE story_id = '{sid}'")}
            sources = {s["article_id"] for s in json.loads(data)["sources"]}
            if not members:
                found.append(f"incident {iid} without its story")
            elif sources != members:
                found.append(f"incident {iid} does not cover exactly the articles of its story")
    finally:
        conn.close()
    return found


def stage(db: Path, total: int) -> str:
    """How far the killed run got, as the store shows it (``total``: articles of a whole run)."""
    if not db.exists():
        return "before the store was created"
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        statuses = dict(conn.execute("SELECT status, COUNT(*) FROM articles GROUP BY status").fetchall())
        incidents = conn.execute("SELECT COUNT(*) FROM incidents").fetchone()[0]
    except sqlite3.OperationalError:
        return "before the schema was written"
    finally:
        conn.close()
    if not statuses:
        return "ingest (no article yet)"
    if sum(statuses.values()) < total:
        return "ingest"
    if incidents or statuses.get("clustered"):
        return "finished (killed while closing)"
    if statuses.get("ingested") and not statuses.get("extracted"):
        return "extract (nothing committed yet)"
    if statuses.get("ingested"):
        return "extract"
    return "cluster/reuse/reconcile (rolled back) or just before"


def result_digest(db: Path) -> dict[str, Any]:
    """What an analysis produced, order-independent: incidents, stories and reuse links."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {
            "incidents": sorted(r[0] for r in conn.execute("SELECT data FROM incidents")),
            "stories": sorted(conn.execute("SELECT story_id, article_id, relation, copied_from FROM story_articles")
                              .fetchall(), key=str),
            "reuse": sorted(conn.execute("SELECT source_id, target_id, data FROM reuse_links").fetchall(), key=str),
            "articles": sorted(conn.execute("SELECT id, status FROM articles").fetchall()),
        }
    finally:
        conn.close()


# --------------------------------------------------------------------------- trials

STAGES = ("ingest", "extract", "link")  # link: cluster + reuse + reconcile, one transaction


def progress(db: Path) -> tuple[int, int]:
    """(articles stored, articles still waiting for extraction), read as a concurrent reader would."""
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.OperationalError:
        return 0, 0
    try:
        return conn.execute("SELECT COUNT(*), COALESCE(SUM(status = 'ingested'), 0) FROM articles").fetchone()
    except sqlite3.OperationalError:  # no file or no schema yet
        return 0, 0
    finally:
        conn.close()


def reached(db: Path, stage_name: str, total: int) -> bool:
    """Has a run writing ``db`` begun ``stage_name`` (as far as the store shows)?"""
    if stage_name == "ingest":
        return True
    stored, waiting = progress(db)
    return stored == total and (stage_name == "extract" or waiting == 0)


def timed_baseline(start: Runner, argv: list[str], db: Path, log: Path) -> tuple[int, dict[str, float]]:
    """Run once without a kill, noting when ingest and extraction end (polling the store)."""
    began = time.monotonic()
    child = start(argv, log)
    marks: dict[str, float] = {}
    counts: list[tuple[float, int]] = []  # (time, articles stored) whenever the count changes
    while child.poll() is None:
        stored, waiting = progress(db)
        now = time.monotonic() - began
        if stored and (not counts or counts[-1][1] != stored):
            counts.append((now, stored))
        if stored and waiting == 0 and "extracted" not in marks:
            marks["extracted"] = now
        time.sleep(0.01)
    marks["end"] = time.monotonic() - began
    marks["ingested"] = counts[-1][0] if counts else 0.0  # when the last article was stored
    return child.wait(), marks


def trials(inputs: list[str], workdir: Path, n: int, seed: int, start: Runner,
           config: Path | None = None) -> dict[str, Any]:
    """The uninterrupted baseline, then ``n`` killed-and-resumed runs; a JSON-ready report.

    Trial ``i`` aims at stage ``STAGES[i % 3]``: it waits until the store shows that stage begun
    (ingest: at once; extract: every article stored; link: none left to extract), then kills after
    a uniform random share of that stage's length in the baseline.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)

    def argv(db: Path) -> list[str]:
        return ["analyse", *inputs, "--db", str(db), "--json", "--no-progress",
                *(["--config", str(config)] if config else [])]

    base_db = workdir / "baseline.sqlite"
    code, marks = timed_baseline(start, argv(base_db), base_db, workdir / "baseline.log")
    if code != 0:
        return {"error": f"baseline run failed with exit code {code}", "log": (workdir / "baseline.log").read_text()}
    baseline = result_digest(base_db)
    total = len(baseline["articles"])
    extracted_at = marks.get("extracted", marks["end"])
    ingested_at = min(marks["ingested"], extracted_at)
    # Stage lengths in the baseline (ingest includes the start of the process).
    lengths = {"ingest": ingested_at, "extract": extracted_at - ingested_at, "link": marks["end"] - extracted_at}
    report: dict[str, Any] = {
        "baseline": {"seconds": round(marks["end"], 3), "ingested_at": round(ingested_at, 3),
                     "extracted_at": round(extracted_at, 3),
                     "incidents": len(baseline["incidents"]), "articles": total},
        "trials": [], "redrawn": [],
    }
    attempts = 0
    while len(report["trials"]) < n and attempts < 4 * n:
        i = len(report["trials"])
        attempts += 1
        aim = STAGES[i % len(STAGES)]
        delay = lengths[aim] * rnd.random()
        db = workdir / f"trial-{i:02d}-{attempts:02d}.sqlite"
        child = start(argv(db), workdir / f"{db.stem}-killed.log")
        while child.poll() is None and not reached(db, aim, total):
            time.sleep(0.005)
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.005)
        if child.poll() is not None:  # ended before the kill point: draw again
            report["redrawn"].append({"aim": aim, "delay": round(delay, 3), "exit": child.poll()})
            continue
        child.kill()
        child.wait()
        seen = violations(db)
        where = stage(db, total)
        resumed = start(argv(db), workdir / f"{db.stem}-resume.log").wait()
        final = result_digest(db) if resumed == 0 else None
        report["trials"].append({
            "aim": aim, "delay": round(delay, 3), "stage": where, "violations": seen, "resume_exit": resumed,
            "identical": final == baseline,
            "differs_in": [k for k in baseline if final is not None and final[k] != baseline[k]],
            "after_resume": violations(db) if resumed == 0 else [],
        })
    report["attempts"] = attempts
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--exec", dest="exec_mode", action="store_true", help="a new process per run")
    parser.add_argument("--config", type=Path, help="settings file given to every run")
    parser.add_argument("inputs", nargs="+")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    start = exec_runner() if args.exec_mode else fork_runner(args.inputs, args.workdir)
    print(json.dumps(trials(args.inputs, args.workdir, args.trials, args.seed, start, args.config), indent=1))


if __name__ == "__main__":
    main()
