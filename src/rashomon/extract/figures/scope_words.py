"""The word lists of the figure scopes (``patterns/figure_scope.json``; see its ``_about``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rashomon.extract.text.lexicon import read_json


@dataclass(frozen=True)
class Words:
    """The word lists of ``patterns/figure_scope.json`` (see its ``_about``)."""

    earlier: frozenset[str]
    report: frozenset[str]
    rise: frozenset[str]
    modals: frozenset[str]
    projection: frozenset[str]
    part_leads: frozenset[str]
    part_heads: frozenset[str]
    addition: frozenset[str]
    sites: frozenset[str]
    body_nouns: frozenset[str]
    body_verbs: frozenset[str]
    total: frozenset[str]
    subgroups: frozenset[str]
    other_adjectives: frozenset[str]
    other_adverbs: frozenset[str]
    time_units: frozenset[str]
    events: frozenset[str]
    injury: frozenset[str]
    death: frozenset[str]


@lru_cache(maxsize=1)
def words() -> Words:
    data = read_json("figure_scope.json")
    s = {key: frozenset(value) for key, value in data.items()}
    return Words(
        earlier=s["earlier_words"], report=s["report_words"] | s["earlier_nouns"], rise=s["rise_verbs"],
        modals=s["modals"], projection=s["projection_words"], part_leads=s["part_leads"],
        part_heads=s["part_heads"], addition=s["addition_words"], sites=s["site_words"],
        body_nouns=s["body_nouns"], body_verbs=s["body_verbs"], total=s["total_words"],
        subgroups=s["subgroup_nouns"], other_adjectives=s["other_adjectives"], other_adverbs=s["other_adverbs"],
        time_units=s["time_units"], events=s["event_nouns"], injury=s["injury_words"], death=s["death_words"],
    )
