"""The ``rashomon_claims`` component: who says (believes, intends) what, in which words.

It reads the dependency parse and sets ``doc._.claims`` (:class:`~rashomon.models.Claim` list, in
text order).  A claim opens at a cue verb (:mod:`.cues`: say, argue, show, praise, believe...)
whose subject looks like a speaker ("the ministry said that...", "..., said X", "was described
by X as", "X, who said..." with "who" as the speaker written, the subject of the clause that
"..., saying", "before noting" or "went on to praise" hangs on); at "according to X", a
participle with an agent ("the memo disclosed by X"), a cue noun, a colon after a name, a
misread headline or "..., records show." (:mod:`.cue_forms`); at an attitude adjective ("X was
concerned about ...", :mod:`.attitudes`).  Belief and intention cues are stored as
``"belief:think"``, ``"intention:plan"``.

The content (:mod:`.claim_content`) is the quotation next to the attribution (across sentences
when it spans several; '"A," she said. "B."' is one content from A to B), else the reported
clause, else the sentence beside the attribution; ``direct`` when at least half of it stands
between quotation marks.  Cue words inside a quotation open no claim, nor does an attribution
inside another claim's content ("the ministry said the rebels claimed the town" is the
ministry's claim).

The speaker span is the speaker as written, with relative clauses and restrictive participles
("Julie Miller, who worked at the bank"); where the parser took the speaker from inside a
quotation ('"...," Trump, 70, told CNN') the phrase after the quotation is read instead.  The
Speaker is described from the naming phrase (:mod:`.speaker_description`).  "he"/"she" resolve
to the latest named person who spoke before; "the official" to the latest speaker with that
role; other pronouns stay as written (``unresolved``).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Token

from rashomon.extract.claims import (
    attitudes,
    cue_forms,
    cues,
    speaker_description,
    speakers,
)
from rashomon.extract.claims import content as claim_content
from rashomon.extract.claims.cues import Found
from rashomon.extract.text import spans
from rashomon.extract.text.segments import Segments
from rashomon.models import Claim, Speaker
from rashomon.settings import component_defaults

_SKIP_DEPS = frozenset({"csubj", "csubjpass", "amod", "compound", "pobj", "nmod"})
_RELATIVE = frozenset({"who", "which", "that"})
_CONTRAST = frozenset({"while", "whereas", "but", "although", "though", "yet"})


_MAX_AFTER_QUOTE = 12


def _after_quote(verb: Token, seg: Segments, lo: int) -> tuple[int, int] | None:
    """The noun phrase between a closing quotation mark and the cue verb right after it
    ('"...," Trump, 70, told CNN' when the parser made "told" part of the quotation's clause)."""
    doc = verb.doc
    i = verb.i - 1
    while i >= lo and verb.i - i <= _MAX_AFTER_QUOTE and not _is_mark(doc[i]):
        if doc[i].pos_ in ("VERB", "AUX", "ADP", "SCONJ") and doc[i].dep_ != "case":
            return None
        i -= 1
    if i < lo or not _is_mark(doc[i]) or seg.quote_before(doc[i].idx + len(doc[i])) is None:
        return None
    tokens = [t for t in doc[i + 1 : verb.i] if not (t.is_punct or t.is_space or t.pos_ == "ADV")]
    if not tokens or not any(t.pos_ in ("NOUN", "PROPN", "PRON") or t.is_title for t in tokens):
        return None
    return tokens[0].i, tokens[-1].i + 1


def _previous_speaker(verb: Token, seg: Segments, lo: int) -> Token | None:
    """The subject, outside quotation marks, of the nearest cue verb before ``verb`` in its
    sentence."""
    verbs = cues.lexicon().verbs
    for tok in reversed(verb.doc[lo : verb.i]):
        if tok.pos_ != "VERB" or cues.verb_lemma(tok) not in verbs or seg.in_quote(tok.idx):
            continue
        subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subject is not None and not seg.in_quote(subject.idx):
            return subject
    return None


def _is_mark(tok: Token) -> bool:
    return tok.text in ('"', "”", "''", "’", "'") or tok.text.endswith(('"', "”"))


def _next_to(verb: Token, subject: Token | None) -> bool:
    """Is the speaker part of the cue's own attribution (its subject, agent or the noun it
    modifies), rather than the subject of another clause?"""
    if subject is None or subject.head == verb or subject == verb.head:
        return True
    return subject.head.dep_ == "agent" and subject.head.head == verb


def _parallel(verb: Token) -> bool:
    """Is the cue's clause set against another ("..., while X calls it ...", "but X said")?"""
    if verb.dep_ not in ("advcl", "conj"):
        return False
    return any(c.dep_ in ("mark", "cc") and c.lower_ in _CONTRAST for c in verb.children)


def _outermost(doc: Doc, found: list[Found]) -> list[Found]:
    """Drop the claims whose attribution stands inside another claim's content.

    "The ministry said the rebels claimed the town": what the rebels claimed is part of what the
    ministry says (as a cue inside a quotation opens no claim).  A cue whose speaker stands
    outside that content is not nested ("Tapper told X that ..., before noting that ...": one
    speaker, two claims).  When two claims hold each other's cue, both stay.
    """
    by_start = sorted(range(len(found)), key=lambda k: found[k].content[0])
    starts = [found[k].content[0] for k in by_start]
    kept: list[Found] = []
    for item in found:
        cue = item.cue_range[0]
        outer = False
        for k in by_start[: bisect.bisect_right(starts, cue) if not item.parallel else 0]:
            other = found[k]
            if other is item or not cue < other.content[1]:
                continue
            speaker = doc[item.speaker_range[0]].idx
            if not other.content[0] <= speaker < other.content[1]:
                continue
            if not item.content[0] <= other.cue_range[0] < item.content[1]:
                outer = True
                break
        if not outer:
            kept.append(item)
    return kept


class _Who(NamedTuple):
    """The speaker of a cue verb: as written, the phrase naming it, where a statement subject
    starts ("statements carried by X"), and the subject token."""

    span: tuple[int, int]
    named: tuple[int, int]
    statement_start: int | None
    subject: Token | None


class ClaimFinder:
    """Finds attributed statements in a parsed Doc (see the module docstring)."""

    def __init__(self, resolve_pronouns: bool = True, link_definite_roles: bool = True) -> None:
        self.resolve_pronouns = resolve_pronouns
        self.link_definite_roles = link_definite_roles

    def __call__(self, doc: Doc) -> Doc:
        # A doc may be parsed in part (sentences without a cue, a casualty word or a quotation
        # mark keep no parse) or not at all: rules that need a parse find nothing there, the
        # colon rule ("Name: ...") reads the entities and the spelling.
        doc._.claims = self.find(doc)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """Process a stream of docs (``batch_size`` is accepted for spaCy's interface)."""
        for doc in docs:
            yield self(doc)

    # ------------------------------------------------------------------ finding

    def find(self, doc: Doc) -> list[Claim]:
        """All claims of a parsed doc, in text order."""
        seg = Segments(doc)
        lexicon = cues.lexicon()
        found: list[Found] = []
        seen: set[tuple[tuple[int, int], tuple[int, int]]] = set()
        for tok in doc:
            item: Found | None = None
            if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                item = cue_forms.according(tok, seg)
            elif tok.pos_ == "VERB":
                cls = lexicon.verbs.get(cues.verb_lemma(tok))
                if cls is not None and not seg.in_quote(tok.idx):
                    item = self._from_cue(tok, seg, cls)
                elif cls is None and (tok.dep_ == "acomp" or tok.tag_ == "VBN"):
                    item = attitudes.adjective(tok, seg)  # "X was concerned about ...", "outraged by"
            elif tok.pos_ in ("NOUN", "PROPN") and not seg.in_quote(tok.idx):
                cls = lexicon.verbs.get(tok.lemma_.lower())
                if cls is not None and any(c.dep_ == "nsubj" for c in tok.children):
                    item = self._from_cue(tok, seg, cls)  # "Documents ... show that": a verb tagged a noun
                if item is None:
                    item = cue_forms.trailing(tok, seg)  # "..., FEC records show." with "show" tagged a noun
                if item is None and tok.lemma_.lower() in lexicon.nouns:
                    item = cue_forms.nominal(tok, seg)
            elif tok.text == ":":
                item = cue_forms.colon(tok, seg)
            elif tok.dep_ == "acomp" and tok.pos_ == "ADJ":
                item = attitudes.adjective(tok, seg)
            if item is not None and (item.content, item.speaker_range) not in seen:
                seen.add((item.content, item.speaker_range))
                found.append(item)
        for item in cue_forms.headlines(seg):
            if not any(f.cue_range == item.cue_range for f in found):
                found.append(item)
        return self._records(doc, _outermost(doc, found))

    def _speaker(self, verb: Token, lo: int, hi: int, cls: str) -> _Who | None:
        """The speaker of a cue verb, or None when it has none (or is passive without an agent)."""
        doc = verb.doc
        rel = next((c for c in verb.children if c.dep_ == "nsubj" and c.lower_ in _RELATIVE), None)
        if verb.dep_ == "relcl" and rel is not None:  # "X, who said ...": the speaker as written is "who"
            return self._relative(rel, verb.head, lo, hi)
        subject, passive = speakers.verb_subject(verb, lo, hi)
        if (
            not passive
            and subject is not None
            and subject.lower_ in _RELATIVE
            and subject.head.dep_ == "relcl"
            and subject.dep_ == "nsubj"
            and verb.dep_ == "conj"
            and verb.head == subject.head
        ):  # "X, who was taking a role and had expressed concerns": the relative clause's "who"
            return self._relative(subject, subject.head.head, lo, hi)
        if passive and (subject is None or subject.dep_ != "pobj" or not cues.passive_ok(verb, cls)):
            return None  # "the shooting was reported": no one is named as the source
        if subject is None:
            if verb.tag_ not in ("VBZ", "VBD", "VBP"):
                return None  # "not to mention": no speaker
            phrase = speakers.left_phrase(doc, verb.i, lo)
            return None if phrase is None else _Who(phrase, phrase, None, None)
        counted = speakers.quantified(subject)  # "many of her advisers want ..."
        if not speakers.looks_like_speaker(counted) or not cues.speaker_ok(
            counted, cls, cues.verb_lemma(verb)
        ):
            return None
        head, statement_start = subject, None
        if speakers.is_statement(subject) or subject.lemma_.lower() in cues.lexicon().nouns:
            statement_start = subject.left_edge.i
            owner = next((c for c in subject.children if c.dep_ == "poss"), None)
            said = subject.lemma_.lower() in cues.lexicon().nouns  # "his comments", not "the FBI's records"
            if owner is not None and said and speakers.looks_like_owner(owner):  # "his comments indicate"
                span = speakers.owner_phrase(owner, lo, hi)
                return _Who(span, span, statement_start, owner)
            head = speakers.statement_source(subject) or subject
        span = speakers.speaker_phrase(subject, lo, hi, keep_clauses=True, stop=verb.i)
        return _Who(span, speakers.speaker_phrase(head, lo, hi), statement_start, subject)

    @staticmethod
    def _relative(rel: Token, antecedent: Token, lo: int, hi: int) -> _Who | None:
        """The speaker of a relative clause: "who" as written, named by its antecedent."""
        if not speakers.looks_like_speaker(antecedent):
            return None
        named = speakers.speaker_phrase(speakers.name_head(antecedent), lo, hi)
        if rel.lower_ == "that":  # "a group that supports ...": "that" is no name of its own
            return _Who(named, named, None, antecedent)
        return _Who((rel.i, rel.i + 1), named, None, antecedent)

    def _cue_speaker(self, verb: Token, seg: Segments, lo: int, hi: int, cls: str) -> _Who | None:
        """The speaker of cue ``verb`` in the block of tokens ``lo``..``hi`` (None: no claim)."""
        who = self._speaker(verb, lo, hi, cls)
        subject = speakers.verb_subject(verb, lo, hi)[0]
        if (
            subject is not None
            and subject.head != verb
            and seg.in_quote(subject.idx)
            and not claim_content.passive(verb)
        ):
            # The parser took the speaker from inside a quotation: '"...," Trump, 70, told CNN', or
            # '"...," Trump said, before suggesting ...' (the speaker of the cue before).
            phrase = _after_quote(verb, seg, lo)
            if phrase is not None:
                who = _Who(phrase, phrase, None, None)
            else:
                subject = _previous_speaker(verb, seg, lo)
                who = None if subject is None else self._speaker(subject.head, lo, hi, cls)
        return who

    def _from_cue(self, verb: Token, seg: Segments, cls: str) -> Found | None:
        doc = verb.doc
        lemma = cues.verb_lemma(verb)
        if verb.dep_ == "acl" and verb.tag_ == "VBN":
            return cue_forms.participle(verb, seg, cls)
        if verb.dep_ in _SKIP_DEPS or (verb.dep_ == "acl" and verb.tag_ != "VBG"):
            return None
        if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in cues.lexicon().verbs:
            return None  # "wants to say", "declined to comment": one claim, at the first cue
        if not cues.verb_ok(verb, cls):
            return None
        if verb.dep_ in ("relcl", "advcl", "acl") and speakers.is_anonymity_marked(
            seg.text[verb.left_edge.idx : verb.right_edge.idx + len(verb.right_edge)]
        ):
            return None  # "who asked not to be named", "speaking on condition of anonymity"
        block = seg.block_of(verb.idx)
        lo, hi = seg.token_range(block)
        who = self._cue_speaker(verb, seg, lo, hi, cls)
        if who is None:
            return None
        speaker_range, named, statement_start, subject = who
        before = doc[speaker_range[0] - 1] if speaker_range[0] > lo else None
        if before is not None and before.lower_ in ("what", "which") and before.dep_ != "pobj":
            return None  # "struck what it said was a depot": a qualification ("in which he said" is not)
        if _next_to(verb, subject):
            attr_lo = min(
                speaker_range[0], verb.i, statement_start if statement_start is not None else len(doc)
            )
            attr_hi = claim_content.attribution_end(verb, max(speaker_range[1], verb.i + 1))
        else:  # the subject of another clause ("Insisting it was not rehearsed, Trump invited ...")
            attr_lo, attr_hi = verb.i, claim_content.attribution_end(verb, verb.i + 1)
        content_children = _content_children(verb, attr_lo, attr_hi)
        attr_start_char, attr_end_char = doc[attr_lo].idx, doc[attr_hi - 1].idx + len(doc[attr_hi - 1])
        content, direct = claim_content.content(
            verb,
            seg,
            block,
            content_children,
            verb.dep_ != "relcl" and claim_content.passive(verb),
            (attr_start_char, attr_end_char),
            right_only=not _next_to(verb, subject),
        )
        if content is None or not cues.form_ok(verb, direct and seg.block_of(content[0]) == block):
            return None
        # A speech verb naming something in quotation marks ("called them 'bloodsuckers'"), or
        # a content that is the sentence beside the attribution ("That question, he added, ...").
        quoting = cls == "speech" and seg.quoted_share(*content) > 0
        if not (
            direct
            or quoting
            or content[0] < verb.idx
            or cues.content_ok(verb, cls, content_children, subject)
        ):
            return None
        sentence = (
            min(block[0], seg.block_of(content[0])[0], doc[speaker_range[0]].idx),
            max(block[1], seg.block_of(max(content[1] - 1, 0))[1]),
        )
        return Found(
            cue=cues.label(lemma, cls),
            cue_range=(verb.idx, verb.idx + len(verb)),
            speaker_range=speaker_range,
            describe_range=named,
            content=content,
            sentence=sentence,
            direct=direct,
            anonymous_sentence=speakers.is_anonymity_marked(seg.text[block[0] : block[1]]),
            parallel=_parallel(verb),
        )

    # ------------------------------------------------------------------ records

    def _resolve(self, doc: Doc, item: Found, speaker: Speaker, history: list[Speaker]) -> Speaker:
        """Replace "he"/"she" and "the official" by the speaker they refer back to."""
        if self.resolve_pronouns and speaker_description.is_personal_pronoun(speaker):
            for earlier in reversed(history):
                if earlier.kind == "person" and not earlier.anonymous:
                    return earlier.model_copy(
                        update={"anonymous": earlier.anonymous or item.anonymous_sentence}
                    )
        role = (
            speaker_description.is_definite_role(doc, *item.describe_range)
            if self.link_definite_roles
            else None
        )
        if role is not None:
            for earlier in reversed(history):
                if earlier.role == role:
                    return earlier.model_copy(
                        update={"anonymous": earlier.anonymous or item.anonymous_sentence}
                    )
        return speaker

    def _records(self, doc: Doc, found: list[Found]) -> list[Claim]:
        claims: list[Claim] = []
        history: list[Speaker] = []
        for item in sorted(found, key=lambda f: f.cue_range[0]):
            speaker = speaker_description.describe(
                doc, *item.describe_range, anonymous_sentence=item.anonymous_sentence
            )
            start_tok, end_tok = item.speaker_range
            speaker = self._resolve(doc, item, speaker, history)
            history.append(speaker)
            sp_start = doc[start_tok].idx
            sp_end = doc[end_tok - 1].idx + len(doc[end_tok - 1])
            extent = (min(item.sentence[0], sp_start), max(item.sentence[1], sp_end))
            claims.append(
                Claim(
                    id=spans.record_id("c", doc, extent[0], extent[1], item.cue_range[0], item.cue),
                    article_id=doc._.article_id,
                    speaker=speaker,
                    speaker_span=spans.char_span(doc, sp_start, sp_end),
                    cue=item.cue,
                    cue_span=spans.char_span(doc, *item.cue_range),
                    content=spans.char_span(doc, *item.content),
                    sentence=spans.char_span(doc, *item.sentence),
                    direct=item.direct,
                )
            )
        return claims


def _content_children(verb: Token, attr_lo: int, attr_hi: int) -> list[Token]:
    """The dependents of cue ``verb`` that hold what is said (the attribution ``attr_lo``..``attr_hi``
    and its phrases left out)."""
    lexicon = cues.lexicon().verbs
    content_children = [
        c
        for c in verb.children
        if c.dep_ not in claim_content.NOT_CONTENT
        and not attr_lo <= c.i < attr_hi
        and not claim_content.is_attribution(verb, c)
        and not (c.dep_ == "advcl" and c.tag_ == "VBG" and c.lemma_.lower() in lexicon)  # ", saying ..."
    ]
    # "said in a statement that ...", "acknowledged on a radio show that ...": the clause the
    # parser hung inside the phrase is what is said, the phrase is not.
    hosts = {
        c: clause
        for c in verb.children
        if c.i >= attr_lo
        and (claim_content.is_attribution(verb, c) or c.dep_ == "prep")
        and (clause := claim_content.that_clause(c)) is not None
    }
    content_children += [clause for clause in hosts.values() if clause not in content_children]
    content_children = [
        c
        for c in content_children
        if c not in hosts
        or claim_content.is_strong(c)
        or hosts[c].left_edge.dep_ != "mark"  # a relative "that", not a complementizer
        or c.lower_ in cues.lexicon().content_preps.get(cues.verb_lemma(verb), ())
    ]
    return content_children


@Language.factory(
    "rashomon_claims",
    assigns=["doc._.claims"],
    requires=["doc.ents", "token.is_sent_start", "token.dep", "token.tag", "token.lemma"],
    default_config=component_defaults("rashomon_claims"),  # the [extract.claims] table of default.toml
)
def make_claims(nlp: Language, name: str, resolve_pronouns: bool, link_definite_roles: bool) -> ClaimFinder:
    """Register the claims component.

    ``resolve_pronouns``: replace "he"/"she" by the latest named person speaker before them.
    ``link_definite_roles``: replace "the official"/"the spokesman" by the latest speaker with that
    role (so that "the official said" keeps the organisation and anonymity given earlier).
    """
    return ClaimFinder(resolve_pronouns=resolve_pronouns, link_definite_roles=link_definite_roles)
