"""The demo's report files and seats, kept on disk between runs so ``--demo`` starts without generating them again.

The demo dataset is fixed (seeded, with a fixed last day), but making its report files is most of the data work of
a demo start, and making an org's seats means making every day of every user's plan. They are kept, compressed as
the demo source holds them in memory, in one file under the data directory. The file names what made it: a
fingerprint of the generator's source and the dataset's parameters, so a changed generator or another dataset never
reads files made by the old one. A file that cannot be read is ignored (the files are made again and the file written anew);
writing is to a temporary file then a rename, so a crash leaves the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import struct
import sys
import tempfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from copilot_tui.files import private_dir
from copilot_tui.scope import Scope

log = logging.getLogger(__name__)

MAGIC = b"copilot-tui demo reports 1\n"
LIMIT_BYTES = 64 << 20
"""Compressed bytes kept at most: files beyond are not written."""
_ENTRY = struct.Struct("<HII")  # name's bytes, packed bytes, raw size

Key = tuple[Scope, str, date]
"""A file: the scope, the report kind and the day."""


def fingerprint(dataset: Any) -> str:
    """What made the files: the generator's source (and the field lists it takes from the model), the Python
    version (its random numbers beyond ``random()`` may change between versions) and the dataset's parameters."""
    from copilot_tui.metrics import demo, model

    digest = hashlib.sha1(usedforsecurity=False)
    for module in (demo, model):
        digest.update(Path(module.__file__ or "").read_bytes())
    digest.update(repr(sys.version_info[:2]).encode())
    params = (dataset.orgs, dataset.enterprise, dataset.last_day, dataset.days, dataset.seed)
    digest.update(repr(params).encode())
    return digest.hexdigest()


def _name(key: Key) -> bytes:
    scope, kind, day = key
    return f"{scope.kind}|{scope.name}|{kind}|{day.isoformat()}".encode()


def _key(name: bytes) -> Key:
    scope_kind, scope_name, kind, day = name.decode().split("|")
    if scope_kind not in ("org", "enterprise"):
        raise ValueError(f"unknown scope kind {scope_kind!r}")
    return Scope(scope_kind, scope_name), kind, date.fromisoformat(day)  # type: ignore[arg-type]


class Kept:
    """The files kept in a file written for a stamp: where each one's packed bytes are, read when asked (a demo
    start reads the few files its first period needs, not the tens of MB every scope's days take)."""

    def __init__(self, path: Path, places: dict[Key, tuple[int, int, int]], identity: tuple[int, ...]) -> None:
        self.path = path
        self.places = places
        """Per file: its packed bytes' offset and length, and its raw size."""
        self._identity = identity

    @classmethod
    def open(cls, path: Path, stamp: str) -> Kept:
        """The index of ``path`` if it was written for ``stamp``; else an empty one."""
        try:
            with open(path, "rb") as f:
                return cls(path, _places(f, MAGIC + stamp.encode() + b"\n"), _identity(f))
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("demo cache %s unreadable, making the demo files again: %s", path, exc)
        except (struct.error, ValueError, UnicodeDecodeError) as exc:
            log.warning("demo cache %s damaged, making the demo files again: %s", path, exc)
        return cls(path, {}, ())

    def sizes(self) -> dict[Key, int]:
        return {key: raw for key, (_at, _packed, raw) in self.places.items()}

    def packed(self, key: Key) -> bytes | None:
        """A file's packed bytes; None when not kept, or when the file was replaced since it was indexed."""
        place = self.places.get(key)
        if place is None:
            return None
        at, size, _raw = place
        try:
            with open(self.path, "rb") as f:
                if _identity(f) != self._identity:
                    return None
                f.seek(at)
                data = f.read(size)
        except OSError:
            return None
        return data if len(data) == size else None

    def every_file(self) -> dict[Key, tuple[bytes, int]]:
        """Every file kept, packed, with its raw size (in the order written)."""
        if not self.places:
            return {}
        try:
            with open(self.path, "rb") as f:
                if _identity(f) != self._identity:
                    return {}
                data = f.read()
        except OSError:
            return {}
        return {key: (data[at : at + size], raw) for key, (at, size, raw) in self.places.items()}


def _identity(f: Any) -> tuple[int, ...]:
    st = os.fstat(f.fileno())
    return st.st_ino, st.st_size, st.st_mtime_ns


def _places(f: Any, head: bytes) -> dict[Key, tuple[int, int, int]]:
    """Each entry's key, offset, packed and raw size, read from the entries' headers (the packed bytes skipped)."""
    if f.read(len(head)) != head:
        return {}
    total = os.fstat(f.fileno()).st_size
    places: dict[Key, tuple[int, int, int]] = {}
    at = len(head)
    while at < total:
        name_size, packed_size, raw_size = _ENTRY.unpack(f.read(_ENTRY.size))
        name = f.read(name_size)
        at += _ENTRY.size + name_size
        if len(name) != name_size or at + packed_size > total:
            raise ValueError("the file ends inside an entry")
        places[_key(name)] = (at, packed_size, raw_size)
        at += packed_size
        f.seek(at)
    return places


def read(path: Path, stamp: str) -> dict[Key, tuple[bytes, int]]:
    """The files kept in ``path`` (packed bytes and raw size) if it was written for ``stamp``; else nothing."""
    return Kept.open(path, stamp).every_file()


def write(path: Path, stamp: str, files: Mapping[Key, bytes], sizes: Mapping[Key, int]) -> None:
    """Keep ``files`` (packed) in ``path`` for ``stamp``: readable by the user only, replaced whole."""
    chunks: list[bytes] = [MAGIC, stamp.encode(), b"\n"]
    total = 0
    for key, packed in files.items():  # in the order they were made: the first period shown first
        if total + len(packed) > LIMIT_BYTES:
            break
        name = _name(key)
        chunks += [_ENTRY.pack(len(name), len(packed), sizes.get(key, 0)), name, packed]
        total += len(packed)
    temporary: Path | None = None
    try:
        private_dir(path.parent)
        fd, made = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # mode 0600
        temporary = Path(made)
        with os.fdopen(fd, "wb") as out:
            out.write(b"".join(chunks))
        os.replace(temporary, path)
    except OSError as exc:  # the demo runs on; only the next start makes its files again
        log.warning("could not keep the demo files in %s: %s", path, exc)
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
