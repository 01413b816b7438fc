"""An incident's reports as the field's formats count them: outlets by name (originals first) and the
number of independent sources (a republication or rewrite is not a second source)."""

from __future__ import annotations

import csv
import io
from typing import Any

from rashomon.models import Incident, SourceInfo

# Originals and independent reports first, then what was copied from them.
RELATION_ORDER = {"original": 0, "independent": 1, "rewrite": 2, "republication": 3}
COPIES = ("republication", "rewrite")


def report_order(s: SourceInfo) -> tuple[int, str, str]:
    return RELATION_ORDER.get(s.relation, 1), s.published.isoformat() if s.published else "9999", s.article_id


def ordered_outlets(inc: Incident) -> list[str]:
    """The outlets that reported the incident, each once: originals before republications, then by date.

    A report without an outlet is left out (never its article id); an original that is not in the store
    but named by a republication ("The original source of this article is X") comes before the republication.
    """
    names: list[str] = []
    ids = {x.article_id for x in inc.sources}
    for s in sorted(inc.sources, key=report_order):
        upstream = s.original_source or (s.copied_from if s.copied_from and s.copied_from not in ids else None)
        for name in (upstream, s.outlet) if s.relation in COPIES else (s.outlet,):
            if name and name.strip() and name.strip() not in names:
                names.append(name.strip())
    return names


def _origin(s: SourceInfo, by_id: dict[str, SourceInfo], depth: int = 0) -> str:
    """What a report stands for as a source: the report it was copied from (followed up the chain), the
    outlet it names as its original, or itself (its outlet, else its article)."""
    if s.relation in COPIES and s.copied_from and depth < 20:
        parent = by_id.get(s.copied_from)
        if parent is not None and parent.article_id != s.article_id:
            return _origin(parent, by_id, depth + 1)
        return "outlet:" + s.copied_from.strip().casefold()
    if s.relation in COPIES and s.original_source:
        return "outlet:" + s.original_source.strip().casefold()
    return "outlet:" + s.outlet.strip().casefold() if s.outlet and s.outlet.strip() else "article:" + s.article_id


def independent_sources(inc: Incident) -> int:
    """How many independent sources report the incident: reports of one outlet count once, and a
    republication or rewrite counts as the source it copied, not as another one."""
    by_id = {s.article_id: s for s in inc.sources}
    return len({_origin(s, by_id) for s in inc.sources})


def csv_text(columns: list[str], rows: list[dict[str, Any]]) -> str:
    """Rows as CSV text with a header line, in the given column order."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
