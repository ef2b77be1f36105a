"""The Textual app: picks the data source the command line asked for and wires it to the screens.

Four modes: ``--demo`` (built-in dataset, no token, no network), ``--offline`` (the local store only), report files
(``copilot-tui open FILE|DIR``: files downloaded from GitHub, no token, no network) and live (GitHub through the
local store, with a token from the environment or the keyring, or the sign-in screen).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from copilot_tui import locations
from copilot_tui.config import State, load_state, save_state
from copilot_tui.github.secret import Secret
from copilot_tui.pseudonyms import Pseudonyms
from copilot_tui.scope import Scope
from copilot_tui.settings import Mode, Settings, parse_scope_key, scope_key
from copilot_tui.ui.commands import CopilotCommands
from copilot_tui.ui.errors import describe_error
from copilot_tui.ui.screens.dashboard import DashboardScreen
from copilot_tui.ui.screens.help import HelpScreen, HelpSection
from copilot_tui.ui.screens.org_picker import OrgPickerScreen
from copilot_tui.ui.screens.sign_in import SignedIn, SignInScreen
from copilot_tui.ui.screens.user_detail import UserDetailScreen
from copilot_tui.ui.session import Session
from copilot_tui.ui.widgets.users import UsersTable

log = logging.getLogger(__name__)


LaunchOptions = Settings
"""The name the app's settings had before ``copilot_tui.settings`` (tests build the app with it)."""


class CopilotApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "copilot-tui"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    COMMANDS = App.COMMANDS | {CopilotCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", tooltip="Quit copilot-tui"),
        Binding(
            "ctrl+c",
            "quit_or_copy",
            "Quit",
            show=False,
            priority=True,
            tooltip="Quit copilot-tui (in a text field with a selection: copy it)",
        ),
        Binding("question_mark", "help", "Help", key_display="?", tooltip="This list of keys (? again closes it)"),
        Binding(
            "g",
            "glossary",
            "Glossary",
            show=False,
            tooltip="Glossary: what every figure and column means (g again closes it)",
        ),
        Binding(
            "n",
            "anonymize",
            "Hide names",
            show=False,
            tooltip="Hide names: stable pseudonyms for logins and team names on screen and in exports (n again shows "
            "them)",
        ),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        source: Any = None,
        client_factory: Callable[[Secret], Any] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """``source``, ``client_factory`` and ``clock`` are for tests: a fixed source, a client with shrunk waits,
        and a "now" matching the fake GitHub's calendar."""
        super().__init__()
        self.settings = settings
        self.state = load_state(locations.state_file())
        self.hostname = settings.hostname
        self._given_source = source
        self._client_factory = client_factory
        self._clock = clock
        self.client: Any = None
        self.token_source: str | None = None
        self.session: Session | None = None
        self._readable_scope: Scope | None = None
        """The scope sign-in found the token can read: opened when nothing else is asked for or remembered."""
        self._loaded_theme = False
        self.names: Pseudonyms | None = None
        """The pseudonyms shown instead of logins and team names (``--anonymize``, n), or None: the real names."""
        self._pseudonyms: Pseudonyms | None = None
        self._crash: BaseException | None = None
        if settings.anonymize:
            self.names = self._install_pseudonyms()

    # ------------------------------------------------------------------------------------------------ start

    @property
    def mode(self) -> Mode:
        return self.settings.mode

    def make_client(self, token: Secret) -> Any:
        if self._client_factory is not None:
            return self._client_factory(token)
        from copilot_tui.github.client import GitHubClient

        return GitHubClient(token, api_url=self.api_url())

    async def on_mount(self) -> None:
        theme = self.state.theme or self.settings.theme
        if theme:
            if theme in self.available_themes:
                self.theme = theme
            else:
                self.notify(f"Unknown theme {theme!r}; using the default.", severity="warning")
        self._loaded_theme = True
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.settings.config_error is not None:
            self.notify(
                f"{self.settings.config_error} The app runs with default settings.",
                title="Config file not used",
                severity="error",
                timeout=30,
            )
        await self._start()

    async def _start(self) -> None:
        from copilot_tui.sources.at_hand import remove_stale_temp_facts
        from copilot_tui.sources.factory import open_source

        self.run_worker(remove_stale_temp_facts, name="remove stale temporary facts", thread=True)
        if self._given_source is not None:
            self._open(self._given_source)
        elif self.mode in ("demo", "offline", "files"):
            self._open(open_source(self.settings, clock=self._clock))
        else:
            await self._start_live()

    async def _start_live(self, reason: str | None = None) -> None:
        from copilot_tui import auth
        from copilot_tui.github.hosts import ApiUrlError

        try:
            host = self.api_host()
        except ApiUrlError as exc:
            self.exit(return_code=2, message=f"copilot-tui: {exc}")
            return
        try:
            resolved = await asyncio.to_thread(auth.resolve_token, host)
        except auth.KeyringUnavailableError as exc:
            resolved = None
            reason = str(exc)
        if resolved is None:
            self._show_sign_in(reason or auth.no_token_message(host, self.api_url()))
            return
        self.token_source = resolved.source
        self._open_live(resolved.token)

    def _open_live(self, token: Secret) -> None:
        from copilot_tui.sources.factory import open_source

        self.client = self.make_client(token)
        self._open(open_source(self.settings, client=self.client, clock=self._clock))

    def _open(self, source: Any) -> None:
        session = Session(source=source, mode=self.mode, remember_scope=self._remember_scope)
        session.add_scopes(self.settings.configured_scopes())
        self.session = session
        initial = self._initial_scope()
        if initial is not None:
            session.add_scopes([initial])
        self.push_screen(DashboardScreen(session, initial))
        self._discover_scopes(session, initial is None)

    def _initial_scope(self) -> Scope | None:
        return self.settings.initial_scope(self.state) or self._readable_scope

    @work(group="scopes", exit_on_error=False)
    async def _discover_scopes(self, session: Session, open_first: bool) -> None:
        try:
            found = await session.source.scopes()
        except Exception as exc:
            log.error("listing organizations failed", exc_info=exc)
            title = "Could not open the report files" if self.mode == "files" else "Could not list your organizations"
            self.notify(describe_error(exc), title=title, severity="error", timeout=30)
            found = []
        configured = self.settings.configured_scopes()
        if self.mode in ("demo", "files"):
            # the demo and report files hold only their own scopes: a remembered or configured org would not open
            session.scopes = list(found)
        else:
            # the user's own order first, then the source's, then anything asked for that neither lists (--org)
            session.scopes = list(dict.fromkeys([*configured, *found, *session.scopes]))
        dashboard = self._dashboard()
        if dashboard is None:
            return
        if dashboard.scope is not None and self.mode == "demo" and dashboard.scope not in found and found:
            # the demo knows its own orgs only: say so, and open the one last open (not remembered anew)
            remembered = parse_scope_key(self.state.demo_scope)
            instead = remembered if remembered in found else found[0]
            names = ", ".join(str(s) for s in found)
            self.notify(
                f"{dashboard.scope} is not in the demo dataset; it has {names}. Showing {instead}.",
                title="Unknown organization",
                severity="error",
                timeout=15,
            )
            dashboard.open_scope(instead)
        elif (open_first or dashboard.scope is None) and session.scopes and dashboard.scope is None:
            first = await self._first_to_open(session.scopes)
            if dashboard.scope is None and self._dashboard() is dashboard:
                dashboard.open_scope(first)
        elif not session.scopes and dashboard.scope is None:
            self.notify(
                f"No organization found: start with --org ORG, or list orgs in {locations.config_file()}.",
                severity="warning",
                timeout=15,
            )

    async def _first_to_open(self, scopes: list[Scope]) -> Scope:
        """What to open when nothing is asked for or remembered: live, the first of ``scopes`` whose metrics the
        token can read (probed as sign-in does, a few at most), else the first listed."""
        from copilot_tui import auth

        if self.mode != "live" or self.client is None or len(scopes) == 1:
            return scopes[0]
        try:
            probe = await auth.first_readable(self.client, scopes)
        except Exception as exc:  # the load that follows says what is wrong, about the org it opens
            log.info("no org probed for metrics: %s", exc)
            return scopes[0]
        return probe.readable or scopes[0]

    def _dashboard(self) -> DashboardScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, DashboardScreen):
                return screen
        return None

    # ------------------------------------------------------------------------------------------------ state

    def _remember_scope(self, scope: Scope) -> None:
        key = scope_key(scope)
        if self.mode == "files":
            return  # the files' scopes are named by their ids: not an org to open next time
        if self.mode == "demo":
            self.state = self.state.with_changes(demo_scope=key)
        else:
            self.state = self.state.with_changes(last_scope=key)
        self._save_state()

    def users_columns(self) -> tuple[str, ...]:
        """The users table's columns: as last chosen in the app, else as the config says (empty: every column)."""
        return self.state.users_columns or self.settings.users_columns

    def remember_users_columns(self, keys: tuple[str, ...] | None) -> None:
        """Keep the column picker's choice for next time (None: the usual columns, which then the config sets)."""
        self.state = self.state.with_changes(users_columns=keys)
        self._save_state()

    def _theme_changed(self, theme: Any) -> None:
        if self._loaded_theme:
            self.state = self.state.with_changes(theme=getattr(theme, "name", str(theme)))
            self._save_state()

    def _save_state(self) -> None:
        try:
            save_state(locations.state_file(), self.state)
        except OSError as exc:
            log.warning("could not save state: %s", exc)

    # ------------------------------------------------------------------------------------------------ sign-in

    def _show_sign_in(self, reason: str | None = None) -> None:
        from copilot_tui import auth

        help_text = auth.token_help(self.api_host())
        self.push_screen(SignInScreen(self.api_host(), self._check_token, reason, help_text), self._signed_in)

    def api_url(self) -> str:
        """The API base URL requests go to (``api_url`` wins over the hostname), checked: ``ApiUrlError`` for one
        that may not receive a token."""
        from copilot_tui.github import hosts

        return hosts.check_api_url(self.settings.resolved_api_url)

    def api_host(self) -> str:
        """The host requests really go to, whose token is used, asked for and stored (``127.0.0.1:8080`` for a
        fake on this machine)."""
        from copilot_tui.github import hosts

        return hosts.token_host(self.api_url())

    async def _check_token(self, token: Secret, on_wait: Callable[[float, str], None]) -> Any:
        from copilot_tui import auth

        client = self.make_client(token)
        if hasattr(client, "on_wait"):
            client.on_wait = on_wait
        try:
            # the org being opened is probed first, so the sentence is about it and not about another one
            opening = self._initial_scope()
            wanted = [opening.name] if opening is not None and opening.kind == "org" else []
            enterprise = opening.name if opening is not None and opening.kind == "enterprise" else None
            orgs = list(dict.fromkeys([*wanted, *self.settings.orgs]))
            return await auth.check_token(client, orgs=orgs or None, enterprise=enterprise)
        finally:
            await client.aclose()

    async def _signed_in(self, result: SignedIn | None) -> None:
        if result is None:
            return
        from copilot_tui import auth

        check = result.check
        self._readable_scope = getattr(check, "readable_scope", None)
        self.notify(getattr(check, "sentence", "Signed in."), title="Signed in", timeout=10)
        try:
            await asyncio.to_thread(auth.store_token, self.api_host(), result.token)
            self.token_source = auth.KEYRING_SOURCE
        except auth.KeyringUnavailableError as exc:
            self.token_source = "session"
            self.notify(f"{exc} The token is used for this session only.", severity="warning", timeout=20)
        self._open_live(result.token)

    async def action_sign_out(self) -> None:
        from copilot_tui import auth

        if self.mode != "live":
            self.notify(f"The {self.mode} mode uses no token: there is nothing to sign out of.", severity="warning")
            return
        if self.token_source and self.token_source not in (auth.KEYRING_SOURCE, "session"):
            self.notify(
                f"The token comes from the environment variable {self.token_source}: unset it to sign out.",
                severity="warning",
                timeout=12,
            )
            return
        if self.token_source == auth.KEYRING_SOURCE:
            try:
                await asyncio.to_thread(auth.delete_token, self.api_host())
            except auth.KeyringUnavailableError as exc:
                self.notify(str(exc), title="Sign out failed", severity="error", timeout=15)
                return
        self.notify(f"Signed out of {self.api_host()}.", title="Signed out")
        await self._leave_session("Signed out. Paste a token to sign in again.")

    async def sign_in_again(self, reason: str) -> None:
        """GitHub refused the token (401: wrong, expired or revoked): back to the sign-in screen, saying why (the
        token stays where it is until a new one replaces it)."""
        if self.mode != "live" or self.session is None:
            return
        await self._leave_session(reason)

    def signs_in_here(self) -> bool:
        """Whether the token in use came from the sign-in screen or the keyring (not from an environment variable,
        which only its owner can change): then a refused token leads back to the sign-in screen."""
        from copilot_tui import auth

        return self.mode == "live" and self.token_source in (auth.KEYRING_SOURCE, "session")

    async def _leave_session(self, reason: str) -> None:
        self.workers.cancel_all()
        if self.client is not None:
            await self.client.aclose()
            self.client = None
        self.session = None
        self.token_source = None
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self._show_sign_in(reason)

    async def on_unmount(self) -> None:
        """Close the source the app opened (report files' and the demo's temporary facts are removed) and the
        client; a source given to the app is its giver's to close."""
        if self.session is not None and self.session.source is not self._given_source:
            try:
                await self.session.source.aclose()
            except Exception as exc:  # leaving must not fail; a temporary directory left is removed at next start
                log.warning("closing the data source failed: %s", exc)
        if self.client is not None:
            await self.client.aclose()

    # ------------------------------------------------------------------------------------------------ help

    def help_sections(self) -> list[HelpSection]:
        from copilot_tui.ui.screens.column_picker import ColumnPickerScreen
        from copilot_tui.ui.screens.export_picker import ExportPickerScreen
        from copilot_tui.ui.screens.glossary import GlossaryScreen
        from copilot_tui.ui.screens.period_picker import PeriodPickerScreen
        from copilot_tui.ui.screens.problems import ProblemsScreen
        from copilot_tui.ui.screens.trends import TrendsScreen
        from copilot_tui.ui.widgets.orgs import OrgsTable
        from copilot_tui.ui.widgets.seats import SeatsPane, SeatsTable
        from copilot_tui.ui.widgets.teams import TeamsTable
        from copilot_tui.ui.widgets.versions import VersionsTable

        palette = [Binding("ctrl+p", "command_palette", "Command palette: every command by name")]
        return [
            ("Everywhere", [*self.BINDINGS, *palette]),
            ("Dashboard", DashboardScreen.BINDINGS),
            ("Users table", UsersTable.BINDINGS),
            ("Teams tab", TeamsTable.BINDINGS),
            ("Seats tab", [*SeatsPane.BINDINGS, *SeatsTable.BINDINGS]),
            ("Versions tab", VersionsTable.BINDINGS),
            ("Orgs tab", OrgsTable.BINDINGS),
            (
                "Trends",
                [
                    Binding("up", "cursor_up", "Chart the previous figure"),
                    Binding("down", "cursor_down", "Chart the next figure"),
                    *TrendsScreen.BINDINGS,
                ],
            ),
            ("User detail", UserDetailScreen.BINDINGS),
            ("Problems view", ProblemsScreen.BINDINGS),
            ("Glossary", GlossaryScreen.BINDINGS),
            ("Org picker", [Binding("enter", "open", "Open the highlighted org"), *OrgPickerScreen.BINDINGS]),
            ("Column picker", ColumnPickerScreen.BINDINGS),
            ("Period picker", [Binding("enter", "pick", "Use the highlighted period"), *PeriodPickerScreen.BINDINGS]),
            (
                "Export picker",
                [
                    Binding("enter", "write", "Write the highlighted table to the path shown"),
                    Binding("tab", "edit", "Edit the path: a file, or a folder for the proposed name"),
                    *ExportPickerScreen.BINDINGS,
                ],
            ),
        ]

    async def on_event(self, event: Any) -> None:
        """Keys that come after a quit (typed in the same burst as q) are dropped: a screen one would open on the
        way out gets no widgets, and fails."""
        from textual import events

        if isinstance(event, events.Key) and self._exit:
            return
        await super().on_event(event)

    # ------------------------------------------------------------------------------------------------ names

    def _install_pseudonyms(self) -> Pseudonyms:
        """The install's pseudonyms (those ``export --anonymize`` writes); when its key file cannot be kept, this
        run's own, and a notice says they will differ from the files'."""
        from copilot_tui.pseudonyms import PseudonymKeyError, Pseudonyms, install_pseudonyms

        if self._pseudonyms is None:
            try:
                self._pseudonyms = install_pseudonyms()
            except PseudonymKeyError as exc:
                log.warning("pseudonym key: %s", exc)
                self._pseudonyms = Pseudonyms(os.urandom(32))
                self.call_later(
                    self.notify,
                    f"{exc} Names are hidden with pseudonyms of this run only: exports' will differ.",
                    title="Hidden names",
                    severity="warning",
                    timeout=20,
                )
        return self._pseudonyms

    def action_anonymize(self) -> None:
        """Hide the names (logins, team names) behind pseudonyms everywhere, or show them again; the dashboard's
        status bar says "names hidden" meanwhile."""
        self.names = None if self.names is not None else self._install_pseudonyms()
        for screen in self.screen_stack:
            changed = getattr(screen, "names_changed", None)
            if changed is not None:
                changed()

    def _handle_exception(self, error: Exception) -> None:
        self._crash = error
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """While names are hidden a crash shows no frame's local values and no known name: the log has the rest."""
        if self.names is None:
            super()._fatal_error()
            return
        import sys
        import traceback

        from rich.text import Text

        exc = self._crash or sys.exc_info()[1]
        plain = "".join(traceback.format_exception(exc)) if exc is not None else "(no traceback)"
        log.error("crash", exc_info=exc)
        self.bell()
        self._exit_renderables.append(
            Text(
                "copilot-tui crashed. Names are hidden, so the traceback shows no local values (the log file has "
                f"them: {locations.log_file()}).\n\n" + self.names.redact(plain)
            )
        )
        self._close_messages_no_wait()

    def action_quit_or_copy(self) -> None:
        """Ctrl+C quits, as terminal users expect; only a text field's selection is copied instead."""
        from textual.widgets import Input

        focused = self.focused
        if isinstance(focused, Input) and focused.selected_text:
            focused.action_copy()
        else:
            self.exit()

    def action_help(self) -> None:
        self._toggle(HelpScreen, lambda: HelpScreen(self.help_sections()))

    def action_glossary(self) -> None:
        from copilot_tui.ui.screens.glossary import GlossaryScreen, glossary_sections

        self._toggle(GlossaryScreen, lambda: GlossaryScreen(glossary_sections()))

    def explain(self, section: str, label: str) -> None:
        """The glossary, scrolled to one entry (the palette's "Explain ...")."""
        from copilot_tui.ui.screens.glossary import GlossaryScreen, glossary_sections

        if self._back_to(GlossaryScreen):
            self.screen.dismiss()
        self.push_screen(GlossaryScreen(glossary_sections(), show=(section, label)))

    def _toggle(self, kind: type[Screen[Any]], make: Callable[[], Screen[Any]]) -> None:
        """Help and the glossary: their key closes them; from one, the other opens on top, and asking again for
        one open beneath goes back to it (so Esc always backs out one step, never through a loop)."""
        if isinstance(self.screen, kind):
            self.screen.dismiss()
        elif not self._back_to(kind):
            self.push_screen(make())

    def _back_to(self, kind: type[Screen[Any]]) -> bool:
        """Close the screens above the topmost ``kind`` screen; whether there was one."""
        if not any(isinstance(screen, kind) for screen in self.screen_stack):
            return False
        while not isinstance(self.screen, kind):
            self.pop_screen()
        return True


def setup_logging() -> logging.Handler:
    """The app's log file (0600: it holds org names, paths and tracebacks), on the root logger; the handler added."""
    from copilot_tui.files import private_file

    handler = logging.FileHandler(private_file(locations.log_file()), encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # httpx logs every request at INFO: noise in the log, and signed download URLs have no business there
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return handler


def run_app(settings: Settings) -> int:
    """Entry point of ``copilot-tui`` with no subcommand (called from ``commands/launch.py``)."""
    setup_logging()
    app = CopilotApp(settings)
    app.run()
    return app.return_code or 0


__all__ = ["CopilotApp", "LaunchOptions", "Settings", "State", "run_app"]
