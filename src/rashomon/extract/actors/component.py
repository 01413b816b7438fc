"""``rashomon_actors``: the armed and political actors of an article (``doc._.actors``).

Actors come from the patterns of ``patterns/actors.json`` (normalised names, aliases, acronyms,
generic descriptions such as "gunmen" or "pro-government forces") and from NER entities: ORG names
that read as armed or political bodies (or act in the parse), and states or peoples (GPE naming a
country, NORP) only when the parse makes them act.  A town or province named as a target is where it
happened, not an actor.  Outlets, agencies and monitors are never actors.

A nationality right before a generic phrase qualifies it ("Syrian" + "government and allied
fighters" -> "Syrian pro-government forces"); a generic phrase with no qualifier is merged into the
one specific actor of its family named in the article ("regime forces" -> "Syrian pro-government
forces").

Sides come from the dependency parse.  Around attack verbs and nouns (kill, strike, target,
"strikes on X", "an attack against X") the agent (subject, "by X") is side "a" and the patient
(object, "against/on X", passive subject) side "b"; actors named together are allies, "X clashed
with Y" puts them in opposite camps.  The two camps that best fit all those relations are found by
exhaustive search over the (few) involved actors, and the camp that does more of the attacking
(headline and lead weigh more) is side "a".
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import product
from typing import Any

import numpy as np
from spacy.attrs import LEMMA
from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from rashomon.extract.text.lexicon import load_weapons, read_pattern_file
from rashomon.extract.text.sentences import headline_range, in_metadata_line, lead_ranges, sentence_ranges
from rashomon.extract.text.spans import char_span, doc_text
from rashomon.extract.text.terms import TermMatcher
from rashomon.geo.gazetteer import get_gazetteer
from rashomon.geo.normalise import fold
from rashomon.models import Actor
from rashomon.settings import component_defaults

__all__ = ["ActorFinder", "load_actor_patterns"]

_NOUN_DEPS = {"compound", "poss", "nmod", "amod", "appos", "npadvmod"}
_RELATIVE_PRONOUNS = {"that", "which", "who"}
_MODIFIER_DEPS = {"compound", "amod", "nmod", "npadvmod"}
_CONTROL_VERBS = {"try", "attempt", "want", "plan", "continue", "begin", "start", "seek", "vow", "threaten",
                  "decide", "choose", "refuse", "prepare", "manage", "fail", "go", "use", "help"}
# A paragraph's dateline: a place in capitals, maybe its country, maybe an agency, then a dash.
_DATELINE = re.compile(r"(?m)^[ \t]*[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,3}(?:, [A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+){0,2})?"
                       r"[ \t]*(?:\([A-Za-z .]{1,30}\)[ \t]*)?(?:--|\u2014|\u2013|-)[ \t]")
TOWN_MIN_POPULATION = 5000  # an organisation-looking name of a smaller place stays an actor
_RANKS = re.compile(r"\s+(?:Col|Gen|Lt|Maj|Capt|Sgt|Cpl|Adm|Brig|Cmdr)\.?$")


@lru_cache(maxsize=1)
def load_actor_patterns() -> dict[str, Any]:
    """The contents of ``patterns/actors.json``."""
    data: dict[str, Any] = json.loads(read_pattern_file("actors.json"))
    return data


# (agent occurrences or names, patient ones, symmetric predicate?, weight)
Relation = tuple[set[int], set[int], bool, float]
NamedRelation = tuple[set[str], set[str], bool, float]


@lru_cache(maxsize=4096)
def _state_name(text: str) -> str | None:
    """The country a GPE names ("Nigeria", "Syrian Arab Republic" -> Syria), or None for a town,
    province or region: only a state acts as a government; a town that "was attacked" is a place."""
    return next((c.place.name for c in get_gazetteer().lookup(text, fuzzy=False) if c.kind == "country"), None)


@lru_cache(maxsize=4096)
def _town_name(text: str) -> bool:
    """Whether ``text`` is, letter for letter, the own name of a town of at least
    ``TOWN_MIN_POPULATION`` people (alternate names and spelling keys do not count)."""
    wanted = fold(text)
    return any(c.kind == "city" and c.population >= TOWN_MIN_POPULATION and fold(c.place.name) == wanted
               for c in get_gazetteer().lookup(text, fuzzy=False, limit=3))


def _connected(nodes: list[str], edges: list[tuple[str, str]]) -> list[set[str]]:
    """Connected groups of ``nodes`` under ``edges``."""
    groups: list[set[str]] = []
    for node in nodes:
        linked = [g for g in groups if node in g or any((node, m) in edges or (m, node) in edges for m in g)]
        merged = {node}.union(*linked)
        groups = [g for g in groups if g not in linked] + [merged]
    return groups


@dataclass
class Occurrence:
    """One mention of an actor: token range, normalised name, pattern information."""

    start: int
    end: int
    name: str
    kind: str
    family: str | None = None
    generic: bool = False
    only_if_merged: bool = False
    needs_role: bool = False  # NER places/peoples/unknown ORGs: kept only when the parse makes them act


class ActorFinder:
    """Finds actors, normalises and deduplicates them, and assigns sides from the parse."""

    def __init__(self, nlp: Language, entity_labels: list[str], max_camp_actors: int,
                 lead_sentences: int) -> None:
        data = load_actor_patterns()
        self.entries: list[dict[str, Any]] = data["actors"]
        self.entity_labels = set(entity_labels)
        self.max_camp_actors = max_camp_actors
        self.lead_sentences = lead_sentences
        terms = [(str(i), alias) for i, e in enumerate(self.entries) for alias in e.get("aliases", [])]
        exact = [(str(i), acr) for i, e in enumerate(self.entries) for acr in e.get("acronyms", [])]
        self.matcher = TermMatcher(nlp, terms, exact)
        self.gpe = {alias.lower(): name for name, aliases in data["gpe"].items() for alias in aliases}
        self.not_actors = {x.lower() for x in data["not_actors"]}
        self.not_actors |= {alias.lower() for aliases in load_weapons().values() for alias in aliases}
        self.not_actor_words = set(data["not_actor_words"])
        self.org_kinds: dict[str, list[str]] = data["org_kinds"]
        self.role_nouns = set(data["role_nouns"])
        roles = data["roles"]
        self.attack_verbs = set(roles["attack_verbs"])
        self.light_verbs = set(roles["light_verbs"])
        self.attack_nouns = set(roles["attack_nouns"])
        self.symmetric = set(roles["symmetric"])
        self.patient_preps = set(roles["patient_preps"])
        self.verb_predicates = self.attack_verbs | self.symmetric
        self.noun_predicates = self.attack_nouns | self.symmetric
        self.verb_preps = self.patient_preps - {"of"}  # "the bombing of X", but not "accused X of"
        self.launch_verbs = self.light_verbs | self.attack_verbs

    # ------------------------------------------------------------------ finding
    def _qualifier(self, doc: Doc, start: int) -> tuple[str, int] | None:
        """A nationality/country entity ending right before token ``start``: (adjective, its start)."""
        if start == 0 or doc[start - 1].ent_type_ not in ("NORP", "GPE"):
            return None
        first = start - 1
        while first > 0 and doc[first].ent_iob_ == "I":
            first -= 1
        text = doc[first:start].text
        if doc[start - 1].ent_type_ == "GPE":
            text = self.gpe.get(text.lower().removeprefix("the "), text)
        return text, first

    def find(self, doc: Doc) -> list[Occurrence]:
        """Pattern occurrences first, then NER entities that no pattern covers."""
        found: list[Occurrence] = []
        covered: set[int] = set()
        text = doc_text(doc)
        for span in self.matcher(doc):
            entry = self.entries[int(span.label_)]
            head = span.root.head
            if entry.get("generic") and span.root.dep_ in _MODIFIER_DEPS and head.i >= span.end \
                    and head.lemma_.lower() in self.role_nouns:
                continue  # "military official", "army officers": a person's affiliation, not an actor
            if in_metadata_line(text, span.start_char):
                continue  # "Theme: Terrorism, US NATO War Agenda"
            start, name = span.start, entry["name"]
            qualifier = self._qualifier(doc, span.start) if entry.get("qualified") else None
            if qualifier is not None:
                name, start = entry["qualified"].format(adj=qualifier[0]), qualifier[1]
            elif entry.get("needs_qualifier"):
                continue
            generic = bool(entry.get("generic")) and qualifier is None
            if generic and found and found[-1].end == start and not found[-1].generic:
                found[-1].end = span.end  # "IS militants", "SDF fighters": part of the named actor
                covered.update(range(start, span.end))
                continue
            needs_role = bool(entry.get("needs_role")) and qualifier is None  # "troops", not "Russian troops"
            found.append(Occurrence(start, span.end, name, entry["kind"], entry.get("family"), generic,
                                    bool(entry.get("only_if_merged")), needs_role))
            covered.update(range(start, span.end))
        datelines = [m.span() for m in _DATELINE.finditer(text)]
        for ent in doc.ents:
            if ent.label_ not in self.entity_labels or covered & set(range(ent.start, ent.end)):
                continue
            if any(a <= ent.start_char < b for a, b in datelines):
                continue  # "KYIV, Ukraine (AP) —": where the report was filed, not who acted
            occ = self._from_entity(ent)
            if occ is not None:
                found.append(occ)
        found.sort(key=lambda o: o.start)
        return found

    def _from_entity(self, ent: SpacySpan) -> Occurrence | None:
        """An occurrence for an ORG/GPE/NORP entity, or None for outlets, monitors and junk."""
        text = ent.text.strip().strip("'\"").removesuffix("'s").removesuffix("\u2019s")
        rank = _RANKS.search(text)  # "US Army Col" (. Thomas Veale): the person's affiliation
        text = text[: rank.start()] if rank else text
        bare = text.removeprefix("the ").removeprefix("The ")
        if not bare or "\n" in bare or not any(c.isalpha() for c in bare) or bare.lower() in self.not_actors:
            return None
        words = {w.lower().strip(".,'") for w in bare.split()}
        if ent.label_ == "GPE":
            name = self.gpe.get(bare.lower()) or _state_name(bare)
            if name is None:
                return None  # "an attack on <town>": the town is where it happened, not who took part
            return Occurrence(ent.start, ent.end, name, "government", needs_role=True)
        if ent.label_ == "NORP":
            if ent.root.pos_ not in ("NOUN", "PROPN") or ent.root.dep_ in ("amod", "compound"):
                return None  # "Syrian television": an adjective, not a people acting
            return Occurrence(ent.start, ent.end, bare, "other", needs_role=True)
        if words & self.not_actor_words:
            return None
        low = bare.lower()
        kind = next((k for k, cues in self.org_kinds.items()
                     if any(c in low.split() or (" " in c and c in low) for c in cues)), "other")
        if kind == "other" and _town_name(bare):
            return None  # a town the NER took for an organisation ("DRUZHKIVKA —" in a dateline)
        return Occurrence(ent.start, ent.end, bare, kind, needs_role=kind == "other" or rank is not None)

    # ------------------------------------------------------------------ roles
    def _actors_at(self, token: Token, index: dict[int, int], depth: int = 0) -> set[int]:
        """Occurrences denoted by a role token: the one covering it, else ones inside its noun
        phrase ("SDF positions", "positions held by the SDF"), over conjuncts too."""
        found: set[int] = set()
        for tok in (token, *token.conjuncts):
            if tok.i in index:
                found.add(index[tok.i])
                continue
            if depth >= 3:
                continue
            for child in tok.children:
                if child.dep_ == "amod" and child.pos_ == "VERB" and child.i not in index:
                    continue  # "US-backed forces" are not the US
                if child.dep_ in _NOUN_DEPS or (child.dep_ == "acl" and depth < 2):
                    found |= self._actors_at(child, index, depth + 1)
                elif child.dep_ in ("agent", "prep") and (child.dep_ == "agent" or child.lower_ == "of"):
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            found |= self._actors_at(pobj, index, depth + 1)
        return found

    def _subjects(self, verb: Token) -> list[Token]:
        """Active subjects of a verb, inherited along conj/advcl/xcomp chains ("..., killing X")."""
        for _ in range(3):
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
            if subjects or passive or verb.dep_ not in ("conj", "advcl", "xcomp") or verb.head is verb:
                return subjects
            if verb.dep_ == "xcomp" and verb.head.lemma_ not in _CONTROL_VERBS:
                return []  # "the coalition responded to attack on the SDF": not the coalition attacking
            if any(c.dep_ == "nsubjpass" for c in verb.head.children):
                return []
            verb = verb.head
        return []

    def _verb_roles(self, verb: Token) -> tuple[list[Token], list[Token]]:
        """(agent tokens, patient tokens) of an attack verb: subject / "by" agent, and object,
        passive subject or "on/against/at" object."""
        agents = [verb.head if t.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl" else t
                  for t in self._subjects(verb)]  # "forces that attacked the base"
        patients: list[Token] = []
        for child in verb.children:
            if child.dep_ in ("dobj", "nsubjpass"):
                patients.append(child)
            elif child.dep_ == "agent":
                agents += [c for c in child.children if c.dep_ == "pobj"]
            elif child.dep_ == "prep" and child.lower_ in self.verb_preps:
                patients += [c for c in child.children if c.dep_ == "pobj"]
        if verb.dep_ in ("acl", "relcl") and not agents:
            # "the coalition killed 100 fighters" misparsed as a reduced relative; "fighters killed by"
            (agents if any(c.dep_ == "dobj" for c in verb.children) else patients).append(verb.head)
        return agents, patients

    def _noun_roles(self, noun: Token) -> tuple[list[Token], list[Token]]:
        """(agent tokens, patient tokens) of an attack noun: its modifiers, "by X" and the subject
        of the verb launching it; "on/against/at/of X"."""
        agents = [c for c in noun.children if c.dep_ in ("compound", "poss", "nmod", "amod")]
        patients: list[Token] = []
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "by":
                agents += [c for c in child.children if c.dep_ == "pobj"]
            elif child.dep_ == "prep" and child.lower_ in self.patient_preps:
                patients += [c for c in child.children if c.dep_ == "pobj"]
        head = noun.head
        if noun.dep_ in ("dobj", "nsubjpass") and head.lemma_ in self.launch_verbs:
            agents += self._verb_roles(head)[0]  # "X launched an attack", "X carried out strikes"
        elif noun.dep_ == "pobj" and head.lower_ == "with" and head.head.pos_ in ("VERB", "AUX"):
            agents += self._subjects(head.head)  # "X responded with artillery fire on Y"
        return agents, patients

    def _predicate_candidates(self, doc: Doc) -> Iterator[Token]:
        """The tokens whose lemma (lower-cased) is a verb or noun predicate, in order (found on
        the lemma column: most tokens of an article are neither)."""
        lemmas = doc.to_array(LEMMA)
        if not len(lemmas):
            return
        distinct, inverse = np.unique(lemmas, return_inverse=True)
        words = self.verb_predicates | self.noun_predicates
        strings = doc.vocab.strings
        wanted = np.array([strings[int(h)].lower() in words if h else False for h in distinct.tolist()], dtype=bool)
        for i in np.flatnonzero(wanted[inverse.ravel()]).tolist():
            yield doc[i]

    def relations(self, doc: Doc, occurrences: list[Occurrence]) -> Iterator[Relation]:
        """(agent occurrences, patient occurrences, symmetric?, weight) for each attack predicate."""
        index = {i: k for k, occ in enumerate(occurrences) for i in range(occ.start, occ.end)}
        title = headline_range(doc)
        lead = lead_ranges(doc, title[1] if title else 0, self.lead_sentences, 6)
        if title:
            lead.append(title)
        paragraphs = sentence_ranges(doc)
        for token in self._predicate_candidates(doc):
            lemma = token.lemma_.lower()
            if token.pos_ in ("VERB", "AUX") and lemma in self.verb_predicates:
                agents, patients = self._verb_roles(token)
            elif token.pos_ in ("NOUN", "PROPN") and lemma in self.noun_predicates:
                agents, patients = self._noun_roles(token)
            else:
                continue
            s, e = next(((s, e) for s, e in paragraphs if s <= token.idx < e), (0, 1 << 62))
            agents = [t for t in agents if s <= t.idx < e]  # the parser may run over blank lines
            patients = [t for t in patients if s <= t.idx < e]
            a = set().union(*(self._actors_at(t, index) for t in agents)) if agents else set()
            p = set().union(*(self._actors_at(t, index) for t in patients)) if patients else set()
            symmetric = lemma in self.symmetric
            if symmetric and not p:
                for child in token.children:  # "X clashed with Y"
                    if child.dep_ == "prep" and child.lower_ in ("with", "against"):
                        for pobj in (c for c in child.children if c.dep_ == "pobj"):
                            p |= self._actors_at(pobj, index)
            if a or p:
                in_lead = any(s <= token.idx < e for s, e in lead)
                yield a - p, p - a, symmetric, 2.0 if in_lead else 1.0

    # ------------------------------------------------------------------ camps
    def sides(self, names: list[str], rels: list[NamedRelation]) -> dict[str, str]:
        """Two camps that best fit the relations; in each group of related actors, the camp that
        does more of the attacking is side "a".  Groups tied only by symmetric relations ("X
        clashed with Y") get no sides."""
        lean: dict[str, float] = defaultdict(float)  # + attacking, - attacked
        opposed: dict[tuple[str, str], float] = defaultdict(float)
        allied: dict[tuple[str, str], float] = defaultdict(float)
        for agents, patients, symmetric, weight in rels:
            for n in agents:
                lean[n] += 0.0 if symmetric else weight
            for n in patients:
                lean[n] -= 0.0 if symmetric else weight
            for x, y in product(agents, patients):
                opposed[(x, y)] += weight
            for group in (agents, patients):
                for x, y in product(group, group):
                    if x < y:
                        allied[(x, y)] += weight
        degree: dict[str, float] = defaultdict(float)
        for (x, y), w in (*opposed.items(), *allied.items()):
            degree[x] += w
            degree[y] += w
        ranked = sorted((n for n in names if lean[n] or degree[n]), key=lambda n: -abs(lean[n]) - degree[n])
        involved = [n for n in names if n in ranked[: self.max_camp_actors]]

        def score(camp: dict[str, int]) -> tuple[float, float]:
            fit = 0.0
            for (x, y), w in opposed.items():
                if x in camp and y in camp:
                    fit += w if camp[x] != camp[y] else -w
            fit += sum(w for (x, y), w in allied.items() if x in camp and y in camp and camp[x] == camp[y])
            return fit, sum(lean[n] * sign for n, sign in camp.items())

        signs = product((1, -1), repeat=len(involved))
        labelings = (dict(zip(involved, labels, strict=True)) for labels in signs)
        chosen = max(labelings, key=score, default={})
        result: dict[str, str] = {}
        for group in _connected(involved, [*opposed, *allied]):
            if any(lean[n] for n in group):
                result.update({n: "a" if chosen[n] > 0 else "b" for n in group})
        return result

    # ------------------------------------------------------------------ the component
    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """Stream docs through the component (one at a time; ``batch_size`` is accepted for spaCy)."""
        for doc in docs:
            yield self(doc)

    def __call__(self, doc: Doc) -> Doc:
        occurrences = self.find(doc)
        self._merge_generics(occurrences)
        rels: list[NamedRelation] = []
        acting: set[int] = set()
        if doc.has_annotation("DEP"):
            for a, p, symmetric, weight in self.relations(doc, occurrences):
                acting |= a | p
                names_a = {occurrences[k].name for k in a}
                rels.append((names_a, {occurrences[k].name for k in p}, symmetric, weight))
            for k, occ in enumerate(occurrences):
                root = doc[occ.start:occ.end].root
                if root.dep_ == "conj":
                    root = root.head  # "Russian troops and Turkish soldiers patrolled"
                if root.dep_ in ("nsubj", "nsubjpass") or (root.dep_ == "pobj" and root.head.dep_ == "agent"):
                    acting.add(k)
        kept = [k for k, occ in enumerate(occurrences)
                if not occ.only_if_merged and (not occ.needs_role or k in acting)]
        names: list[str] = []
        for k in kept:
            if occurrences[k].name not in names:
                names.append(occurrences[k].name)
        sides = self.sides(names, [(a & set(names), p & set(names), s, w) for a, p, s, w in rels])
        actors: list[Actor] = []
        for k in kept:
            occ = occurrences[k]
            if any(a.name == occ.name for a in actors):
                continue
            start, end = doc[occ.start].idx, doc[occ.end - 1].idx + len(doc[occ.end - 1])
            actors.append(Actor.model_validate({
                "name": occ.name, "text": doc[occ.start:occ.end].text, "kind": occ.kind,
                "side": sides.get(occ.name), "span": char_span(doc, start, end),
            }))
        doc._.actors = actors
        return doc

    @staticmethod
    def _merge_generics(occurrences: list[Occurrence]) -> None:
        """A generic occurrence takes the name of the one specific actor of its family, if there is one."""
        specific: dict[str, set[str]] = defaultdict(set)
        for occ in occurrences:
            if occ.family and not occ.generic:
                specific[occ.family].add(occ.name)
        for occ in occurrences:
            if occ.generic and occ.family and len(specific[occ.family]) == 1:
                occ.name = next(iter(specific[occ.family]))
                occ.generic = occ.only_if_merged = False


@Language.factory(
    "rashomon_actors",
    assigns=["doc._.actors"],
    requires=["doc.ents", "token.is_sent_start", "token.dep", "token.lemma"],
    default_config=component_defaults("rashomon_actors"),  # the [extract.actors] table of default.toml
)
def make_actors(nlp: Language, name: str, entity_labels: list[str], max_camp_actors: int,
                lead_sentences: int) -> ActorFinder:
    """Pattern + NER actors with sides; relations in the headline and the first ``lead_sentences``
    sentences count double; at most ``max_camp_actors`` actors take part in the camp search."""
    return ActorFinder(nlp, entity_labels, max_camp_actors, lead_sentences)
