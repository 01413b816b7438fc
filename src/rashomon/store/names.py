"""Every name the store knows for an incident's place (migration ``0004_failures_and_place_names``):
the gazetteer's name, its ASCII form, the names the reports wrote and GeoNames' alternate names
(:func:`rashomon.geo.spellings.place_names`), each with its match key, so that search and the place
filter find an incident by any of them (:mod:`rashomon.store.queries`)."""

from __future__ import annotations

from typing import Any

from rashomon.models import Incident


class PlaceNames:
    """Writes and reads of ``incident_names``, mixed into every store."""

    conn: Any

    def _forget_names(self, story_id: str) -> None:
        self.conn.execute(
            "DELETE FROM incident_names WHERE incident_id IN (SELECT id FROM incidents WHERE story_id = ?)",
            (story_id,),
        )

    def _save_names(self, inc: Incident) -> None:
        from rashomon.geo.spellings import name_key, place_names

        # An id can come back under another story (an undone merge): its old names go first.
        self.conn.execute("DELETE FROM incident_names WHERE incident_id = ?", (inc.id,))
        written = [span.text for span in inc.location_evidence]
        rows = [(inc.id, name, name_key(name), kind) for name, kind in place_names(inc.location, written)]
        if rows:
            self.conn.executemany("INSERT INTO incident_names VALUES (?, ?, ?, ?)", rows)

    def place_names(self, incident_id: str) -> list[tuple[str, str]]:
        """(name, kind) of every name of the incident's place, in this order of kind: ``gazetteer``,
        ``ascii``, ``written``, ``alternate`` (each by name)."""
        rows = self.conn.execute(
            "SELECT name, kind FROM incident_names WHERE incident_id = ? ORDER BY CASE kind WHEN 'gazetteer' THEN 0 "
            "WHEN 'ascii' THEN 1 WHEN 'written' THEN 2 ELSE 3 END, name",
            (incident_id,),
        ).fetchall()
        return [(r[0], r[1]) for r in rows]
