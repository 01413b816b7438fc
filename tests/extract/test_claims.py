"""The ``rashomon_claims`` component: speakers, cues, content, direct speech, anonymity.

Sentences are written for these tests; the two seed reports are read in place from the shared
folder (``RASHOMON_SHARED``) and never copied here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from rashomon.extract import nlp as nlp_module
from rashomon.models import Claim

COMPONENTS = ["rashomon_claims", "rashomon_figures"]


def build_pipeline() -> Language:
    """``build_nlp`` with our two components.

    While another stage's component module is still missing from ``extract/components`` (the
    components are written in parallel), ``build_nlp`` cannot import them all; then the same
    pipeline is assembled from the model and our two modules only.
    """
    try:
        return nlp_module.build_nlp(components=COMPONENTS)
    except ImportError as exc:
        if exc.name != "rashomon.extract":
            raise
        import spacy

        from rashomon.extract import claims, figures  # noqa: F401

        nlp_module.register_extensions()
        nlp = spacy.load(nlp_module.MODEL)
        for name in COMPONENTS:
            nlp.add_pipe(name)
        return nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def run(nlp: Language, text: str, article_id: str = "t1") -> Doc:
    return next(nlp_module.process(nlp, [(article_id, text, None)]))


def only(doc: Doc) -> Claim:
    assert len(doc._.claims) == 1, [(c.speaker.name, c.content.text) for c in doc._.claims]
    return doc._.claims[0]


# ----------------------------------------------------------------------------- reported speech

REPORTED = [
    # text, cue, speaker name, kind, content
    (
        "The health ministry said that nine civilians were killed in the raid.",
        "say",
        "health ministry",
        "government",
        "nine civilians were killed in the raid",
    ),
    (
        "Reuters reported that the airport had been shut since dawn.",
        "report",
        "Reuters",
        "media",
        "the airport had been shut since dawn",
    ),
    (
        "The regional council said in a statement that the curfew would be lifted.",
        "say",
        "regional council",
        "organisation",
        "the curfew would be lifted",
    ),
    (
        "The opposition on Friday blasted the verdict as a farce.",
        "blast",
        "opposition",
        "organisation",
        "the verdict as a farce",
    ),
    (
        "The ministry accused the rebels of shelling the market.",
        "accuse",
        "ministry",
        "government",
        "the rebels of shelling the market",
    ),
    (
        "The interior ministry announced that 16 suspects had been arrested.",
        "announce",
        "interior ministry",
        "government",
        "16 suspects had been arrested",
    ),
    (
        "Colonel Mark Rivers told reporters that the patrol had been ambushed.",
        "tell",
        "Colonel Mark Rivers",
        "person",
        "the patrol had been ambushed",
    ),
    (
        "Officials estimate that up to 200 people are still unaccounted for.",
        "estimate",
        "Officials",
        "person",
        "up to 200 people are still unaccounted for",
    ),
]


@pytest.mark.parametrize("text,cue,name,kind,content", REPORTED)
def test_reported_speech(nlp: Language, text: str, cue: str, name: str, kind: str, content: str) -> None:
    claim = only(run(nlp, text))
    assert claim.cue == cue
    assert claim.speaker.name == name
    assert claim.speaker.kind == kind
    assert claim.content.text == content
    assert claim.direct is False


def test_speaker_with_apposition(nlp: Language) -> None:
    text = (
        "Colonel Mark Rivers, a spokesman for the northern command, told reporters that the patrol "
        "had been ambushed."
    )
    claim = only(run(nlp, text))
    assert claim.speaker_span is not None
    assert claim.speaker_span.text == "Colonel Mark Rivers, a spokesman for the northern command"
    assert claim.speaker.name == "Colonel Mark Rivers"
    assert claim.speaker.role == "spokesman"
    assert claim.speaker.organisation == "northern command"
    assert claim.speaker.kind == "person"
    assert claim.speaker.anonymous is False


def test_common_noun_with_proper_name_apposition(nlp: Language) -> None:
    claim = only(run(nlp, "State news agency Petra said the border crossing was closed."))
    assert claim.speaker.name.endswith("Petra")
    assert claim.speaker.kind == "media"


def test_title_before_name_gives_role(nlp: Language) -> None:
    claim = only(run(nlp, "Health Minister Ali Hassan said on Monday that the hospitals were full."))
    assert claim.speaker.role == "minister"
    assert claim.speaker.kind == "person"
    assert claim.content.text == "the hospitals were full"


def test_saying_clause_takes_the_main_subject(nlp: Language) -> None:
    doc = run(nlp, "The rebels denied the accusation, saying they had not fired a single shell.")
    by_cue = {c.cue: c for c in doc._.claims}
    assert by_cue["deny"].content.text == "the accusation"
    assert by_cue["say"].speaker.name == "rebels"
    assert by_cue["say"].content.text == "they had not fired a single shell"


def test_conjoined_cue_shares_the_subject(nlp: Language) -> None:
    doc = run(nlp, 'Jordan has described the raid as "reckless" and called for an inquiry.')
    cues = {c.cue: c for c in doc._.claims}
    assert set(cues) == {"describe", "call"}
    assert cues["call"].speaker.name == "Jordan"
    assert cues["call"].content.text == "for an inquiry"


# ----------------------------------------------------------------------------- direct quotes

DIRECT = [
    # text, speaker name, content
    ('"We were attacked at dawn," a police officer said.', "police officer", "We were attacked at dawn"),
    ('"Nobody expected this," said Amina Yusuf, a local teacher.', "Amina Yusuf", "Nobody expected this"),
    ("The mayor said: “The bridge is gone.”", "mayor", "The bridge is gone."),
    ("“We will rebuild,” the mayor said.", "mayor", "We will rebuild"),
    ("‘We are ready for anything,’ the commander said.", "commander", "We are ready for anything"),
    ("'We are ready for anything,' the commander said.", "commander", "We are ready for anything"),
    ('The governor said "the town is safe".', "governor", "the town is safe"),
]


@pytest.mark.parametrize("text,name,content", DIRECT)
def test_direct_quotes(nlp: Language, text: str, name: str, content: str) -> None:
    claim = only(run(nlp, text))
    assert claim.speaker.name == name
    assert claim.content.text == content
    assert claim.direct is True
    assert claim.cue == "say"


def test_multi_sentence_quote(nlp: Language) -> None:
    claim = only(run(nlp, '"The convoy was hit twice. Nobody could reach it," the driver said.'))
    assert claim.content.text == "The convoy was hit twice. Nobody could reach it"
    assert claim.direct is True
    assert claim.sentence.start == 0


def test_quote_followed_by_clause_and_attribution(nlp: Language) -> None:
    text = (
        '"We think the depot was empty," while one guard was hurt, a security official said on '
        "condition of anonymity."
    )
    claim = only(run(nlp, text))
    assert claim.content.text.startswith('"We think the depot was empty,"')
    assert claim.content.text.endswith("while one guard was hurt")
    assert claim.direct is True
    assert claim.speaker.anonymous is True
    assert claim.speaker.role == "official"


def test_verbs_inside_a_quote_are_not_cues(nlp: Language) -> None:
    claim = only(run(nlp, '"They told us to leave at once," the witness said.'))
    assert claim.speaker.name == "witness"
    assert claim.content.text == "They told us to leave at once"


# ----------------------------------------------------------------------------- other attributions


def test_according_to(nlp: Language) -> None:
    claim = only(run(nlp, "According to the Red Crescent, the clinic was closed for a week."))
    assert claim.cue == "according to"
    assert claim.cue_span is not None and claim.cue_span.text == "According to"
    assert claim.speaker.name == "Red Crescent"
    assert claim.speaker.anonymous is False
    assert claim.content.text.startswith("the clinic was closed for a week")


def test_according_to_a_statement_names_its_author(nlp: Language) -> None:
    claim = only(
        run(nlp, "The border was sealed overnight, according to a statement from the interior ministry.")
    )
    assert claim.speaker.name == "interior ministry"
    assert claim.speaker.kind == "government"
    assert claim.content.text == "The border was sealed overnight"


def test_according_to_with_relative_clause(nlp: Language) -> None:
    text = "According to the local council, which counted the damage, the fighting stopped at night."
    claim = only(run(nlp, text))
    # The speaker as written keeps its relative clause; the speaker is named without it.
    assert claim.speaker_span is not None
    assert claim.speaker_span.text == "the local council, which counted the damage"
    assert claim.speaker.name == "local council"
    assert claim.content.text.startswith("the fighting stopped at night")


def test_passive_described_by(nlp: Language) -> None:
    text = 'The shelling was described by Lena Park, the director of the city hospital, as "relentless".'
    claim = only(run(nlp, text))
    assert claim.cue == "describe"
    assert claim.speaker.name == "Lena Park"
    assert claim.speaker.role == "director"
    assert claim.speaker.organisation == "city hospital"
    assert "relentless" in claim.content.text


def test_statements_carried_by(nlp: Language) -> None:
    claim = only(
        run(nlp, 'Statements carried by the state broadcaster called the operation "a heroic response".')
    )
    assert claim.cue == "call"
    assert claim.speaker.name == "state broadcaster"
    assert claim.speaker.kind == "media"
    assert claim.content.text == 'the operation "a heroic response"'


# ----------------------------------------------------------------------------- pronouns


def test_he_she_resolve_to_the_latest_named_person(nlp: Language) -> None:
    doc = run(
        nlp,
        'Sara Haddad, a medic in the town, said the clinic was full. "We have no bandages left," she said.',
    )
    first, second = doc._.claims
    assert first.speaker.name == "Sara Haddad"
    assert second.speaker.name == "Sara Haddad"
    assert second.speaker.role == "medic"
    assert second.speaker.kind == "person"
    assert second.speaker_span is not None and second.speaker_span.text == "she"


def test_unresolved_pronouns_stay_as_written(nlp: Language) -> None:
    doc = run(nlp, "The agency said the road was open. It also said that the airport was closed.")
    second = doc._.claims[1]
    assert second.speaker.name == "It"
    assert second.speaker.kind == "unresolved"
    assert second.content.text == "the airport was closed"


def test_he_without_a_named_person_before(nlp: Language) -> None:
    doc = run(nlp, "The army said the road was open. He said the talks had failed.")
    army, pronoun = doc._.claims
    assert army.speaker.name == "army"
    assert (pronoun.speaker.name, pronoun.speaker.kind) == ("He", "unresolved")


def test_definite_role_links_back(nlp: Language) -> None:
    doc = run(
        nlp, "A senior defence official said the base was hit. The official said that two hangars burned."
    )
    first, second = doc._.claims
    assert second.speaker == first.speaker
    assert second.speaker.anonymous is True
    assert second.speaker.organisation == first.speaker.organisation


# ----------------------------------------------------------------------------- anonymity

ANONYMOUS = [
    ("Sources said the commander had fled.", True),
    ("A military source said the convoy had been hit.", True),
    ("A diplomat, who asked not to be named, expects the vote to slip.", True),
    ("A police source said on condition of anonymity that the suspect was armed.", True),
    ("The Kurdistan Regional Government said the crossing was open.", False),
    ("The Syrian Network for Human Rights said the school was hit.", False),
    ("Reuters reported that the airport was shut.", False),
    ("Nadia Karim, a lawyer for the families, said the case would go ahead.", False),
]


@pytest.mark.parametrize("text,anonymous", ANONYMOUS)
def test_anonymous_speakers(nlp: Language, text: str, anonymous: bool) -> None:
    assert only(run(nlp, text)).speaker.anonymous is anonymous


def test_anonymity_phrase_makes_any_speaker_anonymous(nlp: Language) -> None:
    claim = only(run(nlp, "The strikes hit two bridges, a US official said on condition of anonymity."))
    assert claim.speaker.anonymous is True
    assert claim.speaker.role == "official"
    assert claim.speaker.organisation == "US"
    assert claim.content.text == "The strikes hit two bridges"


# ----------------------------------------------------------------------------- not claims

NOT_CLAIMS = [
    "The attack claimed many lives.",
    "The explosion was heard across the city.",
    "A relief group called Mercy Aid delivered food to the camp.",
    "Residents fled before the storm arrived.",
    "The shooting was reported to police at noon.",
    # Verbs of the lexicon in their physical or other senses (war reporting).
    "Rebels attacked the army base at dawn.",
    "Warplanes backed the offensive on the town.",
    "Militants showed up at the checkpoint.",
    "Police found two bodies in the river.",
    "The militia supported the offensive.",
    "Troops defended the town for a week.",
    "The floods added to the misery of the camp.",
    "The convoy was supposed to leave at noon, according to plan.",
]


@pytest.mark.parametrize("text", NOT_CLAIMS)
def test_no_claim(nlp: Language, text: str) -> None:
    assert run(nlp, text)._.claims == []


def test_what_it_said_is_not_a_second_claim(nlp: Language) -> None:
    doc = run(nlp, "The army struck what it said was a weapons depot, a spokesman said.")
    assert [c.speaker.name for c in doc._.claims] == ["spokesman"]


# ----------------------------------------------------------------------------- cue classes

MORE_CUES = [
    # text, cue, speaker name, content
    ("The mayor argued that the bridge was safe.", "argue", "mayor", "the bridge was safe"),
    ("The agency asked residents to stay indoors.", "ask", "agency", "residents to stay indoors"),
    ("The council warned that the river would rise.", "warn", "council", "the river would rise"),
    (
        "A new survey shows that most residents want the curfew lifted.",
        "show",
        "new survey",
        "most residents want the curfew lifted",
    ),
    ("The senator went on to praise the rescue teams.", "praise", "senator", "the rescue teams"),
    (
        "The ministry issued a statement saying the airport was closed.",
        "say",
        "ministry",
        "the airport was closed",
    ),
]


@pytest.mark.parametrize("text,cue,name,content", MORE_CUES)
def test_communication_and_evidence_verbs(
    nlp: Language, text: str, cue: str, name: str, content: str
) -> None:
    claim = only(run(nlp, text))
    assert (claim.cue, claim.speaker.name, claim.content.text) == (cue, name, content)


def test_beliefs_and_intentions_are_marked(nlp: Language) -> None:
    from rashomon.extract.claims.cues import is_assertion

    belief = only(run(nlp, "The minister believes that the talks will fail."))
    assert belief.cue == "belief:believe" and not is_assertion(belief.cue)
    assert belief.content.text == "the talks will fail"
    plan = only(run(nlp, "The governor plans to visit the camp on Friday."))
    assert plan.cue == "intention:plan" and not is_assertion(plan.cue)
    assert is_assertion("say") and is_assertion("according to") and is_assertion(":")


def test_cue_lexicon_sections() -> None:
    from rashomon.extract.claims.cues import flagged, label, lexicon

    verbs, nouns = lexicon().verbs, lexicon().nouns
    assert (verbs["say"], verbs["show"], verbs["think"], verbs["want"]) == (
        "speech",
        "evidence",
        "belief",
        "intention",
    )
    assert nouns["claim"] == "speech" and nouns["fear"] == "belief"
    assert label("hope", "belief") == "belief:hope" and label("claim", "speech") == "claim"
    # The rules at the end of cues.txt.
    assert lexicon().needs["call"] == ("as", "for", "on", "into")
    assert "to" in lexicon().content_preps["respond"]
    assert flagged("find", "needs clause") and flagged("threaten", "agent") and flagged("back", "no passive")
    assert not flagged("say", "needs clause")


@pytest.mark.parametrize(
    "text,cue,content",
    [
        ("The minister responded to the criticism on Monday.", "respond", "to the criticism"),
        ("The senator first told the story in her memoir.", "tell", "the story in her memoir"),
        ("She gave a speech in which she said the dam was safe.", "say", "the dam was safe"),
        ("Trump earlier called the protesters 'thugs'.", "call", "the protesters 'thugs'"),
    ],
)
def test_verb_rules(nlp: Language, text: str, cue: str, content: str) -> None:
    claim = only(run(nlp, text))
    assert (claim.cue, claim.content.text) == (cue, content)


def test_relative_pronoun_speaker(nlp: Language) -> None:
    claim = only(run(nlp, "The envoy met Amina Yusuf, who said the camp was full."))
    assert claim.speaker_span is not None and claim.speaker_span.text == "who"
    assert claim.speaker.name == "Amina Yusuf"
    assert claim.content.text == "the camp was full"


def test_speaker_span_keeps_its_relative_clause(nlp: Language) -> None:
    claim = only(run(nlp, '"The road is closed," said Omar Haddad, who runs the clinic.'))
    assert claim.speaker_span is not None
    assert claim.speaker_span.text == "Omar Haddad, who runs the clinic"
    assert claim.speaker.name == "Omar Haddad"


def test_document_subject_names_its_author(nlp: Language) -> None:
    claim = only(run(nlp, "Documents released by the court showed that the contract was never signed."))
    assert claim.speaker_span is not None and claim.speaker_span.text == "Documents released by the court"
    assert claim.speaker.name == "court"
    assert claim.content.text == "the contract was never signed"


@pytest.mark.parametrize(
    "text",
    [
        '"The water is rising," the engineer said. "We need more pumps."',
        '"The water is rising," the engineer said, "and we need more pumps."',
        '"The water is rising," the engineer said.\n\n"We need more pumps."',
    ],
)
def test_split_quotation_is_one_content(nlp: Language, text: str) -> None:
    claim = only(run(nlp, text))
    assert claim.content.text.startswith("The water is rising")
    assert claim.content.text.endswith("more pumps.")
    assert claim.direct is True


def test_quotation_with_its_own_attribution_is_not_joined(nlp: Language) -> None:
    doc = run(nlp, '"The water is rising," the engineer said. "We need more pumps," the mayor added.')
    assert [c.content.text for c in doc._.claims] == ["The water is rising", "We need more pumps"]


def test_parenthetical_attribution(nlp: Language) -> None:
    claim = only(run(nlp, "The bridge, the engineer said, will be closed for a week."))
    assert claim.speaker.name == "engineer"
    assert "will be closed for a week" in claim.content.text


def test_as_attribution(nlp: Language) -> None:
    claim = only(run(nlp, "The town was quiet, as the governor noted."))
    assert (claim.cue, claim.speaker.name, claim.content.text) == ("note", "governor", "The town was quiet")


def test_nested_attribution_belongs_to_the_outer_speaker(nlp: Language) -> None:
    claim = only(run(nlp, "The ministry said the rebels claimed the town."))
    assert claim.speaker.name == "ministry"
    assert claim.content.text == "the rebels claimed the town"


def test_contrasted_attribution_is_its_own_claim(nlp: Language) -> None:
    doc = run(nlp, "The army said the town had fallen, while the rebels say they still hold it.")
    assert {c.speaker.name for c in doc._.claims} == {"army", "rebels"}


def test_nominal_cue(nlp: Language) -> None:
    claim = only(run(nlp, "The minister's claim that the border was closed was false."))
    assert claim.cue == "claim"
    assert claim.speaker_span is not None and claim.speaker_span.text == "The minister"
    assert claim.content.text == "the border was closed"
    fear = only(run(nlp, "The mayor's fear that the dam could fail proved right."))
    assert fear.cue == "belief:fear" and fear.speaker.name == "mayor"


def test_colon_after_a_name(nlp: Language) -> None:
    claim = only(run(nlp, "Amina Yusuf: We will rebuild the market before the winter."))
    assert claim.cue == ":"
    assert claim.speaker.name == "Amina Yusuf"
    assert claim.content.text.startswith("We will rebuild the market")


def test_title_case_headline(nlp: Language) -> None:
    claim = only(run(nlp, "Mayor Warns Floods Will Return Next Spring"))
    assert claim.cue == "warn"
    assert claim.content.text == "Floods Will Return Next Spring"


def test_anonymity_request_is_no_claim_of_its_own(nlp: Language) -> None:
    claim = only(run(nlp, "A police officer, who declined to be identified, said the road was mined."))
    assert claim.cue == "say" and claim.speaker.anonymous is True


# ----------------------------------------------------------------------------- records


def test_records_point_into_the_text(nlp: Language) -> None:
    text = 'Officials said the dam held. "We were lucky," the engineer said, according to local radio.'
    doc = run(nlp, text, article_id="a-claims")
    assert doc._.claims
    for claim in doc._.claims:
        assert claim.article_id == "a-claims"
        assert claim.id.startswith("c")
        for span in (claim.content, claim.sentence, claim.speaker_span, claim.cue_span):
            assert span is not None
            assert span.text == text[span.start : span.end]
        assert claim.sentence.start <= claim.content.start and claim.content.end <= claim.sentence.end


def test_ids_are_deterministic(nlp: Language) -> None:
    text = "The ministry said the road was open. It said the airport was closed."
    first = [c.id for c in run(nlp, text)._.claims]
    second = [c.id for c in run(nlp, text)._.claims]
    assert first == second
    assert len(set(first)) == len(first) == 2


def test_unparsed_doc_gets_no_claims() -> None:
    import spacy

    from rashomon.extract.claims.component import ClaimFinder

    nlp_module.register_extensions()
    doc = spacy.blank("en")("The ministry said nine people died.")
    assert ClaimFinder()(doc)._.claims == []


# ----------------------------------------------------------------------------- the seed reports


def _clean(text: str) -> str:
    """What ingest does to markdown residue: "[X](#)" -> "X", "**X**" -> "X"."""
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)
    return re.sub(r"\*\*([^*]+)\*\*", r"\1", text)


@pytest.fixture(scope="module")
def seed_docs(seeds_dir: Path, nlp: Language) -> dict[str, Doc]:
    import datetime as dt

    expected = json.loads((seeds_dir / "expected.json").read_text(encoding="utf-8"))
    items = []
    for name, meta in expected["documents"].items():
        text = _clean((seeds_dir / name).read_text(encoding="utf-8"))
        items.append((name[:3], text, dt.date.fromisoformat(meta["published"])))
    return {doc._.article_id: doc for doc in nlp_module.process(nlp, items)}


def _names(docs: dict[str, Doc]) -> list[str]:
    return [c.speaker.name.replace(".", "") for doc in docs.values() for c in doc._.claims]


def test_seed_expected_speakers(seed_docs: dict[str, Doc]) -> None:
    names = _names(seed_docs)
    for expected in (
        "US Central Command",
        "SANA",
        "Syrian Observatory for Human Rights",
        "Rami Abdel Rahman",
        "Combined Joint Task Force",
    ):
        assert any(expected in name for name in names), (expected, names)
    assert any("Thomas Veale" in name for name in names)
    speakers = [c.speaker for doc in seed_docs.values() for c in doc._.claims]
    assert any(
        s.kind == "media" and "Syrian" in s.name and re.search(r"TV|television", s.name) for s in speakers
    )
    officials = [s for s in speakers if s.role == "official"]
    assert officials and all(s.anonymous for s in officials)
    assert any("military" in (s.organisation or "") for s in officials)


def test_seed_speaker_details(seed_docs: dict[str, Doc]) -> None:
    claims = [c for doc in seed_docs.values() for c in doc._.claims]
    veale = next(c.speaker for c in claims if "Veale" in c.speaker.name)
    assert (veale.role, veale.organisation, veale.kind) == ("spokesman", "US-led coalition", "person")
    rami = [c for c in claims if c.speaker.name == "Rami Abdel Rahman"]
    assert len(rami) == 2  # the second through "he said"
    assert rami[0].speaker.role == "head" and rami[0].speaker.anonymous is False
    sohr = next(c for c in claims if "Observatory" in c.speaker.name)
    assert sohr.cue == "according to" and sohr.speaker.anonymous is False
    for name in ("SANA", "CNN"):
        assert next(c for c in claims if c.speaker.name == name).speaker.kind == "media"


def test_seed_pronouns_and_unnamed_sources(seed_docs: dict[str, Doc]) -> None:
    claims = seed_docs["000"]._.claims
    unresolved = [c for c in claims if c.speaker.kind == "unresolved"]
    assert {c.speaker.name.lower() for c in unresolved} == {"it", "he"}  # "It said", "it admitted", "He said"
    unnamed = [c for c in claims if c.speaker.role == "official"]
    assert len(unnamed) == 1 and unnamed[0].speaker.anonymous and unnamed[0].direct
