"""Rashomon: news reports in, sourced and reconciled incident records out.

    >>> import rashomon
    >>> report = rashomon.run(["reports/"], "incidents.sqlite")
    >>> store = rashomon.open_store("incidents.sqlite")
    >>> store.incidents()[0].killed.best

The public names load lazily, so ``import rashomon.settings`` does not pull in spaCy; type
checkers see them statically (the ``TYPE_CHECKING`` imports below), so ``rashomon.run`` has the
signature of :func:`rashomon.pipeline.run`, not ``Any``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rashomon.ingest import read_articles
    from rashomon.pipeline import analyse, ingest, run
    from rashomon.settings import Settings, load_settings
    from rashomon.store import open_store

__all__ = ["Settings", "analyse", "ingest", "load_settings", "open_store", "read_articles", "run"]
__version__ = "0.1.0"

_WHERE = {
    "Settings": "rashomon.settings",
    "load_settings": "rashomon.settings",
    "analyse": "rashomon.pipeline",
    "ingest": "rashomon.pipeline",
    "run": "rashomon.pipeline",
    "open_store": "rashomon.store",
    "read_articles": "rashomon.ingest",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'rashomon' has no attribute {name!r}")
