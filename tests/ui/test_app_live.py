"""The app against the fake GitHub over real sockets: loading with progress, errors, rate limits, sign-in/out."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import keyring.backends.fail
import keyring.core
import pytest
from textual.widgets import DataTable, Input, Label, Static

from copilot_tui import auth
from copilot_tui.fakehub import MEMBER_TOKEN, OWNER_TOKEN, FakeGitHub
from copilot_tui.fakehub.server import TokenSpec, hostile_user_lines
from copilot_tui.github.client import GitHubClient
from copilot_tui.github.errors import GitHubError
from copilot_tui.github.hosts import token_host
from copilot_tui.metrics.derive import Period, summarize_users
from copilot_tui.scope import Scope
from copilot_tui.sources.demo import DemoSource
from copilot_tui.sources.planning import report_kinds
from copilot_tui.ui.screens.dashboard import DashboardScreen
from copilot_tui.ui.screens.problems import ProblemsScreen
from copilot_tui.ui.screens.sign_in import SignInScreen
from copilot_tui.ui.widgets.status import ErrorLine, ProblemsLine, StatusBar
from copilot_tui.ui.widgets.users import UsersTable
from tests.ui.conftest import MemoryKeyring, dashboard, live_app, notifications, settle, until

CLASS_NAME = re.compile(r"\b[A-Za-z]*(?:Error|Exception)\b")

GARAGE = Scope("org", "octo-garage")
LABS = Scope("org", "octo-labs")


@pytest.fixture
def owner_env(monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", OWNER_TOKEN)


def record_activity(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    original = DashboardScreen._set_activity

    def spy(self: DashboardScreen, text: str, **kw: Any) -> None:
        seen.append(text)
        original(self, text, **kw)

    monkeypatch.setattr(DashboardScreen, "_set_activity", spy)
    return seen


async def demo_logins(fakehub: FakeGitHub, scope: Scope, days: int) -> list[str]:
    snap = await DemoSource(fakehub.dataset).load(scope, days=days)
    return sorted(u.user_login for u in summarize_users(snap.user_rows, Period(snap.first_day, snap.last_day)))


async def client_errors(fakehub: FakeGitHub, token: str, scope: Scope) -> set[str]:
    """The client's sentence for each report of the newest day: which the source asks first is its own affair."""
    sentences = set()
    async with GitHubClient(token, api_url=fakehub.api_url) as gh:
        for kind in report_kinds(scope):
            with pytest.raises(GitHubError) as caught:
                await gh.fetch_report(scope, kind, fakehub.today - timedelta(days=1))
            sentences.add(str(caught.value))
    return sentences


@pytest.mark.usefixtures("owner_env")
async def test_opening_an_org_fetches_its_reports_with_progress(
    fakehub: FakeGitHub, monkeypatch: pytest.MonkeyPatch, app_dirs: dict[str, Path]
) -> None:
    seen = record_activity(monkeypatch)
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = dashboard(app).view
        assert view is not None and view.scope == GARAGE
        assert view.period.end == fakehub.dataset.last_day
        assert sorted(u.user_login for u in view.users) == await demo_logins(fakehub, GARAGE, 28)
    progress = [m for m in (re.match(r"Loading octo-garage: (\d+) of (\d+) files", s) for s in seen) if m]
    assert progress, seen
    done, total = (int(g) for g in progress[-1].groups())
    assert done == total > 0
    assert fakehub.requests_to("download")
    assert json.loads((app_dirs["data"] / "state.json").read_text())["last_scope"] == "octo-garage"


@pytest.mark.usefixtures("owner_env")
async def test_the_org_list_comes_from_the_token(fakehub: FakeGitHub) -> None:
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        async with GitHubClient(OWNER_TOKEN, api_url=fakehub.api_url) as gh:
            visible = await gh.list_user_orgs()
        assert {s.name for s in dashboard(app).session.scopes if s.kind == "org"} >= set(visible)


async def test_a_refused_report_becomes_the_clients_sentence_in_a_notification(
    fakehub: FakeGitHub, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", MEMBER_TOKEN)
    expected = await client_errors(fakehub, MEMBER_TOKEN, GARAGE)
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: expected & set(notifications(app)), "the client's sentence")
        await settle(pilot, view=False)
        shown = notifications(app)
        assert len(expected & set(shown)) == 1  # the first refusal stops the load: no second one
        assert not any("Traceback" in n for n in shown)
        dash = dashboard(app)
        assert app.screen is dash
        assert dash.view is None
        assert "failed" in dash.activity


@pytest.mark.usefixtures("owner_env")
async def test_a_rate_limit_wait_counts_down_and_the_old_data_stays_until_the_new_is_complete(
    fakehub: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = record_activity(monkeypatch)
    release = asyncio.Event()
    waits: list[float] = []

    async def held_sleep(seconds: float) -> None:
        waits.append(seconds)
        await release.wait()

    app = live_app(fakehub, sleep=held_sleep, org="octo-garage")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dash = dashboard(app)
        old_view = dash.view
        old_rows = dash.query_one(UsersTable).row_count
        scopes = dash.session.scopes
        assert scopes[scopes.index(GARAGE) + 1] == LABS
        fakehub.faults.secondary_rate_limit(1, retry_after=30)
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: waits and any("resuming in" in s for s in seen), "the countdown")
        assert waits == [30]
        countdown = [s for s in seen if "resuming in" in s]
        assert countdown and re.search(r"rate limit · resuming in (30|29) s", countdown[0])
        assert dash.scope == LABS
        assert dash.view is old_view
        assert dash.query_one(UsersTable).row_count == old_rows
        release.set()
        await settle(pilot)
        assert dash.view is not None and dash.view.scope == LABS
        assert sorted(u.user_login for u in dash.view.users) == await demo_logins(fakehub, LABS, 28)


async def test_no_token_shows_sign_in_where_a_bad_token_stays_with_the_apis_reason_and_a_good_one_goes_on(
    fakehub: FakeGitHub, memory_keyring: MemoryKeyring
) -> None:
    async with GitHubClient("ghp_not_a_real_token", api_url=fakehub.api_url) as gh:
        with pytest.raises(GitHubError) as caught:
            await gh.get_user()
    reason = str(caught.value)
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, view=False)
        assert isinstance(app.screen, SignInScreen)
        field = app.screen.query_one("#token", Input)
        assert field.password
        assert "Create a token" in str(app.screen.query_one("#sign-in-help", Static).render())
        await pilot.press(*"ghp_not_a_real_token", "enter")
        await settle(pilot, view=False)
        assert isinstance(app.screen, SignInScreen)
        assert str(app.screen.query_one("#sign-in-result", Static).render()) == reason
        assert field.value == ""
        await pilot.press(*OWNER_TOKEN, "enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert dashboard(app).view.scope == GARAGE  # type: ignore[union-attr]
    # kept as the token of the host it was checked with, the fake's (port included), not github.com's
    assert memory_keyring.entries == {(auth.SERVICE, token_host(fakehub.api_url)): OWNER_TOKEN}


async def test_sign_out_removes_the_keyring_token_and_shows_sign_in(
    fakehub: FakeGitHub, memory_keyring: MemoryKeyring
) -> None:
    keep = "ghp_" + "k" * 36
    memory_keyring.set_password(auth.SERVICE, "github.com", keep)
    memory_keyring.set_password(auth.SERVICE, token_host(fakehub.api_url), OWNER_TOKEN)
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.run_action("sign_out")
        await settle(pilot, view=False)
        assert isinstance(app.screen, SignInScreen)
        assert app._dashboard() is None
    assert memory_keyring.entries == {(auth.SERVICE, "github.com"): keep}
    assert {r.headers.get("authorization") for r in fakehub.requests_to("api")} == {f"Bearer {OWNER_TOKEN}"}


@pytest.mark.usefixtures("owner_env")
async def test_sign_out_with_an_environment_token_names_the_variable(fakehub: FakeGitHub) -> None:
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.run_action("sign_out")
        await until(pilot, lambda: any("GH_ENTERPRISE_TOKEN" in n for n in notifications(app)), "the notice")
        assert isinstance(app.screen, DashboardScreen)


async def test_no_keyring_at_all_says_so_on_the_sign_in_screen(
    fakehub: FakeGitHub, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    monkeypatch.setattr(keyring.core, "_keyring_backend", keyring.backends.fail.Keyring())
    with pytest.raises(auth.KeyringUnavailableError) as caught:
        auth.resolve_token(token_host(fakehub.api_url))
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, view=False)
        assert isinstance(app.screen, SignInScreen)
        assert str(app.screen.query_one("#sign-in-why", Static).render()) == str(caught.value)
        await pilot.press(*OWNER_TOKEN, "enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert any("this session only" in n for n in notifications(app))


@pytest.mark.usefixtures("owner_env")
async def test_offline_shows_what_was_downloaded_without_a_request(fakehub: FakeGitHub) -> None:
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        online = sorted(u.user_login for u in dashboard(app).view.users)  # type: ignore[union-attr]
    fakehub.reset()
    offline = live_app(fakehub, org="octo-garage", offline=True)
    async with offline.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = dashboard(offline).view
        assert view is not None and view.scope == GARAGE
        assert sorted(u.user_login for u in view.users) == online
        assert "stored" in dashboard(offline).activity
    assert fakehub.requests == []


@pytest.mark.usefixtures("owner_env")
async def test_reports_github_has_not_delivered_yet_are_named_once_and_the_numbers_still_show(
    fakehub: FakeGitHub,
) -> None:
    last = fakehub.dataset.last_day
    fakehub.faults.no_report("204", kinds=["users-1-day", "user-teams-1-day"], days=[last])
    fakehub.faults.no_report("empty-string", kinds=["users-1-day"], days=[last - timedelta(days=1)])
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = dashboard(app).view
        assert view is not None and view.period.end == last and view.users
        named = [n for n in notifications(app) if n.startswith("GitHub has no")]
        assert named == [
            f"GitHub has no users report yet for {last - timedelta(days=1)}. Refreshing later fetches it.",
            f"GitHub has no users or user-teams reports yet for {last}. Refreshing later fetches it.",
        ]
        assert "failed" not in dashboard(app).activity


@pytest.mark.usefixtures("owner_env")
async def test_a_settled_day_whose_users_report_never_came_is_named_once(fakehub: FakeGitHub) -> None:
    never = fakehub.dataset.last_day - timedelta(days=10)
    fakehub.faults.no_report("204", kinds=["users-1-day"], days=[never])
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = dashboard(app).view
        assert view is not None and view.period.start <= never and view.users
        await pilot.press("r")
        await settle(pilot)
        named = [n for n in notifications(app) if n.startswith("GitHub sent no")]
        assert named == [
            f"GitHub sent no users report for {never}, though its totals count active users: the users figures"
            " leave it out."
        ]
        assert not [n for n in notifications(app) if n.startswith("GitHub has no")]


async def test_a_revoked_token_goes_back_to_the_sign_in_screen_with_the_reason(
    fakehub: FakeGitHub, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.set_password(auth.SERVICE, token_host(fakehub.api_url), OWNER_TOKEN)
    fakehub.faults.server_errors(1, status=401, path_contains="/copilot/metrics/")
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SignInScreen), "the sign-in screen")
        await settle(pilot, view=False)
        assert app._dashboard() is None
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "refused the token" in shown


async def test_against_the_realistic_preset_the_app_shows_numbers_and_names_the_pending_reports(
    monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    from copilot_tui.metrics.demo import DemoDataset, DemoOrg

    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", OWNER_TOKEN)
    dataset = DemoDataset(orgs=(DemoOrg("acme", "2001", 12, 2),), days=40, enterprise="acme-ent")
    with FakeGitHub(dataset, parts_per_report=2, preset="realistic") as hub:
        app = live_app(hub, org="acme")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            view = dashboard(app).view
            assert view is not None and view.scope == Scope("org", "acme")
            assert view.period.end == dataset.last_day and view.users
            assert "failed" not in dashboard(app).activity
            named = [n for n in notifications(app) if n.startswith("GitHub has no")]
            # yesterday's users are not there yet (the preset); a recent day nobody was active on reads the same
            assert (
                f"GitHub has no users or user-teams reports yet for {dataset.last_day}. Refreshing later fetches it."
                in named
            )
            assert len(named) == len(set(named)) <= 3

            # what the numbers leave out: the preset's hostile lines and the pending days, listed on w
            line = dashboard(app).query_one(ProblemsLine)
            await until(pilot, lambda: line.message, "the problems line")
            skipped = len(hostile_user_lines(hub.hostile_day)) + 1  # and the repeat of the report's first line
            assert line.message.startswith(f"{skipped} lines skipped, ") and line.message.endswith("w to see")
            await pilot.press("w")
            await until(pilot, lambda: isinstance(app.screen, ProblemsScreen), "the problems view")
            await pilot.pause()
            lines = app.screen.query_one("#problem-lines", DataTable)
            assert lines.row_count == skipped
            assert {tuple(lines.get_row_at(i)[:2]) for i in range(skipped)} == {("users", str(hub.hostile_day))}
            days = app.screen.query_one("#pending-days", DataTable)
            assert days.get_row_at(0) == [str(dataset.last_day), "users, user-teams"]


async def test_a_load_error_stays_on_screen_in_words_and_r_shows_a_new_attempt(
    fakehub: FakeGitHub, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", OWNER_TOKEN)
    app = live_app(fakehub, org="nope-no-such-org")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app._dashboard() and dashboard(app).query_one(ErrorLine).display, "the error line")
        await settle(pilot, view=False)
        dash = dashboard(app)
        line = dash.query_one(ErrorLine)
        toast = notifications(app)[-1]
        assert line.display and toast in line.message and "nope-no-such-org" in line.message
        assert "failed" in dash.query_one(StatusBar).activity
        seen: list[str] = []
        original = type(dash)._set_activity

        def spy(self: Any, text: str, **kw: Any) -> None:
            seen.append(text)
            original(self, text, **kw)

        monkeypatch.setattr(type(dash), "_set_activity", spy)
        await pilot.press("r")
        await settle(pilot, view=False)
        assert any(text.startswith("Loading") for text in seen), seen
        assert line.display and toast in line.message


async def test_offline_with_nothing_stored_says_why_without_an_exception_name(fakehub: FakeGitHub) -> None:
    app = live_app(fakehub, org="octo-garage", offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app._dashboard() and dashboard(app).query_one(ErrorLine).display, "the error line")
        await settle(pilot, view=False)
        dash = dashboard(app)
        message = dash.query_one(ErrorLine).message
        assert "octo-garage" in message
        for text in (message, dash.query_one(StatusBar).activity, *notifications(app)):
            assert not CLASS_NAME.search(text), text


async def test_a_successful_load_clears_the_error(
    fakehub: FakeGitHub, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", OWNER_TOKEN)
    app = live_app(fakehub, org="nope-no-such-org")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, view=False)
        assert dashboard(app).query_one(ErrorLine).display
        dashboard(app).open_scope(Scope("org", "octo-garage"))
        await settle(pilot)
        assert not dashboard(app).query_one(ErrorLine).display


async def test_sign_in_names_the_api_host_in_use_and_the_org_being_opened(
    fakehub: FakeGitHub, memory_keyring: MemoryKeyring
) -> None:
    app = live_app(fakehub, org="octo-labs")
    host = fakehub.api_url.split("://", 1)[1].rstrip("/")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, view=False)
        assert isinstance(app.screen, SignInScreen)
        title = str(app.screen.query_one(".picker-title", Label).render())
        assert host in title and "github.com" not in title
        await pilot.press(*OWNER_TOKEN, "enter")
        await settle(pilot)
        signed = [n for n in notifications(app) if n.startswith("Signed in")]
        assert signed and "octo-labs" in signed[0], signed


async def test_a_wrong_token_says_why_and_r_says_it_again(
    fakehub: FakeGitHub, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", "ghp_not_a_real_token")
    app = live_app(fakehub, org="octo-garage")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app._dashboard() and dashboard(app).query_one(ErrorLine).display, "the error line")
        line = dashboard(app).query_one(ErrorLine)
        first = line.message
        assert "octo-garage" in first and not CLASS_NAME.search(first)
        status = dashboard(app).query_one(StatusBar)
        before = status.activity
        await pilot.press("r")
        await until(pilot, lambda: status.activity != before and "failed" in status.activity, "a second failure")
        await settle(pilot, view=False)
        after = status.activity
        assert line.message == first
        assert "failed" in after and after != before


LABS_OWNER = "ghp_fake_labs_owner"
"""A token whose account owns octo-labs only: the first org by name (octo-corp) refuses it its metrics."""


@pytest.fixture
def labs_owner(fakehub: FakeGitHub) -> str:
    orgs = {o.login: "member" for o in fakehub.dataset.orgs}
    fakehub.tokens[LABS_OWNER] = TokenSpec(login="lab-lead", id=12, orgs={**orgs, "octo-labs": "owner"})
    assert sorted(orgs)[0] != "octo-labs"
    return LABS_OWNER


def refusals(app: Any) -> list[str]:
    return [n for n in notifications(app) if "refused" in n]


async def test_sign_in_opens_the_org_it_found_readable(
    fakehub: FakeGitHub, memory_keyring: MemoryKeyring, labs_owner: str
) -> None:
    app = live_app(fakehub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, view=False)
        assert isinstance(app.screen, SignInScreen)
        await pilot.press(*labs_owner, "enter")
        await settle(pilot)
        assert dashboard(app).view.scope == LABS  # type: ignore[union-attr]
        assert "readable for octo-labs" in notifications(app)[0]
        assert refusals(app) == []


async def test_a_token_from_the_environment_opens_an_org_it_can_read(
    fakehub: FakeGitHub, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring, labs_owner: str
) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", labs_owner)
    app = live_app(fakehub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert dashboard(app).view.scope == LABS  # type: ignore[union-attr]
        assert refusals(app) == []


async def test_the_remembered_org_opens_before_any_other(
    fakehub: FakeGitHub, monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring, app_dirs: dict[str, Path]
) -> None:
    """Not the first by name (octo-corp), nor the first the token lists and can read (octo-garage): the last."""
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", OWNER_TOKEN)
    app_dirs["data"].mkdir(parents=True, exist_ok=True)
    (app_dirs["data"] / "state.json").write_text(json.dumps({"last_scope": "octo-labs"}))
    app = live_app(fakehub)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert dashboard(app).view.scope == LABS  # type: ignore[union-attr]
