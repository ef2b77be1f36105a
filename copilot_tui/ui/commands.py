"""Our commands in Textual's command palette (Ctrl+P): every action of the app, findable by name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from copilot_tui.ui.screens.dashboard import DashboardScreen

CommandList = list[tuple[str, str, Callable[[], object]]]


def _dashboard(provider: Provider) -> DashboardScreen | None:
    from copilot_tui.ui.screens.dashboard import DashboardScreen

    for screen in reversed(provider.app.screen_stack):
        if isinstance(screen, DashboardScreen):
            return screen
    return None


class CopilotCommands(Provider):
    """Switch org, open user, change period, refresh, export, sign out, theme; plus each org and period by name."""

    def _commands(self) -> CommandList:
        app = self.app
        commands: CommandList = []
        dash = _dashboard(self)
        if dash is not None:
            commands += [
                ("Switch organization…", "Pick an org or enterprise (o)", dash.action_pick_org),
                ("Next organization", "Open the next org in the list (])", dash.action_next_org),
                ("Previous organization", "Open the previous org in the list ([)", dash.action_previous_org),
                ("Change period…", "Pick how many days to show (p)", dash.action_pick_period),
                ("Refresh", "Fetch what is missing or may have changed (r)", dash.action_refresh),
                ("Export…", "Write users, teams, seats, totals or features to CSV or JSON (e)", dash.action_export),
                ("Teams", "Teams: members, active users, activity (t)", partial(dash.action_tab, "tab-teams")),
                (
                    "Seats",
                    "Copilot seats: breakdown, inactive, never in reports (l)",
                    partial(dash.action_tab, "tab-seats"),
                ),
                ("Clear team filter", "Show every user again (x or Esc)", dash.action_clear_team),
                ("Filter users", "Type part of a login (/)", dash.action_filter),
            ]
            for key, days in (("1", 7), ("2", 14), ("3", 28)):
                commands.append(
                    (f"Period: last {days} days", f"Show this many days ({key})", partial(dash.action_period, days))
                )
            for scope in dash.session.scopes:
                commands.append((f"Open {scope}", "Switch to this organization", partial(dash.open_scope, scope)))
            if dash.view is not None:
                for user in dash.view.users[:5000]:
                    commands.append(
                        (f"Open user {user.user_login}", "Show this user's detail", partial(dash.open_user, user))
                    )
        commands += [
            (
                "Sign out",
                "Remove the stored token and return to the sign-in screen",
                partial(app.run_action, "sign_out"),
            ),
            ("Theme…", "Change the colour theme", partial(app.run_action, "change_theme")),
            ("Help: keys", "List every key (?)", partial(app.run_action, "help")),
        ]
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            if name.startswith("Open user "):
                continue
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
