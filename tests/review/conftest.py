"""Stores of invented reports (tests/review/reports.py) for the review tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from rashomon.engine import Engine, make_engine
from rashomon.models import Incident
from rashomon.pipeline import run
from rashomon.store import Store, open_store
from tests.review.reports import write

FIRST = ["kisumu_1", "kisumu_2", "gulu_1", "gulu_2", "mopti_1"]


@dataclass
class Corpus:
    db: str | Path  # a SQLite file, or a PostgreSQL URL
    folder: Path
    paths: list[Path]

    def open(self) -> Store:
        return open_store(self.db)

    def aid(self, name: str) -> str:
        """The article id of an invented report, by its name."""
        with self.open() as store:
            return next(a for s, a in store.input_articles() if Path(s).stem == name)

    def incident_of(self, store: Store, name: str) -> Incident:
        aid = self.aid(name)
        return next(i for i in store.incidents() if aid in {s.article_id for s in i.sources})


def build(tmp: Path, names: list[str] = FIRST, db: str | Path | None = None) -> Corpus:
    folder = tmp / "reports"
    paths = write(folder, names)
    target = db if db is not None else tmp / "store.sqlite"
    run(paths, target)
    return Corpus(target, folder, paths)


@pytest.fixture
def corpus(tmp_path: Path) -> Corpus:
    return build(tmp_path)


@pytest.fixture
def rebuilt_db(tmp_path: Path) -> str | Path:
    """Where a store is rebuilt from some of the reports (SQLite here; the PostgreSQL tests give a database)."""
    return tmp_path / "rebuilt" / "store.sqlite"


@pytest.fixture(scope="session")
def process_engine() -> Iterator[Engine]:
    """One pool of worker processes for the whole session (each worker loads the model once)."""
    with make_engine("process", workers=1) as engine:
        yield engine
