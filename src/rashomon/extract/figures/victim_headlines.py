"""Single victims in title-case headlines: "Woman Shot, Killed In ...", "Man Found Dead", "Teen,
Man Shot In South Philadelphia".

A headline in title case parses poorly (nouns tagged as names, verbs as nouns), so it is read word
by word: a person noun of the ``individual`` lists (or a run of them joined by commas and "and":
"Mother, Daughter Shot", "Man And Woman Killed"), then casualty words joined by commas and "and".
Each member of a run is one victim of the same casualty words, so the figures count the run as
one group of that many people.  A person noun right after a number or "no" / "both" / "police" is
no single victim ("2 Men Shot" is a number figure), and a person noun followed by its own object
("Neighbour Shot And Killed Woman") is the one who shot.
"""

from __future__ import annotations

from spacy.tokens import Doc

from rashomon.extract.figures.victims import NO_VICTIM_DETS, VictimMention, name_span, words

_KILLED = frozenset({"killed", "dead", "dies", "died", "slain", "murdered", "dying"})
_HURT = frozenset({"wounded", "injured", "hurt", "hospitalized", "hospitalised"})
_HIT = frozenset({"shot", "stabbed"})
_SKIP = frozenset({",", "and", "&", "found", "is", "was", "fatally", "critically", "seriously", "accidentally",
                   "reportedly", "allegedly", "also", "later", "then", "after", "being", "been"})
_JOINS = frozenset({",", "and", "&"})


def _victim_noun(doc: Doc, i: int, lo: int) -> bool:
    """Is token ``i`` a person noun that can name one victim?"""
    tok = doc[i]
    if tok.lower_ not in words().person_nouns or any(c.dep_ == "nummod" for c in tok.children):
        return False
    return not (i > lo and (doc[i - 1].like_num or doc[i - 1].lower_ in NO_VICTIM_DETS | {"police"}))


def _members(doc: Doc, i: int, lo: int, hi: int) -> list[int]:
    """The person nouns of a run starting at ``i``: "Teen, Man", "Mother And Daughter"."""
    members = [i]
    j = i + 1
    while j + 1 < hi and doc[j].lower_ in _JOINS:
        k = j + 1
        if doc[k].lower_ in ("and", "&"):  # ", and"
            k += 1
        if k < hi and doc[k].lower_ in ("his", "her", "a", "an") and k + 1 < hi:
            k += 1  # "Man And His Son"
        if k >= hi or not _victim_noun(doc, k, lo):
            break
        members.append(k)
        j = k + 1
    return members


def _casualty(doc: Doc, j: int, hi: int) -> tuple[str | None, bool, int]:
    """(kind, weak, end) of the casualty words starting at ``j``."""
    kind, weak, start = None, False, j
    while j < min(hi, start + 5):
        word = doc[j].lower_
        if word in _KILLED or (word in ("shot", "stabbed", "beaten") and doc[j + 1 : j + 3].text.lower()
                               in ("to death", "dead")):
            kind, weak = "killed", False
        elif word in _HURT and kind is None:
            kind, weak = "injured", False
        elif word in _HIT and kind is None:
            kind, weak = "injured", True
        elif word not in _SKIP:
            break
        j += 1
    return kind, weak, j


def headline_mentions(doc: Doc, lo: int, hi: int) -> list[VictimMention]:
    """The single-victim mentions of a title-case headline at tokens ``lo:hi``."""
    w = words()
    found: list[VictimMention] = []
    i = lo
    while i < hi:
        if not _victim_noun(doc, i, lo):
            i += 1
            continue
        members = _members(doc, i, lo, hi)
        trigger = members[-1] + 1
        kind, weak, j = _casualty(doc, trigger, hi)
        i = members[-1] + 1
        if kind is None:
            continue
        if j < hi and (doc[j].pos_ in ("DET", "NUM", "PRON") or doc[j].lower_ in w.person_nouns):
            continue  # "Neighbour Shot And Killed Woman": the first noun is no victim
        for member in members:
            start, end = name_span(doc[member])
            found.append(VictimMention(kind, weak, member, start, end, trigger))
    return found
