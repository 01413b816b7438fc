"""No SQL outside ``rashomon/store/``: every stage, the CLI and the web UI read and write through the
``Store`` API, which the SQLite and the PostgreSQL stores both implement (issue 13, "one store boundary")."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "rashomon"
STORE = SRC / "store"

# What SQL written outside the store looks like: a statement's opening words (upper-case, as the
# project writes SQL), a call that runs one, or a database driver imported directly.
SQL = re.compile(
    r"\b(SELECT\s+(\*|DISTINCT\b|COUNT\b|[a-z_]+[.,\s])|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM"
    r"|CREATE\s+(TABLE|INDEX|VIRTUAL|TRIGGER)|DROP\s+TABLE|PRAGMA\s+\w)"
    r"|\.(execute|executemany|executescript)\(|\bstore\.query\(|\.conn\b"
    r"|^[ \t]*(import|from)[ \t]+(sqlite3|psycopg)\b",
    re.MULTILINE,
)


def sql_outside_store(root: Path = SRC) -> list[str]:
    """``path:line: text`` of every line under ``root`` but outside ``store/`` that looks like SQL."""
    found: dict[str, None] = {}  # one entry per line, in order
    for path in sorted(root.rglob("*.py")):
        if STORE in path.parents:
            continue
        text = path.read_text(encoding="utf-8")
        for m in SQL.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            found[f"{path.relative_to(root.parent)}:{line}: {text.splitlines()[line - 1].strip()}"] = None
    return list(found)


def test_no_sql_outside_the_store():
    found = sql_outside_store()
    assert not found, (
        "SQL outside src/rashomon/store/ (add a Store method in store/sqlite.py or store/queries.py, which "
        "PostgreSQL inherits, and call it instead):\n  " + "\n  ".join(found)
    )


def test_the_check_sees_sql(tmp_path):
    """The pattern catches the forms SQL takes in this code base, and not prose about a selection."""
    pkg = tmp_path / "rashomon"
    (pkg / "cluster").mkdir(parents=True)
    (pkg / "cluster" / "x.py").write_text(
        'rows = store.query("SELECT id, published FROM articles WHERE status = ?", (s,))\n'
        'conn.execute("UPDATE articles SET status = ?", (s,))\n'
        "import sqlite3\n"
        '"""Select the articles; a SELECTION of words; count them."""\n',
        encoding="utf-8",
    )
    found = sql_outside_store(pkg)
    assert [f.split(":")[1] for f in found] == ["1", "2", "3"]
