"""Export: JSON (the contract in records.py), CSV in ACLED/UCDP-style columns, GeoJSON."""

from __future__ import annotations

from pathlib import Path

from rashomon.export.records import CSV_COLUMNS, FORMATS, csv_row, incident_dict, to_csv, to_geojson, to_json
from rashomon.store import open_store

__all__ = ["CSV_COLUMNS", "FORMATS", "csv_row", "export", "incident_dict", "to_csv", "to_geojson", "to_json"]


def export(db: str | Path, fmt: str = "json", incident_ids: list[str] | None = None, *,
           reviewed_only: bool = False) -> str:
    """All incidents of the store (or the given ones; ``reviewed_only``: those a person marked
    reviewed) in ``fmt``: json, csv or geojson."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    with open_store(db) as store:
        incidents = store.incidents()
    if incident_ids is not None:
        wanted = set(incident_ids)
        incidents = [i for i in incidents if i.id in wanted]
    if reviewed_only:
        incidents = [i for i in incidents if i.reviewed]
    return FORMATS[fmt](incidents)
