"""Scores of a clustering of documents against gold clusters: MUC, B³, CEAF-e, CoNLL F1 and ARI.

The coreference metrics are the usual ones, applied to documents instead of mentions:

- **MUC** (Vilain et al. 1995) counts links: for each gold cluster K, the links missing to join
  the pieces the response cuts it into (|K| - |pieces|) out of the |K| - 1 it needs; precision
  swaps the roles.  Singletons carry no links, so MUC ignores them.
- **B³** (Bagga & Baldwin 1998): per document, the share of its response cluster that is in its
  gold cluster (precision) and the share of its gold cluster that is in its response cluster
  (recall), averaged over documents.
- **CEAF-e** (Luo 2005): the best one-to-one alignment of response and gold clusters by
  phi4 = 2|K ∩ R| / (|K| + |R|); precision divides the aligned similarity by the number of
  response clusters, recall by the number of gold clusters.
- **CoNLL F1**: the mean of the three F1 values.
- **ARI**: the adjusted Rand index of the two labelings (scikit-learn).

Both sides must cover the same documents (a :class:`ValueError` otherwise).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score

from rashomon.eval.base import prf

Labels = Mapping[Any, Hashable]
"""document -> cluster label"""


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float


def _clusters(labels: Labels) -> list[frozenset[Hashable]]:
    groups: dict[Hashable, set[Hashable]] = defaultdict(set)
    for doc, label in labels.items():
        groups[label].add(doc)
    return [frozenset(g) for g in groups.values()]


def _check(gold: Labels, pred: Labels) -> None:
    if set(gold) != set(pred):
        missing, extra = set(gold) - set(pred), set(pred) - set(gold)
        raise ValueError(f"gold and response differ: {len(missing)} documents missing, {len(extra)} extra")


def _muc_side(keys: Labels, response: Labels) -> tuple[int, int]:
    """Numerator and denominator of MUC recall of ``response`` against ``keys``."""
    num = den = 0
    for cluster in _clusters(keys):
        pieces = {response[d] for d in cluster}
        num += len(cluster) - len(pieces)
        den += len(cluster) - 1
    return num, den


def muc(gold: Labels, pred: Labels) -> PRF:
    _check(gold, pred)
    r_num, r_den = _muc_side(gold, pred)
    p_num, p_den = _muc_side(pred, gold)
    p = p_num / p_den if p_den else 0.0
    r = r_num / r_den if r_den else 0.0
    return PRF(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def b_cubed(gold: Labels, pred: Labels) -> PRF:
    _check(gold, pred)
    if not gold:
        return PRF(0.0, 0.0, 0.0)
    gold_of = {d: c for c in _clusters(gold) for d in c}
    pred_of = {d: c for c in _clusters(pred) for d in c}
    p_sum = r_sum = 0.0
    for doc in gold:
        inter = len(gold_of[doc] & pred_of[doc])
        p_sum += inter / len(pred_of[doc])
        r_sum += inter / len(gold_of[doc])
    p, r = p_sum / len(gold), r_sum / len(gold)
    return PRF(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def ceaf_e(gold: Labels, pred: Labels) -> PRF:
    _check(gold, pred)
    keys, resp = _clusters(gold), _clusters(pred)
    if not keys or not resp:
        return PRF(0.0, 0.0, 0.0)
    sim = np.zeros((len(keys), len(resp)))
    index = {d: j for j, c in enumerate(resp) for d in c}
    for i, k in enumerate(keys):
        for d in k:
            sim[i, index[d]] += 1.0
    sizes_k = np.array([len(k) for k in keys], dtype=float)[:, None]
    sizes_r = np.array([len(r) for r in resp], dtype=float)[None, :]
    sim = 2 * sim / (sizes_k + sizes_r)
    rows, cols = linear_sum_assignment(-sim)
    total = float(sim[rows, cols].sum())
    p, r, f = prf(total, len(resp), len(keys))
    return PRF(p, r, f)


def ari(gold: Labels, pred: Labels) -> float:
    _check(gold, pred)
    docs = sorted(gold, key=str)
    if len(docs) < 2:
        return 1.0
    return float(adjusted_rand_score([str(gold[d]) for d in docs], [str(pred[d]) for d in docs]))


def clustering_scores(gold: Labels, pred: Labels) -> dict[str, float]:
    """Every metric of this module, keyed as the evaluations report them."""
    m, b, c = muc(gold, pred), b_cubed(gold, pred), ceaf_e(gold, pred)
    return {
        "muc_f1": m.f1,
        "b3_precision": b.precision,
        "b3_recall": b.recall,
        "b3_f1": b.f1,
        "ceafe_f1": c.f1,
        "conll_f1": (m.f1 + b.f1 + c.f1) / 3,
        "ari": ari(gold, pred),
    }
