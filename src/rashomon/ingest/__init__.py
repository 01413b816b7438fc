"""Ingest: files in, one :class:`~rashomon.models.IngestOutcome` per input unit out.

:func:`read_articles` walks files and directories and hands each file to the reader for its
format.  An input unit is a file, a JSONL line, a JSON list item, an HTML response record of a
WARC file, or a feed item; each gives an outcome holding either an
:class:`~rashomon.models.Article` or a :class:`~rashomon.models.Rejection` with a one-line
reason.  Bad input never raises.

==========================================  ==========================================
extension                                   reader
==========================================  ==========================================
``.txt`` ``.text`` ``.md``                  :mod:`~rashomon.ingest.txt` (+ sidecar ``.json``)
``.html`` ``.htm`` ``.xhtml``               :mod:`~rashomon.ingest.html` (trafilatura)
``.jsonl`` ``.ndjson`` / ``.json``          :mod:`~rashomon.ingest.jsonl`
``.warc`` ``.warc.gz`` ``.arc`` ``.arc.gz``  :mod:`~rashomon.ingest.warc` (warcio)
``.rss`` ``.atom`` ``.xml``                 :mod:`~rashomon.ingest.feeds` (defusedxml)
``.csv``                                    :mod:`~rashomon.ingest.csvfile` (one article a row)
==========================================  ==========================================

JSONL, JSON and CSV records may name their fields otherwise: ``fields`` maps them
(:mod:`~rashomon.ingest.fields`).  An article whose text is longer than ``max_chars`` is rejected
with its length and the limit (``ingest.max_text_chars``).

A file with another or no extension is sniffed (WARC header, gzip + "warc" in the name, an
XML feed, an HTML page, a JSON object per line); failing that it is rejected as
"unsupported file type .ext".  Directories are walked recursively in sorted order; hidden
files and folders (names starting with ".") are skipped, as are sidecars (``NAME.json``
next to ``NAME.txt``, read with the text).  Symbolic links are followed, but a folder or file
already visited (a link loop, or one file reached twice) is not read again.  Exact
duplicates are left to the store (same ``Article.id``).
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Protocol

from rashomon.ingest.base import DEFAULT_MAX_BYTES, TEXT_LIMIT, reject, too_large, too_long
from rashomon.ingest.csvfile import read_csv
from rashomon.ingest.feeds import read_feed
from rashomon.ingest.fields import FieldMap
from rashomon.ingest.html import read_html
from rashomon.ingest.jsonl import read_json, read_jsonl
from rashomon.ingest.txt import is_sidecar, read_txt
from rashomon.ingest.warc import read_warc
from rashomon.models import IngestOutcome
from rashomon.settings import IngestSettings

__all__ = ["DEFAULT_MAX_BYTES", "READERS", "Reader", "read_articles", "read_file"]


class Reader(Protocol):
    """A format reader: one file in, its outcomes out; never raises for bad input."""

    def __call__(self, path: Path, *, max_bytes: int) -> Iterator[IngestOutcome]: ...


READERS: dict[str, Reader] = {
    ".txt": read_txt,
    ".text": read_txt,
    ".md": read_txt,
    ".html": read_html,
    ".htm": read_html,
    ".xhtml": read_html,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".json": read_json,
    ".warc": read_warc,
    ".warc.gz": read_warc,
    ".arc": read_warc,
    ".arc.gz": read_warc,
    ".rss": read_feed,
    ".atom": read_feed,
    ".xml": read_feed,
    ".csv": read_csv,
}
MAPPED: tuple[Reader, ...] = (read_jsonl, read_json, read_csv)
"""Readers of records whose fields ``fields`` can map."""
DEFAULT_MAX_CHARS = IngestSettings().max_text_chars
_SNIFF_BYTES = 4096


def _extension(path: Path) -> str:
    """The lower-case extension, with ``.warc.gz``-style double extensions kept whole."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if len(suffixes) >= 2 and suffixes[-1] == ".gz" and f"{suffixes[-2]}.gz" in READERS:
        return f"{suffixes[-2]}.gz"
    return suffixes[-1] if suffixes else ""


def _sniff(path: Path) -> Reader | None:
    """Guess the reader of a file whose extension says nothing, from its first bytes."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return None
    if head.startswith((b"WARC/", b"filedesc://")):
        return read_warc
    if head.startswith(b"\x1f\x8b"):
        try:
            inner = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head, 64)
        except zlib.error:
            return None
        return read_warc if inner.startswith((b"WARC/", b"filedesc://")) else None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf:rdf")):
        if b"<html" in text:
            return read_html
        return read_feed if any(tag in text for tag in (b"<rss", b"<feed", b"<rdf:rdf")) else None
    if text.startswith((b"<!doctype html", b"<html")):
        return read_html
    if text.startswith(b"{"):
        return read_jsonl
    return None


def read_file(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, max_chars: int = DEFAULT_MAX_CHARS, fields: FieldMap = ()
) -> Iterator[IngestOutcome]:
    """Outcomes of one file, whatever its format (size checked before anything is read)."""
    token = TEXT_LIMIT.set(max_chars)
    try:
        for outcome in _read_file(Path(path), max_bytes, fields):
            if outcome.article is not None and len(outcome.article.text) > max_chars:
                outcome = reject(outcome.source, too_long(len(outcome.article.text), max_chars))
            yield outcome
    finally:
        try:
            TEXT_LIMIT.reset(token)
        except ValueError:  # closed from another context (garbage collection): nothing to restore there
            pass


def _read_file(path: Path, max_bytes: int, fields: FieldMap) -> Iterator[IngestOutcome]:
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        yield reject(source, f"cannot read file: {error.strerror or error}")
        return
    if not path.is_file():
        yield reject(source, "not a regular file")
        return
    if size == 0:
        yield reject(source, "empty file")
        return
    if size > max_bytes:
        yield reject(source, too_large(max_bytes))
        return
    extension = _extension(path)
    reader = READERS.get(extension) or _sniff(path)
    if reader is None:
        kind = extension or "(no extension)"
        yield reject(source, f"unsupported file type {kind}")
        return
    if reader in MAPPED and fields:
        reader = partial(reader, fields=fields)  # type: ignore[call-arg]
    try:
        yield from reader(path, max_bytes=max_bytes)
    except Exception as error:  # noqa: BLE001 - last line of defence: a reader bug must not stop the run
        yield reject(source, f"internal error while reading: {type(error).__name__}: {error}")


def _walk(folder: Path, visited: set[tuple[int, int]]) -> Iterator[Path | IngestOutcome]:
    """Files under ``folder`` in sorted order (hidden entries and sidecars skipped, loops cut)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        yield reject(str(folder), f"cannot read directory: {error.strerror or error}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(folder, entry.name)
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            try:
                stat = path.stat()
            except OSError as error:
                yield reject(str(path), f"cannot read directory: {error.strerror or error}")
                continue
            key = (stat.st_dev, stat.st_ino)
            if key not in visited:
                visited.add(key)
                yield from _walk(path, visited)
        elif not is_sidecar(path):
            yield path


def read_articles(
    paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES, max_chars: int = DEFAULT_MAX_CHARS,
    fields: FieldMap = (),
) -> Iterator[IngestOutcome]:
    """Read every article under ``paths`` (files or directories), one outcome per input unit.

    The order is deterministic: the paths in the order given, each directory walked in
    sorted order.  No file larger than ``max_bytes`` is read; such files are rejected, as are
    articles whose text is longer than ``max_chars``.  ``fields`` maps the fields of JSONL, JSON
    and CSV records (:func:`rashomon.ingest.fields.parse_fields`).
    """
    visited: set[tuple[int, int]] = set()
    for given in paths:
        path = Path(given)
        if not os.path.lexists(path):
            yield reject(str(path), "no such file or directory")
            continue
        if path.is_dir():
            stat = path.stat()
            visited.add((stat.st_dev, stat.st_ino))
            found: Iterable[Path | IngestOutcome] = _walk(path, visited)
        elif is_sidecar(path):
            continue  # read together with its .txt
        else:
            found = [path]
        for item in found:
            if isinstance(item, IngestOutcome):
                yield item
                continue
            try:
                stat = item.stat()
                key: tuple[int, int] | None = (stat.st_dev, stat.st_ino)
            except OSError:
                key = None  # broken link: read_file reports it
            if key is not None:
                if key in visited:
                    continue
                visited.add(key)
            yield from read_file(item, max_bytes=max_bytes, max_chars=max_chars, fields=fields)
