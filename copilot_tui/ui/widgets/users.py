"""The users table the dashboard uses: the virtualized ``UserTable`` when present, the interim one otherwise."""

from __future__ import annotations

from copilot_tui.ui.widgets.interim_users import InterimUserTable as UsersTable

__all__ = ["UsersTable"]
