"""Property-based fuzzing (hypothesis) of the readers, the metadata extractors and the NLP extraction.

Properties: a reader never raises, gives at least one outcome per file, and each outcome is either an
article (non-empty text, id = hash of that text) or a rejection with one printable line; the decoder
gives back the text that was encoded; extraction never raises and every span it records is the text
at its offsets.  Brief in the default suite (fixed examples, derandomised); ``RASHOMON_LONG=1`` runs
many more, randomly.
"""

from __future__ import annotations

import codecs
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rashomon.ids import article_id
from rashomon.ingest import read_file
from rashomon.ingest.attribution import find_credits, find_original_source, parse_byline
from rashomon.ingest.base import decode_text
from rashomon.ingest.feeds import html_to_text, parse_feed
from rashomon.ingest.html import parse_html
from rashomon.ingest.jsonl import BINARY
from rashomon.ingest.metadata import clean_text, parse_date
from rashomon.models import Article, IngestOutcome
from tests.reliability.conftest import LONG

FAST = settings(max_examples=25 * (20 if LONG else 1), deadline=None, derandomize=not LONG,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], database=None)
EXTENSIONS = (".txt", ".md", ".html", ".jsonl", ".json", ".xml", ".rss", ".atom", ".warc", ".warc.gz", "")

WORDS = ("Gunmen", "killed", "at least", "12", "twelve", "people", "in", "Gao", "Mali", "on", "Tuesday",
         "police", "said", "according to", "a local official", "\"", "“", "”", "(AFP)", "Reuters", "—", ",", ".",
         "\n\n", "wounded", "more than 100", "dozens", "were", "the army", "Kano", "2024-03-05", "By", "قتل",
         "Мост", "⁠", "\u200b", "<b>", "&amp;", "killed 3 and injured 4", "from 20 to 30", "Syrian Observatory")
news_text = st.lists(st.sampled_from(WORDS) | st.text(max_size=12), min_size=1, max_size=60).map(" ".join)


def check_outcomes(outcomes: list[IngestOutcome]) -> None:
    """Every outcome is an article or a one-line, printable rejection."""
    assert outcomes, "a file gave no outcome: it would not be accounted for"
    for outcome in outcomes:
        assert (outcome.article is None) != (outcome.rejection is None)
        if outcome.article is not None:
            art: Article = outcome.article
            assert art.text.strip()
            assert art.id == article_id(art.text)
        else:
            reason = outcome.rejection.reason
            assert reason and reason.isprintable() and len(reason) <= 300, reason


def read_bytes(data: bytes, extension: str) -> list[IngestOutcome]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{extension}"
        path.write_bytes(data)
        return list(read_file(path))


# --------------------------------------------------------------------------- readers

@FAST
@given(data=st.binary(min_size=1, max_size=3000), extension=st.sampled_from(EXTENSIONS))
def test_any_bytes_with_any_extension(data: bytes, extension: str) -> None:
    check_outcomes(read_bytes(data, extension))


@FAST
@given(text=news_text, encoding=st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                                                  "cp1252", "cp1256", "latin-1")),
       extension=st.sampled_from((".txt", ".md", ".html", ".jsonl")))
def test_text_in_any_encoding(text: str, encoding: str, extension: str) -> None:
    data = text.encode(encoding, errors="ignore") or b" "
    check_outcomes(read_bytes(data, extension))


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | news_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(
        ("text", "title", "outlet", "published", "url", "byline", "language", "original_source", "id", "x")),
        inner, max_size=6),
    max_leaves=12,
)
_line = _json.map(json.dumps) | st.text(max_size=40) | st.builds(
    lambda record: json.dumps(record)[: len(json.dumps(record)) // 2], _json)  # cut in the middle


@FAST
@given(lines=st.lists(_line, min_size=1, max_size=8))
def test_jsonl_lines_each_accounted_for(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8")
    outcomes = read_bytes(data, ".jsonl")
    check_outcomes(outcomes)
    non_blank = [line for line in data.split(b"\n") if line.strip()]
    if len(outcomes) == 1 and outcomes[0].rejection and outcomes[0].rejection.reason == BINARY:
        assert b"\x00" in data and not any(_is_json(line) for line in non_blank)  # one rejection for a binary file
    elif non_blank:
        assert len(outcomes) == len(non_blank)  # else one outcome per line


def _is_json(line: bytes) -> bool:
    try:
        json.loads(line)
    except (ValueError, RecursionError):
        return False
    return True


_xml_text = news_text.map(lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace("]]>", ""))
_item = st.builds(
    lambda title, body, date, extra: (f"<item><title>{title}</title><description>{body}</description>"
                                      f"<pubDate>{date}</pubDate>{extra}</item>"),
    _xml_text, _xml_text, st.sampled_from(("Tue, 05 Mar 2024 10:00:00 GMT", "yesterday", "", "2024-13-45")),
    st.sampled_from(("", "<author>AFP</author>", "<guid>x</guid>", "<x><y><z/></y></x>")),
)
_doctype = st.sampled_from(("", '<!DOCTYPE rss [<!ENTITY a "aaaa">]>', '<!DOCTYPE rss SYSTEM "file:///etc/passwd">',
                            '<!DOCTYPE rss [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]>'))


@FAST
@given(items=st.lists(_item, max_size=4), doctype=_doctype, cut=st.integers(min_value=0, max_value=400))
def test_feeds_never_raise(items: list[str], doctype: str, cut: int) -> None:
    document = f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>T</title>{"".join(items)}</channel></rss>'
    data = document.encode("utf-8")
    for chunk in (data, data[: len(data) - cut]):  # whole, and cut short
        outcomes = list(parse_feed(chunk, Path("fuzz.rss")))
        check_outcomes(outcomes)
        assert all(o.article is None or "root:" not in o.article.text for o in outcomes)


_tag = st.sampled_from(("p", "div", "article", "span", "script", "style", "h1", "table", "td", "li", "a", "b"))
_html = st.recursive(news_text.map(lambda t: t.replace("<", "&lt;")),
                     lambda inner: st.builds(lambda tag, kids: f"<{tag}>{''.join(kids)}</{tag}>", _tag,
                                             st.lists(inner, max_size=4)), max_leaves=20)


@FAST
@given(body=_html, cut=st.integers(min_value=0, max_value=200))
def test_html_never_raises(body: str, cut: int) -> None:
    page = f"<html><head><title>T</title></head><body>{body}</body></html>"
    check_outcomes([parse_html(page[: len(page) - cut], "fuzz.html")])
    html_to_text(body)


def _warc(n: int, gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    for i in range(n):
        html = f"<html><body><article><p>Gunmen killed {i + 2} people in Gao on Tuesday, police said.</p>" \
               f"<p>The attack lasted hours, residents said, and shops burned.</p></article></body></html>"
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"http://example.org/{i}", "response",
                                                      payload=io.BytesIO(html.encode()), http_headers=headers))
    return buffer.getvalue()


WARCS = {gz: _warc(3, gz) for gz in (False, True)}


@FAST
@given(gz=st.booleans(), cut=st.integers(min_value=1), flips=st.lists(st.tuples(st.integers(min_value=0),
                                                                              st.integers(0, 255)), max_size=3))
def test_damaged_warc(gz: bool, cut: int, flips: list[tuple[int, int]]) -> None:
    data = bytearray(WARCS[gz])
    data = data[: max(1, len(data) - cut % len(data))]
    for offset, value in flips:
        data[offset % len(data)] = value
    outcomes = read_bytes(bytes(data), ".warc.gz" if gz else ".warc")
    check_outcomes(outcomes)
    assert len(outcomes) <= 4  # three records, and at most one rejection for the damage


# --------------------------------------------------------------------------- decoding and metadata

_plain = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), min_size=1, max_size=200)


@FAST
@given(text=_plain, encoding=st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "utf-32")))
def test_decoding_round_trip(text: str, encoding: str) -> None:
    assert decode_text(text.encode(encoding)) == text.lstrip("\ufeff")  # a leading BOM is never text


@FAST
@given(text=_plain.filter(lambda t: any(ch.isalpha() for ch in t)))
def test_bom_less_utf16_round_trip_or_clear_rejection(text: str) -> None:
    for encoding in ("utf-16-le", "utf-16-be"):
        outcomes = read_bytes((text * (64 // len(text) + 1)).encode(encoding), ".txt")
        check_outcomes(outcomes)


@FAST
@given(value=news_text | st.text(max_size=60))
def test_metadata_extractors_never_raise(value: str) -> None:
    parse_date(value)
    parse_byline(value)
    find_credits(value)
    find_original_source(value)
    clean_text(value)
    html_to_text(value)


def test_decoder_reads_a_bom_for_every_utf16_and_utf32() -> None:
    text = "Les habitants de Gao ont dit: « cinq morts »."
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
                          (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be")):
        assert decode_text(bom + text.encode(encoding)) == text


# --------------------------------------------------------------------------- NLP extraction

@pytest.fixture(scope="module")
def nlp():
    from rashomon.extract.nlp import shared_nlp

    return shared_nlp()


@settings(max_examples=15 * (20 if LONG else 1), deadline=None, derandomize=not LONG, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(texts=st.lists(news_text.filter(lambda t: t.strip()), min_size=1, max_size=3),
       published=st.sampled_from(("2024-03-05", "1999-12-31", None)))
@example(texts=["Hello world."], published=None)  # no casualty or reporting word: nothing to parse
@example(texts=["Gunmen killed five people in Gao on Tuesday, police said.", "0"], published="2024-03-05")
def test_extraction_never_raises_and_spans_point_at_their_text(nlp, texts: list[str], published: str | None) -> None:
    import datetime as dt

    from rashomon.extract import extract_articles

    articles = [Article(id=article_id(t), source="fuzz", text=t, language="en",
                        published=dt.date.fromisoformat(published) if published else None,
                        published_precision="day" if published else "unknown") for t in texts]
    mentions = list(extract_articles(articles, nlp))
    assert [m.article_id for m in mentions] == [a.id for a in articles]
    for art, mention in zip(articles, mentions, strict=True):
        spans = [f.span for f in mention.figures] + [f.sentence for f in mention.figures]
        spans += [c.content for c in mention.claims] + [c.sentence for c in mention.claims]
        spans += [p.span for p in mention.places] + [d.span for d in mention.dates]
        for span in spans:
            assert 0 <= span.start <= span.end <= len(art.text)
            assert art.text[span.start:span.end] == span.text
        for fig in mention.figures:
            assert fig.low is None or fig.high is None or fig.low <= fig.high
