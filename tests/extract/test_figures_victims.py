"""Victims counted without a number: coordinations, "both", victims told apart, statistics kept out.

The article count used here is the one of the GVDB eval (the largest figure of each kind), so a
test reads as "this text reports N killed and M injured".  All sentences are written for these
tests.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from rashomon.extract import nlp as nlp_module
from rashomon.models import Figure

COMPONENTS = ["rashomon_claims", "rashomon_figures"]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return nlp_module.build_nlp(components=COMPONENTS)


def figures(nlp: Language, text: str) -> list[Figure]:
    doc = next(nlp_module.process(nlp, [("t1", text, None)]))
    return list(doc._.figures)


def counts(nlp: Language, text: str) -> tuple[int, int]:
    """(killed, injured): the largest figure of each kind, 0 without one (another incident's toll,
    kept with its scope, is not this article's count)."""
    found = [f for f in figures(nlp, text) if f.scope != "other_incident"]
    return tuple(  # type: ignore[return-value]
        max((f.point or 0 for f in found if f.kind == kind), default=0) for kind in ("killed", "injured")
    )


COUNTS = [
    # one sentence, several victims
    ("A man and a woman were shot and killed on Tuesday night.", (2, 0)),
    ("A teenage boy was killed and his uncle was wounded in the gunfire at the fair.", (1, 1)),
    ("A man was killed and his brother was injured in a shooting on Sunday.", (1, 1)),
    ("One woman was shot in the hand and a 52-year-old woman was shot through the hip.", (0, 2)),
    ("One guard was killed, another was injured and the crowd scattered.", (1, 1)),
    # "both" and "they"
    ("A man and a woman were shot on Tuesday. Both were taken to a hospital in critical condition.", (0, 2)),
    (
        ("Ann Lee, 15, and Dan Moss, 17, were shot on Main Street. Both teens were rushed to a clinic, "
        "where they died hours later."),
        (2, 0),
    ),
    ("Detectives are looking into an apparent murder-suicide. Both had suffered one gunshot wound to the chest.", (2, 0)),
    # victims told apart across sentences
    (
        ("Deputies say one man was shot and badly wounded. A second victim was found three streets away "
        "with a gunshot wound to the knee."),
        (0, 2),
    ),
    (
        ("Officers report one person died and a second was injured after a carjacking. The second victim "
        "was driven to the medical centre. Detectives combed the lot where the victim was killed."),
        (1, 1),
    ),
    (
        ("A woman was shot in a holdup at her flower shop on Friday. The mother was driven to a "
        "hospital in serious condition. The daughter was taken to a clinic to be checked."),
        (0, 2),
    ),
    (
        ("Hours later the suspect was found dead, a self-inflicted gunshot wound in his chest. The victim, "
        "a teacher, was shot three times and suffered serious injuries. Doctors said the victim died early "
        "on Wednesday."),
        (2, 0),
    ),
    ("A woman faces charges after prosecutors say she shot and killed another woman on Saturday.", (1, 0)),
    ("The gunman fatally shot Tom Reed outside the bar. The gunman also shot and killed a bystander.", (2, 0)),
    ("A man was shot and killed on Sunday. The victim was also stabbed in the arm.", (1, 0)),
    ("A teenager shot his father on Monday. His dad was brought to a clinic in good condition.", (0, 1)),
    # a victim found dead, a shot at a given time
    ("The man found dead on Tuesday morning has been named. Detectives said he had several gunshot wounds.", (1, 0)),
    ("Deputies said a man was shot on Birch Lane at 11:15 p.m. Saturday.", (0, 1)),
    ("A man was shot at a party on Sunday.", (0, 1)),
    # no event, no victim
    ("The house was shot at several times overnight.", (0, 0)),
    ("The slug came within a foot of possibly killing the clerk.", (0, 0)),
    ("He was nearly killed when the car hit the wall.", (0, 0)),
    ("A non-fatal shooting left a man wounded on Sunday.", (0, 1)),
    ("The shooting suspect was arrested on Monday, and the homicide suspect fled.", (0, 0)),
    ("If that is the case, the law says the shooting becomes a triple homicide.", (0, 0)),
    ("A second victim was found near the river with a gunshot wound.", (0, 1)),
    # statistics are not the incident's
    (
        ("A man was shot and killed on Tuesday. Nationwide, 21,022 people have been killed and 42,000 injured "
        "in shootings this year."),
        (1, 0),
    ),
    ("A man was shot and killed on Tuesday. In Chicago, 2,988 people were shot in 2015, and 468 were killed.", (1, 0)),
    ("A man died on Tuesday. More than 30,000 people are killed with guns across the country every year.", (1, 0)),
    ("Late on Thursday two people were shot and killed outside the United States consulate.", (2, 0)),
]


@pytest.mark.parametrize("text,expected", COUNTS)
def test_article_counts(nlp: Language, text: str, expected: tuple[int, int]) -> None:
    assert counts(nlp, text) == expected, [(f.kind, f.value, f.text) for f in figures(nlp, text)]


def test_coordinated_victims_make_one_figure_of_two(nlp: Language) -> None:
    found = figures(nlp, "A man and a woman were shot and killed on Tuesday night.")
    assert [(f.kind, f.text) for f in found if f.value == 2] == [("killed", "A man and a woman")]
    assert len({f.group for f in found if f.value == 1}) == 2  # each person is one group


def test_headline_run_of_victims(nlp: Language) -> None:
    text = "Mother And Daughter Wounded In Shooting\n\nPolice are looking for the gunman."
    assert counts(nlp, text) == (0, 2)


def test_one_man_is_one_figure(nlp: Language) -> None:
    found = figures(nlp, "One man was wounded in the attack.")
    assert [(f.kind, f.value) for f in found] == [("injured", 1)]


def test_victim_named_after_a_place_clause(nlp: Language) -> None:
    text = "Lena Ortiz, 24, of Yonkers, who is still hospitalized with minor injuries, was charged on Monday."
    found = figures(nlp, text)
    assert [(f.kind, f.value, f.group) for f in found] == [("injured", 1, "Lena Ortiz")]
