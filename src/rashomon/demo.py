"""The demo: the project's own corpus of invented incidents, analysed into a store."""

from __future__ import annotations

from pathlib import Path

from rashomon.models import Incident
from rashomon.pipeline import run
from rashomon.store import open_store

# The corpus lives in the repository's demo/ folder (written by the project; see demo/README.md).
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "demo" / "corpus"


def run_demo(db: str | Path = "demo.sqlite", corpus: str | Path | None = None) -> list[Incident]:
    """Analyse the demo corpus into ``db`` and return every incident in the store."""
    folder = Path(corpus) if corpus is not None else DEFAULT_CORPUS
    if not folder.is_dir():
        raise FileNotFoundError(f"demo corpus not found at {folder} (pass --corpus DIR)")
    run([folder], db)
    with open_store(db) as store:
        return store.incidents()
