"""CASE 2021 Task 2 evaluation: loader, label mapping and scorer on invented rows, and a short real
run on the shared data (read in place from ``RASHOMON_SHARED``, never copied here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.eval import case2021
from rashomon.extract.event_type import load_taxonomy
from rashomon.models import EventType

HEADER = "id\tEventSnippet\tSubType\n"
ROWS = [
    ("1", "Warplanes bombed a market in the north, killing nine people.", "AIR_STRIKE"),
    ("2", "Thousands marched peacefully through the capital against the new tax.", "PEACE_PROTEST"),
    ("3", "A magnitude 6 earthquake damaged hundreds of homes in the valley.", "NATURAL_DISASTER"),
    ("4", "The two countries signed a ceasefire agreement on Sunday.", "AGREEMENT"),
]


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    text = HEADER + "".join(f"{i}\t{s}\t{label}\n" for i, s, label in ROWS)
    (tmp_path / case2021.FILE).write_text(text, encoding="utf-8")
    return tmp_path


def test_load_splits(folder: Path) -> None:
    assert [s.id for s in case2021.load(folder, "test")] == ["1", "2", "3", "4"]
    assert [s.id for s in case2021.load(folder, "test-even")] == ["2", "4"]
    assert [s.id for s in case2021.load(folder, "test-odd")] == ["1", "3"]
    assert case2021.load(folder, "test")[2].label == "NATURAL_DISASTER"


def test_train_split_is_refused(folder: Path) -> None:
    with pytest.raises(ValueError, match="no 'train' split"):
        case2021.load(folder, "train")
    with pytest.raises(ValueError, match="unknown case2021 split"):
        case2021.load(folder, "dev")
    with pytest.raises(FileNotFoundError):
        case2021.load(folder / "missing", "test")


def test_label_mapping_covers_every_code() -> None:
    for t in load_taxonomy():
        event = EventType(code=t["code"], acled_event_type=t["acled_event_type"],
                          acled_sub_event_type=t["acled_sub_event_type"])
        assert case2021.label_of(event) == t["case2021"], t["code"]
    assert case2021.label_of(None) == case2021.FALLBACK == "OTHER"
    assert len(set(case2021.ACLED_TO_CASE.values())) == 25


def test_score() -> None:
    gold = ["A", "A", "B", "C"]
    metrics = case2021.score(gold, ["A", "B", "B", "C"])
    assert metrics["accuracy"] == 0.75
    # per-label F1: A 2/3, B 2/3, C 1 -> weighted (2*2/3 + 2/3 + 1) / 4, macro (2/3 + 2/3 + 1) / 3
    assert metrics["weighted_f1"] == pytest.approx((4 / 3 + 2 / 3 + 1) / 4)
    assert metrics["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    # a label predicted but never gold lowers precision elsewhere, and is not averaged itself
    assert case2021.score(["A"], ["Z"]) == {"weighted_f1": 0.0, "macro_f1": 0.0, "accuracy": 0.0}
    assert case2021.score([], []) == {"weighted_f1": 0.0, "macro_f1": 0.0, "accuracy": 0.0}


def test_evaluate_invented_rows(folder: Path) -> None:
    result = case2021.evaluate(folder, "test", None)
    assert result.n == 4 and result.split == "test"
    assert [item["pred"] for item in result.details["items"]] == [label for _i, _s, label in ROWS]
    assert result.metrics == {"weighted_f1": 1.0, "macro_f1": 1.0, "accuracy": 1.0}


@pytest.mark.shared
def test_real_data_short_run(shared_dir: Path) -> None:
    from rashomon.eval import evaluate

    result = evaluate("case2021", shared_dir / "data" / "case2021_task2", "test", 40)
    assert result.n == 40
    assert set(result.metrics) == {"weighted_f1", "macro_f1", "accuracy"}
    assert all(0.0 <= v <= 1.0 for v in result.metrics.values())
