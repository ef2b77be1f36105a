"""The demo's report files kept between runs (``copilot_tui.demo_cache``): a second start reads them instead of making
them, with the very same numbers; a damaged or foreign file is ignored and written anew."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from copilot_tui import demo_cache
from copilot_tui.licenses import demo_seats
from copilot_tui.metrics.demo import DemoDataset, DemoOrg
from copilot_tui.scope import Scope
from copilot_tui.sources.demo import DemoSource

ORG = Scope("org", "ant")


def small(seed: int = 7) -> DemoDataset:
    return DemoDataset(orgs=(DemoOrg("ant", "3001", 12, 2), DemoOrg("bee", "3002", 9, 2)), days=20, seed=seed)


def numbers(snap: Any) -> tuple[Any, ...]:
    agg = snap.users_aggregate()
    return (snap.day_totals, agg.users, agg.series, agg.by_ide, agg.by_language, agg.by_model, snap.team_rows)


class NoMaking(DemoDataset):
    """A dataset that refuses to make report files or seats: whatever it serves must come from the kept file."""

    def iter_ndjson(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"made a report file: {args}")

    def seats(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"made seats: {args}")


async def test_a_second_start_reads_the_kept_files_and_shows_the_same_numbers(tmp_path: Path) -> None:
    kept = tmp_path / "demo-reports.bin"
    first = await DemoSource(small(), keep_in=kept).load(ORG, days=14)
    assert kept.exists()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600

    refusing = NoMaking(orgs=small().orgs, days=20)
    again = await DemoSource(refusing, keep_in=kept).load(ORG, days=14)
    assert numbers(again) == numbers(first)


async def test_without_a_file_to_keep_in_nothing_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    await DemoSource(small()).load(ORG, days=7)
    assert list(tmp_path.iterdir()) == []


async def test_files_of_another_dataset_are_not_used(tmp_path: Path) -> None:
    kept = tmp_path / "demo-reports.bin"
    await DemoSource(small(seed=7), keep_in=kept).load(ORG, days=7)
    other = await DemoSource(small(seed=8), keep_in=kept).load(ORG, days=7)
    fresh = await DemoSource(small(seed=8)).load(ORG, days=7)
    assert numbers(other) == numbers(fresh)
    assert demo_cache.read(kept, demo_cache.fingerprint(small(seed=8)))  # written anew for the seed in use
    assert not demo_cache.read(kept, demo_cache.fingerprint(small(seed=7)))


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
async def test_a_damaged_file_is_ignored_and_written_anew(tmp_path: Path, damage: str) -> None:
    kept = tmp_path / "demo-reports.bin"
    expected = await DemoSource(small(), keep_in=kept).load(ORG, days=7)
    data = kept.read_bytes()
    kept.write_bytes({"truncated": data[: len(data) - 5], "garbage": b"\x00" * 100, "empty": b""}[damage])

    again = await DemoSource(small(), keep_in=kept).load(ORG, days=7)
    assert numbers(again) == numbers(expected)
    assert len(demo_cache.read(kept, demo_cache.fingerprint(small()))) > 0


def test_a_truncated_entry_reads_as_nothing(tmp_path: Path) -> None:
    kept = tmp_path / "demo-reports.bin"
    key = (ORG, "users-1-day", small().last_day)
    demo_cache.write(kept, "stamp", {key: b"x" * 50}, {key: 500})
    assert demo_cache.read(kept, "stamp") == {key: (b"x" * 50, 500)}
    kept.write_bytes(kept.read_bytes()[:-1])
    assert demo_cache.read(kept, "stamp") == {}


def test_an_unwritable_place_leaves_the_demo_running(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a directory should be")
    key = (ORG, "users-1-day", small().last_day)
    demo_cache.write(blocker / "demo-reports.bin", "stamp", {key: b"x"}, {key: 1})  # logs, does not raise
    assert demo_cache.read(blocker / "demo-reports.bin", "stamp") == {}


async def test_a_kept_file_damaged_inside_is_made_again_and_rewritten(tmp_path: Path) -> None:
    """The framing reads fine but a file's compressed bytes do not inflate: the demo makes that file again."""
    kept = tmp_path / "demo-reports.bin"
    expected = await DemoSource(small(), keep_in=kept).load(ORG, days=7)
    stamp = demo_cache.fingerprint(small())
    files = demo_cache.read(kept, stamp)
    key = next(k for k in files if k[1] == "users-1-day")
    packed, size = files[key]
    broken = {k: (v[0] if k != key else packed[:2] + bytes(len(packed) - 2)) for k, v in files.items()}
    demo_cache.write(kept, stamp, broken, {k: v[1] for k, v in files.items()})

    source = DemoSource(small(), keep_in=kept)
    again = await source.load(ORG, days=7)
    assert numbers(again) == numbers(expected)  # the users' numbers come from the facts kept beside
    assert again.user_rows == expected.user_rows  # the users lines are read: the damaged file is made again
    await source.load(ORG, days=6)  # and kept with the next load
    assert demo_cache.read(kept, stamp)[key] == (packed, size)  # written anew, whole


@pytest.mark.parametrize("scope", [ORG, Scope("enterprise", "octo-enterprise")])
async def test_seats_are_kept_with_the_files(tmp_path: Path, scope: Scope) -> None:
    """Making seats makes every day's plan of every user: a second start reads them from the kept file."""
    kept = tmp_path / "demo-reports.bin"
    first = await DemoSource(small(), keep_in=kept).seats(scope)
    again = await DemoSource(NoMaking(orgs=small().orgs, days=20), keep_in=kept).seats(scope)
    assert again == first == demo_seats(small(), scope)  # as made from the dataset


async def test_a_start_reads_only_the_kept_files_its_period_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = tmp_path / "demo-reports.bin"
    first = DemoSource(small(), keep_in=kept)
    for scope in await first.scopes():
        await first.load(scope, days=20)
    read: list[Any] = []
    original = demo_cache.Kept.packed

    def packed(self: demo_cache.Kept, key: demo_cache.Key) -> bytes | None:
        read.append(key)
        return original(self, key)

    monkeypatch.setattr(demo_cache.Kept, "packed", packed)
    monkeypatch.setattr(demo_cache.Kept, "every_file", lambda self: pytest.fail("read every kept file"))
    again = await DemoSource(NoMaking(orgs=small().orgs, days=20), keep_in=kept).load(ORG, days=7)
    assert numbers(again) == numbers(await DemoSource(small()).load(ORG, days=7))
    assert read and {scope for scope, _kind, _day in read} == {ORG}
    assert {day for _scope, _kind, day in read} <= set(again.period.each_day())


def test_a_kept_file_replaced_after_it_was_indexed_is_not_read_at_the_old_places(tmp_path: Path) -> None:
    kept = tmp_path / "demo-reports.bin"
    day = small().last_day
    one, two = (ORG, "users-1-day", day), (ORG, "user-teams-1-day", day)
    demo_cache.write(kept, "stamp", {one: b"1" * 10, two: b"2" * 20}, {one: 100, two: 200})
    index = demo_cache.Kept.open(kept, "stamp")
    assert index.sizes() == {one: 100, two: 200}
    assert index.packed(two) == b"2" * 20
    demo_cache.write(kept, "stamp", {two: b"3" * 20, one: b"4" * 10}, {one: 100, two: 200})  # another process
    assert index.packed(two) is None  # made again by the caller, never another file's bytes
    assert demo_cache.Kept.open(kept, "stamp").packed(two) == b"3" * 20
