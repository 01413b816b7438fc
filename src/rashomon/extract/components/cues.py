"""Cue words (``patterns/cues.txt``) and the attributions that do not hang on a verb.

The lexicon is read once: each verb lemma has a class (speech, judgment, evidence, belief,
intention) and the "noun" section lists nominal cues.  A claim's ``cue`` is the lemma, written
``"<class>:<lemma>"`` for the private-state classes (``"belief:think"``, ``"intention:plan"``):
:func:`is_assertion` tells those apart from things said.

Besides the verbs (``components/claims.py``), two kinds of attribution open a claim here:

- a **nominal cue** (:func:`nominal`): a cue noun with an author, either its possessive ("Trump's
  claim", "her support") or a "by/from" phrase ("a warning from the agency"), or the subject of
  the light verb whose object it is ("X made comments", "X expressed concern"); and with a
  content, a "that" clause or an "of/for/about/on/against/over" phrase.  A noun whose verb is a
  cue itself ("X issued a statement saying...") leaves the claim to that verb.
- a **trailing attribution** the tagger got wrong (:func:`trailing`): "..., FEC records
  show." with "show" tagged as a noun: a cue verb's form ends the sentence after a comma and a
  short noun phrase;
- a **headline** the tagger misread (:func:`headlines`): "Trump Warns Clinton Policy Would
  Lead To War" (title case) or a first line "Pence demands independent prosecutor";
- a **colon** (:func:`colon`): a short name phrase opening a headline or a sentence, then a
  colon, then what the named person says ("WikiLeaks: Clinton flattered Obama", "MS. SMITH: We
  are ready.", "Jane Roe, The Daily: "..."").  "X to Y:" and "X on Y:" keep X as the speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from rashomon.extract.components import speakers
from rashomon.extract.components.lexicon import read_text
from rashomon.extract.components.segments import Segments, strip_range

PRIVATE_CLASSES = frozenset({"belief", "intention"})
NOUN_SECTION = "noun"
# Cues that only report speech with one of these words in their content ("called X a Y" and
# "called for", "described X as Y", "accused X of Y", "attacked X over"); a clausal complement
# or a quotation also does.
NEEDS_WORD: dict[str, tuple[str, ...]] = {
    "call": ("as", "for", "on"),
    "describe": ("as",),
    "portray": ("as",),
    "characterize": ("as",),
    "characterise": ("as",),
    "depict": ("as",),
    "dub": ("as",),
    "label": ("as",),
    "brand": ("as",),
    "blast": ("as", "for", "over"),
    "slam": ("as", "for", "over"),
    "attack": ("as", "for", "over"),
    "accuse": ("of",),
    "compare": ("to",),
    "liken": ("to",),
    "refer": ("as",),
    "back": ("for",),
    "vote": ("for", "against"),
}
# Verbs that open a claim only with a clause, a quotation or an "as" complement: with a plain
# object they mostly tell of deeds ("police found two bodies", "ordered an evacuation").
NEEDS_CLAUSE = frozenset(
    {"find", "order", "offer", "signal", "echo", "repeat", "question", "add", "advise", "contend"}
)
# Verbs of commitment and denial that need someone behind them, as judgments do ("the
# revelations threaten to...").
AGENT_VERBS = frozenset({"threaten", "promise", "pledge", "vow", "offer", "demand", "guarantee"})
# Verbs that mean something else with two objects ("the loss would deny Democrats a landslide").
_NO_DATIVE = frozenset({"deny"})
# Light verbs whose object noun is the cue ("made comments about", "issued a warning that").
LIGHT_VERBS = frozenset(
    {"make", "issue", "release", "express", "voice", "offer", "give", "deliver", "send", "raise"}
    | {"lodge", "file", "level", "renew", "repeat", "reiterate", "publish", "post", "continue"}
)
# Particles that turn a cue verb into another verb ("show up", "call off", "back down").
AWAY_PARTICLES = frozenset({"up", "off", "down", "away", "in", "around", "over", "back", "out"})
_PARTICLE_OK = frozenset({"speak", "talk", "call"})  # "speak up", "speak out", "call out"
# Objects that make a cue verb tell of something else ("the attack claimed 20 lives").
NOT_OBJECTS: dict[str, frozenset[str]] = {
    "claim": frozenset({"life"}),
    "call": frozenset({"himself", "herself", "itself", "themselves"}),  # "a group calling itself X"
}
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "oprd"})
_BELIEF_PREPS = frozenset({"about", "of", "for", "on", "over"})
# Objects that are something said, beside the nominal cues ("offered advice", "words").
_SAID_OBJECTS = frozenset({"advice", "word", "apology", "condolence", "thanks", "detail", "assessment"})
_PERSONAL = frozenset({"he", "she", "i", "we", "they", "you"})
# Verbs whose passive names no speaker even with a "by" phrase ("a push backed by air strikes").
NO_PASSIVE = frozenset({"back", "attack", "blast", "slam", "champion", "promote"})
_PASSIVE_CLASSES = frozenset({"speech", "judgment"})
_STRICT_CLASSES = frozenset({"judgment", "belief", "intention"})
_STRONG_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_NOUN_CONTENT_PREPS = frozenset({"of", "for", "about", "on", "against", "over", "to"})
_COLON_JOINERS = frozenset({"to", "on"})
_DASHES = frozenset({"-", "–", "—", "|"})
_COLON_OK_POS = frozenset({"PROPN", "NOUN", "ADJ", "DET", "PUNCT", "PART", "CCONJ", "NUM", "SPACE"})
_TRIM = ",;:—–- \n\t"
_MAX_COLON_SPEAKER = 10


@dataclass
class Found:
    """A claim before its speaker is resolved (character offsets unless said otherwise)."""

    cue: str
    cue_range: tuple[int, int]
    speaker_range: tuple[int, int]  # tokens: the speaker as written (the claim's speaker_span)
    describe_range: tuple[int, int]  # tokens: the phrase that names the speaker
    content: tuple[int, int]
    sentence: tuple[int, int]
    direct: bool
    anonymous_sentence: bool
    parallel: bool = False  # a clause set against the one around it ("..., while X says ...")


@dataclass(frozen=True)
class CueLexicon:
    """Verb lemmas with their class, and nominal cue lemmas."""

    verbs: dict[str, str]
    nouns: frozenset[str]


@lru_cache(maxsize=1)
def lexicon() -> CueLexicon:
    """Read ``cues.txt`` (a word is counted in the first section that lists it)."""
    verbs: dict[str, str] = {}
    nouns: set[str] = set()
    section = "speech"
    for raw in read_text("cues.txt").splitlines():
        line = raw.strip().lower()
        if line.startswith("## "):
            section = line[3:].strip()
        elif line and not line.startswith("#"):
            if section == NOUN_SECTION:
                nouns.add(line)
            else:
                verbs.setdefault(line, section)
    return CueLexicon(verbs=verbs, nouns=frozenset(nouns))


def verb_lemma(tok: Token) -> str:
    """The lemma of a verb, mended where the lemmatizer cuts an "e" ("hoping" -> "hop")."""
    lemma = tok.lemma_.lower()
    verbs = lexicon().verbs
    if lemma not in verbs and tok.lower_.endswith(("ing", "ed")) and lemma + "e" in verbs:
        return lemma + "e"
    return lemma


def label(lemma: str, cls: str) -> str:
    """The cue as stored on a claim: the lemma, with its class for private states."""
    return f"{cls}:{lemma}" if cls in PRIVATE_CLASSES else lemma


def is_assertion(cue: str) -> bool:
    """Is a claim with this cue something said or written (not a belief or an intention)?"""
    return cue.split(":", 1)[0] not in PRIVATE_CLASSES


def verb_ok(verb: Token, cls: str) -> bool:
    """Can this cue verb open a claim where it stands (before its subject and content are read)?

    Not as a phrasal verb of another meaning ("show up", "figure out"), nor, for evidence,
    belief and intention verbs, as a participle modifying a noun ("a tape showing X": the
    content of a document, not a report).
    """
    lemma = verb.lemma_.lower()
    if lemma not in _PARTICLE_OK and any(
        c.dep_ == "prt" and c.lower_ in AWAY_PARTICLES for c in verb.children
    ):
        return False
    if cls in ("evidence", "belief", "intention") and verb.dep_ == "acl":
        return False  # "a tape showing X", "tech firms seeking workers": what a thing is or does
    if lemma in _NO_DATIVE and any(c.dep_ == "dative" for c in verb.children):
        return False
    objects = NOT_OBJECTS.get(lemma)
    return not objects or not any(c.dep_ == "dobj" and c.lemma_.lower() in objects for c in verb.children)


def _that_clause_head(child: Token) -> bool:
    """A clause opened by "that", "whether" or "if" ("asked whether...", "warned that...")."""
    return child.dep_ in ("acl", "ccomp", "relcl", "advcl") and child.left_edge.lower_ in ("that", "whether", "if")


def _has_word(children: list[Token], words: tuple[str, ...]) -> bool:
    return any(t.lower_ in words for c in children for t in c.subtree)


def content_ok(verb: Token, cls: str, children: list[Token], subject: Token | None) -> bool:
    """Does a reported (not quoted) content give the cue what its class needs?

    A clause always does.  Otherwise: a verb of ``NEEDS_WORD`` needs one of its words, a verb
    of ``NEEDS_CLAUSE`` an "as"; a belief an "about/of/for/on/over" phrase; an evidence verb
    whose subject is a person ("he showed regret") a clause.
    """
    lemma = verb.lemma_.lower()
    if any(c.dep_ in _CLAUSE_DEPS or _that_clause_head(c) for c in children):
        return True
    needs = NEEDS_WORD.get(lemma)
    if needs is not None:
        # A named person or "he"/"she" who slams or attacks something does it in words.
        return _has_word(children, needs) or (cls == "judgment" and _is_person(subject))
    if lemma in NEEDS_CLAUSE:
        # "offered some advice", "offered complimentary words": the object is something said.
        return _has_word(children, ("as",)) or any(
            c.dep_ == "dobj" and c.lemma_.lower() in lexicon().nouns | _SAID_OBJECTS for c in children
        )
    if cls == "belief":
        return any(c.dep_ == "prep" and c.lower_ in _BELIEF_PREPS for c in children)
    if cls == "evidence" and subject is not None:
        return subject.lower_ not in _PERSONAL and subject.ent_type_ != "PERSON"
    return True


def _is_person(tok: Token | None) -> bool:
    return tok is not None and (tok.ent_type_ == "PERSON" or tok.lower_ in ("he", "she"))


def passive_ok(verb: Token, cls: str) -> bool:
    """May a passive cue verb take its speaker from a "by" phrase ("was described by X as")?"""
    return cls in _PASSIVE_CLASSES and verb.lemma_.lower() not in NO_PASSIVE


def speaker_ok(subject: Token, cls: str, verb_lemma: str = "") -> bool:
    """Is ``subject`` a speaker for a verb of this class?

    Speech verbs take any subject that looks like a speaker.  A judgment ("backed",
    "welcomed"), a belief, an intention or evidence is a speaker's only when the subject is
    someone who holds views or a record of them: a name, a pronoun, a person's role, an
    institution, a document ("the poll shows"), not any noun ("warplanes backed the offensive",
    "the rush for safety saw gold climb").
    """
    if cls not in _STRICT_CLASSES and verb_lemma not in AGENT_VERBS:
        return True
    if subject.pos_ in ("PROPN", "PRON") or subject.ent_type_ in _STRONG_ENTITIES:
        return True
    words = speakers.speaker_words()
    lemma = subject.lemma_.lower()
    return lemma in (
        words.roles | words.media_nouns | words.government_nouns | words.organisation_nouns | words.statement_nouns
    )


# ---------------------------------------------------------------------------- nominal cues


def _noun_author(noun: Token, lo: int, hi: int) -> Token | None:
    """Who the cue noun belongs to (see the module docstring)."""
    for child in noun.children:
        if child.dep_ == "poss":
            return child
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("by", "from") and child.i > noun.i:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    verb = noun.head
    if noun.dep_ == "dobj" and verb.pos_ == "VERB" and verb.lemma_.lower() in LIGHT_VERBS:
        subject, passive = speakers.verb_subject(verb, lo, hi)
        return None if passive else subject
    return None


def _noun_content(noun: Token) -> tuple[int, int] | None:
    """Token range of what the cue noun is about: a "that" clause, else an object phrase."""
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp") and child.i > noun.i:
            first = child.left_edge
            if first.lower_ == "that" and first.dep_ == "mark":
                return first.i + 1, child.right_edge.i + 1
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
    if author is None or not lo <= author.i < hi or not speakers.looks_like_speaker(author):
        return None
    content_tokens = _noun_content(noun)
    if content_tokens is None:
        return None
    if author.dep_ == "poss":  # "Trump's claim" -> "Trump"
        span = named = speakers.owner_phrase(author, lo, hi)
    else:
        span = speakers.speaker_phrase(author, lo, hi, keep_clauses=True, stop=noun.i)
        named = speakers.speaker_phrase(author, lo, hi)
    first, last = doc[content_tokens[0]], doc[content_tokens[1] - 1]
    content = strip_range(seg.text, first.idx, last.idx + len(last), _TRIM)
    if content[1] - content[0] < 2:
        return None
    return Found(
        cue=label(noun.lemma_.lower(), NOUN_SECTION),
        cue_range=(noun.idx, noun.idx + len(noun)),
        speaker_range=span,
        describe_range=named,
        content=content,
        sentence=(min(block[0], doc[span[0]].idx), max(block[1], content[1])),
        direct=seg.quoted_share(*content) >= 0.5,
        anonymous_sentence=speakers.is_anonymity_marked(seg.text[block[0] : block[1]]),
    )


# ---------------------------------------------------------------------------- colons


def _colon_speaker(colon: Token, lo: int) -> tuple[int, int] | None:
    """Token range of a short name phrase that ends at ``colon`` and opens its sentence."""
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
    if not words or words[0].pos_ == "ADP" or words[0].is_punct:
        return None
    end = colon.i
    for tok in words[1:]:
        if tok.lower_ in _COLON_JOINERS:  # "Black Democrats to Clinton:", "X on the debate:"
            end = tok.i
            break
    words = [t for t in words if t.i < end]
    while words and words[-1].is_punct:
        words.pop()
    if not words or any(t.pos_ not in _COLON_OK_POS or t.text in _DASHES for t in words):
        return None  # not a name ("Key figures – Hang Seng:", "Among her lessons:")
    last = words[-1]
    if not (last.ent_type_ in _STRONG_ENTITIES or (last.is_upper and len(last.text) > 1)):
        return None  # no name ("Editor's note:", "Disclaimer:"), unless a transcript's "MS. ROE:"
    return words[0].i, last.i + 1


def colon(tok: Token, seg: Segments) -> Found | None:
    """A claim opened by "Name: what they say", or None."""
    if tok.text != ":" or seg.in_quote(tok.idx):
        return None
    doc = tok.doc
    block = seg.block_of(tok.idx)
    lo, hi = seg.token_range(block)
    span = _colon_speaker(tok, lo)
    if span is None:
        return None
    after = seg.quote_after(tok.idx + 1)
    if after is not None:
        content, direct = strip_range(seg.text, after.start, after.end, _TRIM), True
    else:
        end = block[1]
        nxt = seg.text.find("\n", tok.idx, end)
        content = strip_range(seg.text, tok.idx + 1, nxt if nxt > 0 else end, _TRIM)
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
    content = strip_range(seg.text, block[0], comma.idx, _TRIM)
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
    for suffix, ending in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", "")):
        if word.endswith(suffix) and (stem := word[: -len(suffix)] + ending) in verbs:
            return stem
    return None


_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def _is_headline(text: str) -> bool:
    """Title case: most words of four letters or more start with a capital."""
    words = _LONG_WORD.findall(text)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


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

        def nominal(t: Token) -> bool:
            # In title case the tagger's guesses are poor ("Trump" as a verb): capitals will do.
            return t.pos_ in _NOMINAL_POS or (titled and (t.text[:1].isupper() or t.dep_ == "case"))

        for k, tok in enumerate(tokens[: _MAX_HEADLINE_SPEAKER + 1]):
            if k == 0:
                continue
            if not nominal(tok) or not all(nominal(t) for t in tokens[:k]):
                break
            lemma = _verb_form(tok) if tok.text[:1].isupper() or tok.pos_ == "NOUN" else None
            cls = lexicon().verbs.get(lemma or "")
            if lemma is None or cls not in _HEADLINE_CLASSES:
                continue
            if not titled and not any(t.pos_ == "PROPN" or t.ent_type_ in _STRONG_ENTITIES for t in tokens[:k]):
                break
            content = strip_range(seg.text, tok.idx + len(tok), block[1], _TRIM + ".")
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
