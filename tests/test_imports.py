"""What the app's start-up imports: heavy modules that the first paint does not need stay out."""

from __future__ import annotations

import subprocess
import sys

import pytest


def imported_after(statement: str) -> set[str]:
    code = f"{statement}\nimport sys\nprint('\\n'.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_starting_the_app_does_not_import_the_http_client() -> None:
    modules = imported_after("import copilot_tui.app")
    assert "copilot_tui.app" in modules
    assert "httpx" not in modules
    assert "copilot_tui.github.client" not in modules


def test_starting_the_app_does_not_import_numpy() -> None:
    """numpy sorts large users tables; importing it costs about 0.1 s, which a start-up never pays."""
    modules = imported_after("import copilot_tui.app, copilot_tui.sources.factory, copilot_tui.ui.widgets.user_table")
    assert "copilot_tui.ui.widgets.user_table" in modules
    assert "numpy" not in modules


@pytest.mark.parametrize("name", ["GitHubClient", "GitHubError", "api_url_for_host"])
def test_the_github_package_still_hands_out_every_name(name: str) -> None:
    import copilot_tui.github as github

    assert name in github.__all__
    assert getattr(github, name).__name__ == name


def test_an_unknown_name_is_an_attribute_error() -> None:
    import copilot_tui.github as github

    with pytest.raises(AttributeError, match="NoSuchThing"):
        github.NoSuchThing  # noqa: B018
