"""JSON Lines (``.jsonl``, ``.ndjson``: one article a line) and JSON (``.json``: a list of them).

Each article is an object with these fields:

==================  =========================================================================
``text``            required, a non-empty string: the article body
``title``           string
``outlet``          string
``published``       ISO date or datetime ("2018-02-08", "2018-02-08T09:30:00Z"), or a written
                    date with a year ("8 February 2018")
``url``             string
``byline``          string ("By Jane Doe, Reuters": the agency goes to credits)
``language``        language code ("en")
``original_source`` string: the outlet that first published the text
``id``              string or number; not used for identity (that is the text hash), kept in
                    ``Article.source`` as ``path#line=N&id=ID``
==================  =========================================================================

Fields under other names are found by mapping (``--field text=content``, ``ingest.fields``) or
by their usual other names (:mod:`rashomon.ingest.fields`).  Other fields are ignored.  ``null`` counts as absent.  A broken line (invalid JSON, not an
object, a wrong type) is rejected on its own, with its line number; the others go on.
Blank lines are not inputs and are skipped.  A binary file (NUL bytes, and no JSON in its first
50 lines) is one rejection, not one per "line";
a UTF-16 or UTF-32 file (with a BOM, or BOM-less UTF-16) is decoded whole first.  Sources are ``path#line=N`` (1-based physical
line) for JSONL and ``path#item=N`` (1-based) for a JSON list.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from rashomon.ingest.base import (
    UTF16_OR_32_BOMS,
    IngestError,
    article_outcome,
    decode_text,
    looks_binary,
    read_limited,
    reject,
    utf16_order,
)
from rashomon.ingest.fields import FieldMap, describe_fields, map_record
from rashomon.ingest.metadata import metadata_from_mapping
from rashomon.models import IngestOutcome


def _id_suffix(value: object) -> str:
    """``&id=...`` for a record's own id (strings and integers only), else nothing."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return ""
    text = "".join(str(value).split())
    return f"&id={text[:200]}" if text else ""


def parse_record(record: object, source: str, label: str, fields: FieldMap = ()) -> IngestOutcome:
    """One decoded JSON value (or CSV row) as an article outcome; ``label`` ("JSONL line 4") prefixes
    reasons.  ``fields`` maps article fields to the record's (:mod:`rashomon.ingest.fields`)."""
    if not isinstance(record, dict):
        return reject(source, f"{label}: expected a JSON object, got {type(record).__name__}")
    given = record
    record = map_record(record, fields)
    source += _id_suffix(record.get("id"))
    text = record.get("text")
    if text is None:
        mapped = dict(fields).get("text")
        wanted = f"field {mapped!r} (mapped to 'text')" if mapped else "field 'text'"
        return reject(source, f"{label}: missing {wanted}; it has {describe_fields(given)} "
                              "(map one with --field text=NAME)")
    if not isinstance(text, str):
        return reject(source, f"{label}: field 'text' must be a string, not {type(text).__name__}")
    try:
        meta = metadata_from_mapping(record)
    except ValueError as error:
        return reject(source, f"{label}: {error}")
    outcome = article_outcome(text, source, meta)
    if outcome.rejection is not None:
        return reject(source, f"{label}: {outcome.rejection.reason}")
    return outcome


def _parse_line(raw: bytes, source: str, label: str, fields: FieldMap = ()) -> IngestOutcome:
    """Decode and parse one JSONL line."""
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return reject(source, f"{label}: not valid UTF-8")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return reject(source, f"{label}: invalid JSON: {error.msg} (column {error.colno})")
    except RecursionError:
        return reject(source, f"{label}: invalid JSON: nested too deeply")
    return parse_record(record, source, label, fields)


BINARY = "binary data, not JSON Lines"
_PROBE_LINES = 50


def _has_json_line(data: bytes) -> bool:
    """True when one of the first non-blank lines is JSON: then a stray NUL byte costs only its line."""
    probed = 0
    for raw in data.split(b"\n"):
        if not raw.strip():
            continue
        try:
            json.loads(raw)
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            pass
        else:
            return True
        probed += 1
        if probed >= _PROBE_LINES:
            break
    return False


def read_jsonl(path: Path, *, max_bytes: int, fields: FieldMap = ()) -> Iterator[IngestOutcome]:
    """Read a JSON Lines file: one outcome per non-blank line."""
    try:
        data = read_limited(path, max_bytes)
    except IngestError as error:
        yield reject(str(path), str(error))
        return
    if looks_binary(data) and not _has_json_line(data):
        yield reject(str(path), BINARY)
        return
    if data.startswith(UTF16_OR_32_BOMS) or utf16_order(data):  # UTF-16/32: decode whole, then split
        try:
            data = decode_text(data).encode("utf-8")
        except IngestError as error:
            yield reject(str(path), str(error))
            return
    lines = data.split(b"\n")
    if not any(line.strip() for line in lines):
        yield reject(str(path), "empty file (only whitespace)")
        return
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            yield _parse_line(raw, f"{path}#line={number}", f"JSONL line {number}", fields)


def read_json(path: Path, *, max_bytes: int, fields: FieldMap = ()) -> Iterator[IngestOutcome]:
    """Read a JSON file holding a list of article objects (or one object): one outcome per item."""
    source = str(path)
    try:
        document = json.loads(decode_text(read_limited(path, max_bytes)))
    except IngestError as error:
        yield reject(source, str(error))
        return
    except json.JSONDecodeError as error:
        yield reject(source, f"invalid JSON: {error.msg} (line {error.lineno}, column {error.colno})")
        return
    except RecursionError:
        yield reject(source, "invalid JSON: nested too deeply")
        return
    if isinstance(document, dict):
        yield parse_record(document, source, "JSON object", fields)
        return
    if not isinstance(document, list):
        yield reject(source, f"JSON file: expected a list of article objects, got {type(document).__name__}")
        return
    if not document:
        yield reject(source, "JSON file: empty list")
        return
    for number, record in enumerate(document, start=1):
        yield parse_record(record, f"{path}#item={number}", f"JSON item {number}", fields)
