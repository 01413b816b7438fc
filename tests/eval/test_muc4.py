"""MUC-4 evaluation: text and key parsers, gold items, type mapping and slot scoring on tiny
invented inputs, and a real run of the evaluation on the first documents of the shared TST3."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.factories import article, figure, mention

from rashomon.eval.muc4 import (
    GoldItem,
    Location,
    evaluate,
    gold_items,
    load,
    muc_type,
    parse_dateline,
    parse_key_date,
    parse_key_location,
    parse_keys,
    parse_texts,
    predictions,
    score_slot,
    split_alternatives,
)
from rashomon.models import EventType, Place, Span

TEXTS = """XYZ1-MUC4-0001

   NORTHTOWN, 4 MAR 91 (RADIO EXAMPLE) -- [TEXT] A BOMB EXPLODED TODAY
NEAR THE MARKET OF NORTHTOWN, KILLING TWO PEOPLE.

   POLICE SAID THE ATTACKERS FLED.

XYZ1-MUC4-0002

   CLANDESTINE, NO DATE (RADIO EXAMPLE) -- [COMMUNIQUE] [TEXT] WE CALL ON
ALL CITIZENS TO JOIN THE TALKS.
"""

# Slot labels of the MUC-4 key layout (label padded to column 35, then the value).
SLOT_LABELS = {"id": "0.  MESSAGE: ID", "template": "1.  MESSAGE: TEMPLATE", "date": "2.  INCIDENT: DATE",
               "location": "3.  INCIDENT: LOCATION", "type": "4.  INCIDENT: TYPE",
               "effect": "23. HUM TGT: EFFECT OF INCIDENT"}
MORE = "\n" + " " * 35  # a value continued on the next line


def key_template(**values: str) -> str:
    return "".join(f"{SLOT_LABELS[slot]:<35}{value}\n" for slot, value in values.items())


KEYS = "\n".join([
    key_template(id="XYZ1-MUC4-0001", template="1", date="04 MAR 91", location="RURITANIA: NORTHTOWN (CITY)",
                 type="BOMBING", effect='DEATH: "PEOPLE"' + MORE + '? INJURY: "VENDOR"'),
    key_template(id="XYZ1-MUC4-0001", template="2 (OPTIONAL)", date="- 04 MAR 91",
                 location="(RURITANIA) / (RURITANIA: EASTVALE (TOWN))", type="ATTACK / BOMBING",
                 effect='INJURY / DEATH: "GUARDS"'),
    key_template(id="XYZ1-MUC4-0002", template="*", date="*", location="*", type="*", effect="*"),
])


def test_parse_texts_joins_lines_into_paragraphs() -> None:
    docs = parse_texts(TEXTS)
    assert list(docs) == ["XYZ1-MUC4-0001", "XYZ1-MUC4-0002"]
    assert docs["XYZ1-MUC4-0001"] == (
        "NORTHTOWN, 4 MAR 91 (RADIO EXAMPLE) -- [TEXT] A BOMB EXPLODED TODAY NEAR THE MARKET OF "
        "NORTHTOWN, KILLING TWO PEOPLE.\n\nPOLICE SAID THE ATTACKERS FLED."
    )


def test_parse_dateline() -> None:
    assert parse_dateline("NORTHTOWN, 4 MAR 91 (RADIO EXAMPLE) -- [TEXT]") == ("NORTHTOWN", dt.date(1991, 3, 4))
    assert parse_dateline("BIG CITY (RURITANIA), 12 JAN 90 (X) --") == ("BIG CITY", dt.date(1990, 1, 12))
    assert parse_dateline("CLANDESTINE, NO DATE (RADIO) --") == (None, None)
    assert parse_dateline("NO DATELINE HERE") == (None, None)


def test_parse_keys_and_gold_items() -> None:
    keys = parse_keys(KEYS)
    assert [t.number for t in keys["XYZ1-MUC4-0001"]] == ["1", "2"]
    assert [t.optional for t in keys["XYZ1-MUC4-0001"]] == [False, True]
    assert keys["XYZ1-MUC4-0001"][0].slots[23] == ['DEATH: "PEOPLE"', '? INJURY: "VENDOR"']
    gold = gold_items(keys["XYZ1-MUC4-0001"])
    day = dt.date(1991, 3, 4)
    assert gold["date"] == [GoldItem(((day, day),), False), GoldItem(((day - dt.timedelta(days=6), day),), True)]
    assert gold["type"] == [GoldItem(("BOMBING",), False), GoldItem(("ATTACK", "BOMBING"), True)]
    assert gold["effect"] == [GoldItem(("DEATH",), False), GoldItem(("INJURY",), True),
                              GoldItem(("INJURY", "DEATH"), True)]
    assert gold["location"][0].alternatives == (Location(frozenset({"ruritania", "northtown"}), "ruritania"),)
    assert all(not items for items in gold_items(keys["XYZ1-MUC4-0002"]).values())


def test_key_fill_parsers() -> None:
    assert split_alternatives("(- 14 JUL 89) / (14 JUL 89)") == ["- 14 JUL 89", "14 JUL 89"]
    assert split_alternatives('"A / B" / "C"') == ['"A / B"', '"C"']
    assert parse_key_date("01 NOV 88 - 30 NOV 88") == (dt.date(1988, 11, 1), dt.date(1988, 11, 30))
    assert parse_key_date("-") is None
    loc = parse_key_location("RURITANIA: NORTHTOWN (CITY) - EASTVALE (TOWN)")
    assert loc == Location(frozenset({"ruritania", "northtown", "eastvale"}), "ruritania")


def test_load_reads_a_split_folder(tmp_path: Path) -> None:
    folder = tmp_path / "xyz1"
    folder.mkdir()
    (folder / "xyz1-muc4").write_text(TEXTS, encoding="latin-1")
    (folder / "key-xyz1.v2").write_text(KEYS, encoding="latin-1")
    docs = load(tmp_path, "xyz1")
    assert [d.doc_id for d in docs] == ["XYZ1-MUC4-0001", "XYZ1-MUC4-0002"]
    assert docs[0].article.published == dt.date(1991, 3, 4) and docs[0].relevant
    assert docs[1].article.published is None and not docs[1].relevant
    assert len(load(tmp_path, "xyz1", limit=1)) == 1


def _event(code: str, cue: str = "") -> EventType:
    span = Span(article_id="a", start=0, end=len(cue), text=cue)
    return EventType(code=code, acled_event_type="x", acled_sub_event_type="y", evidence=[span] if cue else [])


def test_muc_type_mapping_and_predictions() -> None:
    art = article("A bomb went off in Northtown on Monday, killing two people.", published="1991-03-05")
    town = Place(name="Northtown", precision="city", country="Ruritania", country_code="RU", feature="city")
    m = mention(art, day="1991-03-04", place=town, figures=[figure(art, "two", kind="killed", value=2)])
    assert predictions(m)["type"] == []  # no event type, but a death toll: still an incident
    m.event_type = _event("bombing")
    assert muc_type(m) == "BOMBING"
    pred = predictions(m)
    assert pred["type"] == ["BOMBING"] and pred["effect"] == ["DEATH"]
    assert pred["location"] == [(("northtown",), "ruritania")]
    m.event_type = _event("property_destruction", "set fire to")
    assert muc_type(m) == "ARSON"
    m.event_type = _event("protest")
    m.figures = []
    assert all(not v for v in predictions(m).values())  # not a MUC incident: nothing predicted


def test_score_slot_counts_optional_items_only_when_matched() -> None:
    gold = [GoldItem(("DEATH",), False), GoldItem(("INJURY",), True)]
    equal = lambda p, g: p == g
    assert score_slot(["DEATH"], gold, equal) == (1, 1, 1)
    assert score_slot(["DEATH", "INJURY"], gold, equal) == (2, 2, 2)
    assert score_slot(["INJURY"], gold, equal) == (1, 1, 2)
    assert score_slot(["DEATH"], [], equal) == (0, 1, 0)  # predictions on an irrelevant document


def test_evaluate_on_shared_tst3(shared_dir: Path) -> None:
    result = evaluate(shared_dir / "data" / "muc4", "tst3", limit=4)
    assert result.n == 4
    for key in ("date_f1", "location_f1", "type_f1", "effect_f1", "macro_f1"):
        assert 0.0 <= result.metrics[key] <= 1.0
