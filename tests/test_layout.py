"""The source stays readable in pieces: no module of ``src/rashomon`` over 500 lines, no function
(or method) over 80."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "rashomon"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def long_modules(root: Path = SRC, limit: int = MAX_MODULE_LINES) -> list[str]:
    """``path: lines`` of every Python module under ``root`` longer than ``limit`` lines."""
    found = []
    for path in sorted(root.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found.append(f"{path.relative_to(root)}: {lines}")
    return found


def long_functions(root: Path = SRC, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    """``path:line name: lines`` of every function under ``root`` longer than ``limit`` lines
    (decorators and docstring included)."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                length = (node.end_lineno or node.lineno) - first + 1
                if length > limit:
                    found.append(f"{path.relative_to(root)}:{node.lineno} {node.name}: {length}")
    return found


def test_no_module_over_the_limit() -> None:
    assert long_modules() == []


def test_no_function_over_the_limit() -> None:
    assert long_functions() == []


def test_the_checks_catch_a_long_module_and_function(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(90))
    (tmp_path / "big.py").write_text("def big():\n" + body + "\n" + "\n" * 420, encoding="utf-8")
    assert long_functions(tmp_path) == ["big.py:1 big: 91"]
    assert long_modules(tmp_path) == ["big.py: 511"]
