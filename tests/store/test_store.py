"""The store on a real SQLite file: exact rows, idempotent ingest, migrations recorded once."""

from tests.factories import article, figure, mention

from rashomon.models import IngestOutcome, IngestStatus, Rejection
from rashomon.store import open_store


def test_migrations_applied_once(tmp_path):
    db = tmp_path / "s.sqlite"
    with open_store(db) as s:
        names = [r[0] for r in s.query("SELECT name FROM _migrations")]
    with open_store(db) as s:
        assert s.migrate() == []
        assert [r[0] for r in s.query("SELECT name FROM _migrations")] == names == ["0001_initial", "0002_articles_fts", "0003_scan_indexes", "0004_failures_and_place_names", "0005_corrections"]


def test_ingest_counts_duplicates_and_rejections(tmp_path):
    a = article("Gunmen attacked a bus near Gao on Monday, officials said.")
    with open_store(tmp_path / "s.sqlite") as s:
        assert s.add_outcome(IngestOutcome(source="x.txt", article=a)) == "ingested"
        assert s.add_outcome(IngestOutcome(source="copy.txt", article=a)) == "duplicate"
        bad = IngestOutcome(source="bad.bin", rejection=Rejection(source="bad.bin", reason="binary file"))
        assert s.add_outcome(bad) == "rejected"
        assert s.input_counts() == {"ingested": 1, "duplicate": 1, "rejected": 1}
        assert s.rejections() == [("bad.bin", "binary file")]
        rows = [tuple(r) for r in s.query("SELECT source, outcome, article_id, reason FROM inputs ORDER BY seq")]
        assert rows == [("x.txt", "ingested", a.id, None), ("copy.txt", "duplicate", a.id, None),
                        ("bad.bin", "rejected", None, "binary file")]
        assert [x.id for x in s.articles()] == [a.id]


def test_save_mention_writes_figures_and_marks_extracted(tmp_path):
    a = article("At least 12 people were killed in Gao, the ministry said.")
    f = figure(a, "At least 12", low=12, qualifier="at least", speaker="the ministry")
    with open_store(tmp_path / "s.sqlite") as s:
        s.add_outcome(IngestOutcome(source="a", article=a))
        s.save_mention(mention(a, "2025-03-03", figures=[f]))
        s.save_mention(mention(a, "2025-03-03", figures=[f]))  # re-extraction replaces, never duplicates
        rows = [tuple(r) for r in s.query("SELECT kind, value, low, high, qualifier, text, speaker FROM figures")]
        assert rows == [("killed", None, 12, None, "at least", "At least 12", "the ministry")]
        assert s.query("SELECT status FROM articles")[0][0] == IngestStatus.extracted.value
        assert s.mention(a.id).figures[0].low == 12
        spans = [tuple(r) for r in s.query("SELECT kind, start_char, end_char, text FROM spans WHERE kind='figure'")]
        assert spans == [("figure", 0, 11, "At least 12")]


def test_rollback_leaves_nothing_half_written(tmp_path):
    a = article("A report.")
    with open_store(tmp_path / "s.sqlite") as s:
        try:
            with s.transaction():
                s.add_outcome(IngestOutcome(source="a", article=a))
                raise RuntimeError("killed mid-way")
        except RuntimeError:
            pass
        assert list(s.articles()) == []
        assert s.input_counts() == {"ingested": 0, "duplicate": 0, "rejected": 0}
