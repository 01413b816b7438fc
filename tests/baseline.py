"""The accuracy gate's baseline (tests/eval_baseline.json): data pins and the floors' stamp.

* ``gates[name]["files"]`` pins the data a gate reads: every entry of its dataset folder (relative
  to the shared ``data/`` folder) with its SHA-256; a sub-folder's digest is the SHA-256 of the
  sorted ``path digest`` lines of the files inside it.  A changed, missing or new-in-folder file
  fails the gate with its name (:func:`pin_problems`): figures measured on other data say nothing.
* ``stamp`` records the gates as :mod:`tests.update_baseline` last wrote them (their dataset,
  split, limit and floors) with a SHA-256 over that record.  :func:`stamp_problems` refuses a
  baseline whose floor is lower than its stamped value, or whose stamped gate is gone or measures
  something else: lowering a floor takes ``python -m tests.update_baseline --allow-regression``,
  which writes a new stamp and logs the lowered floors under ``stamp["lowered"]``.  Raising a
  floor or adding a gate needs no stamp.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

BASELINE_PATH = Path(__file__).parent / "eval_baseline.json"
FOLDERS = {
    "gvdb": "gvdb",
    "geoparsing": "geoparsing_news",
    "polnear": "polnear",
    "timeml": "timeml_aquaint",
    "muc4": "muc4",
    "case2021": "case2021_task2",
    "semeval2018": "semeval2018_task5",
    "gvc": "semeval2018_task5",
    "ecbplus": "ecbplus",
    "reuse": "semeval2018_task5",
    "incidents": "realworld_incidents",
}
MEASURED = ("dataset", "split", "limit", "floors")  # what a stamp covers, per gate
CHUNK = 1 << 20


def load(path: Path = BASELINE_PATH) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def digest(path: Path) -> str:
    """SHA-256 of a file, or of a folder's sorted ``relative-path digest`` lines."""
    if path.is_file():
        return file_digest(path)
    lines = [f"{p.relative_to(path).as_posix()} {file_digest(p)}\n"
             for p in sorted(path.rglob("*")) if p.is_file()]
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def pins_for(data: Path, dataset: str) -> dict[str, str]:
    """The pins of a dataset: each entry of its folder under ``data`` -> its digest."""
    folder = data / FOLDERS[dataset]
    return {p.relative_to(data).as_posix(): digest(p) for p in sorted(folder.iterdir())}


def pin_problems(gate: dict[str, Any], data: Path) -> list[str]:
    """What differs between a gate's pinned data and the files under ``data`` (empty: same)."""
    pinned: dict[str, str] = gate.get("files") or {}
    if not pinned:
        return ["no data pinned (run python -m tests.update_baseline --pin-data)"]
    problems = []
    for rel, want in sorted(pinned.items()):
        path = data / rel
        if not path.exists():
            problems.append(f"{rel}: pinned but missing")
        elif digest(path) != want:
            problems.append(f"{rel}: SHA-256 {digest(path)[:12]}... differs from the pinned {want[:12]}...")
    folder = data / FOLDERS[gate["dataset"]]
    if folder.is_dir():
        problems += [f"{p.relative_to(data).as_posix()}: in the folder but not pinned"
                     for p in sorted(folder.iterdir()) if p.relative_to(data).as_posix() not in pinned]
    return problems


def measured(gates: dict[str, Any]) -> dict[str, Any]:
    """A copy of what the stamp covers (shares nothing with ``gates``)."""
    return copy.deepcopy({name: {key: gate.get(key) for key in MEASURED} for name, gate in sorted(gates.items())})


def seal(record: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()


def lowered_floors(gates: dict[str, Any], stamped: dict[str, Any]) -> list[dict[str, Any]]:
    """Floors below their stamped value (a floor or gate removed counts as lowered to None)."""
    out = []
    for name, old in sorted(stamped.items()):
        new = gates.get(name, {}).get("floors", {})
        for metric, floor in sorted(old["floors"].items()):
            value = new.get(metric)
            if value is None or value < floor:
                out.append({"gate": name, "metric": metric, "from": floor, "to": value})
    return out


def stamp_problems(baseline: dict[str, Any]) -> list[str]:
    """Why the baseline's floors are not the ones the script stamped, when that matters (empty: fine)."""
    stamp = baseline.get("stamp")
    if not stamp or "gates" not in stamp or "sha256" not in stamp:
        return ["no stamp (run python -m tests.update_baseline)"]
    if seal(stamp["gates"]) != stamp["sha256"]:
        return ["the stamp was edited by hand (its SHA-256 does not match its gates)"]
    gates = baseline["gates"]
    problems = [f"{d['gate']}.{d['metric']}: floor {d['from']} lowered to {d['to']} without "
                "python -m tests.update_baseline --allow-regression" for d in lowered_floors(gates, stamp["gates"])]
    for name, old in sorted(stamp["gates"].items()):
        now = measured({name: gates[name]})[name] if name in gates else None
        if now is not None and any(now[k] != old[k] for k in MEASURED if k != "floors"):
            problems.append(f"{name}: dataset/split/limit changed since the stamp (re-stamp with the script)")
    return problems


def restamp(baseline: dict[str, Any], allow_regression: bool) -> list[dict[str, Any]]:
    """Stamp the baseline's current gates (in place); returns the floors this lowers.  Raises
    ValueError when a floor goes down and ``allow_regression`` is false."""
    stamp = baseline.get("stamp") or {}
    lowered = lowered_floors(baseline["gates"], stamp.get("gates", {})) if stamp.get("gates") else []
    if lowered and not allow_regression:
        listed = ", ".join(f"{d['gate']}.{d['metric']} {d['from']} -> {d['to']}" for d in lowered)
        raise ValueError(f"floors would go down ({listed}); pass --allow-regression to accept")
    record = measured(baseline["gates"])
    baseline["stamp"] = {"gates": record, "sha256": seal(record), "lowered": stamp.get("lowered", []) + lowered}
    return lowered
