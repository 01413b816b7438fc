"""What each casualty figure counts: the incident's whole toll, a part of it, an estimate the
report says was superseded, a forecast, or the toll of another incident.

:func:`scope_figures` runs once per article after the components (it needs the article's dates
and the incident date chosen among them).  It sets three fields on every figure:

* ``scope`` — ``total`` unless its sentence or its place in the article says otherwise:

  - ``other_incident``: the nearest date in its sentence lies days before the incident ("on 3
    May, a car bomb killed 12"); its clause says so ("a week ago", "two days earlier, gunmen
    killed 9", "a similar raid", "a previous attack", "since the hotel siege that killed 40");
    or it points back at the previous sentence's other incident ("that attack left 9 dead");
  - ``earlier``: "initially", "previously", "an earlier estimate", "first reported", and the old
    count of a moving toll ("rose from 12 to 19", "up from 12");
  - ``projection``: a forecast ("could rise to 40", "is expected to exceed", "feared dead"); a
    hedge about the past ("may have been killed") is not one;
  - ``part``: a share of a larger count ("including 4 children", "two of them", "of these, 3",
    "among the dead were 3"), an addition ("two more", "another", "also") when the article gives
    a larger count of the kind, a toll split by site or moment in one sentence ("nine on the bridge,
    and two later in the clinic"), bodies found or received at one place, and a sub-group (children,
    foreigners, officers) when the article gives a larger general count;

* ``scope_reason`` — the words that decided it;
* ``reported_on`` — the day of the figure's report: a date in its sentence between the incident
  and the publication ("the toll rose to 19 on Monday"), else the publication date.

Two corrections come with it: a number whose own phrase names the wounded ("there are 40
wounded") is an injured figure whatever the sentence's main verb, and a figure of one victim
written as a singular noun ("the victim", "a policeman"), not as a number, is dropped when the
article counts that kind of casualty in numbers: the article is not about one victim.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from rashomon.extract.figures.scope_words import words
from rashomon.models import DateMention, Figure

OTHER_DAYS = 3
"""A date this many days or more before the incident date puts a figure in another incident."""

_ONE = re.compile(r"\b(one|1|single|lone)\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_CLAUSE_DEPS = frozenset({"advcl", "ccomp", "relcl", "conj", "parataxis", "xcomp", "acl"})
_LONG_UNITS = frozenset({"months", "years", "decade", "decades"})
_GOVERNOR_DEPS = frozenset({"advmod", "npadvmod", "prep", "aux", "auxpass", "neg", "nsubj", "nsubjpass", "mark"})
_CASUALTY_HEADS = frozenset({"dead", "killed", "victims", "victim", "fatalities", "wounded", "injured", "casualties",
                             "deceased", "bodies", "people", "persons"})


@dataclass
class _Seen:
    """A figure with the tokens it stands on."""

    fig: Figure
    number: Span  # the number phrase
    sent: Span
    clause: list[Token]  # the tokens of the clause that holds the number
    scope: str = "total"
    reason: str | None = None


def _parsed(sent: Span) -> bool:
    return any(t.dep_ for t in sent)


def _clause(number: Span, sent: Span) -> list[Token]:
    """The clause holding the number: the subtree of its nearest verb (of the first verb of a
    coordination: "a policeman was killed and two were hurt" share their adverbials), less the
    clauses that hang from it and do not hold the number, plus the words that govern it (the
    reporting verb above and its subject and adverbs: "an earlier estimate had put it at 15",
    "it was initially reported that 30 died"); the whole sentence when it is not parsed."""
    if not _parsed(sent):
        return list(sent)
    verb: Token | None = number.root
    while verb is not None and verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if verb is None or verb.pos_ not in ("VERB", "AUX"):
        return list(sent)
    while verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    inside = {t.i for t in verb.subtree}
    for child in verb.children:
        if child.dep_ in _CLAUSE_DEPS and not (child.left_edge.i <= number.start <= child.right_edge.i):
            inside -= {t.i for t in child.subtree}
    for above in verb.ancestors:
        inside.add(above.i)
        for child in above.children:
            if child.dep_ in _GOVERNOR_DEPS:
                inside |= {t.i for t in child.subtree}
    return [t for t in sent if t.i in inside]


def _number_span(doc: Doc, fig: Figure) -> Span | None:
    span = doc.char_span(fig.span.start, fig.span.end, alignment_mode="expand")
    return span if span is not None and len(span) else None


def _dates_in(sent: Span, dates: list[DateMention]) -> list[DateMention]:
    lo, hi = sent.start_char, sent.end_char
    return [d for d in dates if d.span.start >= lo and d.span.end <= hi]


def _nearest_date(seen: _Seen, dates: list[DateMention]) -> DateMention | None:
    mid = (seen.number.start_char + seen.number.end_char) // 2
    inside = _dates_in(seen.sent, dates)
    clause_ids = {t.idx for t in seen.clause}
    in_clause = [d for d in inside if any(d.span.start <= i < d.span.end for i in clause_ids)]
    pool = in_clause or inside
    if not pool:
        return None
    return min(pool, key=lambda d: min(abs(d.span.start - mid), abs(d.span.end - mid)))


def _before(seen: _Seen) -> list[Token]:
    return [t for t in seen.clause if t.i < seen.number.start]


def _other_incident(seen: _Seen, dates: list[DateMention], day: dt.date | None) -> str | None:
    w = words()
    near = _nearest_date(seen, dates)
    if (day is not None and near is not None and near.precision in ("day", "week", "month", "year")
            and (day - near.end).days >= OTHER_DAYS):
        return f"dated {near.span.text!r}, before the incident"
    toks = seen.clause
    lowers = [t.lower_ for t in toks]
    for i, t in enumerate(toks):
        low = lowers[i]
        if low in w.other_adverbs and i and (lowers[i - 1] in w.time_units or lowers[i - 1].isdigit()):
            return " ".join(lowers[max(0, i - 2) : i + 1])
        if low in ("earlier", "before") and i and lowers[i - 1] in w.time_units and not set(lowers) & w.report:
            return " ".join(lowers[max(0, i - 2) : i + 1])
        if low in ("past", "last") and any(x.lower_ in _LONG_UNITS for x in toks[i + 1 : i + 4]):
            return "a period: " + " ".join(lowers[i : i + 4])
        if low in w.other_adjectives and t.i < seen.number.start:
            nxt = next((x for x in toks[i + 1 : i + 3] if x.lower_ in w.events), None)
            if nxt is not None:
                return f"{low} {nxt.lower_}"
        if low == "since" and t.i < seen.number.start and any(
                x.lower_ in w.events for x in toks[i + 1 : i + 6] if x.i < seen.number.start):
            return "since " + " ".join(x.lower_ for x in toks[i + 1 : i + 5] if x.i < seen.number.start)
    return None


def _refers_back(seen: _Seen) -> bool:
    """"That attack left 9 dead": a demonstrative before an event noun, at the clause's start."""
    w = words()
    toks = _before(seen)
    for a, b in pairwise(toks):
        if a.lower_ == "that" and b.lower_ in w.events:
            return True
    return False


def _earlier(seen: _Seen) -> str | None:
    w = words()
    before = _before(seen)
    lowers = [t.lower_ for t in before]
    start = seen.number.start
    doc = seen.number.doc
    j = start - 1
    while j >= seen.sent.start and doc[j].lower_ in ("at", "least", "than", "more", "about", "around", "nearly",
                                                       "some", "over", "almost", "roughly", "approximately"):
        j -= 1
    rising = j >= seen.sent.start and doc[j].lower_ == "from" and any(t.lower_ in w.rise for t in doc[seen.sent.start : j])
    if rising and not (seen.fig.scope_reason or "").startswith("up from"):  # "from 12 to 19" is 19 (_moved)
        return "the old count of a rising toll (from)"
    for i, low in enumerate(lowers):
        if low == "first":
            if i + 1 < len(lowers) and lowers[i + 1] in w.report:
                return f"first {lowers[i + 1]}"
        elif low in w.earlier and low != "before" and (
                set(lowers) & w.report or any(t.lower_ in w.report for t in seen.clause)):
            return low
    return None


def _projection(seen: _Seen) -> str | None:
    w = words()
    toks = seen.clause
    lowers = [t.lower_ for t in toks]
    for i, low in enumerate(lowers):
        if low in w.modals and (i + 1 >= len(lowers) or lowers[i + 1] != "have"):
            after = lowers[i + 1 : i + 5]
            if any(x in w.rise for x in after):
                return f"{low} {' '.join(after[:2])}"
        if low in w.projection and (low == "feared" or any(x in w.rise for x in lowers[i + 1 : i + 5])):
            return low
    return None


def _part(seen: _Seen) -> str | None:
    w = words()
    doc = seen.number.doc
    end = seen.number.end
    after = [t.lower_ for t in doc[end : min(end + 3, seen.sent.end)]]
    if after[:1] == ["of"] and len(after) > 1 and (
            after[1] in w.part_heads - {"the"} or (after[1] == "the" and len(after) > 2 and after[2] in _CASUALTY_HEADS)):
        return "of " + " ".join(after[1:3])
    lead = [t.lower_ for t in doc[max(seen.sent.start, seen.number.start - 3) : seen.number.start]]
    if any(x in w.part_leads for x in lead):
        return next(x for x in lead if x in w.part_leads)
    first = [t.lower_ for t in seen.sent[:3]]
    if first[:1] in (["of"], ["among"], ["amongst"]) and seen.number.start > seen.sent.start + 2:
        opening = " ".join(t.text for t in seen.sent[:3])
        if not (first[:1] == ["of"] and seen.number.start <= seen.sent.start + 3):
            return opening.lower()
    return None


def _bodies(seen: _Seen) -> str | None:
    w = words()
    lowers = {t.lower_ for t in seen.clause}
    doc = seen.number.doc
    counted = {t.lower_ for t in doc[seen.number.end : min(seen.number.end + 2, seen.sent.end)]}
    if counted & w.body_nouns and lowers & w.body_verbs and not lowers & w.total:
        return "bodies found or received at one place"
    return None


def _fix_kind(seen: _Seen) -> Figure:
    """A number whose own phrase names the wounded (or the dead) is a figure of that kind."""
    w = words()
    doc = seen.number.doc
    skip = {"people", "persons", "others", "other", "more", "were", "are", "was", "have", "been", "being", "civilians"}
    j = seen.number.end
    while j < seen.sent.end and j < seen.number.end + 3 and doc[j].lower_ in skip:
        j += 1
    if j >= seen.sent.end:
        return seen.fig
    word = doc[j]
    nxt = doc[j + 1] if j + 1 < seen.sent.end else None
    modifies_noun = nxt is not None and nxt.pos_ in ("NOUN", "PROPN")
    later = [t.lower_ for t in doc[j + 1 : min(seen.sent.end, j + 8)]]
    if seen.fig.kind == "killed" and (word.lower_ in w.injury and not modifies_noun or _in_condition(later)):
        return seen.fig.model_copy(update={"kind": "injured"})
    if seen.fig.kind == "injured" and word.lower_ in ("dead", "killed") and not modifies_noun:
        return seen.fig.model_copy(update={"kind": "killed"})
    if seen.fig.kind == "injured" and word.lower_ in w.injury and modifies_noun and set(later) & _DIED:
        return seen.fig.model_copy(update={"kind": "killed"})  # "two wounded victims died"
    if seen.fig.kind == "killed" and later[:2] in (["of", "whom"], ["of", "them"]) and _after_injured(seen):
        return seen.fig.model_copy(update={"kind": "injured"})  # "80 were treated, 12 of whom ..."
    return seen.fig


_DIED = frozenset({"died", "die", "dies", "succumbed", "perished"})


def _in_condition(words_after: list[str]) -> bool:
    """"... were in critical condition": a count of the wounded."""
    for i, word in enumerate(words_after[:-1]):
        if word in ("critical", "serious", "stable", "grave") and words_after[i + 1] == "condition":
            return True
    return False


def _after_injured(seen: _Seen) -> bool:
    """Does the phrase just before "N of whom" count the wounded ("medics cared for 80 patients,
    12 of whom")?"""
    doc = seen.number.doc
    before = [t.lower_ for t in doc[max(seen.sent.start, seen.number.start - 6) : seen.number.start]]
    return bool(set(before) & (words().injury | {"treated", "hospital"})) and not set(before) & words().death


def _moved(seen: _Seen, fig: Figure) -> Figure:
    """"rose from 12 to 19" is read as the range 12-19 by the number finder; it is the count 19,
    up from 12."""
    doc = seen.number.doc
    before = doc[seen.number.start - 1] if seen.number.start > seen.sent.start else None
    if before is None or before.lower_ != "from" or fig.low is None or fig.high is None or fig.low == fig.high:
        return fig
    if not any(t.lower_ in words().rise for t in doc[seen.sent.start : before.i]):
        return fig
    return fig.model_copy(update={"value": fig.high, "low": fig.high, "qualifier": None,
                                  "scope_reason": f"up from {fig.low}"})


def _singular(fig: Figure) -> bool:
    """A one-victim figure written as a noun, not a number ("the victim", "a policeman")."""
    return fig.point == 1 and not _DIGIT.search(fig.text) and not _ONE.search(fig.text)


def _head_noun(fig: Figure) -> str:
    group = (fig.group or "").lower().split()
    return group[-1] if group else ""


def _reported_on(seen: _Seen, dates: list[DateMention], day: dt.date | None, published: dt.date | None) -> dt.date | None:
    """The day its sentence gives between the incident and the publication (for a toll that moved,
    the latest such day: "the toll from Saturday's blast rose to 14 on Monday"), else the
    publication day."""
    if day is not None and published is not None and {t.lower_ for t in seen.clause} & words().rise:
        days = [d.start for d in _dates_in(seen.sent, dates) if d.precision == "day" and day <= d.start <= published]
        if days:
            return max(days)
    near = _nearest_date(seen, dates)
    if (near is not None and near.precision == "day" and day is not None and published is not None
            and day <= near.start <= published):
        return near.start
    return published


def scope_figures(doc: Doc, figures: list[Figure], dates: list[DateMention], incident: DateMention | None) -> list[Figure]:
    """The article's figures with ``scope``, ``scope_reason`` and ``reported_on`` set (see the
    module docstring); singular-noun figures of a counted kind dropped."""
    published = doc._.published if isinstance(doc._.published, dt.date) else None
    day = incident.start if incident is not None else published
    seen: list[_Seen] = []
    for fig in figures:
        number = _number_span(doc, fig)
        if number is None:
            seen.append(_Seen(fig, doc[0:0], doc[0:0], []))
            continue
        sent = number.sent
        item = _Seen(fig, number, sent, _clause(number, sent), fig.scope, fig.scope_reason)
        item.fig = _moved(item, _fix_kind(item))
        seen.append(item)
    other_sents = _dated_before(doc, dates, day)
    for item in seen:
        if not len(item.number) or item.scope == "other_incident":  # the figures component placed it elsewhere
            continue
        _decide(item, dates, day)
        if item.scope == "other_incident":
            other_sents.add(item.sent.start)
    _anaphora(seen, other_sents)
    _relative_parts(seen)
    counted = {(s.fig.kind) for s in seen if s.scope not in ("other_incident", "projection")
               and not _singular(s.fig) and (s.fig.point or 0) >= 2}
    out: list[Figure] = []
    for item in seen:
        if _singular(item.fig) and item.fig.kind in counted:
            continue
        reported = _reported_on(item, dates, day, published) if len(item.number) else published
        out.append(item.fig.model_copy(update={"scope": item.scope, "scope_reason": item.reason or item.fig.scope_reason,
                                               "reported_on": reported}))
    return out


def _dated_before(doc: Doc, dates: list[DateMention], day: dt.date | None) -> set[int]:
    """The sentences (by first token) holding a date days before the incident."""
    out: set[int] = set()
    if day is None:
        return out
    for d in dates:
        if (day - d.end).days >= OTHER_DAYS:
            span = doc.char_span(d.span.start, d.span.end, alignment_mode="expand")
            if span is not None and len(span):
                out.add(span.sent.start)
    return out


def _decide(item: _Seen, dates: list[DateMention], day: dt.date | None) -> None:
    for scope, rule in (("other_incident", lambda: _other_incident(item, dates, day)),
                        ("earlier", lambda: _earlier(item)),
                        ("projection", lambda: _projection(item)),
                        ("part", lambda: _part(item)),
                        ("part", lambda: _bodies(item))):
        reason = rule()
        if reason:
            item.scope, item.reason = scope, reason
            return


def _anaphora(seen: list[_Seen], other_sents: set[int]) -> None:
    """A figure whose clause points back ("that attack") at a sentence about another incident."""
    for item in seen:
        if item.scope != "total" or not len(item.number) or not _refers_back(item):
            continue
        doc = item.number.doc
        prev = doc[item.sent.start - 1].sent if item.sent.start > 0 else None
        while prev is not None and not prev.text.strip() and prev.start > 0:
            prev = doc[prev.start - 1].sent
        if prev is not None and prev.start in other_sents:
            item.scope, item.reason = "other_incident", "refers back to another incident"


def _relative_parts(seen: list[_Seen]) -> None:
    """Parts that need the article's other figures: additions, split tolls, sub-groups."""
    w = words()
    for item in [s for s in seen if len(s.number) and s.scope == "total"]:
        kind, point = item.fig.kind, item.fig.point or 0
        larger = [s for s in seen if s.fig.kind == kind and (s.fig.point or 0) > point
                  and s.scope in ("total", "part") and not _singular(s.fig)]
        if not larger:
            continue
        lowers = {t.lower_ for t in item.clause}
        if _near_total(item) and _head_noun(item.fig) not in w.subgroups:
            continue
        reason = _addition(item, lowers) or _raised(item, larger) or _split(item, seen)
        if reason is None and _head_noun(item.fig) in w.subgroups:
            reason = f"a group ({item.fig.group}) of a larger count"
        if reason is None and point == 1:
            reason = "one person, in an article that counts more"
        if reason:
            item.scope, item.reason = "part", reason


def _addition(item: _Seen, lowers: set[str]) -> str | None:
    """"two more", "another five", "also killed": an addition to a larger count."""
    w = words()
    doc = item.number.doc
    before = [t.lower_ for t in doc[max(item.sent.start, item.number.start - 2) : item.number.start]]
    after = [t.lower_ for t in doc[item.number.end : min(item.sent.end, item.number.end + 2)]]
    word = next((x for x in before if x in w.addition and x != "more"), None)
    if word is None and after[:1] == ["more"] and after[1:2] != ["than"]:
        word = "more"
    if word is None and "also" in lowers:
        word = "also"
    return f"in addition to a larger count ({word})" if word else None


def _site(item: _Seen) -> bool:
    """Does the clause say where or when its victims died ("at the scene", "died in hospital",
    "died right at the station")?"""
    toks = item.clause
    if {t.lower_ for t in toks} & words().sites:
        return True
    for i, t in enumerate(toks):
        if t.lower_ in ("died", "perished") and any(x.lower_ in ("at", "in", "on") for x in toks[i + 1 : i + 3]):
            return True
    return False


def _split(item: _Seen, seen: list[_Seen]) -> str | None:
    """One toll split by site or moment: "nine died on the bridge and two later in the clinic";
    "Four of them died in the clinic. Six died on the pier" (the next sentence of such a part)."""
    if not _site(item):
        return None
    same = [s for s in seen if s is not item and s.sent.start == item.sent.start and s.fig.kind == item.fig.kind
            and s.scope in ("total", "part")]
    beside = [s for s in seen if s is not item and s.sent.start != item.sent.start and s.fig.kind == item.fig.kind
              and s.scope == "part" and abs(s.sent.start - item.sent.start) <= 60 and _site(s)
              and (s.sent.end == item.sent.start or item.sent.end == s.sent.start
                   or not s.number.doc[min(s.sent.end, item.sent.end) : max(s.sent.start, item.sent.start)].text.strip())]
    if beside:
        return "one site or moment of a toll split over two sentences"
    if not same:
        return None
    reason = "one site or moment of a toll split in the sentence"
    for other in same:
        if other.scope == "total" and not _near_total(other):
            other.scope, other.reason = "part", reason
    return reason


def _near_total(item: _Seen) -> bool:
    """A total word just before or after the number ("the death toll to 14", "a total of 30")."""
    doc = item.number.doc
    near = {t.lower_ for t in doc[max(item.sent.start, item.number.start - 5) : item.number.end + 3]}
    return bool(near & words().total)


def _raised(item: _Seen, larger: list[_Seen]) -> str | None:
    """A smaller count in the sentence of a larger one that a rise verb or toll word governs:
    "two more victims died, raising the toll to 22" (the two are the new deaths)."""
    w = words()
    for other in larger:
        if other.sent.start == item.sent.start and {t.lower_ for t in other.clause} & (w.rise | w.total):
            return "in addition: deaths that raised the toll"
    return None
