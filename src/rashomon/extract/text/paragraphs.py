"""``rashomon_paragraphs``: a blank line ends a sentence; a title's abbreviation does not.

Runs before the parser.  News texts put headlines, datelines and paragraphs on their own lines; the
parser would otherwise run a headline into the first paragraph and lose subjects ("... troops
initiated an attack against the SDF" parsed as part of the headline).  A line break followed by a
lower-case word is a wrapped line, not a new paragraph, and is left alone.

The sentence recognizer also ends sentences after abbreviated titles ("Police Sgt. | Ann Lee
said ..."), which cuts the title off a speaker; the word after a title abbreviation (and its
period, when the tokenizer split it off) is marked as not starting a sentence.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

TITLES = frozenset(
    ["mr", "mrs", "ms", "dr", "prof", "sen", "sens", "rep", "reps", "gov", "govs", "lt", "gen", "col", "maj", "capt", "sgt", "cpl", "pvt", "adm", "cmdr", "insp", "supt", "det", "rev", "hon", "pres", "brig"]
)
"""Abbreviated titles that stand before a name (not "St.", which also ends addresses)."""


@Language.component("rashomon_paragraphs", requires=[], assigns=["token.is_sent_start"])
def mark_paragraphs(doc: Doc) -> Doc:
    for tok in doc[:-1]:
        if tok.is_space and tok.text.count("\n") >= 2:
            nxt = doc[tok.i + 1]
            if not nxt.is_lower:
                nxt.is_sent_start = True
        elif tok.lower_.rstrip(".") in TITLES:
            _join_title(doc, tok.i)
    return doc


def _join_title(doc: Doc, i: int) -> None:
    """Keep the name after the abbreviated title at ``doc[i]`` in the title's sentence."""
    period = doc[i].text.endswith(".")
    j = i + 1
    if not period and doc[j].text == ".":
        period, j = True, j + 1
        doc[i + 1].is_sent_start = False
    if period and j < len(doc) and doc[j].is_title:
        doc[j].is_sent_start = False
