"""GVC document clustering: the scorers on hand-computed cases, the loader on a tiny folder written
here, and the real evaluation on a few events of the shared data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rashomon.eval.clustering_metrics import ari, b_cubed, ceaf_e, clustering_scores, muc
from rashomon.eval.gvc import evaluate, load_gvc

GOLD = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
PRED = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}


def test_muc_counts_links():
    m = muc(GOLD, PRED)
    assert (m.precision, m.recall) == pytest.approx((2 / 3, 2 / 3))


def test_b_cubed_per_document():
    b = b_cubed(GOLD, PRED)
    assert (b.precision, b.recall) == pytest.approx((11 / 15, 11 / 15))


def test_ceaf_e_best_alignment():
    c = ceaf_e(GOLD, PRED)
    assert (c.precision, c.recall) == pytest.approx((0.8, 0.8))


def test_perfect_and_singletons():
    scores = clustering_scores(GOLD, {k: f"s{v}" for k, v in GOLD.items()})
    assert scores["b3_f1"] == scores["conll_f1"] == scores["ari"] == 1.0
    singletons = {k: k for k in GOLD}
    assert muc(GOLD, singletons).f1 == 0.0
    assert b_cubed(GOLD, singletons).precision == 1.0
    assert ari(GOLD, singletons) == pytest.approx(0.0)


def test_scorer_refuses_different_documents():
    with pytest.raises(ValueError):
        b_cubed(GOLD, {"a": 1})


def _write_folder(root: Path) -> None:
    (root / "gvc_splits").mkdir(parents=True)
    (root / "gvc_splits" / "dev.csv").write_text("0,11\n1,22\n", encoding="utf-8")
    (root / "gvc_splits" / "gvc_doc_to_event.csv").write_text(
        "doc-id,event-id\nd1,11\nd2,11\nd3,22\nd4,33\n", encoding="utf-8"
    )
    docs = [
        ("d1", "2021-04-02", "A man was shot on Elm Street in Springfield on Thursday night, police said."),
        ("d2", "2021-04-03", "Police named Tom Reyes, 31, as the man shot on Elm Street in Springfield."),
        ("d3", "2021-05-10", "Two teenagers were wounded outside a cinema in Shelbyville on Sunday."),
        ("d4", "2021-06-01", "An unrelated report that belongs to another split."),
    ]
    with (root / "gva_documents.jsonl").open("w", encoding="utf-8") as handle:
        for doc_id, dct, text in docs:
            uri = f"http://web.archive.org/web/2021/http://news.example/{doc_id}"
            handle.write(json.dumps({"doc_id": doc_id, "gva_incident_id": "0", "dct": dct, "title": text[:30],
                                     "uri": uri, "content": text}) + "\n")


def test_loader_joins_split_events_and_texts(tmp_path):
    _write_folder(tmp_path)
    docs = load_gvc(tmp_path, "dev")
    assert [(d.key, d.gold, d.arrival) for d in docs] == [
        ("d1", "11", "2021-04-02"), ("d2", "11", "2021-04-03"), ("d3", "22", "2021-05-10")
    ]
    assert docs[0].record["url"] == "http://news.example/d1"
    assert [d.key for d in load_gvc(tmp_path, "dev", limit=1)] == ["d1", "d2"]
    with pytest.raises(ValueError):
        load_gvc(tmp_path, "nosuchsplit")


def test_real_eval_on_a_few_events(shared_dir):
    result = evaluate(shared_dir / "data" / "semeval2018_task5", "dev", limit=6)
    assert result.n > 6
    assert set(result.metrics) == {"b3_f1", "conll_f1", "ari"}
    assert all(0.0 <= v <= 1.0 for v in result.metrics.values())
