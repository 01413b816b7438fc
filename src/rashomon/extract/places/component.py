"""``rashomon_places``: the places an article names, resolved in the gazetteer, with their role.

Candidates are the NER ``GPE``/``LOC``/``FAC`` entities plus capitalised word sequences after a
locative cue ("in", "near", "outside", "at", "from", ..., "the town of") or a verb of attack
("shelled", "captured", ...), because the NER mislabels rare toponyms ("Khasham" comes out as
PERSON, "Idlib" as ORG).  The gazetteer, not the NER label, decides what is a place: a
candidate nothing in the gazetteer matches is dropped ("Middle East Eye", labelled LOC, is an
outlet); a cue-only candidate the NER calls ORG is kept only if it is a country, a subdivision
or a city of 100,000 in a country the document names ("from Reuters", "in Congress" are not).

Resolution runs in two passes over the document.  The first collects context: countries named
(with their frequency; demonyms such as "Syrian" count although they are not places),
subdivisions named ("Deir Ezzor province") and confidently placed large cities (not those whose
name a foreign place nearly as likely shares: "Tripoli", "Santa Barbara").  The second
looks every candidate up again with that :class:`~rashomon.geo.PlaceContext`, so "Khasham" in an
article about Syria resolves to Khushām, Deir ez-Zor, then lets the document's names pull each
other together (:mod:`rashomon.geo.coherence`: "Edmonton" next to "Enfield" is in London) and
gives a name qualified once ("Paris, Texas") that sense throughout.  "Springfield, Illinois": a
place followed by a comma and a subdivision or country is looked up with that hint.  Fuzzy
matches are kept only in a country the document mentions.
Every candidate a place label marks then goes through the fallbacks of :mod:`rashomon.geo.toponym`
(a demonym, a place named inside the name, the document's focus): the found ones may become the
country their demonym names, and an unresolved name after a cue is placed at the document's focus.
Which candidates are reported does not change (the lookup decides).  This one resolver
(:meth:`PlaceFinder.resolve_places`) also serves :meth:`PlaceFinder.resolve_spans`, which resolves
spans known to be toponyms (evaluation against gold spans) as the component resolves its own.

Roles: ``origin`` for "Britain-based"; ``context`` for metonymy (the place is a speaker,
"Damascus said", or the one accused, "accused the US"; a party, "between Washington and
Damascus"; or a modifier, "a US official", "US Military", "US-led"); ``incident`` for places in a sentence describing violence (killed, attack, strike,
clash, shot, bomb, explosion, ...) or introduced by "near"/"the town of" in a report of
violence; ``context`` otherwise.  :func:`best_incident_place` picks the incident place.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from rashomon.extract.text.extensions import register_extensions
from rashomon.extract.text.sentences import sentence_ranges
from rashomon.extract.text.spans import char_span, doc_text, lowers
from rashomon.geo import Candidate, Gazetteer, PlaceContext, get_gazetteer
from rashomon.geo.coherence import choose, one_sense
from rashomon.geo.normalise import ADMIN_WORDS, ARTICLES
from rashomon.geo.toponym import document_focus, resolve_toponym
from rashomon.models import Place, PlaceMention
from rashomon.settings import component_defaults

__all__ = ["PlaceFinder", "best_incident_place"]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
BLOCKING_LABELS = frozenset({"NORP", "DATE", "TIME", "EVENT", "LAW", "WORK_OF_ART", "PRODUCT", "MONEY"})
CITY_WORDS = frozenset({"city", "town", "village"})
CALENDAR = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                      "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
                      "friday", "saturday", "sunday"})
# Nouns after which "of X" names a place ("the town of Khasham", "the outskirts of Idlib").
PLACE_NOUNS = frozenset({"town", "village", "city", "province", "district", "region", "governorate",
                         "outskirts", "suburb", "suburbs", "area", "countryside", "capital", "state"})
# Nouns that make a place before them a modifier of an actor ("US Military", "Syrian Army").
ACTOR_NOUNS = frozenset({"military", "forces", "force", "troops", "soldiers", "army", "official", "officials",
                         "government", "regime", "authorities", "embassy", "navy", "jets", "warplanes",
                         "aircraft", "diplomats", "diplomat", "ministry", "minister", "president", "leader",
                         "leaders", "administration", "coalition", "militia", "police", "intelligence",
                         "media", "television", "tv", "envoy", "spokesman", "spokeswoman", "delegation",
                         "officers", "commander", "commanders", "command", "department"})
# Nouns a place may modify without becoming a mere modifier ("the Aleppo countryside").
LOCATIVE_NOUNS = PLACE_NOUNS | {"border", "front", "frontline", "road", "highway", "airport", "base",
                                "camp", "river", "valley", "desert", "coast", "port", "field", "plain"}
SPECIFICITY = {"city": 0, "admin1": 1, "region": 2, "country": 3}
AMBIGUITY_MARGIN = 2.5  # score points: a foreign namesake this close makes a name ambiguous
CONFIDENT_CITY_SCORE = 7.0  # a city this likely on its own gives the document country and point context


@dataclass
class _Cand:
    start: int  # character offsets of the mention
    end: int
    name: str  # the text looked up
    label: str  # NER label ("" for cue-only candidates)
    cue: str = ""  # the locative cue before it, lower case
    kind: str | None = None  # "admin1" after "province", "city" after "city"
    qualifier: _Cand | None = None  # "Illinois" in "Springfield, Illinois"
    found: Candidate | None = None
    role: str = "context"
    notes: set[str] = field(default_factory=set)


class PlaceFinder:
    """Finds, resolves and classifies the place mentions of a Doc (``doc._.places``)."""

    def __init__(self, cues: list[str], violence: list[str], speech: list[str], actor_suffixes: list[str],
                 origin_suffixes: list[str], fuzzy: bool, gazetteer: Gazetteer | None = None) -> None:
        self.cues = frozenset(c.lower() for c in cues)
        self.violence = frozenset(v.lower() for v in violence)
        self.speech = frozenset(s.lower() for s in speech)
        self.actor_suffixes = tuple(actor_suffixes)
        self.origin_suffixes = tuple(origin_suffixes)
        self.fuzzy = fuzzy
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = get_gazetteer()
        return self._gazetteer

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def __call__(self, doc: Doc) -> Doc:
        cands = self.candidates(doc)
        context, places = self.resolve_places(doc, cands)
        self.assign_roles(doc, cands, context)
        doc._.places = [
            PlaceMention(span=char_span(doc, c.start, c.end), place=place, role=c.role)  # type: ignore[arg-type]
            for c, place in zip(cands, places, strict=True) if c.found is not None or "keep_unresolved" in c.notes
        ]
        return doc

    def resolve_places(self, doc: Doc, cands: list[_Cand]) -> tuple[PlaceContext, list[Place | None]]:
        """The one resolver, used by the component and by :meth:`resolve_spans`: the two-pass
        lookup (:meth:`resolve`), then, for candidates the NER or a caller calls a place, the
        fallbacks of :func:`~rashomon.geo.toponym.resolve_toponym` (a demonym, a place named
        inside the name, the document's focus).  Returns the context and one place (or None)
        per candidate.  Which candidates are reported is the component's business: those the
        lookup accepted and the unresolved ones a cue introduces (so the fallbacks place those
        and re-read demonyms, but make no new mention: "Middle East Eye" stays an outlet)."""
        _link_qualifiers(doc, cands)
        context = self.resolve(doc, cands)
        g = self.gazetteer
        focus = document_focus([c.found.place for c in cands if c.found is not None], context)
        places = [resolve_toponym(g, c.name, c.found, context, focus) if c.label in PLACE_LABELS
                  else c.found.place if c.found is not None else None
                  for c in cands]
        return context, places

    def resolve_spans(self, doc: Doc, spans: list[tuple[int, int]]) -> list[Place | None]:
        """Resolve given character spans of a processed ``doc`` as toponyms (for evaluation
        against gold spans) with the component's own resolver (:meth:`resolve_places`): a span
        that is one of the component's candidates is that candidate; any other becomes a
        candidate in its place (a place label, its locative cue), and the component's
        candidates it overlaps are left out."""
        own = self.candidates(doc)
        by_offsets = {(c.start, c.end): c for c in own}
        text = doc_text(doc)
        given: list[_Cand] = []
        added: list[_Cand] = []
        for start, end in spans:
            if (start, end) in by_offsets:
                given.append(by_offsets[(start, end)])
                continue
            span = doc.char_span(start, end, alignment_mode="expand")
            label, cue = "GPE", ""
            if span is not None:
                labels = [t.ent_type_ for t in span if t.ent_type_]
                label = labels[0] if labels and labels[0] in PLACE_LABELS else "GPE"
                before = span.start - 1
                if before >= 0 and doc[before].lower_ == "the":
                    before -= 1
                cue = self._cue_at(doc, before) if before >= 0 else ""
            added.append(_Cand(start, end, _strip_markup(text[start:end]), label, cue))
            given.append(added[-1])
        chosen = {id(c) for c in given}
        kept = [c for c in own if id(c) in chosen or not any(c.start < a.end and a.start < c.end for a in added)]
        cands = sorted(kept + added, key=lambda c: c.start)
        _, places = self.resolve_places(doc, cands)
        place_of = {id(c): p for c, p in zip(cands, places, strict=True)}
        return [place_of[id(c)] for c in given]

    # ------------------------------------------------------------------ candidates

    def candidates(self, doc: Doc) -> list[_Cand]:
        """Candidate mentions in text order (NER places first on overlap)."""
        found: list[_Cand] = []
        taken = [False] * len(doc)
        for ent in doc.ents:
            if ent.label_ in PLACE_LABELS:
                cand = self._from_tokens(doc, ent.start, ent.end, ent.label_)
                if cand is not None:
                    found.append(cand)
                    taken[ent.start:ent.end] = [True] * (ent.end - ent.start)
        for tok in doc:
            cue = self._cue_at(doc, tok.i)
            if not cue:
                continue
            start = tok.i + 1
            if start < len(doc) and doc[start].lower_ == "the":
                start += 1
            end = _capitalised_run(doc, start)
            if end <= start or any(taken[start:end]):
                continue
            if any(doc[i].ent_type_ in BLOCKING_LABELS for i in range(start, end)):
                continue
            cand = self._from_tokens(doc, start, end, doc[start].ent_type_ or "", cue)
            if cand is not None:
                found.append(cand)
                taken[start:end] = [True] * (end - start)
        found.sort(key=lambda c: c.start)
        _link_qualifiers(doc, found)
        return found

    def _cue_at(self, doc: Doc, i: int) -> str:
        words = lowers(doc)
        if words[i] in self.cues:
            return words[i]
        if words[i] == "of" and i > 0 and words[i - 1] in PLACE_NOUNS:
            return f"{words[i - 1]} of"
        return ""

    def _from_tokens(self, doc: Doc, start: int, end: int, label: str, cue: str = "") -> _Cand | None:
        while start < end and (doc[start].lower_ == "the" or not doc[start].text[0].isalnum()):
            start += 1
        while end > start and not doc[end - 1].text[-1].isalnum():
            end -= 1
        if end <= start or not doc[start].text[0].isupper():
            return None
        if end - start == 1 and doc[start].lower_ in CALENDAR:
            return None
        if not cue:  # an NER place: is it introduced by a cue ("in the province of Deir Ezzor")?
            before = start - 1
            if before >= 0 and doc[before].lower_ == "the":
                before -= 1
            cue = self._cue_at(doc, before) if before >= 0 else ""
        span = doc[start:end]
        name, kind = span.text, None
        if cue.endswith(" of"):
            noun = cue[:-3]
            kind = "admin1" if noun in ADMIN_WORDS else "city" if noun in CITY_WORDS | {"capital"} else None
        if end < len(doc) and doc[end].lower_ in ADMIN_WORDS | CITY_WORDS and doc[end].text.islower():
            kind = "admin1" if doc[end].lower_ in ADMIN_WORDS else "city"
            span = doc[start:end + 1]
            name = span.text
        return _Cand(span.start_char, span.end_char, _strip_markup(name), label, cue, kind)

    # ------------------------------------------------------------------ resolution

    def resolve(self, doc: Doc, cands: list[_Cand]) -> PlaceContext:
        """Two-pass lookup (see the module docstring); returns the document context."""
        g = self.gazetteer
        context = PlaceContext()
        strings = doc.vocab.strings
        for orth in doc.to_array(ORTH).tolist():
            text = strings[orth]
            if text[:1].isupper():  # demonyms count as country context even when tagged GPE
                context.add_country(g.demonym(text))
        first: dict[int, Candidate | None] = {}
        for i, cand in enumerate(cands):
            best = g.best(cand.name, kind=cand.kind, fuzzy=False)
            first[i] = best
            if best is None or not self._acceptable(cand, best, context):
                continue
            cc = best.place.country_code
            if best.kind == "country":
                context.add_country(cc)
            elif best.kind == "admin1" and not self._ambiguous(cand, best):
                context.add_country(cc, 0.5)
                context.add_admin1(cc, g.admin1_key(best.row))
            elif best.kind == "city" and best.score >= CONFIDENT_CITY_SCORE and not self._ambiguous(cand, best):
                context.add_country(cc, 0.5)
                context.add_point(best.place.lat, best.place.lon)
        position = {id(cand): i for i, cand in enumerate(cands)}
        options: list[list[Candidate]] = []
        hinted: set[int] = set()
        for i, cand in enumerate(cands):
            hint = first.get(position[id(cand.qualifier)]) if cand.qualifier is not None else None
            country_hint = hint.place.country_code if hint is not None and hint.kind in ("country", "admin1") else None
            admin1_hint = hint.place.name if hint is not None and hint.kind == "admin1" else None
            if country_hint:
                hinted.add(i)
            options.append(g.lookup(cand.name, kind=cand.kind, context=context, country_hint=country_hint,
                                    admin1_hint=admin1_hint, fuzzy=self.fuzzy))
        names = [c.name for c in cands]
        chosen = one_sense(names, options, choose(names, options), hinted)
        for cand, best in zip(cands, chosen, strict=True):
            if best is not None and self._acceptable(cand, best, context):
                cand.found = best
            elif cand.label == "GPE" and cand.cue:
                cand.notes.add("keep_unresolved")
        return context

    def _ambiguous(self, cand: _Cand, best: Candidate) -> bool:
        """A place of that name in another country is nearly as likely ("Tripoli": Libya's
        capital or Lebanon's second city; "Santa Barbara": a Honduran department or the
        Californian city): no evidence of country.  "London" (Ontario is far behind) is not."""
        return any(c.place.country_code != best.place.country_code and c.score >= best.score - AMBIGUITY_MARGIN
                   and (c.kind != "city" or c.population >= 20_000)
                   for c in self.gazetteer.lookup(cand.name, kind=cand.kind, fuzzy=False)[1:])

    def _acceptable(self, cand: _Cand, best: Candidate, context: PlaceContext) -> bool:
        """Whether a lookup result is trusted for this candidate."""
        in_doc_country = context.share(best.place.country_code) > 0
        if cand.label == "ORG":  # a cue-only candidate the NER calls an organisation: only sure places
            sure = best.kind in ("country", "admin1") or best.population >= 100_000
            # "the city of X", "in X" with a town of some size in a country the document is about
            town_cue = " of" in cand.cue or (cand.cue in ("in", "near", "outside") and best.population >= 20_000)
            return best.exact and in_doc_country and (sure or town_cue)
        if not best.exact:
            return in_doc_country and (cand.label in PLACE_LABELS or bool(cand.cue))
        if cand.label in PLACE_LABELS or best.kind != "city":
            return True
        # A cue-only city (the NER did not call it a place): the document must point there.
        return in_doc_country and (best.population >= 1000 or cand.cue in ("near", "outside") or " of" in cand.cue)

    # ------------------------------------------------------------------ roles

    def assign_roles(self, doc: Doc, cands: list[_Cand], context: PlaceContext) -> None:
        sentences = sentence_ranges(doc)
        violent = [self._violent(doc, s, e) for s, e in sentences]
        any_violence = any(violent)
        for cand in cands:
            index = next((k for k, (s, e) in enumerate(sentences) if s <= cand.start < e), None)
            after = doc_text(doc)[cand.end:cand.end + 16].lower().lstrip(" ")
            if after.startswith(self.origin_suffixes):
                cand.role = "origin"
            elif after.startswith(self.actor_suffixes) or self._metonymic(doc, cand, cands):
                cand.role = "context"
            else:
                in_violent_sentence = index is not None and violent[index]
                introduced = cand.cue in ("near", "outside") or cand.cue.endswith(" of")
                cand.role = "incident" if in_violent_sentence or (any_violence and introduced) else "context"

    def _violent(self, doc: Doc, start: int, end: int) -> bool:
        span = doc.char_span(start, end, alignment_mode="expand")
        return span is not None and any(
            t.lower_ in self.violence or t.lemma_.lower() in self.violence for t in span
        )

    def _metonymic(self, doc: Doc, cand: _Cand, cands: list[_Cand]) -> bool:
        """The place speaks, is a party, or modifies an actor noun: not where something happened."""
        span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
        if span is None:
            return False
        before = doc[span.start - 1].lower_ if span.start > 0 else ""
        if before == "between" or (before == "and" and _between_pair(doc, span, cands)):
            return True
        nxt = doc[span.end] if span.end < len(doc) else None
        if nxt is not None and nxt.lower_ in ACTOR_NOUNS:
            return True
        root = span.root
        if doc.has_annotation("DEP"):
            if root.dep_ in ("nsubj", "nsubjpass", "dobj") and root.head.lemma_.lower() in self.speech:
                return True
            head = root.head
            if root.dep_ in ("compound", "amod", "nmod") and head.i >= span.end and head.pos_ == "NOUN":
                return head.lower_ not in LOCATIVE_NOUNS
            return False
        if nxt is None:
            return False
        if nxt.lower_ in self.speech or nxt.lemma_.lower() in self.speech:
            return True
        return nxt.is_lower and nxt.tag_.startswith("NN") and nxt.lower_ not in LOCATIVE_NOUNS


def _link_qualifiers(doc: Doc, cands: list[_Cand]) -> None:
    """Point each candidate followed by a comma and another candidate ("Springfield, Illinois")
    at that one, and every other at none: links never lead outside ``cands``."""
    text = doc_text(doc)
    for cand in cands:
        cand.qualifier = None
    for first, second in pairwise(cands):
        if text[first.end:second.start].strip() == ",":
            first.qualifier = second


def _between_pair(doc: Doc, span: SpacySpan, cands: list[_Cand]) -> bool:
    """``span`` is the second member of "between A and B" where A is a candidate place."""
    and_start = doc[span.start - 1].idx
    for other in cands:
        if other.end <= and_start and not doc_text(doc)[other.end:and_start].strip():
            head = doc.char_span(other.start, other.end, alignment_mode="expand")
            return head is not None and head.start > 0 and doc[head.start - 1].lower_ == "between"
    return False


def _capitalised_run(doc: Doc, start: int, limit: int = 5) -> int:
    """End of a run of capitalised words from ``start`` ("Deir ez-Zor", "Ras al-Ain")."""
    end = start
    i = start
    while i < len(doc) and i - start < limit + 2:
        tok = doc[i]
        if tok.text[:1].isupper() and (tok.is_alpha or "-" in tok.text or "'" in tok.text):
            if tok.lower_ in CALENDAR:
                break
            i += 1
            end = i
        elif end > start and i + 1 < len(doc) and _connector(doc, i):
            i += 1
        else:
            break
    return end


def _connector(doc: Doc, i: int) -> bool:
    """A hyphen or apostrophe inside a name, or an article before a name part ("ez-", "al ")."""
    tok = doc[i]
    if tok.text in ("-", "'", "’"):
        return not tok.whitespace_
    return tok.lower_ in ARTICLES and tok.lower_ != "the" and (doc[i + 1].text == "-" or doc[i + 1].text[:1].isupper())


_MARKUP = re.compile(r"[*_#\[\]()`]+")


def _strip_markup(text: str) -> str:
    return " ".join(_MARKUP.sub(" ", text).split())


# ---------------------------------------------------------------------- choosing the incident place

def _specificity(place: Place) -> int:
    return SPECIFICITY.get(place.precision, 2) if place.feature != "continent" else 4


def best_incident_place(mentions: list[PlaceMention]) -> PlaceMention | None:
    """The most specific incident-role place, consistent with the dominant country.

    The dominant country is the most frequent among incident-role places (ties: among all
    resolved places).  Among incident places in that country (or in none, like a river), the
    most specific wins (city > subdivision > region > country > continent); ties go to a place
    inside a subdivision the incident places name, then to the most mentioned, then the first.
    """
    resolved = [m for m in mentions if m.place is not None]
    incident = [m for m in resolved if m.role == "incident"]
    if not incident:
        return None
    counts = Counter(m.place.country_code for m in incident if m.place and m.place.country_code)
    counts.update({cc: 0.1 * n for cc, n in Counter(
        m.place.country_code for m in resolved if m.place and m.place.country_code).items()})
    dominant = counts.most_common(1)[0][0] if counts else None
    pool = [m for m in incident if m.place and m.place.country_code in (dominant, None)] or incident
    admin1 = {m.place.admin1 for m in pool if m.place and m.place.precision in ("admin1", "city") and m.place.admin1}
    named = Counter((m.place.name, m.place.lat, m.place.lon) for m in pool if m.place)

    def rank(item: tuple[int, PlaceMention]) -> tuple[int, int, int, int]:
        order, m = item
        assert m.place is not None
        inside = 0 if m.place.admin1 in admin1 else 1
        return (_specificity(m.place), inside, -named[(m.place.name, m.place.lat, m.place.lon)], order)

    return min(enumerate(pool), key=rank)[1]


# ---------------------------------------------------------------------- factory

@Language.factory(
    "rashomon_places",
    assigns=["doc._.places"],
    requires=["doc.ents", "token.is_sent_start", "token.dep", "token.lemma"],
    default_config=component_defaults("rashomon_places"),  # the [extract.places] table of default.toml
)
def make_places(nlp: Language, name: str, cues: list[str], violence: list[str], speech: list[str],
                actor_suffixes: list[str], origin_suffixes: list[str], fuzzy: bool) -> PlaceFinder:
    """Place mentions resolved in the offline gazetteer (built on first use, about 2 s)."""
    register_extensions()
    return PlaceFinder(cues, violence, speech, actor_suffixes, origin_suffixes, fuzzy)
