"""Numbers as news reports write them, with their qualifiers and ranges.

:func:`find_counts` reads the number phrases of a token range: digits ("100", "1,200",
"1.5 million"), number words ("one", "twenty-five", "two hundred and fifty", "a dozen"), vague
amounts ("dozens", "scores of", "hundreds"), ranges ("20 to 30", "20-30", "between 5 and 7",
"one or two") and the qualifier written before them ("at least", "more than", "about", "up to").

Each :class:`Count` carries ``value``/``low``/``high`` by the rules stated in
``patterns/quantities.json``:

=====================  ==========================  ===============================
written                rule                        value / low / high
=====================  ==========================  ===============================
"100", "only 100"      exact                       100 / 100 / 100
"about 100"            approx (qualifier kept)     100 / 100 / 100
"at least 100"         min                         None / 100 / None
"more than 100"        min_exclusive               None / 101 / None
"up to 100"            max                         None / None / 100
"fewer than 100"       max_exclusive               None / None / 99
"dozens"               vague (the word's minimum)  None / 24 / None
"20 to 30"             range                       None / 20 / 30
=====================  ==========================  ===============================

Numbers that are dates, times, money, percentages, ages or measures (by the parser's entity
label or the words around them, ``not_before``/``not_after``) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span

from rashomon.extract.text.lexicon import Quantities, not_counted, quantities
from rashomon.extract.text.spans import lowers

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
_DECIMAL = re.compile(r"^\d+\.\d+$")
_NOT_COUNT_ENTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"})
_MONTHS = frozenset(
    {
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    }
)
_YEAR_PREPS = frozenset({"in", "since", "until", "till", "by", "of", "from", "during", "before", "after"})


@dataclass(frozen=True)
class Count:
    """A number phrase: tokens ``start:end`` (qualifier included), the number from ``number_start``."""

    start: int
    end: int
    number_start: int
    value: int | None
    low: int | None
    high: int | None
    qualifier: str | None


def _lower(doc: Doc, i: int) -> str:
    return lowers(doc)[i] if 0 <= i < len(doc) else ""


@lru_cache(maxsize=1)
def _starters() -> frozenset[str]:
    """Words a number phrase can begin with (besides digits): a qualifier's or a vague amount's
    first word, a unit or a tens word, "a"/"an" ("a dozen") and "between"."""
    q = quantities()
    return frozenset({p[0] for p in q.qualifiers} | {p[0] for p in q.vague} | set(q.units) | set(q.tens)
                     | {"a", "an", "between"})


_FIRST_WORDS: dict[int, tuple[Mapping[tuple[str, ...], object], dict[str, list[tuple[str, ...]]]]] = {}


def _by_first_word(phrases: Mapping[tuple[str, ...], object]) -> dict[str, list[tuple[str, ...]]]:
    """The phrases of a (cached, unchanging) table grouped by their first word, longest first."""
    cached = _FIRST_WORDS.get(id(phrases))
    if cached is None or cached[0] is not phrases:
        index: dict[str, list[tuple[str, ...]]] = {}
        for phrase in sorted(phrases, key=len, reverse=True):
            index.setdefault(phrase[0], []).append(phrase)
        cached = _FIRST_WORDS[id(phrases)] = (phrases, index)
    return cached[1]


def _match(doc: Doc, i: int, phrases: Mapping[tuple[str, ...], object]) -> tuple[str, ...] | None:
    """The longest phrase of ``phrases`` written at token ``i``."""
    if not 0 <= i < len(doc):
        return None
    for phrase in _by_first_word(phrases).get(lowers(doc)[i], ()):
        if all(_lower(doc, i + k) == word for k, word in enumerate(phrase[1:], start=1)):
            return phrase
    return None


def _words(doc: Doc, i: int, hi: int, q: Quantities) -> tuple[int, int] | None:
    """A number written in words at token ``i``: (value, next token)."""
    j, total, current, seen, last_scale = i, 0, 0, False, False
    if _lower(doc, j) in ("a", "an") and (_lower(doc, j + 1) in q.scales or _lower(doc, j + 1) in q.dozen):
        current, j = 1, j + 1
    while j < hi:
        word = _lower(doc, j)
        if word in q.units and not (seen and current % 10):
            current, seen, last_scale = current + q.units[word], True, False
            if _lower(doc, j + 1) == "-" and _lower(doc, j + 2) in q.scales:
                j += 1  # "two-hundred": the hyphen joins the number to its scale
        elif word in q.tens and not (seen and current % 100):
            current, seen, last_scale = current + q.tens[word], True, False
            if (
                _lower(doc, j + 1) == "-"
                and _lower(doc, j + 2) in q.units
                and q.units[_lower(doc, j + 2)] < 10
            ):
                current, j = current + q.units[_lower(doc, j + 2)], j + 2
        elif word in q.scales and (seen or current):
            scale = q.scales[word]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total, current = total + max(current, 1) * scale, 0
            seen, last_scale = True, True
        elif word in q.dozen and (seen or current):
            current, seen, last_scale = max(current, 1) * q.dozen[word], True, False
        elif word == "and" and last_scale and (_lower(doc, j + 1) in q.units or _lower(doc, j + 1) in q.tens):
            last_scale = False
        else:
            break
        j += 1
    return (total + current, j) if seen else None


def read_number(doc: Doc, i: int, hi: int) -> tuple[int, int, bool] | None:
    """The number written at token ``i``: (value or vague minimum, next token, vague?)."""
    q = quantities()
    if i >= hi:
        return None
    vague = _match(doc, i, q.vague)
    if vague is not None:
        after = i + len(vague)
        if vague[-1] in q.vague_need_of and _lower(doc, after) != "of":
            return None
        return q.vague[vague], after, True
    text = doc[i].text
    if _DIGITS.match(text) or (_DECIMAL.match(text) and _lower(doc, i + 1) in q.scales):
        value = float(text.replace(",", ""))
        j = i + 1
        if _lower(doc, j) in q.scales and j < hi:
            value, j = value * q.scales[_lower(doc, j)], j + 1
        return int(value), j, False
    words = _words(doc, i, hi, q)
    return (words[0], words[1], False) if words else None


def _excluded(doc: Doc, start: int, end: int, q: Quantities) -> bool:
    """Is the number at tokens ``start:end`` a date, time, money, age, measure...?"""
    for k in range(start, end):
        label = doc[k].ent_type_
        if label in ("DATE", "TIME") and _is_time_entity(doc, k):
            return True
        if label == "QUANTITY" and _is_measure_entity(doc, k):
            return True
        if label in _NOT_COUNT_ENTS and label not in ("DATE", "TIME", "QUANTITY"):
            return True
    before = _lower(doc, start - 1)
    after = _lower(doc, end)
    after2 = after + _lower(doc, end + 1) if after in ("-", "–") else after
    if before in q.not_before or after in q.not_after or after2 in q.not_after:
        return True
    text = doc[start].text
    year = end - start == 1 and re.fullmatch(r"\d{4}", text) is not None and 1800 <= int(text) <= 2100
    if year and (before in _YEAR_PREPS or before == ","):
        return True
    if before == "," and after in (",", "of", "and") and start >= 2 and doc[start - 2].pos_ == "PROPN":
        return True  # an age after a name: "Felimon Contreras, 29, was killed"
    return before in _MONTHS or after in _MONTHS


def entity_at(doc: Doc, k: int) -> Span | None:
    """The entity holding token ``k``, from the tokens' IOB tags (``doc.ents`` rebuilds every
    entity of the article on each call, and figures ask for thousands of tokens)."""
    if not doc[k].ent_type:
        return None
    start = k
    while start > 0 and doc[start].ent_iob_ != "B":
        start -= 1
    end = k + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def _is_time_entity(doc: Doc, k: int) -> bool:
    """Does the DATE/TIME entity around token ``k`` name a time (and not only a number)?

    The tagger sometimes labels "Between 5 and 7" a DATE; a date or time entity excludes a number
    only when it has a word that is not a number or a connective, or is a year.
    """
    q = quantities()
    ent = entity_at(doc, k)
    if ent is None:
        return False
    connectives = {
        "between",
        "and",
        "or",
        "to",
        "about",
        "some",
        "at",
        "least",
        "more",
        "than",
        "up",
        "over",
        "nearly",
        "around",
        "only",
        "a",
        "an",
    }
    for tok in ent:
        word = tok.lower_
        if (
            tok.is_alpha
            and word not in connectives
            and word not in q.units
            and word not in q.tens
            and word not in q.scales
        ):
            return True
        if re.fullmatch(r"\d{4}", tok.text) and 1800 <= int(tok.text) <= 2100:
            return True
    return False


def _is_measure_entity(doc: Doc, k: int) -> bool:
    """Does the QUANTITY entity around token ``k`` have a unit ("500 metres"; not "Forty migrants")?"""
    ent = entity_at(doc, k)
    units = not_counted()
    return ent is not None and any(t.lemma_.lower() in units or t.lower_ in units for t in ent if t.is_alpha)


def bounds(rule: str | None, number: int, vague: bool) -> tuple[int | None, int | None, int | None]:
    """(value, low, high) of a number under a qualifier rule (see the module docstring)."""
    if vague:
        return None, number, None
    if rule == "min":
        return None, number, None
    if rule == "min_exclusive":
        return None, number + 1, None
    if rule == "max":
        return None, None, number
    if rule == "max_exclusive":
        return None, None, number - 1
    return number, number, number  # exact, approx, or no qualifier


def _range_after(doc: Doc, k: int, hi: int, first: int, q: Quantities) -> tuple[int, int] | None:
    """A second number closing a range after token ``k`` ("to 30", "-30", "or two")."""
    if _lower(doc, k) not in q.range_joiners:
        return None
    second = read_number(doc, k + 1, hi)
    if second is None or second[2] or second[0] <= first:
        return None
    return second[0], second[1]


def find_counts(doc: Doc, lo: int, hi: int) -> list[Count]:
    """The number phrases of tokens ``lo:hi``, left to right, not overlapping."""
    q = quantities()
    counts: list[Count] = []
    words, starters = lowers(doc), _starters()
    i = lo
    while i < hi:
        if words[i] not in starters and not words[i][:1].isdigit():
            i += 1  # no qualifier, vague amount or number begins here (the checks below agree)
            continue
        between = _lower(doc, i) == "between"
        qualifier = None if between else _match(doc, i, q.qualifiers)
        j = i + 1 if between else i + (len(qualifier) if qualifier else 0)
        number = read_number(doc, j, hi)
        if number is None and qualifier is not None:
            qualifier, j = None, i
            number = read_number(doc, j, hi)
        if number is None:
            i += 1
            continue
        value, k, vague = number
        if between:
            if _lower(doc, k) != "and" or not (second := read_number(doc, k + 1, hi)) or second[0] <= value:
                i += 1
                continue
            result: tuple[int | None, int | None, int | None] = (None, value, second[0])
            k = second[1]
        elif not vague and (closing := _range_after(doc, k, hi, value, q)) is not None:
            result, k = (None, value, closing[0]), closing[1]
        else:
            rule = q.qualifiers[qualifier] if qualifier else None
            result = bounds(rule, value, vague)
        if _excluded(doc, j, k, q):
            i = k
            continue
        value_, low, high = result
        written = " ".join(qualifier) if qualifier else None
        if vague and not qualifier:
            written = " ".join(t.lower_ for t in doc[j:k] if t.lower_ != "of")
        if between:
            written = "between"
        counts.append(
            Count(start=i, end=k, number_start=j, value=value_, low=low, high=high, qualifier=written)
        )
        i = k
    return counts
