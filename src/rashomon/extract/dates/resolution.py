"""Resolution of one date expression's text against the publication date.

Only the expression is read (never the whole article: dateparser reads "We" as Wednesday).
Which way an undated expression leans is the caller's: ``forward`` (a future or intended
context), ``past`` (a past-tense context) or neither.

* a bare weekday is the latest such day on or before publication (the publication day itself
  counts); "last <weekday>" skips the publication day; parts of the day ("Tuesday afternoon",
  "late Tuesday", "earlier Friday", "the morning of Tuesday", "before dawn on Tuesday") resolve
  like the weekday; forward, a weekday is the earliest such day on or after publication;
* a year-less date ("Jan. 14", "in April", "Thanksgiving Day") takes the year that puts it
  nearest the publication date; forward the next one, past the latest one on or before
  publication; "last October"/"last Thanksgiving" the latest one strictly before it, "next
  April" the first one after it;  a year-less date written with its weekday ("Wednesday,
  July 9") takes the nearest year in which that date falls on that weekday;
* "today", "tomorrow", "yesterday", "last night", "N days ago" are days; "last week"/"this week"
  and "the week of March 6" weeks (Monday to Sunday); "last month", "in September 2017",
  "September last year" months; "last year", "this year", "2016", "early 1997", "a decade ago"
  years;
* ranges ("between 5 and 7 March", "the night of Wednesday to Thursday") give start and end;
* durations ("three years", "for two days"), ages, vague phrases and times of day alone are
  ignored (None).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, cast

from dateparser.date import DateDataParser
from dateutil.easter import EASTER_WESTERN, easter
from dateutil.relativedelta import relativedelta

from rashomon.extract.text.lexicon import read_pattern_file
from rashomon.models import Precision

__all__ = ["Resolved", "holiday_names", "latest_weekday", "lexicon", "resolve_date_text"]

Lean = Literal["forward", "past", "nearest"]

WEEKDAYS = {"monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2, "weds": 2,
            "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
            "sunday": 6, "sun": 6}
MONTHS = {name: i for i, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
        r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_ORD = r"(?:st|nd|rd|th)?"
_PART = r"(?:night|evening|morning|afternoon|midday|noon|lunchtime|dawn|daybreak)"  # after a weekday
_MOMENT = r"(?:dawn|daybreak|first light|sunrise|midday|noon|midnight|dusk|nightfall)"  # "before dawn on"
_UNITS = {"day", "days", "week", "weeks", "month", "months", "year", "years", "decade", "decades",
          "hour", "hours", "minute", "minutes", "fortnight", "century", "centuries"}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
# A year-less date with no tense to go by takes the nearest year, days ahead of publication
# counting this many times ("the summit in April" in December: next April; "the October
# slaying" in April: last October).
AHEAD_WEIGHT = 1.5


@dataclass(frozen=True)
class Resolved:
    """A resolved date expression."""

    start: dt.date
    end: dt.date
    precision: Precision
    relative: bool


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The word lists of ``patterns/dates.json``."""
    data: dict[str, Any] = json.loads(read_pattern_file("dates.json"))
    return data


def holiday_names() -> list[str]:
    """The holiday names of the lexicon, longest first (for a regex alternation)."""
    return sorted(lexicon()["holidays"], key=len, reverse=True)


@lru_cache(maxsize=256)
def _parser(base: dt.date | None, prefer: str) -> DateDataParser:
    settings: dict[str, Any] = {"PREFER_DATES_FROM": prefer, "RETURN_TIME_AS_PERIOD": True}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    return DateDataParser(languages=["en"], settings=settings)


def _period(day: dt.date, precision: Precision, relative: bool) -> Resolved:
    """The whole week/month/year containing ``day`` (or the day itself)."""
    if precision == "week":
        start = day - dt.timedelta(days=day.weekday())
        return Resolved(start, start + dt.timedelta(days=6), "week", relative)
    if precision == "month":
        last = monthrange(day.year, day.month)[1]
        return Resolved(day.replace(day=1), day.replace(day=last), "month", relative)
    if precision == "year":
        return Resolved(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), "year", relative)
    return Resolved(day, day, "day", relative)


def latest_weekday(weekday: int, base: dt.date, *, skip_base: bool = False) -> dt.date:
    """The latest ``weekday`` on or before ``base`` (strictly before it with ``skip_base``)."""
    delta = (base.weekday() - weekday) % 7
    if delta == 0 and skip_base:
        delta = 7
    return base - dt.timedelta(days=delta)


def _month_number(name: str) -> int:
    return MONTHS[name.strip(".")[:3]]


def _pick_year(make: Callable[[int], Resolved | None], base: dt.date, lean: Lean,
               modifier: str | None = None) -> Resolved | None:
    """The occurrence of a year-less period (``make(year)``) that the context asks for.

    "last": the latest one ending before ``base``; "next": the first one starting after it;
    "this": the one in ``base``'s year; otherwise forward the first one not over by ``base``,
    past the latest one begun by it, and by default the nearest, the days ahead counting
    :data:`AHEAD_WEIGHT` times (news looks back more often than forward)."""
    found = [r for r in (make(y) for y in range(base.year - 2, base.year + 3)) if r is not None]
    if modifier == "this":
        return next((r for r in found if r.start.year == base.year), None)
    if modifier in ("last", "past", "previous"):
        return max((r for r in found if r.end < base), key=lambda r: r.start, default=None)
    if modifier in ("next", "coming"):
        return min((r for r in found if r.start > base), key=lambda r: r.start, default=None)
    if lean == "forward":
        return min((r for r in found if r.end >= base), key=lambda r: r.start, default=None)
    past = max((r for r in found if r.start <= base), key=lambda r: r.start, default=None)
    if lean == "past" or past is None or past.end >= base:
        return past
    ahead = min((r for r in found if r.start > base), key=lambda r: r.start, default=None)
    if ahead is not None and (ahead.start - base).days * AHEAD_WEIGHT < (base - past.end).days:
        return ahead
    return past


def _clean(text: str) -> str:
    t = re.sub(r"\s+", " ", text.strip().lower()).replace("\u2019", "'")
    t = re.sub(r"['\u2019]s$", "", t).strip(" ,.;:()\"'`")
    t = re.sub(r"^(?:on|in|during|over|at|by|of|as of|until|till|since|from|for) ", "", t)
    return re.sub(r"^the ", "", t)


_WEEKDAY_EXPR = re.compile(
    r"^(?:(last|this|past|next|coming|this coming|early|late|early on|late on|earlier|later) )?"
    rf"({_WD}|mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun)\.?"
    rf"(?: ({_PART}|overnight)| (?:at|before|after|around) {_MOMENT})?$"
)
# What a part-of-day phrase says before its weekday or date: "the early hours of", "the afternoon
# of", "before dawn on", "the day".  Stripped before the weekday is read.
_DAY_PART_PREFIX = re.compile(
    r"^(?:the )?(?:(?:early|small|wee) hours of (?:the morning of )?"
    r"|(?:(?:late|early) )?(?:on )?(?:the )?(?:night|evening|morning|afternoon|day) (?:of )?(?=\w)"
    rf"|(?:(?:just |shortly )?(?:before|after) |at |around )?{_MOMENT} (?:on )?|(?:late|early) (?:on )?(?={_WD}))"
)
_RANGE_WORDS = re.compile(r"^(?:between |from )?(.+?) (?:and|to|into|until|till|through|-|\u2013) (.+)$")
_PERIOD_EXPR = re.compile(r"^(?:(?:earlier|later|early|late) )?(last|this|next|previous|past) (week|month|year)$")
_AGO_EXPR = re.compile(r"^(?:(?:just|almost|nearly|about|some|roughly|around|more than|over) )?"
                       r"(\d+|[a-z]+) (day|week|month|year|decade)s? ago$")


def _weekday_date(text: str, base: dt.date, forward: bool = False) -> Resolved | None:
    """A weekday phrase: the latest such day on or before ``base``; with ``forward`` (a future
    context) or "next"/"coming", the earliest on or after it ("next" skips ``base`` itself)."""
    m = _WEEKDAY_EXPR.match(text)
    if m is None:
        return None
    modifier, name = m.group(1), m.group(2)
    weekday = WEEKDAYS[name[:3] if name[:3] in WEEKDAYS else name]
    if modifier == "next":
        day = base + dt.timedelta(days=(weekday - base.weekday()) % 7 or 7)
        return Resolved(day, day, "day", True)
    if modifier in ("coming", "this coming") or (forward and modifier not in ("last", "past")):
        day = base + dt.timedelta(days=(weekday - base.weekday()) % 7)
        return Resolved(day, day, "day", True)
    day = latest_weekday(weekday, base, skip_base=modifier in ("last", "past"))
    return Resolved(day, day, "day", True)


def _relative(text: str, base: dt.date, lean: Lean) -> Resolved | None:
    """Expressions resolved by rule against the publication date (no dateparser)."""
    lex = lexicon()
    if text in lex["today"]:
        return Resolved(base, base, "day", True)
    if text in ("yesterday", "last night", "tomorrow", "tomorrow night", "tomorrow morning"):
        day = base + dt.timedelta(days=1 if text.startswith("tomorrow") else -1)
        return Resolved(day, day, "day", True)
    if text == "overnight":
        return Resolved(base - dt.timedelta(days=1), base, "day", True)
    m = re.match(rf"^overnight (?:on |into |to )?({_WD})$", text)
    if m:
        day = latest_weekday(WEEKDAYS[m.group(1)], base)
        start = day - dt.timedelta(days=1) if re.search(r"\b(?:into|to)\b", text) else day
        return Resolved(start, day, "day", True)
    weekday = _weekday_date(_DAY_PART_PREFIX.sub("", text), base, lean == "forward")
    if weekday is not None:
        return weekday
    found = _named(text, base, lean)
    if found is not None:
        return found
    m = re.match(rf"^(?:(?:early|mid|late)[- ])?({_MON}) (?:of )?(last|this|next) year$", text)
    if m:  # "September last year"
        year = base.year + {"last": -1, "this": 0, "next": 1}[m.group(2)]
        found = _absolute(f"{m.group(1)} {year}", base, lean)
        return Resolved(found.start, found.end, found.precision, True) if found else None
    m = _PERIOD_EXPR.match(text)
    if m:  # "last week", "this month", "earlier this year"
        step = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1}[m.group(1)]
        return _period(_shift(base, m.group(2), step), cast(Precision, m.group(2)), True)
    m = _AGO_EXPR.match(text)
    if m:  # "two days ago", "3 weeks ago", "a decade ago"
        count = int(m.group(1)) if m.group(1).isdigit() else _NUMBER_WORDS.get(m.group(1))
        if count is None:
            return None
        unit = "year" if m.group(2) == "decade" else m.group(2)
        count *= 10 if m.group(2) == "decade" else 1
        return _period(_shift(base, unit, -count), cast(Precision, unit), True)
    m = re.match(r"^day (before|after) (.+)$", text)
    if m:  # "the day before last Tuesday"
        inner = resolve_date_text(m.group(2), base, forward=lean == "forward", past=lean == "past")
        if inner is None or inner.precision != "day":
            return None
        day = inner.start + dt.timedelta(days=1 if m.group(1) == "after" else -1)
        return Resolved(day, day, "day", inner.relative)
    m = re.match(r"^week of (.+)$", text)
    if m:  # "the week of March 6"
        inner = _absolute(m.group(1), base, lean)
        return _period(inner.start, "week", inner.relative) if inner and inner.precision == "day" else None
    return None


@lru_cache(maxsize=1)
def _named_rx() -> re.Pattern[str]:
    holidays = "|".join(re.escape(n) for n in holiday_names())
    return re.compile(rf"^(?:(last|next|this|past) )?(?:({holidays})( week)?|({_MON})(?: (\d{{1,2}}){_ORD})?)$")


def _named(text: str, base: dt.date, lean: Lean) -> Resolved | None:
    """A holiday ("Thanksgiving Day", "last Christmas", "Easter week") or a month (and day) with
    "last"/"next"/"this" ("last October", "last Oct. 23"): the occurrence :func:`_pick_year` gives."""
    m = _named_rx().match(text)
    if m is None or (m.group(4) and not m.group(1)):
        return None
    holiday, week, month, day = m.group(2), m.group(3), m.group(4), m.group(5)

    def make(year: int) -> Resolved | None:
        if holiday:
            return _period(_holiday_day(lexicon()["holidays"][holiday], year), "week" if week else "day", True)
        try:
            return _period(dt.date(year, _month_number(month), int(day or 1)), "day" if day else "month", True)
        except ValueError:  # 29 February
            return None

    return _pick_year(make, base, lean, m.group(1))


def _holiday_day(spec: str, year: int) -> dt.date:
    """A holiday's date in ``year`` from its spec: "12-25" (fixed), "11-22 thu" (the first
    Thursday on or after 22 November), "easter-2" (days from Easter Sunday)."""
    m = re.match(r"^easter([+-]\d+)?$", spec)
    if m:
        return _easter(year) + dt.timedelta(days=int(m.group(1) or 0))
    m = re.match(r"^(\d\d)-(\d\d)(?: ([a-z]{3}))?$", spec)
    if m is None:
        raise ValueError(f"bad holiday spec {spec!r}")
    day = dt.date(year, int(m.group(1)), int(m.group(2)))
    if m.group(3):
        day += dt.timedelta(days=(WEEKDAYS[m.group(3)] - day.weekday()) % 7)
    return day


def _easter(year: int) -> dt.date:
    """Western Easter Sunday (Gregorian calendar)."""
    return easter(year, EASTER_WESTERN)


def _shift(day: dt.date, unit: str, count: int) -> dt.date:
    """``day`` moved by ``count`` days/weeks/months/years (months and years land on the 1st)."""
    if unit == "day":
        return day + dt.timedelta(days=count)
    if unit == "week":
        return day + dt.timedelta(weeks=count)
    if unit == "month":
        return day.replace(day=1) + relativedelta(months=count)
    return day.replace(month=1, day=1) + relativedelta(years=count)


def _is_ignored(text: str) -> bool:
    """Durations, ages, vague phrases and expressions anchored on another event."""
    lex = lexicon()
    if text in lex["vague"] or not text:
        return True
    if re.search(r"\byear[- ]old\b|\byears? old\b|\baged?\b|\bold\b", text):
        return True
    words = set(re.findall(r"[a-z]+", text))
    if words & _UNITS and not (_PERIOD_EXPR.match(text) or _AGO_EXPR.match(text)):
        return True  # "three years", "for two days", "the past two weeks", "the same day"
    return bool(words & set(lex["relative_markers"])) and not _PERIOD_EXPR.match(text)


def _absolute(text: str, base: dt.date | None, lean: Lean = "nearest") -> Resolved | None:
    """Calendar expressions ("Feb. 7", "7 February 2018", "September 2017", "2016") via dateparser.

    A year-less date goes to the year :func:`_pick_year` gives for ``lean``, unless a weekday is
    written with it ("Wednesday, July 9"): then the nearest year where that date falls on that
    weekday."""
    text = re.sub(rf"^(?:early|mid|late|(?:end|beginning|start|middle) of)[- ](?={_MON}|{_YEAR}\b)", "", text)
    years = re.match(r"^(\d{4}) ?[-\u2013/] ?(\d{2}|\d{4})$", text)  # "2017-18", "2016-2017"
    if years:
        first, last = int(years.group(1)), int(years.group(2))
        last = last if last > 99 else first // 100 * 100 + last
        if not first < last <= first + 10:
            return None
        return Resolved(dt.date(first, 1, 1), dt.date(last, 12, 31), "year", False)
    has_year = re.search(rf"\b{_YEAR}\b", text) is not None
    has_month = re.search(rf"\b{_MON}(?![a-z])", text) is not None
    if not (has_year or has_month or re.search(r"\d{1,2}[/.-]\d{1,2}", text)):
        return None
    if base is None and not has_year:
        return None  # a year-less date cannot be placed without the publication date
    current = text.startswith(("this ", "current"))
    prefer = "current_period" if current else "future" if lean == "forward" else "past"
    data = _parser(base, prefer).get_date_data(text)
    if data.date_obj is None or data.period not in ("day", "week", "month", "year"):
        return None
    day = data.date_obj.date()
    precision: Precision = data.period
    if precision == "year" and has_month:
        precision = "month"
    if base is None or has_year:
        return _period(day, precision, relative=not has_year)
    named = re.search(rf"\b({_WD})\b", text)
    if named and precision == "day":
        return _period(_year_of_weekday(day, WEEKDAYS[named.group(1)], base), "day", True)
    if current or lean == "forward" or precision not in ("day", "month"):
        return _period(day, precision, relative=True)

    def make(year: int) -> Resolved | None:
        try:
            return _period(day.replace(year=year), precision, True)
        except ValueError:  # 29 February
            return None

    return _pick_year(make, base, lean)


def _year_of_weekday(day: dt.date, weekday: int, base: dt.date) -> dt.date:
    """``day`` moved to the year nearest ``base`` in which it falls on ``weekday`` (if any)."""
    for year in sorted((base.year, base.year - 1, base.year + 1), key=lambda y: abs(y - day.year)):
        try:
            candidate = day.replace(year=year)
        except ValueError:  # 29 February
            continue
        if candidate.weekday() == weekday:
            return candidate
    return day


def resolve_date_text(text: str, published: dt.date | None, *, forward: bool = False,
                      past: bool = False) -> Resolved | None:
    """Resolve one date expression (just the expression, never a whole text) against ``published``.

    ``forward``: the expression stands in a future context ("will meet on Monday"), so a weekday
    or a year-less date is placed on or after ``published``.  ``past``: a past-tense context
    ("the doctor was killed in October"), so a year-less date is placed on or before it.  With
    neither, a year-less date takes the year nearest ``published`` and a weekday looks back."""
    if isinstance(published, dt.datetime):
        published = published.date()
    lean: Lean = "forward" if forward else "past" if past else "nearest"
    t = _clean(text)
    m = re.match(rf"^night of ({_WD}) (?:to|into|and) ({_WD})$", t)
    if m:
        t = f"{m.group(1)} to {m.group(2)}"
    ranged = _range(t, published, lean)
    if ranged is not None:
        return ranged
    if published is not None:
        rel = _relative(t, published, lean)
        if rel is not None:
            return rel
    if _is_ignored(t) or _WEEKDAY_EXPR.match(t):
        return None  # durations, ages, vague phrases; a weekday with no publication date
    return _absolute(_DAY_PART_PREFIX.sub("", t), published, lean)


def _range(text: str, published: dt.date | None, lean: Lean) -> Resolved | None:
    """'between 5 and 7 March', 'March 5-7', 'Wednesday to Thursday': end first, start against it."""
    m = re.match(rf"^(?:between |from )?(\d{{1,2}}){_ORD} ?(?:and|to|until|-|\u2013) ?(\d{{1,2}}){_ORD} "
                 rf"({_MON}(?:,? \d{{4}})?)$", text)
    if m is None:
        m2 = re.match(rf"^(?:between |from )?({_MON}) (\d{{1,2}}){_ORD} ?(?:-|\u2013|to) ?(\d{{1,2}}){_ORD}"
                      r"(,? \d{4})?$", text)
        if m2 is not None:
            m_start, m_end, month = m2.group(2), m2.group(3), m2.group(1) + (m2.group(4) or "")
        else:
            return _weekday_range(text, published, lean == "forward")
    else:
        m_start, m_end, month = m.group(1), m.group(2), m.group(3)
    end = _absolute(f"{m_end} {month}", published, lean)
    if end is None or end.precision != "day" or int(m_start) > end.end.day:
        return None
    return Resolved(end.end.replace(day=int(m_start)), end.end, "day", end.relative)


def _weekday_range(text: str, published: dt.date | None, forward: bool = False) -> Resolved | None:
    m = _RANGE_WORDS.match(text)
    if m is None or published is None:
        return None
    first, second = m.group(1), m.group(2)
    if not (_WEEKDAY_EXPR.match(first) and _WEEKDAY_EXPR.match(second)):
        return None
    if forward:  # "will meet between Monday and Wednesday": the start first, the end after it
        start = _weekday_date(first, published, forward=True)
        end = _weekday_date(second, start.start, forward=True) if start else None
    else:
        end = _weekday_date(second, published)
        start = _weekday_date(first, end.end) if end else None
    if end is None or start is None:
        return None
    return Resolved(start.start, end.end, "day", True)
