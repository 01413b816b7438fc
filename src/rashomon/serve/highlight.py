"""Article text with its evidence highlighted, built safely on the server.

Article text is untrusted input.  It is cut at every span and sentence boundary into pieces; each
piece is escaped on its own and wrapped in a ``<span>`` whose classes name the kinds of evidence
covering it and whose ``data-sent`` lists the sentences it belongs to.  No markup from the text ever
reaches the page: only the wrappers made here.  Overlapping and nested spans need no special case,
since a piece carries every span that covers it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape

KINDS = ("figure", "claim", "speaker", "place", "date", "framing")


@dataclass(frozen=True)
class Mark:
    """A stretch of text to mark: an evidence span (``kind``) or a sentence (``kind == "sentence"``)."""

    start: int
    end: int
    kind: str
    record_id: str = ""


def sentence_key(start: int, end: int) -> str:
    """The name of a sentence inside its article, used by the page's script to find it."""
    return f"s{start}-{end}"


def pieces(text: str, marks: Iterable[Mark]) -> list[tuple[str, list[Mark]]]:
    """``text`` cut at every mark boundary, each piece with the marks covering it."""
    valid = sorted((m for m in marks if 0 <= m.start < m.end <= len(text)), key=lambda m: m.start)
    cuts = sorted({0, len(text), *(m.start for m in valid), *(m.end for m in valid)})
    out: list[tuple[str, list[Mark]]] = []
    active: list[Mark] = []
    nxt = 0
    for a, b in pairwise(cuts):
        while nxt < len(valid) and valid[nxt].start <= a:
            active.append(valid[nxt])
            nxt += 1
        active = [m for m in active if m.end >= b]  # ends are cuts: a mark still open at a covers [a, b)
        out.append((text[a:b], list(active)))
    return out


def render(text: str, marks: Iterable[Mark]) -> Markup:
    """The text as HTML: escaped pieces, the marked ones wrapped in spans."""
    html: list[str] = []
    for piece, covering in pieces(text, marks):
        safe = str(escape(piece))
        if not covering:
            html.append(safe)
            continue
        kinds = sorted({m.kind for m in covering if m.kind in KINDS})
        sentences = sorted({sentence_key(m.start, m.end) for m in covering if m.kind == "sentence"})
        records = sorted({m.record_id for m in covering if m.kind in KINDS and m.record_id})
        attrs = [f'class="{" ".join(["seg", *(f"k-{k}" for k in kinds)])}"']
        if sentences:
            attrs.append(f'data-sent="{escape(" ".join(sentences))}"')
        if records:
            attrs.append(f'data-rec="{escape(" ".join(records))}"')
        html.append(f"<span {' '.join(attrs)}>{safe}</span>")
    return Markup("".join(html))


def snippet(text: str, open_mark: str, close_mark: str) -> Markup:
    """An FTS5 snippet with match marks as escaped text inside ``<mark>`` elements."""
    html: list[str] = []
    inside = False
    for part in text.replace(close_mark, open_mark).split(open_mark):
        safe = str(escape(part))
        html.append(f"<mark>{safe}</mark>" if inside and part else safe)
        inside = not inside
    return Markup("".join(html))
