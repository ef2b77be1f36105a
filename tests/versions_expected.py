"""The IDE and plugin versions of a period computed straight from raw users-report lines (dicts, not the app's
code): each user at the last version GitHub sampled for each IDE, counted per version, for the Versions tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

KINDS = (("ide", "last_known_ide_version", "ide_version"), ("plugin", "last_known_plugin_version", "plugin_version"))


def last_versions(lines: Iterable[dict[str, Any]]) -> dict[tuple[int, str, str], str]:
    """(user id, IDE, kind) -> the version of the latest sample (ties: the later day)."""
    best: dict[tuple[int, str, str], tuple[str, str, str]] = {}
    for line in lines:
        for entry in line.get("totals_by_ide") or []:
            for kind, field, key in KINDS:
                sample = entry.get(field)
                if sample is None:
                    continue
                at = (sample.get("sampled_at") or "", line["day"], sample.get(key) or "")
                slot = (line["user_id"], entry["ide"], kind)
                if slot not in best or at[:2] >= best[slot][:2]:
                    best[slot] = at
    return {slot: at[2] for slot, at in best.items()}


def version_counts(lines: Iterable[dict[str, Any]]) -> dict[tuple[str, str, str], set[int]]:
    """(IDE, kind, version) -> the users whose last-known version it is."""
    users: dict[tuple[str, str, str], set[int]] = {}
    for (user, ide, kind), version in last_versions(lines).items():
        users.setdefault((ide, kind, version), set()).add(user)
    return users


def newest(versions: Iterable[str]) -> str:
    """The highest version by its numbers (``1.10`` above ``1.9``)."""
    return max(versions, key=lambda v: [int(p) for p in v.replace("-", ".").split(".") if p.isdigit()])
