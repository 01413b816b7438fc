"""The ``rashomon_framing`` component: loaded terms, categories, speakers.

Sentences are written for these tests; the two seed reports are read in place from the shared
folder (``RASHOMON_SHARED``) and never copied here.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from rashomon.extract import nlp as nlp_module
from rashomon.extract.framing import FramingFinder, load_framing_terms, speaker_for
from rashomon.extract.text.spans import char_span
from rashomon.models import Claim, Speaker

COMPONENTS = ["rashomon_framing"]


def build_pipeline(components: list[str] = COMPONENTS) -> Language:
    """``build_nlp`` with these components (the model and their modules alone while sibling
    component modules, written in parallel, are still missing)."""
    try:
        return nlp_module.build_nlp(components=components)
    except ImportError as exc:
        if exc.name != "rashomon.extract":
            raise
        import importlib

        import spacy

        for name in components:  # importing a component module registers its factory
            importlib.import_module("rashomon.extract." + name.removeprefix("rashomon_"))
        nlp_module.register_extensions()
        nlp = spacy.load(nlp_module.MODEL)
        for name in components:
            nlp.add_pipe(name)
        return nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def run(nlp: Language, text: str) -> Doc:
    return next(nlp_module.process(nlp, [("t1", text, dt.date(2018, 2, 8))]))


def terms(nlp: Language, text: str) -> list[tuple[str, str, str]]:
    return [(f.term, f.category, f.span.text) for f in run(nlp, text)._.framing]


# ----------------------------------------------------------------------------- the lexicon

def test_condemnation_with_inflections_and_longest_match(nlp: Language) -> None:
    assert terms(nlp, "The ministry said the army committed war crimes and crimes against humanity.") == [
        ("war crime", "condemnation", "war crimes"),
        ("crimes against humanity", "condemnation", "crimes against humanity"),
    ]
    assert terms(nlp, "State TV described a brutal massacre and a new aggression, an attempt at supporting "
                      "terrorism.") == [
        ("brutal massacre", "condemnation", "brutal massacre"),
        ("new aggression", "condemnation", "new aggression"),
        ("support terrorism", "condemnation", "supporting terrorism"),
    ]


def test_justification(nlp: Language) -> None:
    found = terms(nlp, "The coalition said it acted in self-defense to repel an unprovoked attack, an act of "
                       "aggression. The area was liberated.")
    assert [(t, c) for t, c, _ in found] == [
        ("self-defence", "justification"), ("repel", "justification"), ("unprovoked attack", "justification"),
        ("act of aggression", "justification"), ("liberate", "justification"),
    ]
    assert terms(nlp, "'Unprovoked Attack' Results in Deaths") == [
        ("unprovoked attack", "justification", "Unprovoked Attack")]  # case-insensitive


def test_euphemism_and_delegitimisation(nlp: Language) -> None:
    found = terms(nlp, "Officials said five militants were neutralised and regretted the collateral damage. "
                       "Mercenaries fought there.")
    assert found == [
        ("neutralise", "euphemism", "neutralised"),
        ("collateral damage", "euphemism", "collateral damage"),
        ("mercenary", "delegitimisation", "Mercenaries"),
    ]


def test_neutral_text_and_metadata_lines(nlp: Language) -> None:
    assert terms(nlp, "The talks went well, a crime reporter said, and the terror of exams is over.") == []
    assert terms(nlp, "Theme: Terrorism, Politics\n\nThe talks went well.") == []
    doc = run(nlp, "Theme: Terrorism, Politics\n\nThe talks went well.")
    FramingFinder(nlp, categories=None, skip_metadata_lines=False)(doc)
    assert [f.term for f in doc._.framing] == ["terrorism"]


def test_categories_config(nlp: Language) -> None:
    doc = run(nlp, "They called it a war crime; the army spoke of collateral damage.")
    FramingFinder(nlp, categories=["euphemism"], skip_metadata_lines=True)(doc)
    assert [f.term for f in doc._.framing] == ["collateral damage"]
    categories = set(load_framing_terms()["categories"])
    assert categories == {"condemnation", "justification", "euphemism", "delegitimisation"}


# ----------------------------------------------------------------------------- speakers

def _claim(doc: Doc, speaker: str, content: str, sentence: str) -> Claim:
    c0 = doc.text.index(content)
    s0 = doc.text.index(sentence)
    return Claim(id=f"c{c0}", article_id="t1", speaker=Speaker(name=speaker), cue="say",
                 content=char_span(doc, c0, c0 + len(content)),
                 sentence=char_span(doc, s0, s0 + len(sentence)), direct=False)


def test_no_claims_no_speaker(nlp: Language) -> None:
    doc = run(nlp, "The ministry called the strike a war crime.")
    assert doc._.claims is None and [f.speaker for f in doc._.framing] == [None]


def test_speaker_from_the_claim_holding_the_term(nlp: Language) -> None:
    text = ('The army said the raid was "an act of self-defence". '
            "The ministry said the envoy called it a war crime. Rebels spoke of a massacre.")
    doc = run(nlp, text)
    said = "The ministry said the envoy called it a war crime."
    outer = _claim(doc, "ministry", "the envoy called it a war crime", said)
    inner = _claim(doc, "envoy", "a war crime", said)
    army = _claim(doc, "army", '"an act of self-defence"', text[: text.index("The ministry")].strip())
    doc._.claims = [army, outer, inner]
    nlp.get_pipe("rashomon_framing")(doc)
    found = {f.term: f.speaker.name if f.speaker else None for f in doc._.framing}
    assert found == {"self-defence": "army", "war crime": "envoy", "massacre": None}


def test_speaker_from_the_sentence_when_content_misses_the_term(nlp: Language) -> None:
    doc = run(nlp, "State television called the bombing a new aggression.")
    sentence = doc.text
    claim = _claim(doc, "State television", "the bombing", sentence)
    span = next(f.span for f in doc._.framing)
    assert speaker_for(span, [claim]) == claim.speaker
    other = _claim(doc, "someone else", "State television", sentence)
    assert speaker_for(span, [claim, other]) is None  # two speakers in the sentence: undecided
    assert speaker_for(span, []) is None and speaker_for(span, None) is None


# ----------------------------------------------------------------------------- seeds

def _strip_markdown(text: str) -> str:
    return re.sub(r"\*\*(.*?)\*\*", r"\1", re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text))


def _seed_items(seeds_dir: Path) -> list[tuple[str, str, dt.date | None]]:
    texts = {p.name[:3]: _strip_markdown(p.read_text("utf-8")) for p in seeds_dir.glob("00[04]_*.txt")}
    return [("004", texts["004"], dt.date(2018, 2, 8)), ("000", texts["000"], dt.date(2018, 2, 12))]


@pytest.mark.shared
def test_seeds_terms(nlp: Language, seeds_dir: Path) -> None:
    docs = {doc._.article_id: doc for doc in nlp_module.process(nlp, _seed_items(seeds_dir))}
    found = {d: {(f.term, f.category) for f in doc._.framing} for d, doc in docs.items()}
    assert {("unprovoked attack", "justification"), ("act of aggression", "justification"),
            ("new aggression", "condemnation"), ("support terrorism", "condemnation")} <= found["004"]
    assert {("war crime", "condemnation"), ("brutal massacre", "condemnation"),
            ("coordinated attack", "justification"), ("unprovoked attack", "justification")} <= found["000"]
    assert ("terrorism", "condemnation") not in found["004"]  # the site's "Theme: Terrorism" tag


@pytest.mark.shared
@pytest.mark.skipif(importlib.util.find_spec("rashomon.extract.claims.component") is None,
                    reason="the claims component is not in this checkout")
def test_seeds_speakers_with_claims(seeds_dir: Path) -> None:
    nlp = build_pipeline(["rashomon_claims", "rashomon_framing"])
    doc = next(nlp_module.process(nlp, _seed_items(seeds_dir)[:1]))
    speakers = {f.term: (f.speaker.name if f.speaker else "") for f in doc._.framing}
    assert "television" in speakers["new aggression"].lower()
    assert "Central Command" in speakers["act of aggression"]
