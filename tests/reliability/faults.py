"""A spaCy component that raises on a marker word: a real fault inside extraction, for the tests of
failed articles.  A test adds it through the setting ``extract.extra_pipes``
(``"tests.reliability.faults:rashomon_test_fault"``), so worker processes (``--engine process``)
import and add it too."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

MARKER = "Quibblefrost"
"""An invented word no report of the tests holds unless it is meant to fail."""


@Language.component("rashomon_test_fault")
def raise_on_marker(doc: Doc) -> Doc:
    if MARKER in doc.text:
        raise ValueError(f"test fault: the marker word {MARKER} was read\nsecond line never shown")
    return doc
