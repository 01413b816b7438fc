"""``rashomon_paragraphs``: blank lines end sentences; abbreviated titles do not."""

from __future__ import annotations

from spacy.lang.en import English

from rashomon.extract.components.paragraphs import mark_paragraphs


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
