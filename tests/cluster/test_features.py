"""Pair scores: hard limits on date, place and country; near-copies link regardless."""

from tests.factories import GAO, KANO, article, mention

from rashomon.cluster.features import features_of, haversine_km, pair_score
from rashomon.settings import ClusterSettings

CFG = ClusterSettings()
T1 = "Gunmen attacked a market in the town on Sunday, killing eleven traders, the governor said."
T2 = "Eleven traders died when gunmen raided the market on Sunday, according to the governor."


def test_same_place_and_day_link():
    a, b = article(T1, "2025-05-04"), article(T2, "2025-05-05", outlet="Other")
    fa = features_of(a, mention(a, "2025-05-04", GAO))
    fb = features_of(b, mention(b, "2025-05-04", GAO))
    assert pair_score(fa, fb, CFG) >= CFG.link_threshold


def test_far_apart_days_never_link():
    a, b = article(T1, "2025-05-04"), article(T2, "2025-06-04", outlet="Other")
    fa = features_of(a, mention(a, "2025-05-04", GAO))
    fb = features_of(b, mention(b, "2025-06-01", GAO))
    assert pair_score(fa, fb, CFG) == 0.0


def test_other_country_never_links_unless_near_copy():
    a, b = article(T1, "2025-05-04"), article(T2, "2025-05-04", outlet="Other")
    assert pair_score(features_of(a, mention(a, "2025-05-04", GAO)),
                      features_of(b, mention(b, "2025-05-04", KANO)), CFG) == 0.0
    c = article(T1 + " (republished)", "2025-05-04", outlet="Copy")
    assert pair_score(features_of(a, mention(a, "2025-05-04", GAO)),
                      features_of(c, mention(c, "2025-05-04", KANO)), CFG) >= CFG.link_threshold


def test_haversine():
    assert round(haversine_km(GAO.lat, GAO.lon, KANO.lat, KANO.lon)) in range(1000, 1080)
