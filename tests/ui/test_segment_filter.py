"""The users table's segment filter with Pilot: f steps through the segments (each shows exactly its users, from the
raw lines), a chip says which, Esc clears it, it combines with a team, and the users export keeps it."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from textual.widgets import TabbedContent

from copilot_tui.metrics.segments import SEGMENTS
from copilot_tui.ui.screens.export_picker import ExportPickerScreen
from copilot_tui.ui.widgets.segment_filter import SegmentChip
from copilot_tui.ui.widgets.teams import TeamChip
from copilot_tui.ui.widgets.users import UsersTable
from tests.ui.conftest import dashboard, demo_app, settle, until
from tests.ui.test_snapshots import SIZES, after


def shown_ids(app: Any) -> set[int]:
    table = dashboard(app).query_one(UsersTable)
    return {table.row_at(i).user_id for i in table.shown_indices}


def lines_of_period(app: Any) -> list[dict[str, Any]]:
    screen = dashboard(app)
    return [
        orjson.loads(raw)
        for _name, data in screen.snapshot.users_parts()
        for chunk in (data if not isinstance(data, bytes) else [data])
        for raw in chunk.splitlines()
        if raw.strip()
    ]


def expected_segments(lines: list[dict[str, Any]]) -> dict[str, set[int]]:
    flags = {"chat": "used_chat", "agent": "used_agent", "cli": "used_cli"}
    flags |= {"code_review": "used_copilot_code_review_active", "cloud_agent": "used_copilot_cloud_agent"}
    found: dict[str, set[int]] = {key: set() for key in [*flags, "completion"]}
    for line in lines:
        for key, flag in flags.items():
            if line.get(flag):
                found[key].add(line["user_id"])
        if any(e["feature"] == "code_completion" for e in line.get("totals_by_feature") or ()):
            found["completion"].add(line["user_id"])
    found["completion_only"] = found.pop("completion") - found["chat"] - found["agent"] - found["cli"]
    return found


async def test_f_steps_through_the_segments_and_esc_clears(app_dirs: dict[str, Path]) -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = dashboard(app)
        everyone = shown_ids(app)
        expected = expected_segments(lines_of_period(app))
        await pilot.press("a")  # f from another tab brings the users table
        for segment in SEGMENTS:
            await pilot.press("f")
            await settle(pilot)
            assert screen.query_one(TabbedContent).active == "tab-users"
            chip = screen.query_one(SegmentChip)
            assert chip.segment == segment.key and chip.display
            assert shown_ids(app) == expected[segment.key], segment.key
            assert segment.label in str(chip.render())
            assert f"{len(expected[segment.key]):,} of {len(everyone):,} users" in str(chip.render())
        await pilot.press("f")  # after the last: everyone again
        await settle(pilot)
        assert screen.query_one(SegmentChip).segment is None and shown_ids(app) == everyone
        await pilot.press("f", "f")
        await settle(pilot)
        assert shown_ids(app) == expected["chat"]
        await pilot.press("escape")
        await settle(pilot)
        assert not screen.query_one(SegmentChip).display and shown_ids(app) == everyone


async def test_a_segment_narrows_a_team_and_the_export_keeps_both(app_dirs: dict[str, Path]) -> None:
    app = demo_app(org="octo-labs")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = dashboard(app)
        expected = expected_segments(lines_of_period(app))
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        members = screen.query_one(TeamChip).members
        await pilot.press("f", "f", "f")  # agent
        await settle(pilot)
        agents = expected["agent"] & members
        assert agents and shown_ids(app) == agents
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ExportPickerScreen), "the export picker")
        await pilot.press("down", "enter")
        await settle(pilot)
        (path,) = (app_dirs["data"] / "exports").glob("*.json")
        doc = json.loads(path.read_text())
        assert doc["segment"] == "agent" and doc["team"] == screen.query_one(TeamChip).team.slug  # type: ignore[union-attr]
        assert {u["user_id"] for u in doc["users"]} == agents
        assert all("agent" in u["segments"].split(";") for u in doc["users"])
        await pilot.press("escape")  # the segment goes first, then the team
        await settle(pilot)
        assert shown_ids(app) <= members and len(shown_ids(app)) > len(agents)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ExportPickerScreen), "the export picker")
        await pilot.press("enter")
        await settle(pilot)
        (path,) = (app_dirs["data"] / "exports").glob("*.csv")
        with path.open() as fh:
            rows = list(csv.DictReader(fh))
        assert {int(r["user_id"]) for r in rows} == shown_ids(app)
        assert "segments" in rows[0] and "totals_by_cli_session_count" in rows[0]


@pytest.mark.parametrize("size", SIZES)
def test_segment_chip_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    """The users table narrowed to the agent segment, its chip above it."""
    assert snap_compare(demo_app(org="octo-labs"), terminal_size=size, run_before=after("f", "f", "f"))
