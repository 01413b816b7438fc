"""``rashomon_framing``: loaded terms and who uses them (``doc._.framing``).

The lexicon ``patterns/framing.json`` lists terms with a category: *condemnation* ("war crime",
"brutal massacre", "new aggression", "support terrorism"), *justification* ("unprovoked attack",
"act of aggression" said of the other side, "self-defence", "repel", "liberated"), *euphemism*
("collateral damage", "neutralised") and *delegitimisation* ("mercenaries", "aggressors").  Terms
are matched with spaCy's PhraseMatcher, case-insensitively on the lower-case form and on lemmas;
the longest match wins.

The speaker of a term is the speaker of the claim whose content contains it, when the claims
component has run (``doc._.claims`` is a list); failing that, the one claim whose sentence holds
the term ("... called the bombing a 'new aggression'").  Without claims the speaker is None: the
outlet's own voice, or unknown.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from rashomon.extract.text.lexicon import read_pattern_file
from rashomon.extract.text.sentences import in_metadata_line
from rashomon.extract.text.spans import doc_text, from_spacy
from rashomon.extract.text.terms import TermMatcher
from rashomon.models import Claim, Framing, Span, Speaker
from rashomon.settings import component_defaults

__all__ = ["FramingFinder", "load_framing_terms", "speaker_for"]


@lru_cache(maxsize=1)
def load_framing_terms() -> dict[str, Any]:
    """The contents of ``patterns/framing.json``."""
    data: dict[str, Any] = json.loads(read_pattern_file("framing.json"))
    return data


def _inside(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def speaker_for(span: Span, claims: list[Claim] | None) -> Speaker | None:
    """The speaker of the innermost claim whose content contains ``span``; else of the only
    speaker whose claims' sentences contain it; else None (also when no claims were extracted)."""
    if not claims:
        return None
    holding = [c for c in claims if _inside(span, c.content)]
    if holding:  # the innermost claim: "X says Y calls it 'a war crime'" is Y's term
        return min(holding, key=lambda c: c.content.end - c.content.start).speaker
    around = [c for c in claims if _inside(span, c.sentence)]
    if len({c.speaker.name for c in around}) == 1:
        return around[0].speaker
    return None


class FramingFinder:
    """Finds the lexicon's terms and attributes each to a speaker."""

    def __init__(self, nlp: Language, categories: list[str] | None, skip_metadata_lines: bool) -> None:
        data = load_framing_terms()
        wanted = set(categories) if categories else set(data["categories"])
        self.terms: dict[str, tuple[str, str]] = {}  # key -> (term, category)
        pairs: list[tuple[str, str]] = []
        for i, entry in enumerate(data["terms"]):
            if entry["category"] not in wanted:
                continue
            key = str(i)
            self.terms[key] = (entry["term"], entry["category"])
            pairs += [(key, phrase) for phrase in [entry["term"], *entry.get("variants", [])]]
        self.matcher = TermMatcher(nlp, pairs)
        self.skip_metadata_lines = skip_metadata_lines

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """Stream docs through the component (one at a time; ``batch_size`` is accepted for spaCy)."""
        for doc in docs:
            yield self(doc)

    def __call__(self, doc: Doc) -> Doc:
        claims: list[Claim] | None = doc._.claims if Doc.has_extension("claims") else None
        found: list[Framing] = []
        text = doc_text(doc)
        for match in self.matcher(doc):
            if self.skip_metadata_lines and in_metadata_line(text, match.start_char):
                continue  # "Theme: Terrorism, ..." is the site's tagging, not anyone's framing
            term, category = self.terms[match.label_]
            span = from_spacy(match)
            found.append(Framing(term=term, category=category, span=span, speaker=speaker_for(span, claims)))
        doc._.framing = found
        return doc


@Language.factory(
    "rashomon_framing",
    assigns=["doc._.framing"],
    requires=["doc._.claims", "token.tag", "token.lemma"],
    default_config=component_defaults("rashomon_framing"),  # the [extract.framing] table of default.toml
)
def make_framing(
    nlp: Language, name: str, categories: list[str] | None, skip_metadata_lines: bool
) -> FramingFinder:
    """Loaded terms of the given ``categories`` (all when empty or None); terms on "Label: value" metadata
    lines are skipped unless ``skip_metadata_lines`` is false."""
    return FramingFinder(nlp, categories, skip_metadata_lines)
