"""Which names the screens show: the real ones, or the install's pseudonyms while names are hidden (``n``,
``--anonymize``). The app holds the choice (``CopilotApp.names``); widgets ask here rather than keep their own."""

from __future__ import annotations

from typing import Any

from copilot_tui.pseudonyms import Pseudonyms
from copilot_tui.views import team_name


def names_of(node: Any) -> Pseudonyms | None:
    """The pseudonyms in force for ``node``'s app, or None when real names are shown (or no app runs it)."""
    try:
        app = node.app
    except Exception:  # not mounted in an app (a test building a widget alone)
        return None
    names = getattr(app, "names", None)
    return names if isinstance(names, Pseudonyms) else None


def shown_login(node: Any, login: str) -> str:
    names = names_of(node)
    return login if names is None else names.user(login)


def shown_team(node: Any, slug: str, organization: str | None = None) -> str:
    """A team as the Teams tab names it: ``org/slug`` (the slug a pseudonym while names are hidden)."""
    names = names_of(node)
    return team_name(slug if names is None else names.team(slug), organization)


def shown_text(node: Any, text: str) -> str:
    """Free text (a reason, a notice) with the logins and team names known to the pseudonyms replaced."""
    names = names_of(node)
    return text if names is None else names.redact(text)


__all__ = ["names_of", "shown_login", "shown_team", "shown_text"]
