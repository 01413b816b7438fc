"""Text units shared by the claims and figures components: blocks and quotations.

A *block* is a spaCy sentence further cut at paragraph breaks.  The parser often runs a headline,
a subtitle and a first paragraph together into one "sentence"; a blank line followed by anything
but a lowercase letter is taken as a hard boundary.  A blank line followed by a lowercase letter
("the head of the monitoring\\n\\ngroup, said") is a line-wrapping artefact and does not cut.

A *quotation* is a stretch of text between quotation marks: straight or curly, double or single
(single quotes are told from apostrophes by what stands around them).  A quotation left open at
the end of a paragraph ends there (news style opens each paragraph of a long quote anew).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc

from rashomon.extract.text.spans import doc_text

_HARD_BREAK = re.compile(r"\n[ \t]*\n\s*(?=[^\sa-z])")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_JOINER = re.compile(r"[\s,:;—–-]*")  # what may stand between a quotation and its attribution
_NEXT_PARAGRAPH = re.compile(r"[ \t]*[,.;:—–-]?[ \t]*\n[ \t]*\n\s*")
_RESUME = re.compile(r"[ \t]*(?:\n[ \t]*)?[,.;:—–-]?[ \t]*(?:\n[ \t]*)?")  # "A," he said. "B."

TRIM = ",;:—–- \n\t"  # what a claim's content is trimmed of at its edges
_DOUBLE_MARKS = '"“”«»„'
_BREAKS = (",", "—", "–", "-")
_ALL_MARKS = "\"“”«»„‘’'"

_DOUBLE_MARK = re.compile('["“”«»„]')
_SINGLE_MARK = re.compile("['‘’]")
_SPACE = re.compile(r"\s")

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
DOUBLE_ANY = '"'


@dataclass(frozen=True)
class Quote:
    """A quotation: ``start``/``end`` delimit the quoted text, without the marks."""

    start: int
    end: int
    closed: bool = True

    @property
    def outer_start(self) -> int:
        """Offset of the opening mark."""
        return self.start - 1

    @property
    def outer_end(self) -> int:
        """Offset just past the closing mark (``end`` when the quote runs to the paragraph end)."""
        return self.end + 1 if self.closed else self.end


class Segments:
    """Blocks and quotations of one Doc, with offset lookups."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.blocks = _blocks(doc)
        self._block_starts = [start for start, _ in self.blocks]
        self.quotes = find_quotes(self.text)
        self._quote_starts = [quote.start for quote in self.quotes]

    def block_of(self, char: int) -> tuple[int, int]:
        """The block holding character ``char`` (the nearest block before it, if between blocks)."""
        if not self.blocks:
            return (0, len(self.text))
        i = max(bisect.bisect_right(self._block_starts, char) - 1, 0)
        return self.blocks[i]

    def token_range(self, block: tuple[int, int]) -> tuple[int, int]:
        """Token indices ``[lo, hi)`` covering the characters of ``block``."""
        span = self.doc.char_span(block[0], block[1], alignment_mode="expand")
        if span is None:
            return (0, 0)
        return span.start, span.end

    def quote_at(self, char: int) -> Quote | None:
        """The quotation whose quoted text holds character ``char``."""
        # Quotations do not nest (single quotes inside double ones are not collected), so the
        # last one starting at or before ``char`` is the only candidate.
        i = bisect.bisect_right(self._quote_starts, char) - 1
        if i >= 0 and char < self.quotes[i].end:
            return self.quotes[i]
        return None

    def in_quote(self, char: int) -> bool:
        return self.quote_at(char) is not None

    def quote_after(self, pos: int, joiner: re.Pattern[str] = _JOINER) -> Quote | None:
        """A quotation that opens at ``pos`` (past spaces, commas, colons, dashes)."""
        i = bisect.bisect_left(self._quote_starts, pos + 1)
        if i < len(self.quotes) and joiner.fullmatch(self.text[pos : self.quotes[i].outer_start]):
            return self.quotes[i]
        return None

    def quote_before(self, pos: int) -> Quote | None:
        """A quotation that closes at ``pos`` (before spaces, commas, colons, dashes)."""
        i = bisect.bisect_right(self._quote_starts, pos) - 1
        while i >= 0 and self.quotes[i].outer_end > pos:
            i -= 1
        if i >= 0 and _JOINER.fullmatch(self.text[self.quotes[i].outer_end : pos]):
            return self.quotes[i]
        return None

    def content(self, start: int, end: int) -> tuple[tuple[int, int] | None, bool]:
        """A claim's content from ``start:end``: trimmed (and of a leading "that"), balanced in its
        quotation marks, unwrapped when it is one quotation; and whether it is direct speech."""
        text = self.text
        start, end = strip_range(text, start, end, TRIM)
        if re.match(r"that\b", text[start:end]):
            start, end = strip_range(text, start + 4, end, TRIM)
        if end - start < 2:
            return None, False
        if sum(text[start:end].count(mark) for mark in _DOUBLE_MARKS) % 2:
            # The parse leaves a quotation mark outside: take it in so the content is balanced.
            if end < len(text) and text[end] in _DOUBLE_MARKS:
                end += 1
            elif start > 0 and text[start - 1] in _DOUBLE_MARKS:
                start -= 1
        last = self.quote_at(end - 1)
        if last is not None and last.start > start and last.end == end and last.closed:
            end = last.outer_end  # "called them 'thugs'": the closing mark too
        quote = self.quote_at(start + 1)
        if quote is not None and quote.outer_start == start:
            outer_end = strip_range(text, quote.outer_start, quote.outer_end, TRIM)[1]
            inner_end = strip_range(text, quote.start, quote.end, TRIM)[1]
            if end in (outer_end, inner_end, quote.end, quote.outer_end):
                return strip_range(text, quote.start, quote.end, TRIM), True
        return (start, end), self.quoted_share(start, end) >= 0.5

    def breaks_off(self, quote: Quote) -> bool:
        """Does a quotation end on a comma or a dash (its sentence goes on after an attribution)?"""
        return self.text[quote.start : quote.end].rstrip()[-1:] in _BREAKS

    def resumed_quote(self, first: Quote, attribution_end: int, block_end: int) -> Quote | None:
        """The second part of a quotation split by its attribution: '"A," he said. "B."'.

        ``first`` breaks off on a comma or a dash; the next quotation follows the attribution
        (ending at ``attribution_end``) or the rest of its sentence (a few words without quotation
        marks before ``block_end``: '"A," he said in Naples, Fla. "B."'), and has no attribution
        of its own: it neither breaks off ('"B," she added') nor is followed by a comma.
        """
        if not self.breaks_off(first):
            return None
        rest = self.continuation(attribution_end)
        between = self.text[attribution_end:block_end]
        if rest is None and len(between.split()) <= 6 and not any(m in between for m in _ALL_MARKS):
            rest = self.continuation(block_end)
        if rest is None or self.breaks_off(rest):
            return None
        after = self.text[rest.outer_end : rest.outer_end + 2].strip()[:1]
        return None if after and after in _BREAKS else rest

    def continuation(self, pos: int) -> Quote | None:
        """A quotation that goes on after an attribution ending at ``pos``: '"A," he said. "B."'.

        Only the end of the attribution's sentence (a full stop, a comma) and spaces may stand
        between, within the paragraph; or the next paragraph is that quotation and nothing else
        (news style gives a long quote a paragraph of its own).
        """
        quote = self.quote_after(pos, _RESUME)
        if quote is not None:
            return quote
        quote = self.quote_after(pos, _NEXT_PARAGRAPH)
        if quote is None or not quote.closed:
            return quote
        line_end = self.text.find("\n", quote.outer_end)
        rest = self.text[quote.outer_end : line_end if line_end >= 0 else len(self.text)]
        return quote if not re.search(r"\w", rest) else None

    def quoted_share(self, start: int, end: int) -> float:
        """The share of non-space characters of ``start:end`` that stand inside quotations."""
        total = _solid(self.text[start:end])
        if total == 0:
            return 0.0
        inside = 0
        i = max(bisect.bisect_right(self._quote_starts, start) - 1, 0)
        while i < len(self.quotes) and self.quotes[i].start < end:
            lo, hi = max(start, self.quotes[i].start), min(end, self.quotes[i].end)
            if lo < hi:
                inside += _solid(self.text[lo:hi])
            i += 1
        return inside / total


def _solid(text: str) -> int:
    """The number of non-space characters of ``text``."""
    return len(text) - sum(1 for _ in _SPACE.finditer(text))


def _blocks(doc: Doc) -> list[tuple[int, int]]:
    """Sentence ranges cut at hard paragraph breaks, stripped of surrounding whitespace."""
    text = doc_text(doc)
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        ranges = [(sent.start_char, sent.end_char) for sent in doc.sents]
    else:
        ranges = [(0, len(text))]
    blocks: list[tuple[int, int]] = []
    for start, end in ranges:
        cut = start
        for match in _HARD_BREAK.finditer(text, start, end):
            blocks.append((cut, match.start()))
            cut = match.end()
        blocks.append((cut, end))
    return [stripped for s, e in blocks if (stripped := strip_range(text, s, e))[0] < stripped[1]]


def strip_range(text: str, start: int, end: int, chars: str = "") -> tuple[int, int]:
    """``start:end`` without surrounding whitespace (and ``chars``)."""
    while start < end and (text[start].isspace() or text[start] in chars):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in chars):
        end -= 1
    return start, end


def find_quotes(text: str) -> list[Quote]:
    """All quotations of a text, in order (see the module docstring)."""
    quotes: list[Quote] = []
    para_start = 0
    for match in [*_PARAGRAPH.finditer(text), None]:
        para_end = match.start() if match else len(text)
        doubles = _double_quotes(text, para_start, para_end)
        quotes.extend(doubles)
        quotes.extend(_single_quotes(text, para_start, para_end, doubles))
        if match:
            para_start = match.end()
    return sorted(quotes, key=lambda q: q.start)


def _double_quotes(text: str, start: int, end: int) -> list[Quote]:
    found: list[Quote] = []
    open_at: int | None = None
    for match in _DOUBLE_MARK.finditer(text, start, end):
        pos, ch = match.start(), match.group()
        if open_at is None:
            if ch not in DOUBLE_CLOSE:
                open_at = pos
        elif ch in DOUBLE_OPEN:
            open_at = pos  # a new opening mark: the previous one was stray
        else:
            found.append(Quote(open_at + 1, pos))
            open_at = None
    if open_at is not None and open_at + 1 < end:
        found.append(Quote(open_at + 1, end, closed=False))
    return found


def _opens_single(text: str, pos: int) -> bool:
    ch = text[pos]
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    if ch == "‘":
        return True
    return ch == "'" and (before.isspace() or before in '([{—–-"“') and after.isalnum()


def _closes_single(text: str, pos: int) -> bool:
    ch = text[pos]
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    if ch not in "'’" or before.isspace():
        return False
    return not after.isalnum()


def _single_quotes(text: str, start: int, end: int, doubles: list[Quote]) -> list[Quote]:
    found: list[Quote] = []
    open_at: int | None = None
    starts = [q.start for q in doubles]
    for match in _SINGLE_MARK.finditer(text, start, end):
        pos = match.start()
        k = bisect.bisect_right(starts, pos) - 1
        if k >= 0 and pos < doubles[k].end:
            continue  # inside a double quotation
        if open_at is None:
            if _opens_single(text, pos):
                open_at = pos
        elif _closes_single(text, pos):
            found.append(Quote(open_at + 1, pos))
            open_at = None
    return found
