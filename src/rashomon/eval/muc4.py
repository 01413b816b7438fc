"""MUC-4 (Sundheim, MUC-4 1992) terrorism templates: incident date, location, type and the effect
on people, scored per document.

A split folder (``tst3/``, ``tst4/``) holds the texts (``<split>-muc4``: documents start with an id
line such as ``TST3-MUC4-0001``) and the answer key (``key-<split>.v2``: one template per incident,
slots ``<n>.  <SLOT NAME>  <fill>``).  Each document becomes an Article whose publication date is
the dateline's ("BOGOTA, 3 FEB 90 (...) --"; "NO DATE": none) and runs through the real
extraction (:func:`rashomon.extract.extract_articles`); its one Mention is one predicted
template.  Scoring (docs/evaluation/muc4.md gives the reasons):

* Gold items: per document and slot, the distinct fills of its templates (``INCIDENT: DATE``,
  ``INCIDENT: LOCATION``, ``INCIDENT: TYPE``, and the DEATH / INJURY values of ``HUM TGT: EFFECT
  OF INCIDENT``); alternatives (``A / B``) make one item.  Items of optional templates
  (``(OPTIONAL)``) and optional fills (``? ...``) count only when matched.  Irrelevant documents
  (template ``*``) have no items: anything predicted on them is a false positive.
* Predictions: none unless the Mention reports an incident of a MUC type — its event type maps to
  one (:data:`MUC_TYPES`), or it has a killed, injured or kidnapped figure.  Then its date, its
  place, its mapped type, and DEATH / INJURY when it counts people killed / injured.
* Matching: a date when the predicted day (or range) lies within the gold range (``- D``, "on or
  before D", is the week up to D); a location when a name of the predicted place equals (folded)
  a place name of the gold fill or its country; a type or an effect when equal.  Each gold item
  matches at most one prediction.
* ``<slot>_f1``: micro F1 over documents (true positives / predictions, / gold items);
  ``macro_f1``: the mean of the four; ``location_country_f1``: the location scored by country.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rashomon.eval.base import EvalResult, Failures, prf, rounded
from rashomon.eval.incident_slots import (
    GoldItem,
    article_count,
    make_article,
    name_key,
    place_names,
    score_slot,
)
from rashomon.models import Article, Mention

__all__ = [
    "MUC_TYPES", "GoldItem", "MucDoc", "evaluate", "gold_items", "load", "muc_type", "parse_dateline",
    "parse_keys", "parse_texts", "predictions", "score_slot",
]

SLOTS = ("date", "location", "type", "effect")
OPEN_DAYS = 6  # "- D" (on or before D): D and the six days before it, the reach of a weekday name
EFFECTS = frozenset({"DEATH", "INJURY"})

# Rashomon event type (docs/taxonomy.md) -> MUC-4 INCIDENT: TYPE.  Codes not listed are not MUC
# incidents: MUC-4 leaves out clashes between armed forces and guerrillas (armed_clash,
# territory_*), arrests, protests and riots, accidents, disasters and political moves (agreement,
# diplomacy, group_change, base_established, weapons_seized).  Two codes are refined by the cues
# that typed them (see muc_type and _REFINED).
MUC_TYPES: dict[str, str] = {
    "bombing": "BOMBING",
    "suicide_bombing": "BOMBING",
    "grenade_attack": "BOMBING",  # MUC files grenades under EXPLOSIVE instruments
    "shooting": "ATTACK",
    "attack_on_civilians": "ATTACK",
    "air_strike": "ATTACK",  # MUC: aerial bombs are ATTACK, not BOMBING
    "shelling": "ATTACK",
    "chemical_attack": "ATTACK",
    "sexual_violence": "ATTACK",
    "mob_violence": "ATTACK",
    "protest_force": "ATTACK",  # state violence against civilians is in MUC's scope
    "responsibility_claim": "ATTACK",  # a claimed act of violence: MUC's catch-all type
    "abduction": "KIDNAPPING",
    "property_destruction": "ATTACK",  # sabotage; ARSON / ROBBERY by its cues
}
_FIRE_CUES = ("arson", "fire", "burn", "torch", "blaze")
_ROBBERY_CUES = ("loot", "ransack", "rob", "steal", "stole", "hold up", "holdup")
_REFINED: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "property_destruction": ((_FIRE_CUES, "ARSON"), (_ROBBERY_CUES, "ROBBERY")),
    "organised_crime": ((_ROBBERY_CUES, "ROBBERY"),),  # otherwise not a MUC incident
}

_DOC_ID = re.compile(r"^\s*([A-Z0-9]+-MUC\d-\d+)\s*$")
_DATELINE = re.compile(
    r"^\s*(?P<place>[^,\n]+?)\s*,\s*(?:(?P<day>\d{1,2})\s+(?P<month>[A-Z]{3})[A-Z]*\.?\s+(?P<year>\d{2,4})|NO DATE)",
    re.IGNORECASE,
)
_MONTHS = {m: i for i, m in enumerate(
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], start=1)}
_SLOT_LINE = re.compile(r"^(\d+)\.\s+(.+?)(?:\s{2,}(.*))?$")
_KEY_DATE = re.compile(r"^(\d{1,2})\s+([A-Z]{3})\s+(\d{2})$")


@dataclass
class Template:
    """One answer-key template: slot number -> fill lines, and whether it is optional."""

    number: str  # "1", "2", "*" (no relevant incident)
    optional: bool
    slots: dict[int, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Location:
    """One location alternative: every place name in it and its country, folded."""

    names: frozenset[str]
    country: str


@dataclass(frozen=True)
class MucDoc:
    """A document: its Article and answer-key templates."""

    doc_id: str
    article: Article
    templates: tuple[Template, ...]

    @property
    def relevant(self) -> bool:
        return any(t.number != "*" for t in self.templates)


# --------------------------------------------------------------------------- texts

def parse_texts(text: str) -> dict[str, str]:
    """Split a MUC text file into {document id: article text}; wrapped lines are joined, and
    paragraphs (lines that start indented) are separated by a blank line."""
    docs: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        match = _DOC_ID.match(line)
        if match:
            current = docs.setdefault(match.group(1), [])
            continue
        if current is not None:
            current.append(line)
    return {doc_id: _paragraphs(lines) for doc_id, lines in docs.items()}


def _paragraphs(lines: list[str]) -> str:
    paragraphs: list[list[str]] = []
    for line in lines:
        if not line.strip():
            if paragraphs and paragraphs[-1]:
                paragraphs.append([])
            continue
        if not paragraphs or (line[:1].isspace() and paragraphs[-1]):
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
    return "\n\n".join(" ".join(p) for p in paragraphs if p)


def _day(day: str, month: str, year: str) -> dt.date | None:
    """"3", "FEB", "90" -> 1990-02-03 (two-digit years: 50-99 are 19xx, the rest 20xx)."""
    number = _MONTHS.get(month[:3].upper())
    value = int(year) if len(year) == 4 else 1900 + int(year) if int(year) >= 50 else 2000 + int(year)
    try:
        return dt.date(value, number, int(day)) if number else None
    except ValueError:
        return None


def parse_dateline(text: str) -> tuple[str | None, dt.date | None]:
    """(place, date) of a dateline such as "SAN SALVADOR, 10 JAN 90 (ACAN-EFE) --"; the date is
    None for "NO DATE" or an unreadable one, the place None for "CLANDESTINE"/"NO CITY"."""
    match = _DATELINE.match(text)
    if not match:
        return None, None
    place = re.sub(r"\s*\(.*?\)\s*$", "", match.group("place")).strip()
    if place.upper() in ("CLANDESTINE", "NO CITY") or place.upper().startswith("NO CITY"):
        place = ""
    day = _day(match.group("day"), match.group("month"), match.group("year")) if match.group("day") else None
    return place or None, day


# --------------------------------------------------------------------------- answer keys

def parse_keys(text: str) -> dict[str, list[Template]]:
    """Parse an answer-key file into {document id: templates}."""
    keys: dict[str, list[Template]] = {}
    template: Template | None = None
    slot: int | None = None
    for line in text.splitlines():
        if not line.strip():
            slot = None
            continue
        match = _SLOT_LINE.match(line) if not line[:1].isspace() else None
        if match:
            slot = int(match.group(1))
            value = (match.group(3) or "").strip()
            if slot == 0:
                template = Template(number="", optional=False)
                keys.setdefault(value, []).append(template)
            elif template is not None and slot == 1:
                template.optional = "OPTIONAL" in value.upper()
                template.number = value.split()[0] if value else "*"
            if template is not None and slot != 0:
                template.slots[slot] = [value] if value else []
        elif template is not None and slot is not None:
            template.slots[slot].append(line.strip())
    return keys


def split_alternatives(fill: str) -> list[str]:
    """``A / B / (C - D)`` -> [A, B, C - D]: splits at slashes outside quotes and parentheses,
    dropping one pair of enclosing parentheses."""
    parts: list[str] = []
    depth, quoted, start = 0, False, 0
    for i, ch in enumerate(fill):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
        elif not quoted and depth == 0 and ch == "/":
            parts.append(fill[start:i])
            start = i + 1
    parts.append(fill[start:])
    out = [p.strip() for p in parts]
    # "(A: B (CITY))" is wrapped as a whole; "(A) - (B)" or "X (CITY)" are not.
    out = [p[1:-1].strip() if p.startswith("(") and _closing(p) == len(p) - 1 else p for p in out]
    return [p for p in out if p]


def _closing(text: str) -> int:
    """Index of the parenthesis closing the one that opens ``text`` (-1 when unbalanced)."""
    depth = 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0:
            return i
    return -1


def _key_day(text: str) -> dt.date | None:
    match = _KEY_DATE.match(text.strip())
    return _day(*match.groups()) if match else None


def parse_key_date(alt: str) -> tuple[dt.date, dt.date] | None:
    """A key date as the closed interval it allows: "16 NOV 89", "01 NOV 88 - 30 NOV 88",
    "- 13 NOV 89" (on or before: the :data:`OPEN_DAYS` days before and the day itself)."""
    alt = alt.strip()
    if alt.startswith("-"):
        day = _key_day(alt[1:])
        return (day - dt.timedelta(days=OPEN_DAYS), day) if day else None
    if " - " in alt:
        first, last = (_key_day(p) for p in alt.split(" - ", 1))
        return (first, last) if first and last and first <= last else None
    day = _key_day(alt)
    return (day, day) if day else None


def parse_key_location(alt: str) -> Location | None:
    """"PERU: LIMA (CITY): SAN ISIDRO (NEIGHBORHOOD)" -> names {peru, lima, san isidro}, country
    peru; a range "CANO LIMON (CITY) - COVENAS (CITY)" gives both places."""
    levels = alt.split(":")
    names: set[str] = set()
    for level in levels:
        for place in level.split(" - "):
            name = name_key(re.sub(r"\([^)]*\)", " ", place).replace('"', " "))
            if name:
                names.add(name)
    country = name_key(re.sub(r"\([^)]*\)", " ", levels[0]))
    return Location(frozenset(names), country) if names else None


def _set_values(alt: str) -> str:
    """A set fill without its cross-reference tag: 'DEATH: "JESUITS"' -> 'DEATH'."""
    return alt.split(":", 1)[0].strip().upper()


def _fill_lines(template: Template, slot: int) -> Iterable[tuple[str, bool]]:
    for line in template.slots.get(slot, []):
        line = line.strip()
        optional = line.startswith("?")
        line = line.lstrip("?").strip()
        if line and line not in ("-", "*"):
            yield line, optional or template.optional


def gold_items(templates: Iterable[Template]) -> dict[str, list[GoldItem]]:
    """Per slot, the document's distinct gold items (see the module docstring)."""
    found: dict[str, dict[tuple[Any, ...], bool]] = {s: {} for s in SLOTS}

    def add(slot: str, alternatives: list[Any], optional: bool) -> None:
        if not alternatives:
            return
        key = tuple(dict.fromkeys(alternatives))
        found[slot][key] = found[slot].get(key, True) and optional

    relevant = [t for t in templates if t.number != "*"]
    for t in relevant:
        for line, optional in _fill_lines(t, 2):
            add("date", [d for a in split_alternatives(line) if (d := parse_key_date(a))], optional)
        for line, optional in _fill_lines(t, 3):
            add("location", [loc for a in split_alternatives(line) if (loc := parse_key_location(a))], optional)
        for line, optional in _fill_lines(t, 4):
            add("type", [a.strip().upper() for a in split_alternatives(line)], optional)
        for line, optional in _fill_lines(t, 23):
            values = [v for a in split_alternatives(line) if (v := _set_values(a)) in EFFECTS]
            add("effect", values, optional)
    return {s: [GoldItem(k, opt) for k, opt in items.items()] for s, items in found.items()}


# --------------------------------------------------------------------------- loading

def _split_files(folder: Path, split: str) -> tuple[Path, Path]:
    texts = folder / f"{split}-muc4"
    key = folder / f"key-{split}.v2"
    if not texts.is_file():
        found = sorted(p for p in folder.glob("*-muc4") if p.is_file())
        texts = found[0] if found else texts
    if not key.is_file():
        found = sorted(folder.glob("key-*"))
        key = found[0] if found else key
    if not texts.is_file() or not key.is_file():
        raise FileNotFoundError(f"MUC-4 split {split!r} needs {texts.name} and {key.name} in {folder}")
    return texts, key


def load(data: Path, split: str = "tst3", limit: int | None = None) -> list[MucDoc]:
    """Read a split (``<data>/<split>/``, or ``data`` itself when it is the split folder) into
    documents in file order; documents without a key are skipped."""
    folder = data / split if (data / split).is_dir() else data
    text_path, key_path = _split_files(folder, split.lower())
    texts = parse_texts(text_path.read_text(encoding="latin-1"))
    keys = parse_keys(key_path.read_text(encoding="latin-1"))
    docs: list[MucDoc] = []
    for doc_id, text in texts.items():
        if doc_id not in keys:
            continue
        if limit is not None and len(docs) >= limit:
            break
        article = make_article(text, f"{text_path.name}#{doc_id}", published=parse_dateline(text)[1])
        docs.append(MucDoc(doc_id, article, tuple(keys[doc_id])))
    return docs


# --------------------------------------------------------------------------- predictions

def muc_type(mention: Mention) -> str | None:
    """The MUC-4 incident type of the Mention's event type (:data:`MUC_TYPES`).  Property
    destruction is ARSON when the cues that typed it speak of fire, ROBBERY when of looting or
    robbery, else ATTACK; organised crime is ROBBERY when its cues speak of robbery, else none."""
    event = mention.event_type
    if event is None:
        return None
    cues = " ".join(span.text.lower() for span in event.evidence)
    for words, kind in _REFINED.get(event.code, ()):
        if any(word in cues for word in words):
            return kind
    return MUC_TYPES.get(event.code)


def reports_incident(mention: Mention) -> bool:
    """Whether the Mention stands for a MUC incident: a MUC event type, or people counted killed,
    injured or kidnapped."""
    if muc_type(mention) is not None:
        return True
    return any(article_count(mention, kind) > 0 for kind in ("killed", "injured", "kidnapped"))


def predictions(mention: Mention) -> dict[str, list[Any]]:
    """The predicted values per slot (empty lists when the Mention reports no MUC incident)."""
    out: dict[str, list[Any]] = {s: [] for s in SLOTS}
    if not reports_incident(mention):
        return out
    if mention.date is not None:
        out["date"] = [(mention.date.start, mention.date.end)]
    if mention.place is not None:
        country = mention.place.name if mention.place.precision == "country" else mention.place.country
        out["location"] = [(tuple(place_names(mention)), name_key(country))]
    kind = muc_type(mention)
    if kind is not None:
        out["type"] = [kind]
    if article_count(mention, "killed") > 0:
        out["effect"].append("DEATH")
    if article_count(mention, "injured") > 0:
        out["effect"].append("INJURY")
    return out


# --------------------------------------------------------------------------- matching

# A predicted value against one gold alternative.  Dates: (start, end) within the gold range;
# locations: ((names...), country) against a Location; types and effects: equal.
MATCHERS: dict[str, Callable[[Any, Any], bool]] = {
    "date": lambda pred, gold: gold[0] <= pred[0] and pred[1] <= gold[1],
    "location": lambda pred, gold: any(name in gold.names for name in pred[0]),
    "location_country": lambda pred, gold: bool(pred[1]) and pred[1] == gold.country,
    "type": lambda pred, gold: bool(pred == gold),
    "effect": lambda pred, gold: bool(pred == gold),
}


def _score_document(doc: MucDoc, mention: Mention, totals: dict[str, list[int]], relevance: Counter[str],
                    rows: list[dict[str, Any]]) -> None:
    """Add one document's slot counts to ``totals`` (only once all are computed) and its row."""
    gold = gold_items(doc.templates)
    pred = predictions(mention)
    row: dict[str, Any] = {"doc": doc.doc_id, "relevant": doc.relevant, "event_type":
                           mention.event_type.code if mention.event_type else None}
    per_slot = {slot: score_slot(pred["location" if slot == "location_country" else slot],
                                 gold["location" if slot == "location_country" else slot], MATCHERS[slot])
                for slot in totals}
    row.update({slot: list(counts) for slot, counts in per_slot.items()})
    row["pred"] = {s: [str(v) for v in pred[s]] for s in SLOTS}
    row["gold"] = {s: [[str(a) for a in item.alternatives] for item in gold[s]] for s in SLOTS}
    predicted = any(pred[s] for s in SLOTS)
    relevance[f"{'relevant' if doc.relevant else 'irrelevant'}/{'predicted' if predicted else 'none'}"] += 1
    for slot, counts in per_slot.items():
        totals[slot] = [a + b for a, b in zip(totals[slot], counts, strict=True)]
    rows.append(row)


# --------------------------------------------------------------------------- evaluation

def evaluate(data: Path, split: str | None = "tst3", limit: int | None = None) -> EvalResult:
    """Run the extraction over a MUC-4 split and score it (see the module docstring)."""
    from rashomon.extract import extract_articles

    name = (split or "tst3").lower()
    docs = load(data, name, limit)
    totals: dict[str, list[int]] = {s: [0, 0, 0] for s in (*SLOTS, "location_country")}
    relevance: Counter[str] = Counter()
    rows: list[dict[str, Any]] = []
    failures = Failures()
    extracted = failures.each(docs, lambda batch: list(extract_articles(d.article for d in batch)),
                              key=lambda d: f"document {d.doc_id}")
    for doc, mention in extracted:
        if mention is None:
            continue
        with failures.guard(f"document {doc.doc_id}"):
            _score_document(doc, mention, totals, relevance, rows)
    metrics: dict[str, float] = {}
    prf_details: dict[str, dict[str, float]] = {}
    for slot, (tp, n_pred, n_gold) in totals.items():
        p, r, f = prf(tp, n_pred, n_gold)
        metrics[f"{slot}_f1"] = f
        prf_details[slot] = {"tp": tp, "pred": n_pred, "gold": n_gold, "precision": round(p, 4),
                             "recall": round(r, 4)}
    metrics["macro_f1"] = sum(metrics[f"{s}_f1"] for s in SLOTS) / len(SLOTS)
    ordered = {k: metrics[k] for k in ("date_f1", "location_f1", "type_f1", "effect_f1", "macro_f1",
                                        "location_country_f1")}
    details = {"slots": prf_details, "relevance": dict(relevance), "docs": rows}
    return failures.report(EvalResult("muc4", name, len(docs), rounded(ordered), details))
