"""``rashomon review``: correct the record from the command line.  Each command wraps one call of
:mod:`rashomon.review.api`; exit codes as in ``rashomon/cli.py`` (2: the correction cannot be made,
4: ``review check`` found corrections whose target is gone)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from rashomon.models import Correction
from rashomon.review import api
from rashomon.review.tokens import new_token
from rashomon.settings import Settings, load_settings
from rashomon.store import Store, StoreNotFound, open_store

app = typer.Typer(help="Correct the record: merge, move, figure, set, alias, reviewed, note, undo; log, check, import, token.",
                  no_args_is_help=True)
out = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True)

Db = Annotated[Path, typer.Option("--db", help="SQLite file of the store, or a postgresql:// URL.")]
Config = Annotated[Path | None, typer.Option("--config", help="TOML file overriding settings.", exists=True)]
As = Annotated[str | None, typer.Option("--as", help="Who makes the correction (default: [review] user in the settings).")]
Reason = Annotated[str, typer.Option("--reason", help="Why (required; kept in the log).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
DB_DEFAULT = Path("rashomon.sqlite")


def _store(db: Path) -> Store:
    """The store at ``db``; exit 1 with "no store at PATH" where there is none (nothing is created)."""
    try:
        return open_store(db, create=False)
    except StoreNotFound as exc:
        err.print(escape(str(exc)), highlight=False)
        raise typer.Exit(1) from None


def _who(settings: Settings, who: str | None) -> str:
    name = who or settings.review.user
    if not name:
        err.print("say who you are: --as NAME, or set [review] user in the settings file")
        raise typer.Exit(2)
    return name


def _run(db: Path, config: Path | None, who: str | None, as_json: bool,
         call: Callable[..., api.Written]) -> None:
    """Open the store, make the correction, report it."""
    settings = load_settings(config)
    name = _who(settings, who)
    try:
        with _store(db) as store:
            written = call(store, name, settings)
    except api.ReviewError as exc:
        err.print(escape(str(exc)))
        raise typer.Exit(2) from exc
    c = written.correction
    if as_json:
        out.print_json(json.dumps({"correction": c.model_dump(), "applied": written.applied}))
        return
    when = "applied" if written.applied else "recorded; a run holds the store, the next run applies it"
    out.print(escape(f"{c.id} {c.operation} by {c.who}: {when}"), highlight=False)


@app.command()
def merge(incident: Annotated[str, typer.Argument(help="The incident that stays.")],
          other: Annotated[str, typer.Argument(help="The incident whose reports join it.")],
          reason: Reason, db: Db = DB_DEFAULT, config: Config = None, who: As = None, json_out: Json = False) -> None:
    """Two incidents are one: OTHER's reports join INCIDENT (and reports that join either later follow).

    In Python: rashomon.review.api.merge(store, incident, other, reason=..., who=...)
    """
    _run(db, config, who, json_out, lambda s, n, st: api.merge(s, incident, other, reason=reason, who=n, settings=st))


@app.command()
def move(article: Annotated[str, typer.Argument(help="The report (article id).")], reason: Reason,
         to: Annotated[str | None, typer.Option("--to", help="The incident it belongs to.")] = None,
         new: Annotated[bool, typer.Option("--new", help="It is an incident of its own.")] = False,
         db: Db = DB_DEFAULT, config: Config = None, who: As = None, json_out: Json = False) -> None:
    """A report belongs to another incident (--to) or to a new one (--new).

    In Python: rashomon.review.api.move(store, article, to, reason=..., who=...)
    """
    if (to is None) == (not new):
        err.print("give exactly one of --to INCIDENT and --new")
        raise typer.Exit(2)
    _run(db, config, who, json_out, lambda s, n, st: api.move(s, article, to, reason=reason, who=n, settings=st))


@app.command()
def figure(figure_id: Annotated[str, typer.Argument(help="The figure id.")], reason: Reason,
           scope: Annotated[str | None, typer.Option(help="total, part, earlier, projection or other_incident.")] = None,
           kind: Annotated[str | None, typer.Option(help="killed, injured, missing, arrested, displaced, kidnapped.")] = None,
           reject: Annotated[bool, typer.Option("--reject", help="The figure is wrong: it counts for nothing.")] = False,
           db: Db = DB_DEFAULT, config: Config = None, who: As = None, json_out: Json = False) -> None:
    """Set a figure's scope or kind, or reject it.

    In Python: rashomon.review.api.figure(store, figure_id, scope=..., kind=..., reject=..., reason=..., who=...)
    """
    _run(db, config, who, json_out, lambda s, n, st: api.figure(
        s, figure_id, scope=scope, kind=kind, reject=reject, reason=reason, who=n, settings=st))


@app.command("set")
def set_(incident: Annotated[str, typer.Argument(help="The incident.")],
         field: Annotated[str, typer.Argument(help="date, place, event_type, side_a, side_b, killed_best, injured_best.")],
         value: Annotated[str, typer.Argument(help="The value (docs/review.md shows how each is written).")],
         reason: Reason, db: Db = DB_DEFAULT, config: Config = None, who: As = None, json_out: Json = False) -> None:
    """Set an incident field; it wins over the machine's value, which is kept beside it.

    In Python: rashomon.review.api.set_field(store, incident, field, value, reason=..., who=...)
    """
    _run(db, config, who, json_out,
         lambda s, n, st: api.set_field(s, incident, field, value, reason=reason, who=n, settings=st))


@app.command()
def alias(short: Annotated[str, typer.Argument(help="The name as reports write it (\"SOHR\").")],
          name: Annotated[str, typer.Argument(help="Who it is (\"Syrian Observatory for Human Rights\").")],
          reason: Reason, db: Db = DB_DEFAULT, config: Config = None, who: As = None, json_out: Json = False) -> None:
    """A speaker alias, applied store-wide.

    In Python: rashomon.review.api.alias(store, short, name, reason=..., who=...)
    """
    _run(db, config, who, json_out, lambda s, n, st: api.alias(s, short, name, reason=reason, who=n, settings=st))


@app.command()
def reviewed(incident: Annotated[str, typer.Argument(help="The incident.")],
             undone: Annotated[bool, typer.Option("--not", help="Not reviewed any more.")] = False,
             reason: Annotated[str, typer.Option("--reason", help="Why (optional).")] = "",
             db: Db = DB_DEFAULT, config: Config = None, who: As = None, json_out: Json = False) -> None:
    """Mark an incident reviewed.

    In Python: rashomon.review.api.reviewed(store, incident, who=..., done=True)
    """
    _run(db, config, who, json_out,
         lambda s, n, st: api.reviewed(s, incident, who=n, reason=reason, done=not undone, settings=st))


@app.command()
def note(incident: Annotated[str, typer.Argument(help="The incident (or a report, figure or claim id).")],
         text: Annotated[str, typer.Argument(help="The note.")],
         db: Db = DB_DEFAULT, config: Config = None, who: As = None, json_out: Json = False) -> None:
    """A free note on an incident, a report, a figure or a claim.

    In Python: rashomon.review.api.note(store, incident, text, who=...)
    """
    _run(db, config, who, json_out, lambda s, n, st: api.note(s, incident, text, who=n, settings=st))


@app.command()
def undo(correction: Annotated[str, typer.Argument(help="The correction id (from review log).")], reason: Reason,
         db: Db = DB_DEFAULT, config: Config = None, who: As = None, json_out: Json = False) -> None:
    """Revert a correction: the record is as it was before it (both stay in the log).

    In Python: rashomon.review.api.undo(store, correction, reason=..., who=...)
    """
    _run(db, config, who, json_out, lambda s, n, st: api.undo(s, correction, reason=reason, who=n, settings=st))


@app.command("log")
def log_(incident: Annotated[str | None, typer.Option("--incident", help="Only the entries about this incident.")] = None,
         db: Db = DB_DEFAULT, json_out: Json = False) -> None:
    """The audit log: every correction with who, when, what and why.

    In Python: rashomon.review.api.log(store, incident)
    """
    try:
        with _store(db) as store:
            entries = api.log(store, incident)
    except api.ReviewError as exc:
        err.print(escape(str(exc)))
        raise typer.Exit(4) from exc
    if json_out:
        out.print_json(json.dumps({"corrections": [c.model_dump() for c in entries]}))
        return
    table = Table(title=f"{len(entries)} corrections")
    for col in ("id", "seq", "at", "who", "operation", "target", "change", "reason"):
        table.add_column(col)
    for c in entries:
        target = ", ".join(f"{k}={v}" for k, v in c.target.items() if not isinstance(v, list))
        table.add_row(*(escape(str(x)) for x in (c.id, c.seq, c.at, c.who, c.operation, target,
                                                 json.dumps(c.after, ensure_ascii=False)[:80], c.reason)))
    out.print(table)


@app.command()
def check(db: Db = DB_DEFAULT, json_out: Json = False) -> None:
    """Corrections whose target no longer exists (exit code 4 when there are any).

    In Python: rashomon.review.api.check(store)
    """
    with _store(db) as store:
        found = api.check(store)
    if json_out:
        out.print_json(json.dumps({"problems": [p.__dict__ for p in found]}))
    else:
        for p in found:
            out.print(escape(f"{p.correction} ({p.operation} by {p.who}): {p.message}"), highlight=False)
        out.print(f"{len(found)} corrections whose target is gone")
    if found:
        raise typer.Exit(4)


@app.command("import")
def import_(path: Annotated[Path, typer.Argument(help="A log as `rashomon review log --json` prints it.", exists=True)],
            db: Db = DB_DEFAULT, config: Config = None, json_out: Json = False) -> None:
    """Carry corrections over from another store's log (a store rebuilt from the same reports).

    In Python: rashomon.review.api.import_log(store, entries)
    """
    try:
        entries = [Correction.model_validate(e) for e in json.loads(path.read_text("utf-8"))["corrections"]]
    except (ValueError, KeyError, TypeError) as exc:
        err.print(escape(f"not a corrections log: {exc}"[:300]))
        raise typer.Exit(2) from None
    with _store(db) as store:
        added = api.import_log(store, entries, settings=load_settings(config))
    if json_out:
        out.print_json(json.dumps({"added": added, "read": len(entries)}))
    else:
        out.print(f"{added} of {len(entries)} corrections added")


@app.command()
def token(name: Annotated[str, typer.Argument(help="The reviewer's name.")]) -> None:
    """Make a web UI token for a reviewer: prints the token once and the settings entry holding its hash.

    In Python: rashomon.review.tokens.new_token(name)
    """
    try:
        secret, entry = new_token(name)
    except ValueError as exc:
        err.print(str(exc))
        raise typer.Exit(2) from exc
    out.print(f"token (give it to {escape(name)}; it is not stored): {secret}", highlight=False)
    out.print("add to [review] tokens in your settings file:", highlight=False)
    out.print(json.dumps(entry), highlight=False, soft_wrap=True)
