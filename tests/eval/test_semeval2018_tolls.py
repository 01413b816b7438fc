"""Tolls reconciled per GVA incident (``toll_in_range`` / ``toll_best_exact`` of ``eval semeval2018``):
the gold rule, the range rules, and a real reconciliation of two invented reports of one incident."""

from __future__ import annotations

from rashomon.eval.semeval2018_data import Answer, Question
from rashomon.eval.semeval2018_tolls import Toll, best_exact, evaluate_tolls, gold_tolls, in_range
from rashomon.models import FigureRange


def _q(qid: str, kind: str) -> Question:
    return Question(qid=qid, subtask=3, event_type=kind)


def test_gold_tolls_only_where_the_answer_is_unambiguous() -> None:
    incident_of = {"d1": "10", "d2": "10", "d3": "20", "d4": "30", "d5": "40", "d6": "40"}
    questions = [_q("a", "killing"), _q("b", "injuring"), _q("c", "killing"), _q("d", "killing"),
                 _q("e", "killing"), _q("f", "injuring")]
    answers = {
        # one incident, part-info (two mention-level entries) agrees with the answer: 10 = 2 killed, 3 injured
        "a": Answer(2, {"": ["d1", "d2"]}, {"m1": {"num_killed": 2, "num_injured": 1}, "m2": {"num_injured": 2}}),
        "b": Answer(3, {"": ["d1"]}, {"m1": {"num_killed": 2, "num_injured": 3}}),  # the same toll again
        "c": Answer(4, {"": ["d3"]}, {"m3": {"num_killed": 1, "num_injured": 0}}),  # disagrees with the answer
        "d": Answer(1, {"": ["d3", "d4"]}, {"m4": {"num_killed": 1}}),  # two incidents
        "e": Answer(1, {"": ["d5"]}, {"m5": {"num_killed": 1, "num_injured": 0}}),
        "f": Answer(2, {"": ["d6"]}, {"m6": {"num_killed": 0, "num_injured": 2}}),  # 40 given two tolls
    }
    assert gold_tolls(questions, answers, incident_of) == {"10": Toll(2, 3)}


def test_ranges_missing_figures_and_open_bounds() -> None:
    empty = FigureRange()
    assert in_range(empty, 0) and not in_range(empty, 1)
    assert best_exact(empty, 0) and not best_exact(empty, 2)
    rng = FigureRange(low=2, best=3, high=5)
    assert in_range(rng, 2) and in_range(rng, 5) and not in_range(rng, 6) and not in_range(rng, 1)
    assert best_exact(rng, 3) and not best_exact(rng, 2)
    assert in_range(FigureRange(low=4, best=4, high=None), 400)


def test_a_group_of_invented_reports_is_reconciled_and_scored() -> None:
    docs = [
        {"doc_id": "x1", "gva_incident_id": 7, "dct": "2032-02-03", "title": "Two shot in Dayton",
         "content": "Two men were shot and killed outside a bakery on Elm Street in Dayton, Ohio on Tuesday night, "
                    "police said. A woman was wounded and taken to a hospital."},
        {"doc_id": "x2", "gva_incident_id": 7, "dct": "2032-02-04", "title": "Bakery shooting",
         "content": "Police in Dayton said two people died and one woman was injured in a shooting on Elm Street."},
        {"doc_id": "x3", "gva_incident_id": 8, "dct": "2032-02-04", "title": "Lone report",
         "content": "A man was shot in Akron, Ohio on Wednesday."},
    ]
    questions = [_q("k", "killing"), _q("s", "killing")]
    answers = {"k": Answer(2, {"": ["x1", "x2"]}, {"m": {"num_killed": 2, "num_injured": 1}}),
               "s": Answer(0, {"": ["x3"]}, {"n": {"num_killed": 0, "num_injured": 1}})}  # one document: left out
    metrics, details = evaluate_tolls(docs, questions, answers)
    assert details["toll_incidents"] == 1 and details["toll_documents"] == 2
    row = details["tolls"]["7"]
    assert row["gold"] == {"killed": 2, "injured": 1}
    assert (row["killed"]["best"], row["injured"]["best"]) == (2, 1)
    assert metrics == {"toll_in_range": 1.0, "toll_best_exact": 1.0}
    wrong = {"k": Answer(2, {"": ["x1", "x2"]}, {"m": {"num_killed": 2, "num_injured": 4}})}
    assert evaluate_tolls(docs, questions, wrong)[0] == {"toll_in_range": 0.0, "toll_best_exact": 0.0}
