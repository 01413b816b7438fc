"""Read-only queries behind the HTTP API and web UI: filtered, sorted, paginated lists of incidents and
articles, full-text search (SQLite FTS5, migration ``0002_articles_fts``), and the pieces one page needs.

Every value from a request reaches SQL as a bound parameter; the only SQL built from text is the
ORDER BY clause, and that is picked from the fixed tables below by key.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rashomon.models import Article, Incident, IngestStatus, Mention, ReuseLink

SNIPPET_OPEN, SNIPPET_CLOSE = "\ue000", "\ue001"  # private-use marks around matches in snippets

INCIDENT_SORTS: dict[str, str] = {
    "date": "i.date_start",
    "place": "i.country || '/' || COALESCE(i.admin1, '') || '/' || COALESCE(i.location, '')",
    "type": "i.event_type",
    "killed": "i.killed_best",
    "injured": "i.injured_best",
    "reports": "i.n_articles",
    "disagreement": "i.has_disagreement",
}
ARTICLE_SORTS: dict[str, str] = {
    "published": "a.published",
    "outlet": "a.outlet",
    "title": "a.title",
    "ingested": "a.seq",
}


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """A connection that cannot write: the file opened read-only, and ``query_only`` set as well."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA query_only = ON")
    return conn


@dataclass(frozen=True)
class Filters:
    """What a list may be narrowed by; ``None`` means "any"."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    country: str | None = None  # name or ISO 3166-1 alpha-2 code
    admin1: str | None = None
    event_type: str | None = None
    disagreement: bool | None = None
    actor: str | None = None  # part of a normalised actor name
    outlet: str | None = None
    q: str | None = None  # full-text search over articles

    def as_dict(self) -> dict[str, Any]:
        return {
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "country": self.country, "admin1": self.admin1, "event_type": self.event_type,
            "disagreement": self.disagreement, "actor": self.actor, "outlet": self.outlet, "q": self.q,
        }


@dataclass
class Page:
    """One page of a list: its rows and where it stands in the whole."""

    rows: list[Any]
    total: int
    page: int
    per_page: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def fts_query(text: str | None) -> str | None:
    """A user's search words as a safe FTS5 query: every word or "quoted phrase" must occur.

    Each term is wrapped as an FTS5 string, so operators and punctuation typed by the user are taken
    as text and never raise a syntax error.  ``None`` when nothing searchable is left.
    """
    if not text:
        return None
    terms = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', text):
        term = (phrase or word).replace('"', " ").strip()  # a stray quote is no operator either
        if re.search(r"\w", term):
            terms.append('"' + term + '"')
    return " ".join(terms) or None


def _like(text: str) -> str:
    """``text`` as a LIKE pattern matching it anywhere, with LIKE's own wildcards escaped."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


_ACTOR_SQL = (
    "EXISTS (SELECT 1 FROM json_each({doc}, '$.actors_a') x WHERE json_extract(x.value, '$.name') LIKE ? ESCAPE '\\') "
    "OR EXISTS (SELECT 1 FROM json_each({doc}, '$.actors_b') x WHERE json_extract(x.value, '$.name') LIKE ? ESCAPE '\\')"
)
_FTS_STORIES = (
    "SELECT sa.story_id FROM articles_fts JOIN articles fa ON fa.seq = articles_fts.rowid "
    "JOIN story_articles sa ON sa.article_id = fa.id WHERE articles_fts MATCH ?"
)


def _incident_conditions(f: Filters, for_articles: bool) -> tuple[list[str], list[Any]]:
    """WHERE conditions on the incident ``i`` (and, for article lists, the article ``a``)."""
    where: list[str] = []
    args: list[Any] = []
    date_col = "a.published" if for_articles else "COALESCE(i.date_end, i.date_start)"
    if f.date_from:
        where.append(f"{date_col} >= ?")
        args.append(f.date_from.isoformat())
    if f.date_to:
        where.append(("a.published" if for_articles else "i.date_start") + " <= ?")
        args.append(f.date_to.isoformat())
    if f.country:
        where.append("(i.country = ? COLLATE NOCASE OR json_extract(i.data, '$.location.country_code') = ? COLLATE NOCASE)")
        args += [f.country, f.country]
    if f.admin1:
        where.append("i.admin1 = ? COLLATE NOCASE")
        args.append(f.admin1)
    if f.event_type:
        where.append("i.event_type = ?")
        args.append(f.event_type)
    if f.disagreement is not None:
        where.append("i.has_disagreement = ?")
        args.append(int(f.disagreement))
    if f.actor:
        if for_articles:
            where.append("EXISTS (SELECT 1 FROM mentions m, json_each(m.data, '$.actors') x WHERE m.article_id = a.id "
                         "AND json_extract(x.value, '$.name') LIKE ? ESCAPE '\\')")
            args.append(_like(f.actor))
        else:
            where.append("(" + _ACTOR_SQL.format(doc="i.data") + ")")
            args += [_like(f.actor), _like(f.actor)]
    if f.outlet:
        if for_articles:
            where.append("a.outlet = ? COLLATE NOCASE")
        else:
            where.append("EXISTS (SELECT 1 FROM story_articles so JOIN articles ao ON ao.id = so.article_id "
                         "WHERE so.story_id = i.story_id AND ao.outlet = ? COLLATE NOCASE)")
        args.append(f.outlet)
    match = fts_query(f.q)
    if match:
        if for_articles:
            where.append("a.seq IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        else:
            where.append(f"i.story_id IN ({_FTS_STORIES})")
        args.append(match)
    return where, args


def _order(sorts: dict[str, str], sort: str, tiebreak: str) -> str:
    """ORDER BY for a sort key like ``killed`` or ``-killed`` (descending); empty values last."""
    key = sort.lstrip("-")
    column = sorts[key]  # KeyError for an unknown key: callers validate first
    direction = "DESC" if sort.startswith("-") else "ASC"
    return f"ORDER BY ({column}) IS NULL, ({column}) {direction}, {tiebreak}"


def incidents(conn: sqlite3.Connection, f: Filters, sort: str = "date", page: int = 1, per_page: int = 25) -> Page:
    """A page of incidents matching ``f``, sorted by ``sort`` (a key of INCIDENT_SORTS, '-' for descending)."""
    where, args = _incident_conditions(f, for_articles=False)
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    total = conn.execute(f"SELECT COUNT(*) FROM incidents i {clause}", args).fetchone()[0]
    # Sort the narrow keys first, then read the JSON of the page's rows only: sorting whole rows
    # drags every incident's ``data`` (kilobytes each) through the sorter (docs/reliability.md §5).
    keys = [r[0] for r in conn.execute(
        f"SELECT i.rowid FROM incidents i {clause} {_order(INCIDENT_SORTS, sort, 'i.id')} LIMIT ? OFFSET ?",
        [*args, per_page, (page - 1) * per_page],
    )]
    data = _by_rowid(conn, "SELECT rowid, data FROM incidents WHERE rowid IN ({marks})", keys)
    return Page([Incident.model_validate_json(data[k]["data"]) for k in keys], total, page, per_page)


def _by_rowid(conn: sqlite3.Connection, sql: str, keys: list[int]) -> dict[int, sqlite3.Row]:
    """Rows of ``sql`` (its first column the rowid, ``{marks}`` the placeholders) keyed by rowid."""
    if not keys:
        return {}
    cur = conn.execute(sql.format(marks=",".join("?" * len(keys))), keys)
    cur.row_factory = sqlite3.Row
    return {row[0]: row for row in cur}


def incident_points(conn: sqlite3.Connection, f: Filters, limit: int = 2000) -> list[sqlite3.Row]:
    """Map points (id, place, lat, lon, killed best, disagreement) of every incident matching ``f``."""
    where, args = _incident_conditions(f, for_articles=False)
    where.append("i.lat IS NOT NULL AND i.lon IS NOT NULL")
    return conn.execute(
        "SELECT i.id, i.location, i.country, i.date_start, i.lat, i.lon, i.killed_best, i.has_disagreement "
        f"FROM incidents i WHERE {' AND '.join(where)} ORDER BY i.killed_best IS NULL, i.killed_best DESC, i.id "
        "LIMIT ?",
        [*args, limit],
    ).fetchall()


def all_incidents(conn: sqlite3.Connection, f: Filters, limit: int) -> list[Incident]:
    """Every incident matching ``f`` (at most ``limit``), by date: for exports."""
    return incidents(conn, f, "date", 1, limit).rows


def incident(conn: sqlite3.Connection, incident_id: str) -> Incident | None:
    row = conn.execute("SELECT data FROM incidents WHERE id = ?", (incident_id,)).fetchone()
    return Incident.model_validate_json(row[0]) if row else None


def _article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"], source=row["source"], url=row["url"], outlet=row["outlet"], title=row["title"],
        byline=row["byline"], published=dt.date.fromisoformat(row["published"]) if row["published"] else None,
        published_precision=row["published_precision"], language=row["language"], text=row["text"],
        original_source=row["original_source"], credits=json.loads(row["credits"]), status=IngestStatus(row["status"]),
    )


@dataclass
class ArticleRow:
    """An article in a list, with the incident it feeds and, when searching, a snippet of the match."""

    article: Article
    incident_id: str | None
    relation: str | None
    copied_from: str | None
    snippet: str | None = None


def articles(conn: sqlite3.Connection, f: Filters, sort: str = "published", page: int = 1, per_page: int = 25) -> Page:
    """A page of articles matching ``f``; incident-level filters apply through the incident each feeds."""
    where, args = _incident_conditions(f, for_articles=True)
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    joins = "FROM articles a LEFT JOIN story_articles sa ON sa.article_id = a.id LEFT JOIN incidents i ON i.story_id = sa.story_id"
    total = conn.execute(f"SELECT COUNT(*) {joins} {clause}", args).fetchone()[0]
    keys = [r[0] for r in conn.execute(
        f"SELECT a.rowid {joins} {clause} {_order(ARTICLE_SORTS, sort, 'a.seq')} LIMIT ? OFFSET ?",
        [*args, per_page, (page - 1) * per_page],
    )]
    wide = _by_rowid(conn, f"SELECT a.rowid, a.*, i.id AS incident_id, sa.relation, sa.copied_from {joins} "
                           "WHERE a.rowid IN ({marks})", keys)
    rows = [wide[k] for k in keys]
    found = [ArticleRow(_article(r), r["incident_id"], r["relation"], r["copied_from"]) for r in rows]
    match = fts_query(f.q)
    if match and found:
        marks = ",".join("?" * len(found))
        snippets = conn.execute(
            f"SELECT articles_fts.rowid, snippet(articles_fts, 2, ?, ?, '…', 16) FROM articles_fts "
            f"WHERE articles_fts MATCH ? AND articles_fts.rowid IN (SELECT seq FROM articles WHERE id IN ({marks}))",
            [SNIPPET_OPEN, SNIPPET_CLOSE, match, *[r.article.id for r in found]],
        ).fetchall()
        seqs = {r["id"]: r["seq"] for r in rows}
        by_seq = {s[0]: s[1] for s in snippets}
        for row in found:
            row.snippet = by_seq.get(seqs[row.article.id])
    return Page(found, total, page, per_page)


def article(conn: sqlite3.Connection, article_id: str) -> Article | None:
    row = conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
    return _article(row) if row else None


def articles_by_id(conn: sqlite3.Connection, ids: list[str]) -> dict[str, Article]:
    out: dict[str, Article] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(f"SELECT * FROM articles WHERE id IN ({marks})", chunk):
            out[row["id"]] = _article(row)
    return out


def mentions(conn: sqlite3.Connection, ids: list[str]) -> dict[str, Mention]:
    out: dict[str, Mention] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(f"SELECT article_id, data FROM mentions WHERE article_id IN ({marks})", chunk):
            out[row[0]] = Mention.model_validate_json(row[1])
    return out


@dataclass(frozen=True)
class SpanRow:
    """A highlighted stretch of an article (the ``spans`` table)."""

    kind: str
    record_id: str
    start: int
    end: int
    text: str


def spans(conn: sqlite3.Connection, ids: list[str]) -> dict[str, list[SpanRow]]:
    """The evidence spans of each article, in text order."""
    out: dict[str, list[SpanRow]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"SELECT * FROM spans WHERE article_id IN ({marks}) ORDER BY article_id, start_char, end_char DESC, kind",
            chunk,
        )
        for r in rows:
            out[r["article_id"]].append(SpanRow(r["kind"], r["record_id"], r["start_char"], r["end_char"], r["text"]))
    return out


def story_membership(conn: sqlite3.Connection, article_id: str) -> sqlite3.Row | None:
    """The story row of an article (story_id, relation, copied_from) and its incident id, if any."""
    return conn.execute(
        "SELECT sa.story_id, sa.relation, sa.copied_from, i.id AS incident_id FROM story_articles sa "
        "LEFT JOIN incidents i ON i.story_id = sa.story_id WHERE sa.article_id = ?",
        (article_id,),
    ).fetchone()


def reuse_links(conn: sqlite3.Connection, ids: list[str]) -> list[ReuseLink]:
    """Reuse links whose source or target is one of ``ids``."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT data FROM reuse_links WHERE target_id IN ({marks}) OR source_id IN ({marks}) "
        "ORDER BY source_id, target_id",
        [*ids, *ids],
    ).fetchall()
    return [ReuseLink.model_validate_json(r[0]) for r in rows]


def facets(conn: sqlite3.Connection, limit: int = 500) -> dict[str, list[str]]:
    """Values the filters can take, for the filter form's suggestions (at most ``limit`` of each)."""

    def column(sql: str) -> list[str]:
        return [r[0] for r in conn.execute(sql + " LIMIT ?", (limit,)) if r[0]]

    return {
        "country": column("SELECT DISTINCT country FROM incidents ORDER BY country"),
        "admin1": column("SELECT DISTINCT admin1 FROM incidents ORDER BY admin1"),
        "event_type": column("SELECT DISTINCT event_type FROM incidents ORDER BY event_type"),
        "outlet": column("SELECT DISTINCT outlet FROM articles ORDER BY outlet COLLATE NOCASE"),
        "actor": column(
            "SELECT DISTINCT json_extract(x.value, '$.name') AS n FROM incidents i, json_each(i.data, '$.actors_a') x "
            "UNION SELECT DISTINCT json_extract(x.value, '$.name') FROM incidents i, json_each(i.data, '$.actors_b') x "
            "ORDER BY 1"
        ),
    }
