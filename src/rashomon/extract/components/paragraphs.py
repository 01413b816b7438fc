"""``rashomon_paragraphs``: a blank line ends a sentence.

Runs before the parser.  News texts put headlines, datelines and paragraphs on their own lines; the
parser would otherwise run a headline into the first paragraph and lose subjects ("... troops
initiated an attack against the SDF" parsed as part of the headline).  A line break followed by a
lower-case word is a wrapped line, not a new paragraph, and is left alone.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("rashomon_paragraphs", assigns=["token.is_sent_start"])
def mark_paragraphs(doc: Doc) -> Doc:
    for tok in doc[:-1]:
        if tok.is_space and tok.text.count("\n") >= 2:
            nxt = doc[tok.i + 1]
            if not nxt.is_lower:
                nxt.is_sent_start = True
    return doc
