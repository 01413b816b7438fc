"""Attributions that do not hang on a parsed cue verb's subject.

- a **nominal cue** (:func:`nominal`) with an author — its possessive ("Trump's claim"), a
  "by/from/among" phrase, or the subject of a light verb ("X made comments", "took note of") —
  and a content: a "that" clause ("her defense was that ..."), an infinitive ("his threat to
  sue") or an "of/for/about/on/against/over" phrase;
- "**according to** X" (:func:`according`);
- a **participle** with an agent (:func:`participle`): "the memo disclosed by WikiLeaks";
- a **trailing attribution** the tagger misread (:func:`trailing`): "..., FEC records show.";
- a **headline** the tagger misread (:func:`headlines`): "Trump Warns Clinton Policy Would
  Lead To War" (title case), or a first line "Pence demands independent prosecutor";
- a **colon** (:func:`colon`) after a short name opening a sentence ("WikiLeaks: ...", "MS.
  SMITH: We are ready.", "Jane Roe, author: ..."); "X to Y:" and "X on Y:" keep X as the speaker.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from rashomon.extract.claims import speakers
from rashomon.extract.claims.cues import (
    LIGHT_VERBS,
    STRONG_ENTITIES,
    Found,
    flagged,
    found_over,
    label,
    lexicon,
    passive_ok,
    speaker_ok,
    verb_lemma,
)
from rashomon.extract.text.lexicon import speaker_words
from rashomon.extract.text.segments import TRIM, Segments, strip_range

_NOUN_CONTENT_PREPS = frozenset({"of", "for", "about", "on", "against", "over"})
_POSSESSIVE_PRONOUNS = frozenset({"his", "her", "their", "its", "our", "my"})


# ---------------------------------------------------------------------------- nominal cues


def _noun_author(noun: Token, lo: int, hi: int) -> Token | None:
    """Who the cue noun belongs to (see the module docstring)."""
    for child in noun.children:
        if child.dep_ == "poss":
            if child.lower_ in _POSSESSIVE_PRONOUNS and noun.dep_ == "dobj" and noun.head.pos_ == "VERB":
                # "Ryan has not rescinded his endorsement of ...": the subject names the owner
                subject, passive = speakers.verb_subject(noun.head, lo, hi)
                if subject is not None and not passive and speakers.holds_views(subject):
                    return subject
            return child
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("by", "from", "among") and child.i > noun.i:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    verb = noun.head
    if noun.dep_ == "dobj" and verb.pos_ == "VERB" and verb.lemma_.lower() in LIGHT_VERBS:
        subject, passive = speakers.verb_subject(verb, lo, hi)
        return None if passive else subject
    return None


def _noun_content(noun: Token) -> tuple[int, int] | None:
    """Token range of what the cue noun is about: a "that" clause (also "his claim was that
    ..."), else an object phrase."""
    verb = noun.head
    if noun.dep_ == "nsubj" and verb.lemma_.lower() == "be":
        for child in verb.children:
            if child.dep_ in ("ccomp", "attr") and child.i > noun.i and child.left_edge.lower_ == "that":
                return child.left_edge.i + 1, child.right_edge.i + 1
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp") and child.i > noun.i:
            first = child.left_edge
            if first.lower_ == "that" and first.dep_ == "mark":
                return first.i + 1, child.right_edge.i + 1
            if first.lower_ == "to" and first.tag_ == "TO" and child.pos_ == "VERB":
                return first.i, child.right_edge.i + 1  # "his threat to sue", "her decision to run"
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in _NOUN_CONTENT_PREPS and child.i > noun.i:
            obj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                return obj.left_edge.i, obj.right_edge.i + 1
    return None


def nominal(noun: Token, seg: Segments) -> Found | None:
    """A claim opened by a cue noun, or None."""
    doc = noun.doc
    verb = noun.head
    if noun.dep_ == "dobj" and verb.pos_ == "VERB" and verb.lemma_.lower() in lexicon().verbs:
        return None  # "X denied the claim": the verb is the cue
    block = seg.block_of(noun.idx)
    lo, hi = seg.token_range(block)
    author = _noun_author(noun, lo, hi)
    if author is None or not lo <= author.i < hi:
        return None
    if not (
        speakers.looks_like_owner(author) if author.dep_ == "poss" else speakers.looks_like_speaker(author)
    ):
        return None
    content_tokens = _noun_content(noun)
    if content_tokens is None:
        return None
    if author.dep_ == "poss":  # "Trump's claim" -> "Trump"
        span = named = speakers.owner_phrase(author, lo, hi)
    else:
        span = speakers.speaker_phrase(author, lo, hi, keep_clauses=True, stop=noun.i)
        named = speakers.speaker_phrase(author, lo, hi)
    cue = label(noun.lemma_.lower(), lexicon().nouns[noun.lemma_.lower()])
    return found_over(seg, block, cue, noun, span, named, doc[content_tokens[0]], doc[content_tokens[1] - 1])


# ---------------------------------------------------------------------------- colons

_COLON_JOINERS = frozenset({"to", "on"})
_DASHES = frozenset({"-", "–", "—", "|"})
_COLON_OK_POS = frozenset({"PROPN", "NOUN", "ADJ", "DET", "PUNCT", "PART", "CCONJ", "NUM", "SPACE"})
_MAX_COLON_SPEAKER = 10
_MAX_COLON_LINE = 18  # "X on Y:" may be longer than the name X
_APPOSITION_PREPS = frozenset({"of", "for", "at"})
_PREPOSITIONS = frozenset({"among", "in", "on", "at", "for", "from", "of", "with", "by", "about", "after"})


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
    while start > lo and colon.i - start < _MAX_COLON_LINE:
        prev = doc[start - 1]
        if prev.text in (".", "?", "!", "”", '"', "“", "’", "]", ")") or "\n" in prev.text:
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
    if not words or len(words) > _MAX_COLON_SPEAKER:
        return None
    comma = next((k for k, t in enumerate(words) if t.text == ","), len(words))
    if any(
        t.text in _DASHES or not (_name_word(t) or (k > comma and t.lower_ in _APPOSITION_PREPS))
        for k, t in enumerate(words)
    ):
        return None  # not a name ("Key figures – Hang Seng:", "Among her lessons:")
    last = words[-1]
    named = (
        last.ent_type_ in speakers.NAME_ENTITIES
        or (last.is_upper and len(last.text) > 1)
        or speakers.known_name(last)
    )
    if not named and comma < len(words):  # "Jane Roe, author:", "Jane Roe, editor of The Daily:"
        named = any(t.ent_type_ == "PERSON" for t in words[:comma]) and any(
            t.lemma_.lower() in speaker_words().roles or t.ent_type_ in speakers.NAME_ENTITIES
            for t in words[comma:]
        )
    if not named:
        return None  # no name ("Editor's note:", "Disclaimer:"), unless a transcript's "MS. ROE:"
    return words[0].i, last.i + 1


def colon(tok: Token, seg: Segments) -> Found | None:
    """A claim opened by "Name: what they say", or None."""
    if tok.text != ":":
        return None
    doc = tok.doc
    block = seg.block_of(tok.idx)
    lo = seg.token_range(block)[0]
    span = colon_label(tok, lo)
    if span is None:
        return None
    quote = seg.quote_at(tok.idx)
    if quote is not None and quote.start != doc[span[0]].idx:
        return None  # a colon inside a quotation, unless a transcript quoted whole ('"MS. ROE: ...')
    after = seg.quote_after(tok.idx + 1)
    if quote is not None:
        content = strip_range(seg.text, tok.idx + 1, min(quote.end, block[1]), TRIM)
        direct = True
    elif after is not None:
        content, direct = strip_range(seg.text, after.start, after.end, TRIM), True
    else:
        end = block[1]
        nxt = seg.text.find("\n", tok.idx, end)
        content = strip_range(seg.text, tok.idx + 1, nxt if nxt > 0 else end, TRIM)
        direct = seg.quoted_share(*content) >= 0.5
    if content[1] - content[0] < 2 or not re.search(r"\w", seg.text[content[0] : content[1]]):
        return None
    return Found(
        cue=":",
        cue_range=(tok.idx, tok.idx + 1),
        speaker_range=span,
        describe_range=span,
        content=content,
        sentence=(min(block[0], doc[span[0]].idx), max(block[1], content[1])),
        direct=direct,
        anonymous_sentence=False,
    )


# ---------------------------------------------------------------------------- trailing cues

_TRAILING_POS = frozenset({"NOUN", "PROPN", "ADJ", "DET", "PART", "NUM", "PRON"})
_MAX_TRAILING_SPEAKER = 8


def trailing(tok: Token, seg: Segments) -> Found | None:
    """ "<content>, <noun phrase> <cue verb>." where the tagger read the verb as a noun."""
    cls = lexicon().verbs.get(tok.lemma_.lower())
    if cls is None or tok.tag_ not in ("NNS", "NNPS", "VBZ", "VBP", "VBD", "NN", "NNP"):
        return None
    doc = tok.doc
    block = seg.block_of(tok.idx)
    lo, hi = seg.token_range(block)
    if any(not (t.is_punct or t.is_space) for t in doc[tok.i + 1 : hi]):
        return None  # the cue must end its sentence
    start = tok.i
    while start > lo and tok.i - start < _MAX_TRAILING_SPEAKER and doc[start - 1].pos_ in _TRAILING_POS:
        start -= 1
    if start == tok.i or start <= lo or doc[start - 1].text != ",":
        return None
    if not any(t.pos_ in ("NOUN", "PROPN") for t in doc[start : tok.i]):
        return None
    comma = doc[start - 1]
    content = strip_range(seg.text, block[0], comma.idx, TRIM)
    if len(seg.text[content[0] : content[1]].split()) < 3:
        return None
    return Found(
        cue=label(tok.lemma_.lower(), cls),
        cue_range=(tok.idx, tok.idx + len(tok)),
        speaker_range=(start, tok.i),
        describe_range=(start, tok.i),
        content=content,
        sentence=block,
        direct=seg.quoted_share(*content) >= 0.5,
        anonymous_sentence=speakers.is_anonymity_marked(seg.text[block[0] : block[1]]),
    )


# ---------------------------------------------------------------------------- headlines

_HEADLINE_CLASSES = frozenset({"speech", "judgment", "evidence"})
_NOMINAL_POS = frozenset({"PROPN", "NOUN", "ADJ", "DET", "PART", "NUM"})
_MAX_HEADLINE_SPEAKER = 8


def _verb_form(tok: Token) -> str | None:
    """The cue lemma an inflected, capitalised or noun-tagged word stands for ("Warns" -> "warn";
    a bare "Post" or "Claim" is taken for the noun)."""
    verbs = lexicon().verbs
    word = tok.lower_
    for suffix, ending in (
        ("ies", "y"),
        ("ied", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
    ):
        if word.endswith(suffix) and (stem := word[: -len(suffix)] + ending) in verbs:
            return stem
    return None


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def _is_headline(text: str) -> bool:
    """Title case: most words of four letters or more start with a capital."""
    words = _LONG_WORD.findall(text)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


def _nominal(tok: Token, titled: bool) -> bool:
    """Can ``tok`` belong to a headline's speaker?  In title case the tagger's guesses are poor
    ("Trump" as a verb): a capital will do."""
    return tok.pos_ in _NOMINAL_POS or (titled and (tok.text[:1].isupper() or tok.dep_ == "case"))


def headlines(seg: Segments) -> list[Found]:
    """Claims of headlines the tagger misread: "Trump Warns Clinton Policy Would Lead To War",
    "Pence demands independent prosecutor" (a name, then a cue verb tagged as a noun).

    Only the first block of a text and blocks written in title case are read this way.
    """
    doc = seg.doc
    found: list[Found] = []
    for number, block in enumerate(seg.blocks):
        titled = _is_headline(seg.text[block[0] : block[1]])
        if number > 0 and not titled:
            continue
        lo, hi = seg.token_range(block)
        tokens = [t for t in doc[lo : min(hi, lo + 2 * _MAX_HEADLINE_SPEAKER)] if not t.is_space]
        for k, tok in enumerate(tokens[: _MAX_HEADLINE_SPEAKER + 1]):
            if k == 0:
                continue
            if not all(_nominal(t, titled) for t in tokens[: k + 1]):
                break
            # In title case the cue is capitalised; in a first line, a verb tagged as a noun.
            lemma = _verb_form(tok) if (tok.text[:1].isupper() if titled else tok.pos_ == "NOUN") else None
            cls = lexicon().verbs.get(lemma or "")
            if (
                lemma is None
                or cls not in _HEADLINE_CLASSES
                or flagged(lemma, "needs clause")
                or lemma in lexicon().needs
            ):
                continue  # "Trump Adds Former Fox News Analyst": no word of speech to read it by
            if not titled and not any(
                t.pos_ == "PROPN" or t.ent_type_ in STRONG_ENTITIES for t in tokens[:k]
            ):
                break
            content = strip_range(seg.text, tok.idx + len(tok), block[1], TRIM + ".")
            if len(seg.text[content[0] : content[1]].split()) < 2:
                break
            found.append(
                Found(
                    cue=label(lemma, cls),
                    cue_range=(tok.idx, tok.idx + len(tok)),
                    speaker_range=(tokens[0].i, tok.i),
                    describe_range=(tokens[0].i, tok.i),
                    content=content,
                    sentence=block,
                    direct=seg.quoted_share(*content) >= 0.5,
                    anonymous_sentence=False,
                )
            )
            break
    return found


def according(tok: Token, seg: Segments) -> Found | None:
    """ "according to X": X is the speaker, the rest of the sentence is the content."""
    doc = tok.doc
    to = doc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        pobj = next((t for t in doc[to.i + 1 : to.i + 8] if t.pos_ in ("NOUN", "PROPN")), None)
    if pobj is None or not speakers.looks_like_speaker(pobj):
        return None  # "according to a formula", "according to plan"
    block = seg.block_of(tok.idx)
    lo, hi = seg.token_range(block)
    head = (speakers.statement_source(pobj) or pobj) if speakers.is_statement(pobj) else pobj
    speaker_range = speakers.speaker_phrase(pobj, lo, hi, keep_clauses=True)
    named = speakers.speaker_phrase(head, lo, hi)
    last = doc[max(tok.right_edge.i, speaker_range[1] - 1)]
    attr = (tok.idx, last.idx + len(last))
    left = strip_range(seg.text, block[0], attr[0], TRIM)
    right = strip_range(seg.text, attr[1], block[1], TRIM)
    content = left if left[1] - left[0] >= right[1] - right[0] else right
    if content[1] - content[0] < 2:
        return None
    return Found(
        cue="according to",
        cue_range=(tok.idx, to.idx + len(to)),
        speaker_range=speaker_range,
        describe_range=named,
        content=content,
        sentence=block,
        direct=seg.quoted_share(*content) >= 0.5,
        anonymous_sentence=speakers.is_anonymity_marked(seg.text[block[0] : block[1]]),
    )


def participle(verb: Token, seg: Segments, cls: str) -> Found | None:
    """ "the memo disclosed by WikiLeaks", "the proposals suggested by the experts": the agent
    is the speaker, the noun the participle modifies is what was said."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    pobj = None if agent is None else next((c for c in agent.children if c.dep_ == "pobj"), None)
    noun = verb.head
    if pobj is None or noun.i > verb.i or not passive_ok(verb, cls):
        return None
    if not speakers.looks_like_speaker(pobj) or not speaker_ok(pobj, cls, verb_lemma(verb)):
        return None
    block = seg.block_of(verb.idx)
    lo, hi = seg.token_range(block)
    doc = verb.doc
    first = max(noun.left_edge.i, lo)
    last = verb.left_edge.i - 1
    while last > first and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    if last < first:
        return None
    content = strip_range(seg.text, doc[first].idx, doc[last].idx + len(doc[last]), TRIM)
    if content[1] - content[0] < 2:
        return None
    span = speakers.speaker_phrase(pobj, lo, hi, keep_clauses=True)
    return Found(
        cue=label(verb_lemma(verb), cls),
        cue_range=(verb.idx, verb.idx + len(verb)),
        speaker_range=span,
        describe_range=speakers.speaker_phrase(pobj, lo, hi),
        content=content,
        sentence=block,
        direct=seg.quoted_share(*content) >= 0.5,
        anonymous_sentence=speakers.is_anonymity_marked(seg.text[block[0] : block[1]]),
    )
