"""One fetch per scope at a time, across processes: an advisory lock beside each store file.

Two ``sync`` runs of one org (or ``sync`` and the app refreshing it) would each plan the same missing days and both
download every report. Whoever fetches for a scope holds ``<store file>.lock`` (``fcntl.flock``, released by the
kernel when the process ends, however it ends); another one waits for it, says so, and then plans again from what
the first one stored, so nothing is downloaded twice. Where ``fcntl`` is missing (Windows) there is no lock.

``cache clear`` removes a scope's lock file with its store file, holding the lock while it does: a lock taken on a
file that was removed meanwhile is not held (:meth:`ScopeLock.try_acquire` checks the path still names it).
"""

from __future__ import annotations

import os
from pathlib import Path

from copilot_tui.files import FILE_MODE, private_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


LOCK_SUFFIX = ".lock"


class ScopeLock:
    """``try_acquire`` never blocks; ``release`` lets the next one in. Not re-entrant: one per fetch."""

    def __init__(self, store_file: Path) -> None:
        self.path = store_file.with_name(store_file.name + LOCK_SUFFIX)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        if fcntl is None:  # pragma: no cover - Windows
            self._fd = -1
            return True
        private_dir(self.path.parent)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if not _names(self.path, fd):  # removed (cache clear) after it was opened: that lock guards nothing
                raise OSError("the lock file was removed")
        except OSError:
            os.close(fd)
            return False
        if hasattr(os, "fchmod"):
            os.fchmod(fd, FILE_MODE)
        self._fd = fd
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None or fd < 0:
            return
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def remove(self) -> None:
        """Delete the lock file and let go of it (``cache clear``); only while held, so no fetch is under way."""
        if self._fd is None:
            raise RuntimeError("remove() needs the lock held")
        try:
            self.path.unlink(missing_ok=True)
        finally:
            self.release()


def _names(path: Path, fd: int) -> bool:
    """Whether ``path`` is still the file open as ``fd``."""
    try:
        here, there = os.stat(path), os.fstat(fd)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def stray_locks(directory: Path, store_suffix: str) -> list[ScopeLock]:
    """The locks in ``directory`` whose store file (named ``*store_suffix``) is gone."""
    found = []
    for path in sorted(directory.glob(f"*{store_suffix}{LOCK_SUFFIX}")):
        store_file = path.with_name(path.name[: -len(LOCK_SUFFIX)])
        if not store_file.exists():
            found.append(ScopeLock(store_file))
    return found
