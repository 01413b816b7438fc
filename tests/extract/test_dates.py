"""The ``rashomon_dates`` component and ``incident_date``.

Sentences are written for these tests; the two seed reports are read in place from the shared
folder (``RASHOMON_SHARED``) and never copied here.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from rashomon.extract import nlp as nlp_module
from rashomon.extract.dates.component import (
    DateFinder,
    date_parts,
    in_dateline,
    incident_date,
    latest_weekday,
    resolve_date_text,
)

COMPONENTS = ["rashomon_dates"]
THU = dt.date(2018, 2, 8)  # a Thursday
MON = dt.date(2018, 2, 12)  # a Monday


def build_pipeline(components: list[str] = COMPONENTS) -> Language:
    """``build_nlp`` with these components (the model and their modules alone while sibling
    component modules, written in parallel, are still missing)."""
    try:
        return nlp_module.build_nlp(components=components)
    except ImportError as exc:
        if exc.name != "rashomon.extract":
            raise
        import importlib

        import spacy

        for name in components:  # importing a component module registers its factory
            importlib.import_module("rashomon.extract." + name.removeprefix("rashomon_"))
        nlp_module.register_extensions()
        nlp = spacy.load(nlp_module.MODEL)
        for name in components:
            nlp.add_pipe(name)
        return nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def run(nlp: Language, text: str, published: dt.date | None = THU) -> Doc:
    return next(nlp_module.process(nlp, [("t1", text, published)]))


def resolved(text: str, published: dt.date | None = THU) -> tuple[str, str, str] | None:
    r = resolve_date_text(text, published)
    return None if r is None else (r.start.isoformat(), r.end.isoformat(), r.precision)


# ----------------------------------------------------------------------------- resolution rules

def test_bare_weekday_is_latest_on_or_before_publication() -> None:
    assert resolved("Wednesday") == ("2018-02-07", "2018-02-07", "day")
    assert resolved("Thursday") == ("2018-02-08", "2018-02-08", "day")  # the publication day itself
    assert resolved("Friday") == ("2018-02-02", "2018-02-02", "day")  # never after publication
    assert resolved("on Monday") == ("2018-02-05", "2018-02-05", "day")
    assert resolved("last Thursday") == ("2018-02-01", "2018-02-01", "day")
    assert latest_weekday(3, THU) == THU and latest_weekday(3, THU, skip_base=True) == dt.date(2018, 2, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("over Wednesday night", ("2018-02-07", "2018-02-07", "day")),
        ("late Tuesday", ("2018-02-06", "2018-02-06", "day")),
        ("early on Tuesday", ("2018-02-06", "2018-02-06", "day")),
        ("the early hours of Thursday", ("2018-02-08", "2018-02-08", "day")),
        ("the night of Wednesday to Thursday", ("2018-02-07", "2018-02-08", "day")),
        ("between Monday and Wednesday", ("2018-02-05", "2018-02-07", "day")),
        ("overnight", ("2018-02-07", "2018-02-08", "day")),
        ("overnight into Thursday", ("2018-02-07", "2018-02-08", "day")),
        ("yesterday", ("2018-02-07", "2018-02-07", "day")),
        ("last night", ("2018-02-07", "2018-02-07", "day")),
        ("two days ago", ("2018-02-06", "2018-02-06", "day")),
        ("last week", ("2018-01-29", "2018-02-04", "week")),
        ("this week", ("2018-02-05", "2018-02-11", "week")),
        ("last month", ("2018-01-01", "2018-01-31", "month")),
        ("earlier this month", ("2018-02-01", "2018-02-28", "month")),
        ("this year", ("2018-01-01", "2018-12-31", "year")),
        ("last year", ("2017-01-01", "2017-12-31", "year")),
        ("in September 2017", ("2017-09-01", "2017-09-30", "month")),
        ("mid-January", ("2018-01-01", "2018-01-31", "month")),
        ("the end of January", ("2018-01-01", "2018-01-31", "month")),
        ("2016-17", ("2016-01-01", "2017-12-31", "year")),
        ("2016", ("2016-01-01", "2016-12-31", "year")),
        ("Feb. 7", ("2018-02-07", "2018-02-07", "day")),
        ("7 February 2018", ("2018-02-07", "2018-02-07", "day")),
        ("Dec. 25", ("2017-12-25", "2017-12-25", "day")),  # a year-less date: the nearest year
        ("between 5 and 7 March", ("2018-03-05", "2018-03-07", "day")),  # 25 days ahead, not 11 months back
        ("5-7 February", ("2018-02-05", "2018-02-07", "day")),
        ("March 5-7, 2017", ("2017-03-05", "2017-03-07", "day")),
    ],
)
def test_resolution(text: str, expected: tuple[str, str, str]) -> None:
    assert resolved(text) == expected


@pytest.mark.parametrize(
    "text",
    ["three years", "for two days", "the past two weeks", "5 years", "37-year-old", "aged 40", "the same day",
     "two days later", "recent weeks", "decades", "the weekend", "the 1990s", "2pm", "annual"],
)
def test_durations_ages_and_vague_phrases_are_ignored(text: str) -> None:
    assert resolve_date_text(text, THU) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tuesday afternoon", "2018-02-06"),
        ("on Tuesday evening", "2018-02-06"),
        ("late Tuesday night", "2018-02-06"),
        ("early on Tuesday", "2018-02-06"),
        ("the morning of Tuesday", "2018-02-06"),
        ("late on the evening of Tuesday", "2018-02-06"),
        ("before dawn on Tuesday", "2018-02-06"),
        ("Tuesday at dawn", "2018-02-06"),
        ("Tuesday lunchtime", "2018-02-06"),
    ],
)
def test_parts_of_a_day_resolve_like_the_weekday(text: str, expected: str) -> None:
    assert resolved(text) == (expected, expected, "day")


def test_future_context_looks_forward() -> None:
    def forward(text: str) -> tuple[str, str, str] | None:
        r = resolve_date_text(text, THU, forward=True)
        return None if r is None else (r.start.isoformat(), r.end.isoformat(), r.precision)

    assert forward("Wednesday") == ("2018-02-14", "2018-02-14", "day")
    assert forward("Thursday") == ("2018-02-08", "2018-02-08", "day")  # the publication day itself
    assert forward("Monday morning") == ("2018-02-12", "2018-02-12", "day")
    assert forward("last Tuesday") == ("2018-02-06", "2018-02-06", "day")  # "last" wins
    assert forward("between Monday and Wednesday") == ("2018-02-12", "2018-02-14", "day")
    assert forward("Feb. 3") == ("2019-02-03", "2019-02-03", "day")  # a year-less date: the next one
    assert resolved("Feb. 3") == ("2018-02-03", "2018-02-03", "day")
    assert resolved("coming Saturday") == ("2018-02-10", "2018-02-10", "day")


def test_a_weekday_written_with_the_date_picks_the_year() -> None:
    # 14 February fell on a Wednesday in 2018, not in 2017 (the past-preferring default).
    assert resolved("Wednesday, Feb. 14") == ("2018-02-14", "2018-02-14", "day")


def test_month_of_last_year() -> None:
    assert resolved("September last year") == ("2017-09-01", "2017-09-30", "month")
    assert resolved("in March this year") == ("2018-03-01", "2018-03-31", "month")


def test_relative_flag_and_no_publication_date() -> None:
    r = resolve_date_text("7 February 2018", THU)
    assert r is not None and not r.relative
    r = resolve_date_text("Feb. 7", THU)
    assert r is not None and r.relative  # the year comes from the publication date
    assert resolve_date_text("Wednesday", None) is None
    assert resolve_date_text("Feb. 7", None) is None
    assert resolved("7 February 2018", None) == ("2018-02-07", "2018-02-07", "day")


def on(published: dt.date, text: str, **lean: bool) -> tuple[str, str] | None:
    r = resolve_date_text(text, published, **lean)
    return None if r is None else (r.start.isoformat(), r.precision)


def test_a_year_less_date_takes_the_nearest_year() -> None:
    dec = dt.date(1998, 12, 5)
    assert on(dec, "in April") == ("1999-04-01", "month")  # four months ahead, not eight back
    assert on(dec, "in April", past=True) == ("1998-04-01", "month")  # "was signed in April"
    assert on(dec, "Jan. 14") == ("1999-01-14", "day")
    assert on(dec, "Nov. 30") == ("1998-11-30", "day")
    # ahead counts 1.5 times: six months either way stays in the past
    assert on(dt.date(1999, 4, 19), "October") == ("1998-10-01", "month")
    assert on(dt.date(1999, 5, 6), "Oct. 23") == ("1998-10-23", "day")
    assert on(dec, "Nov. 30", forward=True) == ("1999-11-30", "day")  # forward: the next one


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        (THU, "tomorrow", ("2018-02-09", "day")),
        (THU, "later today", ("2018-02-08", "day")),
        (THU, "Earlier Friday", ("2018-02-02", "day")),
        (THU, "during the day Friday", ("2018-02-02", "day")),
        (dt.date(1999, 2, 6), "last October", ("1998-10-01", "month")),
        (dt.date(1999, 11, 6), "last October", ("1999-10-01", "month")),
        (dt.date(1999, 10, 6), "last October", ("1998-10-01", "month")),  # not the current month
        (dt.date(1999, 4, 19), "last Oct. 23", ("1998-10-23", "day")),
        (dt.date(2000, 1, 13), "last Nov.", ("1999-11-01", "month")),
        (THU, "next April", ("2018-04-01", "month")),
        (dt.date(2000, 1, 7), "Thanksgiving Day", ("1999-11-25", "day")),  # 4th Thursday of November
        (dt.date(2000, 2, 10), "last Thanksgiving", ("1999-11-25", "day")),
        (dt.date(1998, 10, 26), "Election Day", ("1998-11-03", "day")),  # Tuesday after the first Monday
        (dt.date(2000, 1, 7), "Christmas", ("1999-12-25", "day")),
        (dt.date(2000, 4, 17), "Easter", ("2000-04-23", "day")),
        (dt.date(2019, 3, 1), "Good Friday", ("2019-04-19", "day")),
        (dt.date(2000, 4, 17), "Easter week", ("2000-04-17", "week")),  # the ISO week holding Easter Sunday
        (dt.date(1999, 3, 12), "a decade ago", ("1989-01-01", "year")),
        (dt.date(1999, 3, 12), "almost four years ago", ("1995-01-01", "year")),
        (dt.date(1999, 3, 12), "early 1997", ("1997-01-01", "year")),
        (dt.date(2000, 2, 24), "the week of March 6", ("2000-03-06", "week")),
        (dt.date(2000, 2, 24), "the day before last Tuesday", ("2000-02-21", "day")),
        (dt.date(1998, 11, 21), "the night of Friday, Oct. 23", ("1998-10-23", "day")),
    ],
)
def test_more_expressions(published: dt.date, text: str, expected: tuple[str, str]) -> None:
    assert on(published, text) == expected


def test_lists_and_year_ranges_are_cut_into_parts() -> None:
    assert [p[2] for p in date_parts("between 1994 and 1997")] == ["1994", "1997"]
    assert [p[2] for p in date_parts("from 1991 to 1997")] == ["1991", "1997"]
    assert [p[2] for p in date_parts("1994, 1995 and")] == ["1994", "1995"]
    text = "April 24 and 25"
    parts = date_parts(text)
    assert [(text[s:e], p) for s, e, p in parts] == [("April 24", "April 24"), ("25", "April 25")]
    assert [p[2] for p in date_parts("May 5 and 6, 2017")] == ["May 5, 2017", "May 6, 2017"]
    assert date_parts("2016-2017") == [(0, 9, "2016-2017")]  # a compact range stays one
    assert date_parts("Wednesday") == [(0, 9, "Wednesday")]
    assert on(dt.date(1999, 2, 10), "April 25") == ("1999-04-25", "day")  # not 1925


# ----------------------------------------------------------------------------- the component

def test_component_finds_phrases_ner_misses(nlp: Language) -> None:
    doc = run(nlp, "Gunmen attacked the convoy on the night of Wednesday to Thursday, officials said. "
                   "Fighting resumed late Tuesday and lasted into the early hours of Friday.", MON)
    got = {d.span.text: (d.start.isoformat(), d.end.isoformat()) for d in doc._.dates}
    assert got["the night of Wednesday to Thursday"] == ("2018-02-07", "2018-02-08")
    assert got["late Tuesday"] == ("2018-02-06", "2018-02-06")
    assert got["the early hours of Friday"] == ("2018-02-09", "2018-02-09")
    for d in doc._.dates:
        assert doc.text[d.span.start:d.span.end] == d.span.text and d.span.article_id == "t1"


def test_component_skips_durations_and_keeps_context_dates(nlp: Language) -> None:
    doc = run(nlp, "The siege lasted three years. Rebels had taken the town in September 2017.")
    assert [(d.span.text, d.precision) for d in doc._.dates] == [("September 2017", "month")]


def test_component_without_publication_date(nlp: Language) -> None:
    doc = run(nlp, "The bombing on 7 February 2018 followed clashes on Wednesday.", None)
    assert [d.start.isoformat() for d in doc._.dates] == ["2018-02-07"]


# ----------------------------------------------------------------------------- incident date

def test_incident_date_prefers_violent_sentence(nlp: Language) -> None:
    doc = run(nlp, "The minister met the envoy on Monday. Three soldiers were killed in an ambush "
                   "on Tuesday.")
    chosen = incident_date(doc._.dates, doc)
    assert chosen is not None and chosen.span.text == "Tuesday" and chosen.start == dt.date(2018, 2, 6)


def test_incident_date_is_the_earliest_violent_day(nlp: Language) -> None:
    doc = run(nlp, "The government on Thursday condemned the air strikes. "
                   "Warplanes struck the village overnight on Tuesday, killing six people.")
    chosen = incident_date(doc._.dates, doc)
    assert chosen is not None and chosen.start == dt.date(2018, 2, 6)


def test_incident_date_never_takes_month_year_or_old_dates(nlp: Language) -> None:
    doc = run(nlp, "Rebels seized the town in September 2017. Clashes killed dozens there last year. "
                   "A bombing killed two people on 3 March 2016.")
    assert incident_date(doc._.dates, doc) is None


def test_incident_date_lookback_window(nlp: Language) -> None:
    doc = run(nlp, "A car bomb killed four people on 1 January 2018.")
    assert incident_date(doc._.dates, doc) is None  # 38 days before publication
    chosen = incident_date(doc._.dates, doc, lookback_days=60)
    assert chosen is not None and chosen.start == dt.date(2018, 1, 1)
    DateFinder(labels=["DATE"], use_extra_patterns=True, lookback_days=60)(doc)  # the component's config
    chosen = incident_date(doc._.dates, doc)
    assert chosen is not None and chosen.start == dt.date(2018, 1, 1)


def test_incident_date_falls_back_to_other_day_dates(nlp: Language) -> None:
    doc = run(nlp, "Talks between the parties were held on Tuesday.")
    chosen = incident_date(doc._.dates, doc)
    assert chosen is not None and chosen.start == dt.date(2018, 2, 6)
    assert incident_date([], doc) is None


def _dates(doc: Doc) -> dict[str, str]:
    return {d.span.text: d.start.isoformat() for d in doc._.dates}


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("Police said they would release the names on Friday.", "Friday", "2018-02-09"),
        ("The trial is due to resume on Monday.", "Monday", "2018-02-12"),
        ("The union plans to march on Saturday.", "Saturday", "2018-02-10"),
        ("The minister will visit the camp on Monday morning.", "Monday morning", "2018-02-12"),
        ("Funerals for the victims are expected on Sunday.", "Sunday", "2018-02-11"),
        # no future: the date belongs to a past verb or to a noun
        ("The government said on Tuesday it would send aid.", "Tuesday", "2018-02-06"),
        ("Officials will investigate the attack on Tuesday.", "Tuesday", "2018-02-06"),
        ("Witnesses said the gunmen would have fled on Sunday, not later.", "Sunday", "2018-02-04"),
    ],
)
def test_component_future_contexts(nlp: Language, text: str, span: str, expected: str) -> None:
    assert _dates(run(nlp, text))[span] == expected


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("The delegation planned to leave the capital on Friday.", "Friday", "2018-02-09"),
        ("The farmers planned a march through the city on Saturday.", "Saturday", "2018-02-10"),
        ("On Tuesday, the council planned to reopen the bridge.", "Tuesday", "2018-02-06"),  # the planning's
        ("The hearing was postponed until Monday morning.", "Monday morning", "2018-02-12"),
        ("The envoy could arrive as early as Saturday, aides said.", "Saturday", "2018-02-10"),
        ("The court said the boy must be returned to his mother by Feb. 15.", "Feb. 15", "2018-02-15"),
        ("The fighting did not stop until Tuesday.", "Tuesday", "2018-02-06"),  # past: no future
    ],
)
def test_component_more_future_cues(nlp: Language, text: str, span: str, expected: str) -> None:
    assert _dates(run(nlp, text))[span] == expected


def test_component_past_tense_keeps_a_year_less_date_back(nlp: Language) -> None:
    may = dt.date(2018, 5, 6)
    assert _dates(run(nlp, "The mayor was shot on the night of Nov. 20 at his home.", may))["Nov. 20"] \
        == "2017-11-20"
    assert _dates(run(nlp, "The ministers will meet again on Nov. 20.", may))["Nov. 20"] == "2018-11-20"
    sep = dt.date(2018, 9, 1)  # no tense to go by: the nearest year
    doc = run(nlp, "Delegates prepared for the Nov. 20 summit.", sep)
    assert [d.start.isoformat() for d in doc._.dates if "Nov. 20" in d.span.text] == ["2018-11-20"]


def test_component_finds_holidays_days_and_year_lists(nlp: Language) -> None:
    jan = dt.date(2018, 1, 9)
    doc = run(nlp, "The fishermen found the raft on Thanksgiving Day. Talks resume tomorrow. "
                   "The number of clinics fell between 1994 and 1997, the Dec. 4 report said.", jan)
    got = _dates(doc)
    assert got["Thanksgiving Day"] == "2017-11-23"
    assert got["tomorrow"] == "2018-01-10"
    assert got["1994"] == "1994-01-01" and got["1997"] == "1997-01-01"
    assert got["Dec. 4"] == "2017-12-04"


def test_todays_youth_is_not_a_date(nlp: Language) -> None:
    doc = run(nlp, "The struggle is a lesson for today's youth, the minister said today.")
    assert [(d.span.text, d.start.isoformat()) for d in doc._.dates] == [("today", "2018-02-08")]


def test_a_dateline_is_kept_but_never_the_incident_date(nlp: Language) -> None:
    doc = run(nlp, "KABUL, February 7 (Xinhua) -- Officials condemned the violence in the north "
                   "on Thursday.\n\nNo one has claimed the bombing.", THU)
    line = next(d for d in doc._.dates if d.span.text == "February 7")
    assert line.start == dt.date(2018, 2, 7) and in_dateline(line, doc)
    chosen = incident_date(doc._.dates, doc)
    assert chosen is not None and chosen.span.text == "Thursday"


def test_incident_date_skips_a_future_weekday(nlp: Language) -> None:
    tue = dt.date(2018, 2, 6)
    doc = run(nlp, "Police fired on protesters in the town square on Tuesday afternoon, and two people were "
                   "killed. Rights groups said they were counting the dead and injured and would publish "
                   "their findings on Wednesday.", tue)
    assert _dates(doc)["Wednesday"] == "2018-02-07"  # forward, not 2018-01-31
    chosen = incident_date(doc._.dates, doc)
    assert chosen is not None and chosen.span.text == "Tuesday afternoon" and chosen.start == tue


def test_incident_date_skips_a_future_date_on_the_publication_day(nlp: Language) -> None:
    doc = run(nlp, "Three soldiers were killed in an ambush last Sunday. "
                   "The army will hold a funeral for the dead soldiers on Thursday.")
    assert _dates(doc)["Thursday"] == "2018-02-08"
    chosen = incident_date(doc._.dates, doc)
    assert chosen is not None and chosen.start == dt.date(2018, 2, 4)


def test_a_day_after_dates_the_event_after_it(nlp: Language) -> None:
    doc = run(nlp, "Villagers buried their dead on Wednesday, a day after an air strike hit the market.")
    assert _dates(doc)["a day after"] == "2018-02-06"
    chosen = incident_date(doc._.dates, doc)
    assert chosen is not None and chosen.span.text == "a day after"


def test_a_day_after_a_peaceful_event_is_not_the_incident(nlp: Language) -> None:
    doc = run(nlp, "Rebels attacked the town on Friday, two days after the talks collapsed.")
    assert _dates(doc)["two days after"] == "2018-01-31"
    chosen = incident_date(doc._.dates, doc)
    assert chosen is not None and chosen.span.text == "Friday" and chosen.start == dt.date(2018, 2, 2)


def test_config_can_drop_extra_patterns(nlp: Language) -> None:
    doc = run(nlp, "The coalition killed at least 30 fighters over Wednesday night.")
    assert [d.span.text for d in doc._.dates] == ["Wednesday night"]
    DateFinder(labels=["DATE"], use_extra_patterns=False)(doc)
    assert "Wednesday night" not in [d.span.text for d in doc._.dates]


# ----------------------------------------------------------------------------- seeds

def _strip_markdown(text: str) -> str:
    return re.sub(r"\*\*(.*?)\*\*", r"\1", re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text))


@pytest.mark.shared
def test_seeds_incident_dates(nlp: Language, seeds_dir: Path) -> None:
    texts = {p.name[:3]: _strip_markdown(p.read_text("utf-8")) for p in seeds_dir.glob("00[04]_*.txt")}
    items = [("004", texts["004"], THU), ("000", texts["000"], MON)]
    docs = {doc._.article_id: doc for doc in nlp_module.process(nlp, items)}

    chosen = incident_date(docs["004"]._.dates, docs["004"])
    assert chosen is not None and "Wednesday" in chosen.span.text
    assert chosen.start == dt.date(2018, 2, 7) and chosen.precision == "day"

    chosen = incident_date(docs["000"]._.dates, docs["000"])
    assert chosen is not None and chosen.span.text == "the night of Wednesday to Thursday"
    assert (chosen.start, chosen.end) == (dt.date(2018, 2, 7), dt.date(2018, 2, 8))

    other = {d.span.text: d for d in docs["000"]._.dates}
    assert other["September 2017"].precision == "month"
    assert {d.precision for d in docs["004"]._.dates if d.span.text == "last year"} == {"year"}
