"""Selective parsing (extract/nlp.py): the parse lands on the right tokens of the one Doc, and a
sentence parsed alone is parsed as the full pipeline parses it."""

from __future__ import annotations

import pytest

from rashomon.extract.nlp import PARSE_ENV, build_nlp, default_parse_mode, process, trigger_words

TEXT = (
    "Storm Over Harbour Town\n\n"
    "Fishermen in Port Ellery repaired their nets on Tuesday. The tide came in early.\n\n"
    "Two dockworkers were injured when a crane collapsed, the harbour master said. "
    "\"We are checking every crane,\" she told reporters.\n\n"
    "The bakery reopened at noon and the tram kept its timetable."
)


def _parse(doc):
    return [(t.i, t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_, bool(t.is_sent_start)) for t in doc]


@pytest.fixture(scope="module")
def pipelines():
    return build_nlp(components=[], parse="full"), build_nlp(components=[], parse="selective")


def _doc(nlp, text=TEXT):
    return next(process(nlp, [("a1", text, None)]))


def test_selective_pipeline_runs_the_parse_pipes_once(pipelines):
    full, selective = pipelines
    assert "parser" in full.pipe_names and "senter" not in full.pipe_names
    assert selective.pipe_names[:4] == ["rashomon_paragraphs", "senter", "ner", "rashomon_selective_parse"]
    assert not {"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"} & set(selective.pipe_names)


def test_whole_doc_selected_gives_the_full_parse(pipelines):
    full, selective = pipelines
    part = selective.get_pipe("rashomon_selective_parse")
    keep = part.select
    part.select = lambda doc, start, end: True
    try:
        assert _parse(_doc(selective)) == _parse(_doc(full))
    finally:
        part.select = keep


def test_only_trigger_sentences_are_parsed(pipelines):
    _full, selective = pipelines
    doc = _doc(selective)
    by_text = {s.text.strip(): s for s in doc.sents}
    injured = next(s for t, s in by_text.items() if t.startswith("Two dockworkers"))
    quote = next(s for t, s in by_text.items() if t.startswith('"We are'))
    market = next(s for t, s in by_text.items() if t.startswith("The bakery"))
    tide = next(s for t, s in by_text.items() if t.startswith("The tide"))
    assert injured.root.dep_ == "ROOT" and injured.root.lemma_ == "say"
    assert any(t.dep_ == "nsubjpass" for t in injured) and any(t.lemma_ == "injure" for t in injured)
    assert quote.root.dep_ == "ROOT"
    for sent in (market, tide):
        assert all(t.dep_ == "" and t.tag_ == "" for t in sent)
        assert all(t.lemma_ == t.lower_ for t in sent)  # what spaCy's lemmatizer gives a token without POS
    # Heads never leave their sentence, and the paragraphs still start sentences.
    for sent in doc.sents:
        assert all(sent.start <= t.head.i < sent.end for t in sent)
    assert {t.text for t in doc if t.is_sent_start} >= {"Storm", "Fishermen", "Two", "The"}


def test_doc_without_a_trigger_still_has_lemmas(pipelines):
    _full, selective = pipelines
    doc = _doc(selective, "The tram kept its timetable. The bakery reopened at noon.")
    assert doc.has_annotation("LEMMA") and not doc.has_annotation("DEP")
    assert [t.lemma_ for t in doc][:3] == ["the", "tram", "kept"]


def test_trigger_words_come_from_the_component_lexicons():
    words = trigger_words()
    assert {"said", "says", "told", "according", "killed", "injured", "wounded", "died", "shot"} <= words
    assert not {"the", "their", "to", "of", "will", "on"} & words  # function words pick nothing
    assert {"say", "call", "forces", "clashed", "mortar", "postponed"} <= words  # from every component


def test_parse_mode_from_environment(monkeypatch):
    monkeypatch.setenv(PARSE_ENV, "selective")
    assert default_parse_mode() == "selective"
    monkeypatch.setenv(PARSE_ENV, "sometimes")
    with pytest.raises(ValueError, match="RASHOMON_PARSE"):
        default_parse_mode()
    monkeypatch.delenv(PARSE_ENV)
    assert default_parse_mode() == "full"
