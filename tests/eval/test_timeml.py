"""The TimeML evaluation: the TimeML reader, value conversion, the scorer, and a short real run.

The small documents here are written for these tests; the TimeML corpus is read in place from
the shared folder (``RASHOMON_SHARED``) and never copied.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from rashomon.eval import timeml
from rashomon.models import DateMention, Span

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>T1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2001-03-15" functionInDocument="CREATION_TIME">2001-03-15</TIMEX3></DCT>
<TITLE>Invented</TITLE>
<TEXT>
Rains <EVENT eid="e1">flooded</EVENT> the valley <TIMEX3 tid="t1" type="DATE" value="2001-03-13">Tuesday</TIMEX3> &amp; \
crews worked <TIMEX3 tid="t2" type="DURATION" value="P2D">two days</TIMEX3> after the storm of \
<TIMEX3 tid="t3" type="DATE" value="2001-02">February</TIMEX3>.
</TEXT>
<TLINK lid="l1" relType="BEFORE" eventInstanceID="ei1" relatedToTime="t1"/>
</TimeML>
"""


def mention(start: int, end: int, day: dt.date, precision: str) -> DateMention:
    return DateMention(
        span=Span(article_id="a", start=start, end=end, text="x" * (end - start)),
        start=day,
        end=day,
        precision=precision,  # type: ignore[arg-type]
    )


def test_parse_tml_gives_plain_text_offsets_and_dct() -> None:
    doc = timeml.parse_tml(TML, "T1")
    assert doc.dct == dt.date(2001, 3, 15)
    assert "&" in doc.text and "<" not in doc.text
    assert [(t.type, t.value, t.text) for t in doc.timexes] == [
        ("DATE", "2001-03-13", "Tuesday"),
        ("DURATION", "P2D", "two days"),
        ("DATE", "2001-02", "February"),
    ]
    for t in doc.timexes:
        assert doc.text[t.start : t.end] == t.text


def test_timex_value_at_each_precision() -> None:
    day = dt.date(2001, 3, 13)
    assert timeml.timex_value(mention(0, 1, day, "day")) == "2001-03-13"
    assert timeml.timex_value(mention(0, 1, day, "week")) == "2001-W11"
    assert timeml.timex_value(mention(0, 1, day, "month")) == "2001-03"
    assert timeml.timex_value(mention(0, 1, day, "year")) == "2001"
    assert timeml.timex_value(mention(0, 1, day, "unknown")) is None


def test_canonical_gold_values() -> None:
    assert timeml.canonical("2001-03-13TNI") == "2001-03-13"
    assert timeml.canonical("2001-W7") == "2001-W07"
    assert timeml.canonical("1999-XX") == "1999"
    assert timeml.canonical("PRESENT_REF") == "PRESENT_REF"


def test_score_counts_value_matches_and_scope() -> None:
    doc = timeml.parse_tml(TML, "T1")
    tuesday, duration, february = doc.timexes
    predicted = [
        timeml.Prediction(tuesday.start, tuesday.end, "2001-03-13", "Tuesday"),  # right
        timeml.Prediction(
            duration.start, duration.end, "2001-03-14", "two days"
        ),  # on a DURATION: out of scope
        timeml.Prediction(february.start, february.end, "2000-02", "February"),  # wrong year
        timeml.Prediction(0, 5, "2001", "Rains"),  # spurious
    ]
    counts = timeml.Counts()
    errors: Counter[str] = Counter()
    timeml.score(doc, predicted, counts, errors)
    assert (counts.tp, counts.n_gold, counts.n_pred, counts.n_pred_all) == (1, 2, 3, 4)
    assert errors["ok:relative"] == 1
    assert errors["wrong_year"] == 1
    assert errors["predicted_on_time_duration_set"] == 1
    assert errors["predicted_spurious"] == 1


def test_load_reads_a_split_folder(tmp_path: Path) -> None:
    (tmp_path / "AQUAINT").mkdir()
    (tmp_path / "AQUAINT" / "T1.tml").write_text(TML, encoding="utf-8")
    (doc,) = timeml.load(tmp_path, "aquaint")
    assert doc.name == "T1"
    with pytest.raises(FileNotFoundError):
        timeml.load(tmp_path, "timebank")


@pytest.mark.shared
def test_real_run_on_a_few_documents(shared_dir: Path) -> None:
    result = timeml.evaluate(shared_dir / "data" / "timeml_aquaint", "aquaint", limit=4)
    assert result.n == 4
    for key in ("date_value_accuracy", "date_value_f1"):
        assert 0.0 <= result.metrics[key] <= 1.0
    assert all(0.0 <= v <= 1.0 for v in result.metrics.values())
    assert result.details["gold_dates"] > 0
