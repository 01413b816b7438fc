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


@dataclass(frozen=True)
class ExtractSettings:
    batch_size: int = 32
    commit_every: int = 64


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
class StoreSettings:
    default_db: str = "rashomon.sqlite"


@dataclass(frozen=True)
class Settings:
    ingest: IngestSettings = field(default_factory=IngestSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    reuse: ReuseSettings = field(default_factory=ReuseSettings)
    reconcile: ReconcileSettings = field(default_factory=ReconcileSettings)
    store: StoreSettings = field(default_factory=StoreSettings)


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
        kwargs[name] = _build(type(nested), value, name) if is_dataclass(nested) else value
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
