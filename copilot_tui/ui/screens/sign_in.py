"""Sign in with a pasted token when none is found in the environment or the keyring.

The screen only checks the token (``GET /user`` through ``auth.check_token``) and hands it back; the app decides
where it is stored, so this screen never touches the keyring and never shows the token unmasked. The pasted text is
wrapped in a ``Secret`` (bound to the host signed in to) as it leaves the input, so no frame holds it plain.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static

from copilot_tui.github import hosts
from copilot_tui.github.errors import GitHubError
from copilot_tui.github.secret import Secret


@dataclass(frozen=True, slots=True)
class SignedIn:
    """What the sign-in screen hands back: the checked token and what the check found."""

    token: Secret
    check: Any


Checker = Callable[[Secret, Callable[[float, str], None]], Awaitable[Any]]
"""Checks a token; the second argument is told of each wait (a retry, a rate limit) so the screen can say so."""


class SignInScreen(Screen[SignedIn]):
    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit")]

    def __init__(self, hostname: str, checker: Checker, reason: str | None, help_text: str) -> None:
        super().__init__()
        self.help_text = help_text
        self.hostname = hostname
        self.checker = checker
        self.reason = reason

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="sign-in"):
            yield Label(f"Sign in to {self.hostname}", classes="picker-title")
            yield Input(placeholder="paste your token and press Enter", password=True, id="token", compact=True)
            yield Static("", id="sign-in-result")
            yield Static("Enter checks the token with GitHub and signs in · Ctrl+Q quits", id="sign-in-hint")
            yield Static(self.reason or self._no_token(), id="sign-in-why")
            yield Static(self.help_text, id="sign-in-help")
        yield Footer()

    def _no_token(self) -> str:
        first, second = hosts.token_env_vars(self.hostname)
        return f"No token for {self.hostname} found in {first}, {second} or the keyring."

    def on_mount(self) -> None:
        self.query_one("#token", Input).focus()

    @on(Input.Submitted, "#token")
    def _submitted(self, event: Input.Submitted) -> None:
        token = Secret(event.value.strip(), self.hostname)
        if not token:
            self._result("Paste a token first.", error=True)
            return
        self._result("Checking the token…", error=False)
        self.query_one("#token", Input).disabled = True
        self._check(token)

    @work(exclusive=True, group="sign-in", exit_on_error=False)
    async def _check(self, token: Secret) -> None:
        try:
            check = await self.checker(token, self._waiting)
        except GitHubError as exc:
            self._failed(str(exc))
            return
        except Exception as exc:  # a bug must not leave the screen stuck on "Checking"
            self.log.error("token check failed", exc_info=exc)
            from copilot_tui.ui.errors import describe_error

            self._failed(f"The token could not be checked. {describe_error(exc)}")
            return
        self.dismiss(SignedIn(token, check))

    def _waiting(self, seconds: float, reason: str) -> None:
        self._result(f"{reason.split(':')[0]}: trying again in {seconds:.0f} s…", error=False)

    def _failed(self, message: str) -> None:
        field = self.query_one("#token", Input)
        field.disabled = False
        field.value = ""
        field.focus()
        self._result(message, error=True)

    def _result(self, message: str, *, error: bool) -> None:
        result = self.query_one("#sign-in-result", Static)
        result.set_class(error, "error")
        result.update(Text(message))
