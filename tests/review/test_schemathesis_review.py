"""Schemathesis over the write endpoints of ``serve --review``: generated bodies (valid and invalid),
sent with a reviewer's token and CSRF token; no server error, responses as the schema says.  The store
is the invented corpus of tests/review (writes pile up in its log as the examples run)."""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from rashomon.review.tokens import new_token
from rashomon.settings import ReviewSettings, Settings
from tests.review.conftest import build

schemathesis = pytest.importorskip("schemathesis", reason="pip install schemathesis==4.32.5 (the test extra)")
checks = pytest.importorskip("schemathesis.specs.openapi.checks")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

    from rashomon.serve.app import create_app

TOKEN, ENTRY = new_token("schemathesis")


def _app() -> object:
    corpus = build(Path(tempfile.mkdtemp(prefix="rashomon-review-schemathesis-")))
    return create_app(corpus.db, allowed_hosts=["testserver", "localhost", "127.0.0.1"],
                      review=Settings(review=ReviewSettings(tokens=(ENTRY,))))


APP = _app()
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CSRF = TestClient(APP).get("/review/session.json", headers=AUTH).json()["csrf"]  # type: ignore[arg-type]
schema = schemathesis.openapi.from_asgi("/openapi.json", APP).include(method="POST")


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_write_endpoints_against_their_schema(case: schemathesis.Case) -> None:
    # A valid body may still name an incident, figure or correction that does not exist (404) or a
    # value a field cannot hold (400): positive data need not be accepted; every other check runs.
    response = case.call_and_validate(headers={**AUTH, "X-CSRF-Token": CSRF}, excluded_checks=[checks.positive_data_acceptance])
    assert response.status_code < 500
    assert "content-security-policy" in {k.lower() for k in response.headers}


def test_the_write_endpoints_are_in_the_schema() -> None:
    ops = {(op.ok().method.upper(), op.ok().path) for op in schema.get_all_operations()}
    assert len(ops) == 8 and {m for m, _ in ops} == {"POST"}
