"""The ``rashomon_figures`` component: casualty numbers, bounds, groups and speakers.

Sentences are written for these tests; the two seed reports are read in place from the shared
folder (``RASHOMON_SHARED``) and never copied here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from rashomon.extract import nlp as nlp_module
from rashomon.models import Figure

COMPONENTS = ["rashomon_claims", "rashomon_figures"]


def build_pipeline() -> Language:
    """``build_nlp`` with our two components (see tests/extract/test_claims.py for the fallback)."""
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


def figures(nlp: Language, text: str) -> list[Figure]:
    return list(run(nlp, text)._.figures)


def only(nlp: Language, text: str) -> Figure:
    found = figures(nlp, text)
    assert len(found) == 1, [(f.kind, f.text) for f in found]
    return found[0]


# ----------------------------------------------------------------------------- kinds and bounds

FIGURES = [
    # text, kind, text as written, value, low, high, qualifier, group
    (
        "The raid killed at least 30 villagers.",
        "killed",
        "at least 30",
        None,
        30,
        None,
        "at least",
        "villagers",
    ),
    (
        "More than 40 soldiers were killed in the ambush.",
        "killed",
        "More than 40",
        None,
        41,
        None,
        "more than",
        "soldiers",
    ),
    ("One policeman was wounded in the blast.", "injured", "One", 1, 1, 1, None, "policeman"),
    ("The clashes left 3 people dead.", "killed", "3", 3, 3, 3, None, "people"),
    ("Medics counted 20 dead after the flood.", "killed", "20", 20, 20, 20, None, None),
    ("The death toll rose to 12 on Monday.", "killed", "12", 12, 12, 12, None, None),
    (
        "Militia Killing 45 Government Troops Near Border",
        "killed",
        "45",
        45,
        45,
        45,
        None,
        "Government Troops",
    ),
    ("Two people died in the fire.", "killed", "Two", 2, 2, 2, None, "people"),
    ("Four were arrested at the scene.", "arrested", "Four", 4, 4, 4, None, None),
    ("Nine protesters were detained overnight.", "arrested", "Nine", 9, 9, 9, None, "protesters"),
    (
        "Nearly 1,200 residents were displaced by the floods.",
        "displaced",
        "Nearly 1,200",
        1200,
        1200,
        1200,
        "nearly",
        "residents",
    ),
    (
        "Twenty-five students were kidnapped from the school.",
        "kidnapped",
        "Twenty-five",
        25,
        25,
        25,
        None,
        "students",
    ),
    ("Dozens of protesters were arrested.", "arrested", "Dozens", None, 24, None, "dozens", "protesters"),
    ("Scores of civilians were wounded.", "injured", "Scores", None, 40, None, "scores", "civilians"),
    (
        "Hundreds of families were displaced.",
        "displaced",
        "Hundreds",
        None,
        200,
        None,
        "hundreds",
        "families",
    ),
    (
        "Between 5 and 7 fishermen are missing.",
        "missing",
        "Between 5 and 7",
        None,
        5,
        7,
        "between",
        "fishermen",
    ),
    ("The shelling killed 20 to 30 fighters.", "killed", "20 to 30", None, 20, 30, None, "fighters"),
    ("20-30 people were injured in the crash.", "injured", "20-30", None, 20, 30, None, "people"),
    ("Up to 50 people may have been killed.", "killed", "Up to 50", None, None, 50, "up to", "people"),
    ("About 60 people were abducted.", "kidnapped", "About 60", 60, 60, 60, "about", "people"),
    ("A dozen soldiers were killed.", "killed", "A dozen", 12, 12, 12, None, "soldiers"),
    ("Only 12 people were hurt.", "injured", "Only 12", 12, 12, 12, "only", "people"),
    (
        "Fewer than 10 protesters were arrested.",
        "arrested",
        "Fewer than 10",
        None,
        None,
        9,
        "fewer than",
        "protesters",
    ),
    ("Some 200 prisoners were captured.", "arrested", "Some 200", 200, 200, 200, "some", "prisoners"),
    ("The army knew of 25 fighters having been wounded.", "injured", "25", 25, 25, 25, None, "fighters"),
    (
        "Fourteen US-backed fighters were killed.",
        "killed",
        "Fourteen",
        14,
        14,
        14,
        None,
        "US-backed fighters",
    ),
    (
        "The storm killed two hundred and fifty people.",
        "killed",
        "two hundred and fifty",
        250,
        250,
        250,
        None,
        "people",
    ),
    ("Forty migrants drowned off the coast.", "killed", "Forty", 40, 40, 40, None, "migrants"),
    ("The militants executed 8 hostages.", "killed", "8", 8, 8, 8, None, "hostages"),
    ("15 deaths were reported.", "killed", "15", 15, 15, 15, None, None),
]


@pytest.mark.parametrize("text,kind,written,value,low,high,qualifier,group", FIGURES)
def test_figure(
    nlp: Language,
    text: str,
    kind: str,
    written: str,
    value: int | None,
    low: int | None,
    high: int | None,
    qualifier: str | None,
    group: str | None,
) -> None:
    fig = only(nlp, text)
    assert (fig.kind, fig.text) == (kind, written)
    assert (fig.value, fig.low, fig.high) == (value, low, high)
    assert fig.qualifier == qualifier
    assert fig.group == group


def test_two_figures_in_one_sentence(nlp: Language) -> None:
    found = figures(nlp, "The blast killed 3 people and injured 10 others.")
    assert [(f.kind, f.value) for f in found] == [("killed", 3), ("injured", 10)]


def test_coordinated_victims(nlp: Language) -> None:
    found = figures(nlp, "Fourteen militants were killed and 50 wounded.")
    assert [(f.kind, f.value) for f in found] == [("killed", 14), ("injured", 50)]


def test_among_gives_the_group(nlp: Language) -> None:
    fig = only(nlp, "The monitor counted 15 dead among the residents of the town.")
    assert (fig.kind, fig.value, fig.group) == ("killed", 15, "residents")


def test_of_phrase_gives_the_group(nlp: Language) -> None:
    fig = only(nlp, "Six of the guards were injured.")
    assert (fig.kind, fig.value, fig.group) == ("injured", 6, "guards")


# ----------------------------------------------------------------------------- not casualty figures

NOT_FIGURES = [
    "About 500 troops were deployed to the border.",
    "About 2000 peacekeepers remain in the region.",
    "The army fired 20 to 30 rockets at the town.",
    "The shells landed within 500 metres of the camp.",
    "The government paid $300 to the injured.",
    "At 5 pm on 12 March the clinic reopened.",
    "No one was killed in the attack.",
    "The attack took place in one of the busiest markets.",
    "Rescuers worked for 36 hours after 4 villages were flooded.",
    "The fighting lasted three days.",
    "Ten years ago the town was shelled.",
    "Police arrested the 3 suspects' lawyer in 2016.",
]


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_not_a_figure(nlp: Language, text: str) -> None:
    assert figures(nlp, text) == []


@pytest.mark.parametrize(
    "text", ["Four gunmen killed two policemen at a checkpoint.", "Four gunmen have killed two policemen."]
)
def test_perpetrators_are_not_victims(nlp: Language, text: str) -> None:
    found = figures(nlp, text)
    assert [(f.kind, f.value, f.group) for f in found] == [("killed", 2, "policemen")]


def test_partitive_counts_the_part(nlp: Language) -> None:
    found = figures(nlp, "Two of the four passengers were arrested.")
    assert [(f.kind, f.value, f.group) for f in found] == [("arrested", 2, "passengers")]


def test_number_after_of_belongs_to_the_noun_before(nlp: Language) -> None:
    found = figures(nlp, "A young father of three is dead.")
    assert [(f.kind, f.value, f.text) for f in found] == [("killed", 1, "A young father")]


def test_an_age_is_no_count(nlp: Language) -> None:
    found = figures(nlp, "A 25-year-old man was killed in 2019. Jon Marsh, 29, was wounded.")
    assert [(f.kind, f.value, f.text) for f in found] == [
        ("killed", 1, "man"),
        ("injured", 1, "Jon Marsh"),
    ]


def test_negated_predicate(nlp: Language) -> None:
    assert figures(nlp, "Two passengers were not hurt.") == []


def test_no_double_counting_of_one_number(nlp: Language) -> None:
    found = figures(nlp, "At least 12 people were killed, 12 people in all.")
    assert len([f for f in found if f.low == 12]) == 1


def test_repeated_headline_counts_once(nlp: Language) -> None:
    text = (
        "Militia Killing 45 Government Troops\n\nMilitia Killing 45 Government Troops\n\n"
        "The fighting went on for hours."
    )
    found = figures(nlp, text)
    assert [(f.kind, f.value) for f in found] == [("killed", 45)]


def test_same_number_in_two_sentences_is_kept_twice(nlp: Language) -> None:
    found = figures(nlp, "Eight people were killed on Monday. The police said eight people were killed.")
    assert [f.value for f in found] == [8, 8]
    assert found[0].speaker is None and found[1].speaker is not None


# ----------------------------------------------------------------------------- context rules

CONTEXT_FIGURES = [
    # text, kind, text as written, value, low, high, qualifier, group
    # armies' words for killing
    ("The army said 15 insurgents had been neutralised.", "killed", "15", 15, 15, 15, None, "insurgents"),
    ("Officials said 40 enemy soldiers were eliminated.", "killed", "40", 40, 40, 40, None,
     "enemy soldiers"),
    # injury phrases after the group, and "treating ... for wounds" before it
    ("Six bystanders sustained serious injuries.", "injured", "Six", 6, 6, 6, None, "bystanders"),
    ("Nine people with burns were taken to the clinic.", "injured", "Nine", 9, 9, 9, None, "people"),
    ("Doctors were treating 14 children for shrapnel wounds.", "injured", "14", 14, 14, 14, None,
     "children"),
    ("About 40 people had been treated for gunshot wounds.", "injured", "About 40", 40, 40, 40, "about",
     "people"),
    # "the number of <casualty word> ... to N"
    ("A boy died overnight, bringing the number of dead to nine.", "killed", "nine", 9, 9, 9, None, None),
    ("The number of people killed in the raid on the camp has risen to 11.", "killed", "11", 11, 11, 11,
     None, None),
    ("Medics put the number of wounded at between 20 and 25.", "injured", "between 20 and 25", None, 20, 25,
     "between", None),
    # "lost" + people
    ("The militia said it had lost five fighters.", "killed", "five", 5, 5, 5, None, "fighters"),
    # a count noun after a modifier
    ("Police confirmed 8 civilian deaths.", "killed", "8", 8, 8, 8, None, None),
    # a prepositional phrase or an appositive between the group and its predicate
    ("More than 150 families from two villages fled to the city.", "displaced", "More than 150", None, 151,
     None, "more than", "families"),
    ("Seven members of the militia, a local defence force, were killed.", "killed", "Seven", 7, 7, 7, None,
     "members"),
    # a part of a casualty noun
    ("Three of the wounded were children.", "injured", "Three", 3, 3, 3, None, "children"),
]


@pytest.mark.parametrize("text,kind,written,value,low,high,qualifier,group", CONTEXT_FIGURES)
def test_context_figure(
    nlp: Language,
    text: str,
    kind: str,
    written: str,
    value: int | None,
    low: int | None,
    high: int | None,
    qualifier: str | None,
    group: str | None,
) -> None:
    found = [f for f in figures(nlp, text) if f.text == written]  # "A boy died ...": the boy is one more figure
    assert len(found) == 1, [(f.kind, f.text) for f in figures(nlp, text)]
    fig = found[0]
    assert (fig.kind, fig.text) == (kind, written)
    assert (fig.value, fig.low, fig.high) == (value, low, high)
    assert fig.qualifier == qualifier
    assert fig.group == group


def test_part_of_the_figure_before(nlp: Language) -> None:
    found = figures(nlp, "At least 15 people died, six of them police officers.")
    assert [(f.kind, f.low, f.group) for f in found] == [
        ("killed", 15, "people"),
        ("killed", 6, "police officers"),
    ]


def test_an_explicit_predicate_beats_the_partitive_noun(nlp: Language) -> None:
    found = figures(nlp, "Two of the wounded died in hospital.")
    assert [(f.kind, f.value) for f in found] == [("killed", 2)]


BACKGROUND_TOTALS = [
    "The region is torn by a conflict that has killed tens of thousands of people and displaced 2 million.",
    "The insurgency has killed more than 35,000 people.",
    "Armed groups have killed 120 farmers in the province since 2015.",
    "At least 80 people have been killed in similar attacks so far this year.",
    "Bandits have killed 500 villagers in the past decade.",
    "Rebels have killed more than 300 civilians since January.",
]


@pytest.mark.parametrize("text", BACKGROUND_TOTALS)
def test_background_totals_are_not_figures(nlp: Language, text: str) -> None:
    """They are kept, scoped as another incident's (or a wider conflict's) toll, with the reason."""
    found = figures(nlp, text)
    assert [f for f in found if f.scope != "other_incident"] == []
    assert all(f.scope_reason for f in found)


@pytest.mark.parametrize(
    "text,value",
    [
        ("At least 12 people were killed on Tuesday in the deadliest attack this year.", 12),
        ("Fighting since Sunday has killed 20 people.", 20),
        ("Two people, including a 16-year-old, were killed.", 2),
        ("A bomb killed 9 people on 3 March 2019.", 9),
    ],
)
def test_dates_that_do_not_make_a_background_total(nlp: Language, text: str, value: int) -> None:
    assert [f.point for f in figures(nlp, text) if f.kind == "killed"] == [value]


@pytest.mark.parametrize(
    "text",
    ["The company lost 40 jobs last year.", "The clinic received 30 patients with malaria."],
)
def test_context_words_alone_make_no_figure(nlp: Language, text: str) -> None:
    assert figures(nlp, text) == []


def test_a_number_inside_a_prepositional_phrase_is_not_the_subject(nlp: Language) -> None:
    found = figures(nlp, "About 300 people from three settlements had fled to the town.")
    assert [(f.kind, f.value, f.group) for f in found] == [("displaced", 300, "people")]


# ----------------------------------------------------------------------------- speakers


def test_speaker_of_the_claim_around_the_figure(nlp: Language) -> None:
    doc = run(nlp, "The strikes killed 12 civilians, the Observatory said.")
    (fig,) = doc._.figures
    (claim,) = doc._.claims
    assert fig.speaker == claim.speaker
    assert fig.speaker is not None and fig.speaker.name == "Observatory"
    assert fig.claim_id == claim.id


def test_speaker_when_the_figure_sits_beside_the_content(nlp: Language) -> None:
    text = "According to the local council, which counted 15 dead among the residents, the fighting stopped."
    fig = only(nlp, text)
    assert fig.speaker is not None and fig.speaker.name == "local council"
    assert fig.group == "residents"


def test_anonymous_speaker_of_a_quote(nlp: Language) -> None:
    text = (
        '"We estimate that 40 attackers were killed," while two guards were wounded, a police official '
        "said on condition of anonymity."
    )
    found = figures(nlp, text)
    assert [(f.kind, f.value) for f in found] == [("killed", 40), ("injured", 2)]
    for fig in found:
        assert fig.speaker is not None
        assert fig.speaker.anonymous is True and fig.speaker.role == "official"


def test_unresolved_speaker(nlp: Language) -> None:
    fig = only(nlp, "The ministry spoke first. It also said that 3 soldiers were wounded.")
    assert fig.speaker is not None and (fig.speaker.name, fig.speaker.kind) == ("It", "unresolved")


def test_unattributed_figure(nlp: Language) -> None:
    fig = only(nlp, "Eight people were killed in the blast.")
    assert fig.speaker is None and fig.claim_id is None


def test_resolved_pronoun_speaker(nlp: Language) -> None:
    text = "Omar Said, the governor of the province, spoke to reporters. He said 9 people died."
    doc = run(nlp, text)
    (fig,) = doc._.figures
    assert fig.speaker is not None and fig.speaker.kind in ("person", "unresolved")
    text = "Omar Said, the governor of the province, said the town was calm. He said 9 people died."
    (fig,) = run(nlp, text)._.figures
    assert fig.speaker is not None and fig.speaker.name == "Omar Said"


# ----------------------------------------------------------------------------- records


def test_records_point_into_the_text(nlp: Language) -> None:
    text = "Police said 7 people were hurt.\n\nLater, the toll of dead rose to 11."
    doc = run(nlp, text, article_id="a-fig")
    assert [f.value for f in doc._.figures] == [7, 11]
    for fig in doc._.figures:
        assert fig.article_id == "a-fig"
        assert fig.id.startswith("f")
        assert fig.span.text == text[fig.span.start : fig.span.end] == fig.text
        assert fig.sentence.start <= fig.span.start and fig.span.end <= fig.sentence.end
        assert fig.sentence.text == text[fig.sentence.start : fig.sentence.end]
    assert len({f.id for f in doc._.figures}) == 2
    assert [f.id for f in run(nlp, text, article_id="a-fig")._.figures] == [f.id for f in doc._.figures]


def test_point(nlp: Language) -> None:
    assert only(nlp, "More than 40 soldiers were killed.").point == 41
    assert only(nlp, "Up to 50 people were killed.").point == 50


# ----------------------------------------------------------------------------- the seed reports


def _clean(text: str) -> str:
    """What ingest does to markdown residue: "[X](#)" -> "X", "**X**" -> "X"."""
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)
    return re.sub(r"\*\*([^*]+)\*\*", r"\1", text)


@pytest.fixture(scope="module")
def seed_figures(seeds_dir: Path, nlp: Language) -> dict[str, list[Figure]]:
    expected = json.loads((seeds_dir / "expected.json").read_text(encoding="utf-8"))
    items = []
    for name, meta in expected["documents"].items():
        text = _clean((seeds_dir / name).read_text(encoding="utf-8"))
        items.append((name[:3], text, dt.date.fromisoformat(meta["published"])))
    return {doc._.article_id: list(doc._.figures) for doc in nlp_module.process(nlp, items)}


def _find(found: list[Figure], kind: str, written: str) -> Figure:
    matches = [f for f in found if f.kind == kind and f.text.lower() == written]
    assert len(matches) == 1, [(f.kind, f.text) for f in found]
    return matches[0]


def test_seed_killed(seed_figures: dict[str, list[Figure]]) -> None:
    more = _find(seed_figures["004"], "killed", "more than 100")
    assert (more.low, more.high, more.value) == (101, None, None)
    assert more.speaker is not None and more.speaker.anonymous and more.speaker.role == "official"
    assert "military" in (more.speaker.organisation or more.speaker.name)
    assert more.group == "Syrian pro-government forces"

    least = _find(seed_figures["004"], "killed", "at least 100")
    assert (least.low, least.high) == (100, None)
    assert least.speaker is not None and least.speaker.anonymous and least.speaker.organisation == "US"

    headline = _find(seed_figures["000"], "killed", "100")
    assert headline.value == 100 and headline.speaker is None

    sohr = _find(seed_figures["004"], "killed", "20")
    assert sohr.value == 20
    assert sohr.speaker is not None and "Syrian Observatory for Human Rights" in sohr.speaker.name
    assert not sohr.speaker.anonymous


def test_seed_injured(seed_figures: dict[str, list[Figure]]) -> None:
    one = _find(seed_figures["004"], "injured", "one")
    assert one.value == 1 and one.group is not None and "SDF" in one.group
    assert one.speaker is not None and one.speaker.anonymous

    militia = _find(seed_figures["000"], "injured", "25")
    assert militia.value == 25 and militia.group == "Syrian militia members"
    assert militia.speaker is not None and militia.speaker.kind == "unresolved"


def test_seed_numbers_that_count_other_things(seed_figures: dict[str, list[Figure]]) -> None:
    everything = [f for found in seed_figures.values() for f in found]
    for fig in everything:
        assert {fig.value, fig.low, fig.high} & {500, 2000} == set()
        assert (fig.low, fig.high) != (20, 30)


def test_seed_complete_lists(seed_figures: dict[str, list[Figure]]) -> None:
    """Every figure of the two reports (the 000 headline is printed twice: counted once)."""
    read = {doc: sorted((f.kind, f.text.lower()) for f in found) for doc, found in seed_figures.items()}
    assert read["000"] == [("injured", "25"), ("killed", "100")]
    assert read["004"] == sorted(
        [
            ("killed", "100"),
            ("killed", "at least 100"),
            ("killed", "more than 100"),
            ("injured", "one"),
            ("killed", "20"),
        ]
    )
    for found in seed_figures.values():
        for fig in found:
            assert fig.claim_id is None or fig.speaker is not None


# ----------------------------------------------------------------------------- single victims

SINGLE_VICTIMS = [
    # text, kind, words naming the victim
    ("An 83-year-old man was shot and killed beside his garage.", "killed", "man"),
    ("A neighbour shot and killed a 22-year-old woman.", "killed", "woman"),
    ("Tomas Verhoek was killed outside his shop.", "killed", "Tomas Verhoek"),
    ("He was pronounced dead at the scene.", "killed", "He"),
    ("Officers found the body of a teenager behind the school.", "killed", "a teenager"),
    ("Detectives are looking into the fatal shooting of a bus driver.", "killed", "a bus driver"),
    ("The victim was flown to a trauma centre in critical condition.", "injured", "The victim"),
    ("A woman suffered a gunshot wound to the leg.", "injured", "A woman"),
    ("An 88-year-old man was shot in the elbow at dawn.", "injured", "man"),
]


@pytest.mark.parametrize("text,kind,written", SINGLE_VICTIMS)
def test_single_victim(nlp: Language, text: str, kind: str, written: str) -> None:
    found = figures(nlp, text)
    assert {(f.kind, f.value, f.low, f.high, f.qualifier) for f in found} == {(kind, 1, 1, 1, None)}
    assert written in {f.text for f in found}


@pytest.mark.parametrize(
    "text",
    [
        "No one was hurt.",
        "Neither officer was injured.",
        "The gunman threatened to kill the clerk.",
        "He could have been killed.",
        "Someone shot at the car twice.",
        "Shooting suspect Dale Firth surrendered on Monday.",
    ],
)
def test_no_single_victim(nlp: Language, text: str) -> None:
    assert figures(nlp, text) == []


def test_one_victim_mentioned_thrice_has_one_group(nlp: Language) -> None:
    found = figures(
        nlp,
        "A 30-year-old man was shot on Elm Street. He was rushed to a clinic, where he died. "
        "Police identified the victim as Aaron Pike. Pike had moved to the city in May.",
    )
    assert {f.kind for f in found} == {"killed"}  # a victim who died is not also injured
    assert len({f.group for f in found}) == 1


def test_two_victims_in_one_breath(nlp: Language) -> None:
    found = figures(nlp, "A man and a woman were shot on Sunday.")
    singles = [f for f in found if f.value == 1]
    assert [f.kind for f in singles] == ["injured", "injured"]
    assert len({f.group for f in singles}) == 2
    assert [(f.kind, f.value, f.text) for f in found if f.value != 1] == [("injured", 2, "A man and a woman")]


def test_shot_without_outcome_counts_the_living(nlp: Language) -> None:
    found = figures(nlp, "Three people were shot outside a bar. One of them died.")
    assert sorted((f.kind, f.point) for f in found) == [("injured", 2), ("killed", 1)]


def test_noun_that_counts_the_dead(nlp: Language) -> None:
    found = figures(nlp, "Police are investigating an apparent murder-suicide in the suburb.")
    assert [(f.kind, f.value) for f in found] == [("killed", 2)]


def test_earlier_incident_is_not_counted(nlp: Language) -> None:
    text = (
        "A man was killed on Tuesday, Jan. 12, 2016, in the city. "
        "It is the deadliest month since 2007, when 28 people were killed. "
        "In 1998, a clerk was shot to death in the same street."
    )
    found = figures(nlp, text)
    assert [(f.kind, f.value, f.text) for f in found if f.scope != "other_incident"] == [("killed", 1, "A man")]
    assert [f.value for f in found if f.scope == "other_incident"] == [28]  # kept, as another incident's
