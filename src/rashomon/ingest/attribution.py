"""Who an article comes from: original-source lines, wire credits, bylines.

* :func:`find_original_source` reads lines like "The original source of this article is X",
  "Originally published by X", "This article first appeared on X".  The line stays in the text.
* :func:`find_credits` finds wire agencies (the list is the data file ``agencies.txt``): a
  credit in parentheses or after a dash in the first 300 characters ("BEIRUT (AFP) -",
  "— Reuters"), an agency opening the text before the place and a colon ("AFP, Lagos:"), and
  phrases anywhere ("Reuters reported", "according to AP", "told AFP").
* :func:`wire_dateline` is the agency credited at the top, i.e. the article is agency copy;
  :func:`wire_source` also accepts the agency closing the text ("— Reuters" as its last words, or a
  last paragraph that is only the agency's name) and "X reported" in the first paragraph (a rewrite
  of agency copy).
* :func:`parse_byline` splits "By Jane Doe and John Roe, Reuters" into the names and credits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

LEAD_CHARS = 300  # a dateline credit must start within this many characters


@dataclass(frozen=True)
class Agencies:
    """The agency list: every spelling -> the name used in credits, and compiled patterns."""

    canonical: dict[str, str]
    lead: re.Pattern[str]  # "— AFP" near the top (every spelling)
    cited: re.Pattern[str]  # "AFP reported", "according to AFP" (unambiguous spellings only)


def _alternation(names: list[str]) -> str:
    """A regex alternation of names, longest first, as a whole-word group."""
    ordered = sorted(set(names), key=lambda name: (-len(name), name))
    return r"(?<![\w-])(" + "|".join(re.escape(name) for name in ordered) + r")(?![\w-])"


@lru_cache(maxsize=1)
def agencies() -> Agencies:
    """Load ``agencies.txt`` (shipped in the package) once."""
    canonical: dict[str, str] = {}
    trusted: list[str] = []
    text = resources.files("rashomon.ingest").joinpath("agencies.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        names = [name.strip() for name in line.split("|") if name.strip()]
        main = names[0].rstrip("*")
        for name in names:
            canonical[name.rstrip("*")] = main
            if not name.endswith("*"):
                trusted.append(name)
    every = _alternation(list(canonical))
    good = _alternation(trusted)
    lead = re.compile(r"(?:^|\s)[—–-]{1,2}\s*" + every)
    cited = re.compile(
        good + r"\s+(?:news agency\s+|has\s+|had\s+)?report(?:ed|s)\b"
        r"|\b[Aa]ccording to (?:the )?" + good + r"|\b[Tt]old (?:the )?" + good
    )
    return Agencies(canonical=canonical, lead=lead, cited=cited)


def agency_name(text: str) -> str | None:
    """The credit name when ``text`` is exactly an agency spelling ("Agence France-Presse" -> "AFP")."""
    return agencies().canonical.get(text.strip())


_PARENS = re.compile(r"\(([^()\n]{1,80})\)")
_PARTS = re.compile(r"\s*(?:/|,|;|&|\band\b)\s*")
# An agency opening a paragraph before the place and a colon ("AFP, Lagos :"), as some papers date copy.
_AGENCY_FIRST = re.compile(r"(?m)^[ \t]*([A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}),[ \t]+[A-Z][\w .'-]{1,40}?[ \t]*:(?:[ \t]|$)")
# The credit closing a text: the whole last paragraph, or after a dash or in parentheses at its end.
_TAIL = re.compile(r"(?:^|\s[—–-]{1,2}\s*|^[—–-]{1,2}\s*|\()([A-Z][\w.'-]*(?:[ -][A-Z][\w.'-]*){0,3})\)?\.?$")


def _lead_credits(text: str) -> list[str]:
    """Agencies credited in the dateline: in parentheses or after a dash near the top."""
    head = text[: LEAD_CHARS + 80]
    found: list[tuple[int, str]] = []
    for match in _PARENS.finditer(head):
        if match.start() > LEAD_CHARS:
            break
        for part in _PARTS.split(match.group(1)):
            name = agency_name(part)
            if name:
                found.append((match.start(), name))
    for match in agencies().lead.finditer(head):
        if match.start(1) <= LEAD_CHARS:
            found.append((match.start(1), agencies().canonical[match.group(1)]))
    for match in _AGENCY_FIRST.finditer(head):  # "AFP, Lagos:" opening a paragraph
        name = agency_name(match.group(1))
        if name and match.start(1) <= LEAD_CHARS:
            found.append((match.start(1), name))
    return [name for _, name in sorted(found)]


def _tail_credit(text: str) -> str | None:
    """The agency credited at the very end: a last paragraph that is only its name ("Reuters",
    "— AFP"), or a last sentence closed by "— Reuters" or "(AP)"."""
    last = text.rstrip().rsplit("\n", 1)[-1].strip()
    match = _TAIL.search(last[-80:])
    return agency_name(match.group(1)) if match else None


def wire_dateline(text: str) -> str | None:
    """The agency the dateline credits ("DAMASCUS (Reuters) -"), or None."""
    credits = _lead_credits(text)
    return credits[0] if credits else None


def wire_source(text: str) -> str | None:
    """The agency an article relays: its dateline credit, else "X reported" in the first paragraph.

    "..., Reuters reported." closing the lead sentence marks a rewrite of agency copy.  "according
    to X" and "told X" attribute single statements and do not count.
    """
    dateline = wire_dateline(text) or _tail_credit(text)
    if dateline:
        return dateline
    lead = next((part for part in text.split("\n\n") if len(part.split()) >= 12), "")  # not the headline
    for match in agencies().cited.finditer(lead[: LEAD_CHARS * 2]):
        if match.group(1):  # the "X reported" alternative
            return agencies().canonical[match.group(1)]
    return None


def find_credits(text: str) -> list[str]:
    """Wire agencies credited in the text, dateline credits first, each once, in text order."""
    credits = _lead_credits(text)
    table = agencies()
    for match in table.cited.finditer(text):
        name = next(group for group in match.groups() if group)
        credits.append(table.canonical[name])
    return list(dict.fromkeys(credits))


# --------------------------------------------------------------------------- bylines

_LAST_PART = re.compile(r"(.+)(?:[,;/]|\s[—–-]\s| for )\s*(.+?)")
_BYLINE_LEAD = re.compile(r"^(?:by|written by|words by|author|authors|reporting by)\s*:?\s+", re.IGNORECASE)


def parse_byline(text: str) -> tuple[str | None, tuple[str, ...]]:
    """Names and agency credits of a byline.

    "By Jane Doe" -> ("Jane Doe", ()); "By Jane Doe and John Roe, Reuters" ->
    ("Jane Doe and John Roe", ("Reuters",)); "Jane Doe for AFP" -> ("Jane Doe", ("AFP",));
    "By AFP" -> ("AFP", ("AFP",)).  A trailing part that is not an agency (a role, a place)
    stays in the byline.
    """
    body = _BYLINE_LEAD.sub("", " ".join(text.split())).strip(" ,;|-—–")
    if not body:
        return None, ()
    whole = agency_name(body)
    if whole:
        return body, (whole,)
    names, credits = body, list[str]()
    while (split := _LAST_PART.fullmatch(names)) and (agency := agency_name(split.group(2))):
        credits.insert(0, agency)
        names = split.group(1).strip(" ,;")
    return names or None, tuple(credits)


# --------------------------------------------------------------------------- original source

_KIND = r"(?:article|story|piece|post|report|column|op-ed|commentary|essay|interview|analysis)"
_ORIGIN_LINES = [
    re.compile(r"\bthe original source of this " + _KIND + r" is:?\s+(?P<src>.+)", re.IGNORECASE),
    re.compile(
        r"^\W*(?:this|the above) " + _KIND + r"(?: was| is| has been)?\s+"
        r"(?:(?:originally|first) (?:published|appeared|posted|ran)"
        r"|republished|reprinted|reposted|cross-posted)"
        r"(?: with permission)?(?: (?:on|in|at|by|from|with))?\s+(?P<src>.+)",
        re.IGNORECASE,
    ),
    re.compile(
        r"^\W*(?:originally|first) (?:published|appeared|posted)(?: (?:on|in|at|by))?\s+(?P<src>.+)",
        re.IGNORECASE,
    ),
    re.compile(r"^\W*read (?:more|the (?:full|original) (?:story|article|report)) (?:on|at)\s+(?P<src>(?-i:[A-Z]).+)",
               re.IGNORECASE),
    re.compile(
        r"^\W*(?:republished|reprinted|reposted|cross-posted)(?: with (?:kind )?permission)?"
        r" (?:from|by|with permission from)\s+(?P<src>.+)",
        re.IGNORECASE,
    ),
]
_CUT = re.compile(
    r"\.(?:\s|$)|[,;|(]|\s[—–-]\s|\s+(?:on|under|and is|and was|with permission|in (?:its|their|the) )\b",
    re.IGNORECASE,
)


def _source_name(raw: str) -> str | None:
    """The outlet named at the start of ``raw`` ("Truthout on May 3, 2019." -> "Truthout")."""
    cut = _CUT.search(raw)
    name = (raw[: cut.start()] if cut else raw).strip(" \t\"'“”‘’:.-")
    if not (2 <= len(name) <= 80) or not name[0].isalnum():
        return None
    return name


def find_original_source(text: str) -> str | None:
    """The outlet named by the first "original source" line, or None."""
    for line in text.splitlines():
        if len(line) > 400:
            continue
        for pattern in _ORIGIN_LINES:
            match = pattern.search(line)
            if match:
                name = _source_name(match.group("src"))
                if name:
                    return name
    return None
