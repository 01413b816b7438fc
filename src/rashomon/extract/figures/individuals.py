"""Figures of single victims, from the mentions of :mod:`.victims` and the persons
:mod:`.victim_persons` gives them.

An article names its victim several times ("a 42-year-old man was shot" ... "the victim died" ...
"Watkins was pronounced dead"); each mention becomes a figure of value 1 whose ``group`` is the
victim's identity, the same for every mention of one person: a victim mentioned three times is
three figures of 1 (the article count, the largest figure, is 1).  ``text`` is the words naming
the victim as written in that mention ("A 42-year-old man", "he").

Several victims are counted where the text shows they are several people, each counted once:

* a sentence that names several victims of one kind gives a figure of that many ("A man and a
  woman were shot and killed": killed 2; "One woman was shot in the hand and a 52-year-old woman
  was shot through the hip": injured 2; "Both victims were rushed to a clinic": injured 2);
* victims known to be two people (named together, "another man", "a second victim", "the
  mother" / "the daughter") give a figure of the largest set of them that are pairwise apart, at
  the mention of the last one ("one man was shot and badly wounded. A second victim was
  found ... with a gunshot wound": injured 2).  Victims merely named in different sentences are
  not added up: articles also name victims of other shootings.

A victim who died in any mention counts as killed only: the mentions that wounded them ("was shot
... died at the hospital") give no injured figure.  A weak mention ("was shot") is an injury only
for a victim who did not die, and not for an unnamed victim when the article counts its dead
with a number ("two women were fatally shot ... the other woman was shot"); "both had suffered a
gunshot wound" is no injury for unnamed victims when a number counts two dead or more.
"""

from __future__ import annotations

from itertools import combinations

from spacy.tokens import Doc

from rashomon.extract.figures.context import speaker_claim
from rashomon.extract.figures.victim_persons import Person, Resolver
from rashomon.extract.figures.victims import VictimMention
from rashomon.extract.text import spans
from rashomon.models import Claim, Figure, FigureKind


def individual_figures(
    doc: Doc, mentions: list[tuple[VictimMention, tuple[int, int]]], claims: list[Claim], numbered: list[Figure]
) -> list[Figure]:
    """Figures of single victims (see the module docstring).

    ``mentions`` pairs each victim mention with the character range of its block (sentence);
    ``numbered`` are the article's figures read from numbers: an unnamed victim who was only
    "shot" may be one of the dead they count, and gives no injured figure then."""
    resolver = Resolver(doc)
    assigned: list[tuple[VictimMention, tuple[int, int], Person]] = []
    for mention, block in mentions:
        taken = [p for m, _, p in assigned if m.trigger == mention.trigger and m.victim != mention.victim]
        assigned.extend((mention, block, person) for person in resolver.persons_of(mention, taken))
    outcomes: dict[int, set[str]] = {}
    for mention, _, person in assigned:
        if not mention.weak:
            outcomes.setdefault(id(person), set()).add(mention.kind)
    resolver.merge_unnamed(outcomes)
    died = {id(p.root()) for m, _, p in assigned if m.kind == "killed"}
    numbered_dead = max((f.point or 0 for f in numbered if f.kind == "killed"), default=0)
    figures: list[Figure] = []
    seen: set[tuple[str, int, int]] = set()
    together: dict[tuple[tuple[int, int], FigureKind], dict[int, VictimMention]] = {}
    first_counted: dict[FigureKind, dict[int, tuple[VictimMention, tuple[int, int], Person]]] = {}
    for mention, block, person in assigned:
        root = person.root()
        if mention.kind != "killed" and id(root) in died:
            continue
        if mention.weak and numbered_dead and not root.named:
            continue  # "two women were fatally shot ... the other woman was shot": one of the dead
        if mention.plural and mention.kind == "injured" and numbered_dead >= 2 and not root.named:
            continue  # "a murder-suicide ... Both had suffered a gunshot wound": the two dead
        kind: FigureKind = "killed" if mention.kind == "killed" else "injured"
        together.setdefault((block, kind), {}).setdefault(id(root), mention)
        first_counted.setdefault(kind, {}).setdefault(id(root), (mention, block, root))
        if mention.plural or (mention.kind, mention.start, mention.end) in seen or _numbered(doc, mention, numbered):
            continue  # one victim read twice from one phrase ("is dead", "father ... dead"; "one man")
        seen.add((mention.kind, mention.start, mention.end))
        figures.append(_figure(doc, claims, kind, 1, mention.start, mention.end, block, root.label, "one"))
    most = {kind: 1 for kind in first_counted}
    for (block, kind), persons in together.items():
        if len(persons) > 1:
            first = min(m.start for m in persons.values())
            last = max(m.end for m in persons.values())
            figures.append(_figure(doc, claims, kind, len(persons), first, last, block, None, "together"))
            most[kind] = max(most[kind], len(persons))
    for kind, firsts in first_counted.items():
        apart = _largest_apart(resolver, [p for _, _, p in firsts.values()])
        if len(apart) > most[kind]:
            mention, block, _ = max((firsts[id(p)] for p in apart), key=lambda item: item[0].trigger)
            figures.append(_figure(doc, claims, kind, len(apart), mention.start, mention.end, block, None, "apart"))
    return figures


def _numbered(doc: Doc, mention: VictimMention, numbered: list[Figure]) -> bool:
    """Is the victim "one man" whose "one" is already a number figure of the same kind?"""
    if mention.victim is None:
        return False
    ones = [doc[c.i].idx for c in doc[mention.victim].children if c.dep_ == "nummod" and c.lower_ == "one"]
    return any(f.kind == mention.kind and f.span.start in ones for f in numbered)


def _largest_apart(resolver: Resolver, persons: list[Person], limit: int = 12) -> list[Person]:
    """The largest set of persons known to be pairwise different people (persons merged into
    one another count as one: a pair is apart when any of their mentions' persons are)."""
    members = {id(p): [q for q in resolver.persons if q.root() is p] for p in persons}

    def apart(a: Person, b: Person) -> bool:
        return any(resolver.is_apart(x, y) for x in members[id(a)] for y in members[id(b)])

    persons = persons[:limit]
    for size in range(len(persons), 1, -1):
        for chosen in combinations(persons, size):
            if all(apart(a, b) for a, b in combinations(chosen, 2)):
                return list(chosen)
    return persons[:1]


def _figure(
    doc: Doc, claims: list[Claim], kind: FigureKind, value: int, first: int, last: int, block: tuple[int, int],
    group: str | None, tag: str
) -> Figure:
    """A figure of ``value`` people named by tokens ``first:last`` of the sentence ``block``."""
    text = spans.doc_text(doc)
    start = doc[first].idx
    end = doc[last - 1].idx + len(doc[last - 1])
    claim = speaker_claim(claims, start, end)
    return Figure(
        id=spans.record_id("f", doc, start, end, kind, tag),
        article_id=doc._.article_id,
        kind=kind,
        value=value,
        low=value,
        high=value,
        qualifier=None,
        text=" ".join(text[start:end].split()),
        group=group,
        speaker=claim.speaker if claim else None,
        claim_id=claim.id if claim else None,
        span=spans.char_span(doc, start, end),
        sentence=spans.char_span(doc, *block),
    )
