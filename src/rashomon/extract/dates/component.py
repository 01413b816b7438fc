"""``rashomon_dates``: dates in an article, resolved against its publication date.

Candidates are the NER ``DATE`` entities plus phrases the model misses or labels otherwise:
night/part-of-day phrases ("on the night of Wednesday to Thursday", "over Wednesday night", "the
early hours of Thursday", "late Tuesday", "overnight"), and where no entity stands, "today",
"tomorrow", month-day dates ("the Aug. 7 bombings") and holidays ("Thanksgiving Day").  A
dateline ("WASHINGTON, August 11 (Xinhua) --") is kept (TimeML annotates it) but marked
(:func:`in_dateline`): it dates the report, not the story, and :func:`incident_date` skips it.
Lists and year ranges are cut into parts ("April 24 and 25", "between 1994 and 1997":
:func:`date_parts`).

Each part's *text only* is resolved by :func:`resolve_date_text` (rules in
:mod:`rashomon.extract.dates.resolution`), leaning the way its clause does:

* forward in a future or intended context ("will meet on Monday", "said they would publish
  figures on Wednesday", "is due to resume on Monday", "plans to march on Friday", "planned to
  leave on Thursday", "as soon as Tuesday", "postponed until Tuesday", "by Jan. 14"):
  :func:`future_context`; :func:`incident_date` never chooses such a date;
* back in a past-tense clause ("was killed in October"): :func:`past_context`;
* otherwise a year-less date takes the year nearest publication ("the NATO summit in April").

"<date>, a day after <event>" (also "two days before", "a week after") dates the event from the
date just before the phrase.  :func:`incident_date` then picks the date of the incident among
the resolved mentions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import pairwise

from spacy.language import Language
from spacy.tokens import Doc, Token

from rashomon.extract.dates.resolution import (
    _MOMENT,
    _MON,
    _NUMBER_WORDS,
    _ORD,
    _PART,
    _WD,
    _YEAR,
    Resolved,
    _clean,
    holiday_names,
    latest_weekday,
    lexicon,
    resolve_date_text,
)
from rashomon.extract.text.sentences import sentence_ranges
from rashomon.extract.text.spans import char_span, doc_text
from rashomon.models import DateMention
from rashomon.settings import component_defaults

__all__ = ["DateFinder", "Resolved", "future_context", "in_dateline", "incident_date", "latest_weekday",
           "past_context", "resolve_date_text"]

DEFAULT_LOOKBACK_DAYS = 30
LOOKBACK_KEY = "rashomon_dates.lookback_days"  # doc.user_data key: the component's configured window
DATELINE_KEY = "rashomon_dates.dateline"  # doc.user_data key: character range of a dateline's date


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
    _rx(rf"\b(?:the )?day (?:before|after) (?:(?:last|next|this) )?(?:{_WD}|{_MON} \d{{1,2}}{_ORD}\b)"),
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


# Month names written with a capital (no "may 5" from "it may 5 ...").
_MON_CAP = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
            r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")


@lru_cache(maxsize=1)
def fallback_patterns() -> list[re.Pattern[str]]:
    """Dates taken only where no NER entity stands: "today"/"tomorrow", a month and day
    ("the Aug. 7 bombings", which the model may label EVENT) and holidays ("Thanksgiving Day",
    "last Christmas")."""
    holidays = "|".join(re.escape(n).replace(r"\ ", " ").replace("'", "['\u2019]") for n in holiday_names())
    return [
        _rx(r"\b(?:today|tomorrow|yesterday)\b"),
        re.compile(rf"\b(?:(?i:last|next|this)\s+)?{_MON_CAP}\s+\d{{1,2}}{_ORD}\b(?:,?\s+\d{{4}}\b)?"),
        _rx(rf"\b(?:(?:last|next|this) )?(?:{holidays})(?: week)?\b"),
    ]


# A dateline: a place in capitals, then the date, then the agency or a dash ("WASHINGTON,
# August 11 (Xinhua) --").  It restates the publication date: not a date of the story.
_DATELINE = re.compile(
    rf"^\s*[A-Z][A-Z .'-]+(?:, [A-Z][A-Za-z .'-]+)?,\s+(?i:({_MON}\s+\d{{1,2}}{_ORD}(?:,\s+\d{{4}})?"
    rf"|\d{{1,2}}{_ORD}\s+{_MON}(?:\s+\d{{4}})?))\s*(?:\([A-Za-z .]+\)\s*)?(?:--|_|\u2014|\u2013|-)")
# What an NER date adds after a weekday phrase that it overlaps (", Oct. 23").
_DATE_TAIL = re.compile(rf"^,?\s+{_MON}\s+\d{{1,2}}{_ORD}(?:,\s+\d{{4}})?$", re.IGNORECASE)
# Tokens between a cue word and its date ("until 9 a.m. EST Tuesday").
_CLOCK = re.compile(r"^(?:\d{1,2}(?::\d\d)?|a\.m\.|p\.m\.|am|pm|noon|midnight|[ecmp][sd]t|gmt|local|time)$")


# --------------------------------------------------------------------------- future contexts

_FUTURE_WORDS = re.compile(
    r"\b(?:will|shall|wo|would(?! have)|(?:is|are|am) (?:due|set|expected|scheduled|going) to"
    r"|plans? to|intends? to)\b|\w'll\b", re.IGNORECASE)
_NOMINAL = ("NOUN", "PROPN", "PRON", "NUM")
# Nouns a date is only the time of ("on the night of Oct. 23"): the predicate above them counts.
_TIME_NOUNS = {"night", "morning", "evening", "afternoon", "day", "dawn", "hours", "week", "weekend", "time"}
_MODALS = {"will", "shall", "wo", "'ll", "would", "must", "should", "could", "can", "may", "might", "ca"}


def _present(tok: Token) -> bool:
    """Is the predicate ``tok`` in the present tense ("plans", "is due", "are expected")?"""
    if tok.tag_ in ("VBZ", "VBP"):
        return True
    if any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP", "MD") for c in tok.children):
        return True
    return tok.dep_ == "acomp" and tok.head.tag_ in ("VBZ", "VBP")


def _past(tok: Token) -> bool:
    """Is the predicate ``tok`` in a past tense ("fled", "was killed", "has said", "had left")?"""
    aux = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    if any(c.tag_ == "MD" for c in aux) and not any(c.lemma_ == "have" for c in aux):
        return False  # "would go", "could come" (but "would have gone" is past)
    return tok.tag_ == "VBD" or any(c.tag_ == "VBD" or c.lemma_ == "have" for c in aux)


def _pluperfect(tok: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "had" for c in tok.children)


def _future_predicate(verb: Token, depth: int = 0, date_after: bool = False) -> bool:
    lex = lexicon()
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if aux & set(lex["future_aux"]) or ("would" in aux and "have" not in aux):  # "would have fled": past
        return True
    if verb.lemma_.lower() in lex["scheduled"] and _present(verb):
        return True
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in lex["intent"] and _present(verb.head):
        return True
    plans = set(lex["plan_verbs"])  # "planned a march on Saturday", "did not plan to leave on Friday"
    if verb.lemma_.lower() in plans and not _pluperfect(verb) and verb.dep_ != "acl" and date_after:
        return True  # but "On Friday, the government planned to ...": the planning's date
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in plans and not _pluperfect(verb.head):
        return True
    if verb.dep_ == "conj" and not aux and depth < 3:  # "will meet and vote on Friday"
        return _future_predicate(verb.head, depth + 1, date_after)
    return False


def _predicate(tok: Token, through_nouns: bool = False) -> Token | None:
    """The verb (or predicate adjective, "is due") a date token hangs on; None when it dates a
    noun first ("the attack on Tuesday"), unless ``through_nouns``."""
    while tok.head.i != tok.i:
        tok = tok.head
        predicate_adj = tok.pos_ == "ADJ" and tok.dep_ in ("ROOT", "acomp", "ccomp", "conj")  # "is due"
        if tok.pos_ in ("VERB", "AUX") or predicate_adj:
            return tok
        if tok.pos_ in _NOMINAL and not through_nouns and tok.lower_ not in _TIME_NOUNS:
            return None
    return tok if tok.pos_ in ("VERB", "AUX") else None


def _cue_before(doc: Doc, i: int) -> str | None:
    """The cue words just before token ``i`` ("until", "as soon as"), past a time of day
    ("until 9 a.m. EST Tuesday")."""
    k = i
    while k > 0 and i - k < 4 and _CLOCK.match(doc[k - 1].lower_):
        k -= 1
    lex = lexicon()
    for cue in lex["forward_cues"] + lex["deadline_cues"]:
        n = cue.count(" ") + 1
        if k >= n and " ".join(t.lower_ for t in doc[k - n:k]) == cue:
            return cue
    return None


def _context(doc: Doc, start: int, end: int) -> str | None:
    """ "future", "past" or None for the date at ``start:end`` (see :func:`future_context`)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    if not doc.has_annotation("DEP"):
        clause = re.split(r"[.!?;,\n]", doc_text(doc)[max(0, start - 120):start])[-1]
        return "future" if _FUTURE_WORDS.search(clause) else None
    lex = lexicon()
    cue = _cue_before(doc, span.start)
    if cue in lex["forward_cues"]:
        return "future"
    if cue is not None:  # "until Tuesday", "by Jan. 14": forward unless the clause is past
        verb = _predicate(span.root, through_nouns=True)
        open_ended = verb is not None and not _past(verb) and (
            verb.tag_ == "VB" or _present(verb) or any(c.lower_ in _MODALS for c in verb.children))
        if open_ended or (verb is not None and verb.lemma_.lower() in lex["deferral"]):
            return "future"
    k = span.start
    while k > 0 and span.start - k < 2 and doc[k - 1].lower_ in ("on", "late", "early", "in"):
        k -= 1
    if k > 0 and doc[k - 1].tag_ == "VBD":
        return "past"  # "said on Tuesday it would ...": the date is the saying's, whatever the parse says
    verb = _predicate(span.root)
    if verb is None:
        return None
    if _future_predicate(verb, date_after=span.start > verb.i):
        return "future"
    return "past" if verb.pos_ in ("VERB", "AUX") and _past(verb) else None


def future_context(doc: Doc, start: int, end: int) -> bool:
    """Does the date at ``start:end`` stand in a future or intended context?

    With a parse: the predicate the date hangs on has "will"/"shall"/"would" (not "would have"),
    or is a present-tense schedule or intention ("is due", "plans to march", "is expected to
    visit"), or a plan in any tense but the pluperfect ("planned to leave on Thursday"); or the
    date follows "as soon as"/"as early as", or "until"/"by"/"before" in a clause that is not
    past ("must be returned by Jan. 14") or defers ("postponed until Tuesday").  A date that
    dates a noun ("investigate the attack on Tuesday") or stands right after a past-tense verb
    ("said on Tuesday it would") takes no future.
    Without a parse: such a word stands earlier in the same clause."""
    return _context(doc, start, end) == "future"


def past_context(doc: Doc, start: int, end: int) -> bool:
    """Does the date at ``start:end`` hang on a past-tense predicate ("was killed in October",
    "has lived there since May", "said on Tuesday")?  Never without a parse."""
    return _context(doc, start, end) == "past"


def _from_anchor(m: re.Match[str], anchor: DateMention | None, text: str, start: int) -> Resolved | None:
    """ "on Wednesday, a day after a strike": the strike's day, from the day date just before."""
    if anchor is None or anchor.precision != "day" or text[anchor.span.end:start].strip(" ,") != "":
        return None
    count = int(m.group(1)) if m.group(1).isdigit() else _NUMBER_WORDS[m.group(1)]
    days = count * (7 if m.group(2) == "week" else 1) * (-1 if m.group(3) == "after" else 1)
    day = anchor.start + dt.timedelta(days=days)
    return Resolved(day, day, "day", anchor.relative)


# --------------------------------------------------------------------------- lists and year ranges

_LIST_HEAD = re.compile(r"^(?:between|from|in|of|since)?$")
_LIST_JOIN = re.compile(r"^(?:,|,?\s*and|,?\s*or|to|through|until|till)$")
_LIST_TAIL = re.compile(r"^(?:,?\s*and)?$")
_DAY_LIST = _rx(rf"^((?:on )?({_MON}) (\d{{1,2}}){_ORD})((?:(?:,|,? and|,? or) \d{{1,2}}{_ORD})+)(,? {_YEAR})?$")


def date_parts(text: str) -> list[tuple[int, int, str]]:
    """The parts of ``text`` to resolve one by one, as (start, end, text to resolve): each year
    of "between 1994 and 1997" or "1994, 1995 and 1997", each day of "April 24 and 25" (the
    month, and a year written after the list, apply to every day); otherwise the whole text."""
    flat = re.sub(r"\s", " ", text)  # same length: offsets stay valid
    years = list(re.finditer(rf"\b{_YEAR}\b", flat))
    if len(years) >= 2:
        gaps = [flat[a.end():b.start()].strip().lower() for a, b in pairwise(years)]
        head, tail = flat[:years[0].start()].strip().lower(), flat[years[-1].end():].strip().lower()
        if _LIST_HEAD.match(head) and _LIST_TAIL.match(tail) and all(_LIST_JOIN.match(g) for g in gaps):
            return [(y.start(), y.end(), y.group()) for y in years]
    m = _DAY_LIST.match(flat.rstrip(" ,"))
    if m is None:
        return [(0, len(text), text)]
    year = f", {m.group(5).strip(' ,')}" if m.group(5) else ""
    parts = [(m.start(1), m.end(1), f"{m.group(2)} {m.group(3)}{year}")]
    for n in re.finditer(r"\d{1,2}", m.group(4)):
        start = m.start(4) + n.start()
        parts.append((start, m.start(4) + n.end(), f"{m.group(2)} {n.group()}{year}"))
    return parts


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
        text = doc_text(doc)

        def free(start: int, end: int) -> bool:
            return all(end <= s or start >= e for s, e in taken)

        if self.use_extra_patterns:
            for pattern in EXTRA_PATTERNS:
                taken += [(m.start(), m.end()) for m in pattern.finditer(text) if free(m.start(), m.end())]
        for ent in doc.ents:
            if ent.label_ not in self.labels:
                continue
            if free(ent.start_char, ent.end_char):
                taken.append((ent.start_char, ent.end_char))
                continue
            for i, (s, e) in enumerate(taken):  # "on the night of Friday" + "Friday, Oct. 23"
                if s <= ent.start_char < e < ent.end_char and _DATE_TAIL.match(text[e:ent.end_char]):
                    taken[i] = (s, ent.end_char)
        if self.use_extra_patterns:
            for pattern in fallback_patterns():
                taken += [(m.start(), m.end()) for m in pattern.finditer(text) if free(m.start(), m.end())]
        return sorted((s, e) for s, e in taken if not _generic_today(text, s, e))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """Stream docs through the component (one at a time; ``batch_size`` is accepted for spaCy)."""
        for doc in docs:
            yield self(doc)

    def __call__(self, doc: Doc) -> Doc:
        published = doc._.published
        mentions: list[DateMention] = []
        text = doc_text(doc)
        for cand_start, cand_end in self.candidates(doc):
            for part_start, part_end, part in date_parts(text[cand_start:cand_end]):
                start, end = cand_start + part_start, cand_start + part_end
                anchored = _ANCHORED.match(_clean(part))
                if anchored:
                    resolved = _from_anchor(anchored, mentions[-1] if mentions else None, text, start)
                else:
                    context = _context(doc, start, end) if published is not None else None
                    resolved = resolve_date_text(part, published, forward=context == "future",
                                                 past=context == "past")
                if resolved is None:
                    continue
                mentions.append(DateMention(span=char_span(doc, start, end), start=resolved.start,
                                            end=resolved.end, precision=resolved.precision,
                                            relative=resolved.relative))
        doc._.dates = mentions
        doc.user_data[LOOKBACK_KEY] = self.lookback_days  # read by incident_date()
        dateline = _DATELINE.match(text)
        doc.user_data[DATELINE_KEY] = (dateline.start(1), dateline.end(1)) if dateline else None
        return doc


def in_dateline(mention: DateMention, doc: Doc) -> bool:
    """Is ``mention`` the date of the doc's dateline ("WASHINGTON, August 11 (Xinhua) --")?"""
    bounds = doc.user_data.get(DATELINE_KEY)
    return bounds is not None and mention.span.start < bounds[1] and bounds[0] < mention.span.end


def _generic_today(text: str, start: int, end: int) -> bool:
    """ "today's youth": "today" meaning nowadays, not the publication day."""
    m = re.match(r"today['\u2019]s\s+(\w+)", text[start:end + 30], re.IGNORECASE)
    return m is not None and m.group(1).lower() in lexicon()["generic_today"]


@Language.factory(
    "rashomon_dates",
    assigns=["doc._.dates"],
    requires=["doc.ents", "token.is_sent_start", "token.dep", "token.lemma"],
    default_config=component_defaults("rashomon_dates"),  # the [extract.dates] table of default.toml
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
    earliest date wins (follow-up statements come after the incident), except a date of a later
    paragraph days before the lead's date (:func:`_after_lead`: background).  Dates in a future
    context ("would publish figures on Wednesday": :func:`future_context`), dates after
    publication, a dateline's date (:func:`in_dateline`), month/year dates ("in September 2017",
    "last year") and dates outside the window are never chosen; without a publication date only absolute dates qualify.  Returns
    None when nothing qualifies.  ``lookback_days`` defaults to the ``rashomon_dates`` component's
    configured window (30 days).
    """
    published = doc._.published
    if isinstance(published, dt.datetime):
        published = published.date()
    if lookback_days is None:
        lookback_days = int(doc.user_data.get(LOOKBACK_KEY, DEFAULT_LOOKBACK_DAYS))
    words = set(lexicon()["event_words"])

    def in_window(d: DateMention) -> bool:
        if published is None:
            ok = not d.relative
        else:
            ok = published - dt.timedelta(days=lookback_days) <= d.start <= published
        return ok and not in_dateline(d, doc) and not future_context(doc, d.span.start, d.span.end)

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
    lead_end = sentences[LEAD_SENTENCES - 1][1] if len(sentences) >= LEAD_SENTENCES else doc[-1].idx + 1 if len(doc) else 0
    for tier in tiers:
        if tier:
            return min(_after_lead(tier, lead_end), key=lambda d: (d.start, -(d.end - d.start).days, d.span.start))
    return None


LEAD_SENTENCES = 3
"""The headline and lead: the sentences that state the incident."""

BACKGROUND_DAYS = 3
"""A date of a later paragraph this many days before the lead's date tells of an earlier event."""


def _after_lead(tier: list[DateMention], lead_end: int) -> list[DateMention]:
    """The tier without the dates of later paragraphs that lie days before the lead's own date: the
    lead tells the incident, a background paragraph an earlier event ("a month ago, a bombing on 3
    May killed 12")."""
    lead = [d for d in tier if d.span.start < lead_end]
    if not lead:
        return tier
    first = min(d.start for d in lead)
    kept = [d for d in tier if d.span.start < lead_end or (first - d.start).days < BACKGROUND_DAYS]
    return kept or tier
