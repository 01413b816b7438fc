"""A throwaway PostgreSQL server for the tests that need one (``pg_server``, ``pg_url`` fixtures).

A cluster is created with ``initdb`` in a temporary folder (as the ``postgres`` user when the suite
runs as root, since initdb refuses root) and started with ``pg_ctl`` on 127.0.0.1 and a free port;
every test gets a fresh database, created with an ICU ``en-US`` collation where the server has ICU,
so that the store's own byte-order collation is what makes results match SQLite.  Without the
PostgreSQL binaries or psycopg the tests are skipped, except in CI (``CI`` set), where they fail.
A folder's ``conftest.py`` imports both fixtures to offer them to its tests.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def _absent(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _bindir() -> Path | None:
    """The folder of initdb and pg_ctl: the newest /usr/lib/postgresql/N/bin, else the PATH."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    for folder in reversed(versions):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def pg_server() -> Iterator[str]:
    """A running throwaway PostgreSQL server; yields its base URL (no database name)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _absent("psycopg is not installed (pip install 'psycopg[binary]')")
    bindir = _bindir()
    if bindir is None:
        _absent("PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql")
    as_user: list[str] = []
    tmp = Path(tempfile.mkdtemp(prefix="rashomon-pg-"))
    if os.geteuid() == 0:  # initdb refuses root: run the server as the postgres user
        try:
            pg_user = pwd.getpwnam("postgres")
        except KeyError:
            _absent("running as root and there is no 'postgres' user to run the server as")
        os.chown(tmp, pg_user.pw_uid, pg_user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    data, log, port = tmp / "data", tmp / "server.log", _free_port()
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "rashomon", "--auth=trust",
                    "-E", "UTF8", "--no-locale"], check=True, capture_output=True)
    options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={tmp} "
               "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
    started = subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log),
                              "-w", "-t", "60", "start"], check=False, capture_output=True, text=True)
    if started.returncode != 0:
        text = log.read_text() if log.exists() else ""
        shutil.rmtree(tmp, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start: {started.stderr}\n{text}")
    try:
        yield f"postgresql://rashomon@127.0.0.1:{port}"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       check=False, capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


_numbers = itertools.count(1)


def new_database(server: str) -> str:
    """A fresh, empty database on ``server`` (ICU en-US collation when the server has ICU); its URL."""
    import psycopg

    name = f"rashomon_test_{next(_numbers)}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        try:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'")
        except psycopg.Error:
            conn.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """A fresh, empty database on the test server, for one test."""
    return new_database(pg_server)
