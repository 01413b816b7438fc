"""Figures of one person each, from the single-victim mentions of :mod:`.victims`.

An article names its victim several times ("a 42-year-old man was shot" ... "the victim died" ...
"Watkins was pronounced dead"); each mention becomes a figure of value 1 whose ``group`` is the
victim's identity, the same for every mention of one person: a victim mentioned three times is
three figures of 1 (the article count, the largest figure, is 1), and a rule that counts persons
can count distinct groups.  ``text`` is the words naming the victim as written in that mention
("A 42-year-old man", "he").

Who is who, in text order:

* a name is one person, and names that share their words are the same person ("Sean Bolton",
  "Bolton"; titles such as "Officer" dropped); a description that stands in apposition with a
  name takes the name ("the victim, Marcus Hall");
* a personal pronoun is the latest victim of its gender ("he" -> the latest man, or a victim of
  unknown gender);
* a description ("a man", "the victim") is the latest victim of a compatible gender, or a new one;
  one opening with "another" or "a second" is always a new one;
* at the end, a victim known only by descriptions is merged into the first named victim of a
  compatible gender (articles describe the victim before naming him), if there is one, unless
  the unnamed one died and the named one was only wounded.

A victim who died in any mention counts as killed only: the mentions that wounded them ("was shot
... died at the hospital") give no injured figure.  A weak mention ("was shot") is an injury only
for a victim who did not die, and not for an unnamed victim when the article counts its dead
with a number ("two women were fatally shot ... the other woman was shot").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from rashomon.extract import spans
from rashomon.extract.components.figure_context import speaker_claim
from rashomon.extract.components.victims import VictimMention, Words, words
from rashomon.models import Claim, Figure, FigureKind


@dataclass
class _Person:
    """One victim: the names it goes by, its gender ("f", "m" or None) and a label."""

    names: list[frozenset[str]] = field(default_factory=list)
    gender: str | None = None
    label: str = "victim"
    named: bool = False
    merged_into: _Person | None = None

    def root(self) -> _Person:
        person = self
        while person.merged_into is not None:
            person = person.merged_into
        return person


def _gender(tok: Token, w: Words) -> str | None:
    word = tok.lower_ if tok.pos_ == "PRON" else tok.lemma_.lower()
    if word in w.female_nouns:
        return "f"
    if word in w.male_nouns:
        return "m"
    return None


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _name_words(doc: Doc, tok: Token, w: Words) -> list[Token] | None:
    """The words of the name a victim token is or stands in apposition with."""
    if tok.pos_ != "PROPN" or tok.lower_ in w.person_nouns:
        name = next((c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if name is None:
            return None
        tok = name
    parts = [c for c in tok.children if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN" and c.i < tok.i]
    parts = [p for p in sorted(parts + [tok], key=lambda t: t.i) if p.lower_ not in w.titles and p.is_alpha]
    return parts or None


class _Resolver:
    """Assigns each mention its person (see the module docstring)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.w = words()
        self.persons: list[_Person] = []
        self.latest: list[_Person] = []  # most recent last
        self.taken: list[_Person] = []
        self.labels: set[str] = set()

    def person_of(self, mention: VictimMention, taken: list[_Person]) -> _Person:
        """The person a mention names; ``taken``: the persons of the other members of its
        coordination ("a man and a boy were shot" names two)."""
        self.taken = taken
        written = " ".join(t.text for t in self.doc[mention.start : mention.end])
        if mention.victim is None:
            person = self._description(None, distinct=False, written=written)
            self._touch(person)
            return person
        tok = self.doc[mention.victim]
        name = _name_words(self.doc, tok, self.w)
        if name is not None:
            person = self._named(name, _gender(tok, self.w))
        elif tok.pos_ == "PRON":
            person = self._pronoun(_gender(tok, self.w), written)
        else:
            distinct = bool(taken) or any(
                c.dep_ in ("det", "amod") and c.lower_ in self.w.distinct_words for c in tok.children
            )
            person = self._description(tok, distinct, written)
        self._touch(person)
        return person

    def _touch(self, person: _Person) -> None:
        if person in self.latest:
            self.latest.remove(person)
        self.latest.append(person)

    def _named(self, name: list[Token], gender: str | None) -> _Person:
        key = frozenset(t.lower_ for t in name)
        for person in self.persons:
            if person.named and any(key <= known or known <= key for known in person.names):
                person.names.append(key)
                if len(" ".join(t.text for t in name)) > len(person.label):
                    person.label = " ".join(t.text for t in name)
                person.gender = person.gender or gender
                return person
        person = _Person([key], gender, " ".join(t.text for t in name), named=True)
        self.labels.add(person.label)
        self.persons.append(person)
        return person

    def _pronoun(self, gender: str | None, written: str) -> _Person:
        for person in reversed(self.latest):
            if _compatible(person.gender, gender) and person not in self.taken:
                person.gender = person.gender or gender
                return person
        return self._new(gender, "victim", written)

    def _description(self, tok: Token | None, distinct: bool, written: str) -> _Person:
        gender = _gender(tok, self.w) if tok is not None else None
        if not distinct:
            for person in reversed(self.latest):
                if _compatible(person.gender, gender) and person not in self.taken:
                    person.gender = person.gender or gender
                    return person
        label = tok.lemma_.lower() if tok is not None else "victim"
        return self._new(gender, label, written)

    def _new(self, gender: str | None, label: str, written: str) -> _Person:
        """A new person, labelled by its noun, else by the words written, else numbered."""
        for candidate in (label, written.lower(), *(f"{label} {n}" for n in range(2, 100))):
            if candidate not in self.labels:
                label = candidate
                break
        self.labels.add(label)
        person = _Person([], gender, label)
        self.persons.append(person)
        return person

    def merge_unnamed(self, outcomes: dict[int, set[str]]) -> None:
        """Victims known only by descriptions are merged into the first compatible named one:
        of a compatible gender, and not one who only was wounded when the unnamed one died
        ("a man was killed ... Jon Marsh was wounded" are two).  ``outcomes``: per person
        (``id``), the kinds of its strong mentions."""
        named = [p for p in self.persons if p.named]
        for person in self.persons:
            if person.named:
                continue
            for target in named:
                died_only_here = "killed" in outcomes.get(id(person), set()) and outcomes.get(id(target)) == {"injured"}
                if _compatible(target.gender, person.gender) and not died_only_here:
                    person.merged_into = target
                    break


def individual_figures(
    doc: Doc, mentions: list[tuple[VictimMention, tuple[int, int]]], claims: list[Claim], numbered: list[Figure]
) -> list[Figure]:
    """One figure per mention that counts (killed, injured), each naming its person as group.

    ``mentions`` pairs each victim mention with the character range of its block (sentence);
    ``numbered`` are the article's figures read from numbers: an unnamed victim who was only
    "shot" may be one of the dead they count, and gives no injured figure then."""
    resolver = _Resolver(doc)
    assigned: list[tuple[VictimMention, tuple[int, int], _Person]] = []
    for n, (mention, block) in enumerate(mentions):
        taken = [p for m, _, p in assigned[-n:] if m.trigger == mention.trigger and m.victim != mention.victim]
        assigned.append((mention, block, resolver.person_of(mention, taken)))
    outcomes: dict[int, set[str]] = {}
    for mention, _, person in assigned:
        if not mention.weak:
            outcomes.setdefault(id(person), set()).add(mention.kind)
    resolver.merge_unnamed(outcomes)
    died = {id(p.root()) for m, _, p in assigned if m.kind == "killed"}
    counted_dead = any(f.kind == "killed" for f in numbered)
    text = spans.doc_text(doc)
    figures: list[Figure] = []
    seen: set[tuple[str, int, int]] = set()
    for mention, block, person in assigned:
        root = person.root()
        if (mention.kind, mention.start, mention.end) in seen:
            continue  # one victim read twice from one phrase ("is dead", "father ... dead")
        seen.add((mention.kind, mention.start, mention.end))
        if mention.kind != "killed" and id(root) in died:
            continue
        if mention.weak and counted_dead and not root.named:
            continue  # "two women were fatally shot ... the other woman was shot": one of the dead
        kind: FigureKind = "killed" if mention.kind == "killed" else "injured"
        start = doc[mention.start].idx
        last = doc[mention.end - 1]
        end = last.idx + len(last)
        claim = speaker_claim(claims, start, end)
        figures.append(
            Figure(
                id=spans.record_id("f", doc, start, end, kind, "one"),
                article_id=doc._.article_id,
                kind=kind,
                value=1,
                low=1,
                high=1,
                qualifier=None,
                text=" ".join(text[start:end].split()),
                group=root.label,
                speaker=claim.speaker if claim else None,
                claim_id=claim.id if claim else None,
                span=spans.char_span(doc, start, end),
                sentence=spans.char_span(doc, *block),
            )
        )
    return figures
