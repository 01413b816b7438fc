"""The public shape of an incident (the JSON export contract) and its flat and GeoJSON forms.

The JSON contract is extended, never renamed: other tools read it.
"""

from __future__ import annotations

import json
from typing import Any

from rashomon.export.sources import csv_text
from rashomon.models import Figure, FigureRange, Incident


def _figure(fig: Figure) -> dict[str, Any]:
    return {
        "id": fig.id,
        "kind": fig.kind,
        "value": fig.value,
        "low": fig.low,
        "high": fig.high,
        "qualifier": fig.qualifier,
        "text": fig.text,
        "group": fig.group,
        "speaker": fig.speaker.name if fig.speaker else None,
        "anonymous": fig.speaker.anonymous if fig.speaker else None,
        "article_id": fig.article_id,
        "sentence": fig.sentence.text,
        "start": fig.span.start,
        "end": fig.span.end,
        "scope": fig.scope,
        "scope_reason": fig.scope_reason,
        "reported_on": fig.reported_on.isoformat() if fig.reported_on else None,
    }


def _range(rng: FigureRange) -> dict[str, Any]:
    return {
        "low": rng.low,
        "best": rng.best,
        "high": rng.high,
        "low_figure": rng.low_figure,
        "best_figure": rng.best_figure,
        "high_figure": rng.high_figure,
        "independent_figures": rng.independent_figures,
        "figures": [_figure(f) for f in rng.figures],
        "floor": rng.floor,
        "floor_figures": rng.floor_figures,
        "excluded": [e.model_dump() for e in rng.excluded],
        "groups": [g.model_dump() for g in rng.groups],
    }


def incident_dict(inc: Incident) -> dict[str, Any]:
    """An incident in the JSON export contract."""
    loc = inc.location
    return {
        "id": inc.id,
        "story_id": inc.story_id,
        "date_start": inc.date_start.isoformat() if inc.date_start else None,
        "date_end": inc.date_end.isoformat() if inc.date_end else None,
        "date_precision": inc.date_precision,
        "date_evidence": [s.model_dump() for s in inc.date_evidence],
        "location": {
            "name": loc.name if loc else None,
            "country": loc.country if loc else None,
            "country_code": loc.country_code if loc else None,
            "admin1": loc.admin1 if loc else None,
            "lat": loc.lat if loc else None,
            "lon": loc.lon if loc else None,
            "geonames_id": loc.geonames_id if loc else None,
            "precision": loc.precision if loc else None,
            "evidence": [s.model_dump() for s in inc.location_evidence],
        },
        "actors": {"side_a": [a.name for a in inc.actors_a], "side_b": [a.name for a in inc.actors_b]},
        "event_type": inc.event_type.code if inc.event_type else None,
        "acled_event_type": inc.event_type.acled_event_type if inc.event_type else None,
        "acled_sub_event_type": inc.event_type.acled_sub_event_type if inc.event_type else None,
        "weapons": inc.weapons,
        "killed": _range(inc.killed),
        "injured": _range(inc.injured),
        "toll_timeline": [p.model_dump(mode="json") for p in inc.toll_timeline],
        "disagreements": [d.model_dump() for d in inc.disagreements],
        "articles": [
            {
                "id": s.article_id,
                "title": s.title,
                "outlet": s.outlet,
                "published": s.published.isoformat() if s.published else None,
                "original_source": s.original_source,
                "relation": s.relation,
                "copied_from": s.copied_from,
            }
            for s in inc.sources
        ],
        "claims": [
            {
                "id": c.id,
                "speaker": c.speaker.name,
                "anonymous": c.speaker.anonymous,
                "cue": c.cue,
                "content": c.content.text,
                "direct": c.direct,
                "article_id": c.article_id,
            }
            for c in inc.claims
        ],
        "framing": [
            {"term": f.term, "category": f.category, "speaker": f.speaker.name if f.speaker else None,
             "article_id": f.span.article_id}
            for f in inc.framing
        ],
        "first_reported": inc.first_reported.isoformat() if inc.first_reported else None,
        "reviewed": inc.reviewed,
        "corrections": [c.model_dump() for c in inc.corrections],
        "machine_values": inc.machine_values,
    }


def to_json(incidents: list[Incident]) -> str:
    return json.dumps({"incidents": [incident_dict(i) for i in incidents]}, ensure_ascii=False, indent=2)


# ACLED/UCDP-style columns; docs/export.md gives the mapping field by field.
CSV_COLUMNS = [
    "event_id", "event_date", "date_end", "date_precision", "event_type", "sub_event_type", "rashomon_type",
    "actor1", "actor2", "country", "iso", "admin1", "location", "latitude", "longitude", "geo_precision",
    "geonames_id", "fatalities", "best", "low", "high", "injured_best", "injured_low", "injured_high",
    "disagreements", "source", "source_count", "notes",
    "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
]

# UCDP's death columns from the killed record's groups (docs/reconciliation.md): side a and state
# security forces; side b and attackers; civilians; the rest.  Without groups, all are unknown.
UCDP_GROUPS = {"deaths_a": ("side_a", "security_forces"), "deaths_b": ("side_b", "attackers"),
               "deaths_civilians": ("civilians",), "deaths_unknown": ("unknown",)}


def ucdp_deaths(rng: FigureRange) -> dict[str, int | str]:
    if not rng.groups:
        return {"deaths_a": "", "deaths_b": "", "deaths_civilians": "",
                "deaths_unknown": rng.best if rng.best is not None else ""}
    out: dict[str, int | str] = {}
    for column, groups in UCDP_GROUPS.items():
        bests = [g.best for g in rng.groups if g.group in groups and g.best is not None]
        out[column] = sum(bests) if bests else ""
    return out


def csv_row(inc: Incident) -> dict[str, Any]:
    loc = inc.location
    et = inc.event_type
    return {
        "event_id": inc.id,
        "event_date": inc.date_start.isoformat() if inc.date_start else "",
        "date_end": inc.date_end.isoformat() if inc.date_end else "",
        "date_precision": inc.date_precision,
        "event_type": et.acled_event_type if et else "",
        "sub_event_type": et.acled_sub_event_type if et else "",
        "rashomon_type": et.code if et else "",
        "actor1": "; ".join(a.name for a in inc.actors_a),
        "actor2": "; ".join(a.name for a in inc.actors_b),
        "country": loc.country if loc and loc.country else "",
        "iso": loc.country_code if loc and loc.country_code else "",
        "admin1": loc.admin1 if loc and loc.admin1 else "",
        "location": loc.name if loc else "",
        "latitude": loc.lat if loc and loc.lat is not None else "",
        "longitude": loc.lon if loc and loc.lon is not None else "",
        "geo_precision": loc.precision if loc else "",
        "geonames_id": loc.geonames_id if loc and loc.geonames_id else "",
        "fatalities": inc.killed.low if inc.killed.low is not None else 0,
        "best": inc.killed.best if inc.killed.best is not None else "",
        "low": inc.killed.low if inc.killed.low is not None else "",
        "high": inc.killed.high if inc.killed.high is not None else "",
        "injured_best": inc.injured.best if inc.injured.best is not None else "",
        "injured_low": inc.injured.low if inc.injured.low is not None else "",
        "injured_high": inc.injured.high if inc.injured.high is not None else "",
        "disagreements": "; ".join(d.field for d in inc.disagreements),
        "source": "; ".join(sorted({s.outlet or s.original_source or s.article_id for s in inc.sources})),
        "source_count": len(inc.sources),
        "notes": "; ".join(
            f"{d.field}: " + " vs ".join(f"{v.value} ({', '.join(v.speakers) or 'unattributed'})" for v in d.values)
            for d in inc.disagreements
        ),
        **ucdp_deaths(inc.killed),
    }


def to_csv(incidents: list[Incident]) -> str:
    return csv_text(CSV_COLUMNS, [csv_row(inc) for inc in incidents])


def to_geojson(incidents: list[Incident]) -> str:
    features = []
    for inc in incidents:
        loc = inc.location
        if loc is None or loc.lat is None or loc.lon is None:
            continue
        props = {k: v for k, v in csv_row(inc).items() if k not in ("latitude", "longitude")}
        features.append(
            {"type": "Feature", "id": inc.id, "geometry": {"type": "Point", "coordinates": [loc.lon, loc.lat]},
             "properties": props}
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=2)


FORMATS = {"json": to_json, "csv": to_csv, "geojson": to_geojson}
