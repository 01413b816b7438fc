"""WARC reader (warcio), including truncated archives."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from rashomon.ingest import read_articles


def page(n: int) -> bytes:
    paragraph = (
        f"Crews cleared debris from road number {n} on Thursday after a landslide blocked it overnight, "
        "the highway agency said, adding that traffic would be diverted through the old valley route. "
    )
    return (
        f"<html><head><title>Road {n} reopened</title></head><body><article>"
        f"<h1>Road {n} reopened</h1><p>{paragraph * 3}</p><p>{paragraph}</p></article></body></html>"
    ).encode()


def write_warc(path: Path, *, gzip: bool) -> Path:
    """warcinfo, html 200, an image, html 200, a 404 html, a request: 2 inputs."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "rashomon-tests"}))

        def response(url: str, body: bytes, ctype: str, status: str = "200 OK") -> None:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            )

        response("https://roads.example/1", page(1), "text/html; charset=utf-8")
        response("https://roads.example/logo.png", b"\x89PNG fake", "image/png")
        response("https://roads.example/2", page(2), "text/html")
        response("https://roads.example/missing", page(3), "text/html", status="404 Not Found")
        writer.write_record(
            writer.create_warc_record(
                "https://roads.example/2", "request", payload=io.BytesIO(b"GET /2 HTTP/1.1\r\n\r\n")
            )
        )
    return path


@pytest.mark.parametrize("gzip", [False, True])
def test_warc_round_trip(tmp_path, gzip):
    path = write_warc(tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc"), gzip=gzip)
    outcomes = list(read_articles([path]))
    assert [o.source for o in outcomes] == [f"{path}#record=2", f"{path}#record=4"]
    assert all(o.article for o in outcomes)
    assert [o.article.url for o in outcomes] == ["https://roads.example/1", "https://roads.example/2"]
    assert outcomes[0].article.title == "Road 1 reopened"
    assert "landslide" in outcomes[1].article.text


def test_truncated_warc_gz_keeps_earlier_records(tmp_path):
    full = write_warc(tmp_path / "full.warc.gz", gzip=True).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(full[: len(full) * 2 // 3])
    outcomes = list(read_articles([cut]))
    assert outcomes[0].article is not None and outcomes[0].source == f"{cut}#record=2"
    last = outcomes[-1]
    assert last.article is None
    assert "truncated or corrupt archive" in last.rejection.reason
    assert last.rejection.reason.startswith("WARC record ")


def test_truncated_plain_warc(tmp_path):
    full = write_warc(tmp_path / "full.warc", gzip=False).read_bytes()
    for size in (len(full) // 2, len(full) - 40, 30):
        cut = tmp_path / "cut.warc"
        cut.write_bytes(full[:size])
        outcomes = list(read_articles([cut]))
        assert outcomes[-1].rejection is not None, size
        assert "truncated or corrupt archive" in outcomes[-1].rejection.reason


def test_not_a_warc(write):
    [outcome] = list(read_articles([write("fake.warc", "hello, this is not an archive\n")]))
    assert outcome.rejection.reason.startswith("WARC record 1: truncated or corrupt archive")


def test_warc_without_html(tmp_path):
    path = tmp_path / "info.warc"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "rashomon-tests"}))
    [outcome] = list(read_articles([path]))
    assert outcome.rejection.reason == "WARC: no HTML response records"


def test_record_over_the_limit(tmp_path):
    """A gzipped archive can hold a record larger than the limit: that record is rejected alone."""
    path = tmp_path / "bomb.warc.gz"
    big = b"<html><body><p>" + b"The same sentence again. " * 20_000 + b"</p></body></html>"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://x.example/big", "response", payload=io.BytesIO(big), http_headers=headers
            )
        )
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://x.example/small", "response", payload=io.BytesIO(page(5)), http_headers=headers
            )
        )
    limit = 100_000
    assert path.stat().st_size < limit < len(big)
    outcomes = list(read_articles([path], max_bytes=limit))
    assert outcomes[0].rejection.reason == "record larger than 100 kB"
    assert outcomes[1].article is not None and outcomes[1].article.url == "https://x.example/small"
