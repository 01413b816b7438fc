"""Counties, hand-kept centres, old names, known-toponym fallbacks and spatial coherence."""

from __future__ import annotations

import pytest

from rashomon.geo import Gazetteer, PlaceContext, distance_km, get_gazetteer
from rashomon.geo.coherence import choose
from rashomon.geo.toponym import document_focus, embedded_place, resolve_toponym
from rashomon.models import Place


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return get_gazetteer()


def test_us_counties_resolve_with_their_state(g: Gazetteer) -> None:
    best = g.best("Metcalfe County", fuzzy=False)
    assert best is not None and best.kind == "county"
    assert best.place.admin1 == "Kentucky" and best.place.country_code == "US"
    assert distance_km(best.place.lat, best.place.lon, 37.0, -85.6) < 40
    abbreviated = g.best("Metcalfe Co.", fuzzy=False)
    assert abbreviated is not None and abbreviated.row == best.row
    # a state named after the comma picks among same-named counties
    hinted = g.best("Washington County", admin1_hint="Oregon", fuzzy=False)
    assert hinted is not None and hinted.place.admin1 == "Oregon"


def test_british_and_irish_counties(g: Gazetteer) -> None:
    context = PlaceContext()
    context.add_country("GB")
    kent = g.best("Kent", context=context, fuzzy=False)
    assert kent is not None and kent.kind == "county" and kent.place.admin1 == "England"
    mayo = g.best("Co. Mayo", fuzzy=False)
    assert mayo is not None and mayo.place.country_code == "IE"


def test_hand_kept_admin1_centres_and_abbreviations(g: Gazetteer) -> None:
    ontario = g.best("Ont.", fuzzy=False)
    assert ontario is not None and ontario.place.name == "Ontario" and ontario.kind == "admin1"
    assert (ontario.place.lat, ontario.place.lon) == (50.0, -85.5)


def test_a_populous_province_wins_its_bare_name_a_city_otherwise(g: Gazetteer) -> None:
    quebec = g.best("Quebec", fuzzy=False)
    assert quebec is not None and quebec.kind == "admin1"
    aleppo = g.best("Aleppo", fuzzy=False)
    assert aleppo is not None and aleppo.kind == "city"


def test_old_names_yield_to_real_towns_of_that_name(g: Gazetteer) -> None:
    salisbury = g.best("Salisbury", fuzzy=False)
    assert salisbury is not None and salisbury.place.country_code != "ZW"
    bombay = g.best("Bombay", fuzzy=False)
    assert bombay is not None and bombay.place.name == "Mumbai"


def test_resolve_toponym_demonyms_embedded_names_and_focus(g: Gazetteer) -> None:
    context = PlaceContext()
    context.add_country("CA")
    canadian = resolve_toponym(g, "Canadian", g.best("Canadian", fuzzy=False), context)
    assert canadian is not None and canadian.country_code == "CA" and canadian.feature == "country"
    campus = embedded_place(g, "University of Manitoba", context)
    assert campus is not None and campus.name == "Manitoba"
    focus = Place(name="Brandon", lat=49.85, lon=-99.95, country_code="CA", feature="city", precision="city")
    assert embedded_place(g, "Royal Street", context) is None
    assert resolve_toponym(g, "Royal Street", None, context, focus) == focus


def test_document_focus_prefers_the_most_mentioned_town_of_the_dominant_country() -> None:
    def town(name: str, cc: str, lat: float) -> Place:
        return Place(name=name, lat=lat, lon=0.0, country_code=cc, feature="city", precision="city")

    context = PlaceContext()
    context.add_country("CA", 3)
    context.add_country("FR", 1)
    places = [town("Lyon", "FR", 45.7), town("Lyon", "FR", 45.7), town("Regina", "CA", 50.4),
              town("Regina", "CA", 50.4), town("Moose Jaw", "CA", 50.3)]
    focus = document_focus(places, context)
    assert focus is not None and focus.name == "Regina"
    assert document_focus([]) is None


def test_coherence_moves_neighbouring_names_together(g: Gazetteer) -> None:
    names = ["Edmonton", "Enfield", "Tottenham"]
    options = [g.lookup(n, fuzzy=False) for n in names]
    assert options[0][0].place.country_code == "CA"  # alone, Edmonton is the Canadian city
    chosen = choose(names, options)
    assert all(c is not None and c.place.country_code == "GB" for c in chosen)
