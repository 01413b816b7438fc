"""The ``--engine``, ``--workers`` and ``--ray-address`` options of ``rashomon analyse``.

In ``cli.py``::

    from rashomon.engine.cli_options import EngineOption, RayAddressOption, WorkersOption, engine_for

    def analyse(..., engine: EngineOption = "local", workers: WorkersOption = None,
                ray_address: RayAddressOption = None) -> None:
        ...
        with engine_for(engine, workers, ray_address, settings.extract.batch_size) as runner:
            result = pipeline.run(paths, db, settings, factory, report, engine=runner)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from rashomon.engine import ENGINES, Engine, make_engine
from rashomon.settings import ExtractSettings

EngineOption = Annotated[
    str,
    typer.Option(
        "--engine",
        help=f"Where extraction runs: {', '.join(ENGINES)} (this process; a pool of local worker processes; "
        "Ray, needs rashomon\\[ray]). Every engine gives the same incidents.",
        case_sensitive=False,
    ),
]
WorkersOption = Annotated[
    int | None,
    typer.Option("--workers", min=1, help="Worker processes or Ray actors (default: the CPUs available)."),
]
RayAddressOption = Annotated[
    str | None,
    typer.Option(
        "--ray-address",
        help="Ray cluster to join (e.g. ray://head:10001, or auto); default: start a local Ray. Implies --engine ray.",
    ),
]


@contextmanager
def engine_for(name: str, workers: int | None, ray_address: str | None, batch_size: int = 32,
               settings: ExtractSettings | None = None) -> Iterator[Engine | None]:
    """The engine the options ask for (its pipeline built with ``settings``), closed on exit; ``None``
    for the default local engine."""
    name = "ray" if ray_address and name == "local" else name.lower()
    if name not in ENGINES:
        raise typer.BadParameter(f"unknown engine {name!r}: expected one of {', '.join(ENGINES)}", param_hint="--engine")
    if ray_address and name != "ray":
        raise typer.BadParameter("--ray-address needs --engine ray", param_hint="--ray-address")
    if name == "local":
        if workers not in (None, 1):
            raise typer.BadParameter("the local engine is this one process: use --engine process", param_hint="--workers")
        yield None
        return
    try:
        engine = make_engine(name, workers=workers, ray_address=ray_address, batch_size=batch_size, settings=settings)
    except RuntimeError as exc:  # e.g. Ray not installed
        raise typer.BadParameter(str(exc), param_hint="--engine") from exc
    with engine:
        yield engine
