"""Single victims that no number counts: "an 83-year-old man was shot dead in his yard", "Watkins died".

News of a shooting is mostly about one person, named ("Watkins was killed") or described ("a
42-year-old man", "the victim", "he"), with no number written.  :func:`find_victims` reads such
mentions from the dependency parse; :mod:`.victim_persons` tells who is who and
:mod:`.individuals` turns them into figures.  A mention is a casualty word with a victim:

* a killing verb with the victim as object or passive subject: "shot and killed a 22-year-old
  man", "Watkins was killed", "a man who was murdered"; a dying verb with the victim as subject:
  "he died at the hospital"; "dead" with a verb: "was pronounced dead", "left a man dead";
* an injuring verb: "was wounded", "injuring a woman"; a hospital or condition phrase: "was taken
  to a hospital", "is in critical condition", "suffered a gunshot wound";
* a hitting verb ("shot", "stabbed") alone is *weak*: the victim counts as injured unless the
  same victim died; with "fatally" or "dead" it is a death ("was fatally shot", "shot dead");
* a death noun with the victim as possessor or after "of": "his death", "the murder of X",
  "Caskey's body"; and an event noun that is "fatal" ("a fatal shooting", victim unknown).

The victim must be one person: a person's name, a personal pronoun, a relative pronoun (its
antecedent), a singular person noun (``person_nouns``; "one man" too) or "another" / "a second"
standing alone; plural or numbered victims ("two men") are left to the number figures, "no one"
and "neither officer" are no victims, and each member of "a man and a woman" is one.  "Both"
("both victims", "Both were taken") and "they" / "them" are kept as plural mentions, for
:mod:`.victim_persons` to resolve.  A verb that is negated, under a modal ("could have been
killed"), hedged ("nearly killed") or under a verb of intent ("tried to kill") is no event;
neither is "a non-fatal shooting", nor an offender noun with a casualty compound ("the shooting
suspect").  The word lists are the ``individual`` section of ``patterns/figure_context.json``
(:mod:`.victim_words`).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from rashomon.extract.figures.victim_words import Words, words

__all__ = ["NO_VICTIM_DETS", "VictimMention", "Words", "find_victims", "name_span", "words"]

_PRONOUNS = frozenset({"he", "she", "him", "her"})
_REFLEXIVE = frozenset({"himself", "herself"})
_RELATIVE = frozenset({"who", "whom", "that"})
_NON_PERSON_ENTS = frozenset(
    {"GPE", "LOC", "FAC", "NORP", "DATE", "TIME", "EVENT", "PRODUCT", "LAW", "LANGUAGE", "MONEY", "CARDINAL",
     "WORK_OF_ART", "ORDINAL", "PERCENT", "QUANTITY"}
)
NO_VICTIM_DETS = frozenset({"no", "neither", "any", "every", "each", "either", "all", "both"})
_SUBJECTS = ("nsubj", "nsubjpass")


@dataclass(frozen=True)
class VictimMention:
    """One casualty word with its victim.

    ``kind`` is "killed" or "injured"; ``weak`` marks an injury read only from a hitting verb
    ("was shot"), which does not count when the victim died.  ``victim`` is the token of the
    victim's head word (None for "a fatal shooting"), ``start``/``end`` the tokens naming the
    victim (the casualty words when there is no victim), ``trigger`` the casualty word.
    ``plural`` is "both" for two victims named together ("both victims", "Both were taken"),
    "they" for a plural pronoun (the victims last named together), else "".
    """

    kind: str
    weak: bool
    victim: int | None
    start: int
    end: int
    trigger: int
    plural: str = ""


def lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def is_passive(verb: Token) -> bool:
    """A passive verb: "was shot", "was shot and killed" (the conjunct shares the auxiliary),
    "a man shot by police" (a participle after its noun), a headline's "Man Killed"."""
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return True
    if verb.tag_ != "VBN":
        return False
    if any(c.dep_ == "aux" and lemma(c) == "have" for c in verb.children):
        return False
    if verb.dep_ == "conj" and verb.head.i != verb.i:
        return verb.head.tag_ == "VBN" and is_passive(verb.head)
    return verb.dep_ in ("acl", "advcl", "ROOT", "relcl", "ccomp", "conj") and not _has_object(verb)


def _has_object(verb: Token) -> bool:
    return any(c.dep_ in ("dobj", "obj") for c in verb.children)


def subject(verb: Token) -> Token | None:
    """The subject of a verb, shared along a coordination ("was shot and killed", "shot, died")
    or taken from the noun a participle or relative clause describes."""
    tok = verb
    for _ in range(4):
        found = next((c for c in tok.children if c.dep_ in _SUBJECTS), None)
        if found is not None:
            return found
        if tok.dep_ == "conj" and tok.head.i != tok.i and tok.head.pos_ in ("VERB", "AUX"):
            tok = tok.head
            continue
        if tok.dep_ in ("acl", "relcl") and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return tok.head
        return None
    return None


def obj(verb: Token) -> Token | None:
    """The object of a verb, shared with a conjunct that has one ("shot and killed a man")."""
    found = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
    if found is not None:
        return found
    for c in verb.children:
        if c.dep_ == "conj" and c.pos_ == "VERB":
            found = next((g for g in c.children if g.dep_ in ("dobj", "obj")), None)
            if found is not None:
                return found
    if verb.dep_ == "conj" and verb.head.pos_ == "VERB":
        return next((g for g in verb.head.children if g.dep_ in ("dobj", "obj") and g.i > verb.i), None)
    return None


def irrealis(verb: Token) -> bool:
    """Is the verb negated, under a modal or a hedge ("nearly killed"), or the aim of another verb
    ("tried to kill")?"""
    w = words()
    tok = verb
    for _ in range(3):
        for c in tok.children:
            if c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in w.modals):
                return True
            if c.dep_ == "advmod" and c.lower_ in w.hedge_adverbs:
                return True
        if tok.dep_ == "xcomp" and lemma(tok.head) in w.irrealis_heads:
            return True
        if tok.dep_ == "conj" and tok.head.i != tok.i:
            tok = tok.head
            continue
        break
    return lemma(tok.head) in w.irrealis_heads and tok.dep_ in ("xcomp", "ccomp", "advcl", "pcomp")


def victims_of(tok: Token | None, headline: bool = False) -> list[Token]:
    """The single persons a token names: itself, or each member of "a man and a woman"."""
    if tok is None:
        return []
    w = words()
    if tok.lower_ in _RELATIVE and tok.head.dep_ == "relcl":
        tok = tok.head.head
        if tok.ent_type_ in _NON_PERSON_ENTS and tok.dep_ == "pobj" and tok.head.head.pos_ == "PROPN":
            tok = tok.head.head  # "Lena Ortiz, 24, of Yonkers, who remains in hospital"
    members = [tok] + [c for c in tok.subtree if _conj_of(c, tok)]
    if len(members) > 1:
        return [m for m in dict.fromkeys(members) if _one_person(m, w, headline)]
    return [tok] if _one_person(tok, w, headline) else []


def plural_reference(tok: Token) -> str:
    """ "both" for "Both were taken", "both victims", "both of the men"; "they" for "they" and
    "them"; "" for anything else."""
    if tok.lower_ in ("they", "them") and tok.pos_ == "PRON":
        return "they"
    if tok.lower_ == "both" and tok.pos_ in ("PRON", "DET", "NOUN"):
        return "both"
    plural_person = tok.tag_ == "NNS" and lemma(tok) in words().person_nouns
    if plural_person and any(c.dep_ in ("det", "predet") and c.lower_ == "both" for c in tok.children):
        return "both"
    return ""


def _conj_of(c: Token, root: Token) -> bool:
    """Is ``c`` a conjunct in the coordination headed by ``root`` ("a man, a woman and a boy")?"""
    while c.dep_ == "conj" and c.head.i != c.i:
        if c.head.i == root.i:
            return True
        c = c.head
    return False


def _one_person(tok: Token, w: Words, headline: bool = False) -> bool:
    """Does the token name one person?  In a headline's title case only a recognised person's
    name counts as a name ("Dog Shot By Burglars" is no person)."""
    if any((c.dep_ == "nummod" and c.lower_ != "one") or (c.dep_ == "det" and c.lower_ in NO_VICTIM_DETS)
           for c in tok.children):
        return False  # "two men" is a number figure; "one man" is one person
    word = tok.lower_
    if word in _PRONOUNS or word in _REFLEXIVE:
        return True
    if word in w.distinct_words and tok.pos_ in ("PRON", "ADJ", "NOUN") and tok.dep_ in _SUBJECTS + ("dobj",):
        return True  # "another was injured", "a second was wounded", "the other"
    if word in w.person_nouns:
        return tok.tag_ in ("NN", "NNP")  # "Man" in a title-case headline is a noun too
    if word == "old" and tok.i >= 2 and tok.doc[tok.i - 2].lower_ in ("year", "years", "month", "months"):
        return tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj")  # "a 15-year-old"
    if tok.pos_ != "PROPN" or tok.tag_ == "NNPS" or (word.endswith("s") and word[:-1] in w.person_nouns):
        return False
    if tok.text.isupper() and len(tok.text) > 1:
        return False  # a dateline ("YORK CITY, Pa.")
    if headline:
        return tok.ent_type_ == "PERSON"
    return tok.ent_type_ not in _NON_PERSON_ENTS


def _fatal(verb: Token, w: Words) -> bool:
    """ "fatally shot", "shot dead", "beaten to death", "shot and killed"."""
    for c in verb.children:
        if c.lower_ in w.fatal_adverbs or (c.lower_ in w.dead_words and c.dep_ in ("oprd", "acomp", "advmod", "xcomp",
                                                                             "dobj", "ccomp", "npadvmod")):
            return True
        if c.dep_ == "prep" and c.lower_ == "to" and any(g.lower_ == "death" for g in c.children):
            return True
    return False


def _hospital(verb: Token, w: Words) -> bool:
    """ "taken to a hospital", "admitted to the hospital", "released from hospital"."""
    return any(
        c.dep_ in ("prep", "dative")
        and c.lower_ in ("to", "at", "from", "in", "into")
        and any(lemma(g) in w.hospital_nouns or g.lower_ in w.hospital_nouns for g in c.subtree)
        for c in verb.children
    )


def _victim_of_verb(verb: Token, takes_object: bool) -> Token | None:
    """The victim of a casualty verb: the passive subject, else the object (or the subject of a
    reflexive "killed himself"), else for intransitive verbs and "suffered" the subject."""
    if is_passive(verb):
        return subject(verb)
    if takes_object:
        target = obj(verb)
        if target is not None and target.lower_ in _REFLEXIVE:
            return subject(verb)
        if target is not None or lemma(verb) not in words().wound_verbs | words().stay_verbs:
            return target
    return subject(verb)


def _by_bullet(verb: Token, w: Words) -> bool:
    """ "hit by gunfire", "struck by a stray bullet", "struck twice"."""
    return any(lemma(g) in w.bullet_nouns or g.lower_ in w.bullet_nouns for g in verb.subtree if g.i != verb.i)


def _left_hurt(verb: Token, w: Words) -> bool:
    """ "left another teen critically wounded"."""
    return any(c.lower_ in w.hurt_words and c.dep_ in ("oprd", "xcomp", "advcl", "acomp", "ccomp")
               for c in verb.children)


Read = tuple[str, bool, "Token | None"]  # (kind, weak, victim)


def _aimed_at(verb: Token, prep: Token) -> bool:
    """ "shot at the car", "was shot at": "at" right after the verb, not naming a time ("shot at
    8:30 p.m.") or following other words ("shot him on Elm Street at a party"); after a passive
    verb, only a stranded "at" ("was shot at", not "was shot at a party")."""
    if prep.dep_ != "prep" or prep.lower_ != "at" or prep.i < verb.i:
        return False
    if is_passive(verb):
        return not any(g.dep_ == "pobj" for g in prep.children)
    if any(t.pos_ != "ADV" for t in verb.doc[verb.i + 1 : prep.i]):
        return False
    return not any(g.ent_type_ in ("TIME", "DATE") or g.like_num for g in prep.children)


def _verb_mention(tok: Token, w: Words) -> Read | None:
    """(kind, weak, victim) for a casualty verb."""
    word = lemma(tok)
    if tok.tag_ == "VB" and not any(c.dep_ == "aux" and c.lower_ in ("did", "does", "do") for c in tok.children):
        return None  # a base form: "to kill him", "go ahead and kill him"
    fatal = _fatal(tok, w)
    victim = _victim_of_verb(tok, True)
    if word in w.kill_verbs:
        if word == "gun" and not any(c.lower_ == "down" for c in tok.children):
            return None
        return "killed", False, victim
    if word in w.die_verbs:
        return "killed", False, subject(tok)
    if word in w.hit_verbs or (word in w.struck_verbs and (fatal or _by_bullet(tok, w))):
        if any(_aimed_at(tok, c) for c in tok.children) and obj(tok) is None:
            return None  # "shot at the car"
        if tok.tag_ == "VBG" and victim is not None and victim.i == tok.i + 1 and victim.lower_ == "suspect":
            return None  # "shooting suspect Earnest Hardy"
        target = obj(tok)
        if victim is not None and victim.lower_ in _REFLEXIVE | _PRONOUNS and target is not None \
                and target.lower_ in _REFLEXIVE and not fatal:
            return None  # "shot himself": no account of the outcome
        return ("killed", False, victim) if fatal else ("injured", True, victim)
    if word in w.injure_verbs:
        return ("killed" if fatal else "injured"), False, victim
    if word in w.dead_verbs and fatal:
        state = next((c for c in tok.children if c.lower_ in w.dead_words and c.dep_ == "ccomp"), None)
        inner = next((g for g in state.children if g.dep_ == "nsubj"), None) if state is not None else None
        if inner is not None:
            victim = inner  # "police discovered Lee dead"
        elif victim is None and obj(tok) is None:
            victim = subject(tok)  # "the man found dead last Friday" (read as an active verb)
        return "killed", False, victim
    if word == "leave" and _left_hurt(tok, w):
        return "injured", False, obj(tok)
    if (word in w.carry_verbs or word in w.stay_verbs) and _hospital(tok, w):
        return "injured", False, victim
    return None


def _noun_mention(tok: Token, w: Words) -> Read | None:
    """(kind, weak, victim) for a death noun ("his death", "the body of a man"), a fatal event
    noun ("a fatal shooting") or a wounded person ("an injured man")."""
    word = tok.lower_
    if word in w.person_nouns:
        offender = word in w.offender_nouns  # "the shooting suspect", "a murder suspect": no victim
        for c in tok.children:
            if c.dep_ == "amod" and c.lower_ in w.hurt_words:
                return "injured", False, tok  # "an injured man"
            if offender:
                continue
            if c.dep_ in ("compound", "amod") and c.lower_ in w.killed_compounds:
                return "killed", False, tok  # "the homicide victim"
            if c.dep_ in ("compound", "amod") and c.lower_ in w.shot_compounds:
                return "injured", True, tok  # "the shooting victim"
    if tok.tag_ != "NN" or tok.dep_ == "compound":
        return None
    if any(c.dep_ == "amod" and lemma(c) in ("attempt", "attempted") for c in tok.children):
        return None
    owner = next((c for c in tok.children if c.dep_ == "poss"), None)
    if owner is None:
        prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        owner = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None
    if word in w.death_nouns or word in w.body_nouns:
        return ("killed", False, owner) if owner is not None else None
    if word in w.event_nouns and any(c.dep_ == "amod" and c.lower_ in w.fatal_modifiers and not _negated(c)
                                     for c in tok.children):
        return "killed", False, owner
    return None


def _negated(modifier: Token) -> bool:
    """ "non-fatal": the modifier is written with "non" before it."""
    doc = modifier.doc
    before = [doc[k].lower_ for k in range(max(0, modifier.i - 2), modifier.i)]
    return bool(before) and (before[-1] == "non" or before == ["non", "-"])


def _state_mention(tok: Token, w: Words) -> Read | None:
    """(kind, weak, victim) for a state: "Smith is dead", "in critical condition", "suffered a
    gunshot wound" (a fatal one: killed)."""
    if tok.lower_ in w.dead_words and tok.dep_ in ("acomp", "oprd") and lemma(tok.head) in ("be", "remain"):
        return "killed", False, subject(tok.head)
    if tok.lower_ == "condition" and any(c.lower_ in w.condition_words for c in tok.subtree):
        prep = tok.head
        verb = prep.head if prep.dep_ == "prep" and prep.lower_ == "in" else None
        if verb is not None and verb.pos_ in ("VERB", "AUX"):
            return "injured", False, subject(verb) if not _has_object(verb) or is_passive(verb) else obj(verb)
        if verb is not None and verb.pos_ in ("NOUN", "PROPN", "PRON"):
            return "injured", False, verb
        return None
    if tok.lower_ in w.wound_nouns:
        fatal = any(c.lower_ in w.fatal_modifiers and not _negated(c) for c in tok.children)
        kind = "killed" if fatal else "injured"
        head = tok.head
        if tok.dep_ in ("dobj", "obj") and lemma(head) in w.wound_verbs:
            return kind, False, subject(head)  # "a woman suffered a gunshot wound"
        if tok.dep_ == "pobj" and head.dep_ == "prep":
            owner = head.head
            if owner.pos_ in ("NOUN", "PRON") or owner.ent_type_ == "PERSON" or owner.lower_ == "old":
                return kind, False, owner  # "a man with gunshot wounds"
            if owner.pos_ in ("VERB", "AUX"):
                return kind, False, _victim_of_verb(owner, True)  # "was found with a gunshot wound"
    return None


def find_victims(doc: Doc, lo: int, hi: int, headline: bool = False) -> list[VictimMention]:
    """The single-victim casualty mentions of tokens ``lo:hi`` (see the module docstring);
    ``headline``: the tokens are a title, in title case."""
    w = words()
    found: list[VictimMention] = []
    for i in range(lo, hi):
        tok = doc[i]
        if tok.pos_ in ("VERB", "AUX"):
            read = _verb_mention(tok, w)
            if read is not None and irrealis(tok):
                read = None
        elif tok.pos_ in ("NOUN", "PROPN"):
            read = _noun_mention(tok, w) or _state_mention(tok, w)
        elif tok.pos_ == "ADJ":
            read = _state_mention(tok, w)
        else:
            read = None
        if read is None:
            continue
        kind, weak, target = read
        if target is None:
            if kind == "killed" and tok.pos_ == "NOUN" and tok.lower_ in w.event_nouns:
                start = min([c.i for c in tok.children if c.dep_ == "amod"] + [i])
                found.append(VictimMention(kind, weak, None, start, i + 1, i))
            continue
        plural = plural_reference(target)
        if plural:
            start, end = name_span(target)
            found.append(VictimMention(kind, weak, target.i, start, end, i, plural))
            continue
        for person in victims_of(target, headline):
            if not lo <= person.i < hi:
                continue
            start, end = name_span(person)
            found.append(VictimMention(kind, weak, person.i, start, end, i))
    return found


def name_span(tok: Token) -> tuple[int, int]:
    """Tokens naming a victim: a name with its compounds ("Sean Bolton"), or a noun with its
    determiner and modifiers ("the unarmed neighbour").  An age is left out ("a 42-year-old man"
    is named "man"): its number counts years, not victims."""
    left = [c for c in tok.children if c.i < tok.i and c.dep_ in ("det", "amod", "compound", "nummod", "poss",
                                                                  "nmod", "npadvmod", "punct")]
    start = min([c.left_edge.i for c in left] + [tok.i])
    doc = tok.doc
    numbered = [
        k for k in range(start, tok.i)
        if (doc[k].like_num and doc[k].lower_ != "one") or any(ch.isdigit() for ch in doc[k].text)
    ]  # "one man" keeps its "one"
    if numbered:
        start = numbered[-1] + 1
        while start < tok.i and (doc[start].lower_ in ("-", "year", "years", "old", "month", "months")
                                 or doc[start].is_punct):
            start += 1
    while start < tok.i and doc[start].is_punct:
        start += 1
    return start, tok.i + 1
