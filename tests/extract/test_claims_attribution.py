"""``rashomon_claims``: attitudes, participles, colons, misparsed speakers and speaker spans.

Sentences are written for these tests (the PolNeAR issue: broader attribution coverage).
"""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from rashomon.extract import nlp as nlp_module
from rashomon.models import Claim


@pytest.fixture(scope="module")
def nlp() -> Language:
    return nlp_module.build_nlp(components=["rashomon_claims"])


def run(nlp: Language, text: str) -> Doc:
    return next(nlp_module.process(nlp, [("t1", text, None)]))


def claims_by_cue(doc: Doc) -> dict[str, Claim]:
    return {c.cue: c for c in doc._.claims}


def speaker_text(claim: Claim) -> str:
    assert claim.speaker_span is not None
    return claim.speaker_span.text


# ----------------------------------------------------------------------------- attitudes


@pytest.mark.parametrize(
    "text,cue,speaker,content",
    [
        (
            "Senior Democrats were concerned about the turnout in Detroit.",
            "belief:concerned",
            "Senior Democrats",
            "the turnout in Detroit",
        ),
        (
            "The ministry is confident that the convoy will reach the town.",
            "belief:confident",
            "The ministry",
            "the convoy will reach the town",
        ),
        (
            "Local leaders were outraged by the mayor's remarks.",
            "belief:outraged",
            "Local leaders",
            "the mayor's remarks",
        ),
        (
            "The senator was openly dismissive of the new plan.",
            "dismissive",
            "The senator",
            "the new plan",
        ),
    ],
)
def test_attitude_adjectives(nlp: Language, text: str, cue: str, speaker: str, content: str) -> None:
    claim = claims_by_cue(run(nlp, text))[cue]
    assert speaker_text(claim) == speaker
    assert claim.content.text == content


@pytest.mark.parametrize(
    "text",
    [
        "The road was clear of debris by noon.",
        "The shelter was full of families.",
        "The bridge was ready for traffic on Monday.",
        "The ministry is confident.",  # no complement: nothing is said about anything
        "Residents were quiet on Monday.",  # a time, not what the attitude is about
        "The villagers were silent for a minute.",
    ],
)
def test_no_attitude_without_holder_or_complement(nlp: Language, text: str) -> None:
    assert run(nlp, text)._.claims == []


@pytest.mark.parametrize(
    "text",
    [
        "She ripped the page from the book.",
        "He knocked on the door twice.",
        "He bashed the car with a bat.",
        "The bridge was supported by steel cables.",
        "Rescuers released the survivors at dawn.",
    ],
)
def test_physical_senses_are_not_claims(nlp: Language, text: str) -> None:
    assert run(nlp, text)._.claims == []


def test_judgment_with_a_person_as_object(nlp: Language) -> None:
    claim = claims_by_cue(run(nlp, "Clinton ripped Trump over his taxes."))["rip"]
    assert speaker_text(claim) == "Clinton"


def test_attitude_cue_is_marked_as_private_state(nlp: Language) -> None:
    from rashomon.extract.claims.cues import is_assertion

    claim = claims_by_cue(run(nlp, "Residents were worried about the water supply."))["belief:worried"]
    assert not is_assertion(claim.cue)


# ----------------------------------------------------------------------------- verbs and nouns


def test_participle_with_agent(nlp: Language) -> None:
    claim = claims_by_cue(run(nlp, "The figures cited by the agency were disputed."))["cite"]
    assert speaker_text(claim) == "the agency"
    assert claim.content.text == "The figures"


def test_support_as_a_stance(nlp: Language) -> None:
    claim = claims_by_cue(run(nlp, "The senator supports the new border bill."))["support"]
    assert speaker_text(claim) == "The senator"
    assert claim.content.text == "the new border bill"


def test_nominal_cue_with_infinitive(nlp: Language) -> None:
    doc = run(nlp, "Despite the minister's threat to resign, the vote went ahead.")
    claim = claims_by_cue(doc)["threat"]
    assert speaker_text(claim) == "the minister"
    assert claim.content.text == "to resign"
    doc = run(nlp, "The port closed after the governor's decision to cut its budget.")
    assert claims_by_cue(doc)["intention:decision"].content.text == "to cut its budget"


def test_cue_noun_with_that_clause_after_be(nlp: Language) -> None:
    claim = claims_by_cue(run(nlp, "The ministry's defense was that the strike hit a depot."))["defense"]
    assert speaker_text(claim) == "The ministry"
    assert claim.content.text == "the strike hit a depot"


def test_light_verb_with_mention(nlp: Language) -> None:
    doc = run(nlp, "The editorial made little mention of the ceasefire.")
    claim = claims_by_cue(doc)["mention"]
    assert speaker_text(claim) == "The editorial"
    assert claim.content.text == "the ceasefire"


def test_continue_only_with_a_quotation(nlp: Language) -> None:
    claim = claims_by_cue(run(nlp, '"The talks are over," the envoy continued.'))["continue"]
    assert speaker_text(claim) == "the envoy"
    assert claim.content.text == "The talks are over"
    assert run(nlp, "The envoy continued to campaign in the north.")._.claims == []


def test_documents_showing(nlp: Language) -> None:
    claim = claims_by_cue(run(nlp, "Polls showing a tight race were published on Monday."))["show"]
    assert speaker_text(claim) == "Polls"


def test_quick_to_note(nlp: Language) -> None:
    doc = run(nlp, "Officials were quick to note that the road remained open.")
    claim = claims_by_cue(doc)["note"]
    assert speaker_text(claim) == "Officials"
    assert claim.content.text == "the road remained open"


def test_see_needs_as(nlp: Language) -> None:
    claim = claims_by_cue(run(nlp, "Many voters see the governor as a reformer."))["belief:see"]
    assert speaker_text(claim) == "Many voters"
    assert run(nlp, "The soldiers saw smoke over the hills.")._.claims == []


# ----------------------------------------------------------------------------- colons


@pytest.mark.parametrize(
    "text,speaker",
    [
        ("Jane Roe, analyst: The ceasefire will not hold.", "Jane Roe, analyst"),
        (
            "Jane Roe, editor of The Daily Courier: The talks have failed.",
            "Jane Roe, editor of The Daily Courier",
        ),
    ],
)
def test_colon_after_name_and_role(nlp: Language, text: str, speaker: str) -> None:
    claim = claims_by_cue(run(nlp, text))[":"]
    assert speaker_text(claim) == speaker


# ----------------------------------------------------------------------------- misparses


def test_that_clause_buried_under_a_modifier(nlp: Language) -> None:
    doc = run(nlp, 'The minister acknowledged on the radio show "Morning Report" that the talks had stalled.')
    claim = claims_by_cue(doc)["acknowledge"]
    assert speaker_text(claim) == "The minister"
    assert claim.content.text == "the talks had stalled"


def test_participle_after_a_reported_clause_keeps_the_reporter(nlp: Language) -> None:
    doc = run(
        nlp,
        "The spokesman told reporters that the news was troubling, before noting that the talks "
        "would resume.",
    )
    assert speaker_text(claims_by_cue(doc)["note"]) == "The spokesman"


def test_speaker_after_a_closing_quote(nlp: Language) -> None:
    doc = run(nlp, '"We will not leave our homes," Ahmed Karimi, 45, told the agency.')
    claim = claims_by_cue(doc)["tell"]
    assert speaker_text(claim) == "Ahmed Karimi, 45"


# ----------------------------------------------------------------------------- speaker spans


def test_anonymity_clause_stays_in_the_speaker_span(nlp: Language) -> None:
    doc = run(
        nlp,
        "A police officer who spoke on condition of anonymity said the checkpoint was attacked at dawn.",
    )
    claim = claims_by_cue(doc)["say"]
    assert speaker_text(claim) == "A police officer who spoke on condition of anonymity"
    assert claim.speaker.anonymous is True
    assert claim.speaker.name == "police officer"


def test_restrictive_participle_of_a_cue_verb_stays(nlp: Language) -> None:
    doc = run(nlp, "A survey published on Sunday showed that most residents want the camp closed.")
    assert speaker_text(claims_by_cue(doc)["show"]) == "A survey published on Sunday"


def test_time_phrase_is_not_part_of_the_speaker(nlp: Language) -> None:
    doc = run(nlp, "The governor in the past has described the militia as a threat.")
    assert speaker_text(claims_by_cue(doc)["describe"]) == "The governor"
