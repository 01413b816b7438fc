"""Name normalisation for gazetteer keys.

Every name (an alias in the index or a query) is reduced to a *key*: ASCII, lower case,
diacritics stripped, apostrophes and dots dropped ("Sana'a" -> "sanaa", "U.S." -> "us"),
hyphens and other punctuation treated as spaces, and finally the spaces removed, so that
"Deir ez-Zor", "Deir Ez Zor" and "Deir Ezzor" share the key ``deirezzor``.

A second key drops Arabic-style articles standing as separate words ("al-", "el-", "ez-"...),
so "Deir al-Zour" also gives ``deirzour`` and "Al-Raqqa" gives ``raqqa``.

The *skeleton* of a key (consonants only, doubled letters collapsed) groups spellings that
differ in their vowels, "Khasham" / "Khusham" / "Khsham" -> ``khshm``; fuzzy lookups compare
only names that share a skeleton.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that NFKD does not decompose into ASCII.
_SPECIAL = {
    "ı": "i", "İ": "I", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d",
    "Ð": "D", "þ": "th", "Þ": "Th", "ß": "ss", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe",
    "ħ": "h", "Ħ": "H", "ŧ": "t", "ƒ": "f", "ə": "a", "Ə": "A", "ǝ": "a", "ŋ": "ng",
}
_DROP = "'’‘ʼʻ`´ʹʿʾ.\""  # apostrophes, ayn/hamza marks, dots, quotes: removed without a space
_PUNCT = "-‐‑‒–—―_/\\,;:()[]{}!?&+*#|~<>=@$%^"

_TABLE: dict[int, str | None] = {ord(c): None for c in _DROP}
_TABLE.update({ord(c): " " for c in _PUNCT})
_TABLE.update({ord(k): v for k, v in _SPECIAL.items()})

# The same for ASCII text as one C-level bytes.translate: lower-case, punctuation -> space.
_BYTES_TABLE = bytes(
    (b + 32 if 65 <= b <= 90 else 32 if chr(b) in _PUNCT else b) for b in range(256)
)
_BYTES_DROP = bytes(ord(c) for c in _DROP if ord(c) < 128)

# Articles written as separate words in transliterated Arabic (and "the" in English names).
ARTICLES = frozenset(
    {"al", "el", "ad", "ar", "as", "az", "ash", "at", "an", "ed", "es", "ez", "er", "et", "en", "ul", "the"}
)

# Words that follow a subdivision's proper name ("Deir Ezzor province", "Donetska oblast").
ADMIN_WORDS = frozenset(
    {"province", "governorate", "state", "region", "oblast", "department", "district", "county",
     "prefecture", "muhafazat", "wilayah", "division", "territory", "krai", "kray", "republic"}
)

_VOWELS = str.maketrans("", "", "aeiouyw")
_DOUBLES = re.compile(r"(.)\1+")


def words(text: str) -> list[str]:
    """The folded words of ``text``: ASCII, lower case, split at spaces and punctuation."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_TABLE))
        text = text.encode("ascii", "ignore").decode("ascii")
    return text.encode("ascii").translate(_BYTES_TABLE, _BYTES_DROP).decode("ascii").split()


def fold(text: str) -> str:
    """ASCII-fold and lower-case ``text``; punctuation becomes spaces; spaces are collapsed."""
    return " ".join(words(text))


def key(text: str) -> str:
    """The compact key: folded, without spaces ("Deir ez-Zor" -> "deirezzor")."""
    return "".join(words(text))


def keys(text: str) -> tuple[str, ...]:
    """The compact key and, when it differs, the key without article words."""
    parts = words(text)
    if not parts:
        return ()
    full = "".join(parts)
    if len(parts) > 1 and not ARTICLES.isdisjoint(parts):
        bare = [p for p in parts if p not in ARTICLES]
        if bare and len(bare) < len(parts):
            stripped = "".join(bare)
            if stripped != full:
                return (full, stripped)
    return (full,)


def skeleton(compact: str) -> str:
    """Consonant skeleton of a compact key: vowels (and y, w) removed, doubles collapsed."""
    return _DOUBLES.sub(r"\1", compact.translate(_VOWELS))


def strip_admin(text: str) -> str:
    """The compact key without admin words ("Belgorod Oblast" -> "belgorod"); never empty
    unless ``text`` is."""
    parts = words(text)
    kept = [p for p in parts if p not in ADMIN_WORDS]
    return "".join(kept or parts)
