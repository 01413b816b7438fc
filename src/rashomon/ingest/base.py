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


def reject(source: str, reason: str) -> IngestOutcome:
    """An outcome recording that ``source`` was not ingested, and why."""
    reason = " ".join(reason.split())  # always one line
    return IngestOutcome(source=source, rejection=Rejection(source=source, reason=reason))


# --------------------------------------------------------------------------- decoding

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f")
_DETECT_MIN_BYTES = 256  # below this, encoding detection guesses wildly ("café" as Arabic)
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
    if len(data) >= _DETECT_MIN_BYTES:
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


def decode_text(data: bytes) -> str:
    """Bytes to text: BOMs first, then strict UTF-8, then a clean legacy decoding.

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
            text = _legacy_decode(data)
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
