"""``TermMatcher``: phrase lookup on lower-case forms and lemmas, longest match wins (used by the
event type, actors and framing components)."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans

__all__ = ["TermMatcher"]

_NOT_NOUNS = {"VERB", "AUX", "ADJ", "ADV"}  # a noun-only term may still be tagged NUM or X ("AK-47")


class TermMatcher:
    """Phrase lookup, case-insensitive, on the lower-case form and on lemmas; longest match wins.

    ``terms`` are ``(key, phrase)`` pairs; a match's ``label_`` is the key.  ``exact`` pairs match
    case-sensitively (acronyms such as "IS").  Phrases are written in base form: a lemma pattern
    made of the phrase's lower-cased words also finds inflected forms ("war crimes", "shot dead").
    A phrase ending in ``/n`` (or every phrase, with ``nouns_only``) only matches when its last
    word is a noun ("blast" the explosion, not "blasted" the criticism).
    """

    def __init__(self, nlp: Language, terms: Iterable[tuple[str, str]],
                 exact: Iterable[tuple[str, str]] = (), nouns_only: bool = False) -> None:
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.nouns_only = nouns_only
        self.noun_keys: set[str] = set()
        for key, phrase in terms:
            if phrase.endswith("/n"):
                phrase = phrase[:-2]
                self.noun_keys.add(key)
            pattern = nlp.make_doc(phrase)
            self.lower.add(key, [pattern])
            words = [t.text for t in pattern]
            lemmas = [t.lower_ for t in pattern]
            self.lemma.add(key, [Doc(nlp.vocab, words=words, lemmas=lemmas)])
        for key, phrase in exact:
            self.orth.add(key, [nlp.make_doc(phrase)])

    def __call__(self, doc: Doc) -> list[SpacySpan]:
        """Matches in text order, overlapping ones reduced to the longest."""
        found = [SpacySpan(doc, s, e, label=k) for k, s, e in self.lower(doc)]
        found += [SpacySpan(doc, s, e, label=k) for k, s, e in self.orth(doc)]
        if doc.has_annotation("LEMMA"):
            found += [SpacySpan(doc, s, e, label=k) for k, s, e in self.lemma(doc)]
        if doc.has_annotation("TAG") and (self.nouns_only or self.noun_keys):
            found = [span for span in found if span[-1].pos_ not in _NOT_NOUNS
                     or not (self.nouns_only or span.label_ in self.noun_keys)]
        return sorted(filter_spans(found), key=lambda span: span.start)
