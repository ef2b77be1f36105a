"""Hidden names (n, --anonymize): no real login or team name anywhere on screen (every tab, the team chip, the user
detail, the problems and trends views, the palette, the notices, a crash), drill-down and filtering still work, and
the exports, from the app and from ``copilot-tui export --anonymize``, name nobody and agree byte for byte."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette

from copilot_tui.metrics.demo import DemoDataset, DemoOrg
from copilot_tui.pseudonyms import install_pseudonyms
from copilot_tui.ui.screens.problems import ProblemsScreen
from copilot_tui.ui.screens.trends import TrendsScreen
from copilot_tui.ui.screens.user_detail import UserDetailScreen
from copilot_tui.ui.widgets.seats import SeatsPane
from copilot_tui.ui.widgets.teams import TeamsPane
from copilot_tui.ui.widgets.users import UsersTable
from tests.crash_view import ForcedCrash
from tests.ui.conftest import dashboard, demo_app, notifications, settle, until
from tests.ui.test_app_token_crash import capture_crash_screen
from tests.ui.test_export_app import app_files, headless
from tests.ui.test_teams import app_on
from tests.ui.test_trends import screen_text

ENTERPRISE = "hive"


def small_enterprise() -> DemoDataset:
    return DemoDataset(
        orgs=(DemoOrg("ant", "3001", 40, 5), DemoOrg("bee", "3002", 30, 5)), days=30, enterprise=ENTERPRISE
    )


def real_names(dataset: DemoDataset, orgs: list[Any] | None = None) -> tuple[set[str], set[str]]:
    """Every login of the orgs' people and every team slug, from the demo's own lists."""
    orgs = orgs if orgs is not None else list(dataset.orgs)
    logins = {p.login.lower() for org in orgs for p in dataset.personas(org)}
    slugs = {slug.lower() for org in orgs for _, slug in dataset.team_slugs(org)}
    return logins, slugs


def named(text: str, logins: set[str], slugs: set[str] = frozenset()) -> set[str]:  # type: ignore[assignment]
    """The real names standing in ``text`` as whole words (a slug only as a team's name: after ``/``, or alone in a
    cell)."""
    tokens = {t.lower() for t in re.findall(r"[A-Za-z0-9][A-Za-z0-9_.-]*", text)}
    teams = {t.lower() for t in re.findall(r"/([A-Za-z0-9][A-Za-z0-9_.-]*)", text)}
    return (tokens & logins) | (teams & slugs)


async def look(pilot: Any, where: str, logins: set[str], slugs: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    await settle(pilot, view=False)
    text = screen_text(pilot.app)
    assert not named(text, logins, slugs), (where, named(text, logins, slugs))
    return text


async def test_n_leaves_no_real_name_on_any_screen_and_drill_down_still_works() -> None:
    dataset = small_enterprise()
    logins, slugs = real_names(dataset)
    app = app_on(dataset, enterprise=ENTERPRISE)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        dash = dashboard(app)
        table = dash.query_one(UsersTable)
        assert named(screen_text(app), logins), "the real names show before n"
        await pilot.press("n")
        names = app.names
        assert names is not None
        text = await look(pilot, "users", logins)
        assert "names hidden" in text and names.user(table.row_at(0).user_login) in text
        for key in ("a", "b", "t", "V", "O", "l", "v", "v"):
            await pilot.press(key)
            await look(pilot, f"after {key}", logins, slugs)
        teams = dash.query_one(TeamsPane).table
        assert {teams._cell("name", i) for i in teams.shown_indices} >= {
            f"{org.login}/{names.team(slug)}" for org in dataset.orgs for _, slug in dataset.team_slugs(org)[:1]
        }
        await pilot.press("t", "enter")  # a team's users under its chip
        text = await look(pilot, "team chip", logins, slugs)
        assert "team: " in text
        await pilot.press("x", "u")
        await look(pilot, "users again", logins)
        # Enter opens the pseudonymous row's own user, pseudonymous
        chosen = table.row_at(table.cursor_index or 0)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, UserDetailScreen), "the user's detail")
        detail = app.screen
        assert isinstance(detail, UserDetailScreen) and detail.user.user_id == chosen.user_id
        text = await look(pilot, "detail", logins)
        assert names.user(chosen.user_login) in text and f"id {chosen.user_id}" not in text
        await pilot.press("escape", "w")
        await until(pilot, lambda: isinstance(app.screen, ProblemsScreen), "the problems view")
        await look(pilot, "problems", logins)
        await pilot.press("escape", "h")
        await until(pilot, lambda: isinstance(app.screen, TrendsScreen), "the trends")
        await look(pilot, "trends", logins)
        await pilot.press("escape")
        await settle(pilot)
        # typing finds a pseudonym, and a real login finds nobody
        pseudonym = names.user(chosen.user_login)
        await pilot.press("slash", *pseudonym[:10])
        await until(pilot, lambda: table.shown_count >= 1, "the filtered row")
        assert chosen.user_id in {table.row_at(i).user_id for i in table.shown_indices}
        await pilot.press("escape", "slash", *chosen.user_login[:10])
        await until(pilot, lambda: table.filter_text == chosen.user_login[:10], "the typed login")
        assert all(not names.user(table.row_at(i).user_login).startswith(chosen.user_login[:10])
                   for i in table.shown_indices)  # fmt: skip
        await pilot.press("escape", "escape")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"Open user")
        await settle(pilot, view=False)
        await look(pilot, "palette", logins)
        await pilot.press("escape")
        await settle(pilot, view=False)
        for said in notifications(app):
            assert not named(said, logins, slugs), said
        await pilot.press("n")  # and back
        await settle(pilot)
        assert app.names is None and named(screen_text(app), logins)


async def test_seat_without_activity_is_named_by_its_pseudonym(monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = small_enterprise()
    logins, _ = real_names(dataset)
    app = app_on(dataset, enterprise=ENTERPRISE, anonymize=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("l", "v")  # the seat holders never in the reports
        await settle(pilot, view=False)
        seats = dashboard(app).query_one(SeatsPane)
        assert seats.rows, "the demo holds seats never used"
        held = seats.table.row_at(seats.table.cursor_index or 0)
        await pilot.press("enter")
        await until(pilot, lambda: any("holds a seat" in n for n in notifications(app)), "the notice")
        assert app.names is not None
        notice = next(n for n in notifications(app) if "holds a seat" in n)
        assert app.names.user(held.login) in notice and not named(notice, logins)


async def test_a_crash_while_names_are_hidden_shows_no_name(monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = small_enterprise()
    logins, _ = real_names(dataset)
    app = app_on(dataset, enterprise=ENTERPRISE, anonymize=True)
    crash_screen = capture_crash_screen(app, monkeypatch)

    def crash(self: Any, user: Any) -> None:
        raise ForcedCrash(f"planted while opening {user.user_login}")

    monkeypatch.setattr("copilot_tui.ui.screens.dashboard.DashboardScreen.open_user", crash)
    with pytest.raises(ForcedCrash):
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("enter")
            await pilot.pause()
    assert len(crash_screen) == 1 and "ForcedCrash" in crash_screen[0] and "user-" in crash_screen[0]
    assert not named(crash_screen[0], logins)


async def test_app_and_export_write_the_same_pseudonyms_and_no_real_login(app_dirs: dict[str, Path]) -> None:
    dataset = DemoDataset()
    org = dataset.org("octo-labs")
    assert org is not None
    logins, slugs = real_names(dataset, [org])
    app = demo_app(org="octo-labs", anonymize=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        files = await app_files(app, pilot, ("users", "teams", "seats", "reclaim"))
    names = install_pseudonyms()  # the install's key, as the app and the command read it
    for (what, fmt), content in files.items():
        extra = ("--inactive", "30") if what == "seats" else ()
        printed = headless("--demo", "--org", "octo-labs", "--what", what, "--format", fmt, "--anonymize", *extra)
        assert printed == content, (what, fmt)
        text = content.decode()
        assert not named(text, logins), (what, fmt, named(text, logins))
        assert not {t.lower() for t in re.findall(r"[A-Za-z0-9][A-Za-z0-9_.-]*", text)} & slugs - {"(no team)"}
    users = json.loads(files[("users", "json")])["users"]
    assert users and all(u["user_id"] is None for u in users)
    assert {u["user_login"] for u in users} <= {names.user(login) for login in logins}
    assert [u["user_login"] for u in users] == sorted(u["user_login"] for u in users)
    plain = json.loads(headless("--demo", "--org", "octo-labs", "--what", "users"))["users"]
    assert sorted(names.user(u["user_login"]) for u in plain) == [u["user_login"] for u in users]
