"""A long clustering run lets go of old stories, and links exactly as if it kept them all.

The reports come from the incremental benchmark's seeded generator (real Articles and Mentions
written through the store API, no NLP).  Some are made late reports of old incidents, published
months after their incident date, so linking them reaches back to days the run has let go of and
must reload those stories from the store.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from rashomon.cluster import linker as linker_mod
from rashomon.cluster.linker import Linker, cluster_pending
from rashomon.settings import load_settings
from rashomon.store import open_store

BENCH = Path(__file__).resolve().parents[2] / "bench" / "incremental.py"
FORGET_BEFORE = Linker.forget_before


def _bench():
    spec = importlib.util.spec_from_file_location("rashomon_bench_incremental", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def reports():
    bench = _bench()
    out = bench.Stream(1200, per_day=5, seed=5).reports()  # 250 days: well past the forgetting horizon
    late = []
    for i, (art, mention) in enumerate(out):
        if i % 97 == 0 and mention.date is not None:  # a late report of an old incident
            late.append((art.model_copy(update={"published": art.published + dt.timedelta(days=150)}), mention))
        else:
            late.append((art, mention))
    late.sort(key=lambda r: (r[0].published, r[0].id))
    return bench, late


def _cluster(tmp_path: Path, name: str, reports, forget: bool, monkeypatch) -> tuple[set[frozenset[str]], list[int]]:
    bench, rows = reports
    kept: list[int] = []

    def watched(self, cutoff):
        dropped = FORGET_BEFORE(self, cutoff) if forget else 0
        kept.append(len(self._features))
        return dropped

    monkeypatch.setattr(Linker, "forget_before", watched)
    with open_store(tmp_path / f"{name}.sqlite") as store:
        bench.write(store, rows, one_transaction=True)
        with store.transaction():
            cluster_pending(store, load_settings().cluster)
        return set(bench.stories(store)), kept


def test_forgetting_old_stories_changes_no_link(tmp_path, reports, monkeypatch):
    assert linker_mod.COMMIT_EVERY < 1200 / 3  # several batches, so forgetting happens mid-run
    monkeypatch.setattr(linker_mod, "COMMIT_EVERY", 100)
    kept_all, sizes_all = _cluster(tmp_path, "all", reports, forget=False, monkeypatch=monkeypatch)
    forgot, sizes = _cluster(tmp_path, "forget", reports, forget=True, monkeypatch=monkeypatch)
    assert forgot == kept_all
    assert len(kept_all) > 200  # many stories, most of several reports
    assert sizes_all[-1] >= 1150  # without forgetting every article stays in memory
    assert max(sizes) < 0.75 * sizes_all[-1]  # with it, only the recent window (plus reloads)


def test_text_similarity_with_and_without_shared_terms():
    from types import SimpleNamespace

    from rashomon.cluster.features import text_vectors
    from rashomon.cluster.linker import _text_similarities

    texts = ["gunmen killed five people at the market", "five people killed at a market by gunmen",
             "heavy rain expected over the weekend", ""]
    vectors = text_vectors(texts)
    feats = [SimpleNamespace(vector=vectors[i]) for i in range(len(texts))]
    flat = lambda terms: np.ones(len(terms))
    sims = _text_similarities(feats[0], feats, flat)
    assert sims.dtype.kind == "f" and sims[0] == pytest.approx(1.0) and 0.5 < sims[1] < 1.0
    assert sims[2] == 0.0 and sims[3] == 0.0
    none_shared = _text_similarities(feats[2], feats[:2], flat)  # no term in common with any member
    assert none_shared.dtype.kind == "f" and list(none_shared) == [0.0, 0.0]
