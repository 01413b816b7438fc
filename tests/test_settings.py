from pathlib import Path

import pytest

from rashomon.settings import Settings, default_toml, load_settings


def test_defaults_file_matches_dataclass_defaults():
    # default.toml is the documented source of truth; the dataclasses must not drift from it.
    assert load_settings() == Settings()


def test_every_default_key_is_commented():
    text = (Path(__file__).resolve().parents[1] / "src/rashomon/default.toml").read_text()
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if "=" in line and not line.lstrip().startswith("#"):
            has_comment = "#" in line or (i > 0 and lines[i - 1].lstrip().startswith("#"))
            assert has_comment, f"setting without a comment: {line}"


def test_user_file_overrides(tmp_path):
    cfg = tmp_path / "mine.toml"
    cfg.write_text("[cluster]\nwindow_days = 9\n")
    s = load_settings(cfg)
    assert s.cluster.window_days == 9
    assert s.cluster.link_threshold == default_toml()["cluster"]["link_threshold"]


def test_unknown_key_is_an_error(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[cluster]\nwindow_dayz = 9\n")
    with pytest.raises(ValueError, match="window_dayz"):
        load_settings(cfg)


REPORT = ("Gunmen attack a cattle market outside a river town\n\n"
          "Armed men opened fire on traders at a cattle market on Sunday, killing four people, the district "
          "police chief said. The attackers fled on motorbikes after the shooting.")


def test_a_component_key_in_a_user_file_reaches_the_component(tmp_path):
    """``[extract.event_type] min_score`` from a user file reaches ``rashomon_event_type`` through
    ``nlp.add_pipe(config=...)``: with a score no article reaches, the type is gone."""
    import datetime as dt

    from rashomon.extract.nlp import build_nlp, process

    cfg = tmp_path / "mine.toml"
    cfg.write_text("[extract.event_type]\nmin_score = 1000.0\n")
    strict = load_settings(cfg).extract
    assert strict.event_type.min_score == 1000.0
    assert strict.event_type.title_weight == default_toml()["extract"]["event_type"]["title_weight"]

    def event_type(settings):
        nlp = build_nlp(components=["rashomon_event_type"], settings=settings)
        assert nlp.get_pipe("rashomon_event_type").min_score == settings.event_type.min_score
        doc = next(process(nlp, [("a1", REPORT, dt.date(2025, 5, 4))]))
        return doc._.event_type

    assert event_type(load_settings().extract) is not None
    assert event_type(strict) is None


def test_parse_mode_is_a_setting_and_the_environment_overrides_it(tmp_path, monkeypatch):
    from rashomon.extract.nlp import PARSE_ENV, default_parse_mode

    cfg = tmp_path / "full.toml"
    cfg.write_text('[extract]\nparse = "full"\n')
    monkeypatch.delenv(PARSE_ENV, raising=False)
    assert default_parse_mode(load_settings().extract.parse) == "selective"
    assert default_parse_mode(load_settings(cfg).extract.parse) == "full"
    monkeypatch.setenv(PARSE_ENV, "selective")
    assert default_parse_mode(load_settings(cfg).extract.parse) == "selective"
    bad = tmp_path / "bad.toml"
    bad.write_text('[extract]\nparse = "some"\n')
    with pytest.raises(ValueError, match="parse"):
        load_settings(bad)


def test_an_unknown_component_key_is_an_error(tmp_path):
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[extract.figures]\nmax_gapp = 3\n")
    with pytest.raises(ValueError, match=r"extract\.figures.*max_gapp"):
        load_settings(cfg)
