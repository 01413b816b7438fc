"""The code passes the project's lint rules (``[tool.ruff]`` in pyproject.toml), with the pinned ruff."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing() -> None:
    pytest.importorskip("ruff", reason="ruff comes with the test extra")
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "src", "bench", "tests"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
