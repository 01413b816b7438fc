"""CASE 2021 Task 2: fine-grained event classification of news snippets (ACLED-style sub-event types).

The folder holds one labelled file, ``test_set_final_release_with_labels.tsv`` (columns ``id``,
``EventSnippet``, ``SubType``; 1,019 snippets, 30 labels: 25 ACLED sub-event types and five
"unseen" ones).  Each snippet goes through the real ``rashomon_event_type`` component; its
taxonomy code is mapped to ACLED's sub-event type and from there to the dataset's label (codes
without an ACLED counterpart carry their label in the taxonomy's ``case2021`` field).  A snippet
left untyped is labelled ``OTHER``, ACLED's catch-all.

Splits (the task distributes no training data: its participants trained on ACLED's own
snippets): ``test`` is the whole file; ``test-even`` and ``test-odd`` are the rows with even and
odd ids, the halves used to tune the cue lexicon and to check it.  ``train`` is refused.

Metrics (docs/evaluation/case2021.md): ``weighted_f1`` (per-label F1 averaged with the gold counts
as weights, the task's official score), ``macro_f1`` (plain average over the gold labels) and
``accuracy``.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language

from rashomon.eval.base import EvalResult, Failures, rounded
from rashomon.models import EventType

__all__ = ["ACLED_TO_CASE", "FALLBACK", "SPLITS", "Snippet", "evaluate", "label_of", "load", "score"]

FILE = "test_set_final_release_with_labels.tsv"
SPLITS = ("test", "test-even", "test-odd")
FALLBACK = "OTHER"  # the label of an untyped snippet
# Threshold used here: the task always wants a label, so any cue is enough (the pipeline's
# default, 2.0, leaves weakly cued articles untyped).
EVAL_MIN_SCORE = 0.01

# ACLED sub-event type (codebook name) -> CASE 2021 Task 2 label.
ACLED_TO_CASE: dict[str, str] = {
    "Armed clash": "ARMED_CLASH",
    "Government regains territory": "GOV_REGAINS_TERIT",
    "Non-state actor overtakes territory": "NON_STATE_ACTOR_OVERTAKES_TER",
    "Chemical weapon": "CHEM_WEAP",
    "Air/drone strike": "AIR_STRIKE",
    "Suicide bomb": "SUIC_BOMB",
    "Shelling/artillery/missile attack": "ART_MISS_ATTACK",
    "Remote explosive/landmine/IED": "REM_EXPLOS",
    "Grenade": "GRENADE",
    "Sexual violence": "SEX_VIOL",
    "Attack": "ATTACK",
    "Abduction/forced disappearance": "ABDUCT_DISSAP",
    "Peaceful protest": "PEACE_PROTEST",
    "Protest with intervention": "PROTEST_WITH_INTER",
    "Excessive force against protesters": "FORCE_AGAINST_PROTEST",
    "Violent demonstration": "VIOL_DEMONSTR",
    "Mob violence": "MOB_VIOL",
    "Agreement": "AGREEMENT",
    "Arrests": "ARREST",
    "Change to group/activity": "CHANGE_TO_GROUP_ACT",
    "Disrupted weapons use": "DISR_WEAP",
    "Headquarters or base established": "HQ_ESTABLISHED",
    "Looting/property destruction": "PROPERTY_DISTRUCT",
    "Non-violent transfer of territory": "NON_VIOL_TERRIT_TRANSFER",
    "Other": "OTHER",
}


@dataclass(frozen=True)
class Snippet:
    """One labelled snippet of the TSV file."""

    id: str
    text: str
    label: str


def load(folder: Path, split: str) -> list[Snippet]:
    """The snippets of ``split`` (``test``, ``test-even`` or ``test-odd``), in file order."""
    if split == "train":
        raise ValueError("case2021 has no 'train' split: the task distributed no training data (its "
                         "systems trained on ACLED's snippets); use --split test (or test-even / test-odd)")
    if split not in SPLITS:
        raise ValueError(f"unknown case2021 split {split!r}; choose one of {', '.join(SPLITS)}")
    path = folder / FILE
    if not path.is_file():
        raise FileNotFoundError(f"case2021 file not found: {path}")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [Snippet(r["id"].strip(), r["EventSnippet"].strip(), r["SubType"].strip())
                for r in csv.DictReader(handle, delimiter="\t") if r.get("SubType")]
    if split == "test":
        return rows
    parity = 0 if split == "test-even" else 1
    return [r for r in rows if r.id.isdigit() and int(r.id) % 2 == parity]


def label_of(event: EventType | None) -> str:
    """The dataset label of a component result: code -> ACLED sub-event type -> label; codes
    outside ACLED's taxonomy (disasters, crime, diplomacy, attribution) use their ``case2021``
    entry; no type -> :data:`FALLBACK`."""
    if event is None:
        return FALLBACK
    if event.acled_sub_event_type in ACLED_TO_CASE:
        return ACLED_TO_CASE[event.acled_sub_event_type]
    from rashomon.extract.event_type import load_taxonomy

    info = next((t for t in load_taxonomy() if t["code"] == event.code), None)
    return str(info.get("case2021") or FALLBACK) if info else FALLBACK


@lru_cache(maxsize=1)
def _nlp() -> Language:
    """The packaged pipeline with the event-type component alone (no other component reads or
    writes what it uses), configured to always choose when any cue matched."""
    from rashomon.extract.nlp import build_nlp

    nlp = build_nlp(components=[])
    nlp.add_pipe("rashomon_event_type", last=True, config={"min_score": EVAL_MIN_SCORE})
    return nlp


def classify(texts: list[str]) -> list[EventType | None]:
    """The component's event type for each text."""
    from rashomon.extract.nlp import process

    items = ((f"s{i}", text, None) for i, text in enumerate(texts))
    return [doc._.event_type for doc in process(_nlp(), items)]


def score(gold: list[str], pred: list[str]) -> dict[str, float]:
    """Weighted F1, macro F1 (both over the gold labels) and accuracy."""
    from sklearn.metrics import accuracy_score, f1_score

    if not gold:
        return {"weighted_f1": 0.0, "macro_f1": 0.0, "accuracy": 0.0}
    labels = sorted(set(gold))
    return {
        "weighted_f1": float(f1_score(gold, pred, labels=labels, average="weighted", zero_division=0)),
        "macro_f1": float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0)),
        "accuracy": float(accuracy_score(gold, pred)),
    }


def _per_label(gold: list[str], pred: list[str]) -> dict[str, dict[str, float]]:
    from sklearn.metrics import precision_recall_fscore_support

    labels = sorted(set(gold))
    p, r, f, n = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    return {lab: {"p": round(float(p[i]), 4), "r": round(float(r[i]), 4), "f1": round(float(f[i]), 4),
                  "n": int(n[i])} for i, lab in enumerate(labels)}


def evaluate(data: Path, split: str | None, limit: int | None) -> EvalResult:
    """Classify the split's snippets with ``rashomon_event_type`` and score the labels."""
    split = split or "test"
    snippets = load(Path(data), split)
    if limit is not None:
        snippets = snippets[:limit]
    total = len(snippets)
    failures = Failures()
    classified = failures.each(snippets, lambda batch: [(e,) for e in classify([s.text for s in batch])],
                               key=lambda s: f"snippet {s.id}")
    done = [(s, out[0]) for s, out in classified if out is not None]
    snippets, events = [s for s, _ in done], [e for _, e in done]
    gold = [s.label for s in snippets]
    pred = [label_of(e) for e in events]
    confusions = Counter((g, p) for g, p in zip(gold, pred, strict=True) if g != p)
    details: dict[str, Any] = {
        "untyped": sum(e is None for e in events),
        "per_label": _per_label(gold, pred),
        "confusions": [{"gold": g, "pred": p, "count": c} for (g, p), c in confusions.most_common(20)],
        "items": [{"id": s.id, "gold": g, "pred": p, "code": e.code if e else None}
                  for s, g, p, e in zip(snippets, gold, pred, events, strict=True)],
    }
    return failures.report(EvalResult("case2021", split, total, rounded(score(gold, pred)), details))
