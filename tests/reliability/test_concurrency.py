"""Concurrent use (issue 6, part 3): ``rashomon serve`` answers while ``rashomon analyse`` writes to the
same store (SQLite WAL), and two ``analyse`` runs on one store serialise: the second waits for the first
and says so on stderr (exit code 0 for both); ``run(..., wait=False)`` refuses with ``StoreBusy``.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from rashomon.pipeline import run
from rashomon.store import open_store
from rashomon.store.sqlite import StoreBusy
from tests.reliability.conftest import BIN, CHILD_ENV, DEMO
from tests.reliability.corpus import write_corpus

WAITING = "another rashomon run is writing to the store"
HOLD_LOCK = """
import sys, time
from rashomon.store import open_store
store = open_store(sys.argv[1])
with store.run_lock():
    print("locked", flush=True)
    time.sleep(600)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            body = response.read()
            kind = response.headers.get("content-type", "")
            return response.status, json.loads(body) if "json" in kind else body.decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def _articles(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.OperationalError:
        return 0


class Poller(threading.Thread):
    """Reads the API in a loop (list, incident pages, search, HTML) and checks every answer."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base, self.stop = base, threading.Event()
        self.requests, self.errors, self.totals = 0, [], set()  # type: ignore[var-annotated]

    def fetch(self, path: str) -> Any:
        began = time.monotonic()
        try:
            status, body = _get(self.base + path)
        except OSError as error:  # a refused or timed-out request is an error, not a dead poller
            status, body = -1, repr(error)
        self.slowest = max(getattr(self, "slowest", (0.0, "")), (time.monotonic() - began, path))
        self.requests += 1
        if status != 200:
            self.errors.append(f"{path}: {status} {str(body)[:300]}")
        return body if status == 200 else None

    def run(self) -> None:
        while not self.stop.is_set() and len(self.errors) < 5:
            listing = self.fetch("/incidents.json?per_page=100")
            if listing is None:
                continue
            self.totals.add(listing["total"])
            if listing["total"] != len(listing["incidents"]):
                self.errors.append(f"list total {listing['total']} but {len(listing['incidents'])} rows")
            for row in listing["incidents"][:3]:
                page = self.fetch(f"/incidents/{row['id']}.json")
                if page is not None:
                    self.check_incident(page)
            self.fetch("/articles.json?q=killed&per_page=50")
            self.fetch("/incidents")

    def check_incident(self, page: dict[str, Any]) -> None:
        """An incident is whole: its sources are stored articles, its bounds name listed figures."""
        record = page["incident"]
        if page["accounts_total"] != len(record["articles"]) or not page["accounts"]:
            self.errors.append(f"incident {record['id']}: accounts missing")
        figures = {f["id"] for f in page["figures"]}
        for kind in ("killed", "injured"):
            for bound in ("low", "best", "high"):
                fid = record[kind][f"{bound}_figure"]
                if fid is not None and fid not in figures:
                    self.errors.append(f"incident {record['id']}: {kind} {bound} names a missing figure")


def test_serve_reads_while_two_analyse_runs_share_the_store(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "generated", 10, seed=17)
    db = tmp_path / "shared.sqlite"
    open_store(db).close()  # serve needs the file; the runs fill it
    port = _free_port()
    server_log = (tmp_path / "serve.log").open("w")  # a file: an unread pipe would fill and stall the server
    server = subprocess.Popen([str(BIN), "serve", "--db", str(db), "--port", str(port)], env=CHILD_ENV,
                              stdout=server_log, stderr=subprocess.STDOUT)
    first = second = None
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):  # until the server listens (import time varies with load)
            try:
                _get(base + "/incidents.json")
                break
            except OSError:
                time.sleep(0.1)
        poller = Poller(base)
        poller.start()
        # Both runs start while the test holds the store's run lock, so both must wait (and say so);
        # released, one runs and the other waits for it: the serialisation is forced, not left to timing.
        args = ["analyse", str(DEMO), str(corpus), "--db", str(db), "--json", "--no-progress"]
        logs = [tmp_path / "first.err", tmp_path / "second.err"]
        holder = open_store(db)
        lock = holder.run_lock()
        lock.__enter__()
        try:
            first, second = (subprocess.Popen([str(BIN), *args], env=CHILD_ENV, stdout=subprocess.PIPE,
                                              stderr=log.open("w"), text=True) for log in logs)
            while not all(WAITING in log.read_text() for log in logs):
                assert first.poll() is None and second.poll() is None, "a run did not wait for the lock"
                time.sleep(0.05)
        finally:
            lock.__exit__(None, None, None)
            holder.close()
        out1 = first.communicate(timeout=1800)[0]
        out2 = second.communicate(timeout=1800)[0]
        err1, err2 = (log.read_text() for log in logs)
        poller.stop.set()
        poller.join(120)
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
        server.terminate()
        server.wait(60)
        server_log.close()
    server_err = (tmp_path / "serve.log").read_text()
    assert first.returncode == 0, err1[-2000:]
    assert second.returncode == 0, err2[-2000:]
    for err in (err1, err2):
        assert f"rashomon: {WAITING} {db}; waiting for it to finish" in err.splitlines()  # one clear line
    results = sorted((json.loads(out1), json.loads(out2)), key=lambda r: r["ingest"]["duplicate"])
    result1, result2 = results  # the run that got the lock first, and the one that waited for it
    n_inputs = result1["ingest"]["inputs"]
    assert result1["ingest"]["ingested"] > 0
    assert result2["ingest"] == {"ingested": 0, "duplicate": n_inputs, "rejected": 0, "rejections": [],
                                 "inputs": n_inputs}  # the second run found everything done: nothing twice
    assert result2["extracted"] == 0
    assert poller.errors == [] and poller.requests > 10, poller.errors
    final = len(result1["incidents"])
    assert poller.totals <= {0, final}  # incidents appear all at once: never a partial set
    assert "Traceback" not in server_err, server_err[-3000:]
    with open_store(db) as store:
        assert store.query("SELECT COUNT(*) FROM inputs")[0][0] == 2 * n_inputs
        assert sorted(i.id for i in store.incidents()) == sorted(result1["incidents"])


def test_run_without_waiting_refuses_and_no_lock_outlives_its_holder(tmp_path: Path) -> None:
    db = tmp_path / "busy.sqlite"
    open_store(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db)], stdout=subprocess.PIPE, text=True, env=CHILD_ENV)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreBusy, match=WAITING):
            run([], db, wait=False)
    finally:
        holder.kill()  # SIGKILL: the kernel drops its lock
        holder.wait()
    assert run([], db, wait=False).incidents == []


def test_opening_and_serving_do_not_wait_for_a_writer(tmp_path: Path) -> None:
    """With a write transaction open (a run between two commits), opening the store and reading it
    through the API work at once and see the last committed state."""
    from fastapi.testclient import TestClient

    from rashomon.serve.app import create_app

    db = tmp_path / "s.sqlite"
    open_store(db).close()
    writer = open_store(db)
    writer.conn.execute("BEGIN IMMEDIATE")
    writer.conn.execute("INSERT INTO stories VALUES ('s-uncommitted', NULL, NULL)")
    try:
        outcome: dict[str, Any] = {}

        def open_and_read() -> None:
            try:
                open_store(db).close()
                with TestClient(create_app(db)) as client:
                    outcome["status"] = client.get("/incidents.json").status_code
            except Exception as error:  # noqa: BLE001 - reported below
                outcome["error"] = repr(error)

        reader = threading.Thread(target=open_and_read, daemon=True)
        reader.start()
        reader.join(50)  # a hang guard only: a blocked open would wait 60 s for the lock, then fail
        assert outcome == {"status": 200}
    finally:
        writer.conn.execute("ROLLBACK")
        writer.close()
