"""Fixtures for the ingest tests: a writer for small files and the shared folder."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """``write(name, content)`` writes text (UTF-8) or bytes under tmp_path and returns the path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def shared_dir() -> Path:
    """The shared folder: ``$RASHOMON_SHARED`` or ``<repo>/../shared``; skips when it is missing."""
    folder = Path(os.environ.get("RASHOMON_SHARED", REPO.parent / "shared"))
    if not (folder / "seeds").is_dir():
        pytest.skip(f"shared folder with seeds not found at {folder}")
    return folder
