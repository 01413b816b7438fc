"""Shared pieces of the reliability tests (issue 6): the long-variant switch, the CLI, stores.

Fast variants run in the default suite.  Long variants (more fuzz examples, more and bigger crash
trials, real ``rashomon analyse`` processes for every kill) run with ``RASHOMON_LONG=1``; they are
also marked ``slow``, so ``-m slow`` selects them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "demo" / "corpus"
BIN = Path(sys.executable).with_name("rashomon")
LONG = os.environ.get("RASHOMON_LONG", "") not in ("", "0")


def long_variant(test: Callable[..., None]) -> Callable[..., None]:
    """Mark a test as a long variant: ``slow``, and skipped unless ``RASHOMON_LONG=1``."""
    return pytest.mark.slow(pytest.mark.skipif(not LONG, reason="long variant: set RASHOMON_LONG=1")(test))

# Child processes use one BLAS thread: the machine has two cores, shared with the test process.
CHILD_ENV = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def rashomon(*args: str | Path, timeout: float = 900, **kw: object) -> subprocess.CompletedProcess[str]:
    """Run the ``rashomon`` command line in a new process (``timeout`` only guards against a hang)."""
    return subprocess.run([str(BIN), *map(str, args)], check=False, capture_output=True, text=True, env=CHILD_ENV,
                          timeout=timeout, **kw)  # type: ignore[call-overload]


@pytest.fixture(scope="session")
def demo_corpus() -> Path:
    return DEMO
