"""Export: JSON (the contract in records.py), CSV in ACLED/UCDP-style columns, GeoJSON, and CSV in
ACLED's (acled.py) and UCDP GED's (ucdp.py) own columns and codings."""

from __future__ import annotations

from pathlib import Path

from rashomon.export.acled import ACLED_COLUMNS, to_acled
from rashomon.export.records import CSV_COLUMNS, csv_row, incident_dict, to_csv, to_geojson, to_json
from rashomon.export.records import FORMATS as _BASE_FORMATS
from rashomon.export.ucdp import UCDP_COLUMNS, to_ucdp
from rashomon.store import open_store

__all__ = ["ACLED_COLUMNS", "CSV_COLUMNS", "FORMATS", "UCDP_COLUMNS", "csv_row", "export", "incident_dict", "to_acled",
           "to_csv", "to_geojson", "to_json", "to_ucdp"]

FORMATS = {**_BASE_FORMATS, "acled": to_acled, "ucdp": to_ucdp}


def export(db: str | Path, fmt: str = "json", incident_ids: list[str] | None = None, *,
           reviewed_only: bool = False) -> str:
    """All incidents of the store (or the given ones; ``reviewed_only``: those a person marked
    reviewed) in ``fmt``: json, csv, geojson, acled or ucdp."""
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
