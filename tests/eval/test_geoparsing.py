"""The geoparsing evaluation: both XML shapes, offset repair, the span scorer, and a short real run.

The small documents here are written for these tests; the corpora are read in place from the
shared folder (``RASHOMON_SHARED``) and never copied.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.eval import geoparsing

GWN_SHAPE = """<?xml version="1.0" ?>
<articles>
  <article file="7">
    <title>Invented</title>
    <text>Flooding closed Mill Lane in Kendal, Cumbria, and British officials visited.</text>
    <toponyms>
      <toponym><extractedName>Kendal</extractedName><type>Literal</type><start>29</start><end>35</end>
        <geonamesID>2646088</geonamesID><latitude>54.33</latitude><longitude>-2.75</longitude></toponym>
      <toponym><extractedName>British</extractedName><type>Demonym</type><start>46</start><end>53</end></toponym>
      <toponym><extractedName>Mill Lane</extractedName><type>Literal</type><start>16</start><end>25</end>
        <geonamesID/><latitude>54.33</latitude><longitude>-2.74</longitude></toponym>
      <toponym><extractedName>officials</extractedName><type>Non_Toponym</type><start>54</start><end>63</end></toponym>
    </toponyms>
  </article>
</articles>"""

TR_SHAPE = """<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="42">
    <text><![CDATA[Residents of Tamworth and the Peel valley met on Friday.]]></text>
    <toponyms>
      <toponym><phrase>Tamworth</phrase><start>14</start><end>22</end>
        <gaztag geonameid="2147357"><name>Tamworth</name><fclass>P</fclass><fcode>PPL</fcode>
          <lat>-31.08</lat><lon>150.93</lon><country geonameid="2077456">Australia</country></gaztag></toponym>
      <toponym><phrase>Peel</phrase><start>31</start><end>35</end></toponym>
    </toponyms>
  </article>
</articles>"""

# An LGL-like variant: children in another order, coordinates as gaztag attributes.
LGL_SHAPE = """<articles>
  <article docid="9"><text>Police in Dover said the road to Smyrna reopened.</text>
    <toponyms>
      <toponym><gaztag geonameid="4142290" lat="39.158" lon="-75.524"><name>Dover</name></gaztag>
        <end>15</end><start>10</start><phrase>Dover</phrase></toponym>
      <toponym><start>33</start><end>39</end><phrase>Smyrna</phrase></toponym>
    </toponyms>
  </article>
</articles>"""


def test_parse_gwn_shape() -> None:
    (doc,) = geoparsing.parse_xml(GWN_SHAPE)
    assert doc.doc_id == "7"
    by_text = {t.text: t for t in doc.toponyms}
    assert set(by_text) == {"Kendal", "British", "Mill Lane", "officials"}
    assert by_text["Kendal"].has_point and by_text["Kendal"].geonames_id == 2646088
    assert not by_text["British"].has_point and not by_text["British"].recognisable
    assert not by_text["officials"].recognisable and by_text["Mill Lane"].recognisable
    for t in doc.toponyms:
        assert doc.text[t.start:t.end] == t.text


def test_parse_tr_shape_repairs_shifted_offsets() -> None:
    (doc,) = geoparsing.parse_xml(TR_SHAPE)
    tamworth, peel = doc.toponyms
    assert (tamworth.text, tamworth.lat, tamworth.lon, tamworth.kind) == ("Tamworth", -31.08, 150.93, "PPL")
    # the gold offsets of "Peel" are one character early; the loader finds the phrase
    assert peel.text == "Peel" and doc.text[peel.start:peel.end] == "Peel" and not peel.has_point


def test_parse_lgl_variant() -> None:
    (doc,) = geoparsing.parse_xml(LGL_SHAPE)
    dover, smyrna = doc.toponyms
    assert (dover.text, dover.lat, dover.lon, dover.geonames_id) == ("Dover", 39.158, -75.524, 4142290)
    assert smyrna.text == "Smyrna" and not smyrna.has_point


def test_find_file_by_split_name(tmp_path: Path) -> None:
    (tmp_path / "LGL_lgl.xml").write_text(LGL_SHAPE)
    assert geoparsing.find_file(tmp_path, "lgl").name == "LGL_lgl.xml"
    (tmp_path / "LGL_lgl.xml").rename(tmp_path / "lgl.xml")
    assert geoparsing.find_file(tmp_path, "lgl").name == "lgl.xml"
    with pytest.raises(ValueError):
        geoparsing.find_file(tmp_path, "wikitor")


def test_recognition_is_exact_after_trimming() -> None:
    text = "We drove from the Bronx to Queens, then to Newark."
    gold = [(18, 23), (27, 33), (43, 49)]  # Bronx, Queens, Newark
    predicted = [(14, 23), (27, 34), (38, 49)]  # "the Bronx", "Queens,", "to Newark"
    tp, n_pred, n_gold = geoparsing.recognition_counts(text, predicted, gold)
    assert (tp, n_pred, n_gold) == (2, 3, 3)


@pytest.mark.parametrize("split", ["gwn", "trnews"])
def test_real_run_on_a_few_documents(shared_dir: Path, split: str) -> None:
    folder = shared_dir / "data" / "geoparsing_news"
    if not folder.is_dir():
        pytest.skip("geoparsing_news not in the shared folder")
    result = geoparsing.evaluate(folder, split, 3)
    assert result.n == 3 and result.split == split
    for key in ("recognition_f1", "acc161", "acc161_first_half", "acc161_second_half"):
        assert 0.0 <= result.metrics[key] <= 1.0, key
    assert result.metrics["mean_error_km"] >= 0.0
    assert result.metrics["acc161"] > 0.3


# TR-News/LGL layout.  "Springfield" has no gold point (so it is not resolved from its gold span:
# the component's own candidate stays); the second toponym has no phrase and offsets two
# characters early, so its gold span (", Illinois") overlaps the pair "Springfield, Illinois"
# the component links.
SPRINGFIELD = "A truck hit a grain silo in Springfield, Illinois, on Monday and the driver was hurt."
LGL_PAIR = f"""<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="301"><text><![CDATA[{SPRINGFIELD}]]></text>
    <toponyms>
      <toponym><phrase>Springfield</phrase><start>28</start><end>39</end></toponym>
      <toponym><start>39</start><end>49</end>
        <gaztag geonameid="4896861"><lat>40.00</lat><lon>-89.25</lon></gaztag></toponym>
    </toponyms>
  </article>
  <article docid="302"><text><![CDATA[Crews cleared snow in Chicago overnight.]]></text>
    <toponyms>
      <toponym><phrase>Chicago</phrase><start>22</start><end>29</end>
        <gaztag geonameid="4887398"><lat>41.85</lat><lon>-87.65</lon></gaztag></toponym>
    </toponyms>
  </article>
</articles>"""


def test_gold_span_over_a_qualifier_pair_resolves() -> None:
    from rashomon.extract.nlp import build_nlp, process

    (document, _) = geoparsing.parse_xml(LGL_PAIR)
    assert [t.text for t in document.toponyms] == ["Springfield", ", Illinois"]
    nlp = build_nlp(components=["rashomon_places"])
    (doc,) = process(nlp, [("301", document.text, None)])
    (state,) = nlp.get_pipe("rashomon_places").resolve_spans(doc, [(t.start, t.end) for t in document.toponyms
                                                                     if t.has_point])
    assert state is not None and state.feature == "admin1" and state.name == "Illinois"


def test_cli_lgl_split_runs_to_the_end(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from rashomon.cli import app

    (tmp_path / "LGL_lgl.xml").write_text(LGL_PAIR, encoding="utf-8")
    args = ["eval", "geoparsing", "--data", str(tmp_path), "--split", "lgl", "--json", "--details"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert (out["split"], out["n"], out["errors"]) == ("lgl", 2, 0)
    assert out["metrics"]["acc161"] == 1.0 and out["details"]["n_gold_points"] == 2
