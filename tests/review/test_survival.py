"""Corrections survive every run: a merge, a move, a figure rejection and a field set each hold after
(a) re-running analyse on the same inputs, (b) adding new reports of the same incidents, (c) adding
more with ``--engine process``.  The audit log lists every change with who and why; undo restores the
earlier record exactly; a correction whose target is gone is reported by ``review check``."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rashomon.cli import app
from rashomon.engine import Engine
from rashomon.export import incident_dict
from rashomon.pipeline import run
from rashomon.review import api
from rashomon.store import Store
from tests.review.conftest import Corpus, build
from tests.review.reports import write

Check = Callable[[Store], None]


def _stages(corpus: Corpus, engine: Engine, check: Check) -> None:
    """Check after the correction, then after each kind of run."""
    with corpus.open() as store:
        check(store)
    run(corpus.paths, corpus.db)  # (a) the same inputs again
    with corpus.open() as store:
        check(store)
    corpus.paths += write(corpus.folder, ["kisumu_3", "gulu_3"])
    run(corpus.paths, corpus.db)  # (b) new reports of both incidents
    with corpus.open() as store:
        check(store)
    assert engine.name == "process"  # (c) more, extracted by a pool of processes
    run(write(corpus.folder, ["kisumu_4", "gulu_4"]), corpus.db, engine=engine)
    with corpus.open() as store:
        check(store)


def _members(store: Store, corpus: Corpus, name: str) -> set[str]:
    return {s.article_id for s in corpus.incident_of(store, name).sources}


def test_merge_survives(corpus: Corpus, process_engine: Engine) -> None:
    with corpus.open() as store:
        kisumu, gulu = corpus.incident_of(store, "kisumu_1"), corpus.incident_of(store, "gulu_1")
        assert kisumu.id != gulu.id
        written = api.merge(store, kisumu.id, gulu.id, reason="one attack told twice", who="ann")
    assert written.applied

    def check(store: Store) -> None:
        merged = corpus.incident_of(store, "kisumu_1")
        reports = {Path(s).stem for s, a in store.input_articles() if a in _members(store, corpus, "kisumu_1")}
        present = {p.stem for p in corpus.folder.iterdir()}
        assert reports == {n for n in present if n.startswith(("kisumu", "gulu"))}
        assert corpus.incident_of(store, "gulu_1").id == merged.id == kisumu.id
        assert [c.operation for c in merged.corrections] == ["merge"]
        assert corpus.incident_of(store, "mopti_1").id != merged.id

    _stages(corpus, process_engine, check)


def test_move_survives(corpus: Corpus, process_engine: Engine) -> None:
    moved = corpus.aid("kisumu_2")
    with corpus.open() as store:
        api.move(store, moved, None, reason="another shooting", who="bob")

    def check(store: Store) -> None:
        own = corpus.incident_of(store, "kisumu_2")
        assert corpus.aid("kisumu_1") not in {s.article_id for s in own.sources}
        assert moved not in _members(store, corpus, "kisumu_1")
        assert [(c.operation, c.who) for c in own.corrections] == [("move", "bob")]

    _stages(corpus, process_engine, check)


def test_figure_rejection_survives(corpus: Corpus, process_engine: Engine) -> None:
    with corpus.open() as store:
        inc = corpus.incident_of(store, "kisumu_1")
        fig = next(f for f in inc.killed.figures if f.article_id == corpus.aid("kisumu_1"))
        assert fig.id in inc.killed.independent_figures
        api.figure(store, fig.id, reject=True, reason="counts the wrong station", who="cy")

    def check(store: Store) -> None:
        inc = corpus.incident_of(store, "kisumu_1")
        assert fig.id not in inc.killed.independent_figures
        assert fig.id not in {inc.killed.low_figure, inc.killed.best_figure, inc.killed.high_figure}
        assert [e.reason for e in inc.killed.excluded if e.figure_id == fig.id] == ["rejected by cy: counts the wrong station"]
        assert inc.machine_values[f"figure {fig.id} rejected"] is False

    _stages(corpus, process_engine, check)


def test_field_set_survives(corpus: Corpus, process_engine: Engine) -> None:
    with corpus.open() as store:
        inc = corpus.incident_of(store, "gulu_1")
        machine = inc.location.model_dump() if inc.location else None
        api.set_field(store, inc.id, "place", "2.7746,32.2990,Gulu bus park", reason="the bar is by the park", who="dee")
        api.set_field(store, inc.id, "killed_best", "3", reason="hospital register", who="dee")

    def check(store: Store) -> None:
        inc = corpus.incident_of(store, "gulu_1")
        assert inc.location is not None and (inc.location.name, inc.location.lat) == ("Gulu bus park", 2.7746)
        assert inc.killed.best == 3
        assert inc.machine_values["place"] == machine
        assert [c.field for c in inc.corrections] == ["place", "killed_best"]
        exported = incident_dict(inc)
        assert exported["location"]["name"] == "Gulu bus park" and exported["machine_values"]["place"] == machine

    _stages(corpus, process_engine, check)


def _snapshot(store: Store) -> list[dict]:
    return [incident_dict(i) for i in store.incidents()]


def test_undo_restores_the_record_exactly(corpus: Corpus) -> None:
    with corpus.open() as store:
        kisumu, gulu = corpus.incident_of(store, "kisumu_1"), corpus.incident_of(store, "gulu_1")
        figure = kisumu.killed.figures[0].id
        changes = [
            lambda: api.merge(store, kisumu.id, gulu.id, reason="r1", who="ann"),
            lambda: api.move(store, corpus.aid("gulu_2"), kisumu.id, reason="r2", who="ann"),
            lambda: api.move(store, corpus.aid("kisumu_2"), None, reason="r3", who="ann"),
            lambda: api.figure(store, figure, scope="part", reason="r4", who="ann"),
            lambda: api.figure(store, figure, reject=True, reason="r5", who="ann"),
            lambda: api.set_field(store, gulu.id, "date", "2026-02-06..2026-02-07", reason="r6", who="ann"),
            lambda: api.set_field(store, gulu.id, "event_type", "bombing", reason="r7", who="ann"),
            lambda: api.alias(store, "Okello Amone", "Uganda Police Force", reason="r8", who="ann"),
            lambda: api.reviewed(store, gulu.id, who="ann"),
        ]
        for change in changes:
            before = _snapshot(store)
            c = change().correction
            assert _snapshot(store) != before, c.operation
            api.undo(store, c.id, reason="not so", who="bo")
            assert _snapshot(store) == before, c.operation
        with pytest.raises(api.ReviewError, match="already undone"):
            api.undo(store, c.id, reason="again", who="bo")


def test_audit_log_lists_every_change_with_who_and_why(corpus: Corpus) -> None:
    with corpus.open() as store:
        gulu = corpus.incident_of(store, "gulu_1")
        api.set_field(store, gulu.id, "side_a", "Unknown grenade thrower", reason="no group named", who="eve")
        api.note(store, gulu.id, "ask the police for the register", who="fay")
        claim = gulu.claims[0].id
    cli = CliRunner()
    assert cli.invoke(app, ["review", "note", claim, "the quote is from radio", "--db", str(corpus.db),
                            "--as", "fay"]).exit_code == 0
    result = cli.invoke(app, ["review", "reviewed", gulu.id, "--db", str(corpus.db), "--as", "gus", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["applied"] is True
    refused = cli.invoke(app, ["review", "set", gulu.id, "killed_best", "4", "--db", str(corpus.db), "--as", "gus"])
    assert refused.exit_code == 2  # --reason is required
    result = cli.invoke(app, ["review", "log", "--db", str(corpus.db), "--json"])
    entries = json.loads(result.output)["corrections"]
    assert [(e["seq"], e["who"], e["operation"], e["reason"]) for e in entries] == [
        (1, "eve", "set", "no group named"), (2, "fay", "note", "ask the police for the register"),
        (3, "fay", "note", "the quote is from radio"), (4, "gus", "reviewed", ""),
    ]
    assert entries[2]["target"]["claim"] == claim
    assert entries[0]["before"] == {"value": [a.name for a in gulu.actors_a]}
    assert entries[0]["after"] == {"value": ["Unknown grenade thrower"]}
    with corpus.open() as store:
        inc = store.incident(gulu.id)
        assert inc is not None and inc.reviewed and [a.name for a in inc.actors_a] == ["Unknown grenade thrower"]
        assert [c.operation for c in inc.corrections] == ["set", "note", "note", "reviewed"]
        with pytest.raises(Exception, match="append-only"):
            store.conn.execute("UPDATE corrections SET reason = 'edited'")
    shown = cli.invoke(app, ["show", gulu.id, "--db", str(corpus.db)]).output
    assert "corrected by people (reviewed)" in shown and "the quote is from radio" in shown


def test_vanished_target_is_reported_and_rebuilt_store_gets_its_corrections(
    tmp_path: Path, corpus: Corpus, rebuilt_db: str | Path
) -> None:
    with corpus.open() as store:
        kisumu, gulu = corpus.incident_of(store, "kisumu_1"), corpus.incident_of(store, "gulu_1")
        api.set_field(store, kisumu.id, "killed_best", "6", reason="r", who="ann")
        api.figure(store, gulu.killed.figures[0].id, scope="part", reason="r", who="ann")
        api.note(store, gulu.id, "check the bar's name", who="ann")
    cli = CliRunner()
    logged = cli.invoke(app, ["review", "log", "--db", str(corpus.db), "--json"])
    (tmp_path / "log.json").write_text(logged.output)
    rebuilt = build(tmp_path / "rebuilt", ["kisumu_1", "kisumu_2", "mopti_1"], db=rebuilt_db)  # no Gulu reports
    result = cli.invoke(app, ["review", "import", str(tmp_path / "log.json"), "--db", str(rebuilt.db), "--json"])
    assert json.loads(result.output) == {"added": 3, "read": 3}
    result = cli.invoke(app, ["review", "check", "--db", str(rebuilt.db), "--json"])
    assert result.exit_code == 4
    assert sorted(p["operation"] for p in json.loads(result.output)["problems"]) == ["figure", "note"]
    with rebuilt.open() as store:
        assert corpus.incident_of(store, "kisumu_1").killed.best == 6  # the same reports: the same ids
        assert len(store.corrections()) == 3  # reported, not dropped
    assert cli.invoke(app, ["review", "check", "--db", str(corpus.db)]).exit_code == 0


@contextmanager
def _another_run_holds(corpus: Corpus) -> Iterator[None]:
    """While inside, another thread holds the store's run lock (as a running analysis does)."""
    holding, release = threading.Event(), threading.Event()

    def a_run() -> None:
        with corpus.open() as other, other.run_lock():
            holding.set()
            release.wait(30)

    runner = threading.Thread(target=a_run)
    runner.start()
    try:
        assert holding.wait(30)
        yield
    finally:
        release.set()
        runner.join()


def test_a_write_during_a_run_is_applied_by_the_next_run(corpus: Corpus) -> None:
    with _another_run_holds(corpus), corpus.open() as store:
        inc = corpus.incident_of(store, "mopti_1")
        written = api.set_field(store, inc.id, "event_type", "armed_clash", reason="r", who="ann")
        assert not written.applied
        assert store.incident(inc.id).event_type.code != "armed_clash"  # type: ignore[union-attr]
    run([], corpus.db)
    with corpus.open() as store:
        assert store.incident(inc.id).event_type.code == "armed_clash"  # type: ignore[union-attr]


def test_a_merge_made_during_a_run_carries_the_reports_that_joined_meanwhile(corpus: Corpus) -> None:
    with _another_run_holds(corpus), corpus.open() as store:
        kisumu, gulu = corpus.incident_of(store, "kisumu_1"), corpus.incident_of(store, "gulu_1")
        assert not api.merge(store, kisumu.id, gulu.id, reason="one attack", who="ann").applied
    run(write(corpus.folder, ["gulu_3"]), corpus.db)  # the new Gulu report joins the Gulu story, then the merge
    with corpus.open() as store:
        merged = corpus.incident_of(store, "gulu_3")
        assert merged.id == kisumu.id
        assert {corpus.aid(n) for n in ("kisumu_1", "kisumu_2", "gulu_1", "gulu_2", "gulu_3")} == {
            s.article_id for s in merged.sources}
        assert store.incident(gulu.id) is None
