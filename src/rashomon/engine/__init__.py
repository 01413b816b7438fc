"""Where extraction runs: in this process, in a pool of local processes, or on a Ray cluster.

An engine turns a stream of :class:`~rashomon.models.Article` into their
:class:`~rashomon.models.Mention` records.  The pipeline feeds it the pending articles page by
page and writes what comes back to the store itself (workers never touch the store), so every
engine gives the same store contents, and the extract stage keeps only a bounded window of
articles in memory whatever the engine.

* ``local``: the spaCy pipeline in this process (the default; one core).
* ``process``: ``workers`` local processes (``spawn``), each loading the model once; chunks of
  articles go out, their mentions come back in order.
* ``ray``: Ray Data ``map_batches`` over an actor pool, each actor holding the model; with
  ``ray_address`` it joins an existing cluster, without it starts a local one.  Needs the
  optional extra ``rashomon[ray]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal, Protocol, Self

from rashomon.models import Article, ExtractFailure, Mention
from rashomon.settings import ExtractSettings

__all__ = ["ENGINES", "Engine", "EngineName", "make_engine"]

EngineName = Literal["local", "process", "ray"]
ENGINES: tuple[EngineName, ...] = ("local", "process", "ray")


class Engine(Protocol):
    """Extracts mentions from articles; usable as a context manager (``close`` on exit)."""

    name: str

    def extract(self, articles: Iterable[Article]) -> Iterator[Mention | ExtractFailure]:
        """Mentions of ``articles``, one per article (in input order for local engines); an article
        whose extraction raised gives an :class:`~rashomon.models.ExtractFailure` instead."""
        ...

    def close(self) -> None:
        """Release workers (processes, actors)."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, exc_type: object, *exc: object) -> None: ...


def make_engine(
    name: str = "local",
    *,
    workers: int | None = None,
    ray_address: str | None = None,
    batch_size: int = 32,
    settings: ExtractSettings | None = None,
) -> Engine:
    """The engine called ``name`` (``local``, ``process`` or ``ray``).

    ``workers``: processes or Ray actors (default: the CPUs available, at least 1).
    ``ray_address``: a running Ray cluster (``ray://host:10001`` or ``auto``); none starts a
    local one.  ``batch_size``: documents per spaCy batch.  ``settings``: the ``[extract]`` settings
    the pipeline is built with (default: ``default.toml``'s).
    """
    if name == "local":
        from rashomon.engine.local import LocalEngine

        return LocalEngine(batch_size=batch_size, settings=settings)
    if name == "process":
        from rashomon.engine.local import ProcessEngine

        return ProcessEngine(workers=workers, batch_size=batch_size, settings=settings)
    if name == "ray":
        from rashomon.engine.ray_engine import RayEngine

        return RayEngine(address=ray_address, workers=workers, batch_size=batch_size, settings=settings)
    raise ValueError(f"unknown engine {name!r}: expected one of {', '.join(ENGINES)}")
