"""Deterministic identifiers: the same input always gets the same id (runs can resume)."""

from __future__ import annotations

import hashlib
import re
import unicodedata


def digest(*parts: object, length: int = 16) -> str:
    """A short hex digest of the parts, joined unambiguously."""
    h = hashlib.sha256()
    for part in parts:
        h.update(str(part).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


def normalise_text(text: str) -> str:
    """Text normalised for content hashing: NFC, whitespace collapsed, stripped."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def article_id(text: str) -> str:
    """An article's id is the hash of its normalised text (exact duplicates share it)."""
    return "a" + digest(normalise_text(text))
