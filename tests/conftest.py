"""Shared fixtures. ``RASHOMON_SHARED`` points at the folder beside the checkout holding the seeds
and evaluation data (default ``../shared``); tests read those files in place."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_path() -> Path:
    return Path(os.environ.get("RASHOMON_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    path = shared_path()
    if not (path / "seeds").is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"shared folder not found at {path} (set RASHOMON_SHARED)")
        pytest.skip(f"shared folder not found at {path}")
    return path


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    return shared_dir / "seeds"
