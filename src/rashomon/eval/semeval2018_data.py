"""SemEval-2018 Task 5 data: questions, gold answers, and the analysed haystack of GVA documents.

The haystack (``gva_documents.jsonl``, one GVA news document a line) is analysed once with the real
pipeline (:func:`rashomon.pipeline.run`) into a SQLite store kept in a cache folder, keyed by a hash
of the input file, the package version and the documents selected, so later runs of the evaluation
only answer questions.  The cache folder is ``$RASHOMON_CACHE/semeval2018`` (default
``~/.cache/rashomon/semeval2018``).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rashomon
from rashomon import pipeline
from rashomon.ids import digest
from rashomon.settings import Settings
from rashomon.store import open_store

DOCUMENTS = "gva_documents.jsonl"
SUBTASKS = ("s1", "s2", "s3")
DISTRACTORS_PER_QUESTION = 10  # random other documents added to a --limit haystack per question asked
_SAMPLE_SEED = 2018
HAYSTACK_FORMAT = 1  # bump when article_record() changes: old cached stores are then not reused


@dataclass(frozen=True)
class Question:
    """One question of the task; constraints as written in ``questions.json``."""

    qid: str
    subtask: int
    event_type: str  # killing | injuring | fire_burning | job_firing
    time: dict[str, str] = field(default_factory=dict)  # {"day": "dd/mm/yyyy"} | {"month": "mm/yyyy"} | {"year"}
    location: dict[str, str] = field(default_factory=dict)  # {"city" | "state": DBpedia URI}
    participant: dict[str, str] = field(default_factory=dict)  # {"first" | "last" | "full_name": name}
    verbose: str = ""


@dataclass
class Answer:
    """An answer in the task's format: documents by incident, the number, casualties per incident."""

    numerical_answer: int
    answer_docs: dict[str, list[str]]
    part_info: dict[str, dict[str, int]] = field(default_factory=dict)

    def docs(self) -> set[str]:
        return {d for docs in self.answer_docs.values() for d in docs}

    def as_json(self, subtask: int) -> dict[str, Any]:
        out: dict[str, Any] = {"numerical_answer": self.numerical_answer, "answer_docs": self.answer_docs}
        if subtask == 3:
            out["part_info"] = self.part_info
        return out


def cache_root() -> Path:
    """``$RASHOMON_CACHE`` (default ``~/.cache/rashomon``) / ``semeval2018``."""
    base = os.environ.get("RASHOMON_CACHE") or str(Path.home() / ".cache" / "rashomon")
    return Path(base).expanduser() / "semeval2018"


# --------------------------------------------------------------------------- questions and answers

def load_questions(folder: Path) -> list[Question]:
    """The questions of one subtask folder (``.../s1``), in file order."""
    raw = json.loads((folder / "questions.json").read_text("utf-8"))
    return [
        Question(
            qid=qid,
            subtask=int(q.get("subtask") or folder.name[-1]),
            event_type=str(q.get("event_type", "")),
            time=dict(q.get("time") or {}),
            location=dict(q.get("location") or {}),
            participant=dict(q.get("participant") or {}),
            verbose=str(q.get("verbose_question", "")),
        )
        for qid, q in raw.items()
    ]


def _part_info(raw: dict[str, Any]) -> dict[str, dict[str, int]]:
    info = raw.get("part_info") or raw.get("part-info") or {}
    return {str(k): {kk: int(vv) for kk, vv in v.items() if isinstance(vv, int)} for k, v in info.items()}


def parse_answer(raw: dict[str, Any]) -> Answer:
    """One gold answer; the trial release's flat ``answer_docs`` list becomes one unnamed group."""
    docs = raw.get("answer_docs") or {}
    by_incident = {"": [str(d) for d in docs]} if isinstance(docs, list) else {str(k): [str(d) for d in v] for k, v in docs.items()}
    return Answer(int(raw.get("numerical_answer", 0)), by_incident, _part_info(raw))


def load_answers(folder: Path) -> dict[str, Answer] | None:
    """Gold answers of one subtask folder, or None when ``answers.json`` is absent (held out)."""
    path = folder / "answers.json"
    if not path.is_file():
        return None
    return {qid: parse_answer(a) for qid, a in json.loads(path.read_text("utf-8")).items()}


# --------------------------------------------------------------------------- documents and haystack

def load_documents(path: Path) -> list[dict[str, Any]]:
    """The GVA documents, one dict a line (``doc_id``, ``dct``, ``title``, ``content``, ...)."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def article_record(doc: dict[str, Any]) -> dict[str, Any]:
    """A document as a line of the project's JSONL input: title + content as text, dct as date."""
    title = (doc.get("title") or "").strip()
    content = (doc.get("content") or "").strip()
    return {
        "id": doc["doc_id"],
        "title": title or None,
        "text": f"{title}\n\n{content}".strip() or doc["doc_id"],
        "published": doc.get("dct"),
        "url": doc.get("uri"),
    }


def select_documents(docs: list[dict[str, Any]], needed: Iterable[str], distractors: int) -> list[dict[str, Any]]:
    """The documents in ``needed`` plus a fixed random sample of ``distractors`` others (file order kept)."""
    wanted = set(needed)
    others = sorted({d["doc_id"] for d in docs} - wanted)
    sample = set(random.Random(_SAMPLE_SEED).sample(others, min(distractors, len(others))))
    keep = wanted | sample
    seen: set[str] = set()
    out = []
    for d in docs:
        if d["doc_id"] in keep and d["doc_id"] not in seen:
            seen.add(d["doc_id"])
            out.append(d)
    return out


def _file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


_ID_IN_SOURCE = re.compile(r"&id=([^&#]+)$")


@dataclass
class Haystack:
    """The analysed store and the map from GVA document ids to the store's article ids."""

    db: Path
    doc_to_article: dict[str, str]
    documents: int

    def article_to_docs(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for doc, art in sorted(self.doc_to_article.items()):
            out.setdefault(art, []).append(doc)
        return out


def _doc_map(db: Path) -> dict[str, str]:
    with open_store(db) as store:
        rows = store.input_articles()
    out: dict[str, str] = {}
    for source, art in rows:
        m = _ID_IN_SOURCE.search(source)
        if m:
            out[m.group(1)] = art
    return out


def build_haystack(
    data: Path, doc_ids: Iterable[str] | None = None, settings: Settings | None = None, cache: Path | None = None
) -> Haystack:
    """Analyse the haystack (all documents, or the ``doc_ids`` subset) into a cached store.

    A finished store (marked by a ``.done`` file beside it) is reused as it is; an unfinished one
    resumes (the pipeline skips what it has done).
    """
    source = data / DOCUMENTS
    docs = load_documents(source)
    subset = sorted(set(doc_ids)) if doc_ids is not None else None
    if subset is not None:
        wanted = set(subset)
        docs = [d for d in docs if d["doc_id"] in wanted]
    key = digest(HAYSTACK_FORMAT, _file_hash(source), rashomon.__version__, json.dumps(subset), repr(settings), length=16)
    folder = cache or cache_root()
    folder.mkdir(parents=True, exist_ok=True)
    db, done, jsonl = folder / f"haystack-{key}.sqlite", folder / f"haystack-{key}.done", folder / f"haystack-{key}.jsonl"
    if not done.is_file():
        with jsonl.open("w", encoding="utf-8") as out:
            for doc in docs:
                out.write(json.dumps(article_record(doc), ensure_ascii=False) + "\n")
        report = pipeline.run([jsonl], db, settings)
        done.write_text(json.dumps({
            "documents": len(docs), "ingested": report.ingest.ingested, "duplicate": report.ingest.duplicate,
            "rejected": report.ingest.rejected, "version": rashomon.__version__,
        }), encoding="utf-8")
        jsonl.unlink(missing_ok=True)
    return Haystack(db=db, doc_to_article=_doc_map(db), documents=len(docs))
