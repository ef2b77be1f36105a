"""``copilot-tui cache info`` and ``copilot-tui cache clear``: see and free what the local store holds."""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
from pathlib import Path
from typing import Any

from copilot_tui.scope import Scope
from copilot_tui.settings import Settings


def _add_scope_options(parser: argparse.ArgumentParser, verb: str) -> None:
    target = parser.add_mutually_exclusive_group()
    # SUPPRESS: an option left out here must not overwrite the same option given before 'cache'
    hide = argparse.SUPPRESS
    target.add_argument("--org", metavar="ORG", default=hide, help=f"{verb} only this organization")
    target.add_argument("--enterprise", metavar="ENT", default=hide, help=f"{verb} only this enterprise")
    parser.add_argument(
        "--hostname", metavar="HOST", default=hide, help=f"{verb} only what came from this host (e.g. acme.ghe.com)"
    )
    parser.add_argument("--api-url", metavar="URL", default=hide, help=f"{verb} only what came from this API URL")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = subparsers.add_parser(
        "cache",
        help="show or clear the local store of downloaded reports",
        description="The local store keeps every report copilot-tui has downloaded, per host and per organization.",
    )
    actions = p.add_subparsers(dest="cache_command", metavar="ACTION")
    info = actions.add_parser(
        "info",
        help="where the store is, its size, and the days held per organization",
        description="Where the local store is, how big it is, and which days it holds for each organization.",
    )
    _add_scope_options(info, "show")
    clear = actions.add_parser(
        "clear",
        help="delete stored reports of one --org / --enterprise, or --all",
        description=(
            "Delete stored reports: those of one --org or --enterprise (on every host, or only on --hostname / "
            "--api-url), or everything with --all, files moved aside as damaged and the demo's kept report files "
            "included. Nothing else is deleted. A scope that sync or the app is fetching now is left as it is, "
            "and said so (exit status 1)."
        ),
    )
    _add_scope_options(clear, "clear")
    clear.add_argument("--all", action="store_true", help="clear every organization and enterprise on every host")
    p.set_defaults(cache_command=None)
    return p


def _hosts_wanted(settings: Settings) -> list[str] | None:
    """The one host named by --hostname / --api-url on the command line, or None for every host (a hostname from
    the environment or the config file does not narrow what the store shows)."""
    if any(settings.origin(name).startswith("command line") for name in ("hostname", "api_url")):
        return [settings.store_key]
    return None


def run(args: argparse.Namespace, settings: Settings) -> int:
    from copilot_tui.store import StoreError

    command = getattr(args, "cache_command", None)
    try:
        if command == "info":
            return _info(args, settings)
        if command == "clear":
            return _clear(args, settings)
    except StoreError as exc:
        print(f"copilot-tui cache: {exc}", file=sys.stderr)
        return 1
    print("copilot-tui cache: say 'info' or 'clear' (see copilot-tui cache --help).", file=sys.stderr)
    return 2


def _info(args: argparse.Namespace, settings: Settings) -> int:
    from copilot_tui.store import Store, damaged_files, hosts, human_size, store_root

    root = store_root()
    wanted = _hosts_wanted(settings)
    target = settings.scope
    names = [h for h in hosts(root) if wanted is None or h in wanted]
    total = 0
    print(f"Local store: {root}")
    shown = 0
    for host in names:
        with Store(host, root) as store:
            scopes = [s for s in store.scopes() if target is None or _same(s, target)]
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
    if not shown and target is not None:
        print(f"\nNothing stored for {target}.")
        return 1
    if not shown:
        print("\nNothing stored yet: the app stores what it downloads; 'copilot-tui sync --org ORG' fetches history.")
    else:
        print(f"\nTotal: {human_size(total)}")
    damaged = damaged_files(root)
    if damaged:
        print("\nDamaged files moved aside (delete them when no longer needed, or 'copilot-tui cache clear --all'):")
        for path in damaged:
            print(f"  {path}")
    return 0


def _same(a: Scope, b: Scope) -> bool:
    """GitHub names are case-insensitive, and so is the store."""
    return a.kind == b.kind and a.name.lower() == b.name.lower()


def _clear(args: argparse.Namespace, settings: Settings) -> int:
    from copilot_tui.facts import facts_for
    from copilot_tui.scope_lock import ScopeLock, stray_locks
    from copilot_tui.store import STORE_SUFFIX, Store, damaged_files, hosts, human_size, store_root

    if settings.scope is None and not getattr(args, "all", False):
        print(
            "copilot-tui cache clear: name what to clear: --org ORG, --enterprise ENT, or --all for everything.",
            file=sys.stderr,
        )
        return 2
    root = store_root()
    wanted = _hosts_wanted(settings)
    target = settings.scope
    freed = 0
    removed = 0
    busy = 0
    for host in hosts(root):
        if wanted is not None and host not in wanted:
            continue
        with Store(host, root) as store:
            scopes = store.scopes() if target is None else [target]
            for scope in scopes:
                lock = ScopeLock(store.path_for(scope))
                if not lock.try_acquire():
                    print(
                        f"copilot-tui cache clear: Not cleared {scope} on {host}: a copilot-tui is fetching it now "
                        "(sync or the app); run this again when it is done.",
                        file=sys.stderr,
                    )
                    busy += 1
                    continue
                try:
                    files = [p for p in _store_files(store, scope) if p.exists()]
                    size = sum(p.stat().st_size for p in files)
                    facts = facts_for(store, scope).root  # decoded from the reports: goes with them
                    size += _tree_size(facts)
                    shutil.rmtree(facts, ignore_errors=True)
                    if store.clear(scope):
                        freed += size
                        removed += 1
                        print(f"Cleared {scope} on {host} ({human_size(size)}).")
                finally:
                    lock.remove()
            if target is None:
                for stray in stray_locks(store.dir, STORE_SUFFIX):
                    if stray.try_acquire():
                        stray.remove()
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
    if target is None and wanted is None:
        from copilot_tui import locations

        demo = locations.demo_cache_file()
        demo_facts = demo.with_name(demo.name + ".facts")
        if demo_facts.exists():
            freed += _tree_size(demo_facts)
            shutil.rmtree(demo_facts, ignore_errors=True)
        with contextlib.suppress(FileNotFoundError):
            size = demo.stat().st_size
            demo.unlink()
            freed += size
            print(f"Removed the demo's kept report files {demo}.")
            removed += 1
    if not removed:
        if not busy:
            print(f"The local store holds nothing for {target}." if target else "The local store is already empty.")
        return 1 if busy else 0
    print(f"Freed {human_size(freed)}.")
    return 1 if busy else 0


def _tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else 0


def _store_files(store: Any, scope: Scope) -> list[Any]:
    path = store.path_for(scope)
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
