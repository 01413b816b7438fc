"""Speakers: the noun phrase that says something, and what it tells about who speaks.

:func:`verb_subject` finds the subject of a cue verb, also where the parser hangs it elsewhere
(conjoined verbs, "..., saying", "before noting", "went on to express", "issued a statement
saying", the object of "prompted X to condemn").  :func:`speaker_phrase` expands a subject token
to the phrase naming the speaker (with its appositions: "US Army Col. Thomas Veale, a spokesman
for the US-led coalition"); the phrase *as written* keeps its relative clauses and restrictive
participles ("Julie Miller, who worked at the bank", "emails released by WikiLeaks"), the phrase
that *names* the speaker drops them.  :func:`owner_phrase` gives the owner of "Trump's claim",
:func:`colon_label` the name before "Name: ...".  :func:`describe` turns the naming phrase into
a :class:`~rashomon.models.Speaker`:

- ``name``: the proper-name part when there is one ("Rami Abdel Rahman"; "SANA" in "Syrian state
  news outlet SANA"), else the common-noun phrase without its article ("US military official").
- ``role``: the role noun of the phrase or of its apposition ("official", "spokesman", "head").
- ``organisation``: what follows the role ("a spokesman for *the US-led coalition*") or the proper
  words before it ("a *US military* official").
- ``anonymous``: an unnamed individual ("a US official", "sources"), or any speaker of a sentence
  that says so ("on condition of anonymity", ``patterns/anonymous.txt``).
- ``kind``: media, person, government, organisation; ``unresolved`` for a pronoun.
"""

from __future__ import annotations

import re
from typing import Literal

from spacy.tokens import Doc, Token

from rashomon.extract.components.lexicon import SpeakerWords, anonymity_markers, cue_lemmas, speaker_words
from rashomon.extract.spans import doc_text
from rashomon.models import Speaker

# Dependents that are not part of the speaker's name.
_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp"})
_ORG_PREPS = frozenset({"for", "of", "at", "with", "from", "in"})
_QUANTIFIERS = frozenset(
    {"many", "some", "most", "all", "few", "several", "none", "half", "majority", "minority", "percent"}
    | {"number", "third", "quarter", "each", "both", "one", "two", "three", "dozens", "hundreds"}
)
_POSSESSIVES = frozenset({"his", "her", "their", "its", "our", "my"})
_TRAILING_ADVERBS = frozenset({"already", "also", "too", "again", "then", "now", "later", "still", "however"})
_COLON_JOINERS = frozenset({"to", "on"})
_DASHES = frozenset({"-", "–", "—", "|"})
_COLON_OK_POS = frozenset({"PROPN", "NOUN", "ADJ", "DET", "PUNCT", "PART", "CCONJ", "NUM", "SPACE"})
_NAME_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_MAX_COLON_SPEAKER = 10
_PREPOSITIONS = frozenset({"among", "in", "on", "at", "for", "from", "of", "with", "by", "about", "after"})
_PRON_BLOCKLIST = frozenset({"that", "which", "what", "who", "this", "these", "those", "there", "you"})


def attribution_objects() -> frozenset[str]:
    """Objects of prepositions that belong to an attribution ("said *in a statement*")."""
    return speaker_words().attribution_objects


def is_anonymity_marked(sentence: str) -> bool:
    """True when the sentence says its source is not named."""
    lowered = " ".join(sentence.lower().split())
    return any(marker in lowered for marker in anonymity_markers())


def looks_like_speaker(tok: Token) -> bool:
    """Can this token head the phrase of someone who says something?"""
    words = speaker_words()
    lower, lemma = tok.lower_, tok.lemma_.lower()
    if tok.pos_ in ("PRON", "DET", "NUM") and lower in words.pronouns:
        return True  # "he said", "one said", "another said"
    if tok.pos_ == "PRON":
        return False
    if lower in _PRON_BLOCKLIST:
        return False
    if tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    if tok.pos_ == "NOUN" and lemma not in words.not_speakers and lower not in words.not_speakers:
        return True  # "rebels said", "the statement said"; not "the attack claimed"
    nouns = (
        words.roles
        | words.media_nouns
        | words.government_nouns
        | words.organisation_nouns
        | words.statement_nouns
    )
    return lemma in nouns or lower in nouns


def quantified(tok: Token) -> Token:
    """The noun a quantifier subject counts ("many of her advisers", "77 percent of
    Republicans" -> the advisers, Republicans), else the token itself."""
    if tok.pos_ == "NUM" or tok.lower_ in _QUANTIFIERS or tok.lemma_.lower() in _QUANTIFIERS:
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
    return tok


def is_addressee(tok: Token) -> bool:
    """Can this object of "tell" be whom something is told ("told reporters", not "told the
    story")?"""
    if tok.pos_ in ("PRON", "PROPN") or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    words = speaker_words()
    nouns = words.roles | words.media_nouns | words.government_nouns | words.organisation_nouns
    return tok.lemma_.lower() in nouns


def looks_like_owner(tok: Token) -> bool:
    """Can this possessive own what is said ("Trump's claim", "his comments")?"""
    return tok.lower_ in _POSSESSIVES or looks_like_speaker(tok)


def is_statement(tok: Token) -> bool:
    """A document rather than a speaker ("statements carried by X", "a statement from X")."""
    return tok.lemma_.lower() in speaker_words().statement_nouns


def statement_source(tok: Token) -> Token | None:
    """The author of a statement noun: the object of "by"/"from"/"of" inside its phrase."""
    for sub in tok.subtree:
        if sub.lower_ in ("by", "from", "of") and sub.i > tok.i:
            for child in sub.children:
                if child.dep_ == "pobj" and looks_like_speaker(child):
                    return child
    return None


def _is_when(tok: Token) -> bool:
    """A time modifier the parser hung on a noun ("Trump *on Friday* said", "the letters *Monday*")."""
    if tok.dep_ == "npadvmod" and tok.ent_type_ in ("DATE", "TIME"):
        return True
    if tok.dep_ == "prep" and tok.lower_ in ("on", "in", "at", "during"):
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        return pobj is not None and pobj.ent_type_ in ("DATE", "TIME")
    return False


def name_head(tok: Token) -> Token:
    """The head of the whole name a proper noun ends ("Rights" -> "Observatory" in "the Syrian
    Observatory for Human Rights"), for a relative clause hung on the name's last word."""
    while (
        tok.pos_ == "PROPN"
        and tok.dep_ == "pobj"
        and tok.head.dep_ == "prep"
        and tok.head.lower_ in ("of", "for")
        and tok.head.head.pos_ == "PROPN"
    ):
        tok = tok.head.head
    return tok


def _kept_clause(clause: Token, stop: int | None) -> bool:
    """Does a clause modifying the speaker belong to the speaker as written?

    Relative clauses do ("Julie Miller, who worked at the bank"), and so do participles that
    restrict the noun ("emails released by WikiLeaks"), not those set off by a comma ("the first
    ad, launched Wednesday") nor adverbial clauses; never the clause that holds the cue or a cue
    of its own ("Jane Roe, who said ...").
    """
    if stop is not None and clause.left_edge.i <= stop <= clause.right_edge.i:
        return False
    if clause.lemma_.lower() in cue_lemmas():
        return False  # "McClendon, who said ...": a claim of its own
    if clause.dep_ == "relcl":
        return True
    if clause.dep_ != "acl":
        return False
    before = clause.left_edge.i - 1
    return before < 0 or clause.doc[before].text != ","


def speaker_phrase(
    head: Token, lo: int, hi: int, *, keep_clauses: bool = False, stop: int | None = None
) -> tuple[int, int]:
    """Token range ``[start, end)`` of the phrase headed by ``head``, kept within ``lo:hi`` (tokens).

    Appositions and prepositional modifiers stay, time modifiers go.  Relative and other clauses
    are cut unless ``keep_clauses`` (then only a clause holding token ``stop``, the cue, is cut).
    Punctuation and conjunctions at the edges are cut.
    """
    doc = head.doc
    start, end = head.left_edge.i, head.right_edge.i + 1
    for sub in head.subtree:
        if sub.i <= head.i:
            continue
        clause = sub.dep_ in _CLAUSE_DEPS and (sub.dep_ != "acl" or sub.head == head)
        if clause and keep_clauses and _kept_clause(sub, stop):
            continue
        if clause or (sub.head == head and _is_when(sub)):
            end = min(end, sub.left_edge.i)
    if stop is not None and start <= stop < end:
        end = stop if stop > head.i else end
    start, end = max(start, lo), min(end, hi)
    for tok in doc[start : head.i]:
        # A separator left over from a page ("2 injured | abc11.com..."), markup, a dateline ("MOSCOW -").
        if (
            "|" in tok.text
            or "\n" in tok.text
            or ">" in tok.text  # markup left in the text ('<tweet id="...">Hillary')
            or (tok.text in "-–—" and tok.i > start and doc[tok.i - 1].is_upper)
        ):
            start = tok.i + 1
    while end > start + 1 and (
        doc[end - 1].is_punct
        or doc[end - 1].is_space
        or doc[end - 1].dep_ == "cc"
        or doc[end - 1].lower_ in _TRAILING_ADVERBS
    ):
        if doc[end - 1].text in ")]" and any(t.text in "([" for t in doc[start : end - 1]):
            break
        end -= 1
    while start < end - 1 and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return start, end


def owner_phrase(owner: Token, lo: int, hi: int) -> tuple[int, int]:
    """The phrase of a possessive ("Trump's" -> "Trump", "his"), without the "'s"."""
    start, end = speaker_phrase(owner, lo, hi)
    while end - 1 > start and owner.doc[end - 1].dep_ == "case":
        end -= 1
    return start, end


_LIGHT_HEADS = frozenset({"VERB", "AUX"})


def _nsubj(verb: Token, lo: int, hi: int) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and lo <= c.i < hi]
    # Two subjects are a parser slip ("The coalition killed ..., a US official said"): the nearer
    # one is the speaker.
    return min(subjects, key=lambda c: abs(c.i - verb.i)) if subjects else None


def _controller(xcomp: Token, lo: int, hi: int) -> Token | None:
    """The object that is the subject of an infinitive ("prompting Republicans *to rebuke*")."""
    obj = next((c for c in xcomp.head.children if c.dep_ == "dobj" and c.i < xcomp.i), None)
    return obj if obj is not None and lo <= obj.i < hi and obj.pos_ in ("NOUN", "PROPN", "PRON") else None


def verb_subject(verb: Token, lo: int, hi: int) -> tuple[Token | None, bool]:
    """The speaker token of a cue verb (within tokens ``lo:hi``) and whether the verb is passive.

    Besides the verb's own subject (or the agent of a passive): the subject of the verb it is
    conjoined with, of the clause that "..., saying" or "before noting" hangs on, of the verb
    whose complement it is ("went on to express"); the noun an "-ing" participle modifies ("a
    statement saying"), or the subject of the verb that issued that statement.
    """
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    if passive:
        for child in verb.children:
            if child.dep_ == "agent":
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return (pobj if lo <= pobj.i < hi else None), True
    subject = _nsubj(verb, lo, hi)
    head = verb.head
    up: Token | None = None
    if subject is None and verb.dep_ in ("conj", "xcomp"):
        up = head
    elif (
        subject is None
        and verb.dep_ == "advcl"
        and (verb.tag_ == "VBG" or any(c.tag_ == "TO" for c in verb.children))
    ):
        up = head  # "..., saying", "Obama went on to praise ...", "appeared ... to tout ..."
    elif subject is None and verb.dep_ == "pcomp" and verb.tag_ == "VBG" and head.dep_ == "prep":
        up = head.head
    elif subject is None and verb.dep_ == "acl" and verb.tag_ == "VBG":
        subject = head
        if is_statement(head) and head.dep_ == "dobj" and head.head.pos_ == "VERB":
            subject = _nsubj(head.head, lo, hi) or head  # "X issued a statement saying ..."
    if verb.dep_ == "xcomp" and subject is None:
        subject = _controller(verb, lo, hi)
        up = None if subject is not None else up
    if up is not None and up.pos_ in _LIGHT_HEADS:
        # The subject of the clause this verb hangs on, through chains of complements and
        # conjuncts ("moved to press her advantage, urging ...").
        subject = _nsubj(up, lo, hi) or (_controller(up, lo, hi) if up.dep_ == "xcomp" else None)
        while subject is None and up.dep_ in ("conj", "xcomp", "advcl") and up.head.pos_ in _LIGHT_HEADS:
            up = up.head
            subject = _nsubj(up, lo, hi) or (_controller(up, lo, hi) if up.dep_ == "xcomp" else None)
    if subject is not None and not lo <= subject.i < hi:
        subject = None
    return subject, passive


def _name_word(tok: Token) -> bool:
    """Can ``tok`` be part of a name before a colon?  Without a parse (a sentence the pipeline
    did not tag) its spelling decides."""
    if tok.pos_:
        return tok.pos_ in _COLON_OK_POS
    return tok.is_title or tok.is_upper or tok.is_punct or tok.lower_ in ("of", "the", "and", "'s", "’s")


def colon_label(colon: Token, lo: int) -> tuple[int, int] | None:
    """Token range of a short name that ends at ``colon`` and opens its sentence ("WikiLeaks:",
    "MS. ROE:", "Jane Roe, The Daily:"; "X to Y:" and "X on Y:" give X), else None."""
    doc = colon.doc
    start = colon.i
    while start > lo and colon.i - start < _MAX_COLON_SPEAKER:
        prev = doc[start - 1]
        if prev.text in (".", "?", "!", "”", '"', "’", "]", ")") or "\n" in prev.text:
            break
        start -= 1
    else:
        if start > lo:
            return None  # too long for a name
    words = [t for t in doc[start : colon.i] if not t.is_space]
    if not words or words[0].pos_ == "ADP" or words[0].lower_ in _PREPOSITIONS or words[0].is_punct:
        return None
    end = colon.i
    for tok in words[1:]:
        if tok.lower_ in _COLON_JOINERS:  # "Black Democrats to Clinton:", "X on the debate:"
            end = tok.i
            break
    words = [t for t in words if t.i < end]
    while words and words[-1].is_punct:
        words.pop()
    if not words or any(not _name_word(t) or t.text in _DASHES for t in words):
        return None  # not a name ("Key figures – Hang Seng:", "Among her lessons:")
    last = words[-1]
    if not (last.ent_type_ in _NAME_ENTITIES or (last.is_upper and len(last.text) > 1)):
        return None  # no name ("Editor's note:", "Disclaimer:"), unless a transcript's "MS. ROE:"
    return words[0].i, last.i + 1


def left_phrase(doc: Doc, cue: int, lo: int) -> tuple[int, int] | None:
    """A noun phrase written just before token ``cue`` (for headlines the parser gets wrong)."""
    i = cue - 1
    while i >= lo and doc[i].pos_ == "ADV":
        i -= 1
    end = i + 1
    if i >= lo and doc[i].pos_ == "PRON" and doc[i].lower_ in speaker_words().pronouns:
        return (i, end)
    while i >= lo and (doc[i].pos_ in ("ADJ", "NOUN", "PROPN", "DET") or doc[i].text in ("-", ".")):
        if doc[i].pos_ == "DET":
            i -= 1
            break
        i -= 1
    start = i + 1
    if start < end and any(t.pos_ in ("NOUN", "PROPN") for t in doc[start:end]):
        return (start, end)
    return None


def _strip_det(tokens: list[Token]) -> list[Token]:
    while tokens and (
        tokens[0].pos_ == "DET" or (tokens[0].dep_ == "poss" and len(tokens) > 1) or tokens[0].is_punct
    ):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens = tokens[:-1]
    return tokens


def _text(tokens: list[Token]) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    return re.sub(r"\s+", " ", doc_text(doc)[tokens[0].idx : tokens[-1].idx + len(tokens[-1])]).strip()


def _head_of(tokens: list[Token]) -> Token | None:
    """The last noun before the first preposition of a phrase ("head" in "the head of the group")."""
    head = None
    for tok in tokens:
        if tok.pos_ == "ADP" and head is not None:
            break
        if tok.pos_ in ("NOUN", "PROPN", "PRON"):
            head = tok
    return head


def _split_apposition(tokens: list[Token], head: Token | None) -> tuple[list[Token], list[Token]]:
    """The phrase before the apposition, and the apposition (empty when there is none)."""
    positions = {tok.i for tok in tokens}
    if head is not None:
        for child in head.children:
            if child.dep_ == "appos" and child.i in positions:
                first = child.left_edge.i
                main = [t for t in tokens if t.i < first]
                appos = [t for t in tokens if t.i >= first]
                if main and _head_of(_strip_det(main)) is not None:
                    return main, appos
    for k, tok in enumerate(tokens):
        if tok.text == "," and 0 < k < len(tokens) - 1:
            return tokens[:k], tokens[k + 1 :]
    return tokens, []


def _organisation(part: list[Token], role_tok: Token, words: SpeakerWords) -> str | None:
    """The organisation a role belongs to, as written around the role noun."""
    after = [t for t in part if t.i > role_tok.i]
    if after and after[0].lower_ in _ORG_PREPS:
        org = _strip_det(after[1:])
        if org:
            return _text(org)
    before = _strip_det([t for t in part if t.i < role_tok.i])
    before = [t for t in before if t.lower_ not in words.generic_modifiers]
    proper = any(t.pos_ == "PROPN" or t.ent_type_ in ("ORG", "GPE", "NORP") for t in before)
    if before and proper:
        return _text(before)
    return None


Kind = Literal["person", "organisation", "media", "government", "unknown"]


def _kind(name_part: list[Token], other: list[Token], name: str, words: SpeakerWords) -> Kind:
    """The first kind that fits: a media name, a person's name or role, media, government, organisation."""
    head, other_head = _head_of(name_part), _head_of(other)
    heads = {
        form for tok in (head, other_head) if tok is not None for form in (tok.lemma_.lower(), tok.lower_)
    }
    head_lemma = head.lemma_.lower() if head is not None else ""
    written = {tok.lower_ for tok in name_part + other}
    lowered = name.lower()
    if lowered in words.media_names or any(lowered.endswith(" " + m) for m in words.media_names):
        return "media"
    if head is not None and head.pos_ == "PROPN" and head.ent_type_ == "PERSON":
        return "person"
    if head_lemma in words.roles:
        return "person"
    if heads & words.media_nouns or written & {"news", "television", "tv"}:
        return "media"
    if head_lemma in words.government_nouns or lowered in words.government_nouns:
        return "government"
    if head_lemma in words.organisation_nouns or any(t.ent_type_ == "ORG" for t in name_part):
        return "organisation"
    if head is not None and head.ent_type_ in ("GPE", "NORP"):
        return "government"
    return "unknown"


def describe(doc: Doc, start: int, end: int, *, anonymous_sentence: bool = False) -> Speaker:
    """A Speaker for the phrase ``doc[start:end]`` (see the module docstring)."""
    words = speaker_words()
    tokens = [t for t in doc[start:end] if not t.is_space]
    if len(tokens) == 1 and tokens[0].pos_ == "PRON" and tokens[0].lower_ in words.pronouns:
        return Speaker(name=tokens[0].text, kind="unresolved", anonymous=anonymous_sentence)
    head = None
    for tok in tokens:
        if tok.head.i < start or tok.head.i >= end or tok.head == tok:
            head = tok
            break
    main, appos = _split_apposition(tokens, head)
    main, appos = _strip_det(main), _strip_det(appos)
    main_head, appos_head = _head_of(main), _head_of(appos)
    name_part, other = main, appos
    if (
        main_head is not None
        and appos_head is not None
        and (main_head.pos_, appos_head.pos_) == ("NOUN", "PROPN")
    ):
        name_part, other = appos, main  # "Syrian state news outlet SANA": the name is the apposition
    name = _text(name_part) or _text(tokens)
    role: str | None = None
    organisation: str | None = None
    for part in (other, name_part):
        part_head = _head_of(part)
        if part_head is not None and part_head.lemma_.lower() in words.roles:
            role = part_head.lemma_.lower()
            organisation = _organisation(part, part_head, words)
            break
    if role is None:
        for tok in name_part[:-1]:  # a title before a name: "Health Minister Ali Hassan"
            if tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in words.roles:
                role = tok.lemma_.lower()
                break
    name_head = _head_of(name_part)
    unnamed = (
        name_head is not None
        and name_head.pos_ != "PROPN"
        and name_head.lemma_.lower() in words.anonymous_roles
        and not any(t.ent_type_ == "PERSON" for t in name_part)
    )
    return Speaker(
        name=name,
        role=role,
        organisation=organisation,
        anonymous=anonymous_sentence or unnamed,
        kind=_kind(name_part, other, name, words),
    )


def is_definite_role(doc: Doc, start: int, end: int) -> str | None:
    """The role noun of a bare definite phrase ("the official", "the spokesman"), else None."""
    tokens = [t for t in doc[start:end] if not t.is_space and not t.is_punct]
    if len(tokens) == 2 and tokens[0].lower_ == "the" and tokens[1].lemma_.lower() in speaker_words().roles:
        return tokens[1].lemma_.lower()
    return None


def is_personal_pronoun(speaker: Speaker) -> bool:
    """A "he"/"she" speaker, to be resolved to a named person."""
    return speaker.kind == "unresolved" and speaker.name.lower() in speaker_words().personal_pronouns
