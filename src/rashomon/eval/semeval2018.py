"""SemEval-2018 Task 5, the long-tail question answering task on gun violence: ``rashomon eval semeval2018``.

Every document of ``gva_documents.jsonl`` is analysed with the real pipeline (ingest -> extract ->
cluster -> reuse -> reconcile) into a cached store (see :mod:`rashomon.eval.semeval2018_data`); the
questions of subtasks S1 (which incident), S2 (how many incidents) and S3 (how many killed or
injured) are answered from the store's incidents (:mod:`rashomon.eval.semeval2018_questions`);
predictions are written in the task's format, one ``answers.json`` per subtask, and scored against
``<split>/s{1,2,3}/answers.json`` when that file is present (the official scorer's definitions):

* ``sK_doc_f1``: per question, precision and recall of the predicted answer documents against the
  gold answer documents (both empty: 1), F1 of the two; averaged over the questions with a gold answer;
* ``sK_accuracy``: share of those questions whose ``numerical_answer`` equals the gold one;
* ``sK_rmse``: root of the mean squared difference of the numerical answers.

``--limit N`` answers only the first N questions of each subtask (those with a gold answer when
gold is present) and analyses only the gold answer documents of those questions plus a fixed
random sample of other documents, :data:`~rashomon.eval.semeval2018_data.DISTRACTORS_PER_QUESTION`
per question asked (the sample is the same for the same number of questions).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rashomon.eval.base import EvalResult, Failures, rounded
from rashomon.eval.semeval2018_data import (
    DISTRACTORS_PER_QUESTION,
    DOCUMENTS,
    SUBTASKS,
    Answer,
    Haystack,
    Question,
    build_haystack,
    cache_root,
    load_answers,
    load_documents,
    load_questions,
    select_documents,
)
from rashomon.eval.semeval2018_questions import IncidentView, Matcher, incident_view, report_of
from rashomon.eval.semeval2018_tolls import evaluate_tolls
from rashomon.settings import Settings
from rashomon.store import open_store

__all__ = ["Scores", "evaluate", "score_subtask"]


@dataclass
class Scores:
    """Averages over the questions scored in one subtask."""

    n: int
    doc_precision: float
    doc_recall: float
    doc_f1: float
    accuracy: float
    rmse: float


def doc_prf(predicted: set[str], gold: set[str]) -> tuple[float, float, float]:
    """The official per-question document scores: both sets empty counts as a perfect answer."""
    if not predicted and not gold:
        return 1.0, 1.0, 1.0
    tp = len(predicted & gold)
    p = tp / len(predicted) if predicted else 0.0
    r = tp / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_subtask(predicted: dict[str, Answer], gold: dict[str, Answer]) -> Scores:
    """Score the questions present in both ``predicted`` and ``gold`` (as the official scorer does)."""
    qids = [q for q in gold if q in predicted]
    if not qids:
        return Scores(0, 0.0, 0.0, 0.0, 0.0, 0.0)
    prf = [doc_prf(predicted[q].docs(), gold[q].docs()) for q in qids]
    right = sum(predicted[q].numerical_answer == gold[q].numerical_answer for q in qids)
    sq = sum((predicted[q].numerical_answer - gold[q].numerical_answer) ** 2 for q in qids)
    n = len(qids)
    return Scores(
        n, sum(x[0] for x in prf) / n, sum(x[1] for x in prf) / n, sum(x[2] for x in prf) / n, right / n, math.sqrt(sq / n)
    )


def incident_views(haystack: Haystack) -> list[IncidentView]:
    """Every incident of the store with its reports (GVA documents), the text of its articles and their places."""
    docs_of = haystack.article_to_docs()
    with open_store(haystack.db) as store:
        incidents = store.incidents()
        articles = {a.id: a for a in store.articles()}
        mentions = store.mentions(list(articles))
    views = []
    for inc in incidents:
        arts = [articles[s.article_id] for s in inc.sources if s.article_id in articles]
        reports = [report_of(a, mentions.get(a.id), docs_of.get(a.id, [])) for a in arts]
        text = "\n".join(f"{a.title or ''}\n{a.text}" for a in arts)
        places = [pm.place for a in arts if a.id in mentions for pm in mentions[a.id].places if pm.place is not None]
        views.append(incident_view(inc, reports, text, places))
    return views


def _select(questions: list[Question], gold: dict[str, Answer] | None, limit: int | None) -> list[Question]:
    if limit is None:
        return questions
    pool = [q for q in questions if gold is None or q.qid in gold]
    return pool[:limit]


def _write(answers: dict[str, Answer], questions: Iterable[Question], path: Path) -> None:
    subtask = {q.qid: q.subtask for q in questions}
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {qid: a.as_json(subtask[qid]) for qid, a in answers.items()}
    path.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")


def evaluate(data: Path, split: str | None, limit: int | None, settings: Settings | None = None) -> EvalResult:
    """Answer and score the questions of ``split`` (``trial`` or ``test``) in ``data``."""
    split = split or "trial"
    folder = data / split
    present = [s for s in SUBTASKS if (folder / s / "questions.json").is_file()]
    if not present:
        raise FileNotFoundError(f"no s1/s2/s3 questions.json under {folder}")
    if not (data / DOCUMENTS).is_file():
        raise FileNotFoundError(f"{DOCUMENTS} not found in {data}")
    chosen: dict[str, list[Question]] = {}
    golds: dict[str, dict[str, Answer] | None] = {}
    for s in present:
        golds[s] = load_answers(folder / s)
        chosen[s] = _select(load_questions(folder / s), golds[s], limit)
    doc_ids = None
    if limit is not None:
        needed = {d for s in present for q in chosen[s] if golds[s] for d in golds[s][q.qid].docs()}  # type: ignore[index]
        asked = sum(len(c) for c in chosen.values())
        docs = select_documents(load_documents(data / DOCUMENTS), needed, DISTRACTORS_PER_QUESTION * asked)
        doc_ids = [d["doc_id"] for d in docs]
    haystack = build_haystack(data, doc_ids, settings)
    matcher = Matcher(incident_views(haystack))
    out_dir = cache_root() / "predictions" / (split + (f"-limit{limit}" if limit is not None else ""))
    metrics: dict[str, float] = {}
    details: dict[str, object] = {"store": str(haystack.db), "documents": haystack.documents, "incidents": len(matcher.views)}
    n = 0
    failures = Failures()
    for s in present:
        answers = {}
        for q in chosen[s]:
            with failures.guard(f"question {q.qid}"):
                answers[q.qid] = matcher.answer(q)
        path = out_dir / s / "answers.json"
        _write(answers, chosen[s], path)
        details[f"{s}_predictions"] = str(path)
        gold = golds[s]
        if gold is None:
            details[f"{s}_answered"] = len(answers)
            continue
        sc = score_subtask(answers, gold)
        n += sc.n
        metrics[f"{s}_doc_f1"] = sc.doc_f1
        if s != "s1":
            metrics[f"{s}_accuracy"] = sc.accuracy
            metrics[f"{s}_rmse"] = sc.rmse
        details[f"{s}_scored"] = sc.n
        details[f"{s}_doc_precision"] = round(sc.doc_precision, 4)
        details[f"{s}_doc_recall"] = round(sc.doc_recall, 4)
    if golds.get("s3"):
        toll_metrics, toll_details = evaluate_tolls(
            load_documents(data / DOCUMENTS), load_questions(folder / "s3"), golds["s3"], limit)  # type: ignore[arg-type]
        metrics.update(toll_metrics)
        details.update(toll_details)
    order = ["s1_doc_f1", "s2_doc_f1", "s3_doc_f1", "s2_accuracy", "s3_accuracy", "s2_rmse", "s3_rmse",
             "toll_in_range", "toll_best_exact"]
    metrics = {k: metrics[k] for k in order if k in metrics}
    result = EvalResult("semeval2018", split, n or sum(len(c) for c in chosen.values()), rounded(metrics), details)
    return failures.report(result)
