"""``numbers.entity_at``: the entity around a token, read from the tokens' IOB tags."""

from __future__ import annotations

from spacy.lang.en import English
from spacy.tokens import Span

from rashomon.extract.figures.numbers import entity_at


def test_entity_at_agrees_with_doc_ents():
    doc = English().make_doc("Between 5 and 7 people died on Monday 12 March 2024 in New York City , police said .")
    doc.ents = [Span(doc, 0, 4, label="CARDINAL"), Span(doc, 7, 11, label="DATE"), Span(doc, 12, 15, label="GPE")]
    for k in range(len(doc)):
        expected = next(((e.start, e.end) for e in doc.ents if e.start <= k < e.end), None)
        found = entity_at(doc, k)
        assert (None if found is None else (found.start, found.end)) == expected, doc[k].text


def test_adjacent_entities_are_kept_apart():
    doc = English().make_doc("Monday Kabul")
    doc.ents = [Span(doc, 0, 1, label="DATE"), Span(doc, 1, 2, label="GPE")]
    assert (entity_at(doc, 0).start, entity_at(doc, 0).end) == (0, 1)
    assert (entity_at(doc, 1).start, entity_at(doc, 1).end) == (1, 2)


def test_a_hyphen_joins_a_number_word_to_its_scale():
    from rashomon.extract.figures.numbers import read_number

    doc = English().make_doc("more than two-hundred injured and three-thousand fled")
    assert read_number(doc, 2, len(doc))[:2] == (200, 5)
    assert read_number(doc, 7, len(doc))[:2] == (3000, 10)
