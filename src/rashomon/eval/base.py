"""Shared pieces of the evaluations: the result record and small scoring helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class EvalResult:
    """What ``rashomon eval --json`` prints: {"dataset", "split", "n", "metrics"} (+ details)."""

    dataset: str
    split: str | None
    n: int
    metrics: dict[str, float]
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self, with_details: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"dataset": self.dataset, "split": self.split, "n": self.n, "metrics": self.metrics}
        if with_details and self.details:
            out["details"] = self.details
        return out


def prf(tp: float, n_pred: float, n_gold: float) -> tuple[float, float, float]:
    """Precision, recall, F1 from true positives and the sizes of the two sides (0 when undefined)."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def rounded(metrics: dict[str, float], digits: int = 4) -> dict[str, float]:
    return {k: round(float(v), digits) for k, v in metrics.items()}
