"""The one rule for a report line: it is accepted, or skipped with a reason and counted; never a crash.

Every road that reads report lines (the parser, the fast fold and its workers, the teams join, the user detail, the
store's index) takes its checks and its verdicts from here, so a line counts the same wherever it is read.

Skipped: a line that is not a JSON object; that a JSON decoder cannot hold (nested beyond ``JSON_DEPTH``); a count
that is negative, not a whole number, or beyond ``MAX_COUNT``; an amount that is negative or beyond ``MAX_AMOUNT``
(JSON has no NaN: ``1e999`` is refused by the decoder); an id that is neither a whole number nor a string of
digits; a field the report defines holding the wrong type (a count as a string, a flag as a number, a list where
an object belongs, which is also how nesting deeper than a report line has is caught); the same user and day again
(the first line read is kept).

Accepted: ids as a number or a string of digits; ``null`` for any field (unknown, not zero: kept as ``None``); both
spellings of a renamed field; unknown fields (kept in ``extra`` when nested at most ``MAX_DEPTH`` deep, dropped
otherwise: a report line never nests more than four) and unknown names (features, IDEs, models); gzip-compressed
parts; CRLF line ends; a byte order mark at the start of a part.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

import orjson

#: The largest count accepted: the largest integer a double holds exactly (JSON readers in other languages).
MAX_COUNT = 2**53 - 1
#: The largest amount (``ai_credits_used``, averages, medians) accepted.
MAX_AMOUNT = 1e15
#: AI credits are added in millionths of a credit, as whole numbers: a sum is exact, whatever the order of its terms
#: (the facts' query adds them in SQL, in no set order), and rounded to a float once.
CREDIT_UNITS = 1_000_000
#: The largest id accepted (a signed 64-bit integer).
MAX_ID = 2**63 - 1
#: Unknown fields nested deeper than this are not kept (a users-report line nests four deep).
MAX_DEPTH = 8
#: A line nested deeper than this is skipped unread: the typed decoder gives up near here, and orjson crashes the
#: process on a line nested a million deep.
JSON_DEPTH = 1000
#: Fields GitHub renamed: (old name, new name). A line may carry either or both.
RENAMED_FLAGS: tuple[tuple[str, str], ...] = (("used_copilot_coding_agent", "used_copilot_cloud_agent"),)

BOM = b"\xef\xbb\xbf"
_GZIP = b"\x1f\x8b"

#: A line's ``user_id``, found in the raw bytes (a number or a string of digits): the one pattern the store's index
#: and the user detail use. A match only proposes; the decoded line decides.
USER_ID = re.compile(rb'"user_id"\s*:\s*"?(\d+)')


class LineError(ValueError):
    """A line the rule skips; the message is the reason shown to the user."""


# ---------------------------------------------------------------------------------------------------------- bytes


def plain_part(data: bytes) -> bytes:
    """A whole part as plain NDJSON: gunzipped when it is gzip, without a leading byte order mark."""
    if data[:2] == _GZIP:
        data = b"".join(_gunzip((data,)))
    return data[3:] if data[:3] == BOM else data


def plain_chunks(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Chunks of a part as plain NDJSON chunks (see :func:`plain_part`), streamed."""
    it = iter(chunks)
    head = b""
    for chunk in it:
        head += bytes(chunk)
        if len(head) >= 3:
            break
    if not head:
        return
    rest: Iterable[bytes] = _chain(head, it)
    if head[:2] == _GZIP:
        rest = _gunzip(rest)
        head = b""
        for chunk in rest:
            head += chunk
            if len(head) >= 3:
                break
        rest = _chain(head, rest)
    first = True
    for chunk in rest:
        if first:
            first = False
            if chunk[:3] == BOM:
                chunk = chunk[3:]
        if chunk:
            yield chunk


def _chain(head: bytes, rest: Iterable[bytes]) -> Iterator[bytes]:
    yield head
    for chunk in rest:
        yield bytes(chunk)


def _gunzip(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Inflate a gzip stream, several members one after another included; a damaged one is a ``LineError``."""
    inflate = zlib.decompressobj(31)
    try:
        for chunk in chunks:
            while chunk:
                out = inflate.decompress(chunk)
                if out:
                    yield out
                if inflate.eof:
                    chunk = inflate.unused_data
                    inflate = zlib.decompressobj(31)
                else:
                    chunk = b""
        tail = inflate.flush()
        if tail:
            yield tail
    except zlib.error as exc:
        raise LineError(f"the gzip part is damaged ({exc})") from None


# ---------------------------------------------------------------------------------------------------------- lines


def loads(raw: bytes | memoryview) -> dict[str, Any] | None:
    """One line as a JSON object, or None for a blank line; a ``LineError`` for anything else."""
    if too_deep(raw):
        raise LineError(f"nested more than {JSON_DEPTH} deep")
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if not bytes(raw).strip():
            return None
        text = str(exc)
        raise LineError(f"not valid JSON ({text if len(text) <= 80 else text[:77] + '...'})") from None
    if type(obj) is not dict:
        raise LineError(f"expected a JSON object, got {kind_of(obj)}")
    return obj


_BRACKETS_ONLY = bytes(range(256)).translate(None, b"[]{}")
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')


def too_deep(raw: bytes | memoryview, limit: int = JSON_DEPTH) -> bool:
    """Whether a line nests more than ``limit`` deep (counted only when it has that many brackets at all)."""
    raw = bytes(raw)
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    level = 0
    for byte in _STRING.sub(b"", raw).translate(None, _BRACKETS_ONLY):
        if byte == 91 or byte == 123:  # [ {
            level += 1
            if level > limit:
                return True
        else:
            level -= 1
    return False


def kind_of(value: Any) -> str:
    """What a JSON value is, in words (for reasons)."""
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}.get(
        type(value), "a number"
    )


def count(value: Any, name: str) -> int | None:
    """A counter: a whole number from 0 to ``MAX_COUNT`` (a whole float such as ``3.0`` too), or None."""
    if value is None:
        return None
    if type(value) is int:
        if 0 <= value <= MAX_COUNT:
            return value
    elif type(value) is float and math.isfinite(value) and value.is_integer():
        if 0 <= value <= MAX_COUNT:
            return int(value)
    else:
        raise LineError(f"{name} should be a whole number, got {_show(value)}")
    if value < 0:
        raise LineError(f"{name} is negative ({_show(value)})")
    raise LineError(f"{name} is out of range ({_show(value)})")


def add_credits(total: float, more: float) -> float:
    """``total + more`` for AI credits, in whole millionths (``CREDIT_UNITS``): the one rule for summing them."""
    units = math.floor(total * CREDIT_UNITS + 0.5) + math.floor(more * CREDIT_UNITS + 0.5)
    return float(units) / CREDIT_UNITS


def amount(value: Any, name: str) -> float | None:
    """A non-negative number (credits, averages, medians) up to ``MAX_AMOUNT``, or None."""
    if value is None:
        return None
    if type(value) is not int and type(value) is not float:
        raise LineError(f"{name} should be a number, got {_show(value)}")
    if not math.isfinite(value) or value > MAX_AMOUNT:
        raise LineError(f"{name} is out of range ({_show(value)})")
    if value < 0:
        raise LineError(f"{name} is negative ({_show(value)})")
    return value


def identifier(value: Any, name: str) -> int:
    """An id: a whole number or a string of digits, from 0 to ``MAX_ID``."""
    if type(value) is str and value.isascii() and value.isdigit() and len(value) <= 19:
        value = int(value)
    if type(value) is not int:
        raise LineError(f"{name} should be a whole number, got {_show(value)}")
    if not 0 <= value <= MAX_ID:
        raise LineError(f"{name} is out of range ({_show(value)})")
    return value


def flag(value: Any, name: str) -> bool | None:
    if value is None or type(value) is bool:
        return value
    raise LineError(f"{name} should be true or false, got {_show(value)}")


def text(value: Any, name: str) -> str:
    """A name (login, feature, IDE, language, model): a string."""
    if type(value) is not str:
        raise LineError(f"{name} should be a string, got {_show(value)}")
    return value


def day(value: Any, name: str = "day") -> date:
    """A ``YYYY-MM-DD`` day (a date-time is read as its day)."""
    if type(value) is str:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise LineError(f"{name} should be a YYYY-MM-DD date, got {_show(value)}")


def shallow(value: Any, depth: int = MAX_DEPTH) -> bool:
    """Whether an unknown field's value nests at most ``depth`` deep (it is kept only then)."""
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Iterable[Any] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if level > depth:
            return False
        stack.extend((child, level + 1) for child in children)
    return True


def _show(value: Any) -> str:
    if isinstance(value, dict | list):
        return kind_of(value)
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def merge_renamed(flags: dict[str, bool]) -> dict[str, bool]:
    """Flags with each renamed one under its new name too: true if either spelling is true."""
    for old, new in RENAMED_FLAGS:
        was = flags.get(old)
        if was is not None and flags.get(new) is not True:
            flags[new] = was
    return flags


# ---------------------------------------------------------------------------------------------------------- repeats


def repeat_reason(user_id: int, on: date | str) -> str:
    """The reason given for a second line of the same user and day (the first read is kept)."""
    return f"user {user_id} on {on} again (the first line is kept)"


class FirstSeen:
    """The duplicate rule: the first line of a user and day counts, any later one is skipped."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: set[tuple[int, date | str]] = set()

    def first(self, user_id: int, on: date | str) -> bool:
        key = (user_id, on)
        if key in self._seen:
            return False
        self._seen.add(key)
        return True


def skipped_lines_text(problems: Sequence[Any], limit: int = 20) -> str:
    """Skipped lines for a terminal: how many, then each (report part, line number, reason), at most ``limit``."""
    lines = [f"skipped {len(problems)} report line(s) that could not be read:"]
    lines += [f"  {p}" for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"  ... and {len(problems) - limit} more")
    return "\n".join(lines)


def user_id_needle(user_id: int) -> re.Pattern[bytes]:
    """A pattern for one user's ``user_id`` in raw lines (a number or a string of digits)."""
    return re.compile(rb'"user_id"\s*:\s*"?%d(?![0-9.eE])' % user_id)
