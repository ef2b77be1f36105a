"""Flags that agree with themselves: an unknown --org is said and not remembered, export without --org takes the
last org, the first live open says how to get history."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from copilot_tui import locations
from copilot_tui.config import State, load_state, save_state
from copilot_tui.scope import Scope
from tests.ui.conftest import dashboard, demo_app, live_app, notifications, settle


async def test_an_unknown_demo_org_is_said_and_not_remembered(app_dirs: dict[str, Path]) -> None:
    save_state(locations.state_file(), State(demo_scope="octo-labs"))
    app = demo_app(org="nope")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert any("nope is not in the demo dataset" in n for n in notifications(app))
        assert dashboard(app).scope == Scope("org", "octo-labs")  # the one open last time
    assert load_state(locations.state_file()).demo_scope == "octo-labs"


async def test_an_org_that_fails_to_open_is_not_remembered(app_dirs: dict[str, Path], fakehub_env: Any) -> None:
    org = fakehub_env.dataset.orgs[0].login
    save_state(locations.state_file(), State(last_scope=org))
    app = live_app(fakehub_env, org="no-such-org")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, view=False)
        assert any("no-such-org" in n for n in notifications(app))
    assert load_state(locations.state_file()).last_scope == org


async def test_the_first_live_open_says_how_to_get_history(app_dirs: dict[str, Path], fakehub_env: Any) -> None:
    org = fakehub_env.dataset.orgs[0].login
    app = live_app(fakehub_env, org=org)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = dashboard(app)
        assert screen.view is not None
        period = screen.view.period
        since = period.start - timedelta(days=period.days)
        assert f"copilot-tui sync --org {org} --since {since}" in screen._totals_compare
    assert load_state(locations.state_file()).last_scope == org


def run_export(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_TOKEN")}
    return subprocess.run(
        [sys.executable, "-m", "copilot_tui", "export", *argv], capture_output=True, text=True, env=env, timeout=300
    )


def test_export_without_org_takes_the_last_one(app_dirs: dict[str, Path]) -> None:
    save_state(locations.state_file(), State(last_scope="octo-remembered", demo_scope="octo-labs"))
    done = run_export("--demo", "--what", "totals")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["scope"] == {"kind": "org", "name": "octo-labs"}
    done = run_export("--offline")
    assert done.returncode == 1 and "octo-remembered" in done.stderr


def test_export_with_nothing_to_go_by_says_what_to_give(app_dirs: dict[str, Path]) -> None:
    done = run_export("--offline")
    assert done.returncode == 2 and "--org ORG or --enterprise ENT" in done.stderr
