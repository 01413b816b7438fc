"""The toll from scoped figures: totals set the bounds, parts a floor, the rest is excluded with a
reason; accounts per speaker and report day; groups kept apart; the toll over time."""

from __future__ import annotations

import datetime as dt

from tests.factories import article, figure

from rashomon.models import Figure, StoryArticle
from rashomon.reconcile.toll import casualty_group, toll_range, toll_timeline

A = article("Police said 12 were killed on Friday. The toll rose to 19 on Saturday. Earlier, police said 9 had "
            "died. Four of them were children. In 2019 a raid killed 40. The toll could surpass 60.",
            published="2025-03-09")
B = article("A medic said 17 died. Two more died in hospital. Five died at the scene, while three others died "
            "on the way. Four gunmen were also killed.", published="2025-03-10", outlet="Other Wire")


def scoped(fig: Figure, scope: str = "total", reason: str | None = None, day: str = "2025-03-09",
           group: str | None = None) -> Figure:
    return fig.model_copy(update={"scope": scope, "scope_reason": reason, "reported_on": dt.date.fromisoformat(day),
                                  "group": group})


def figures() -> list[Figure]:
    return [
        scoped(figure(A, "12", value=12, speaker="police"), day="2025-03-07"),
        scoped(figure(A, "19", value=19, speaker="police"), day="2025-03-08"),
        scoped(figure(A, "9", value=9, speaker="police"), "earlier", "earlier"),
        scoped(figure(A, "Four", value=4), "part", "of them", group="children"),
        scoped(figure(A, "40", value=40), "other_incident", "dated '2019'"),
        scoped(figure(A, "60", value=60), "projection", "could surpass"),
        scoped(figure(B, "17", value=17, speaker="a medic"), day="2025-03-10"),
        scoped(figure(B, "Two", value=2), "part", "in addition to a larger count (more)", day="2025-03-10"),
        scoped(figure(B, "Five", value=5), "part", "one site or moment of a toll split in the sentence"),
        scoped(figure(B, "three", value=3), "part", "one site or moment of a toll split in the sentence"),
        scoped(figure(B, "Four gunmen", value=4), group="gunmen"),
    ]


def test_only_totals_set_bounds_and_each_report_day_is_an_account():
    figs = figures()
    rng = toll_range(figs, {})
    assert (rng.low, rng.best, rng.high) == (12, 17, 19)  # police on Friday, the medic, police on Saturday
    assert (rng.low_figure, rng.high_figure) == (figs[0].id, figs[1].id)
    assert sorted(rng.independent_figures) == sorted([figs[0].id, figs[1].id, figs[6].id])


def test_every_left_out_figure_says_why():
    figs = figures()
    why = {e.figure_id: e.reason for e in toll_range(figs, {}).excluded}
    assert why[figs[2].id].startswith("an earlier estimate")
    assert why[figs[3].id].startswith("a part of the toll: of them")
    assert why[figs[4].id].startswith("another incident's toll")
    assert why[figs[5].id].startswith("a projection")
    assert why[figs[10].id] == "counts the attackers, kept apart"
    counted = {f.id for f in figs} - set(why)
    assert counted == set(toll_range(figs, {}).independent_figures)


def test_parts_give_a_floor_and_stand_in_for_a_missing_total():
    figs = figures()
    rng = toll_range(figs, {})
    assert rng.floor == 2 + 5 + 3  # the parts the second report splits its toll into
    parts_only = [f for f in figs if f.scope == "part" and f.article_id == B.id]
    alone = toll_range(parts_only, {})
    assert (alone.low, alone.high, alone.floor) == (10, 10, 10)


def test_a_copy_repeats_its_original_and_is_no_second_account():
    copy = article("Police said 12 were killed on Friday, the copy says.", published="2025-03-10", outlet="Copier")
    original = scoped(figure(A, "12", value=12, speaker="police"), day="2025-03-07")
    copied = scoped(figure(copy, "12", value=12, speaker="police"), day="2025-03-07")
    rel = {copy.id: StoryArticle(article_id=copy.id, relation="republication", copied_from=A.id)}
    rng = toll_range([original, copied], rel)
    assert rng.independent_figures == [original.id]
    assert [e.figure_id for e in rng.excluded] == [copied.id]


def test_groups_keep_sides_apart():
    """One allied fighter wounded and 25 militia members wounded: two groups, each its own toll."""
    one = scoped(figure(A, "12", kind="injured", value=1), group="allied fighter")
    many = scoped(figure(A, "19", kind="injured", value=25), group="militia members")

    def side(fig: Figure) -> str | None:
        return "side_a" if "allied" in (fig.group or "") else "side_b"

    rng = toll_range([one, many], {}, side, lambda fig, s: "Allied Front" if s == "side_a" else "Militia")
    assert [(g.group, g.actor, g.low, g.high) for g in rng.groups] == [
        ("side_a", "Allied Front", 1, 1), ("side_b", "Militia", 25, 25)]


def test_casualty_groups():
    f = figure(A, "12", value=12)
    assert [casualty_group(f.model_copy(update={"group": g})) for g in
            ("gunmen", "police officers", "civilians including children", "people", None)] == [
        "attackers", "security_forces", "civilians", "unknown", "unknown"]


def test_the_toll_over_time_steps_at_each_rise():
    figs = figures()
    rng = toll_range(figs, {})
    points = toll_timeline({"killed": rng}, lambda aid: "A Wire" if aid == A.id else "Other Wire")
    assert [(p.reported_on.isoformat(), p.low) for p in points] == [
        ("2025-03-07", 12), ("2025-03-08", 19)]  # the medic's 17 on the 10th is no rise
    assert points[0].speaker == "police" and points[0].outlet == "A Wire"


def test_a_vague_amount_sets_no_bound_beside_a_counted_total():
    vague = scoped(figure(A, "12", value=None, low=24, qualifier="dozens"), group=None)
    vague = vague.model_copy(update={"text": "dozens", "high": None})
    counted = scoped(figure(A, "19", value=19, speaker="police"))
    rng = toll_range([vague, counted], {})
    assert (rng.low, rng.high) == (19, 19)
    assert {e.figure_id: e.reason for e in rng.excluded}[vague.id].startswith("a vague amount (dozens)")
    alone = toll_range([vague], {})
    assert alone.low == 24  # with nothing counted, the vague amount is the only account


def test_ucdp_death_columns_from_the_groups():
    from rashomon.export.records import ucdp_deaths

    soldiers = scoped(figure(A, "12", value=12), group="soldiers")
    gunmen = scoped(figure(B, "Four gunmen", value=4), group="gunmen")
    people = scoped(figure(B, "17", value=17, speaker="a medic"))
    assert ucdp_deaths(toll_range([soldiers, gunmen, people], {})) == {
        "deaths_a": 12, "deaths_b": 4, "deaths_civilians": "", "deaths_unknown": 17}
    assert ucdp_deaths(toll_range([people], {}))["deaths_unknown"] == 17
