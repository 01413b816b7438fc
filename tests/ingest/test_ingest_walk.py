"""read_articles: walking, dispatch, limits, and every input accounted for."""

from __future__ import annotations

import json
import os

import pytest

from rashomon.ids import article_id
from rashomon.ingest import read_articles

TEXT = "Heavy rain flooded the lower town on Sunday and two schools were closed, the mayor said."


def sources(outcomes):
    return [o.source for o in outcomes]


def test_walk_is_recursive_sorted_and_skips_hidden_and_sidecars(tmp_path, write):
    write("b.txt", TEXT)
    write("a.txt", TEXT.replace("Sunday", "Monday"))
    write("a.json", json.dumps({"outlet": "Sidecar Daily"}))
    write("sub/c.txt", TEXT.replace("Sunday", "Tuesday"))
    write("sub/list.json", json.dumps([{"text": TEXT.replace("two", "three")}]))
    write(".hidden.txt", TEXT)
    write(".git/d.txt", TEXT)
    write("z.jsonl", json.dumps({"text": TEXT.replace("two", "four")}) + "\n")
    outcomes = list(read_articles([tmp_path]))
    assert sources(outcomes) == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b.txt"),
        str(tmp_path / "sub" / "c.txt"),
        f"{tmp_path / 'sub' / 'list.json'}#item=1",
        f"{tmp_path / 'z.jsonl'}#line=1",
    ]
    assert all(o.article and o.article.id == article_id(o.article.text) for o in outcomes)
    assert outcomes[0].article.outlet == "Sidecar Daily"
    assert sources(read_articles([tmp_path])) == sources(outcomes)  # deterministic


def test_symlink_loop_is_not_followed(tmp_path, write):
    write("news/a.txt", TEXT)
    os.symlink(tmp_path / "news", tmp_path / "news" / "loop")
    os.symlink(tmp_path / "news" / "a.txt", tmp_path / "news" / "b.txt")  # same file twice: read once
    os.symlink(tmp_path / "missing.txt", tmp_path / "news" / "broken.txt")
    outcomes = list(read_articles([tmp_path]))
    assert sources(outcomes) == [str(tmp_path / "news" / "a.txt"), str(tmp_path / "news" / "broken.txt")]
    assert outcomes[1].rejection.reason.startswith("cannot read file")


def test_unsupported_and_sniffed_types(write):
    pdf = write("paper.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    noext = write("README", "just some notes")
    page = write(
        "saved_page", f"<!DOCTYPE html><html><body><article><p>{TEXT * 3}</p></article></body></html>"
    )
    lines = write("export.data", json.dumps({"text": TEXT}) + "\n")
    outcomes = list(read_articles([pdf, noext, page, lines]))
    assert outcomes[0].rejection.reason == "unsupported file type .pdf"
    assert outcomes[1].rejection.reason == "unsupported file type (no extension)"
    assert outcomes[2].article is not None
    assert outcomes[3].article is not None and outcomes[3].source.endswith("export.data#line=1")


def test_too_large_file_is_not_read(write):
    path = write("long.txt", TEXT * 10)
    [outcome] = list(read_articles([path], max_bytes=100))
    assert outcome.rejection.reason == "file larger than 100 bytes"
    [outcome] = list(read_articles([write("long.jsonl", json.dumps({"text": TEXT * 100}))], max_bytes=2_000))
    assert outcome.rejection.reason == "file larger than 2 kB"
    assert [o.rejection for o in read_articles([path], max_bytes=len(TEXT) * 10)] == [None]


def test_default_limit_message(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50_000_001)  # sparse: no disk space used, nothing is read
    [outcome] = list(read_articles([path]))
    assert outcome.rejection.reason == "file larger than 50 MB"


def test_missing_path_and_empty_file(tmp_path, write):
    empty = write("empty.html", b"")
    outcomes = list(read_articles([tmp_path / "nope.txt", empty]))
    assert [o.rejection.reason for o in outcomes] == ["no such file or directory", "empty file"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_special_file_is_not_opened(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    [outcome] = list(read_articles([fifo]))
    assert outcome.rejection.reason == "not a regular file"


def test_every_input_is_accounted_for(tmp_path, write):
    """A mixed folder of good and bad inputs: one outcome per unit, and nothing raises."""
    write("good.txt", TEXT)
    write("bad.txt", b"\x00\x01\x02\x03" * 50)
    write("empty.md", "")
    write("mixed.jsonl", json.dumps({"text": TEXT}) + "\n{broken\n")
    write("notes.docx", b"PK\x03\x04")
    write(
        "feed.rss",
        "<rss><channel><item><description>One line of news text.</description></item></channel></rss>",
    )
    write("cut.warc.gz", b"\x1f\x8b\x08\x00garbage")
    outcomes = list(read_articles([tmp_path]))
    assert len(outcomes) == 8
    assert sum(o.article is not None for o in outcomes) == 3
    for outcome in outcomes:
        assert (outcome.article is None) != (outcome.rejection is None)
        if outcome.rejection:
            assert outcome.rejection.reason and "\n" not in outcome.rejection.reason
            assert outcome.rejection.source == outcome.source
