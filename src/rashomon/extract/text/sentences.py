"""Sentences and lines of an article's text: :func:`sentence_ranges` (sentences also cut at
paragraph breaks), :func:`headline_range`, :func:`lead_ranges` and :func:`in_metadata_line`
(shared by the dates, places, actors, event type and framing components)."""

from __future__ import annotations

import re

from spacy.tokens import Doc

from rashomon.extract.text.spans import doc_text

__all__ = ["headline_range", "in_metadata_line", "lead_ranges", "sentence_ranges"]

_LABEL_LINE = re.compile(r"^[A-Z][\w-]*(?: [\w-]+){0,2}:\s")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*(?![a-z])")  # not "monitoring\n\ngroup, said": a wrapped line
_SENTENCE_END = (".", "!", "?", '"', "'", "\u201d", "\u2019")
_METADATA_LINE = re.compile(r"^\s*(?:published|posted|updated|by|date|source|region|theme)\b", re.IGNORECASE)


def sentence_ranges(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of the doc's sentences, also cut at blank lines (paragraph breaks the
    parser may run over, e.g. a headline glued to the first paragraph) unless a lower-case word
    follows (a wrapped line); a punctuation split when the doc is unparsed.

    Computed once per doc (several components ask; the sentences are final once they run)."""
    cached = doc.user_data.get("rashomon_sentence_ranges")
    if cached is not None:
        return list(cached)
    text = doc_text(doc)
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        coarse = [(s.start_char, s.end_char) for s in doc.sents]
    else:
        coarse = [(m.start(), m.end()) for m in re.finditer(r"[^.!?]+(?:[.!?]+|$)", text)]
    ranges: list[tuple[int, int]] = []
    for start, end in coarse:
        cut = start
        for m in _PARAGRAPH_BREAK.finditer(text, start, end):
            if text[cut:m.start()].strip():
                ranges.append((cut, m.start()))
            cut = m.end()
        if text[cut:end].strip():
            ranges.append((cut, end))
    doc.user_data["rashomon_sentence_ranges"] = tuple(ranges)
    return ranges


def in_metadata_line(text: str, char: int) -> bool:
    """True when character ``char`` of ``text`` lies on a "Label: value" metadata line
    ("Theme: Terrorism, US NATO War Agenda")."""
    line_start = text.rfind("\n", 0, char) + 1
    line_end = text.find("\n", char)
    line = text[line_start:line_end if line_end >= 0 else len(text)].strip()
    return len(line) <= 100 and _LABEL_LINE.match(line) is not None and not line.endswith(_SENTENCE_END)


def headline_range(doc: Doc, max_words: int = 30) -> tuple[int, int] | None:
    """Character range of the headline: the first non-empty line of 3 to ``max_words`` words
    that is not a metadata line ("Published: ...", "By ...")."""
    offset = 0
    for line in doc_text(doc).split("\n"):
        words = re.findall(r"\w+", line)
        if line.strip() and not _METADATA_LINE.match(line):
            if 3 <= len(words) <= max_words and not line.rstrip().endswith((".", ":")):
                start = offset + len(line) - len(line.lstrip())
                return start, offset + len(line.rstrip())
            return None  # the first content line is body text: no headline
        offset += len(line) + 1
    return None


def lead_ranges(doc: Doc, after: int, count: int, min_words: int) -> list[tuple[int, int]]:
    """The first ``count`` sentences after character ``after`` with at least ``min_words`` words,
    skipping repeats (a headline printed twice)."""
    full = doc_text(doc)
    seen: set[str] = set()
    if after:
        seen.add(" ".join(full[:after].splitlines()[-1].split()))  # the headline itself
    lead: list[tuple[int, int]] = []
    for start, end in sentence_ranges(doc):
        text = " ".join(full[start:end].split())
        if end <= after or len(re.findall(r"[A-Za-z]+", text)) < min_words or text in seen:
            continue
        if in_metadata_line(full, start):
            continue  # "Theme: Terrorism, US NATO War Agenda"
        seen.add(text)
        lead.append((start, end))
        if len(lead) == count:
            break
    return lead
