"""The ``rashomon_figures`` component: casualty numbers, what they count and who gives them.

It sets ``doc._.figures`` (a list of :class:`~rashomon.models.Figure`, in text order).  A number
phrase (:mod:`.numbers`) becomes a figure when a casualty predicate of
``patterns/casualty_terms.json`` links to it, tried in this order:

1. a predicate written just before the number: "killed at least 100 Syrian fighters",
   "Killing 100 Syrian Soldiers" (headlines: words are compared lowercased), "the deaths of 12
   people", "the death toll rose to 12", "the number of people killed ... has risen to seven",
   "lost three fighters", "treating 27 people for gunshot wounds";
2. a predicate after the counted group, through auxiliaries, a prepositional phrase and an
   appositive: "more than 100 ... were killed", "one SDF member was wounded", "20 dead", "left 3
   people dead", "two people died", "four were arrested", "12 confirmed deaths", "300 people from
   three settlements had fled", "31 others sustained injuries", "five people with gunshot wounds"
   — unless the predicate is an active verb with an object ("Four gunmen killed two people": the
   gunmen are not victims);
3. the dependency parse: the counted noun is the object of an active casualty verb, the subject
   of a passive or intransitive one ("killed 20 soldiers and 5 civilians": the civilians too);
4. a part of a casualty noun ("four of the dead were civilians") or of the figure just before it
   ("more than 20 people died, four of them soldiers").

Numbers that count something else have no such predicate ("About 500 pro-regime troops
initiated an attack", "2000 U.S. forces remain"); counted nouns listed in ``not_counted.txt``
(rounds, metres, days...) and dates, times, money, ages and measures are dropped anyway.  So are
background totals of a wider conflict: "a conflict that has killed tens of thousands", "the
insurgency has killed 40,000", "killed 300 people since 2009 / so far this year", "nationwide,
21,022 people have been killed" (see :func:`.figure_context.background`).  The context word lists are in
``patterns/figure_context.json``.

Single victims written without a number ("an 83-year-old man was shot dead in his yard", "Watkins
died", "the victim was taken to a hospital") are read by :mod:`.victims` (title-case headlines by
:mod:`.victim_headlines`) and become figures of value 1 in :mod:`.individuals`, one group per
person (:mod:`.victim_persons`), and of several where the text shows several people ("a man and
a woman were shot", "both victims", "a second victim").  "N were shot" (no outcome) gives an
injured figure of N less the article's killed count (:mod:`.shot_numbers`), "a murder-suicide"
two dead.  Figures of another, earlier incident ("since 2007, when 28 were killed", "in 1997")
are dropped (:func:`.figure_context.other_incident`).

``group`` is the counted noun phrase ("Syrian pro-government forces"), or what follows "of"
("20 of the fighters") or "among" ("12 dead among the rebels and their allies").  The speaker
is that of the claim whose content holds the number (the innermost), else of a claim in the same
sentence (the nearest cue), else None: the outlet's own voice.  A figure repeated word for word in
an identical sentence (a headline printed twice) is kept once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc, Token

from rashomon.extract.figures.context import (
    background,
    context,
    injury_phrase,
    other_incident,
    reference_date,
    speaker_claim,
    toll_kind,
)
from rashomon.extract.figures.individuals import individual_figures
from rashomon.extract.figures.links import (
    DETERMINERS,
    after_form,
    count_noun,
    has_object,
    in_group,
    is_headline,
    is_partitive_total,
    skip_modifiers,
    starts_after,
)
from rashomon.extract.figures.numbers import Count, find_counts
from rashomon.extract.figures.shot_numbers import death_count_nouns, shot_number
from rashomon.extract.figures.victim_headlines import headline_mentions
from rashomon.extract.figures.victims import VictimMention, find_victims
from rashomon.extract.text import spans
from rashomon.extract.text.lexicon import (
    all_casualty_words,
    casualty_terms,
    not_counted,
)
from rashomon.extract.text.segments import Segments
from rashomon.models import Claim, Figure, FigureKind
from rashomon.settings import component_defaults

_AUX_WORDS = frozenset(
    {
        "were", "was", "are", "is", "be", "been", "being", "have", "has", "had", "having", "got", "get",
        "reportedly", "also", "all", "allegedly", "later", "subsequently", "each", "both", "now", "confirmed",
        "believed", "thought", "feared", "said", "reported", "to"
    }
)
_NEGATIONS = frozenset({"not", "n't", "never", "no", "none"})
_GROUP_POS = frozenset({"ADJ", "NOUN", "PROPN"})
# Title-case headlines tag prepositions as proper nouns ("Troops Near Border"): they end a group.
_PREPOSITIONS = frozenset(
    {
        "near", "after", "before", "in", "on", "at", "from", "with", "by", "during", "amid", "as", "for",
        "of", "to", "over", "across", "outside", "inside", "around", "since", "following", "despite",
        "against", "between", "into", "under", "without", "among", "says", "say", "said"
    }
)


def _elsewhere(doc: Doc, counted: Token, reference: dt.date | None) -> bool:
    return _elsewhere_reason(doc, counted, reference) is not None


def _elsewhere_reason(doc: Doc, counted: Token, reference: dt.date | None) -> str | None:
    """Why a count tells of something other than the incident, or None."""
    if background(doc, counted):
        return "a running total of a wider conflict or period"
    if other_incident(counted.sent, reference):
        return "its sentence dates an earlier event"
    return None


@dataclass(frozen=True)
class _Link:
    """How a number links to a casualty predicate."""

    kind: FigureKind
    group: tuple[int, int] | None  # token range of the counted phrase


class FigureFinder:
    """Finds casualty figures in a Doc (see the module docstring)."""

    def __init__(self, max_group_tokens: int = 8, max_gap: int = 4) -> None:
        self.max_group_tokens = max_group_tokens
        self.max_gap = max_gap

    def __call__(self, doc: Doc) -> Doc:
        doc._.figures = self.find(doc)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """Process a stream of docs (``batch_size`` is accepted for spaCy's interface)."""
        for doc in docs:
            yield self(doc)

    def find(self, doc: Doc) -> list[Figure]:
        """All casualty figures of a doc, in text order."""
        seg = Segments(doc)
        claims: list[Claim] = list(doc._.claims or [])
        figures: list[Figure] = []
        seen: set[tuple[object, ...]] = set()
        singles: list[tuple[VictimMention, tuple[int, int]]] = []
        shots: list[tuple[Count, _Link, tuple[int, int]]] = []
        elsewhere: list[Figure] = []  # counts of other incidents, kept with their reason
        reference = reference_date(doc)
        for n, block in enumerate(seg.blocks):
            lo, hi = seg.token_range(block)
            headline = n == 0 and is_headline(seg.text[block[0] : block[1]])
            found = (headline_mentions(doc, lo, hi) if headline else []) or find_victims(doc, lo, hi, headline)
            singles.extend((m, block) for m in found if not other_incident(doc[m.trigger].sent, reference))
            for start, end, dead in death_count_nouns(doc, lo, hi):
                if not other_incident(doc[start].sent, reference):
                    whole = Count(start, end, start, dead, dead, dead, None)
                    figures.append(self._figure(doc, whole, _Link("killed", None), block, claims))
            previous_end, previous_kind = -1, None
            for count in find_counts(doc, lo, hi):
                if is_partitive_total(doc, previous_end, count.start):
                    continue  # "four" in "two of the four occupants" counts everyone, not the victims
                previous_end = count.end
                link = self._link(doc, count, lo, hi) or self._subset(doc, count, hi, previous_kind)
                if link is None:
                    group, after = self._group_after(doc, count.end, hi)
                    shot = doc[group[1] - 1] if group else doc[count.end - 1]  # statistics are no count
                    if shot_number(doc, count.start, after, lo, hi) and not _elsewhere(doc, shot, reference):
                        shots.append((count, _Link("injured", group), block))
                    continue
                if self._counts_other_things(doc, link):
                    continue
                counted = doc[link.group[1] - 1] if link.group else doc[count.end - 1]
                reason = _elsewhere_reason(doc, counted, reference)
                if reason is not None:  # kept, apart, as another incident's toll (extract/figures/scope.py)
                    other = self._figure(doc, count, link, block, claims)
                    elsewhere.append(other.model_copy(update={"scope": "other_incident", "scope_reason": reason}))
                    continue
                previous_kind = link.kind
                figure = self._figure(doc, count, link, block, claims)
                key = (
                    figure.kind,
                    figure.value,
                    figure.low,
                    figure.high,
                    figure.text.lower(),
                    figure.group,
                    " ".join(figure.sentence.text.split()),
                )
                if key not in seen:
                    seen.add(key)
                    figures.append(figure)
        figures.extend(individual_figures(doc, singles, claims, figures))
        figures.extend(self._wounded_of_shot(doc, shots, figures, claims))
        return sorted(figures + elsewhere, key=lambda f: (f.span.start, f.span.end))

    def _wounded_of_shot(
        self, doc: Doc, shots: list[tuple[Count, _Link, tuple[int, int]]], figures: list[Figure], claims: list[Claim]
    ) -> list[Figure]:
        """ "N were shot": N less the article's killed count are injured (see :mod:`.shot_numbers`)."""
        if not shots:
            return []
        dead = max((f.point for f in figures if f.kind == "killed" and f.point is not None), default=0)
        out: list[Figure] = []
        for count, link, block in shots:
            if self._counts_other_things(doc, link) or count.low is None or count.low <= dead:
                continue
            rest = replace(
                count,
                value=count.value - dead if count.value is not None else None,
                low=count.low - dead,
                high=count.high - dead if count.high is not None else None,
            )
            out.append(self._figure(doc, rest, link, block, claims))
        return out

    # ------------------------------------------------------------------ linking

    def _link(self, doc: Doc, count: Count, lo: int, hi: int) -> _Link | None:
        group, after = self._group_after(doc, count.end, hi)
        for finder in (self._before, self._following, self._parsed):
            kind = finder(doc, count, group, after, lo, hi)
            if kind is not None:
                if group is None:
                    group = self._among(doc, after, hi)
                return _Link(kind, group)
        return self._partitive(doc, count, hi)

    def _partitive(self, doc: Doc, count: Count, hi: int) -> _Link | None:
        """ "four of the dead were civilians", "two of the injured": the kind of the noun after "of"."""
        j = count.end + 1
        if j >= hi or doc[count.end].lower_ != "of":
            return None
        while j < hi and doc[j].lower_ in DETERMINERS:
            j += 1
        kind = context().partitive_nouns.get(doc[j].lower_) if j < hi and j > count.end + 1 else None
        if kind is None:
            return None
        k = j + 1 if j + 1 < hi and doc[j + 1].lower_ in ("were", "was", "are", "is") else None
        end = self._noun_phrase_end(doc, k + 1, hi) if k is not None else 0
        return _Link(kind, (k + 1, end) if k is not None and end > k + 1 else None)

    def _subset(self, doc: Doc, count: Count, hi: int, previous: FigureKind | None) -> _Link | None:
        """ "more than 20 people died, four of them soldiers": a part of the figure just before."""
        if previous is None or count.start == 0 or doc[count.start - 1].text != ",":
            return None
        if count.end + 1 >= hi or doc[count.end].lower_ != "of":
            return None
        if doc[count.end + 1].lower_ not in ("them", "whom"):
            return None
        end = self._noun_phrase_end(doc, count.end + 2, hi)
        return _Link(previous, (count.end + 2, end) if end > count.end + 2 else None)

    def _group_after(self, doc: Doc, i: int, hi: int) -> tuple[tuple[int, int] | None, int]:
        """The counted phrase after a number: ("Syrian militia members", "of the fighters")."""
        if i < hi and doc[i].lower_ == "of":
            j = i + 1
            while j < hi and (doc[j].lower_ in DETERMINERS or doc[j].like_num):
                j += 1  # "two of the four occupants": the group is "occupants"
            end = self._noun_phrase_end(doc, j, hi)
            if end > j:
                return (j, end), end
            if j > i + 1 and doc[j - 1].pos_ == "PRON":  # "20 of them were killed"
                return None, j
            return None, i
        end = self._noun_phrase_end(doc, i, hi)
        return ((i, end), end) if end > i else (None, i)

    def _noun_phrase_end(self, doc: Doc, i: int, hi: int) -> int:
        """End of the adjective/noun run starting at ``i`` (0-length when there is none)."""
        stops = all_casualty_words()
        last_noun, j = None, i
        while j < hi and j - i < self.max_group_tokens:
            tok = doc[j]
            nxt = doc[j + 1] if j + 1 < hi else None
            if tok.lower_ in stops or tok.lower_ in _PREPOSITIONS or tok.like_url or "|" in tok.text:
                break
            if tok.pos_ in _GROUP_POS and not tok.like_num:
                if tok.pos_ in ("NOUN", "PROPN"):
                    last_noun = j
            elif tok.text in ("-", "–") or tok.tag_ == "HYPH":
                pass
            elif in_group(tok) and nxt is not None and nxt.pos_ in _GROUP_POS:
                pass  # "allied fighters", "US-backed forces"
            elif tok.lower_ in ("and", "or", "&") and j > i and nxt is not None and in_group(nxt):
                pass  # "government and allied forces"
            else:
                break
            j += 1
        return last_noun + 1 if last_noun is not None else i

    def _before(
        self, doc: Doc, count: Count, group: tuple[int, int] | None, after: int, lo: int, hi: int
    ) -> FigureKind | None:
        """A predicate just before the number: "killed at least 100", "the deaths of 12"."""
        p = count.start - 1
        while p >= lo and doc[p].pos_ == "ADV" and count.start - p <= 2:
            p -= 1
        if p < lo:
            return None
        word = doc[p].lower_
        for terms in casualty_terms():
            if word in terms.active or (p - 1 >= lo and f"{doc[p - 1].lower_} {word}" in terms.active):
                return terms.kind
            if word == "of" and p - 1 >= lo and doc[p - 1].lower_ in terms.of_nouns:
                return terms.kind
        ctx = context()
        if word in ctx.loss_verbs and group and doc[group[1] - 1].lemma_.lower() in ctx.personnel_nouns:
            return "killed"  # "the group lost three fighters"
        if word in ctx.injury_leads and word not in ("with", "for") and injury_phrase(doc, after, hi):
            return "injured"  # "the hospital was treating 27 people for gunshot wounds"
        return toll_kind(doc, count.start, lo)

    def _following(
        self, doc: Doc, count: Count, group: tuple[int, int] | None, after: int, lo: int, hi: int
    ) -> FigureKind | None:
        """A predicate after the counted phrase: "were killed", "dead", "died", "deaths"."""
        noun = count_noun(doc, after, hi) if group is None else None
        if noun is not None:
            return noun  # "12 deaths", "12 confirmed deaths"
        if group is None and count.start > lo and doc[count.start - 1].lower_ == "of":
            return None  # "a mother of three is dead": the predicate is the mother's
        before = doc[count.start - 1] if count.start > lo else None
        if before is not None and before.pos_ == "ADP" and before.i > lo and doc[before.i - 1].pos_ == "NOUN":
            return None  # "people from three settlements had fled": the settlements did not flee
        j, skipped = skip_modifiers(doc, after, hi), 0
        while (
            j < hi
            and skipped < self.max_gap
            and (
                doc[j].lower_ in _AUX_WORDS
                or doc[j].lower_ in _NEGATIONS
                or (doc[j].pos_ == "ADV" and not starts_after(doc, j))
            )
        ):
            if doc[j].lower_ in _NEGATIONS:
                return None
            j, skipped = j + 1, skipped + 1
        if j >= hi:
            return None
        if injury_phrase(doc, j, hi):
            return "injured"  # "31 others sustained injuries", "five people with gunshot wounds"
        for terms in casualty_terms():
            length = after_form(doc, j, hi, terms)
            last = j + max(length, 1) - 1  # "fatally shot": the verb ends the phrase
            transitive = doc[j].lower_ in terms.active or (length > 1 and doc[last].tag_ == "VBD")
            passive = any(t.lemma_ == "be" for t in doc[after:j])
            if length and not (transitive and not passive and has_object(doc, last if length > 1 else j, 1)):
                return terms.kind
        return None

    def _parsed(
        self, doc: Doc, count: Count, group: tuple[int, int] | None, after: int, lo: int, hi: int
    ) -> FigureKind | None:
        """The dependency parse links the counted noun to a casualty verb."""
        counted: Token = doc[group[1] - 1] if group else doc[count.end - 1]
        while counted.dep_ == "conj" and counted.head.i < counted.i:
            counted = counted.head
        head = counted.head
        if not lo <= head.i < hi or head == counted or any(c.dep_ == "neg" for c in head.children):
            return None
        for terms in casualty_terms():
            if counted.dep_ in ("dobj", "obj") and head.lower_ in terms.active:
                return terms.kind
            passive_or_intransitive = counted.dep_ == "nsubjpass" or (
                counted.dep_ == "nsubj" and not any(c.dep_ == "dobj" for c in head.children)
            )
            if passive_or_intransitive and after_form(doc, head.i, hi, terms):
                return terms.kind
            for child in counted.children:
                if (
                    child.dep_ in ("acl", "amod")
                    and child.i > counted.i
                    and after_form(doc, child.i, hi, terms)
                ):
                    return terms.kind
        return None

    def _among(self, doc: Doc, after: int, hi: int) -> tuple[int, int] | None:
        """ "12 dead among the rebels and their allies": the group after "among"."""
        for j in range(after, min(hi, after + 4)):
            if doc[j].lower_ == "among":
                k = j + 1
                while k < hi and doc[k].lower_ in DETERMINERS:
                    k += 1
                end = self._noun_phrase_end(doc, k, hi)
                return (k, end) if end > k else None
        return None

    @staticmethod
    def _counts_other_things(doc: Doc, link: _Link) -> bool:
        if link.group is None:
            return False
        return doc[link.group[1] - 1].lemma_.lower() in not_counted()

    # ------------------------------------------------------------------ records

    def _figure(
        self, doc: Doc, count: Count, link: _Link, block: tuple[int, int], claims: list[Claim]
    ) -> Figure:
        start = doc[count.start].idx
        end = doc[count.end - 1].idx + len(doc[count.end - 1])
        claim = speaker_claim(claims, start, end)
        group = None
        if link.group is not None:
            first, last = doc[link.group[0]], doc[link.group[1] - 1]
            group = " ".join(spans.doc_text(doc)[first.idx : last.idx + len(last)].split())
        return Figure(
            id=spans.record_id("f", doc, start, end, link.kind),
            article_id=doc._.article_id,
            kind=link.kind,
            value=count.value,
            low=count.low,
            high=count.high,
            qualifier=count.qualifier,
            text=" ".join(spans.doc_text(doc)[start:end].split()),
            group=group,
            speaker=claim.speaker if claim else None,
            claim_id=claim.id if claim else None,
            span=spans.char_span(doc, start, end),
            sentence=spans.char_span(doc, *block),
        )


@Language.factory(
    "rashomon_figures",
    assigns=["doc._.figures"],
    requires=["doc._.claims", "doc.ents", "token.dep", "token.tag", "token.lemma"],
    default_config=component_defaults("rashomon_figures"),  # the [extract.figures] table of default.toml
)
def make_figures(nlp: Language, name: str, max_group_tokens: int, max_gap: int) -> FigureFinder:
    """Register the figures component.

    ``max_group_tokens``: the longest counted phrase read after a number ("Syrian pro-government
    forces").  ``max_gap``: how many auxiliaries/adverbs may stand between the counted phrase and
    its predicate ("were reportedly later killed").
    """
    return FigureFinder(max_group_tokens=max_group_tokens, max_gap=max_gap)
