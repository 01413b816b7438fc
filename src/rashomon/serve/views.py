"""The views: each builds one plain data dict for a page, served as JSON (``.json``) or rendered as HTML.

The dicts hold only JSON types.  The incident itself is given in the export contract
(``rashomon.export.incident_dict``); the rest of a page (figures table, accounts, timeline, relations)
is added beside it under its own key.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from rapidfuzz import fuzz

from rashomon.export import incident_dict
from rashomon.geo.normalise import fold, strip_admin
from rashomon.models import Article, Claim, Figure, Incident, Mention, Span
from rashomon.serve.graph import relations
from rashomon.serve.highlight import sentence_key
from rashomon.serve.tollchart import toll_chart
from rashomon.store import Store, queries
from rashomon.store.queries import Filters

MAX_PER_PAGE = 100
MAX_ACCOUNTS = 40  # articles shown side by side on one incident page
EXPORT_LIMIT = 10_000


def page_links(path: str, params: dict[str, Any], page: int, pages: int) -> dict[str, str | None]:
    """Links to the previous and next pages, keeping every other parameter."""
    kept = {k: v for k, v in params.items() if v not in (None, "") and k != "page"}

    def link(n: int) -> str:
        return path + "?" + urlencode({**kept, "page": n})

    return {"prev": link(page - 1) if page > 1 else None, "next": link(page + 1) if page < pages else None}


def source_name(source: str) -> str:
    """What pages and the API show of where an article was read from: a URL as it is, a local path
    by its file name only (with its ``#line=N`` part), never the folders above it."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", source, re.IGNORECASE):
        return source
    path, sep, part = source.partition("#")
    return re.split(r"[\\/]", path)[-1] + sep + part


def article_meta(art: Article) -> dict[str, Any]:
    return {
        "id": art.id, "title": art.title, "outlet": art.outlet, "byline": art.byline,
        "published": art.published.isoformat() if art.published else None,
        "published_precision": art.published_precision, "language": art.language, "source": source_name(art.source),
        "url": art.url, "original_source": art.original_source, "credits": art.credits,
        "href": f"/articles/{art.id}",
    }


def _sentence(span: Span) -> dict[str, Any]:
    return {"key": sentence_key(span.start, span.end), "start": span.start, "end": span.end, "text": span.text}


def _sentences(mention: Mention | None) -> list[dict[str, Any]]:
    """The sentences of an article that hold a figure or a claim, with those records' ids."""
    if mention is None:
        return []
    found: dict[tuple[int, int], dict[str, Any]] = {}
    pairs: list[tuple[str, Span]] = [(f.id, f.sentence) for f in mention.figures]
    pairs += [(c.id, c.sentence) for c in mention.claims]
    for record_id, s in pairs:
        entry = found.setdefault((s.start, s.end), {**_sentence(s), "records": []})
        entry["records"].append(record_id)
    return [found[k] for k in sorted(found)]


def _spans(rows: list[queries.SpanRow]) -> list[dict[str, Any]]:
    return [{"kind": r.kind, "record_id": r.record_id, "start": r.start, "end": r.end, "text": r.text} for r in rows]


def _figure_row(fig: Figure, bounds: list[str], independent: bool, art: Article | None,
                relation: str | None, excluded: str | None = None) -> dict[str, Any]:
    return {
        "id": fig.id, "kind": fig.kind, "text": fig.text, "value": fig.value, "low": fig.low, "high": fig.high,
        "qualifier": fig.qualifier, "group": fig.group,
        "speaker": fig.speaker.name if fig.speaker else None,
        "anonymous": fig.speaker.anonymous if fig.speaker else None,
        "article_id": fig.article_id, "outlet": art.outlet if art else None,
        "published": art.published.isoformat() if art and art.published else None,
        "relation": relation, "independent": independent, "bounds": bounds, "sentence": _sentence(fig.sentence),
        "scope": fig.scope, "scope_reason": fig.scope_reason,
        "reported_on": fig.reported_on.isoformat() if fig.reported_on else None, "excluded": excluded,
    }


def _claim_row(claim: Claim, art: Article | None) -> dict[str, Any]:
    return {
        "id": claim.id, "speaker": claim.speaker.name, "anonymous": claim.speaker.anonymous, "cue": claim.cue,
        "content": claim.content.text, "direct": claim.direct, "article_id": claim.article_id,
        "outlet": art.outlet if art else None, "sentence": _sentence(claim.sentence),
    }


WRITTEN_SIMILARITY = 70  # rapidfuzz ratio of a written name to the gazetteer's, admin words and accents aside


def written_name(inc: Incident) -> str | None:
    """The name the reports write most often for the incident's place (first written on a tie).

    Only another spelling of the place's own name counts ("Khasham" for Khushām): evidence naming
    the region around it ("the Catatumbo region" for Tibú) is no name of the place, and "Macomia
    district" for Macomia differs by its admin word only, so the gazetteer's name is shown alone."""
    names = [span.text.strip() for span in inc.location_evidence if span.text.strip()]
    if inc.location is not None and inc.location.name:
        target = strip_admin(fold(inc.location.name))
        names = [inc.location.name if strip_admin(fold(n)) == target != fold(n) else n for n in names
                 if fuzz.ratio(strip_admin(fold(n)), target) >= WRITTEN_SIMILARITY]
    return Counter(names).most_common(1)[0][0] if names else None


def incident_summary(inc: Incident) -> dict[str, Any]:
    """An incident as a row of the list."""
    loc = inc.location
    return {
        "id": inc.id,
        "date_start": inc.date_start.isoformat() if inc.date_start else None,
        "date_end": inc.date_end.isoformat() if inc.date_end else None,
        "date_precision": inc.date_precision,
        "location": {
            "name": loc.name if loc else None, "written": written_name(inc), "admin1": loc.admin1 if loc else None,
            "country": loc.country if loc else None, "country_code": loc.country_code if loc else None,
            "lat": loc.lat if loc else None, "lon": loc.lon if loc else None,
        },
        "event_type": inc.event_type.code if inc.event_type else None,
        "killed": {"low": inc.killed.low, "best": inc.killed.best, "high": inc.killed.high},
        "injured": {"low": inc.injured.low, "best": inc.injured.best, "high": inc.injured.high},
        "actors": {"side_a": [a.name for a in inc.actors_a], "side_b": [a.name for a in inc.actors_b]},
        "n_articles": len(inc.sources),
        "outlets": sorted({s.outlet for s in inc.sources if s.outlet}),
        "has_disagreement": bool(inc.disagreements),
        "disagreements": [d.field for d in inc.disagreements],
        "first_reported": inc.first_reported.isoformat() if inc.first_reported else None,
        "href": f"/incidents/{inc.id}",
    }


def incidents_view(store: Store, path: str, f: Filters, sort: str, page: int, per_page: int) -> dict[str, Any]:
    """``/incidents``: one page of the incidents matching the filters."""
    found = store.incident_page(f, sort, page, per_page)
    params = {**f.as_dict(), "sort": sort, "per_page": per_page}
    return {
        "filters": f.as_dict(), "sort": sort, "page": page, "per_page": per_page,
        "total": found.total, "pages": found.pages, "links": page_links(path, params, page, found.pages),
        "incidents": [incident_summary(inc) for inc in found.rows],
    }


def _timeline(sources: list[dict[str, Any]], figures: list[dict[str, Any]], claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Who reported what, when: the articles by publication date with the figures each gives."""
    order = sorted(sources, key=lambda s: (s["published"] is None, s["published"] or ""))
    first = next((s["published"] for s in order if s["published"]), None)
    return [
        {
            "date": s["published"], "article_id": s["id"], "outlet": s["outlet"], "title": s["title"],
            "relation": s["relation"], "copied_from": s["copied_from"],
            "first": s["published"] is not None and s["published"] == first,
            "figures": [{"id": f["id"], "kind": f["kind"], "text": f["text"], "speaker": f["speaker"]}
                        for f in figures if f["article_id"] == s["id"]],
            "claims": sum(1 for c in claims if c["article_id"] == s["id"]),
        }
        for s in order
    ]


def incident_view(store: Store, incident_id: str) -> dict[str, Any] | None:
    """``/incidents/{id}``: the reconciled record, its figures, disagreements, accounts, timeline, relations."""
    inc = store.incident(incident_id, prefix=False)
    if inc is None:
        return None
    record = incident_dict(inc)
    ids = [s.article_id for s in inc.sources]
    arts = store.articles_by_id(ids)
    rel = {s.article_id: s.relation for s in inc.sources}
    figures = []
    for rng in (inc.killed, inc.injured):
        marks = {"low": rng.low_figure, "best": rng.best_figure, "high": rng.high_figure}
        why = {e.figure_id: e.reason for e in rng.excluded}
        for fig in rng.figures:
            bounds = [b for b, fid in marks.items() if fid == fig.id]
            figures.append(_figure_row(fig, bounds, fig.id in rng.independent_figures, arts.get(fig.article_id),
                                       rel.get(fig.article_id), why.get(fig.id)))
    claims = [_claim_row(c, arts.get(c.article_id)) for c in inc.claims]
    shown = ids[:MAX_ACCOUNTS]
    mentions = store.mentions(shown)
    spans = store.spans(shown)
    accounts = [
        {
            "article": article_meta(arts[aid]), "relation": rel[aid],
            "copied_from": next((s.copied_from for s in inc.sources if s.article_id == aid), None),
            "text": arts[aid].text, "spans": _spans(spans.get(aid, [])), "sentences": _sentences(mentions.get(aid)),
        }
        for aid in shown if aid in arts
    ]
    labels = {a: (arts[a].outlet or arts[a].title or a) if a in arts else a for a in ids}
    disagreements = [
        {"field": d.field, "values": [
            {"value": v.value, "speakers": v.speakers,
             "articles": [{"id": a, "label": labels.get(a, a)} for a in v.article_ids]}
            for v in d.values
        ]}
        for d in inc.disagreements
    ]
    shares = {(link.source_id, link.target_id): link.share for link in store.reuse_links_touching(ids)}
    return {
        "incident": record,
        "figures": figures,
        "claims": claims,
        "disagreements": disagreements,
        "accounts": accounts,
        "accounts_total": len(ids),
        "timeline": _timeline(record["articles"], figures, claims),
        "toll_chart": toll_chart(record["toll_timeline"]),
        "relations": relations(record["articles"], shares),
        "exports": {fmt: f"/incidents/{inc.id}/export.{fmt}" for fmt in ("json", "csv", "geojson", "acled", "ucdp")},
        "place": {
            "name": inc.location.name if inc.location else None, "written": written_name(inc),
            "names": [{"name": name, "kind": kind} for name, kind in store.place_names(inc.id)],
        },
    }


def articles_view(store: Store, path: str, f: Filters, sort: str, page: int, per_page: int) -> dict[str, Any]:
    """``/articles``: one page of the articles matching the filters, with search snippets."""
    found = store.article_page(f, sort, page, per_page)
    params = {**f.as_dict(), "sort": sort, "per_page": per_page}
    origins = store.articles_by_id(sorted({r.copied_from for r in found.rows if r.copied_from}))
    rows = []
    for row in found.rows:
        entry = article_meta(row.article)
        origin = origins.get(row.copied_from or "")
        entry.update({"incident_id": row.incident_id, "relation": row.relation, "copied_from": row.copied_from,
                      "copied_from_article": origin is not None,
                      "copied_from_label": (origin.outlet or origin.title or origin.id) if origin else row.copied_from,
                      "snippet": row.snippet})
        rows.append(entry)
    return {
        "filters": f.as_dict(), "sort": sort, "page": page, "per_page": per_page,
        "total": found.total, "pages": found.pages, "links": page_links(path, params, page, found.pages),
        "articles": rows,
    }


def article_view(store: Store, article_id: str) -> dict[str, Any] | None:
    """``/articles/{id}``: the text with its evidence, metadata, credits, the incident it feeds, reuse."""
    art = store.article(article_id)
    if art is None:
        return None
    member = store.story_membership(article_id)
    mention = store.mentions([article_id]).get(article_id)
    incident = store.incident(member["incident_id"], prefix=False) if member and member["incident_id"] else None
    links = store.reuse_links_touching([article_id])
    others = store.articles_by_id(sorted({x for link in links for x in (link.source_id, link.target_id)}))

    def label(aid: str) -> str:
        other = others.get(aid)
        return (other.outlet or other.title or aid) if other else aid

    copied = member["copied_from"] if member else None
    relation = member["relation"] if member else None
    bounds: dict[str, list[str]] = {}
    independent: set[str] = set()
    for rng in (incident.killed, incident.injured) if incident else ():
        independent.update(rng.independent_figures)
        for bound, fid in (("low", rng.low_figure), ("best", rng.best_figure), ("high", rng.high_figure)):
            if fid:
                bounds.setdefault(fid, []).append(bound)
    return {
        "article": {**article_meta(art), "status": art.status.value},
        "text": art.text,
        "relation": relation,
        "copied_from": copied,
        "copied_from_article": copied is not None and store.article(copied) is not None,
        "incidents": [incident_summary(incident)] if incident else [],
        "reuse": [
            {"source_id": link.source_id, "source": label(link.source_id), "target_id": link.target_id,
             "target": label(link.target_id), "share": round(link.share, 3)}
            for link in links
        ],
        "event_type": mention.event_type.code if mention and mention.event_type else None,
        "figures": [_figure_row(f, bounds.get(f.id, []), f.id in independent, art, relation)
                    for f in (mention.figures if mention else [])],
        "claims": [_claim_row(c, art) for c in (mention.claims if mention else [])],
        "framing": [{"term": fr.term, "category": fr.category, "text": fr.span.text,
                     "speaker": fr.speaker.name if fr.speaker else None} for fr in (mention.framing if mention else [])],
        "spans": _spans(store.spans([article_id])[article_id]),
        "sentences": _sentences(mention),
    }
