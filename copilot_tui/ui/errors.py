"""Errors in words: the one sentence the user reads for a failure, wherever in the app it shows."""

from __future__ import annotations

from copilot_tui.github.errors import GitHubError


def describe_error(exc: BaseException) -> str:
    """One sentence for the user: the client's or the source's own; for anything else (a bug) a pointer to the log,
    never an exception class name."""
    from copilot_tui.licenses import SeatsUnavailableError
    from copilot_tui.sources.contract import SourceError
    from copilot_tui.store import StoreError

    if isinstance(exc, GitHubError | SourceError | StoreError | SeatsUnavailableError) and str(exc).strip():
        return str(exc).strip()
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror}{where}."
    from copilot_tui import locations

    return f"Something unexpected went wrong; {locations.log_file()} has the details."
