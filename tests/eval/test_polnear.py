"""The PolNeAR evaluation: the BRAT loader, the span rules, the scorer, and a short real run.

The small articles and annotations here are written for these tests; the PolNeAR data is read
in place from the shared folder (``RASHOMON_SHARED``) and never copied.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from rashomon.eval import polnear

TEXT = (
    "The ministry said the talks had failed. “We will try again,” Ana Lopez told reporters. Critics say so."
)

ANN_LINES = (
    "T1\tSource 0 12\tThe ministry",
    "T2\tCue 13 17\tsaid",
    "T3\tContent 18 38\tthe talks had failed",
    "T4\tAttribution 13 17\tsaid",
    "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3",
    "T5\tContent 40 59;59 60\t“We will try again,”",
    "T6\tSource 61 70\tAna Lopez",
    "T7\tCue 71 75\ttold",
    "T8\tAttribution 71 75\ttold",
    "E2\tAttribution:T8 Source:T6 Cue:T7 Content:T5",
    "T9\tCue 95 98\tsay",
    "T10\tContent 99 101\tso",
    "T11\tAttribution-no-source 95 98\tsay",
    "E3\tAttribution-no-source:T11 Cue:T9 Content:T10",
    "T12\tDiscard 0 3\tThe",
)
ANN = "\n".join(ANN_LINES)


def test_parse_ann_reads_roles_fragments_and_sourceless_events() -> None:
    relations = polnear.parse_ann(ANN)
    assert [r.cue for r in relations] == [((13, 17),), ((71, 75),), ((95, 98),)]
    assert relations[0].source == ((0, 12),)
    assert relations[1].content == ((40, 59), (59, 60))  # a discontinuous span keeps its fragments
    assert relations[2].source == ()


def test_second_content_joins_the_first() -> None:
    ann = (
        "T1\tCue 5 9\tsaid\nT2\tContent 0 4\tab c\nT3\tContent 10 14\tde f\nE1\tCue:T1 Content:T2 Content2:T3"
    )
    (relation,) = polnear.parse_ann(ann)
    assert relation.content == ((0, 4), (10, 14))


def test_trimming_drops_determiners_punctuation_and_possessive() -> None:
    text = " the ministry's, "
    assert polnear.trimmed(text, ((0, len(text)),)) == (5, 13)
    assert polnear.same_span("The ministry said", ((0, 12),), ((4, 12),))
    assert not polnear.same_span("Ana Lopez said", ((0, 3),), ((0, 9),))


def test_half_overlap_needs_half_of_each_side() -> None:
    text = "one two three four five six"
    assert polnear.half_overlap(text, ((0, 13),), ((4, 18),))  # 2 of 3 words each way
    assert not polnear.half_overlap(text, ((0, 3),), ((0, 27),))  # 1 of 6 gold words


def test_match_count_is_one_to_one() -> None:
    assert polnear.match_count(2, 1, lambda i, j: True) == 1
    assert polnear.match_count(2, 2, lambda i, j: i == 0 or j == 0) == 2


def test_score_and_errors_on_an_invented_article() -> None:
    gold = polnear.parse_ann(ANN)
    predicted = [
        polnear.Relation(((4, 12),), ((13, 17),), ((18, 38),)),  # source without "The": exact after trim
        polnear.Relation(((61, 66),), ((71, 75),), ((41, 58),)),  # source boundary error
        polnear.Relation(((0, 3),), ((40, 41),), ((0, 3),)),  # cue matches nothing
    ]
    tallies: dict[str, polnear.Tally] = {}
    polnear.score(TEXT, predicted, gold, tallies)
    assert (tallies["cue"].tp, tallies["cue"].n_pred, tallies["cue"].n_gold) == (2, 3, 3)
    assert (tallies["source"].tp, tallies["source"].n_gold) == (1, 2)
    assert tallies["source_overlap"].tp == 2
    assert tallies["content"].tp == 2
    counts: Counter[str] = Counter()
    polnear.errors(TEXT, predicted, gold, {95: ("say", "VERB")}, counts)
    assert counts["source:ok"] == 1
    assert counts["source:boundary_ours_shorter"] == 1
    assert counts["missed_cue:lexicon_verb"] == 1
    assert counts["spurious_claim"] == 1


def test_load_takes_the_first_annotator(tmp_path: Path) -> None:
    (tmp_path / "test" / "text").mkdir(parents=True)
    (tmp_path / "test" / "attributions").mkdir()
    (tmp_path / "test" / "text" / "story-a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "test" / "attributions" / "story-a_b2.ann").write_text("", encoding="utf-8")
    (tmp_path / "test" / "attributions" / "story-a_a1.ann").write_text(ANN, encoding="utf-8")
    (tmp_path / "metadata.tsv").write_text(
        "compartment\tfilename\tpublication_date\ntest\tstory-a\t2016-10-12\n", encoding="utf-8"
    )
    (article,) = polnear.load(tmp_path, "test")
    assert article.name == "story-a"
    assert len(article.relations) == 3
    assert str(article.published) == "2016-10-12"


@pytest.mark.shared
def test_real_run_on_a_few_articles(shared_dir: Path) -> None:
    result = polnear.evaluate(shared_dir / "data" / "polnear", "test", limit=3)
    assert result.n == 3
    for key in ("source_f1", "cue_f1", "content_f1"):
        assert 0.0 <= result.metrics[key] <= 1.0
    assert all(0.0 <= v <= 1.0 for v in result.metrics.values())
    assert result.details["gold_relations"] > 0
