"""A query's columns read the same through NumPy and without it (a small result is read without importing NumPy)."""

from __future__ import annotations

import pytest

from copilot_tui import facts

QUERY = (
    "SELECT i AS user_id, 'login-' || i AS login, (i * 3)::BIGINT AS n, i * 1.5 AS x, i % 2 = 0 AS flag,"
    " CASE WHEN i % 3 = 0 THEN NULL ELSE 'v' || i END AS version, CASE WHEN i % 4 = 0 THEN NULL ELSE i END AS maybe"
    " FROM range({rows}) r(i) ORDER BY i DESC"
)


@pytest.mark.parametrize("rows", [0, 1, 50])
def test_columns_read_without_numpy_equal_those_read_through_it(monkeypatch: pytest.MonkeyPatch, rows: int) -> None:
    con = facts.connect(threads=1)
    try:
        sql = QUERY.format(rows=rows)
        monkeypatch.setattr(facts, "NUMPY_ROWS", 0)  # every result through NumPy
        through = facts._columns(con, sql)  # noqa: SLF001
        monkeypatch.setattr(facts, "NUMPY_ROWS", 1 << 30)
        monkeypatch.delitem(facts.sys.modules, "numpy", raising=False)  # as before NumPy is first imported
        without = facts._columns(con, sql)  # noqa: SLF001
    finally:
        con.close()
    assert without == through
    assert list(without) == ["user_id", "login", "n", "x", "flag", "version", "maybe"]
    assert len(without["user_id"]) == rows
    assert [type(v) for v in without["user_id"]] == [type(v) for v in through["user_id"]]
    if rows:
        assert without["user_id"][0] == rows - 1 and without["maybe"][0] in (None, rows - 1)
