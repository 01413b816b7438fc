"""Attitudes written as adjectives: "X was concerned about ...", "she is confident that ...".

An adjective of ``patterns/cues.txt`` ("## adjective belief", "intention", "judgment") that
completes a linking verb ("be", "get", "remain", "seem", "feel", "grow"...), or a passive
participle of feeling ("were outraged by", "was disgusted by"), opens a claim when
the subject holds views (a name, a pronoun, a person's role, an institution: "the ministry is
confident", not "the road is clear") and the adjective has a complement: a phrase ("about",
"of", "over", "with", "on", "at", "by", "for", "to", "toward"), a "that" clause or an
infinitive ("eager to meet", "reluctant to endorse").  The cue is the adjective; belief and
intention adjectives are labelled as their verbs are ("belief:concerned", "intention:eager").
"""

from __future__ import annotations

from spacy.tokens import Token

from rashomon.extract.claims import cues, speakers
from rashomon.extract.claims.cues import Found
from rashomon.extract.text.segments import Segments

LINKING_VERBS = frozenset(
    {"be", "get", "become", "remain", "stay", "seem", "appear", "feel", "grow", "sound", "look"}
)
_PREPS = frozenset({"about", "of", "over", "with", "on", "at", "by", "for", "to", "toward", "towards"})
_RELATIVE = frozenset({"who", "that", "which"})


def _complement(adj: Token, verb: Token) -> tuple[int, int] | None:
    """Token range of what the attitude is about (see the module docstring)."""
    for child in list(adj.children) + [c for c in verb.children if c.i > adj.i]:
        if child.i < adj.i:
            continue
        if child.dep_ in ("prep", "agent") and child.lower_ in _PREPS:
            obj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if obj is not None and obj.ent_type_ not in ("DATE", "TIME"):  # not "on Monday"
                return obj.left_edge.i, obj.right_edge.i + 1
        if child.dep_ in ("ccomp", "xcomp", "advcl") and child.pos_ in ("VERB", "AUX"):
            first = child.left_edge
            if child.dep_ == "advcl" and first.lower_ not in ("that", "to"):
                continue
            start = first.i + 1 if first.lower_ == "that" else first.i
            return start, child.right_edge.i + 1
    return None


def adjective(adj: Token, seg: Segments) -> Found | None:
    """A claim opened by an attitude adjective, or None."""
    adjectives = cues.lexicon().adjectives
    word = adj.lower_ if adj.lower_ in adjectives else adj.lemma_.lower()  # "concerned", not "concern"
    cls = adjectives.get(word)
    if cls is None or seg.in_quote(adj.idx):
        return None
    block = seg.block_of(adj.idx)
    lo, hi = seg.token_range(block)
    if adj.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in adj.children):
        # "Republicans were outraged by ...": the participle is the attitude, its patient holds it
        verb = adj
        subject = next((c for c in adj.children if c.dep_ == "nsubjpass" and lo <= c.i < hi), None)
    else:
        verb = adj.head
        if adj.dep_ != "acomp" or verb.lemma_.lower() not in LINKING_VERBS:
            return None
        subject, passive = speakers.verb_subject(verb, lo, hi)
        if passive:
            return None
    if subject is None or subject.i > adj.i:
        return None
    doc = adj.doc
    if subject.lower_ in _RELATIVE and subject.head.dep_ == "relcl":
        antecedent = subject.head.head
        if not speakers.looks_like_speaker(antecedent) or not cues.speaker_ok(antecedent, "belief"):
            return None
        named = speakers.speaker_phrase(speakers.name_head(antecedent), lo, hi)
        span = named if subject.lower_ == "that" else (subject.i, subject.i + 1)
    else:
        counted = speakers.quantified(subject)
        if not speakers.looks_like_speaker(counted) or not cues.speaker_ok(counted, "belief"):
            return None
        span = speakers.speaker_phrase(subject, lo, hi, keep_clauses=True, stop=verb.i)
        named = speakers.speaker_phrase(subject, lo, hi)
    about = _complement(adj, verb)
    if about is None or not lo <= about[0] < about[1] <= hi:
        return None
    return cues.found_over(seg, block, cues.label(word, cls), adj, span, named, doc[about[0]], doc[about[1] - 1])
