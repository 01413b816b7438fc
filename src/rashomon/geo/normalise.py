"""Name normalisation for gazetteer keys.

Every name (an alias in the index or a query) is reduced to a *key*: ASCII, lower case,
diacritics stripped, apostrophes and dots dropped ("Sana'a" -> "sanaa", "U.S." -> "us"),
hyphens and other punctuation treated as spaces, and finally the spaces removed, so that
"Deir ez-Zor", "Deir Ez Zor" and "Deir Ezzor" share the key ``deirezzor``.

A second key drops Arabic-style articles standing as separate words ("al-", "el-", "ez-"...),
so "Deir al-Zour" also gives ``deirzour`` and "Al-Raqqa" gives ``raqqa``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

# Letters that NFKD does not decompose into ASCII, and non-ASCII punctuation that separates words.
_SPECIAL = {
    "ı": "i", "İ": "I", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d",
    "Ð": "D", "þ": "th", "Þ": "Th", "ß": "ss", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe",
    "ħ": "h", "Ħ": "H", "ŧ": "t", "ƒ": "f", "ə": "a", "Ə": "A", "ǝ": "a", "ŋ": "ng",
    "‐": " ", "‑": " ", "‒": " ", "–": " ", "—": " ", "―": " ", "\u00a0": " ",
}
_SPECIAL_RE = re.compile("[" + "".join(_SPECIAL) + "]")
# ASCII: apostrophes, dots and quotes vanish ("Sana'a" -> "sanaa", "U.S." -> "us"); other
# punctuation separates words.  (Non-ASCII apostrophes and marks such as ’ ʼ ʻ vanish when the
# text is reduced to ASCII.)
_DROP = "'.\"`"
_PUNCT = "-_/\\,;:()[]{}!?&+*#|~<>=@$%^"

# One C-level bytes.translate: lower-case, punctuation -> space, _DROP deleted.
_BYTES_TABLE = bytes(
    (b + 32 if 65 <= b <= 90 else 32 if chr(b) in _PUNCT else b) for b in range(256)
)
_BYTES_DROP = _DROP.encode("ascii")
_SEP, _ROW = "\x01", "\x02"  # separators for batch folding (never in names)

# Articles written as separate words in transliterated Arabic (and "the" in English names).
ARTICLES = frozenset(
    {"al", "el", "ad", "ar", "as", "az", "ash", "at", "an", "ed", "es", "ez", "er", "et", "en", "ul", "the"}
)

# Words that follow a subdivision's proper name ("Deir Ezzor province", "Donetska oblast").
ADMIN_WORDS = frozenset(
    {"province", "governorate", "state", "region", "oblast", "department", "district", "county",
     "prefecture", "muhafazat", "wilayah", "division", "territory", "krai", "kray", "republic"}
)



def _fold_text(text: str) -> str:
    """Fold a whole text at C speed (diacritics, case, punctuation); keeps spacing."""
    if not text.isascii():
        text = _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group()], text)
        data = unicodedata.normalize("NFKD", text).encode("ascii", "ignore")
    else:
        data = text.encode("ascii")
    return data.translate(_BYTES_TABLE, _BYTES_DROP).decode("ascii")


def words(text: str) -> list[str]:
    """The folded words of ``text``: ASCII, lower case, split at spaces and punctuation."""
    return _fold_text(text).split()


def fold(text: str) -> str:
    """ASCII-fold and lower-case ``text``; punctuation becomes spaces; spaces are collapsed."""
    return " ".join(words(text))


def key(text: str) -> str:
    """The compact key: folded, without spaces ("Deir ez-Zor" -> "deirezzor")."""
    return "".join(words(text))


def _keys_of(parts: list[str]) -> tuple[str, ...]:
    if not parts:
        return ()
    full = "".join(parts)
    if len(parts) > 1 and not ARTICLES.isdisjoint(parts):
        bare = "".join(p for p in parts if p not in ARTICLES)
        if bare and bare != full:
            return (full, bare)
    return (full,)


def keys(text: str) -> tuple[str, ...]:
    """The compact key and, when it differs, the key without article words."""
    return _keys_of(words(text))


def batch_keys(groups: Iterable[Sequence[str]], *, escaped: bool = False) -> Iterator[set[str]]:
    """The keys of every group of names, one set per group (in order).

    Folding runs once over all the names joined together, which is several times faster than
    name by name when building the index.  ``escaped``: the names carry JSON-style ``\\uXXXX``
    escapes, decoded here in the same single pass.
    """
    blob = _ROW.join(_SEP.join(group) for group in groups)
    if escaped:
        blob = blob.encode("ascii", "backslashreplace").decode("unicode_escape", "replace")
    blob = _fold_text(blob)
    articles = ARTICLES
    for chunk in blob.split(_ROW):
        names = chunk.split(_SEP)
        found = {"".join(name.split()) for name in names}
        for name in names:
            if " " in name:
                parts = name.split()
                if not articles.isdisjoint(parts):
                    found.add("".join(p for p in parts if p not in articles))
        found.discard("")
        yield found


def strip_admin(text: str) -> str:
    """The compact key without admin words ("Belgorod Oblast" -> "belgorod"); never empty
    unless ``text`` is."""
    parts = words(text)
    kept = [p for p in parts if p not in ADMIN_WORDS]
    return "".join(kept or parts)
