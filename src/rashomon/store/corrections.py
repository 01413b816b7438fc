"""The corrections log in the store (migration ``0005_corrections``) and the story edits it asks for.

The log is append-only: :meth:`CorrectionsLog.add_correction` is the only write to it, and triggers
refuse any UPDATE or DELETE.  Entries are numbered by ``seq`` in the order they were written; two
writers at once (two reviewers, a reviewer and a run) are serialised by the write transaction
(SQLite's ``BEGIN IMMEDIATE``; on PostgreSQL an advisory transaction lock), so neither entry is
lost and no number is given twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from rashomon.models import Correction
from rashomon.store.queries import chunks, marks

_LOCK_KEY = int.from_bytes(hashlib.blake2b(b"rashomon:corrections", digest_size=8).digest(), "big", signed=True)
MARK = "applied_seq"  # review_state key: the last log entry whose effects a reconcile has written


def _correction(row: Any) -> Correction:
    return Correction(
        id=row["id"], seq=int(row["seq"]), who=row["who"], at=row["at"], operation=row["operation"],
        target=json.loads(row["target"]), before=json.loads(row["before_json"]),
        after=json.loads(row["after_json"]), reason=row["reason"],
    )


class CorrectionsLog:
    """The store's corrections log and the story membership edits that apply it (mixed into the store)."""

    if TYPE_CHECKING:  # provided by the store class this is mixed into
        conn: Any

        def transaction(self) -> AbstractContextManager[Any]: ...

        def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]: ...

        def assign(self, article_id: str, story_id: str, day: dt.date | None) -> None: ...

    def add_correction(self, who: str, operation: str, target: dict[str, Any], before: dict[str, Any],
                       after: dict[str, Any], reason: str, *, cid: str | None = None,
                       at: str | None = None) -> Correction:
        """Append one entry to the log and return it (with its id, number and time).  ``cid`` and
        ``at`` keep the id and time of an entry carried over from another store's log."""
        with self.transaction() as conn:
            if not isinstance(conn, sqlite3.Connection):  # PostgreSQL: writers of the log take turns
                conn.execute("SELECT pg_advisory_xact_lock(?::bigint)", (_LOCK_KEY,))
            row = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM corrections").fetchone()
            seq = int(row[0])
            at = at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
            cid = cid or "c" + secrets.token_hex(7)
            conn.execute(
                "INSERT INTO corrections VALUES (?,?,?,?,?,?,?,?,?)",
                (cid, seq, who, at, operation, json.dumps(target, sort_keys=True), json.dumps(before, sort_keys=True),
                 json.dumps(after, sort_keys=True), reason),
            )
        return Correction(id=cid, seq=seq, who=who, at=at, operation=operation,  # type: ignore[arg-type]
                          target=target, before=before, after=after, reason=reason)

    def corrections(self) -> list[Correction]:
        """Every entry of the log, in order."""
        return [_correction(r) for r in self.query("SELECT * FROM corrections ORDER BY seq")]

    def correction(self, correction_id: str) -> Correction | None:
        rows = self.query("SELECT * FROM corrections WHERE id = ?", (correction_id,))
        return _correction(rows[0]) if rows else None

    def applied_mark(self) -> int:
        """The number of the last log entry a reconcile has written the effects of (0: none)."""
        rows = self.query("SELECT value FROM review_state WHERE key = ?", (MARK,))
        return int(rows[0][0]) if rows else 0

    def set_applied_mark(self, seq: int) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO review_state VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (MARK, str(seq)),
            )

    def stories_of(self, article_ids: Iterable[str]) -> dict[str, str]:
        """article id -> the story holding it, for those of ``article_ids`` in a story."""
        out: dict[str, str] = {}
        for chunk in chunks(list(article_ids)):
            sql = f"SELECT article_id, story_id FROM story_articles WHERE article_id IN ({marks(len(chunk))})"
            out.update({r[0]: r[1] for r in self.query(sql, tuple(chunk))})
        return out

    def incident_story_ids(self, story_ids: Iterable[str]) -> set[str]:
        """Those of ``story_ids`` that have an incident."""
        out: set[str] = set()
        for chunk in chunks(list(story_ids)):
            sql = f"SELECT story_id FROM incidents WHERE story_id IN ({marks(len(chunk))})"
            out.update(r[0] for r in self.query(sql, tuple(chunk)))
        return out

    def articles_quoting(self, speaker: str) -> list[str]:
        """Ids of the articles with a claim or figure by ``speaker`` (any letter case)."""
        rows = self.query(
            "SELECT article_id FROM claims WHERE LOWER(speaker) = LOWER(?) "
            "UNION SELECT article_id FROM figures WHERE LOWER(speaker) = LOWER(?)",
            (speaker, speaker),
        )
        return sorted({r[0] for r in rows})

    def figure_article(self, figure_id: str) -> str | None:
        rows = self.query("SELECT article_id FROM figures WHERE id = ?", (figure_id,))
        return rows[0][0] if rows else None

    def claim_article(self, claim_id: str) -> str | None:
        rows = self.query("SELECT article_id FROM claims WHERE id = ?", (claim_id,))
        return rows[0][0] if rows else None

    def move_to_story(self, article_ids: Iterable[str], story_id: str,
                      days: dict[str, dt.date | None]) -> set[str]:
        """Put articles into ``story_id`` (created if new); drop the stories (and incidents) left empty.
        Returns the ids of the stories whose membership changed."""
        ids = list(article_ids)
        changed: set[str] = set()
        with self.transaction() as conn:
            held = self.stories_of(ids)
            for aid in ids:
                if held.get(aid) == story_id or aid not in held:
                    continue
                changed |= {held[aid], story_id}
                self.assign(aid, story_id, days.get(aid))
            for sid in sorted(changed - {story_id}):
                if not conn.execute("SELECT 1 FROM story_articles WHERE story_id = ?", (sid,)).fetchone():
                    conn.execute("DELETE FROM incidents WHERE story_id = ?", (sid,))
                    conn.execute("DELETE FROM stories WHERE id = ?", (sid,))
        return changed
