"""The PostgreSQL store: the SQLite store's API, schema, migrations and SQL on a PostgreSQL server.

Open one with ``open_store("postgresql://user@host:5432/dbname")`` (or ``--db`` with that URL on the
command line).  :class:`PostgresStore` inherits every read and write of :class:`~rashomon.store.sqlite.Store`
unchanged; only the plumbing differs:

* the connection is a thin wrapper over a psycopg (v3) connection in autocommit mode that rewrites
  each statement with :func:`~rashomon.store.dialect.postgres_sql` (``?`` to ``%s``, SQLite's NULL
  ordering and LIKE, ``BEGIN IMMEDIATE`` to ``BEGIN``), and returns rows readable by position and by
  column name, as ``sqlite3.Row`` is;
* migrations run the PostgreSQL statements of each named migration (column types mapped, FTS5 replaced
  by a tsvector table), in one transaction under an advisory lock, recorded in the same ``_migrations``;
* the pipeline's run lock is a session-level advisory lock on the database instead of ``flock``: the
  server releases it when the holder's connection ends, however the holder dies.

Transactions behave as on SQLite: ``Store.transaction`` sends ``BEGIN`` (from ``BEGIN IMMEDIATE``),
``COMMIT`` or ``ROLLBACK``, nested calls join the outer one, and statements outside one commit alone.
Writers are serialised by the run lock, so READ COMMITTED (PostgreSQL's default) gives the same results
as SQLite's single writer.  The web UI's read-only queries (``store/queries.py``) are the same methods,
with PostgreSQL's own fragments for JSON, letter case and full-text search (the tsvector index of
migration 0002); ``readonly=True`` opens a session in which every transaction is read-only.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rashomon.store.dialect import display_url, postgres_sql
from rashomon.store.migrations import MIGRATIONS, apply_migrations
from rashomon.store.queries import POSTGRES_READS
from rashomon.store.sqlite import Store, StoreBusy

if TYPE_CHECKING:  # pragma: no cover
    import psycopg


def _lock_key(name: str) -> int:
    """A signed 64-bit advisory-lock key derived from ``name``."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


RUN_LOCK_KEY = _lock_key("rashomon:run")
MIGRATION_LOCK_KEY = _lock_key("rashomon:migrate")


class Row(Sequence[Any]):
    """A result row readable as ``row[0]`` and as ``row["column"]`` (like ``sqlite3.Row``)."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values = tuple(values)
        self._index = index

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __eq__(self, other: object) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, Row) else other)

    def __hash__(self) -> int:
        return hash(self._values)

    def keys(self) -> list[str]:
        return list(self._index)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values, strict=False))!r})"


def _row_factory(cursor: Any) -> Callable[[Sequence[Any]], Row]:
    index = {col.name: i for i, col in enumerate(cursor.description or ())}
    return lambda values: Row(values, index)


class PgConnection:
    """The slice of ``sqlite3.Connection`` the store uses, on a psycopg connection."""

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw

    def execute(self, sql: str, args: Iterable[Any] = ()) -> psycopg.Cursor[Any]:
        return self.raw.execute(postgres_sql(sql), tuple(args))

    def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> psycopg.Cursor[Any]:
        cur = self.raw.cursor()
        batch = [tuple(r) for r in rows]
        if batch:
            cur.executemany(postgres_sql(sql), batch)
        return cur

    def close(self) -> None:
        self.raw.close()


class PostgresStore(Store):
    """A Rashomon store in a PostgreSQL database (see the module docstring)."""

    reads = POSTGRES_READS

    def __init__(self, url: str, readonly: bool = False) -> None:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise RuntimeError(
                "a PostgreSQL store needs the psycopg driver: pip install 'rashomon[postgres]'"
            ) from exc
        self.url = url
        self.path = display_url(url)  # what messages show (no password)
        self.pg = PgConnection(psycopg.connect(url, autocommit=True, row_factory=_row_factory))
        self.conn = self.pg  # type: ignore[assignment]  # the store's SQL runs through the wrapper
        self._depth = 0
        self._run_guard = threading.RLock()
        self._run_depth = 0
        if readonly:
            self.conn.execute("SET default_transaction_read_only = on")
        else:
            self.migrate()

    # ------------------------------------------------------------------ plumbing

    def migrate(self) -> list[str]:
        """Apply pending migrations in one transaction; concurrent openers wait for each other."""
        if all(m.name in self._applied() for m in MIGRATIONS):
            return []
        with self.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(?::bigint)", (MIGRATION_LOCK_KEY,))
            conn.execute(
                'CREATE TABLE IF NOT EXISTS _migrations (name TEXT COLLATE "C" PRIMARY KEY, '
                "applied_at DOUBLE PRECISION NOT NULL)"
            )

            def record(name: str) -> None:
                conn.execute("INSERT INTO _migrations VALUES (?, ?)", (name, time.time()))

            return apply_migrations(lambda sql, args: conn.execute(sql, args), self._applied(), record, "postgresql")

    def _applied(self) -> set[str]:
        if self.conn.execute("SELECT to_regclass('_migrations')").fetchone()[0] is None:
            return set()
        return {row[0] for row in self.conn.execute("SELECT name FROM _migrations")}

    @contextmanager
    def run_lock(self, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the store's pipeline lock (a session-level advisory lock); re-entrant within one store."""
        if not self._run_guard.acquire(blocking=wait):
            raise StoreBusy(self._busy_message(self.path))
        try:
            if self._run_depth == 0:
                self._take_run_lock(wait, on_wait)
            self._run_depth += 1
            try:
                yield
            finally:
                self._run_depth -= 1
                if self._run_depth == 0 and not self.pg.raw.closed:
                    self.conn.execute("SELECT pg_advisory_unlock(?::bigint)", (RUN_LOCK_KEY,))
        finally:
            self._run_guard.release()

    def _take_run_lock(self, wait: bool, on_wait: Callable[[str], None] | None) -> None:
        if self.conn.execute("SELECT pg_try_advisory_lock(?::bigint)", (RUN_LOCK_KEY,)).fetchone()[0]:
            return
        message = self._busy_message(self.path)
        if not wait:
            raise StoreBusy(message)
        if on_wait is not None:
            on_wait(message + "; waiting for it to finish")
        self.conn.execute("SELECT pg_advisory_lock(?::bigint)", (RUN_LOCK_KEY,))
