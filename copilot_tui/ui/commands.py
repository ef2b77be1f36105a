"""Our commands in Textual's command palette (Ctrl+P): every action of the app, findable by name.

The commands are made from the same bindings that the footer and help show, so a key added to a screen or table is
in the palette without a second list to keep; a test walks the bindings and fails on one the palette cannot find.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.widget import Widget

from copilot_tui.ui.names import shown_login
from copilot_tui.ui.screens.help import key_label

if TYPE_CHECKING:
    from copilot_tui.ui.screens.dashboard import DashboardScreen
    from copilot_tui.ui.widgets.user_table import UserTable

NAVIGATION_KEYS = frozenset({"up", "down", "pageup", "pagedown", "home", "end", "enter", "escape", "backspace"})
"""Keys that move within a list or leave a screen: they act on what is under the cursor, not by name."""


@dataclass(frozen=True, slots=True)
class PaletteCommand:
    name: str
    help: str
    run: Callable[[], object]
    action: str = ""
    """The binding action it stands for (empty for commands no key has, such as opening one org by name)."""
    alias: str = ""
    """Another name it is found by: the binding's short name in the footer ("Export", "Refresh")."""


def _dashboard(provider: Provider) -> DashboardScreen | None:
    from copilot_tui.ui.screens.dashboard import DashboardScreen

    for screen in reversed(provider.app.screen_stack):
        if isinstance(screen, DashboardScreen):
            return screen
    return None


def binding_commands(
    node: App[object] | Widget, bindings: Iterable[BindingType], where: str = ""
) -> list[PaletteCommand]:
    """One command per binding of ``node`` that is not plain navigation, named by its tooltip."""
    commands = []
    for binding in bindings:
        if not isinstance(binding, Binding) or binding.key in NAVIGATION_KEYS:
            continue
        keys = binding.key_display or "/".join(key_label(k) for k in binding.key.split(","))
        name = binding.tooltip or binding.description
        commands.append(
            PaletteCommand(
                f"{where}{name}",
                f"key {keys}",
                partial(node.run_action, binding.action),
                binding.action,
                binding.description if binding.tooltip else "",
            )
        )
    return commands


def sort_commands(table: UserTable, what: str) -> list[PaletteCommand]:
    """Sort ``table`` by any of its columns, shown or hidden at this width, and reverse the order."""
    commands = [
        PaletteCommand(
            f"{what}: sort by {column.label}",
            f"{column.key}; S reverses",
            partial(table.sort_by, column.key),
            "cycle_sort",
        )
        for column in table.columns
        if column.sortable
    ]
    commands.append(PaletteCommand(f"{what}: reverse the sort order", "key S", table.flip_order, "flip_order"))
    return commands


def explain_commands(app: App[object]) -> list[PaletteCommand]:
    """ "Explain Gen (users table)": the glossary at one label, for every figure and column label it holds."""
    from copilot_tui.ui.screens.glossary import glossary_sections

    explain = getattr(app, "explain", None)
    if explain is None:
        return []
    return [
        PaletteCommand(
            f"Explain {entry.label} ({title.lower()})", entry.meaning, partial(explain, title, entry.label), "glossary"
        )
        for title, entries in glossary_sections()
        for entry in entries
    ]


class CopilotCommands(Provider):
    """Every key's action by name, sorting by any column, each org, period and user by name."""

    def _commands(self) -> list[PaletteCommand]:
        from copilot_tui.ui.screens.dashboard import DashboardScreen
        from copilot_tui.ui.widgets.orgs import OrgsTable
        from copilot_tui.ui.widgets.seats import SeatsPane, SeatsTable
        from copilot_tui.ui.widgets.teams import TeamsTable
        from copilot_tui.ui.widgets.users import UsersTable

        app = self.app
        commands = binding_commands(app, app.BINDINGS)
        dash = _dashboard(self)
        if dash is not None:
            commands += binding_commands(dash, DashboardScreen.BINDINGS)
            commands += sort_commands(dash.query_one(UsersTable), "Users")
            for teams in dash.query(TeamsTable):
                commands += sort_commands(teams, "Teams")
            for seats in dash.query(SeatsTable):
                commands += sort_commands(seats, "Seats")
            for orgs in dash.query(OrgsTable):
                commands += sort_commands(orgs, "Orgs")
            for pane in dash.query(SeatsPane):
                commands += binding_commands(pane, SeatsPane.BINDINGS, "Seats: ")
            for key, days in (("1", 7), ("2", 14), ("3", 28)):
                commands.append(
                    PaletteCommand(f"Period: last {days} days", f"key {key}", partial(dash.action_period, days))
                )
            for scope in dash.session.scopes:
                commands.append(
                    PaletteCommand(f"Open {scope}", "Switch to this organization", partial(dash.open_scope, scope))
                )
            if dash.view is not None:
                for user in dash.view.users[:5000]:
                    commands.append(
                        PaletteCommand(
                            f"Open user {shown_login(dash, user.user_login)}",
                            "Show this user's detail",
                            partial(dash.open_user, user),
                        )
                    )
        commands += explain_commands(app)
        commands += [
            PaletteCommand(
                "Sign out",
                "Remove the stored token and return to the sign-in screen",
                partial(app.run_action, "sign_out"),
            ),
            PaletteCommand("Theme…", "Change the colour theme", partial(app.run_action, "change_theme")),
        ]
        return commands

    async def discover(self) -> Hits:
        for command in self._commands():
            if command.name.startswith(("Open user ", "Explain ")):
                continue
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            by_alias = matcher.match(command.alias) if command.alias else 0
            if by_alias > score:
                help = f"{command.alias} · {command.help}"
                yield Hit(by_alias, command.name, command.run, text=command.name, help=help)
            elif score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run, text=command.name, help=command.help)
