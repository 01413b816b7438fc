"""The Ray engine: Ray Data ``map_batches`` over an actor pool, each actor holding the spaCy model.

Articles go out in windows of :data:`WINDOW` (one Ray dataset each, its blocks streamed through
the actors); the mentions come back as JSON and the caller writes them to the store, so workers
need no access to it.  Without an address a local Ray instance is started (and shut down by
:meth:`RayEngine.close`); with one (``auto``, ``ray://head:10001``) the engine joins that cluster,
whose nodes must have ``rashomon`` installed (``pip install rashomon[ray]``).

Install with ``pip install 'rashomon[ray]'`` (it pins ``ray[data]``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from typing import Any, Self

import numpy as np

from rashomon.engine.local import chunks, default_workers
from rashomon.models import Article, ExtractFailure, Mention
from rashomon.settings import ExtractSettings

WINDOW = 2048
"""Articles per Ray dataset: bounds the driver's memory; each window reuses no actor, so larger
windows load the model less often (about 2 s per actor and window)."""
FAILED = "!"
"""Prefix of an :class:`ExtractFailure` among the mentions a batch returns (a Mention's JSON starts with '{')."""
LOCAL_OBJECT_STORE = 256 * 1024 * 1024
"""Object store of a locally started Ray (bytes): windows of texts need little."""


def require_ray() -> Any:
    """Import Ray, or say how to install it."""
    try:
        import ray
        import ray.data
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError("the ray engine needs Ray Data: pip install 'rashomon[ray]'") from exc
    return ray


class MentionExtractor:
    """A Ray Data actor: loads the pipeline once, then maps batches of articles to mentions."""

    def __init__(self, batch_size: int = 32, parse: str | None = None, settings: ExtractSettings | None = None) -> None:
        from rashomon.extract.nlp import shared_nlp
        from rashomon.geo.gazetteer import get_gazetteer

        self.batch_size = batch_size
        self.nlp = shared_nlp(None, parse, settings)  # type: ignore[arg-type]
        get_gazetteer()

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        from rashomon.extract import extract_results

        articles = [Article.model_validate_json(text) for text in batch["article"]]
        results = extract_results(articles, self.nlp, self.batch_size)
        mentions = [(FAILED if isinstance(r, ExtractFailure) else "") + r.model_dump_json() for r in results]
        return {"mention": np.array(mentions, dtype=object)}


class RayEngine:
    """Extraction on Ray: a local instance, or the cluster at ``address``."""

    name = "ray"

    def __init__(self, address: str | None = None, workers: int | None = None, batch_size: int = 32,
                 window: int = WINDOW, parse: str | None = None, settings: ExtractSettings | None = None) -> None:
        from rashomon.extract.nlp import PARSE_ENV, default_parse_mode

        ray = require_ray()
        self.ray = ray
        self.batch_size = batch_size
        self.window = window
        self.parse = parse or default_parse_mode(settings.parse if settings else None)
        self.settings = settings
        self.started = False
        if not ray.is_initialized():
            options: dict[str, Any] = {
                "include_dashboard": False,
                "log_to_driver": False,
                "logging_level": logging.WARNING,
                "runtime_env": {"env_vars": {PARSE_ENV: self.parse}},
            }
            if address is None:
                options.update(num_cpus=workers or default_workers(), object_store_memory=LOCAL_OBJECT_STORE)
            else:
                options["address"] = address
            os.environ.setdefault("RAY_DATA_DISABLE_PROGRESS_BARS", "1")
            ray.init(**options)
            self.started = True
        self.workers = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True  # mentions in input order, like the others
        context.enable_progress_bars = False
        logging.getLogger("ray.data").setLevel(logging.WARNING)  # no per-dataset execution plans

    def extract(self, articles: Iterable[Article]) -> Iterator[Mention | ExtractFailure]:
        for window in chunks(articles, self.window):
            items = [{"article": article.model_dump_json()} for article in window]
            blocks = max(1, min(len(items) // self.batch_size, 4 * self.workers))
            dataset = self.ray.data.from_items(items, override_num_blocks=blocks)
            mentions = dataset.map_batches(
                MentionExtractor,
                batch_size=self.batch_size,
                batch_format="numpy",
                compute=self.ray.data.ActorPoolStrategy(size=min(self.workers, blocks)),
                num_cpus=1,
                fn_constructor_kwargs={"batch_size": self.batch_size, "parse": self.parse, "settings": self.settings},
            )
            for batch in mentions.iter_batches(batch_size=None, batch_format="numpy"):
                for text in batch["mention"]:
                    if text.startswith(FAILED):
                        yield ExtractFailure.model_validate_json(text[len(FAILED):])
                    else:
                        yield Mention.model_validate_json(text)

    def close(self) -> None:
        if self.started:
            self.ray.shutdown()
            self.started = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
