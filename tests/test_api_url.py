"""A bad API URL is one sentence and exit 2 before anything starts: for the app and every subcommand."""

from __future__ import annotations

from pathlib import Path

import pytest

from copilot_tui import cli
from copilot_tui.settings import resolve_settings

COMMANDS = [
    [],
    ["sync", "--org", "o"],
    ["export", "--org", "o"],
    ["auth", "status"],
    ["auth", "login"],
    ["auth", "logout"],
    ["cache", "clear", "--all"],
]
BAD = {
    "http://127.0.0.1:99999": "has a port out of range: use a port from 1 to 65535.",
    "ftp://api.example.com": "has the scheme 'ftp': write it as https://HOST",
    "https://": "names no host",
    "http://api.example.com": "is plain http to another machine",
    "https://user:pw@api.example.com": "was given with a user name or password",
}


@pytest.fixture(autouse=True)
def _nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CONFIG", "DATA", "LOG"):
        monkeypatch.setenv(f"COPILOT_TUI_{name}_DIR", f"{tmp_path}/{name.lower()}")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "app")
@pytest.mark.parametrize("url", list(BAD))
def test_a_bad_api_url_is_one_sentence_and_exit_2(
    command: list[str], url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COPILOT_TUI_API_URL", raising=False)
    assert cli.main(["--api-url", url, *command]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("copilot-tui: --api-url ") and BAD[url] in err
    assert err.count("\n") == 1 and "pw" not in err


@pytest.mark.parametrize("command", COMMANDS[:3], ids=lambda c: " ".join(c) or "app")
def test_the_environment_variable_is_named_when_it_is_the_bad_one(
    command: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COPILOT_TUI_API_URL", "http://127.0.0.1:99999")
    assert cli.main(command) == 2
    assert capsys.readouterr().err.startswith("copilot-tui: COPILOT_TUI_API_URL 'http://127.0.0.1:99999' has a port")


def test_a_bad_hostname_is_caught_the_same_way(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("COPILOT_TUI_API_URL", raising=False)
    assert cli.main(["--hostname", "ghe.example.com:99999", "sync", "--org", "o"]) == 2
    assert capsys.readouterr().err.startswith(
        "copilot-tui: hostname 'ghe.example.com:99999' (command line --hostname): The API URL "
        "'https://ghe.example.com:99999/api/v3' has a port out of range"
    )


def test_a_bad_api_url_in_the_config_file_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COPILOT_TUI_API_URL", raising=False)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text('theme = "nord"\napi_url = "http://api.example.com"\n')
    assert cli.main(["sync", "--org", "o"]) == 2
    assert capsys.readouterr().err.startswith("copilot-tui: api_url (config file, line 2) 'http://api.example.com'")


def test_loopback_http_and_https_elsewhere_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    parser = cli.build_parser()
    for url in ("http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:2", "https://ghe.example.com/api/v3"):
        settings = resolve_settings(parser.parse_args(["--api-url", url]), environ={})
        assert settings.api_url == url
