"""Storage: SQLite by default (one file), schema by named migrations."""

from rashomon.store.sqlite import Store, open_store

__all__ = ["Store", "open_store"]
