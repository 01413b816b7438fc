"""Incremental runs: the demo corpus analysed in two runs gives the incidents of one run.

The corpus is split by file (sorted names) and the parts are analysed into one store by successive
``run`` calls, in order ("halves") and later half first.  Reports are grouped into exactly the same
stories, and the incidents hold the same values, with two differences that come from arrival order:

* names: a story is named after the article that opened it (its incident after the story); when an
  earlier-dated report of a story arrives only in a later run, a later-dated one has opened, and
  named, the story already (``test_names_differ_only_by_who_opened_the_story`` pins this down);
* list order: a story's articles are listed in ingestion order, and so are the incident's articles,
  claims, figures, evidence and actors built from them.

See "Incremental runs" in docs/performance.md for both causes and the proposed fixes.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from rashomon.cluster.linker import story_id_for
from rashomon.export import export
from rashomon.pipeline import run
from rashomon.reconcile.incident import incident_id_for
from rashomon.store import open_store

CORPUS = Path(__file__).resolve().parents[1] / "demo" / "corpus"
SPLITS = {
    "halves": lambda files: [files[: len(files) // 2], files[len(files) // 2 :]],
    "later_half_first": lambda files: [files[len(files) // 2 :], files[: len(files) // 2]],
}


@pytest.fixture(scope="module")
def files() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.is_file())


@pytest.fixture(scope="module")
def once(tmp_path_factory, files) -> Path:
    db = tmp_path_factory.mktemp("once") / "once.sqlite"
    run(files, db)
    return db


@pytest.fixture(scope="module", params=sorted(SPLITS))
def split(request, tmp_path_factory, files) -> tuple[str, Path, list[list[Path]]]:
    """(split name, store analysed part by part, the parts)."""
    parts = SPLITS[request.param](files)
    db = tmp_path_factory.mktemp(request.param) / "split.sqlite"
    for part in parts:
        report = run(part, db)
        assert report.ingest.inputs > 0
    return request.param, db, parts


def _stories(db: Path) -> dict[frozenset[str], str]:
    """Each story's set of article ids -> the story id."""
    members: dict[str, set[str]] = {}
    with open_store(db) as store:
        for story_id, article_id in store.query("SELECT story_id, article_id FROM story_articles"):
            members.setdefault(story_id, set()).add(article_id)
    return {frozenset(ids): sid for sid, ids in members.items()}


def _linking_order(db: Path) -> dict[str, tuple[dt.date, str]]:
    """The order the linker takes articles in: publication date (undated last), then id."""
    with open_store(db) as store:
        return {a.id: (a.published or dt.date.max, a.id) for a in store.articles()}


def test_two_runs_group_reports_as_one_run(once, split):
    _, db, _ = split
    assert set(_stories(db)) == set(_stories(once))


def _sorted_lists(value: Any) -> Any:
    """``value`` with every list sorted: the same records whatever order they were listed in."""
    if isinstance(value, dict):
        return {k: _sorted_lists(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_sorted_lists(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


def test_two_runs_give_the_incidents_of_one_run_up_to_names(once, split):
    """Same incidents, field for field, once stories are called by their one-run names.  When the
    parts are ingested in the one-run order ("halves") even every list is in the same order; when the
    later files come first, lists that follow a story's ingestion order (its articles, their claims,
    figures, evidence and actors) hold the same records in another order."""
    name, db, _ = split
    renames: dict[str, str] = {}
    once_stories = _stories(once)
    for members, sid in _stories(db).items():
        renames[sid] = once_stories[members]
        renames[incident_id_for(sid)] = incident_id_for(once_stories[members])
    text = export(db)
    for old, new in renames.items():
        text = text.replace(f'"{old}"', f'"{new}"')

    def by_id(doc: str) -> dict[str, Any]:
        return {inc["id"]: inc for inc in json.loads(doc)["incidents"]}

    got, want = by_id(text), by_id(export(once))
    assert _sorted_lists(got) == _sorted_lists(want)
    if name == "halves":
        assert got == want


def test_names_differ_only_by_who_opened_the_story(once, split):
    """A story keeps the name of the article that opened it: in one run the first in linking order,
    in a split run the first of the run in which the story's first report arrived."""
    _, db, parts = split
    order = _linking_order(once)
    run_of = {}
    with open_store(db) as store:
        for i, part in enumerate(parts):
            wanted = {str(p) for p in part}
            for source, article_id in store.query("SELECT source, article_id FROM inputs WHERE article_id IS NOT NULL"):
                if source.split("#")[0] in wanted:
                    run_of.setdefault(article_id, i)
    split_stories = _stories(db)
    for members, sid in _stories(once).items():
        first = min(members, key=order.__getitem__)
        assert sid == story_id_for(first)
        first_run = min(run_of[a] for a in members)
        opener = min((a for a in members if run_of[a] == first_run), key=order.__getitem__)
        assert split_stories[members] == story_id_for(opener)


def test_second_run_of_nothing_new_changes_nothing(split):
    _, db, parts = split
    before = export(db)
    again = run(parts[-1], db)
    assert (again.ingest.ingested, again.extracted, again.stories_touched) == (0, 0, 0)
    assert export(db) == before
