"""HTML pages (``.html``, ``.htm``, ``.xhtml``) through ``trafilatura.bare_extraction``.

trafilatura finds the main text and the metadata: title, author (-> byline, with any agency
credit split off), date (-> published; the original publication date, not the last
modification), site name (-> outlet) and URL (the page's canonical URL, else the one given,
e.g. a WARC record's target URI).  A page without main text is rejected with
"no article text found in HTML"; a binary file (NUL bytes that are not UTF-16) with
"binary data, not an HTML page".
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rashomon.ingest.attribution import parse_byline
from rashomon.ingest.base import IngestError, article_outcome, looks_binary, read_limited, reject
from rashomon.ingest.metadata import Metadata, parse_date
from rashomon.models import IngestOutcome

NO_TEXT = "no article text found in HTML"
BINARY = "binary data, not an HTML page"

# trafilatura logs an error for every page it cannot use; the rejection already says so.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def _field(document: Any, name: str) -> str | None:
    """A string attribute of trafilatura's result, stripped, or None."""
    value = getattr(document, name, None)
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _extract(data: bytes | str, url: str | None) -> Any:
    """Run trafilatura; any failure inside it is reported as an IngestError."""
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            data,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={"original_date": True, "extensive_search": False},
        )
    except Exception as error:  # a parser bug must not stop the run
        raise IngestError(f"HTML could not be parsed: {type(error).__name__}: {error}") from error


def parse_html(data: bytes | str, source: str, *, url: str | None = None) -> IngestOutcome:
    """One HTML document as an article outcome; ``url`` is used when the page names none."""
    try:
        document = _extract(data, url)
    except IngestError as error:
        return reject(source, str(error))
    text = getattr(document, "text", None) if document is not None else None
    if not isinstance(text, str) or not text.strip():
        return reject(source, NO_TEXT)
    published = parse_date(_field(document, "date"))
    byline, credits = parse_byline(author) if (author := _field(document, "author")) else (None, ())
    language = _field(document, "language")
    meta = Metadata(
        title=_field(document, "title"),
        outlet=_field(document, "sitename"),
        published=published[0] if published else None,
        precision=published[1] if published else "unknown",
        url=_field(document, "url") or url,
        byline=byline,
        language=language.lower() if language else None,
        credits=credits,
    )
    paragraphs = "\n\n".join(text.splitlines())  # one block element a line -> paragraphs, as in .txt
    return article_outcome(paragraphs, source, meta)


def read_html(path: Path, *, max_bytes: int) -> Iterator[IngestOutcome]:
    """Read one HTML file as one outcome (trafilatura detects the encoding)."""
    try:
        data = read_limited(path, max_bytes)
    except IngestError as error:
        yield reject(str(path), str(error))
        return
    if looks_binary(data):  # an image or archive saved as .html: say so, rather than "no text"
        yield reject(str(path), BINARY)
        return
    yield parse_html(data, str(path))
