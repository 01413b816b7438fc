"""Article metadata shared by all readers: the :class:`Metadata` record, date parsing, text cleaning.

Explicit metadata (front matter, sidecar JSON, JSONL fields) is validated by
:func:`metadata_from_mapping`; wrong types and unparseable dates raise ``MetadataError`` with a
short message that the reader turns into a rejection.  Attribution (original source, wire
credits, bylines) lives in :mod:`rashomon.ingest.attribution`.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from typing import Any

from rashomon.ingest.attribution import parse_byline
from rashomon.models import Precision

__all__ = ["METADATA_KEYS", "Metadata", "MetadataError", "clean_text", "metadata_from_mapping", "parse_date"]

# Keys understood in front matter, sidecar files and JSONL/JSON records.
METADATA_KEYS = ("title", "outlet", "published", "url", "byline", "language", "original_source")


class MetadataError(ValueError):
    """Explicit metadata with a wrong type or value; the message names the field."""


@dataclass(frozen=True)
class Metadata:
    """What is known about an article besides its text; every field optional."""

    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    precision: Precision = "unknown"
    url: str | None = None
    byline: str | None = None
    language: str | None = None
    original_source: str | None = None
    credits: tuple[str, ...] = field(default_factory=tuple)

    def fill(self, other: Metadata) -> Metadata:
        """This metadata with its empty fields taken from ``other`` (credits are combined)."""
        updates: dict[str, Any] = {}
        for spec in fields(self):
            if spec.name in ("precision", "credits"):
                continue
            if getattr(self, spec.name) is None and getattr(other, spec.name) is not None:
                updates[spec.name] = getattr(other, spec.name)
                if spec.name == "published":
                    updates["precision"] = other.precision
        updates["credits"] = tuple(dict.fromkeys([*self.credits, *other.credits]))
        return replace(self, **updates)


# --------------------------------------------------------------------------- dates

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")
_ISO_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2}))?")


@lru_cache(maxsize=1)
def _date_parser() -> Any:
    """A dateparser parser limited to absolute dates (no "yesterday": metadata must not depend on today)."""
    from dateparser.date import DateDataParser

    settings = {
        "PARSERS": ["custom-formats", "absolute-time"],
        "REQUIRE_PARTS": ["year"],
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    return DateDataParser(settings=settings)


def parse_date(value: object) -> tuple[dt.date, Precision] | None:
    """A publication date and its precision from a metadata value, or None when it is not a date.

    Accepts dates, datetimes, ISO strings ("2018-02-08", "2018-02-08T10:00:00Z", "2018-02",
    "2018"), RFC 822 feed dates and short written dates ("Mon, February 12, 2018").  A datetime
    keeps the calendar date it was written in (no time-zone conversion).  Written dates must
    name a year.  Month and year precision give the first day of the period.
    """
    if isinstance(value, dt.datetime):
        return value.date(), "day"
    if isinstance(value, dt.date):
        return value, "day"
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 100:
        return None
    try:
        return dt.datetime.fromisoformat(text).date(), "day"
    except ValueError:
        pass
    partial = _ISO_PARTIAL.fullmatch(text)
    if partial:
        year, month = int(partial.group(1)), partial.group(2)
        if month is None:
            return dt.date(year, 1, 1), "year"
        if 1 <= int(month) <= 12:
            return dt.date(year, int(month), 1), "month"
        return None
    try:
        return email.utils.parsedate_to_datetime(text).date(), "day"
    except (TypeError, ValueError, IndexError):
        pass
    if not _YEAR.search(text):
        return None
    data = _date_parser().get_date_data(text)
    if data.date_obj is None:
        return None
    found = data.date_obj.date()
    if data.period == "year":
        return dt.date(found.year, 1, 1), "year"
    if data.period == "month":
        return dt.date(found.year, found.month, 1), "month"
    if data.period == "week":
        return found, "week"
    return found, "day"


# --------------------------------------------------------------------------- explicit metadata

_LANGUAGE = re.compile(r"[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*")


def _text_value(key: str, value: object) -> str | None:
    """A metadata string, stripped; None when empty; ValueError for other types."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise MetadataError(f"field '{key}' must be a string, not {type(value).__name__}")
    return " ".join(value.split()) or None


def metadata_from_mapping(mapping: Mapping[str, object]) -> Metadata:
    """Validated :class:`Metadata` from explicit key/value metadata; unknown keys are ignored.

    Raises :class:`MetadataError` (a ``ValueError``) naming the field for a wrong type, an
    unparseable date or a bad language code.
    """
    values: dict[str, str | None] = {key: _text_value(key, mapping.get(key)) for key in METADATA_KEYS}
    published: dt.date | None = None
    precision: Precision = "unknown"
    if values["published"] is not None:
        parsed = parse_date(values["published"])
        if parsed is None:
            raise MetadataError(f"field 'published': cannot parse date {values['published']!r}")
        published, precision = parsed
    language = values["language"]
    if language is not None:
        language = language.lower()
        if not _LANGUAGE.fullmatch(language):
            raise MetadataError(f"field 'language' must be a language code like 'en', not {language!r}")
    byline, credits = parse_byline(values["byline"]) if values["byline"] else (None, ())
    return Metadata(
        title=values["title"],
        outlet=values["outlet"],
        published=published,
        precision=precision,
        url=values["url"],
        byline=byline,
        language=language,
        original_source=values["original_source"],
        credits=credits,
    )


# --------------------------------------------------------------------------- text cleaning

_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\)")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_LEFTOVER_BOLD = re.compile(r"\*\*")
_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_BLANK_LINES = re.compile(r"\n{2,}")


def _rejoin_broken_paragraphs(paragraphs: list[str]) -> list[str]:
    """Join a paragraph cut mid-sentence with the next one ("...monitoring" + "group, said.")."""
    joined: list[str] = []
    for paragraph in paragraphs:
        previous_end = joined[-1][-1] if joined else "."
        if (previous_end.isalnum() or previous_end == ",") and paragraph[0].islower():
            joined[-1] = f"{joined[-1]} {paragraph}"
        else:
            joined.append(paragraph)
    return joined


def clean_text(text: str) -> str:
    """Article text made clean for NLP; idempotent.

    Markdown residue is removed (``[Middle East Eye](#)`` -> ``Middle East Eye``, ``**bold**``
    -> ``bold``, ``# Heading`` -> ``Heading``, images dropped), runs of spaces collapse, lines
    are stripped, blank-line runs become one paragraph break, and a paragraph broken
    mid-sentence is rejoined.
    """
    text = _ZERO_WIDTH.sub("", text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _BOLD.sub(r"\2", text)
    text = _LEFTOVER_BOLD.sub("", text)
    text = _HEADING.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    paragraphs = [p.strip() for p in _BLANK_LINES.split("\n".join(lines)) if p.strip()]
    return "\n\n".join(_rejoin_broken_paragraphs(paragraphs))
