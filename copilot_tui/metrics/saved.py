"""The saved form of a users aggregate: what the next start paints from, without building every user's details.

A 50,000-user aggregate is about 500,000 small dicts and Counters (each user's flags, CLI sums, features, IDEs,
languages, models and versions). Decoding them all would cost a cold start about a second, while the first screen
needs none of them: the users table shows the counts, the top IDE and language and three flags. So each piece of
``USERS_PER_PIECE`` users is saved as two frames:

- the *rows*: id, login, days active, last active day, AI credits, and the properties the table reads of every
  row (``SAVED_PROPERTIES``: the counts, the rate, three flags, the top feature / IDE / language / model, the
  IDE and plugin versions) as the
  live summary computed them; the users list also carries them as columns (:class:`SavedUsers`);
- the *details*: everything else (the activity sums among them), kept compressed and decoded for all users of the piece the first time any of
  them is asked for one (a drill-down, an export, the teams join), under a lock, so a worker thread and the UI
  never decode a piece twice or see half of one.

The users come back as :class:`SavedUserSummary`, a :class:`UserSummary` whose detail fields read their piece on
first use: equal to the summary that was saved, field for field and property for property (a test checks every
one), and pickled or copied as a plain ``UserSummary``.

Frames are zlib pieces behind a 4-byte length; the first frame holds the period, series, breakdowns and problems.
"""

from __future__ import annotations

import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import orjson

from copilot_tui.metrics.aggregate import AGGREGATE_FORMAT, UsersAggregate
from copilot_tui.metrics.derive import BreakdownRow, FeatureSeries, Period, UserSummary
from copilot_tui.metrics.gcpause import gc_paused
from copilot_tui.metrics.model import ACTIVITY_FIELDS, LineProblem, VersionSample

SAVED_FORM = 3
"""Bumped when the layout of the frames changes (``AGGREGATE_FORMAT`` covers the numbers)."""
USERS_PER_PIECE = 2000
"""Users per piece: a drill-down decodes the details of this many users (about 20 ms)."""

#: Fields read from the details frame on first use, in the order saved.
DETAIL_FIELDS = (
    "activity",
    "flags",
    "cli",
    "features",
    "ides",
    "languages",
    "models",
    "ide_versions",
    "cli_version",
    "plugin_versions",
)
#: Properties answered from the rows frame, in the order saved (what the users table reads of every row).
SAVED_PROPERTIES = (
    "interactions",
    "generations",
    "acceptances",
    "loc_added",
    "acceptance_rate",
    "used_agent",
    "used_chat",
    "used_cli",
    "top_feature",
    "top_ide",
    "top_language",
    "top_model",
    "ide_version_text",
    "plugin_version_text",
)
#: The detail fields the saved properties are computed from: setting one forgets the saved values.
_DECIDES = frozenset(
    {"activity", "flags", "features", "ides", "languages", "models", "ide_versions", "plugin_versions"}
)


class SavedUsers(list[UserSummary]):
    """The users of a saved aggregate, with ``columns``: each saved property's values in the users' order (read
    from the rows frames at no extra cost, for the users table's first sort)."""

    columns: dict[str, list[Any]]


# ------------------------------------------------------------------------------------------------------- writing


def encode_aggregate(agg: UsersAggregate) -> bytes:
    """The aggregate in its saved form (see the module's docstring)."""
    head = {
        "format": [AGGREGATE_FORMAT, SAVED_FORM],
        "period": [agg.period.start.isoformat(), agg.period.end.isoformat()],
        "series": [[f.feature, f.interactions, f.generations, f.acceptances, f.loc_added, f.users] for f in agg.series],
        "breakdowns": [
            [[r.name, r.users, [r.activity[name] for name in ACTIVITY_FIELDS]] for r in rows]
            for rows in (agg.by_ide, agg.by_language, agg.by_model)
        ],
        "lines": agg.lines,
        "problems": [[p.source, p.line_no, p.message] for p in agg.problems],
    }
    frames = [_frame(head)]
    for start in range(0, len(agg.users), USERS_PER_PIECE):
        piece = agg.users[start : start + USERS_PER_PIECE]
        frames.append(_frame([_row(s) for s in piece]))
        frames.append(_frame([_details(s) for s in piece]))
    return b"".join(frames)


def _row(s: UserSummary) -> list[Any]:
    return [
        s.user_id,
        s.user_login,
        s.days_active,
        s.last_active_day.isoformat() if s.last_active_day else None,
        s.ai_credits_used,
        [getattr(s, name) for name in SAVED_PROPERTIES],
    ]


def _details(s: UserSummary) -> list[Any]:
    return [
        [s.activity[name] for name in ACTIVITY_FIELDS],
        s.flags,
        s.cli,
        s.features,
        s.ides,
        s.languages,
        s.models,
        {ide: [v.version, v.sampled_at] for ide, v in s.ide_versions.items()},
        [s.cli_version.version, s.cli_version.sampled_at] if s.cli_version else None,
        {ide: [v.version, v.sampled_at, v.plugin] for ide, v in s.plugin_versions.items()},
    ]


def _frame(doc: Any) -> bytes:
    packed = zlib.compress(orjson.dumps(doc), 1)
    return len(packed).to_bytes(4, "big") + packed


# ------------------------------------------------------------------------------------------------------- reading


def _frames(data: bytes) -> Iterator[bytes]:
    """The compressed frames, checked for length (decompressed by the caller, when it needs them)."""
    at = 0
    while at < len(data):
        size = int.from_bytes(data[at : at + 4], "big")
        piece = data[at + 4 : at + 4 + size]
        if len(piece) != size or size == 0:
            raise ValueError("not a saved aggregate: cut short")
        at += 4 + size
        yield piece


def _load(frame: bytes) -> Any:
    try:
        return orjson.loads(zlib.decompress(frame))
    except (zlib.error, orjson.JSONDecodeError) as exc:
        raise ValueError(f"not a saved aggregate: {exc}") from exc


def decode_aggregate(data: bytes) -> UsersAggregate:
    """The inverse of :func:`encode_aggregate`; raises ``ValueError`` for data of another form.

    The users' rows are read now; their details stay compressed until asked for (:class:`SavedUserSummary`). A
    details frame that turns out damaged then raises ``ValueError`` from the field that asked.
    """
    with gc_paused():
        return _decode_aggregate(data)


def _decode_aggregate(data: bytes) -> UsersAggregate:
    frames = _frames(data)
    first = next(frames, None)
    doc = _load(first) if first is not None else None
    if not isinstance(doc, dict) or doc.get("format") != [AGGREGATE_FORMAT, SAVED_FORM]:
        raise ValueError("a saved aggregate of another format")
    period = Period(date.fromisoformat(doc["period"][0]), date.fromisoformat(doc["period"][1]))
    days = {d.isoformat(): d for d in period.each_day()}
    new = object.__new__
    cls = SavedUserSummary
    users = SavedUsers()
    saved_values: list[list[Any]] = []
    for rows_frame in frames:
        details_frame = next(frames, None)
        if details_frame is None:
            raise ValueError("not a saved aggregate: a piece without its details")
        piece: list[SavedUserSummary] = []
        details = _Details(details_frame, piece)
        for uid, login, active, last, credits, saved in _load(rows_frame):
            # slot by slot: the dataclass __init__ would make the detail containers only to drop them
            s = new(cls)
            s.user_id = uid
            s.user_login = login
            s.days_active = active
            s.last_active_day = days[last] if last is not None else None
            s.ai_credits_used = credits
            s._saved = saved
            s._details = details
            piece.append(s)
            saved_values.append(saved)
        users += piece
    columns = zip(*saved_values, strict=True) if saved_values else ([] for _ in SAVED_PROPERTIES)
    users.columns = dict(zip(SAVED_PROPERTIES, map(list, columns), strict=True))
    day_tuple = tuple(days.values())
    series = [FeatureSeries(f, day_tuple, *(tuple(v) for v in values)) for f, *values in doc["series"]]
    by_ide, by_language, by_model = (
        [BreakdownRow(name, count, dict(zip(ACTIVITY_FIELDS, sums, strict=True))) for name, count, sums in rows]
        for rows in doc["breakdowns"]
    )
    problems = tuple(LineProblem(source, line_no, message) for source, line_no, message in doc["problems"])
    return UsersAggregate(period, users, series, by_ide, by_language, by_model, doc["lines"], problems)


class _Details:
    """One piece's details frame, decoded into its users' slots the first time any of them needs it."""

    __slots__ = ("_frame", "_users", "_lock")

    def __init__(self, frame: bytes, users: list[SavedUserSummary]) -> None:
        self._frame: bytes | None = frame
        self._users = users
        self._lock = threading.Lock()

    def fill(self) -> None:
        with self._lock:
            if self._frame is None:
                return
            rows = _load(self._frame)
            if len(rows) != len(self._users):
                raise ValueError("not a saved aggregate: details of another piece")
            with gc_paused():
                for s, values in zip(self._users, rows, strict=True):
                    _set_detail(s, *values)
            self._frame = None


def _counter(plain: dict[str, int]) -> Counter[str]:
    c: Counter[str] = Counter.__new__(Counter)
    dict.update(c, plain)
    return c


_SLOTS = {name: UserSummary.__dict__[name] for name in DETAIL_FIELDS}
"""The dataclass's own slot descriptors, which :class:`SavedUserSummary`'s properties stand in front of."""


def _set_detail(s: SavedUserSummary, *values: Any) -> None:
    activity, flags, cli, feats, ides, langs, models, versions, cli_v, plugins = values
    slot = _SLOTS
    if _unset(s, "activity"):
        slot["activity"].__set__(s, dict(zip(ACTIVITY_FIELDS, activity, strict=True)))
    if _unset(s, "flags"):  # a field set on the object since it was read wins over the saved one
        slot["flags"].__set__(s, flags)
    if _unset(s, "cli"):
        slot["cli"].__set__(s, cli)
    for name, plain in (("features", feats), ("ides", ides), ("languages", langs), ("models", models)):
        if _unset(s, name):
            slot[name].__set__(s, _counter(plain))
    if _unset(s, "ide_versions"):
        slot["ide_versions"].__set__(s, {ide: VersionSample(v, at) for ide, (v, at) in versions.items()})
    if _unset(s, "cli_version"):
        slot["cli_version"].__set__(s, VersionSample(cli_v[0], cli_v[1]) if cli_v else None)
    if _unset(s, "plugin_versions"):
        slot["plugin_versions"].__set__(s, {ide: VersionSample(*v) for ide, v in plugins.items()})


def _unset(s: UserSummary, name: str) -> bool:
    try:
        _SLOTS[name].__get__(s, UserSummary)
    except AttributeError:
        return True
    return False


def _detail_field(name: str) -> property:
    slot = _SLOTS[name]
    forgets = name in _DECIDES

    def get(self: SavedUserSummary) -> Any:
        try:
            return slot.__get__(self, UserSummary)
        except AttributeError:
            self._details.fill()
            return slot.__get__(self, UserSummary)

    def set_(self: SavedUserSummary, value: Any) -> None:
        slot.__set__(self, value)
        if forgets:
            self._forget_saved()

    return property(get, set_, doc=f"``{name}``, read from the saved details on first use")


def _saved_property(index: int, name: str) -> property:
    computed: Callable[[UserSummary], Any] = UserSummary.__dict__[name].fget

    def get(self: SavedUserSummary) -> Any:
        saved = self._saved
        return computed(self) if saved is None else saved[index]

    return property(get, doc=f"``{name}`` as saved (computed again once a field it depends on is set)")


class SavedUserSummary(UserSummary):
    """A :class:`UserSummary` read from a saved aggregate: the detail fields are decoded on first use.

    Equal to the summary that was saved (and to any ``UserSummary`` with the same fields); pickles and copies as a
    plain ``UserSummary`` with every field read.
    """

    __slots__ = ("_saved", "_details")

    _saved: list[Any] | None
    _details: _Details

    def _forget_saved(self) -> None:
        self._saved = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, UserSummary):
            return NotImplemented
        return _fields(self) == _fields(other)

    __hash__ = None  # type: ignore[assignment]  # as the dataclass: mutable, not hashable

    def __reduce__(self) -> tuple[Any, ...]:
        return (UserSummary, _fields(self))


def _fields(s: UserSummary) -> tuple[Any, ...]:
    return tuple(getattr(s, name) for name in UserSummary.__dataclass_fields__)


for _name in DETAIL_FIELDS:
    setattr(SavedUserSummary, _name, _detail_field(_name))
for _index, _name in enumerate(SAVED_PROPERTIES):
    setattr(SavedUserSummary, _name, _saved_property(_index, _name))
del _name, _index
