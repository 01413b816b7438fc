"""Text-reuse benchmark generated from the GVA documents: ``rashomon eval reuse --data DIR``.

DIR is the ``semeval2018_task5`` folder.  The benchmark is built deterministically (seeded RNG)
from ``gva_documents.jsonl`` as a list of cases, each a pair of articles (source, target):

- ``insert`` (60 %): 1-3 passages of 1-4 consecutive sentences (at least 80 characters, so above
  the shortest reuse the detector reports) from the source are inserted, lightly edited, as
  paragraphs of the target at different places.  Gold: the inserted spans of the target.
- ``republication`` (15 %): the target is the whole source, lightly edited, under a new first
  line.  Gold: the span of the copied body.
- ``negative`` (25 %): the target is left as it is.  No gold.

Light edits, 0-2 per copied sentence: a word replaced by a near-synonym, a word dropped, a comma
dropped or added, quotes changed, a number changed.  Source and target are documents of
different incidents that share no 8-word sequence before the insertion, so the inserted text is
the only reuse between them.  The target is published 0-3 days after the source and, on the same
day, arrives after it (the detector orders same-day articles by ingestion).

Scoring (``rashomon.reuse.find_reuse`` on each pair, default settings): a predicted passage is
its span in the gold target document; it matches a gold passage when their spans overlap by at
least 50 % of the gold span's characters.  ``passage_precision`` = matching predicted passages /
predicted passages, ``passage_recall`` = gold passages matched / gold passages, over all cases
(negatives add only predictions); ``direction_accuracy`` = share of the cases with gold passages
and a predicted link whose strongest link runs from the source to the target.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from rashomon.eval.base import EvalResult, Failures, prf, rounded
from rashomon.ids import article_id
from rashomon.ingest.metadata import clean_text
from rashomon.models import Article
from rashomon.reuse import find_reuse
from rashomon.settings import load_settings

SEED = 2018
DEFAULT_CASES = 300
MIN_PASSAGE_CHARS = 80
_SENT_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’]))\s+(?=[A-Z\"“])")
_WORDS = re.compile(r"\w+")
_NUMBER = re.compile(r"\b\d+\b")
_SYNONYMS = {
    "said": "stated", "says": "states", "police": "officers", "man": "person", "woman": "lady",
    "killed": "slain", "home": "house", "car": "vehicle", "told": "informed", "shot": "gunned",
    "after": "following", "around": "about", "found": "discovered", "died": "perished",
    "hospital": "medical center", "investigating": "probing", "victim": "casualty", "later": "afterwards",
    "friday": "Friday night", "saturday": "Saturday night", "sunday": "Sunday night", "night": "evening",
    "officers": "police", "suspect": "alleged shooter", "charged": "accused", "near": "close to",
}


@dataclass
class Case:
    kind: str  # insert, republication, negative
    source: Article
    target: Article
    gold: list[tuple[int, int]] = field(default_factory=list)  # spans in the target text


def _sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in _SENT_SPLIT.split(paragraph) if s.strip()]


def _shingles(text: str, k: int = 8) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORDS.findall(text)]
    return {tuple(words[i : i + k]) for i in range(len(words) - k + 1)}


def light_edit(sentence: str, rng: random.Random) -> str:
    """The sentence with 0-2 light edits (synonym, dropped word, punctuation, quotes, number)."""
    for _ in range(rng.randint(0, 2)):
        words = sentence.split(" ")
        op = rng.randrange(5)
        if op == 0:
            hits = [i for i, w in enumerate(words) if w.lower().strip(",.") in _SYNONYMS]
            if hits:
                i = rng.choice(hits)
                bare = words[i].lower().strip(",.")
                words[i] = words[i].lower().replace(bare, _SYNONYMS[bare])
                sentence = " ".join(words)
                continue
            op = 1
        if op == 1 and len(words) > 6:
            del words[rng.randrange(1, len(words) - 1)]
            sentence = " ".join(words)
        elif op == 2:
            sentence = sentence.replace(", ", " ", 1) if ", " in sentence else sentence.replace(" and ", ", and ", 1)
        elif op == 3:
            sentence = sentence.replace('"', "'").replace("“", "'").replace("”", "'")
        elif op == 4:
            sentence = _NUMBER.sub(lambda m: str(int(m.group(0)) + 1), sentence, count=1)
    return sentence


def _load(folder: Path) -> list[dict[str, str]]:
    docs: dict[str, dict[str, str]] = {}
    with (folder / "gva_documents.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rec = json.loads(line)
                text = clean_text(rec.get("content") or "")
                if len(text) >= 600 and rec["doc_id"] not in docs:
                    docs[rec["doc_id"]] = {**rec, "content": text}
    return [docs[k] for k in sorted(docs)]


def _article(text: str, published: dt.date, source: str) -> Article:
    return Article(id=article_id(text), source=source, text=text, published=published, published_precision="day")


def _passages(src: str, rng: random.Random, count: int) -> list[str]:
    """``count`` edited passages of 1-4 consecutive sentences of ``src`` (none overlapping)."""
    sents = [s for p in src.split("\n\n") for s in _sentences(p)]
    out: list[str] = []
    used: set[int] = set()
    for _ in range(20):
        if len(out) == count or not sents:
            break
        start = rng.randrange(len(sents))
        length = rng.randint(1, 4)
        idx = list(range(start, min(len(sents), start + length)))
        if used & set(idx) or any(len(sents[i].split()) < 6 for i in idx):
            continue
        passage = " ".join(light_edit(sents[i], rng) for i in idx)
        if len(passage) >= MIN_PASSAGE_CHARS:
            out.append(passage)
            used |= set(idx)
    return out


def build_cases(folder: Path, n_cases: int = DEFAULT_CASES, seed: int = SEED) -> list[Case]:
    """The benchmark: ``n_cases`` cases drawn with a seeded RNG (the same folder gives the same cases)."""
    docs = _load(folder)
    rng = random.Random(seed)
    cases: list[Case] = []
    while len(cases) < n_cases:
        s, t = rng.sample(docs, 2)
        if s["gva_incident_id"] == t["gva_incident_id"] or _shingles(s["content"]) & _shingles(t["content"]):
            continue
        day = dt.date.fromisoformat(s["dct"]) if s.get("dct") else dt.date(2016, 1, 1)
        later = day + dt.timedelta(days=rng.randint(0, 3))
        source = _article(s["content"], day, f"gva:{s['doc_id']}")
        roll = rng.random()
        if roll < 0.25:
            cases.append(Case("negative", source, _article(t["content"], later, f"gva:{t['doc_id']}")))
            continue
        if roll < 0.40:
            head = f"Republished from a partner newsroom on {later.isoformat()}.\n\n"
            body = "\n\n".join(" ".join(light_edit(x, rng) for x in _sentences(p)) for p in s["content"].split("\n\n"))
            text = head + body
            cases.append(Case("republication", source, _article(text, later, "copy"), [(len(head), len(text))]))
            continue
        passages = _passages(s["content"], rng, rng.randint(1, 3))
        if not passages:
            continue
        paragraphs = t["content"].split("\n\n")
        slots = sorted(rng.sample(range(len(paragraphs) + 1), k=min(len(passages), len(paragraphs) + 1)))
        pieces = list(paragraphs)
        for offset, (slot, passage) in enumerate(zip(slots, passages, strict=False)):
            pieces.insert(slot + offset, passage)
        text = "\n\n".join(pieces)
        gold, pos = [], 0
        inserted = set(passages[: len(slots)])
        for piece in pieces:
            if piece in inserted:
                gold.append((pos, pos + len(piece)))
            pos += len(piece) + 2
        cases.append(Case("insert", source, _article(text, later, f"gva:{t['doc_id']}+"), gold))
    return cases


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score_case(case: Case, links: list) -> tuple[int, int, int, int, bool | None]:
    """(predicted, predicted matching, gold, gold matched, direction right or None) for one case."""
    predicted: list[tuple[int, int]] = []
    for link in links:
        for src_span, tgt_span in link.passages:
            span = tgt_span if tgt_span.article_id == case.target.id else src_span
            if span.article_id == case.target.id:
                predicted.append((span.start, span.end))
    ok_pred = sum(1 for p in predicted if any(_overlap(p, g) >= 0.5 * (g[1] - g[0]) for g in case.gold))
    ok_gold = sum(1 for g in case.gold if any(_overlap(p, g) >= 0.5 * (g[1] - g[0]) for p in predicted))
    direction = None
    if case.gold and links:
        best = max(links, key=lambda lk: (len(lk.passages), lk.share))
        direction = best.source_id == case.source.id and best.target_id == case.target.id
    return len(predicted), ok_pred, len(case.gold), ok_gold, direction


def evaluate(data: Path, split: str | None, limit: int | None) -> EvalResult:
    """Run ``find_reuse`` on every generated case and score its passages; ``limit`` = number of cases."""
    cfg = load_settings().reuse
    cases = build_cases(data, limit or DEFAULT_CASES)
    totals = [0, 0, 0, 0]
    directions: list[bool] = []
    by_kind: dict[str, list[int]] = {}
    failures = Failures()
    for i, case in enumerate(cases):
        scored = None
        with failures.guard(f"case {i} ({case.kind})"):
            scored = score_case(case, find_reuse([case.source, case.target], cfg))
        if scored is None:
            continue
        n_pred, ok_pred, n_gold, ok_gold, direction = scored
        for i, v in enumerate((n_pred, ok_pred, n_gold, ok_gold)):
            totals[i] += v
        kind = by_kind.setdefault(case.kind, [0, 0, 0, 0, 0])
        for i, v in enumerate((1, n_pred, ok_pred, n_gold, ok_gold)):
            kind[i] += v
        if direction is not None:
            directions.append(direction)
    p = totals[1] / totals[0] if totals[0] else 0.0
    _, r, f = prf(totals[3], totals[0], totals[2])
    f = 2 * p * r / (p + r) if p + r else 0.0
    metrics = {
        "passage_precision": p,
        "passage_recall": r,
        "passage_f1": f,
        "direction_accuracy": sum(directions) / len(directions) if directions else 0.0,
    }
    details = {k: dict(zip(("cases", "predicted", "predicted_ok", "gold", "gold_found"), v, strict=True))
               for k, v in by_kind.items()}
    result = EvalResult(dataset="reuse", split=split or "gva", n=len(cases), metrics=rounded(metrics), details=details)
    return failures.report(result)
