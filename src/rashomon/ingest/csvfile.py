"""CSV (``.csv``): one article a row, the first row naming the columns.

The columns are the fields of a JSONL object (see :mod:`rashomon.ingest.jsonl`): ``text``
required, ``title``, ``outlet``, ``published``, ``url`` ... optional; other names are mapped with
``--field`` / ``ingest.fields`` or found by their usual other names (``content``, ``date``, ``link``;
:mod:`rashomon.ingest.fields`).  An empty cell counts as absent.  Sources are ``path#row=N``
(1-based, not counting the header row); a row without text is rejected on its own with the
columns it has.  The delimiter is sniffed among comma, semicolon and tab.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from rashomon.ingest.base import IngestError, decode_text, read_limited, reject
from rashomon.ingest.fields import FieldMap
from rashomon.ingest.jsonl import parse_record
from rashomon.models import IngestOutcome


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def read_csv(path: Path, *, max_bytes: int, fields: FieldMap = ()) -> Iterator[IngestOutcome]:
    """Read a CSV file: one outcome per data row."""
    source = str(path)
    try:
        text = decode_text(read_limited(path, max_bytes))
    except IngestError as error:
        yield reject(source, str(error))
        return
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))  # an article is longer than 128 kB
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=_dialect(text[:8192]))
    if not reader.fieldnames:
        yield reject(source, "CSV file: no header row")
        return
    try:
        for number, row in enumerate(reader, start=1):
            record = {k: v for k, v in row.items() if isinstance(k, str) and v not in (None, "")}
            yield parse_record(record, f"{path}#row={number}", f"CSV row {number}", fields)
    except csv.Error as error:
        yield reject(f"{path}#row={reader.line_num}", f"CSV row {reader.line_num}: {error}")
