"""The ``rashomon_claims`` component: who says what, in which words.

It reads the dependency parse and sets ``doc._.claims`` (a list of :class:`~rashomon.models.Claim`,
in text order).  A claim opens at

- a reporting verb (``patterns/cues.txt``: say, tell, report, describe, accuse, call...) whose
  subject looks like a speaker: "the ministry said that...", "X blasted the strikes as...",
  inverted "..., said X", passive "was described by X as", "statements carried by X called...",
  "..., saying that..." (the speaker of the main clause);
- "according to X" (the content is the rest of the sentence);
- a quotation next to such an attribution: '"...," a US official said.', 'X said: "..."' — the
  content is the quotation, across sentences when it spans several.

Reporting verbs inside a quotation open no claim of their own: the quotation is the outer
speaker's.  The content of a claim is the quotation, else the reported clause, else the rest of
the sentence beside the attribution.  ``direct`` is true when at least half of the content's
characters stand between quotation marks.

Speakers are described by :mod:`.speakers`.  "he"/"she" resolve to the latest named person who
spoke before in the article; "the official" to the latest speaker with that role; other
pronouns ("It also said") stay as written with ``kind="unresolved"``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from rashomon.extract.spans import doc_text
from rashomon.extract import spans
from rashomon.extract.components import speakers
from rashomon.extract.components.lexicon import cue_lemmas
from rashomon.extract.components.segments import Segments, strip_range
from rashomon.models import Claim, Speaker

_SKIP_DEPS = frozenset({"relcl", "pcomp", "csubj", "csubjpass", "amod", "xcomp", "compound", "pobj", "nmod"})
_NOT_CONTENT = frozenset(
    {"nsubj", "nsubjpass", "agent", "expl", "aux", "auxpass", "neg", "prt", "dep"}
) | frozenset({"punct", "cc", "conj", "mark"})
_LEFT_CONTENT = frozenset({"ccomp", "advcl", "parataxis", "xcomp", "dobj"})
# Cues that only report speech with one of these words in their content ("called X a Y" and
# "called for", "described X as Y", "accused X of Y"); a clausal complement also does.
_NEEDS_WORD = {
    "call": ("as", "for"),
    "describe": ("as",),
    "blast": ("as", "for", "over"),
    "brand": ("as",),
    "accuse": ("of",),
}
_TRIM = ",;:—–- \n\t"
_DOUBLE_MARKS = '"“”«»„'


@dataclass
class _Found:
    """A claim before its speaker is resolved (character offsets)."""

    cue: str
    cue_range: tuple[int, int]
    speaker_range: tuple[int, int]  # token range
    content: tuple[int, int]
    sentence: tuple[int, int]
    direct: bool
    anonymous_sentence: bool


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


class ClaimFinder:
    """Finds attributed statements in a parsed Doc (see the module docstring)."""

    def __init__(self, resolve_pronouns: bool = True, link_definite_roles: bool = True) -> None:
        self.resolve_pronouns = resolve_pronouns
        self.link_definite_roles = link_definite_roles

    def __call__(self, doc: Doc) -> Doc:
        doc._.claims = self.find(doc) if doc.has_annotation("DEP") else []
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """Process a stream of docs (``batch_size`` is accepted for spaCy's interface)."""
        for doc in docs:
            yield self(doc)

    # ------------------------------------------------------------------ finding

    def find(self, doc: Doc) -> list[Claim]:
        """All claims of a parsed doc, in text order."""
        seg = Segments(doc)
        cues = cue_lemmas()
        found: list[_Found] = []
        for tok in doc:
            item: _Found | None = None
            if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                item = self._according(tok, seg)
            elif tok.pos_ == "VERB" and tok.lemma_.lower() in cues and not seg.in_quote(tok.idx):
                item = self._from_cue(tok, seg)
            if item is not None and not any(
                f.content == item.content and f.speaker_range == item.speaker_range for f in found
            ):
                found.append(item)
        return self._records(doc, found)

    def _subject(self, verb: Token, lo: int, hi: int) -> tuple[Token | None, bool]:
        """The speaker token of a cue verb and whether the verb is passive."""
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        for child in verb.children:
            if passive and child.dep_ == "agent":
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj, True
        subjects = [c for c in verb.children if c.dep_ == "nsubj" and lo <= c.i < hi]
        # Two subjects are a parser slip ("The coalition killed ..., a US official said"): the
        # nearer one is the speaker.
        subject = min(subjects, key=lambda c: abs(c.i - verb.i)) if subjects else None
        if subject is None and verb.dep_ == "conj" and verb.head.pos_ == "VERB":
            subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
        if subject is None and verb.dep_ == "advcl" and verb.tag_ == "VBG":
            subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
        if subject is None and verb.dep_ == "acl" and verb.tag_ == "VBG":
            subject = verb.head
        if subject is not None and not lo <= subject.i < hi:
            subject = None
        return subject, passive

    def _from_cue(self, verb: Token, seg: Segments) -> _Found | None:
        doc = verb.doc
        if verb.dep_ in _SKIP_DEPS or (verb.dep_ == "acl" and verb.tag_ != "VBG"):
            return None
        block = seg.block_of(verb.idx)
        lo, hi = seg.token_range(block)
        subject, passive = self._subject(verb, lo, hi)
        if passive and (subject is None or subject.dep_ != "pobj"):
            return None  # "the shooting was reported": no one is named as the source
        attribution_start: int | None = None
        if subject is None:
            phrase = speakers.left_phrase(doc, verb.i, lo)
            if phrase is None:
                return None
            speaker_range = phrase
        else:
            if not speakers.looks_like_speaker(subject):
                return None
            head = subject
            if speakers.is_statement(subject):
                attribution_start = subject.left_edge.i
                head = speakers.statement_source(subject) or subject
            speaker_range = speakers.speaker_phrase(head, lo, hi)
        if speaker_range[0] > lo and doc[speaker_range[0] - 1].lower_ in ("what", "which"):
            return None  # "struck what it said was a depot": a qualification, not a claim
        attr_lo = min(
            speaker_range[0], verb.i, attribution_start if attribution_start is not None else len(doc)
        )
        attr_hi = self._attribution_end(verb, max(speaker_range[1], verb.i + 1))
        cues = cue_lemmas()
        content_children = [
            c
            for c in verb.children
            if c.dep_ not in _NOT_CONTENT
            and not attr_lo <= c.i < attr_hi
            and not self._is_attribution(verb, c)
            and not (c.dep_ == "advcl" and c.lemma_.lower() in cues)  # ", saying ...": a claim of its own
        ]
        content_children += [
            clause
            for c in verb.children
            if c.i >= attr_lo and self._is_attribution(verb, c) and (clause := _that_clause(c)) is not None
        ]
        attr_start_char, attr_end_char = doc[attr_lo].idx, doc[attr_hi - 1].idx + len(doc[attr_hi - 1])
        content, direct = self._content(
            verb, seg, block, content_children, passive, (attr_start_char, attr_end_char)
        )
        if content is None:
            return None
        needs = _NEEDS_WORD.get(verb.lemma_.lower())
        if needs and not direct and not self._has_word(content_children, needs):
            return None
        sentence = (
            min(block[0], seg.block_of(content[0])[0], doc[speaker_range[0]].idx),
            max(block[1], seg.block_of(max(content[1] - 1, 0))[1]),
        )
        return _Found(
            cue=verb.lemma_.lower(),
            cue_range=(verb.idx, verb.idx + len(verb)),
            speaker_range=speaker_range,
            content=content,
            sentence=sentence,
            direct=direct,
            anonymous_sentence=speakers.is_anonymity_marked(doc_text(doc)[block[0] : block[1]]),
        )

    @staticmethod
    def _is_attribution(verb: Token, child: Token) -> bool:
        """Is this dependent of a cue part of the attribution ("in a statement", "on Thursday")?"""
        if child.dep_ in ("advmod", "npadvmod"):
            return child.i > verb.i and not any(t.pos_ == "VERB" for t in child.subtree)
        if child.dep_ in ("dobj", "dative", "iobj") and verb.lemma_.lower() == "tell":
            return True
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
        return False

    def _attribution_end(self, verb: Token, end: int) -> int:
        """Extend the attribution over the cue's attribution dependents that follow it."""
        for child in sorted(verb.children, key=lambda c: c.i):
            if child.i >= end - 1 and child.i <= end + 1 and self._is_attribution(verb, child):
                clause = _that_clause(child)
                end = max(end, clause.left_edge.i if clause is not None else child.right_edge.i + 1)
        return end

    @staticmethod
    def _has_word(children: list[Token], words: tuple[str, ...]) -> bool:
        if any(c.dep_ in ("oprd", "ccomp", "xcomp") for c in children):
            return True
        return any(t.lower_ in words for c in children for t in c.subtree)

    def _content(
        self,
        verb: Token,
        seg: Segments,
        block: tuple[int, int],
        children: list[Token],
        passive: bool,
        attribution: tuple[int, int],
    ) -> tuple[tuple[int, int] | None, bool]:
        """The content range of a cue's claim and whether it is direct speech."""
        text = seg.text
        after = seg.quote_after(attribution[1])
        if after is not None:
            return (after.start, after.end), True
        right = [c for c in children if c.i > verb.i and c.idx >= attribution[1]]
        if passive:  # "The offensive was described by X as ...": the patient and what follows
            right += [c for c in verb.children if c.dep_ == "nsubjpass"]
        if right and (passive or any(_is_strong(c) for c in right)):
            start = max(min(c.left_edge.idx for c in right), block[0])
            end = min(max(c.right_edge.idx + len(c.right_edge) for c in right), block[1])
            return self._finish(seg, start, end)
        before = seg.quote_before(attribution[0])
        left = [c for c in children if c.i < verb.i and c.dep_ in _LEFT_CONTENT]
        if before is not None:
            return self._finish(seg, min(block[0], before.outer_start), attribution[0])
        if left:  # a trailing attribution: the sentence before it is the content
            return self._finish(seg, block[0], min(attribution[0], block[1]))
        lead = strip_range(text, block[0], attribution[0])
        if lead[1] > lead[0] and text[lead[1] - 1] == "," and len(text[lead[0] : lead[1]].split()) >= 3:
            return self._finish(seg, lead[0], lead[1])  # "..., a US official said"
        return None, False

    @staticmethod
    def _finish(seg: Segments, start: int, end: int) -> tuple[tuple[int, int] | None, bool]:
        """Trim a content range; unwrap it when it is one quotation; tell direct from reported."""
        text = seg.text
        start, end = strip_range(text, start, end, _TRIM)
        if re.match(r"that\b", text[start:end]):
            start, end = strip_range(text, start + 4, end, _TRIM)
        if end - start < 2:
            return None, False
        if sum(text[start:end].count(mark) for mark in _DOUBLE_MARKS) % 2:
            # The parse leaves a quotation mark outside: take it in so the content is balanced.
            if end < len(text) and text[end] in _DOUBLE_MARKS:
                end += 1
            elif start > 0 and text[start - 1] in _DOUBLE_MARKS:
                start -= 1
        for quote in seg.quotes:
            outer = strip_range(seg.text, quote.outer_start, quote.outer_end, _TRIM)
            inner_end = strip_range(seg.text, quote.start, quote.end, _TRIM)[1]
            if start == outer[0] and end in (outer[1], inner_end, quote.end, quote.outer_end):
                return strip_range(seg.text, quote.start, quote.end, _TRIM), True
        return (start, end), seg.quoted_share(start, end) >= 0.5

    def _according(self, tok: Token, seg: Segments) -> _Found | None:
        """ "according to X": X is the speaker, the rest of the sentence is the content."""
        doc = tok.doc
        to = doc[tok.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            pobj = next((t for t in doc[to.i + 1 : to.i + 8] if t.pos_ in ("NOUN", "PROPN")), None)
        if pobj is None:
            return None
        block = seg.block_of(tok.idx)
        lo, hi = seg.token_range(block)
        head = (speakers.statement_source(pobj) or pobj) if speakers.is_statement(pobj) else pobj
        speaker_range = speakers.speaker_phrase(head, lo, hi)
        last = doc[max(tok.right_edge.i, speaker_range[1] - 1)]
        attr = (tok.idx, last.idx + len(last))
        left = strip_range(seg.text, block[0], attr[0], _TRIM)
        right = strip_range(seg.text, attr[1], block[1], _TRIM)
        content = left if left[1] - left[0] >= right[1] - right[0] else right
        if content[1] - content[0] < 2:
            return None
        return _Found(
            cue="according to",
            cue_range=(tok.idx, to.idx + len(to)),
            speaker_range=speaker_range,
            content=content,
            sentence=block,
            direct=seg.quoted_share(*content) >= 0.5,
            anonymous_sentence=speakers.is_anonymity_marked(seg.text[block[0] : block[1]]),
        )

    # ------------------------------------------------------------------ records

    def _resolve(self, doc: Doc, item: _Found, speaker: Speaker, history: list[Speaker]) -> Speaker:
        """Replace "he"/"she" and "the official" by the speaker they refer back to."""
        if self.resolve_pronouns and speakers.is_personal_pronoun(speaker):
            for earlier in reversed(history):
                if earlier.kind == "person" and not earlier.anonymous:
                    return earlier.model_copy(
                        update={"anonymous": earlier.anonymous or item.anonymous_sentence}
                    )
        role = speakers.is_definite_role(doc, *item.speaker_range) if self.link_definite_roles else None
        if role is not None:
            for earlier in reversed(history):
                if earlier.role == role:
                    return earlier.model_copy(
                        update={"anonymous": earlier.anonymous or item.anonymous_sentence}
                    )
        return speaker

    def _records(self, doc: Doc, found: list[_Found]) -> list[Claim]:
        claims: list[Claim] = []
        history: list[Speaker] = []
        for item in sorted(found, key=lambda f: f.cue_range[0]):
            start_tok, end_tok = item.speaker_range
            speaker = speakers.describe(doc, start_tok, end_tok, anonymous_sentence=item.anonymous_sentence)
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
