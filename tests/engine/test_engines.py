"""Engines (rashomon.engine) and the streaming extract stage: every engine gives the incidents of the
local one; the store is read page by page and written in bounded transactions."""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from tests.factories import article

from rashomon.demo import DEFAULT_CORPUS
from rashomon.engine import make_engine
from rashomon.extract import extract_pending, pending_articles
from rashomon.models import Article, IngestOutcome, IngestStatus, Mention
from rashomon.pipeline import run
from rashomon.settings import ExtractSettings
from rashomon.store import open_store

HAS_RAY = importlib.util.find_spec("ray") is not None


def _incidents(db: Path) -> list[str]:
    with open_store(db) as store:
        return sorted(i.model_dump_json() for i in store.incidents())


@pytest.fixture(scope="module")
def local_demo(tmp_path_factory) -> list[str]:
    db = tmp_path_factory.mktemp("local") / "demo.sqlite"
    run([DEFAULT_CORPUS], db)
    incidents = _incidents(db)
    assert incidents
    return incidents


# --------------------------------------------------------------------------- streaming extract


class RecordingEngine:
    """A stand-in engine: an empty Mention per article, and what it was given, when."""

    name = "recording"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def extract(self, articles: Iterable[Article]) -> Iterator[Mention]:
        for art in articles:
            self.seen.append(art.id)
            yield Mention(id="m" + art.id[1:], article_id=art.id)

    def close(self) -> None:
        pass


def _store_with(tmp_path: Path, n: int):
    store = open_store(tmp_path / "s.sqlite")
    for i in range(n):
        art = article(f"Report number {i} on the harbour fire.")
        store.add_outcome(IngestOutcome(source=f"mem:{i}", article=art))
    return store


def test_pending_articles_pages_in_ingest_order(tmp_path):
    with _store_with(tmp_path, 7) as store:
        order = [a.id for a in store.articles()]
        assert [a.id for a in pending_articles(store, page=3)] == order
        store.save_mention(Mention(id="m", article_id=order[0]))
        assert [a.id for a in pending_articles(store, page=2)] == order[1:]


def test_extract_pending_writes_every_mention_once(tmp_path):
    with _store_with(tmp_path, 10) as store:
        engine = RecordingEngine()
        ticks: list[str] = []
        count = extract_pending(store, ExtractSettings(commit_every=3), on_article=lambda a: ticks.append(a.id),
                                engine=engine)
        assert count == 10 and engine.seen == ticks == [a.id for a in store.articles()]
        assert {a.status for a in store.articles()} == {IngestStatus.extracted}
        assert store.query("SELECT COUNT(*) FROM mentions")[0][0] == 10
        assert extract_pending(store, ExtractSettings(), engine=RecordingEngine()) == 0


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown engine"):
        make_engine("spark")


# --------------------------------------------------------------------------- same incidents


def test_process_engine_gives_the_local_incidents(tmp_path, local_demo):
    db = tmp_path / "process.sqlite"
    with make_engine("process", workers=2) as engine:
        run([DEFAULT_CORPUS], db, engine=engine)
    assert _incidents(db) == local_demo


@pytest.mark.skipif(not HAS_RAY, reason="Ray is not installed: pip install 'rashomon[ray]' to test the ray engine")
def test_ray_engine_gives_the_local_incidents(tmp_path, local_demo):
    db = tmp_path / "ray.sqlite"
    with make_engine("ray", workers=2) as engine:  # a local Ray instance, shut down on exit
        run([DEFAULT_CORPUS], db, engine=engine)
    assert _incidents(db) == local_demo


@pytest.mark.slow
@pytest.mark.skipif(not HAS_RAY, reason="Ray is not installed: pip install 'rashomon[ray]'")
@pytest.mark.skipif(not os.environ.get("RASHOMON_SLOW"), reason="slow (about 10 min): set RASHOMON_SLOW=1")
def test_ray_engine_on_2000_gva_documents(tmp_path, shared_dir):
    source = shared_dir / "data" / "semeval2018_task5" / "gva_documents.jsonl"
    corpus = tmp_path / "gva.jsonl"
    with source.open(encoding="utf-8") as fin, corpus.open("w", encoding="utf-8") as fout:
        written = 0
        for line in fin:
            doc = json.loads(line)
            if doc["content"].strip():
                fout.write(json.dumps({"text": doc["content"], "title": doc["title"], "published": doc["dct"],
                                       "url": doc["uri"]}) + "\n")
                written += 1
            if written == 2000:
                break
    run([corpus], tmp_path / "local.sqlite")
    with make_engine("ray", workers=2) as engine:
        run([corpus], tmp_path / "ray.sqlite", engine=engine)
    assert _incidents(tmp_path / "ray.sqlite") == _incidents(tmp_path / "local.sqlite")
