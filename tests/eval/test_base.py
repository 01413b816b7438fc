"""The failure counter every evaluation shares: one bad document is counted, not fatal."""

from __future__ import annotations

from rashomon.eval.base import BATCH, EvalResult, Failures


def halves(batch: list[int]) -> list[float]:
    """A batch runner that fails on the whole batch whenever 13 is in it."""
    if 13 in batch:
        raise ValueError("thirteen")
    return [n / 2 for n in batch]


def test_a_failing_item_is_retried_alone_and_counted() -> None:
    failures = Failures()
    out = list(failures.each(range(BATCH + 5), halves, key=lambda n: f"item {n}"))
    assert [item for item, _ in out] == list(range(BATCH + 5))
    assert dict(out)[13] is None
    assert all(result == item / 2 for item, result in out if item != 13)  # its batch-mates are kept
    assert failures.count == 1 and failures.messages == ["item 13: ValueError: thirteen"]


def test_guard_records_and_swallows_an_error() -> None:
    failures = Failures()
    reached = []
    for n in (1, 2, 3):
        with failures.guard(f"doc {n}"):
            if n == 2:
                raise KeyError(n)
            reached.append(n)
    assert reached == [1, 3] and failures.count == 1


def test_errors_sit_next_to_n_in_the_json() -> None:
    failures = Failures()
    with failures.guard("doc 7"):
        raise RuntimeError("broken")
    result = failures.report(EvalResult("x", "dev", 4, {"f1": 0.5}))
    out = result.as_dict(with_details=True)
    assert list(out)[:4] == ["dataset", "split", "n", "errors"]
    assert out["errors"] == 1 and out["details"]["failures"] == ["doc 7: RuntimeError: broken"]
    assert EvalResult("x", "dev", 4, {}).as_dict()["errors"] == 0
