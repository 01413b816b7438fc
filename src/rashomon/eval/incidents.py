"""Incident-level evaluation on real multi-outlet reports: ``rashomon eval incidents --data DIR``.

``DIR/corpus`` holds one report a file (text files with front matter); ``DIR/expected.json`` the
hand-made expectations per incident (layout and scoring rules: the README beside the visible set,
``shared/data/realworld_incidents``).  The corpus is analysed from an empty store (a temporary
SQLite file) by :func:`rashomon.pipeline.run`, the code path of ``rashomon analyse``; the
store's JSON export (:func:`rashomon.export.export`) is then scored by :func:`score`.  Articles
are mapped to corpus files by their source path in the store (the file name), never by ids or
texts of a particular set.

The rules (docs/evaluation/incidents.md states them in full):

* ``cluster_b3_f1``: extended B-cubed over files; each expected incident is paired with the
  predicted one that holds the largest share of its files (on a tie, the one with fewer files from
  elsewhere), and ``incidents_whole`` counts the pairs that hold exactly the right files.  The
  other checks read the paired incident.
* ``date_exact``, ``location_ok`` (haversine within ``tolerance_km``), ``country_ok`` /
  ``admin1_ok`` (accepted spellings; case, punctuation and the words province, governorate,
  region, district, state, muhafazat ignored).
* ``killed_low_ok`` / ``killed_high_ok``: the bound lies in its interval and the figure behind it
  is not a listed non-casualty number or an injured figure of its article.
* ``killed_figures_found`` / ``injured_figures_found`` and ``*_speaker_ok``: over the required
  figures; found when any exported figure of that kind and article gives one of ``values``.
* ``noncasualty_errors`` and ``wrong_kind``: counts over all incidents.
* ``reuse_pairs_found`` and ``original_source_ok`` (required entries only).

Fractions are over expected incidents (the per-incident checks), required figures, reuse pairs
and required original-source entries; an unmatched incident fails every check.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rashomon.cluster.features import haversine_km
from rashomon.eval.base import EvalResult
from rashomon.eval.clustering_metrics import b_cubed

__all__ = [
    "DETAILS_IN_JSON", "cluster_f1", "evaluate", "files_by_outlet", "files_from_store", "name_matches", "print_report",
    "score", "speaker_matches",
]

DETAILS_IN_JSON = True  # ``--json`` prints the per-incident breakdown without ``--details``
UNATTRIBUTED = "UNATTRIBUTED"
_IGNORED_WORDS = {"province", "governorate", "region", "district", "state", "muhafazat"}
_DROPPED_MARKS = re.compile(r"['\u2019\u2018.`]")  # "U.S." -> "us", "Donets'ka" -> "donetska"
_OTHER_PUNCT = re.compile(r"[^\w\s]")
_NON_INDEPENDENT = ("republication", "rewrite")
FRACTIONS = (
    "cluster_b3_f1", "incidents_whole", "date_exact", "location_ok", "country_ok", "admin1_ok",
    "killed_low_ok", "killed_high_ok", "killed_figures_found", "killed_speaker_ok", "injured_figures_found",
    "injured_speaker_ok", "reuse_pairs_found", "original_source_ok",
)
COUNTS = ("noncasualty_errors", "wrong_kind")
PER_INCIDENT = ("whole", "date", "location", "country", "admin1", "killed_low", "killed_high")


# --------------------------------------------------------------------------- matching helpers

def region_key(name: str | None) -> str:
    """A country or first-level division name folded for comparison (case, punctuation, ignored words)."""
    text = _OTHER_PUNCT.sub(" ", _DROPPED_MARKS.sub("", (name or "").lower()))
    return " ".join(w for w in text.split() if w not in _IGNORED_WORDS)


def name_matches(predicted: str | None, accepted: Iterable[str]) -> bool:
    key = region_key(predicted)
    return bool(key) and any(key == region_key(a) for a in accepted)


def keyword_in(keyword: str, text: str) -> bool:
    """``keyword`` (lower case) in ``text``: as a whole word when it has three letters or fewer."""
    kw, low = keyword.lower().strip(), text.lower()
    if not kw:
        return False
    if len(kw) <= 3:
        return re.search(rf"(?<!\w){re.escape(kw)}(?!\w)", low) is not None
    return kw in low


def speaker_matches(speaker: str | None, keywords: Iterable[str], outlets: Iterable[str | None] = ()) -> bool:
    """The README's speaker rule; ``UNATTRIBUTED`` also accepts no speaker, "unattributed",
    "unknown" or the outlet of the article itself."""
    for kw in keywords:
        if kw == UNATTRIBUTED:
            name = region_key(speaker)
            if not name or name in ("unattributed", "unknown"):
                return True
            if any(o and region_key(o) and name == region_key(o) for o in outlets):
                return True
        elif speaker and keyword_in(kw, speaker):
            return True
    return False


def numbers(fig: dict[str, Any]) -> set[int]:
    """The integers an exported figure gives: its value, low and high."""
    return {int(fig[k]) for k in ("value", "low", "high") if fig.get(k) is not None}


# --------------------------------------------------------------------------- the scorer

@dataclass
class _Index:
    """The export with every article mapped to its corpus files."""

    expected: dict[str, Any]
    export: dict[str, Any]
    files_of: dict[str, list[str]]  # article id -> corpus files
    figures: list[dict[str, Any]] = field(default_factory=list)
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    articles: dict[str, dict[str, Any]] = field(default_factory=dict)
    incident_of_file: dict[str, str] = field(default_factory=dict)
    files_of_incident: dict[str, set[str]] = field(default_factory=dict)
    listed: dict[tuple[str, str], set[int]] = field(default_factory=dict)  # (file, kind) -> values

    def __post_init__(self) -> None:
        docs = set(self.expected.get("documents", {}))
        for inc in self.export.get("incidents", []):
            for kind in ("killed", "injured"):
                for fig in inc[kind]["figures"]:
                    if fig["id"] not in self.by_id:
                        self.figures.append(fig)
                        self.by_id[fig["id"]] = fig
            held = self.files_of_incident.setdefault(inc["id"], set())
            for art in inc["articles"]:
                self.articles[art["id"]] = art
                for f in self.files_of.get(art["id"], []):
                    if f in docs:
                        held.add(f)
                        self.incident_of_file.setdefault(f, inc["id"])
        for inc in self.expected["incidents"]:
            for kind in ("killed", "injured"):
                for entry in inc.get(kind, []):
                    self.listed.setdefault((entry["doc"], kind), set()).update(int(v) for v in entry["values"])

    def files(self, fig: dict[str, Any]) -> list[str]:
        return self.files_of.get(fig["article_id"], [])

    def is_listed(self, fig: dict[str, Any], file: str, kind: str) -> bool:
        return bool(numbers(fig) & self.listed.get((file, kind), set()))

    def article_of(self, file: str) -> str | None:
        for art, files in self.files_of.items():
            if file in files:
                return art
        return None

    def outside_sources(self, article_id: str | None) -> list[str]:
        """Names of originators outside the corpus: original_source, copied_from not an article."""
        art = self.articles.get(article_id or "")
        if art is None:
            return []
        out = [art["original_source"]] if art.get("original_source") else []
        copied = art.get("copied_from")
        if copied and copied not in self.files_of and copied not in self.articles and copied not in out:
            out.append(copied)
        return out

    def outlets(self, file: str) -> list[str | None]:
        art = self.articles.get(self.article_of(file) or "")
        return [self.expected["documents"].get(file, {}).get("outlet"), art.get("outlet") if art else None]

    def brief(self, fig: dict[str, Any] | None) -> dict[str, Any] | None:
        if fig is None:
            return None
        return {"text": fig["text"], "kind": fig["kind"], "value": fig.get("value"), "low": fig.get("low"),
                "high": fig.get("high"), "speaker": fig.get("speaker"), "files": self.files(fig),
                "sentence": fig.get("sentence"), "scope": fig.get("scope"),
                "scope_reason": fig.get("scope_reason")}


def cluster_f1(gold: dict[str, str], predicted: dict[str, str]) -> float:
    """B-cubed F1 over files; a file in no predicted incident is a cluster of its own."""
    pred = {item: predicted.get(item, f"\0{item}") for item in gold}
    return b_cubed(gold, pred).f1


def _match(idx: _Index, files: set[str]) -> str | None:
    """The predicted incident holding most of ``files`` (ties: fewest foreign files, then id)."""
    best: tuple[int, int, str] | None = None
    for inc_id, held in idx.files_of_incident.items():
        share = len(held & files)
        if share:
            key = (-share, len(held - files), inc_id)
            best = key if best is None or key < best else best
    return best[2] if best else None


def _bound(idx: _Index, inc: dict[str, Any], pred: dict[str, Any] | None, which: str) -> dict[str, Any]:
    """The killed ``low``/``high`` check, with the figure behind the bound and why it failed."""
    if pred is None:
        return {"ok": False, "predicted": None, "expected": inc[f"killed_{which}"], "why": "no matched incident"}
    lo, hi = inc[f"killed_{which}"]
    value = pred["killed"][which]
    fig = idx.by_id.get(pred["killed"].get(f"{which}_figure") or "")
    out: dict[str, Any] = {"predicted": value, "expected": [lo, hi], "figure": idx.brief(fig)}
    why: list[str] = []
    if value is None or not lo <= value <= hi:
        why.append("outside the interval")
    elif fig is not None:
        own = set(inc["files"])
        not_cas = {int(x) for x in inc.get("not_casualties", [])}
        for f in (x for x in idx.files(fig) if x in own):
            if idx.is_listed(fig, f, "killed"):
                continue
            if numbers(fig) & not_cas:
                why.append(f"the figure is a listed non-casualty number of {f}")
            if idx.is_listed(fig, f, "injured"):
                why.append(f"the figure is a listed injured figure of {f}")
    out["ok"] = not why
    if why:
        out["why"] = "; ".join(why)
    return out


def _figures(idx: _Index, inc: dict[str, Any], kind: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Outcome of every listed figure of ``kind``: (required ones, not required ones)."""
    required: list[dict[str, Any]] = []
    other: list[dict[str, Any]] = []
    for entry in inc.get(kind, []):
        values = {int(v) for v in entry["values"]}
        hits = [f for f in idx.figures if f["kind"] == kind and entry["doc"] in idx.files(f) and numbers(f) & values
                and f.get("scope") != "other_incident"]  # a figure placed in another incident is not found
        outlets = idx.outlets(entry["doc"])
        row = {
            "doc": entry["doc"], "figure": entry["figure"], "values": sorted(values), "found": bool(hits),
            "speaker_ok": any(speaker_matches(h.get("speaker"), entry["speakers"], outlets) for h in hits),
            "predicted_speakers": sorted({h.get("speaker") or UNATTRIBUTED for h in hits}),
        }
        (required if entry.get("required", True) else other).append(row)
    return required, other


def _figure_errors(idx: _Index, inc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Non-casualty errors, wrong-kind figures and unlisted figures among this incident's files.

    A figure counted as wrong kind is not also counted as a non-casualty error (README's known limits).
    A figure the export itself scopes as another incident's toll (``scope: other_incident``) is not
    a casualty figure of this incident: it is listed apart (``other_incident``) and counts as
    neither error; every other scope (total, part, earlier, projection) is scored."""
    own = set(inc["files"])
    not_cas = {int(x) for x in inc.get("not_casualties", [])}
    out: dict[str, list[dict[str, Any]]] = {"noncasualty": [], "wrong_kind": [], "unlisted": [], "other_incident": []}
    for fig in idx.figures:
        files = [f for f in idx.files(fig) if f in own]
        if not files:
            continue
        if fig.get("scope") == "other_incident":
            out["other_incident"].append({"file": files[0], "kind": fig["kind"], "text": fig["text"],
                                          "reason": fig.get("scope_reason"), "sentence": fig.get("sentence")})
            continue
        kind, other = fig["kind"], "injured" if fig["kind"] == "killed" else "killed"
        same = any(idx.is_listed(fig, f, kind) for f in files)
        cross = any(idx.is_listed(fig, f, other) for f in files)
        row = {"file": files[0], "kind": kind, "number": fig.get("value") if fig.get("value") is not None
               else fig.get("low"), "text": fig["text"], "sentence": fig.get("sentence")}
        if cross and not same:
            out["wrong_kind"].append(row)
        elif numbers(fig) & not_cas and not same:
            out["noncasualty"].append(row)
        elif not same and not cross:
            out["unlisted"].append(row)
    return out


def _location(inc: dict[str, Any], pred: dict[str, Any] | None) -> dict[str, Any]:
    loc = (pred or {}).get("location") or {}
    lat, lon = loc.get("lat"), loc.get("lon")
    km = None if lat is None or lon is None else haversine_km(lat, lon, *inc["coords"])
    return {
        "location": {"ok": km is not None and km <= inc["tolerance_km"], "predicted": loc.get("name"),
                     "lat": lat, "lon": lon, "km": round(km, 1) if km is not None else None,
                     "tolerance_km": inc["tolerance_km"]},
        "country": {"ok": name_matches(loc.get("country"), inc["country"]), "predicted": loc.get("country"),
                    "expected": inc["country"][0]},
        "admin1": {"ok": name_matches(loc.get("admin1"), inc["admin1"]), "predicted": loc.get("admin1"),
                   "expected": inc["admin1"][0]},
    }


def _incident(idx: _Index, inc: dict[str, Any]) -> dict[str, Any]:
    files = set(inc["files"])
    pred_id = _match(idx, files)
    pred = next((p for p in idx.export.get("incidents", []) if p["id"] == pred_id), None)
    held = idx.files_of_incident.get(pred_id or "", set())
    others = {idx.incident_of_file.get(f) for f in files} - {pred_id}
    row: dict[str, Any] = {
        "id": inc["id"], "predicted": pred_id,
        "whole": {"ok": held == files and not others, "missing_files": sorted(files - held),
                  "foreign_files": sorted(held - files)},
        "date": {"ok": pred is not None and pred.get("date_start") == inc["date_start"],
                 "predicted": (pred or {}).get("date_start"), "expected": inc["date_start"]},
    }
    row.update(_location(inc, pred))
    row["killed_low"] = _bound(idx, inc, pred, "low")
    row["killed_high"] = _bound(idx, inc, pred, "high")
    for kind in ("killed", "injured"):
        required, other = _figures(idx, inc, kind)
        row[f"{kind}_figures"] = {"required": required, "not_required": other,
                                  "missed": [r for r in required if not r["found"]]}
    row.update(_figure_errors(idx, inc))
    return row


def _reuse(idx: _Index) -> list[dict[str, Any]]:
    rows = []
    for pair in idx.expected.get("reuse_pairs", []):
        a, b = idx.article_of(pair["a"]), idx.article_of(pair["b"])
        ia, ib = idx.articles.get(a or "", {}), idx.articles.get(b or "", {})
        linked = bool(a and b) and (ia.get("copied_from") == b or ib.get("copied_from") == a)
        shared = (
            ia.get("relation") in _NON_INDEPENDENT and ib.get("relation") in _NON_INDEPENDENT
            and all(any(pair["source"].lower() in s.lower() for s in idx.outside_sources(x)) for x in (a, b))
        )
        rows.append({"a": pair["a"], "b": pair["b"], "source": pair["source"], "found": linked or shared,
                     "a_relation": ia.get("relation"), "b_relation": ib.get("relation")})
    return rows


def _original_sources(idx: _Index) -> list[dict[str, Any]]:
    rows = []
    for entry in idx.expected.get("original_source", []):
        names = idx.outside_sources(idx.article_of(entry["doc"]))
        ok = any(keyword_in(kw, name) for kw in entry["source"] for name in names)
        rows.append({"doc": entry["doc"], "required": entry.get("required", True), "ok": ok, "predicted": names})
    return rows


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def score(
    expected: dict[str, Any], export: dict[str, Any], files_of_article: dict[str, list[str]]
) -> tuple[dict[str, float], dict[str, Any]]:
    """Metrics and per-incident breakdown of an export against the expectations (README rules)."""
    idx = _Index(expected, export, files_of_article)
    gold = {f: d["incident"] for f, d in expected["documents"].items()}
    b3 = cluster_f1(gold, idx.incident_of_file)
    rows = [_incident(idx, inc) for inc in expected["incidents"]]
    reuse = _reuse(idx)
    originals = _original_sources(idx)
    metrics: dict[str, float] = {"cluster_b3_f1": b3}
    for check, key in zip(PER_INCIDENT, FRACTIONS[1:8], strict=True):
        metrics[key] = _share([r[check]["ok"] for r in rows])
    for kind in ("killed", "injured"):
        req = [x for r in rows for x in r[f"{kind}_figures"]["required"]]
        metrics[f"{kind}_figures_found"] = _share([x["found"] for x in req])
        metrics[f"{kind}_speaker_ok"] = _share([x["speaker_ok"] for x in req])
    metrics["noncasualty_errors"] = sum(len(r["noncasualty"]) for r in rows)
    metrics["wrong_kind"] = sum(len(r["wrong_kind"]) for r in rows)
    metrics["reuse_pairs_found"] = _share([p["found"] for p in reuse])
    metrics["original_source_ok"] = _share([o["ok"] for o in originals if o["required"]])
    ordered = {k: (round(metrics[k], 4) if k in FRACTIONS else int(metrics[k])) for k in (*FRACTIONS, *COUNTS)}
    details = {"incidents": rows, "reuse_pairs": reuse, "original_source": originals,
               "predicted_incidents": len(idx.files_of_incident)}
    return ordered, details


# --------------------------------------------------------------------------- articles -> files

def files_from_store(db: str | Path, corpus: Path, names: Iterable[str]) -> dict[str, list[str]]:
    """Article id -> the corpus files it was read from (its source path in the store; exact
    duplicates, stored once, are read from the inputs log)."""
    from rashomon.store import open_store

    wanted = set(names)
    out: dict[str, list[str]] = {}

    def add(source: str, article_id: str | None) -> None:
        path = Path(source.split("#", 1)[0])
        try:
            name = path.resolve().relative_to(corpus.resolve()).as_posix()
        except ValueError:
            name = path.name
        if article_id and name in wanted and name not in out.setdefault(article_id, []):
            out[article_id].append(name)

    with open_store(db) as store:
        for art in store.articles():
            add(art.source, art.id)
        for source, article_id in store.input_articles():  # duplicates map to the article they repeat
            add(source, article_id)
    return out


def files_by_outlet(expected: dict[str, Any], export: dict[str, Any]) -> dict[str, list[str]]:
    """Without the store: articles matched to files by outlet (each outlet appears in one file)."""
    by_outlet: dict[str, list[str]] = {}
    for name, doc in expected["documents"].items():
        by_outlet.setdefault(region_key(doc.get("outlet")), []).append(name)
    out: dict[str, list[str]] = {}
    for inc in export.get("incidents", []):
        for art in inc["articles"]:
            files = by_outlet.get(region_key(art.get("outlet")), [])
            if files and region_key(art.get("outlet")):
                out[art["id"]] = files
    return out


# --------------------------------------------------------------------------- the command

def evaluate(data: Path, split: str | None = None, limit: int | None = None) -> EvalResult:
    """Analyse ``data/corpus`` into an empty temporary store and score its export against
    ``data/expected.json``.  ``split`` and ``limit`` are not used (one set per folder)."""
    from rashomon import pipeline
    from rashomon.export import export

    corpus, expected_path = data / "corpus", data / "expected.json"
    if not corpus.is_dir() or not expected_path.is_file():
        raise FileNotFoundError(f"{data} needs corpus/ and expected.json")
    expected = json.loads(expected_path.read_text("utf-8"))
    with tempfile.TemporaryDirectory(prefix="rashomon-incidents-") as tmp:
        db = Path(tmp) / "store.sqlite"
        report = pipeline.run([corpus], db)
        exported = json.loads(export(db, "json"))
        files_of = files_from_store(db, corpus, expected["documents"])
    metrics, details = score(expected, exported, files_of)
    mapped = {f for files in files_of.values() for f in files}
    unread = sorted(set(expected["documents"]) - mapped)
    errors = len(set(unread) | {Path(source).name for source, _ in report.ingest.rejections})
    details["rejected"] = [list(r) for r in report.ingest.rejections]
    details["files_without_article"] = unread
    n = len(expected["documents"])
    full = {**metrics, "n": n, "n_incidents": len(expected["incidents"]), "errors": errors}
    return EvalResult("incidents", data.name, n, full, details, errors=errors)  # type: ignore[arg-type]


def _span(interval: list[int]) -> str:
    return f"[{interval[0]}-{interval[1]}]"


def _mark(ok: bool) -> str:
    return "ok" if ok else "FAIL"


def summary_line(metrics: dict[str, Any]) -> str:
    return (
        f"{metrics['n']} reports, {metrics['n_incidents']} incidents: B3 F1 {metrics['cluster_b3_f1']:.3f}, "
        f"whole {metrics['incidents_whole']:.2f}, date {metrics['date_exact']:.2f}, loc {metrics['location_ok']:.2f}, "
        f"country {metrics['country_ok']:.2f}, admin1 {metrics['admin1_ok']:.2f}, killed low {metrics['killed_low_ok']:.2f} "
        f"high {metrics['killed_high_ok']:.2f}, killed found {metrics['killed_figures_found']:.2f} "
        f"(speaker {metrics['killed_speaker_ok']:.2f}), injured found {metrics['injured_figures_found']:.2f} "
        f"(speaker {metrics['injured_speaker_ok']:.2f}), non-casualty errors {metrics['noncasualty_errors']}, "
        f"wrong kind {metrics['wrong_kind']}, reuse pairs {metrics['reuse_pairs_found']:.2f}, "
        f"original source {metrics['original_source_ok']:.2f}, errors {metrics['errors']}"
    )


def print_report(result: EvalResult, console: Any) -> None:
    """The human output: one row per incident, the metrics, then one summary line of the totals."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"incidents ({result.split}), n={result.n}")
    table.add_column("incident", no_wrap=True)
    for col in ("whole", "date", "km", "country", "admin1", "killed low [ok]", "killed high [ok]",
                "required figures missed", "non-cas.", "wrong kind"):
        table.add_column(col)
    for row in result.details.get("incidents", []):
        low, high = row["killed_low"], row["killed_high"]
        missed = [f"{m['doc']}:{m['values'][0]}" for k in ("killed", "injured") for m in row[f"{k}_figures"]["missed"]]
        table.add_row(
            row["id"], _mark(row["whole"]["ok"]), f"{_mark(row['date']['ok'])} {row['date']['predicted']}",
            f"{_mark(row['location']['ok'])} {row['location']['km']}", _mark(row["country"]["ok"]),
            escape(f"{_mark(row['admin1']['ok'])} {row['admin1']['predicted']}"),
            f"{_mark(low['ok'])} {low['predicted']} {_span(low['expected'])}",
            f"{_mark(high['ok'])} {high['predicted']} {_span(high['expected'])}",
            ", ".join(missed) or "-", str(len(row["noncasualty"])), str(len(row["wrong_kind"])),
        )
    console.print(table)
    metrics = Table(title="metrics")
    metrics.add_column("metric")
    metrics.add_column("value", justify="right")
    for key, value in result.metrics.items():
        metrics.add_row(key, f"{value:.4f}" if isinstance(value, float) else str(value))
    console.print(metrics)
    console.print(summary_line(result.metrics), highlight=False, soft_wrap=True)  # one line, never wrapped
