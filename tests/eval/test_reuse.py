"""Reuse benchmark: the generator and scorer on texts written here, the real benchmark on a few
GVA cases, and the demo corpus's republication and rewrite found with their passages."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from tests.factories import article

from rashomon.demo import DEFAULT_CORPUS
from rashomon.eval.reuse import Case, build_cases, evaluate, light_edit, score_case
from rashomon.ingest import read_articles
from rashomon.models import ReuseLink, Span
from rashomon.reuse import find_reuse
from rashomon.settings import load_settings

CFG = load_settings().reuse


def _invented_doc(rng: random.Random, n: int) -> str:
    """Nonsense prose of n sentences (own words, no two docs share word runs)."""
    vocab = [f"{rng.choice('bdfgklmnprstvz')}{rng.choice('aeiou')}{rng.choice('bdfgklmnprstvz')}{rng.choice('aeiou')}"
             f"{rng.choice('nrst')}" for _ in range(400)]
    sentences = [" ".join([rng.choice(vocab).capitalize()] + rng.sample(vocab, 14)) + "." for _ in range(n)]
    return "\n\n".join(" ".join(sentences[i : i + 2]) for i in range(0, n, 2))


def _folder(tmp_path: Path) -> Path:
    rng = random.Random(5)
    with (tmp_path / "gva_documents.jsonl").open("w", encoding="utf-8") as handle:
        for i in range(6):
            handle.write(json.dumps({"doc_id": f"d{i}", "gva_incident_id": str(i), "dct": f"2020-02-0{i + 1}",
                                     "title": "t", "uri": "u", "content": _invented_doc(rng, 12)}) + "\n")
    return tmp_path


def test_generator_is_deterministic_and_gold_spans_hold_the_passages(tmp_path):
    folder = _folder(tmp_path)
    one, two = build_cases(folder, 12), build_cases(folder, 12)
    assert [(c.kind, c.target.text, c.gold) for c in one] == [(c.kind, c.target.text, c.gold) for c in two]
    for case in one:
        assert case.target.published >= case.source.published
        for start, end in case.gold:
            assert case.target.text[start:end].strip() == case.target.text[start:end]
            assert end - start >= 80
        if case.kind == "negative":
            assert case.gold == []


def test_light_edit_keeps_most_of_the_sentence():
    rng = random.Random(1)
    sentence = "Police said the man, 34, was found at home on Friday after 3 shots were heard nearby."
    for _ in range(20):
        edited = light_edit(sentence, rng)
        assert len(set(edited.split()) & set(sentence.split())) >= 10


def test_score_case_matches_on_half_the_gold_span():
    src, tgt = article("x" * 200), article("y" * 300, "2025-03-05")
    case = Case("insert", src, tgt, gold=[(100, 200)])

    def link(start: int, end: int, reverse: bool = False) -> ReuseLink:
        s = Span(article_id=src.id, start=0, end=10, text="x")
        t = Span(article_id=tgt.id, start=start, end=end, text="y")
        if reverse:
            return ReuseLink(source_id=tgt.id, target_id=src.id, share=0.5, passages=[(t, s)])
        return ReuseLink(source_id=src.id, target_id=tgt.id, share=0.5, passages=[(s, t)])

    assert score_case(case, [link(140, 260)]) == (1, 1, 1, 1, True)
    assert score_case(case, [link(160, 260)]) == (1, 0, 1, 0, True)
    assert score_case(case, [link(90, 210, reverse=True)]) == (1, 1, 1, 1, False)
    assert score_case(Case("negative", src, tgt), []) == (0, 0, 0, 0, None)


def test_real_benchmark_on_a_few_cases(shared_dir):
    result = evaluate(shared_dir / "data" / "semeval2018_task5", None, limit=20)
    assert result.n == 20
    assert set(result.metrics) == {"passage_precision", "passage_recall", "passage_f1", "direction_accuracy"}
    assert all(0.0 <= v <= 1.0 for v in result.metrics.values())


def test_demo_republication_and_rewrite_found_with_passages():
    expect = json.loads((DEFAULT_CORPUS.parent / "expectations.json").read_text(encoding="utf-8"))["reuse"]
    outcomes = [o for o in read_articles([DEFAULT_CORPUS]) if o.article is not None]
    by_doc = {Path(o.source).name: o.article for o in outcomes}
    links = find_reuse([o.article for o in outcomes], CFG)
    for item in expect:
        copy, original = by_doc[item["doc"]], by_doc[item["of"]]
        found = [lk for lk in links if (lk.source_id, lk.target_id) == (original.id, copy.id)]
        assert found, f"no reuse link {item['of']} -> {item['doc']}"
        spans = [(t.start, t.end) for _, t in found[0].passages]
        if item["kind"] == "republication":
            assert found[0].share >= CFG.republication_share
        for passage in item.get("shared_passages", []):
            start = copy.text.find(passage["rewrite"])
            assert start >= 0
            end = start + len(passage["rewrite"])
            covered = max(min(e, end) - max(s, start) for s, e in spans)
            assert covered >= 0.5 * (end - start), f"passage not found: {passage['rewrite'][:40]}"


@pytest.mark.parametrize("kind", ["insert", "republication"])
def test_generated_kinds_are_present(tmp_path, kind):
    assert any(c.kind == kind for c in build_cases(_folder(tmp_path), 30))
