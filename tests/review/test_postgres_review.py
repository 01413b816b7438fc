"""The review tests on a real PostgreSQL server (``tests/pg_server.py``): corrections survive re-runs,
new reports and ``--engine process``; undo is exact; the log is append-only; vanished targets are
reported; and two reviewers writing at once do not lose a correction."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rashomon.engine import Engine
from rashomon.pipeline import run
from rashomon.review import api
from rashomon.review.tokens import new_token
from rashomon.settings import ReviewSettings, Settings
from rashomon.store import open_store
from tests.pg_server import new_database, pg_server, pg_url  # noqa: F401  (fixtures)
from tests.review import test_export as export_tests
from tests.review import test_serve_review as serve_tests
from tests.review import test_survival as survival
from tests.review.conftest import Corpus, build

SURVIVAL: list[Callable[[Corpus, Engine], None]] = [
    survival.test_merge_survives, survival.test_move_survives, survival.test_figure_rejection_survives,
    survival.test_field_set_survives,
]
SAME_TESTS: list[Callable[[Corpus], None]] = [
    survival.test_undo_restores_the_record_exactly,
    survival.test_audit_log_lists_every_change_with_who_and_why,
    survival.test_a_write_during_a_run_is_applied_by_the_next_run,
    survival.test_a_merge_made_during_a_run_carries_the_reports_that_joined_meanwhile,
    export_tests.test_exports_carry_the_corrections,
]


@pytest.fixture
def pg_corpus(tmp_path: Path, pg_url: str) -> Corpus:  # noqa: F811
    return build(tmp_path, db=pg_url)


@pytest.mark.parametrize("test", SURVIVAL, ids=lambda t: t.__name__)
def test_survival_on_postgres(test: Callable[[Corpus, Engine], None], pg_corpus: Corpus,
                              process_engine: Engine) -> None:
    test(pg_corpus, process_engine)


@pytest.mark.parametrize("test", SAME_TESTS, ids=lambda t: t.__name__)
def test_the_same_on_postgres(test: Callable[[Corpus], None], pg_corpus: Corpus) -> None:
    test(pg_corpus)


SERVE_TESTS: list[Callable[[Corpus, dict[str, Any]], None]] = [
    serve_tests.test_writes_need_a_token_and_a_csrf_token, serve_tests.test_stored_xss_stays_inert_on_every_page,
    serve_tests.test_review_queue_puts_most_disagreement_first, serve_tests.test_login_cookie_then_form_posts,
]


@pytest.mark.parametrize("test", SERVE_TESTS, ids=lambda t: t.__name__)
def test_serve_review_on_postgres(test: Callable[[Corpus, dict[str, Any]], None], pg_corpus: Corpus) -> None:
    ann, ann_entry = new_token("ann")
    bob, bob_entry = new_token("bob")
    test(pg_corpus, {"ann": ann, "bob": bob, "settings": Settings(review=ReviewSettings(tokens=(ann_entry, bob_entry)))})


def test_vanished_target_on_postgres(tmp_path: Path, pg_corpus: Corpus, pg_server: str) -> None:  # noqa: F811
    survival.test_vanished_target_is_reported_and_rebuilt_store_gets_its_corrections(
        tmp_path, pg_corpus, new_database(pg_server))


def test_two_reviewers_writing_at_once_lose_nothing(pg_corpus: Corpus) -> None:
    with pg_corpus.open() as store:
        ids = [i.id for i in store.incidents()]
    start = threading.Barrier(2)
    errors: list[BaseException] = []
    written: dict[str, list[Any]] = {"ann": [], "bob": []}

    def reviewer(name: str) -> None:
        try:
            with open_store(pg_corpus.db) as store:
                start.wait(30)
                for n in range(6):
                    incident = ids[n % len(ids)]
                    written[name].append(api.note(store, incident, f"{name} note {n}", who=name).correction)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reviewer, args=(name,)) for name in written]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    run([], pg_corpus.db)  # applies whatever a concurrent write left to the next run
    with pg_corpus.open() as store:
        log = store.corrections()
        assert sorted(c.id for c in log) == sorted(c.id for w in written.values() for c in w)
        assert [c.seq for c in log] == list(range(1, 13))
        listed = [r.reason for i in store.incidents() for r in i.corrections]
        assert sorted(listed) == sorted(f"{name} note {n}" for name in written for n in range(6))
