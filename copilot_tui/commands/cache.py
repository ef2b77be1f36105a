"""``copilot-tui cache info`` and ``copilot-tui cache clear``: see and free what the local store holds."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from copilot_tui.scope import Scope


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    from copilot_tui.cli import add_source_options

    p: argparse.ArgumentParser = subparsers.add_parser(
        "cache",
        help="show or clear the local store of downloaded reports",
        description="The local store keeps every report copilot-tui has downloaded, per host and per organization.",
    )
    actions = p.add_subparsers(dest="cache_command", metavar="ACTION")
    info = actions.add_parser("info", help="where the store is, its size, and the days held per organization")
    add_source_options(info)
    clear = actions.add_parser(
        "clear",
        help="delete stored reports: everything, or one --org / --enterprise",
        description=(
            "Delete stored reports. With --org or --enterprise only that one (on every host, or on --hostname / "
            "--api-url if given); without, everything. Files moved aside as damaged are removed too."
        ),
    )
    add_source_options(clear)
    p.set_defaults(cache_command=None)
    return p


def _hosts_wanted(args: argparse.Namespace) -> list[str] | None:
    """The one host named by --hostname / --api-url, or None for every host."""
    from copilot_tui.store import host_key

    if getattr(args, "hostname", None) or getattr(args, "api_url", None):
        return [host_key(args.hostname, args.api_url)]
    return None


def run(args: argparse.Namespace) -> int:
    from copilot_tui.store import StoreError

    command = getattr(args, "cache_command", None)
    try:
        if command == "info":
            return _info(args)
        if command == "clear":
            return _clear(args)
    except StoreError as exc:
        print(f"copilot-tui cache: {exc}", file=sys.stderr)
        return 1
    print("copilot-tui cache: say 'info' or 'clear' (see copilot-tui cache --help).", file=sys.stderr)
    return 2


def _info(args: argparse.Namespace) -> int:
    from copilot_tui.store import Store, damaged_files, hosts, human_size, store_root

    root = store_root()
    wanted = _hosts_wanted(args)
    names = [h for h in hosts(root) if wanted is None or h in wanted]
    total = 0
    print(f"Local store: {root}")
    shown = 0
    for host in names:
        with Store(host, root) as store:
            scopes = store.scopes()
            if not scopes:
                continue
            print(f"\n{host}")
            for scope in scopes:
                info = store.info(scope)
                for notice in store.take_notices():
                    print(f"  ! {notice}")
                total += info.file_bytes
                shown += 1
                when = info.last_fetched_at.strftime("%Y-%m-%d %H:%M UTC") if info.last_fetched_at else "never"
                raw = sum(k.raw_bytes for k in info.kinds)
                print(
                    f"  {scope}: {human_size(info.file_bytes)} on disk ({human_size(raw)} of reports), last fetch {when}"
                )
                for kind in info.kinds:
                    empty = kind.days - kind.days_with_data
                    note = f", {empty} without data" if empty else ""
                    print(f"    {kind.kind:<22} {kind.first_day} .. {kind.last_day}  {kind.days} days{note}")
    if not shown:
        print("\nNothing stored yet: the app stores what it downloads; 'copilot-tui sync --org ORG' fetches history.")
    else:
        print(f"\nTotal: {human_size(total)}")
    damaged = damaged_files(root)
    if damaged:
        print("\nDamaged files moved aside (delete them when no longer needed, or 'copilot-tui cache clear'):")
        for path in damaged:
            print(f"  {path}")
    return 0


def _clear(args: argparse.Namespace) -> int:
    from copilot_tui.store import Store, damaged_files, hosts, human_size, store_root

    root = store_root()
    wanted = _hosts_wanted(args)
    target: Scope | None = None
    if getattr(args, "enterprise", None):
        target = Scope("enterprise", args.enterprise)
    elif getattr(args, "org", None):
        target = Scope("org", args.org)
    freed = 0
    removed = 0
    for host in hosts(root):
        if wanted is not None and host not in wanted:
            continue
        with Store(host, root) as store:
            scopes = store.scopes() if target is None else [target]
            for scope in scopes:
                files = [p for p in _store_files(store, scope) if p.exists()]
                size = sum(p.stat().st_size for p in files)
                if store.clear(scope):
                    freed += size
                    removed += 1
                    print(f"Cleared {scope} on {host} ({human_size(size)}).")
    if target is None:
        for path in damaged_files(root):
            if wanted is not None and path.parent.name not in wanted:
                continue
            sides = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
            for side in sides:
                if side.exists():
                    freed += side.stat().st_size
                    side.unlink()
            print(f"Removed damaged file {path}.")
            removed += 1
    if not removed:
        print(f"The local store holds nothing for {target}." if target else "The local store is already empty.")
        return 0
    print(f"Freed {human_size(freed)}.")
    return 0


def _store_files(store: Any, scope: Scope) -> list[Any]:
    path = store.path_for(scope)
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
