"""The config file (read, never written) and the remembered state."""

from __future__ import annotations

from pathlib import Path

import pytest

from copilot_tui import locations
from copilot_tui.config import Config, ConfigError, State, load_config, load_state, parse_config, save_state


def test_a_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "nope.toml") == Config()


def test_every_setting_is_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        'hostname = "acme.ghe.com"\ndefault_org = "two"\norgs = ["one", "two", "one"]\n'
        'enterprises = ["big"]\ntheme = "nord"\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert (config.hostname, config.default_org, config.orgs, config.enterprises, config.theme) == (
        "acme.ghe.com",
        "two",
        ("one", "two"),
        ("big",),
        "nord",
    )


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('hostname = "x"\norgs = [1, 2]\n', 2, "list of names"),
        ("\n\ntheme = 3\n", 3, "string"),
        ('orgs = []\ncolour = "red"\n', 2, "unknown setting 'colour'"),
        ('hostname = "x"\norgs = ["a"\n', 2, "not valid TOML"),
        ('hostname = "x"\n\nhostname = "y"\n', 3, "not valid TOML"),
    ],
)
def test_a_broken_file_names_the_file_and_the_line(text: str, line: int, words: str) -> None:
    path = Path("/somewhere/config.toml")
    with pytest.raises(ConfigError) as caught:
        parse_config(text, path)
    message = str(caught.value)
    assert message.startswith(f"{path}, line {line}: ")
    assert words in message
    assert caught.value.line == line


def test_state_survives_a_round_trip_and_a_damaged_file_is_forgotten(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    assert load_state(path) == State()
    save_state(path, State(last_scope="enterprise:big", theme="nord", demo_scope="octo-labs"))
    assert load_state(path) == State(last_scope="enterprise:big", theme="nord", demo_scope="octo-labs")
    path.write_text("{not json", encoding="utf-8")
    assert load_state(path) == State()


def test_locations_follow_the_environment(app_dirs: dict[str, Path]) -> None:
    assert locations.config_file().parent == app_dirs["config"]
    assert locations.state_file().parent == app_dirs["data"]
    assert locations.log_file().parent == app_dirs["log"]
    assert locations.export_dir().parent == app_dirs["data"]
