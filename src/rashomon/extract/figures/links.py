"""Word-level helpers of the figures component: how a number's counted phrase meets its predicate.

* :func:`count_noun` — "12 deaths", "12 confirmed deaths";
* :func:`skip_modifiers` — a prepositional phrase or appositive between the counted phrase and
  its predicate ("members of the Front, a dissident faction, had been killed");
* :func:`has_object` — an active verb with an object ("gunmen killed two people": the gunmen are
  no victims);
* :func:`is_partitive_total` — "four" in "two of the four occupants";
* :func:`after_form` / :func:`starts_after` — the 'after' predicates of ``casualty_terms.json``;
* :func:`in_group` — words that may stand inside a counted phrase ("allied fighters");
* :func:`is_headline` — an article's first block written as a headline.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from rashomon.extract.text.lexicon import KindTerms, all_casualty_words, casualty_terms
from rashomon.models import FigureKind

DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "them", "whom", "those", "these"})
_GROUP_POS = frozenset({"ADJ", "NOUN", "PROPN"})


def count_noun(doc: Doc, j: int, hi: int) -> FigureKind | None:
    """ "12 deaths", "12 confirmed deaths", "12 civilian deaths": a count noun at ``j``, or after
    one or two modifiers."""
    k = j
    while k < hi and k - j < 2 and doc[k].dep_ in ("amod", "compound") and not doc[k].like_num:
        k += 1
    if k >= hi:
        return None
    return next((t.kind for t in casualty_terms() if doc[k].lower_ in t.count_nouns), None)


def skip_modifiers(doc: Doc, j: int, hi: int) -> int:
    """Skip what may stand between a counted phrase and its predicate: a prepositional phrase
    ("people from three settlements had fled") and an appositive ("members of the Front, a
    dissident faction, had been killed")."""
    for _ in range(3):
        if j < hi and doc[j].lower_ in ("of", "from", "in", "at", "near", "inside", "outside", "across"):
            k = j + 1
            while k < hi and k - j <= 6 and (doc[k].pos_ in ("DET", "NUM", "ADJ", "NOUN", "PROPN", "PART")
                                           or doc[k].tag_ == "HYPH"):
                k += 1
            if k == j + 1 or doc[k - 1].pos_ not in ("NOUN", "PROPN"):
                break
            j = k
        elif j < hi and doc[j].text == ",":
            k = j + 1
            while k < hi and k - j <= 5 and doc[k].pos_ in ("DET", "ADJ", "NOUN", "PROPN"):
                k += 1
            if k >= hi or doc[k].text != "," or k == j + 1:
                break
            j = k + 1
        else:
            break
    return j


def is_headline(text: str) -> bool:
    """Is an article's first block a headline (no sentence ending: "Man Shot In Ceres")?"""
    return not text.rstrip().endswith((".", "!", "?", '"', "”", "'"))


def in_group(tok: Token) -> bool:
    """Can this token stand inside a counted phrase ("allied" in "allied fighters")?"""
    if tok.pos_ in _GROUP_POS and not tok.like_num:
        return True
    return tok.pos_ == "VERB" and (tok.dep_ == "amod" or tok.tag_ == "VBN")


def has_object(doc: Doc, j: int, length: int) -> bool:
    """Does the verb at ``j`` take an object ("gunmen killed two people": the gunmen are no victims)?"""
    tok = doc[j]
    if any(c.dep_ in ("dobj", "obj") for c in tok.children) and not any(
        c.dep_ == "auxpass" for c in tok.children
    ):
        return True
    nxt = doc[j + length] if j + length < len(doc) else None
    active = tok.tag_ in ("VBD", "VBZ", "VBP")
    return active and nxt is not None and (nxt.pos_ in ("DET", "NUM", "PRON", "PROPN") or nxt.like_num)


def is_partitive_total(doc: Doc, previous_end: int, start: int) -> bool:
    """Is the number at ``start`` the whole in "<number> of the <number> ..."?"""
    if previous_end < 0 or start <= previous_end:
        return False
    between = [t.lower_ for t in doc[previous_end:start]]
    return between[0] == "of" and all(word in DETERMINERS for word in between[1:])


def after_form(doc: Doc, j: int, hi: int, terms: KindTerms) -> int:
    """Length of the 'after' predicate of ``terms`` written at token ``j`` (0 when none)."""
    for phrase in terms.after:
        if j + len(phrase) <= hi and all(doc[j + k].lower_ == w for k, w in enumerate(phrase)):
            return len(phrase)
    return 0


def starts_after(doc: Doc, j: int) -> bool:
    """Is token ``j`` itself a casualty word (so not an adverb to skip)?"""
    return doc[j].lower_ in all_casualty_words()
