"""TimeML (TempEval-3 TBAQ-cleaned, AQUAINT part): date expressions found and normalised end to end.

Each document's ``<TEXT>`` is run through the real ``rashomon_dates`` component
(:func:`rashomon.extract.nlp.build_nlp` + ``process``) with the document creation time (DCT) as
the publication date.  Every :class:`~rashomon.models.DateMention` is turned into a TIMEX3-style
value (:func:`timex_value`: day ``YYYY-MM-DD``, week ``YYYY-Www``, month ``YYYY-MM``, year
``YYYY``, from the mention's start) and compared with the gold ``TIMEX3 type="DATE"`` values.

Scoring (docs/evaluation/timeml.md):

* a prediction and a gold DATE timex *match* when their character spans overlap and the values
  are equal as strings (so the granularity must be the gold's);
* ``date_value_f1``: one-to-one matching of such pairs; recall over gold DATE timexes,
  precision over our predictions except those whose span lies only on gold TIME, DURATION or
  SET timexes (out of this score's scope; ``date_value_f1_all_types`` counts them as wrong);
* ``date_value_accuracy``: the share of gold DATE timexes matched (the recall above).

Gold values our records cannot express (``PRESENT_REF``, ``1998-XX``, ``199X``, ``1998-FA``,
``1998-Q3``) stay in the denominator and are counted as their own error class in ``details``.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rashomon.eval.base import EvalResult, Failures, prf, rounded
from rashomon.eval.polnear import match_count
from rashomon.models import DateMention

__all__ = ["Document", "Timex", "canonical", "evaluate", "load", "parse_tml", "timex_value"]

SPLITS = {"aquaint": "AQUAINT", "timebank": "TimeBank"}
_CALENDAR = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?|-W\d{2})?$")
_RELATIVE = re.compile(
    r"\b(?:yesterday|today|tomorrow|tonight|now|last|next|this|ago|earlier|later|past|coming|current"
    r"|recent|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Timex:
    """A gold TIMEX3 inside the document text (character offsets into :attr:`Document.text`)."""

    start: int
    end: int
    type: str
    value: str
    text: str


@dataclass(frozen=True)
class Prediction:
    """One of our date mentions as a TIMEX3-style value."""

    start: int
    end: int
    value: str | None
    text: str


@dataclass(frozen=True)
class Document:
    name: str
    text: str
    dct: dt.date | None
    timexes: tuple[Timex, ...]


# --------------------------------------------------------------------------- loading


def _walk(node: ET.Element, parts: list[str], found: list[Timex], offset: int) -> int:
    """Append the text under ``node`` to ``parts``, recording TIMEX3 offsets; returns the new offset."""
    start = offset
    if node.text:
        parts.append(node.text)
        offset += len(node.text)
    for child in node:
        offset = _walk(child, parts, found, offset)
        if child.tail:
            parts.append(child.tail)
            offset += len(child.tail)
    if node.tag == "TIMEX3":
        text = "".join(parts)[start:offset]
        found.append(Timex(start, offset, node.get("type", ""), node.get("value", ""), text))
    return offset


def parse_tml(xml: str, name: str = "") -> Document:
    """A TimeML document: the plain ``<TEXT>``, its DCT and the TIMEX3s inside the text."""
    root = ET.fromstring(xml)
    dct: dt.date | None = None
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            try:
                dct = dt.date.fromisoformat(timex.get("value", "")[:10])
            except ValueError:
                dct = None
            break
    body = root.find("TEXT")
    parts: list[str] = []
    found: list[Timex] = []
    if body is not None:
        body.tail = None
        _walk(body, parts, found, 0)
    return Document(name, "".join(parts), dct, tuple(sorted(found, key=lambda t: t.start)))


def load(folder: Path, split: str = "aquaint", limit: int | None = None) -> list[Document]:
    """The ``.tml`` documents of ``folder/<AQUAINT|TimeBank>`` (by split name), sorted by name."""
    sub = folder / SPLITS.get(split.lower(), split)
    if not sub.is_dir():
        raise FileNotFoundError(f"no {sub.name} folder under {folder}")
    docs: list[Document] = []
    for path in sorted(sub.glob("*.tml")):
        if path.name.startswith("._"):
            continue
        docs.append(parse_tml(path.read_text(encoding="utf-8"), path.stem))
        if limit is not None and len(docs) >= limit:
            break
    return docs


# --------------------------------------------------------------------------- values


def timex_value(mention: DateMention) -> str | None:
    """The TIMEX3-style value of a date mention, at its own precision (None when unknown)."""
    day = mention.start
    if mention.precision == "day":
        return day.isoformat()
    if mention.precision == "week":
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if mention.precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if mention.precision == "year":
        return f"{day.year:04d}"
    return None


def canonical(value: str) -> str:
    """A gold value in the notation :func:`timex_value` writes, where the two say the same thing.

    A time of day after a calendar date is dropped (our records carry none: ``1998-08-07TNI`` ->
    ``1998-08-07``), a one-digit week is zero-padded (``2000-W7`` -> ``2000-W07``), and trailing
    unspecified parts are dropped (``1949-XX`` -> ``1949``, ``1998-10-XX`` -> ``1998-10``)."""
    value = re.sub(r"^(\d{4}-\d{2}-\d{2})T.*$", r"\1", value)
    value = re.sub(r"^(\d{4})-W(\d)$", r"\1-W0\2", value)
    while value.endswith("-XX"):
        value = value[:-3]
    return value


def _granularity(value: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "day"
    if re.fullmatch(r"\d{4}-W\d{2}", value):
        return "week"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    return "year" if re.fullmatch(r"\d{4}", value) else "other"


def _overlap(a: Timex | Prediction, b: Timex | Prediction) -> bool:
    return a.start < b.end and b.start < a.end


# --------------------------------------------------------------------------- scoring


def _error_class(gold: Timex, cands: Sequence[Prediction]) -> str:
    """Why a gold DATE timex was not matched."""
    value = canonical(gold.value)
    if not _CALENDAR.match(value):
        return "gold_not_calendar" if cands else "missed_span_gold_not_calendar"
    if not cands:
        return "missed_span"
    values = [c.value for c in cands if c.value]
    if not values:
        return "no_value"
    if any(_granularity(v) != _granularity(value) for v in values):
        return "wrong_granularity"
    if any(v[4:] == value[4:] for v in values):
        return "wrong_year"
    return "wrong_value"


@dataclass
class Counts:
    """Summed counts over documents."""

    tp: int = 0
    strict_tp: int = 0  # values compared as written, without :func:`canonical`
    n_gold: int = 0
    n_pred: int = 0  # predictions in scope (not only on TIME/DURATION/SET timexes)
    n_pred_all: int = 0
    span_tp: int = 0


def score(doc: Document, predicted: Sequence[Prediction], counts: Counts, errors: Counter[str]) -> None:
    """Add one document's counts and error classes."""
    dates = [t for t in doc.timexes if t.type == "DATE"]
    others = [t for t in doc.timexes if t.type != "DATE"]
    in_scope = [
        p for p in predicted if any(_overlap(p, g) for g in dates) or not any(_overlap(p, o) for o in others)
    ]
    counts.n_gold += len(dates)
    counts.n_pred += len(in_scope)
    counts.n_pred_all += len(predicted)
    counts.tp += match_count(
        len(in_scope),
        len(dates),
        lambda i, j: _overlap(in_scope[i], dates[j]) and in_scope[i].value == canonical(dates[j].value),
    )
    counts.strict_tp += match_count(
        len(in_scope),
        len(dates),
        lambda i, j: _overlap(in_scope[i], dates[j]) and in_scope[i].value == dates[j].value,
    )
    counts.span_tp += match_count(len(in_scope), len(dates), lambda i, j: _overlap(in_scope[i], dates[j]))
    for gold in dates:
        cands = [p for p in predicted if _overlap(p, gold)]
        if any(p.value == canonical(gold.value) for p in cands):
            errors["ok:relative" if _RELATIVE.search(gold.text) else "ok"] += 1
            continue
        kind = _error_class(gold, cands)
        errors[f"{kind}:relative" if _RELATIVE.search(gold.text) else kind] += 1
    for p in predicted:
        if p not in in_scope:
            errors["predicted_on_time_duration_set"] += 1
        elif not any(_overlap(p, g) for g in dates):
            errors["predicted_spurious"] += 1


# --------------------------------------------------------------------------- the run


def predict(docs: Iterable[Document], failures: Failures | None = None) -> Iterator[list[Prediction] | None]:
    """Run ``rashomon_dates`` over the documents (DCT as publication date); None for a
    document the pipeline failed on (recorded in ``failures``)."""
    from rashomon.extract.nlp import build_nlp, process

    nlp = build_nlp(["rashomon_dates"])
    failures = failures if failures is not None else Failures()

    def run(batch: list[Document]) -> list[list[Prediction]]:
        return [[Prediction(m.span.start, m.span.end, timex_value(m), m.span.text) for m in doc._.dates or []]
                for doc in process(nlp, ((d.name, d.text, d.dct) for d in batch))]

    for _, predicted in failures.each(docs, run, key=lambda d: f"document {d.name}"):
        yield predicted


def evaluate(data: Path, split: str | None = "aquaint", limit: int | None = None) -> EvalResult:
    """Score ``rashomon_dates`` on TimeML DATE timexes (see the module docstring for the rules)."""
    split = split or "aquaint"
    docs = load(data, split, limit)
    counts = Counts()
    errors: Counter[str] = Counter()
    failures = Failures()
    for doc, predicted in zip(docs, predict(docs, failures), strict=True):
        if predicted is not None:
            with failures.guard(f"document {doc.name}"):
                score(doc, predicted, counts, errors)
    p, r, f = prf(counts.tp, counts.n_pred, counts.n_gold)
    metrics = {
        "date_value_accuracy": r,
        "date_value_f1": f,
        "date_value_precision": p,
        "date_value_recall": r,
        "date_value_f1_all_types": prf(counts.tp, counts.n_pred_all, counts.n_gold)[2],
        "date_value_f1_strict": prf(counts.strict_tp, counts.n_pred, counts.n_gold)[2],
        "date_span_f1": prf(counts.span_tp, counts.n_pred, counts.n_gold)[2],
    }
    details = {
        "gold_dates": counts.n_gold,
        "predicted_in_scope": counts.n_pred,
        "predicted_all": counts.n_pred_all,
        "errors": dict(sorted(errors.items())),
    }
    return failures.report(EvalResult("timeml", split, len(docs), rounded(metrics), details))
