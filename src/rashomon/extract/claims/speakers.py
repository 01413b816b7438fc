"""Speakers: the noun phrase that says something.

:func:`verb_subject` finds the subject of a cue verb, also where the parser hangs it elsewhere
(conjoined verbs, "..., saying", "before noting", "went on to express", "issued a statement
saying", the object of "prompted X to condemn", "are quick to note", "when asked by X").
:func:`speaker_phrase` expands a subject token to the phrase naming the speaker (with its
appositions: "Maj. Ida Brand, a spokeswoman for the joint task force"); the phrase *as
written* keeps its relative clauses and restrictive participles ("Julie Miller, who worked at
the bank", "emails released by WikiLeaks", "a teller who spoke on condition of anonymity"), the
phrase that *names* the speaker drops them.  :func:`owner_phrase` gives the owner of "Trump's
claim".  :func:`looks_like_speaker`, :func:`holds_views` and :func:`known_name` judge a subject
("Pence demands ...": a surname the tagger read as a common noun is known from the article's
entities).  :mod:`.speaker_description` turns the naming phrase into a
:class:`~rashomon.models.Speaker`.
"""

from __future__ import annotations

import weakref

from spacy.tokens import Doc, Token

from rashomon.extract.text.lexicon import anonymity_markers, cue_lemmas, speaker_words
from rashomon.extract.text.spans import doc_text

# Dependents that are not part of the speaker's name.
_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp"})
_QUANTIFIERS = frozenset(
    {"many", "some", "most", "all", "few", "several", "none", "half", "majority", "minority", "percent"}
    | {"number", "third", "quarter", "each", "both", "one", "two", "three", "dozens", "hundreds"}
)
_POSSESSIVES = frozenset({"his", "her", "their", "its", "our", "my"})
_TRAILING_ADVERBS = frozenset({"already", "also", "too", "again", "then", "now", "later", "still", "however"})
NAME_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_TIME_NOUNS = frozenset({"past", "future", "meantime", "interim", "weekend", "morning", "evening", "night"})
_PRON_BLOCKLIST = frozenset({"that", "which", "what", "who", "this", "these", "those", "there", "you"})


def attribution_objects() -> frozenset[str]:
    """Objects of prepositions that belong to an attribution ("said *in a statement*")."""
    return speaker_words().attribution_objects


# Capitalised words inside the name entities of each doc (see known_name), while the doc lives.
_ENTITY_WORDS: weakref.WeakKeyDictionary[Doc, dict[str, set[int]]] = weakref.WeakKeyDictionary()


def known_name(tok: Token) -> bool:
    """Is ``tok`` a capitalised word the article uses elsewhere inside a name?

    The small tagger often reads a surname that opens a sentence or a headline as a common noun
    ("Pence demands ...", "Trump accused ..."); the same word tagged as part of a person,
    organisation or place entity elsewhere in the article shows it is a name.
    """
    if not tok.text[:1].isupper() or len(tok.text) < 2:
        return False
    doc = tok.doc
    names = _ENTITY_WORDS.get(doc)
    if names is None:
        names = {}
        for ent in doc.ents:
            if ent.label_ in NAME_ENTITIES:
                for t in ent:
                    if t.text[:1].isupper():
                        names.setdefault(t.text, set()).add(t.i)
        _ENTITY_WORDS[doc] = names
    return bool(names.get(tok.text, set()) - {tok.i})  # another mention, not the word itself


def is_anonymity_marked(sentence: str) -> bool:
    """True when the sentence says its source is not named."""
    lowered = " ".join(sentence.lower().split())
    return any(marker in lowered for marker in anonymity_markers())


def looks_like_speaker(tok: Token) -> bool:
    """Can this token head the phrase of someone who says something?"""
    words = speaker_words()
    lower, lemma = tok.lower_, tok.lemma_.lower()
    if tok.pos_ in ("PRON", "DET", "NUM") and lower in words.pronouns:
        return True  # "he said", "one said", "another said"
    if lower in ("those", "anyone", "someone", "everyone") and any(c.dep_ == "relcl" for c in tok.children):
        return True  # "those who said", "anyone who believes"
    if tok.pos_ == "PRON":
        return False
    if lower in _PRON_BLOCKLIST:
        return False
    if tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or known_name(tok):
        return True
    if tok.pos_ == "NOUN" and lemma not in words.not_speakers and lower not in words.not_speakers:
        return True  # "rebels said", "the statement said"; not "the attack claimed"
    nouns = (
        words.roles
        | words.media_nouns
        | words.government_nouns
        | words.organisation_nouns
        | words.statement_nouns
    )
    return lemma in nouns or lower in nouns


def quantified(tok: Token) -> Token:
    """The noun a quantifier subject counts ("many of her advisers", "77 percent of
    Republicans" -> the advisers, Republicans), else the token itself."""
    if tok.pos_ == "NUM" or tok.lower_ in _QUANTIFIERS or tok.lemma_.lower() in _QUANTIFIERS:
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
    return tok


def is_addressee(tok: Token) -> bool:
    """Can this object of "tell" be whom something is told ("told reporters", not "told the
    story")?"""
    if tok.pos_ in ("PRON", "PROPN") or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    words = speaker_words()
    nouns = words.roles | words.media_nouns | words.government_nouns | words.organisation_nouns
    return tok.lemma_.lower() in nouns


def looks_like_owner(tok: Token) -> bool:
    """Can this possessive own what is said ("Trump's claim", "his comments")?"""
    return tok.lower_ in _POSSESSIVES or looks_like_speaker(tok)


def is_statement(tok: Token) -> bool:
    """A document rather than a speaker ("statements carried by X", "a statement from X")."""
    return tok.lemma_.lower() in speaker_words().statement_nouns


def statement_source(tok: Token) -> Token | None:
    """The author of a statement noun: the object of "by"/"from"/"of" inside its phrase."""
    for sub in tok.subtree:
        if sub.lower_ in ("by", "from", "of") and sub.i > tok.i:
            for child in sub.children:
                if child.dep_ == "pobj" and looks_like_speaker(child):
                    return child
    return None


def _is_when(tok: Token) -> bool:
    """A time modifier the parser hung on a noun ("Trump *on Friday* said", "the letters *Monday*")."""
    if tok.dep_ == "npadvmod" and tok.ent_type_ in ("DATE", "TIME"):
        return True
    if tok.dep_ == "prep" and tok.lower_ in ("on", "in", "at", "during"):
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        return pobj is not None and (pobj.ent_type_ in ("DATE", "TIME") or pobj.lower_ in _TIME_NOUNS)
    return False


def name_head(tok: Token) -> Token:
    """The head of the whole name a proper noun ends ("Rights" -> "Observatory" in "the Syrian
    Observatory for Human Rights"), for a relative clause hung on the name's last word."""
    while (
        tok.pos_ == "PROPN"
        and tok.dep_ == "pobj"
        and tok.head.dep_ == "prep"
        and tok.head.lower_ in ("of", "for")
        and tok.head.head.pos_ == "PROPN"
    ):
        tok = tok.head.head
    return tok


def _kept_clause(clause: Token, stop: int | None) -> bool:
    """Does a clause modifying the speaker belong to the speaker as written?

    Relative clauses do ("Julie Miller, who worked at the bank"), and so do participles that
    restrict the noun ("emails released by WikiLeaks"), not those set off by a comma ("the first
    ad, launched Wednesday") nor adverbial clauses; never the clause that holds the cue or a cue
    of its own ("Jane Roe, who said ...").
    """
    if stop is not None and clause.left_edge.i <= stop <= clause.right_edge.i:
        return False
    doc = clause.doc
    if is_anonymity_marked(
        doc_text(doc)[clause.left_edge.idx : clause.right_edge.idx + len(clause.right_edge)]
    ):
        return True  # "a teller, who spoke on condition of anonymity because ...": part of who speaks
    if clause.lemma_.lower() in cue_lemmas() and not (clause.dep_ == "acl" and clause.tag_ == "VBN"):
        return False  # "McClendon, who said ...": a claim of its own ("a poll published Sunday" is not)
    if clause.dep_ == "relcl":
        return True
    if clause.dep_ != "acl":
        return False
    before = clause.left_edge.i - 1
    return before < 0 or clause.doc[before].text != ","


def _comma_after_anonymity(clause: Token) -> int | None:
    """The first comma of a relative clause after its anonymity phrase, else None."""
    doc = clause.doc
    text = doc_text(doc)
    for tok in doc[clause.i : clause.right_edge.i + 1]:
        if tok.text == "," and is_anonymity_marked(text[clause.left_edge.idx : tok.idx]):
            return tok.i
    return None


def _loose_conjunct(clause: Token) -> int | None:
    """Where a verb joined to a relative clause by a bare comma starts (no "and": the parser has
    hung the sentence's own verb on the clause), else None."""
    for child in clause.children:
        if child.dep_ == "conj" and child.pos_ == "VERB" and child.i > clause.i:
            before = clause.doc[child.left_edge.i - 1]
            between = clause.doc[clause.i : child.left_edge.i]
            if before.text == "," and not any(t.dep_ == "cc" for t in between):
                return child.left_edge.i - 1
    return None


def speaker_phrase(
    head: Token, lo: int, hi: int, *, keep_clauses: bool = False, stop: int | None = None
) -> tuple[int, int]:
    """Token range ``[start, end)`` of the phrase headed by ``head``, kept within ``lo:hi`` (tokens).

    Appositions and prepositional modifiers stay, time modifiers go.  Relative and other clauses
    are cut unless ``keep_clauses`` (then only a clause holding token ``stop``, the cue, is cut).
    Punctuation and conjunctions at the edges are cut.
    """
    doc = head.doc
    start, end = head.left_edge.i, head.right_edge.i + 1
    kept_until = -1  # the last token of a clause kept whole
    for sub in head.subtree:
        if sub.i <= head.i or sub.i <= kept_until:
            continue
        clause = sub.dep_ in _CLAUSE_DEPS and (sub.dep_ != "acl" or sub.head == head)
        if clause and keep_clauses and _kept_clause(sub, stop):
            kept_until = sub.right_edge.i
            loose = _loose_conjunct(sub)
            if loose is not None:  # "aides, who said ..., went on" with the comma as the only joint
                end = min(end, loose)
            comma = _comma_after_anonymity(sub)
            if comma is not None:  # "aides, who spoke on condition of anonymity, traded emails"
                end = min(end, comma)
            continue
        if clause or (sub.head == head and _is_when(sub)):
            end = min(end, sub.left_edge.i)
    if stop is not None and start <= stop < end:
        end = stop if stop > head.i else end
    start, end = max(start, lo), min(end, hi)
    for tok in doc[start : head.i]:
        # A separator left over from a page ("2 injured | abc11.com..."), markup, a dateline ("MOSCOW -").
        if (
            "|" in tok.text
            or "\n" in tok.text
            or ">" in tok.text  # markup left in the text ('<tweet id="...">Hillary')
            or (tok.text in "-–—" and tok.i > start and doc[tok.i - 1].is_upper)
        ):
            start = tok.i + 1
    while end > start + 1 and (
        doc[end - 1].is_punct
        or doc[end - 1].is_space
        or doc[end - 1].dep_ == "cc"
        or doc[end - 1].lower_ in _TRAILING_ADVERBS
    ):
        if doc[end - 1].text in ")]" and any(t.text in "([" for t in doc[start : end - 1]):
            break
        end -= 1
    while start < end - 1 and (doc[start].is_punct or doc[start].is_space):
        start += 1
    return start, end


def owner_phrase(owner: Token, lo: int, hi: int) -> tuple[int, int]:
    """The phrase of a possessive ("Trump's" -> "Trump", "his"), without the "'s"."""
    start, end = speaker_phrase(owner, lo, hi)
    while end - 1 > start and owner.doc[end - 1].dep_ == "case":
        end -= 1
    return start, end


_LIGHT_HEADS = frozenset({"VERB", "AUX"})


def _nsubj(verb: Token, lo: int, hi: int) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ == "nsubj" and lo <= c.i < hi]
    # Two subjects are a parser slip ("The coalition killed ..., a US official said"): the nearer
    # one is the speaker.
    return min(subjects, key=lambda c: abs(c.i - verb.i)) if subjects else None


def _controller(xcomp: Token, lo: int, hi: int) -> Token | None:
    """The object that is the subject of an infinitive ("prompting Republicans *to rebuke*")."""
    obj = next((c for c in xcomp.head.children if c.dep_ == "dobj" and c.i < xcomp.i), None)
    if obj is None or not lo <= obj.i < hi or obj.pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    # "prompting many Republicans to rebuke", not "using an expletive to describe"
    return obj if obj.pos_ != "NOUN" or holds_views(quantified(obj)) else None


def _reported_clause_owner(participle: Token, up: Token) -> Token:
    """The verb whose subject speaks a trailing cue participle.

    "Tapper told X that the news was troubling, before noting that ...": the parser hangs
    "noting" on the reported clause ("was"), whose subject ("the news") says nothing; the
    speaker is the one who told.  When the clause a cue participle hangs on is itself reported
    by a cue verb (its complement), that cue verb's clause is the one to read.
    """
    verbs = cue_lemmas()
    if up.dep_ in ("ccomp", "conj") and participle.i > up.i:
        top = up
        while top.dep_ == "conj" and top.head.i < top.i:
            top = top.head
        subject = next((c for c in up.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if (
            top.dep_ == "ccomp"
            and top.head.lemma_.lower() in verbs
            and top.head.pos_ == "VERB"
            and (subject is None or not holds_views(subject))
        ):
            return top.head
    return up


def holds_views(tok: Token) -> bool:
    """Can ``tok`` name someone who holds views: a name, a personal pronoun, a person's role or
    an institution (not "the news", "the email")?"""
    if tok.pos_ == "PROPN" or tok.ent_type_ in NAME_ENTITIES:
        return True
    if tok.pos_ == "PRON":
        return tok.lower_ in speaker_words().pronouns and tok.lower_ != "it"
    words = speaker_words()
    lemma = tok.lemma_.lower()
    return lemma in words.roles | words.government_nouns | words.organisation_nouns


def verb_subject(verb: Token, lo: int, hi: int) -> tuple[Token | None, bool]:
    """The speaker token of a cue verb (within tokens ``lo:hi``) and whether the verb is passive.

    Besides the verb's own subject (or the agent of a passive): the subject of the verb it is
    conjoined with, of the clause that "..., saying" or "before noting" hangs on, of the verb
    whose complement it is ("went on to express"); the noun an "-ing" participle modifies ("a
    statement saying"), or the subject of the verb that issued that statement.
    """
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
        verb.tag_ == "VBN"
        and verb.dep_ in ("advcl", "pcomp")
        and any(c.dep_ == "agent" for c in verb.children)
    )  # "when asked by The Times if ..."
    if passive:
        for child in verb.children:
            if child.dep_ == "agent":
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return (pobj if lo <= pobj.i < hi else None), True
    subject = _nsubj(verb, lo, hi)
    head = verb.head
    up: Token | None = None
    if subject is None and verb.dep_ in ("conj", "xcomp"):
        up = head
    elif (
        subject is None
        and verb.dep_ == "advcl"
        and (verb.tag_ == "VBG" or any(c.tag_ == "TO" for c in verb.children))
    ):
        up = head  # "..., saying", "Obama went on to praise ...", "appeared ... to tout ..."
    elif subject is None and verb.dep_ == "pcomp" and verb.tag_ == "VBG" and head.dep_ == "prep":
        up = head.head
    elif subject is None and verb.dep_ == "acl" and verb.tag_ == "VBG":
        subject = head
        if is_statement(head) and head.dep_ == "dobj" and head.head.pos_ == "VERB":
            subject = _nsubj(head.head, lo, hi) or head  # "X issued a statement saying ..."
    if verb.dep_ == "xcomp" and subject is None:
        subject = _controller(verb, lo, hi)
        up = None if subject is not None else up
    if up is not None and verb.tag_ == "VBG":
        up = _reported_clause_owner(verb, up)
    if up is not None and up.pos_ == "ADJ" and up.dep_ == "acomp" and verb.dep_ == "xcomp":
        up = up.head  # "Democrats are quick to note", "she was eager to praise"
    if up is not None and up.pos_ in _LIGHT_HEADS:
        # The subject of the clause this verb hangs on, through chains of complements and
        # conjuncts ("moved to press her advantage, urging ...").
        subject = _nsubj(up, lo, hi) or (_controller(up, lo, hi) if up.dep_ == "xcomp" else None)
        if subject is None and verb.dep_ == "conj" and verb.head == up:
            # "X could not be reached and has never replied": the patient of a
            # passive verb is the subject of the active verb joined to it.
            subject = next((c for c in up.children if c.dep_ == "nsubjpass" and lo <= c.i < hi), None)
        while subject is None and up.dep_ in ("conj", "xcomp", "advcl") and up.head.pos_ in _LIGHT_HEADS:
            up = up.head
            subject = _nsubj(up, lo, hi) or (_controller(up, lo, hi) if up.dep_ == "xcomp" else None)
    if subject is not None and not lo <= subject.i < hi:
        subject = None
    return subject, passive


def left_phrase(doc: Doc, cue: int, lo: int) -> tuple[int, int] | None:
    """A noun phrase written just before token ``cue`` (for headlines the parser gets wrong)."""
    i = cue - 1
    while i >= lo and doc[i].pos_ == "ADV":
        i -= 1
    end = i + 1
    if i >= lo and doc[i].pos_ == "PRON" and doc[i].lower_ in speaker_words().pronouns:
        return (i, end)
    while i >= lo and (doc[i].pos_ in ("ADJ", "NOUN", "PROPN", "DET") or doc[i].text in ("-", ".")):
        if doc[i].pos_ == "DET":
            i -= 1
            break
        i -= 1
    start = i + 1
    if start < end and any(t.pos_ in ("NOUN", "PROPN") for t in doc[start:end]):
        return (start, end)
    return None
