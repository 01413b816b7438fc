"""Gun Violence Corpus (GVC) document clustering: ``rashomon eval gvc --data DIR --split dev|test``.

DIR is the ``semeval2018_task5`` folder.  ``gvc_splits/gvc_doc_to_event.csv`` maps the 510 GVC
documents to their incident (event) ids; ``gvc_splits/{train,dev,test}.csv`` give Bugert et al.'s
(2021) split by event as ``index,event_id`` lines; the texts are in
``gva_documents.jsonl`` (joined on ``doc_id``; ``dct`` is the publication date).

The split's documents go through the real pipeline as a news stream would bring them: the ingest
record reader, extraction, and the incremental clustering ``rashomon analyse`` runs, one batch
per publication day, so a report arriving days later joins an existing story without anything
being re-clustered.  The stories are then scored against the gold incidents (see
:mod:`rashomon.eval.clustering_metrics`; docs/evaluation/clustering.md).
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from rashomon.cluster import cluster_pending
from rashomon.eval.base import EvalResult, Failures, rounded
from rashomon.eval.clustering_metrics import clustering_scores
from rashomon.extract import extract_pending
from rashomon.ingest.jsonl import parse_record
from rashomon.settings import Settings, load_settings
from rashomon.store import open_store

SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class Document:
    """One evaluation document: its key, gold cluster and the ingest record built from it."""

    key: str
    gold: Hashable
    record: Mapping[str, object]  # fields as the JSON record reader takes them
    arrival: str  # documents are fed to the pipeline in batches by this key, in order


def _split_events(folder: Path, split: str) -> list[str]:
    path = folder / "gvc_splits" / f"{split}.csv"
    if split not in SPLITS or not path.is_file():
        raise ValueError(f"unknown GVC split {split!r}; choose one of {', '.join(SPLITS)}")
    events: list[str] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            if len(row) >= 2 and row[1].strip().isdigit():
                events.append(row[1].strip())
    return events


def _texts(folder: Path, wanted: set[str]) -> dict[str, dict[str, str]]:
    """The first record of every wanted doc id in gva_documents.jsonl."""
    out: dict[str, dict[str, str]] = {}
    with (folder / "gva_documents.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            rec = json.loads(line)
            if rec["doc_id"] in wanted and rec["doc_id"] not in out:
                out[rec["doc_id"]] = rec
    return out


def _original_url(uri: str | None) -> str | None:
    """The page's own URL from an archive.org address (``.../web/<stamp>/http://...``)."""
    if not uri:
        return None
    marker = uri.find("/http", 8)
    return uri[marker + 1 :] if "web.archive.org" in uri and marker > 0 else uri


def load_gvc(folder: Path, split: str, limit: int | None = None) -> list[Document]:
    """The documents of a split's events (the first ``limit`` events when given)."""
    events = _split_events(folder, split)
    if limit is not None:
        events = events[:limit]
    wanted_events = set(events)
    gold: dict[str, str] = {}
    with (folder / "gvc_splits" / "gvc_doc_to_event.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["event-id"] in wanted_events:
                gold[row["doc-id"]] = row["event-id"]
    texts = _texts(folder, set(gold))
    docs: list[Document] = []
    for doc_id in sorted(gold):
        rec = texts.get(doc_id)
        if rec is None:
            continue
        record = {
            "text": rec.get("content") or rec.get("title") or "",
            "title": rec.get("title"),
            "published": rec.get("dct"),
            "url": _original_url(rec.get("uri")),
        }
        docs.append(Document(key=doc_id, gold=gold[doc_id], record=record, arrival=str(rec.get("dct") or "")))
    return docs


def cluster_documents(docs: Iterable[Document], settings: Settings | None = None,
                      failures: Failures | None = None) -> dict[str, str]:
    """Run ingest, extraction and incremental clustering on ``docs``; return key -> story id.

    Documents arrive in batches (sorted by ``arrival``); each batch is extracted and clustered
    before the next one is ingested, in a fresh temporary SQLite store.  A document the ingest
    rejects (no text), or that fails, gets a story of its own; failures are recorded in
    ``failures`` (a failing batch leaves its articles to the next batch's extraction).
    """
    settings = settings or load_settings()
    failures = failures if failures is not None else Failures()
    ordered = sorted(docs, key=lambda d: (d.arrival, d.key))
    article_of: dict[str, str | None] = {}
    with tempfile.TemporaryDirectory(prefix="rashomon-eval-") as tmp, open_store(Path(tmp) / "eval.sqlite") as store:
        for arrival, batch in groupby(ordered, key=lambda d: d.arrival):
            for doc in batch:
                article_of[doc.key] = None
                with failures.guard(f"document {doc.key}"):
                    outcome = parse_record(dict(doc.record), f"eval:{doc.key}", f"document {doc.key}")
                    if outcome.article is not None:
                        store.add_outcome(outcome)
                        article_of[doc.key] = outcome.article.id
            with failures.guard(f"batch {arrival}"):
                extract_pending(store, settings.extract)
                cluster_pending(store, settings.cluster)
        stories: dict[str, str] = {}
        for key, art in article_of.items():
            story = store.story_of(art) if art is not None else None
            stories[key] = story or f"alone:{key}"
    return stories


def score_documents(docs: list[Document], stories: Mapping[str, str]) -> dict[str, float]:
    """Clustering scores of ``stories`` against the documents' gold clusters."""
    gold = {d.key: d.gold for d in docs}
    return clustering_scores(gold, {d.key: stories[d.key] for d in docs})


def evaluate(data: Path, split: str | None, limit: int | None) -> EvalResult:
    """Score document clusters of a GVC split against its gold incidents; ``limit`` counts events."""
    split = split or "test"
    docs = load_gvc(data, split, limit)
    failures = Failures()
    stories = cluster_documents(docs, failures=failures)
    scores = score_documents(docs, stories)
    details = {
        "events": len({d.gold for d in docs}),
        "stories": len({stories[d.key] for d in docs}),
        "documents": [{"doc_id": d.key, "event": d.gold, "story": stories[d.key]} for d in docs],
        "all_scores": rounded(scores),
    }
    metrics = {"b3_f1": scores["b3_f1"], "conll_f1": scores["conll_f1"], "ari": scores["ari"]}
    return failures.report(EvalResult(dataset="gvc", split=split, n=len(docs), metrics=rounded(metrics), details=details))
