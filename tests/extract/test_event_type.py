"""The ``rashomon_event_type`` component (event type + weapons) and the taxonomy document.

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
from rashomon.extract.event_type import headline_range, load_taxonomy, load_weapons

COMPONENTS = ["rashomon_event_type"]
REPO = Path(__file__).resolve().parents[2]

# ACLED's event types and their sub-event types (ACLED codebook names).
ACLED = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb", "Grenade",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}


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


# A headline and a lead paragraph for every code.
EXAMPLES = {
    "armed_clash": "Rebels and army clash near border town\n\nHeavy fighting broke out between rebels and "
                   "government troops on Sunday, with both sides reporting losses in the battle.",
    "air_strike": "Air strikes hit market in rebel-held town\n\nWarplanes carried out several air strikes "
                  "on the market, residents said.",
    "shelling": "Artillery shelling kills four in frontline village\n\nMortar rounds and artillery shells "
                "landed on the village throughout the night.",
    "bombing": "Roadside bomb kills two soldiers\n\nAn improvised explosive device exploded as the patrol "
               "passed, the army said.",
    "suicide_bombing": "Suicide bomber kills 20 at mosque\n\nA suicide bomber blew himself up among "
                       "worshippers during Friday prayers.",
    "grenade_attack": "Grenade attack on bar wounds six\n\nA man threw a hand grenade into the crowded "
                      "bar late on Saturday.",
    "attack_on_civilians": "Villagers massacred in overnight raid\n\nArmed men attacked the village and "
                           "killed 30 unarmed villagers, including women and children.",
    "shooting": "Gunman opens fire at shopping centre\n\nA gunman shot dead five people with a handgun "
                "before being arrested by police, in a mass shooting.",
    "abduction": "Gunmen kidnap 12 students from school\n\nThe students were abducted at night and their "
                 "captors have demanded a ransom.",
    "sexual_violence": "Soldiers accused of rape in eastern villages\n\nWomen said they had been attacked "
                       "by uniformed men, and aid groups reported widespread sexual violence.",
    "arrest": "Police arrest opposition leader\n\nSecurity forces detained the leader and five aides at "
              "dawn and took them into custody.",
    "protest": "Thousands protest against fuel price rise\n\nDemonstrators marched peacefully through the "
               "capital, chanting slogans and carrying placards.",
    "riot": "Riot erupts after disputed vote\n\nRioters threw stones at police and set cars alight in a "
            "violent demonstration.",
    "mob_violence": "Mob lynches suspected thief\n\nAn angry crowd beat the man to death before police "
                    "arrived, in a case of mob justice.",
    "property_destruction": "Looting spreads in port city\n\nShops were looted and ransacked overnight, "
                            "and several warehouses were burnt down.",
    "chemical_attack": "Chlorine attack on besieged suburb\n\nHelicopters dropped barrels of toxic gas on "
                       "the suburb, and doctors treated dozens of people for suffocation.",
    "protest_intervention": "Police break up student rally\n\nOfficers fired tear gas and detained dozens "
                            "of protesters to disperse a sit-in outside the ministry.",
    "protest_force": "Troops open fire on marchers\n\nSoldiers fired live ammunition at peaceful "
                     "demonstrators, killing four protesters, witnesses said.",
    "territory_regained": "Army retakes river town from rebels\n\nGovernment troops regained control of "
                          "the town after the rebels fled, the defence ministry said.",
    "territory_seized": "Rebels seize border district\n\nInsurgents captured the district headquarters "
                        "and took control of the main road, local officials said.",
    "territory_handover": "Militia hands over hill town\n\nThe militia withdrew from the town without a "
                          "fight and handed it over to the regional guard under a local deal.",
    "agreement": "Warring sides sign ceasefire\n\nThe two sides agreed to a truce and a prisoner exchange "
                 "at talks on Sunday.",
    "group_change": "Hundreds of fighters defect to the army\n\nAbout 300 fighters defected with their "
                    "weapons, and the army sent reinforcements to the area.",
    "weapons_seized": "Police seize weapons cache in raid\n\nOfficers found a cache of rifles and "
                      "ammunition in a farmhouse, and a bomb disposal team defused two devices.",
    "base_established": "Troops set up new base near the border\n\nSoldiers established an observation "
                        "post and a new base on the ridge this week.",
    "organised_crime": "Drug smugglers caught at the port\n\nCustoms officers intercepted a gang "
                       "trafficking cocaine hidden in banana crates.",
    "natural_disaster": "Earthquake shakes coastal towns\n\nA magnitude 6.1 earthquake and several "
                        "aftershocks damaged homes along the coast.",
    "accident": "Fire breaks out at chemical plant\n\nFirefighters battled a blaze after a gas leak "
                "caused an explosion at the factory.",
    "diplomacy": "Country expels envoys in spying row\n\nThe foreign ministry expelled three diplomats "
                 "and summoned the ambassador over espionage claims.",
    "responsibility_claim": "Militant group claims market attack\n\nThe group claimed responsibility for "
                            "the bomb attack in a statement on Friday.",
}


def test_every_code_has_an_example() -> None:
    assert set(EXAMPLES) == {t["code"] for t in load_taxonomy()}


@pytest.mark.parametrize("code", list(EXAMPLES))
def test_each_code(nlp: Language, code: str) -> None:
    doc = run(nlp, EXAMPLES[code])
    event = doc._.event_type
    assert event is not None and event.code == code
    info = next(t for t in load_taxonomy() if t["code"] == code)
    assert (event.acled_event_type, event.acled_sub_event_type) == (
        info["acled_event_type"], info["acled_sub_event_type"])
    assert event.evidence and all(doc.text[s.start:s.end] == s.text for s in event.evidence)


@pytest.mark.parametrize(
    "text",
    ["The council approved the new budget on Tuesday after a long debate in the chamber.",
     "Opposition blasted the government over its budget plans, calling them reckless and unfair."],
)
def test_no_event(nlp: Language, text: str) -> None:
    assert run(nlp, text)._.event_type is None  # "blasted" (criticised) is no explosion


def test_headline_counts_double(nlp: Language) -> None:
    text = "Police arrest 12 after raid\n\nOfficers said the operation went on all night."
    event = run(nlp, text)._.event_type
    assert event is not None and event.code == "arrest" and event.score == 8.0  # "arrest" (4) x 2
    event = run(nlp, "Officers said the operation went on all night. Police arrest 12 people after a dawn "
                     "raid on the camp.")._.event_type
    assert event is not None and event.score == 4.0  # no headline: a lead sentence counts once
    assert run(nlp, "Officers said the operation went on all night. Police arrest 12.")._.event_type is None


def test_body_weighs_less_than_lead(nlp: Language) -> None:
    text = ("Demonstrators rally in the capital\n\nThousands of people marched to parliament on Monday. "
            "The crowd sang and waved flags in the sunshine. Speakers addressed the crowd from a stage. "
            "Later, a small bomb exploded in a bin two streets away, police said.")
    event = run(nlp, text)._.event_type
    assert event is not None and event.code == "protest"


def test_longest_cue_wins(nlp: Language) -> None:
    event = run(nlp, "A suicide bombing hit the checkpoint, and the car bomb was defused.")._.event_type
    assert event is not None and event.code == "suicide_bombing"


def test_headline_detection(nlp: Language) -> None:
    doc = run(nlp, "Published: Mon, 5 March 2018\n\nFloods cut off northern villages\n\nRain fell for days.")
    span = headline_range(doc)
    assert span is not None and doc.text[span[0]:span[1]] == "Floods cut off northern villages"
    doc = run(nlp, "Rain fell for days across the north and the roads were cut, officials said on Monday.")
    assert headline_range(doc) is None


def test_agent_decides_who_took_territory(nlp: Language) -> None:
    text = "The army recaptured the hill town on Monday after a week of fighting, officials said."
    event = run(nlp, text)._.event_type
    assert event is not None and event.code == "territory_regained"
    text = "Rebels recaptured the hill town on Monday after a week of fighting, officials said."
    event = run(nlp, text)._.event_type
    assert event is not None and event.code == "territory_seized"
    text = "The hill town was recaptured by rebels on Monday after a week of fighting, officials said."
    event = run(nlp, text)._.event_type
    assert event is not None and event.code == "territory_seized"


def test_context_cues_need_their_context(nlp: Language) -> None:
    text = "Police fired tear gas to disperse hundreds of protesters outside the parliament on Monday."
    event = run(nlp, text)._.event_type
    assert event is not None and event.code == "protest_intervention"
    assert {"tear gas", "protesters"} <= {s.text for s in event.evidence}
    text = "Police fired tear gas to disperse a crowd of football fans outside the stadium on Monday night."
    event = run(nlp, text)._.event_type
    assert event is None or event.code != "protest_intervention"
    # protesting against arrests is no intervention
    text = "Thousands of people rallied in the capital on Sunday to protest against the arrests."
    event = run(nlp, text)._.event_type
    assert event is not None and event.code == "protest"


def test_gapped_cue_and_cancelling_cue(nlp: Language) -> None:
    text = "The soldiers set up a new forward base near the pass on Tuesday, residents said."
    event = run(nlp, text)._.event_type
    assert event is not None and event.code == "base_established"
    claimed = run(nlp, "The group claimed responsibility for the bombing of the bus station on Friday.")
    assert claimed._.event_type is not None and claimed._.event_type.code == "responsibility_claim"
    text = "No group has yet claimed responsibility for the bombing of the bus station on Friday."
    unclaimed = run(nlp, text)
    assert unclaimed._.event_type is not None and unclaimed._.event_type.code == "bombing"


def test_cues_in_dates_and_names_do_not_count(nlp: Language) -> None:
    text = "A roadside bomb killed two soldiers on 14 March near the border crossing, the army said."
    event = run(nlp, text)._.event_type
    assert event is not None and event.code == "bombing"
    assert "March" not in {s.text for s in event.evidence}


# ----------------------------------------------------------------------------- weapons

def test_weapons_normalised_in_order(nlp: Language) -> None:
    doc = run(nlp, "The militia fired mortars and Grad rockets, then used an AK-47 and machetes. "
                   "CNN said HIMARS and MQ-9 drones were used.")
    assert doc._.weapons == ["mortar", "rocket", "AK-47", "machete", "HIMARS", "MQ-9 Reaper"]


def test_weapon_lexicon_needs_nouns(nlp: Language) -> None:
    assert run(nlp, "Jets bombed the town and the minister was gunned down.")._.weapons == ["warplane"]
    assert run(nlp, "The talks were a success, the envoy said.")._.weapons == []


def test_weapon_lexicon_file() -> None:
    weapons = load_weapons()
    assert "HIMARS" in weapons and "MQ-9" in weapons["MQ-9 Reaper"]
    assert all(name in aliases for name, aliases in weapons.items())


# ----------------------------------------------------------------------------- the taxonomy

# PLOVER's event types (draft 0.7); "" where PLOVER has none (disasters, crime, claims).
PLOVER = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
          "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", ""}


def test_taxonomy_uses_acled_names_and_is_documented() -> None:
    doc = (REPO / "docs" / "taxonomy.md").read_text("utf-8")
    codes = [t["code"] for t in load_taxonomy()]
    assert 10 <= len(codes) <= 32 and len(set(codes)) == len(codes)
    for t in load_taxonomy():
        if t["acled_event_type"]:
            assert t["acled_sub_event_type"] in ACLED[t["acled_event_type"]], t["code"]
        else:  # outside ACLED's taxonomy: no ACLED names, a CASE 2021 "unseen" label instead
            assert not t["acled_sub_event_type"] and t["case2021"], t["code"]
        assert t["plover"] in PLOVER
        assert f"### `{t['code']}`" in doc and t["acled_sub_event_type"] in doc and t["definition"] in doc
        for cue in t["cues"]:
            assert cue.removesuffix("/n") in doc, (t["code"], cue)


@pytest.mark.shared
def test_case2021_labels_exist(shared_dir: Path) -> None:
    # the note lists the 25 ACLED-style labels and the five "unseen" ones
    note = (shared_dir / "data" / "case2021_task2" / "Note_on_EVENT_TYPES.txt").read_text("utf-8")
    labels = set(re.findall(r"^([A-Z][A-Z_]+[A-Z])\s*$", note, re.MULTILINE))
    assert {t["case2021"] for t in load_taxonomy()} <= labels
    assert {t["case2021"] for t in load_taxonomy()} | {"OTHER"} == labels  # every label has a code


# ----------------------------------------------------------------------------- seeds

def _strip_markdown(text: str) -> str:
    return re.sub(r"\*\*(.*?)\*\*", r"\1", re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text))


@pytest.mark.shared
def test_seeds(nlp: Language, seeds_dir: Path) -> None:
    texts = {p.name[:3]: _strip_markdown(p.read_text("utf-8")) for p in seeds_dir.glob("00[04]_*.txt")}
    items = [("004", texts["004"], dt.date(2018, 2, 8)), ("000", texts["000"], dt.date(2018, 2, 12))]
    docs = {doc._.article_id: doc for doc in nlp_module.process(nlp, items)}
    for doc in docs.values():
        event = doc._.event_type
        assert event is not None and event.code in {"armed_clash", "air_strike"}
        assert event.acled_event_type in {"Battles", "Explosions/Remote violence"}
    assert {"HIMARS", "MQ-9 Reaper"} <= set(docs["000"]._.weapons)
    assert {"artillery", "tank"} <= set(docs["004"]._.weapons)
