"""Cue words (``patterns/cues.txt``), what each class needs, and the attributions that do not
hang on a parsed verb.

Each verb lemma has a class (speech, judgment, evidence, belief, intention), each cue noun one
too.  A claim's ``cue`` is the lemma, written ``"<class>:<lemma>"`` for private states
(``"belief:think"``, ``"intention:plan"``): :func:`is_assertion` tells them from things said.

Attributions found here rather than on a verb:

- a **nominal cue** (:func:`nominal`) with an author — its possessive ("Trump's claim"), a
  "by/from" phrase, or the subject of a light verb ("X made comments") — and a content, a
  "that" clause or an "of/for/about/on/against/over" phrase;
- a **trailing attribution** the tagger misread (:func:`trailing`): "..., FEC records show.";
- a **headline** the tagger misread (:func:`headlines`): "Trump Warns Clinton Policy Would
  Lead To War" (title case), or a first line "Pence demands independent prosecutor";
- a **colon** (:func:`colon`) after a short name opening a sentence ("WikiLeaks: ...", "MS.
  SMITH: We are ready."); "X to Y:" and "X on Y:" keep X as the speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from rashomon.extract.components import speakers
from rashomon.extract.components.lexicon import read_text
from rashomon.extract.components.segments import TRIM, Segments, strip_range

PRIVATE_CLASSES = frozenset({"belief", "intention"})
NOUN_SECTION = "noun"
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
_PASSIVE_CLASSES = frozenset({"speech", "judgment"})
_STRICT_CLASSES = frozenset({"judgment", "belief", "intention"})
_STRONG_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_NOUN_CONTENT_PREPS = frozenset({"of", "for", "about", "on", "against", "over"})


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
    """Verb lemmas with their class, nominal cue lemmas, and the verbs' rules (see cues.txt)."""

    verbs: dict[str, str]
    nouns: dict[str, str]  # lemma -> class ("speech", or the private state it names)
    needs: dict[str, tuple[str, ...]]  # "## rule needs WORDS"
    content_preps: dict[str, tuple[str, ...]]  # "## rule content PREPS"
    flags: dict[str, frozenset[str]]  # "needs clause", "agent", "no passive", "no dative", "object"


@lru_cache(maxsize=1)
def lexicon() -> CueLexicon:
    """Read ``cues.txt`` (a word is counted in the first section that lists it)."""
    verbs: dict[str, str] = {}
    nouns: dict[str, str] = {}
    words: dict[str, dict[str, tuple[str, ...]]] = {"needs": {}, "content": {}}
    flags: dict[str, set[str]] = {}
    section = "speech"
    for raw in read_text("cues.txt").splitlines():
        line = raw.strip().lower()
        if line.startswith("## "):
            section = line[3:].strip()
        elif not line or line.startswith("#"):
            continue
        elif section.startswith("rule "):
            rule = section[5:].split()
            if rule[0] in words and rule[1:] != ["clause"]:
                words[rule[0]][line] = words[rule[0]].get(line, ()) + tuple(rule[1:])
            else:
                flags.setdefault(" ".join(rule), set()).add(line)
        elif section.startswith(NOUN_SECTION):  # "noun", "noun belief": nouns of that class
            nouns.setdefault(line, section[len(NOUN_SECTION) :].strip() or "speech")
        else:
            verbs.setdefault(line, section)
    return CueLexicon(
        verbs=verbs,
        nouns=nouns,
        needs=words["needs"],
        content_preps=words["content"],
        flags={name: frozenset(lemmas) for name, lemmas in flags.items()},
    )


def flagged(lemma: str, rule: str) -> bool:
    """Is the verb listed under "## rule RULE" in cues.txt ("needs clause", "agent", ...)?"""
    return lemma in lexicon().flags.get(rule, frozenset())


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
    if flagged(lemma, "no dative") and any(c.dep_ == "dative" for c in verb.children):
        return False
    objects = NOT_OBJECTS.get(lemma)
    return not objects or not any(c.dep_ == "dobj" and c.lemma_.lower() in objects for c in verb.children)


def _that_clause_head(child: Token) -> bool:
    """A clause opened by "that", "whether" or "if" ("asked whether...", "warned that...")."""
    return child.dep_ in ("acl", "ccomp", "relcl", "advcl") and child.left_edge.lower_ in (
        "that",
        "whether",
        "if",
    )


def _has_word(children: list[Token], words: tuple[str, ...]) -> bool:
    return any(t.lower_ in words for c in children for t in c.subtree)


def content_ok(verb: Token, cls: str, children: list[Token], subject: Token | None) -> bool:
    """Does a reported (not quoted) content give the cue what its class needs?

    A clause always does.  Otherwise (rules of cues.txt): a verb that "needs" words one of them,
    a verb that "needs clause" an "as"; a belief an "about/of/for/on/over" phrase; an evidence verb
    whose subject is a person ("he showed regret") a clause.
    """
    lemma = verb.lemma_.lower()
    if any(c.dep_ in _CLAUSE_DEPS or _that_clause_head(c) for c in children):
        return True
    needs = lexicon().needs.get(lemma)
    if needs is not None:
        # A named person or "he"/"she" who slams or attacks something does it in words.
        return _has_word(children, needs) or (cls == "judgment" and _is_person(subject))
    if flagged(lemma, "needs clause"):
        # "offered some advice", "offered complimentary words": the object is something said;
        # "the survey finds worrisome signs": a document finds what it reports.
        if cls == "evidence" and subject is not None and speakers.is_statement(subject):
            return True
        return _has_word(children, ("as",)) or any(
            c.dep_ == "dobj" and (c.lemma_.lower() in lexicon().nouns or c.lemma_.lower() in _SAID_OBJECTS)
            for c in children
        )
    if cls == "belief":
        if flagged(lemma, "object") and any(c.dep_ == "dobj" for c in children):
            return True
        return any(c.dep_ == "prep" and c.lower_ in _BELIEF_PREPS for c in children)
    if cls == "evidence" and subject is not None:
        return subject.lower_ not in _PERSONAL and subject.ent_type_ != "PERSON"
    return True


def _is_person(tok: Token | None) -> bool:
    return tok is not None and (tok.ent_type_ == "PERSON" or tok.lower_ in ("he", "she"))


def passive_ok(verb: Token, cls: str) -> bool:
    """May a passive cue verb take its speaker from a "by" phrase ("was described by X as")?"""
    return cls in _PASSIVE_CLASSES and not flagged(verb.lemma_.lower(), "no passive")


def speaker_ok(subject: Token, cls: str, verb_lemma: str = "") -> bool:
    """Is ``subject`` a speaker for a verb of this class?

    Speech and evidence verbs take any subject that looks like a speaker.  A judgment
    ("backed", "welcomed"), a belief, an intention or a commitment ("threaten", "pledge") is a
    speaker's only when the subject is someone who holds views or a record of them: a name, a
    pronoun, a person's role, an institution, a document, not any noun ("warplanes backed the
    offensive", "the revelations threaten to...").
    """
    if cls not in _STRICT_CLASSES and not flagged(verb_lemma, "agent"):
        return True
    if subject.pos_ in ("PROPN", "PRON") or subject.ent_type_ in _STRONG_ENTITIES:
        return True
    if subject.is_title and subject.i != subject.sent.start:
        return True  # a name the tagger took for a common noun ("..., Trump cannot accept")
    words = speakers.speaker_words()
    lemma = subject.lemma_.lower()
    return lemma in (
        words.roles
        | words.media_nouns
        | words.government_nouns
        | words.organisation_nouns
        | words.statement_nouns
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
    first, last = doc[content_tokens[0]], doc[content_tokens[1] - 1]
    content = strip_range(seg.text, first.idx, last.idx + len(last), TRIM)
    if content[1] - content[0] < 2:
        return None
    return Found(
        cue=label(noun.lemma_.lower(), lexicon().nouns[noun.lemma_.lower()]),
        cue_range=(noun.idx, noun.idx + len(noun)),
        speaker_range=span,
        describe_range=named,
        content=content,
        sentence=(min(block[0], doc[span[0]].idx), max(block[1], content[1])),
        direct=seg.quoted_share(*content) >= 0.5,
        anonymous_sentence=speakers.is_anonymity_marked(seg.text[block[0] : block[1]]),
    )


# ---------------------------------------------------------------------------- colons


def colon(tok: Token, seg: Segments) -> Found | None:
    """A claim opened by "Name: what they say", or None."""
    if tok.text != ":" or seg.in_quote(tok.idx):
        return None
    doc = tok.doc
    block = seg.block_of(tok.idx)
    lo = seg.token_range(block)[0]
    span = speakers.colon_label(tok, lo)
    if span is None:
        return None
    after = seg.quote_after(tok.idx + 1)
    if after is not None:
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
                t.pos_ == "PROPN" or t.ent_type_ in _STRONG_ENTITIES for t in tokens[:k]
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
