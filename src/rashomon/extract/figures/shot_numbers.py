"""Numbers of people shot: "two people were shot", "shot three men".

Being shot is no outcome: the people shot are the dead and the wounded together.  A number linked
only to "shot" (no "killed", "dead", "wounded"... of ``casualty_terms.json``) is read here, and the
figures component turns it into an *injured* figure for those of them who did not die: the number
less the article's killed count ("Two people were shot. One died." gives one injured).  The forms
are the ``shot_forms`` of ``patterns/figure_context.json``.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc

from rashomon.extract.text.lexicon import read_json

_AUX = frozenset({"were", "was", "been", "be", "being", "had", "have", "has", "got", "reportedly", "also", "all",
                  "allegedly", "each", "both"})
_NOT_HIT = frozenset({"at", "dead", "to", "and", "down"})  # "shot at", "shot dead", "shot to death", "shot and killed"


@lru_cache(maxsize=1)
def shot_forms() -> frozenset[str]:
    return frozenset(read_json("figure_context.json")["shot_forms"])


def shot_number(doc: Doc, start: int, after: int, lo: int, hi: int) -> bool:
    """Does the number at token ``start`` (its counted phrase ending before ``after``) count
    people shot: "two men were shot", "shooting three people"?"""
    forms = shot_forms()
    p = start - 1
    if p >= lo and doc[p].pos_ == "ADV":
        p -= 1
    if p >= lo and doc[p].lower_ in forms and doc[p].pos_ == "VERB":
        return True
    j = after
    while j < hi and j - after < 4 and (doc[j].lower_ in _AUX or doc[j].pos_ == "ADV"):
        if doc[j].lower_ in ("not", "n't", "never"):
            return False
        j += 1
    if j >= hi or doc[j].lower_ not in forms or doc[j].pos_ != "VERB":
        return False
    nxt = doc[j + 1].lower_ if j + 1 < hi else ""
    return nxt not in _NOT_HIT and not any(c.dep_ in ("dobj", "obj") for c in doc[j].children)


@lru_cache(maxsize=1)
def multiple_deaths() -> dict[tuple[str, ...], int]:
    """Nouns that say how many died: "murder-suicide" (2), "double homicide" (2), "triple murder" (3)."""
    table = read_json("figure_context.json")["multiple_deaths"]
    return {tuple(key.replace("-", " - ").split()): int(value) for key, value in table.items()}


def death_count_nouns(doc: Doc, lo: int, hi: int) -> list[tuple[int, int, int]]:
    """(start, end, number of dead) of the nouns of tokens ``lo:hi`` that count the dead
    ("an apparent murder-suicide": 2 dead, "a double homicide": 2); "attempted" ones, and those of
    a sentence with an "if" clause, are none."""
    found: list[tuple[int, int, int]] = []
    table = multiple_deaths()
    firsts = {phrase[0] for phrase in table}
    for i in range(lo, hi):
        if doc[i].lower_ not in firsts:
            continue
        for phrase, value in table.items():
            if i + len(phrase) <= hi and all(doc[i + k].lower_ == word for k, word in enumerate(phrase)):
                if i > lo and doc[i - 1].lower_ in ("attempted", "attempt"):
                    continue
                if any(t.lower_ == "if" and t.dep_ == "mark" for t in doc[i].sent):
                    continue  # "if that's the case, ... becomes a triple homicide": a hypothesis
                found.append((i, i + len(phrase), value))
    return found
