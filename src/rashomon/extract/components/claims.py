"""The ``rashomon_claims`` component: who says (believes, intends) what, in which words.

It reads the dependency parse and sets ``doc._.claims`` (:class:`~rashomon.models.Claim` list, in
text order).  A claim opens at a cue verb (:mod:`.cues`: say, argue, show, praise, believe...)
whose subject looks like a speaker ("the ministry said that...", "..., said X", "was described
by X as", "X, who said..." with "who" as the speaker written, the subject of the clause that
"..., saying", "before noting" or "went on to praise" hangs on); at "according to X"; at a cue
noun, a colon after a name, a misread headline or "..., records show." (:mod:`.cues`).  Belief
and intention cues are stored as ``"belief:think"``, ``"intention:plan"``.

The content is the quotation next to the attribution (across sentences when it spans several;
'"A," she said. "B."' is one content from A to B), else the reported clause, else the sentence
beside the attribution; ``direct`` when at least half of it stands between quotation marks.  Cue
words inside a quotation open no claim, nor does a cue inside another claim's content ("the
ministry said the rebels claimed the town" is the ministry's claim).

The speaker span is the speaker as written, with relative clauses and restrictive participles
("Julie Miller, who worked at the bank"); the Speaker is described from the naming phrase
(:mod:`.speakers`).  "he"/"she" resolve to the latest named person who spoke before; "the
official" to the latest speaker with that role; other pronouns stay as written (``unresolved``).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Token

from rashomon.extract import spans
from rashomon.extract.components import cues, speakers
from rashomon.extract.components.cues import Found
from rashomon.extract.components.segments import TRIM, Segments, strip_range
from rashomon.models import Claim, Speaker

_SKIP_DEPS = frozenset({"csubj", "csubjpass", "amod", "compound", "pobj", "nmod"})
_RELATIVE = frozenset({"who", "which", "that"})
_PLACES = frozenset({"GPE", "LOC", "FAC"})
_CONTRAST = frozenset({"while", "whereas", "but", "although", "though", "yet"})
_NOT_CONTENT = frozenset(
    {"nsubj", "nsubjpass", "agent", "expl", "aux", "auxpass", "neg", "prt", "dep"}
) | frozenset({"punct", "cc", "conj", "mark"})
_LEFT_CONTENT = frozenset({"ccomp", "advcl", "parataxis", "xcomp", "dobj"})


def _that_clause(child: Token) -> Token | None:
    """A "that" clause the parser hung inside an attribution ("said in a statement that ...")."""
    for sub in child.subtree:
        if (
            sub.dep_ in ("acl", "ccomp", "relcl")
            and sub.left_edge.lower_ == "that"
            and sub.left_edge.i > child.i
        ):
            return sub
    return None


def _is_strong(child: Token) -> bool:
    """A dependent to the right of a cue that carries what is said (not a trailing modifier)."""
    if child.dep_ in ("acl", "ccomp", "relcl") and child.left_edge.lower_ == "that":
        return True
    if child.dep_ in ("ccomp", "xcomp", "dobj", "oprd", "attr", "parataxis", "dative", "acomp"):
        return True
    if child.dep_ == "advcl":  # "called for the coalition to be dismantled"
        return child.left_edge.lower_ in ("for", "that", "to")
    return child.dep_ == "prep" and child.lower_ in ("as", "for", "of", "about", "that")


def _next_to(verb: Token, subject: Token | None) -> bool:
    """Is the speaker part of the cue's own attribution (its subject, agent or the noun it
    modifies), rather than the subject of another clause?"""
    if subject is None or subject.head == verb or subject == verb.head:
        return True
    return subject.head.dep_ == "agent" and subject.head.head == verb


def _has_cue(child: Token) -> bool:
    """Does a dependent hold a cue verb of its own ("before noting that...", "with X saying")?"""
    verbs = cues.lexicon().verbs
    return any(t.pos_ == "VERB" and t.lemma_.lower() in verbs for t in child.subtree)


def _parallel(verb: Token) -> bool:
    """Is the cue's clause set against another ("..., while X calls it ...", "but X said")?"""
    if verb.dep_ not in ("advcl", "conj"):
        return False
    return any(c.dep_ in ("mark", "cc") and c.lower_ in _CONTRAST for c in verb.children)


def _outermost(found: list[Found]) -> list[Found]:
    """Drop the claims whose cue stands inside another claim's content.

    "The ministry said the rebels claimed the town": what the rebels claimed is part of what the
    ministry says (as a cue inside a quotation opens no claim).  When two claims hold each
    other's cue, both stay.
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
                item = self._according(tok, seg)
            elif tok.pos_ == "VERB":
                cls = lexicon.verbs.get(cues.verb_lemma(tok))
                if cls is not None and not seg.in_quote(tok.idx):
                    item = self._from_cue(tok, seg, cls)
            elif tok.pos_ in ("NOUN", "PROPN") and not seg.in_quote(tok.idx):
                cls = lexicon.verbs.get(tok.lemma_.lower())
                if cls is not None and any(c.dep_ == "nsubj" for c in tok.children):
                    item = self._from_cue(tok, seg, cls)  # "Documents ... show that": a verb tagged a noun
                if item is None:
                    item = cues.trailing(tok, seg)  # "..., FEC records show." with "show" tagged a noun
                if item is None and tok.lemma_.lower() in lexicon.nouns:
                    item = cues.nominal(tok, seg)
            elif tok.text == ":":
                item = cues.colon(tok, seg)
            if item is not None and (item.content, item.speaker_range) not in seen:
                seen.add((item.content, item.speaker_range))
                found.append(item)
        for item in cues.headlines(seg):
            if not any(f.cue_range == item.cue_range for f in found):
                found.append(item)
        return self._records(doc, _outermost(found))

    def _speaker(self, verb: Token, lo: int, hi: int, cls: str) -> _Who | None:
        """The speaker of a cue verb, or None when it has none (or is passive without an agent)."""
        doc = verb.doc
        rel = next((c for c in verb.children if c.dep_ == "nsubj" and c.lower_ in _RELATIVE), None)
        if verb.dep_ == "relcl" and rel is not None:  # "X, who said ...": the speaker as written is "who"
            if not speakers.looks_like_speaker(verb.head):
                return None
            named = speakers.speaker_phrase(speakers.name_head(verb.head), lo, hi)
            if rel.lower_ == "that":  # "a group that supports ...": "that" is no name of its own
                return _Who(named, named, None, verb.head)
            return _Who((rel.i, rel.i + 1), named, None, verb.head)
        subject, passive = speakers.verb_subject(verb, lo, hi)
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

    def _from_cue(self, verb: Token, seg: Segments, cls: str) -> Found | None:
        doc = verb.doc
        lemma = cues.verb_lemma(verb)
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
        who = self._speaker(verb, lo, hi, cls)
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
            attr_hi = self._attribution_end(verb, max(speaker_range[1], verb.i + 1))
        else:  # the subject of another clause ("Insisting it was not rehearsed, Trump invited ...")
            attr_lo, attr_hi = verb.i, self._attribution_end(verb, verb.i + 1)
        lexicon = cues.lexicon().verbs
        content_children = [
            c
            for c in verb.children
            if c.dep_ not in _NOT_CONTENT
            and not attr_lo <= c.i < attr_hi
            and not self._is_attribution(verb, c)
            and not (c.dep_ == "advcl" and c.lemma_.lower() in lexicon)  # ", saying ...": a claim of its own
        ]
        content_children += [
            clause
            for c in verb.children
            if c.i >= attr_lo
            and (self._is_attribution(verb, c) or c.dep_ == "prep")
            and (clause := _that_clause(c)) is not None
            and clause not in content_children
        ]
        attr_start_char, attr_end_char = doc[attr_lo].idx, doc[attr_hi - 1].idx + len(doc[attr_hi - 1])
        content, direct = self._content(
            verb,
            seg,
            block,
            content_children,
            verb.dep_ != "relcl" and self._passive(verb),
            (attr_start_char, attr_end_char),
            right_only=not _next_to(verb, subject),
        )
        if content is None:
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

    @staticmethod
    def _passive(verb: Token) -> bool:
        return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)

    @staticmethod
    def _is_attribution(verb: Token, child: Token) -> bool:
        """Is this dependent of a cue part of the attribution ("in a statement", "on Thursday")?"""
        if child.dep_ in ("advmod", "npadvmod"):
            return child.i > verb.i and not any(t.pos_ == "VERB" for t in child.subtree)
        if child.dep_ in ("dobj", "dative", "iobj") and verb.lemma_.lower() == "tell":
            return child.dep_ != "dobj" or speakers.is_addressee(child)  # not "told the story"
        if child.dep_ == "prep":
            if child.lower_ == "to" and verb.lemma_.lower() in (
                "say",
                "tell",
                "report",
                "confirm",
                "announce",
            ):
                return True
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and (
                pobj.lemma_.lower() in speakers.attribution_objects() or pobj.ent_type_ in ("DATE", "TIME")
            ):
                return True
            if (
                pobj is not None
                and child.lower_ in ("in", "at")
                and pobj.ent_type_ in _PLACES
                and child.i > verb.i
            ):
                return True  # where it was said: "said in Naples, Fla."
        return False

    def _attribution_end(self, verb: Token, end: int) -> int:
        """Extend the attribution over the cue's attribution dependents that follow it."""
        for child in sorted(verb.children, key=lambda c: c.i):
            if child.i >= end - 1 and child.i <= end + 1 and self._is_attribution(verb, child):
                clause = _that_clause(child)
                end = max(end, clause.left_edge.i if clause is not None else child.right_edge.i + 1)
        return end

    def _content(
        self,
        verb: Token,
        seg: Segments,
        block: tuple[int, int],
        children: list[Token],
        passive: bool,
        attribution: tuple[int, int],
        right_only: bool = False,
    ) -> tuple[tuple[int, int] | None, bool]:
        """The content range of a cue's claim and whether it is direct speech.

        ``right_only``: the cue borrows its speaker from another clause ('"...," he said,
        referring to X'); what stands before it is that clause's, not the cue's.
        """
        text = seg.text
        after = seg.quote_after(attribution[1])
        if after is not None:
            first = seg.quote_before(attribution[0])
            if (
                first is not None and first.start >= block[0] and seg.breaks_off(first)
            ):  # '"A," he said, "B."'
                return strip_range(text, first.start, after.end, TRIM), True
            return (after.start, after.end), True
        right = [c for c in children if c.i > verb.i and c.idx >= attribution[1]]
        if passive:  # "The offensive was described by X as ...": the patient and what follows
            right += [c for c in verb.children if c.dep_ == "nsubjpass"]
        lemma = cues.verb_lemma(verb)  # "referring *to* X", "accused X *of*", "responded *to* X"
        needs = cues.lexicon().needs.get(lemma, ()) + cues.lexicon().content_preps.get(lemma, ())

        def strong(c: Token) -> bool:
            return _is_strong(c) or (c.dep_ == "prep" and c.lower_ in needs)

        if right and (passive or any(strong(c) for c in right)):
            if not passive:  # what is said, without trailing modifiers ("..., before noting ...")
                strong_ones = [c for c in right if strong(c)]
                last = max(c.i for c in strong_ones)
                right = [c for c in right if c.i <= last or not _has_cue(c)]
            start = max(min(c.left_edge.idx for c in right), block[0])
            end = min(max(c.right_edge.idx + len(c.right_edge) for c in right), block[1])
            return seg.content(start, end)
        if right_only:
            return None, False
        before = seg.quote_before(attribution[0])
        left = [c for c in children if c.i < verb.i and c.dep_ in _LEFT_CONTENT]
        if before is not None:
            content, direct = seg.content(min(block[0], before.outer_start), attribution[0])
            rest = seg.resumed_quote(before, attribution[1], block[1])
            if content is not None and direct and rest is not None:
                return strip_range(text, content[0], rest.end, TRIM), True  # '"A," he said. "B."'
            return content, direct
        if left:  # a trailing attribution: the sentence before it is the content
            return seg.content(block[0], min(attribution[0], block[1]))
        lead = strip_range(text, block[0], attribution[0])
        tail = strip_range(text, attribution[1], block[1])
        if verb.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in ("as", "like") for c in verb.children
        ):
            # "As Politico reported, the PAC will ...", "..., as her supporters noted."
            lead = strip_range(text, block[0], min(attribution[0], verb.left_edge.idx))
            side = lead if lead[1] - lead[0] >= tail[1] - tail[0] else tail
            return seg.content(*side)
        after_comma = lead[1] > lead[0] and text[lead[1] - 1] == ","
        if after_comma and text[tail[0] : tail[0] + 1] == "," and len(text[tail[0] : tail[1]].split()) >= 3:
            return seg.content(block[0], block[1])  # "The bank, he said, may be ..."
        if after_comma and len(text[lead[0] : lead[1]].split()) >= 3:
            return seg.content(lead[0], lead[1])  # "..., a US official said"
        return None, False

    def _according(self, tok: Token, seg: Segments) -> Found | None:
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

    # ------------------------------------------------------------------ records

    def _resolve(self, doc: Doc, item: Found, speaker: Speaker, history: list[Speaker]) -> Speaker:
        """Replace "he"/"she" and "the official" by the speaker they refer back to."""
        if self.resolve_pronouns and speakers.is_personal_pronoun(speaker):
            for earlier in reversed(history):
                if earlier.kind == "person" and not earlier.anonymous:
                    return earlier.model_copy(
                        update={"anonymous": earlier.anonymous or item.anonymous_sentence}
                    )
        role = speakers.is_definite_role(doc, *item.describe_range) if self.link_definite_roles else None
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
            speaker = speakers.describe(doc, *item.describe_range, anonymous_sentence=item.anonymous_sentence)
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


@Language.factory(
    "rashomon_claims",
    assigns=["doc._.claims"],
    default_config={"resolve_pronouns": True, "link_definite_roles": True},
)
def make_claims(nlp: Language, name: str, resolve_pronouns: bool, link_definite_roles: bool) -> ClaimFinder:
    """Register the claims component.

    ``resolve_pronouns``: replace "he"/"she" by the latest named person speaker before them.
    ``link_definite_roles``: replace "the official"/"the spokesman" by the latest speaker with that
    role (so that "the official said" keeps the organisation and anonymity given earlier).
    """
    return ClaimFinder(resolve_pronouns=resolve_pronouns, link_definite_roles=link_definite_roles)
