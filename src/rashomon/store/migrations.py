"""The store's schema as named, ordered migrations.

A migration is applied once, in order, and recorded in ``_migrations``; never edit one that has
shipped: add a new one.  SQL is kept to the subset that SQLite and PostgreSQL share; on PostgreSQL
the column types are mapped by :func:`rashomon.store.dialect.postgres_ddl`.  A migration that needs
what only one engine has (SQLite's FTS5) carries PostgreSQL's own statements in ``postgresql``,
doing the same job, under the same name, so both stores record the same list of migrations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from rashomon.store.dialect import postgres_ddl

Dialect = Literal["sqlite", "postgresql"]


@dataclass(frozen=True)
class Migration:
    name: str
    statements: tuple[str, ...]
    postgresql: tuple[str, ...] | None = None  # PostgreSQL's own statements, when the shared ones cannot serve

    def statements_for(self, dialect: Dialect) -> tuple[str, ...]:
        """The statements to run on ``dialect``."""
        if dialect == "sqlite":
            return self.statements
        if self.postgresql is not None:
            return self.postgresql
        return tuple(postgres_ddl(s) for s in self.statements)


_CORRECTIONS = (
    """CREATE TABLE corrections (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,           -- order in the log
        who TEXT NOT NULL,
        at TEXT NOT NULL,                      -- UTC, ISO 8601
        operation TEXT NOT NULL,               -- merge | move | figure | set | alias | reviewed | note | undo
        target TEXT NOT NULL,                  -- JSON: content-based ids
        before_json TEXT NOT NULL,             -- JSON
        after_json TEXT NOT NULL,              -- JSON
        reason TEXT NOT NULL
    )""",
    """CREATE TABLE review_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
)
_APPEND_ONLY_SQLITE = (
    """CREATE TRIGGER corrections_no_update BEFORE UPDATE ON corrections BEGIN
        SELECT RAISE(ABORT, 'the corrections log is append-only');
    END""",
    """CREATE TRIGGER corrections_no_delete BEFORE DELETE ON corrections BEGIN
        SELECT RAISE(ABORT, 'the corrections log is append-only');
    END""",
)
_APPEND_ONLY_POSTGRES = (
    """CREATE FUNCTION corrections_append_only() RETURNS TRIGGER LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'the corrections log is append-only';
    END
    $$""",
    (
        "CREATE TRIGGER corrections_append_only BEFORE UPDATE OR DELETE ON corrections "
        "FOR EACH ROW EXECUTE FUNCTION corrections_append_only()"
    ),
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "0001_initial",
        (
            """CREATE TABLE articles (
                id TEXT PRIMARY KEY,
                seq INTEGER NOT NULL,              -- order of first ingestion
                source TEXT NOT NULL,
                url TEXT,
                outlet TEXT,
                title TEXT,
                byline TEXT,
                published TEXT,                    -- ISO date
                published_precision TEXT NOT NULL,
                language TEXT NOT NULL,
                text TEXT NOT NULL,
                original_source TEXT,
                credits TEXT NOT NULL,             -- JSON list
                status TEXT NOT NULL               -- ingested | extracted | clustered
            )""",
            "CREATE INDEX articles_status ON articles(status, seq)",
            """CREATE TABLE inputs (
                source TEXT NOT NULL,
                outcome TEXT NOT NULL,             -- ingested | duplicate | rejected
                article_id TEXT,
                reason TEXT,
                seq INTEGER NOT NULL
            )""",
            "CREATE INDEX inputs_source ON inputs(source)",
            """CREATE TABLE rejections (
                source TEXT PRIMARY KEY,
                reason TEXT NOT NULL
            )""",
            """CREATE TABLE mentions (
                id TEXT PRIMARY KEY,
                article_id TEXT NOT NULL UNIQUE REFERENCES articles(id),
                event_type TEXT,
                date_start TEXT,
                date_end TEXT,
                date_precision TEXT,
                place_name TEXT,
                country_code TEXT,
                lat REAL,
                lon REAL,
                data TEXT NOT NULL                 -- the Mention as JSON
            )""",
            "CREATE INDEX mentions_date ON mentions(date_start)",
            """CREATE TABLE spans (
                article_id TEXT NOT NULL REFERENCES articles(id),
                record_id TEXT NOT NULL,           -- figure, claim, place, date or framing id
                kind TEXT NOT NULL,                -- figure | claim | speaker | place | date | framing
                start_char INTEGER NOT NULL,
                end_char INTEGER NOT NULL,
                text TEXT NOT NULL,
                PRIMARY KEY (article_id, record_id, kind, start_char)
            )""",
            """CREATE TABLE claims (
                id TEXT PRIMARY KEY,
                article_id TEXT NOT NULL REFERENCES articles(id),
                speaker TEXT NOT NULL,
                anonymous INTEGER NOT NULL,
                speaker_kind TEXT NOT NULL,
                cue TEXT NOT NULL,
                content TEXT NOT NULL,
                direct INTEGER NOT NULL,
                start_char INTEGER NOT NULL,
                end_char INTEGER NOT NULL
            )""",
            "CREATE INDEX claims_article ON claims(article_id)",
            """CREATE TABLE figures (
                id TEXT PRIMARY KEY,
                article_id TEXT NOT NULL REFERENCES articles(id),
                kind TEXT NOT NULL,
                value INTEGER,
                low INTEGER,
                high INTEGER,
                qualifier TEXT,
                text TEXT NOT NULL,
                grp TEXT,
                speaker TEXT,
                anonymous INTEGER,
                claim_id TEXT,
                start_char INTEGER NOT NULL,
                end_char INTEGER NOT NULL,
                sentence TEXT NOT NULL
            )""",
            "CREATE INDEX figures_article ON figures(article_id)",
            """CREATE TABLE stories (
                id TEXT PRIMARY KEY,
                date_start TEXT,                   -- earliest incident/publication date of its articles
                date_end TEXT
            )""",
            "CREATE INDEX stories_date ON stories(date_start, date_end)",
            """CREATE TABLE story_articles (
                article_id TEXT PRIMARY KEY REFERENCES articles(id),
                story_id TEXT NOT NULL REFERENCES stories(id),
                relation TEXT NOT NULL,
                copied_from TEXT
            )""",
            "CREATE INDEX story_articles_story ON story_articles(story_id)",
            """CREATE TABLE reuse_links (
                source_id TEXT NOT NULL,
                target_id TEXT NOT NULL,
                share REAL NOT NULL,
                data TEXT NOT NULL,                -- the ReuseLink as JSON
                PRIMARY KEY (source_id, target_id)
            )""",
            """CREATE TABLE incidents (
                id TEXT PRIMARY KEY,
                story_id TEXT NOT NULL UNIQUE REFERENCES stories(id),
                date_start TEXT,
                date_end TEXT,
                country TEXT,
                admin1 TEXT,
                location TEXT,
                lat REAL,
                lon REAL,
                event_type TEXT,
                killed_low INTEGER,
                killed_best INTEGER,
                killed_high INTEGER,
                injured_low INTEGER,
                injured_best INTEGER,
                injured_high INTEGER,
                n_articles INTEGER NOT NULL,
                has_disagreement INTEGER NOT NULL,
                data TEXT NOT NULL                 -- the Incident as JSON
            )""",
            "CREATE INDEX incidents_date ON incidents(date_start)",
        ),
    ),
    Migration(
        # Full-text search over articles (SQLite FTS5; a PostgreSQL store would use a tsvector column).
        # The index reads its text from ``articles`` (external content, keyed by ``seq``); triggers keep it
        # in step with every insert, delete and edit, and 'rebuild' indexes the articles already stored.
        "0002_articles_fts",
        (
            "CREATE UNIQUE INDEX articles_seq ON articles(seq)",
            (
                "CREATE VIRTUAL TABLE articles_fts USING fts5(title, outlet, text, content='articles', "
                "content_rowid='seq', tokenize='unicode61 remove_diacritics 2')"
            ),
            """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
                INSERT INTO articles_fts(rowid, title, outlet, text) VALUES (new.seq, new.title, new.outlet, new.text);
            END""",
            """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
                INSERT INTO articles_fts(articles_fts, rowid, title, outlet, text)
                VALUES ('delete', old.seq, old.title, old.outlet, old.text);
            END""",
            """CREATE TRIGGER articles_fts_update AFTER UPDATE OF seq, title, outlet, text ON articles BEGIN
                INSERT INTO articles_fts(articles_fts, rowid, title, outlet, text)
                VALUES ('delete', old.seq, old.title, old.outlet, old.text);
                INSERT INTO articles_fts(rowid, title, outlet, text) VALUES (new.seq, new.title, new.outlet, new.text);
            END""",
            "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
        ),
        # PostgreSQL: the same index as a table of tsvectors keyed by ``seq`` (GIN-indexed), kept in
        # step by one trigger, filled for the articles already stored.  'simple' configuration: words
        # lower-cased, no stemming and no stop words, as unicode61 does (diacritics are kept).  The
        # web UI's search queries are SQLite's own; on PostgreSQL only this index exists.
        postgresql=(
            "CREATE UNIQUE INDEX articles_seq ON articles(seq)",
            "CREATE TABLE articles_fts (seq BIGINT PRIMARY KEY, document TSVECTOR NOT NULL)",
            "CREATE INDEX articles_fts_document ON articles_fts USING GIN (document)",
            """CREATE FUNCTION articles_fts_document(title TEXT, outlet TEXT, body TEXT) RETURNS TSVECTOR
                LANGUAGE SQL IMMUTABLE AS $$
                SELECT setweight(to_tsvector('simple', COALESCE(title, '')), 'A')
                    || setweight(to_tsvector('simple', COALESCE(outlet, '')), 'B')
                    || to_tsvector('simple', left(body, 200000))
            $$""",
            """CREATE FUNCTION articles_fts_sync() RETURNS TRIGGER LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN
                    DELETE FROM articles_fts WHERE seq = OLD.seq;
                END IF;
                IF TG_OP <> 'DELETE' THEN
                    INSERT INTO articles_fts VALUES (NEW.seq, articles_fts_document(NEW.title, NEW.outlet, NEW.text));
                END IF;
                RETURN NULL;
            END
            $$""",
            (
                "CREATE TRIGGER articles_fts_sync AFTER INSERT OR DELETE OR UPDATE OF seq, title, outlet, text "
                "ON articles FOR EACH ROW EXECUTE FUNCTION articles_fts_sync()"
            ),
            "INSERT INTO articles_fts SELECT seq, articles_fts_document(title, outlet, text) FROM articles",
        ),
    ),
    Migration(
        # Two scans that grew with the store (docs/performance.md): ingest numbers every input with
        # MAX(seq) + 1, and the linker asks for the stories that end on or after a day; without these
        # indexes each is a scan of the whole table, which made long runs quadratic.
        "0003_scan_indexes",
        ("CREATE INDEX inputs_seq ON inputs(seq)", "CREATE INDEX stories_end ON stories(date_end)"),
    ),
    Migration(
        # An article whose extraction raised is marked failed with its reason (store/failures.py), and every
        # name known for an incident's place is kept with its match key (store/names.py). Incidents written
        # before this migration get their names when next reconciled.
        "0004_failures_and_place_names",
        (
            """CREATE TABLE failures (
                article_id TEXT PRIMARY KEY REFERENCES articles(id),
                reason TEXT NOT NULL,
                failed_at REAL NOT NULL
            )""",
            """CREATE TABLE incident_names (
                incident_id TEXT NOT NULL,
                name TEXT NOT NULL,
                name_key TEXT NOT NULL,            -- rashomon.geo.spellings.name_key(name)
                kind TEXT NOT NULL,                -- gazetteer | ascii | written | alternate
                PRIMARY KEY (incident_id, name_key, kind, name)
            )""",
            "CREATE INDEX incident_names_key ON incident_names(name_key)",
        ),
    ),
    Migration(
        # The corrections log (docs/review.md): what people decided, append-only (triggers refuse to
        # edit or delete an entry; undo is a new entry), and the mark of the last entry reconciled.
        "0005_corrections",
        (*_CORRECTIONS, *_APPEND_ONLY_SQLITE),
        postgresql=(*(postgres_ddl(s) for s in _CORRECTIONS), *_APPEND_ONLY_POSTGRES),
    ),
)


def apply_migrations(
    execute: Callable[[str, tuple[Any, ...]], Any],
    applied: set[str],
    record: Callable[[str], object],
    dialect: Dialect = "sqlite",
) -> list[str]:
    """Apply the migrations not yet in ``applied``, in order; return the names applied."""
    done: list[str] = []
    for migration in MIGRATIONS:
        if migration.name in applied:
            continue
        for statement in migration.statements_for(dialect):
            execute(statement, ())
        record(migration.name)
        done.append(migration.name)
    return done
