"""Plumbing shared by the readers: bounded reads, decoding, outcomes.

Readers raise :class:`IngestError` with a one-line reason for anything wrong with an input;
the reader that owns the input unit turns it into a :class:`~rashomon.models.Rejection`.
Successful units go through :func:`article_outcome`, the one place an
:class:`~rashomon.models.Article` is built (so ids, cleaning and credit detection are uniform).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from contextvars import ContextVar
from pathlib import Path

from rashomon.ids import article_id
from rashomon.ingest.attribution import find_credits, find_original_source, wire_source
from rashomon.ingest.metadata import Metadata, clean_text
from rashomon.models import Article, IngestOutcome, Rejection

DEFAULT_MAX_BYTES = 50_000_000


class IngestError(Exception):
    """An input that cannot become an article; ``str(error)`` is the one-line reason."""


def human_size(n_bytes: int) -> str:
    """A short size for messages: ``50_000_000`` -> ``"50 MB"``, ``100`` -> ``"100 bytes"``."""
    if n_bytes >= 1_000_000:
        return f"{n_bytes / 1_000_000:g} MB"
    if n_bytes >= 1_000:
        return f"{n_bytes / 1_000:g} kB"
    return f"{n_bytes} bytes"


def too_large(max_bytes: int) -> str:
    """The reason given for an input above the size limit."""
    return f"file larger than {human_size(max_bytes)}"


TEXT_LIMIT: ContextVar[int | None] = ContextVar("rashomon_text_limit", default=None)
"""The longest text an article may have while :func:`rashomon.ingest.read_file` reads a file
(``ingest.max_text_chars``); checked before the text is cleaned, so a huge text costs no cleaning."""


def too_long(chars: int, max_chars: int) -> str:
    """The reason given for an article text above ``ingest.max_text_chars``."""
    return (f"text of {chars:,} characters is longer than the {max_chars:,} analysed "
            "(the setting ingest.max_text_chars)")


def check_length(text: str) -> None:
    """Raise :class:`IngestError` when ``text`` is longer than the current :data:`TEXT_LIMIT`."""
    limit = TEXT_LIMIT.get()
    if limit is not None and len(text) > limit:
        raise IngestError(too_long(len(text), limit))


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The bytes of ``path``, never reading more than ``max_bytes`` (+1 to notice growth).

    Raises :class:`IngestError` for empty, oversized or unreadable files.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(too_large(max_bytes))
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise IngestError(f"cannot read file: {error.strerror or error}") from error
    if len(data) > max_bytes:  # the file grew after stat()
        raise IngestError(too_large(max_bytes))
    if not data:
        raise IngestError("empty file")
    return data


MAX_REASON = 300  # characters of a rejection reason (error messages may quote the input)


def printable(text: str) -> str:
    """``text`` with every unprintable character (controls such as ESC, which a terminal would obey)
    shown as its escape (``\\x1b``): safe to print, for file names as well as messages."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def one_line(reason: str) -> str:
    """A reason fit for one line of a terminal: whitespace collapsed, unprintable characters (quoted
    from binary input by a parser's message) escaped, at most ``MAX_REASON`` characters."""
    text = printable(" ".join(reason.split()))
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def reject(source: str, reason: str) -> IngestOutcome:
    """An outcome recording that ``source`` was not ingested, and why (one printable line)."""
    reason = one_line(reason) or "rejected"
    return IngestOutcome(source=source, rejection=Rejection(source=source, reason=reason))


def looks_binary(data: bytes) -> bool:
    """True for bytes that are no text in any encoding Rashomon reads: NUL bytes that are not the
    high or low half of BOM-less UTF-16 (a BOM is checked by the caller)."""
    head = data[:_SNIFF_BINARY]
    return b"\x00" in head and utf16_order(head) is None


# --------------------------------------------------------------------------- decoding

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
UTF16_OR_32_BOMS = tuple(bom for bom, encoding in _BOMS if encoding != "utf-8-sig")
_ALLOWED_CONTROLS = frozenset("\t\n\r\f")
_DETECT_MIN_BYTES = 256  # below this, encoding detection guesses wildly ("café" as Arabic)
_SNIFF_BINARY = 8192  # bytes looked at to tell binary data or UTF-16 from text
_STRAY_CONTROLS = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")  # dropped from otherwise valid text
UNDECODABLE = "not valid UTF-8 or known encoding"


def _is_clean(text: str) -> bool:
    """True when the text holds no control characters (other than whitespace) or U+FFFD."""
    return not any(
        (ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc") or ch == "\ufffd" for ch in text
    )


def _legacy_decode(data: bytes) -> str | None:
    """Decode non-UTF-8 bytes with a detected legacy encoding, or None when nothing fits cleanly.

    ``charset_normalizer`` (installed with trafilatura) picks the encoding when importable and
    the sample is long enough to judge; otherwise cp1252 is tried, which also covers printable
    latin-1.
    """
    if b"\x00" in data:  # text in a single-byte encoding never holds NUL: binary or BOM-less UTF-16
        return None
    candidates: list[str] = []
    if len(data) >= _DETECT_MIN_BYTES or not _plausible_latin(data):
        try:
            import charset_normalizer
        except ImportError:  # pragma: no cover - the venv has it
            pass
        else:
            best = charset_normalizer.from_bytes(data).best()
            if best is not None and not best.encoding.startswith(("utf_16", "utf_32")):
                candidates.append(best.encoding)
    candidates.append("cp1252")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _is_clean(text):
            return text
    return None


def _plausible_latin(data: bytes) -> bool:
    """False when cp1252 would read ``data`` as mostly accented letters: text in another
    single-byte script (Arabic cp1256, Cyrillic cp1251...), too short for the size rule alone."""
    text = data.decode("cp1252", errors="ignore")
    letters = [ch for ch in text if ch.isalpha()]
    foreign = sum(1 for ch in letters if not ch.isascii())
    return len(letters) < 8 or foreign * 2 < len(letters)


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few stray bytes of a legacy encoding (text pasted from a cp1252 document): the
    valid UTF-8 kept, each stray byte read as cp1252.  None unless UTF-8 sequences outnumber the
    stray bytes (then it is legacy text, for :func:`_legacy_decode`)."""
    text = data.decode("utf-8", errors="surrogateescape")
    stray = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F and not "\udc80" <= ch <= "\udcff")
    if not stray or multibyte < stray:
        return None
    fixed = "".join(
        bytes([ord(ch) - 0xDC00]).decode("cp1252", errors="ignore") if "\udc80" <= ch <= "\udcff" else ch
        for ch in text
    )
    return fixed if _is_clean(fixed) else None


def utf16_order(data: bytes) -> str | None:
    """``"utf-16-le"`` / ``"utf-16-be"`` when ``data`` looks like BOM-less UTF-16, else None.

    In UTF-16 text of one or two scripts the high byte of each code unit takes very few values
    (0x00 for ASCII, 0x06 for Arabic...), while the low byte varies like letters do.
    """
    sample = data[: _SNIFF_BINARY - _SNIFF_BINARY % 2]
    if len(sample) < 16 or b"\x00" not in sample:
        return None
    evens, odds = sample[0::2], sample[1::2]
    for high, low, name in ((odds, evens, "utf-16-le"), (evens, odds, "utf-16-be")):
        top = sorted((high.count(bytes([b])) for b in set(high)), reverse=True)[:2]
        if sum(top) >= 0.95 * len(high) and len(set(low)) >= 8:
            return name
    return None


def _utf16_decode(data: bytes) -> str | None:
    """BOM-less UTF-16, when the bytes look like it and decode cleanly; else None."""
    name = utf16_order(data)
    if name is None or len(data) % 2:
        return None
    try:
        text = data.decode(name)
    except UnicodeDecodeError:
        return None
    return text if _is_clean(text) else None


def decode_text(data: bytes) -> str:
    """Bytes to text: BOMs first, then strict UTF-8 (or UTF-8 with a few stray cp1252 bytes), then
    a clean legacy decoding, then BOM-less UTF-16.

    Line endings are normalised to ``\\n`` and stray control characters dropped.
    Raises :class:`IngestError` for binary data.
    """
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise IngestError(UNDECODABLE) from None
            break
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _mostly_utf8(data) or _legacy_decode(data)
        if text is None or "\x00" in text:
            text = _utf16_decode(data)
    if text is None or "\x00" in text:
        raise IngestError(UNDECODABLE)
    text = _STRAY_CONTROLS.sub("", text.lstrip("\ufeff"))
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- articles

def build_article(text: str, source: str, meta: Metadata) -> Article:
    """The Article for a body ``text`` with its metadata; raises IngestError when no text is left.

    The text is cleaned (markup residue, whitespace) before hashing, so ``Article.id`` is
    ``ids.article_id(Article.text)``.  ``original_source`` comes from the metadata, else an
    "original source" line, else the agency the text relays (a dateline credit, or "X reported"
    in the first paragraph); it is left empty when it names the outlet itself.  Wire credits
    found in the text are added to the metadata's.
    """
    check_length(text)
    body = clean_text(text)
    if not body:
        raise IngestError("no article text")
    original = meta.original_source or find_original_source(body) or wire_source(body)
    if original and meta.outlet and original.casefold() == meta.outlet.casefold():
        original = None
    credits = list(dict.fromkeys([*meta.credits, *find_credits(body)]))
    return Article(
        id=article_id(body),
        source=source,
        url=meta.url,
        outlet=meta.outlet,
        title=meta.title,
        byline=meta.byline,
        published=meta.published,
        published_precision=meta.precision if meta.published else "unknown",
        language=meta.language or "en",
        text=body,
        original_source=original,
        credits=credits,
    )


def article_outcome(text: str, source: str, meta: Metadata) -> IngestOutcome:
    """:func:`build_article` as an outcome; IngestError becomes a rejection."""
    try:
        article = build_article(text, source, meta)
    except IngestError as error:
        return reject(source, str(error))
    return IngestOutcome(source=source, article=article)
