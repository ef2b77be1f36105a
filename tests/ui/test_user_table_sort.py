"""`UserTable`'s numpy sorts and filtered sorts against a plain `sorted` and a plain scan.

The numpy path is taken from `NUMPY_MIN_ROWS` values; the tests lower it (and `WARM_UP_SLICE`) so that a few hundred
rows take it. Every expected order comes from `reference_order`, a straightforward `sorted` of the values, never
from a run of the table. No timing here: the benchmark (`python -m benchmarks.table`) measures.
"""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
from array import array
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from copilot_tui.ui.widgets import table_order, user_table
from copilot_tui.ui.widgets.user_table import Column, UserTable

ROWS = 400


@pytest.fixture
def numpy_from_small(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """numpy imported, and used from 20 values; warm-up slices of 37 rows."""
    table_order.start_numpy_import().join()
    assert table_order._numpy is not None, "numpy is a dependency: it must import"
    monkeypatch.setattr(table_order, "NUMPY_MIN_ROWS", 20)
    monkeypatch.setattr(user_table, "WARM_UP_SLICE", 37)
    yield


def reference_order(values: Sequence[Any], sort_key: Callable[[Any], Any] | None, reverse: bool) -> list[int]:
    """The table's documented order, with `sorted`: stable, None last in both directions, a column's `sort_key`
    else strings lowercased (every value's text when the first value is a string), values that do not compare
    ordered by their text."""
    present = [row for row, value in enumerate(values) if value is not None]
    missing = [row for row, value in enumerate(values) if value is None]
    if sort_key is not None:
        keys: dict[int, Any] = {row: sort_key(values[row]) for row in present}
    elif present and isinstance(values[present[0]], str):
        keys = {row: str(values[row]).lower() for row in present}
    else:
        keys = {row: values[row] for row in present}
    try:
        ordered = sorted(present, key=keys.__getitem__)
    except TypeError:
        ordered = sorted(present, key=lambda row: str(keys[row]))
    return (ordered[::-1] if reverse else ordered) + missing


def some(rng: random.Random, choices: Sequence[Any], none_share: float = 0.0) -> list[Any]:
    return [None if rng.random() < none_share else rng.choice(choices) for _ in range(ROWS)]


def login(rng: random.Random, number: int) -> str:
    text = "".join(rng.choices("abcdefgXYZ", k=rng.randint(1, 6)))
    return text.upper() if number % 5 == 0 else text


def columns_of_every_kind(seed: int = 3) -> dict[str, tuple[list[Any], Callable[[Any], Any] | None, bool]]:
    """name: (values, sort_key, numpy expected to sort them)."""
    rng = random.Random(seed)
    day = date(2026, 3, 1)
    with_big = some(rng, range(-5, 6), 0.1)
    with_big[7] = 2**70  # beyond int64: Python only
    mixed_precision = some(rng, [0.5, 1.5, 2, 3], 0.0)
    mixed_precision[3], mixed_precision[9] = 2**53 + 1, float(2**53)  # equal as float64, not for Python
    with_nan = some(rng, [0.25, 0.5, 1.0], 0.1)
    with_nan[5] = with_nan[50] = float("nan")
    nul_text = some(rng, ["a", "a\x00", "b", "a\x00\x00", "ab"], 0.05)
    nul_text[:200] = [f"w{number}" for number in range(200)]  # many distinct texts: an array, not ranks
    return {
        "ints_ties": (some(rng, range(10)), None, True),
        "ints_missing": (some(rng, range(-3, 30), 0.2), None, True),
        "ints_big": (with_big, None, False),
        "ints_wide": (some(rng, [-(2**62), -1, 0, 2**62 + 1, 2**62, 2**63 - 1]), None, True),  # equal as floats
        "floats_missing": (some(rng, [-1.5, -0.0, 0.0, 0.1, 2.5, 1e300, float("inf")], 0.2), None, True),
        "floats_nan": (with_nan, None, False),
        "ints_and_floats": (some(rng, [1, 1.0, 0.5, 2, -3, 2.25], 0.1), None, True),
        "ints_and_floats_beyond_2_53": (mixed_precision, None, False),
        "bools": (some(rng, [True, False]), None, True),
        "bools_missing": (some(rng, [True, False], 0.3), None, True),
        "dates": (some(rng, [day + timedelta(days=n) for n in range(30)], 0.1), None, True),
        "datetimes": (some(rng, [datetime(2026, 3, 1, hour) for hour in range(24)], 0.1), None, False),
        "texts_unique": ([login(rng, number) + str(number) for number in range(ROWS)], None, True),
        "texts_ties_case": ([login(rng, number) for number in range(ROWS)], None, True),
        "texts_few_missing": (some(rng, ["vscode", "VSCode", "JetBrains", "neovim", "Xcode"], 0.2), None, True),
        "texts_unicode_few": (some(rng, ["Zoë", "zoe", "ÉCOLE", "école", "日本", "émile", "Ω", "z"], 0.1), None, True),
        "texts_unicode": (
            [rng.choice(["Zoë", "zoe", "ÉCOLE", "école", "日本", "z"]) + str(n % 150) for n in range(ROWS)],
            None,
            True,
        ),
        "texts_nul": (nul_text, None, False),
        "sort_key_ints": (some(rng, range(50), 0.1), lambda value: -value, True),
        "sort_key_tuples": (some(rng, range(50), 0.1), lambda value: (value % 3, value), False),
        "mixed_int_first": ([3, "b", 1.5, None, "a", 10, "B"] * 57 + [1], None, True),
        "mixed_text_first": (["b", 3, "A", None, 1.5, "a", 20] * 57 + ["x"], None, True),
    }


def table_of(columns: dict[str, tuple[list[Any], Callable[[Any], Any] | None, bool]]) -> UserTable:
    table = UserTable(
        [Column("login", "Login", 10)]
        + [Column(name, name, 8, sort_key=sort_key) for name, (_, sort_key, _) in columns.items()],
        warm_up=False,
    )
    logins = [f"user{number}" for number in range(ROWS)]
    table.set_column_arrays({"login": logins, **{name: values for name, (values, _, _) in columns.items()}})
    return table


def test_numpy_orders_are_sorted_orders_for_every_kind_of_column(numpy_from_small: None) -> None:
    columns = columns_of_every_kind()
    table = table_of(columns)
    for name, (values, sort_key, numpy_sorts) in columns.items():
        order, missing = table.ascending_order(name)
        assert list(order) == reference_order(values, sort_key, False), name
        assert missing == values.count(None), name
        if name.startswith("mixed"):
            continue  # by their text: numpy sorts the text, whichever way it got there
        assert isinstance(order, array) is numpy_sorts, f"{name}: numpy {'did not sort' if numpy_sorts else 'sorted'}"
        for reverse in (False, True):
            table.sort_by(name, reverse=reverse)
            assert list(table.shown_indices) == reference_order(values, sort_key, reverse), (name, reverse)


def test_the_warm_up_sorts_with_numpy_in_a_few_steps_and_gives_the_same_orders(numpy_from_small: None) -> None:
    columns = columns_of_every_kind(seed=5)
    table = table_of(columns)
    table.sort_by("login")
    steps: dict[str, int] = {}
    finished_midway = False
    while table.warm_up_step():
        pending = table._pending
        if pending is not None:
            steps[pending.key] = steps.get(pending.key, 0) + 1
        if not finished_midway and pending is not None and pending.key == "dates" and pending._array is not None:
            table.sort_by("dates", reverse=True)  # between the warm-up's two numpy steps
            assert list(table.shown_indices) == reference_order(columns["dates"][0], None, True)
            finished_midway = True
    assert finished_midway
    assert table.cached_orders == {"login", *columns}
    # numpy: split off the missing values, make the key array, argsort it; Python: a step a slice, then merges
    assert steps["ints_missing"] <= 3
    assert steps["texts_unique"] <= 3
    assert steps["floats_nan"] > ROWS // 37
    for name, (values, sort_key, _) in columns.items():
        if name == "floats_nan":
            # NaN has no order: slices sorted and merged need not match one sort of all (as before numpy)
            assert sorted(table.ascending_order(name)[0]) == list(range(ROWS))
            continue
        for reverse in (False, True):
            table.sort_by(name, reverse=reverse)
            assert list(table.shown_indices) == reference_order(values, sort_key, reverse), (name, reverse)


def test_without_numpy_yet_the_large_sorts_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table_order, "NUMPY_MIN_ROWS", 20)
    monkeypatch.setattr(table_order, "_numpy", None)
    monkeypatch.setattr(table_order, "_numpy_import", object())  # "under way": nothing imports it meanwhile
    columns = columns_of_every_kind(seed=8)
    table = table_of(columns)
    for name, (values, sort_key, _) in columns.items():
        order, _ = table.ascending_order(name)
        assert not isinstance(order, array), name
        assert list(order) == reference_order(values, sort_key, False), name


def filtered(order: Sequence[int], logins: Sequence[str], needle: str) -> list[int]:
    return [row for row in order if needle in logins[row].lower()]


@pytest.mark.parametrize("with_numpy", [True, False])
def test_a_filtered_sort_by_a_new_column_sorts_only_the_rows_shown(
    monkeypatch: pytest.MonkeyPatch, with_numpy: bool
) -> None:
    table_order.start_numpy_import().join()
    monkeypatch.setattr(table_order, "NUMPY_MIN_ROWS", 20 if with_numpy else 10**9)
    rng = random.Random(11)
    columns = columns_of_every_kind(seed=11)
    logins = [("needle" if rng.random() < 0.15 else "") + login(rng, number) for number in range(ROWS)]
    logins = [text.upper() if number % 3 == 0 else text for number, text in enumerate(logins)]
    table = UserTable(
        [Column("login", "Login", 10)]
        + [Column(name, name, 8, sort_key=sort_key) for name, (_, sort_key, _) in columns.items()],
        filter_column="login",
        warm_up=False,
    )
    table.set_column_arrays({"login": logins, **{name: values for name, (values, _, _) in columns.items()}})
    table.filter("NeedLE")
    shown = table.shown_count
    assert 20 <= shown < ROWS / user_table.SUBSET_SORT_SHARE
    only_some = {"ints_ties", "floats_missing", "dates", "texts_unique", "texts_few_missing", "bools_missing"}
    for name, (values, sort_key, _) in columns.items():
        for reverse in (False, True):
            table.sort_by(name, reverse=reverse)
            want = filtered(reference_order(values, sort_key, reverse), logins, "needle")
            assert list(table.shown_indices) == want, (name, reverse)
            if not reverse and name in only_some:
                assert name not in table.cached_orders, f"{name}: the whole column was sorted"
    # a sort by the filter column itself, then the filter cleared: the whole order
    table.sort_by("login", reverse=False)
    assert list(table.shown_indices) == filtered(reference_order(logins, None, False), logins, "needle")
    assert "login" not in table.cached_orders
    while table._pending is None and table.warm_up_step():
        pass
    assert table._pending is not None and table._pending.key == "login"  # the warm-up sorts it first
    table.filter("")
    assert list(table.shown_indices) == reference_order(logins, None, False)
    # typing more narrows what is shown; deleting back widens it again
    table.sort_by("ints_missing", reverse=True)
    for typed in ("e", "ee", "eed", "ee"):
        table.filter(typed)
        want = filtered(reference_order(columns["ints_missing"][0], None, True), logins, typed)
        assert list(table.shown_indices) == want, typed


def test_many_rows_shown_filter_the_whole_order_and_new_rows_are_not_the_old_view(numpy_from_small: None) -> None:
    rng = random.Random(2)
    logins = [login(rng, number) for number in range(ROWS)]
    scores = [rng.randint(0, 9) for _ in range(ROWS)]
    table = UserTable([Column("login", "Login", 10), Column("score", "Score", 5)], warm_up=False)
    table.set_column_arrays({"login": logins, "score": scores})
    table.filter("a")  # most logins
    assert table.shown_count * user_table.SUBSET_SORT_SHARE >= ROWS
    table.sort_by("score")
    assert "score" in table.cached_orders
    assert list(table.shown_indices) == filtered(reference_order(scores, None, False), logins, "a")
    table.filter("ab")
    newer = scores[::-1]
    table.set_column_arrays({"login": logins[::-1], "score": newer})  # same filter, other rows
    assert list(table.shown_indices) == filtered(reference_order(newer, None, False), logins[::-1], "ab")


def test_small_tables_do_not_import_numpy() -> None:
    script = textwrap.dedent(
        """
        import sys
        from copilot_tui.ui.widgets.user_table import Column, UserTable
        table = UserTable([Column("n", "N", 5), Column("t", "T", 5)], warm_up=False)
        table.set_rows([{"n": n % 17, "t": f"x{n}"} for n in range(5000)])
        for key in ("n", "t", "n"):
            table.sort_by(key, reverse=True)
        table.filter("x1")
        table.sort_by("t")
        while table.warm_up_step():
            pass
        print("numpy" in sys.modules)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False", done.stderr
