"""The SQLite store: articles, inputs and rejections, mentions with their figures, claims and spans,
stories, reuse links and incidents.  Every write that belongs together happens in one transaction."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, Self, cast

from rashomon.models import (
    Article,
    Incident,
    IngestOutcome,
    IngestStatus,
    Mention,
    ReuseLink,
    Story,
    StoryArticle,
)
from rashomon.store.corrections import CorrectionsLog
from rashomon.store.failures import Failures
from rashomon.store.migrations import MIGRATIONS, apply_migrations
from rashomon.store.names import PlaceNames
from rashomon.store.queries import Reads, article_from_row, chunks, connect_readonly, marks

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: runs are not serialised across processes
    fcntl = None  # type: ignore[assignment]

InputOutcome = Literal["ingested", "duplicate", "rejected"]
LOCK_SUFFIX = ".lock"


class StoreBusy(RuntimeError):
    """Another process is running the pipeline on this store (raised by ``run_lock(wait=False)``)."""


class _RunLocks:
    """Per-process bookkeeping of the run locks held: the same store may be locked again by the same
    thread (``run`` calls ``ingest``), while another thread of the process waits its turn."""

    def __init__(self) -> None:
        self.guard = threading.Lock()
        self.held: dict[str, tuple[threading.RLock, list[int]]] = {}  # path -> (thread lock, [depth, fd])

    def entry(self, key: str) -> tuple[threading.RLock, list[int]]:
        with self.guard:
            return self.held.setdefault(key, (threading.RLock(), [0, -1]))


_RUN_LOCKS = _RunLocks()


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


class Store(CorrectionsLog, Reads, Failures, PlaceNames):
    """A Rashomon store in one SQLite file (WAL mode, so readers never block the writer).

    ``readonly`` opens an existing file for reading only (as ``rashomon serve`` does, once per request):
    the file is opened read-only, nothing is migrated, and every write fails.
    """

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = str(path)
        self._depth = 0
        if readonly:
            self.conn = connect_readonly(self.path)
            return
        self.conn = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        if self.path != ":memory:":
            self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA busy_timeout=60000")
        self.migrate()

    # ------------------------------------------------------------------ plumbing

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (nested calls join the outer one)."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    @contextmanager
    def run_lock(self, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the store's pipeline lock: one writing run (ingest, analyse) at a time per store.

        The lock is an exclusive ``flock`` on ``<db>.lock`` beside the SQLite file, so the kernel
        releases it when the holder exits, however it dies (a SIGKILLed run leaves no stale lock).
        With ``wait`` the caller blocks until the other run ends (``on_wait`` is told why, once);
        without it :class:`StoreBusy` is raised at once.  Re-entrant within one thread.  Readers
        (``rashomon serve``) never take it: WAL lets them read while a run writes.  A PostgreSQL
        store would implement the same method with an advisory lock.
        """
        if self.path == ":memory:" or fcntl is None:
            yield
            return
        key = os.path.realpath(self.path)
        rlock, state = _RUN_LOCKS.entry(key)
        if not rlock.acquire(blocking=False):
            if not wait:
                raise StoreBusy(self._busy_message(key))
            if on_wait is not None:
                on_wait(self._busy_message(key) + "; waiting for it to finish")
            rlock.acquire()
        try:
            if state[0] == 0:
                state[1] = self._flock(key + LOCK_SUFFIX, wait, on_wait)
            state[0] += 1
            try:
                yield
            finally:
                state[0] -= 1
                if state[0] == 0:
                    os.close(state[1])  # closing the descriptor releases the flock
                    state[1] = -1
        finally:
            rlock.release()

    def _flock(self, lock_path: str, wait: bool, on_wait: Callable[[str], None] | None) -> int:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                message = self._busy_message(lock_path[: -len(LOCK_SUFFIX)])
                if not wait:
                    raise StoreBusy(message) from None
                if on_wait is not None:
                    on_wait(message + "; waiting for it to finish")
                fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        return fd

    @staticmethod
    def _busy_message(db: str) -> str:
        return f"another rashomon run is writing to the store {db}"

    def migrate(self) -> list[str]:
        """Apply pending migrations.  An up-to-date store is only read (no write lock is taken), so
        opening it never waits for a run that is writing to it."""
        try:
            applied = {row[0] for row in self.conn.execute("SELECT name FROM _migrations")}
        except sqlite3.OperationalError:  # a new store: no _migrations table yet
            applied = set()
        if all(m.name in applied for m in MIGRATIONS):
            return []
        with self.transaction() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")
            applied = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
            return apply_migrations(
                lambda sql, args: conn.execute(sql, args),
                applied,
                lambda name: conn.execute("INSERT INTO _migrations VALUES (?, ?)", (name, time.time())),
            )

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, args).fetchall()

    def _next_seq(self, table: str) -> int:
        row = self.conn.execute(f"SELECT COALESCE(MAX(seq), 0) + 1 FROM {table}").fetchone()
        return int(row[0])

    # ------------------------------------------------------------------ ingest

    def add_outcome(self, outcome: IngestOutcome) -> InputOutcome:
        """Record one input: a new article, an exact duplicate of a stored one, or a rejection."""
        with self.transaction() as conn:
            seq = self._next_seq("inputs")
            if outcome.article is None:
                reason = outcome.rejection.reason if outcome.rejection else "no article"
                conn.execute(
                    "INSERT INTO inputs (source, outcome, reason, seq) VALUES (?, 'rejected', ?, ?)",
                    (outcome.source, reason, seq),
                )
                conn.execute(
                    "INSERT INTO rejections VALUES (?, ?) ON CONFLICT(source) DO UPDATE SET reason=excluded.reason",
                    (outcome.source, reason),
                )
                return "rejected"
            art = outcome.article
            exists = conn.execute("SELECT 1 FROM articles WHERE id = ?", (art.id,)).fetchone()
            kind: InputOutcome = "duplicate" if exists else "ingested"
            conn.execute(
                "INSERT INTO inputs (source, outcome, article_id, seq) VALUES (?, ?, ?, ?)",
                (outcome.source, kind, art.id, seq),
            )
            if not exists:
                conn.execute(
                    "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        art.id, self._next_seq("articles"), art.source, art.url, art.outlet, art.title,
                        art.byline, _iso(art.published), art.published_precision, art.language, art.text,
                        art.original_source, json.dumps(art.credits), IngestStatus.ingested.value,
                    ),
                )
                conn.execute("DELETE FROM rejections WHERE source = ?", (outcome.source,))
            return kind

    def articles(self, status: IngestStatus | None = None, ids: Iterable[str] | None = None) -> Iterator[Article]:
        """Articles in ingestion order, optionally by status or id."""
        if ids is not None:
            for chunk in chunks(list(ids)):
                for row in self.query(f"SELECT * FROM articles WHERE id IN ({marks(len(chunk))}) ORDER BY seq", tuple(chunk)):
                    yield article_from_row(row)
            return
        sql, args = "SELECT * FROM articles ORDER BY seq", cast("tuple[Any, ...]", ())
        if status is not None:
            sql, args = "SELECT * FROM articles WHERE status = ? ORDER BY seq", (status.value,)
        for row in self.conn.execute(sql, args).fetchall():
            yield article_from_row(row)

    def article(self, article_id: str) -> Article | None:
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return article_from_row(row) if row else None

    def count_articles(self, status: IngestStatus | None = None) -> int:
        """How many articles the store holds (with ``status``: in that state)."""
        if status is None:
            return int(self.query("SELECT COUNT(*) FROM articles")[0][0])
        return int(self.query("SELECT COUNT(*) FROM articles WHERE status = ?", (status.value,))[0][0])

    def article_keys(self, status: IngestStatus, after: int = 0, limit: int | None = None) -> list[tuple[str, int]]:
        """(id, seq) of the articles in ``status`` whose ``seq`` is above ``after``, in ingestion order,
        at most ``limit`` of them: a page that articles changing state meanwhile do not shift."""
        sql = "SELECT id, seq FROM articles WHERE status = ? AND seq > ? ORDER BY seq"
        args: tuple[Any, ...] = (status.value, after)
        if limit is not None:
            sql, args = sql + " LIMIT ?", (*args, limit)
        return [(row[0], int(row[1])) for row in self.query(sql, args)]

    def article_dates(self, status: IngestStatus) -> list[tuple[str, str | None]]:
        """(id, publication date as ISO text or ``None``) of every article in ``status``."""
        rows = self.query("SELECT id, published FROM articles WHERE status = ?", (status.value,))
        return [(row[0], row[1]) for row in rows]

    def input_articles(self) -> list[tuple[str, str]]:
        """(source, article id) of every input that gave an article (ingested or duplicate), in input order."""
        return [(r[0], r[1]) for r in self.query("SELECT source, article_id FROM inputs WHERE article_id IS NOT NULL")]

    def input_counts(self) -> dict[str, int]:
        """How every input seen so far ended: ingested, duplicate or rejected."""
        counts = {"ingested": 0, "duplicate": 0, "rejected": 0}
        for row in self.query("SELECT outcome, COUNT(*) FROM inputs GROUP BY outcome"):
            counts[row[0]] = row[1]
        return counts

    def rejections(self) -> list[tuple[str, str]]:
        return [(r["source"], r["reason"]) for r in self.query("SELECT * FROM rejections ORDER BY source")]

    # ------------------------------------------------------------------ extraction

    def save_mention(self, mention: Mention) -> None:
        """Write an article's mention, its figures, claims and spans; mark the article extracted."""
        aid = mention.article_id
        with self.transaction() as conn:
            for table in ("figures", "claims", "spans", "mentions", "failures"):
                conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (aid,))
            d, p = mention.date, mention.place
            conn.execute(
                "INSERT INTO mentions VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    mention.id, aid, mention.event_type.code if mention.event_type else None,
                    _iso(d.start) if d else None, _iso(d.end) if d else None, d.precision if d else None,
                    p.name if p else None, p.country_code if p else None, p.lat if p else None,
                    p.lon if p else None, mention.model_dump_json(),
                ),
            )
            spans: dict[tuple[str, str, int], tuple[Any, ...]] = {}

            def span(record_id: str, kind: str, s: Any) -> None:
                if s is not None:
                    spans[(record_id, kind, s.start)] = (aid, record_id, kind, s.start, s.end, s.text)

            for c in mention.claims:
                conn.execute(
                    "INSERT INTO claims VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (c.id, aid, c.speaker.name, int(c.speaker.anonymous), c.speaker.kind, c.cue, c.content.text,
                     int(c.direct), c.sentence.start, c.sentence.end),
                )
                span(c.id, "claim", c.content)
                span(c.id, "speaker", c.speaker_span)
            for f in mention.figures:
                conn.execute(
                    "INSERT INTO figures VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (f.id, aid, f.kind, f.value, f.low, f.high, f.qualifier, f.text, f.group,
                     f.speaker.name if f.speaker else None, int(f.speaker.anonymous) if f.speaker else None,
                     f.claim_id, f.span.start, f.span.end, f.sentence.text),
                )
                span(f.id, "figure", f.span)
            for i, pm in enumerate(mention.places):
                span(f"p{i}", "place", pm.span)
            for i, dm in enumerate(mention.dates):
                span(f"d{i}", "date", dm.span)
            for i, fr in enumerate(mention.framing):
                span(f"f{i}", "framing", fr.span)
            conn.executemany("INSERT INTO spans VALUES (?,?,?,?,?,?)", list(spans.values()))
            conn.execute("UPDATE articles SET status = ? WHERE id = ?", (IngestStatus.extracted.value, aid))

    def mention(self, article_id: str) -> Mention | None:
        row = self.conn.execute("SELECT data FROM mentions WHERE article_id = ?", (article_id,)).fetchone()
        return Mention.model_validate_json(row[0]) if row else None

    def mentions(self, article_ids: Iterable[str]) -> dict[str, Mention]:
        out: dict[str, Mention] = {}
        for chunk in chunks(list(article_ids)):
            sql = f"SELECT article_id, data FROM mentions WHERE article_id IN ({marks(len(chunk))})"
            for row in self.query(sql, tuple(chunk)):
                out[row[0]] = Mention.model_validate_json(row[1])
        return out

    # ------------------------------------------------------------------ stories

    def stories_overlapping(self, start: dt.date, end: dt.date) -> list[str]:
        """Ids of stories whose date range overlaps [start, end]."""
        rows = self.query(
            "SELECT id FROM stories WHERE date_end >= ? AND date_start <= ? ORDER BY date_end, id",
            (start.isoformat(), end.isoformat()),
        )
        return [r[0] for r in rows]

    def undated_stories(self) -> list[str]:
        return [r[0] for r in self.query("SELECT id FROM stories WHERE date_start IS NULL ORDER BY id")]

    def story(self, story_id: str) -> Story | None:
        rows = self.query(
            "SELECT sa.* FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
            "WHERE sa.story_id = ? ORDER BY a.seq",
            (story_id,),
        )
        if not rows:
            return None
        arts = [StoryArticle(article_id=r["article_id"], relation=r["relation"], copied_from=r["copied_from"]) for r in rows]
        return Story(id=story_id, articles=arts)

    def story_ids(self) -> list[str]:
        return [r[0] for r in self.query("SELECT id FROM stories ORDER BY date_start, id")]

    def story_of(self, article_id: str) -> str | None:
        row = self.conn.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def assign(self, article_id: str, story_id: str, day: dt.date | None) -> None:
        """Put an article into a story (created if new), widening the story's date range."""
        with self.transaction() as conn:
            iso = _iso(day)
            conn.execute(
                "INSERT INTO stories VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                "date_start = CASE WHEN stories.date_start IS NULL OR excluded.date_start < stories.date_start "
                "THEN excluded.date_start ELSE stories.date_start END, "
                "date_end = CASE WHEN stories.date_end IS NULL OR excluded.date_end > stories.date_end "
                "THEN excluded.date_end ELSE stories.date_end END",
                (story_id, iso, iso),
            )
            conn.execute(
                "INSERT INTO story_articles VALUES (?, ?, 'independent', NULL) "
                "ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id",
                (article_id, story_id),
            )
            conn.execute("UPDATE articles SET status = ? WHERE id = ?", (IngestStatus.clustered.value, article_id))

    def save_relations(self, story: Story, links: list[ReuseLink]) -> None:
        with self.transaction() as conn:
            for sa in story.articles:
                conn.execute(
                    "UPDATE story_articles SET relation = ?, copied_from = ? WHERE article_id = ?",
                    (sa.relation, sa.copied_from, sa.article_id),
                )
            for link in links:
                conn.execute(
                    "INSERT INTO reuse_links VALUES (?,?,?,?) ON CONFLICT(source_id, target_id) "
                    "DO UPDATE SET share = excluded.share, data = excluded.data",
                    (link.source_id, link.target_id, link.share, link.model_dump_json()),
                )

    def reuse_links(self, article_ids: Iterable[str]) -> list[ReuseLink]:
        ids = list(article_ids)
        if not ids:
            return []
        sql = f"SELECT data FROM reuse_links WHERE target_id IN ({marks(len(ids))}) ORDER BY source_id, target_id"
        rows = self.query(sql, tuple(ids))
        return [ReuseLink.model_validate_json(r[0]) for r in rows]

    # ------------------------------------------------------------------ incidents

    def save_incident(self, inc: Incident) -> None:
        loc = inc.location
        with self.transaction() as conn:
            self._forget_names(inc.story_id)
            conn.execute("DELETE FROM incidents WHERE story_id = ?", (inc.story_id,))
            conn.execute(
                "INSERT INTO incidents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    inc.id, inc.story_id, _iso(inc.date_start), _iso(inc.date_end),
                    loc.country if loc else None, loc.admin1 if loc else None, loc.name if loc else None,
                    loc.lat if loc else None, loc.lon if loc else None,
                    inc.event_type.code if inc.event_type else None,
                    inc.killed.low, inc.killed.best, inc.killed.high,
                    inc.injured.low, inc.injured.best, inc.injured.high,
                    len(inc.sources), int(bool(inc.disagreements)), inc.model_dump_json(),
                ),
            )
            self._save_names(inc)

    def drop_incident(self, story_id: str) -> None:
        with self.transaction() as conn:
            self._forget_names(story_id)
            conn.execute("DELETE FROM incidents WHERE story_id = ?", (story_id,))

    def incidents(self) -> list[Incident]:
        rows = self.query("SELECT data FROM incidents ORDER BY date_start, id")
        return [Incident.model_validate_json(r[0]) for r in rows]

    def incident(self, incident_id: str, prefix: bool = True) -> Incident | None:
        """The incident with this id, or (unless ``prefix`` is false) with this unambiguous id prefix."""
        rows = self.query("SELECT data FROM incidents WHERE id = ?", (incident_id,))
        if not rows and prefix:
            rows = self.query("SELECT data FROM incidents WHERE id LIKE ? ORDER BY id LIMIT 2", (incident_id + "%",))
        return Incident.model_validate_json(rows[0][0]) if len(rows) == 1 else None


def open_store(db: str | Path, readonly: bool = False) -> Store:
    """Open (and, unless ``readonly``, create or migrate) the store at ``db``, a SQLite file path."""
    if str(db).startswith(("postgresql://", "postgres://")):
        raise ValueError("a PostgreSQL URL: open it with rashomon.store.open_store")
    return Store(db, readonly=readonly)
