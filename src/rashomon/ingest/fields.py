"""Which input field holds which article field, for records (JSONL/JSON objects, CSV rows).

An explicit mapping (``--field text=content`` on the command line, ``ingest.fields`` in the
settings) names the input field of an article field.  An article field with no mapping and no field
of its own name is looked for under its usual other names (:data:`ALIASES`, first found wins):
the shared GVA file (``content``, ``dct``, ``uri``) is read as it is.  docs/formats.md lists them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rashomon.ingest.metadata import METADATA_KEYS

__all__ = ["ALIASES", "ARTICLE_FIELDS", "FieldMap", "map_record", "parse_fields"]

ARTICLE_FIELDS = ("text", *METADATA_KEYS, "id")
"""The article fields an input field can be mapped to."""

ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("content", "body", "article", "maintext"),
    "published": ("date", "dct", "pubDate", "date_publish"),
    "url": ("link", "uri"),
}
"""Other names of article fields, looked for when the field itself is absent."""

FieldMap = tuple[tuple[str, str], ...]
"""(article field, input field) pairs."""


def parse_fields(specs: Iterable[str]) -> FieldMap:
    """``["text=content", "published=dct"]`` as a :data:`FieldMap`; a ``ValueError`` names a bad one."""
    pairs: list[tuple[str, str]] = []
    for spec in specs:
        target, sep, source = (part.strip() for part in spec.partition("="))
        if not sep or not target or not source:
            raise ValueError(f"field mapping {spec!r}: expected ARTICLE_FIELD=INPUT_FIELD, e.g. text=content")
        if target not in ARTICLE_FIELDS:
            raise ValueError(f"field mapping {spec!r}: {target!r} is not one of {', '.join(ARTICLE_FIELDS)}")
        pairs.append((target, source))
    return tuple(pairs)


def map_record(record: Mapping[str, object], fields: FieldMap = ()) -> dict[str, object]:
    """``record`` with its article fields under their own names: mapped fields first, then the
    usual other names for fields still absent (``null`` and ``""`` count as absent)."""
    out = dict(record)
    mapped = dict(fields)
    for target, source in mapped.items():
        out[target] = record.get(source)
    for target, names in ALIASES.items():
        if target in mapped or _present(out.get(target)):
            continue
        for name in names:
            if _present(record.get(name)):
                out[target] = record[name]
                break
    return out


def _present(value: object) -> bool:
    return value is not None and value != ""


def describe_fields(record: Mapping[str, object], limit: int = 12) -> str:
    """The names of the record's fields that hold a value, for a rejection reason."""
    given = [str(k) for k, v in record.items() if _present(v)]
    more = f" and {len(given) - limit} more" if len(given) > limit else ""
    return ", ".join(repr(n[:40]) for n in given[:limit]) + more if given else "no field with a value"
