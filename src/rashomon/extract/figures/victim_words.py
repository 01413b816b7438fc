"""The word lists of the single-victim readers (:mod:`.victims`, :mod:`.victim_persons`,
:mod:`.victim_headlines`): the ``individual`` section of ``patterns/figure_context.json`` (its
``_about_individual`` says what each list is for)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rashomon.extract.text.lexicon import read_json


@dataclass(frozen=True)
class Words:
    """The ``individual`` word lists of ``patterns/figure_context.json``."""

    kill_verbs: frozenset[str]
    die_verbs: frozenset[str]
    injure_verbs: frozenset[str]
    hit_verbs: frozenset[str]
    fatal_adverbs: frozenset[str]
    dead_verbs: frozenset[str]
    carry_verbs: frozenset[str]
    hospital_nouns: frozenset[str]
    condition_words: frozenset[str]
    wound_nouns: frozenset[str]
    wound_verbs: frozenset[str]
    fatal_modifiers: frozenset[str]
    death_nouns: frozenset[str]
    body_nouns: frozenset[str]
    event_nouns: frozenset[str]
    person_nouns: frozenset[str]
    female_nouns: frozenset[str]
    male_nouns: frozenset[str]
    titles: frozenset[str]
    distinct_words: frozenset[str]
    irrealis_heads: frozenset[str]
    modals: frozenset[str]
    hedge_adverbs: frozenset[str]
    struck_verbs: frozenset[str]
    bullet_nouns: frozenset[str]
    hurt_words: frozenset[str]
    dead_words: frozenset[str]
    offender_nouns: frozenset[str]
    kin_nouns: dict[str, str]  # word -> the first word of its synonyms ("dad" -> "father")
    stay_verbs: frozenset[str]
    killed_compounds: frozenset[str]  # "homicide victim"
    shot_compounds: frozenset[str]  # "shooting victim"


@lru_cache(maxsize=1)
def words() -> Words:
    data = dict(read_json("figure_context.json")["individual"])
    compounds = data.pop("victim_compounds")
    kin = {word: group.split()[0] for group in data.pop("kin_nouns") for word in group.split()}
    lists = {key: frozenset(w.lower() for w in value) for key, value in data.items()}
    return Words(
        **lists, kin_nouns=kin, killed_compounds=frozenset(compounds["killed"]),
        shot_compounds=frozenset(compounds["weak"]),
    )
