"""Reconciliation measured on many incidents: the tolls of GVA incidents reported by two or more
documents, reconciled from their documents by the product's own code path.

Gold tolls come from the trial S3 answers (``part-info``).  The trial release keys ``part-info``
by mention-level ids, not GVA incident ids, so a toll is assigned to a GVA incident only where the
answer says so without doubt: the question's answer documents all belong to that one incident
(``gva_incident_id`` in ``gva_documents.jsonl``) and the ``part-info`` total of the kind asked
equals the question's ``numerical_answer`` (the two parts of the gold agree).  The incident's gold
is then the ``part-info`` total of killed and of injured.  An incident given two different tolls by
two questions is left out.  Incidents with fewer than two documents are left out.

Each incident's documents are extracted (:func:`rashomon.extract.extract_articles`), made one
Story, linked for reuse (:func:`rashomon.reuse.find_reuse`, :func:`rashomon.reuse.relations.classify`)
and reconciled (:func:`rashomon.reconcile.reconcile_story`), as the pipeline does for a story.

* ``toll_in_range``: share of the incidents whose gold killed and gold injured both lie inside
  the reconciled ``[low, high]``.  A kind with no figure has the range ``[0, 0]`` (a gold 0 with no
  figures is in range); an unknown low is 0, an unknown high is open.
* ``toll_best_exact``: share whose reconciled ``best`` equals the gold for both kinds (no figure: 0).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rashomon.eval.semeval2018_data import Answer, Question
from rashomon.models import FigureRange, Incident

KINDS = ("killed", "injured")
_ASKED = {"killing": "num_killed", "injuring": "num_injured"}


@dataclass(frozen=True)
class Toll:
    killed: int
    injured: int


def gold_tolls(questions: Iterable[Question], answers: dict[str, Answer],
               incident_of: dict[str, str]) -> dict[str, Toll]:
    """GVA incident id -> gold toll, by the rule of the module docstring."""
    found: dict[str, set[Toll]] = defaultdict(set)
    for q in questions:
        ans = answers.get(q.qid)
        asked = _ASKED.get(q.event_type)
        if ans is None or asked is None or not ans.part_info:
            continue
        incidents = {incident_of.get(d, "") for d in ans.docs()}
        if len(incidents) != 1 or "" in incidents:
            continue
        totals = {k: sum(v.get(k, 0) for v in ans.part_info.values()) for k in ("num_killed", "num_injured")}
        if totals[asked] != ans.numerical_answer:
            continue
        found[incidents.pop()].add(Toll(totals["num_killed"], totals["num_injured"]))
    return {inc: next(iter(t)) for inc, t in found.items() if len(t) == 1}


def _interval(rng: FigureRange) -> tuple[int, float]:
    if rng.best is None and rng.low is None and rng.high is None:
        return 0, 0
    return rng.low or 0, float("inf") if rng.high is None else rng.high


def in_range(rng: FigureRange, gold: int) -> bool:
    lo, hi = _interval(rng)
    return lo <= gold <= hi


def best_exact(rng: FigureRange, gold: int) -> bool:
    return (rng.best if rng.best is not None else 0) == gold


def score_incident(incident: Incident, gold: Toll) -> dict[str, Any]:
    ranges = {"killed": incident.killed, "injured": incident.injured}
    out: dict[str, Any] = {"gold": {"killed": gold.killed, "injured": gold.injured}}
    for kind in KINDS:
        rng = ranges[kind]
        out[kind] = {"low": rng.low, "best": rng.best, "high": rng.high, "figures": len(rng.figures)}
    out["in_range"] = all(in_range(ranges[k], getattr(gold, k)) for k in KINDS)
    out["best_exact"] = all(best_exact(ranges[k], getattr(gold, k)) for k in KINDS)
    return out


def reconcile_documents(groups: dict[str, list[dict[str, Any]]]) -> dict[str, Incident]:
    """GVA incident id -> the Incident reconciled from its documents (one Story each)."""
    from rashomon.eval.incident_slots import make_article
    from rashomon.extract import extract_articles
    from rashomon.ingest.metadata import clean_text
    from rashomon.models import Story, StoryArticle
    from rashomon.reconcile import reconcile_story
    from rashomon.reuse import find_reuse
    from rashomon.reuse.relations import classify
    from rashomon.settings import load_settings

    settings = load_settings()
    articles = {}
    for inc, docs in groups.items():
        for doc in docs:
            title = (doc.get("title") or "").strip() or None
            text = clean_text(f"{title or ''}\n\n{doc.get('content') or ''}".strip())
            day = dt.date.fromisoformat(doc["dct"][:10]) if doc.get("dct") else None
            articles[(inc, doc["doc_id"])] = make_article(text, f"gva:{doc['doc_id']}", title=title,
                                                          url=doc.get("uri"), published=day)
    mentions = dict(zip(articles, extract_articles(articles.values()), strict=True))
    out: dict[str, Incident] = {}
    for inc, docs in groups.items():
        arts = {articles[(inc, d["doc_id"])].id: articles[(inc, d["doc_id"])] for d in docs}
        story = Story(id=f"gva-{inc}", articles=[StoryArticle(article_id=a) for a in arts])
        story = classify(story, arts, find_reuse(list(arts.values()), settings.reuse), settings.reuse)
        ments = {articles[(inc, d["doc_id"])].id: mentions[(inc, d["doc_id"])] for d in docs}
        out[inc] = reconcile_story(story, arts, ments, settings)
    return out


def evaluate_tolls(documents: list[dict[str, Any]], questions: list[Question], answers: dict[str, Answer],
                   limit: int | None = None) -> tuple[dict[str, float], dict[str, Any]]:
    """``toll_in_range`` and ``toll_best_exact`` over the incidents with gold tolls and two or more
    documents (``limit``: the first N of them by incident id)."""
    incident_of = {d["doc_id"]: str(d["gva_incident_id"]) for d in documents}
    docs_of: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for d in documents:
        docs_of[str(d["gva_incident_id"])].setdefault(d["doc_id"], d)
    gold = gold_tolls(questions, answers, incident_of)
    chosen = sorted(inc for inc in gold if len(docs_of[inc]) >= 2)[:limit]
    incidents = reconcile_documents({inc: list(docs_of[inc].values()) for inc in chosen})
    rows = {inc: score_incident(incidents[inc], gold[inc]) for inc in chosen}
    n = len(rows)
    metrics = {
        "toll_in_range": sum(r["in_range"] for r in rows.values()) / n if n else 0.0,
        "toll_best_exact": sum(r["best_exact"] for r in rows.values()) / n if n else 0.0,
    }
    details = {"toll_incidents": n, "toll_documents": sum(len(docs_of[i]) for i in chosen), "tolls": rows}
    return metrics, details
