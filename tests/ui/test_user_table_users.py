"""The dashboard's users table on `UserSummary` rows: ready-made values of the computed columns (`column_values`)
give the same sorts, filters and screen as reading the properties, and both match Python's `sorted`."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from textual.app import App, ComposeResult

from copilot_tui.metrics.derive import UserSummary, zero_activity
from copilot_tui.ui.widgets.users import COLUMNS, COMPUTED_KEYS, ORG_COLUMN, UsersTable, column_values

IDES = ("vscode", "JetBrains", "neovim", "Xcode")
LANGUAGES = ("python", "go", "TypeScript", "rust")


def make_summaries(count: int, seed: int = 3) -> list[UserSummary]:
    """Small value ranges, so every column has ties; some users with no IDE or language, no generations, or two
    names at the same top count (the alphabetical first wins)."""
    rng = random.Random(seed)
    users = []
    for number in range(count):
        activity = zero_activity()
        generations = rng.choice((0, 0, 4, 10, 20))
        activity["code_generation_activity_count"] = generations
        activity["code_acceptance_activity_count"] = rng.randint(0, generations)
        activity["user_initiated_interaction_count"] = rng.randint(0, 6)
        activity["loc_added_sum"] = rng.randint(0, 6)
        counts = (rng.randint(0, 3) for _ in range(4))
        users.append(
            UserSummary(
                user_id=number,
                user_login=rng.choice(("ann", "Bob", "cat", "Dan")) + str(number),
                days_active=rng.randint(0, 4),
                last_active_day=date(2026, 3, 1) + timedelta(days=rng.randint(0, 3)) if number % 7 else None,
                activity=activity,
                flags={name: rng.random() < 0.5 for name in ("used_agent", "used_chat", "used_cli")},
                ides=Counter(dict(zip(rng.sample(IDES, rng.randint(0, 3)), counts, strict=False))),
                languages=Counter({name: rng.randint(1, 2) for name in rng.sample(LANGUAGES, rng.randint(0, 3))}),
            )
        )
    return users


def org_values(users: Sequence[UserSummary]) -> list[str | None]:
    """Each user's org, as an enterprise's seats give it (not a ``UserSummary`` field): some users have none."""
    return [None if user.user_id % 5 == 0 else ("Mesa", "alpha", "Zeta")[user.user_id % 3] for user in users]


def expected_order(users: Sequence[UserSummary], key: str, reverse: bool) -> list[int]:
    """Python's stable sort of the users with a value, missing values last; strings compared case-insensitively."""
    values = org_values(users) if key == ORG_COLUMN else [getattr(user, key) for user in users]

    def sort_key(index: int) -> Any:
        value = values[index]
        return value.lower() if isinstance(value, str) else value

    present = [index for index, value in enumerate(values) if value is not None]
    missing = [index for index, value in enumerate(values) if value is None]
    ordered = sorted(present, key=sort_key)
    return (ordered[::-1] if reverse else ordered) + missing


class UsersApp(App[None]):
    def compose(self) -> ComposeResult:
        yield UsersTable()


def test_the_computed_columns_are_the_property_columns_and_their_values_the_properties() -> None:
    users = make_summaries(400)
    properties = {column.key for column in COLUMNS if isinstance(getattr(UserSummary, column.key, None), property)}
    assert set(COMPUTED_KEYS) == properties
    assert {"top_ide", "top_language", "acceptance_rate"} <= properties
    values = column_values(users)
    for key in COMPUTED_KEYS:
        assert values[key] == [getattr(user, key) for user in users], key
    tops = values["top_ide"]
    assert None in tops and None in values["acceptance_rate"]
    tied = [u for u in users if len(u.ides) > 1 and len(set(u.ides.values())) < len(u.ides)]
    assert tied, "the data should hold users whose top IDE is a tie"
    for user in tied:
        best = max(user.ides.values())
        assert tops[users.index(user)] == min(name for name, n in user.ides.items() if n == best)


async def test_sorts_with_ready_values_match_sorted_and_the_properties() -> None:
    users = make_summaries(600)
    values = column_values(users)
    app = UsersApp()
    async with app.run_test(size=(160, 30)) as pilot:
        table = app.query_one(UsersTable)
        screens: dict[bool, list[list[str]]] = {}
        for given in (False, True):
            table.set_rows(users, {ORG_COLUMN: org_values(users)} | (values if given else {}))
            screens[given] = []
            for column in COLUMNS:
                for reverse in (False, True):
                    table.sort_by(column.key, reverse=reverse)
                    await pilot.pause()
                    assert list(table.shown_indices) == expected_order(users, column.key, reverse), (
                        column.key,
                        reverse,
                        given,
                    )
                    screens[given].append([table.render_line(y).text for y in range(table.size.height)])
        assert screens[True] == screens[False]
        assert any("–" in line for screen in screens[True] for line in screen)


async def test_filter_then_sort_and_reverse_with_ready_values() -> None:
    users = make_summaries(600, seed=8)
    app = UsersApp()
    async with app.run_test(size=(160, 30)) as pilot:
        table = app.query_one(UsersTable)
        table.set_rows(users, column_values(users))
        table.filter("AN")
        await pilot.pause()
        for key in ("top_language", "acceptance_rate", "top_ide"):
            table.sort_by(key, reverse=False)
            await pilot.pause()
            want = [i for i in expected_order(users, key, False) if "an" in users[i].user_login.lower()]
            assert want and list(table.shown_indices) == want
            table.flip_order()
            await pilot.pause()
            want = [i for i in expected_order(users, key, True) if "an" in users[i].user_login.lower()]
            assert list(table.shown_indices) == want
        table.filter("")
        await pilot.pause()
        assert list(table.shown_indices) == expected_order(users, "top_ide", True)
