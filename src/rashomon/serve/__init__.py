"""Serve: the HTTP API and the web UI over a store (``rashomon serve --db FILE`` or ``--db postgresql://...``).

A view builds one data dict per page (``views.py``); the API returns it as JSON and the UI renders it
with Jinja2 (``pages.py``, ``templates/``).  ``create_app(db)`` builds the FastAPI application.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app", "serve_store"]


def __getattr__(name: str) -> Any:
    # Loaded on use, so importing the CLI does not pull in FastAPI.
    if name == "create_app":
        from rashomon.serve.app import create_app

        return create_app
    if name == "serve_store":
        from rashomon.serve.cli import serve_store

        return serve_store
    raise AttributeError(name)
