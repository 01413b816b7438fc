"""News geoparsing (GeoWebNews, TR-News, LGL): toponyms found, and toponyms resolved to points.

The folder holds one XML file per corpus (``--split``: ``gwn`` = ``GeoWebNews_GWN.xml``,
``trnews`` = ``TR-News.xml``, ``lgl`` = ``LGL_lgl.xml``).  Two shapes are read (see
:func:`parse_xml`): GeoWebNews' (``toponym/{extractedName, type, start, end, latitude,
longitude}``) and the TR-News/LGL one (``toponym/{phrase, start, end, gaztag/{lat, lon, ...}}``).
Gold offsets that do not point at the toponym's text (TR-News has a hundred, shifted by a few
characters) are moved to the nearest occurrence of the text.

Each article runs through the real ``rashomon_places`` component (spaCy NER + the component,
:func:`rashomon.extract.nlp.build_nlp`).  Scoring (docs/evaluation/geoparsing.md):

* ``recognition_f1`` (with ``recognition_precision`` / ``recognition_recall``): the component's
  place mentions against the gold toponym spans, a match being an *exact* character span
  (after trimming a leading "the" and surrounding punctuation on both sides); one-to-one.
  GeoWebNews' non-toponym classes (``Non_Toponym``, ``Literal_Expression``,
  ``Non_Lit_Expression``) and the adjectival classes (``Demonym``, ``Language``), which the
  component by design does not report as places, are not gold for recognition.
* ``acc161``: every gold toponym that has gold coordinates is resolved from its *gold span*
  (:meth:`~rashomon.extract.places.component.PlaceFinder.resolve_spans`: the component's own
  resolver, the one ``rashomon analyse`` runs, with the gold span in place of the component's
  candidates it overlaps); the share whose point lies within 161 km (100 miles) of the gold
  point.  Unresolved toponyms count as misses.
* ``mean_error_km``: mean great-circle error over the resolved ones only.
* ``acc161_first_half`` / ``acc161_second_half``: ``acc161`` over the first and second half of
  the documents (both halves were looked at while writing rules: no held-out check).

A document that fails is left out and counted in ``errors`` (:class:`~rashomon.eval.base.Failures`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rashomon.eval.base import EvalResult, Failures, prf, rounded
from rashomon.geo import distance_km
from rashomon.models import Place

__all__ = ["Document", "Toponym", "evaluate", "find_file", "load", "parse_xml", "recognition_counts", "trim"]

SPLITS = {"gwn": "GeoWebNews_GWN.xml", "trnews": "TR-News.xml", "lgl": "LGL_lgl.xml"}
SPLIT_HINTS = {"gwn": ("gwn", "geowebnews"), "trnews": ("tr-news", "trnews", "tr_news"), "lgl": ("lgl",)}
NOT_TOPONYMS = frozenset({"Non_Toponym", "Literal_Expression", "Non_Lit_Expression"})
NOT_RECOGNISED = NOT_TOPONYMS | {"Demonym", "Language"}
ACC_KM = 161.0


@dataclass(frozen=True)
class Toponym:
    """A gold toponym: character offsets into its document's text, its class, its gold point."""

    start: int
    end: int
    text: str
    kind: str = ""  # GeoWebNews type ("Literal", "Metonymic", ...) or GeoNames feature code
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def recognisable(self) -> bool:
        return self.kind not in NOT_RECOGNISED


@dataclass(frozen=True)
class Document:
    doc_id: str
    text: str
    toponyms: tuple[Toponym, ...]


# --------------------------------------------------------------------------- loading


def find_file(folder: Path, split: str) -> Path:
    """The corpus file of ``split`` in ``folder`` (its usual name, else any XML file whose name
    contains the split's name)."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
    path = folder / SPLITS[split]
    if path.is_file():
        return path
    for candidate in sorted(folder.glob("*.xml")):
        lowered = candidate.name.lower()
        if any(hint in lowered for hint in SPLIT_HINTS[split]):
            return candidate
    raise FileNotFoundError(f"no {SPLITS[split]} in {folder}")


def _value(node: ET.Element | None, *names: str) -> str | None:
    """The first non-empty child text or attribute among ``names``."""
    if node is None:
        return None
    for name in names:
        child = node.find(name)
        if child is not None and child.text and child.text.strip():
            return child.text.strip()
        attr = node.get(name)
        if attr and attr.strip():
            return attr.strip()
    return None


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _align(text: str, start: int, end: int, phrase: str) -> tuple[int, int]:
    """Offsets of ``phrase`` in ``text``: as given when they match, else the nearest
    occurrence (case-insensitive); as given (clipped) when the phrase is nowhere."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    if not phrase or text[start:end] == phrase:
        return start, end
    found = [m.start() for m in re.finditer(re.escape(phrase), text, re.IGNORECASE)]
    if not found:
        return start, end
    best = min(found, key=lambda s: abs(s - start))
    return best, best + len(phrase)


def _toponym(node: ET.Element, text: str) -> Toponym | None:
    phrase = _value(node, "extractedName", "phrase", "name") or ""
    start, end = _number(_value(node, "start")), _number(_value(node, "end"))
    if start is None or end is None:
        if not phrase or phrase not in text:
            return None
        start = float(text.index(phrase))
        end = start + len(phrase)
    s, e = _align(text, int(start), int(end), phrase)
    gaz = node.find("gaztag")
    source = node if gaz is None else gaz
    lat = _number(_value(source, "latitude", "lat"))
    lon = _number(_value(source, "longitude", "lon"))
    gid = _value(node, "geonamesID", "geonameid") if gaz is None else _value(gaz, "geonameid", "geonamesID")
    kind = _value(node, "type") or _value(gaz, "fcode") or ""
    if lat is None or lon is None:
        lat = lon = None
    return Toponym(s, e, text[s:e], kind, lat, lon, int(gid) if gid and gid.isdigit() else None)


def parse_xml(source: str | bytes) -> list[Document]:
    """Documents of a GeoWebNews- or TR-News/LGL-shaped XML string."""
    root = ET.fromstring(source)
    docs = []
    for i, article in enumerate(root.iter("article")):
        text = article.findtext("text") or ""
        doc_id = article.get("docid") or article.get("file") or str(i)
        found = (_toponym(node, text) for node in article.iter("toponym"))
        toponyms = sorted((t for t in found if t is not None), key=lambda t: (t.start, t.end))
        docs.append(Document(doc_id, text, tuple(toponyms)))
    return docs


def load(folder: Path, split: str, limit: int | None = None) -> list[Document]:
    docs = parse_xml(find_file(folder, split).read_bytes())
    return docs[:limit] if limit is not None else docs


# --------------------------------------------------------------------------- scoring


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without a leading "the" and surrounding punctuation or spaces."""
    piece = text[start:end]
    lead = re.match(r"(?:the\s+)?[\W_]*", piece, re.IGNORECASE)
    s = start + (lead.end() if lead else 0)
    tail = re.search(r"[\W_]*$", text[s:end])
    e = s + (tail.start() if tail else end - s)
    return (s, e) if e > s else (start, end)


def recognition_counts(text: str, predicted: Iterable[tuple[int, int]],
                       gold: Iterable[tuple[int, int]]) -> tuple[int, int, int]:
    """(true positives, predictions, gold) under the exact-span rule (after :func:`trim`)."""
    pred = Counter(trim(text, s, e) for s, e in predicted)
    want = Counter(trim(text, s, e) for s, e in gold)
    tp = sum((pred & want).values())
    return tp, sum(pred.values()), sum(want.values())


def _error(toponym: Toponym, place: Place | None) -> float | None:
    if place is None or place.lat is None or place.lon is None:
        return None
    assert toponym.lat is not None and toponym.lon is not None
    return distance_km(toponym.lat, toponym.lon, place.lat, place.lon)


def _acc(errors: Sequence[float | None]) -> float:
    return sum(1 for e in errors if e is not None and e <= ACC_KM) / len(errors) if errors else 0.0


def evaluate(data: Path, split: str | None, limit: int | None) -> EvalResult:
    from rashomon.extract.nlp import build_nlp, process

    split = split or "gwn"
    docs = load(data, split, limit)
    nlp = build_nlp(components=["rashomon_places"])
    finder = nlp.get_pipe("rashomon_places")
    tp = n_pred = n_gold = 0
    per_doc: list[list[float | None]] = []
    misses: Counter[str] = Counter()
    failures = Failures()
    processed = failures.each(docs, lambda batch: list(process(nlp, ((d.doc_id, d.text, None) for d in batch))),
                              key=lambda d: f"document {d.doc_id}")
    for document, doc in processed:
        if doc is None:
            continue
        with failures.guard(f"document {document.doc_id}"):
            predicted = [(m.span.start, m.span.end) for m in doc._.places]
            gold = [(t.start, t.end) for t in document.toponyms if t.recognisable]
            counts = recognition_counts(document.text, predicted, gold)
            pointed = [t for t in document.toponyms if t.has_point]
            places = finder.resolve_spans(doc, [(t.start, t.end) for t in pointed])  # type: ignore[attr-defined]
            errors = [_error(t, p) for t, p in zip(pointed, places, strict=True)]
            tp, n_pred, n_gold = tp + counts[0], n_pred + counts[1], n_gold + counts[2]
            per_doc.append(errors)
            for t, e in zip(pointed, errors, strict=True):
                if e is None or e > ACC_KM:
                    misses[t.text] += 1
    p, r, f = prf(tp, n_pred, n_gold)
    flat = [e for errors in per_doc for e in errors]
    resolved = [e for e in flat if e is not None]
    half = len(per_doc) // 2
    metrics = {
        "recognition_f1": f, "recognition_precision": p, "recognition_recall": r,
        "acc161": _acc(flat),
        "mean_error_km": sum(resolved) / len(resolved) if resolved else 0.0,
        "acc161_first_half": _acc([e for errors in per_doc[:half] for e in errors]),
        "acc161_second_half": _acc([e for errors in per_doc[half:] for e in errors]),
        "resolved_share": len(resolved) / len(flat) if flat else 0.0,
    }
    details = {"n_gold_points": len(flat), "n_gold_spans": n_gold, "n_predicted": n_pred,
               "frequent_misses": dict(misses.most_common(40))}
    return failures.report(EvalResult("geoparsing", split, len(docs), rounded(metrics), details))
