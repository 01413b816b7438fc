"""Cue words (``patterns/cues.txt``) and what each class needs.

Each verb lemma has a class (speech, judgment, evidence, belief, intention), each cue noun and
attitude adjective one too.  A claim's ``cue`` is the lemma, written ``"<class>:<lemma>"`` for
private states (``"belief:think"``, ``"intention:plan"``): :func:`is_assertion` tells them from
things said.  The rules at the end of ``cues.txt`` say what a verb needs beside its subject
(:func:`verb_ok`, :func:`content_ok`, :func:`speaker_ok`, :func:`passive_ok`, :func:`form_ok`).
Attributions that do not hang on a verb's subject are read in :mod:`.cue_forms`, attitudes
written as adjectives in :mod:`.attitudes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from rashomon.extract.claims import speakers
from rashomon.extract.text.lexicon import read_text
from rashomon.extract.text.segments import TRIM, Segments, strip_range

PRIVATE_CLASSES = frozenset({"belief", "intention"})
NOUN_SECTION = "noun"
ADJECTIVE_SECTION = "adjective"
# Light verbs whose object noun is the cue ("made comments about", "issued a warning that").
LIGHT_VERBS = frozenset(
    {"make", "issue", "release", "express", "voice", "offer", "give", "deliver", "send", "raise"}
    | {"lodge", "file", "level", "renew", "repeat", "reiterate", "publish", "post", "continue"}
    | {"take", "have", "hold", "share", "register"}  # "took note of", "has a high opinion of"
)
# Particles that turn a cue verb into another verb ("show up", "call off", "back down").
AWAY_PARTICLES = frozenset({"up", "off", "down", "away", "in", "around", "over", "back", "out"})
_PARTICLE_OK = frozenset({"speak", "talk", "call"})  # "speak up", "speak out", "call out"
# Objects that make a cue verb tell of something else ("the attack claimed 20 lives").
NOT_OBJECTS: dict[str, frozenset[str]] = {
    "claim": frozenset({"life"}),
    "call": frozenset({"himself", "herself", "itself", "themselves"}),  # "a group calling itself X"
}
# Objects that make "support", "defend" deeds rather than stances: military operations, forces
# and places ("the militia supported the offensive", "troops defended the town").
DEED_OBJECTS = frozenset(
    {"offensive", "operation", "attack", "assault", "raid", "strike", "airstrike", "push", "advance"}
    | {"troops", "force", "forces", "unit", "fighter", "soldier", "army", "militia", "convoy"}
    | {"town", "city", "village", "area", "region", "position", "base", "border", "line", "front"}
    | {"weight", "roof", "structure", "bridge", "building", "wall", "family", "economy", "price"}
)
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "oprd"})
_BELIEF_PREPS = frozenset({"about", "of", "for", "on", "over"})
# Objects that are something said, beside the nominal cues ("offered advice", "words").
_SAID_OBJECTS = frozenset({"advice", "word", "apology", "condolence", "thanks", "detail", "assessment"})
_PERSONAL = frozenset({"he", "she", "i", "we", "they", "you"})
_PASSIVE_CLASSES = frozenset({"speech", "judgment"})
_STRICT_CLASSES = frozenset({"judgment", "belief", "intention"})
STRONG_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})


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


def found_over(seg: Segments, block: tuple[int, int], cue: str, cue_tok: Token, speaker_range: tuple[int, int],
               describe_range: tuple[int, int], first: Token, last: Token) -> Found | None:
    """The claim whose content runs from token ``first`` to ``last`` (trimmed; None when nothing is
    left), its sentence widened to hold the speaker and the content."""
    content = strip_range(seg.text, first.idx, last.idx + len(last), TRIM)
    if content[1] - content[0] < 2:
        return None
    return Found(
        cue=cue,
        cue_range=(cue_tok.idx, cue_tok.idx + len(cue_tok)),
        speaker_range=speaker_range,
        describe_range=describe_range,
        content=content,
        sentence=(min(block[0], cue_tok.doc[speaker_range[0]].idx), max(block[1], content[1])),
        direct=seg.quoted_share(*content) >= 0.5,
        anonymous_sentence=speakers.is_anonymity_marked(seg.text[block[0] : block[1]]),
    )


@dataclass(frozen=True)
class CueLexicon:
    """Verb lemmas with their class, nominal cue lemmas, and the verbs' rules (see cues.txt)."""

    verbs: dict[str, str]
    nouns: dict[str, str]  # lemma -> class ("speech", or the private state it names)
    adjectives: dict[str, str]  # "## adjective CLASS": attitudes ("concerned about", "eager to")
    needs: dict[str, tuple[str, ...]]  # "## rule needs WORDS"
    content_preps: dict[str, tuple[str, ...]]  # "## rule content PREPS"
    flags: dict[str, frozenset[str]]  # "needs clause", "agent", "no passive", "no dative", "object", ...


@lru_cache(maxsize=1)
def lexicon() -> CueLexicon:
    """Read ``cues.txt`` (a word is counted in the first section that lists it)."""
    verbs: dict[str, str] = {}
    nouns: dict[str, str] = {}
    adjectives: dict[str, str] = {}
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
        elif section.startswith(ADJECTIVE_SECTION):  # "adjective belief": adjectives of that class
            adjectives.setdefault(line, section[len(ADJECTIVE_SECTION) :].strip() or "judgment")
        else:
            verbs.setdefault(line, section)
    return CueLexicon(
        verbs=verbs,
        nouns=nouns,
        adjectives=adjectives,
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
        # "tech firms seeking workers": what a thing does; but "polls showing Trump ahead",
        # "records revealing that ...": a document reports
        return cls == "evidence" and verb.tag_ == "VBG" and speakers.is_statement(verb.head)
    if flagged(lemma, "no dative") and any(c.dep_ == "dative" for c in verb.children):
        return False
    if flagged(lemma, "no event object") and any(
        c.dep_ == "dobj" and c.lemma_.lower() in DEED_OBJECTS for c in verb.children
    ):
        return False  # "the militia supported the offensive": a deed
    objects = NOT_OBJECTS.get(lemma)
    return not objects or not any(c.dep_ == "dobj" and c.lemma_.lower() in objects for c in verb.children)


def form_ok(verb: Token, direct: bool) -> bool:
    """A "quote only" verb needs a quotation ('"...," he continued'; not "continued to campaign")."""
    return direct or not flagged(verb_lemma(verb), "quote only")


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
    if any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children) and lemma in _PARTICLE_OK:
        return True  # "called out the way ...", "spoke out against ..."
    needs = lexicon().needs.get(lemma)
    if needs is not None:
        # A named person or "he"/"she" who slams or attacks something does it in words; one who
        # rips or knocks something does it in words only when that is someone ("ripped Clinton").
        if _has_word(children, needs):
            return True
        if cls != "judgment" or not _is_person(subject):
            return False
        return not flagged(lemma, "person object") or any(
            c.dep_ == "dobj" and speakers.holds_views(c) for c in children
        )
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
    return tok is not None and (
        tok.ent_type_ == "PERSON" or tok.lower_ in ("he", "she") or speakers.known_name(tok)
    )


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
    if subject.pos_ in ("PROPN", "PRON") or subject.ent_type_ in STRONG_ENTITIES:
        return True
    if subject.is_title and (subject.i != subject.sent.start or speakers.known_name(subject)):
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
