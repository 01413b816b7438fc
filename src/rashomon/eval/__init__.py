"""Evaluation on public benchmarks: ``rashomon eval DATASET --data DIR``.

Each dataset has a module here with ``evaluate(data, split, limit) -> EvalResult``; the scoring
rule of every metric is documented in docs/evaluation.md.  Modules load lazily (some need the NLP
pipeline, some only the gazetteer).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from rashomon.eval.base import EvalResult

__all__ = ["DATASETS", "EvalResult", "evaluate", "module_of"]

# dataset name -> (module, default split)
DATASETS: dict[str, tuple[str, str | None]] = {
    "gvdb": ("rashomon.eval.gvdb", "dev"),
    "geoparsing": ("rashomon.eval.geoparsing", "gwn"),
    "polnear": ("rashomon.eval.polnear", "test"),
    "timeml": ("rashomon.eval.timeml", "aquaint"),
    "muc4": ("rashomon.eval.muc4", "tst3"),
    "case2021": ("rashomon.eval.case2021", "test"),
    "semeval2018": ("rashomon.eval.semeval2018", "trial"),
    "gvc": ("rashomon.eval.gvc", "test"),
    "ecbplus": ("rashomon.eval.ecbplus", "dev"),
    "reuse": ("rashomon.eval.reuse", "gva"),
    "incidents": ("rashomon.eval.incidents", None),
}


def module_of(dataset: str) -> ModuleType:
    """The module of a dataset (optional hooks: ``print_report(result, console)`` for the human
    output, ``DETAILS_IN_JSON`` to print the details with ``--json``)."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}; choose one of {', '.join(DATASETS)}")
    return importlib.import_module(DATASETS[dataset][0])


def evaluate(dataset: str, data: str | Path, split: str | None = None, limit: int | None = None) -> EvalResult:
    """Run the real pipeline on a dataset folder and score it."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}; choose one of {', '.join(DATASETS)}")
    module_name, default_split = DATASETS[dataset]
    folder = Path(data)
    if not folder.is_dir():
        raise FileNotFoundError(f"dataset folder not found: {folder}")
    module = importlib.import_module(module_name)
    return module.evaluate(folder, split or default_split, limit)
