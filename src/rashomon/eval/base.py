"""Shared pieces of the evaluations: the result record, the failure counter and small scoring helpers.

An evaluation runs to the end on any well-formed file of its format: a document whose
processing or scoring raises an unexpected error is left out of the metrics, counted in
:class:`Failures` and reported as ``errors`` next to ``n`` (the first few with their message
under ``details["failures"]``).  Documents go through the pipeline in batches; a batch that
fails is run again one document at a time, so only the documents that fail on their own are lost.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")
BATCH = 32
KEPT_MESSAGES = 20


@dataclass
class EvalResult:
    """What ``rashomon eval --json`` prints: {"dataset", "split", "n", "metrics"} (+ details)."""

    dataset: str
    split: str | None
    n: int
    metrics: dict[str, float]
    details: dict[str, Any] = field(default_factory=dict)
    errors: int = 0  # documents that failed (left out of the metrics)

    def as_dict(self, with_details: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"dataset": self.dataset, "split": self.split, "n": self.n, "errors": self.errors,
                               "metrics": self.metrics}
        if with_details and self.details:
            out["details"] = self.details
        return out


class Failures:
    """The documents an evaluation could not process: a count and the first messages."""

    def __init__(self) -> None:
        self.count = 0
        self.messages: list[str] = []

    def record(self, key: str, exc: BaseException) -> None:
        self.count += 1
        log.warning("evaluation: %s failed: %s: %s", key, type(exc).__name__, exc)
        if len(self.messages) < KEPT_MESSAGES:
            self.messages.append(f"{key}: {type(exc).__name__}: {exc}")

    @contextmanager
    def guard(self, key: str) -> Iterator[None]:
        """Run a block for one document; an ``Exception`` in it is recorded, not raised."""
        try:
            yield
        except Exception as exc:  # noqa: BLE001 - counted and reported: one bad document must not end the run
            self.record(key, exc)

    def each(self, items: Iterable[T], run: Callable[[list[T]], Sequence[R]],
             key: Callable[[T], str] = str) -> Iterator[tuple[T, R | None]]:
        """``(item, result)`` for every item, in order; ``run`` maps a batch of items to one
        result each.  A batch that raises is run again one item at a time; the result of an
        item that fails alone is None (and the failure is recorded)."""
        it = iter(items)
        while batch := list(islice(it, BATCH)):
            results: list[R | None]
            try:
                results = list(run(batch))
                if len(results) != len(batch):
                    raise RuntimeError(f"{len(results)} results for {len(batch)} items")
            except Exception:  # noqa: BLE001 - retried one by one below
                results = [self._one(item, run, key) for item in batch]
            yield from zip(batch, results, strict=True)

    def _one(self, item: T, run: Callable[[list[T]], Sequence[R]], key: Callable[[T], str]) -> R | None:
        try:
            (result,) = run([item])
        except Exception as exc:  # noqa: BLE001 - counted and reported
            self.record(key(item), exc)
            return None
        return result

    def report(self, result: EvalResult) -> EvalResult:
        """``result`` with the failures filled in (``errors`` and ``details["failures"]``)."""
        result.errors = self.count
        if self.messages:
            result.details["failures"] = list(self.messages)
        return result


def prf(tp: float, n_pred: float, n_gold: float) -> tuple[float, float, float]:
    """Precision, recall, F1 from true positives and the sizes of the two sides (0 when undefined)."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def rounded(metrics: dict[str, float], digits: int = 4) -> dict[str, float]:
    return {k: round(float(v), digits) for k, v in metrics.items()}
