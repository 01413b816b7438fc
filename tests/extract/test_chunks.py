"""Texts longer than the model's limit: cut along paragraphs, read piece by piece, joined into one
Doc, so every span points into the whole text (rashomon.extract.chunks, issue 15)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from typer.testing import CliRunner

from rashomon.cli import app
from rashomon.extract import extract_articles
from rashomon.extract.chunks import split_text
from rashomon.extract.nlp import shared_nlp
from rashomon.ids import article_id
from rashomon.models import Article
from rashomon.store import open_store

LEAD = ("Gunmen kill six at Dravonne ferry landing\n\n"
        "Gunmen killed six passengers at the ferry landing in Dravonne on Tuesday, the harbour master "
        "Pilar Estrade said. Eleven others were wounded.\n\n")
MIDDLE = ("The ferry company said its boats would stay in port until Friday. Traders at the landing closed "
          "their stalls and the river police searched the reed beds north of the town.\n\n")
TAIL = "On Wednesday the harbour master said two of the wounded had died in hospital.\n"


def test_split_text_keeps_every_character_and_cuts_after_a_paragraph():
    text = "".join(f"Paragraph {i} says something short.\n\n" for i in range(200))
    pieces = split_text(text, 500)
    assert "".join(pieces) == text
    assert all(len(p) <= 500 for p in pieces) and len(pieces) > 10
    assert all(p.endswith("\n\n") for p in pieces[:-1])


def test_split_text_falls_back_to_lines_sentences_spaces_and_a_hard_cut():
    lines = "".join(f"line {i} of a list\n" for i in range(100))
    assert all(p.endswith("\n") for p in split_text(lines, 200)[:-1])
    prose = " ".join(f"Sentence {i} ends here." for i in range(100))
    assert all(p.endswith(". ") for p in split_text(prose, 200)[:-1])
    words = " ".join(["word"] * 200)
    assert all(p.endswith(" ") for p in split_text(words, 101)[:-1])
    blob = "x" * 1000
    assert split_text(blob, 300) == ["x" * 300] * 3 + ["x" * 100]
    for text in (lines, prose, words, blob):
        assert "".join(split_text(text, 150)) == text
    with pytest.raises(ValueError):
        split_text("abc", 1)


def _article(text: str) -> Article:
    return Article(id=article_id(text), source="dravonne.txt", text=text, published=dt.date(2024, 3, 6))


def _facts(mention):
    return ([(f.kind, f.value, f.span.start, f.span.end) for f in mention.figures],
            [(d.span.start, d.span.end) for d in mention.dates],
            [(p.span.start, p.span.end, p.place.name if p.place else None) for p in mention.places])


def test_a_text_read_in_pieces_gives_the_facts_of_the_whole_text():
    text = LEAD + MIDDLE * 30 + TAIL
    nlp = shared_nlp()
    whole = next(extract_articles([_article(text)], nlp))
    limit = nlp.max_length
    nlp.max_length = 2_000  # the same pipeline, made to read this text in pieces
    try:
        pieces = next(extract_articles([_article(text)], nlp, chunk_chars=1_500))
    finally:
        nlp.max_length = limit
    assert _facts(pieces) == _facts(whole)
    late = [f for f in pieces.figures if f.span.start > len(text) - len(TAIL)]
    assert [(f.value, text[f.span.start:f.span.end]) for f in late] == [(2, "two")]


def test_a_text_over_a_million_characters_is_analysed_in_pieces(tmp_path):
    # Paragraphs of long archive links (each its own) make the text long in characters but cheap in tokens,
    # so the test stays quick; the last paragraph, past the millionth character, holds a figure.
    paragraphs = [LEAD]
    size, n = len(LEAD), 0
    while size < 1_010_000:
        links = " ".join(f"https://archive.example.org/{hashlib.sha1(f'{n}.{k}'.encode()).hexdigest()}.html"
                         for k in range(8))
        paragraphs.append(links + "\n\n")
        size += len(links) + 2
        n += 1
    text = "".join(paragraphs) + TAIL
    assert len(text) > shared_nlp().max_length
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "long.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "s.sqlite"
    res = CliRunner().invoke(app, ["analyse", str(tmp_path / "in"), "--db", str(db), "--json", "--no-progress"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert (summary["ingest"]["ingested"], summary["extracted"], summary["failed"]) == (1, 1, 0)
    with open_store(db) as store:
        [art] = list(store.articles())
        mention = store.mention(art.id)
    assert len(art.text) > 1_000_000
    spans = {(f.value, art.text[f.span.start:f.span.end], f.span.start > 1_000_000) for f in mention.figures}
    assert {(6, "six", False), (2, "two", True)} <= spans
