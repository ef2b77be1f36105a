"""A period's users held as columns, each made a :class:`UserSummary` only when read.

At 200,000 users, building every user's summary (a dict of activity, the flags, the CLI sums, four Counters and
the version maps) costs seconds, while the first screen needs none of them: the users table reads its columns
(:attr:`ColumnUsers.columns`), the counts of the period are :func:`~copilot_tui.metrics.derive.period_users`'s from
the same columns. A user read by index or by iteration is made then from the columns; its breakdown Counters and
version maps (``DETAIL_FIELDS``) are filled on first read, for every user of the period at once
(:class:`Details`: the entries as arrays, sorted by user).

A :class:`ColumnUser` is equal to the summary with the same fields, field for field and property for property,
and pickles and copies as a plain ``UserSummary`` with every field read.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any, overload

from copilot_tui.metrics.derive import UserSummary, acceptance_rate
from copilot_tui.metrics.model import ACTIVITY_FIELDS, USER_FLAG_FIELDS, VersionSample

#: The fields filled from the period's entries on first read.
DETAIL_FIELDS = ("features", "ides", "languages", "models", "ide_versions", "plugin_versions")
#: The properties computed from the detail fields, given by the columns (what the users table reads of every row).
SHOWN = ("top_feature", "top_ide", "top_language", "top_model", "ide_version_text", "plugin_version_text")
#: The CLI sums' names in a summary's ``cli``.
CLI_NAMES = ("session_count", "request_count", "prompt_count", "output_tokens_sum", "prompt_tokens_sum")
#: The columns a :class:`ColumnUsers` is made from, besides one per activity field, flag and CLI sum, and
#: ``SHOWN``; ``completion`` says whether the user has a code-completion entry.
BASE = ("user_id", "user_login", "days_active", "last_active_day", "ai_credits_used", "cli_version", "cli_sampled")


class Details:
    """Every user's breakdown entries and IDE/plugin versions of a period, as arrays sorted by user id, read by
    ``load`` on first use (under a lock: a worker and the UI thread never load twice).

    ``load()`` gives ``(names, entries, versions)``: ``names`` the entry names; ``entries`` the arrays
    ``user_id``, ``kind`` (0-3: feature, IDE, language, model), ``name`` (index in ``names``), ``weight``; ``versions``
    the arrays ``user_id``, ``ide``, ``version``, ``sampled``, ``plugin``, ``plugin_sampled``, ``plugin_name``
    (absent ones None), both sorted by user id."""

    def __init__(self, load: Callable[[], tuple[list[str], dict[str, Any], dict[str, Any]]]) -> None:
        self._load: Callable[[], tuple[list[str], dict[str, Any], dict[str, Any]]] | None = load
        self._lock = threading.Lock()
        self._names: list[str] = []
        self._entries: dict[str, Any] = {}
        self._versions: dict[str, Any] = {}

    def _ready(self) -> None:
        with self._lock:
            if self._load is not None:
                self._names, self._entries, self._versions = self._load()
                self._load = None

    def fill(self, user: ColumnUser) -> None:
        """Set the detail fields of ``user`` not set yet."""
        self._ready()
        uid = user.user_id
        e = self._entries
        lo, hi = (int(x) for x in e["user_id"].searchsorted([uid, uid + 1]))
        counters: list[Counter[str]] = [Counter.__new__(Counter) for _ in range(4)]
        names = self._names
        for kind, i, w in zip(
            e["kind"][lo:hi].tolist(), e["name"][lo:hi].tolist(), e["weight"][lo:hi].tolist(), strict=True
        ):
            counters[kind][names[i]] = w
        ides: dict[str, VersionSample] = {}
        plugins: dict[str, VersionSample] = {}
        v = self._versions
        lo, hi = (int(x) for x in v["user_id"].searchsorted([uid, uid + 1]))
        columns = ("ide", "version", "sampled", "plugin", "plugin_sampled", "plugin_name")
        for ide, version, sampled, plugin, plugin_sampled, plugin_name in zip(
            *(v[c][lo:hi].tolist() for c in columns), strict=True
        ):
            if version is not None:
                ides[ide] = VersionSample(version, sampled or None)
            if plugin is not None:
                plugins[ide] = VersionSample(plugin, plugin_sampled or None, plugin_name or None)
        for name, value in zip(DETAIL_FIELDS, (*counters, ides, plugins), strict=True):
            if _unset(user, name):
                _SLOTS[name].__set__(user, value)


_SLOTS = {name: UserSummary.__dict__[name] for name in DETAIL_FIELDS}
"""The dataclass's own slot descriptors, which :class:`ColumnUser`'s properties stand in front of."""
_COMPUTED = {name: UserSummary.__dict__[name].fget for name in SHOWN}


def _unset(s: UserSummary, name: str) -> bool:
    try:
        _SLOTS[name].__get__(s, UserSummary)
    except AttributeError:
        return True
    return False


class ColumnUser(UserSummary):
    """A user of :class:`ColumnUsers`: the detail fields are filled on first read; the properties computed from
    them (``SHOWN``, and whether ``features`` holds code completion) are the columns' until a detail field is
    set."""

    __slots__ = ("_shown", "_details")

    _shown: tuple[Any, ...] | None
    _details: Details

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, UserSummary):
            return NotImplemented
        return _fields(self) == _fields(other)

    __hash__ = None  # type: ignore[assignment]  # as the dataclass: mutable, not hashable

    def __reduce__(self) -> tuple[Any, ...]:
        return (UserSummary, _fields(self))

    @property
    def completion_only(self) -> bool:
        shown = self._shown
        if shown is None:
            return UserSummary.completion_only.fget(self)  # type: ignore[attr-defined,no-any-return]
        flags = self.flags
        return not (flags.get("used_chat") or flags.get("used_agent") or flags.get("used_cli")) and bool(shown[-1])


def _fields(s: UserSummary) -> tuple[Any, ...]:
    return tuple(getattr(s, name) for name in UserSummary.__dataclass_fields__)


def _detail_field(name: str) -> property:
    slot = _SLOTS[name]

    def get(self: ColumnUser) -> Any:
        try:
            return slot.__get__(self, UserSummary)
        except AttributeError:
            self._details.fill(self)
            return slot.__get__(self, UserSummary)

    def set_(self: ColumnUser, value: Any) -> None:
        slot.__set__(self, value)
        self._shown = None

    return property(get, set_, doc=f"``{name}``, filled from the period's entries on first read")


def _shown_property(index: int, name: str) -> property:
    computed = _COMPUTED[name]

    def get(self: ColumnUser) -> Any:
        shown = self._shown
        return computed(self) if shown is None else shown[index]

    return property(get, doc=f"``{name}`` as the columns give it (computed once a detail field is set)")


for _name in DETAIL_FIELDS:
    setattr(ColumnUser, _name, _detail_field(_name))
for _index, _name in enumerate(SHOWN):
    setattr(ColumnUser, _name, _shown_property(_index, _name))
del _name, _index

_new_user = ColumnUser.__new__


class ColumnUsers(Sequence[UserSummary]):
    """The users of a period as columns (``BASE``, one per activity field, flag, CLI sum, ``SHOWN`` and
    ``completion``: lists in the users' order), each made a :class:`ColumnUser` when first read."""

    def __init__(self, columns: dict[str, list[Any]], details: Details) -> None:
        self._c = columns
        self._details = details
        self._made: list[ColumnUser | None] = [None] * len(columns["user_id"])
        self._table: dict[str, list[Any]] | None = None

    def __len__(self) -> int:
        return len(self._made)

    @overload
    def __getitem__(self, index: int) -> UserSummary: ...
    @overload
    def __getitem__(self, index: slice) -> list[UserSummary]: ...
    def __getitem__(self, index: int | slice) -> UserSummary | list[UserSummary]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        made = self._made[index]
        if made is None:
            made = self._made[index] = self._make(index if index >= 0 else index + len(self))
        return made

    def __iter__(self) -> Iterator[UserSummary]:
        for i in range(len(self._made)):
            yield self[i]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (list, (list(self),))

    def column(self, key: str) -> list[Any]:
        """A field's or a shown property's values in the users' order (``user_id``, ``user_login``, ...)."""
        return self._c[key]

    @property
    def columns(self) -> dict[str, list[Any]]:
        """The users table's columns: the fields and properties it reads of every row, made once."""
        if self._table is None:
            c = self._c
            gen, acc = c[ACTIVITY_FIELDS[1]], c[ACTIVITY_FIELDS[2]]
            self._table = {
                **{key: c[key] for key in ("user_id", "user_login", "days_active", "last_active_day")},
                "ai_credits_used": c["ai_credits_used"],
                "interactions": c[ACTIVITY_FIELDS[0]],
                "generations": gen,
                "acceptances": acc,
                "loc_added": c["loc_added_sum"],
                "acceptance_rate": [acceptance_rate(a, g) for a, g in zip(acc, gen, strict=True)],
                **{f: [bool(v) for v in c[f]] for f in ("used_agent", "used_chat", "used_cli")},
                **{key: c[key] for key in SHOWN},
            }
        return self._table

    def _make(self, i: int) -> ColumnUser:
        c = self._c
        s = _new_user(ColumnUser)
        s.user_id = c["user_id"][i]
        s.user_login = c["user_login"][i]
        s.days_active = c["days_active"][i]
        last: date | None = c["last_active_day"][i]
        s.last_active_day = last
        UserSummary.__dict__["activity"].__set__(s, {name: c[name][i] for name in ACTIVITY_FIELDS})
        s.ai_credits_used = c["ai_credits_used"][i]
        flags = {}
        for name in USER_FLAG_FIELDS:
            value = c[name][i]
            if value is not None:
                flags[name] = value
        UserSummary.__dict__["flags"].__set__(s, flags)
        s.cli = {name: c[name][i] for name in CLI_NAMES if c[name][i] is not None}
        version = c["cli_version"][i]
        s.cli_version = None if version is None else VersionSample(version, c["cli_sampled"][i] or None)
        s._shown = (*(c[key][i] for key in SHOWN), c["completion"][i])
        s._details = self._details
        return s

    def _completion_only(self, i: int) -> bool:
        c = self._c
        return not (c["used_chat"][i] or c["used_agent"][i] or c["used_cli"][i]) and bool(c["completion"][i])

    def completion_only(self) -> list[bool]:
        """Each user's ``completion_only``, from the columns."""
        return [self._completion_only(i) for i in range(len(self))]
