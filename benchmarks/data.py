"""Enterprise-sized users reports for the benchmarks, made by stamping new users into real demo lines.

The demo generator builds each line from its model of a person (about 0.6 ms a line): 200,000 users x 28 days would
take an hour. Instead a pool of lines is generated once (the demo's largest org over a few days: every shape the
demo makes, busy and quiet users, CLI, agent and review users), and each benchmark line is a pool line with a new
``day``, ``user_id`` and ``user_login`` stamped in at the byte level. A benchmark user always takes the lines of one
demo person (their IDEs, languages and habits), so per-user summaries are as varied as the demo's. Every user has a line on every day (the
worst case: a report of N users x D days holds N x D lines). Lines are written day by day to temp files, never held
whole in memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from copilot_tui.metrics.demo import DemoDataset

POOL_ORG = "octo-corp"
POOL_DAYS = 2
FIRST_USER_ID = 50_000_000
_FIELDS = re.compile(rb'^(\{"day":")(\d{4}-\d{2}-\d{2})(".*?"user_id":)(\d+)(,"user_login":")([^"]*)(".*)$', re.S)


@dataclass(frozen=True, slots=True)
class Template:
    head: bytes
    middle: bytes
    between: bytes
    tail: bytes


def line_pool(days: int = POOL_DAYS) -> list[list[Template]]:
    """Demo users-report lines of ``POOL_ORG`` by person, cut around the fields that get stamped."""
    dataset = DemoDataset(days=max(days, 2))
    people: dict[bytes, list[Template]] = {}
    for day in [dataset.last_day - timedelta(days=i) for i in range(days)]:
        for line in b"".join(dataset.iter_ndjson("org", POOL_ORG, "users-1-day", day)).splitlines():
            m = _FIELDS.match(line)
            if m is None:
                raise ValueError(f"unexpected demo line shape: {line[:80]!r}")
            people.setdefault(m[4], []).append(Template(m[1], m[3], m[5], m[7]))
    return list(people.values())


def login(user: int) -> bytes:
    return b"dev-%06d" % user


def day_lines(pool: list[list[Template]], users: int, day: date, day_index: int) -> Iterator[bytes]:
    """Chunks of NDJSON (about 1 MB each) for every user on ``day``."""
    stamp = day.isoformat().encode()
    n = len(pool)
    chunk: list[bytes] = []
    for user in range(users):
        person = pool[user % n]
        t = person[day_index % len(person)]
        chunk.append(
            b"%s%s%s%d%s%s%s\n" % (t.head, stamp, t.middle, FIRST_USER_ID + user, t.between, login(user), t.tail)
        )
        if len(chunk) == 400:
            yield b"".join(chunk)
            chunk = []
    if chunk:
        yield b"".join(chunk)


@dataclass(frozen=True, slots=True)
class UsersFiles:
    users: int
    days: tuple[date, ...]
    paths: tuple[Path, ...]
    """One NDJSON file per day (a users-1-day report each)."""
    bytes: int
    lines: int


def write_users_report(
    directory: Path, users: int, days: int, end: date, pool: list[list[Template]] | None = None
) -> UsersFiles:
    """Write ``users`` x ``days`` lines as one file per day under ``directory``; reused when already there."""
    directory.mkdir(parents=True, exist_ok=True)
    pool = pool if pool is not None else line_pool()
    day_list = tuple(end - timedelta(days=days - 1 - i) for i in range(days))
    paths = []
    total = 0
    for i, day in enumerate(day_list):
        path = directory / f"users-{users}-{day.isoformat()}.ndjson"
        done = path.with_suffix(".done")
        if not done.exists():
            with open(path, "wb") as out:
                for chunk in day_lines(pool, users, day, i):
                    out.write(chunk)
            done.write_text(str(path.stat().st_size))
        total += path.stat().st_size
        paths.append(path)
    return UsersFiles(users, day_list, tuple(paths), total, users * days)


def file_chunks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    with open(path, "rb") as f:
        while chunk := f.read(size):
            yield chunk
