"""Word lists for the claims and figures components, read from ``extract/patterns/``.

The lists are data, not code: ``cues.txt`` (reporting verbs), ``anonymous.txt`` (anonymity
phrases), ``speakers.json`` (roles, media, government and organisation nouns),
``casualty_terms.json`` (casualty predicates per figure kind), ``quantities.json`` (number words
and qualifier rules) and ``not_counted.txt`` (nouns that are never casualties).  Each file is read
once per process with :mod:`importlib.resources`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any, cast, get_args

from rashomon.models import FigureKind

PACKAGE = "rashomon.extract"
FOLDER = "patterns"


def read_text(name: str) -> str:
    """The text of one pattern file."""
    return (files(PACKAGE) / FOLDER / name).read_text(encoding="utf-8")


def read_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a pattern file, stripped and lowercased."""
    lines = (line.strip().lower() for line in read_text(name).splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def read_json(name: str) -> dict[str, Any]:
    """A JSON pattern file, keys starting with ``_`` (comments) dropped."""
    data: dict[str, Any] = json.loads(read_text(name))
    return {key: value for key, value in data.items() if not key.startswith("_")}


@dataclass(frozen=True)
class SpeakerWords:
    """Word sets used to describe a speaker (see ``speakers.json``)."""

    personal_pronouns: frozenset[str]
    other_pronouns: frozenset[str]
    roles: frozenset[str]
    anonymous_roles: frozenset[str]
    media_nouns: frozenset[str]
    media_names: frozenset[str]
    government_nouns: frozenset[str]
    organisation_nouns: frozenset[str]
    statement_nouns: frozenset[str]
    generic_modifiers: frozenset[str]
    not_speakers: frozenset[str]
    attribution_objects: frozenset[str]

    @property
    def pronouns(self) -> frozenset[str]:
        return self.personal_pronouns | self.other_pronouns


@dataclass(frozen=True)
class KindTerms:
    """The casualty predicates of one figure kind (see ``casualty_terms.json``)."""

    kind: FigureKind
    active: frozenset[str]
    after: tuple[tuple[str, ...], ...]  # word sequences, longest first
    of_nouns: frozenset[str]
    count_nouns: frozenset[str]
    toll: frozenset[str]


@dataclass(frozen=True)
class Quantities:
    """Number words and qualifier rules (see ``quantities.json``)."""

    units: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    dozen: dict[str, int]
    vague: dict[tuple[str, ...], int]  # word sequence -> smallest value meant
    vague_need_of: frozenset[str]
    qualifiers: dict[tuple[str, ...], str]  # word sequence -> rule
    range_joiners: frozenset[str]
    not_before: frozenset[str]
    not_after: frozenset[str]


@lru_cache(maxsize=1)
def cue_lemmas() -> frozenset[str]:
    """Lemmas of the reporting verbs that open a claim."""
    return frozenset(read_lines("cues.txt"))


@lru_cache(maxsize=1)
def anonymity_markers() -> tuple[str, ...]:
    """Phrases that make the speakers of their sentence anonymous."""
    return tuple(read_lines("anonymous.txt"))


@lru_cache(maxsize=1)
def speaker_words() -> SpeakerWords:
    data = read_json("speakers.json")
    return SpeakerWords(**{key: frozenset(w.lower() for w in words) for key, words in data.items()})


@lru_cache(maxsize=1)
def casualty_terms() -> tuple[KindTerms, ...]:
    """Casualty predicates for every figure kind, in file order."""
    kinds = []
    for kind, terms in read_json("casualty_terms.json").items():
        if kind not in get_args(FigureKind):
            raise ValueError(f"casualty_terms.json: {kind!r} is not a figure kind {get_args(FigureKind)}")
        after = sorted((tuple(p.split()) for p in terms["after"]), key=len, reverse=True)
        kinds.append(
            KindTerms(
                kind=cast(FigureKind, kind),
                active=frozenset(terms["active"]),
                after=tuple(after),
                of_nouns=frozenset(terms["of_nouns"]),
                count_nouns=frozenset(terms["count_nouns"]),
                toll=frozenset(terms["toll"]),
            )
        )
    return tuple(kinds)


@lru_cache(maxsize=1)
def all_casualty_words() -> frozenset[str]:
    """Every single word that starts an 'after' form or is a count noun (stops a group phrase)."""
    words: set[str] = set()
    for terms in casualty_terms():
        words.update(phrase[0] for phrase in terms.after)
        words.update(terms.count_nouns)
    return frozenset(words)


@lru_cache(maxsize=1)
def quantities() -> Quantities:
    data = read_json("quantities.json")
    return Quantities(
        units=dict(data["units"]),
        tens=dict(data["tens"]),
        scales=dict(data["scales"]),
        dozen=dict(data["dozen"]),
        vague={tuple(k.split()): int(v) for k, v in data["vague"].items()},
        vague_need_of=frozenset(data["vague_need_of"]),
        qualifiers={tuple(k.split()): str(v) for k, v in data["qualifiers"].items()},
        range_joiners=frozenset(data["range_joiners"]),
        not_before=frozenset(data["not_before"]),
        not_after=frozenset(data["not_after"]),
    )


@lru_cache(maxsize=1)
def not_counted() -> frozenset[str]:
    """Lemmas of nouns that a casualty figure never counts."""
    return frozenset(read_lines("not_counted.txt"))


read_pattern_file = read_text
"""The text of a data file shipped in ``rashomon/extract/patterns`` (the name other components use)."""


@lru_cache(maxsize=1)
def load_weapons() -> dict[str, list[str]]:
    """Normalised weapon name -> aliases (the name included), from ``weapons.txt``."""
    weapons: dict[str, list[str]] = {}
    for line in read_pattern_file("weapons.txt").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, rest = line.partition(":")
        aliases = [a.strip() for a in rest.split(",") if a.strip()]
        weapons[name.strip()] = [name.strip(), *aliases]
    return weapons
