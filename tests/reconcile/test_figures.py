"""low/best/high with provenance, independence and disagreement rules."""

from tests.factories import article, figure

from rashomon.models import StoryArticle
from rashomon.reconcile.figures import figure_disagreement, independent_figures
from rashomon.reconcile.toll import toll_range

A = article("The ministry said 20 died. Rebels claimed more than 100 were killed. Medics counted 35 bodies.")


def _figs():
    return [
        figure(A, "20", value=20, speaker="the ministry"),
        figure(A, "more than 100", low=101, qualifier="more than", speaker="a rebel commander", anonymous=True),
        figure(A, "35", value=35, speaker="medics"),
    ]


def test_bounds_name_their_figures():
    figs = _figs()
    rng = toll_range(figs, {})
    assert (rng.low, rng.best, rng.high) == (20, 35, 101)
    assert (rng.low_figure, rng.best_figure, rng.high_figure) == (figs[0].id, figs[2].id, figs[1].id)


def test_disagreement_lists_who_holds_each_value():
    figs = _figs()
    dis = figure_disagreement("killed", figs, figs, lambda _a: "Test Wire")
    assert dis is not None and dis.field == "killed"
    assert [(v.value, v.speakers) for v in dis.values] == [
        ("20", ["the ministry"]), ("35", ["medics"]), ("more than 100", ["a rebel commander (anonymous)"]),
    ]


def test_overlapping_figures_do_not_disagree():
    b = article("At least 10 were killed; 12 bodies were found.")
    figs = [figure(b, "At least 10", low=10, qualifier="at least"), figure(b, "12", value=12)]
    assert figure_disagreement("killed", figs, figs, lambda _a: None) is None


def test_republication_does_not_corroborate():
    orig = article("Officials said 7 people were killed.", outlet="First")
    copy = article("Officials said 7 people were killed. (copied)", "2025-03-05", outlet="Second")
    f1, f2 = figure(orig, "7", value=7, speaker="officials"), figure(copy, "7", value=7, speaker="officials")
    rel = {orig.id: StoryArticle(article_id=orig.id, relation="original"),
           copy.id: StoryArticle(article_id=copy.id, relation="republication", copied_from=orig.id)}
    assert independent_figures([f1, f2], rel) == [f1]
    rel[copy.id] = StoryArticle(article_id=copy.id, relation="independent")
    assert independent_figures([f1, f2], rel) == [f1, f2]


def test_counts_of_different_groups_do_not_disagree():
    b = article("Two soldiers were wounded. Five people were wounded. Nine rebels were wounded.")
    soldiers = figure(b, "Two soldiers", kind="injured", value=2)
    soldiers.group = "soldiers"
    people = figure(b, "Five people", kind="injured", value=5)
    people.group = "people"
    rebels = figure(b, "Nine rebels", kind="injured", value=9)
    rebels.group = "rebels"
    assert figure_disagreement("injured", [soldiers, people], [soldiers, people], lambda _a: None) is None
    assert figure_disagreement("injured", [soldiers, rebels], [soldiers, rebels], lambda _a: None) is None
    # a group count larger than the general count contradicts it
    dis = figure_disagreement("injured", [rebels, people], [rebels, people], lambda _a: None)
    assert dis is not None and [v.value for v in dis.values] == ["5", "9"]
