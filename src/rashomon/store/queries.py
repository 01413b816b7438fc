"""Read-only queries behind the HTTP API and web UI: filtered, sorted, paginated lists of incidents and
articles, full-text search (migration ``0002_articles_fts``: FTS5 on SQLite, a tsvector index on
PostgreSQL), and the pieces one page needs.

They are methods of every store (:class:`Reads`, mixed into :class:`~rashomon.store.sqlite.Store`), written
once; where SQLite and PostgreSQL spell a thing differently (JSON, case-insensitive comparison, full-text
search and snippets) the store's :class:`ReadDialect` gives the fragment.  Every value from a request
reaches SQL as a bound parameter; the only SQL built from text is the ORDER BY clause, picked from the
fixed tables below by key, and the fragments of the dialect, which are fixed text too.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rashomon.models import Article, Incident, IngestStatus, ReuseLink

SNIPPET_OPEN, SNIPPET_CLOSE = "\ue000", "\ue001"  # private-use marks around matches in snippets
SNIPPET_WORDS = 16

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
    q: str | None = None  # full-text search over articles (or any name of the incident's place)
    place: str | None = None  # any name of the incident's place, in any spelling (store/names.py)

    def as_dict(self) -> dict[str, Any]:
        return {
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "country": self.country, "admin1": self.admin1, "event_type": self.event_type,
            "disagreement": self.disagreement, "actor": self.actor, "outlet": self.outlet, "q": self.q,
            "place": self.place,
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


def search_terms(text: str | None) -> list[str]:
    """A user's search words and "quoted phrases", each one that holds a word character."""
    if not text:
        return []
    terms = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', text):
        term = (phrase or word).replace('"', " ").strip()  # a stray quote is no operator either
        if re.search(r"\w", term):
            terms.append(term)
    return terms


def fts_query(text: str | None) -> str | None:
    """A user's search words as a safe FTS5 query: every word or "quoted phrase" must occur.

    Each term is wrapped as an FTS5 string, so operators and punctuation typed by the user are taken
    as text and never raise a syntax error.  ``None`` when nothing searchable is left.
    """
    return " ".join('"' + term + '"' for term in search_terms(text)) or None


def _like(text: str) -> str:
    """``text`` as a LIKE pattern matching it anywhere, with LIKE's own wildcards escaped."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def article_from_row(row: Any) -> Article:
    """An :class:`Article` from a row of the ``articles`` table (read by column name)."""
    return Article(
        id=row["id"], source=row["source"], url=row["url"], outlet=row["outlet"], title=row["title"],
        byline=row["byline"], published=dt.date.fromisoformat(row["published"]) if row["published"] else None,
        published_precision=row["published_precision"], language=row["language"], text=row["text"],
        original_source=row["original_source"], credits=json.loads(row["credits"]), status=IngestStatus(row["status"]),
    )


def marks(n: int) -> str:
    """``n`` comma-separated placeholders."""
    return ",".join("?" * n)


def chunks(ids: list[str], size: int = 500) -> list[list[str]]:
    """``ids`` cut into lists of at most ``size`` (SQLite bounds the placeholders of one statement)."""
    return [ids[start : start + size] for start in range(0, len(ids), size)]


class ReadDialect:
    """The fragments of the read queries that SQLite spells its own way (the PostgreSQL subclass
    spells them for PostgreSQL); every ``?`` in a fragment is bound by the caller."""

    name = "sqlite"

    def nocase_eq(self, column: str) -> str:
        """``column`` equal to one bound value, ignoring ASCII letter case."""
        return f"{column} = ? COLLATE NOCASE"

    def json_text(self, doc: str, *path: str) -> str:
        """The text at ``path`` (keys) inside the JSON document ``doc``."""
        return f"json_extract({doc}, '$.{'.'.join(path)}')"

    def json_names(self, doc: str, key: str) -> tuple[str, str]:
        """A FROM item over the JSON list ``doc.key`` (aliased ``x``) and the expression of each item's name."""
        return f"json_each({doc}, '$.{key}') x", "json_extract(x.value, '$.name')"

    def fts_seqs(self, text: str | None) -> tuple[str, list[Any]] | None:
        """A subquery giving the ``seq`` of every article matching the search ``text``, with its arguments;
        ``None`` when ``text`` has nothing to search for."""
        match = fts_query(text)
        if match is None:
            return None
        return "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", [match]

    def snippets(self, text: str, article_ids: list[str]) -> tuple[str, list[Any]]:
        """A query of (seq, snippet of the body around the matches) for ``article_ids`` matching ``text``."""
        sql = (
            f"SELECT articles_fts.rowid, snippet(articles_fts, 2, ?, ?, '…', {SNIPPET_WORDS}) FROM articles_fts "
            "WHERE articles_fts MATCH ? AND articles_fts.rowid IN "
            f"(SELECT seq FROM articles WHERE id IN ({marks(len(article_ids))}))"
        )
        return sql, [SNIPPET_OPEN, SNIPPET_CLOSE, fts_query(text), *article_ids]

    def outlets(self) -> str:
        """Every outlet, once, ordered ignoring ASCII letter case."""
        return "SELECT DISTINCT outlet FROM articles ORDER BY outlet COLLATE NOCASE"


class PostgresReadDialect(ReadDialect):
    """The fragments for PostgreSQL: ``jsonb`` for JSON, ``lower()`` for case, the tsvector index of
    migration 0002 (``simple`` configuration) and ``ts_headline`` for search."""

    name = "postgresql"

    def nocase_eq(self, column: str) -> str:
        return f"lower({column}) = lower(?)"

    def json_text(self, doc: str, *path: str) -> str:
        return f"(({doc})::jsonb #>> '{{{','.join(path)}}}')"

    def json_names(self, doc: str, key: str) -> tuple[str, str]:
        return f"jsonb_array_elements(({doc})::jsonb -> '{key}') x", "(x ->> 'name')"

    @staticmethod
    def _tsquery(terms: list[str]) -> str:
        # every term must occur, a phrase as a phrase: the same meaning as fts_query on FTS5
        return "(" + " && ".join(["phraseto_tsquery('simple', ?)"] * len(terms)) + ")"

    def fts_seqs(self, text: str | None) -> tuple[str, list[Any]] | None:
        terms = search_terms(text)
        if not terms:
            return None
        return f"SELECT seq FROM articles_fts WHERE document @@ {self._tsquery(terms)}", list(terms)

    def snippets(self, text: str, article_ids: list[str]) -> tuple[str, list[Any]]:
        terms = search_terms(text)
        options = (f"StartSel={SNIPPET_OPEN}, StopSel={SNIPPET_CLOSE}, MaxWords={SNIPPET_WORDS}, "
                   f"MinWords={SNIPPET_WORDS // 2}, MaxFragments=1, FragmentDelimiter=…")
        sql = (f"SELECT a.seq, ts_headline('simple', a.text, {self._tsquery(terms)}, ?) FROM articles a "
               f"WHERE a.id IN ({marks(len(article_ids))})")
        return sql, [*terms, options, *article_ids]

    def outlets(self) -> str:
        return "SELECT outlet FROM (SELECT DISTINCT outlet FROM articles) o ORDER BY lower(outlet), outlet"


SQLITE_READS = ReadDialect()
POSTGRES_READS = PostgresReadDialect()


@dataclass
class ArticleRow:
    """An article in a list, with the incident it feeds and, when searching, a snippet of the match."""

    article: Article
    incident_id: str | None
    relation: str | None
    copied_from: str | None
    snippet: str | None = None


@dataclass(frozen=True)
class SpanRow:
    """A highlighted stretch of an article (the ``spans`` table)."""

    kind: str
    record_id: str
    start: int
    end: int
    text: str


_NAMED = "i.id IN (SELECT n.incident_id FROM incident_names n WHERE n.name_key = ?)"
"""The incident ``i`` goes by a name with this key (migration 0004, store/names.py)."""


def _name_key(text: str) -> str:
    from rashomon.geo.spellings import name_key

    return name_key(text)


def _order(sorts: dict[str, str], sort: str, tiebreak: str) -> str:
    """ORDER BY for a sort key like ``killed`` or ``-killed`` (descending); empty values last."""
    key = sort.lstrip("-")
    column = sorts[key]  # KeyError for an unknown key: callers validate first
    direction = "DESC" if sort.startswith("-") else "ASC"
    return f"ORDER BY ({column}) IS NULL, ({column}) {direction}, {tiebreak}"


class Reads:
    """The read-only queries of the web UI and HTTP API, on the store's connection (``self.conn``) in
    the store's dialect (``self.reads``).  Mixed into every store."""

    conn: Any
    reads: ReadDialect = SQLITE_READS

    def _rows(self, sql: str, args: list[Any] | tuple[Any, ...] = ()) -> list[Any]:
        return list(self.conn.execute(sql, args).fetchall())

    def _incident_conditions(self, f: Filters, for_articles: bool) -> tuple[list[str], list[Any]]:
        """WHERE conditions on the incident ``i`` (and, for article lists, the article ``a``)."""
        d = self.reads
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
            code = d.json_text("i.data", "location", "country_code")
            where.append(f"({d.nocase_eq('i.country')} OR {d.nocase_eq(code)})")
            args += [f.country, f.country]
        if f.admin1:
            where.append(d.nocase_eq("i.admin1"))
            args.append(f.admin1)
        if f.event_type:
            where.append("i.event_type = ?")
            args.append(f.event_type)
        if f.disagreement is not None:
            where.append("i.has_disagreement = ?")
            args.append(int(f.disagreement))
        if f.actor:
            if for_articles:
                items, name = d.json_names("m.data", "actors")
                where.append(f"EXISTS (SELECT 1 FROM mentions m, {items} WHERE m.article_id = a.id "
                             f"AND {name} LIKE ? ESCAPE '\\')")
                args.append(_like(f.actor))
            else:
                sides = []
                for side in ("actors_a", "actors_b"):
                    items, name = d.json_names("i.data", side)
                    sides.append(f"EXISTS (SELECT 1 FROM {items} WHERE {name} LIKE ? ESCAPE '\\')")
                where.append("(" + " OR ".join(sides) + ")")
                args += [_like(f.actor), _like(f.actor)]
        if f.outlet:
            if for_articles:
                where.append(d.nocase_eq("a.outlet"))
            else:
                where.append("EXISTS (SELECT 1 FROM story_articles so JOIN articles ao ON ao.id = so.article_id "
                             f"WHERE so.story_id = i.story_id AND {d.nocase_eq('ao.outlet')})")
            args.append(f.outlet)
        if f.place:
            where.append(_NAMED)
            args.append(_name_key(f.place))
        search = d.fts_seqs(f.q)
        if search is not None:  # the words in a report, or the whole query a name of the incident's place
            seqs, search_args = search
            if for_articles:
                where.append(f"(a.seq IN ({seqs}) OR {_NAMED})")
            else:
                where.append("(i.story_id IN (SELECT sa.story_id FROM articles fa JOIN story_articles sa "
                             f"ON sa.article_id = fa.id WHERE fa.seq IN ({seqs})) OR {_NAMED})")
            args += [*search_args, _name_key(f.q or "")]
        return where, args

    def incident_page(self, f: Filters, sort: str = "date", page: int = 1, per_page: int = 25) -> Page:
        """A page of incidents matching ``f``, sorted by ``sort`` (a key of INCIDENT_SORTS, '-' for descending)."""
        where, args = self._incident_conditions(f, for_articles=False)
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        total = self._rows(f"SELECT COUNT(*) FROM incidents i {clause}", args)[0][0]
        # Sort the narrow keys first, then read the JSON of the page's rows only: sorting whole rows
        # drags every incident's ``data`` (kilobytes each) through the sorter (docs/reliability.md §5).
        keys = [r[0] for r in self._rows(
            f"SELECT i.id FROM incidents i {clause} {_order(INCIDENT_SORTS, sort, 'i.id')} LIMIT ? OFFSET ?",
            [*args, per_page, (page - 1) * per_page],
        )]
        data = self._keyed("SELECT id, data FROM incidents WHERE id IN ({marks})", keys)
        return Page([Incident.model_validate_json(data[k]["data"]) for k in keys], total, page, per_page)

    def _keyed(self, sql: str, keys: list[Any]) -> dict[Any, Any]:
        """Rows of ``sql`` (its first column the key, ``{marks}`` the placeholders) by key."""
        if not keys:
            return {}
        return {row[0]: row for row in self._rows(sql.format(marks=marks(len(keys))), keys)}

    def incident_points(self, f: Filters, limit: int = 2000, located: bool = True) -> list[Any]:
        """Map points (id, place, dates, lat, lon, killed, type, disagreement) of every incident matching ``f``
        (only those with coordinates unless ``located`` is false)."""
        where, args = self._incident_conditions(f, for_articles=False)
        if located:
            where.append("i.lat IS NOT NULL AND i.lon IS NOT NULL")
        return self._rows(
            "SELECT i.id, i.location, i.country, i.date_start, i.lat, i.lon, i.killed_best, i.has_disagreement, "
            "i.admin1, i.date_end, i.killed_low, i.killed_high, i.event_type "
            f"FROM incidents i WHERE {' AND '.join(where) or '1 = 1'} "
            "ORDER BY i.killed_best IS NULL, i.killed_best DESC, i.id "
            "LIMIT ?",
            [*args, limit],
        )

    def all_incidents(self, f: Filters, limit: int) -> list[Incident]:
        """Every incident matching ``f`` (at most ``limit``), by date: for exports."""
        return self.incident_page(f, "date", 1, limit).rows

    def article_page(self, f: Filters, sort: str = "published", page: int = 1, per_page: int = 25) -> Page:
        """A page of articles matching ``f``; incident-level filters apply through the incident each feeds."""
        where, args = self._incident_conditions(f, for_articles=True)
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        joins = ("FROM articles a LEFT JOIN story_articles sa ON sa.article_id = a.id "
                 "LEFT JOIN incidents i ON i.story_id = sa.story_id")
        total = self._rows(f"SELECT COUNT(*) {joins} {clause}", args)[0][0]
        keys = [r[0] for r in self._rows(
            f"SELECT a.seq {joins} {clause} {_order(ARTICLE_SORTS, sort, 'a.seq')} LIMIT ? OFFSET ?",
            [*args, per_page, (page - 1) * per_page],
        )]
        wide = self._keyed(f"SELECT a.seq AS row_key, a.*, i.id AS incident_id, sa.relation, sa.copied_from {joins} "
                           "WHERE a.seq IN ({marks})", keys)
        rows = [wide[k] for k in keys]
        found = [ArticleRow(article_from_row(r), r["incident_id"], r["relation"], r["copied_from"]) for r in rows]
        if f.q and found and self.reads.fts_seqs(f.q) is not None:
            by_seq = {s[0]: s[1] for s in self._rows(*self.reads.snippets(f.q, [r.article.id for r in found]))}
            for row, r in zip(found, rows, strict=True):
                row.snippet = by_seq.get(r["seq"])
        return Page(found, total, page, per_page)

    def articles_by_id(self, ids: list[str]) -> dict[str, Article]:
        out: dict[str, Article] = {}
        for chunk in chunks(ids):
            for row in self._rows(f"SELECT * FROM articles WHERE id IN ({marks(len(chunk))})", chunk):
                out[row["id"]] = article_from_row(row)
        return out

    def spans(self, ids: list[str]) -> dict[str, list[SpanRow]]:
        """The evidence spans of each article, in text order."""
        out: dict[str, list[SpanRow]] = {i: [] for i in ids}
        for chunk in chunks(ids):
            rows = self._rows(
                f"SELECT * FROM spans WHERE article_id IN ({marks(len(chunk))}) "
                "ORDER BY article_id, start_char, end_char DESC, kind, record_id",
                chunk,
            )
            for r in rows:
                out[r["article_id"]].append(SpanRow(r["kind"], r["record_id"], r["start_char"], r["end_char"], r["text"]))
        return out

    def story_membership(self, article_id: str) -> Any | None:
        """The story row of an article (story_id, relation, copied_from) and its incident id, if any."""
        rows = self._rows(
            "SELECT sa.story_id, sa.relation, sa.copied_from, i.id AS incident_id FROM story_articles sa "
            "LEFT JOIN incidents i ON i.story_id = sa.story_id WHERE sa.article_id = ?",
            (article_id,),
        )
        return rows[0] if rows else None

    def reuse_links_touching(self, ids: list[str]) -> list[ReuseLink]:
        """Reuse links whose source or target is one of ``ids``."""
        if not ids:
            return []
        rows = self._rows(
            f"SELECT data FROM reuse_links WHERE target_id IN ({marks(len(ids))}) OR source_id IN ({marks(len(ids))}) "
            "ORDER BY source_id, target_id",
            [*ids, *ids],
        )
        return [ReuseLink.model_validate_json(r[0]) for r in rows]

    def facets(self, limit: int = 500) -> dict[str, list[str]]:
        """Values the filters can take, for the filter form's suggestions (at most ``limit`` of each)."""

        def column(sql: str) -> list[str]:
            return [r[0] for r in self._rows(sql + " LIMIT ?", (limit,)) if r[0]]

        names = []
        for side in ("actors_a", "actors_b"):
            items, name = self.reads.json_names("i.data", side)
            names.append(f"SELECT DISTINCT {name} FROM incidents i, {items}")
        return {
            "country": column("SELECT DISTINCT country FROM incidents ORDER BY country"),
            "admin1": column("SELECT DISTINCT admin1 FROM incidents ORDER BY admin1"),
            "event_type": column("SELECT DISTINCT event_type FROM incidents ORDER BY event_type"),
            "outlet": column(self.reads.outlets()),
            "actor": column(" UNION ".join(names) + " ORDER BY 1"),
        }
