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
