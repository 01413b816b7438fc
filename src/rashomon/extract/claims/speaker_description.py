"""Describe a speaker from the phrase that names it (:func:`describe`).

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

from rashomon.extract.text.lexicon import SpeakerWords, speaker_words
from rashomon.extract.text.spans import doc_text
from rashomon.models import Speaker

_ORG_PREPS = frozenset({"for", "of", "at", "with", "from", "in"})


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
    comma = next((k for k, t in enumerate(after) if t.text == ","), len(after))
    after = after[:comma]  # "a spokesman for the coalition, as ...": the apposition ends at its comma
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
