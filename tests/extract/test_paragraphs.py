"""``rashomon_paragraphs``: blank lines end sentences; abbreviated titles do not."""

from __future__ import annotations

from spacy.lang.en import English

from rashomon.extract.text.paragraphs import mark_paragraphs


def _starts(text: str) -> list[tuple[str, bool | None]]:
    doc = mark_paragraphs(English().make_doc(text))
    return [(tok.text, tok.is_sent_start) for tok in doc]


def test_blank_line_before_a_capital_starts_a_sentence_and_a_wrapped_line_does_not():
    starts = dict(_starts("Headline here\n\nGunmen attacked the town\n\nthe head of the group said"))
    assert starts["Gunmen"] is True
    assert starts["the"] is not True


def test_name_after_an_abbreviated_title_does_not_start_a_sentence():
    starts = _starts("Police Sgt. Ann Lee said two men were shot. Lt. Gov. Dan Patrick agreed.")
    flags = {text: flag for text, flag in starts}
    assert flags["Ann"] is False and flags["Dan"] is False
    assert flags["Gov."] is False  # the tokenizer splits "Lt" from its period here: both are joined


def test_an_address_abbreviation_still_ends_a_sentence():
    flags = dict(_starts("He lives on Main St. The police came."))
    assert flags["The"] is not False


def test_the_pipeline_keeps_a_title_and_its_period_in_one_token_and_the_title_on_the_speaker():
    from rashomon.extract.nlp import keep_title_abbreviations, shared_nlp

    nlp = shared_nlp()
    assert keep_title_abbreviations(nlp) == []  # already added when the pipeline was built
    blank = English()
    added = keep_title_abbreviations(blank)
    assert "Sgt." in added and "Lt." in added and "Mr." not in added  # spaCy keeps "Mr." already
    assert [t.text for t in blank("Det. Ruiz")] == ["Det.", "Ruiz"]
    doc = nlp("The driver was taken to a hospital, said Police Sgt. Ann Lee of the county sheriff's office. "
              "He was 23.")
    assert [s.text.split()[0] for s in doc.sents] == ["The", "He"]
    names = [c.speaker.name for c in doc._.claims if c.speaker is not None]
    assert any(name.startswith("Police Sgt. Ann Lee") for name in names), names
