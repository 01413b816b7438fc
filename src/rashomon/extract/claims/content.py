"""What a cue verb's claim says: the content range, and which dependents belong to the
attribution rather than to what is said.

:func:`content` takes, in this order: a quotation right after the attribution ('"A," he said,
"B."' is one content); the cue's dependents to its right that carry what is said (a clause, an
object, "as"/"for"/"of"/"about" phrases, the prepositions a verb needs); a "that" clause the
parser buried under a modifier ('conceded on a Sunday talk show that ...'); a quotation
before the attribution (with its resumption after it); the sentence before a trailing
attribution; the sentence around a parenthetical one ("The bank, he said, may ...").
"""

from __future__ import annotations

from spacy.tokens import Token

from rashomon.extract.claims import cues, speakers
from rashomon.extract.text.segments import TRIM, Segments, strip_range

_PLACES = frozenset({"GPE", "LOC", "FAC"})
NOT_CONTENT = frozenset(
    {"nsubj", "nsubjpass", "agent", "expl", "aux", "auxpass", "neg", "prt", "dep"}
) | frozenset({"punct", "cc", "conj", "mark"})
_QUESTION_VERBS = frozenset({"ask", "wonder", "question", "inquire", "enquire"})
_LEFT_CONTENT = frozenset({"ccomp", "advcl", "parataxis", "xcomp", "dobj"})


def that_clause(child: Token) -> Token | None:
    """A "that" clause the parser hung inside an attribution ("said in a statement that ...")."""
    for sub in child.subtree:
        if (
            sub.dep_ in ("acl", "ccomp", "relcl")
            and sub.left_edge.lower_ == "that"
            and sub.left_edge.i > child.i
        ):
            return sub
    return None


def buried_that_clause(verb: Token, after: int) -> Token | None:
    """The first word of a "that" clause the parser buried under a modifier of a speech cue
    ("acknowledged on NBC's show that ...", "say by a 7-point margin, 49 to 42 percent, that ...").
    """
    if cues.lexicon().verbs.get(cues.verb_lemma(verb)) != "speech":
        return None
    for tok in verb.subtree:
        if tok.idx < after or tok.lower_ != "that" or tok.dep_ not in ("mark", "dobj"):
            continue
        if tok.head.pos_ not in ("VERB", "AUX") or tok.head.i < tok.i or tok.i + 1 >= len(tok.doc):
            continue
        path = tok.head.head
        while path != verb and path.lemma_.lower() not in cues.lexicon().verbs:
            path = path.head
        if path == verb:  # not the clause of another cue (", adding that ...")
            return tok.doc[tok.i + 1]
    return None


def is_strong(child: Token) -> bool:
    """A dependent to the right of a cue that carries what is said (not a trailing modifier)."""
    if child.dep_ in ("acl", "ccomp", "relcl") and child.left_edge.lower_ == "that":
        return True
    if child.dep_ in ("ccomp", "xcomp", "dobj", "oprd", "attr", "parataxis", "dative", "acomp"):
        return True
    if child.dep_ == "advcl":  # "called for the coalition to be dismantled", "asked whether/if ..."
        opener = child.left_edge.lower_
        return opener in ("for", "that", "to", "whether") or (
            opener == "if" and child.head.lemma_.lower() in _QUESTION_VERBS
        )
    return child.dep_ == "prep" and child.lower_ in ("as", "for", "of", "about", "that")


def has_cue(child: Token) -> bool:
    """Does a dependent hold a cue verb of its own ("before noting that...", "with X saying")?"""
    verbs = cues.lexicon().verbs
    return any(t.pos_ == "VERB" and t.lemma_.lower() in verbs for t in child.subtree)


def passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def is_attribution(verb: Token, child: Token) -> bool:
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


def attribution_end(verb: Token, end: int) -> int:
    """Extend the attribution over the cue's attribution dependents that follow it."""
    for child in sorted(verb.children, key=lambda c: c.i):
        if child.i >= end - 1 and child.i <= end + 1 and is_attribution(verb, child):
            clause = that_clause(child)
            end = max(end, clause.left_edge.i if clause is not None else child.right_edge.i + 1)
    return end


def content(
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
        if first is not None and first.start >= block[0] and seg.breaks_off(first):  # '"A," he said, "B."'
            return strip_range(text, first.start, after.end, TRIM), True
        return (after.start, after.end), True
    right = [c for c in children if c.i > verb.i and c.idx >= attribution[1]]
    if passive:  # "The offensive was described by X as ...": the patient and what follows
        right += [c for c in verb.children if c.dep_ == "nsubjpass"]
    lemma = cues.verb_lemma(verb)  # "referring *to* X", "accused X *of*", "responded *to* X"
    needs = cues.lexicon().needs.get(lemma, ()) + cues.lexicon().content_preps.get(lemma, ())

    def strong(c: Token) -> bool:
        return is_strong(c) or (c.dep_ == "prep" and c.lower_ in needs)

    if right and (passive or any(strong(c) for c in right)):
        if not passive:  # what is said, without trailing modifiers ("..., before noting ...")
            strong_ones = [c for c in right if strong(c)]
            last = max(c.i for c in strong_ones)
            right = [c for c in right if c.i <= last or not has_cue(c)]
        start = max(min(c.left_edge.idx for c in right), block[0])
        end = min(max(c.right_edge.idx + len(c.right_edge) for c in right), block[1])
        return seg.content(start, end)
    before = seg.quote_before(attribution[0])
    clause = buried_that_clause(verb, attribution[1]) if before is None and not needs else None
    if clause is not None:  # 'conceded on a Sunday talk show that ...' (a misparse)
        return seg.content(clause.idx, min(verb.right_edge.idx + len(verb.right_edge), block[1]))
    if right_only:
        return None, False
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
    if verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("as", "like") for c in verb.children):
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
