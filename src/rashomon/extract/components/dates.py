"""``rashomon_dates``: dates in an article, resolved against its publication date.

Candidates are the NER ``DATE`` entities plus night/part-of-day phrases the model misses
("on the night of Wednesday to Thursday", "over Wednesday night", "the early hours of Thursday",
"late Tuesday", "overnight").  Each candidate's *text only* is resolved (never the whole article:
dateparser reads "We" as Wednesday) by :func:`resolve_date_text`:

* a bare weekday is the latest such day on or before publication (the publication day itself
  counts); "last <weekday>" skips the publication day; parts of the day ("Tuesday afternoon",
  "late Tuesday", "the morning of Tuesday", "before dawn on Tuesday") resolve like the weekday;
* a date in a future or intended context ("will meet on Monday", "said they would publish figures
  on Wednesday", "is due to resume on Monday", "plans to march on Friday", "next Wednesday") looks
  forward: a weekday is the earliest such day on or after publication, a year-less date the next
  one; :func:`incident_date` never chooses such a date;
* "yesterday", "last night", "N days ago" are days; "last week"/"this week" weeks (Monday to
  Sunday); "last month", "in September 2017", "September last year" months; "last year", "this
  year", "2016" years; a year-less date written with its weekday ("Wednesday, July 9") takes the
  nearest year in which that date falls on that weekday;
* "<date>, a day after <event>" (also "two days before", "a week after") dates the event from
  the date just before the phrase;
* ranges ("between 5 and 7 March", "the night of Wednesday to Thursday") give start and end;
* durations ("three years", "for two days"), ages, vague phrases and times of day alone are ignored.

:func:`incident_date` then picks the date of the incident among the resolved mentions.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from calendar import monthrange
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from dateparser.date import DateDataParser
from spacy.language import Language
from spacy.tokens import Doc, Token

from rashomon.extract.components.event_type import read_pattern_file, sentence_ranges
from rashomon.extract.spans import char_span
from rashomon.models import DateMention, Precision

__all__ = ["DateFinder", "Resolved", "future_context", "incident_date", "latest_weekday", "resolve_date_text"]

WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2, "weds": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
        r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_ORD = r"(?:st|nd|rd|th)?"
_PART = r"(?:night|evening|morning|afternoon|midday|noon|lunchtime|dawn|daybreak)"  # after a weekday
_MOMENT = r"(?:dawn|daybreak|first light|sunrise|midday|noon|midnight|dusk|nightfall)"  # "before dawn on"
DEFAULT_LOOKBACK_DAYS = 30
LOOKBACK_KEY = "rashomon_dates.lookback_days"  # doc.user_data key: the component's configured window
_UNITS = {"day", "days", "week", "weeks", "month", "months", "year", "years", "decade", "decades",
          "hour", "hours", "minute", "minutes", "fortnight", "century", "centuries"}
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}


def _rx(pattern: str) -> re.Pattern[str]:
    """Compile a pattern written with single spaces so that any whitespace run matches."""
    return re.compile(pattern.replace(" ", r"\s+"), re.IGNORECASE)


# "<date>, a day after <event>": the event is dated from the date just before the phrase.
_ANCHORED = re.compile(r"^(a|an|one|two|three|four|five|six|seven|\d+) (day|week)s? (after|before)$")

# Phrases spaCy's NER misses or splits, in priority order (earlier wins on overlap).
EXTRA_PATTERNS: list[re.Pattern[str]] = [
    re.compile(r"(?<=,\s)(?:a|an|one|two|three|four|five|six|seven|\d+)\s+(?:days?|weeks?)\s+"
               r"(?:after|before)\b", re.IGNORECASE),
    _rx(rf"\b(?:the )?night of {_WD} (?:to|into|and) {_WD}\b"),
    _rx(rf"\b(?:between|from) {_WD} (?:and|to|until) {_WD}\b"),
    _rx(rf"\b(?:between|from) \d{{1,2}}{_ORD} (?:and|to|until) \d{{1,2}}{_ORD} {_MON}(?:,? \d{{4}})?"),
    _rx(rf"\b\d{{1,2}}{_ORD} ?[-\u2013] ?\d{{1,2}}{_ORD} {_MON}(?:,? \d{{4}})?"),
    _rx(rf"\b{_MON} \d{{1,2}}{_ORD} ?(?:[-\u2013]|to) ?\d{{1,2}}{_ORD}\b(?:,? \d{{4}})?"),
    _rx(rf"\b(?:the )?(?:early|small|wee) hours of (?:the morning of )?{_WD}\b"),
    _rx(rf"\b(?:(?:just |shortly )?(?:before|after) |at |around )?{_MOMENT} (?:on )?{_WD}\b"),
    _rx(rf"\b(?:(?:late|early) )?(?:on )?(?:the )?(?:night|evening|morning|afternoon) of {_WD}\b"),
    _rx(rf"\b(?:(?:late|early) (?:on )?)?{_WD} {_PART}\b"),
    _rx(rf"\b{_WD} (?:at|before|after|around) {_MOMENT}\b"),
    _rx(rf"\b(?:late|early) (?:on )?{_WD}\b"),
    _rx(rf"\bovernight(?: (?:on |into |to )?{_WD}\b)?"),
    _rx(r"\b(?:last night|tonight|this (?:morning|afternoon|evening)|earlier today)\b"),
]


@dataclass(frozen=True)
class Resolved:
    """A resolved date expression."""

    start: dt.date
    end: dt.date
    precision: Precision
    relative: bool


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(read_pattern_file("dates.json"))
    return data


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


def _clean(text: str) -> str:
    t = re.sub(r"\s+", " ", text.strip().lower())
    t = re.sub(r"['\u2019]s$", "", t).strip(" ,.;:()\"'")
    t = re.sub(r"^(?:on|in|during|over|at|by|of|as of) ", "", t)
    return re.sub(r"^the ", "", t)


_WEEKDAY_EXPR = re.compile(
    r"^(?:(last|this|past|next|coming|this coming|early|late|early on|late on) )?"
    rf"({_WD}|mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun)\.?"
    rf"(?: ({_PART}|overnight)| (?:at|before|after|around) {_MOMENT})?$"
)
# What a part-of-day phrase says before its weekday: "the early hours of", "the afternoon of",
# "before dawn on".  Stripped before the weekday is read.
_DAY_PART_PREFIX = re.compile(
    r"^(?:the )?(?:(?:early|small|wee) hours of (?:the morning of )?"
    r"|(?:(?:late|early) )?(?:on )?(?:the )?(?:night|evening|morning|afternoon) of "
    rf"|(?:(?:just |shortly )?(?:before|after) |at |around )?{_MOMENT} (?:on )?)"
)
_RANGE_WORDS = re.compile(r"^(?:between |from )?(.+?) (?:and|to|into|until|till|through|-|\u2013) (.+)$")
_PERIOD_EXPR = re.compile(r"^(?:(?:earlier|later) )?(last|this|next|previous|past) (week|month|year)$")
_AGO_EXPR = re.compile(r"^(\d+|[a-z]+) (day|week|month|year)s? ago$")


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


def _relative(text: str, base: dt.date, forward: bool = False) -> Resolved | None:
    """Expressions resolved by rule against the publication date (no dateparser)."""
    if text in ("today", "tonight", "this morning", "this afternoon", "this evening", "earlier today"):
        return Resolved(base, base, "day", True)
    if text in ("yesterday", "last night"):
        day = base - dt.timedelta(days=1)
        return Resolved(day, day, "day", True)
    if text == "overnight":
        return Resolved(base - dt.timedelta(days=1), base, "day", True)
    m = re.match(rf"^overnight (?:on |into |to )?({_WD})$", text)
    if m:
        day = latest_weekday(WEEKDAYS[m.group(1)], base)
        start = day - dt.timedelta(days=1) if re.search(r"\b(?:into|to)\b", text) else day
        return Resolved(start, day, "day", True)
    weekday = _weekday_date(_DAY_PART_PREFIX.sub("", text), base, forward)
    if weekday is not None:
        return weekday
    m = re.match(rf"^(?:(?:early|mid|late)[- ])?({_MON}) (?:of )?(last|this|next) year$", text)
    if m:  # "September last year"
        year = base.year + {"last": -1, "this": 0, "next": 1}[m.group(2)]
        found = _absolute(f"{m.group(1)} {year}", base)
        return Resolved(found.start, found.end, found.precision, True) if found else None
    m = _PERIOD_EXPR.match(text)
    if m:  # "last week", "this month", "earlier this year"
        step = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1}[m.group(1)]
        return _period(_shift(base, m.group(2), step), cast(Precision, m.group(2)), True)
    m = _AGO_EXPR.match(text)
    if m:  # "two days ago", "3 weeks ago"
        count = int(m.group(1)) if m.group(1).isdigit() else _NUMBER_WORDS.get(m.group(1))
        if count is None:
            return None
        return _period(_shift(base, m.group(2), -count), cast(Precision, m.group(2)), True)
    return None


def _shift(day: dt.date, unit: str, count: int) -> dt.date:
    """``day`` moved by ``count`` days/weeks/months/years (months and years land on the 1st)."""
    if unit == "day":
        return day + dt.timedelta(days=count)
    if unit == "week":
        return day + dt.timedelta(weeks=count)
    if unit == "month":
        index = day.year * 12 + day.month - 1 + count
        return dt.date(index // 12, index % 12 + 1, 1)
    return dt.date(day.year + count, 1, 1)


def _is_ignored(text: str) -> bool:
    """Durations, ages, vague phrases and expressions anchored on another event."""
    lex = _lexicon()
    if text in lex["vague"] or not text:
        return True
    if re.search(r"\byear[- ]old\b|\byears? old\b|\baged?\b|\bold\b", text):
        return True
    words = set(re.findall(r"[a-z]+", text))
    if words & _UNITS and not (_PERIOD_EXPR.match(text) or _AGO_EXPR.match(text)):
        return True  # "three years", "for two days", "the past two weeks", "the same day"
    return bool(words & set(lex["relative_markers"])) and not _PERIOD_EXPR.match(text)


def _absolute(text: str, base: dt.date | None, forward: bool = False) -> Resolved | None:
    """Calendar expressions ("Feb. 7", "7 February 2018", "September 2017", "2016") via dateparser.

    A year-less date is the latest such date on or before ``base`` (the next one with ``forward``),
    unless a weekday is written with it ("Wednesday, July 9"): then the nearest year where that
    date falls on that weekday."""
    text = re.sub(rf"^(?:early|mid|late|(?:end|beginning|start|middle) of)[- ](?={_MON})", "", text)
    years = re.match(r"^(\d{4}) ?[-\u2013/] ?(\d{2}|\d{4})$", text)  # "2017-18", "2016-2017"
    if years:
        first, last = int(years.group(1)), int(years.group(2))
        last = last if last > 99 else first // 100 * 100 + last
        if not first < last <= first + 10:
            return None
        return Resolved(dt.date(first, 1, 1), dt.date(last, 12, 31), "year", False)
    has_year = re.search(r"\b(1[89]\d\d|20\d\d)\b", text) is not None
    has_month = re.search(rf"\b{_MON}(?![a-z])", text) is not None
    if not (has_year or has_month or re.search(r"\d{1,2}[/.-]\d{1,2}", text)):
        return None
    if base is None and not has_year:
        return None  # a year-less date cannot be placed without the publication date
    prefer = "current_period" if text.startswith(("this ", "current")) else "future" if forward else "past"
    data = _parser(base, prefer).get_date_data(text)
    if data.date_obj is None or data.period not in ("day", "week", "month", "year"):
        return None
    day = data.date_obj.date()
    precision: Precision = data.period
    named = re.search(rf"\b({_WD})\b", text)
    if named and base is not None and not has_year and precision == "day":
        day = _year_of_weekday(day, WEEKDAYS[named.group(1)], base)
    if precision == "year" and has_month:
        precision = "month"
    return _period(day, precision, relative=not has_year)


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


def resolve_date_text(text: str, published: dt.date | None, *, forward: bool = False) -> Resolved | None:
    """Resolve one date expression (just the expression, never a whole text) against ``published``.

    ``forward``: the expression stands in a future context ("will meet on Monday"), so a weekday
    or a year-less date is placed on or after ``published`` rather than before it."""
    if isinstance(published, dt.datetime):
        published = published.date()
    t = _clean(text)
    m = re.match(rf"^night of ({_WD}) (?:to|into|and) ({_WD})$", t)
    if m:
        t = f"{m.group(1)} to {m.group(2)}"
    ranged = _range(t, published, forward)
    if ranged is not None:
        return ranged
    if published is not None:
        rel = _relative(t, published, forward)
        if rel is not None:
            return rel
    if _is_ignored(t) or _WEEKDAY_EXPR.match(t):
        return None  # durations, ages, vague phrases; a weekday with no publication date
    return _absolute(t, published, forward)


def _range(text: str, published: dt.date | None, forward: bool = False) -> Resolved | None:
    """'between 5 and 7 March', 'March 5-7', 'Wednesday to Thursday': end first, start against it."""
    m = re.match(rf"^(?:between |from )?(\d{{1,2}}){_ORD} ?(?:and|to|until|-|\u2013) ?(\d{{1,2}}){_ORD} "
                 rf"({_MON}(?:,? \d{{4}})?)$", text)
    if m is None:
        m2 = re.match(rf"^(?:between |from )?({_MON}) (\d{{1,2}}){_ORD} ?(?:-|\u2013|to) ?(\d{{1,2}}){_ORD}"
                      r"(,? \d{4})?$", text)
        if m2 is not None:
            m_start, m_end, month = m2.group(2), m2.group(3), m2.group(1) + (m2.group(4) or "")
        else:
            return _weekday_range(text, published, forward)
    else:
        m_start, m_end, month = m.group(1), m.group(2), m.group(3)
    end = _absolute(f"{m_end} {month}", published, forward)
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


# --------------------------------------------------------------------------- future contexts

_FUTURE_WORDS = re.compile(
    r"\b(?:will|shall|wo|would(?! have)|(?:is|are|am) (?:due|set|expected|scheduled|going) to"
    r"|plans? to|intends? to)\b|\w'll\b", re.IGNORECASE)


def _present(tok: Token) -> bool:
    """Is the predicate ``tok`` in the present tense ("plans", "is due", "are expected")?"""
    if tok.tag_ in ("VBZ", "VBP"):
        return True
    if any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP", "MD") for c in tok.children):
        return True
    return tok.dep_ == "acomp" and tok.head.tag_ in ("VBZ", "VBP")


def _future_predicate(verb: Token, depth: int = 0) -> bool:
    lex = _lexicon()
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if aux & set(lex["future_aux"]) or ("would" in aux and "have" not in aux):  # "would have fled": past
        return True
    if verb.lemma_.lower() in lex["scheduled"] and _present(verb):
        return True
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in lex["intent"] and _present(verb.head):
        return True
    if verb.dep_ == "conj" and not aux and depth < 3:  # "will meet and vote on Friday"
        return _future_predicate(verb.head, depth + 1)
    return False


def future_context(doc: Doc, start: int, end: int) -> bool:
    """Does the date at ``start:end`` stand in a future or intended context?

    With a parse: the predicate the date hangs on has "will"/"shall"/"would" (not "would have"),
    or is a present-tense schedule or intention ("is due", "plans to march", "is expected to
    visit"); a date that dates a noun ("investigate the attack on Tuesday") or stands right after a
    past-tense verb ("said on Tuesday it would") takes no future.
    Without a parse: such a word stands earlier in the same clause."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    if not doc.has_annotation("DEP"):
        clause = re.split(r"[.!?;,\n]", doc.text[max(0, start - 120):start])[-1]
        return _FUTURE_WORDS.search(clause) is not None
    k = span.start
    while k > 0 and span.start - k < 2 and doc[k - 1].lower_ in ("on", "late", "early", "in"):
        k -= 1
    if k > 0 and doc[k - 1].tag_ == "VBD":
        return False  # "said on Tuesday it would ...": the date is the saying's, whatever the parse says
    tok = span.root
    while tok.head.i != tok.i:
        tok = tok.head
        predicate_adj = tok.pos_ == "ADJ" and tok.dep_ in ("ROOT", "acomp", "ccomp", "conj")  # "is due"
        if tok.pos_ in ("VERB", "AUX") or predicate_adj:
            return _future_predicate(tok)
        if tok.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
            return False
    return tok.pos_ in ("VERB", "AUX") and _future_predicate(tok)


def _from_anchor(m: re.Match[str], anchor: DateMention | None, text: str, start: int) -> Resolved | None:
    """ "on Wednesday, a day after a strike": the strike's day, from the day date just before."""
    if anchor is None or anchor.precision != "day" or text[anchor.span.end:start].strip(" ,") != "":
        return None
    count = int(m.group(1)) if m.group(1).isdigit() else _NUMBER_WORDS[m.group(1)]
    days = count * (7 if m.group(2) == "week" else 1) * (-1 if m.group(3) == "after" else 1)
    day = anchor.start + dt.timedelta(days=days)
    return Resolved(day, day, "day", anchor.relative)


# --------------------------------------------------------------------------- the component

class DateFinder:
    """Finds and resolves the date mentions of a Doc (``doc._.dates``)."""

    def __init__(self, labels: list[str], use_extra_patterns: bool, lookback_days: int = 30) -> None:
        self.labels = set(labels)
        self.use_extra_patterns = use_extra_patterns
        self.lookback_days = lookback_days

    def candidates(self, doc: Doc) -> list[tuple[int, int]]:
        """Character ranges of date expressions, in text order, without overlaps."""
        taken: list[tuple[int, int]] = []

        def free(start: int, end: int) -> bool:
            return all(end <= s or start >= e for s, e in taken)

        if self.use_extra_patterns:
            text = doc.text
            for pattern in EXTRA_PATTERNS:
                for m in pattern.finditer(text):
                    if free(m.start(), m.end()):
                        taken.append((m.start(), m.end()))
        for ent in doc.ents:
            if ent.label_ in self.labels and free(ent.start_char, ent.end_char):
                taken.append((ent.start_char, ent.end_char))
        return sorted(taken)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """Stream docs through the component (one at a time; ``batch_size`` is accepted for spaCy)."""
        for doc in docs:
            yield self(doc)

    def __call__(self, doc: Doc) -> Doc:
        published = doc._.published
        mentions: list[DateMention] = []
        text = doc.text
        for start, end in self.candidates(doc):
            anchored = _ANCHORED.match(_clean(text[start:end]))
            if anchored:
                resolved = _from_anchor(anchored, mentions[-1] if mentions else None, text, start)
            else:
                forward = published is not None and future_context(doc, start, end)
                resolved = resolve_date_text(text[start:end], published, forward=forward)
            if resolved is None:
                continue
            mentions.append(DateMention(span=char_span(doc, start, end), start=resolved.start,
                                        end=resolved.end, precision=resolved.precision,
                                        relative=resolved.relative))
        doc._.dates = mentions
        doc.user_data[LOOKBACK_KEY] = self.lookback_days  # read by incident_date()
        return doc


@Language.factory(
    "rashomon_dates",
    assigns=["doc._.dates"],
    default_config={"labels": ["DATE"], "use_extra_patterns": True, "lookback_days": 30},
)
def make_dates(
    nlp: Language, name: str, labels: list[str], use_extra_patterns: bool, lookback_days: int
) -> DateFinder:
    """NER dates (``labels``) plus the night/part-of-day phrases of :data:`EXTRA_PATTERNS`;
    ``lookback_days`` is the window :func:`incident_date` uses for this pipeline's docs."""
    return DateFinder(labels, use_extra_patterns, lookback_days)


# --------------------------------------------------------------------------- the incident date

def _mentions_violence(doc: Doc, start: int, end: int, words: set[str]) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    return any(t.lower_ in words or t.lemma_.lower() in words for t in span)


def incident_date(
    dates: list[DateMention], doc: Doc, lookback_days: int | None = None
) -> DateMention | None:
    """Choose the incident date among a doc's resolved date mentions.

    Tiers, best first: day-precision dates in a sentence with a violent-event word (killed,
    attack, strike, clash, ...; for "<date>, a day after <event>" the event's own words) within
    ``lookback_days`` before publication; then week-precision dates in such sentences; then any
    day-precision date in the window.  Within a tier the
    earliest date wins (follow-up statements come after the incident).  Dates in a future
    context ("would publish figures on Wednesday": :func:`future_context`), dates after
    publication, month/year dates ("in September 2017", "last year") and dates outside the
    window are never chosen; without a publication date only absolute dates qualify.  Returns
    None when nothing qualifies.  ``lookback_days`` defaults to the ``rashomon_dates`` component's
    configured window (30 days).
    """
    published = doc._.published
    if isinstance(published, dt.datetime):
        published = published.date()
    if lookback_days is None:
        lookback_days = int(doc.user_data.get(LOOKBACK_KEY, DEFAULT_LOOKBACK_DAYS))
    words = set(_lexicon()["event_words"])

    def in_window(d: DateMention) -> bool:
        if published is None:
            ok = not d.relative
        else:
            ok = published - dt.timedelta(days=lookback_days) <= d.start <= published
        return ok and not future_context(doc, d.span.start, d.span.end)

    sentences = sentence_ranges(doc)
    violent: dict[int, bool] = {}
    window = [in_window(d) for d in dates]
    for i, d in enumerate(dates):
        s, e = next(((s, e) for s, e in sentences if s <= d.span.start < e), (d.span.start, d.span.end))
        if _ANCHORED.match(_clean(d.span.text)):
            s = d.span.end  # "a day after a drone strike hit ...": the event after the phrase
        violent[i] = _mentions_violence(doc, s, e, words)
    tiers = [
        [d for i, d in enumerate(dates) if d.precision == "day" and window[i] and violent[i]],
        [d for i, d in enumerate(dates) if d.precision == "week" and window[i] and violent[i]],
        [d for i, d in enumerate(dates) if d.precision == "day" and window[i]],
    ]
    for tier in tiers:
        if tier:
            return min(tier, key=lambda d: (d.start, -(d.end - d.start).days, d.span.start))
    return None
