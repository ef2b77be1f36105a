"""Pictures of the real screens on demo data at 80x24 and 160x48 (pytest-textual-snapshot).

Update the baselines with ``--snapshot-update`` only after looking at the new pictures.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from copilot_tui.app import CopilotApp, LaunchOptions
from copilot_tui.github.errors import ForbiddenError
from copilot_tui.scope import Scope
from copilot_tui.sources.demo import DemoSource
from copilot_tui.ui.periods import PeriodChoice
from tests.ui.conftest import settle, until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


class RefusingSource(DemoSource):
    """The demo, except that octo-labs refuses as GitHub does when the metrics policy is off or the role lacks."""

    REFUSED = Scope("org", "octo-labs")
    MESSAGE = (
        "GitHub refused the Copilot metrics of octo-labs (403): either your account lacks the owner role or the "
        '"View Organization Copilot Metrics" permission, or the "Copilot usage metrics" policy is off (an owner '
        "enables it under Organization settings > Copilot > Policies)."
    )

    async def load(self, scope: Scope, **kw: Any) -> Any:
        if scope == self.REFUSED:
            raise ForbiddenError(self.MESSAGE, status=403)
        return await super().load(scope, **kw)


def demo(org: str = "octo-labs") -> CopilotApp:
    return CopilotApp(LaunchOptions(demo=True, org=org))


def after(*keys: str) -> Any:
    async def run(pilot: Pilot[Any]) -> None:
        pilot.app.animation_level = "none"
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot, view=False)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_dashboard(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(demo(), terminal_size=size, run_before=after())


@pytest.mark.parametrize("size", SIZES)
def test_adoption_tab(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(demo(), terminal_size=size, run_before=after("a"))


@pytest.mark.parametrize("size", SIZES)
def test_breakdowns_tab(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(demo(), terminal_size=size, run_before=after("b"))


@pytest.mark.parametrize("size", SIZES)
def test_user_detail(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(demo(), terminal_size=size, run_before=after("enter"))


@pytest.mark.parametrize("size", SIZES)
def test_trends(snap_compare: Any, size: tuple[int, int]) -> None:
    """Daily users of the period and, in grey, of the previous period on the same days; the figure list."""
    assert snap_compare(demo(), terminal_size=size, run_before=after("h"))


@pytest.mark.parametrize("size", SIZES)
def test_trends_by_week(snap_compare: Any, size: tuple[int, int]) -> None:
    """A 119-day period charted by week: interactions as a mean a day of each week."""

    async def run(pilot: Pilot[Any]) -> None:
        pilot.app.animation_level = "none"
        await settle(pilot)
        pilot.app._dashboard().show_period(PeriodChoice.last(119))  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot, view=False)  # the distinct-user figures counted: the list as it stays
        await pilot.press(*["down"] * 18)
        await settle(pilot, view=False)

    assert snap_compare(demo(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_org_picker(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(demo(), terminal_size=size, run_before=after("o", "l", "a", "b"))


@pytest.mark.parametrize("size", SIZES)
def test_period_picker(snap_compare: Any, size: tuple[int, int]) -> None:
    """Presets with their dates, quarters and months the demo holds, the field for a typed range."""
    assert snap_compare(demo(), terminal_size=size, run_before=after("p"))


@pytest.mark.parametrize("size", SIZES)
def test_glossary(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(demo(), terminal_size=size, run_before=after("g"))


@pytest.mark.parametrize("size", SIZES)
def test_glossary_found(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(demo(), terminal_size=size, run_before=after("g", "slash", *"rate"))


@pytest.mark.parametrize("size", SIZES)
def test_column_picker(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(demo(), terminal_size=size, run_before=after("c", "down", "down", "space", "down", "K"))


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(demo(), terminal_size=size, run_before=after("question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_error_state(snap_compare: Any, size: tuple[int, int]) -> None:
    app = CopilotApp(LaunchOptions(demo=True, org="octo-garage"), source=RefusingSource())
    assert snap_compare(app, terminal_size=size, run_before=after("right_square_bracket"))


@pytest.mark.parametrize("size", SIZES)
def test_sign_in(snap_compare: Any, size: tuple[int, int], memory_keyring: Any) -> None:
    app = CopilotApp(LaunchOptions(api_url="http://127.0.0.1:9"))

    async def typed(pilot: Pilot[Any]) -> None:
        await settle(pilot, view=False)
        await pilot.press(*"ghp_example")
        await until(pilot, lambda: pilot.app.screen.query_one("#token", Input).value == "ghp_example", "the token")

    assert snap_compare(app, terminal_size=size, run_before=typed)
