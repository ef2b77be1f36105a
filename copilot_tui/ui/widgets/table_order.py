"""The users table's ordering engine: a column's stable ascending order, missing values last, and the filter's
scan, for hundreds of thousands of rows.

Small columns sort with `sorted` on extracted keys; from `NUMPY_MIN_ROWS` values numpy's stable argsort does it in
C, on keys converted only when numpy orders them exactly as `sorted` would (else `sorted` it is). numpy is imported
in a thread (`start_numpy_import`), so small tables and the app's start-up never load it. `OrderInProgress` computes
one order in short steps, so the table's idle warm-up never holds the event loop for long. Nothing here knows about
the screen: `UserTable` (:mod:`copilot_tui.ui.widgets.user_table`) asks for the orders and shows them.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from itertools import compress, islice, repeat
from math import isnan
from operator import contains, is_, is_not
from typing import Any

NUMPY_MIN_ROWS = 20_000
"""Columns with at least this many values sort with numpy (once it is imported); fewer sort with `sorted`."""
STRING_ARRAY_LIMIT = 64 * 2**20
"""Bytes of the fixed-width text array numpy sorts at most: a column with a very long text sorts with `sorted`."""


def lowercase(values: Sequence[Any]) -> list[str]:
    try:
        return list(map(str.lower, values))
    except TypeError:
        return ["" if value is None else str(value).lower() for value in values]


NONE_TYPE = type(None)
_numpy: Any = None
"""The numpy module once `_import_numpy` has imported it; None until then (and for good if it is not installed)."""
_numpy_import: threading.Thread | None = None


def _import_numpy() -> None:
    global _numpy
    try:
        import numpy
    except Exception:  # not installed, or broken: the sorts stay with `sorted`
        return
    _numpy = numpy


def start_numpy_import() -> threading.Thread:
    """Import numpy in a thread (once): ~100-150 ms on a 2-core machine, which no key press should wait for. The
    sorts use it once it is there and `sorted` until then. Join the thread returned to wait for it."""
    global _numpy_import
    if _numpy_import is None:
        _numpy_import = threading.Thread(target=_import_numpy, name="user-table-numpy")
        _numpy_import.start()
    return _numpy_import


def numpy_ready() -> Any:
    """numpy if imported, else None (and its import starts: this sort is done with `sorted`)."""
    if _numpy is None:
        start_numpy_import()
    return _numpy


def _numpy_keys(np: Any, keys: Iterable[Any], count: int, types: set[type] | None = None, missing: int = 0) -> Any:
    """The `count` `keys` as a numpy array whose stable argsort is exactly `sorted`'s order of the keys, or None
    when numpy could not promise that: other types (say tuples, datetimes, a `sort_key`'s objects, a mix), ints
    beyond 64 bits, NaN, ints and floats mixed beyond 2**53, texts with NUL characters (numpy drops trailing ones)
    or very long. `types`: the types of the keys other than None when known (reading 200k values scattered in
    memory costs ~20-30 ms a pass, so the values are read as few times as possible). `missing`: how many keys are
    None (numbers only): they become NaN, which the stable argsort puts last in data order, as the table does."""
    if types is None:
        keys = list(keys)
        types = set(map(type, keys))
    try:
        if missing:
            if not types <= {int, bool, float}:
                return None
            numbers = np.fromiter(keys, np.float64, count)
            if int(np.isnan(numbers).sum()) != missing:
                return None  # NaN values of its own: sorted() has no consistent order for them
            if int in types and np.nanmax(np.abs(numbers)) >= 2.0**53:
                return None  # an int may have been rounded
            return numbers
        if types == {bool}:
            return np.fromiter(keys, np.int8, count)
        if types <= {int, bool}:
            return np.fromiter(keys, np.int64, count)  # OverflowError beyond 64 bits
        if types <= {int, bool, float}:
            numbers = np.fromiter(keys, np.float64, count)
            if np.isnan(numbers).any():
                return None  # sorted() has no consistent order for NaN
            if int in types and np.abs(numbers).max() >= 2.0**53:
                return None  # an int may have been rounded
            return numbers
        if types == {date}:
            return np.fromiter(map(date.toordinal, keys), np.int64, count)
        if types == {str}:
            return _numpy_text(np, keys if isinstance(keys, list) else list(keys))
    except (OverflowError, ValueError, TypeError):
        return None
    return None


def _numpy_text(np: Any, keys: list[str]) -> Any:
    """Texts ordered by code point as `sorted` does: a few distinct ones (IDE or language names) as their ranks,
    others as a fixed-width byte (ASCII) or UCS-4 array."""
    count = len(keys)
    if len(set(islice(keys, 1024))) <= 64:
        distinct = set(keys)
        if len(distinct) < 2**15:
            rank = {text: number for number, text in enumerate(sorted(distinct))}
            return np.fromiter(map(rank.__getitem__, keys), np.int16, count)
    joined = "".join(keys)
    if "\x00" in joined:
        return None
    ascii_only = joined.isascii()
    longest = max(1, max(map(len, keys), default=0))
    if longest * count * (1 if ascii_only else 4) > STRING_ARRAY_LIMIT:
        return None
    return np.array(keys, dtype=f"S{longest}" if ascii_only else f"U{longest}")


def _numpy_sorted(np: Any, keys: Any, rows: Sequence[int] | None, count: int) -> array[int]:
    """The first `count` of the stable ascending order of `keys` (a `_numpy_keys` array), as the `rows` the keys
    are of (None: the keys are of rows 0, 1, 2...; then any after `count` are the missing values' NaN)."""
    order = np.argsort(keys, kind="stable")
    if rows is not None:
        order = np.fromiter(rows, np.intp, len(rows))[order]
    elif count < len(order):
        order = order[:count]
    return array("i", order.astype(np.intc).tobytes())


def sorted_rows(rows: Sequence[int], keys: Sequence[Any]) -> list[int] | array[int]:
    """`rows` stably sorted by `keys` (one key per row, aligned with `rows`): numpy for many rows, else `sorted`."""
    if len(rows) >= NUMPY_MIN_ROWS:
        np = numpy_ready()
        numbers = None if np is None else _numpy_keys(np, keys, len(keys))
        if numbers is not None:
            whole = isinstance(rows, range) and rows.start == 0 and rows.step == 1
            return _numpy_sorted(np, numbers, None if whole else rows, len(rows))
    return list(map(rows.__getitem__, sorted(range(len(rows)), key=keys.__getitem__)))


def has_nan(values: Sequence[Any]) -> bool:
    """Whether numbers (and None) hold a NaN; True too for an int too large for a float (no telling then)."""
    try:
        return any(map(isnan, compress(values, map(is_not, values, repeat(None)))))
    except OverflowError:
        return True


def matching(rows: Sequence[int], needle: str, lower: Sequence[str]) -> array[int]:
    """The `rows` whose lowercase text contains `needle`, in their order. For many rows, the texts are read in data
    order (memory order: ~10 ms at 200k rows, where reading them in a sort's order misses the cache: ~90 ms)."""
    if len(rows) * 4 < len(lower):
        return array("i", [index for index in rows if needle in lower[index]])
    hits = bytearray(map(contains, lower, repeat(needle)))
    return array("i", compress(rows, map(hits.__getitem__, rows)))


class OrderInProgress:
    """One column's ascending order, computable in short steps for the idle warm-up: read the column's values a
    slice of rows at a time (a property that computes, say a top-IDE from a Counter, costs ~1 us a row: 0.2 s at
    200k rows), split off the missing values, make the sort keys, then either (from `NUMPY_MIN_ROWS` values, numpy
    imported, keys it can order) make a numpy array of the keys and argsort it, one step each, or sort a slice of
    rows per step and merge neighbouring sorted runs two at a time (Timsort merges two runs in about one comparison
    per row). So no step holds the event loop for long. `finish` does whatever is left in one go."""

    def __init__(
        self,
        key: str,
        count: int,
        fetch: Callable[[int, int], Sequence[Any]],
        make_keys: Callable[[Sequence[Any], bool], Sequence[Any] | None],
    ) -> None:
        self.key = key
        self._count = count
        self._fetch = fetch
        """Values of rows start..stop, in data order."""
        self._make_keys: Callable[[Sequence[Any], bool], Sequence[Any] | None] | None = make_keys
        """Sort keys from all values (None: the values themselves)."""
        self._parts: list[Sequence[Any]] = []
        self._fetched = 0
        self.keys: Sequence[Any] = ()
        self._present: Sequence[int] | None = range(0)
        self._present_count = 0
        self.missing: list[int] = []
        self.runs: list[list[int]] = []
        """Sorted runs of the first `done` rows of `present`, in data order (so merging neighbours stays stable)."""
        self.done = 0
        self.complete: list[int] | array[int] | None = None
        self._numpy_ok = False
        """The keys are many and numpy has not declined them (yet)."""
        self._kinds: list[type] | None = None
        """Each row's value type, when some are missing: for `present` and for numpy to read the keys of those."""
        self._key_types: set[type] | None = None
        """The types of the keys of `present`, when known without reading them again."""
        self._array: Any = None
        """The keys of `present` as a numpy array, made by one step and sorted by the next."""

    @property
    def present(self) -> Sequence[int]:
        """Rows with a value, in data order; `missing` are those without, sorted last. Listed when first needed
        (numpy sorting numbers does without the list)."""
        if self._present is None:
            assert self._kinds is not None
            self._present = list(compress(range(len(self._kinds)), map(is_not, self._kinds, repeat(NONE_TYPE))))
        return self._present

    def given(self, values: Sequence[Any]) -> None:
        """All values are at hand already: nothing to read."""
        self._parts = [values]
        self._fetched = self._count

    def step(self, size: int) -> bool:
        """One short piece of the work; False when only `finish` (an array conversion) is left."""
        if self.complete is not None:
            return False
        try:
            if self._fetched < self._count:
                part = self._fetch(self._fetched, min(self._count, self._fetched + size))
                self._parts.append(part)
                self._fetched += len(part)
            elif self._make_keys is not None:
                self._prepare()
            elif self._numpy_ok and not self.done and (np := numpy_ready()) is not None:
                if self._array is None:
                    self._array = self._numpy_keys(np)
                    self._numpy_ok = self._array is not None
                else:
                    self.complete = self._numpy_sorted(np, self._array)
                    self._array = None
                    return False
            elif self.done < len(self.present):
                rows = self.present[self.done : self.done + size]
                self.runs.append(self._sorted(rows))
                self.done += len(rows)
            elif len(self.runs) > 1:
                runs = self.runs
                at = min(range(len(runs) - 1), key=lambda index: len(runs[index]) + len(runs[index + 1]))
                runs[at : at + 2] = [self._sorted(runs[at] + runs[at + 1])]
            else:
                self.complete = self.runs[0] if self.runs else []
                return False
        except TypeError:
            self._by_text()
        return True

    def finish(self, *, compact: bool = True) -> tuple[Sequence[int], int]:
        """The whole order, missing values last, and how many are missing: an `array` (4 bytes a row) when
        `compact` or sorted by numpy, else the list as sorted (no conversion, for an answer the user waits for)."""
        if self.complete is None:
            try:
                if self._fetched < self._count:
                    self._parts.append(self._fetch(self._fetched, self._count))
                    self._fetched = self._count
                if self._make_keys is not None:
                    self._prepare()
                if self._numpy_ok and not self.done and (np := numpy_ready()) is not None:
                    keys = self._array if self._array is not None else self._numpy_keys(np)
                    self._array = None
                    if keys is not None:
                        self.complete = self._numpy_sorted(np, keys)
                if self.complete is None:
                    if self.done < len(self.present):
                        rest = self.present[self.done :] if self.done else self.present
                        self.runs.append(self._sorted(rest))
                        self.done = len(self.present)
                    if len(self.runs) == 1:
                        self.complete = self.runs[0]
                    else:
                        self.complete = self._sorted([row for run in self.runs for row in run])
            except TypeError:
                self._by_text()
        complete = self.complete
        assert complete is not None
        order = complete if isinstance(complete, array) or not compact else array("i", complete)
        order.extend(self.missing)
        return order, len(self.missing)

    def _prepare(self) -> None:
        """All values read: split off the missing ones and make the sort keys."""
        parts = self._parts
        values: Sequence[Any] = parts[0] if len(parts) == 1 else [value for part in parts for value in part]
        self._parts = []
        count = len(values)
        kinds = list(map(type, values))  # the one read of every value here: the rest reads this list
        types = set(kinds)
        self._present = range(count)
        if NONE_TYPE in types:
            types.discard(NONE_TYPE)
            self.missing = list(compress(range(count), map(is_, kinds, repeat(NONE_TYPE))))
            self._present, self._kinds = None, kinds
        self._present_count = count - len(self.missing)
        assert self._make_keys is not None
        keys = self._make_keys(values, bool(self.missing)) if self._present_count else None
        self.keys = values if keys is None else keys
        self._make_keys = None
        self._numpy_ok = self._present_count >= NUMPY_MIN_ROWS
        self._key_types = types if keys is None else None

    def _numpy_keys(self, np: Any) -> Any:
        """The keys of `present` as a `_numpy_keys` array (None: numpy declines them)."""
        keys: Iterable[Any] = self.keys
        types = self._key_types
        if self._kinds is None:
            return _numpy_keys(np, keys, self._present_count, types)
        if types is not None and types <= {int, bool, float}:  # numbers, some missing: None read as NaN
            return _numpy_keys(np, keys, len(self.keys), types, missing=len(self.missing))
        keys = compress(keys, map(is_not, self._kinds, repeat(NONE_TYPE)))
        return _numpy_keys(np, keys, self._present_count, types)

    def _numpy_sorted(self, np: Any, keys: Any) -> array[int]:
        whole = self._kinds is None or len(keys) > self._present_count
        return _numpy_sorted(np, keys, None if whole else self.present, self._present_count)

    def _sorted(self, rows: Sequence[int]) -> list[int]:
        return sorted(rows, key=self.keys.__getitem__)

    def _by_text(self) -> None:
        """Values that do not compare (mixed types): order everything by its text, in one go."""
        text = [str(value) for value in self.keys]
        self.keys = text
        self._numpy_ok = False
        self._array = None
        self.complete = sorted_rows(
            self.present, text if isinstance(self.present, range) else [text[row] for row in self.present]
        )


def numpy_worth_importing(count: int) -> bool:
    """Whether a column of `count` values sorts with numpy and numpy's import has not started yet."""
    return count >= NUMPY_MIN_ROWS and _numpy_import is None
