"""Storage: SQLite by default (one file), PostgreSQL for a ``postgresql://`` URL; one schema by named
migrations and one API (:class:`Store`) for both."""

from __future__ import annotations

from pathlib import Path

from rashomon.store import sqlite as _sqlite
from rashomon.store.dialect import postgres_url
from rashomon.store.sqlite import Store

__all__ = ["Store", "StoreNotFound", "open_store", "require_store"]


class StoreNotFound(FileNotFoundError):
    """There is no store at the path given (raised by :func:`require_store`, ``open_store(create=False)``)."""

    def __init__(self, db: str | Path) -> None:
        super().__init__(f"no store at {db} (create one with rashomon analyse)")
        self.db = str(db)


def require_store(db: str | Path) -> None:
    """Raise :class:`StoreNotFound` unless ``db`` is an existing SQLite file (a PostgreSQL URL is
    left to the server to answer).  Commands that only read call this before opening, so a mistyped
    path never creates an empty store."""
    if postgres_url(db) is None and str(db) != ":memory:" and not Path(db).is_file():
        raise StoreNotFound(db)


def open_store(db: str | Path, readonly: bool = False, create: bool = True) -> Store:
    """Open (and create or migrate) the store at ``db``: a SQLite file path, or a PostgreSQL URL
    (``postgresql://user[:password]@host[:port]/dbname``, psycopg needed) for a PostgreSQL store.

    ``readonly`` opens an existing store for reading only: nothing is created or migrated, and every
    write fails (the web UI opens one per request).  ``create=False`` opens an existing store
    (migrating it) and raises :class:`StoreNotFound` where there is none."""
    if not create:
        require_store(db)
    url = postgres_url(db)
    if url is not None:
        from rashomon.store.postgres import PostgresStore

        return PostgresStore(url, readonly=readonly)
    return _sqlite.open_store(db, readonly=readonly)
