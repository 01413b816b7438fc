"""Figure scopes through the real pipeline: which count is the incident's toll, a part of it, an
earlier or projected count, or another incident's.  One test per scope and per pattern of issue
"The toll as the reports tell it"; the reports are invented and written for these tests.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rashomon.extract import extract_articles
from rashomon.models import Article, Figure

PUBLISHED = dt.date(2024, 3, 20)  # a Wednesday


@pytest.fixture(scope="module")
def figures_of():
    cache: dict[str, list[Figure]] = {}

    def run(text: str) -> list[Figure]:
        if text not in cache:
            art = Article(id=f"a{len(cache):05d}", source="test", text=text, published=PUBLISHED,
                          published_precision="day")
            cache[text] = next(iter(extract_articles([art]))).figures
        return cache[text]

    return run


def not_total(figs: list[Figure], point: int) -> bool:
    """The number is not read as a total of the incident (dropped, or scoped elsewhere)."""
    return not [f for f in figs if f.point == point and f.scope == "total"]


def scope_of(figs: list[Figure], point: int, kind: str = "killed") -> str:
    found = [f for f in figs if f.point == point and f.kind == kind]
    assert found, f"no {kind} figure of {point} in {[(f.kind, f.point) for f in figs]}"
    return found[0].scope


# ----------------------------------------------------------------- 1. figures of other incidents

def test_a_week_ago_is_another_incident(figures_of):
    figs = figures_of("Gunmen stormed a bus depot in Karvana on Tuesday, killing nine people, police said. "
                      "A week ago, gunmen killed 22 people at a hotel in the same city.")
    assert scope_of(figs, 9) == "total"
    assert scope_of(figs, 22) == "other_incident"
    assert "ago" in next(f.scope_reason for f in figs if f.point == 22)


def test_a_dated_sentence_before_the_incident_is_another_incident(figures_of):
    figs = figures_of("A car bomb killed 14 people in Dorvik on Monday, officials said. "
                      "On 2 February, a blast at the same market killed six.")
    assert scope_of(figs, 14) == "total"
    other = next(f for f in figs if f.point == 6)
    assert other.scope == "other_incident" and "2 February" in other.scope_reason


def test_that_attack_points_back_at_the_other_incident(figures_of):
    figs = figures_of("A car bomb killed 14 people in Dorvik on Monday, officials said.\n\n"
                      "On 2 February, a bomb exploded at a bus stop in the city. That attack left six people dead.")
    assert scope_of(figs, 14) == "total"
    assert scope_of(figs, 6) == "other_incident"


def test_a_year_and_a_similar_raid_are_not_bounds(figures_of):
    figs = figures_of("Militants raided a border post in Velmora on Monday, killing six guards. "
                      "In 2011 a similar raid left 21 dead.")
    assert scope_of(figs, 6) == "total"
    assert not_total(figs, 21)


def test_the_deadliest_since_a_dated_bombing(figures_of):
    figs = figures_of("A suicide bomber killed 31 people at a market in Dorvik on Sunday. "
                      "It was the deadliest attack since the 2016 bombing that killed 80.")
    assert scope_of(figs, 31) == "total"
    assert not_total(figs, 80)


def test_a_period_of_years_is_not_the_incident(figures_of):
    figs = figures_of("A drone strike killed eight people in Harun village on Friday, residents said. "
                      "The army has carried out over 300 air strikes in the past two years, killing more than 900 "
                      "civilians, a rights group said.")
    assert scope_of(figs, 8) == "total"
    assert not_total(figs, 901)


# ----------------------------------------------------------------- 2. parts taken for the whole

def test_of_the_dead_and_also_at_a_site_are_parts(figures_of):
    figs = figures_of("Bombs hit three churches and a hotel in Serrano on Sunday, killing at least 60 people. "
                      "At least 35 of the dead were foreign nationals. "
                      "25 people were also killed at a church in the east of the city.")
    assert scope_of(figs, 60) == "total"
    assert scope_of(figs, 35) == "part"
    assert scope_of(figs, 25) == "part"


def test_including_a_group_is_never_a_total(figures_of):
    figs = figures_of("At least 40 people were killed in the hotel siege in Palmar on Saturday, "
                      "including 14 foreigners, the ministry said.")
    assert scope_of(figs, 40) == "total"
    assert not [f for f in figs if f.point == 14 and f.scope == "total"]


def test_one_more_death_in_hospital_is_a_part(figures_of):
    figs = figures_of("The toll from Saturday's bus bombing in Olvan rose to 18, as one more person died in "
                      "hospital on Sunday.")
    assert scope_of(figs, 18) == "total"
    assert scope_of(figs, 1) == "part"


def test_a_toll_split_by_site_gives_parts(figures_of):
    figs = figures_of("In Korvath, 18 passengers died at the scene of Tuesday's derailment bombing and three died "
                      "later in hospital, a rail official told reporters.")
    assert scope_of(figs, 18) == "part"
    assert scope_of(figs, 3) == "part"


def test_attackers_are_counted_as_attackers(figures_of):
    figs = figures_of("Police said 21 people were killed when gunmen stormed the mall in Tessaly on Tuesday. "
                      "Two of the attackers were killed by police.")
    assert scope_of(figs, 21) == "total"
    two = next(f for f in figs if f.point == 2)
    assert "attacker" in (two.group or "")


# ----------------------------------------------------------------- 3. tolls that move

def test_previously_said_is_earlier_and_the_rise_is_dated(figures_of):
    figs = figures_of("The toll from the train bombing in Alvera rose to 290 on Monday, police said. "
                      "Police previously said 22 had died.")
    latest = next(f for f in figs if f.point == 290)
    assert latest.scope == "total" and latest.reported_on == dt.date(2024, 3, 18)
    assert scope_of(figs, 22) == "earlier"


def test_an_initial_estimate_is_earlier(figures_of):
    figs = figures_of("An initial estimate of 20 dead was revised after rescuers reached the collapsed school in "
                      "Marrow on Thursday. The toll now stands at 35.")
    assert scope_of(figs, 20) == "earlier"
    assert scope_of(figs, 35) == "total"


def test_rose_from_one_count_to_another_is_the_new_count(figures_of):
    figs = figures_of("The death toll from Friday's strike on the Lisk station climbed from 50 to 57 on Sunday.")
    fig = next(f for f in figs if f.kind == "killed")
    assert (fig.value, fig.scope) == (57, "total")


# ----------------------------------------------------------------- 4. projections and hedges

def test_could_surpass_is_a_projection(figures_of):
    figs = figures_of("At least 120 people were killed in the bombing in Tarsk on Friday. "
                      "Officials warned that the toll could surpass 300.")
    assert scope_of(figs, 120) == "total"
    assert not_total(figs, 300)


def test_feared_dead_is_a_projection(figures_of):
    figs = figures_of("A mine collapsed in Dunmore on Wednesday. Twelve miners are feared dead, the company said.")
    assert not_total(figs, 12)


def test_may_have_been_killed_is_a_hedged_total(figures_of):
    figs = figures_of("The district chief told reporters that up to 45 fishermen may have been killed when the "
                      "boats were shelled on Tuesday.")
    assert scope_of(figs, 45) == "total"


# ----------------------------------------------------------------- 5. the wrong kind

def test_a_number_of_wounded_is_injured_whatever_the_main_verb(figures_of):
    figs = figures_of("At least 40 people were killed in the blast in Orvana on Monday. The death toll could be "
                      "higher because there are more than 300 wounded, a doctor said.")
    assert not [f for f in figs if f.kind == "killed" and f.point == 301]
    assert [f for f in figs if f.kind == "injured" and f.point == 301]


def test_of_them_in_critical_condition_counts_the_wounded(figures_of):
    figs = figures_of("Medics at the field clinic in Orsa counted 40 dead on Monday and treated 65 wounded, nine of "
                      "them in critical condition.")
    assert [f.kind for f in figs if f.point == 9] == ["injured"]


def test_wounded_victims_who_died_are_dead_and_a_part(figures_of):
    figs = figures_of("Doctors said two wounded shoppers died overnight in Marlow, which took the toll from "
                      "Saturday's shooting to 14 on Monday.")
    two = next(f for f in figs if f.point == 2)
    assert (two.kind, two.scope) == ("killed", "part")
    toll = next(f for f in figs if f.point == 14)
    assert (toll.kind, toll.scope, toll.reported_on) == ("killed", "total", dt.date(2024, 3, 18))


# ----------------------------------------------------------------- 6. phantom figures

def test_a_singular_noun_is_no_victim_in_a_counted_toll(figures_of):
    figs = figures_of("It was the most deadly such attack in the region in years. Officials said 17 people were "
                      "killed when the bus exploded in Garan on Thursday. On Friday, a family came to the morgue "
                      "to collect the body of their relative.")
    assert [f.point for f in figs if f.kind == "killed"] == [17]


def test_a_single_victim_report_keeps_its_victim(figures_of):
    figs = figures_of("A man was shot dead outside a bar in Lorton on Friday night, police said.")
    assert [(f.point, f.scope) for f in figs if f.kind == "killed"] == [(1, "total")]


def test_every_figure_carries_its_report_day(figures_of):
    figs = figures_of("Gunmen stormed a bus depot in Karvana on Tuesday, killing nine people, police said.")
    assert all(f.reported_on is not None for f in figs)
    assert next(f for f in figs if f.point == 9).reported_on == dt.date(2024, 3, 19)


# ----------------------------------------------------------------- figures written as lives taken

def test_lives_taken_are_a_killed_count(figures_of):
    figs = figures_of("Gunmen stormed a hotel complex in Varna on Tuesday, taking at least 21 lives, police said.")
    assert [(f.kind, f.point, f.scope) for f in figs] == [("killed", 21, "total")]


def test_a_background_paragraphs_earlier_date_is_not_the_incident_date():
    text = ("Gunmen attacked a market in Karvana on Tuesday, killing nine people, police said.\n\n"
            "Residents said the town was still tense. Shops stayed shut and the roads were empty.\n\n"
            "The regional governor asked for calm and promised more patrols.\n\n"
            "The attack came after gunmen stormed a church in the same town on 2 March, killing four worshippers.")
    art = Article(id="a99999", source="test", text=text, published=PUBLISHED, published_precision="day")
    mention = next(iter(extract_articles([art])))
    assert mention.date is not None and mention.date.start == dt.date(2024, 3, 19)
    assert scope_of(mention.figures, 4) == "other_incident"
