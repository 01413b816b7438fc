"""Articles whose extraction failed (migration ``0004_failures_and_place_names``): their status is
``failed``, their one-line reason is kept in ``failures`` until they are extracted, and
:meth:`Failures.retry_failed` puts them back in the queue (``rashomon analyse --retry-failed``)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rashomon.models import IngestStatus


@dataclass(frozen=True)
class FailureRow:
    """An article that failed: where it was read from, its title and why it failed."""

    article_id: str
    source: str
    title: str | None
    reason: str
    failed_at: float


class Failures:
    """Failure bookkeeping, mixed into every store (SQLite and PostgreSQL share the SQL)."""

    conn: Any

    def mark_failed(self, article_id: str, reason: str) -> None:
        """Mark the article ``failed`` with ``reason`` (one line); it leaves the extraction queue."""
        self.conn.execute("UPDATE articles SET status = ? WHERE id = ?", (IngestStatus.failed.value, article_id))
        self.conn.execute(
            "INSERT INTO failures VALUES (?, ?, ?) ON CONFLICT(article_id) DO UPDATE SET "
            "reason = excluded.reason, failed_at = excluded.failed_at",
            (article_id, reason, time.time()),
        )

    def fail_longer_than(self, max_chars: int, reason: Callable[[int], str]) -> list[tuple[str, str]]:
        """Mark ``failed`` every article waiting for extraction whose text is longer than ``max_chars``
        (stored before the ingest limit existed, or under a higher one), with ``reason(length)``;
        return their (id, reason)."""
        rows = self.conn.execute(
            "SELECT id, LENGTH(text) FROM articles WHERE status = ? AND LENGTH(text) > ?",
            (IngestStatus.ingested.value, max_chars),
        ).fetchall()
        failed = [(row[0], reason(int(row[1]))) for row in rows]
        for article_id, why in failed:
            self.mark_failed(article_id, why)
        return failed

    def failures(self) -> list[FailureRow]:
        """Every article that failed and was not extracted since, in ingestion order."""
        rows = self.conn.execute(
            "SELECT f.article_id, a.source, a.title, f.reason, f.failed_at FROM failures f "
            "JOIN articles a ON a.id = f.article_id WHERE a.status = ? ORDER BY a.seq",
            (IngestStatus.failed.value,),
        ).fetchall()
        return [FailureRow(r[0], r[1], r[2], r[3], float(r[4])) for r in rows]

    def retry_failed(self) -> int:
        """Put every failed article back in the extraction queue; return how many."""
        count = self.conn.execute(
            "SELECT COUNT(*) FROM articles WHERE status = ?", (IngestStatus.failed.value,)
        ).fetchone()[0]
        self.conn.execute(
            "UPDATE articles SET status = ? WHERE status = ?", (IngestStatus.ingested.value, IngestStatus.failed.value)
        )
        return int(count)
