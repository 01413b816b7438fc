"""ECB+ document clustering by seminal event: ``rashomon eval ecbplus --data DIR --split dev|test|train|all``.

DIR is the ``ecbplus`` folder; ``ECB+/<topic>/<topic>_<n>ecb.xml`` and ``..._<n>ecbplus.xml`` hold
the documents as XML tokens.  Every topic has two seminal events (the "ecb" and the "ecbplus"
sub-topic); the task clusters the documents of each topic by event, the gold cluster of a
document being its sub-topic.

Splits (topics; missing topics are skipped): ``test`` = 36-45; ``dev`` = the eight development
topics of Cybulska & Vossen 2015 (:data:`DEV_TOPICS`); ``train`` = every other topic up to 35;
``all`` = every topic present.

Articles are rebuilt from the tokens (a light detokeniser; a leading URL line goes to
``Article.url``); ECB+ has no publication dates.  Each topic is run through the real pipeline on
its own (:func:`rashomon.eval.gvc.cluster_documents`).  ``b3_f1`` and ``conll_f1`` are computed
over the pooled documents of the split (clusters never cross topics, so pooling only sums the
per-topic counts); ``ari`` is the mean of the per-topic ARIs (pooled ARI would credit the given
topic separation).  See docs/evaluation/clustering.md.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from rashomon.eval.base import EvalResult, Failures, rounded
from rashomon.eval.clustering_metrics import ari, clustering_scores
from rashomon.eval.gvc import Document, cluster_documents

TEST_TOPICS = frozenset(range(36, 46))
DEV_TOPICS = frozenset({2, 5, 12, 18, 21, 23, 34, 35})
SPLITS = ("train", "dev", "test", "all")

_FILE = re.compile(r"^(\d+)_(\d+)(ecbplus|ecb)\.xml$")
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "''", "'", "n't", "'s", "'re", "'ve", "'ll", "'d", "'m", "’s", "”"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "``", "#", "“"}


def detokenise(tokens: list[str]) -> str:
    """Tokens of one sentence joined back into text (``` `` ```/``''`` become straight quotes)."""
    if tokens and tokens[0].lower().startswith("http"):
        return "".join(tokens)
    out: list[str] = []
    glue = True
    for tok in tokens:
        if not glue and tok not in _NO_SPACE_BEFORE:
            out.append(" ")
        out.append('"' if tok in ("``", "''") else tok)
        glue = tok in _NO_SPACE_AFTER
    text = "".join(out)
    return re.sub(r"\s+([’'])\s+", r"\1", text) if "’" in text else text


def read_document(path: Path) -> tuple[str | None, str]:
    """(url or None, text) of one ECB+ XML document: one line per sentence."""
    root = ET.parse(path).getroot()
    sentences: dict[int, list[str]] = defaultdict(list)
    for tok in root.iter("token"):
        sentences[int(tok.get("sentence", "0"))].append(tok.text or "")
    lines = [detokenise(sentences[k]) for k in sorted(sentences)]
    url = None
    if lines and lines[0].lower().startswith("http"):
        url, lines = lines[0], lines[1:]
    return url, "\n".join(line for line in lines if line.strip())


def _topics(folder: Path, split: str) -> list[int]:
    if split not in SPLITS:
        raise ValueError(f"unknown ECB+ split {split!r}; choose one of {', '.join(SPLITS)}")
    root = folder / "ECB+"
    if not root.is_dir():
        raise FileNotFoundError(f"no ECB+ folder in {folder}")
    present = sorted(int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isdigit())
    if split == "all":
        return present
    if split == "test":
        return [t for t in present if t in TEST_TOPICS]
    if split == "dev":
        return [t for t in present if t in DEV_TOPICS]
    return [t for t in present if t not in TEST_TOPICS and t not in DEV_TOPICS]


def load_topic(folder: Path, topic: int) -> list[Document]:
    """The documents of one topic, gold = ``"<topic>:ecb"`` or ``"<topic>:ecbplus"``."""
    docs: list[Document] = []
    for path in sorted((folder / "ECB+" / str(topic)).glob("*.xml")):
        match = _FILE.match(path.name)
        if match is None:
            continue
        url, text = read_document(path)
        record = {"text": text, "url": url}
        docs.append(Document(key=path.stem, gold=f"{topic}:{match.group(3)}", record=record, arrival=""))
    return docs


def evaluate(data: Path, split: str | None, limit: int | None) -> EvalResult:
    """Cluster each topic's documents and score them against the sub-topics; ``limit`` counts topics."""
    split = split or "dev"
    topics = _topics(data, split)
    if limit is not None:
        topics = topics[:limit]
    gold: dict[str, str] = {}
    pred: dict[str, str] = {}
    per_topic: dict[str, dict[str, float]] = {}
    aris: list[float] = []
    failures = Failures()
    for topic in topics:
        with failures.guard(f"topic {topic}"):
            docs = load_topic(data, topic)
            if not docs:
                continue
            stories = cluster_documents(docs, failures=failures)
            t_gold = {d.key: str(d.gold) for d in docs}
            t_pred = {d.key: f"{topic}:{stories[d.key]}" for d in docs}
            scores = rounded(clustering_scores(t_gold, t_pred))
            t_ari = ari(t_gold, t_pred)
            gold.update(t_gold)
            pred.update(t_pred)
            aris.append(t_ari)
            per_topic[str(topic)] = scores
    scores = clustering_scores(gold, pred) if gold else {"b3_f1": 0.0, "conll_f1": 0.0}
    metrics = {
        "b3_f1": scores["b3_f1"],
        "conll_f1": scores["conll_f1"],
        "ari": sum(aris) / len(aris) if aris else 0.0,
    }
    details = {"topics": per_topic, "pooled": rounded(scores) if gold else {}}
    result = EvalResult(dataset="ecbplus", split=split, n=len(gold), metrics=rounded(metrics), details=details)
    return failures.report(result)
