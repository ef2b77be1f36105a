"""The settings: flags > environment > config file > defaults, each value's origin; the config file (read, never
written, checked with its line); ``copilot-tui config``; the remembered state."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from copilot_tui import cli, locations
from copilot_tui.config import EXAMPLE, ConfigError, State, load_state, parse_config, save_state
from copilot_tui.settings import FIELDS, FILE_KEYS, Settings, SettingsError, resolve_settings

DEFAULTS = {name: FIELDS[name].default for name in FILE_KEYS}
ROOT = Path(__file__).resolve().parents[2]


def settings_from(tmp_path: Path, text: str | None, env: dict[str, str] | None = None, **flags: object) -> Settings:
    path = tmp_path / "config.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    return resolve_settings(flags, environ=env or {}, config_path=path)


def test_a_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, None)
    assert settings == Settings()
    assert settings.config_error is None
    assert {settings.origin(name) for name in FIELDS} == {"default"}


def test_every_setting_is_read_with_its_line(tmp_path: Path) -> None:
    settings = settings_from(
        tmp_path,
        'hostname = "acme.ghe.com"\ndefault_org = "two"\norgs = ["one", "two", "one"]\n'
        'enterprises = ["big"]\ntheme = "nord"\napi_url = "https://ghes.example/api/v3"\n',
    )
    assert (settings.hostname, settings.default_org, settings.orgs, settings.enterprises, settings.theme) == (
        "acme.ghe.com",
        "two",
        ("one", "two"),
        ("big",),
        "nord",
    )
    assert settings.resolved_api_url == "https://ghes.example/api/v3"
    assert settings.origin("orgs") == "config file, line 3"
    assert settings.origin("api_url") == "config file, line 6"


def test_flags_beat_the_environment_which_beats_the_file(tmp_path: Path) -> None:
    text = 'hostname = "file.ghe.com"\ntheme = "nord"\norgs = ["a"]\n'
    env = {"COPILOT_TUI_HOSTNAME": "env.ghe.com", "COPILOT_TUI_ORGS": "x, y,x", "COPILOT_TUI_API_URL": ""}
    settings = settings_from(tmp_path, text, env, hostname="Flag.GHE.com", org="o")
    assert settings.hostname == "flag.ghe.com"
    assert settings.origin("hostname") == "command line --hostname"
    assert settings.orgs == ("x", "y") and settings.origin("orgs") == "environment COPILOT_TUI_ORGS"
    assert settings.theme == "nord" and settings.origin("theme") == "config file, line 2"
    assert settings.api_url is None and settings.origin("api_url") == "default"
    assert settings.store_key == "flag.ghe.com"
    assert settings.resolved_api_url == "https://api.flag.ghe.com"


def test_the_config_file_hostname_reaches_the_store_and_the_api(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, 'hostname = "acme.ghe.com"\n')
    assert settings.store_key == "acme.ghe.com"
    assert settings.resolved_api_url == "https://api.acme.ghe.com"


def test_contradicting_flags_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="--org and --enterprise"):
        settings_from(tmp_path, None, org="a", enterprise="b")
    with pytest.raises(SettingsError, match="--demo and --offline"):
        settings_from(tmp_path, None, demo=True, offline=True)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('hostname = "x"\norgs = [1, 2]\n', 2, "list of names"),
        ("\n\ntheme = 3\n", 3, "string"),
        ('orgs = []\ncolour = "red"\n', 2, "unknown setting 'colour'"),
        ('hostname = "x"\norgs = ["a"\n', 2, "not valid TOML"),
        ('hostname = "x"\n\nhostname = "y"\n', 3, "not valid TOML"),
        ('org = "x"\n', 1, "unknown setting 'org'"),
    ],
)
def test_a_broken_file_names_the_file_and_the_line(text: str, line: int, words: str) -> None:
    path = Path("/somewhere/config.toml")
    with pytest.raises(ConfigError) as caught:
        parse_config(text, path, DEFAULTS)
    message = str(caught.value)
    assert message.startswith(f"{path}, line {line}: ")
    assert words in message
    assert caught.value.line == line


def test_a_broken_file_leaves_the_defaults_and_keeps_the_error(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, 'hostname = "acme.ghe.com"\norgs = [1]\n')
    assert settings.hostname == "github.com"
    assert settings.config_error is not None and settings.config_error.line == 2


def test_the_readme_example_is_the_config_example_and_reads_cleanly(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    assert "```toml\n" + EXAMPLE + "```" in readme
    settings = settings_from(tmp_path, EXAMPLE)
    assert settings.config_error is None and settings.default_org == "my-org"


def test_the_readme_lists_every_config_key_and_variable() -> None:
    section = (ROOT / "README.md").read_text().split("## Configuration", 1)[1].split("\n## ", 1)[0]
    for name in FILE_KEYS:
        assert re.search(rf"`{name}`", section), name
        assert f"COPILOT_TUI_{name.upper()}" in section, name


def test_config_command_prints_path_values_and_origins(
    app_dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("COPILOT_TUI_API_URL", raising=False)
    monkeypatch.setenv("COPILOT_TUI_THEME", "nord")
    locations.config_file().write_text('hostname = "acme.ghe.com"\n', encoding="utf-8")
    assert cli.main(["config", "--org", "octo"]) == 0
    out = capsys.readouterr().out
    assert str(locations.config_file()) in out
    assert re.search(r"hostname\s+acme\.ghe\.com\s+config file, line 1", out)
    assert re.search(r"theme\s+nord\s+environment COPILOT_TUI_THEME", out)
    assert re.search(r"org\s+octo\s+command line --org", out)
    assert "https://api.acme.ghe.com" in out and "valid" in out


def test_config_command_and_headless_commands_name_a_broken_file(
    app_dirs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    locations.config_file().write_text('hostname = "x"\ntheme = 3\n', encoding="utf-8")
    assert cli.main(["config"]) == 1
    err = capsys.readouterr().err
    assert f"{locations.config_file()}, line 2: theme must be" in err
    assert cli.main(["sync", "--org", "octo"]) == 2
    err = capsys.readouterr().err
    assert f"{locations.config_file()}, line 2" in err and "copilot-tui config" in err


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


def test_the_readme_settings_table_is_generated_from_the_settings() -> None:
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from readme_metrics import settings_table

    assert settings_table() in (ROOT / "README.md").read_text()


def test_seat_prices_come_from_the_file_or_the_environment_and_must_be_numbers(tmp_path: Path) -> None:
    assert Settings().seat_prices == {"business": 19.0, "enterprise": 39.0}
    settings = settings_from(tmp_path, "seat_price_business = 21.5\n", {"COPILOT_TUI_SEAT_PRICE_ENTERPRISE": "40"})
    assert settings.seat_prices == {"business": 21.5, "enterprise": 40.0}
    assert settings.origin("seat_price_business") == "config file, line 1"
    for text in ('seat_price_business = "19"\n', "seat_price_business = -1\n", "seat_price_business = true\n"):
        with pytest.raises(ConfigError, match="number of 0 or more"):
            parse_config(text, Path("/c.toml"), DEFAULTS)
    with pytest.raises(SettingsError, match="COPILOT_TUI_SEAT_PRICE_BUSINESS"):
        settings_from(tmp_path, None, {"COPILOT_TUI_SEAT_PRICE_BUSINESS": "lots"})


def test_config_command_without_a_file_says_where_it_goes_and_how_to_start_one(
    app_dirs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from copilot_tui.commands.config import STARTER

    path = locations.config_file()
    assert not path.exists()
    assert cli.main(["config"]) == 0
    out = capsys.readouterr().out
    assert f"Config file: {path} (not there" in out
    assert f"To start one, create {path} (TOML), for example:" in out
    shown = [line[4:] for line in out.splitlines() if line.startswith("    ")]
    assert "\n".join(shown) + "\n" == STARTER
    # the example is a file the app takes as it is, and every key it mentions (set or commented) is one it knows
    path.write_text(STARTER, encoding="utf-8")
    assert cli.main(["config"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"default_org\s+my-org\s+config file, line 2", out) and "The config file is valid." in out
    mentioned = re.findall(r"^#? ?([a-z_]+) = ", STARTER, re.MULTILINE)
    assert mentioned and set(mentioned) <= set(FILE_KEYS)
