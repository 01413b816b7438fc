"""Fixtures of the store tests: the throwaway PostgreSQL server of ``tests/pg_server.py``."""

from tests.pg_server import pg_server, pg_url  # noqa: F401  (fixtures)
