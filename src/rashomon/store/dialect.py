"""SQL dialects: the store's SQL is written once, for SQLite; this module rewrites it for PostgreSQL.

Two rewrites, both pure string functions (cached, since the store sends the same statements again
and again):

* :func:`postgres_ddl` maps the schema's column types to PostgreSQL types that hold the same values
  and sort the same way: ``INTEGER`` (64-bit in SQLite) becomes ``BIGINT``, ``REAL`` (an 8-byte float
  in SQLite) becomes ``DOUBLE PRECISION``, and ``TEXT`` becomes ``TEXT COLLATE "C"`` so text is
  compared byte by byte as SQLite's default BINARY collation does, whatever the database's locale.
  Only upper-case type words are mapped (the migrations write types upper-case and names lower-case).
* :func:`postgres_sql` adapts a statement to psycopg and to PostgreSQL's semantics: ``?`` placeholders
  become ``%s`` (a literal ``%`` is doubled), ``BEGIN IMMEDIATE`` becomes ``BEGIN``, ``LIKE`` becomes
  ``ILIKE ... ESCAPE ''`` (SQLite's LIKE ignores ASCII case and has no escape character by default),
  and every ORDER BY term gets the NULL placement SQLite uses (NULL sorts before any value: ``NULLS
  FIRST`` ascending, ``NULLS LAST`` descending).  Text inside quotes is left alone, except for ``%``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

POSTGRES_SCHEMES = ("postgresql", "postgres")

_LITERAL = re.compile(r"'(?:[^']|'')*'")
_TYPES = {"INTEGER": "BIGINT", "REAL": "DOUBLE PRECISION", "TEXT": 'TEXT COLLATE "C"'}
_TYPE_WORD = re.compile(r"\b(INTEGER|REAL|TEXT)\b")
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"\b(LIMIT|OFFSET|FETCH|FOR|UNION|EXCEPT|INTERSECT)\b", re.IGNORECASE)
_HAS_NULLS = re.compile(r"\bNULLS\s+(FIRST|LAST)\s*$", re.IGNORECASE)
_DESC = re.compile(r"\bDESC\s*$", re.IGNORECASE)
_LIKE = re.compile(r"\bLIKE(\s+\?)(?!\s+ESCAPE\b)", re.IGNORECASE)
_LIKE_WORD = re.compile(r"\bLIKE\b", re.IGNORECASE)
_BEGIN = re.compile(r"^\s*BEGIN\s+(IMMEDIATE|EXCLUSIVE|DEFERRED)\s*;?\s*$", re.IGNORECASE)


def _segments(sql: str) -> list[tuple[bool, str]]:
    """``sql`` cut into (is_quoted_literal, text) pieces."""
    out: list[tuple[bool, str]] = []
    pos = 0
    for m in _LITERAL.finditer(sql):
        if m.start() > pos:
            out.append((False, sql[pos : m.start()]))
        out.append((True, m.group()))
        pos = m.end()
    if pos < len(sql):
        out.append((False, sql[pos:]))
    return out


@lru_cache(maxsize=256)
def postgres_ddl(sql: str) -> str:
    """A schema statement of the migrations with PostgreSQL column types (see the module docstring)."""
    return "".join(text if quoted else _TYPE_WORD.sub(lambda m: _TYPES[m.group(1)], text) for quoted, text in _segments(sql))


def _order_term(term: str) -> str:
    body = term.rstrip()
    if not body or _HAS_NULLS.search(body):
        return term
    tail = term[len(body) :]
    return body + (" NULLS LAST" if _DESC.search(body) else " NULLS FIRST") + tail


def _null_order(sql: str) -> str:
    """Give every ORDER BY term of ``sql`` (no quoted text in it) SQLite's NULL placement."""
    out: list[str] = []
    pos = 0
    for m in _ORDER_BY.finditer(sql):
        if m.start() < pos:
            continue
        out.append(sql[pos : m.end()])
        i = start = m.end()
        depth = 0
        terms: list[str] = []
        while i < len(sql):
            c = sql[i]
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            elif c == "," and depth == 0:
                terms.append(sql[start:i])
                start = i + 1
            elif c == ";" or (depth == 0 and _CLAUSE_END.match(sql, i)):
                break
            i += 1
        terms.append(sql[start:i])
        out.append(",".join(_order_term(t) for t in terms))
        pos = i
    out.append(sql[pos:])
    return "".join(out)


@lru_cache(maxsize=4096)
def postgres_sql(sql: str) -> str:
    """A statement written for SQLite, rewritten for psycopg and PostgreSQL (see the module docstring)."""
    if _BEGIN.match(sql):
        return "BEGIN"
    parts: list[str] = []
    for quoted, text in _segments(sql):
        text = text.replace("%", "%%")
        if not quoted:
            text = _LIKE_WORD.sub("ILIKE", _LIKE.sub(r"LIKE\1 ESCAPE ''", text))
            text = text.replace("?", "%s")
        parts.append(text)
    rewritten = "".join(parts)
    if _ORDER_BY.search(rewritten):
        # ORDER BY terms never hold quoted text in the store's SQL; mask literals so a quoted
        # comma or parenthesis cannot confuse the scan, then put them back.
        literals: list[str] = []

        def mask(m: re.Match[str]) -> str:
            literals.append(m.group())
            return f"'{len(literals) - 1}'"

        masked = _null_order(_LITERAL.sub(mask, rewritten))
        rewritten = re.sub(r"'(\d+)'", lambda m: literals[int(m.group(1))], masked)
    return rewritten


def postgres_url(db: object) -> str | None:
    """The PostgreSQL connection URL that ``db`` names, or ``None`` for anything else (a SQLite path).

    A URL that went through :class:`pathlib.Path` (as a CLI option typed ``Path`` does) has lost one
    of its slashes (``postgresql:/user@host/db``); it is repaired: with a host part (``@``, ``:``
    or a ``/`` after it) to ``scheme://...``, without one to ``scheme:///db`` (the local socket).
    """
    text = str(db)
    scheme, sep, rest = text.partition(":")
    if not sep or scheme.lower() not in POSTGRES_SCHEMES:
        return None
    if not rest.startswith("//"):
        rest = rest.lstrip("/")
        rest = ("//" if any(c in rest for c in "@:/") else "///") + rest
    return f"{scheme}:{rest}"


def display_url(url: str) -> str:
    """``url`` without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = (parts.username or "") + ":***"
    return urlunsplit(parts._replace(netloc=f"{user}@{netloc[-1]}"))
