"""Helpers to turn spaCy offsets into :class:`rashomon.models.Span` records."""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from rashomon.ids import digest
from rashomon.models import Span


def doc_text(doc: Doc) -> str:
    """The doc's text, built once (spaCy rebuilds ``doc.text`` from the tokens on every access)."""
    text = doc.user_data.get("rashomon_text")
    if text is None:
        text = doc.user_data["rashomon_text"] = doc.text
    return text


def lowers(doc: Doc) -> list[str]:
    """The lower-case form of every token, listed once per doc (rule code that walks tokens one
    by one would otherwise build a Token object for each look)."""
    words = doc.user_data.get("rashomon_lowers")
    if words is None or len(words) != len(doc):
        words = doc.user_data["rashomon_lowers"] = [tok.lower_ for tok in doc]
    return words


def char_span(doc: Doc, start: int, end: int) -> Span:
    """A Span over characters ``start:end`` of the doc's text."""
    return Span(article_id=doc._.article_id, start=start, end=end, text=doc_text(doc)[start:end])


def from_spacy(span: SpacySpan) -> Span:
    """A Span record for a spaCy span (token or entity range)."""
    return char_span(span.doc, span.start_char, span.end_char)


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of the parser's sentences, computed once per doc."""
    bounds = doc.user_data.get("rashomon_sents")
    if bounds is None:
        if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
            bounds = [(sent.start_char, sent.end_char) for sent in doc.sents]
        else:
            bounds = [(0, len(doc_text(doc)))]
        doc.user_data["rashomon_sents"] = bounds
    return bounds


def sentence_of(doc: Doc, char: int) -> Span:
    """The sentence that contains character offset ``char`` (the whole doc if unparsed)."""
    bounds = _sentence_bounds(doc)
    i = bisect_right(bounds, (char, float("inf"))) - 1
    if 0 <= i < len(bounds) and bounds[i][0] <= char < bounds[i][1]:
        return char_span(doc, *bounds[i])
    return char_span(doc, 0, len(doc_text(doc)))


def record_id(prefix: str, doc: Doc, start: int, end: int, *extra: object) -> str:
    """A deterministic id for a record found at ``start:end`` of a doc."""
    return prefix + digest(doc._.article_id, start, end, *extra, length=12)
