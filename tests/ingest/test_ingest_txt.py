"""Plain-text reader: decoding, front matter, sidecars, header heuristics, cleaning."""

from __future__ import annotations

import datetime as dt
import json

from rashomon.ids import article_id
from rashomon.ingest import read_articles
from rashomon.models import Article, IngestOutcome

BODY = (
    "Flood waters rose across the Lower Marren valley on Tuesday, cutting off four villages, "
    "the regional civil protection office said in a statement."
)


def one(path) -> IngestOutcome:
    outcomes = list(read_articles([path]))
    assert len(outcomes) == 1
    return outcomes[0]


def article(path) -> Article:
    outcome = one(path)
    assert outcome.rejection is None, outcome.rejection
    assert outcome.article is not None
    return outcome.article


def test_plain_text_round_trip(write):
    path = write("report.txt", f"{BODY}\n\nA second paragraph follows here.\n")
    art = article(path)
    assert art.text == f"{BODY}\n\nA second paragraph follows here."
    assert art.id == article_id(art.text)
    assert art.source == str(path)
    assert art.title is None and art.published is None and art.published_precision == "unknown"
    assert art.language == "en"


def test_utf8_bom_and_crlf(write):
    path = write("bom.txt", b"\xef\xbb\xbf" + f"Caf\u00e9 owners count damage\r\n\r\n{BODY}\r\n".encode())
    art = article(path)
    assert art.title == "Caf\u00e9 owners count damage"
    assert "\r" not in art.text and not art.text.startswith("\ufeff")


def test_utf16_with_bom(write):
    data = ("\u00c9vacuation ordered in riverside district\n\n" + BODY).encode("utf-16")  # BOM first
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
    path = write("wide.txt", data)
    art = article(path)
    assert art.title == "\u00c9vacuation ordered in riverside district"
    assert BODY in art.text


def test_cp1252_fallback(write):
    text = "The mayor\u2019s office said \u201cno one\u201d was hurt in the na\u00efve rescue plan. " * 3
    art = article(write("legacy.txt", text.encode("cp1252")))
    assert "\u2019s office" in art.text and "\u201cno one\u201d" in art.text


def test_other_legacy_encodings(write):
    cyrillic = "Мост через реку закрыт до среды, сообщили городские власти. " * 6
    assert article(write("ru.txt", cyrillic.encode("cp1251"))).text == cyrillic.strip()
    assert article(write("short.txt", "Short caf\u00e9 note".encode("cp1252"))).text == "Short caf\u00e9 note"


def test_binary_with_txt_extension_is_rejected(write):
    path = write("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    outcome = one(path)
    assert outcome.article is None
    assert outcome.rejection.reason == "not valid UTF-8 or known encoding"


def test_empty_and_blank_files(write):
    assert one(write("empty.txt", b"")).rejection.reason == "empty file"
    assert one(write("blank.txt", "  \n\n\t\n")).rejection.reason == "empty file (only whitespace)"


def test_front_matter(write):
    text = (
        "---\n"
        'title: "Bridge closed after floods"\n'
        "outlet: Valley Courier\n"
        "published: 2021-03-04\n"
        "url: https://courier.example/bridge\n"
        "byline: By Ana Ruiz, Reuters\n"
        "language: EN\n"
        "---\n"
        f"{BODY}\n"
    )
    art = article(write("fm.txt", text))
    assert art.title == "Bridge closed after floods"
    assert art.outlet == "Valley Courier"
    assert art.published == dt.date(2021, 3, 4) and art.published_precision == "day"
    assert art.url == "https://courier.example/bridge"
    assert art.byline == "Ana Ruiz"
    assert art.credits == ["Reuters"]
    assert art.language == "en"
    assert art.text == BODY  # front matter is not part of the text


def test_front_matter_with_bad_date_rejects(write):
    outcome = one(write("bad.txt", f"---\npublished: someday soon\n---\n{BODY}\n"))
    assert outcome.rejection.reason.startswith("front matter: field 'published': cannot parse date")


def test_a_rule_at_the_top_is_not_front_matter(write):
    art = article(write("rule.txt", f"---\n{BODY}\n---\nMore text.\n"))
    assert BODY in art.text


def test_sidecar_metadata_wins_and_is_not_an_input(write):
    path = write("story.txt", f"---\noutlet: Front Matter News\ntitle: From front matter\n---\n{BODY}\n")
    write(
        "story.json",
        json.dumps({"outlet": "Sidecar Daily", "published": "2020-05", "url": "https://s.example/1"}),
    )
    outcomes = list(read_articles([path.parent]))
    assert [o.source for o in outcomes] == [str(path)]
    art = outcomes[0].article
    assert art.outlet == "Sidecar Daily"
    assert art.title == "From front matter"
    assert art.published == dt.date(2020, 5, 1) and art.published_precision == "month"
    assert art.url == "https://s.example/1"


def test_broken_sidecar_rejects_the_text(write):
    path = write("story.txt", BODY)
    write("story.json", "{not json")
    reason = one(path).rejection.reason
    assert reason.startswith("sidecar story.json: invalid JSON")
    write("story.json", json.dumps({"published": 2020}))
    assert one(path).rejection.reason == "sidecar story.json: field 'published' must be a string, not int"


def test_header_heuristics(write):
    text = (
        "Share this:\n\n"
        "Rescuers Reach Stranded Villages in Marren Valley\n\n"
        "Rescuers Reach Stranded Villages in Marren Valley\n\n"
        "Officials say the water is receding slowly\n\n"
        "By Tomas Berg and Lea Hart, AFP\n\n"
        "Valley Courier, March 04, 2021\n\n"
        "Region: Northern Provinces\n\n"
        f"{BODY}\n"
    )
    art = article(write("head.txt", text))
    assert art.title == "Rescuers Reach Stranded Villages in Marren Valley"
    assert art.byline == "Tomas Berg and Lea Hart"
    assert art.credits == ["AFP"]
    assert art.outlet == "Valley Courier"
    assert art.published == dt.date(2021, 3, 4)
    assert art.text == (
        "Rescuers Reach Stranded Villages in Marren Valley\n\n"
        "Officials say the water is receding slowly\n\n"
        f"{BODY}"
    )


def test_published_line_and_place_dateline(write):
    art = article(write("pub.txt", f"Published: Wed, March 3, 2021\n\nStorm Hits Coast\n\n{BODY}\n"))
    assert art.published == dt.date(2021, 3, 3) and art.outlet is None
    assert art.title == "Storm Hits Coast"
    assert not art.text.startswith("Published")
    art = article(write("place.txt", f"LISBON, 5 March 2021\n\n{BODY}\n"))
    assert art.published == dt.date(2021, 3, 5) and art.outlet is None


def test_headline_rule_skips_sentences(write):
    art = article(write("nohead.txt", f"{BODY}\n\nShort closing line\n"))
    assert art.title is None


def test_markdown_residue_is_stripped(write):
    text = (
        "# Heading Of The Story\n\n"
        "The statement by [Valley Courier](#) and **Ana Ruiz** was shared ![map](img.png) widely.\n\n"
        "Quoted from the head of the regional monitoring\n\n"
        "group, who said more rain is expected.\n"
    )
    art = article(write("md.txt", text))
    assert art.title == "Heading Of The Story"
    assert "The statement by Valley Courier and Ana Ruiz was shared widely." in art.text
    assert "monitoring group, who said" in art.text
    for residue in ("**", "](", "#", "!["):
        assert residue not in art.text


def test_original_source_line_is_kept_in_text(write):
    text = f"{BODY}\n\nThe original source of this article is [Valley Courier](#)\nCopyright 2021\n"
    art = article(write("orig.txt", text))
    assert art.original_source == "Valley Courier"
    assert "The original source of this article is Valley Courier" in art.text
