"""Who is who among the single-victim mentions of :mod:`.victims` (used by :mod:`.individuals`).

Mentions are read in text order, and each is given the person (for "both", the persons) it names:

* a name is one person, and names that share their words are the same person ("Sean Bolton",
  "Bolton"; titles such as "Officer" dropped); a description that stands in apposition with a
  name takes the name ("the victim, Marcus Hall");
* a personal pronoun is the latest victim of its gender ("he" -> the latest man, or a victim of
  unknown gender);
* a description ("a man", "the victim") is the latest victim of a compatible gender (preferring
  one not told apart by "another" or "a second"), or a new one, except that
  - one with "another" or "a second" (or standing alone: "another was injured") is a new one,
    and "the second victim" / "the other" the latest such; "another" as the object of a person
    ("a man ... shot and killed another man") only contrasts with that person;
  - an indefinite or possessive one ("a man", "his brother") and a member of a coordination ("a
    man and a boy") is none of the victims that its clause, or a clause coordinated with it,
    names by other words ("one woman was shot in the hand and a 52-year-old woman was shot"); an
    indefinite member of a coordination is always new ("later, a cook and a waiter were shot");
  - two kinship nouns ("the mother", "the daughter"; "dad" is "father") or an offender noun and
    "victim" ("the suspect", "the victim") do not name one person;
  - one killed with "also" ("the officer also shot and killed a neighbour") is none of the dead
    named before;
* "both" ("both victims", "Both were taken") is the two latest victims of a compatible gender (new
  ones when fewer are known); "they" is the victims last named together ("a man and a woman",
  "both") in the same or the previous sentence, else nobody;
* at the end, a victim known only by descriptions is merged into the first named victim of a
  compatible gender (articles describe the victim before naming him), if there is one, unless
  the unnamed one died and the named one was only wounded, or the two are known to be two.

Persons known to be two people (named together, coordinated, told apart by "another" within two
sentences, by kinship or offender nouns, or by "also") are recorded as *apart*:
:mod:`.individuals` counts the largest set of victims that are pairwise apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from rashomon.extract.figures.victims import VictimMention, Words, subject, words


@dataclass(eq=False)
class Person:
    """One victim: the names it goes by, its gender ("f", "m" or None) and a label."""

    names: list[frozenset[str]] = field(default_factory=list)
    gender: str | None = None
    label: str = "victim"
    named: bool = False
    merged_into: Person | None = None
    nouns: set[str] = field(default_factory=set)  # the nouns of its descriptions
    distinct: bool = False  # introduced as "another", "a second"...

    def root(self) -> Person:
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


def _clause(tok: Token) -> int:
    """The first verb of the coordination holding a casualty word's clause ("was shot ... and a
    man was shot": both the first "shot")."""
    for _ in range(4):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            break
        tok = tok.head
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok.i


def _other_than_subject(tok: Token) -> bool:
    """ "a man ... shot and killed another man": "another" sets the victim apart from the one who
    shot (the subject of the verb), not from other victims."""
    if tok.dep_ not in ("dobj", "obj"):
        return False
    doer = subject(tok.head)
    if doer is None or doer.dep_ != "nsubj":
        return False  # "the shooting left another teen critically wounded": another victim
    person = doer.lemma_.lower() in words().person_nouns or doer.ent_type_ == "PERSON"
    return person or doer.lower_ in ("he", "she", "who")


def _also_killed(verb: Token) -> bool:
    """Does "also" go with a killing: "also killed", "also shot and killed", "was also fatally
    shot"?  (The verbs of one coordination share it.)"""
    root = verb
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    verbs = [root] + [c for c in root.children if c.dep_ == "conj"]
    w = words()
    if not any(c.dep_ == "advmod" and c.lower_ == "also" for v in verbs for c in v.children):
        return False
    return any(
        v.lemma_.lower() in w.kill_verbs | w.die_verbs or any(c.lower_ in w.fatal_adverbs for c in v.children)
        for v in verbs
    )


def _coordinated(tok: Token) -> bool:
    """Is the token the first of a coordination of nouns ("a man and a woman")?"""
    return any(c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN") for c in tok.children)


def _indefinite(tok: Token) -> bool:
    """ "a man", "one man", "an 18-year-old"."""
    return any(c.dep_ in ("det", "nummod") and c.lower_ in ("a", "an", "one") for c in tok.children)


def _name_words(doc: Doc, tok: Token, w: Words) -> list[Token] | None:
    """The words of the name a victim token is or stands in apposition with."""
    if tok.pos_ != "PROPN" or tok.lower_ in w.person_nouns:
        appositions = (c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN")
        name = next((c for c in appositions if c.ent_type_ == "PERSON"), None)
        if name is None:
            return None
        tok = name
    parts = [c for c in tok.children if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN" and c.i < tok.i]
    parts = [p for p in sorted(parts + [tok], key=lambda t: t.i) if p.lower_ not in w.titles and p.is_alpha]
    return parts or None


class Resolver:
    """Assigns each mention its persons (see the module docstring)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.w = words()
        self.persons: list[Person] = []
        self.latest: list[Person] = []  # most recent last
        self.taken: list[Person] = []
        self.labels: set[str] = set()
        self.sentences = {s.start: n for n, s in enumerate(doc.sents)}
        self.seen: dict[int, set[tuple[int, int, int]]] = {}  # id(person) -> {(sentence, victim, trigger)}
        self.apart: set[frozenset[int]] = set()  # pairs of person ids known to be two people
        self.group: tuple[list[Person], int] = ([], -9)  # the persons last named together, sentence
        self.by_token: dict[int, list[Person]] = {}  # victim token -> its persons
        self.killed: list[Person] = []  # persons of killing mentions so far

    def persons_of(self, mention: VictimMention, taken: list[Person]) -> list[Person]:
        """The persons a mention names; ``taken``: the persons of the other members of its
        coordination ("a man and a boy were shot" names two)."""
        sentence = self.sentences.get(self.doc[mention.trigger].sent.start, -1)
        if mention.victim is not None and mention.victim in self.by_token:
            persons = self.by_token[mention.victim]  # "another man was shot and suffered injuries"
        elif mention.plural:
            persons = self._plural(mention, sentence)
        else:
            persons = [self._person_of(mention, taken, sentence)]
            if taken:
                self.group = (taken + persons, sentence)
        if mention.victim is not None:
            self.by_token[mention.victim] = persons
        if mention.kind == "killed" and not mention.weak:
            self.killed.extend(p for p in persons if p not in self.killed)
        for person in persons:
            victim = mention.victim if mention.victim is not None else -1
            self.seen.setdefault(id(person), set()).add((sentence, victim, mention.trigger))
            self._set_apart(person, [p for p in taken + persons if p is not person])
            self._touch(person)
        return persons

    def is_apart(self, a: Person, b: Person) -> bool:
        return frozenset((id(a), id(b))) in self.apart

    def _set_apart(self, person: Person, others: list[Person]) -> None:
        self.apart.update(frozenset((id(person), id(other))) for other in others if other is not person)

    def _person_of(self, mention: VictimMention, taken: list[Person], sentence: int) -> Person:
        self.taken = taken
        written = " ".join(t.text for t in self.doc[mention.start : mention.end])
        if mention.victim is None:
            return self._description(None, written)
        tok = self.doc[mention.victim]
        name = _name_words(self.doc, tok, self.w)
        if name is not None:
            return self._named(name, _gender(tok, self.w))
        if tok.pos_ == "PRON" and tok.lower_ not in self.w.distinct_words:
            return self._pronoun(_gender(tok, self.w), written)
        if taken or _indefinite(tok) or any(c.dep_ == "poss" for c in tok.children):
            # "a man and a boy", "one woman was shot ... and a 52-year-old woman was shot", "a man
            # ... and his brother": not a victim already named in this clause by other words
            self.taken = taken + [p for p in self.persons if self._named_here(p, sentence, tok.i, mention.trigger)]
        if _also_killed(self.doc[mention.trigger]):
            self.taken = self.taken + self.killed  # "the officer also shot and killed a neighbour"
            person = self._description(tok, written)
            self._set_apart(person, self.killed)
            return person
        marker = tok.lower_ in self.w.distinct_words or any(
            c.dep_ in ("det", "amod") and c.lower_ in self.w.distinct_words for c in tok.children
        )
        if (taken or _coordinated(tok)) and _indefinite(tok):  # "earlier, a man and a woman were killed"
            return self._new(_gender(tok, self.w), self._label(tok), written)
        if not marker or _other_than_subject(tok):
            return self._description(tok, written, indefinite=_indefinite(tok) or marker)
        gender = _gender(tok, self.w)
        if any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            for person in reversed(self.latest):  # "the second victim", "the other"
                if person.distinct and person not in self.taken and _compatible(person.gender, gender):
                    return person
        person = self._new(gender, self._label(tok), written)
        person.distinct = True  # "a third teenager" is none of the victims just named
        self._set_apart(person, [p for p in self.persons if self._named_since(p, sentence - 2)])
        return person

    def _named_since(self, person: Person, sentence: int) -> bool:
        return any(s >= sentence for s, _, _ in self.seen.get(id(person), ()))

    def _named_here(self, person: Person, sentence: int, victim: int, trigger: int) -> bool:
        """Was the person named by other words in a clause coordinated with this one?"""
        here = _clause(self.doc[trigger])
        seen = self.seen.get(id(person), set())
        return any(s == sentence and v != victim and _clause(self.doc[t]) == here for s, v, t in seen)

    def _plural(self, mention: VictimMention, sentence: int) -> list[Person]:
        """ "both (victims)": the two latest victims of a compatible gender, new ones when fewer
        are known; "they": the victims last named together in this or the previous sentence."""
        if mention.plural == "they":
            persons, where = self.group
            return list(persons) if 0 <= sentence - where <= 1 else []
        tok = self.doc[mention.victim] if mention.victim is not None else None
        gender = _gender(tok, self.w) if tok is not None and tok.pos_ == "NOUN" else None
        picks = [p for p in reversed(self.latest) if _compatible(p.gender, gender)][:2]
        while len(picks) < 2:
            picks.append(self._new(gender, tok.lemma_.lower() if tok is not None else "victim", "victim"))
        self.group = (picks, sentence)
        return picks

    def _touch(self, person: Person) -> None:
        if person in self.latest:
            self.latest.remove(person)
        self.latest.append(person)

    def _named(self, name: list[Token], gender: str | None) -> Person:
        key = frozenset(t.lower_ for t in name)
        for person in self.persons:
            if person.named and any(key <= known or known <= key for known in person.names):
                person.names.append(key)
                if len(" ".join(t.text for t in name)) > len(person.label):
                    person.label = " ".join(t.text for t in name)
                person.gender = person.gender or gender
                return person
        person = Person([key], gender, " ".join(t.text for t in name), named=True)
        self.labels.add(person.label)
        self.persons.append(person)
        return person

    def _pronoun(self, gender: str | None, written: str) -> Person:
        for person in reversed(self.latest):
            if _compatible(person.gender, gender) and person not in self.taken:
                person.gender = person.gender or gender
                return person
        return self._new(gender, "victim", written)

    def _description(self, tok: Token | None, written: str, indefinite: bool = False) -> Person:
        gender = _gender(tok, self.w) if tok is not None else None
        noun = self._noun(tok)
        # "the victim" is the first-told victim rather than one told apart later ("a second
        # victim"), and "a man" never one told apart
        order = [p for p in reversed(self.latest) if not p.distinct]
        if not indefinite:
            order += [p for p in reversed(self.latest) if p.distinct]
        found = next((p for p in order if _compatible(p.gender, gender) and p not in self.taken
                      and not self._conflict(noun, p)), None)
        if found is None:
            found = self._new(gender, self._label(tok) if tok is not None else "victim", written)
        found.gender = found.gender or gender
        self._set_apart(found, [p for p in self.persons if self._conflict(noun, p)])
        if noun:
            found.nouns.add(noun)
        return found

    def _conflict(self, noun: str, person: Person) -> bool:
        """Can a description's noun not name this person?  Two kinship nouns ("the daughter" is
        not the victim called "the mother"), or an offender noun and "victim" ("the suspect" is
        not "the victim")."""
        if not noun or noun in person.nouns:
            return False
        kin = set(self.w.kin_nouns.values())
        if noun in kin and person.nouns & kin:
            return True
        offenders = self.w.offender_nouns
        if noun in offenders:
            return "victim" in person.nouns
        return noun == "victim" and bool(person.nouns & offenders)

    def _noun(self, tok: Token | None) -> str:
        """The noun of a description, kinship nouns by their first synonym ("dad": "father")."""
        if tok is None:
            return ""
        word = tok.lemma_.lower()
        return self.w.kin_nouns.get(word, word)

    def _label(self, tok: Token) -> str:
        word = tok.lemma_.lower()
        return "victim" if word in self.w.distinct_words else word

    def _new(self, gender: str | None, label: str, written: str) -> Person:
        """A new person, labelled by its noun, else by the words written, else numbered."""
        for candidate in (label, written.lower(), *(f"{label} {n}" for n in range(2, 100))):
            if candidate not in self.labels:
                label = candidate
                break
        self.labels.add(label)
        person = Person([], gender, label)
        self.persons.append(person)
        return person

    def merge_unnamed(self, outcomes: dict[int, set[str]]) -> None:
        """Victims known only by descriptions are merged into the first compatible named one:
        of a compatible gender, not one who only was wounded when the unnamed one died ("a man
        was killed ... Jon Marsh was wounded" are two), and not one known to be another person;
        victims called "the victim" are merged first.  ``outcomes``: per person (``id``), the kinds
        of its strong mentions."""
        named = [p for p in self.persons if p.named]
        # those called "the victim" first: the victim is the one the article names
        for person in sorted(self.persons, key=lambda p: "victim" not in p.nouns):
            if person.named:
                continue
            for target in named:
                group = [p for p in self.persons if p.root() is target]
                known = set().union(*(outcomes.get(id(p), set()) for p in group))
                died_only_here = "killed" in outcomes.get(id(person), set()) and known == {"injured"}
                apart = any(self.is_apart(person, p) for p in group)
                if _compatible(target.gender, person.gender) and not died_only_here and not apart:
                    person.merged_into = target
                    break
