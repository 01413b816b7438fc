"""Selective parsing (extract/nlp.py), the default: the parse lands on the right tokens of the one
Doc, and a sentence parsed alone is parsed as the full pipeline parses it.  Also the array
shortcuts that keep the whole path fast (extract/fast_rules.py, the gapped-cue matcher of
extract/event_type.py) give exactly what the spaCy code they replace gives."""

from __future__ import annotations

import numpy as np
import pytest
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

from rashomon.extract.fast_rules import array_pipes
from rashomon.extract.nlp import PARSE_ENV, build_nlp, default_parse_mode, process, shared_nlp, trigger_words

TEXT = (
    "Storm Over Harbour Town\n\n"
    "Fishermen in Port Ellery repaired their nets on Tuesday. The tide came in early.\n\n"
    "Two dockworkers were injured when a crane collapsed, the harbour master said. "
    "\"We are checking every crane,\" she told reporters.\n\n"
    "The bakery reopened at noon and the tram kept its timetable."
)


def _parse(doc):
    return [(t.i, t.tag_, t.pos_, str(t.morph), t.dep_, t.head.i, t.lemma_, bool(t.is_sent_start))
            for t in doc]


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


def test_trigger_words_are_the_union_of_each_components():
    from rashomon.extract.nlp import PHRASE_KINDS

    parts = {kind: trigger_words(frozenset({kind})) for kind in PHRASE_KINDS}
    assert frozenset().union(*parts.values()) == trigger_words()
    assert {"said", "according"} <= parts["claims"] and "killed" not in parts["claims"]
    assert {"killed", "injured"} <= parts["figures"] and "said" not in parts["figures"]
    assert "mortar" in parts["events"] and "postponed" in parts["dates"]


def test_parse_mode_from_environment(monkeypatch):
    monkeypatch.setenv(PARSE_ENV, "full")
    assert default_parse_mode() == "full"
    monkeypatch.setenv(PARSE_ENV, "sometimes")
    with pytest.raises(ValueError, match="RASHOMON_PARSE"):
        default_parse_mode()
    monkeypatch.delenv(PARSE_ENV)
    assert default_parse_mode() == "selective"


def test_shared_pipeline_is_one_per_mode(monkeypatch):
    monkeypatch.delenv(PARSE_ENV, raising=False)
    assert shared_nlp(("rashomon_dates",)) is shared_nlp(("rashomon_dates",), "selective")
    assert "rashomon_selective_parse" in shared_nlp(("rashomon_dates",)).pipe_names


def test_array_rule_pipes_match_spacy(pipelines):
    """The attribute ruler and lemmatizer as array code: same tags, POS, morphology and lemmas."""
    full, _selective = pipelines
    fast = array_pipes(full)
    assert fast is not None
    text = TEXT + ("\n\nThey ain't sure y'all got nothin' left, and there were 3 lanes shut.  \n"
                   "She's been gone; we'd've known.")
    by_spacy, by_arrays = full.make_doc(text), full.make_doc(text)
    for name, proc in full.pipeline:
        by_spacy = proc(by_spacy)
        by_arrays = fast.get(name, proc)(by_arrays)
    columns = [TAG, POS, MORPH, LEMMA, DEP, HEAD]
    assert np.array_equal(by_spacy.to_array(columns), by_arrays.to_array(columns))


def test_gapped_cues_found_as_the_token_matcher_finds_them():
    nlp = build_nlp(components=["rashomon_event_type"])
    typer = nlp.get_pipe("rashomon_event_type")
    text = ("Militants attacked the remote army base on Monday; they attacked. The base held. "
            "Gunmen attacked a checkpoint and a police post\nnear the camp. Rebels threw a hand grenade "
            "at soldiers, then attacked.\n\nAn attack on the base")
    doc = next(process(nlp, [("a1", text, None)]))
    expected = typer.gap_matcher(doc)
    assert expected  # the text holds gapped cues
    assert typer._gap_matches(doc) == expected
