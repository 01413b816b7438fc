"""Plain-text reports (``.txt``, ``.text``, ``.md``).

Metadata comes from, in order of precedence:

1. a sidecar ``NAME.json`` next to ``NAME.txt`` (an object with the keys of
   :data:`~rashomon.ingest.metadata.METADATA_KEYS`);
2. front matter: ``key: value`` lines between two ``---`` lines at the very top;
3. the header of the text itself (the first dozen non-empty lines, up to the first body
   paragraph): a ``Published: <date>`` line, a ``By <name>`` byline, a dateline such as
   ``Global Research, February 08, 2018`` (outlet + date; an all-capital place such as
   ``BEIRUT, February 8, 2018`` gives only the date), and the title: the first line that looks
   like a headline (short, not ending in a full stop).

Header lines that were read as metadata (published, byline, dateline, a lone repeat of the
byline, share-widget and section labels like ``Like this:`` or ``Region: ...``) are removed
from the text; the title stays (headlines carry facts), a repeated title line is dropped.
Wrong sidecar or front-matter metadata rejects the file: metadata is never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from rashomon.ingest.attribution import parse_byline
from rashomon.ingest.base import IngestError, article_outcome, check_length, decode_text, read_limited, reject
from rashomon.ingest.metadata import Metadata, clean_text, metadata_from_mapping, parse_date
from rashomon.models import IngestOutcome, Precision

SIDECAR_SUFFIX = ".json"
HEADER_LINES = 12  # non-empty lines scanned for header metadata

_FRONT_KEY = re.compile(r"([A-Za-z_][\w-]*)\s*:\s*(.*)")
_PUBLISHED = re.compile(
    r"(?:published|posted|first published|date|dated|updated|last updated)(?: on)?\s*:?\s+(?P<date>.{4,80})",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"(?:By|BY|Written by|Author:|Authors:)\s+[A-Z\"“'‘].{0,118}")
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)[a-z]*\.?,?\s+"
_DATE = (
    rf"(?:{_WEEKDAY})?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}.{0,20})?"
)
_BARE_DATE = re.compile(_DATE)
_SENTENCE_END = re.compile(r"[.!?…][\"”’')]?$")
_DATELINE = re.compile(rf"(?P<outlet>[A-Z][^,\d]{{1,60}}),\s+(?P<date>{_DATE})")
_WIDGETS = re.compile(
    r"(?:like|share|tweet|email|print) this(?: article| story)?:?|like loading\.*"
    r"|advertisement|skip to content",
    re.IGNORECASE,
)
_LABELS = re.compile(
    r"(?:region|theme|themes|in-depth report|tags?|topics?|categor(?:y|ies)|filed under|section)\s*:\s*.+",
    re.IGNORECASE,
)


def sidecar_for(path: Path) -> Path:
    """The sidecar metadata file of a text file (``a/b.txt`` -> ``a/b.json``)."""
    return path.with_suffix(SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    """True for ``NAME.json`` lying next to a ``NAME.txt``."""
    return path.suffix.lower() == SIDECAR_SUFFIX and path.with_suffix(".txt").is_file()


def _read_sidecar(path: Path, max_bytes: int) -> Metadata:
    """Metadata from the sidecar of ``path``, empty when there is none; IngestError when it is wrong."""
    sidecar = sidecar_for(path)
    if path.suffix.lower() != ".txt" or not sidecar.is_file():
        return Metadata()
    try:
        data = json.loads(decode_text(read_limited(sidecar, max_bytes)))
    except IngestError as error:
        raise IngestError(f"sidecar {sidecar.name}: {error}") from error
    except json.JSONDecodeError as error:
        raise IngestError(f"sidecar {sidecar.name}: invalid JSON: {error}") from error
    if not isinstance(data, dict):
        raise IngestError(f"sidecar {sidecar.name}: expected a JSON object")
    try:
        return metadata_from_mapping(data)
    except ValueError as error:
        raise IngestError(f"sidecar {sidecar.name}: {error}") from error


def split_front_matter(text: str) -> tuple[Metadata, str]:
    """Front matter (``---`` / ``key: value`` lines / ``---``) at the top, and the rest of the text.

    Text without a well-formed block is returned unchanged; a block with a wrong value
    raises IngestError.
    """
    lines = text.lstrip("\n").split("\n")
    if not lines or lines[0].strip() != "---":
        return Metadata(), text
    values: dict[str, object] = {}
    for index, line in enumerate(lines[1:60], start=1):
        if line.strip() in ("---", "..."):
            try:
                return metadata_from_mapping(values), "\n".join(lines[index + 1 :])
            except ValueError as error:
                raise IngestError(f"front matter: {error}") from error
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _FRONT_KEY.fullmatch(line.strip())
        if not match:
            return Metadata(), text  # not front matter: a rule or a heading
        value = match.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[match.group(1).lower()] = value
    return Metadata(), text


def _looks_like_headline(line: str) -> bool:
    """Short, a few words, capitalised, not ending like a sentence or a label."""
    words = line.split()
    return (
        2 <= len(words) <= 30
        and len(line) <= 200
        and line[-1] not in ".,;:"
        and (line[0].isupper() or line[0].isdigit() or line[0] in "'\"‘“")
    )


def _looks_like_body(line: str) -> bool:
    """A paragraph of running text: long, or a full sentence."""
    words = len(line.split())
    return words > 40 or (words >= 8 and _SENTENCE_END.search(line) is not None)


def read_header(text: str) -> tuple[Metadata, str]:
    """Metadata found in the header lines of a cleaned text, and the text without them."""
    lines = text.split("\n")
    dropped: set[int] = set()
    title = outlet = byline = None
    published: tuple[dt.date, Precision] | None = None
    published_is_update = False
    credits: tuple[str, ...] = ()
    seen = 0
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        seen += 1
        if seen > HEADER_LINES or _looks_like_body(line):
            break
        drop = True
        if _WIDGETS.fullmatch(line) or _LABELS.fullmatch(line):
            pass
        elif (match := _PUBLISHED.fullmatch(line)) and (date := parse_date(match.group("date"))):
            is_update = "updated" in line.lower()[:14]
            if published is None or (published_is_update and not is_update):
                published, published_is_update = date, is_update
        elif _BARE_DATE.fullmatch(line) and (date := parse_date(line)):
            if published is None or published_is_update:
                published, published_is_update = date, False
        elif _BYLINE.fullmatch(line) and line[-1] != ".":
            names, found = parse_byline(line)
            byline = byline or names
            credits += found
        elif (match := _DATELINE.fullmatch(line)) and (date := parse_date(match.group("date"))):
            name = match.group("outlet").strip()
            if not name.isupper():
                outlet = outlet or name
            if published is None or published_is_update:
                published, published_is_update = date, False
        elif line in (byline, outlet):
            pass
        elif title is None and _looks_like_headline(line):
            title, drop = line, False
        elif line == title:
            pass
        else:
            drop = False
        if drop:
            dropped.add(index)
    body = "\n".join(line for index, line in enumerate(lines) if index not in dropped)
    meta = Metadata(
        title=title,
        outlet=outlet,
        published=published[0] if published else None,
        precision=published[1] if published else "unknown",
        byline=byline,
        credits=credits,
    )
    return meta, clean_text(body)


def parse_text(text: str, source: str, explicit: Metadata | None = None) -> IngestOutcome:
    """One text (already decoded) as an article outcome; ``explicit`` metadata wins over the text's."""
    try:
        check_length(text)
        front, rest = split_front_matter(text)
    except IngestError as error:
        return reject(source, str(error))
    found, body = read_header(clean_text(rest))
    meta = (explicit or Metadata()).fill(front)
    if meta.title is not None:
        found = replace(found, title=None)
    return article_outcome(body, source, meta.fill(found))


def read_txt(path: Path, *, max_bytes: int) -> Iterator[IngestOutcome]:
    """Read one text file (and its sidecar) as one outcome."""
    source = str(path)
    try:
        sidecar = _read_sidecar(path, max_bytes)
        text = decode_text(read_limited(path, max_bytes))
    except IngestError as error:
        yield reject(source, str(error))
        return
    if not text.strip():
        yield reject(source, "empty file (only whitespace)")
        return
    yield parse_text(text, source, sidecar)
