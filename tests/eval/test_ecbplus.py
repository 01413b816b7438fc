"""ECB+ document clustering: detokenising, the XML reader and the topic splits on a tiny folder
written here, and the real evaluation on one topic of the shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.eval.ecbplus import _topics, detokenise, evaluate, load_topic, read_document

XML = """<Document doc_name="{name}" doc_id="D1">
<token t_id="1" sentence="0" number="0">http</token><token t_id="2" sentence="0" number="1">:</token>
<token t_id="3" sentence="0" number="2">/</token><token t_id="4" sentence="0" number="3">/</token>
<token t_id="5" sentence="0" number="4">news.example</token>
<token t_id="6" sentence="1" number="0">The</token><token t_id="7" sentence="1" number="1">ferry</token>
<token t_id="8" sentence="1" number="2">(</token><token t_id="9" sentence="1" number="3">Star</token>
<token t_id="10" sentence="1" number="4">)</token><token t_id="11" sentence="1" number="5">sank</token>
<token t_id="12" sentence="1" number="6">,</token><token t_id="13" sentence="1" number="7">``</token>
<token t_id="14" sentence="1" number="8">badly</token><token t_id="15" sentence="1" number="9">''</token>
<token t_id="16" sentence="1" number="10">.</token>
<Markables/></Document>"""


def test_detokenise():
    assert detokenise(["He", "said", ",", "``", "no", "''", "."]) == 'He said, "no".'
    assert detokenise(["It", "was", "n't", "Ann", "'s", "(", "new", ")", "car", "!"]) == "It wasn't Ann's (new) car!"


def _folder(root: Path) -> Path:
    for topic in (2, 3, 36):
        folder = root / "ECB+" / str(topic)
        folder.mkdir(parents=True)
        for n, sub in ((1, "ecb"), (1, "ecbplus"), (2, "ecbplus")):
            name = f"{topic}_{n}{sub}.xml"
            (folder / name).write_text(XML.format(name=name), encoding="utf-8")
    return root


def test_reader_and_splits(tmp_path):
    root = _folder(tmp_path)
    url, text = read_document(root / "ECB+" / "2" / "2_1ecb.xml")
    assert url == "http://news.example"
    assert text == 'The ferry (Star) sank, "badly".'
    docs = load_topic(root, 3)
    assert [(d.key, d.gold) for d in docs] == [("3_1ecb", "3:ecb"), ("3_1ecbplus", "3:ecbplus"), ("3_2ecbplus", "3:ecbplus")]
    assert _topics(root, "dev") == [2]
    assert _topics(root, "train") == [3]
    assert _topics(root, "test") == [36]
    assert _topics(root, "all") == [2, 3, 36]
    with pytest.raises(ValueError):
        _topics(root, "nosuchsplit")


def test_real_eval_on_one_topic(shared_dir):
    result = evaluate(shared_dir / "data" / "ecbplus", "dev", limit=1)
    assert result.n > 10
    assert set(result.metrics) == {"b3_f1", "conll_f1", "ari"}
    assert all(0.0 <= v <= 1.0 for v in result.metrics.values())
