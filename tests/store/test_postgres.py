"""The PostgreSQL store against a real server that this module starts and stops itself
(``pg_server`` and ``pg_url`` of ``tests/pg_server.py``: a throwaway cluster, a fresh database per test)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.factories import GAO, article, figure, mention

from rashomon.models import IngestOutcome, Rejection
from rashomon.store import open_store
from rashomon.store.dialect import postgres_ddl, postgres_sql, postgres_url
from rashomon.store.migrations import MIGRATIONS

REPO = Path(__file__).resolve().parents[2]
TABLES = ("articles", "inputs", "rejections", "mentions", "spans", "claims", "figures", "stories",
          "story_articles", "reuse_links", "incidents")


def _rows(store, sql: str, args: tuple = ()) -> list[tuple]:
    return [tuple(r) for r in store.query(sql, args)]


def _table(store, table: str) -> list[tuple]:
    """Every row of ``table``, in a fixed order."""
    return sorted(_rows(store, f"SELECT * FROM {table}"), key=repr)


# ---------------------------------------------------------------------- no server needed


def test_url_survives_path_and_sqlite_paths_are_no_urls():
    assert postgres_url(Path("postgresql://u:pw@127.0.0.1:5432/db")) == "postgresql://u:pw@127.0.0.1:5432/db"
    assert postgres_url("postgres://h/db") == "postgres://h/db"
    assert postgres_url(Path("postgresql:///db")) == "postgresql:///db"  # local socket, no host
    assert postgres_url(Path("store.sqlite")) is None
    assert postgres_url("C:/data/store.sqlite") is None


def test_statements_are_rewritten_for_postgres():
    assert postgres_sql("SELECT * FROM t WHERE a = ? AND b = '?%'") == "SELECT * FROM t WHERE a = %s AND b = '?%%'"
    assert postgres_sql("BEGIN IMMEDIATE") == "BEGIN"
    assert postgres_sql("SELECT id FROM s ORDER BY date_start, id") == (
        "SELECT id FROM s ORDER BY date_start NULLS FIRST, id NULLS FIRST")
    assert postgres_sql("SELECT x FROM t ORDER BY f(a, b) DESC LIMIT 2") == (
        "SELECT x FROM t ORDER BY f(a, b) DESC NULLS LAST LIMIT 2")
    assert postgres_sql("SELECT x FROM t WHERE id LIKE ? ORDER BY id") == (
        "SELECT x FROM t WHERE id ILIKE %s ESCAPE '' ORDER BY id NULLS FIRST")
    assert postgres_ddl("CREATE TABLE t (text TEXT NOT NULL, n INTEGER, x REAL, d TEXT DEFAULT 'TEXT')") == (
        'CREATE TABLE t (text TEXT COLLATE "C" NOT NULL, n BIGINT, x DOUBLE PRECISION, '
        "d TEXT COLLATE \"C\" DEFAULT 'TEXT')")


def test_every_migration_has_statements_for_both_engines():
    for m in MIGRATIONS:
        assert m.statements_for("sqlite") == m.statements
        assert m.statements_for("postgresql")
    fts = next(m for m in MIGRATIONS if m.name == "0002_articles_fts")
    assert not any("fts5" in s for s in fts.statements_for("postgresql"))


# ---------------------------------------------------------------------- against the server


def test_same_schema_and_migrations_recorded_once(pg_url, tmp_path):
    with open_store(tmp_path / "s.sqlite") as lite, open_store(pg_url) as pg:
        names = [m.name for m in MIGRATIONS]
        assert _rows(pg, "SELECT name FROM _migrations ORDER BY name") == [(n,) for n in names]
        for table in TABLES:
            lite_cols = [r[1] for r in lite.query(f"PRAGMA table_info({table})")]
            pg_cols = [r[0] for r in pg.query("SELECT column_name FROM information_schema.columns "
                                              "WHERE table_name = ? ORDER BY ordinal_position", (table,))]
            assert pg_cols == lite_cols, table
    with open_store(pg_url) as pg:
        assert pg.migrate() == []
        assert _rows(pg, "SELECT COUNT(*), COUNT(DISTINCT name) FROM _migrations") == [(len(names), len(names))]


def test_store_api_gives_what_sqlite_gives(pg_url, tmp_path):
    """The same calls on both stores leave the same rows and answer the same (NULLs and case in order)."""
    a = article("Gunmen attacked a bus near Gao on Monday, officials said. At least 12 were killed.")
    b = article("A quiet market day in Gao.", published="2025-03-01", outlet=None)
    c = article("Officials in Kano said nothing happened.", published="2025-03-02")
    with open_store(tmp_path / "s.sqlite") as lite, open_store(pg_url) as pg:
        for s in (lite, pg):
            assert s.add_outcome(IngestOutcome(source="x.txt", article=a)) == "ingested"
            assert s.add_outcome(IngestOutcome(source="copy.txt", article=a)) == "duplicate"
            s.add_outcome(IngestOutcome(source="b.txt", article=b))
            s.add_outcome(IngestOutcome(source="c.txt", article=c))
            bad = IngestOutcome(source="bad.bin", rejection=Rejection(source="bad.bin", reason="binary file"))
            assert s.add_outcome(bad) == "rejected"
            f = figure(a, "At least 12", low=12, qualifier="at least", speaker="officials")
            s.save_mention(mention(a, "2025-03-03", place=GAO, figures=[f]))
            s.save_mention(mention(b))
            s.assign(a.id, "sB", None)  # an undated story, and ids whose order depends on case
            s.assign(b.id, "sa", None)
            s.assign(c.id, "S_", s.article(c.id).published)
            try:
                with s.transaction():
                    s.add_outcome(IngestOutcome(source="late.txt", article=article("Never stored.")))
                    raise RuntimeError("killed mid-way")
            except RuntimeError:
                pass
        for table in TABLES:
            assert _table(pg, table) == _table(lite, table), table
        for s in (lite, pg):
            assert s.input_counts() == {"ingested": 3, "duplicate": 1, "rejected": 1}
        assert pg.story_ids() == lite.story_ids()
        assert pg.undated_stories() == lite.undated_stories() == sorted(["sB", "sa"])
        assert [x.id for x in pg.articles()] == [x.id for x in lite.articles()]
        assert pg.mention(a.id) == lite.mention(a.id)
        assert pg.incident("nothing") is None


def test_demo_corpus_gives_the_incidents_of_sqlite(pg_url, tmp_path):
    """The whole pipeline into both stores: identical export, identical tables, a re-run adds nothing."""
    from typer.testing import CliRunner

    from rashomon.cli import app
    from rashomon.export import export
    from rashomon.pipeline import run

    corpus = REPO / "demo" / "corpus"
    lite_db = tmp_path / "demo.sqlite"
    run([corpus], lite_db)
    first = run([corpus], pg_url)
    assert first.incidents
    expected = export(lite_db)
    assert export(pg_url) == expected
    with open_store(lite_db) as lite, open_store(pg_url) as pg:
        for table in TABLES:
            assert _table(pg, table) == _table(lite, table), table
        before = {t: _rows(pg, f"SELECT COUNT(*) FROM {t}") for t in TABLES}
    again = run([corpus], pg_url)
    assert (again.ingest.ingested, again.extracted, again.stories_touched) == (0, 0, 0)
    assert again.ingest.duplicate == first.ingest.ingested + first.ingest.duplicate
    with open_store(pg_url) as pg:
        after = {t: _rows(pg, f"SELECT COUNT(*) FROM {t}") for t in TABLES}
    assert {t: n for t, n in after.items() if t != "inputs"} == {t: n for t, n in before.items() if t != "inputs"}
    assert export(pg_url) == expected
    res = CliRunner().invoke(app, ["export", "--db", pg_url])  # the URL goes through the Path-typed option
    assert res.exit_code == 0, res.output
    assert res.output.strip() == expected.strip()


def test_run_lock_keeps_a_second_writer_out(pg_url):
    from rashomon.store.sqlite import StoreBusy

    with open_store(pg_url) as first, open_store(pg_url) as second:
        with first.run_lock(), first.run_lock(), pytest.raises(StoreBusy), second.run_lock(wait=False):
            pass  # the first store holds the lock (twice: it is re-entrant)
        with second.run_lock(wait=False):  # released by the outermost exit
            pass


def test_fts_migration_indexes_articles_as_they_arrive(pg_url):
    a = article("Flooding cut the road to Konduga on Tuesday.")
    with open_store(pg_url) as pg:
        pg.add_outcome(IngestOutcome(source="a.txt", article=a))
        sql = ("SELECT a.id FROM articles_fts f JOIN articles a ON a.seq = f.seq "
               "WHERE f.document @@ plainto_tsquery('simple', ?)")
        assert _rows(pg, sql, ("konduga road",)) == [(a.id,)]
        assert _rows(pg, sql, ("gao",)) == []
