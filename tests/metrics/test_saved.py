"""The saved form of a users aggregate: equal when read back, details decoded only when asked, damage refused."""

from __future__ import annotations

import copy
import pickle
import threading
import zlib
from collections import Counter
from dataclasses import fields, replace

import orjson
import pytest

from copilot_tui.metrics import saved
from copilot_tui.metrics.aggregate import AGGREGATE_FORMAT, UsersAggregate, aggregate_users
from copilot_tui.metrics.demo import DemoDataset
from copilot_tui.metrics.derive import Period, UserSummary
from copilot_tui.metrics.saved import SavedUserSummary, decode_aggregate, encode_aggregate

PROPERTIES = [name for name, value in vars(UserSummary).items() if isinstance(value, property)]


@pytest.fixture(scope="module")
def agg() -> UsersAggregate:
    ds = DemoDataset(days=20)
    period = Period.last(14, ds.last_day)
    parts = [
        (d.isoformat(), b"".join(ds.iter_ndjson("org", ds.orgs[1].login, "users-1-day", d))) for d in period.each_day()
    ]
    result = aggregate_users([*parts, ("bad", b"{oops\n")], period)
    assert len(result.users) > 100 and result.problems
    return result


@pytest.fixture
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(saved, "USERS_PER_PIECE", 7)
    return 7


def pieces_decoded(users: list[UserSummary]) -> int:
    return len({id(u._details) for u in users if u._details._frame is None})  # type: ignore[attr-defined]


def test_read_back_equal_field_by_field_and_property_by_property(agg: UsersAggregate, small_pieces: int) -> None:
    back = decode_aggregate(encode_aggregate(agg))
    assert back == agg
    assert all(type(u) is SavedUserSummary for u in back.users)
    assert "top_ide" in PROPERTIES and "used_cli" in PROPERTIES and len(PROPERTIES) >= 12
    for was, now in zip(agg.users, back.users, strict=True):
        for f in fields(UserSummary):
            assert getattr(now, f.name) == getattr(was, f.name), (was.user_login, f.name)
        for name in PROPERTIES:
            assert getattr(now, name) == getattr(was, name), (was.user_login, name)
    assert type(back.users[0].features) is Counter


def test_the_users_carry_the_saved_properties_as_columns(agg: UsersAggregate, small_pieces: int) -> None:
    from copilot_tui.ui.widgets.users import COMPUTED_KEYS, column_values

    back = decode_aggregate(encode_aggregate(agg))
    columns = back.users.columns  # type: ignore[attr-defined]
    assert set(columns) == set(saved.SAVED_PROPERTIES) >= set(COMPUTED_KEYS)
    for name, values in columns.items():
        assert values == [getattr(u, name) for u in agg.users], name
    ready = column_values(back.users)
    assert all(ready[key] is columns[key] for key in COMPUTED_KEYS)  # taken as they are, nothing read again
    assert ready == column_values(agg.users)
    assert pieces_decoded(back.users) == 0


def test_the_table_columns_read_no_details_and_one_user_decodes_one_piece(
    agg: UsersAggregate, small_pieces: int
) -> None:
    from copilot_tui.ui.widgets.users import COLUMNS, ORG_COLUMN

    back = decode_aggregate(encode_aggregate(agg))
    for u in back.users:
        for column in COLUMNS:
            if column.key != ORG_COLUMN:  # an enterprise user's org comes from the seats, not the summary
                getattr(u, column.key)
    assert pieces_decoded(back.users) == 0
    one = back.users[30]
    assert one.features == agg.users[30].features
    assert pieces_decoded(back.users) == 1
    assert back.users[28].ides == agg.users[28].ides  # same piece of 7: nothing more decoded
    assert pieces_decoded(back.users) == 1


def test_a_field_set_after_reading_wins_and_its_top_follows(agg: UsersAggregate) -> None:
    back = decode_aggregate(encode_aggregate(agg))
    u = back.users[0]
    u.ides = Counter({"brand-new-ide": 10**9})
    assert u.top_ide == "brand-new-ide"
    u.flags = {"used_cli": True}
    assert u.used_cli is True and u.used_agent is False
    u.activity = {**u.activity, "code_generation_activity_count": 10, "code_acceptance_activity_count": 5}
    assert (u.generations, u.acceptance_rate) == (10, 0.5)
    assert back.users[0].ides == Counter({"brand-new-ide": 10**9})  # the piece decoded later keeps the new value


def test_copies_and_pickles_are_plain_summaries(agg: UsersAggregate) -> None:
    back = decode_aggregate(encode_aggregate(agg))
    u = back.users[5]
    for other in (pickle.loads(pickle.dumps(u)), copy.copy(u), copy.deepcopy(u)):
        assert type(other) is UserSummary
        assert other == agg.users[5] == u
    changed = replace(u, days_active=99)
    assert changed.days_active == 99 and changed.features == agg.users[5].features
    assert changed.top_ide == agg.users[5].top_ide


def test_threads_asking_for_one_piece_see_it_whole(agg: UsersAggregate, small_pieces: int) -> None:
    back = decode_aggregate(encode_aggregate(agg))
    seen: list[bool] = []
    start = threading.Barrier(8)

    def read(i: int) -> None:
        start.wait()
        seen.append(back.users[i].models == agg.users[i].models and back.users[i].cli == agg.users[i].cli)

    threads = [threading.Thread(target=read, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [True] * 8


def frame(doc: object) -> bytes:
    packed = zlib.compress(orjson.dumps(doc))
    return len(packed).to_bytes(4, "big") + packed


def test_damaged_or_foreign_data_is_refused(agg: UsersAggregate) -> None:
    good = encode_aggregate(agg)
    for bad in (b"", b"garbage", good[:-10], frame({"format": [AGGREGATE_FORMAT, -1]}), frame([1, 2])):
        with pytest.raises(ValueError):
            decode_aggregate(bad)
    # the head and one rows frame, its details frame missing
    head_size = int.from_bytes(good[:4], "big") + 4
    rows_size = int.from_bytes(good[head_size : head_size + 4], "big") + 4
    with pytest.raises(ValueError, match="details"):
        decode_aggregate(good[: head_size + rows_size])


def test_a_damaged_details_frame_fails_the_field_that_asks(agg: UsersAggregate) -> None:
    good = encode_aggregate(agg)
    head_size = int.from_bytes(good[:4], "big") + 4
    rows_size = int.from_bytes(good[head_size : head_size + 4], "big") + 4
    at = head_size + rows_size
    details_size = int.from_bytes(good[at : at + 4], "big")
    bad = good[: at + 4] + b"\x00" * details_size + good[at + 4 + details_size :]
    back = decode_aggregate(bad)
    assert back.users[0].user_login == agg.users[0].user_login
    with pytest.raises(ValueError, match="not a saved aggregate"):
        back.users[0].features  # noqa: B018
