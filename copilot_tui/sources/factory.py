"""The one factory of data sources: the source the settings ask for (the demo, report files, the store alone, or
GitHub through the store)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from copilot_tui.sources.contract import DataSource, ReportClient, SourceError
from copilot_tui.sources.demo import DemoSource
from copilot_tui.sources.files import FileSource
from copilot_tui.sources.live import LiveSource
from copilot_tui.sources.offline import OfflineSource
from copilot_tui.store import Store

Source = DemoSource | LiveSource | OfflineSource | FileSource


def open_source(
    settings: Any,
    *,
    token: str | None = None,
    client: ReportClient | None = None,
    clock: Callable[[], datetime] | None = None,
    concurrency: int | None = None,
) -> DataSource:
    """The source the settings ask for (``copilot_tui.settings.Settings``): the demo, report files, the store alone, or GitHub
    (``client``, or one made for ``token`` and the settings' API URL) through the store of the settings' host."""
    from copilot_tui import locations

    if settings.mode == "demo":
        return DemoSource(keep_in=locations.demo_cache_file())
    if settings.mode == "files":
        return FileSource(settings.files, name=settings.scope)
    store = Store(settings.store_key)
    clocked: dict[str, Any] = {"clock": clock} if clock is not None else {}
    if settings.mode == "offline":
        return OfflineSource(store, **clocked)
    if client is None:
        if token is None:
            raise SourceError("a live source needs a token or a client")
        from copilot_tui.github.client import GitHubClient

        client = GitHubClient(token, api_url=settings.resolved_api_url)
    if concurrency is not None:
        clocked["concurrency"] = concurrency
    return LiveSource(client, store, **clocked)
