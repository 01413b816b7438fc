"""One Settings object. Defaults live in ``default.toml`` (every key commented there);
a user TOML file overrides any subset of them."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, is_dataclass
from importlib import resources
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class IngestSettings:
    max_bytes: int = 50_000_000
    max_text_chars: int = 2_000_000
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class DatesSettings:
    labels: tuple[str, ...] = ("DATE",)
    use_extra_patterns: bool = True
    lookback_days: int = 30


@dataclass(frozen=True)
class PlacesSettings:
    cues: tuple[str, ...] = (
        "in", "near", "outside", "at", "from", "around", "across", "into", "inside", "towards",
        "toward", "along", "throughout", "through", "nearby", "shelled", "bombed", "attacked",
        "struck", "hit", "raided", "stormed", "captured", "seized", "besieged", "entered", "targeted",
        "recaptured", "overran",
    )
    violence: tuple[str, ...] = (
        "kill", "killed", "killing", "attack", "attacked", "strike", "struck", "airstrike",
        "airstrikes", "clash", "clashes", "shoot", "shot", "shooting", "gunfire", "shell", "shelling",
        "bomb", "bombing", "bombed", "explosion", "explode", "blast", "fighting", "fight", "raid",
        "ambush", "assault", "gunman", "gunmen", "wound", "wounded", "injure", "injured", "dead",
        "die", "died", "massacre", "behead", "kidnap", "abduct", "execute", "detonate", "rocket",
        "missile", "mortar", "drone", "artillery", "offensive", "battle", "skirmish", "firefight",
        "casualty", "casualties", "stab", "stabbing", "riot", "target", "targeted", "fire", "fired",
        "violence", "murder", "murdered",
    )
    speech: tuple[str, ...] = (
        "say", "said", "says", "tell", "told", "announce", "accuse", "deny", "claim", "warn", "insist",
        "condemn", "urge", "demand", "threaten", "respond", "reply", "reject", "confirm", "blame",
        "vow", "pledge", "agree", "refuse", "call", "criticise", "criticize", "welcome", "dismiss",
        "acknowledge", "describe", "described", "accused", "denied", "admit", "admitted", "announced",
        "warned", "claimed",
    )
    actor_suffixes: tuple[str, ...] = (
        "-led", "-backed", "-allied", "-aligned", "-supported", "-sponsored", "-run",
    )
    origin_suffixes: tuple[str, ...] = (
        "-based", "-born", "-headquartered",
    )
    fuzzy: bool = True


@dataclass(frozen=True)
class ActorsSettings:
    entity_labels: tuple[str, ...] = ("ORG", "NORP", "GPE")
    max_camp_actors: int = 12
    lead_sentences: int = 3


@dataclass(frozen=True)
class ClaimsSettings:
    resolve_pronouns: bool = True
    link_definite_roles: bool = True


@dataclass(frozen=True)
class FiguresSettings:
    max_group_tokens: int = 8
    max_gap: int = 4


@dataclass(frozen=True)
class EventTypeSettings:
    title_weight: float = 2.0
    lead_sentences: int = 3
    body_weight: float = 0.25
    min_score: float = 2.0
    min_lead_words: int = 6
    max_evidence: int = 8


@dataclass(frozen=True)
class FramingSettings:
    categories: tuple[str, ...] = ()
    skip_metadata_lines: bool = True


PARSE_MODES = ("selective", "full")
"""``extract.parse``: parse only the sentences a component needs, or every sentence."""


@dataclass(frozen=True)
class ExtractSettings:
    batch_size: int = 32
    commit_every: int = 64
    parse: str = "selective"
    chunk_chars: int = 200_000
    extra_pipes: tuple[str, ...] = ()
    dates: DatesSettings = field(default_factory=DatesSettings)
    places: PlacesSettings = field(default_factory=PlacesSettings)
    actors: ActorsSettings = field(default_factory=ActorsSettings)
    claims: ClaimsSettings = field(default_factory=ClaimsSettings)
    figures: FiguresSettings = field(default_factory=FiguresSettings)
    event_type: EventTypeSettings = field(default_factory=EventTypeSettings)
    framing: FramingSettings = field(default_factory=FramingSettings)

    def __post_init__(self) -> None:
        if self.parse not in PARSE_MODES:
            raise ValueError(f"extract.parse = {self.parse!r}: expected one of {', '.join(PARSE_MODES)}")

    def pipe_config(self, component: str) -> dict[str, Any]:
        """The ``config`` of ``nlp.add_pipe(component, config=...)``: the ``[extract.<name>]`` table
        of component ``rashomon_<name>`` (lists as lists); ``{}`` for a pipe without settings."""
        table = getattr(self, component.removeprefix("rashomon_"), None) if component.startswith("rashomon_") else None
        if not is_dataclass(table):
            return {}
        return {f.name: _plain(getattr(table, f.name)) for f in fields(table)}


def component_defaults(component: str) -> dict[str, Any]:
    """The default settings of component ``rashomon_<name>`` (its factory's ``default_config``)."""
    return ExtractSettings().pipe_config(component)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


@dataclass(frozen=True)
class ClusterSettings:
    window_days: int = 4
    max_distance_km: float = 60.0
    link_threshold: float = 0.45
    weight_text: float = 0.45
    weight_place: float = 0.25
    weight_date: float = 0.15
    weight_actors: float = 0.15
    text_only_threshold: float = 0.6
    follow_up_days: int = 30
    weight_names: float = 0.35


@dataclass(frozen=True)
class ReuseSettings:
    shingle_words: int = 3
    num_perm: int = 128
    lsh_threshold: float = 0.3
    min_passage_chars: int = 60
    republication_share: float = 0.8
    rewrite_share: float = 0.15
    sentence_similarity: float = 85


@dataclass(frozen=True)
class ReconcileSettings:
    best_rule: str = "median"
    tolerance: float = 0.0


@dataclass(frozen=True)
class ReviewSettings:
    user: str = ""
    tokens: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    ingest: IngestSettings = field(default_factory=IngestSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    reuse: ReuseSettings = field(default_factory=ReuseSettings)
    reconcile: ReconcileSettings = field(default_factory=ReconcileSettings)
    review: ReviewSettings = field(default_factory=ReviewSettings)


def _build(cls: type, data: dict[str, Any], where: str) -> Any:
    """Instantiate dataclass ``cls`` from a TOML table, refusing unknown keys."""
    known = {f.name: f for f in fields(cls)}
    unknown = set(data) - set(known)
    if unknown:
        raise ValueError(f"unknown setting(s) in [{where}]: {', '.join(sorted(unknown))}")
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        factory = known[name].default_factory
        nested = factory() if callable(factory) else None
        if is_dataclass(nested):
            kwargs[name] = _build(type(nested), value, f"{where}.{name}" if where != "root" else name)
        else:
            kwargs[name] = tuple(value) if isinstance(value, list) else value  # frozen: hashable
    return cls(**kwargs)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def default_toml() -> dict[str, Any]:
    return tomllib.loads(resources.files("rashomon").joinpath("default.toml").read_text("utf-8"))


def load_settings(path: str | Path | None = None) -> Settings:
    """Defaults from default.toml, overridden by the user file at ``path`` if given."""
    data = default_toml()
    if path is not None:
        data = _merge(data, tomllib.loads(Path(path).read_text("utf-8")))
    return _build(Settings, data, "root")
