"""The ``rashomon_actors`` component: patterns, normalisation, NER filtering, sides.

Sentences are written for these tests; the two seed reports are read in place from the shared
folder (``RASHOMON_SHARED``) and never copied here.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from rashomon.extract import nlp as nlp_module
from rashomon.extract.actors.component import ActorFinder
from rashomon.models import Actor

COMPONENTS = ["rashomon_actors"]


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


def actors(nlp: Language, text: str) -> dict[str, Actor]:
    return {a.name: a for a in run(nlp, text)._.actors}


def sides(nlp: Language, text: str) -> dict[str, str | None]:
    return {name: a.side for name, a in actors(nlp, text).items()}


# ----------------------------------------------------------------------------- names

def test_aliases_normalise_and_deduplicate(nlp: Language) -> None:
    found = run(nlp, "The Syrian Democratic Forces (SDF) said the SDF had lost two fighters.")._.actors
    assert [a.name for a in found] == ["Syrian Democratic Forces"]
    actor = found[0]
    assert actor.kind == "armed_group" and actor.text == "Syrian Democratic Forces"
    assert actor.span is not None and actor.span.text == actor.text


def test_islamic_state_spellings_and_case_sensitive_acronym(nlp: Language) -> None:
    found = actors(nlp, "ISIS claimed the attack. Daesh had threatened the town and the Islamic State "
                        "is active.")
    assert list(found) == ["Islamic State"]
    assert actors(nlp, "It is clear that the talks failed, as is often the case.") == {}


def test_coalition_aliases_and_generic_coalition(nlp: Language) -> None:
    found = actors(nlp, "The US-led coalition said the anti-ISIS coalition and the Combined Joint Task Force "
                        "would respond. The coalition gave no figures.")
    assert list(found) == ["US-led coalition"]
    assert actors(nlp, "The ruling coalition collapsed on Monday.") == {}  # no specific coalition named


def test_generic_merged_into_the_named_actor_of_its_family(nlp: Language) -> None:
    found = actors(nlp, "Regime forces shelled the town, a day after the Syrian Arab Army entered it.")
    assert list(found) == ["Syrian pro-government forces"]
    assert found["Syrian pro-government forces"].text == "Regime forces"  # first mention kept


def test_nationality_qualifies_generic_phrases(nlp: Language) -> None:
    found = actors(nlp, "Russian troops and Turkish soldiers patrolled the area as the forces withdrew.")
    assert set(found) == {"Russian forces", "Turkish forces"}  # bare "forces" is no actor
    assert found["Russian forces"].kind == "state_force"
    assert "Iraqi pro-government forces" in actors(nlp, "Iraqi government forces attacked the village.")


def test_outlets_and_monitors_are_not_actors(nlp: Language) -> None:
    text = ("Reuters reported that CNN said, citing the Syrian Observatory for Human Rights, "
            "that nobody was hurt.")
    assert actors(nlp, text) == {}


def test_places_are_actors_only_when_they_act(nlp: Language) -> None:
    assert actors(nlp, "The attack took place in Syria.") == {}
    found = actors(nlp, "Russia bombed rebel positions near Idlib.")
    assert found["Russia"].kind == "government" and "Idlib" not in found


def test_a_town_that_is_attacked_is_a_place_not_a_side(nlp: Language) -> None:
    # Towns are targets' places; only states act as governments ("Vietnam" by GeoNames' short name).
    found = sides(nlp, "Gunmen attacked Maiduguri overnight and Kaduna was shelled by the rebels.")
    assert "Maiduguri" not in found and "Kaduna" not in found
    assert found["unidentified gunmen"] == "a"
    assert actors(nlp, "Vietnam accused the militia of attacking its border posts.")["Vietnam"].kind == "government"


def test_a_dateline_names_where_the_report_was_filed_not_who_acted(nlp: Language) -> None:
    # The parse attaches a dateline's country to the attack of the lead; it never acted.
    assert "Peru" not in actors(nlp, "LIMA, Peru (AP) — A nighttime rocket attack on the southern town of Ilave "
                                      "killed five people, officials said.")
    found = sides(nlp, "TUNIS, Tunisia — A drone strike on the port killed four fishermen, the coast guard said.")
    assert "Tunisia" not in found and "coast guard" in found
    assert "Tunisia" in actors(nlp, "Tunisia said its coast guard had clashed with smugglers off Sfax.")


def test_a_town_tagged_as_an_organisation_is_no_actor(nlp: Language) -> None:
    from rashomon.extract.actors.component import _state_name, _town_name

    assert _town_name("Kramatorsk") and _town_name("KRAMATORSK")
    assert not _town_name("Amnesty International") and not _town_name("Hamas")  # a spelling key is no name
    assert _state_name("Russia") == "Russia" and _state_name("Borno") is None


def test_affiliation_modifiers_are_not_actors(nlp: Language) -> None:
    found = actors(nlp, "Militants attacked a police station, a military spokesman said.")
    assert set(found) == {"militants", "police"}  # no "armed forces" from "military spokesman"


# ----------------------------------------------------------------------------- sides

def test_subject_and_object_of_attack_verb(nlp: Language) -> None:
    assert sides(nlp, "Gunmen killed three policemen in an attack on a checkpoint.") == {
        "unidentified gunmen": "a", "police": "b"}


def test_unqualified_soldiers_count_when_they_act(nlp: Language) -> None:
    found = sides(nlp, "Soldiers killed three militants near the border.")
    assert found == {"armed forces": "a", "militants": "b"}
    assert actors(nlp, "The talks on army reform ended without a deal.") == {}


def test_passive_agent(nlp: Language) -> None:
    found = sides(nlp, "Five civilians were killed by Boko Haram militants.")
    assert found == {"civilians": "b", "Boko Haram": "a"}


def test_attack_noun_with_preposition(nlp: Language) -> None:
    found = sides(nlp, "Hezbollah fired rockets at Israeli troops.")
    assert found == {"Hezbollah": "a", "Israeli forces": "b"}
    found = sides(nlp, "The army said an attack by al-Shabaab against Kenyan troops was repelled.")
    assert found["al-Shabaab"] == "a" and found["Kenyan forces"] == "b"


def test_light_verb_and_named_group_absorbs_generic(nlp: Language) -> None:
    found = actors(nlp, "Al-Shabaab militants stormed a hotel in Mogadishu, killing 15 people.")
    assert list(found) == ["al-Shabaab"] and found["al-Shabaab"].side == "a"
    assert found["al-Shabaab"].text == "Al-Shabaab militants"
    assert sides(nlp, "Unidentified gunmen abducted two aid workers.") == {"unidentified gunmen": "a"}


def test_symmetric_clash_gives_no_direction(nlp: Language) -> None:
    assert sides(nlp, "Taliban fighters clashed with Afghan security forces.") == {
        "Taliban": None, "Afghan security forces": None}


def test_no_attack_no_side(nlp: Language) -> None:
    assert sides(nlp, "The Syrian Democratic Forces held talks with the Syrian Arab Army.") == {
        "Syrian Democratic Forces": None, "Syrian pro-government forces": None}


def test_camps_follow_alliances_and_oppositions(nlp: Language) -> None:
    finder = nlp.get_pipe("rashomon_actors")
    assert isinstance(finder, ActorFinder)
    names = ["coalition", "SDF", "regime"]
    rels = [
        ({"coalition"}, {"regime"}, False, 2.0),  # the coalition struck regime forces (lead)
        (set(), {"SDF"}, False, 2.0),  # an attack on the SDF
        ({"regime"}, {"SDF"}, False, 1.0),  # regime forces struck SDF positions
        ({"SDF", "coalition"}, set(), False, 1.0),  # the SDF and the coalition targeted ...
    ]
    assert finder.sides(names, rels) == {"coalition": "a", "SDF": "a", "regime": "b"}
    assert finder.sides(["x", "y"], [({"x"}, {"y"}, True, 1.0)]) == {}


# ----------------------------------------------------------------------------- seeds

def _strip_markdown(text: str) -> str:
    return re.sub(r"\*\*(.*?)\*\*", r"\1", re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text))


@pytest.mark.shared
def test_seeds_sides(nlp: Language, seeds_dir: Path) -> None:
    texts = {p.name[:3]: _strip_markdown(p.read_text("utf-8")) for p in seeds_dir.glob("00[04]_*.txt")}
    items = [("004", texts["004"], dt.date(2018, 2, 8)), ("000", texts["000"], dt.date(2018, 2, 12))]
    docs = {doc._.article_id: doc for doc in nlp_module.process(nlp, items)}

    found = {a.name: a for a in docs["004"]._.actors}
    side_a = {n for n, a in found.items() if a.side == "a"}
    side_b = {n for n, a in found.items() if a.side == "b"}
    assert side_a == {"Syrian Democratic Forces", "US-led coalition"}
    assert side_b == {"Syrian pro-government forces"}
    assert found["Syrian Democratic Forces"].text == "SDF"
    assert not {"Middle East Eye", "Global Research", "Syrian Observatory for Human Rights"} & set(found)

    found = {a.name: a for a in docs["000"]._.actors}
    assert found["US-led coalition"].side == "a"
    assert found["Syrian pro-government forces"].side == "b"
    assert "CNN" not in found and "SANA" not in found
