"""Engines on this machine: the calling process, or a pool of worker processes."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice
from multiprocessing.pool import AsyncResult, Pool
from typing import TYPE_CHECKING, Self

from rashomon.models import Article, ExtractFailure, Mention

if TYPE_CHECKING:
    from spacy.language import Language

    from rashomon.settings import ExtractSettings

CHUNK = 16
"""Articles per task sent to a worker process (small enough to balance two workers)."""


def chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Consecutive lists of at most ``size`` items, read lazily."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def default_workers() -> int:
    """The CPUs this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class LocalEngine:
    """The spaCy pipeline in the calling process (``nlp``, or the process's shared one for
    ``settings``)."""

    name = "local"

    def __init__(self, batch_size: int = 32, nlp: Language | None = None,
                 settings: ExtractSettings | None = None) -> None:
        self.batch_size = batch_size
        self.nlp = nlp
        self.settings = settings

    def extract(self, articles: Iterable[Article]) -> Iterator[Mention | ExtractFailure]:
        from rashomon.extract import extract_results
        from rashomon.extract.nlp import shared_nlp

        nlp = self.nlp or shared_nlp(settings=self.settings)
        return extract_results(articles, nlp, self.batch_size, _chunk_chars(self.settings))

    def close(self) -> None:
        pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------- worker side

_WORKER: dict[str, object] = {"batch_size": 32, "parse": None, "settings": None}
"""What a worker process was started with (set by :func:`_init_worker`)."""


def _init_worker(batch_size: int, parse: str | None, settings: ExtractSettings | None = None) -> None:
    """Load the model (and the gazetteer) once per worker process."""
    from rashomon.extract.nlp import shared_nlp
    from rashomon.geo.gazetteer import get_gazetteer

    _WORKER.update(batch_size=batch_size, parse=parse, settings=settings)
    shared_nlp(None, parse, settings)  # type: ignore[arg-type]
    get_gazetteer()


def _worker_pid(pause: float) -> int:
    """A worker's process id (after a pause, so that every worker takes one of these tasks)."""
    time.sleep(pause)
    return os.getpid()


def _chunk_chars(settings: ExtractSettings | None) -> int:
    """``extract.chunk_chars`` of ``settings`` (the default without them)."""
    from rashomon.settings import ExtractSettings

    return (settings or ExtractSettings()).chunk_chars


def _extract_chunk(articles: list[Article]) -> list[Mention | ExtractFailure]:
    """A worker's task: the mentions (or failures) of one chunk of articles, in order."""
    from rashomon.extract import extract_results
    from rashomon.extract.nlp import shared_nlp

    settings: ExtractSettings | None = _WORKER["settings"]  # type: ignore[assignment]
    nlp = shared_nlp(None, _WORKER["parse"], settings)  # type: ignore[arg-type]
    return list(extract_results(articles, nlp, int(_WORKER["batch_size"]), _chunk_chars(settings)))  # type: ignore[call-overload]


# --------------------------------------------------------------------------- parent side


class ProcessEngine:
    """``workers`` spawned processes, each holding the model; the parent keeps at most
    ``2 * workers`` chunks in flight, so memory stays bounded however long the input."""

    name = "process"

    def __init__(self, workers: int | None = None, batch_size: int = 32, chunk: int = CHUNK,
                 parse: str | None = None, settings: ExtractSettings | None = None) -> None:
        from rashomon.extract.nlp import default_parse_mode

        self.workers = workers or default_workers()
        self.chunk = chunk
        self.in_flight = 2 * self.workers
        context = multiprocessing.get_context("spawn")
        self.pool: Pool | None = context.Pool(
            self.workers, initializer=_init_worker,
            initargs=(batch_size, parse or default_parse_mode(settings.parse if settings else None), settings),
        )

    def wait_ready(self, timeout: float = 300.0) -> None:
        """Block until every worker has loaded the model (benchmarks time the work, not the start)."""
        if self.pool is None:
            raise RuntimeError("the process engine is closed")
        seen: set[int] = set()
        deadline = time.monotonic() + timeout
        while len(seen) < self.workers and time.monotonic() < deadline:
            tasks = [self.pool.apply_async(_worker_pid, (0.2,)) for _ in range(2 * self.workers)]
            seen |= {task.get(timeout) for task in tasks}

    def extract(self, articles: Iterable[Article]) -> Iterator[Mention | ExtractFailure]:
        if self.pool is None:
            raise RuntimeError("the process engine is closed")
        pending: deque[AsyncResult[list[Mention | ExtractFailure]]] = deque()
        for chunk in chunks(articles, self.chunk):
            pending.append(self.pool.apply_async(_extract_chunk, (chunk,)))
            while len(pending) >= self.in_flight:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None

    def terminate(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.terminate()
