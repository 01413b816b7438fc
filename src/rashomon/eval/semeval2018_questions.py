"""Answering SemEval-2018 Task 5 questions from the incidents of an analysed store.

A question constrains the event type (killing / injuring), the time (a day, a month or a year),
the place (a city or a US state, as a DBpedia URI; the question text also names the state and the
GVA city) and a participant (first, last or full name).  Every incident of the store is looked at
through its reports (its articles, each with its own Mention); a report of an incident answers the
question when

* type: ``killing`` needs at least one killed, ``injuring`` at least one injured: the report's own
  largest figure decides, else the incident's, else (no figure at all) a cue word in the title and
  first paragraphs ("killed", "died", "fatal" / "injured", "wounded", "shot", "shooting");
  ``fire_burning`` / ``job_firing`` documents are not in the collection: 0 and no documents;
  figures above :data:`MAX_VICTIMS` are taken for statistics quoted in the report and ignored;
* time: the report's incident date (else the incident's date range) falls in the asked period;
* place: the report's incident place, or a place named in its first :data:`LEAD_CHARS` characters,
  has one of the asked names (URI city, GVA city or its neighbourhood) or lies within
  :data:`CITY_RADIUS_KM` of the city (resolved in the gazetteer within the asked state), and is not in
  another state; for a state, its subdivision is the state.  A report with no place of its own
  takes the incident's place (with none either, any place its articles name);
* participant: the name occurs (whole words, any case) in the title or text of one of the
  incident's articles.

Answer documents are the matching reports' documents grouped by incident.  S1 answers with one
incident (the name in a lead first, then the most mentions of the name, then the most matching
reports), S2 with the number of incidents, S3 with the sum of their killed (or injured) counts
(the reconciled best figure; 1 when only a cue says so).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote

from rashomon.cluster.features import haversine_km
from rashomon.eval.semeval2018_data import Answer, Question
from rashomon.geo import normalise
from rashomon.geo.gazetteer import get_gazetteer
from rashomon.models import Article, Figure, FigureRange, Incident, Mention, Place

CITY_RADIUS_KM = 12.0  # a place this close to the asked city counts as the city (suburbs, neighbourhoods)
LEAD_PARAGRAPHS = 3  # paragraphs of a report searched for type cues
LEAD_CHARS = 600  # places named this early in a report count as its place too
# Switches for ablations (docs/evaluation/semeval2018.md gives the figures without each one).
USE_CUES = True  # type cue words when no figure says
DOC_LEVEL = True  # a report's own date and place before the incident's
LEAD_PLACES = True  # places named in the lead of a report
REPORT_PLACES_FIRST = True  # a report's lead places before the incident's place
PLACE_FALLBACK = True  # an incident without a place: any place its articles name
MAX_VICTIMS = 100  # a larger killed/injured figure is a statistic quoted in the report, not this incident's toll
COUNTED_TYPES = {"killing": "killed", "injuring": "injured"}


# --------------------------------------------------------------------------- constraints

def period(time: dict[str, str]) -> tuple[dt.date, dt.date] | None:
    """The asked period: ``{"day": "dd/mm/yyyy"}``, ``{"month": "mm/yyyy"}`` or ``{"year": "yyyy"}``."""
    if "day" in time:
        d, m, y = (int(x) for x in time["day"].split("/"))
        day = dt.date(y, m, d)
        return day, day
    if "month" in time:
        m, y = (int(x) for x in time["month"].split("/"))
        return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
    if "year" in time:
        y = int(time["year"])
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    return None


def uri_name(uri: str) -> tuple[str, str | None]:
    """``.../Memphis,_Tennessee`` -> ("Memphis", "Tennessee"); ``.../Georgia_(U.S._state)`` -> ("Georgia", None)."""
    last = unquote(uri.rstrip("/").rsplit("/", 1)[-1]).replace("_", " ")
    last = re.sub(r"\s*\([^)]*\)", "", last).strip()
    name, _, qualifier = last.partition(",")
    return name.strip(), (qualifier.strip() or None)


_VERBOSE_PLACE = re.compile(r"in \(([^()]*(?:\([^()]*\)[^()]*)*)\) \((city|state)\)")
_QUOTED = re.compile(r"'([^']*)'")


def verbose_place(text: str) -> tuple[str | None, str | None, str | None]:
    """(state, city, neighbourhood) from "... in ('Illinois', 'Chicago (Englewood)') (city) ?"."""
    m = _VERBOSE_PLACE.search(text)
    if not m:
        return None, None, None
    parts = _QUOTED.findall(m.group(1))
    state = parts[0] if parts else None
    city = hood = None
    if len(parts) > 1:
        inner = re.search(r"\(([^)]*)\)", parts[1])
        hood = inner.group(1).strip() if inner else None
        city = re.sub(r"\s*\([^)]*\)", "", parts[1]).strip() or None
    return state, city, hood


@dataclass
class PlaceQuery:
    """The asked place, ready for matching."""

    kind: str  # "city" | "state"
    state_key: str | None  # normalised state name
    names: set[str] = field(default_factory=set)  # normalised city names that match by name
    points: list[tuple[float, float]] = field(default_factory=list)  # city centres for the radius test


@lru_cache(maxsize=100_000)
def _key(name: str | None) -> str:
    return normalise.key(name) if name else ""


def place_query(q: Question) -> PlaceQuery | None:
    if not q.location:
        return None
    kind, uri = next(iter(q.location.items()))
    name, qualifier = uri_name(uri)
    v_state, v_city, v_hood = verbose_place(q.verbose)
    gaz = get_gazetteer()
    if kind == "state":
        asked = v_state or name
        found = [
            c for c in gaz.lookup(asked, country_hint="US", kind="admin1")
            if c.kind == "admin1" and c.place.country_code == "US"
        ]
        return PlaceQuery("state", _key(found[0].place.name if found else asked))
    state = v_state or qualifier
    names = {_key(n) for n in (name, v_city, v_hood) if n}
    points: list[tuple[float, float]] = []
    for n in (name, v_city, v_hood):
        if not n:
            continue
        for c in gaz.lookup(n, country_hint="US", admin1_hint=state, kind="city"):
            lat, lon = c.place.lat, c.place.lon
            in_state = not state or _key(c.place.admin1) == _key(state)
            if c.place.country_code == "US" and lat is not None and lon is not None and in_state:
                points.append((lat, lon))
                break
    return PlaceQuery("city", _key(state) if state else None, names, points)


def place_matches(pq: PlaceQuery, place: Place | None) -> bool:
    if place is None:
        return False
    admin = _key(place.admin1)
    if pq.kind == "state":
        return place.country_code == "US" and (admin == pq.state_key or _key(place.name) == pq.state_key)
    if place.country_code and place.country_code != "US":
        return False
    if pq.state_key and admin and admin != pq.state_key:
        return False
    if _key(place.name) in pq.names:
        return True
    if place.lat is None or place.lon is None or place.precision not in ("point", "city"):
        return False
    return any(haversine_km(lat, lon, place.lat, place.lon) <= CITY_RADIUS_KM for lat, lon in pq.points)


def name_pattern(participant: dict[str, str]) -> re.Pattern[str] | None:
    """Whole-word, case-insensitive pattern for the asked name (spaces match any whitespace)."""
    if not participant:
        return None
    name = " ".join(next(iter(participant.values())).split())
    if not name:
        return None
    words = [re.escape(w) for w in name.split(" ")]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


# --------------------------------------------------------------------------- incidents and their reports

@dataclass
class Report:
    """One article of an incident as its own Mention tells it, with the GVA documents it stands for."""

    docs: list[str]
    day: dt.date | None  # the article's incident date, else None
    published: dt.date | None
    place: Place | None
    killed: int | None  # largest killed figure in the article (None: no figure)
    injured: int | None
    lead: str  # title and first paragraphs, lower case
    lead_places: list[Place] = field(default_factory=list)  # resolved places named in the first LEAD_CHARS
    cues: dict[str, bool] = field(default_factory=dict, repr=False)  # cue results by kind, filled on first use


@dataclass
class IncidentView:
    """What answering needs of one incident: reconciled date, place and figures, its reports and text."""

    id: str
    start: dt.date | None
    end: dt.date | None
    place: Place | None
    killed: int | None  # largest killed figure of any report (None: no figure)
    injured: int | None
    killed_best: int  # reconciled best figures (0 when none)
    injured_best: int
    reports: list[Report]
    text: str  # titles and texts of its articles (participant names are searched here)
    places: list[Place] = field(default_factory=list)  # every resolved place named in its articles
    cues: dict[str, bool] = field(default_factory=dict, repr=False)  # cue results by kind, filled on first use

    @property
    def docs(self) -> list[str]:
        return sorted({d for r in self.reports for d in r.docs})

    @property
    def lead(self) -> str:
        return "\n".join(r.lead for r in self.reports)


def lead_of(title: str | None, text: str, paragraphs: int = LEAD_PARAGRAPHS) -> str:
    """The title and the first ``paragraphs`` paragraphs of at least eight words, lower case."""
    kept = [p for p in text.split("\n\n") if len(p.split()) >= 8][:paragraphs]
    return "\n".join([title or "", *kept]).lower()


def _largest(figures: list[Figure], kind: str) -> int | None:
    points = [f.point for f in figures if f.kind == kind and f.point is not None and f.point <= MAX_VICTIMS
              and f.scope in ("total", "part")]
    return max(points) if points else None


def report_of(article: Article, mention: Mention | None, docs: list[str]) -> Report:
    figures = mention.figures if mention is not None else []
    return Report(
        docs=docs,
        day=mention.date.start if mention is not None and mention.date is not None else None,
        published=article.published,
        place=mention.place if mention is not None else None,
        killed=_largest(figures, "killed"),
        injured=_largest(figures, "injured"),
        lead=lead_of(article.title, article.text),
        lead_places=[
            pm.place for pm in (mention.places if mention is not None else [])
            if pm.place is not None and pm.span.start < LEAD_CHARS
        ],
    )


def incident_view(inc: Incident, reports: list[Report], text: str, places: list[Place] | None = None) -> IncidentView:
    def top(rng: FigureRange) -> int | None:
        vals = [v for v in (rng.high, rng.best, rng.low) if v is not None and v <= MAX_VICTIMS]
        vals += [f.point for f in rng.figures if f.point is not None and f.point <= MAX_VICTIMS
                 and f.scope != "other_incident"]
        return max(vals) if vals else None

    return IncidentView(
        id=inc.id, start=inc.date_start, end=inc.date_end or inc.date_start, place=inc.location,
        killed=top(inc.killed), injured=top(inc.injured),
        killed_best=inc.killed.best or 0, injured_best=inc.injured.best or 0, reports=reports, text=text,
        places=places or [],
    )


_CUES = {
    "killed": re.compile(
        r"\b(?:killed|kills?|dead|died|dies|death|fatal(?:ly)?|homicide|murder(?:ed|s)?|slain|slaying|deadly)\b"
    ),
    "injured": re.compile(
        r"\b(?:injur(?:ed|ies|y)|wound(?:ed|s)?|hurt|hospitali[sz]ed|(?:critical|stable|serious) condition"
        r"|life-threatening|grazed|shot|shooting)\b"
    ),
}


def _figure(kind: str, x: IncidentView | Report) -> int | None:
    return x.killed if kind == "killed" else x.injured


def has_victims(kind: str, view: IncidentView, report: Report | None = None) -> bool:
    """At least one killed (or injured): the report's figure, else the incident's, else a cue in the lead."""
    for source in (report, view):
        figure = _figure(kind, source) if source is not None else None
        if figure is not None:
            return figure >= 1
    if not USE_CUES:
        return False
    holder: Report | IncidentView = report if report is not None else view
    if kind not in holder.cues:
        holder.cues[kind] = bool(_CUES[kind].search(holder.lead))
    return holder.cues[kind]


def victims(kind: str, view: IncidentView) -> int:
    """The incident's count of killed (or injured): the reconciled best figure; 1 when only a cue says so."""
    if _figure(kind, view) is not None:
        best = view.killed_best if kind == "killed" else view.injured_best
        return best if best <= MAX_VICTIMS else 0
    return int(has_victims(kind, view))


def type_matches(event_type: str, view: IncidentView, report: Report | None = None) -> bool:
    kind = COUNTED_TYPES.get(event_type)
    return kind is not None and has_victims(kind, view, report)


def time_matches(span: tuple[dt.date, dt.date] | None, view: IncidentView, report: Report | None = None) -> bool:
    """The report's own incident date (else the incident's date range) falls in the asked period."""
    if span is None:
        return True
    if report is not None and report.day is not None and DOC_LEVEL:
        return span[0] <= report.day <= span[1]
    if view.start is None or view.end is None:
        return False
    return view.start <= span[1] and view.end >= span[0]


# --------------------------------------------------------------------------- answering

@dataclass
class Matcher:
    """Answers questions over a fixed list of incident views."""

    views: list[IncidentView]

    def place_ok(self, pq: PlaceQuery, v: IncidentView, report: Report | None = None) -> bool:
        """The report's place (else the incident place; with neither, any place its articles name) matches."""
        if report is not None and DOC_LEVEL:
            if report.place is not None and place_matches(pq, report.place):
                return True
            if LEAD_PLACES and any(place_matches(pq, p) for p in report.lead_places):
                return True
            if report.place is not None or (REPORT_PLACES_FIRST and report.lead_places):
                return False
        if v.place is not None:
            return place_matches(pq, v.place)
        return PLACE_FALLBACK and any(place_matches(pq, p) for p in v.places)

    def matching_reports(self, q: Question) -> dict[str, list[Report]]:
        """Incident id -> the reports of it that match every constraint of the question."""
        out: dict[str, list[Report]] = {}
        if q.event_type not in COUNTED_TYPES:
            return out
        span = period(q.time)
        pq = place_query(q)
        pattern = name_pattern(q.participant)
        for v in self.views:
            if pattern is not None and not pattern.search(v.text):
                continue
            kept = [
                r for r in v.reports
                if time_matches(span, v, r) and (pq is None or self.place_ok(pq, v, r)) and type_matches(q.event_type, v, r)
            ]
            if kept:
                out[v.id] = kept
        return out

    def answer(self, q: Question) -> Answer:
        found = self.matching_reports(q)
        by_id = {v.id: v for v in self.views}
        if q.subtask == 1 and len(found) > 1:
            pattern = name_pattern(q.participant)

            def rank(i: str) -> tuple[int, int, int, str]:
                reps = found[i]
                in_lead = sum(bool(pattern.search(r.lead)) for r in reps) if pattern is not None else 0
                named = len(pattern.findall(by_id[i].text)) if pattern is not None else 0
                return (in_lead, named, len(reps), i)

            best = max(found, key=rank)
            found = {best: found[best]}
        docs = {i: sorted({d for r in reps for d in r.docs}) for i, reps in found.items()}
        part = {i: {"num_killed": victims("killed", by_id[i]), "num_injured": victims("injured", by_id[i])} for i in found}
        if q.subtask == 3:
            kind = COUNTED_TYPES.get(q.event_type)
            number = sum(p["num_killed" if kind == "killed" else "num_injured"] for p in part.values())
        else:
            number = len(found)
        return Answer(number, docs, part)
