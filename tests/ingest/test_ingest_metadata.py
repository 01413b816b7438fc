"""Shared metadata helpers: dates, explicit metadata, cleaning, original source, credits, bylines."""

from __future__ import annotations

import datetime as dt

import pytest

from rashomon.ingest.attribution import (
    agencies,
    find_credits,
    find_original_source,
    parse_byline,
    wire_dateline,
    wire_source,
)
from rashomon.ingest.metadata import MetadataError, clean_text, metadata_from_mapping, parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-02-08", (dt.date(2018, 2, 8), "day")),
        ("2018-02-08T23:30:00-05:00", (dt.date(2018, 2, 8), "day")),  # the date as written, no tz shift
        ("2018-02-08T10:00:00Z", (dt.date(2018, 2, 8), "day")),
        ("2018-02", (dt.date(2018, 2, 1), "month")),
        ("2018", (dt.date(2018, 1, 1), "year")),
        ("Mon, 12 Feb 2018 10:00:00 +0000", (dt.date(2018, 2, 12), "day")),
        ("Mon, February 12, 2018", (dt.date(2018, 2, 12), "day")),
        ("8 February 2018", (dt.date(2018, 2, 8), "day")),
        ("February 2018", (dt.date(2018, 2, 1), "month")),
        (dt.date(2020, 1, 2), (dt.date(2020, 1, 2), "day")),
        (dt.datetime(2020, 1, 2, 3, 4), (dt.date(2020, 1, 2), "day")),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value", ["yesterday", "February 12", "someday", "", "2018-13", 2018, None, "x" * 200]
)
def test_parse_date_refuses_non_dates(value):
    assert parse_date(value) is None


def test_metadata_from_mapping_validates():
    meta = metadata_from_mapping(
        {"title": "  A   title ", "published": "2019-07-01", "extra": 3, "outlet": None}
    )
    assert meta.title == "A title" and meta.published == dt.date(2019, 7, 1) and meta.outlet is None
    with pytest.raises(MetadataError, match="field 'title' must be a string, not list"):
        metadata_from_mapping({"title": ["x"]})
    with pytest.raises(MetadataError, match="field 'language'"):
        metadata_from_mapping({"language": "English!"})


def test_clean_text_is_idempotent():
    raw = "A  [link](http://x.example)  and __strong__ words\n\n\n\nnext  paragraph **x**\n"
    once = clean_text(raw)
    assert once == "A link and strong words next paragraph x"
    assert clean_text(once) == once


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("The original source of this article is Harbour Post", "Harbour Post"),
        ("Originally published by The Lantern.", "The Lantern"),
        ("This article first appeared on Field Notes on May 3, 2019.", "Field Notes"),
        (
            "This story was originally published in Coastline Weekly, and is reprinted here.",
            "Coastline Weekly",
        ),
        ("This article is republished from The Quarterly under a Creative Commons license.", "The Quarterly"),
        ("Reprinted with permission from Ridge Daily.", "Ridge Daily"),
        ("The video first appeared on social media on Tuesday.", None),
        ("Officials said the road was originally built in 1990.", None),
    ],
)
def test_original_source(line, expected):
    assert find_original_source(f"Some report text here.\n\n{line}\n") == expected


def test_credits_in_dateline_and_phrases():
    text = (
        "HARBOUR CITY (AFP) - Ferries stopped on Monday, port officials said. "
        "The navy sent two boats, Reuters reported, and a harbour pilot told the Associated Press "
        "that the storm was the worst in years. According to Xinhua, trade was halted."
    )
    assert find_credits(text) == ["AFP", "Reuters", "AP", "Xinhua"]
    assert wire_dateline(text) == "AFP"


def test_credit_after_dash_and_combined_parens():
    assert find_credits("HARBOUR CITY, March 2 — Reuters — Ferries stopped.") == ["Reuters"]
    assert find_credits("HARBOUR CITY (Reuters/dpa) - Ferries stopped.") == ["Reuters", "dpa"]


def test_wire_source_from_the_lead_paragraph():
    lead = (
        "Heavy rain flooded three districts of the port city on Monday and two people died, Reuters reported."
    )
    assert wire_source(f"Floods hit port city\n\n{lead}\n\nMore text.") == "Reuters"
    late = "Officials gave no toll for the floods that hit three districts of the port city on Monday."
    assert wire_source(f"{late}\n\nA harbour official told Reuters that two people died.") is None
    assert find_credits(f"{late}\n\nA harbour official told Reuters that two people died.") == ["Reuters"]


def test_no_false_credits():
    text = (
        "Forces of the Syrian Democratic Forces (SDF) said the shelling hit 500 metres (yards) away. "
        "Officials told Petra Novak, a resident, to leave. " + "Filler sentence. " * 30 + "(Reuters)"
    )
    assert find_credits(text) == []  # ambiguous names need a credit position; late parens do not count
    assert wire_dateline(text) is None


def test_agency_list_is_loaded():
    table = agencies()
    assert table.canonical["Agence France-Presse"] == "AFP"
    assert table.canonical["Associated Press"] == "AP"
    for name in (
        "Reuters",
        "dpa",
        "Xinhua",
        "ANSA",
        "EFE",
        "Anadolu",
        "TASS",
        "SANA",
        "IRNA",
        "PTI",
        "UNI",
        "Yonhap",
        "Kyodo",
        "Bernama",
    ):
        assert table.canonical[name] == name


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("By Jane Doe", ("Jane Doe", ())),
        ("By Jane Doe and John Roe, Reuters", ("Jane Doe and John Roe", ("Reuters",))),
        ("Jane Doe; Reuters", ("Jane Doe", ("Reuters",))),
        ("Jane Doe for Agence France-Presse", ("Jane Doe", ("AFP",))),
        ("By Jane Doe, Staff Writer", ("Jane Doe, Staff Writer", ())),
        ("By AFP", ("AFP", ("AFP",))),
    ],
)
def test_parse_byline(byline, expected):
    assert parse_byline(byline) == expected


_MIDDLE = "\n\n" + "Traders reopened their stalls on Monday under guard. " * 10  # past the lead's 300 characters


@pytest.mark.parametrize(("text", "agency"), [
    ("AFP, Mopti :\nGunmen killed nine herders near a well on Sunday, local officials said.", "AFP"),
    (f"Gunmen killed nine herders near a well on Sunday.{_MIDDLE}\n\nThe army gave no toll. — Reuters", "Reuters"),
    (f"Gunmen killed nine herders near a well on Sunday.{_MIDDLE}\n\nThe army gave no toll.\n\nReuters", "Reuters"),
    (f"Gunmen killed nine herders near a well on Sunday.{_MIDDLE}\n\nThe army gave no toll (AP).", "AP"),
    (f"Gunmen killed nine herders near a well on Sunday.{_MIDDLE}\n\nThe army gave no toll, said Musa Kone", None),
    ("Mopti, Mali: Gunmen killed nine herders near a well on Sunday.", None),  # a place, not an agency
    (f"Gunmen killed nine herders.{_MIDDLE}\n\nThe shop stood near the old fort (Mopti).", None),
])
def test_agency_copy_credited_before_the_place_or_at_the_end(text, agency):
    assert wire_source(text) == agency


def test_read_more_on_names_the_original_outlet():
    assert find_original_source("Gunmen killed nine herders.\n\nRead more on Radio Delta Sahel.") == "Radio Delta Sahel"
    assert find_original_source("Gunmen killed nine herders.\n\nRead more on our website.") is None
