"""The ``rashomon`` command line.  Each command is a thin wrapper over one library call.

Exit codes: 0 success (rejected inputs and failed articles are reported, not fatal), 1 error (e.g.
"no store at PATH" for a command that only reads), 2 usage error (e.g. an input path that does not
exist, or ``analyse`` with no input and nothing pending), 3 ``--strict`` run with rejected inputs,
4 not found.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from rashomon import demo as demo_mod
from rashomon import pipeline
from rashomon.engine.cli_options import EngineOption, RayAddressOption, WorkersOption, engine_for
from rashomon.export import export as export_incidents
from rashomon.export import incident_dict
from rashomon.ingest.fields import parse_fields
from rashomon.models import Incident, IngestOutcome
from rashomon.review.cli import app as review_app
from rashomon.settings import Settings, load_settings
from rashomon.store import StoreNotFound, open_store, require_store

app = typer.Typer(
    help="Rashomon: news reports in, sourced and reconciled incident records out.",
    no_args_is_help=True,
    add_completion=False,
)
# Piped output is not cut to 80 columns (incident ids and places must stay whole).
out = Console(width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True)  # one line per rejection, however long

DbOption = Annotated[Path, typer.Option("--db", help="SQLite file of the store (created if missing), or a postgresql:// URL.")]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="TOML file overriding settings from default.toml.", exists=True)
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")]
FieldOption = Annotated[list[str], typer.Option(
    "--field", help="Map an input field of JSONL/JSON/CSV records to an article field: ARTICLE_FIELD=INPUT_FIELD, "
    "e.g. --field text=content --field published=dct (also the setting ingest.fields).")]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"rashomon {version('rashomon')}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Rashomon: news reports in, sourced and reconciled incident records out."""


def _existing(db: Path) -> Path:
    """``db`` if a store is there; otherwise exit 1 with "no store at PATH" (nothing is created)."""
    try:
        require_store(db)
    except StoreNotFound as exc:
        err.print(escape(str(exc)), highlight=False)
        raise typer.Exit(1) from None
    return db


def _settings(config: Path | None, fields: list[str]) -> Settings:
    """Settings from ``config``, with ``--field`` mappings added to ``ingest.fields``; a bad mapping
    or a missing input path is a usage error (exit 2)."""
    settings = load_settings(config)
    if fields:
        settings = replace(settings, ingest=replace(settings.ingest, fields=(*settings.ingest.fields, *fields)))
    try:
        parse_fields(settings.ingest.fields)
    except ValueError as exc:
        err.print(escape(str(exc)), highlight=False)
        raise typer.Exit(2) from None
    return settings


def _inputs_exist(paths: list[Path]) -> None:
    missing = [p for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        err.print(escape(f"no such file or directory: {', '.join(str(p) for p in missing)}"), highlight=False)
        raise typer.Exit(2)


def _printable(text: str) -> str:
    """File names and reasons with control characters (an ESC, a newline) shown as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _report_outcome(quiet: bool) -> Callable[[IngestOutcome, str], None]:
    def report(outcome: IngestOutcome, kind: str) -> None:
        source = escape(_printable(outcome.source))
        if kind == "rejected" and outcome.rejection is not None:
            err.print(f"[yellow]rejected[/] {source}: {escape(_printable(outcome.rejection.reason))}", highlight=False)
        elif not quiet and kind == "duplicate":
            err.print(f"[dim]duplicate[/] {source}", highlight=False)

    return report


def _progress_factory(enabled: bool) -> tuple[Progress | None, pipeline.Progress]:
    if not enabled:
        return None, lambda stage, total: (lambda: None)
    bar = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=err, transient=True,
    )

    def factory(stage: str, total: int | None) -> Callable[[], None]:
        task = bar.add_task(stage, total=total)
        return lambda: bar.advance(task)

    return bar, factory


def _summary(report: pipeline.IngestReport) -> str:
    return (
        f"{report.inputs} inputs: {report.ingested} ingested, {report.duplicate} duplicates, "
        f"{report.rejected} rejected"
    )


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (txt, html, jsonl/json, warc[.gz], rss/atom).")],
    db: DbOption = Path("rashomon.sqlite"),
    config: ConfigOption = None,
    json_out: JsonOption = False,
    strict: Annotated[bool, typer.Option(help="Exit with code 3 when any input is rejected.")] = False,
    field: FieldOption = [],  # noqa: B006
) -> None:
    """Read reports into the store. Every input is ingested, skipped as a duplicate, or rejected with a reason.

    In Python: rashomon.pipeline.ingest(paths, store)
    """
    settings = _settings(config, field)
    _inputs_exist(paths)
    with open_store(db) as store:
        report = pipeline.ingest(paths, store, settings, _report_outcome(quiet=json_out))
    if json_out:
        out.print_json(json.dumps({**report.__dict__, "inputs": report.inputs}))
    else:
        out.print(_summary(report))
    if strict and report.rejected:
        raise typer.Exit(3)


@app.command()
def analyse(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest first (may be none).")] = [],  # noqa: B006
    db: DbOption = Path("rashomon.sqlite"),
    config: ConfigOption = None,
    json_out: JsonOption = False,
    progress: Annotated[bool, typer.Option(help="Show progress bars.")] = True,
    strict: Annotated[bool, typer.Option(help="Exit with code 3 when any input is rejected.")] = False,
    engine: EngineOption = "local",
    workers: WorkersOption = None,
    ray_address: RayAddressOption = None,
    field: FieldOption = [],  # noqa: B006
    retry_failed: Annotated[bool, typer.Option(
        "--retry-failed", help="Try again the articles whose extraction failed (see rashomon failures).")] = False,
) -> None:
    """Ingest, extract, cluster, detect reuse and reconcile: the whole job, resumable.

    In Python: rashomon.pipeline.run(paths, db, engine=...)
    """
    settings = _settings(config, field)
    _inputs_exist(paths)
    if not paths and not retry_failed and not pipeline.has_pending(db):
        err.print(f"nothing to analyse in {escape(str(db))}: give files or folders to read, e.g. "
                  f"rashomon analyse reports/ --db {escape(str(db))} (see rashomon analyse --help)", highlight=False)
        raise typer.Exit(2)
    bar, factory = _progress_factory(progress and not json_out and sys.stderr.isatty())
    if bar is not None:
        bar.start()
    try:
        with engine_for(engine, workers, ray_address, settings.extract.batch_size, settings.extract) as runner:
            result = pipeline.run(paths, db, settings, factory, _report_outcome(quiet=json_out), engine=runner,
                                  retry_failed=retry_failed)
    finally:
        if bar is not None:
            bar.stop()
    for article_id, reason in result.failures:
        err.print(f"[red]failed[/] {article_id}: {escape(_printable(reason))}", highlight=False)
    if json_out:
        out.print_json(json.dumps({
            "ingest": {**result.ingest.__dict__, "inputs": result.ingest.inputs},
            "extracted": result.extracted,
            "failed": result.failed,
            "failures": [{"article_id": a, "reason": r} for a, r in result.failures],
            "retried": result.retried,
            "stories_touched": result.stories_touched,
            "incidents": result.incidents,
            "incidents_updated": len(result.incidents),
        }))
    else:
        out.print(_summary(result.ingest))
        failed = f", {result.failed} failed (rashomon failures --db {escape(str(db))})" if result.failed else ""
        out.print(f"{result.extracted} articles analysed{failed}, {len(result.incidents)} incidents updated")
    if strict and result.ingest.rejected:
        raise typer.Exit(3)


def _fmt_range(rng: dict) -> str:
    if rng["best"] is None:
        return "-"
    return f"{rng['best']} ({rng['low']}-{rng['high']})" if rng["low"] != rng["high"] else str(rng["best"])


def print_incidents(incidents: list[Incident], console: Console = out) -> None:
    table = Table(title=f"{len(incidents)} incidents", show_lines=False)
    table.add_column("id", no_wrap=True)
    table.add_column("date", no_wrap=True)
    for col in ("place", "type", "killed best (low-high)", "injured", "reports", "disagreements"):
        table.add_column(col)
    for inc in incidents:
        d = incident_dict(inc)
        loc = d["location"]
        place = ", ".join(x for x in (loc["name"], loc["admin1"], loc["country"]) if x) or "?"
        table.add_row(
            inc.id, d["date_start"] or "?", escape(place), d["event_type"] or "?", _fmt_range(d["killed"]),
            _fmt_range(d["injured"]), str(len(inc.sources)),
            escape(", ".join(x["field"] for x in d["disagreements"])),
        )
    console.print(table)


@app.command()
def incidents(db: DbOption = Path("rashomon.sqlite"), json_out: JsonOption = False) -> None:
    """List the incidents in the store.

    In Python: rashomon.open_store(db, create=False).incidents()
    """
    with open_store(_existing(db)) as store:
        found = store.incidents()
    if json_out:
        out.print_json(json.dumps({"incidents": [incident_dict(i) for i in found]}))
    else:
        print_incidents(found)


def print_incident(inc: Incident, console: Console = out) -> None:
    """An incident for reading in a terminal. Article-derived text is escaped: it is untrusted."""
    d = incident_dict(inc)
    loc = d["location"]
    place = ", ".join(x for x in (loc["name"], loc["admin1"], loc["country"]) if x)
    console.print(f"[bold]{inc.id}[/]  {d['date_start']}..{d['date_end']} ({d['date_precision']})  "
                  f"{escape(place)}  ({loc['lat']}, {loc['lon']})  {d['event_type']}", highlight=False)
    console.print(escape(f"side A: {', '.join(d['actors']['side_a']) or '-'} | "
                         f"side B: {', '.join(d['actors']['side_b']) or '-'}"), highlight=False)
    titles = {a["id"]: a["outlet"] or a["title"] or a["id"] for a in d["articles"]}
    for kind in ("killed", "injured"):
        rng = d[kind]
        floor = f" (floor {rng['floor']} from parts)" if rng.get("floor") is not None else ""
        console.print(f"[bold]{kind}[/]: low {rng['low']} / best {rng['best']} / high {rng['high']}{floor}")
        for g in rng.get("groups", []):
            who = f" {g['actor']}" if g.get("actor") else ""
            console.print(escape(f"  group {g['group']}{who}: low {g['low']} / best {g['best']} / high {g['high']}"),
                          highlight=False)
        why = {e["figure_id"]: e["reason"] for e in rng.get("excluded", [])}
        for fig in rng["figures"]:
            marks = [b for b in ("low", "best", "high") if rng[f"{b}_figure"] == fig["id"]]
            dep = "" if fig["id"] in rng["independent_figures"] else f" (not counted: {why.get(fig['id'], 'repeated')})"
            speaker = (fig["speaker"] or "unattributed") + (" (anonymous)" if fig["anonymous"] else "")
            scope = fig.get("scope", "total") + (f": {fig['scope_reason']}" if fig.get("scope_reason") else "")
            line = (f"  {fig['text']!r} {fig['group'] or ''} — {speaker}, in {titles.get(fig['article_id'])}"
                    f", reported {fig.get('reported_on') or '?'} [{scope}]"
                    f"{' <' + '/'.join(marks) + '>' if marks else ''}{dep}")
            console.print(escape(line), highlight=False)
            console.print(f"    [dim]{escape(fig['sentence'])}[/]", highlight=False)
    if d.get("toll_timeline"):
        console.print("[bold]toll over time[/]:")
        for p in d["toll_timeline"]:
            value = p["low"] if p["high"] == p["low"] else f"{p['low']}-{p['high'] if p['high'] is not None else ''}"
            console.print(escape(f"  {p['reported_on']}  {p['kind']} {value} — {p['speaker']}"), highlight=False)
    for dis in d["disagreements"]:
        console.print(f"[bold red]disagreement[/] on {dis['field']}:")
        for v in dis["values"]:
            line = f"  {v['value']}: {', '.join(v['speakers']) or '-'} ({len(v['article_ids'])} reports)"
            console.print(escape(line), highlight=False)
    if inc.corrections or inc.reviewed:
        console.print(f"[bold]corrected by people[/]{' (reviewed)' if inc.reviewed else ''}:")
        for c in inc.corrections:
            what = f"{c.operation} {c.field or ''}".strip()
            console.print(escape(f"  {c.id} {what} by {c.who} at {c.at}: {c.reason}"), highlight=False)
    console.print("[bold]reports[/]:")
    for a in d["articles"]:
        extra = f" from {a['copied_from']}" if a["copied_from"] else ""
        line = f"  {a['published']}  {a['outlet'] or '-'}: {a['title'] or a['id']} [{a['relation']}{extra}]"
        console.print(escape(line), highlight=False)


@app.command()
def show(
    incident_id: Annotated[str, typer.Argument(help="Incident id (or an unambiguous prefix).")],
    db: DbOption = Path("rashomon.sqlite"),
    json_out: JsonOption = False,
) -> None:
    """One incident with every figure's speaker, article and sentence.

    In Python: rashomon.open_store(db, create=False).incident(incident_id)
    """
    with open_store(_existing(db)) as store:
        inc = store.incident(incident_id)
    if inc is None:
        err.print(f"no incident {incident_id!r} in {db}")
        raise typer.Exit(4)
    if json_out:
        out.print_json(json.dumps(incident_dict(inc)))
    else:
        print_incident(inc)


@app.command()
def export(
    db: DbOption = Path("rashomon.sqlite"),
    fmt: Annotated[str, typer.Option("--format", "-f", help="json, csv (ACLED/UCDP-style columns), geojson, acled (ACLED's columns and codings) or ucdp (UCDP GED's).")] = "json",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")] = None,
    reviewed_only: Annotated[bool, typer.Option("--reviewed-only", help="Only incidents a person marked reviewed.")] = False,
) -> None:
    """Export all incidents (with the corrections people made: docs/review.md).

    In Python: rashomon.export.export(db, fmt, reviewed_only=...)
    """
    try:
        text = export_incidents(_existing(db), fmt, reviewed_only=reviewed_only)
    except ValueError as exc:
        err.print(str(exc))
        raise typer.Exit(2) from exc
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"wrote {output}")


@app.command()
def demo(
    db: DbOption = Path("demo.sqlite"),
    corpus: Annotated[Path | None, typer.Option(help="Demo corpus folder (default: the project's demo/corpus).")] = None,
    serve: Annotated[bool, typer.Option(help="Serve the demo store in the web UI afterwards.")] = True,
    port: Annotated[int, typer.Option(help="Port for the web UI.")] = 8000,
) -> None:
    """Analyse the project's demo corpus into a store and print its incidents and disagreements.

    In Python: rashomon.demo.run_demo(db)
    """
    try:
        incs = demo_mod.run_demo(db, corpus)
    except FileNotFoundError as exc:
        err.print(str(exc))
        raise typer.Exit(1) from exc
    print_incidents(incs)
    for inc in incs:
        if inc.disagreements:
            out.rule()
            print_incident(inc)
    out.print(f"\nStore: {db}   Try: rashomon show <id> --db {db}")
    if serve:
        from rashomon.serve.cli import serve_store

        out.print(f"Web UI: http://127.0.0.1:{port}/  (Ctrl+C stops; `make demo SERVE=0` skips this)")
        serve_store(db, "127.0.0.1", port, log_level="warning")


@app.command("eval")
def eval_(
    dataset: Annotated[str, typer.Argument(help="gvdb, geoparsing, polnear, timeml, muc4, case2021, semeval2018, gvc, ecbplus, reuse, incidents.")],
    data: Annotated[Path, typer.Option("--data", help="The dataset's folder (laid out as in the shared data folder).")],
    split: Annotated[str | None, typer.Option(help="Split to score, by the dataset's own names.")] = None,
    limit: Annotated[int | None, typer.Option(help="Score only the first N items (fast checks).")] = None,
    json_out: JsonOption = False,
    details: Annotated[bool, typer.Option(help="With --json, include per-item details.")] = False,
) -> None:
    """Score the pipeline on a public benchmark; metrics are documented in docs/evaluation.md and docs/evaluation/.

    In Python: rashomon.eval.evaluate(dataset, data, split, limit)
    """
    from rashomon.eval import evaluate, module_of

    try:
        result = evaluate(dataset, data, split, limit)
    except (ValueError, FileNotFoundError) as exc:
        err.print(str(exc))
        raise typer.Exit(2) from exc
    module = module_of(dataset)
    if json_out:
        full = details or getattr(module, "DETAILS_IN_JSON", False)
        out.print_json(json.dumps(result.as_dict(with_details=full)))
        return
    if hasattr(module, "print_report"):
        module.print_report(result, out)
        return
    table = Table(title=f"{result.dataset} ({result.split}), n={result.n}, errors={result.errors}")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in result.metrics.items():
        table.add_row(key, f"{value:.4f}")
    out.print(table)


from rashomon.serve.cli import serve as serve_command

app.command("serve")(serve_command)
app.add_typer(review_app, name="review")


@app.command()
def failures(db: DbOption = Path("rashomon.sqlite"), json_out: JsonOption = False) -> None:
    """List the articles whose extraction failed, with the reason; `rashomon analyse --retry-failed` tries them again.

    In Python: rashomon.open_store(db, create=False).failures()
    """
    with open_store(_existing(db)) as store:
        found = store.failures()
    if json_out:
        out.print_json(json.dumps({"failures": [
            {"article_id": f.article_id, "source": f.source, "title": f.title, "reason": f.reason} for f in found]}))
        return
    table = Table(title=f"{len(found)} failed articles")
    for col in ("article", "source", "reason"):
        table.add_column(col)
    for f in found:
        table.add_row(f.article_id, escape(_printable(f.source)), escape(_printable(f.reason)))
    out.print(table)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
