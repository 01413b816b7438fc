"""Texts longer than the model's limit, read in pieces and joined back into one Doc.

spaCy refuses a text longer than ``nlp.max_length`` (1,000,000 characters: error E088), and the
statistical pipes' memory grows with the text.  A longer text is cut by :func:`split_text` into
pieces of at most ``extract.chunk_chars`` characters, each cut after a paragraph break where there is
one; the model's pipes (tokenizer, encoder, entity recognizer, sentence boundaries, selective parse)
read each piece as its own Doc, one piece at a time, and :func:`join_pieces` joins the pieces with ``Doc.from_docs`` into one
Doc whose text is the whole text, character for character.  Rashomon's components then read that one
Doc, so every span they make holds offsets into the whole article, as for a short text.

The ingest limit ``ingest.max_text_chars`` (``default.toml``) bounds how long a text may be at all.
"""

from __future__ import annotations

import datetime as dt

from spacy.tokens import Doc

_CUTS = ("\n\n", "\n", ". ", " ")
"""Where a piece may end, best first: after a blank line, a line break, a sentence end, a space."""


def split_text(text: str, size: int) -> list[str]:
    """``text`` as consecutive pieces of at most ``size`` characters whose concatenation is ``text``.

    Each piece ends after the last paragraph break (else line break, sentence end, space) in the
    second half of its window; only a window without any of these is cut hard at ``size``."""
    if size < 2:
        raise ValueError(f"extract.chunk_chars = {size}: expected at least 2")
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = end
        for mark in _CUTS:
            found = text.rfind(mark, start + size // 2, end)
            if found >= 0:
                cut = found + len(mark)
                break
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def needs_chunks(text: str, max_length: int) -> bool:
    """Is ``text`` longer than the model reads in one Doc?"""
    return len(text) > max_length


def join_pieces(pieces: list[Doc], article_id: str, text: str, published: dt.date | None) -> Doc:
    """The model's Docs of consecutive pieces of ``text`` as one Doc of the whole text, with the
    context Rashomon's components read (``doc._.article_id``, ``doc._.published``)."""
    joined = Doc.from_docs(pieces, ensure_whitespace=False, exclude=["user_data", "tensor"])  # type: ignore[call-arg]
    if joined.text != text:  # pragma: no cover - from_docs keeps every character
        raise RuntimeError("pieces of a long text did not join back into the text")
    joined.user_data["rashomon_text"] = text
    joined._.article_id = article_id
    joined._.published = published
    return joined
