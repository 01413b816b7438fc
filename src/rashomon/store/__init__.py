"""Storage: SQLite by default (one file), PostgreSQL for a ``postgresql://`` URL; one schema by named
migrations and one API (:class:`Store`) for both."""

from __future__ import annotations

from pathlib import Path

from rashomon.store import sqlite as _sqlite
from rashomon.store.dialect import postgres_url
from rashomon.store.sqlite import Store

__all__ = ["Store", "open_store"]


def open_store(db: str | Path, readonly: bool = False) -> Store:
    """Open (and create or migrate) the store at ``db``: a SQLite file path, or a PostgreSQL URL
    (``postgresql://user[:password]@host[:port]/dbname``, psycopg needed) for a PostgreSQL store.

    ``readonly`` opens an existing store for reading only: nothing is created or migrated, and every
    write fails (the web UI opens one per request)."""
    url = postgres_url(db)
    if url is not None:
        from rashomon.store.postgres import PostgresStore

        return PostgresStore(url, readonly=readonly)
    return _sqlite.open_store(db, readonly=readonly)
