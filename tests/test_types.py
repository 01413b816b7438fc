"""The package type-checks (``mypy src`` with ``[tool.mypy]`` of pyproject.toml and the pinned mypy), and
its public names are typed for the code that builds on it (``py.typed``, static re-exports)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _mypy(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("mypy", reason="mypy comes with the test extra")
    env = {**os.environ, "MYPYPATH": str(REPO / "src")}
    return subprocess.run([sys.executable, "-m", "mypy", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=900, check=False)


def test_mypy_finds_nothing_in_src() -> None:
    done = _mypy("src")
    assert done.returncode == 0, done.stdout + done.stderr


def test_public_names_are_the_real_functions(tmp_path: Path) -> None:
    """``rashomon.run`` is seen with its signature (a lazy ``__getattr__`` alone would make it ``Any``)."""
    assert (REPO / "src" / "rashomon" / "py.typed").is_file()
    user = tmp_path / "user.py"
    user.write_text("import rashomon\n\nreveal_type(rashomon.run)\nreveal_type(rashomon.open_store)\n"
                    "rashomon.run(42, 'x.sqlite')\n", encoding="utf-8")
    done = _mypy("--no-incremental", "--config-file", os.devnull, str(user), cwd=tmp_path)
    out = done.stdout
    assert 'Revealed type is "def (paths: typing.Iterable[' in out, out
    assert "rashomon.store.sqlite.Store" in out, out
    assert 'Argument 1 to "run" has incompatible type "int"' in out, out
