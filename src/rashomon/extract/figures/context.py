"""Context rules of the figures component: its word lists, whose figure a number is, and which
figures count something other than the incident.

* :func:`context` — the word lists of ``patterns/figure_context.json`` (see its ``_about``);
* :func:`speaker_claim` — the claim (and so the speaker) a figure belongs to;
* :func:`injury_phrase`, :func:`tally_kind`, :func:`toll_kind` — injury phrases ("treated for
  gunshot wounds"), the kind a word names after "the number of", and tolls ("the death toll rose
  to 12");
* :func:`background` — a running total of a wider conflict ("the insurgency has killed 40,000",
  "killed 300 people since 2009") rather than the incident's count;
* :func:`other_incident` — a figure told of another, earlier incident ("since 2007, when 28 were
  killed", "26 people died in Newtown").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from spacy.tokens import Doc, Span, Token

from rashomon.extract.text.lexicon import all_casualty_words, casualty_terms, read_json
from rashomon.models import Claim, FigureKind

_WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
_MONTH_NAMES_ORDERED = ("january", "february", "march", "april", "may", "june", "july", "august",
                        "september", "october", "november", "december")
_MONTH_NAMES = frozenset(_MONTH_NAMES_ORDERED)


@dataclass(frozen=True)
class Context:
    """The word lists of ``patterns/figure_context.json`` (see its ``_about``)."""

    injury_leads: frozenset[str]
    injury_nouns: frozenset[str]
    tally_nouns: frozenset[str]
    tally_links: frozenset[str]
    loss_verbs: frozenset[str]
    personnel_nouns: frozenset[str]
    background_nouns: frozenset[str]
    period_words: frozenset[str]
    scope_adverbs: frozenset[str]
    scope_nouns: frozenset[str]
    partitive_nouns: dict[str, FigureKind]  # word -> kind


@lru_cache(maxsize=1)
def context() -> Context:
    data = read_json("figure_context.json")
    words = {key: frozenset(value) for key, value in data.items() if isinstance(value, list)}
    nouns = data["partitive_nouns"].items()
    return Context(
        injury_leads=words["injury_leads"],
        injury_nouns=words["injury_nouns"],
        tally_nouns=words["tally_nouns"],
        tally_links=words["tally_links"],
        loss_verbs=words["loss_verbs"],
        personnel_nouns=words["personnel_nouns"],
        background_nouns=words["background_nouns"],
        period_words=words["period_words"],
        scope_adverbs=words["scope_adverbs"],
        scope_nouns=words["scope_nouns"],
        partitive_nouns={w: cast(FigureKind, kind) for kind, ws in nouns for w in ws},
    )


def speaker_claim(claims: list[Claim], start: int, end: int) -> Claim | None:
    """The claim a number at ``start:end`` belongs to: the innermost content holding it, else the
    claim of the same sentence whose cue is nearest."""
    holding = [c for c in claims if c.content.start <= start and end <= c.content.end]
    if holding:
        return min(holding, key=lambda c: c.content.end - c.content.start)
    near = [c for c in claims if c.sentence.start <= start and end <= c.sentence.end]
    if near:
        return min(near, key=lambda c: abs((c.cue_span.start if c.cue_span else c.content.start) - start))
    return None


def injury_phrase(doc: Doc, j: int, hi: int) -> bool:
    """Does an injury phrase start at ``j`` ("sustained various degrees of injury", "treated for
    gunshot wounds", "with burns")?"""
    ctx = context()
    if j >= hi or doc[j].lower_ not in ctx.injury_leads:
        return False
    for k in range(j + 1, min(hi, j + 6)):
        if doc[k].lower_ in ctx.injury_nouns:
            return True
        if doc[k].is_punct or doc[k].like_num:
            return False
    return False


def tally_kind(word: str) -> FigureKind | None:
    """The kind a word names after "the number of" ("dead", "killed", "injured", "deaths")."""
    for terms in casualty_terms():
        if word in terms.count_nouns or (word,) in terms.after:
            return terms.kind
    return None


def toll_kind(doc: Doc, start: int, lo: int) -> FigureKind | None:
    """ "the death toll rose to 12", "a toll of 12", "the death toll from Friday's strike on the
    station has risen to 12" (a toll word up to 25 words back when the number follows a link word and
    no comma stands between); "the number of dead rose to six", "the
    number of people killed when police opened fire ... has risen to seven", "put the number
    of injured at between 15 and 20" (the number at token ``start``, right after "to", "at",
    "reached"...)."""
    ctx = context()
    linked = start - 1 >= lo and doc[start - 1].lower_ in ctx.tally_links
    for p in range(start - 1, max(lo, start - (25 if linked else 8)) - 1, -1):
        tok = doc[p]
        if tok.like_num or tok.text in ".;:!?":
            return None
        if linked and tok.lower_ in ctx.tally_nouns and p + 1 < start and doc[p + 1].lower_ == "of":
            for q in range(p + 2, min(p + 5, start)):
                kind = tally_kind(doc[q].lower_)
                if kind is not None:
                    return kind
        if tok.lower_ == "toll" and (start - p <= 8 or (linked and "," not in doc[p:start].text)):
            before = doc[p - 1].lower_ if p - 1 >= lo else ""
            for word in (before, ""):  # "death toll", "injury toll"; a bare "toll" (listed as "")
                for terms in casualty_terms():
                    if word in terms.toll:
                        return terms.kind
            return None
    return None


#####
def _predicate(doc: Doc, tok: Token) -> Token | None:
    """The verb a counted token hangs on."""
    for _ in range(6):
        if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ == "ROOT"):
            return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def background(doc: Doc, counted: Token) -> bool:
    """Does the figure count a wider conflict rather than the incident?

    "in a conflict that has killed tens of thousands" and "the insurgency has killed 40,000":
    the predicate's subject (or the noun its relative clause describes) is a background noun;
    "killed 300 people since 2009", "so far this year", "in the past decade": a year-long period
    scopes the predicate (a date naming a day or a week does not: "since Tuesday"); "nationwide",
    "across the country", "in the United States": a nation or a state does (see
    :func:`_wide_scope`)."""
    if not doc.has_annotation("DEP"):
        return False
    ctx = context()
    verb = _predicate(doc, counted)
    chain: list[Token] = []
    while verb is not None and len(chain) < 4:
        chain.append(verb)
        verb = verb.head if verb.dep_ == "conj" and verb.head.i != verb.i else None
    # a coordinated casualty predicate shares the scope ("21,022 have been killed and 42,000 injured
    # ... this year"); another coordinated clause does not ("... and new numbers show ...")
    chain += [c for v in chain for c in v.children
              if c.dep_ == "conj" and c.pos_ == "VERB" and c.lower_ in all_casualty_words() and c not in chain]
    if _wide_scope(chain, counted, ctx):
        return True
    for verb in chain:
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if verb.dep_ == "relcl":
            subjects.append(verb.head)
        if any(s.lemma_.lower() in ctx.background_nouns for s in subjects):
            return True
    sentence = counted.sent
    for ent in sentence.ents:
        if ent.label_ == "DATE" and _is_period(ent, ctx) and not _dates_a_noun(ent.root, chain):
            return True
    return False


def _wide_scope(chain: list[Token], counted: Token, ctx: Context) -> bool:
    """Does a nation or a state scope the predicate: "nationwide, 21,022 people have been killed",
    "were shot across the country", "died in the United States"?"""
    for tok in chain + [counted]:
        for c in tok.children:
            if c.dep_ == "advmod" and c.lower_ in ctx.scope_adverbs:
                return True
            if c.dep_ == "prep" and c.lower_ in ("in", "across", "throughout", "nationwide"):
                place = next((g for g in c.children if g.dep_ == "pobj"), None)
                if place is not None and (place.lower_ in ctx.scope_nouns or place.text in ctx.scope_nouns):
                    return True
    return False


def _is_period(ent: Span, ctx: Context) -> bool:
    """Does a date phrase name a span of months or years ("since 2009", "so far this year", "in
    the past decade", "since January") rather than a day ("on 3 March 2025", "since Tuesday") or
    an age ("a 16-year-old")?"""
    words = set(re.findall(r"[a-z]+|\d+", ent.text.lower()))
    if "old" in words or any(w.isdigit() and len(w) <= 2 for w in words) or words & _WEEKDAYS:
        return False  # an age, a day of the month or of the week
    if words & ctx.period_words or any(w.isdigit() and len(w) == 4 for w in words):
        return True
    return bool(words & _MONTH_NAMES) and ent.start > 0 and ent.doc[ent.start - 1].lower_ == "since"


def _dates_a_noun(tok: Token, chain: list[Token]) -> bool:
    """Does the date miss the predicate, hanging on a noun ("the deadliest attack this year") or
    on another verb?"""
    for _ in range(8):
        if tok.head in chain:
            return False
        if tok.head.i == tok.i or tok.head.pos_ in ("NOUN", "PROPN", "ADJ", "VERB"):
            return True
        tok = tok.head
    return True


_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_MONTH_NUMBERS = {form: n for n, name in enumerate(_MONTH_NAMES_ORDERED, start=1) for form in (name, name[:3])}
_MONTH_NUMBERS["sept"] = 9


def reference_date(doc: Doc) -> dt.date | None:
    """The date an article speaks from: its publication date, else the 31st of December of the
    latest year its dates name (None when they name none)."""
    if isinstance(doc._.published, dt.date):
        return doc._.published
    years = [int(y) for ent in doc.ents if ent.label_ == "DATE" for y in _YEAR.findall(ent.text)]
    return dt.date(max(years), 12, 31) if years else None


def _date_entities(doc: Doc) -> list[Span]:
    """The doc's DATE entities in order, listed once per doc (``doc.ents`` builds every entity
    of the article anew on each access)."""
    dates = doc.user_data.get("rashomon_date_ents")
    if dates is None:
        dates = doc.user_data["rashomon_date_ents"] = [ent for ent in doc.ents if ent.label_ == "DATE"]
    return dates


def other_incident(sentence: Span, reference: dt.date | None) -> bool:
    """Is a figure of this sentence told of another, earlier incident?

    The sentence dates something to a year before the article's ("since 2007, when 28 were
    killed", "in Dayton, Ohio, in March 2009, where 14 people died", "was shot to death
    in 1997"), or counts since a dated event ("since the December 2012 rampage, 555 kids").  A date in the last three months before the reference date is not earlier: news
    of early January tells of late December."""
    if reference is None:
        return False
    for ent in _date_entities(sentence.doc):
        if ent.start < sentence.start:
            continue
        if ent.end > sentence.end:
            break
        since = any(t.lower_ == "since" for t in sentence.doc[max(sentence.start, ent.start - 3) : ent.start])
        if since and _YEAR.search(ent.text):
            return True  # a running total: "since the deadly December 2012 rampage, at least 555 kids"
        for found in _YEAR.findall(ent.text):
            year = int(found)
            if year >= reference.year:
                continue
            month = next((_MONTH_NUMBERS[t.lower_.rstrip(".")] for t in ent if t.lower_.rstrip(".") in _MONTH_NUMBERS),
                         None)
            if month is not None and (reference - dt.date(year, month, 1)).days <= 92:
                continue
            return True
    return False
