"""How the values of ``rashomon review set`` are read, and how a set value replaces the machine's."""

from __future__ import annotations

import pytest

from rashomon.geo.gazetteer import get_gazetteer
from rashomon.models import FigureRange, Incident
from rashomon.review.fields import BadValue, machine_value, parse_value, set_value
from tests.factories import GAO


def test_dates_places_types_sides_and_counts_are_read() -> None:
    assert parse_value("date", "2026-02-07") == {"start": "2026-02-07", "end": "2026-02-07", "precision": "day"}
    assert parse_value("date", "2026-02-01..2026-02-07/week") == {"start": "2026-02-01", "end": "2026-02-07",
                                                                  "precision": "week"}
    point = parse_value("place", "35.30, 40.29, Khasham")
    assert (point["name"], point["lat"], point["lon"], point["precision"]) == ("Khasham", 35.30, 40.29, "point")
    gulu = get_gazetteer().best("Gulu")
    assert gulu is not None and gulu.place.geonames_id
    by_id = parse_value("place", str(gulu.place.geonames_id))
    assert (by_id["name"], by_id["country_code"]) == (gulu.place.name, gulu.place.country_code)
    assert parse_value("event_type", "air_strike") == "air_strike"
    assert parse_value("side_a", "Group one; Group two;") == ["Group one", "Group two"]
    assert parse_value("killed_best", " 12 ") == 12


@pytest.mark.parametrize(("field", "text"), [
    ("date", "yesterday"), ("date", "2026-02-07..2026-02-01"), ("date", "2026-02-07/hour"),
    ("place", "95,10"), ("place", "somewhere"), ("place", "999999999999"), ("event_type", "picnic"),
    ("killed_best", "-3"), ("killed_best", "many"), ("colour", "red"),
])
def test_values_a_field_cannot_hold_are_refused(field: str, text: str) -> None:
    with pytest.raises(BadValue):
        parse_value(field, text)


def test_a_set_value_replaces_the_machines_which_stays_readable() -> None:
    inc = Incident(id="i1", story_id="s1", date_start=None, date_end=None, date_precision="unknown", location=GAO,
                   event_type=None, killed=FigureRange(low=5, best=5, high=7), injured=FigureRange())
    assert machine_value(inc, "killed_best") == 5
    raised = set_value(inc, "killed_best", 9)
    assert (raised.killed.low, raised.killed.best, raised.killed.high) == (5, 9, 9)
    assert (set_value(inc, "killed_best", 2).killed.low, inc.killed.best) == (2, 5)
    placed = set_value(inc, "place", parse_value("place", "16.27,-0.04,Bourem road"))
    assert placed.location is not None and placed.location.name == "Bourem road" and machine_value(inc, "place")["name"] == GAO.name
    typed = set_value(inc, "event_type", "shelling")
    assert typed.event_type is not None and typed.event_type.acled_sub_event_type
