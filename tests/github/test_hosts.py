"""Which API base URL a host maps to, and the same-origin rule that keeps the token on the API host."""

from __future__ import annotations

import pytest

from copilot_tui.github.hosts import api_url_for_host, resolve_api_url, same_origin


@pytest.mark.parametrize(
    ("host", "url"),
    [
        (None, "https://api.github.com"),
        ("github.com", "https://api.github.com"),
        ("GitHub.com", "https://api.github.com"),
        ("https://github.com/", "https://api.github.com"),
        ("octo.ghe.com", "https://api.octo.ghe.com"),
        ("api.octo.ghe.com", "https://api.octo.ghe.com"),
        ("git.example.com", "https://git.example.com/api/v3"),
    ],
)
def test_api_url_for_host(host: str | None, url: str) -> None:
    assert api_url_for_host(host) == url


def test_explicit_url_beats_environment_beats_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COPILOT_TUI_API_URL", raising=False)
    assert resolve_api_url("octo.ghe.com") == "https://api.octo.ghe.com"
    monkeypatch.setenv("COPILOT_TUI_API_URL", "http://127.0.0.1:9/")
    assert resolve_api_url("octo.ghe.com") == "http://127.0.0.1:9"
    assert resolve_api_url("octo.ghe.com", "http://127.0.0.1:8") == "http://127.0.0.1:8"


def test_same_origin_needs_scheme_host_and_port() -> None:
    assert same_origin("https://api.github.com/user", "https://api.github.com:443")
    assert not same_origin("https://api.github.com", "http://api.github.com")
    assert not same_origin("http://127.0.0.1:8000/x", "http://127.0.0.1:8001/x")
    assert not same_origin("https://api.github.com", "https://copilot-reports.github.com")
