"""The import contracts of ``pyproject.toml`` ([tool.importlinter]) hold: layers, independent
stages, no cycle between place finding and the pipeline builder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(*args: str) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` over this checkout's ``src`` (not whichever copy the venv installed)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", *args], check=False, cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_import_contracts_hold() -> None:
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_broken_contract_fails(tmp_path: Path) -> None:
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "rashomon"\n\n[[tool.importlinter.contracts]]\n'
        'name = "the pipeline without extraction"\ntype = "forbidden"\n'
        'source_modules = ["rashomon.pipeline"]\nforbidden_modules = ["rashomon.extract"]\n',
        encoding="utf-8",
    )
    result = lint_imports("--config", str(config))
    assert result.returncode != 0
    assert "rashomon.pipeline -> rashomon.extract" in result.stdout
