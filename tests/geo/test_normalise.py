"""Name normalisation for gazetteer keys."""

from __future__ import annotations

from rashomon.geo import normalise
from rashomon.geo.admin1 import robust_centre


def test_fold_strips_case_diacritics_and_punctuation() -> None:
    assert normalise.fold("Khushām") == "khusham"
    assert normalise.fold("Ma‘arrat an-Nu‘mān") == "maarrat an numan"
    assert normalise.fold("Łódź") == "lodz"
    assert normalise.fold("U.S.") == "us"
    assert normalise.fold("Sana'a") == "sanaa"


def test_spellings_of_deir_ez_zor_share_a_key() -> None:
    assert normalise.key("Deir ez-Zor") == normalise.key("Deir Ezzor") == normalise.key("DEIR EZ ZOR")
    assert "deirzour" in normalise.keys("Deir al-Zour")


def test_article_words_give_a_second_key() -> None:
    assert normalise.keys("Al-Raqqa") == ("alraqqa", "raqqa")
    assert normalise.keys("Aleppo") == ("aleppo",)


def test_batch_keys_match_single_keys_and_decode_escapes() -> None:
    groups = [("Deir ez-Zor", "Dayr az Zawr"), ("Khush\\u0101m",)]
    found = list(normalise.batch_keys(groups, escaped=True))
    assert found[0] == set(normalise.keys("Deir ez-Zor")) | set(normalise.keys("Dayr az Zawr"))
    assert found[1] == {"khusham"}


def test_strip_admin_words() -> None:
    assert normalise.strip_admin("Belgorod Oblast") == "belgorod"
    assert normalise.strip_admin("Deir Ezzor province") == "deirezzor"
    assert normalise.strip_admin("Province") == "province"


def test_robust_centre_ignores_far_outliers() -> None:
    lats = [-33.0 - i / 10 for i in range(30)] + [-27.1]  # a coast, and one island far away
    lons = [-71.0 - i / 100 for i in range(30)] + [-109.4]
    lat, lon = robust_centre(lats, lons)
    assert -35.0 < lat < -33.0
    assert -72.0 < lon < -70.5
