"""The records that flow through Rashomon.

Every stage reads and writes these typed records (pydantic models); nothing passes
loose dicts between stages.  The flow is

    Article --extract--> Mention (+ Figures, Claims, Places, Actors, Framing)
            --cluster--> Story --reconcile--> Incident (+ Disagreements)

Every extracted fact carries a :class:`Span` (article id + character offsets + text)
so an Incident's fields can always answer "where does this come from?".
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    """Base for all records: strict field names, JSON round-trip."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# --------------------------------------------------------------------------- ingest

class IngestStatus(str, Enum):
    ingested = "ingested"  # stored, waiting for extraction
    extracted = "extracted"  # mention written
    clustered = "clustered"  # assigned to a story
    failed = "failed"  # extraction raised: the reason is kept (``Store.failures``), the run went on


Precision = Literal["day", "week", "month", "year", "unknown"]


class Article(Record):
    """One report, as ingested.  ``id`` is a hash of the normalised text."""

    id: str
    source: str  # path, path#line, path#record, or URL
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    byline: str | None = None
    published: dt.date | None = None
    published_precision: Precision = "unknown"
    language: str = "en"
    text: str
    original_source: str | None = None  # "The original source of this article is X"
    credits: list[str] = Field(default_factory=list)  # wire credits: "AFP", "Reuters"
    status: IngestStatus = IngestStatus.ingested


class Rejection(Record):
    """An input that was not ingested, with the reason (kept in the store)."""

    source: str
    reason: str


class ExtractFailure(Record):
    """An article whose extraction raised: its id and the error as one line."""

    article_id: str
    reason: str


class IngestOutcome(Record):
    """The result of reading one input unit (a file, a JSONL line, a WARC record)."""

    source: str
    article: Article | None = None
    rejection: Rejection | None = None


# --------------------------------------------------------------------------- evidence

class Span(Record):
    """Where a fact stands: an article, character offsets into its text, the text."""

    article_id: str
    start: int
    end: int
    text: str


class Speaker(Record):
    """Who says something.  ``anonymous`` is true for unnamed sources ("a US official")."""

    name: str  # as written, normalised for display ("US military official")
    role: str | None = None  # "spokesman", "head", "official"
    organisation: str | None = None
    anonymous: bool = False
    kind: Literal["person", "organisation", "media", "government", "unknown", "unresolved"] = "unknown"


class Claim(Record):
    """An attributed statement: speaker + cue + content."""

    id: str
    article_id: str
    speaker: Speaker
    speaker_span: Span | None = None
    cue: str  # lemma of the cue ("say", "according to", "describe")
    cue_span: Span | None = None
    content: Span
    sentence: Span
    direct: bool  # direct quotation (in quotation marks) or reported speech


FigureKind = Literal["killed", "injured", "missing", "arrested", "displaced", "kidnapped"]

# What a figure counts, read from its sentence and its place in the article:
# total: this incident's toll as this account gives it; part: a share of it (a group, a site, a
# later death: ``scope_reason`` says which); earlier: an estimate the report says was superseded;
# projection: a forecast or hedge ("could rise to"); other_incident: a toll of another event.
FigureScope = Literal["total", "part", "earlier", "projection", "other_incident"]

# Who a figure counts, coarsely: one side of the incident when the figure names its actor (side a
# initiates, side b is targeted), else the security forces of a state, the attackers, civilians,
# or people not said to be either.  UCDP's columns: deaths_a = side_a + security_forces,
# deaths_b = side_b + attackers, deaths_civilians, deaths_unknown (docs/reconciliation.md).
CasualtyGroup = Literal["civilians", "security_forces", "attackers", "side_a", "side_b", "unknown"]


class Figure(Record):
    """A casualty-type number claimed about the incident."""

    id: str
    article_id: str
    kind: FigureKind
    value: int | None = None  # exact value when one number was written
    low: int | None = None  # lower bound (None = unknown)
    high: int | None = None  # upper bound (None = open)
    qualifier: str | None = None  # as written: "at least", "more than", "about", "dozens"
    text: str  # the number phrase as written ("more than 100")
    group: str | None = None  # who is counted ("Syrian pro-government forces")
    speaker: Speaker | None = None  # None: unattributed (the outlet's own voice)
    claim_id: str | None = None
    span: Span
    sentence: Span
    scope: FigureScope = "total"
    scope_reason: str | None = None  # the words that decided the scope ("previously", "in 2011")
    reported_on: dt.date | None = None  # the day the figure was reported (sentence date, else publication)

    @property
    def point(self) -> int | None:
        """One number standing for the figure: the value, else the lower bound, else the upper."""
        if self.value is not None:
            return self.value
        return self.low if self.low is not None else self.high


class DateMention(Record):
    """A date or date range in the text, resolved against the publication date."""

    span: Span
    start: dt.date
    end: dt.date
    precision: Precision
    relative: bool = False  # resolved from "Wednesday", "yesterday", "last week"


class Place(Record):
    """A resolved location.  ``precision`` says how specific it is."""

    name: str
    geonames_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    country: str | None = None
    country_code: str | None = None  # ISO 3166-1 alpha-2
    feature: str | None = None  # "city", "admin1", "country", "region", "river", ...
    precision: Literal["point", "city", "admin1", "region", "country", "unknown"] = "unknown"


class PlaceMention(Record):
    span: Span
    place: Place | None = None  # None: not resolved in the gazetteer
    role: Literal["incident", "context", "origin", "unknown"] = "unknown"


class Actor(Record):
    """An actor named in an article, normalised."""

    name: str  # normalised ("Syrian Democratic Forces")
    text: str  # as written ("SDF")
    kind: Literal["state_force", "armed_group", "government", "civilians", "police", "other"] = "other"
    side: Literal["a", "b"] | None = None  # a: perpetrator/initiator, b: target/victim
    span: Span | None = None


class Framing(Record):
    """A loaded term ("war crime", "unprovoked attack") and who uses it."""

    term: str  # normalised
    category: str  # "condemnation", "justification", "euphemism", ...
    span: Span
    speaker: Speaker | None = None


class EventType(Record):
    """Event type from Rashomon's taxonomy (docs/taxonomy.md), with its ACLED mapping."""

    code: str  # e.g. "air_strike"
    acled_event_type: str  # "Explosions/Remote violence"
    acled_sub_event_type: str  # "Air/drone strike"
    score: float = 0.0
    evidence: list[Span] = Field(default_factory=list)


class Mention(Record):
    """The incident as one article tells it."""

    id: str
    article_id: str
    event_type: EventType | None = None
    date: DateMention | None = None  # the incident date chosen among ``dates``
    dates: list[DateMention] = Field(default_factory=list)
    place: Place | None = None  # the incident place chosen among ``places``
    place_span: Span | None = None
    places: list[PlaceMention] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    weapons: list[str] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    framing: list[Framing] = Field(default_factory=list)


# --------------------------------------------------------------------------- stories & incidents

Relation = Literal["original", "republication", "rewrite", "independent"]


class ReuseLink(Record):
    """Text shared between two articles; ``source`` is the earlier one."""

    source_id: str
    target_id: str
    share: float  # share of the target's text found in the source
    passages: list[tuple[Span, Span]] = Field(default_factory=list)  # (source span, target span)


class StoryArticle(Record):
    article_id: str
    relation: Relation = "independent"
    copied_from: str | None = None  # article id, or an outlet name when the original is not in the store


class Story(Record):
    """Articles that report one incident."""

    id: str
    articles: list[StoryArticle]


class FigureExclusion(Record):
    """A figure of the incident that sets no bound, and why."""

    figure_id: str
    reason: str


class GroupToll(Record):
    """low/best/high for one group of people (UCDP's sides), each bound naming its Figure."""

    group: CasualtyGroup
    actor: str | None = None  # the actor a side_a / side_b group names
    low: int | None = None
    best: int | None = None
    high: int | None = None
    low_figure: str | None = None
    best_figure: str | None = None
    high_figure: str | None = None


class TollPoint(Record):
    """One step of an incident's toll as it was reported over time."""

    kind: FigureKind
    reported_on: dt.date | None
    low: int | None = None
    high: int | None = None
    figure_id: str
    article_id: str
    speaker: str | None = None
    outlet: str | None = None


class FigureRange(Record):
    """low/best/high of one figure kind, each bound naming the Figure it came from."""

    low: int | None = None
    best: int | None = None
    high: int | None = None
    low_figure: str | None = None  # Figure id
    best_figure: str | None = None
    high_figure: str | None = None
    figures: list[Figure] = Field(default_factory=list)  # every figure of this kind
    independent_figures: list[str] = Field(default_factory=list)  # ids of those used for the bounds
    floor: int | None = None  # the sum of disjoint parts, when no total is larger
    floor_figures: list[str] = Field(default_factory=list)
    excluded: list[FigureExclusion] = Field(default_factory=list)  # figures that set no bound, with why
    groups: list[GroupToll] = Field(default_factory=list)  # per group, where reports give groups


class DisagreementValue(Record):
    value: str
    speakers: list[str]
    article_ids: list[str]


class Disagreement(Record):
    field: str  # "killed", "injured", "date", "place", "event_type", "framing"
    values: list[DisagreementValue]


class SourceInfo(Record):
    article_id: str
    title: str | None
    outlet: str | None
    published: dt.date | None
    original_source: str | None
    relation: Relation
    copied_from: str | None = None


CorrectionOp = Literal["merge", "move", "figure", "set", "alias", "reviewed", "note", "undo"]


class Correction(Record):
    """One entry of the store's append-only corrections log (docs/review.md): a person's decision."""

    id: str
    seq: int  # order in the log
    who: str
    at: str  # UTC time, ISO 8601
    operation: CorrectionOp
    target: dict[str, Any]  # content-based ids: incident (+ its articles), article, figure, claim, correction
    before: dict[str, Any] = Field(default_factory=dict)
    after: dict[str, Any] = Field(default_factory=dict)
    reason: str = ""


class CorrectionRef(Record):
    """A correction as an incident lists it: which one, who, what and why."""

    id: str
    who: str
    at: str
    operation: CorrectionOp
    reason: str
    field: str | None = None  # the field or figure it changed ("killed_best", "figure f1a2...")


class Incident(Record):
    """The reconciled record of one incident, every field traceable to spans."""

    id: str
    story_id: str
    date_start: dt.date | None
    date_end: dt.date | None
    date_precision: Precision
    date_evidence: list[Span] = Field(default_factory=list)
    location: Place | None
    location_evidence: list[Span] = Field(default_factory=list)
    actors_a: list[Actor] = Field(default_factory=list)
    actors_b: list[Actor] = Field(default_factory=list)
    event_type: EventType | None
    weapons: list[str] = Field(default_factory=list)
    killed: FigureRange
    injured: FigureRange
    disagreements: list[Disagreement] = Field(default_factory=list)
    sources: list[SourceInfo] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    framing: list[Framing] = Field(default_factory=list)
    first_reported: dt.date | None = None
    toll_timeline: list[TollPoint] = Field(default_factory=list)  # first report and each revision
    reviewed: bool = False  # a person marked it reviewed (rashomon review reviewed)
    corrections: list[CorrectionRef] = Field(default_factory=list)  # in force, in log order
    machine_values: dict[str, Any] = Field(default_factory=dict)  # per corrected field: the machine's value
