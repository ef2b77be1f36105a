"""Pilot tests of `UserTable`: keys, clicks, filter, cursor memory, selection and narrow rendering.

Orders are checked against Python's `sorted` on random data, never against output copied from a run.
"""

from __future__ import annotations

import random
import string
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from copilot_tui.ui.widgets.user_table import CELL_GAP, Column, UserTable
from tests.ui.conftest import until


@dataclass(frozen=True, slots=True)
class Person:
    login: str
    days: int
    rate: float | None
    ide: str | None
    loc: int


def make_people(count: int, seed: int = 1) -> list[Person]:
    rng = random.Random(seed)
    people = []
    for number in range(count):
        login = "".join(rng.choices(string.ascii_letters, k=rng.randint(3, 8))) + str(number)
        people.append(
            Person(
                login=login,
                days=rng.randint(0, 5),
                rate=None if rng.random() < 0.2 else round(rng.random(), 2),
                ide=rng.choice(["vscode", "JetBrains", "neovim", None]),
                loc=rng.randint(0, 10_000),
            )
        )
    return people


COLUMNS = [
    Column("login", "Login", 12, priority=10),
    Column("days", "Days", 4, "right", descending_first=True, priority=9),
    Column("rate", "Rate", 5, "right", formatter=lambda v: "-" if v is None else f"{v:.0%}", priority=8),
    Column("ide", "IDE", 10, priority=2),
    Column("loc", "Lines added", 12, "right", descending_first=True, priority=1),
]
FULL_WIDTH = sum(column.width + CELL_GAP for column in COLUMNS)


class TableApp(App[None]):
    def __init__(self, rows: Sequence[Any], **table_options: Any) -> None:
        super().__init__()
        self.rows = rows
        self.table_options = {"filter_column": "login", "id_column": "login", "warm_up": False, **table_options}
        self.selected: list[UserTable.Selected] = []
        self.statuses: list[str] = []

    def compose(self) -> ComposeResult:
        yield UserTable(COLUMNS, **self.table_options)

    def on_mount(self) -> None:
        table = self.query_one(UserTable)
        table.set_rows(self.rows)
        table.focus()

    def on_user_table_selected(self, message: UserTable.Selected) -> None:
        self.selected.append(message)

    def on_user_table_status_changed(self, message: UserTable.StatusChanged) -> None:
        self.statuses.append(message.status)


def expected_order(rows: Sequence[Person], key: str, reverse: bool) -> list[int]:
    """Python's stable sort of the rows with a value, missing values last; strings compared case-insensitively."""

    def sort_key(index: int) -> Any:
        value = getattr(rows[index], key)
        return value.lower() if isinstance(value, str) else value

    present = [index for index, row in enumerate(rows) if getattr(row, key) is not None]
    missing = [index for index, row in enumerate(rows) if getattr(row, key) is None]
    ordered = sorted(present, key=sort_key)
    return (ordered[::-1] if reverse else ordered) + missing


def shown(table: UserTable) -> list[int]:
    return list(table.shown_indices)


def sorted_header(table: UserTable) -> tuple[str, str]:
    """The column label the one sort arrow touches (the label after it, else the one before it), and the arrow."""
    header = table.render_line(0).text
    arrows = [position for position, char in enumerate(header) if char in "▲▼"]
    assert len(arrows) == 1, header
    at = arrows[0]
    after = header[at + 1 :]
    text = after if after[:1].strip() else header[:at].rstrip()[::-1]
    labels = [column.label for column in COLUMNS]
    for label in labels:
        if text.startswith(label if text is after else label[::-1]):
            return label, header[at]
    raise AssertionError(f"no label beside the arrow in {header!r}")


def screen_lines(table: UserTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.size.height)]


async def test_sorts_match_python_sorted_in_both_directions() -> None:
    rows = make_people(500)
    app = TableApp(rows)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(UserTable)
        for column in COLUMNS:
            for reverse in (False, True):
                table.sort_by(column.key, reverse=reverse)
                await pilot.pause()
                assert shown(table) == expected_order(rows, column.key, reverse), (column.key, reverse)
                values = [getattr(rows[index], column.key) for index in shown(table)]
                present = [value for value in values if value is not None]
                assert values[len(present) :] == [None] * (len(values) - len(present))
                if column.key != "login":
                    assert present == sorted(present, reverse=reverse)


async def test_s_cycles_sort_columns_and_header_shows_arrow() -> None:
    rows = make_people(200)
    app = TableApp(rows, sort_column="login")
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(UserTable)
        assert table.sort_column == "login" and not table.sort_reverse
        assert sorted_header(table) == ("Login", "▲")
        seen = []
        for _ in range(len(COLUMNS)):
            await pilot.press("s")
            seen.append((table.sort_column, table.sort_reverse))
        assert seen == [
            ("days", True),
            ("rate", False),
            ("ide", False),
            ("loc", True),
            ("login", False),
        ]
        await pilot.press("s")
        header = screen_lines(table)[0]
        assert sorted_header(table) == ("Days", "▼") and "▲" not in header
        assert shown(table) == expected_order(rows, "days", True)
        assert table.cursor_position == 0


async def test_S_flips_the_order_and_r_does_not() -> None:
    rows = make_people(300)
    app = TableApp(rows, sort_column="loc")
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(UserTable)
        assert table.sort_reverse
        await pilot.press("S")
        assert not table.sort_reverse
        assert shown(table) == expected_order(rows, "loc", False)
        assert sorted_header(table) == ("Lines added", "▲")
        await pilot.press("r")
        assert not table.sort_reverse
        await pilot.press("S")
        assert table.sort_reverse
        assert shown(table) == expected_order(rows, "loc", True)


async def test_clicking_a_header_sorts_by_it_and_again_flips() -> None:
    rows = make_people(300)
    app = TableApp(rows, sort_column="login")
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(UserTable)
        rate_x = sum(column.width + CELL_GAP for column in COLUMNS[:2]) + CELL_GAP + 1
        await pilot.click(UserTable, offset=(rate_x, 0))
        assert (table.sort_column, table.sort_reverse) == ("rate", False)
        assert shown(table) == expected_order(rows, "rate", False)
        await pilot.click(UserTable, offset=(rate_x, 0))
        assert (table.sort_column, table.sort_reverse) == ("rate", True)
        assert shown(table) == expected_order(rows, "rate", True)
        assert sorted_header(table) == ("Rate", "▼")


async def test_filter_is_case_insensitive_keeps_the_sort_and_counts() -> None:
    rows = make_people(2000)
    app = TableApp(rows, sort_column="loc")
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(UserTable)
        assert table.status == "2,000 users"
        for typed in ("A", "Ab", "abC", "ab", "", "1"):
            table.filter(typed)
            await pilot.pause()
            needle = typed.lower()
            want = [index for index in expected_order(rows, "loc", True) if needle in rows[index].login.lower()]
            assert shown(table) == want, typed
            if typed:
                assert table.status == f"{len(want):,} of 2,000 users"
        assert table.status == f"{table.shown_count:,} of 2,000 users"
        assert app.statuses[-1] == table.status
        table.sort_by("login")
        await pilot.pause()
        assert shown(table) == [index for index in expected_order(rows, "login", False) if "1" in rows[index].login]


async def test_filter_matching_nothing_shows_a_message_and_enter_does_nothing() -> None:
    app = TableApp(make_people(50))
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(UserTable)
        table.filter("no such login!")
        await pilot.pause()
        assert table.shown_count == 0 and table.cursor_index is None
        assert "No rows match" in screen_lines(table)[1]
        await pilot.press("enter", "down", "end")
        assert app.selected == []


async def test_cursor_comes_back_to_its_row_when_the_filter_is_cleared() -> None:
    rows = make_people(1000)
    app = TableApp(rows, sort_column="login")
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(UserTable)
        await pilot.press(*["down"] * 40)
        chosen = table.cursor_index
        assert chosen is not None and table.cursor_position == 40
        login = rows[chosen].login
        hiding = next(letter for letter in string.digits if letter not in login)
        table.filter(hiding)
        await pilot.pause()
        assert table.cursor_index != chosen and table.cursor_position == 0
        table.filter("")
        await pilot.pause()
        assert table.cursor_index == chosen and table.cursor_position == 40
        assert login in screen_lines(table)[40 - round(table.scroll_offset.y) + 1]

        table.filter(login[:3])
        await pilot.pause()
        assert table.cursor_index == chosen
        await pilot.press("end")
        other = table.cursor_index
        assert other is not None
        table.filter("")
        await pilot.pause()
        assert table.cursor_index == other


async def test_enter_and_a_click_on_the_highlighted_row_post_selected() -> None:
    rows = make_people(100)
    app = TableApp(rows, sort_column="days")
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(UserTable)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        want = expected_order(rows, "days", True)[2]
        assert [(message.index, message.row) for message in app.selected] == [(want, rows[want])]
        await pilot.click(UserTable, offset=(3, 6))
        assert table.cursor_position == 5 and len(app.selected) == 1
        await pilot.click(UserTable, offset=(3, 6))
        await pilot.pause()
        assert app.selected[-1].index == expected_order(rows, "days", True)[5]


async def test_cursor_keys_move_and_scroll_with_the_highlight() -> None:
    rows = make_people(1000)
    app = TableApp(rows, sort_column="login")
    async with app.run_test(size=(100, 12)) as pilot:
        table = app.query_one(UserTable)
        page = table.size.height - 1
        await pilot.press("pagedown")
        assert table.cursor_position == page
        await pilot.press("pagedown", "up")
        assert table.cursor_position == 2 * page - 1
        await pilot.press("pageup")
        assert table.cursor_position == page - 1
        await pilot.press("end")
        assert table.cursor_position == 999
        last_login = rows[expected_order(rows, "login", False)[-1]].login
        lines = screen_lines(table)
        assert last_login in lines[-1]
        cursor_strip = table.render_line(table.size.height - 1)
        plain_strip = table.render_line(table.size.height - 2)
        assert {segment.style for segment in cursor_strip} != {segment.style for segment in plain_strip}
        await pilot.press("down")
        assert table.cursor_position == 999
        await pilot.press("home")
        assert table.cursor_position == 0 and round(table.scroll_offset.y) == 0


async def test_at_80_columns_low_priority_columns_are_hidden_whole() -> None:
    rows = make_people(100)
    wide = [*COLUMNS, Column("extra", "Extra wide column", 40, priority=0)]
    extra_rows = [{"extra": "x" * 40, **{c.key: getattr(row, c.key) for c in COLUMNS}} for row in rows]

    class NarrowApp(TableApp):
        def compose(self) -> ComposeResult:
            yield UserTable(wide, **self.table_options)

    app = NarrowApp(extra_rows)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(UserTable)
        width = table.scrollable_content_region.width
        assert width <= 80 < FULL_WIDTH + 41
        lines = screen_lines(table)
        assert all(cell_len(line) == width for line in lines)
        header = lines[0]
        kept = [column for column in wide if column.label in header]
        dropped = [column for column in wide if column not in kept]
        assert dropped and all(max(c.priority for c in dropped) <= c.priority for c in kept)
        assert sum(column.width + CELL_GAP for column in kept) <= width
        assert "Extra" not in header and "x" * 5 not in "".join(lines)
        assert header.split() == [word for column in kept for word in column.label.split()]
        keys = []
        for _ in range(len(wide)):
            await pilot.press("s")
            keys.append(table.sort_column)
        assert set(keys) == {column.key for column in kept}


async def test_too_narrow_for_one_column_is_cut_to_the_width() -> None:
    app = TableApp(make_people(20))
    async with app.run_test(size=(8, 10)):
        table = app.query_one(UserTable)
        lines = screen_lines(table)
        assert all(cell_len(line) == table.scrollable_content_region.width for line in lines)


class Cover(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("detail")


async def test_sort_filter_and_cursor_survive_the_screen_being_covered() -> None:
    rows = make_people(500)
    app = TableApp(rows, sort_column="login")
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(UserTable)
        await pilot.press("s", "S")
        table.filter("a")
        await pilot.pause()
        await pilot.press("down", "down", "down")
        state = (table.sort_column, table.sort_reverse, table.filter_text, table.cursor_index, shown(table))
        await app.push_screen(Cover())
        await pilot.pause()
        await pilot.press("down", "s")
        app.pop_screen()
        await pilot.pause()
        assert (table.sort_column, table.sort_reverse, table.filter_text, table.cursor_index, shown(table)) == state
        assert table.has_focus
        await pilot.press("down")
        assert table.cursor_position == 4


async def test_new_rows_keep_sort_filter_and_the_cursor_on_the_same_id() -> None:
    rows = make_people(400)
    app = TableApp(rows, sort_column="loc")
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(UserTable)
        table.filter("a")
        await pilot.press("down", "down")
        chosen = table.cursor_index
        assert chosen is not None
        login = rows[chosen].login
        refreshed = list(rows)
        random.Random(5).shuffle(refreshed)
        table.set_rows(refreshed)
        await pilot.pause()
        assert (table.sort_column, table.filter_text) == ("loc", "a")
        assert table.cursor_index is not None and refreshed[table.cursor_index].login == login
        want = [index for index in expected_order(refreshed, "loc", True) if "a" in refreshed[index].login.lower()]
        assert shown(table) == want


async def test_column_arrays_sort_filter_and_select_as_dicts() -> None:
    rows = make_people(300)
    arrays = {column.key: [getattr(row, column.key) for row in rows] for column in COLUMNS}
    app = TableApp([], sort_column="rate")
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(UserTable)
        table.set_column_arrays(arrays)
        await pilot.pause()
        assert table.status == "300 users"
        assert shown(table) == expected_order(rows, "rate", False)
        table.filter("b")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        index = app.selected[-1].index
        assert "b" in rows[index].login.lower()
        assert app.selected[-1].row == {column.key: getattr(rows[index], column.key) for column in COLUMNS}


def compact(table: UserTable) -> bool:
    """Every cached order is an array (the warm-up converts the lists that sorts on demand leave)."""
    return all(isinstance(table.ascending_order(key)[0], array) for key in table.cached_orders)


async def test_idle_warm_up_fills_the_sort_cache_without_moving_anything() -> None:
    rows = make_people(300)
    app = TableApp(rows, sort_column="login", warm_up=True)
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(UserTable)
        await pilot.press("down")
        before = (table.sort_column, table.cursor_index, shown(table))
        await until(
            pilot, lambda: table.cached_orders == {column.key for column in COLUMNS} and compact(table), "the warm-up"
        )
        assert table.cached_orders == {column.key for column in COLUMNS}
        assert compact(table)
        assert (table.sort_column, table.cursor_index, shown(table)) == before
        for column in COLUMNS:
            table.sort_by(column.key, reverse=False)
            assert shown(table) == expected_order(rows, column.key, False)


async def test_rows_given_before_mount_render_and_sort() -> None:
    rows = make_people(50)

    class EarlyApp(App[None]):
        def compose(self) -> ComposeResult:
            table = UserTable(COLUMNS, sort_column="loc", warm_up=False)
            table.set_rows(rows)
            yield table

    app = EarlyApp()
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(UserTable)
        await pilot.pause()
        assert table.status == "50 users"
        first = rows[expected_order(rows, "loc", True)[0]]
        assert first.login in screen_lines(table)[1]
        assert f"{first.loc:,}" in screen_lines(table)[1]


async def test_warm_up_in_slices_gives_the_orders_of_a_plain_sort(monkeypatch: Any) -> None:
    from copilot_tui.ui.widgets import user_table

    monkeypatch.setattr(user_table, "WARM_UP_SLICE", 37)
    rows = make_people(500, seed=9)
    arrays = {column.key: [getattr(row, column.key) for row in rows] for column in COLUMNS}
    for as_arrays in (False, True):
        await check_sliced_warm_up(rows, arrays if as_arrays else None)


async def check_sliced_warm_up(rows: list[Person], arrays: dict[str, list[Any]] | None) -> None:
    app = TableApp(rows, sort_column="login")
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(UserTable)
        if arrays is not None:
            table.set_column_arrays(arrays)
        steps = 0
        while table.warm_up_step():
            steps += 1
            if steps == 20:
                table.sort_by("days", reverse=False)
                assert shown(table) == expected_order(rows, "days", False)
        assert steps > 2 * len(COLUMNS)
        assert table.cached_orders == {column.key for column in COLUMNS}
        for column in COLUMNS:
            for reverse in (False, True):
                table.sort_by(column.key, reverse=reverse)
                await pilot.pause()
                assert shown(table) == expected_order(rows, column.key, reverse), (column.key, reverse)


async def test_values_of_mixed_types_sort_by_their_text(monkeypatch: Any) -> None:
    from copilot_tui.ui.widgets import user_table

    monkeypatch.setattr(user_table, "WARM_UP_SLICE", 7)
    rows = [
        {**{c.key: None for c in COLUMNS}, "login": f"u{n}", "ide": [3, "b", 1.5, None, "a"][n % 5]} for n in range(40)
    ]
    present = [index for index, row in enumerate(rows) if row["ide"] is not None]
    want = sorted(present, key=lambda index: str(rows[index]["ide"])) + [
        index for index, row in enumerate(rows) if row["ide"] is None
    ]
    for warm in (False, True):
        app = TableApp(rows)
        async with app.run_test(size=(100, 20)) as pilot:
            table = app.query_one(UserTable)
            if warm:
                while table.warm_up_step():
                    pass
            table.sort_by("ide", reverse=False)
            await pilot.pause()
            assert shown(table) == want


async def test_ready_made_values_stand_in_for_a_column_and_rows_stay_the_rows() -> None:
    rows = make_people(300, seed=4)
    scores = [random.Random(index).randint(0, 50) for index in range(len(rows))]
    app = TableApp(rows)
    async with app.run_test(size=(100, 20)) as pilot:
        table = app.query_one(UserTable)
        table.set_rows(rows, values={"loc": scores})
        table.sort_by("loc", reverse=True)
        await pilot.pause()
        want = sorted(range(len(rows)), key=scores.__getitem__)[::-1]
        assert shown(table) == want
        assert f"{scores[want[0]]:,}" in screen_lines(table)[1]
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected[-1].row is rows[want[0]]
