"""The pipeline, in order: ingest -> extract -> cluster -> corrections -> reuse -> reconcile -> store.

This is the only place where the order of the stages is written down.  Every stage reads its
input from the store and writes its output there, so a killed run resumes where it stopped and a
second run on the same inputs adds nothing:

* ingest and extract commit per input / per article (a killed run keeps what it finished);
* cluster, reuse and reconcile run in one transaction: they rebuild stories and incidents together,
  so a run killed among them leaves the store as it was before them (never a story without its
  incident, nor an incident of a half-linked story), and the re-run redoes them whole, with the
  same result as an uninterrupted run.

One writing run at a time per store: every entry point here holds ``Store.run_lock``.  A second
run on the same store waits for the first (and says so on stderr) unless ``wait=False``, which
raises :class:`~rashomon.store.sqlite.StoreBusy` instead.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rashomon.cluster import cluster_pending
from rashomon.extract import extract_pending
from rashomon.ingest import read_articles
from rashomon.ingest.base import too_long
from rashomon.ingest.fields import parse_fields
from rashomon.models import IngestOutcome, IngestStatus
from rashomon.reconcile import reconcile_stories
from rashomon.reuse import update_relations
from rashomon.review import apply as corrections
from rashomon.settings import Settings, load_settings
from rashomon.store import Store, StoreNotFound, open_store, require_store

if TYPE_CHECKING:
    from rashomon.engine import Engine


@dataclass
class IngestReport:
    """How every input ended: counts add up to the number of inputs seen."""

    ingested: int = 0
    duplicate: int = 0
    rejected: int = 0
    rejections: list[tuple[str, str]] = field(default_factory=list)

    @property
    def inputs(self) -> int:
        return self.ingested + self.duplicate + self.rejected


@dataclass
class RunReport:
    ingest: IngestReport
    extracted: int
    """Articles analysed: ``extracted + failed`` is every article that was waiting (for a run on a
    fresh store, ``ingest.ingested``)."""
    stories_touched: int
    incidents: list[str]
    """Ids of the incidents this run wrote or rewrote, each once (``store.incident(id)`` reads one):
    ``len(incidents)`` counts them as ``rashomon incidents`` lists them."""
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    """(article id, one-line reason) of each article whose extraction raised: marked ``failed``."""
    retried: int = 0
    """Failed articles put back in the queue by ``retry_failed``."""


Progress = Callable[[str, int | None], Callable[[], None]]
"""``progress(stage, total)`` returns a callable to advance that stage by one."""


def _no_progress(stage: str, total: int | None) -> Callable[[], None]:
    return lambda: None


def _say_waiting(message: str) -> None:
    """Tell the user (stderr) why the run does not start yet."""
    print(f"rashomon: {message}", file=sys.stderr, flush=True)


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    settings: Settings | None = None,
    on_outcome: Callable[[IngestOutcome, str], None] | None = None,
) -> IngestReport:
    """Read inputs into the store. Exact duplicates (same text) are counted, not stored twice."""
    settings = settings or load_settings()
    report = IngestReport()
    with store.run_lock(on_wait=_say_waiting):
        cfg = settings.ingest
        fields = parse_fields(cfg.fields)
        for outcome in read_articles(paths, max_bytes=cfg.max_bytes, max_chars=cfg.max_text_chars, fields=fields):
            kind = store.add_outcome(outcome)
            setattr(report, kind, getattr(report, kind) + 1)
            if kind == "rejected" and outcome.rejection is not None:
                report.rejections.append((outcome.source, outcome.rejection.reason))
            if on_outcome is not None:
                on_outcome(outcome, kind)
    return report


def process_pending(
    store: Store, settings: Settings | None = None, progress: Progress = _no_progress, *,
    engine: Engine | None = None, retry_failed: bool = False,
) -> RunReport:
    """Run every stage after ingest over what the store holds that is not yet done.

    ``engine`` runs the extract stage (:mod:`rashomon.engine`: this process by default, a pool of
    processes, or Ray); the stages and their order are the same whichever runs it.  An article
    whose extraction raises is marked ``failed`` with its reason and the run goes on;
    ``retry_failed`` puts the articles that failed before back in the queue first."""
    settings = settings or load_settings()
    with store.run_lock(on_wait=_say_waiting):
        retried = store.retry_failed() if retry_failed else 0
        limit = settings.ingest.max_text_chars
        with store.transaction():  # what an older store holds beyond today's limit fails, with its reason
            failures = store.fail_longer_than(limit, lambda chars: too_long(chars, limit))
        todo = store.count_articles(IngestStatus.ingested)
        tick = progress("extract", todo)
        extracted = 0
        if todo:  # a re-run (or a run that waited for another) has nothing to extract: no model is loaded
            extracted = extract_pending(store, settings.extract, on_article=lambda _a: tick(), engine=engine,
                                        on_failure=lambda f: failures.append((f.article_id, f.reason)))
        story_ids, incidents = link_and_reconcile(store, settings)
    return RunReport(IngestReport(), extracted, len(story_ids), incidents, len(failures), failures, retried)


def link_and_reconcile(store: Store, settings: Settings) -> tuple[list[str], list[str]]:
    """Cluster the extracted articles, apply the corrections log, detect reuse and reconcile, in one
    transaction (see the module docstring); return the stories touched and the incidents written.
    The caller holds the run lock."""
    with store.transaction():  # all or nothing: see the module docstring
        story_ids = cluster_pending(store, settings.cluster)
        story_ids, overlay = corrections.apply_log(store, story_ids)  # docs/review.md
        update_relations(store, story_ids, settings.reuse)
        incidents = list(dict.fromkeys(reconcile_stories(store, story_ids, settings, overlay)))
        corrections.mark_applied(store, overlay)
    return story_ids, incidents


def run(
    paths: Iterable[str | Path],
    db: str | Path,
    settings: Settings | None = None,
    progress: Progress = _no_progress,
    on_outcome: Callable[[IngestOutcome, str], None] | None = None,
    *,
    wait: bool = True,
    engine: Engine | None = None,
    retry_failed: bool = False,
) -> RunReport:
    """The whole job: ingest ``paths`` into the store at ``db`` and analyse everything pending
    (with ``retry_failed``, the articles whose extraction failed before as well).

    While another run writes to the same store this one waits for it (``wait=False``: raise
    :class:`~rashomon.store.sqlite.StoreBusy` at once).
    """
    settings = settings or load_settings()
    with open_store(db) as store, store.run_lock(wait=wait, on_wait=_say_waiting):
        report = ingest(paths, store, settings, on_outcome)
        result = process_pending(store, settings, progress, engine=engine, retry_failed=retry_failed)
        result.ingest = report
        return result


def has_pending(db: str | Path) -> bool:
    """Does the store at ``db`` exist and hold articles not yet analysed (ingested, or extracted and
    not yet in a story)?  ``rashomon analyse`` without inputs needs some (nothing is created here)."""
    try:
        require_store(db)
    except StoreNotFound:
        return False
    with open_store(db) as store:
        return any(store.count_articles(status) for status in (IngestStatus.ingested, IngestStatus.extracted))


analyse = run
"""``analyse`` is ``run``: the library call behind ``rashomon analyse``."""

