"""Web archives (``.warc``, ``.warc.gz``, ``.arc``, ``.arc.gz``) through ``warcio``.

Only ``response`` records with a 2xx HTTP status and an HTML content type are inputs: each
is parsed by the HTML reader with the record's ``WARC-Target-URI`` as URL, and its source
is ``path#record=N`` (N counts every record of the file, from 1, so it locates the record).
Other records (``warcinfo``, ``request``, ``metadata``, redirects, images, ...) are skipped
silently: they are not inputs and produce no outcome.  An archive with no HTML response at
all gives one rejection, "WARC: no HTML response records", so the file is still accounted for.

warcio stops quietly at a truncated file, so truncation is checked here: a record whose
block ends early, a gzip member cut short, or bytes left after the last complete record.
Any such damage (or a record warcio cannot parse) yields one rejection for the rest of the
file, ``"WARC record N: truncated or corrupt archive (...)"``; records read before are kept.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from rashomon.ingest.base import human_size, reject, too_large
from rashomon.ingest.html import parse_html
from rashomon.models import IngestOutcome

HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 1 << 16


class _Damaged(Exception):
    """The archive is truncated or corrupt from this point on (the message says how)."""


def _drain(stream: IO[bytes]) -> None:
    """Read a stream to its end without keeping the bytes."""
    while stream.read(_CHUNK):
        pass


def _gzip_complete(handle: IO[bytes]) -> bool:
    """True when every gzip member in ``handle`` ends properly (warcio hides a cut last member)."""
    handle.seek(0)
    decompressor: Any = None
    pending = b""
    while True:
        if not pending:
            pending = handle.read(_CHUNK)
            if not pending:
                return decompressor is None  # the file ends between members
        if decompressor is None:
            decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        try:
            decompressor.decompress(pending, _CHUNK)  # bounded output: a gzip bomb costs no memory
            while decompressor.unconsumed_tail and not decompressor.eof:
                decompressor.decompress(decompressor.unconsumed_tail, _CHUNK)
        except zlib.error:
            return False
        if decompressor.eof:
            pending, decompressor = decompressor.unused_data, None
        else:
            pending = b""


def _plausible(record: Any) -> bool:
    """False for text warcio took for an ARC header: any five words pass its parser."""
    if record.format != "arc":
        return True
    headers = record.rec_headers
    return all((headers.get_header(name) or "").isdigit() for name in ("archive-date", "length"))


def _is_html_response(record: Any) -> bool:
    """A 2xx HTTP response with an HTML body."""
    if record.rec_type != "response" or record.http_headers is None:
        return False
    status = record.http_headers.get_statuscode() or ""
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    return status.startswith("2") and content_type.split(";")[0].strip() in HTML_TYPES


def _html_outcome(record: Any, source: str, max_bytes: int) -> IngestOutcome:
    """Parse one HTML response record, keeping to the size limit."""
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return reject(source, f"record larger than {human_size(max_bytes)}")
    return parse_html(body, source, url=record.rec_headers.get_header("WARC-Target-URI"))


class _ArchiveReader:
    """Walks one archive, counting records, and checks it was complete."""

    def __init__(self, path: Path, handle: IO[bytes], max_bytes: int) -> None:
        self.path, self.handle, self.max_bytes = path, handle, max_bytes
        self.count = 0  # records read completely
        self.gzipped = path.name.lower().endswith(".gz")

    def outcomes(self) -> Iterator[IngestOutcome]:
        """Outcomes of the HTML responses; raises _Damaged where the archive breaks."""
        from warcio.archiveiterator import ArchiveIterator

        iterator = ArchiveIterator(self.handle)
        try:
            for record in iterator:
                if not _plausible(record):
                    raise _Damaged("not a WARC or ARC record")
                source = f"{self.path}#record={self.count + 1}"
                outcome = _html_outcome(record, source, self.max_bytes) if _is_html_response(record) else None
                _drain(record.raw_stream)
                if record.raw_stream.limit > 0:
                    raise _Damaged("the record ends early")
                self.count += 1
                if outcome is not None:
                    yield outcome
        except _Damaged:
            raise
        except Exception as error:  # warcio raises many kinds of error on bad input
            detail = (str(error).strip().splitlines() or [""])[0]
            detail = detail.split(", first line")[0][:200]  # warcio quotes the bytes it choked on: drop them
            raise _Damaged(f"{type(error).__name__}: {detail}" if detail else type(error).__name__) from error
        if self.gzipped:
            if not _gzip_complete(self.handle):
                raise _Damaged("the gzip stream is cut short")
        else:
            self.handle.seek(iterator.offset if self.count else 0)
            if self.handle.read(_CHUNK).strip():
                raise _Damaged("an incomplete record at the end")
        if self.count == 0:
            raise _Damaged("no records: not a WARC or ARC file")


def read_warc(path: Path, *, max_bytes: int) -> Iterator[IngestOutcome]:
    """Read a WARC/ARC file (plain or gzipped): one outcome per HTML response record."""
    try:
        size = path.stat().st_size
    except OSError as error:
        yield reject(str(path), f"cannot read file: {error.strerror or error}")
        return
    if size > max_bytes:
        yield reject(str(path), too_large(max_bytes))
        return
    if size == 0:
        yield reject(str(path), "empty file")
        return
    try:
        with path.open("rb") as handle:
            reader = _ArchiveReader(path, handle, max_bytes)
            produced = False
            try:
                for outcome in reader.outcomes():
                    produced = True
                    yield outcome
            except _Damaged as damage:
                number = reader.count + 1
                reason = f"WARC record {number}: truncated or corrupt archive ({damage})"
                yield reject(f"{path}#record={number}", reason)
                return
            if not produced:
                yield reject(str(path), "WARC: no HTML response records")
    except OSError as error:
        yield reject(str(path), f"cannot read file: {error.strerror or error}")
