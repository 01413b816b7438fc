"""``rashomon serve``: the web UI and HTTP API over a store, on 127.0.0.1 unless told otherwise.

The lead registers the command in ``rashomon/cli.py`` with ``app.command()(serve)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rashomon.settings import Settings, load_settings

LOOPBACK = ["127.0.0.1", "localhost", "::1"]


def allowed_hosts(host: str) -> list[str]:
    """Host headers to accept: the loopback names and the bound address; any when bound to every address."""
    if host in ("0.0.0.0", "::", ""):
        return ["*"]
    return sorted({*LOOPBACK, host})


def serve_store(db: str | Path, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info",
                review: Settings | None = None) -> None:
    """Serve the store in ``db`` until interrupted (the library call behind ``rashomon serve``);
    ``review``: the settings of the reviewers who may write (``--review``)."""
    import uvicorn

    from rashomon.serve.app import create_app

    app = create_app(db, allowed_hosts=allowed_hosts(host), review=review)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False, proxy_headers=False)


def serve(
    db: Annotated[Path, typer.Option(
        "--db", help="The store to serve: a SQLite file (must exist) or a postgresql:// URL.")] = Path("rashomon.sqlite"),
    host: Annotated[str, typer.Option(help="Address to bind. The default serves this machine only.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.", min=1, max=65535)] = 8000,
    review: Annotated[bool, typer.Option(
        "--review", help="Turn on review controls and the review queue for the reviewers of [review] tokens.")] = False,
    config: Annotated[Path | None, typer.Option("--config", help="TOML file overriding settings.", exists=True)] = None,
) -> None:
    """Browse the incidents and their accounts in a web browser; the same data as JSON (read-only
    unless --review: docs/review.md).

    In Python: rashomon.serve.serve_store(db, host, port, review=settings)
    """
    settings = load_settings(config) if review else None
    if settings is not None and not settings.review.tokens:
        typer.echo("--review needs reviewers: make a token with `rashomon review token NAME` and add its line "
                   "to [review] tokens in a settings file (--config)", err=True)
        raise typer.Exit(1)
    from rashomon.store import StoreNotFound, open_store, require_store
    from rashomon.store.dialect import display_url, postgres_url

    url = postgres_url(db)
    try:
        require_store(db)
    except StoreNotFound as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    if url is not None:
        try:  # a wrong URL or a server that is down is said in one line, before the server starts
            open_store(url, readonly=True).close()
        except Exception as exc:  # noqa: BLE001 - psycopg's errors, a missing driver: all end here
            typer.echo(f"cannot open the store {display_url(url)}: {str(exc).strip()}", err=True)
            raise typer.Exit(1) from None
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"Serving {display_url(url) if url else db} at http://{shown}:{port}/  "
               "(API schema: /openapi.json; Ctrl+C stops)", err=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo("warning: reachable from other machines; the server is read-only but has no login"
                   if settings is None else "warning: reachable from other machines; review tokens travel unencrypted",
                   err=True)
    serve_store(url or db, host, port, review=settings)
