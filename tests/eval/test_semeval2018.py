"""SemEval-2018 Task 5: loaders, question constraints, scorer (on tiny invented inputs) and a real
run of the evaluation on a few trial questions of the shared data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from rashomon.eval.semeval2018 import doc_prf, evaluate, score_subtask
from rashomon.eval.semeval2018_data import (
    Answer,
    Question,
    article_record,
    load_answers,
    load_questions,
    parse_answer,
    select_documents,
)
from rashomon.eval.semeval2018_questions import (
    IncidentView,
    Matcher,
    Report,
    has_victims,
    name_pattern,
    period,
    place_matches,
    place_query,
    uri_name,
    verbose_place,
)
from rashomon.models import Place

DBP = "http://dbpedia.org/resource/"


# --------------------------------------------------------------------------- loaders

def test_parse_answer_accepts_trial_and_test_layouts() -> None:
    flat = parse_answer({"numerical_answer": 2, "answer_docs": ["d1", "d2"], "part-info": {"7": {"num_killed": 1}}})
    grouped = parse_answer({"numerical_answer": 2, "answer_docs": {"10": ["d1"], "11": ["d2", "d3"]},
                            "part_info": {"10": {"num_killed": 0, "num_injured": 2}}})
    assert flat.docs() == {"d1", "d2"} and flat.part_info == {"7": {"num_killed": 1}}
    assert grouped.docs() == {"d1", "d2", "d3"} and grouped.answer_docs["11"] == ["d2", "d3"]
    assert grouped.part_info["10"]["num_injured"] == 2


def test_load_questions_and_missing_answers(tmp_path: Path) -> None:
    folder = tmp_path / "test" / "s2"
    folder.mkdir(parents=True)
    (folder / "questions.json").write_text(json.dumps({
        "2-1": {"event_type": "injuring", "subtask": 2, "time": {"month": "02/2016"},
                "location": {"state": DBP + "Ohio"}, "verbose_question": "How many ... in ('Ohio',) (state) ?"},
    }))
    (q,) = load_questions(folder)
    assert (q.qid, q.subtask, q.event_type, q.time) == ("2-1", 2, "injuring", {"month": "02/2016"})
    assert load_answers(folder) is None


def test_article_record_and_distractor_sample() -> None:
    doc = {"doc_id": "x1", "dct": "2016-03-02", "title": "Man hurt", "content": "A man was hurt.", "uri": "u"}
    rec = article_record(doc)
    assert rec == {"id": "x1", "title": "Man hurt", "text": "Man hurt\n\nA man was hurt.", "published": "2016-03-02", "url": "u"}
    docs = [{"doc_id": f"d{i}"} for i in range(50)] + [{"doc_id": "d3"}]
    picked = select_documents(docs, ["d3"], 5)
    assert len(picked) == 6 and "d3" in {d["doc_id"] for d in picked}
    assert picked == select_documents(docs, ["d3"], 5)  # the sample is fixed


# --------------------------------------------------------------------------- constraints

def test_period_uri_and_verbose_place() -> None:
    assert period({"day": "05/02/2017"}) == (dt.date(2017, 2, 5), dt.date(2017, 2, 5))
    assert period({"month": "02/2016"}) == (dt.date(2016, 2, 1), dt.date(2016, 2, 29))
    assert period({"year": "2015"}) == (dt.date(2015, 1, 1), dt.date(2015, 12, 31))
    assert uri_name(DBP + "Springfield,_Ohio") == ("Springfield", "Ohio")
    assert uri_name(DBP + "Georgia_(U.S._state)") == ("Georgia", None)
    text = "Which ['killing'] event happened in 2031 (year) in ('Illinois', 'Chicago (Englewood)') (city) ?"
    assert verbose_place(text) == ("Illinois", "Chicago", "Englewood")
    assert verbose_place("How many ... in ('Ohio',) (state) ?") == ("Ohio", None, None)


def test_name_pattern_is_whole_words() -> None:
    pat = name_pattern({"full_name": "Jon  Doe"})
    assert pat is not None and pat.search("police named him as jon\ndoe, 23")
    assert not pat.search("Jonathan Doe")
    assert name_pattern({}) is None


def _q(**kw: object) -> Question:
    base: dict[str, object] = {"qid": "q", "subtask": 2, "event_type": "killing", "verbose": ""}
    base.update(kw)
    return Question(**base)  # type: ignore[arg-type]


def test_place_matching_city_and_state() -> None:
    city = place_query(_q(location={"city": DBP + "Columbus,_Ohio"},
                          verbose="in ('Ohio', 'Columbus') (city) ?"))
    state = place_query(_q(location={"state": DBP + "Ohio"}, verbose="in ('Ohio',) (state) ?"))
    assert city is not None and state is not None
    columbus = Place(name="Columbus", admin1="Ohio", country_code="US", lat=39.96, lon=-83.0, precision="city")
    near = Place(name="Bexley", admin1="Ohio", country_code="US", lat=39.97, lon=-82.94, precision="city")
    other = Place(name="Columbus", admin1="Georgia", country_code="US", lat=32.46, lon=-84.99, precision="city")
    assert place_matches(city, columbus) and place_matches(city, near) and not place_matches(city, other)
    assert place_matches(state, near) and not place_matches(state, other) and not place_matches(state, None)


# --------------------------------------------------------------------------- answering and scoring

def _view(iid: str, day: dt.date, killed: int, injured: int, docs: list[str], text: str = "") -> IncidentView:
    place = Place(name="Columbus", admin1="Ohio", country_code="US", lat=39.96, lon=-83.0, precision="city")
    reports = [Report([d], day, day, place, None, None, "police said") for d in docs]
    return IncidentView(iid, day, day, place, killed, injured, killed, injured, reports, text)


def test_matcher_answers_the_three_subtasks() -> None:
    views = [
        _view("i1", dt.date(2016, 2, 3), 1, 2, ["a", "b"], "Officers said Jane Roe, 31, died."),
        _view("i2", dt.date(2016, 2, 20), 2, 0, ["c"]),
        _view("i3", dt.date(2016, 3, 1), 1, 0, ["d"]),
    ]
    m = Matcher(views)
    where = {"location": {"state": DBP + "Ohio"}, "verbose": "in ('Ohio',) (state) ?"}
    s2 = m.answer(_q(time={"month": "02/2016"}, **where))
    assert s2.numerical_answer == 2 and s2.answer_docs == {"i1": ["a", "b"], "i2": ["c"]}
    s3 = m.answer(_q(subtask=3, event_type="injuring", time={"month": "02/2016"}, **where))
    assert s3.numerical_answer == 2 and s3.part_info == {"i1": {"num_killed": 1, "num_injured": 2}}
    s1 = m.answer(_q(subtask=1, participant={"last": "Roe"}, time={"year": "2016"}))
    assert s1.answer_docs == {"i1": ["a", "b"]}
    assert m.answer(_q(event_type="fire_burning", time={"year": "2016"})).numerical_answer == 0


def test_type_from_report_figure_then_incident_then_cues() -> None:
    view = _view("i1", dt.date(2016, 2, 3), 0, 0, ["a"])
    view.killed = view.injured = None
    quiet = view.reports[0]
    assert not has_victims("killed", view, quiet)
    hurt = Report(["b"], None, None, None, None, None, "a woman was wounded in the leg")
    dead = Report(["c"], None, None, None, 2, None, "no cue here")
    assert has_victims("injured", view, hurt) and not has_victims("killed", view, hurt)
    assert has_victims("killed", view, dead)
    view.killed = 0
    assert not has_victims("killed", view, hurt)  # the incident's figure says nobody died


def test_scorer_follows_the_official_definitions() -> None:
    assert doc_prf(set(), set()) == (1.0, 1.0, 1.0)
    assert doc_prf({"a", "b"}, {"b", "c", "d", "e"}) == (0.5, 0.25, pytest.approx(1 / 3))
    gold = {"q1": Answer(2, {"x": ["a", "b"]}), "q2": Answer(0, {})}
    pred = {"q1": Answer(3, {"i": ["a"]}), "q2": Answer(0, {}), "extra": Answer(1, {"j": ["z"]})}
    sc = score_subtask(pred, gold)
    assert sc.n == 2
    assert sc.doc_f1 == pytest.approx((2 / 3 + 1.0) / 2)
    assert sc.accuracy == 0.5 and sc.rmse == pytest.approx((1 / 2) ** 0.5)


# --------------------------------------------------------------------------- the real evaluation

@pytest.mark.shared
def test_eval_on_a_few_trial_questions(shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASHOMON_CACHE", str(tmp_path))
    result = evaluate(shared_dir / "data" / "semeval2018_task5", "trial", 2)
    keys = ["s1_doc_f1", "s2_doc_f1", "s3_doc_f1", "s2_accuracy", "s3_accuracy", "s2_rmse", "s3_rmse",
            "toll_in_range", "toll_best_exact"]
    assert list(result.metrics) == keys and result.n == 6
    assert result.details["toll_incidents"] == 2  # --limit 2: the first two incidents with a gold toll
    for key in keys:
        assert result.metrics[key] >= 0.0
        assert key.endswith("rmse") or result.metrics[key] <= 1.0
    written = json.loads(Path(str(result.details["s3_predictions"])).read_text())
    assert len(written) == 2 and all("part_info" in a for a in written.values())
