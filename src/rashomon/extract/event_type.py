"""``rashomon_event_type``: the article's event type (``doc._.event_type``) and weapons (``doc._.weapons``).

The taxonomy lives in ``patterns/event_types.json`` and is documented in ``docs/taxonomy.md``: each
code maps to an ACLED event type and sub-event type, and to a PLOVER event type and mode.  Every code
has weighted cue phrases; a cue counts ``title_weight`` times in the headline, once in the first
``lead_sentences`` sentences and ``body_weight`` times elsewhere.  The highest total wins (ties go to
the code listed first), if it reaches ``min_score``; the matched cues are its evidence.

Weapons come from the lexicon ``patterns/weapons.txt`` (normalised name: aliases), in order of
first mention.

Reads the entities, sentences, tags and lemmas; the helpers it shares with the actors, dates and
framing components (:class:`~rashomon.extract.text.terms.TermMatcher`, the sentence ranges of
:mod:`rashomon.extract.text.sentences`, pattern files) live in :mod:`rashomon.extract.text`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import numpy as np
from spacy.attrs import LEMMA, LOWER, ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans

from rashomon.extract.text.lexicon import load_weapons, read_pattern_file
from rashomon.extract.text.sentences import headline_range, lead_ranges
from rashomon.extract.text.spans import from_spacy
from rashomon.extract.text.terms import TermMatcher
from rashomon.models import EventType, Span
from rashomon.settings import component_defaults

__all__ = ["EventTyper", "headline_range", "load_agents", "load_taxonomy", "load_weapons", "make_event_type"]

_DATE_LABELS = {"DATE", "TIME"}
_NAME_LABELS = {"PERSON", "ORG", "GPE", "FAC", "LOC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"}
_GAP_STOPS = (".", "!", "?", ";", "\n")  # tokens the gap of an "a ... b" cue does not cross


@lru_cache(maxsize=1)
def load_taxonomy() -> list[dict[str, Any]]:
    """The event types of ``event_types.json``, in priority order."""
    types: list[dict[str, Any]] = json.loads(read_pattern_file("event_types.json"))["types"]
    return types


@lru_cache(maxsize=1)
def load_agents() -> dict[str, list[str]]:
    """Actor kind ("state", "nonstate") -> terms naming such actors, from ``event_types.json``."""
    agents: dict[str, list[str]] = json.loads(read_pattern_file("event_types.json")).get("agents", {})
    return agents


class EventTyper:
    """Scores the taxonomy's cues over headline, lead and body; lists the weapons mentioned.

    A type's ``cues`` always count.  Its ``agent_cues`` (with ``agent``: a kind of
    ``event_types.json``'s ``agents``) count only when the actor doing what the cue says is of
    that kind (see :meth:`_agent`): "the army recaptured the town" is not "rebels recaptured the
    town".  Its ``context`` cues count only when one of the ``context`` codes scored at least
    ``min`` (default 2) and they add up to ``min_cues`` (default 3); the type then also takes
    ``inherit`` times that code's score: police dispersing a protest is a protest with
    intervention, not a protest.  A phrase "a ... b" matches "a", then up to ``GAP`` words, then
    "b" within one sentence ("set up a new military base"); a negative weight cancels ("no group
    claimed responsibility").
    """

    GAP = 5

    def __init__(self, nlp: Language, title_weight: float, lead_sentences: int, body_weight: float,
                 min_score: float, min_lead_words: int, max_evidence: int = 8) -> None:
        self.title_weight = title_weight
        self.max_evidence = max_evidence
        self.lead_sentences = lead_sentences
        self.body_weight = body_weight
        self.min_score = min_score
        self.min_lead_words = min_lead_words
        self.types = {t["code"]: t for t in load_taxonomy()}
        self.order = list(self.types)
        # cue key -> [(code, weight, kind)]; kind: "" (plain), "context" or an agent kind
        self.cues: dict[str, list[tuple[str, float, str]]] = {}
        phrases: dict[str, str] = {}
        self.gap_matcher = Matcher(nlp.vocab)
        self.gap_first: set[int] = set()  # first word of each gapped cue (a LOWER or LEMMA value)
        self.gap_last: set[int] = set()  # first word of each gapped cue's last part
        self.gap_pairs: set[tuple[int, int]] = set()  # (first word, last part's first word) per cue
        for t in load_taxonomy():
            groups = [(t["cues"], ""), (t.get("agent_cues", {}), t.get("agent", "")),
                      (t.get("context", {}).get("cues", {}), "context")]
            for cues, kind in groups:
                for phrase, weight in cues.items():
                    key = " ".join(phrase.lower().split())
                    if key not in phrases and "..." in key:
                        self._add_gap(nlp, key)
                    phrases[key] = phrase
                    self.cues.setdefault(key, []).append((t["code"], float(weight), kind))
        self.cue_matcher = TermMatcher(nlp, ((k, p) for k, p in phrases.items() if "..." not in k))
        self.gap_first_array = np.array(sorted(self.gap_first), dtype=np.uint64)
        self.gap_last_array = np.array(sorted(self.gap_last), dtype=np.uint64)
        self.gap_stop_array = np.array(sorted(nlp.vocab.strings.add(t) for t in _GAP_STOPS), dtype=np.uint64)
        agents = load_agents()
        terms = [(kind, term) for kind, kinds_terms in agents.items() for term in kinds_terms]
        short_caps = [(k, t) for k, t in terms if t.isupper() and len(t) <= 4]  # "IS", "SAA": exact case
        self.agent_matcher = TermMatcher(nlp, (kt for kt in terms if kt not in short_caps), exact=short_caps)
        weapons = load_weapons()
        self.weapon_matcher = TermMatcher(nlp, ((name, alias) for name, aliases in weapons.items()
                                                for alias in aliases), nouns_only=True)

    def _add_gap(self, nlp: Language, key: str) -> None:
        """Register "a ... b" as two token patterns (lower-case forms, lemmas) with a bounded gap."""
        parts = [[t.lower_ for t in nlp.make_doc(part.strip())] for part in key.split("...")]
        gap = {"ORTH": {"NOT_IN": list(_GAP_STOPS)}, "OP": f"{{0,{self.GAP}}}"}
        for attr in ("LOWER", "LEMMA"):
            pattern: list[dict[str, Any]] = []
            for i, words in enumerate(parts):
                if i:
                    pattern.append(gap)
                pattern.extend({attr: word} for word in words)
            self.gap_matcher.add(key, [pattern])
        strings = nlp.vocab.strings
        self.gap_first.add(strings.add(parts[0][0]))
        self.gap_last.add(strings.add(parts[-1][0]))
        self.gap_pairs.add((strings.add(parts[0][0]), strings.add(parts[-1][0])))

    def _gap_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """What ``gap_matcher(doc)`` returns, matched only inside the stretches between the
        tokens a gap cannot cross that hold a first and a last word of some gapped cue (the
        token Matcher with its gap operator is slow on a whole article)."""
        n = len(doc)
        if not n or not self.gap_first:
            return []
        table = doc.to_array([ORTH, LOWER, LEMMA])
        words = table[:, 1:]
        first = np.flatnonzero(np.isin(words, self.gap_first_array).any(axis=1)).tolist()
        last = np.isin(words, self.gap_last_array).any(axis=1)
        if not first or not last.any():
            return []
        stops = np.flatnonzero(np.isin(table[:, 0], self.gap_stop_array))
        segment_end = np.append(stops, n)[np.searchsorted(stops, first)].tolist()  # the stop after each
        last_seen = np.concatenate([[0], np.cumsum(last)])  # last_seen[i]: last words before token i
        found: list[tuple[int, int, int]] = []
        pairs = self.gap_pairs
        done = -1
        for i, end in zip(first, segment_end, strict=True):
            if end <= done or last_seen[end] == last_seen[i + 1]:
                continue  # segment already matched, or no last word after this first word
            start = int(stops[np.searchsorted(stops, i) - 1]) + 1 if len(stops) and stops[0] < i else 0
            seg = {*words[start:end].ravel().tolist()}
            if any(f in seg and g in seg for f, g in pairs):
                found += [(key, start + s, start + e) for key, s, e in self.gap_matcher(doc[start:end])]
            done = end
        return found

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """Stream docs through the component (one at a time; ``batch_size`` is accepted for spaCy)."""
        for doc in docs:
            yield self(doc)

    def __call__(self, doc: Doc) -> Doc:
        doc._.event_type = self.classify(doc)
        names: list[str] = []
        for span in self.weapon_matcher(doc):
            if span.label_ not in names:
                names.append(span.label_)
        doc._.weapons = names
        return doc

    def _matches(self, doc: Doc) -> list[SpacySpan]:
        """Cue matches in text order: plain phrases reduced to the longest among themselves, gapped
        ones likewise (both count), leaving out cues inside a date ("16 March") or inside a longer
        name ("Storm Corps", "the G-20 summit")."""
        gapped = [SpacySpan(doc, s, e, label=k) for k, s, e in self._gap_matches(doc)]
        found = self.cue_matcher(doc) + filter_spans(gapped)
        return sorted((span for span in found if not self._in_name(span)), key=lambda span: span.start)

    @staticmethod
    def _in_name(span: SpacySpan) -> bool:
        """True for a cue in a date, or in a longer name (more content words around it)."""
        if any(t.ent_type_ in _DATE_LABELS for t in span):
            return True
        doc = span.doc
        if span[0].ent_type_ not in _NAME_LABELS and span[-1].ent_type_ not in _NAME_LABELS:
            return False
        start, end = span.start, span.end
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        outside = [*doc[start:span.start], *doc[span.end:end]]
        return any(not t.is_stop and not t.is_punct for t in outside)

    @staticmethod
    def _agent(cue: SpacySpan, agents: list[SpacySpan]) -> str:
        """The kind of actor doing what the cue says: the actor term holding the grammatical subject
        of the cue's verb (the "by" agent of a passive one; a passive verb without one looks after
        the cue) when there is one; else the sentence's nearest actor term before the cue, else the
        first after it."""
        doc = cue.doc
        if doc.has_annotation("DEP"):
            verb = cue.root
            while verb.dep_ in ("conj", "xcomp", "advcl", "pcomp", "acl") and not any(
                    c.dep_ in ("nsubj", "nsubjpass") for c in verb.children) and verb.head is not verb:
                verb = verb.head
            heads = [c for c in verb.children if c.dep_ == "nsubj"]
            heads += [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            if not heads and any(c.dep_ == "nsubjpass" for c in verb.children):
                sent = cue.sent  # passive without "by": the subject suffered it; look after the cue
                after = [a for a in agents if cue.end <= a.start and a.end <= sent.end]
                return after[0].label_ if after else ""
            for head in heads:
                inside = [a for a in agents if head.left_edge.i <= a.start and a.end <= head.right_edge.i + 1]
                holding = [a for a in inside if a.start <= head.i < a.end]
                if holding or inside:
                    return (holding or inside)[0].label_
        sent = cue.sent if doc.has_annotation("SENT_START") else doc[:]
        before = [a for a in agents if sent.start <= a.start and a.end <= cue.start]
        after = [a for a in agents if cue.end <= a.start and a.end <= sent.end]
        chosen = before[-1:] or after[:1]
        return chosen[0].label_ if chosen else ""

    def scores(self, doc: Doc) -> tuple[dict[str, float], dict[str, list[tuple[float, SpacySpan]]]]:
        """Every code's score, and the cues behind it (with their position factor)."""
        title = headline_range(doc)
        lead = lead_ranges(doc, title[1] if title else 0, self.lead_sentences, self.min_lead_words)
        own = dict.fromkeys(self.order, 0.0)
        context = dict.fromkeys(self.order, 0.0)
        evidence: dict[str, list[tuple[float, SpacySpan]]] = {code: [] for code in self.order}
        context_evidence: dict[str, list[tuple[float, SpacySpan]]] = {code: [] for code in self.order}
        agents: list[SpacySpan] | None = None
        for span in self._matches(doc):
            pos = span.start_char
            if title and title[0] <= pos < title[1]:
                factor = self.title_weight
            elif any(s <= pos < e for s, e in lead):
                factor = 1.0
            else:
                factor = self.body_weight
            if factor <= 0:
                continue
            for code, weight, kind in self.cues[span.label_]:
                if kind and kind != "context":
                    agents = self.agent_matcher(doc) if agents is None else agents
                    if self._agent(span, agents) != kind:
                        continue
                (context if kind == "context" else own)[code] += weight * factor
                (context_evidence if kind == "context" else evidence)[code].append((factor, span))
        total = dict(own)
        for code in self.order:
            ctx = self.types[code].get("context")
            if ctx and context[code] >= float(ctx.get("min_cues", 3.0)):
                source = max(ctx["codes"], key=lambda c: own[c])
                if own[source] >= float(ctx.get("min", 2.0)):
                    total[code] += context[code] + float(ctx.get("inherit", 0.0)) * own[source]
                    evidence[code] += context_evidence[code] + evidence[source]
        return total, evidence

    def classify(self, doc: Doc) -> EventType | None:
        """The best-scoring code, or None below ``min_score``."""
        scores, evidence = self.scores(doc)
        best = max(self.order, key=lambda code: (scores[code], -self.order.index(code)))
        if scores[best] < self.min_score:
            return None
        info = self.types[best]
        return EventType(
            code=best,
            acled_event_type=info["acled_event_type"],
            acled_sub_event_type=info["acled_sub_event_type"],
            score=round(scores[best], 3),
            evidence=self._evidence(evidence[best]),
        )

    def _evidence(self, cues: list[tuple[float, SpacySpan]]) -> list[Span]:
        """The cues of the headline and lead (body cues only when those are missing), in text order."""
        strong = [span for factor, span in cues if factor >= 1.0]
        chosen = sorted(strong or [span for _factor, span in cues], key=lambda span: span.start)
        return [from_spacy(span) for span in chosen[: self.max_evidence]]


@Language.factory(
    "rashomon_event_type",
    assigns=["doc._.event_type", "doc._.weapons"],
    requires=["doc.ents", "token.is_sent_start", "token.dep", "token.lemma"],
    default_config=component_defaults("rashomon_event_type"),  # the [extract.event_type] table of default.toml
)
def make_event_type(nlp: Language, name: str, title_weight: float, lead_sentences: int, body_weight: float,
                    min_score: float, min_lead_words: int, max_evidence: int) -> EventTyper:
    """Event type from weighted cues (headline x ``title_weight``, lead x 1, body x ``body_weight``).

    ``lead_sentences`` counts sentences of at least ``min_lead_words`` words; below ``min_score``
    the type is None; at most ``max_evidence`` cue spans are kept as evidence.
    """
    return EventTyper(nlp, title_weight, lead_sentences, body_weight, min_score, min_lead_words, max_evidence)
