"""Bad input (issue 6, part 1): every input unit is ingested, a duplicate, or rejected with a one-line
reason, in the store and on the command line; the rest of the run goes on; the counts add up.

The files are written by :mod:`tests.reliability.badfiles` into a temporary folder (the 100 MB page
too, deleted afterwards).
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import stat
import subprocess
import threading
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from rashomon.ingest import read_articles
from rashomon.models import IngestOutcome
from rashomon.pipeline import ingest
from rashomon.settings import load_settings
from rashomon.store import open_store
from tests.reliability import badfiles
from tests.reliability.badfiles import Case
from tests.reliability.conftest import BIN, CHILD_ENV, rashomon

SUMMARY = re.compile(r"^(\d+) inputs: (\d+) ingested, (\d+) duplicates, (\d+) rejected$", re.MULTILINE)


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A loopback HTTP server that counts the requests a parser might make for a DTD."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY leak "FETCHED-BY-THE-PARSER">')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def dtd_server() -> Iterator[tuple[str, list[str]]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/evil.dtd", _Recorder.hits
    server.shutdown()


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory, dtd_server: tuple[str, list[str]]) -> Iterator[dict[str, Case]]:
    root = tmp_path_factory.mktemp("bad-input")
    secret = root / "secret.txt"
    secret.write_text("TOP-SECRET-LINE-FROM-THE-DISK")
    built: dict[str, Case] = {}
    for name, build in badfiles.BUILDERS.items():
        (root / name).mkdir()
        built[name] = build(root / name)
    (root / "xml").mkdir()
    built["xml"] = badfiles.hostile_xml(root / "xml", secret, dtd_server[0])
    (root / "huge").mkdir()
    built["huge"] = badfiles.oversized(root / "huge")
    yield built
    shutil.rmtree(root / "huge")  # 100 MB: not kept among pytest's last temporary folders


def check_case(case: Case, seen: list[tuple[IngestOutcome, str]]) -> None:
    """The outcomes, in order, are those the case expects (kind, and reason or text)."""
    got = [(kind, o.rejection.reason if o.rejection else o.article.text, o.source) for o, kind in seen]
    assert [g[0] for g in got] == [e[0] for e in case.expect], got
    for (kind, value, source), (_, pattern) in zip(got, case.expect, strict=True):
        if kind == "rejected":
            assert re.search(pattern or "", value), (source, value)
            assert value.isprintable() and "\n" not in value, value
        elif pattern is not None:
            assert pattern in value, (source, value[:200])


PARTS = [*badfiles.BUILDERS, "xml", "huge"]


@pytest.mark.parametrize("name", PARTS)
def test_each_fault_class(cases: dict[str, Case], name: str, tmp_path: Path) -> None:
    case = cases[name]
    seen: list[tuple[IngestOutcome, str]] = []
    with open_store(tmp_path / "store.sqlite") as store:
        report = ingest(case.inputs, store, on_outcome=lambda o, kind: seen.append((o, kind)))
        check_case(case, seen)
        # The counts add up: every input unit the case wrote is accounted for, once.
        assert report.ingested + report.duplicate + report.rejected == len(case.expect) == report.inputs
        assert store.input_counts() == {"ingested": report.ingested, "duplicate": report.duplicate,
                                        "rejected": report.rejected}
        assert store.query("SELECT COUNT(*) FROM inputs")[0][0] == len(case.expect)
        assert store.query("SELECT COUNT(*) FROM articles")[0][0] == report.ingested
        stored = dict(store.rejections())
        for outcome, kind in seen:
            if kind == "rejected":
                assert stored[outcome.source] == outcome.rejection.reason  # the same line in the store


def test_hostile_xml_fetches_and_expands_nothing(cases: dict[str, Case], dtd_server: tuple[str, list[str]],
                                                  tmp_path: Path) -> None:
    db = tmp_path / "xml.sqlite"
    with open_store(db) as store:
        ingest(cases["xml"].inputs, store)
        texts = " ".join(a.text for a in store.articles())
    assert dtd_server[1] == []  # the external DTD was never requested
    assert "TOP-SECRET" not in texts and "FETCHED-BY-THE-PARSER" not in texts
    assert "lollol" not in texts
    assert b"TOP-SECRET" not in db.read_bytes()


def test_huge_page_is_never_read(cases: dict[str, Case]) -> None:
    """The 100 MB page is rejected from its size: reading the folder allocates almost nothing."""
    page = next(p for p in cases["huge"].inputs[0].iterdir() if p.suffix == ".html")
    assert page.stat().st_size >= badfiles.HUGE_BYTES
    tracemalloc.start()
    try:
        outcomes = list(read_articles([page]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [o.rejection.reason for o in outcomes if o.rejection] == ["file larger than 50 MB"]
    assert peak < 2_000_000  # bytes: the page was not loaded


def test_size_limit_is_a_setting(tmp_path: Path) -> None:
    """``ingest.max_bytes`` applies to files and to each record of an archive (a gzip bomb is cut off)."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.html").write_text(badfiles._page(badfiles.GOOD * 20_000))  # about 3.5 MB
    bomb = badfiles.gzip_bomb(tmp_path / "in")  # 60 MB of HTML in a few kB of .warc.gz
    config = tmp_path / "small.toml"
    config.write_text("[ingest]\nmax_bytes = 1_000_000\n")
    settings = load_settings(config)
    seen: list[tuple[IngestOutcome, str]] = []
    tracemalloc.start()
    try:
        with open_store(tmp_path / "s.sqlite") as store:
            ingest(bomb.inputs, store, settings, on_outcome=lambda o, kind: seen.append((o, kind)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [o.rejection.reason for o, _ in seen] == ["record larger than 1 MB", "file larger than 1 MB"]
    assert peak < 20_000_000  # bounded by the limit, not by the 60 MB inside the archive


def _cli_rejections(stderr: str) -> list[str]:
    """The "rejected SOURCE: REASON" lines; any other line (a wrapped rest) fails the test."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert all(line.startswith(("rejected ", "duplicate ")) for line in lines), stderr[:3000]
    return [line for line in lines if line.startswith("rejected ")]


def test_cli_gives_one_line_per_rejected_input(cases: dict[str, Case], tmp_path: Path) -> None:
    names = [n for n in PARTS if n != "markup"]
    inputs = [p for n in names for p in cases[n].inputs]
    expected = [e for n in names for e in cases[n].expect]
    done = rashomon("ingest", *inputs, "--db", tmp_path / "cli.sqlite")
    assert done.returncode == 0, done.stderr[-2000:]
    counts = SUMMARY.search(done.stdout)
    assert counts, done.stdout
    n_rejected = sum(1 for kind, _ in expected if kind == "rejected")
    inputs, ingested, duplicates, rejected = (int(x) for x in counts.groups())
    # One store for every case: a text ingested by one case is a duplicate in the next.
    assert (inputs, ingested + duplicates, rejected) == (len(expected), len(expected) - n_rejected, n_rejected)
    assert inputs == ingested + duplicates + rejected
    lines = _cli_rejections(done.stderr)
    assert len(lines) == n_rejected
    with open_store(tmp_path / "cli.sqlite") as store:
        stored = {f"rejected {s}: {r}" for s, r in store.rejections()}
    assert set(lines) <= stored  # each line names its input and gives the stored reason, whole


def test_cli_survives_markup_in_names(cases: dict[str, Case], tmp_path: Path) -> None:
    done = rashomon("ingest", *cases["markup"].inputs, "--db", tmp_path / "markup.sqlite")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "[/b]" in done.stderr and "\x1b" not in done.stderr  # shown as text; no raw escape reaches the terminal
    assert "esc\\x1b[31mred.txt" in done.stderr
    assert SUMMARY.search(done.stdout).groups() == ("4", "1", "0", "3")


def test_unreadable_files_and_folders(tmp_path: Path) -> None:
    """chmod 000 on a file and a folder.  Root reads them regardless, so as root the run is made as
    the unprivileged user ``nobody`` (setpriv); without setpriv the test is skipped, not faked."""
    as_root = os.geteuid() == 0
    setpriv = shutil.which("setpriv")
    if as_root and setpriv is None:
        pytest.skip("running as root without setpriv: chmod 000 would not deny reads")
    base = Path(tmp_path if not as_root else Path("/tmp") / f"rashomon-unreadable-{os.getpid()}")
    base.mkdir(exist_ok=True)
    try:
        folder, db_dir = base / "in", base / "db"
        folder.mkdir()
        db_dir.mkdir()
        (folder / "a_locked.txt").write_text(badfiles.GOOD)
        (folder / "b_locked_dir").mkdir()
        (folder / "b_locked_dir" / "inside.txt").write_text(badfiles.FRENCH)
        (folder / "c_open.txt").write_text(badfiles.RUSSIAN)
        for path in (base, folder, folder / "c_open.txt", folder / "b_locked_dir" / "inside.txt"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        db_dir.chmod(0o777)
        (folder / "a_locked.txt").chmod(0)
        (folder / "b_locked_dir").chmod(0)
        command = [str(BIN), "ingest", str(folder), "--db", str(db_dir / "s.sqlite")]
        if as_root:
            command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=600, cwd="/",
                              env={**CHILD_ENV, "HOME": str(db_dir)})
        assert done.returncode == 0, done.stderr[-2000:]
        assert SUMMARY.search(done.stdout).groups() == ("3", "1", "0", "2")
        db_dir.chmod(0o755)
        with open_store(db_dir / "s.sqlite") as store:
            assert sorted(store.rejections()) == [
                (str(folder / "a_locked.txt"), "cannot read file: Permission denied"),
                (str(folder / "b_locked_dir"), "cannot read directory: Permission denied"),
            ]
    finally:
        for path in (base / "in" / "a_locked.txt", base / "in" / "b_locked_dir"):
            if path.exists():
                path.chmod(stat.S_IRWXU)
        if as_root:
            shutil.rmtree(base, ignore_errors=True)
