"""``copilot-tui sync``: download report history into the local store, day by day, resumable.

Every report is committed to the store as it arrives and a run asks only for what the store lacks, so an
interrupted sync (Ctrl-C, a lost connection, a rate limit longer than the client waits) picks up where it stopped
when run again. One request at a time by default: GitHub asks integrators not to hammer the API concurrently.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
from datetime import date
from typing import Any, TextIO

from copilot_tui.scope import Scope
from copilot_tui.settings import Settings


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a YYYY-MM-DD date") from None


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    from copilot_tui.commands.options import add_source_options

    p: argparse.ArgumentParser = subparsers.add_parser(
        "sync",
        help="download report history into the local store (resumable)",
        description=(
            "Download the daily Copilot usage reports of an organization or enterprise into the local store, "
            "newest day first, back to --since. Days already held are skipped, so an interrupted sync resumes "
            "where it stopped. The app then shows periods up to a year long, and --offline works."
        ),
    )
    add_source_options(p, modes=False)
    p.add_argument(
        "--since",
        type=_day,
        metavar="YYYY-MM-DD",
        help="oldest day to fetch (default: as far back as GitHub keeps reports: a year, and not before 2025-10-10)",
    )
    p.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="newest day to fetch (default: yesterday, UTC)")
    p.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="requests at once (default 1, the polite choice; at most 4)"
    )
    return p


def _token(settings: Settings) -> Any:
    """The token of the host the API URL names (a ``Secret``), or ``None``."""
    from copilot_tui.auth import host_for, resolve_token

    resolved = resolve_token(host_for(settings.hostname, settings.resolved_api_url))
    return resolved.token if resolved else None


def _columns(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError):
        return 100


class ProgressBar:
    """One redrawn line on a terminal; occasional plain lines when stderr is a file or a pipe."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = label
        self.tty = stream.isatty()
        self.last_line = 0.0
        self.shown = False
        self.done = 0
        self.total = 0

    def progress(self, done: int, total: int, what: str) -> None:
        self.done, self.total = done, total
        if total == 0:
            return
        if self.tty:
            width = 30
            filled = width * done // total
            bar = "#" * filled + "." * (width - filled)
            line = f"{self.label} [{bar}] {done}/{total} {what}"
            columns = _columns(self.stream)
            self.stream.write("\r" + line[: columns - 1].ljust(columns - 1))
            self.shown = True
        else:
            now = time.monotonic()
            if done in (0, total) or now - self.last_line >= 5:
                self.stream.write(f"{self.label}: {done}/{total} {what}\n")
                self.last_line = now
        self.stream.flush()

    def wait(self, seconds: float, reason: str) -> None:
        """A wait of known length is counted in seconds; ``inf`` is a wait for something else (another sync)."""
        self.end_line()
        self.stream.write(
            f"{self.label}: {reason}" + ("…\n" if seconds == float("inf") else f": waiting {seconds:.0f} s\n")
        )
        self.stream.flush()

    def end_line(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.shown = False


async def _sync(
    args: argparse.Namespace, settings: Settings, scope: Scope, token: Any, bar: ProgressBar
) -> tuple[Any, Any]:
    from copilot_tui.github.client import GitHubClient
    from copilot_tui.metrics.linerule import skipped_lines_text
    from copilot_tui.sources.live import LiveSource
    from copilot_tui.store import Store, StoreDamagedError

    store = Store(settings.store_key)
    try:
        async with GitHubClient(token, api_url=settings.resolved_api_url) as client:
            # the store is checked, not trusted: a damaged file is moved aside (its notice is printed below) and
            # its days are fetched again into a fresh one
            with contextlib.suppress(StoreDamagedError):
                await asyncio.to_thread(store.verify, scope, args.since, args.until)
            source = LiveSource(client, store, concurrency=min(4, max(1, args.jobs)), check_lines=True)
            try:
                result = await source.backfill(
                    scope, args.since, args.until, on_progress=bar.progress, on_wait=bar.wait
                )
            finally:
                if source.line_problems:
                    bar.end_line()
                    print(f"copilot-tui sync: {skipped_lines_text(source.line_problems)}", file=sys.stderr)
        info = store.info(scope)
        for notice in store.take_notices():
            bar.end_line()
            print(f"copilot-tui sync: {notice}", file=sys.stderr)
        return result, info
    finally:
        store.close()


def run(args: argparse.Namespace, settings: Settings) -> int:
    from copilot_tui.github.errors import GitHubError
    from copilot_tui.store import StoreError, human_size

    scope = settings.scope
    if scope is None:
        print("copilot-tui sync: name what to sync with --org ORG or --enterprise ENT.", file=sys.stderr)
        return 2
    if settings.demo or settings.offline:
        print("copilot-tui sync: downloads from GitHub, so it cannot run with --demo or --offline.", file=sys.stderr)
        return 2
    if args.since and args.until and args.since > args.until:
        print("copilot-tui sync: --since is after --until.", file=sys.stderr)
        return 2
    bar = ProgressBar(sys.stderr, f"sync {scope}")
    try:
        token = _token(settings)
        if token is None:
            from copilot_tui.auth import host_for, no_token_message

            host = host_for(settings.hostname, settings.resolved_api_url)
            print(f"copilot-tui sync: {no_token_message(host, settings.resolved_api_url)}", file=sys.stderr)
            return 1
        result, info = asyncio.run(_sync(args, settings, scope, token, bar))
    except KeyboardInterrupt:
        bar.end_line()
        print(
            f"copilot-tui sync: interrupted after {bar.done} of {bar.total} reports; everything fetched so far is "
            "stored. Run the same command again to resume.",
            file=sys.stderr,
        )
        return 130
    except (GitHubError, StoreError) as exc:
        bar.end_line()
        kept = f" ({bar.done} of {bar.total} reports were fetched and kept; run again to resume)" if bar.done else ""
        print(f"copilot-tui sync: {exc}{kept}", file=sys.stderr)
        return 1
    except Exception as exc:
        from copilot_tui.auth import KeyringUnavailableError

        if isinstance(exc, KeyringUnavailableError):
            bar.end_line()
            print(f"copilot-tui sync: {exc}", file=sys.stderr)
            return 1
        raise
    bar.end_line()
    from copilot_tui.sources.planning import describe_pending

    for sentence in describe_pending(result.pending):
        print(f"copilot-tui sync: {sentence} It is asked for again on the next sync.", file=sys.stderr)
    if result.planned == 0:
        summary = "already up to date"
    else:
        summary = f"fetched {result.fetched} reports"
        if result.no_data:
            summary += f" ({result.no_data} had no data)"
    if result.pending:
        days = len({day for day, _ in result.pending})
        reports = f"{len(result.pending)} report{'s' if len(result.pending) != 1 else ''}"
        summary += f"; {reports} of {days} day{'s' if days != 1 else ''} still pending"
    held = ", ".join(f"{k.kind} {k.first_day}..{k.last_day}" for k in info.kinds) or "nothing"
    print(f"{scope}: {summary}. Stored: {held}; {human_size(info.file_bytes)} in {info.path}.")
    return 0
