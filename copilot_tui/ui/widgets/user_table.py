"""A virtualized, sortable, filterable table for hundreds of thousands of rows.

Textual's stock `DataTable` builds a row object per row and renders through a cache sized by the whole table: about
38 s to load 200k rows on a 2-core machine. This widget stores nothing per row: it keeps a reference to the rows the
owner gives it (objects, mappings or column arrays), an `array` of row indices per sort order, and renders only the
lines on screen with Textual's line API (`ScrollView.render_line`, as `Log` and `DataTable` do).

- Sorting: the order of a column is computed the first time it is asked for (stable, so ties keep the order the
  rows were given in) and cached; descending reads the cached order backwards. Missing values (`None`) sort last in
  both directions. The orders are computed by :mod:`copilot_tui.ui.widgets.table_order` (`sorted` for small
  columns, numpy's stable argsort for large ones); numpy is imported in a thread once a large table has painted, so
  small tables and the app's start-up never load it. While nobody types, the columns on screen are sorted ahead of
  time in short steps (the warm-up), so `s` and header clicks usually find their order cached.
- Filtering: a case-insensitive substring scan of a lowercase copy of one column (built on the first filter) over
  the current order, so the sort is kept. Typing more letters narrows the previous result instead of rescanning.
  Sorting by a column not sorted yet while a filter shows few rows sorts just those rows.
- State: cursor, sort and filter live on the widget, so they survive its screen being covered and shown again. The
  cursor follows its row (not its position) through filters and reloads (with `id_column`), and comes back to the
  row a filter hid once it shows again; a new sort puts it on the first row, where people look after sorting.

The widget knows nothing about GitHub: the owning screen declares the columns and feeds the rows.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from itertools import compress, repeat
from operator import attrgetter, contains
from time import monotonic
from typing import Any, ClassVar, Literal

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from copilot_tui.ui.widgets.table_order import (
    NONE_TYPE,
    OrderInProgress,
    has_nan,
    lowercase,
    matching,
    numpy_worth_importing,
    sorted_rows,
    start_numpy_import,
)

__all__ = ["Column", "UserTable", "format_value"]

Align = Literal["left", "right", "center"]

ARROW_UP = "▲"
ARROW_DOWN = "▼"
ELLIPSIS = "…"
CELL_GAP = 1
"""Blank cells before each column."""
WARM_UP_DELAY = 0.25
WARM_UP_STEP = 0.01
"""Seconds between two bursts of warm-up steps: the event loop handles keys and paints in between."""
WARM_UP_BUDGET = 0.008
"""Seconds of warm-up steps in one burst (plus the step that crosses it)."""
WARM_UP_SLICE = 25_000
"""Rows sorted per warm-up step in Python: ~5-10 ms of work; the last merge of two halves of 200k rows is ~15-20 ms.
A column numpy sorts takes, after its values are read, three steps (split off the missing values and make the keys,
make the key array, argsort it) of ~5-35 ms each at 200k rows (the benchmark's longest step: ~40-50 ms). A key
pressed meanwhile waits no longer than one step."""
SUBSET_SORT_SHARE = 4
"""A sort by a column not sorted yet sorts only the filtered rows when fewer than 1/this of the rows are shown."""


def format_value(value: Any) -> str:
    """The default cell text: blank for missing, thousands separators for numbers, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a `UserTable`."""

    key: str
    """Attribute name (object rows), key (mapping rows) or array name (column arrays) of the values."""
    label: str
    """Header text."""
    width: int
    """Width in cells, without the one-cell gap before the column."""
    align: Align = "left"
    formatter: Callable[[Any], str] | None = None
    """Value to cell text; `format_value` when not given."""
    sort_key: Callable[[Any], Any] | None = None
    """Value to sort key; the value itself (strings lowercased) when not given. `None` values never reach it."""
    priority: int = 0
    """When the columns do not all fit, the lowest priority is hidden first (ties: the rightmost first)."""
    sortable: bool = True
    descending_first: bool = False
    """Sort this column in descending order when it becomes the sort column (e.g. counts: biggest first)."""
    grow: int = 0
    """Cells this column may take beyond `width` when the screen has room (long logins, IDE names)."""
    term: str = ""
    """A name the owner explains the column by (copilot-tui: its metric catalog key); the table does not read it."""
    shorten: Callable[[str, int], str] | None = None
    """A cell's text made to fit a width it is too long for, keeping what tells rows apart; else it is cut at the
    end with an ellipsis."""


def _fit(text: str, width: int, align: Align) -> str:
    """`text` cut or padded to exactly `width` cells."""
    if width <= 0:
        return ""
    length = len(text) if text.isascii() else cell_len(text)
    if length > width:
        if width == 1:
            return ELLIPSIS
        return set_cell_size(text, width - 1) + ELLIPSIS
    pad = width - length
    if not pad:
        return text
    if align == "right":
        return " " * pad + text
    if align == "center":
        left = pad // 2
        return " " * left + text + " " * (pad - left)
    return text + " " * pad


def _header_with_arrow(label: str, width: int, align: Align, arrow: str, *, gap_free: bool) -> tuple[str, str]:
    """A sorted column's header text and gap: the arrow beside the label, in the gap before it if the previous
    header leaves that blank, or after a cut label; never touching the previous column's text."""
    length = cell_len(label)
    if length + 2 <= width:
        return f"{label} {arrow}", " " * CELL_GAP
    if length + 1 <= width:
        return (f"{arrow}{label}" if align == "right" else f"{label}{arrow}"), " " * CELL_GAP
    if gap_free and CELL_GAP and length <= width:
        return label, " " * (CELL_GAP - 1) + arrow
    return set_cell_size(label, max(0, width - 1)) + arrow, " " * CELL_GAP


class UserTable(ScrollView, can_focus=True):
    """A table of many rows: virtualized rendering, cached per-column sort orders, filter-as-you-type on one column.

    Give it rows with `set_rows` (a sequence of objects or mappings) or `set_column_arrays` (one sequence per
    column key). Keys: up/down/page up/page down/home/end move the cursor, `s` cycles the sort column through the
    columns on screen, `S` or `r` flips the order, Enter posts `UserTable.Selected`. Clicking a header sorts by it
    (again: flips); clicking the highlighted row selects it. The owning screen calls `filter(text)` as the user
    types and reads `status` ("1,234 of 200,000 users") for its footer.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Previous row", show=False),
        Binding("down", "cursor_down", "Next row", show=False),
        Binding("pageup", "cursor_page_up", "Page up", show=False),
        Binding("pagedown", "cursor_page_down", "Page down", show=False),
        Binding("home", "cursor_first", "First row", show=False),
        Binding("end", "cursor_last", "Last row", show=False),
        Binding("enter", "select_cursor", "Open"),
        Binding("s", "cycle_sort", "Sort column"),
        Binding("S", "flip_order", "Reverse order", key_display="S"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "user-table--header",
        "user-table--header-sorted",
        "user-table--cursor",
        "user-table--empty",
    }

    DEFAULT_CSS = """
    UserTable {
        height: 1fr;
        min-height: 3;
        overflow-x: hidden;
        overflow-y: auto;
        background: $surface;
        color: $foreground;
        & > .user-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .user-table--header-sorted {
            text-style: bold;
            background: $panel;
            color: $accent;
        }
        & > .user-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .user-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .user-table--empty {
            color: $text-muted;
            text-style: italic;
        }
    }
    """

    status: reactive[str] = reactive("", layout=False, repaint=False)
    """What the table shows, for a footer line: "200,000 users", or "1,234 of 200,000 users" while filtered."""

    class Selected(Message):
        """Enter (or a click on the highlighted row) chose a row."""

        def __init__(self, table: UserTable, row: Any, index: int) -> None:
            super().__init__()
            self.table = table
            self.row = row
            """The row as given (object or mapping); a dict of the column values for column arrays."""
            self.index = index
            """The row's index in the data given to the table."""

        @property
        def control(self) -> UserTable:
            return self.table

    class StatusChanged(Message):
        """`status` changed: rows were loaded or the filter changed how many are shown."""

        def __init__(self, table: UserTable, status: str, shown: int, total: int) -> None:
            super().__init__()
            self.table = table
            self.status = status
            self.shown = shown
            self.total = total

        @property
        def control(self) -> UserTable:
            return self.table

    class SortChanged(Message):
        """The sort column or its direction changed."""

        def __init__(self, table: UserTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> UserTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        filter_column: str | None = None,
        id_column: str | None = None,
        sort_column: str | None = None,
        sort_reverse: bool | None = None,
        noun: str = "users",
        empty_text: str = "No rows match the filter.",
        warm_up: bool = True,
        explain: Callable[[str], str] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """Declare the columns; rows come later with `set_rows` or `set_column_arrays`.

        Args:
            columns: The columns, left to right.
            filter_column: Key of the column `filter` searches; the first column when not given.
            id_column: Key of a column whose values identify a row across reloads, so the cursor stays on its row
                when `set_rows` brings new data.
            sort_column: Initial sort column (None: the order the rows are given in).
            sort_reverse: Initial direction; the column's `descending_first` when not given.
            noun: What a row is, for `status`.
            empty_text: Shown when the filter matches nothing.
            warm_up: Sort the columns on screen ahead of time, in short steps after rows arrive, so that `s` and
                header clicks find their order cached (a first sort of a column costs ~10-65 ms at 200k rows with
                numpy, ~50-180 ms without; this spends that while nobody waits, in steps of at most ~40 ms at 200k
                rows so a key pressed meanwhile is not held long).
            explain: A column's `term` to what its header says when the mouse rests on it.
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        if not columns:
            raise ValueError("a UserTable needs at least one column")
        self._columns: tuple[Column, ...] = tuple(columns)
        self._shown: tuple[Column, ...] = self._columns
        """The columns chosen to be on screen, in order (`show_columns`); the narrowest screens drop some more."""
        self._absent: frozenset[str] = frozenset()
        """Columns the data has nothing for now (`set_absent`): left off the screen whatever was chosen."""
        self._by_key = {column.key: column for column in self._columns}
        if len(self._by_key) != len(self._columns):
            raise ValueError("column keys must be unique")
        self._filter_key = filter_column or self._columns[0].key
        for key in (filter_column, id_column, sort_column):
            if key is not None and key not in self._by_key:
                raise KeyError(f"no column {key!r}")
        self._id_key = id_column
        self.noun = noun
        self.empty_text = empty_text
        self.warm_up = warm_up
        self._explain = explain
        self._warm_timer: Timer | None = None

        self._count = 0
        self._rows: Sequence[Any] | None = ()
        """The rows given to `set_rows`; None for `set_column_arrays`."""
        self._arrays: Mapping[str, Sequence[Any]] = {}
        self._cell: Callable[[str, int], Any] = lambda key, index: None

        self._orders: dict[str, tuple[Sequence[int], int]] = {}
        """Per column: row indices in ascending order with the rows whose value is None at the end, and how many
        of those there are."""
        self._loose: set[str] = set()
        """Orders kept as the list a sort made (8 bytes a row plus an int object each), to make compact later."""
        self._pending: OrderInProgress | None = None
        """The column the idle warm-up is sorting, slice by slice."""
        self._lower: dict[str, list[str]] = {}

        self._sort_key: str | None = sort_column
        self._sort_reverse = (
            sort_reverse
            if sort_reverse is not None
            else (self._by_key[sort_column].descending_first if sort_column else False)
        )
        self._filter_text = ""
        self._view: Sequence[int] = array("i")
        self._view_needle = ""
        self._cursor = 0
        self._cursor_row: int | None = None
        self._anchor_row: int | None = None
        """The row the cursor was on when a filter hid it: the cursor goes back to it when it shows again."""
        self._columns_fit: tuple[int, tuple[tuple[Column, int], ...]] | None = None
        self._update_status()

    # -- data --------------------------------------------------------------------------------------------------

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    @property
    def shown_columns(self) -> tuple[Column, ...]:
        """The columns chosen to be on screen, in order (those the width has no room for included)."""
        return self._shown

    def show_columns(self, keys: Sequence[str] | None) -> None:
        """Show these columns, in this order (None: all, as declared). Sorting still reaches every column."""
        unknown = [key for key in keys or () if key not in self._by_key]
        if unknown:
            raise KeyError(f"no column {', '.join(map(repr, unknown))}")
        shown = tuple(self._by_key[key] for key in dict.fromkeys(keys)) if keys else self._columns
        if shown != self._shown:
            self._shown = shown
            self._columns_fit = None
            self.refresh()

    def set_absent(self, keys: Iterable[str]) -> None:
        """Leave these columns off the screen while the data has nothing for them (say, an org column in an
        organization), without changing the chosen columns; sorting by one of them stops."""
        absent = frozenset(keys)
        if absent == self._absent:
            return
        self._absent = absent
        self._columns_fit = None
        if self._sort_key in absent:
            self.sort_by(self._columns[0].key)
        self.refresh()

    def fitting_columns(self) -> tuple[Column, ...]:
        """The chosen columns the width has room for now."""
        return tuple(column for column, _ in self._layout())

    @property
    def row_count(self) -> int:
        """Rows given to the table."""
        return self._count

    @property
    def shown_count(self) -> int:
        """Rows that pass the filter."""
        return len(self._view)

    @property
    def sort_column(self) -> str | None:
        return self._sort_key

    @property
    def sort_reverse(self) -> bool:
        return self._sort_reverse

    @property
    def filter_text(self) -> str:
        return self._filter_text

    @property
    def cursor_position(self) -> int:
        """Position of the cursor among the rows shown (0 at the top)."""
        return self._cursor

    @property
    def cursor_index(self) -> int | None:
        """Index (in the data given) of the row under the cursor, or None when no row is shown."""
        return self._cursor_row

    @property
    def shown_indices(self) -> Sequence[int]:
        """Indices (in the data given) of the rows shown, top to bottom."""
        return self._view

    def set_rows(self, rows: Sequence[Any], values: Mapping[str, Sequence[Any]] | None = None) -> None:
        """Show `rows`: objects whose attributes, or mappings whose keys, are the column keys.

        `values` may give some columns' values ready-made (one sequence per key, in row order): worth it for a
        property that computes on every read, since each first sort of a column reads it for every row; build
        them in the worker that builds the rows. The sequences are kept, not copied: do not change them afterwards
        (give new ones). Sort, filter and cursor are kept (the cursor by `id_column`, when there is one).
        """
        arrays = dict(values or {})
        self._check_lengths(arrays, len(rows))
        mapping_rows = bool(rows) and isinstance(rows[0], Mapping)

        def cell(key: str, index: int) -> Any:
            ready = arrays.get(key)
            if ready is not None:
                return ready[index]
            row = rows[index]
            return row.get(key) if mapping_rows else getattr(row, key, None)

        self._load(rows, arrays, len(rows), cell)

    def set_column_arrays(self, arrays: Mapping[str, Sequence[Any]]) -> None:
        """Show rows given as one sequence per column key, all of one length (kept, not copied)."""
        missing = [column.key for column in self._columns if column.key not in arrays]
        if missing:
            raise KeyError(f"no array for column(s) {', '.join(missing)}")
        count = len(next(iter(arrays.values()))) if arrays else 0
        self._check_lengths(arrays, count)
        self._load(None, dict(arrays), count, lambda key, index: arrays[key][index])

    @staticmethod
    def _check_lengths(arrays: Mapping[str, Sequence[Any]], count: int) -> None:
        wrong = {key: len(values) for key, values in arrays.items() if len(values) != count}
        if wrong:
            raise ValueError(f"{count} rows but column values of other lengths: {wrong}")

    def row_at(self, index: int) -> Any:
        """The row with `index` in the data given, as `Selected.row` carries it: the row given to `set_rows`, or
        a dict of the column values for `set_column_arrays`."""
        if self._rows is None:
            return {key: values[index] for key, values in self._arrays.items()}
        return self._rows[index]

    def _load(
        self,
        rows: Sequence[Any] | None,
        arrays: Mapping[str, Sequence[Any]],
        count: int,
        cell: Callable[[str, int], Any],
    ) -> None:
        keep_ids: list[Any] = []
        if self._id_key is not None and self._count:
            for row in (self._cursor_row, self._anchor_row):
                keep_ids.append(None if row is None else self._cell(self._id_key, row))
        self._rows, self._arrays, self._count, self._cell = rows, arrays, count, cell
        self._orders = {}
        self._loose = set()
        self._pending = None
        self._lower = {}
        self._view_needle = ""  # the rows shown are of the old data: no narrowing nor reuse of them
        self._cursor_row = self._anchor_row = None
        wanted = [value for value in keep_ids if value is not None]
        if wanted and self._id_key is not None:
            ids = self._values(self._id_key)
            where = {value: index for index, value in enumerate(ids) if value in wanted}
            self._cursor_row, self._anchor_row = (None if value is None else where.get(value) for value in keep_ids)
        self._rebuild_view(incremental=False)
        self._schedule_warm_up()
        self._want_numpy()

    def on_mount(self) -> None:
        self._schedule_warm_up()
        self._want_numpy()

    def _want_numpy(self) -> None:
        """A table this large sorts with numpy: import it in a thread once these rows have painted."""
        if self.is_mounted and numpy_worth_importing(self._count):
            self.call_after_refresh(start_numpy_import)

    def _schedule_warm_up(self, delay: float = WARM_UP_DELAY) -> None:
        if self._warm_timer is not None:
            self._warm_timer.stop()
            self._warm_timer = None
        if self.warm_up and self.is_mounted and self._count:
            self._warm_timer = self.set_timer(delay, self._warm_next)

    def _warm_next(self) -> None:
        self._warm_timer = None
        started = monotonic()
        while self.warm_up_step():
            if monotonic() - started >= WARM_UP_BUDGET:
                self._schedule_warm_up(WARM_UP_STEP)
                return

    def warm_up_step(self) -> bool:
        """One short step of sorting the columns on screen ahead of time (the sort column first if a filter's sort
        left it unsorted, then the next one in the `s` cycle): start a column, sort a slice of its rows, merge its
        slices, or make or sort its numpy keys. False when there is nothing left to do."""
        if self._loose:
            key = self._loose.pop()
            order, missing = self._orders[key]
            self._orders[key] = (array("i", order), missing)
            return True
        pending = self._pending
        if pending is not None and pending.key not in self._orders:
            if not pending.step(WARM_UP_SLICE):
                self._orders[pending.key] = pending.finish()
                self._pending = None
            return True
        keys = self._cycle_keys()
        if self._sort_key in keys:
            start = keys.index(self._sort_key) + 1
            keys = keys[start:] + keys[:start]
        if self._sort_key is not None:
            keys.insert(0, self._sort_key)
        for key in keys:
            if key not in self._orders:
                self._pending = self._start_order(key)
                return True
        return False

    def _values(self, key: str, start: int = 0, stop: int | None = None) -> Sequence[Any]:
        """The values of one column for rows `start` to `stop` (default: all), in data order."""
        whole = start == 0 and (stop is None or stop >= self._count)
        ready = self._arrays.get(key)
        if ready is not None:
            return ready if whole else ready[start:stop]
        if self._rows is None:
            return [None] * ((stop if stop is not None else self._count) - start)
        rows = self._rows if whole else self._rows[start:stop]
        if rows and isinstance(rows[0], Mapping):
            return [row.get(key) for row in rows]
        try:
            return list(map(attrgetter(key), rows))
        except AttributeError:
            return [getattr(row, key, None) for row in rows]

    # -- sort and filter ---------------------------------------------------------------------------------------

    @property
    def cached_orders(self) -> frozenset[str]:
        """Keys of the columns whose sort order is computed (by sorting or by the idle warm-up)."""
        return frozenset(self._orders)

    def ascending_order(self, key: str) -> tuple[Sequence[int], int]:
        """Row indices sorted ascending by column `key` (None values last) and the number of None values.

        Computed once per column and data (at 200k rows on a 2-core machine: numpy ~10-65 ms, `sorted` ~50-180 ms),
        then cached. A column the idle warm-up has started is finished from where it got to.
        """
        cached = self._orders.get(key)
        if cached is None:
            pending = self._pending if self._pending is not None and self._pending.key == key else None
            self._pending = None
            cached = self._orders[key] = (pending or self._start_order(key)).finish(compact=False)
            if not isinstance(cached[0], array):
                self._loose.add(key)
            self._schedule_warm_up()
        return cached

    def _start_order(self, key: str) -> OrderInProgress:
        column = self._by_key[key]

        def make_keys(values: Sequence[Any], has_missing: bool) -> Sequence[Any] | None:
            if column.sort_key is not None:
                to_key = column.sort_key
                if has_missing:
                    return [None if value is None else to_key(value) for value in values]
                return list(map(to_key, values))
            first = next(value for value in values if value is not None)
            if isinstance(first, str):
                if key == self._filter_key:
                    if key not in self._lower:
                        self._lower[key] = lowercase(values)
                    return self._lower[key]
                return lowercase(values)
            return None

        order = OrderInProgress(key, self._count, partial(self._values, key), make_keys)
        ready = self._arrays.get(key)
        if ready is not None:
            order.given(ready)
        return order

    def _lowercase_column(self, key: str) -> list[str]:
        lower = self._lower.get(key)
        if lower is None:
            lower = self._lower[key] = lowercase(self._values(key))
        return lower

    def _sorted_all(self) -> Sequence[int]:
        """Every row, in the current sort order."""
        if self._sort_key is None:
            order: Sequence[int] = range(self._count)
            return order[::-1] if self._sort_reverse else order
        ascending: Any  # a list or an array: both slice and concatenate
        ascending, missing = self.ascending_order(self._sort_key)
        if not self._sort_reverse:
            return ascending
        if not missing:
            return ascending[::-1]
        present = len(ascending) - missing
        return ascending[present - 1 :: -1] + ascending[present:] if present else ascending

    def _rebuild_view(self, *, incremental: bool) -> None:
        needle = self._filter_text.strip().lower()
        if not needle:
            view: Sequence[int] = self._sorted_all()
        else:
            lower = self._lowercase_column(self._filter_key)
            if incremental and self._view_needle and self._view_needle in needle:
                view = matching(self._view, needle, lower)
            else:
                few = self._sorted_matches(needle, lower)
                view = few if few is not None else matching(self._sorted_all(), needle, lower)
        self._view = view
        self._view_needle = needle
        self._after_view_change()

    def _sorted_matches(self, needle: str, lower: Sequence[str]) -> array[int] | None:
        """The rows matching `needle` in the current order, sorting only them, when the sort column's order is not
        computed yet and fewer than 1/`SUBSET_SORT_SHARE` of the rows match (the idle warm-up computes the whole
        order later); None otherwise: filter the whole order.

        The same rows in the same order as filtering the whole order: a stable sort of some rows is the whole sort
        restricted to them when the keys are totally ordered, so only for a column without `sort_key` whose values
        are all texts, all dates or all numbers without NaN (a mix sorts by its text, and NaN has no order).
        """
        key = self._sort_key
        if key is None or key in self._orders or self._by_key[key].sort_key is not None:
            return None
        if self._view_needle == needle:
            rows: Sequence[int] = sorted(self._view)  # the rows shown already match: the sort changed
        else:
            rows = list(compress(range(self._count), map(contains, lower, repeat(needle))))
        if len(rows) * SUBSET_SORT_SHARE >= self._count:
            return None
        values = self._values(key)
        types = set(map(type, values))
        types.discard(NONE_TYPE)
        if not (types == {str} or types == {date} or types <= {int, bool, float}):
            return None
        if float in types and has_nan(values):
            return None
        present = [row for row in rows if values[row] is not None]
        if types == {str}:
            column_lower = lower if key == self._filter_key else self._lower.get(key)
            if column_lower is not None:
                keys: list[Any] = [column_lower[row] for row in present]
            else:
                keys = [values[row].lower() for row in present]
        else:
            keys = [values[row] for row in present]
        ascending = sorted_rows(present, keys)
        view = array("i", ascending[::-1] if self._sort_reverse else ascending)
        view.extend(row for row in rows if values[row] is None)
        self._schedule_warm_up()
        return view

    def sort_by(self, key: str | None, reverse: bool | None = None) -> None:
        """Sort by column `key` (None: data order); `reverse` defaults to the column's `descending_first`."""
        if key is not None and key not in self._by_key:
            raise KeyError(f"no column {key!r}")
        if reverse is None:
            reverse = self._by_key[key].descending_first if key is not None else False
        if key == self._sort_key and reverse == self._sort_reverse:
            return
        self._sort_key = key
        self._sort_reverse = reverse
        self._resort()

    def flip_order(self) -> None:
        """Reverse the sort direction."""
        self._sort_reverse = not self._sort_reverse
        self._resort()

    def _resort(self) -> None:
        """A new order puts the cursor on its first row: after sorting, people look at the top."""
        self._cursor_row = self._anchor_row = None
        self._cursor = 0
        self._scroll_to_row(0)
        self._rebuild_view(incremental=False)
        if self.is_attached:
            self.post_message(self.SortChanged(self))

    @property
    def sorted_column(self) -> Column | None:
        return self._by_key.get(self._sort_key) if self._sort_key is not None else None

    def column_help(self, column: Column) -> str | None:
        """What a column's header says when the mouse rests on it (with `explain` and the column's `term`)."""
        return self._explain(column.term) if self._explain is not None and column.term else None

    def _cycle_keys(self) -> list[str]:
        return [column.key for column, _ in self._layout() if column.sortable]

    def cycle_sort(self) -> None:
        """Sort by the next sortable column on screen (after the last, the first again)."""
        keys = self._cycle_keys()
        if not keys:
            return
        next_key = keys[(keys.index(self._sort_key) + 1) % len(keys)] if self._sort_key in keys else keys[0]
        self.sort_by(next_key)

    def filter(self, text: str) -> None:
        """Show only rows whose filter column contains `text` (case-insensitive); empty text shows all."""
        if text == self._filter_text:
            return
        self._filter_text = text
        self._rebuild_view(incremental=True)

    # -- cursor ------------------------------------------------------------------------------------------------

    def _position_of(self, row: int) -> int | None:
        view = self._view
        if isinstance(view, range):
            return view.index(row) if row in view else None
        try:
            return view.index(row)
        except ValueError:
            return None

    def _after_view_change(self) -> None:
        """Put the cursor back on its row (or the row a filter hid) and keep it where it was on screen."""
        screen_line = self._cursor - self._scroll_row
        position: int | None = None
        if self._anchor_row is not None:
            position = self._position_of(self._anchor_row)
            if position is not None:
                self._anchor_row = None
        if position is None and self._cursor_row is not None:
            position = self._position_of(self._cursor_row)
            if position is None and self._anchor_row is None:
                self._anchor_row = self._cursor_row
        if position is None:
            position = 0
        self._cursor = position
        self._cursor_row = self._view[position] if self._view else None
        self.virtual_size = Size(0, len(self._view) + 1)
        self._update_status()
        self._scroll_to_row(position - screen_line)
        self._scroll_cursor_into_view()
        self.refresh()

    def move_cursor(self, position: int) -> None:
        """Put the cursor on the `position`-th row shown (clamped) and scroll it into view."""
        if not self._view:
            return
        position = max(0, min(position, len(self._view) - 1))
        self._anchor_row = None
        if position != self._cursor:
            self._cursor = position
            self._cursor_row = self._view[position]
            self.refresh()
        self._scroll_cursor_into_view()

    @property
    def _page_rows(self) -> int:
        """Data rows that fit on screen (the header takes one line)."""
        return max(1, self.scrollable_content_region.height - 1)

    @property
    def _scroll_row(self) -> int:
        return round(self.scroll_offset.y)

    def _scroll_to_row(self, row: int) -> None:
        if not self.is_mounted:
            return
        top = max(0, min(row, len(self._view) + 1 - (self._page_rows + 1)))
        if top != self._scroll_row:
            self.scroll_to(y=top, animate=False, force=True)

    def _scroll_cursor_into_view(self) -> None:
        top = self._scroll_row
        page = self._page_rows
        if self._cursor < top:
            self._scroll_to_row(self._cursor)
        elif self._cursor >= top + page:
            self._scroll_to_row(self._cursor - page + 1)

    def _on_resize(self, event: events.Resize) -> None:
        self._columns_fit = None
        self._scroll_cursor_into_view()

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor + 1)

    def action_cursor_page_up(self) -> None:
        page = self._page_rows
        self._scroll_to_row(self._scroll_row - page)
        self.move_cursor(self._cursor - page)

    def action_cursor_page_down(self) -> None:
        page = self._page_rows
        self._scroll_to_row(self._scroll_row + page)
        self.move_cursor(self._cursor + page)

    def action_cursor_first(self) -> None:
        self.move_cursor(0)

    def action_cursor_last(self) -> None:
        self.move_cursor(len(self._view) - 1)

    def action_cycle_sort(self) -> None:
        self.cycle_sort()

    def action_flip_order(self) -> None:
        self.flip_order()

    def action_select_cursor(self) -> None:
        if self._cursor_row is not None:
            self.post_message(self.Selected(self, self.row_at(self._cursor_row), self._cursor_row))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            column = self._column_at(offset.x)
            if column is not None and column.sortable:
                if column.key == self._sort_key:
                    self.flip_order()
                else:
                    self.sort_by(column.key)
            return
        position = self._scroll_row + offset.y - 1
        if position >= len(self._view):
            return
        if position == self._cursor:
            self.action_select_cursor()
        else:
            self.move_cursor(position)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        offset = event.get_content_offset(self)
        column = self._column_at(offset.x) if offset is not None and offset.y == 0 else None
        tip = self.column_help(column) if column is not None else None
        if tip != self.tooltip:
            self.tooltip = tip

    def _column_at(self, x: int) -> Column | None:
        left = 0
        for column, width in self._layout():
            right = left + CELL_GAP + width
            if left <= x < right:
                return column
            left = right
        return None

    def _update_status(self) -> None:
        total, shown = self._count, len(self._view)
        filtered = bool(self._filter_text.strip())
        status = f"{shown:,} of {total:,} {self.noun}" if filtered else f"{total:,} {self.noun}"
        if status != self.status:
            self.status = status
            if self.is_attached:
                self.post_message(self.StatusChanged(self, status, shown, total))

    # -- rendering ---------------------------------------------------------------------------------------------

    def _layout(self) -> tuple[tuple[Column, int], ...]:
        """The columns on screen and their widths: the lowest priorities are hidden until the rest fit."""
        width = self.scrollable_content_region.width
        if self._columns_fit is not None and self._columns_fit[0] == width:
            return self._columns_fit[1]
        shown = [column for column in self._shown if column.key not in self._absent]
        if width > 0:
            total = sum(column.width + CELL_GAP for column in shown)
            while total > width and len(shown) > 1:
                lowest = min(column.priority for column in shown)
                drop = next(column for column in reversed(shown) if column.priority == lowest)
                shown.remove(drop)
                total -= drop.width + CELL_GAP
        widths = {column.key: column.width for column in shown}
        spare = width - total if width > 0 else 0
        # room left over goes first to whole headers (and their sort arrow), then to the columns that may grow
        for column in sorted(shown, key=lambda c: -c.priority):
            want = min(spare, max(0, cell_len(column.label) + 1 - widths[column.key]))
            widths[column.key] += want
            spare -= want
        for column in sorted(shown, key=lambda c: -c.priority):
            want = min(spare, column.grow)
            widths[column.key] += want
            spare -= want
        layout = tuple((column, widths[column.key]) for column in shown)
        self._columns_fit = (width, layout)
        return layout

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._columns_fit = None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return self._render_header(width, base)
        position = self._scroll_row + y - 1
        if position >= len(self._view):
            if position == 0 and self._count:
                style = base + self.get_component_rich_style("user-table--empty")
                return Strip([Segment(_fit(" " + self.empty_text, width, "left"), style)], width)
            return Strip.blank(width, base)
        index = self._view[position]
        cell = self._cell
        parts = []
        for column, column_width in self._layout():
            formatter = column.formatter or format_value
            shown = formatter(cell(column.key, index))
            if column.shorten is not None and cell_len(shown) > column_width:
                shown = column.shorten(shown, column_width)
            parts.append(" " * CELL_GAP + _fit(shown, column_width, column.align))
        text = "".join(parts)
        length = len(text) if text.isascii() else cell_len(text)
        if length > width:
            text = set_cell_size(text, width)
        elif length < width:
            text += " " * (width - length)
        style = base + self.get_component_rich_style("user-table--cursor") if position == self._cursor else base
        return Strip([Segment(text, style)], width)

    def _render_header(self, width: int, base: Style) -> Strip:
        header = base + self.get_component_rich_style("user-table--header")
        sorted_style = base + self.get_component_rich_style("user-table--header-sorted")
        segments: list[Segment] = []
        previous_blank = True
        for column, column_width in self._layout():
            label = column.label
            gap = " " * CELL_GAP
            style = header
            if column.key == self._sort_key:
                style = sorted_style
                label, gap = _header_with_arrow(
                    label,
                    column_width,
                    column.align,
                    ARROW_DOWN if self._sort_reverse else ARROW_UP,
                    gap_free=previous_blank,
                )
            text = _fit(label, column_width, column.align)
            segments.append(Segment(gap, style if gap.strip() else header))
            segments.append(Segment(text, style))
            previous_blank = not text or text[-1] == " "
        return Strip(segments).crop_extend(0, width, header)


def bindings_opening(description: str, tooltip: str) -> list[BindingType]:
    """The users table's keys for another table of the same engine, Enter named for what its row opens."""
    return [
        Binding("enter", "select_cursor", description, tooltip=tooltip),
        *[b for b in UserTable.BINDINGS if not (isinstance(b, Binding) and b.key == "enter")],
    ]
