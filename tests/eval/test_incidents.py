"""Incident-level evaluation (``rashomon eval incidents``): every scoring rule on small invented
expectations and exports, one end-to-end run through the real pipeline on a tiny invented corpus,
and a run on the shared visible set."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import shared_path

from rashomon.eval.incidents import (
    FRACTIONS,
    cluster_f1,
    evaluate,
    files_by_outlet,
    name_matches,
    score,
    speaker_matches,
    summary_line,
)

U = "UNATTRIBUTED"


# --------------------------------------------------------------------------- invented data

def _entry(doc: str, values: list[int], speakers: list[str], required: bool = True) -> dict[str, Any]:
    return {"doc": doc, "figure": "invented", "values": values, "speakers": speakers, "anonymous": False,
            "required": required}


def _expected() -> dict[str, Any]:
    """Two invented incidents: a market bombing (a.txt, b.txt, c.txt) and a river ambush (d.txt, e.txt)."""
    docs = {"a.txt": ("market", "Gazette One"), "b.txt": ("market", "Herald Two"), "c.txt": ("market", "Courier"),
            "d.txt": ("ambush", "Daily Four"), "e.txt": ("ambush", "Wire Five")}
    return {
        "n_incidents": 2,
        "documents": {f: {"key": f, "incident": i, "outlet": o, "published": "2030-05-02"} for f, (i, o) in docs.items()},
        "incidents": [
            {"id": "market", "files": ["a.txt", "b.txt", "c.txt"], "date_start": "2030-05-01", "date_end": "2030-05-01",
             "coords": [10.0, 20.0], "tolerance_km": 15, "country": ["Freedonia", "Republic of Freedonia"],
             "admin1": ["North Province", "Nordland"],
             "killed": [_entry("a.txt", [12], ["governor"]), _entry("b.txt", [15, 16], ["un", "police"]),
                        _entry("c.txt", [14], [U]), _entry("c.txt", [3], [U], required=False)],
             "injured": [_entry("a.txt", [40], ["governor"]), _entry("b.txt", [44], ["hospital"])],
             "killed_low": [12, 12], "killed_high": [15, 16], "not_casualties": [7, 40, 2029]},
            {"id": "ambush", "files": ["d.txt", "e.txt"], "date_start": "2030-06-10", "date_end": "2030-06-10",
             "coords": [-5.0, 30.0], "tolerance_km": 30, "country": ["Sylvania"], "admin1": ["Lake Region"],
             "killed": [_entry("d.txt", [9], ["army"]), _entry("e.txt", [9], ["army", U])],
             "injured": [], "killed_low": [9, 9], "killed_high": [9, 9], "not_casualties": [5]},
        ],
        "reuse_pairs": [{"a": "d.txt", "b": "e.txt", "source": "Global Wire"},
                        {"a": "a.txt", "b": "b.txt", "source": "Other Agency"}],
        "original_source": [{"doc": "e.txt", "source": ["global wire", "gw"], "required": True},
                            {"doc": "c.txt", "source": ["ap"], "required": True},
                            {"doc": "a.txt", "source": ["nobody"], "required": False}],
    }


def _fig(fid: str, art: str, kind: str, value: int, speaker: str | None = None, text: str | None = None,
         low: int | None = None, high: int | None = None) -> dict[str, Any]:
    return {"id": fid, "kind": kind, "value": value, "low": value if low is None else low,
            "high": value if high is None else high, "text": text or str(value), "speaker": speaker,
            "article_id": art, "sentence": f"An invented sentence with {value}."}


def _art(aid: str, outlet: str, relation: str = "independent", copied_from: str | None = None,
         original_source: str | None = None) -> dict[str, Any]:
    return {"id": aid, "outlet": outlet, "relation": relation, "copied_from": copied_from,
            "original_source": original_source, "title": None, "published": "2030-05-02"}


def _incident(iid: str, arts: list[dict[str, Any]], killed: list[dict[str, Any]], injured: list[dict[str, Any]],
              low: str | None, high: str | None, date: str, lat: float, lon: float, country: str,
              admin1: str | None) -> dict[str, Any]:
    by_id = {f["id"]: f for f in killed}
    return {
        "id": iid, "date_start": date,
        "location": {"name": "somewhere", "lat": lat, "lon": lon, "country": country, "admin1": admin1},
        "killed": {"low": by_id[low]["value"] if low else None, "high": by_id[high]["value"] if high else None,
                   "best": None, "low_figure": low, "high_figure": high, "figures": killed},
        "injured": {"low": None, "high": None, "best": None, "low_figure": None, "high_figure": None,
                    "figures": injured},
        "articles": arts,
    }


FILES = {"A": ["a.txt"], "B": ["b.txt"], "C": ["c.txt"], "D": ["d.txt"], "E": ["e.txt"]}


def _export() -> dict[str, Any]:
    """A perfect reading of the invented expectations."""
    market = _incident(
        "p1", [_art("A", "Gazette One"), _art("B", "Herald Two"), _art("C", "Courier", original_source="AP")],
        [_fig("k1", "A", "killed", 12, "the provincial governor"), _fig("k2", "B", "killed", 16, "city police"),
         _fig("k3", "C", "killed", 14, None)],
        [_fig("j1", "A", "injured", 40, "Governor Smith"), _fig("j2", "B", "injured", 44, "the main hospital")],
        "k1", "k2", "2030-05-01", 10.05, 20.05, "Freedonia", "North Province")
    ambush = _incident(
        "p2", [_art("D", "Daily Four", "rewrite", "Global Wire Service"), _art("E", "Wire Five", "rewrite", "Global Wire")],
        [_fig("k4", "D", "killed", 9, "the army"), _fig("k5", "E", "killed", 9, "Wire Five")], [],
        "k4", "k4", "2030-06-10", -5.1, 30.1, "Sylvania", "Lake")
    return {"incidents": [market, ambush]}


def _score(exp: dict[str, Any] | None = None, export: dict[str, Any] | None = None,
           files: dict[str, list[str]] | None = None) -> tuple[dict[str, float], dict[str, Any]]:
    return score(exp or _expected(), export or _export(), files or FILES)


def _row(details: dict[str, Any], iid: str) -> dict[str, Any]:
    return next(r for r in details["incidents"] if r["id"] == iid)


# --------------------------------------------------------------------------- rules

def test_a_perfect_reading_scores_every_check() -> None:
    metrics, details = _score()
    assert all(metrics[k] == 1.0 for k in FRACTIONS if k != "reuse_pairs_found"), metrics  # a~b: no link (below)
    assert metrics["noncasualty_errors"] == 0 and metrics["wrong_kind"] == 0
    assert details["incidents"][0]["unlisted"] == []


def test_b_cubed_and_whole_incidents() -> None:
    export = _export()
    # c.txt moved to the ambush incident: market keeps most of its files (still matched), neither is whole
    moved = export["incidents"][0]["articles"].pop()
    export["incidents"][1]["articles"].append(moved)
    metrics, details = _score(export=export)
    # per file: a, b: P 1 R 2/3; c: P 0/... c shares with d, e: P 1/3 R 1/3; d, e: P 2/3 R 1
    p = (1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5
    r = (2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5
    assert metrics["cluster_b3_f1"] == pytest.approx(2 * p * r / (p + r), abs=1e-4)
    assert metrics["incidents_whole"] == 0.0
    market = _row(details, "market")
    assert market["predicted"] == "p1" and market["whole"]["missing_files"] == ["c.txt"]
    assert _row(details, "ambush")["whole"]["foreign_files"] == ["c.txt"]


def test_matching_ties_go_to_the_incident_with_fewest_foreign_files() -> None:
    export = _export()
    # ambush split in two: d alone, e together with the three market files
    d_inc = copy.deepcopy(export["incidents"][1])
    d_inc["id"], d_inc["articles"] = "p3", [d_inc["articles"][0]]
    export["incidents"][1]["articles"] = export["incidents"][1]["articles"][1:] + export["incidents"][0]["articles"]
    export["incidents"] = [export["incidents"][1], d_inc]
    _, details = _score(export=export)
    assert _row(details, "ambush")["predicted"] == "p3"


def test_a_file_in_no_incident_is_its_own_cluster() -> None:
    assert cluster_f1({"x": "g", "y": "g"}, {"x": "p"}) == pytest.approx(2 * 1 * 0.5 / 1.5)


def test_date_must_be_exact() -> None:
    export = _export()
    export["incidents"][0]["date_start"] = "2030-05-02"  # the publication day, not the event's
    metrics, details = _score(export=export)
    assert metrics["date_exact"] == 0.5 and not _row(details, "market")["date"]["ok"]


def test_location_tolerance() -> None:
    export = _export()
    export["incidents"][0]["location"].update(lat=10.1, lon=20.1)  # about 15.6 km off: outside 15 km
    export["incidents"][1]["location"].update(lat=-5.2, lon=30.0)  # about 22 km off: inside 30 km
    metrics, details = _score(export=export)
    assert metrics["location_ok"] == 0.5
    assert _row(details, "market")["location"]["km"] > 15 and _row(details, "ambush")["location"]["ok"]
    export["incidents"][1]["location"].update(lat=None, lon=None)
    assert _score(export=export)[0]["location_ok"] == 0.0


def test_country_and_admin1_names_fold_case_punctuation_and_ignored_words() -> None:
    assert name_matches("north", ["North Province"])  # "province" ignored
    assert name_matches("NORDLAND STATE", ["North Province", "Nordland"])
    assert name_matches("Lake Governorate", ["Lake Region"])
    assert name_matches("U.S.", ["US"]) and name_matches("Donets'ka", ["Donetska"])
    assert name_matches("Muhafazat Sa-da", ["Sa da"])
    assert not name_matches("South Province", ["North Province"])
    assert not name_matches("Province", ["Region"])  # nothing left to compare
    assert not name_matches(None, ["Freedonia"])
    export = _export()
    export["incidents"][0]["location"]["country"] = "Freedonia Republic"
    export["incidents"][1]["location"]["admin1"] = None
    metrics, _ = _score(export=export)
    assert metrics["country_ok"] == 0.5 and metrics["admin1_ok"] == 0.5


def test_killed_low_outside_its_interval_fails() -> None:
    export = _export()
    market = export["incidents"][0]
    market["killed"]["figures"].append(_fig("k9", "C", "killed", 3))  # a listed part (not required)
    market["killed"].update(low=3, low_figure="k9")
    metrics, details = _score(export=export)
    assert metrics["killed_low_ok"] == 0.5
    assert _row(details, "market")["killed_low"]["why"] == "outside the interval"


def test_a_bound_set_by_a_non_casualty_or_injured_number_fails_even_inside_the_interval() -> None:
    exp = _expected()
    exp["incidents"][0]["killed_low"] = [7, 12]
    exp["incidents"][0]["killed_high"] = [15, 40]
    export = _export()
    market = export["incidents"][0]
    market["killed"]["figures"] += [_fig("k7", "A", "killed", 7, text="7 buses"),
                                    _fig("k8", "A", "killed", 40)]
    market["killed"].update(low=7, low_figure="k7", high=40, high_figure="k8")
    metrics, details = _score(exp, export)
    row = _row(details, "market")
    assert metrics["killed_low_ok"] == 0.5 and "non-casualty" in row["killed_low"]["why"]
    assert metrics["killed_high_ok"] == 0.5 and "injured" in row["killed_high"]["why"]
    # 40 is also in not_casualties, but the injured listing of a.txt names the error: wrong kind
    assert [w["number"] for w in row["wrong_kind"]] == [40]
    # the same number as a listed killed figure of the article is not disqualified
    exp["incidents"][0]["killed"].append(_entry("a.txt", [7, 40], [U], required=False))
    metrics, _ = _score(exp, export)
    assert metrics["killed_low_ok"] == 1.0 and metrics["killed_high_ok"] == 1.0


def test_figures_found_by_value_low_or_high_in_the_same_article_and_kind() -> None:
    export = _export()
    market = export["incidents"][0]
    market["killed"]["figures"][1] = _fig("k2", "B", "killed", None, "city police", "more than 15", low=16, high=None)
    market["killed"]["figures"][2]["article_id"] = "A"  # c.txt's 14 now read in a.txt
    market["injured"]["figures"][0]["kind"] = "killed"  # a.txt's 40 read as killed: not an injured figure
    metrics, details = _score(export=export)
    assert metrics["killed_figures_found"] == pytest.approx(4 / 5)
    assert metrics["injured_figures_found"] == 0.5
    missed = _row(details, "market")["killed_figures"]["missed"]
    assert [(m["doc"], m["values"]) for m in missed] == [("c.txt", [14])]
    # figures of other incidents' exported records count too ("anywhere")
    export["incidents"][1]["killed"]["figures"].append(_fig("k10", "C", "killed", 14))
    assert _score(export=export)[0]["killed_figures_found"] == 1.0


def test_speakers_short_keywords_match_whole_words_and_unattributed() -> None:
    assert speaker_matches("UN envoy", ["un"]) and not speaker_matches("a unit commander", ["un"])
    assert speaker_matches("the Police chief", ["police"]) and speaker_matches("policeman", ["police"])
    assert speaker_matches(None, [U]) and speaker_matches("unknown", [U]) and speaker_matches("Unattributed", [U])
    assert speaker_matches("Wire Five", [U], ["Wire Five"]) and not speaker_matches("a witness", [U], ["Wire Five"])
    assert not speaker_matches(None, ["army"])
    export = _export()
    market = export["incidents"][0]
    market["killed"]["figures"][1]["speaker"] = "a unit commander"  # "un" is not a whole word here
    market["killed"]["figures"][2]["speaker"] = "a neighbour"  # UNATTRIBUTED entry, attributed reading
    metrics, _ = _score(export=export)
    assert metrics["killed_figures_found"] == 1.0 and metrics["killed_speaker_ok"] == pytest.approx(3 / 5)


def test_noncasualty_errors_and_unlisted_figures() -> None:
    export = _export()
    market = export["incidents"][0]
    market["killed"]["figures"] += [_fig("n1", "B", "killed", 7, text="seven buses"),
                                    _fig("n2", "C", "injured", 2029), _fig("n3", "C", "killed", 88)]
    export["incidents"][1]["killed"]["figures"].append(_fig("n4", "D", "killed", 7))  # 7 is market's, not ambush's
    metrics, details = _score(export=export)
    row = _row(details, "market")
    assert metrics["noncasualty_errors"] == 2
    assert sorted((e["file"], e["number"]) for e in row["noncasualty"]) == [("b.txt", 7), ("c.txt", 2029)]
    assert [(u["file"], u["number"]) for u in row["unlisted"]] == [("c.txt", 88)]
    assert [u["number"] for u in _row(details, "ambush")["unlisted"]] == [7]


def test_a_listed_number_of_the_same_kind_and_article_is_not_a_noncasualty_error() -> None:
    exp = _expected()
    exp["incidents"][0]["not_casualties"].append(14)  # 14 is also c.txt's killed figure
    metrics, _ = _score(exp)
    assert metrics["noncasualty_errors"] == 0


def test_wrong_kind_both_ways() -> None:
    export = _export()
    market = export["incidents"][0]
    market["killed"]["figures"].append(_fig("w1", "B", "killed", 44))  # b.txt's 44 is injured
    market["injured"]["figures"].append(_fig("w2", "A", "injured", 12))  # a.txt's 12 is killed
    market["injured"]["figures"].append(_fig("w3", "B", "injured", 12))  # 12 is not listed in b.txt: unlisted
    metrics, details = _score(export=export)
    assert metrics["wrong_kind"] == 2
    assert sorted((w["file"], w["kind"]) for w in _row(details, "market")["wrong_kind"]) == [
        ("a.txt", "injured"), ("b.txt", "killed")]


def test_reuse_pairs_by_link_either_way_or_by_a_shared_outside_source() -> None:
    metrics, _details = _score()
    assert metrics["reuse_pairs_found"] == 0.5  # d~e by the shared wire; a~b has no link
    export = _export()
    export["incidents"][0]["articles"][0].update(relation="rewrite", copied_from="B")  # a copied from b
    assert _score(export=export)[0]["reuse_pairs_found"] == 1.0
    export = _export()
    export["incidents"][0]["articles"][1].update(relation="republication", copied_from="A")  # b copied from a
    assert _score(export=export)[0]["reuse_pairs_found"] == 1.0
    export = _export()
    export["incidents"][1]["articles"][0]["relation"] = "independent"  # both must be marked non-independent
    assert _score(export=export)[0]["reuse_pairs_found"] == 0.0
    export = _export()
    export["incidents"][1]["articles"][1]["copied_from"] = "Another Wire"  # both must name the source
    assert _score(export=export)[0]["reuse_pairs_found"] == 0.0


def test_original_source_counts_required_entries_only() -> None:
    metrics, details = _score()
    assert metrics["original_source_ok"] == 1.0  # e: copied_from outside the corpus; c: original_source "AP"
    assert [o["ok"] for o in details["original_source"]] == [True, True, False]
    export = _export()
    export["incidents"][0]["articles"][2]["original_source"] = "Japan Today"  # "ap" only inside a word
    export["incidents"][1]["articles"][1]["copied_from"] = "D"  # a copy of an article of the corpus
    assert _score(export=export)[0]["original_source_ok"] == 0.0


def test_an_unmatched_incident_fails_every_check() -> None:
    export = _export()
    export["incidents"] = export["incidents"][:1]
    metrics, details = _score(export=export)
    row = _row(details, "ambush")
    assert row["predicted"] is None
    assert not any(row[k]["ok"] for k in ("whole", "date", "location", "country", "admin1", "killed_low", "killed_high"))
    assert metrics["date_exact"] == 0.5 and metrics["killed_low_ok"] == 0.5


def test_files_by_outlet_without_the_store() -> None:
    files = files_by_outlet(_expected(), _export())
    assert files == FILES
    assert _score(files=files)[0] == _score()[0]


# --------------------------------------------------------------------------- end to end

REPORTS = {
    "r1.txt": ("Northgate Courier", "2031-03-15", "Bomb kills 12 at Kisumu bus station",
               ("A bomb exploded at the main bus station in Kisumu, Kenya on Friday, killing 12 people, police said. "
               "Police commander Jane Otieno said 30 people were wounded in the blast. "
               "The station serves about 5,000 travellers a day.")),
    "r2.txt": ("Lakeside Times", "2031-03-15", "Kisumu bus station blast",
               ("Twelve people were killed when a bomb went off at the bus station in Kisumu, Kenya on Friday, "
               "according to police commander Jane Otieno. At least 30 others were injured.")),
    "r3.txt": ("Valley Post", "2031-08-03", "Gunmen kill five in Mopti raid",
               ("Gunmen killed five villagers in a raid near Mopti, Mali on Tuesday, the army said. "
               "The attackers burned 40 houses before fleeing on motorcycles.")),
    "r4.txt": ("Sahel Wire", "2031-08-03", "Raid near Mopti",
               ("Five villagers were killed by gunmen near Mopti, Mali on Tuesday, an army spokesman said. "
               "Residents said the attackers burned 40 houses.")),
}


def _write_set(root: Path) -> Path:
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    for name, (outlet, day, title, text) in REPORTS.items():
        (corpus / name).write_text(f"---\ntitle: {title}\noutlet: {outlet}\npublished: {day}\n---\n\n{text}\n")
    station = {"id": "station", "files": ["r1.txt", "r2.txt"], "date_start": "2031-03-14", "date_end": "2031-03-14",
               "coords": [-0.1, 34.75], "tolerance_km": 15, "country": ["Kenya"], "admin1": ["Kisumu"],
               "killed": [_entry("r1.txt", [12], ["police"]), _entry("r2.txt", [12], ["otieno", "police"])],
               "injured": [_entry("r1.txt", [30], ["otieno"]), _entry("r2.txt", [30, 31], [U, "otieno"])],
               "killed_low": [12, 12], "killed_high": [12, 12], "not_casualties": [5000]}
    raid = {"id": "raid", "files": ["r3.txt", "r4.txt"], "date_start": "2031-07-29", "date_end": "2031-07-29",
            "coords": [14.49, -4.2], "tolerance_km": 30, "country": ["Mali"], "admin1": ["Mopti"],
            "killed": [_entry("r3.txt", [5], ["army"]), _entry("r4.txt", [5], ["army"])], "injured": [],
            "killed_low": [5, 5], "killed_high": [5, 5], "not_casualties": [40]}
    docs = {n: {"key": n, "incident": "station" if n in station["files"] else "raid", "outlet": o, "published": d}
            for n, (o, d, _, _) in REPORTS.items()}
    (root / "expected.json").write_text(json.dumps({"n_incidents": 2, "documents": docs, "incidents": [station, raid],
                                                    "reuse_pairs": [], "original_source": []}))
    return root


def test_end_to_end_on_an_invented_corpus(tmp_path: Path) -> None:
    result = evaluate(_write_set(tmp_path / "set"))
    m = result.metrics
    assert (result.n, m["n"], m["n_incidents"], m["errors"]) == (4, 4, 2, 0)
    perfect = ["cluster_b3_f1", "incidents_whole", "date_exact", "location_ok", "country_ok", "admin1_ok",
               "killed_low_ok", "killed_high_ok", "killed_figures_found", "injured_figures_found"]
    assert {k: m[k] for k in perfect} == dict.fromkeys(perfect, 1.0)
    assert m["reuse_pairs_found"] == 0.0 and m["original_source_ok"] == 0.0  # nothing to score: 0
    assert m["noncasualty_errors"] == 0 and m["wrong_kind"] == 0
    assert [r["id"] for r in result.details["incidents"]] == ["station", "raid"]
    line = summary_line(m)
    assert line.startswith("4 reports, 2 incidents: B3 F1 1.000")


def test_cli_prints_the_table_and_a_summary_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from rashomon.cli import app

    data = _write_set(tmp_path / "set")
    res = CliRunner().invoke(app, ["eval", "incidents", "--data", str(data)])
    assert res.exit_code == 0, res.output
    assert "station" in res.output and res.output.strip().splitlines()[-1].startswith("4 reports, 2 incidents")
    res = CliRunner().invoke(app, ["eval", "incidents", "--data", str(data), "--json"])
    out = json.loads(res.output)
    assert out["metrics"]["n_incidents"] == 2 and len(out["details"]["incidents"]) == 2


def test_a_folder_without_expectations_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    with pytest.raises(FileNotFoundError):
        evaluate(tmp_path)


# --------------------------------------------------------------------------- shared visible set

def _shared_set() -> Path:
    return shared_path() / "data" / "realworld_incidents"


@pytest.mark.shared
@pytest.mark.skipif(not (_shared_set() / "expected.json").is_file(), reason="realworld_incidents set not found")
def test_runs_on_the_shared_visible_set() -> None:
    result = evaluate(_shared_set())
    m = result.metrics
    expected = json.loads((_shared_set() / "expected.json").read_text())
    assert m["n"] == len(expected["documents"]) and m["n_incidents"] == len(expected["incidents"])
    assert all(0.0 <= m[k] <= 1.0 for k in FRACTIONS), m
    assert m["noncasualty_errors"] >= 0 and m["wrong_kind"] >= 0 and m["errors"] == 0
    assert len(result.details["incidents"]) == m["n_incidents"]


def test_a_figure_scoped_as_another_incidents_is_neither_found_nor_an_error() -> None:
    """The export's own ``other_incident`` scope: the number is placed in another event, so it does not
    count as this incident's figure (found) nor as a non-casualty or wrong-kind error."""
    export = _export()
    market = export["incidents"][0]
    market["killed"]["figures"] += [{**_fig("o1", "B", "killed", 7, text="seven"), "scope": "other_incident",
                                     "scope_reason": "a week ago"}]
    metrics, details = _score(export=export)
    assert metrics["noncasualty_errors"] == 0
    assert [(o["file"], o["reason"]) for o in _row(details, "market")["other_incident"]] == [("b.txt", "a week ago")]
    scoped = _export()
    scoped["incidents"][0]["killed"]["figures"][2]["scope"] = "other_incident"  # c.txt's 14, placed elsewhere
    assert _score(export=scoped)[0]["killed_figures_found"] == pytest.approx(4 / 5)
